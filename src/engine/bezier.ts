/**
 * Least-squares fitting of cubic Bézier curves to a run of points (after Schneider, "An algorithm for
 * automatically fitting digitized curves", Graphics Gems 1990): end points fixed, end tangents taken from
 * the data, handle lengths solved in the least-squares sense over a chord-length parameterisation,
 * refined by Newton steps on the parameters; runs that stay too far from one cubic are split at the worst
 * point and fitted in two (tangent-continuous) pieces.
 */
import { FloatBuffer, IntBuffer } from './buffers.js';

/**
 * Fits points from..to with cubics whose end tangents are given (unit vectors: t1 leaving the first point,
 * t2 pointing from the last point back into the run), splitting at most `maxDepth` times deep; the
 * parameters are always refined (REFINE_ALWAYS), as the shape fitter's samples are accurate enough to show it.
 * `ends`, when given, receives the index of each appended cubic's last point. With `splitPointed`, a cubic
 * within the tolerance is split anyway when its handles (nearly) cross (handlesCross): off for grain, whose
 * wiggles give many such cubics that smoothing already took the meaning out of (photos: 2–4 % more bytes).
 */
export function fitCubicsBetween(
  pts: Float64Array, from: number, to: number, t1x: number, t1y: number, t2x: number, t2y: number,
  tolerance: number, maxDepth: number, out: FloatBuffer, scratch: Float64Array, control: Float64Array,
  refine = REFINE_ALWAYS, jittery = false, ends: IntBuffer | null = null, splitPointed = true,
): void {
  fitRecursive(pts, from, to, t1x, t1y, t2x, t2y, tolerance, out, scratch, control, MAX_DEPTH - Math.min(maxDepth, MAX_DEPTH), refine, jittery, ends, splitPointed);
}

function pushLine(pts: Float64Array, from: number, to: number, out: FloatBuffer): void {
  const ax = pts[2 * from], ay = pts[2 * from + 1];
  const bx = pts[2 * to], by = pts[2 * to + 1];
  out.push2(ax + (bx - ax) / 3, ay + (by - ay) / 3);
  out.push2(ax + (2 * (bx - ax)) / 3, ay + (2 * (by - ay)) / 3);
  out.push2(bx, by);
}

/**
 * Signed turning angle from direction (ax, ay) to (bx, by), in [−π, π]; positive is clockwise on screen.
 * The fitter takes several per sample, so it is computed inline (atan2 within 3·10⁻⁷ rad) rather than by
 * Math.atan2, a call out of the optimised code.
 */
export function turnAngle(ax: number, ay: number, bx: number, by: number): number {
  return atan2(ax * by - ay * bx, ax * bx + ay * by);
}

/** Odd polynomial for atan on [0, 1] (least-squares fit towards minimax: error below 2.6·10⁻⁷ rad). */
const A1 = 0.9999960041099583, A3 = -0.33317168922120177, A5 = 0.19806618387469685, A7 = -0.13230056478323665;
const A9 = 0.07957812110476976, A11 = -0.03357310774116506, A13 = 0.006803463927158907;

/** atan2(y, x) within 2.6·10⁻⁷ rad; atan2(0, 0) is 0, and a half turn is +π whatever the sign of a zero y. */
export function atan2(y: number, x: number): number {
  const ax = x < 0 ? -x : x, ay = y < 0 ? -y : y;
  if (ax === 0 && ay === 0) return 0;
  const steep = ay > ax;
  const t = steep ? ax / ay : ay / ax;
  const t2 = t * t;
  let r = t * (A1 + t2 * (A3 + t2 * (A5 + t2 * (A7 + t2 * (A9 + t2 * (A11 + t2 * A13))))));
  if (steep) r = Math.PI / 2 - r;
  if (x < 0) r = Math.PI - r;
  return y < 0 ? -r : r;
}

/**
 * Twice the signed area of the closed polygon of points from..to−1 (x, y pairs; shoelace, y down):
 * positive when it turns clockwise on screen.
 */
