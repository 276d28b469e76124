/**
 * Straight stretches of a sampled outline between round bends: the sides of a rounded rectangle, the flanks
 * of a pill or of a bar with round caps. The shape fitter (outline.ts) cuts its runs at their ends, so that a
 * side is one line and the bends leave it tangentially; fitted across, a side and part of a corner would share
 * one cubic, which bulges.
 *
 * A stretch is a run of samples that:
 * - is at least STRAIGHT_MIN_PX and STRAIGHT_MIN_SCALES corner scales long;
 * - stays within `limit` px of one line (the fitter passes 1.5 × its samples' noise; grown by growStraight);
 * - is not a gentle arc: the sagitta of a parabola fitted across it is within SAGITTA_SIGMAS × the samples'
 *   scatter about that parabola over √count (about two standard errors), or SAGITTA_FLOOR px.
 * Its ends get a knot where the outline beyond bends away (its curvature, measured from the stretch's
 * tangent, is at least STRAIGHT_CONTRAST × the stretch’s own, MIN_SIDE_CURVATURE, and STRAIGHT_RADII over
 * the stretch's length: a side between round corners is as long as their radius or longer, while a curve
 * that only flattens out for a while, like an apple's shoulder, is not cut into a line and arcs; a stretch
 * that runs into a notch, a concave corner, within ANCHOR_REACH px is a side ending in a corner, and its other
 * end needs no more than the contrast and MIN_SIDE_CURVATURE), and not within STRAIGHT_KNOT_GAP corner scales
 * of a knot already there (or the gap the caller gives for that knot).
 */
import type { FloatBuffer } from './buffers.js';
import { arcAt, cyclicStep, fitDirection } from './sampled.js';

const STRAIGHT_MIN_PX = 8;
const STRAIGHT_MIN_SCALES = 3;
const SAGITTA_SIGMAS = 7;
const SAGITTA_FLOOR = 0.01;
const STRAIGHT_CONTRAST = 4;
/** 1/px: a radius of about 60 px. */
const MIN_SIDE_CURVATURE = 0.016;
const STRAIGHT_RADII = 1.5;
export const STRAIGHT_KNOT_GAP = 2;
/**
 * A stretch ending within this many px of a notch (findStretchKnots' `notches`) is anchored there. A U-turn
 * arrow's arch (radius 15 px at 48 px) came down into a 7 px straight side ending in the head's notch: the side
 * is shorter than the radius, so no knot where the arch meets it, and one cubic bulged over both (0.3 px).
 */
const ANCHOR_REACH = 2.5;
/** How far past its first sample (px of arc) a stretch may start instead, when it then runs on further. */
const LATE_START = 2;
/** Share of a stretch's samples at each end left out of its line fit and curvature test. */
const STRAIGHT_END_SHARE = 0.15;

/**
 * The stretches of the runs between knots (sample indices knots[0..nc−1], in order; the whole loop when
 * there are none; an open chain's runs do not wrap): for each stretch end where a knot belongs, 5 numbers
 * appended to `out`: its sample index, its point (x, y) on the stretch's line and the line's direction
 * (x, y) along the outline. `turn` is the fitter's turn per sample (the loop without knots is scanned from
 * the sample that turns most, least likely on a stretch); `tip` px of arc next to a knot are left alone;
 * samples within `limit` px of a line are on it; `gaps[k]`, when given, replaces STRAIGHT_KNOT_GAP corner
 * scales beside knot k; `notches[k]`, when given, is 1 where knot k is a notch (see ANCHOR_REACH).
 */
