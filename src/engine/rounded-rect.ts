/**
 * Whole-shape primitive: does a closed outline of sub-pixel samples draw a rounded rectangle (a stadium, a
 * pill, an app icon's squircle-like frame, a button)?
 *
 * A rounded rectangle is four straight sides joined by four quarter circles of one radius. Fitted as a chain
 * of pieces, a small one comes out lumpy: its sides are too short for straight stretches (outline.ts) and the
 * knots of its corners fall where the quantized anti-aliasing puts them (the 96 px dog's eyes, 11 × 16 px
 * stadiums, had dents of 0.2–0.3 px). Fitted whole, it is exact and symmetric, and written as lines and arcs.
 *
 * The fit: the sides' direction from the outline's own edges (their directions' fourth harmonic, which a
 * rectangle's four sides share), the box and radius from the samples' extent and enclosed area, then
 * Gauss–Newton on the signed distance to the rounded box over all six parameters. The outline is the shape
 * when every sample lies within a tolerance of it.
 */
import type { FloatBuffer } from './buffers.js';
import { pushArcCubics } from './circle.js';
import { signedArea2 } from './bezier.js';
import { choleskySolve } from './normal-equations.js';

export interface RoundedRect {
  cx: number;
  cy: number;
  /** Half the side lengths (px): `hw` along the direction `angle` (radians), `hh` across it. */
  hw: number;
  hh: number;
  /** Corner radius (px), at most min(hw, hh). */
  r: number;
  angle: number;
  /** Largest distance (px) of a sample from the shape. */
  maxError: number;
}

/** Fewest samples for a fit to mean anything. */
const MIN_SAMPLES = 16;
/** Gauss–Newton rounds. */
const ROUNDS = 8;

// Scratch for the normal equations (the fit is synchronous and not re-entrant).
const JTJ = new Float64Array(36);
const JTD = new Float64Array(6);
const GRAD = new Float64Array(6);
const STEP = new Float64Array(6);

/**
 * Signed distance (px, positive outside) from (x, y) to the rounded rectangle `p` = [cx, cy, hw, hh, r,
 * angle] (co, si: the cosine and sine of its angle); its gradient with respect to the six parameters into
 * `grad` when given.
 */
function distance(p: Float64Array, co: number, si: number, x: number, y: number, grad: Float64Array | null): number {
  const dx = x - p[0], dy = y - p[1];
  const u = dx * co + dy * si, v = -dx * si + dy * co;
  const su = u < 0 ? -1 : 1, sv = v < 0 ? -1 : 1;
  const r = p[4];
  const qx = su * u - p[2] + r, qy = sv * v - p[3] + r;
  let d: number, gx: number, gy: number;
  if (qx > 0 && qy > 0) {
    const l = Math.sqrt(qx * qx + qy * qy);
    d = l - r;
    gx = qx / l;
    gy = qy / l;
  } else if (qx > qy) {
    d = qx - r; gx = 1; gy = 0;
  } else {
    d = qy - r; gx = 0; gy = 1;
  }
  if (grad) {
    // d depends on u, v through qx = |u| − hw + r, qy = |v| − hh + r.
    const du = gx * su, dv = gy * sv;
    grad[0] = -du * co + dv * si;
    grad[1] = -du * si - dv * co;
    grad[2] = -gx;
    grad[3] = -gy;
    grad[4] = gx + gy - 1;
    grad[5] = du * v - dv * u;
  }
  return d;
}

/** Keeps the parameters meaningful: positive half sides, radius within [0, min(hw, hh)]. */
function clamp(p: Float64Array): void {
  p[2] = Math.max(p[2], 0.25);
  p[3] = Math.max(p[3], 0.25);
  p[4] = Math.min(Math.max(p[4], 0), Math.min(p[2], p[3]));
}

/** Largest |distance| of samples 0..n−1 from shape p, stopping early once above `stop`. */
function worst(pts: Float64Array, n: number, p: Float64Array, stop: number): number {
  const co = Math.cos(p[5]), si = Math.sin(p[5]);
  let w = 0;
  for (let i = 0; i < n && w <= stop; i++) w = Math.max(w, Math.abs(distance(p, co, si, pts[2 * i], pts[2 * i + 1], null)));
  return w;
}