export function signedArea2(pts: ArrayLike<number>, from: number, to: number): number {
  let a2 = 0;
  for (let i = from, j = to - 1; i < to; j = i++) a2 += pts[2 * j] * pts[2 * i + 1] - pts[2 * i] * pts[2 * j + 1];
  return a2;
}

/** The bounding box of points from..to−1 (x, y pairs) into `out`: left, top, right, bottom. */
export function boundsOf(pts: ArrayLike<number>, from: number, to: number, out: Float64Array): void {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = from; i < to; i++) {
    const x = pts[2 * i], y = pts[2 * i + 1];
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  out[0] = x0; out[1] = y0; out[2] = x1; out[3] = y1;
}

/**
 * Euclidean length. Math.hypot guards against overflow and is an order of magnitude slower; pixel
 * coordinates cannot overflow.
 */
export function length(dx: number, dy: number): number {
  return Math.sqrt(dx * dx + dy * dy);
}

const MAX_DEPTH = 12;
/**
 * Newton rounds on the parameters even when the first fit is within tolerance: a chord-length
 * parameterisation biases the handles, which shows when samples are accurate to a fraction of a pixel.
 */
export const REFINE_ALWAYS = 3;

function fitRecursive(
  pts: Float64Array, from: number, to: number,
  t1x: number, t1y: number, t2x: number, t2y: number,
  tolerance: number, out: FloatBuffer, scratch: Float64Array, c: Float64Array, depth: number, refine: number,
  jittery: boolean, ends: IntBuffer | null, splitPointed: boolean,
): void {
  const n = to - from + 1;
  if (n <= 2) {
    pushLine(pts, from, to, out);
    ends?.push(to);
    return;
  }
  const u = scratch.length >= n ? scratch : new Float64Array(n);
  // Chord-length parameterisation.
  u[0] = 0;
  for (let i = 1; i < n; i++) {
    const j = from + i;
    u[i] = u[i - 1] + length(pts[2 * j] - pts[2 * j - 2], pts[2 * j + 1] - pts[2 * j - 1]);
  }
  const total = u[n - 1];
  if (total <= 0) {
    pushLine(pts, from, to, out);
    ends?.push(to);
    return;
  }
  for (let i = 1; i < n; i++) u[i] /= total;
  // `c` is this call's until the cubic is appended or the split point chosen: the recursive calls reuse it.
  solveHandles(pts, from, n, u, t1x, t1y, t2x, t2y, c);
  let worst = worstPoint(pts, from, n, u, c);
  let error = distanceAt(pts, from, u, c, worst);
  // Refine always when the fit is close (it will likely be kept); a hopeless fit is split without it.
  for (let iter = 0; iter < Math.max(4, refine) && ((iter < refine && error < tolerance * 4) || (error > tolerance && error < tolerance * 16)); iter++) {
    reparameterize(pts, from, n, u, c);
    solveHandles(pts, from, n, u, t1x, t1y, t2x, t2y, c);
    worst = worstPoint(pts, from, n, u, c);
    error = distanceAt(pts, from, u, c, worst);
  }
  let close = error <= tolerance || (jittery && error <= tolerance + JITTER_EXTRA && smoothedError(pts, from, n, u, c) <= tolerance);
  // A cubic that leaves its samples' band between them is no fit, whatever its error at the samples.
  const escapes = escapesSamples(pts, from, n, c, tolerance);
  if (escapes) close = false;
  if (escapes && (depth >= MAX_DEPTH || n < 4)) {
    // Too few samples to split, and the cubic loops or bulges away between them: draw the samples as lines.
    for (let j = from + 1; j <= to; j++) { pushLine(pts, j - 1, j, out); ends?.push(j); }
    return;
  }
  // A cubic whose handles (nearly) cross along its chord draws a pointed bump where the samples round one
  // (the 192 px apple's bottom dip, whose ends meet the frame almost tangentially): split it anyway.
  if ((close && !(splitPointed && n >= MIN_CROSSING_SPLIT && handlesCross(pts[2 * from], pts[2 * from + 1], c, CROSSING_SLACK))) || depth >= MAX_DEPTH || n < 4) {
    out.push2(c[0], c[1]);
    out.push2(c[2], c[3]);
    out.push2(c[4], c[5]);
    ends?.push(to);
    return;
  }
  // Split at the worst point with a shared tangent so the joint stays smooth.
  const split = Math.min(Math.max(worst, 1), n - 2) + from;
  let mx = pts[2 * split - 2] - pts[2 * split + 2];
  let my = pts[2 * split - 1] - pts[2 * split + 3];
  const ml = length(mx, my) || 1;
  mx /= ml; my /= ml;
  fitRecursive(pts, from, split, t1x, t1y, mx, my, tolerance, out, scratch, c, depth + 1, refine, jittery, ends, splitPointed);
  fitRecursive(pts, split, to, -mx, -my, t2x, t2y, tolerance, out, scratch, c, depth + 1, refine, jittery, ends, splitPointed);
}

