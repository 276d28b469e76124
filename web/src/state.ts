/**
 * The page's state in one object, shared by its modules (input, settings, tracing, export, server panel):
 * what image is loaded, what result is shown, which preset is selected.
 */
import type { DecodedImage } from './decode.js';
import type { TraceOutcome } from './trace-client.js';

export const CUSTOM = 'custom';
/** The preset the page starts with and "Reset to defaults" returns to. */
export const DEFAULT_PRESET = 'poster';

export interface PageState {
  /** The decoded image being traced, once one was loaded. */
  image: DecodedImage | undefined;
  /** The last trace shown in the preview (cleared when a new image is loaded). */
  result: TraceOutcome | undefined;
  /** A preset name of the engine, or `custom`. */
  preset: string;
  /** Results shown so far (the preview's `data-run`, for the tests). */
  renders: number;
  /** Colour edits of the result: traced fill → shown fill (kept across re-traces of one image). */
  recolour: Map<string, string>;
}

export function initialState(): PageState {
  return { image: undefined, result: undefined, preset: DEFAULT_PRESET, renders: 0, recolour: new Map() };
}
