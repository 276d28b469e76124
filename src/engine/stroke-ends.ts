/**
 * Stroke ends (round-tips.ts's second test): at a sharp knot where the outline comes back on itself between
 * two parallel sides, the end of a stroke a few pixels wide. Its samples are compared with a half circle
 * between the sides and with a square end across them (each placed along the stroke where it fits best): a
 * round cap too thin for the circle window (at 32 px a 2.7 px stroke's: its few samples scatter by 0.15 px
 * round a radius of 1.33) is found, a square end that thin is kept from passing for round (its two
 * anti-aliased corners, 2.7 px apart, lie within 0.25 px of a circle), and gets its two corners (the ends of a
 * 2.7 px butt-capped stroke were wedges, 1 px off).
 */
import { arcDistance, lineAlong, touchesFrame, walkArc, wrap } from './sampled.js';
import { withCapacity } from './buffers.js';

/** What roundTips needs of outline.ts's knot arrays (its OutlineWorkspace) and knot kinds. */
export interface TipKnots {
  corners: Int32Array;
  sharp: Int32Array;
  cornerGeom: Float64Array;
}

/**
 * nearestKnots' result: the unwrapped sample indices of the nearest knots before and after, and those knots'
 * indices (−1 where the bound is the window's lo or hi).
 */
export const BOUNDS = new Float64Array(4);

/**
 * The nearest knots (other than knot c, at sample i) before sample a and after sample b, as unwrapped sample
 * indices round i, into BOUNDS; lo and hi when there are none nearer.
 */
export function nearestKnots(knots: TipKnots, nc: number, c: number, n: number, i: number, a: number, b: number, lo: number, hi: number): void {
  let before = lo, after = hi, kb = -1, ka = -1;
  for (let k = 0; k < nc; k++) {
    if (k === c) continue;
    const back = i - wrap(i - knots.corners[k], n), ahead = i + wrap(knots.corners[k] - i, n);
    if (back < a && back > before) { before = back; kb = k; }
    if (ahead > b && ahead < after) { after = ahead; ka = k; }
  }
  BOUNDS[0] = before;
  BOUNDS[1] = after;
  BOUNDS[2] = kb;
  BOUNDS[3] = ka;
}

/**
 * Cap model (capTip): the sides are fitted as lines over CAP_SIDE px of outline, starting where the cap is
 * expected to end; they are a stroke's two sides when within CAP_PARALLEL (cosine) of opposite and
 * CAP_MIN_WIDTH px or more apart.
 */
const CAP_SIDE = 3, CAP_PARALLEL = 0.97, CAP_MIN_WIDTH = 2;
/**
 * A side's first sample lies at least half a cap's radius plus this (px) behind the end's farthest sample, when
 * the knot is off the end's middle (a round cap's arc, from there on, bends 0.13 radius off the side's line
 * within the side's span: the straightness test sees it).
 */
const CAP_CLEAR = 0.25;
/** A stroke's side is straight when its samples' rms distance from its line is at most this many times the noise. */
const CAP_SIDE_NOISE = 1;
/**
 * A cap is round when its samples lie within CAP_RMS × noise (rms) of the half circle between the sides, and
 * closer to it than CAP_BETTER × their distance to a square end (both placed along the stroke where they fit
 * best). A square end's corners are rounded by anti-aliasing, so it stays a little closer to its own model.
 */
const CAP_RMS = 1.5, CAP_BETTER = 0.75;
const SIDE_A = new Float64Array(5), SIDE_B = new Float64Array(5), SIDE_TRY = new Float64Array(5);

/** capTip's flags (see there). */
export const CAP_LEAN_SQUARE = 1, CAP_HARD_EDGED = 2;

/**
 * Where (px of arc from knot i) a stroke end's side walking `step` (±1) starts next, its first sample `first`
 * (unwrapped) lying `short` px short of clearing the cap (capTip): on by what it lacks, at least to the next
 * sample. Within CAP_CLEAR of enough, it stays at `d` when there is no side left past that sample (a short arm).
 */