export function findStretchKnots(
  poly: Float64Array, n: number, arc: Float64Array, closed: boolean, turn: Float64Array,
  knots: Int32Array, nc: number, scale: number, noise: number, tip: number, limit: number, out: FloatBuffer,
  gaps: Float64Array | null = null, notches: Uint8Array | null = null,
): void {
  out.clear();
  const total = closed ? arc[n] : arc[n - 1];
  const minLength = Math.max(STRAIGHT_MIN_PX, STRAIGHT_MIN_SCALES * scale);
  if (total < minLength + 2 * tip) return;
  const gap = STRAIGHT_KNOT_GAP * scale;
  // The runs: from each knot to the next (closed: the last back to the first); without knots, once round
  // from the sample that turns most (least likely to lie on a stretch).
  const runs = nc === 0 ? (closed ? 1 : 0) : closed ? nc : nc - 1;
  for (let r = 0; r < runs; r++) {
    let a: number, b: number;
    if (nc === 0) {
      a = 0;
      for (let i = 1; i < n; i++) if (Math.abs(turn[i]) > Math.abs(turn[a])) a = i;
      b = a + n;
    } else {
      a = knots[r];
      b = knots[(r + 1) % nc] + (r + 1 === nc ? n : 0);
    }
    const arcA = arcAt(arc, n, a), arcB = arcAt(arc, n, b);
    if (arcB - arcA < minLength + 2 * tip) continue;
    let i = a + 1;
    while (i < b && arcAt(arc, n, i) - arcA < tip) i++;
    // Each start's stretch is asked for again by the starts before it (LATE_START): grown once.
    if (GROWN.length < b - a + 1) GROWN = new Int32Array(2 * (b - a + 1));
    GROWN.fill(-1, 0, b - a + 1);
    const grown = (k: number): number => {
      const o = k - a;
      if (GROWN[o] < 0) GROWN[o] = growStraight(poly, n, k, b, limit, arc, arcB - tip);
      return GROWN[o];
    };
    while (i < b && arcB - arcAt(arc, n, i) >= minLength + tip) {
      let j = grown(i);
      // A stretch started on the last samples of the bend before it is cut short where their tilt narrows its
      // cone: started up to LATE_START px later, it may run on (the top side of a 96 px rounded tile under a
      // bevel band came out as two stretches, the first too short for a knot at its start).
      const first = i, firstArc = arcAt(arc, n, first);
      for (let i2 = first + 1; i2 < j && arcAt(arc, n, i2) - firstArc <= LATE_START; i2++) {
        const j2 = grown(i2);
        if (j2 > j) { i = i2; j = j2; }
      }
      // The line and its curvature test from the middle of the stretch: its ends reach a little way into
      // the bends beside it (see the knots' trimming below).
      const margin = Math.floor((j - i + 1) * STRAIGHT_END_SHARE);
      if (arcAt(arc, n, j) - arcAt(arc, n, i) >= minLength && straightLine(poly, n, i + margin, j - i + 1 - 2 * margin)) {
        // A knot where the outline beside the stretch turns clearly more than the stretch itself (a gentle
        // arc is not cut into lines), away from the knots already there.
        const length = arcAt(arc, n, j) - arcAt(arc, n, i);
        // A stretch that runs into a notch (within ANCHOR_REACH px) is a side ending in a corner, not a curve
        // flattening out for a while: its other end needs no bend as tight as its length says.
        const gentle = Math.max(STRAIGHT_CONTRAST * LINE[4], MIN_SIDE_CURVATURE);
        const bend = Math.max(gentle, STRAIGHT_RADII / length);
        const reach = 2 * STRAIGHT_KNOT_GAP * scale, off = 3 * noise;
        // (Without knots the walks may pass the scan's start; else they stop short of the run's knots.)
        // (Beside a knot given a smaller gap, the outline beyond the stretch is read up to that knot's own
        // sample: a notch's corner 1 px from the stretch is where the outline leaves its line.)
        const gapA = gaps === null || nc === 0 ? gap : gaps[r], gapB = gaps === null || nc === 0 ? gap : gaps[(r + 1) % nc];
        const bendBefore = nc === 0 || arcAt(arc, n, i) - arcA >= gapA ? departure(poly, arc, n, i, nc === 0 ? n - (j - i) : i - a - (gapA < gap ? 0 : 1), -1, reach, off) : 0;
        const bendAfter = nc === 0 || arcB - arcAt(arc, n, j) >= gapB ? departure(poly, arc, n, j, nc === 0 ? n - (j - i) : b - j - (gapB < gap ? 0 : 1), 1, reach, off) : 0;
        // The stretch was grown until the curve beyond left its line by `limit`: a curve of curvature κ
        // leaving tangentially does that √(2·limit/κ) px past the true tangent point, so each knot moves back
        // by that much (the line keeps at least its minimum length).
        const spare = (arcAt(arc, n, j) - arcAt(arc, n, i) - minLength) / 2;
        const anchoredBefore = notches !== null && nc > 0 && notches[r] === 1 && arcAt(arc, n, i) - arcA <= ANCHOR_REACH;
        const anchoredAfter = notches !== null && nc > 0 && notches[(r + 1) % nc] === 1 && arcB - arcAt(arc, n, j) <= ANCHOR_REACH;
        if (bendBefore >= (anchoredAfter ? gentle : bend)) pushKnot(out, poly, arc, n, i, 1, Math.min(spare, Math.sqrt((2 * limit) / bendBefore)));
        if (bendAfter >= (anchoredBefore ? gentle : bend)) pushKnot(out, poly, arc, n, j, -1, Math.min(spare, Math.sqrt((2 * limit) / bendAfter)));
        i = j + 1;
      } else {
        i++;
      }
    }
  }
}

