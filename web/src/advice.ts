/**
 * The advice above the preview: settings carried over from the previous image, a colourful image that
 * collapsed into a few shapes, what the image looks like (scan, photo). Each comes with a one-click fix.
 */
import { getOptionSpec } from '../../src/engine/options.js';
import type { OptionValue } from './controls.js';
import type { DecodedImage } from './decode.js';
import { byId } from './dom.js';
import { suggest } from './image-stats.js';
import type { ImageStats } from './image-stats.js';
import { Notices } from './notices.js';
import type { Settings } from './settings.js';
import { CUSTOM } from './state.js';
import type { PageState } from './state.js';
import type { TraceOutcome } from './trace-client.js';

/** A colourful image traced into at most this many shapes has collapsed (seen at colour precision 1-3). */
const COLLAPSED_SHAPES = 3;
/**
 * Shapes whose bounding box covers less of the image than this are details, not counted as shapes of the
 * picture (keepDots keeps distinct dots, such as a photo's highlights, when everything else has collapsed).
 */
const DETAIL_SHARE = 0.01;
/** Distinct colours (5 bits per channel) from which an image counts as colourful. */
const COLOURFUL = 100;

function say(value: OptionValue): string {
  if (Array.isArray(value)) return value.join(' ') || 'none';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return String(value);
}

export interface Advice {
  /** A new image is in: announce carried-over settings (unless it came with its own) and what it looks like. */
  imageLoaded(previous: DecodedImage | undefined, image: DecodedImage, stats: ImageStats, ownSettings: boolean): void;
  /** A result is in: explain a collapse. */
  traced(outcome: TraceOutcome, stats: ImageStats | undefined): void;
  /** A named preset was chosen: the note about carried-over settings is answered. */
  presetChosen(): void;
}

/** @param retrace traces again now (after a fix was applied). */
export function setupAdvice(state: PageState, settings: Settings, retrace: () => void): Advice {
  const notices = new Notices();

  /** The values that differ from the preset they came from, as "Label value" for a sentence. */
  function differences(base: string): string {
    const preset = settings.presetValues(base);
    if (!preset) return '';
    return Object.entries(settings.controls.values())
      .filter(([k, v]) => String(v) !== String(preset[k]))
      .map(([k, v]) => `${getOptionSpec(k)?.label ?? k} ${say(v)}`)
      .join(', ');
  }

  function imageLoaded(previous: DecodedImage | undefined, image: DecodedImage, stats: ImageStats, ownSettings: boolean): void {
    notices.clear('collapsed');
    const base = settings.basePreset();
    if (previous && state.preset === CUSTOM && !ownSettings) {
      const changed = differences(base);
      notices.show('carried', `Your custom settings from ${previous.name} apply to ${image.name}${changed ? ` (${changed}, on top of ${base})` : ''}.`, {
        label: `Use ${base} instead`,
        run: () => { settings.choosePreset(base); retrace(); },
      });
    } else {
      notices.clear('carried');
    }
    const advice = suggest(stats);
    const values = settings.controls.values();
    const already = advice && (state.preset === advice.preset || base === advice.preset)
      && Object.entries(advice.values).every(([k, v]) => values[k] === v);
    if (advice && !already) {
      const extra = Object.keys(advice.values);
      notices.show('suggestion', advice.text, {
        label: `Use ${advice.preset}${extra.length ? ` + ${extra.join(', ')}` : ''}`,
        run: () => { notices.clear('carried'); settings.choosePreset(advice.preset, advice.values); retrace(); },
      });
    } else {
      notices.clear('suggestion');
    }
  }

  /**
   * The preview's paths that are more than details (see DETAIL_SHARE), counted up to one past
   * COLLAPSED_SHAPES (the larger layers come first in the document, so a photo stops early).
   */
  function shapesOfThePicture(outcome: TraceOutcome): number {
    const least = DETAIL_SHARE * outcome.width * outcome.height;
    let count = 0;
    for (const path of byId('preview').querySelectorAll('path')) {
      const box = (path as SVGGraphicsElement).getBBox();
      if (box.width * box.height >= least && ++count > COLLAPSED_SHAPES) break;
    }
    return count;
  }

  function traced(outcome: TraceOutcome, stats: ImageStats | undefined): void {
    const values = settings.controls.values();
    const n = stats && values.colorMode === 'color' && stats.colours >= COLOURFUL ? shapesOfThePicture(outcome) : Infinity;
    if (!stats || n > COLLAPSED_SHAPES) {
      notices.clear('collapsed');
      return;
    }
    const precision = Number(values.colorPrecision);
    notices.show(
      'collapsed',
      `The trace collapsed into ${n} shape${n === 1 ? '' : 's'} although the image has about `
        + `${stats.colours.toLocaleString('en')} colours: at colour precision ${precision} with gradient step ${say(values.layerDifference!)}, `
        + 'neighbouring colour layers are merged until one covers the picture (Rust VTracer does the same). '
        + 'Raise Colour precision (6 or more) or lower Gradient step.',
      precision < 6 ? { label: 'Set colour precision 6', run: () => { settings.apply({ colorPrecision: 6 }); retrace(); } } : undefined,
    );
  }

  return { imageLoaded, traced, presetChosen: () => notices.clear('carried') };
}