function sideStart(poly: Float64Array, n: number, arc: Float64Array, i: number, step: number, first: number, d: number, short: number, bound: number): number {
  const next = first + step, past = step < 0 ? arcDistance(arc, n, wrap(next, n), wrap(i, n)) : arcDistance(arc, n, wrap(i, n), wrap(next, n));
  const start = Math.max(d + short, past) + 0.01;
  return short <= CAP_CLEAR && !lineAlong(poly, n, arc, i, step, start, start + CAP_SIDE, bound, SIDE_TRY, 2) ? d : start;
}

/** capTip's round cap, in TIP's layout. */
export const CAP = new Float64Array(10);
/**
 * capTip's square end: its corners on side A and side B (point x, y and nearest sample each), the stroke's
 * direction towards the end and the unit normal from side A to side B.
 */
export const SQUARE = new Float64Array(10);

/** The sample of a..b (unwrapped) nearest (x, y). */
export function nearestSample(poly: Float64Array, n: number, x: number, y: number, a: number, b: number): number {
  let best = a, bestD = Infinity;
  for (let k = a; k <= b; k++) {
    const q = wrap(k, n);
    const d = (poly[2 * q] - x) ** 2 + (poly[2 * q + 1] - y) ** 2;
    if (d < bestD) { bestD = d; best = k; }
  }
  return best;
}

/**
 * Knot i as the end of a stroke: two straight sides a stroke's width apart (fitted past the end), and between
 * them samples closer to a half circle of that width than to a square end (1: round, into CAP, when its arc
 * is longer than `minArc` px) or on a square end (0, into SQUARE); −1 when there are no such sides or neither
 * model fits. lo, hi: how far (unwrapped sample indices) the sides may reach; `knots`, `nc`, `c`: the outline's
 * knots and this one's number (the sides stop at the nearest other knot). `flags`: CAP_LEAN_SQUARE, a square
 * end that fits is taken unless the round cap fits clearly better (CAP_BETTER), not merely better;
 * CAP_HARD_EDGED, the outline is hard-edged. The outline of the region round a stroke's end (the stroke
 * outside it) may only have a square end. winA..winB (unwrapped, round i): knots within are not bounds for the
 * sides (a lobe's window, whose knots give way to the cap).
 */