/** Scratch for findStretchKnots: the end of the stretch grown from each start of a run, −1 until asked. */
let GROWN = new Int32Array(256);

/**
 * Appends a knot (see findStretchKnots) at the first sample at least `back` px of arc from sample k
 * (unwrapped) walking in direction `dir` (into the stretch), projected onto the stretch's line (LINE).
 */
function pushKnot(out: FloatBuffer, poly: Float64Array, arc: Float64Array, n: number, k: number, dir: number, back: number): void {
  const start = arcAt(arc, n, k);
  let q = k;
  while (Math.abs(arcAt(arc, n, q) - start) < back) q += dir;
  const u = (poly[2 * (q % n)] - LINE[2]) * LINE[0] + (poly[2 * (q % n) + 1] - LINE[3]) * LINE[1];
  out.push(q % n);
  out.push2(LINE[2] + u * LINE[0], LINE[3] + u * LINE[1]);
  out.push2(LINE[0], LINE[1]);
}

/**
 * The last sample j (unwrapped, i < j < b, its arc at most `maxArc`) such that samples i..j all lie within
 * `limit` of the line from sample i to sample j; i itself when not even i + 1 qualifies. Each sample k
 * narrows the directions a chord from sample i may take (the cone of lines passing within `limit` of it),
 * so the whole test is linear in the stretch.
 */
function growStraight(poly: Float64Array, n: number, i: number, b: number, limit: number, arc: Float64Array, maxArc: number): number {
  const ox = poly[2 * (i % n)], oy = poly[2 * (i % n) + 1];
  const i1 = (i + 1) % n;
  if (poly[2 * i1] === ox && poly[2 * i1 + 1] === oy) return i;
  // The allowed cone of chord directions, between vectors (lx, ly) and (hx, hy) counter-clockwise (signs of
  // cross products instead of angles: no atan2 or asin per sample); any direction until a sample bounds it.
  let bounded = false, empty = false;
  let lx = 0, ly = 0, hx = 0, hy = 0;
  let last = i;
  for (let k = i + 1, kk = i1; k < b && arcAt(arc, n, k) <= maxArc; k++, kk = kk + 1 === n ? 0 : kk + 1) {
    const vx = poly[2 * kk] - ox, vy = poly[2 * kk + 1] - oy;
    // The chord to k must point within the cone every sample before it allows.
    if (empty || (bounded && (lx * vy - ly * vx < 0 || vx * hy - vy * hx < 0))) break;
    last = k;
    const d2 = vx * vx + vy * vy;
    if (d2 > limit * limit) {
      // The directions passing within `limit` of sample k: its own, turned by ± asin(limit / d). Only the
      // signs of cross products are read, so the sides are kept d² long instead of unit (no division).
      const r = Math.sqrt(d2 - limit * limit);
      const ax = vx * r + vy * limit, ay = vy * r - vx * limit; // turned clockwise: the lower side
      const cx = vx * r - vy * limit, cy = vy * r + vx * limit; // counter-clockwise: the upper side
      if (!bounded) {
        lx = ax; ly = ay; hx = cx; hy = cy;
        bounded = true;
      } else {
        if (lx * ay - ly * ax > 0) { lx = ax; ly = ay; }
        if (cx * hy - cy * hx > 0) { hx = cx; hy = cy; }
        // The sides crossed: no direction is left.
        if (hx * ly - hy * lx > 0) empty = true;
      }
    }
  }
  return last;
}

