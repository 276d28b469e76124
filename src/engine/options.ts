/**
 * The single table of trace parameters. Validation, presets, the CLI flags, the HTTP model schema and the
 * web page controls are all generated from OPTION_SPECS, so they cannot disagree.
 */
import { OptionError, describeValue } from './errors.js';

export type ColorMode = 'color' | 'binary';
export type Hierarchical = 'stacked' | 'cutout';
export type CurveMode = 'spline' | 'polygon' | 'pixel' | 'none';
export type PresetName = 'bw' | 'poster' | 'photo';

/** Every tracing parameter, fully resolved (after preset and defaults). */
export interface TraceParameters {
  colorMode: ColorMode;
  hierarchical: Hierarchical;
  mode: CurveMode;
  filterSpeckle: number;
  colorPrecision: number;
  layerDifference: number;
  cornerThreshold: number;
  lengthThreshold: number;
  maxIterations: number;
  spliceThreshold: number;
  pathPrecision: number;
}

/** Something with an `aborted` flag: an AbortSignal, or a flag backed by shared memory in a worker. */
export interface AbortFlag {
  readonly aborted: boolean;
}

export interface TraceOptions extends Partial<TraceParameters> {
  /** Applied first; explicit parameters override it. No preset means the defaults of the table. */
  preset?: PresetName;
  /** Called with a fraction from 0 to 1 as the stages progress (at most a few hundred times). */
  onProgress?: (fraction: number) => void;
  /** Checked between and inside stages; when aborted the trace throws TraceAbortedError. */
  signal?: AbortFlag;
}

export type OptionName = keyof TraceParameters;

interface SpecBase {
  name: OptionName;
  label: string;
  /** One line for --help, the model schema and the web page. */
  description: string;
  /** Flag of the upstream `vtracer` CLI (snake case), without dashes. */
  cliFlag: string;
  /** Short flag of the upstream CLI, if any. */
  cliShort?: string;
}
export interface EnumSpec extends SpecBase {
  kind: 'enum';
  values: readonly string[];
  default: string;
}
export interface NumberSpec extends SpecBase {
  kind: 'integer' | 'number';
  min: number;
  max: number;
  step: number;
  default: number;
}
export type OptionSpec = EnumSpec | NumberSpec;

export const OPTION_SPECS: readonly OptionSpec[] = [
  {
    name: 'colorMode', kind: 'enum', values: ['color', 'binary'], default: 'color', label: 'Colour mode',
    description: 'Trace colour regions, or a black-and-white image (luminance threshold, alpha aware)',
    cliFlag: 'colormode',
  },
  {
    name: 'hierarchical', kind: 'enum', values: ['stacked', 'cutout'], default: 'stacked', label: 'Layering',
    description: 'stacked: shapes painted on top of each other (no gaps); cutout: disjoint shapes with holes',
    cliFlag: 'hierarchical',
  },
  {
    name: 'mode', kind: 'enum', values: ['spline', 'polygon', 'pixel', 'none'], default: 'spline', label: 'Curve mode',
    description: 'spline: smooth cubic Béziers; polygon: straight segments; pixel/none: the exact pixel staircase',
    cliFlag: 'mode', cliShort: 'm',
  },
  {
    name: 'filterSpeckle', kind: 'integer', min: 0, max: 128, step: 1, default: 4, label: 'Filter speckle',
    description: 'Discard patches smaller than this many pixels across (area below the square of it)',
    cliFlag: 'filter_speckle', cliShort: 'f',
  },
  {
    name: 'colorPrecision', kind: 'integer', min: 1, max: 8, step: 1, default: 6, label: 'Colour precision',
    description: 'Significant bits per RGB channel when grouping pixels: more bits, more colours',
    cliFlag: 'color_precision', cliShort: 'p',
  },
  {
    name: 'layerDifference', kind: 'integer', min: 0, max: 255, step: 1, default: 16, label: 'Gradient step',
    description: 'Colour difference between gradient layers: larger means fewer layers (0 also joins diagonals)',
    cliFlag: 'gradient_step', cliShort: 'g',
  },
  {
    name: 'cornerThreshold', kind: 'number', min: 0, max: 180, step: 1, default: 60, label: 'Corner threshold',
    description: 'Minimum turning angle in degrees for a point to stay a sharp corner: larger is smoother',
    cliFlag: 'corner_threshold', cliShort: 'c',
  },
  {
    name: 'lengthThreshold', kind: 'number', min: 3.5, max: 10, step: 0.5, default: 4, label: 'Segment length',
    description: 'Smoothing subdivides segments until none is longer than this (pixels): larger is coarser',
    cliFlag: 'segment_length', cliShort: 'l',
  },
  {
    name: 'maxIterations', kind: 'integer', min: 1, max: 50, step: 1, default: 10, label: 'Max iterations',
    description: 'Cap on smoothing subdivision rounds',
    cliFlag: 'max_iterations',
  },
  {
    name: 'spliceThreshold', kind: 'number', min: 0, max: 180, step: 1, default: 45, label: 'Splice threshold',
    description: 'Accumulated turning in degrees after which a curve is split: smaller is more accurate',
    cliFlag: 'splice_threshold', cliShort: 's',
  },
  {
    name: 'pathPrecision', kind: 'integer', min: 0, max: 8, step: 1, default: 2, label: 'Path precision',
    description: 'Decimal places written in path coordinates',
    cliFlag: 'path_precision',
  },
];

