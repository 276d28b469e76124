/**
 * The single table of trace parameters. Validation, presets, the CLI flags, the HTTP model schema and the
 * web page controls are all generated from OPTION_SPECS, so they cannot disagree.
 */
import { OptionError, describeValue } from './errors.js';

export type ColorMode = 'color' | 'binary';
export type Hierarchical = 'stacked' | 'cutout';
export type CurveMode = 'spline' | 'polygon' | 'pixel' | 'none';
export type PresetName = 'bw' | 'poster' | 'photo';
export type DrawStyle = 'fill' | 'centerline';
export type PixelArt = 'auto' | 'on' | 'off';

/** Every tracing parameter, fully resolved (after preset and defaults). */
export interface TraceParameters {
  colorMode: ColorMode;
  hierarchical: Hierarchical;
  trap: boolean;
  mode: CurveMode;
  pixelArt: PixelArt;
  filterSpeckle: number;
  keepDots: boolean;
  colorPrecision: number;
  layerDifference: number;
  cornerThreshold: number;
  lengthThreshold: number;
  maxIterations: number;
  spliceThreshold: number;
  pathPrecision: number;
  maxColors: number;
  palette: string[];
  binaryThreshold: number;
  invert: boolean;
  adaptive: boolean;
  adaptiveWindow: number;
  adaptiveOffset: number;
  optimize: number;
  simplify: number;
  scale: number;
  drawStyle: DrawStyle;
  spurLength: number;
  strokeWidth: number;
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
  /**
   * Called with each path as soon as it is written, in document order (bottom layer first), so that a viewer
   * can draw the shapes while the rest is traced. The final SVG holds the same paths.
   */
  onPath?: (path: TracedPath) => void;
}

