/**
 * The pure engine: RGBA in, SVG out. No I/O and no Node APIs, so it runs in Node, in worker threads and in
 * browsers (the web page bundles this module into a Web Worker).
 */
export { traceRgba, traceRgbaDetailed } from './trace.js';
export {
  OPTION_SPECS, DEFAULTS, PRESETS, PRESET_NAMES, validateOptions, getOptionSpec, expectation, checkOption,
} from './options.js';
export type {
  TraceOptions, TracedPath, TraceParameters, ColorMode, Hierarchical, CurveMode, PixelArt, PresetName, DrawStyle, OptionSpec, EnumSpec,
  NumberSpec, OptionName, AbortFlag, ValueSpec,
} from './options.js';
export { setRetainedMemory, releaseMemory, retainedMemory } from './memory.js';
export { VtracerError, OptionError, ImageDataError, TraceAbortedError, describeValue } from './errors.js';
export type { RgbaImage, TraceResult } from './types.js';
export {
  OUTPUT_FORMATS, FORMAT_MIME_TYPES, isOutputFormat, formatOfPath, exportVector, readSvg, SvgReadError, parsePathData,
  PathDataError,
} from './formats/index.js';
export type { OutputFormat, VectorFormat, VectorDocument } from './formats/index.js';