export const DEFAULTS: Readonly<TraceParameters> = Object.freeze(
  Object.fromEntries(OPTION_SPECS.map((s) => [s.name, s.default])) as unknown as TraceParameters,
);

/** The upstream presets. A preset replaces every value of the table; explicit options then override it. */
export const PRESETS: Readonly<Record<PresetName, Readonly<TraceParameters>>> = Object.freeze({
  bw: Object.freeze({ ...DEFAULTS, colorMode: 'binary' }),
  poster: Object.freeze({ ...DEFAULTS, colorPrecision: 8 }),
  photo: Object.freeze({
    ...DEFAULTS, filterSpeckle: 10, colorPrecision: 8, layerDifference: 48, cornerThreshold: 180,
  }),
});

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

const SPEC_BY_NAME = new Map<string, OptionSpec>(OPTION_SPECS.map((s) => [s.name, s]));
const CONTROL_KEYS = new Set(['preset', 'onProgress', 'signal']);

export function getOptionSpec(name: string): OptionSpec | undefined {
  return SPEC_BY_NAME.get(name);
}

/** Human description of what a spec accepts, used in every error message. */
export function expectation(spec: OptionSpec): string {
  if (spec.kind === 'enum') return `one of ${spec.values.map((v) => `"${v}"`).join(', ')}`;
  const article = spec.kind === 'integer' ? 'an integer' : 'a number';
  return `${article} from ${spec.min} to ${spec.max}`;
}

/** Checks one parameter value against its spec; throws OptionError naming the option. */
export function checkOption(spec: OptionSpec, value: unknown): string | number {
  if (spec.kind === 'enum') {
    if (typeof value !== 'string' || !spec.values.includes(value)) throw new OptionError(spec.name, expectation(spec), value);
    return value;
  }
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= spec.min && value <= spec.max
    && (spec.kind === 'number' || Number.isInteger(value));
  if (!ok) throw new OptionError(spec.name, expectation(spec), value);
  return value as number;
}

/**
 * Validates options and resolves them to a full parameter set: preset first, explicit options over it,
 * defaults for the rest. Unknown keys are rejected (a typo must not be silently ignored).
 */
export function validateOptions(options: TraceOptions | Record<string, unknown> = {}): TraceParameters {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new OptionError('options', 'an object', options);
  }
  const input = options as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!SPEC_BY_NAME.has(key) && !CONTROL_KEYS.has(key)) {
      const known = [...SPEC_BY_NAME.keys(), 'preset'].join(', ');
      throw new OptionError(key, `a known option (${known})`, input[key], `unknown option "${key}" (got ${describeValue(input[key])}); known options: ${known}`);
    }
  }
  let base: TraceParameters = { ...DEFAULTS };
  const preset = input.preset;
  if (preset !== undefined) {
    if (typeof preset !== 'string' || !(preset in PRESETS)) {
      throw new OptionError('preset', `one of ${PRESET_NAMES.map((p) => `"${p}"`).join(', ')}`, preset);
    }
    base = { ...PRESETS[preset as PresetName] };
  }
  const resolved = base as unknown as Record<string, unknown>;
  for (const spec of OPTION_SPECS) {
    const value = input[spec.name];
    if (value !== undefined) resolved[spec.name] = checkOption(spec, value);
  }
  if (input.onProgress !== undefined && typeof input.onProgress !== 'function') {
    throw new OptionError('onProgress', 'a function', input.onProgress);
  }
  const signal = input.signal as { aborted?: unknown } | undefined;
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || typeof signal.aborted !== 'boolean')) {
    throw new OptionError('signal', 'an AbortSignal', input.signal);
  }
  return base;
}