/**
 * How sharply the outline leaves the stretch beyond its end sample k (unwrapped), walking in direction
 * `dir` (±1) for up to `reach` px of arc and `steps` samples: the curvature 2δ/s² of a circle that
 * leaves the stretch's fitted parabola (LINE) along its tangent at sample k and is δ px off that tangent
 * after s px; 0 when the walk is shorter than a pixel or δ is within `noise`.
 */
function departure(poly: Float64Array, arc: Float64Array, n: number, k: number, steps: number, dir: number, reach: number, noise: number): number {
  // Walk cyclically (a loop without knots has no run boundary), at most `steps` samples.
  let q = k % n, s = 0;
  for (let t = 0; t < steps; t++) {
    const next = (q + dir + n) % n;
    const step = dir > 0 ? cyclicStep(arc, q, next, n) : cyclicStep(arc, next, q, n);
    if (s + step > reach) break;
    s += step;
    q = next;
  }
  if (s < 1) return 0;
  const dx = LINE[0], dy = LINE[1], mx = LINE[2], my = LINE[3], c0 = LINE[5], c1 = LINE[6], c2 = LINE[7];
  // Sample k and sample q in the line's frame; the parabola's tangent at k's abscissa.
  const ku = (poly[2 * (k % n)] - mx) * dx + (poly[2 * (k % n) + 1] - my) * dy;
  const qx = poly[2 * q] - mx, qy = poly[2 * q + 1] - my;
  const qu = qx * dx + qy * dy, qv = qy * dx - qx * dy;
  const slope = c1 + 2 * c2 * ku;
  const tv = c0 + c1 * ku + c2 * ku * ku + slope * (qu - ku);
  const delta = Math.abs(qv - tv) / Math.sqrt(1 + slope * slope);
  return delta > noise ? (2 * delta) / (s * s) : 0;
}

/**
 * The fitted line of the last straightLine call: direction (x, y), centroid (x, y), the curvature it leaves
 * out, and the parabola v = c0 + c1·u + c2·u² across it (u along the direction, v to its left, from the centroid).
 */
const LINE = new Float64Array(8);

/**
 * True when samples first..first+count−1 (unwrapped indices) are a line rather than a gentle arc: the
 * parabola fitted to them across their least-squares line has a sagitta within what their noise explains
 * (or within `floor` px). The line goes to LINE.
 */
