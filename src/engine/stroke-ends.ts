/**
 * Stroke ends (round-tips.ts's second test): at a sharp knot where the outline comes back on itself between
 * two parallel sides, the end of a stroke a few pixels wide. Its samples are compared with a half circle
 * between the sides and with a square end across them (each placed along the stroke where it fits best): a
 * round cap too thin for the circle window (at 32 px a 2.7 px stroke's: its few samples scatter by 0.15 px
 * round a radius of 1.33) is found, a square end that thin is kept from passing for round (its two
 * anti-aliased corners, 2.7 px apart, lie within 0.25 px of a circle), and gets its two corners (the ends of a
 * 2.7 px butt-capped stroke were wedges, 1 px off).
 */
import { arcDistance, lineAlong, linesMeet, touchesFrame, walkArc, wrap } from './sampled.js';
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
  const tRound = bestEnd(count, r, true, far - r - 1, far - r + 1), tSquare = bestEnd(count, r, false, far - 1, far + 1);
  const round = endCost(count, r, tRound, true), square = endCost(count, r, tSquare, false);
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

/**
 * Mean squared distance of the end's `count` samples (END_U along the midline, END_V across it, unsigned) from
 * the half circle of radius r centred t along the midline (`round`), or from a square end at t: the sides r
 * either side, then the end line across them.
 */
function endCost(count: number, r: number, t: number, round: boolean): number {
  const eu = END_U, ev = END_V;
  let sum = 0;
  for (let k = 0; k < count; k++) {
    const u = eu[k] - t, v = ev[k];
    let d: number;
    if (round) d = u > 0 ? Math.hypot(u, v) - r : v - r;
    else { const qx = u, qy = v - r; d = Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0); }
    sum += d * d;
  }
  return sum / count;
}

/** Where in t0..t1 endCost is least: a golden-section search, one new cost per step, to 1e-5 px in 26 steps. */
function bestEnd(count: number, r: number, round: boolean, t0: number, t1: number): number {
  let x0 = t0, x1 = t1;
  let m1 = x1 - GOLDEN * (x1 - x0), m2 = x0 + GOLDEN * (x1 - x0);
  let c1 = endCost(count, r, m1, round), c2 = endCost(count, r, m2, round);
  for (let it = 0; it < GOLDEN_STEPS; it++) {
    if (c1 <= c2) { x1 = m2; m2 = m1; c2 = c1; m1 = x1 - GOLDEN * (x1 - x0); c1 = endCost(count, r, m1, round); }
    else { x0 = m1; m1 = m2; c1 = c2; m2 = x0 + GOLDEN * (x1 - x0); c2 = endCost(count, r, m2, round); }
  }
  return (x0 + x1) / 2;
}

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

/**
 * Thin square ends (thinEnd): a stroke under CAP_MIN_WIDTH thick, or with sides too short for capTip's
 * CAP_SIDE (a serif at 20–32 px: 1–1.5 px thick, its underside 1.5 px long from the end to the stem). The
 * window reaches THIN_REACH px of arc either side of the knot; a side's samples lie THIN_CLEAR px or more
 * behind the end's farthest sample; the sides are THIN_MIN_WIDTH to THIN_MAX_WIDTH apart.
 */
const THIN_REACH = 2.5, THIN_CLEAR = 0.2, THIN_MIN_WIDTH = 0.6, THIN_MAX_WIDTH = 2.5;
/**
 * The sides' rms distance from their lines, in units of the noise: a serif's straight sides 0–0.06 px, a 16 px
 * "c"'s curving stroke before its slanted terminal 0.10 px (taken at 1, its end squared 0.6 px past the ink).
 */
const THIN_SIDE_NOISE = 0.9;

/**
 * Knot i as the square end of a thin stroke, into SQUARE (as capTip's square end): two parallel sides, each
 * fitted over at least two samples behind the end (one direction for both, least squares), and an end across
 * them that fits the end's samples within CAP_RMS × noise and not clearly worse than a half circle between the
 * sides (CAP_BETTER). At 24 px a serif's end, samples 0.25 px from its corners, was one sharp knot whose
 * sides were fitted over the end and the stem beyond: drawn as a curl. False when it is no such end.
 */