/** Parameters at which escapesSamples reads a cubic. */
const ESCAPE_STEPS = 8;

/**
 * Whether cubic c, from point `from` over n points, leaves the band its points span by more than `tolerance`:
 * across the chord (beyond the farthest point on either side) or along it (before the first or past the
 * last). The error is measured at the points only; with few of them, handles along two bad tangents made a
 * loop between two points that passed near both (a 16 px serif "w" in colour drew spikes 2 px long).
 */
export function escapesSamples(pts: Float64Array, from: number, n: number, c: Float64Array, tolerance: number): boolean {
  const p0x = pts[2 * from], p0y = pts[2 * from + 1];
  const dx = c[4] - p0x, dy = c[5] - p0y;
  const len = Math.sqrt(dx * dx + dy * dy);
  if (len <= 0) return false;
  const ux = dx / len, uy = dy / len;
  // Control points relative to the start, in the chord's frame.
  const a1 = (c[0] - p0x) * ux + (c[1] - p0y) * uy, b1 = (c[1] - p0y) * ux - (c[0] - p0x) * uy;
  const a2 = (c[2] - p0x) * ux + (c[3] - p0y) * uy, b2 = (c[3] - p0y) * ux - (c[2] - p0x) * uy;
  // The cubic lies in its control points' hull, and the band holds the chord: handles within the tolerance
  // of the chord cannot leave it.
  if (Math.abs(b1) <= tolerance && Math.abs(b2) <= tolerance && Math.min(a1, a2) >= -tolerance && Math.max(a1, a2) <= len + tolerance) return false;
  let acrossLo = 0, acrossHi = 0, alongLo = 0, alongHi = len;
  for (let i = 1; i < n - 1; i++) {
    const rx = pts[2 * (from + i)] - p0x, ry = pts[2 * (from + i) + 1] - p0y;
    const a = rx * ux + ry * uy, b = ry * ux - rx * uy;
    if (a < alongLo) alongLo = a; else if (a > alongHi) alongHi = a;
    if (b < acrossLo) acrossLo = b; else if (b > acrossHi) acrossHi = b;
  }
  for (let k = 1; k < ESCAPE_STEPS; k++) {
    const t = k / ESCAPE_STEPS, s = 1 - t;
    const w1 = 3 * t * s * s, w2 = 3 * t * t * s, w3 = t * t * t;
    const a = w1 * a1 + w2 * a2 + w3 * len, b = w1 * b1 + w2 * b2;
    if (b > acrossHi + tolerance || b < acrossLo - tolerance || a > alongHi + tolerance || a < alongLo - tolerance) return true;
  }
  return false;
}

/** How near (a fraction of the chord) a cubic's handles may come to crossing along it (handlesCross). */
export const CROSSING_SLACK = 0.1;
/** Fewest samples of a run that a crossing split leaves worth splitting (three or more on each side). */
const MIN_CROSSING_SPLIT = 6;

