/**
 * The Rust reference (VTracer 0.6 via the native binding @neplex/vectorizer), called with the same
 * resolved parameters as our engine. Its enums are `const enum`s in the typings and empty objects at
 * run time, so the numeric values are written here.
 */
import vectorizer from '@neplex/vectorizer';
import type { Config } from '@neplex/vectorizer';
import { validateOptions } from '../../src/engine/options.js';
import type { TraceOptions, TraceParameters } from '../../src/engine/options.js';
import type { RgbaBuffer } from './fidelity.js';

const COLOR_MODE = { color: 0, binary: 1 } as const;
const HIERARCHICAL = { stacked: 0, cutout: 1 } as const;
const MODE = { none: 0, pixel: 0, polygon: 1, spline: 2 } as const;

/** The reference's Config for our resolved parameters (same units: degrees, speckle side, bits kept). */
export function rustConfig(params: TraceParameters): Config {
  return {
    colorMode: COLOR_MODE[params.colorMode] as Config['colorMode'],
    hierarchical: HIERARCHICAL[params.hierarchical] as Config['hierarchical'],
    mode: MODE[params.mode] as Config['mode'],
    filterSpeckle: params.filterSpeckle,
    colorPrecision: params.colorPrecision,
    layerDifference: params.layerDifference,
    cornerThreshold: params.cornerThreshold,
    lengthThreshold: params.lengthThreshold,
    maxIterations: params.maxIterations,
    spliceThreshold: params.spliceThreshold,
    pathPrecision: params.pathPrecision,
  };
}

/** Traces with the Rust reference. `options` are ours (preset and overrides), resolved by validateOptions. */
export function traceRust(image: RgbaBuffer, options: TraceOptions = {}): string {
  const params = validateOptions({ ...options, onProgress: undefined, signal: undefined });
  return traceRustConfig(image, rustConfig(params));
}

/** Traces with an explicit reference config. The buffer is wrapped, not copied. */
export function traceRustConfig(image: RgbaBuffer, config: Config): string {
  const buf = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return vectorizer.vectorizeRawSync(buf, { width: image.width, height: image.height }, config);
}
