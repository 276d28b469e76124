/**
 * Which parameters matter for the current values, as upstream's web app shows them: the binary threshold
 * only in binary mode, the colour grouping only in colour mode, the smoothing only for splines. A control
 * that does not matter is disabled with the reason shown next to it.
 */
import type { OptionValues } from './controls.js';

/** Parameters shown first; the others sit under "More". */
export const MAIN_OPTIONS: ReadonlySet<string> = new Set([
  'colorMode', 'mode', 'filterSpeckle', 'colorPrecision', 'layerDifference', 'maxColors',
  'binaryThreshold', 'adaptive', 'cornerThreshold', 'drawStyle',
]);

const COLOUR_ONLY = new Set(['colorPrecision', 'layerDifference', 'hierarchical', 'maxColors', 'palette', 'pixelArt']);
const BINARY_ONLY = new Set(['binaryThreshold', 'invert', 'adaptive', 'adaptiveWindow', 'adaptiveOffset']);
const SPLINE_ONLY = new Set(['cornerThreshold', 'lengthThreshold', 'maxIterations', 'spliceThreshold', 'simplify']);
const ADAPTIVE_ONLY = new Set(['adaptiveWindow', 'adaptiveOffset']);
const CENTERLINE_ONLY = new Set(['spurLength', 'strokeWidth']);

/** Why `name` has no effect with these values, or undefined when it has one. */
export function irrelevantBecause(name: string, values: OptionValues): string | undefined {
  const binary = values.colorMode === 'binary';
  if (binary && COLOUR_ONLY.has(name)) return 'Not used in binary mode (colour mode only).';
  if (CENTERLINE_ONLY.has(name) && values.drawStyle !== 'centerline') return 'Only with Draw style centerline.';
  if (name === 'hierarchical' && values.drawStyle === 'centerline') return 'Not used by centerline strokes (they are not layered).';
  if (name === 'pixelArt' && values.drawStyle === 'centerline') return 'Not used by centerline strokes (filled shapes only).';
  if (name === 'trap' && (binary || values.hierarchical !== 'cutout' || values.drawStyle === 'centerline')) return 'Only with Layering cutout (colour mode).';
  if (!binary && BINARY_ONLY.has(name)) return 'Not used in colour mode (binary mode only).';
  if (SPLINE_ONLY.has(name) && values.mode !== 'spline') return `Not used in ${String(values.mode)} mode (spline mode only).`;
  if (binary && ADAPTIVE_ONLY.has(name) && values.adaptive !== true) return 'Only with Adaptive threshold on.';
  if (binary && name === 'keepDots' && values.adaptive === true) return 'Not used with Adaptive threshold (its dots are measured against the fixed threshold).';
  if (binary && name === 'binaryThreshold' && values.adaptive === true) return 'Not used with Adaptive threshold (it compares with the neighbourhood instead).';
  return undefined;
}