export function thinEnd(
  poly: Float64Array, n: number, arc: Float64Array, i: number, lo: number, hi: number, knots: TipKnots, nc: number, c: number,
  noise: number, frameWidth: number, frameHeight: number,
): boolean {
  nearestKnots(knots, nc, c, n, i, i, i, lo, hi);
  const before = BOUNDS[0], after = BOUNDS[1];
  const a = walkArc(arc, n, i, -1, THIN_REACH, before), b = walkArc(arc, n, i, 1, THIN_REACH, after);
  if (i - a < 2 || b - i < 2 || touchesFrame(poly, n, a, b, frameWidth, frameHeight)) return false;
  const qa = wrap(a, n), qb = wrap(b, n), qi = wrap(i, n);
  // The stroke's direction at first: from the middle of the window's ends to the knot.
  let ux = poly[2 * qi] - (poly[2 * qa] + poly[2 * qb]) / 2, uy = poly[2 * qi + 1] - (poly[2 * qa + 1] + poly[2 * qb + 1]) / 2;
  const l = Math.hypot(ux, uy);
  if (l < THIN_MIN_WIDTH / 2) return false;
  ux /= l; uy /= l;
  let far = -Infinity;
  for (let k = a; k <= b; k++) { const q = wrap(k, n); far = Math.max(far, poly[2 * q] * ux + poly[2 * q + 1] * uy); }
  const behind = (k: number): boolean => { const q = wrap(k, n); return poly[2 * q] * ux + poly[2 * q + 1] * uy <= far - THIN_CLEAR; };
  let ka = i - 1, kb = i + 1;
  while (ka >= a && !behind(ka)) ka--;
  while (kb <= b && !behind(kb)) kb++;
  if (ka - a < 1 || b - kb < 1) return false;
  // One direction for both sides: the principal axis of their samples, each side centred on its own mean.
  let ax = 0, ay = 0, bx = 0, by = 0;
  for (let k = a; k <= ka; k++) { const q = wrap(k, n); ax += poly[2 * q]; ay += poly[2 * q + 1]; }
  for (let k = kb; k <= b; k++) { const q = wrap(k, n); bx += poly[2 * q]; by += poly[2 * q + 1]; }
  const ca = ka - a + 1, cb = b - kb + 1;
  ax /= ca; ay /= ca; bx /= cb; by /= cb;
  let sxx = 0, sxy = 0, syy = 0;
  for (let k = a; k <= b; k++) {
    if (k > ka && k < kb) continue;
    const q = wrap(k, n), side = k <= ka;
    const dx = poly[2 * q] - (side ? ax : bx), dy = poly[2 * q + 1] - (side ? ay : by);
    sxx += dx * dx; sxy += dx * dy; syy += dy * dy;
  }
  const theta = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  let dx = Math.cos(theta), dy = Math.sin(theta);
  if (dx * ux + dy * uy < 0) { dx = -dx; dy = -dy; }
  // The fitted direction must still point at the end (the sides may not run across it).
  if (dx * ux + dy * uy < CAP_PARALLEL) return false;
  ux = dx; uy = dy;
  let nx = -uy, ny = ux;
  let w = (bx - ax) * nx + (by - ay) * ny;
  if (w < 0) { nx = -nx; ny = -ny; w = -w; }
  if (w < THIN_MIN_WIDTH || w > THIN_MAX_WIDTH) return false;
  // Straight sides: their samples' rms distance from their lines.
  let side = 0;
  for (let k = a; k <= b; k++) {
    if (k > ka && k < kb) continue;
    const q = wrap(k, n), A = k <= ka;
    side += ((poly[2 * q] - (A ? ax : bx)) * nx + (poly[2 * q + 1] - (A ? ay : by)) * ny) ** 2;
  }
  if (side / (ca + cb) > (THIN_SIDE_NOISE * noise) ** 2) return false;
  // The end's samples in the stroke's frame, from the midline's point abreast of side A's mean.
  const r = w / 2, mx = ax + r * nx, my = ay + r * ny;
  const count = b - a + 1;
  END_U = withCapacity(END_U, count);
  END_V = withCapacity(END_V, count);
  far = -Infinity;
  for (let k = a; k <= b; k++) {
    const q = wrap(k, n);
    END_U[k - a] = (poly[2 * q] - mx) * ux + (poly[2 * q + 1] - my) * uy;
    END_V[k - a] = Math.abs((poly[2 * q] - mx) * nx + (poly[2 * q + 1] - my) * ny);
    far = Math.max(far, END_U[k - a]);
  }
  const tSquare = bestEnd(count, r, false, far - 1, far + 1), square = endCost(count, r, tSquare, false);
  if (square > (CAP_RMS * noise) ** 2) return false;
  // The region round a stroke's end (the stroke outside it) has only square ends; else a half circle that
  // fits clearly better keeps the knot as it is.
  const outside = nx * -uy + ny * ux <= 0;
  if (!outside) {
    const tRound = bestEnd(count, r, true, far - r - 1, far - r + 1);
    if (endCost(count, r, tRound, true) <= CAP_BETTER * CAP_BETTER * square) return false;
  }
  const ex = mx + tSquare * ux, ey = my + tSquare * uy;
  // The corners: where the end line meets each side's own line, fitted as far as the side runs straight
  // (a long side's line pinned by samples within 2 px of the end tilted a 30 px shadow band's edge).
  const fitA = longSide(poly, n, arc, ka, -1, before, noise, LINE_A), fitB = longSide(poly, n, arc, kb, 1, after, noise, LINE_B);
  // The end runs square to the two lines' mean direction (square to the short fit's, a band's end leant 4°).
  let acrossX = nx, acrossY = ny;
  if (fitA && fitB) {
    const sx = LINE_A[0] - LINE_B[0], sy = LINE_A[1] - LINE_B[1], sl = Math.hypot(sx, sy);
    if (sl > 0 && (sx * ux + sy * uy) / sl >= CAP_PARALLEL) {
      acrossX = -sy / sl; acrossY = sx / sl;
      if (acrossX * nx + acrossY * ny < 0) { acrossX = -acrossX; acrossY = -acrossY; }
    }
  }
  END_LINE[0] = acrossX; END_LINE[1] = acrossY; END_LINE[2] = 0; END_LINE[3] = ex; END_LINE[4] = ey;
  if (!fitA) { LINE_A[0] = ux; LINE_A[1] = uy; LINE_A[3] = ex - r * nx; LINE_A[4] = ey - r * ny; }
  if (!fitB) { LINE_B[0] = -ux; LINE_B[1] = -uy; LINE_B[3] = ex + r * nx; LINE_B[4] = ey + r * ny; }
  if (!linesMeet(LINE_A, END_LINE, THIN_MEET_SINE, SQUARE, 0) || !linesMeet(END_LINE, LINE_B, THIN_MEET_SINE, SQUARE, 3)) return false;
  if (Math.hypot(SQUARE[0] - (ex - r * nx), SQUARE[1] - (ey - r * ny)) > THIN_SHIFT
    || Math.hypot(SQUARE[3] - (ex + r * nx), SQUARE[4] - (ey + r * ny)) > THIN_SHIFT) return false;
  SQUARE[2] = nearestSample(poly, n, SQUARE[0], SQUARE[1], a, i);
  SQUARE[5] = nearestSample(poly, n, SQUARE[3], SQUARE[4], i, b);
  if (SQUARE[5] <= SQUARE[2]) return false;
  THIN_DIRECTIONS[0] = LINE_A[0]; THIN_DIRECTIONS[1] = LINE_A[1];
  THIN_DIRECTIONS[2] = acrossX; THIN_DIRECTIONS[3] = acrossY;
  THIN_DIRECTIONS[4] = LINE_B[0]; THIN_DIRECTIONS[5] = LINE_B[1];
  return true;
}