export function straightLine(poly: Float64Array, n: number, first: number, count: number, floor = SAGITTA_FLOOR): boolean {
  // (Three coefficients and a scatter need five samples at least.)
  if (count < 5 || !fitDirection(poly, n, first % n, count, DIR_LINE)) return false;
  const dx = DIR_LINE[0], dy = DIR_LINE[1];
  const mx = DIR_LINE[3], my = DIR_LINE[4];
  if (!parabolaAcross(poly, n, first, count, dx, dy, mx, my, PARABOLA)) return false;
  const c0 = PARABOLA[0], c1 = PARABOLA[1], c2 = PARABOLA[2], umin = PARABOLA[3], umax = PARABOLA[4];
  const start = first % n;
  // The scatter of the samples about the parabola: their own noise, measured.
  let rss = 0;
  for (let k = 0, j = start; k < count; k++, j = j + 1 === n ? 0 : j + 1) {
    const px = poly[2 * j] - mx, py = poly[2 * j + 1] - my;
    const u = px * dx + py * dy, v = py * dx - px * dy;
    const e = v - (c0 + c1 * u + c2 * u * u);
    rss += e * e;
  }
  const sigma = Math.sqrt(rss / (count - 3));
  const halfSpan = (umax - umin) / 2;
  const sagitta = Math.abs(c2) * halfSpan * halfSpan;
  // The sagitta's standard error is about 3.4 σ / √count for evenly spread samples: a line is one whose
  // fitted sagitta is within two of them (or a hundredth of a pixel, for noiseless samples).
  if (sagitta > Math.max(floor, (SAGITTA_SIGMAS * sigma) / Math.sqrt(count))) return false;
  LINE[0] = dx; LINE[1] = dy; LINE[2] = mx; LINE[3] = my;
  // Its curvature (that of the parabola: 2·c2), and the parabola itself.
  LINE[4] = 2 * Math.abs(c2);
  LINE[5] = c0; LINE[6] = c1; LINE[7] = c2;
  return true;
}

const DIR_LINE = new Float64Array(5);
/** parabolaAcross's result for straightLine. */
const PARABOLA = new Float64Array(6);

/**
 * The least-squares parabola v = c0 + c1·u + c2·u² of samples first..first+count−1 (unwrapped indices) in the frame
 * of the line through (mx, my) along unit (dx, dy) (u along it, v across, to its left, from that point), by
 * Cramer's rule: into out c0, c1, c2, the least and largest u, and the sum of squared residuals. False (out
 * untouched) when the normal equations are singular (the samples' u take fewer than three values).
 */
export function parabolaAcross(
  poly: Float64Array, n: number, first: number, count: number, dx: number, dy: number, mx: number, my: number, out: Float64Array,
): boolean {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, t0 = 0, t1 = 0, t2 = 0, vv = 0, umin = Infinity, umax = -Infinity;
  for (let k = 0, j = first % n; k < count; k++, j = j + 1 === n ? 0 : j + 1) {
    const px = poly[2 * j] - mx, py = poly[2 * j + 1] - my;
    const u = px * dx + py * dy, v = py * dx - px * dy;
    const u2 = u * u;
    s0 += 1; s1 += u; s2 += u2; s3 += u2 * u; s4 += u2 * u2;
    t0 += v; t1 += u * v; t2 += u2 * v; vv += v * v;
    if (u < umin) umin = u;
    if (u > umax) umax = u;
  }
  const det = s0 * (s2 * s4 - s3 * s3) - s1 * (s1 * s4 - s3 * s2) + s2 * (s1 * s3 - s2 * s2);
  if (!(Math.abs(det) >= 1e-12)) return false;
  const c0 = (t0 * (s2 * s4 - s3 * s3) - s1 * (t1 * s4 - s3 * t2) + s2 * (t1 * s3 - s2 * t2)) / det;
  const c1 = (s0 * (t1 * s4 - s3 * t2) - t0 * (s1 * s4 - s3 * s2) + s2 * (s1 * t2 - t1 * s2)) / det;
  const c2 = (s0 * (s2 * t2 - s3 * t1) - s1 * (s1 * t2 - s3 * t0) + s2 * (s1 * t1 - s2 * t0)) / det;
  out[0] = c0; out[1] = c1; out[2] = c2; out[3] = umin; out[4] = umax;
  out[5] = Math.max(0, vv - c0 * t0 - c1 * t1 - c2 * t2);
  return true;
}