/** Sum of squared distances from shape p of every stride-th sample of 0..n−1. */
function cost(pts: Float64Array, n: number, p: Float64Array, stride: number): number {
  const co = Math.cos(p[5]), si = Math.sin(p[5]);
  let sum = 0;
  for (let i = 0; i < n; i += stride) { const d = distance(p, co, si, pts[2 * i], pts[2 * i + 1], null); sum += d * d; }
  return sum;
}

/** Samples the first guess is read from, at most (every stride-th of a longer outline). */
const GUESS_SAMPLES = 128;
/** Samples the parameters are refined on, at most (every stride-th of a longer outline; all are checked after). */
const REFINE_SAMPLES = 64;

/** Scratch parameters. */
const P = new Float64Array(6);
const TRIAL = new Float64Array(6);

/**
 * The rounded rectangle nearest samples 0..n−1 of the closed outline `pts`, when every sample lies within
 * `limit` px of it; else null. A start farther than `quickLimit` from the samples is given up at once (most
 * outlines are far from any rounded rectangle).
 */
export function fitRoundedRect(pts: Float64Array, n: number, limit: number, quickLimit: number): RoundedRect | null {
  if (n < MIN_SAMPLES) return null;
  // The sides' direction: each edge's direction φ, weighted by its length, in its fourth harmonic (4φ), which
  // all four sides of a rectangle share; the arcs spread over every direction and cancel out.
  // (Weighted by the squared step, which spares a square root: the samples are about evenly spaced.) A long
  // outline is read every `every`-th sample for this first guess; the guess is checked on every sample.
  const every = Math.max(1, Math.floor(n / GUESS_SAMPLES));
  let c4 = 0, s4 = 0;
  for (let i = 0; i < n; i += every) {
    const j = i + 1 < n ? i + 1 : 0;
    const dx = pts[2 * j] - pts[2 * i], dy = pts[2 * j + 1] - pts[2 * i + 1];
    const l2 = dx * dx + dy * dy;
    if (l2 === 0) continue;
    const c2 = dx * dx - dy * dy, s2 = 2 * dx * dy;
    c4 += (c2 * c2 - s2 * s2) / l2;
    s4 += (2 * c2 * s2) / l2;
  }
  let angle = Math.atan2(s4, c4) / 4;
  // The extent along both directions, and the area the outline encloses.
  const co = Math.cos(angle), si = Math.sin(angle);
  let u0 = Infinity, u1 = -Infinity, v0 = Infinity, v1 = -Infinity;
  for (let i = 0; i < n; i += every) {
    const x = pts[2 * i], y = pts[2 * i + 1];
    const u = x * co + y * si, v = -x * si + y * co;
    if (u < u0) u0 = u;
    if (u > u1) u1 = u;
    if (v < v0) v0 = v;
    if (v > v1) v1 = v;
  }
  let hw = (u1 - u0) / 2, hh = (v1 - v0) / 2;
  // Make the first axis the longer one, so that a shape has one description.
  if (hh > hw) { const t = hw; hw = hh; hh = t; angle += Math.PI / 2; }
  const uc = (u0 + u1) / 2, vc = (v0 + v1) / 2;
  const area = Math.abs(signedArea2(pts, 0, n)) / 2;
  // Area of a rounded rectangle: 4·hw·hh − (4 − π)·r².
  const cut = (4 * hw * hh - area) / (4 - Math.PI);
  P[0] = uc * co - vc * si;
  P[1] = uc * si + vc * co;
  P[2] = hw;
  P[3] = hh;
  P[4] = cut > 0 ? Math.sqrt(cut) : 0;
  P[5] = angle;
  clamp(P);
  if (worst(pts, n, P, quickLimit) > quickLimit) return null;
  // Gauss–Newton on the signed distances, damped (Levenberg–Marquardt) so that a flat direction (a stadium's
  // straight part, a square's angle) stays put.
  const stride = Math.max(1, Math.floor(n / REFINE_SAMPLES));
  let current = cost(pts, n, P, stride);
  let lambda = 1e-3;
  for (let round = 0; round < ROUNDS; round++) {
    JTJ.fill(0);
    JTD.fill(0);
    const co = Math.cos(P[5]), si = Math.sin(P[5]);
    for (let i = 0; i < n; i += stride) {
      const d = distance(P, co, si, pts[2 * i], pts[2 * i + 1], GRAD);
      for (let a = 0; a < 6; a++) {
        JTD[a] -= GRAD[a] * d;
        for (let b = a; b < 6; b++) JTJ[a * 6 + b] += GRAD[a] * GRAD[b];
      }
    }
    for (let a = 0; a < 6; a++) for (let b = 0; b < a; b++) JTJ[a * 6 + b] = JTJ[b * 6 + a];
    for (let a = 0; a < 6; a++) JTJ[a * 6 + a] *= 1 + lambda;
    if (!choleskySolve(JTJ, 6, 6, JTD, STEP)) break;
    // Converged: no parameter moves by a thousandth of a pixel (or radian).
    let move = 0;
    for (let a = 0; a < 6; a++) move = Math.max(move, Math.abs(STEP[a]));
    if (move < 1e-3) break;
    for (let a = 0; a < 6; a++) TRIAL[a] = P[a] + STEP[a];
    clamp(TRIAL);
    const trialCost = cost(pts, n, TRIAL, stride);
    if (trialCost < current) {
      P.set(TRIAL);
      const gain = current - trialCost;
      current = trialCost;
      lambda = Math.max(lambda / 4, 1e-6);
      if (gain < 1e-9 * (current + 1e-9)) break;
    } else {
      lambda *= 8;
    }
  }
  const maxError = worst(pts, n, P, limit);
  if (maxError > limit) return null;
  return { cx: P[0], cy: P[1], hw: P[2], hh: P[3], r: P[4], angle: P[5], maxError };
}