/** thinEnd's result besides SQUARE: the directions arriving at, across and leaving the end (x, y each). */
export const THIN_DIRECTIONS = new Float64Array(6);
const END_LINE = new Float64Array(5), LINE_A = new Float64Array(5), LINE_B = new Float64Array(5);
/** A thin end's side is fitted over the longest of these spans (px of arc) along which it stays straight. */
const THIN_SIDE_SPANS = [6, 4, 2.5, 1.5];
/** Farthest (px) a corner on a side's long line may lie from the end model's own corner. */
const THIN_SHIFT = 0.5;
/** A side's line and the end's meet at 30° or more (sine). */
const THIN_MEET_SINE = 0.5;

/**
 * A side's line from unwrapped sample `from` walking `step`, over the longest of THIN_SIDE_SPANS that is
 * straight, into out. Over the longest span, the sample nearest the end is left out when it lies off the line of
 * the others by more than the noise (a 48 px icon's shadow band: its top side's end sample 0.27 px off, where
 * the band meets the tile's anti-aliased edge).
 */
function longSide(poly: Float64Array, n: number, arc: Float64Array, from: number, step: number, bound: number, noise: number, out: Float64Array): boolean {
  for (const span of THIN_SIDE_SPANS) {
    if (!lineAlong(poly, n, arc, from, step, 0, span, bound, out, 1) || out[2] > (CAP_SIDE_NOISE * noise) ** 2) continue;
    if (span === THIN_SIDE_SPANS[0] && lineAlong(poly, n, arc, from + step, step, 0, span, bound, SIDE_TRY, 1)) {
      const q = wrap(from, n);
      const off = Math.abs((poly[2 * q] - SIDE_TRY[3]) * SIDE_TRY[1] - (poly[2 * q + 1] - SIDE_TRY[4]) * SIDE_TRY[0]);
      if (off > noise) out.set(SIDE_TRY);
    }
    return true;
  }
  return false;
}