/**
 * How far a cubic's first handle (c[0], c[1]) reaches past its second (c[2], c[3]) along the chord, as a
 * fraction of the chord (negative: the handles stay apart). Start (p0x, p0y), end (c[4], c[5]); −∞ for a
 * cubic of no chord.
 */
export function handleOverlap(p0x: number, p0y: number, c: Float64Array): number {
  const dx = c[4] - p0x, dy = c[5] - p0y;
  const l2 = dx * dx + dy * dy;
  if (l2 <= 0) return -Infinity;
  return ((c[0] - c[2]) * dx + (c[1] - c[3]) * dy) / l2;
}

/**
 * True when a cubic's handles come within `slack` × its chord of crossing along the chord (handleOverlap
 * above −slack). Such a cubic turns sharply between its handles, a pointed bump where the samples rounded one.
 */
export function handlesCross(p0x: number, p0y: number, c: Float64Array, slack: number): boolean {
  return handleOverlap(p0x, p0y, c) > -slack;
}

/** Least-squares handle lengths along fixed tangents; falls back to a third of the chord. */
export function solveHandles(
  pts: Float64Array, from: number, n: number, u: Float64Array,
  t1x: number, t1y: number, t2x: number, t2y: number, c: Float64Array,
): void {
  const p0x = pts[2 * from], p0y = pts[2 * from + 1];
  const p3x = pts[2 * (from + n - 1)], p3y = pts[2 * (from + n - 1) + 1];
  let c00 = 0, c01 = 0, c11 = 0, x0 = 0, x1 = 0;
  for (let i = 0; i < n; i++) {
    const t = u[i], s = 1 - t;
    const b0 = s * s * s, b1 = 3 * t * s * s, b2 = 3 * t * t * s, b3 = t * t * t;
    const a1x = t1x * b1, a1y = t1y * b1;
    const a2x = t2x * b2, a2y = t2y * b2;
    c00 += a1x * a1x + a1y * a1y;
    c01 += a1x * a2x + a1y * a2y;
    c11 += a2x * a2x + a2y * a2y;
    const j = from + i;
    const rx = pts[2 * j] - (p0x * (b0 + b1) + p3x * (b2 + b3));
    const ry = pts[2 * j + 1] - (p0y * (b0 + b1) + p3y * (b2 + b3));
    x0 += a1x * rx + a1y * ry;
    x1 += a2x * rx + a2y * ry;
  }
  const det = c00 * c11 - c01 * c01;
  const chord = length(p3x - p0x, p3y - p0y);
  let alpha1 = 0, alpha2 = 0;
  if (Math.abs(det) > 1e-12) {
    alpha1 = (x0 * c11 - x1 * c01) / det;
    alpha2 = (c00 * x1 - c01 * x0) / det;
  }
  const eps = 1e-6 * chord;
  if (!(alpha1 > eps && alpha2 > eps) || alpha1 > chord * 2 || alpha2 > chord * 2) {
    alpha1 = alpha2 = chord / 3;
  }
  c[0] = p0x + t1x * alpha1; c[1] = p0y + t1y * alpha1;
  c[2] = p3x + t2x * alpha2; c[3] = p3y + t2y * alpha2;
  c[4] = p3x; c[5] = p3y;
}

/** Index (0 … n − 1) of the point farthest from the curve at its parameter (the middle one when all are on it). */
function worstPoint(pts: Float64Array, from: number, n: number, u: Float64Array, c: Float64Array): number {
  const p0x = pts[2 * from], p0y = pts[2 * from + 1];
  let error = 0, index = (n / 2) | 0;
  for (let i = 1; i < n - 1; i++) {
    const t = u[i], s = 1 - t;
    const b0 = s * s * s, b1 = 3 * t * s * s, b2 = 3 * t * t * s, b3 = t * t * t;
    const x = b0 * p0x + b1 * c[0] + b2 * c[2] + b3 * c[4];
    const y = b0 * p0y + b1 * c[1] + b2 * c[3] + b3 * c[5];
    const j = from + i;
    const dx = x - pts[2 * j], dy = y - pts[2 * j + 1];
    const d2 = dx * dx + dy * dy;
    if (d2 > error) {
      error = d2;
      index = i;
    }
  }
  return index;
}