/**
 * Appends rounded rectangle `rr` to `out` as a Spline (start point, then 6 numbers per cubic): its sides as
 * cubics with handles at the thirds (the SVG writer draws them as lines), its corners as circular cubics (drawn
 * as arcs), turning clockwise on screen when `sweep` is 1. Sides of no length (a stadium's) are left out.
 */
export function pushRoundedRect(rr: RoundedRect, sweep: number, out: FloatBuffer): void {
  const co = Math.cos(rr.angle), si = Math.sin(rr.angle);
  const a = rr.hw - rr.r, b = rr.hh - rr.r, r = rr.r;
  const at = (u: number, v: number, k: 0 | 1): number => (k === 0 ? rr.cx + u * co - v * si : rr.cy + u * si + v * co);
  // Corner centres and the points where each side meets its corners, clockwise on screen from the end of
  // the first axis: (sign u, sign v) of the corner after each side.
  const corners: Array<[number, number]> = sweep === 1 ? [[1, 1], [-1, 1], [-1, -1], [1, -1]] : [[1, -1], [-1, -1], [-1, 1], [1, 1]];
  const turn = sweep === 1 ? Math.PI / 2 : -Math.PI / 2;
  // Start where the last corner meets the side x = +hw; four sides and corners bring the path back there.
  let px = rr.hw, py = -corners[0][1] * b;
  out.clear();
  out.push2(at(px, py, 0), at(px, py, 1));
  const lineTo = (u: number, v: number): void => {
    if (Math.abs(u - px) + Math.abs(v - py) < 1e-9) return;
    const x0 = at(px, py, 0), y0 = at(px, py, 1), x1 = at(u, v, 0), y1 = at(u, v, 1);
    out.push2(x0 + (x1 - x0) / 3, y0 + (y1 - y0) / 3);
    out.push2(x0 + (2 * (x1 - x0)) / 3, y0 + (2 * (y1 - y0)) / 3);
    out.push2(x1, y1);
    px = u; py = v;
  };
  for (let k = 0; k < 4; k++) {
    const [su, sv] = corners[k];
    // Sides 0 and 2 run along u = ±hw, sides 1 and 3 along v = ±hh, each up to its corner's tangent point;
    // the corner's quarter circle then turns to the next side's.
    const alongV = k % 2 === 0;
    lineTo(alongV ? su * rr.hw : su * a, alongV ? sv * b : sv * rr.hh);
    const eu = alongV ? su * a : su * rr.hw, ev = alongV ? sv * rr.hh : sv * b;
    if (r > 1e-9) {
      pushArcCubics(out, at(su * a, sv * b, 0), at(su * a, sv * b, 1), r, turn, at(eu, ev, 0), at(eu, ev, 1));
      px = eu; py = ev;
    }
  }
}