/** One `<path>` of the output: its data and its fill (`#rrggbb`), or for a centerline stroke fill "none" and its stroke. */
export interface TracedPath {
  d: string;
  fill: string;
  stroke?: string;
  strokeWidth?: number;
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
export interface BooleanSpec extends SpecBase {
  kind: 'boolean';
  default: boolean;
}
/** A list of colours written `#rrggbb`. */
export interface PaletteSpec extends SpecBase {
  kind: 'palette';
  default: string[];
  /** Most colours accepted. */
  maxLength: number;
}
export type OptionSpec = EnumSpec | NumberSpec | BooleanSpec | PaletteSpec;

/**
 * Freezes a value and everything it holds. The table, the defaults and the presets are shared by every
 * caller: a shallow freeze would still let one caller's `palette.push` change every later trace.
 */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

export const OPTION_SPECS: readonly OptionSpec[] = deepFreeze<OptionSpec[]>([
  {
    name: 'colorMode', kind: 'enum', values: ['color', 'binary'], default: 'color', label: 'Colour mode',
    description: 'Trace colour regions, or a black-and-white image (luminance threshold, alpha aware)',
    cliFlag: 'colormode',
  },
  {
    name: 'hierarchical', kind: 'enum', values: ['stacked', 'cutout'], default: 'stacked', label: 'Layering',
    description: 'stacked: shapes painted on top of each other (no gaps); cutout: shapes side by side with holes (see trap)',
    cliFlag: 'hierarchical',
  },
  {
    name: 'trap', kind: 'boolean', default: true, label: 'Trap cutout borders',
    description: 'Cutout: each shape reaches 0.6 px under the shapes painted after it, so renderers show no light seams between them; off: shapes exactly disjoint (for cutting and plotting)',
    cliFlag: 'trap',
  },
  {
    name: 'mode', kind: 'enum', values: ['spline', 'polygon', 'pixel', 'none'], default: 'spline', label: 'Curve mode',
    description: 'spline: smooth cubic Béziers; polygon: straight segments; pixel/none: the exact pixel staircase',
    cliFlag: 'mode', cliShort: 'm',
  },
  {
    name: 'pixelArt', kind: 'enum', values: ['auto', 'on', 'off'], default: 'auto', label: 'Pixel art',
    description: 'Colour mode, filled shapes: pixel art is drawn pixel for pixel, every pixel kept in its exact colour, as squares (mode pixel, filterSpeckle and gradient step 0, all 8 colour bits). auto: an image of 32 px or less across with no anti-aliasing (every alpha 0 or 255, at most 32 colours, under 1.5 % of its edge pixels a blend of the two pixels either side), a sprite or a favicon at its own size; on: any image; off: never',
    cliFlag: 'pixel_art',
  },
  {
    name: 'filterSpeckle', kind: 'integer', min: 0, max: 128, step: 1, default: 4, label: 'Filter speckle',
    description: 'Discard patches smaller than this many pixels across (area below the square of it; binary mode also fills holes that small)',
    cliFlag: 'filter_speckle', cliShort: 'f',
  },
  {
    name: 'keepDots', kind: 'boolean', default: true, label: 'Keep small dots',
    description: 'Keep a patch below the speckle size when it is a distinct, anti-aliased dot (a freckle, a nostril, an eye, a thin glyph\'s piece): in colour mode from 3 pixels, filling 40 % of its box (a piece of a thin stroke in flat art: 2 pixels, any shape; 1 pixel keyed from its mix, a star a pixel across), over twice the gradient step from what is round it, which must be one colour beside how far it stands out (or, from 10 pixels, 6 in flat art, all lighter or all darker by far; in flat art from 3 pixels, 48 luma levels lighter than all round it); in binary mode (not adaptive) from 2 pixels (the dot of a small "i"), filling a quarter of its box, its darkest pixel (a hole: its mean) 64 luminance levels beyond the threshold (a speck in a drawn image, with few pixels near the threshold: 32, and 1 pixel from 64). Hard-edged specks (dust on a 1-bit scan) still go, unless solid rectangles of 3 × 3 pixels or more (the holes of a pixel-aligned icon). Off: every such patch goes, as upstream',
    cliFlag: 'keep_dots',
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
    description: 'Minimum turning angle in degrees for a point to stay a sharp corner (points above 0.4 of it become smooth bends): larger is smoother',
    cliFlag: 'corner_threshold', cliShort: 'c',
  },
  {
    name: 'lengthThreshold', kind: 'number', min: 3.5, max: 10, step: 0.5, default: 4, label: 'Segment length',
    description: 'Scale in pixels over which corners and tangents are measured (half of this value, along the outline): larger makes wider bends into corners',
    cliFlag: 'segment_length', cliShort: 'l',
  },
  {
    name: 'maxIterations', kind: 'integer', min: 1, max: 50, step: 1, default: 10, label: 'Max iterations',
    description: 'Cap on how many times a curve between two corners may be split in two to meet the tolerance',
    cliFlag: 'max_iterations',
  },
  {
    name: 'spliceThreshold', kind: 'number', min: 0, max: 180, step: 1, default: 45, label: 'Splice threshold',
    description: 'Turning in degrees after which a curve is split (a curve turns at most twice this): smaller is more accurate',
    cliFlag: 'splice_threshold', cliShort: 's',
  },
  {
    name: 'pathPrecision', kind: 'integer', min: 0, max: 8, step: 1, default: 2, label: 'Path precision',
    description: 'Decimal places written in path coordinates',
    cliFlag: 'path_precision',
  },
  {
    name: 'maxColors', kind: 'integer', min: 0, max: 256, step: 1, default: 0, label: 'Max colours',
    description: 'Limit the fills to this many colours (median cut in OKLab, weighted by area); 0: no limit',
    cliFlag: 'max_colors',
  },
  {
    name: 'palette', kind: 'palette', default: [], maxLength: 256, label: 'Palette',
    description: 'Snap every fill to the nearest of these colours (#rrggbb list); empty: keep the traced colours',
    cliFlag: 'palette',
  },
  {
    name: 'binaryThreshold', kind: 'integer', min: 0, max: 255, step: 1, default: 128, label: 'Binary threshold',
    description: 'Binary mode: luminance over white below which a pixel is foreground',
    cliFlag: 'binary_threshold',
  },
  {
    name: 'invert', kind: 'boolean', default: false, label: 'Invert',
    description: 'Binary mode: trace the light parts instead of the dark ones',
    cliFlag: 'invert',
  },
  {
    name: 'adaptive', kind: 'boolean', default: false, label: 'Adaptive threshold',
    description: 'Binary mode: compare each pixel with the mean of its neighbourhood, for unevenly lit scans',
    cliFlag: 'adaptive',
  },
  {
    name: 'adaptiveWindow', kind: 'integer', min: 0, max: 4096, step: 1, default: 0, label: 'Adaptive window',
    description: 'Side in pixels of the neighbourhood of the adaptive threshold; 0: an eighth of the shorter side',
    cliFlag: 'adaptive_window',
  },
  {
    name: 'adaptiveOffset', kind: 'number', min: 0, max: 100, step: 1, default: 15, label: 'Adaptive offset',
    description: 'Percent below the neighbourhood mean at which a pixel counts as dark (adaptive threshold)',
    cliFlag: 'adaptive_offset',
  },
  {
    name: 'optimize', kind: 'integer', min: 0, max: 2, step: 1, default: 1, label: 'Optimize SVG',
    description: '0: absolute commands; 1: relative commands where shorter, compact numbers, lines for straight curves; 2: also shorthands and grouping',
    cliFlag: 'optimize',
  },
  {
    name: 'simplify', kind: 'number', min: 0, max: 10, step: 0.1, default: 0.5, label: 'Simplify',
    description: 'Largest distance in pixels between a fitted curve and the traced edge (0: the finest, 0.2 px): larger gives fewer curves',
    cliFlag: 'simplify',
  },
  {
    name: 'scale', kind: 'number', min: 0.01, max: 100, step: 0.01, default: 1, label: 'Scale',
    description: 'Output width and height as a multiple of the image size (the viewBox stays in pixels)',
    cliFlag: 'scale',
  },
  {
    name: 'drawStyle', kind: 'enum', values: ['fill', 'centerline'], default: 'fill', label: 'Draw style',
    description: 'fill: filled shapes; centerline: one stroke along the middle of each line (line art, handwriting, plans)',
    cliFlag: 'draw_style',
  },
  {
    name: 'spurLength', kind: 'number', min: 0, max: 1000, step: 1, default: 0, label: 'Spur length',
    description: 'Centerline: side branches shorter than this many pixels are dropped; 0: three quarters of the line width at the junction plus 2',
    cliFlag: 'spur_length',
  },
  {
    name: 'strokeWidth', kind: 'number', min: 0, max: 1000, step: 0.1, default: 0, label: 'Stroke width',
    description: 'Centerline: width of every stroke in pixels; 0: each stroke measured from the image',
    cliFlag: 'stroke_width',
  },
]);

/** Frozen all the way down (the palette too); validateOptions hands out copies. */
export const DEFAULTS: Readonly<TraceParameters> = deepFreeze(
  Object.fromEntries(OPTION_SPECS.map((s) => [s.name, s.default])) as unknown as TraceParameters,
);

/**
 * The upstream presets. A preset replaces every value of the table; explicit options then override it.
 * Frozen all the way down, like DEFAULTS.
 */
export const PRESETS: Readonly<Record<PresetName, Readonly<TraceParameters>>> = deepFreeze({
  bw: { ...DEFAULTS, colorMode: 'binary' },
  poster: { ...DEFAULTS, colorPrecision: 8 },
  photo: { ...DEFAULTS, filterSpeckle: 10, colorPrecision: 8, layerDifference: 48, cornerThreshold: 180 },
});

/** A resolved parameter set the caller may change freely: its own copy of every array. */
function ownCopy(params: Readonly<TraceParameters>): TraceParameters {
  return { ...params, palette: [...params.palette] };
}

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

const SPEC_BY_NAME = new Map<string, OptionSpec>(OPTION_SPECS.map((s) => [s.name, s]));
const CONTROL_KEYS = new Set(['preset', 'onProgress', 'signal', 'onPath']);

export function getOptionSpec(name: string): OptionSpec | undefined {
  return SPEC_BY_NAME.get(name);
}

/**
 * What checkOption and expectation need of a spec: every OptionSpec is one, and so are the specs of other
 * option tables (the worker pool's), which then share the same checks and messages. `max` may be Infinity.
 */
export type ValueSpec =
  | { readonly name: string; readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly name: string; readonly kind: 'boolean' }
  | { readonly name: string; readonly kind: 'palette'; readonly maxLength: number }
  | { readonly name: string; readonly kind: 'integer' | 'number'; readonly min: number; readonly max: number };

/** Human description of what a spec accepts, used in every error message. */
export function expectation(spec: ValueSpec): string {
  if (spec.kind === 'enum') return `one of ${spec.values.map((v) => `"${v}"`).join(', ')}`;
  if (spec.kind === 'boolean') return 'true or false';
  if (spec.kind === 'palette') return `a list of at most ${spec.maxLength} colours written #rrggbb`;
  const article = spec.kind === 'integer' ? 'an integer' : 'a number';
  return spec.max === Infinity ? `${article} of at least ${spec.min}` : `${article} from ${spec.min} to ${spec.max}`;
}

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** Checks one parameter value against its spec; throws OptionError naming the option. */
export function checkOption(spec: ValueSpec, value: unknown): string | number | boolean | string[] {
  if (spec.kind === 'enum') {
    if (typeof value !== 'string' || !spec.values.includes(value)) throw new OptionError(spec.name, expectation(spec), value);
    return value;
  }
  if (spec.kind === 'boolean') {
    if (typeof value !== 'boolean') throw new OptionError(spec.name, expectation(spec), value);
    return value;
  }
  if (spec.kind === 'palette') {
    if (!Array.isArray(value) || value.length > spec.maxLength) throw new OptionError(spec.name, expectation(spec), value);
    value.forEach((c, i) => {
      if (typeof c !== 'string' || !HEX_COLOR.test(c)) {
        throw new OptionError(spec.name, expectation(spec), value, `${spec.name}[${i}] must be a colour written #rrggbb, got ${describeValue(c)}`);
      }
    });
    return value.map((c: string) => c.toLowerCase());
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
  let base = ownCopy(DEFAULTS);
  const preset = input.preset;
  if (preset !== undefined) {
    // Own keys only: `in` would also accept "toString", "constructor", "__proto__"... (inherited members).
    if (typeof preset !== 'string' || !Object.prototype.hasOwnProperty.call(PRESETS, preset)) {
      throw new OptionError('preset', `one of ${PRESET_NAMES.map((p) => `"${p}"`).join(', ')}`, preset);
    }
    base = ownCopy(PRESETS[preset as PresetName]);
  }
  const resolved = base as unknown as Record<string, unknown>;
  for (const spec of OPTION_SPECS) {
    const value = input[spec.name];
    if (value !== undefined) resolved[spec.name] = checkOption(spec, value);
  }
  if (input.onProgress !== undefined && typeof input.onProgress !== 'function') {
    throw new OptionError('onProgress', 'a function', input.onProgress);
  }
  if (input.onPath !== undefined && typeof input.onPath !== 'function') {
    throw new OptionError('onPath', 'a function', input.onPath);
  }
  const signal = input.signal as { aborted?: unknown } | undefined;
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || typeof signal.aborted !== 'boolean')) {
    throw new OptionError('signal', 'an AbortSignal', input.signal);
  }
  return base;
}