export function capTip(
  poly: Float64Array, n: number, arc: Float64Array, i: number, lo: number, hi: number, knots: TipKnots, nc: number, c: number,
  scale: number, noise: number, frameWidth: number, frameHeight: number, minArc: number, flags = 0, winA = i, winB = i,
): number {
  const leanSquare = (flags & CAP_LEAN_SQUARE) !== 0, hardEdged = (flags & CAP_HARD_EDGED) !== 0;
  nearestKnots(knots, nc, c, n, i, winA, winB, lo, hi);
  const before = BOUNDS[0], after = BOUNDS[1];
  const straight = (CAP_SIDE_NOISE * noise) ** 2;
  // Each side starts dA / dB px of arc from the knot: a knot at one of a square end's corners (a short arm of a
  // small X, where the corner finder kept one of the two) has one side straight at once, the other past the end.
  let dA = 1, dB = 1, w = 0, nx = 0, ny = 0, settled = false;
  for (let round = 0; round < 8 && !settled; round++) {
    if (!lineAlong(poly, n, arc, i, -1, dA, dA + CAP_SIDE, before, SIDE_A, 2) || !lineAlong(poly, n, arc, i, 1, dB, dB + CAP_SIDE, after, SIDE_B, 2)) return -1;
    const bentA = SIDE_A[2] > straight, bentB = SIDE_B[2] > straight;
    if (bentA || bentB) {
      // Still on the end's rounded corners: start that side a pixel farther.
      if (w > 0) return -1;
      // (Both sides, on a hard-edged outline: its staircase bends either side now and then, and a side of a
      // 15° bar fitted nearer the end than the other came out 3° off.)
      if (bentA || (hardEdged && bentB)) dA += 1;
      if (bentB || (hardEdged && bentA)) dB += 1;
      continue;
    }
    // Side A runs towards the tip (fitDirection orients it along the outline), side B away from it.
    if (SIDE_A[0] * SIDE_B[0] + SIDE_A[1] * SIDE_B[1] > -CAP_PARALLEL) return -1;
    const vx = SIDE_B[3] - SIDE_A[3], vy = SIDE_B[4] - SIDE_A[4];
    const along = vx * SIDE_A[0] + vy * SIDE_A[1];
    nx = vx - along * SIDE_A[0]; ny = vy - along * SIDE_A[1];
    w = Math.hypot(nx, ny);
    if (w > 2 * (2 * scale + 1)) return -1;
    if (w < CAP_MIN_WIDTH) {
      // Sides started on the end itself tilt towards each other: measure again past a cap of the least width.
      const least = (Math.PI * CAP_MIN_WIDTH) / 4 + 0.5;
      if (Math.min(dA, dB) + 0.25 >= least) return -1;
      dA = Math.max(dA, least); dB = Math.max(dB, least);
      continue;
    }
    nx /= w; ny /= w;
    // The sides must start past the cap: a quarter circle of radius w / 2 each side of the knot, plus a little,
    // when the knot is at the cap's middle (both sides straight from the same start); else (the knot is off
    // the middle: one side was straight sooner) each side's first sample must lie half a cap's radius (plus
    // CAP_CLEAR) behind the end's farthest sample, along the stroke. Settled once they do.
    const next = (Math.PI * w) / 4 + 0.5;
    settled = next <= Math.min(dA, dB) + 0.25;
    if (!settled && dA === dB) { dA = dB = next; continue; }
    if (!settled) {
      const ia = walkArc(arc, n, i, -1, dA, before), ib = walkArc(arc, n, i, 1, dB, after);
      let far = -Infinity;
      for (let k = ia; k <= ib; k++) { const q = wrap(k, n); far = Math.max(far, poly[2 * q] * SIDE_A[0] + poly[2 * q + 1] * SIDE_A[1]); }
      const qa = wrap(ia, n), qb = wrap(ib, n);
      const shortA = w / 4 + CAP_CLEAR - (far - (poly[2 * qa] * SIDE_A[0] + poly[2 * qa + 1] * SIDE_A[1]));
      const shortB = w / 4 + CAP_CLEAR - (far - (poly[2 * qb] * SIDE_A[0] + poly[2 * qb + 1] * SIDE_A[1]));
      const nextA = shortA > 0 ? sideStart(poly, n, arc, i, -1, ia, dA, shortA, before) : dA;
      const nextB = shortB > 0 ? sideStart(poly, n, arc, i, 1, ib, dB, shortB, after) : dB;
      settled = nextA === dA && nextB === dB;
      dA = nextA; dB = nextB;
    }
  }
  if (!settled) return -1;
  // A stroke's cap has its region between the sides: B lies to the right of A's direction (clockwise). When it
  // lies to the left, the stroke is outside: this is the outline of the region round its end (a hole the
  // stroke cuts, as the small X in a grid's cell), and only a square end is told there.
  const outside = nx * -SIDE_A[1] + ny * SIDE_A[0] <= 0;
  const ax = SIDE_A[0], ay = SIDE_A[1], r = w / 2;
  // The midline through the point halfway between the lines, along A towards the tip.
  const mx = SIDE_A[3] + r * nx, my = SIDE_A[4] + r * ny;
  // The end's samples: within dA / dB px of arc of the knot.
  const a = walkArc(arc, n, i, -1, dA, before), b = walkArc(arc, n, i, 1, dB, after);
  if (b - a < 4) return -1;
  if (touchesFrame(poly, n, a, b, frameWidth, frameHeight)) return -1;
  // The end's samples in the stroke's frame, once: along the midline from (mx, my), and across it (unsigned).
  const count = b - a + 1;
  END_U = withCapacity(END_U, count);
  END_V = withCapacity(END_V, count);
  const eu = END_U, ev = END_V;
  let far = -Infinity;
  for (let k = a; k <= b; k++) {
    const q = wrap(k, n);
    eu[k - a] = (poly[2 * q] - mx) * ax + (poly[2 * q + 1] - my) * ay;
    ev[k - a] = Math.abs((poly[2 * q] - mx) * nx + (poly[2 * q + 1] - my) * ny);
    far = Math.max(far, eu[k - a]);
  }
  // Mean squared distance of the end's samples from the half circle centred t along the midline, or from a
  // square end at t (the sides, then the end line across them).
  const cost = (t: number, round: boolean): number => {
    let sum = 0;
    for (let k = 0; k < count; k++) {
      const u = eu[k] - t, v = ev[k];
      let d: number;
      if (round) d = u > 0 ? Math.hypot(u, v) - r : v - r;
      else { const qx = u, qy = v - r; d = Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0); }
      sum += d * d;
    }
    return sum / count;
  };
  // Golden-section search: one new cost per step, the bracket narrowed to 1e-5 px in 26 steps.
  const best = (round: boolean, t0: number, t1: number): number => {
    let x0 = t0, x1 = t1;
    let m1 = x1 - GOLDEN * (x1 - x0), m2 = x0 + GOLDEN * (x1 - x0);
    let c1 = cost(m1, round), c2 = cost(m2, round);
    for (let it = 0; it < GOLDEN_STEPS; it++) {
      if (c1 <= c2) { x1 = m2; m2 = m1; c2 = c1; m1 = x1 - GOLDEN * (x1 - x0); c1 = cost(m1, round); }
      else { x0 = m1; m1 = m2; c1 = c2; m2 = x0 + GOLDEN * (x1 - x0); c2 = cost(m2, round); }
    }
    return (x0 + x1) / 2;
  };
  const tRound = best(true, far - r - 1, far - r + 1), tSquare = best(false, far - 1, far + 1);
  const round = cost(tRound, true), square = cost(tSquare, false);
  const roundFits = !outside && round <= (CAP_RMS * noise) ** 2;
  if (!roundFits || round > CAP_BETTER * CAP_BETTER * square) {
    // A square end: its two corners across the stroke, where the end line meets the sides (into SQUARE).
    const ex = mx + tSquare * ax, ey = my + tSquare * ay;
    SQUARE[0] = ex - r * nx; SQUARE[1] = ey - r * ny;
    SQUARE[3] = ex + r * nx; SQUARE[4] = ey + r * ny;
    SQUARE[2] = nearestSample(poly, n, SQUARE[0], SQUARE[1], a, i);
    SQUARE[5] = nearestSample(poly, n, SQUARE[3], SQUARE[4], i, b);
    SQUARE[6] = ax; SQUARE[7] = ay; SQUARE[8] = nx; SQUARE[9] = ny;
    // Neither clearly: square when it fits better, or when the caller leans to square.
    return square <= (CAP_RMS * noise) ** 2 && (square < round || !roundFits || leanSquare) ? 0 : -1;
  }
  const cx = mx + tRound * ax, cy = my + tRound * ay;
  // The tip's ends: where the half circle meets the sides, and the samples nearest them.
  CAP[0] = cx; CAP[1] = cy; CAP[2] = r;
  CAP[3] = cx - r * nx; CAP[4] = cy - r * ny; CAP[5] = nearestSample(poly, n, CAP[3], CAP[4], a, i);
  CAP[6] = cx + r * nx; CAP[7] = cy + r * ny; CAP[8] = nearestSample(poly, n, CAP[6], CAP[7], i, b);
  CAP[9] = 1;
  return r * Math.PI > minArc ? 1 : -1;
}

