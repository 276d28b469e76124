/**
 * Geometry of a sampled outline (x, y pairs, cyclic indices) and of its arc-length table (arc[i]: arc
 * length from sample 0 to sample i; arc[n]: once round): shared by the shape fitter (outline.ts) and its
 * straight-stretch finder (straight.ts).
 */

/** Arc length from sample 0 to sample k, for k unwrapped up to 2n − 1 (past n: once round, then on). */
export function arcAt(arc: Float64Array, n: number, k: number): number {
  return k >= n ? arc[k - n] + arc[n] : arc[k];
}

/** Arc length from sample i to sample j = i + 1 (cyclic). */
export function cyclicStep(arc: Float64Array, i: number, j: number, n: number): number {
  return j === 0 ? arc[n] - arc[n - 1] : arc[j] - arc[i];
}

/**
 * Least-squares line through samples first..first+count−1 (cyclic indices, walking forwards), into `dir`
 * (5 numbers): its unit direction (oriented from the first sample to the last), the samples' mean squared
 * distance from it, and the point it passes through, their centroid (x, y). False when fewer than 2 samples.
 */
export function fitDirection(poly: Float64Array, n: number, first: number, count: number, dir: Float64Array): boolean {
  if (count < 2) return false;
  let mx = 0, my = 0;
  const start = first % n;
  // (Sample indices step on with a wrap, not a division per sample: these loops are the fitter's hottest.)
  for (let k = 0, j = start; k < count; k++, j = j + 1 === n ? 0 : j + 1) {
    mx += poly[2 * j];
    my += poly[2 * j + 1];
  }
  mx /= count;
  my /= count;
  let sxx = 0, sxy = 0, syy = 0;
  for (let k = 0, j = start; k < count; k++, j = j + 1 === n ? 0 : j + 1) {
    const dx = poly[2 * j] - mx, dy = poly[2 * j + 1] - my;
    sxx += dx * dx; sxy += dx * dy; syy += dy * dy;
  }
  // Principal axis of the scatter.
  const theta = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  let dx = Math.cos(theta), dy = Math.sin(theta);
  const last = (first + count - 1) % n;
  if (dx * (poly[2 * last] - poly[2 * first]) + dy * (poly[2 * last + 1] - poly[2 * first + 1]) < 0) {
    dx = -dx; dy = -dy;
  }
  dir[0] = dx;
  dir[1] = dy;
  // Mean squared distance of the samples from the line: the smaller eigenvalue of the scatter, per sample.
  const half = (sxx + syy) / 2;
  dir[2] = Math.max(0, half - Math.sqrt(((sxx - syy) / 2) ** 2 + sxy * sxy)) / count;
  dir[3] = mx;
  dir[4] = my;
  return true;
}

/**
 * Where line a meets line b (each in fitDirection's layout: unit direction at [0], [1], a point on it at [3],
 * [4]): into out[o], out[o + 1]. False, out untouched, when the sine of the angle between them is not above
 * `minSine` (nearly parallel lines meet far off, if at all).
 */
export function linesMeet(a: Float64Array, b: Float64Array, minSine: number, out: Float64Array, o: number): boolean {
  const den = a[0] * b[1] - a[1] * b[0];
  if (!(Math.abs(den) > minSine)) return false;
  const t = ((b[3] - a[3]) * b[1] - (b[4] - a[4]) * b[0]) / den;
  out[o] = a[3] + t * a[0];
  out[o + 1] = a[4] + t * a[1];
  return true;
}

/** Arc length (px) walking forwards from sample `from` to sample `to` (cyclic). */
export function arcDistance(arc: Float64Array, n: number, from: number, to: number): number {
  const d = arc[to] - arc[from];
  return d < 0 ? d + arc[n] : d;
}

/** Sample index k, unwrapped round a closed outline of n samples (any integer), as an index 0..n−1. */
export function wrap(k: number, n: number): number {
  return ((k % n) + n) % n;
}

/** walkArc's arc length walked (px). */
export const WALKED = new Float64Array(1);

/**
 * Walks a closed outline from unwrapped sample index `from` in steps of `step` (±1) until `length` px of arc
 * are walked or the next step would land on unwrapped index `bound`. Returns the index reached (unwrapped);
 * the arc walked is in WALKED[0].
 */
export function walkArc(arc: Float64Array, n: number, from: number, step: number, length: number, bound: number): number {
  let k = from, walked = 0;
  while (walked < length && k + step !== bound) {
    const a = wrap(k, n), b = wrap(k + step, n);
    walked += step > 0 ? arcDistance(arc, n, a, b) : arcDistance(arc, n, b, a);
    k += step;
  }
  WALKED[0] = walked;
  return k;
}

/**
 * True when one of samples a..b (unwrapped indices round a closed outline of n samples) lies on the frame of
 * a width × height image, or within `margin` px of it; never when the size is not known (0).
 */