/**
 * A jittery outline's cubic is kept while no sample is farther than the tolerance plus this (px: the jumps
 * of uneven anti-aliasing reach 0.8 px) and no three consecutive samples are farther than the tolerance on
 * average (smoothedError).
 */
const JITTER_EXTRA = 0.5;

/**
 * The largest distance from the curve of three consecutive samples' mean distance: a lone sample off
 * between neighbours that are not (where a step of an image's uneven anti-aliasing crosses two pixels) does
 * not split the curve, while a feature, several samples off together, still does.
 */
function smoothedError(pts: Float64Array, from: number, n: number, u: Float64Array, c: Float64Array): number {
  let worst = 0;
  let prev = 0, cur = distanceAt(pts, from, u, c, 1);
  for (let i = 1; i < n - 1; i++) {
    const next = i + 1 < n - 1 ? distanceAt(pts, from, u, c, i + 1) : 0;
    const mean = (prev + cur + next) / 3;
    if (mean > worst) worst = mean;
    prev = cur;
    cur = next;
  }
  return worst;
}

/** Distance from point i (of the run starting at `from`) to the curve at its parameter. */
function distanceAt(pts: Float64Array, from: number, u: Float64Array, c: Float64Array, i: number): number {
  const t = u[i], s = 1 - t;
  const b0 = s * s * s, b1 = 3 * t * s * s, b2 = 3 * t * t * s, b3 = t * t * t;
  const x = b0 * pts[2 * from] + b1 * c[0] + b2 * c[2] + b3 * c[4];
  const y = b0 * pts[2 * from + 1] + b1 * c[1] + b2 * c[3] + b3 * c[5];
  const j = from + i;
  return length(x - pts[2 * j], y - pts[2 * j + 1]);
}

/** One Newton-Raphson step per point on the parameter, towards the closest point of the curve. */
export function reparameterize(pts: Float64Array, from: number, n: number, u: Float64Array, c: Float64Array): void {
  const p0x = pts[2 * from], p0y = pts[2 * from + 1];
  // The control points and their differences read once: u's writes could alias c, so the loop would reload them.
  const c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3], c4 = c[4], c5 = c[5];
  const e0x = c0 - p0x, e0y = c1 - p0y, e1x = c2 - c0, e1y = c3 - c1, e2x = c4 - c2, e2y = c5 - c3;
  const f0x = c2 - 2 * c0 + p0x, f0y = c3 - 2 * c1 + p0y, f1x = c4 - 2 * c2 + c0, f1y = c5 - 2 * c3 + c1;
  for (let i = 1; i < n - 1; i++) {
    const t = u[i], s = 1 - t;
    const j = from + i;
    const qx = s * s * s * p0x + 3 * t * s * s * c0 + 3 * t * t * s * c2 + t * t * t * c4;
    const qy = s * s * s * p0y + 3 * t * s * s * c1 + 3 * t * t * s * c3 + t * t * t * c5;
    // First and second derivatives.
    const d1x = 3 * (s * s * e0x + 2 * s * t * e1x + t * t * e2x);
    const d1y = 3 * (s * s * e0y + 2 * s * t * e1y + t * t * e2y);
    const d2x = 6 * (s * f0x + t * f1x);
    const d2y = 6 * (s * f0y + t * f1y);
    const ex = qx - pts[2 * j], ey = qy - pts[2 * j + 1];
    const num = ex * d1x + ey * d1y;
    const den = d1x * d1x + d1y * d1y + ex * d2x + ey * d2y;
    if (den !== 0) {
      const nt = t - num / den;
      if (nt > 0 && nt < 1) u[i] = nt;
    }
  }
}