/** The golden ratio's inverse, and the golden-section steps that narrow capTip's 2 px bracket to 1e-5 px. */
const GOLDEN = (Math.sqrt(5) - 1) / 2, GOLDEN_STEPS = 26;

/** capTip's end samples along and across the stroke (grown as needed). */
let END_U = new Float64Array(64), END_V = new Float64Array(64);

/** A square end's corner `o` (0: side A's, 3: side B's) of SQUARE as knot k: sample, point, arriving and leaving directions. */
export function squareEnd(ws: TipKnots, knot: number, k: number, o: number, inX: number, inY: number, outX: number, outY: number, n: number): void {
  ws.corners[k] = wrap(SQUARE[o + 2], n);
  const g = knot * k, geom = ws.cornerGeom;
  geom[g] = geom[g + 6] = SQUARE[o];
  geom[g + 1] = geom[g + 7] = SQUARE[o + 1];
  geom[g + 2] = inX; geom[g + 3] = inY;
  geom[g + 4] = outX; geom[g + 5] = outY;
  // The samples within SQUARE_TIP px of arc are the corner's rounded tip, left out of the runs beside it.
  geom[g + 8] = SQUARE_TIP;
  geom[g + 9] = 0;
}

/** See squareEnd (outline.ts TIP). */
const SQUARE_TIP = 0.75;