export function touchesFrame(poly: Float64Array, n: number, a: number, b: number, width: number, height: number, margin = 0): boolean {
  if (width === 0) return false;
  for (let k = a, i = wrap(a, n); k <= b; k++, i = i + 1 === n ? 0 : i + 1) {
    if (onFrame(poly[2 * i], poly[2 * i + 1], width, height, margin)) return true;
  }
  return false;
}

/** Whether point (x, y) lies on the frame of a width × height image, or within `margin` px of it (or beyond). */
export function onFrame(x: number, y: number, width: number, height: number, margin = 0): boolean {
  return x <= margin || y <= margin || x >= width - margin || y >= height - margin;
}

/** Whether point (x, y) is a corner of a width × height image. */
export function onImageCorner(x: number, y: number, width: number, height: number): boolean {
  return (x === 0 || x === width) && (y === 0 || y === height);
}

/**
 * Whether a closed outline's n samples on the frame of a width × height image come in runs of two at most: a
 * round end touching the frame (a stadium's cap on its frame pixel's two edges), not a shape the frame cuts.
 * False when all of them are on it.
 */
export function onlyTouchesFrame(poly: Float64Array, n: number, width: number, height: number): boolean {
  let start = 0;
  while (start < n && onFrame(poly[2 * start], poly[2 * start + 1], width, height)) start++;
  if (start === n) return false;
  let run = 0;
  for (let k = 1; k <= n; k++) {
    const i = (start + k) % n;
    if (!onFrame(poly[2 * i], poly[2 * i + 1], width, height)) run = 0;
    else if (++run > 2) return false;
  }
  return true;
}

/**
 * Line fitted (fitDirection) to the samples between `from` and `to` px of arc from unwrapped sample i, walking
 * by `step` (−1 behind, +1 ahead), not onto unwrapped index `bound`: into out, oriented along the outline.
 * False when `from` px cannot be walked or the stretch spans fewer than `minSteps` steps between samples.
 */
export function lineAlong(
  poly: Float64Array, n: number, arc: Float64Array, i: number, step: number, from: number, to: number, bound: number,
  out: Float64Array, minSteps: number,
): boolean {
  const first = walkArc(arc, n, i, step, from, bound);
  if (WALKED[0] < from) return false;
  const last = walkArc(arc, n, i, step, to, bound);
  if (Math.abs(last - first) < minSteps) return false;
  const lo = Math.min(first, last);
  return fitDirection(poly, n, wrap(lo, n), Math.abs(last - first) + 1, out);
}

/**
 * Fits a circle (algebraic least squares, Kåsa) to samples a..b of `poly` (unwrapped indices, taken modulo
 * n) into out: centre x, y, radius, rms and largest distance of the samples from it; false when they are
 * degenerate (collinear).
 */
export function fitCircle(poly: Float64Array, n: number, a: number, b: number, out: Float64Array): boolean {
  const m = b - a + 1;
  let mx = 0, my = 0;
  const start = wrap(a, n);
  for (let k = a, i = start; k <= b; k++, i = i + 1 === n ? 0 : i + 1) { mx += poly[2 * i]; my += poly[2 * i + 1]; }
  mx /= m; my /= m;
  // Normal equations of x² + y² + D·x + E·y + F = 0 in centred coordinates.
  let sxx = 0, sxy = 0, syy = 0, sxz = 0, syz = 0, sz = 0;
  for (let k = a, i = start; k <= b; k++, i = i + 1 === n ? 0 : i + 1) {
    const x = poly[2 * i] - mx, y = poly[2 * i + 1] - my, z = x * x + y * y;
    sxx += x * x; sxy += x * y; syy += y * y; sxz += x * z; syz += y * z; sz += z;
  }
  // With centred data, Σx = Σy = 0: F = −Σz / m, and D, E from the 2×2 system.
  const det = sxx * syy - sxy * sxy;
  if (Math.abs(det) < 1e-12) return false;
  const D = (-sxz * syy + syz * sxy) / det, E = (-syz * sxx + sxz * sxy) / det;
  const F = -sz / m;
  const cx = -D / 2, cy = -E / 2;
  const r2 = cx * cx + cy * cy - F;
  if (!(r2 > 0)) return false;
  const r = Math.sqrt(r2);
  let sum = 0, worst = 0;
  for (let k = a, i = start; k <= b; k++, i = i + 1 === n ? 0 : i + 1) {
    const dx = poly[2 * i] - mx - cx, dy = poly[2 * i + 1] - my - cy;
    const d = Math.abs(Math.sqrt(dx * dx + dy * dy) - r);
    sum += d * d;
    if (d > worst) worst = d;
  }
  out[0] = cx + mx; out[1] = cy + my; out[2] = r;
  out[3] = Math.sqrt(sum / m); out[4] = worst;
  return true;
}
