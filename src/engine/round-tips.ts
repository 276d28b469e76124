/**
 * Round tips (outline.ts stage 2″): the round cap or round join of a stroke a few pixels wide.
 *
 * Over the corner scale, a half circle of 2 px radius (a 4 px stroke's round cap, a line icon at 48 px)
 * turns as much as a sharp corner, so the corner finder made it one: the two sides' lines were made to meet,
 * and the cap came out as a flared hook or a spike. The samples tell the two apart: a round tip's lie on one
 * circle from one side to the other, a sharp corner's only over the pixel or so that anti-aliasing rounds.
 *
 * For each sharp knot, the window of samples round it is grown while they stay on one circle. It is a round
 * tip when both sides beyond the window are straight and tangent to that circle, turn TIP_MIN_TURN or more
 * from one to the other (convex: a concave corner's rounded tip is the inside of a join, sharp), the
 * radius is larger than anti-aliasing makes a sharp tip of that angle look (tipRadiusOfSharp), and its arc
 * is longer than the span the corner finder measures turns over (2 × the corner scale: a longer
 * lengthThreshold makes wider tips corners, as it does any bend). The knot (and
 * any sharp knot or bend between) then gives way to two knots where the sides touch the circle, along its
 * tangents: the run between them is fitted round (outline.ts draws a run on a circle as its arc), and the
 * sides leave it tangentially.
 */
import { arcDistance, fitDirection } from './sampled.js';

/** Least radius (px) of a round tip: anti-aliasing rounds a sharp corner's tip to about 0.5–1 px. */
const TIP_MIN_RADIUS = 1.2;
/** Least turn (radians) of a round tip, side to side: a cap turns half a circle, a star's round join 144°. */
const TIP_MIN_TURN = 1.75;
/**
 * Anti-aliasing pulls a sharp corner's tip samples in by up to 0.65 px over the sine of half its interior
 * angle (outline.ts TIP_SHIFT_SINE), so they look like a round corner of radius 0.65 / (1 − that sine): 2.2 px
 * for a right angle, under 1 px for a star's point. A round tip must be rounder than that, by this factor.
 */
const SHARP_TIP_PULL = 0.65, SHARP_TIP_MARGIN = 1.3;

/** The radius (px) a sharp tip turning `turn` radians seems to have, with the margin (see SHARP_TIP_PULL). */
function tipRadiusOfSharp(turn: number): number {
  const sine = Math.sin((Math.PI - turn) / 2);
  return Math.max(TIP_MIN_RADIUS, (SHARP_TIP_MARGIN * SHARP_TIP_PULL) / Math.max(1e-6, 1 - sine));
}

/** Largest distance of a window's sample from its circle, in units of the sample noise. */
const TIP_FIT_MAX = 2.5;
/** Largest rms distance of a window's samples from its circle, in units of the sample noise. */
const TIP_FIT_RMS = 1;

/** Circle fit scratch: centre x, y, radius, rms and largest distance of the samples. */
const FIT = new Float64Array(5);

/**
 * Fits a circle (algebraic least squares, Kåsa) to samples a..b of `poly` (unwrapped indices, taken modulo
 * n) into FIT; false when they are degenerate (collinear).
 */
function fitCircle(poly: Float64Array, n: number, a: number, b: number): boolean {
  const m = b - a + 1;
  let mx = 0, my = 0;
  for (let k = a; k <= b; k++) { const i = ((k % n) + n) % n; mx += poly[2 * i]; my += poly[2 * i + 1]; }
  mx /= m; my /= m;
  // Normal equations of x² + y² + D·x + E·y + F = 0 in centred coordinates.
  let sxx = 0, sxy = 0, syy = 0, sxz = 0, syz = 0, sz = 0;
  for (let k = a; k <= b; k++) {
    const i = ((k % n) + n) % n;
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
  for (let k = a; k <= b; k++) {
    const i = ((k % n) + n) % n;
    const d = Math.abs(Math.hypot(poly[2 * i] - mx - cx, poly[2 * i + 1] - my - cy) - r);
    sum += d * d;
    if (d > worst) worst = d;
  }
  FIT[0] = cx + mx; FIT[1] = cy + my; FIT[2] = r;
  FIT[3] = Math.sqrt(sum / m); FIT[4] = worst;
  return true;
}

/**
 * Arc length (px) of side fitted as a line beyond each end of a tip's window (at 2.5 px the 48 px dog's nose,
 * a rounded triangle whose top edge bulges gently, passed for round tips: −0.12 dB).
 */
const SIDE_SPAN = 5;
/** A side touches the tip's circle when its line passes this close (px) to the circle's radius from the centre. */
const SIDE_GAP = 0.35;
/**
 * A side is straight when its samples' rms distance from its line is at most this many times the noise: drawn
 * strokes' sides 0.035 px at most, the 48 px dog's nose (a rounded triangle, gently bulging sides) 0.10–0.13.
 */
const SIDE_NOISE = 0.5;
const SIDE = new Float64Array(5);
/** sideTangent's result: the point on the circle, its sample index (unwrapped), the side's length fitted (px). */
const TOUCH = new Float64Array(4);

/**
 * Where a tip's circle (cx, cy, r) meets its side beyond window end `end` (unwrapped index; the side runs
 * forwards when `ahead`, else backwards, at most to unwrapped index `bound`): the foot of the perpendicular
 * from the centre to the side's line, moved onto the circle, and the sample nearest it, into TOUCH. False
 * when the side is not straight over SIDE_SPAN px or its line does not touch the circle.
 */
function sideTangent(
  poly: Float64Array, n: number, arc: Float64Array, end: number, ahead: boolean, bound: number,
  cx: number, cy: number, r: number, noise: number,
): boolean {
  const step = ahead ? 1 : -1;
  let k = end, walked = 0;
  while (walked < SIDE_SPAN && k + step !== bound) {
    const a = ((k % n) + n) % n, b = (((k + step) % n) + n) % n;
    walked += ahead ? arcDistance(arc, n, a, b) : arcDistance(arc, n, b, a);
    k += step;
  }
  const count = Math.abs(k - end) + 1;
  if (count < 3) {
    // No room for a side before the next knot: the tip ends at the window's end, along the circle.
    const i = ((end % n) + n) % n;
    const ux = poly[2 * i] - cx, uy = poly[2 * i + 1] - cy, l = Math.hypot(ux, uy) || 1;
    TOUCH[0] = cx + (r * ux) / l; TOUCH[1] = cy + (r * uy) / l; TOUCH[2] = end; TOUCH[3] = 0;
    SIDE[0] = -uy / l; SIDE[1] = ux / l;
    return true;
  }
  const first = ((Math.min(k, end) % n) + n) % n;
  if (!fitDirection(poly, n, first, count, SIDE) || SIDE[2] > (SIDE_NOISE * noise) ** 2) return false;
  const dx = SIDE[0], dy = SIDE[1];
  const t = (cx - SIDE[3]) * dx + (cy - SIDE[4]) * dy;
  const fx = SIDE[3] + t * dx - cx, fy = SIDE[4] + t * dy - cy;
  const dist = Math.hypot(fx, fy);
  if (dist === 0 || Math.abs(dist - r) > SIDE_GAP) return false;
  const px = cx + (r * fx) / dist, py = cy + (r * fy) / dist;
  // The sample nearest that point, between the window's middle and the side's far end.
  let best = end, bestD = Infinity;
  for (let j = end - 4 * step; j !== k + step; j += step) {
    const i = ((j % n) + n) % n;
    const d = (poly[2 * i] - px) ** 2 + (poly[2 * i + 1] - py) ** 2;
    if (d < bestD) { bestD = d; best = j; }
  }
  TOUCH[0] = px; TOUCH[1] = py; TOUCH[2] = best; TOUCH[3] = walked;
  return true;
}

/** The turn (radians, positive clockwise on screen) of samples a..b round (cx, cy), summed step by step. */
function windowSweep(poly: Float64Array, n: number, a: number, b: number, cx: number, cy: number): number {
  let sweep = 0;
  for (let k = a; k < b; k++) {
    const p = ((k % n) + n) % n, q = (((k + 1) % n) + n) % n;
    const ux = poly[2 * p] - cx, uy = poly[2 * p + 1] - cy, vx = poly[2 * q] - cx, vy = poly[2 * q + 1] - cy;
    sweep += Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy);
  }
  return sweep;
}

/** Whether samples a..b lie on one circle of radius at most rMax, within the noise. */
function onCircle(poly: Float64Array, n: number, a: number, b: number, rMax: number, noise: number): boolean {
  return fitCircle(poly, n, a, b) && FIT[2] <= rMax && FIT[4] <= TIP_FIT_MAX * noise && FIT[3] <= TIP_FIT_RMS * noise;
}

/** True when sample i lies on the frame of a width × height image (never when the size is 0: unknown). */
function onFrame(poly: Float64Array, i: number, width: number, height: number): boolean {
  if (width === 0) return false;
  const x = poly[2 * i], y = poly[2 * i + 1];
  return x <= 0 || y <= 0 || x >= width || y >= height;
}

/** What roundTips needs of outline.ts's knot arrays (its OutlineWorkspace) and knot kinds. */
export interface TipKnots {
  corners: Int32Array;
  sharp: Int32Array;
  cornerGeom: Float64Array;
}

/**
 * Replaces the sharp knots (kind `sharpKind`) of closed outline `poly` that are round tips by two knots of
 * kind `tangentKind` each (see above); bends (`bendKind`) and sharp knots inside a tip's window go. Knots are
 * in sample order (as is the result); `knot` numbers per knot in cornerGeom (arrival point, arriving and
 * leaving directions, departure point, trimmed arc, tip flag). `grow(count)` makes room for `count` knots
 * and returns the arrays. Returns the new knot count.
 */
export function roundTips(
  poly: Float64Array, n: number, arc: Float64Array, nc: number, scale: number, noise: number,
  frameWidth: number, frameHeight: number, knot: number,
  kinds: { sharp: number; bend: number; tangent: number; removed: number },
  ws: TipKnots, grow: (count: number) => TipKnots,
): number {
  const rMax = 2 * scale + 1;
  let added = 0;
  for (let c = 0; c < nc; c++) {
    if (ws.sharp[c] !== kinds.sharp) continue;
    const i = ws.corners[c];
    // The window may not reach past the nearest knots that are neither sharp nor bends (unwrapped bounds).
    let lo = i - n + 1, hi = i + n - 1;
    for (let d = 1; d < nc; d++) {
      const k = (c - d + nc) % nc;
      if (ws.sharp[k] !== kinds.sharp && ws.sharp[k] !== kinds.bend) { lo = i - (((i - ws.corners[k]) % n) + n) % n; break; }
    }
    for (let d = 1; d < nc; d++) {
      const k = (c + d) % nc;
      if (ws.sharp[k] !== kinds.sharp && ws.sharp[k] !== kinds.bend) { hi = i + (((ws.corners[k] - i) % n) + n) % n; break; }
    }
    if (nc === 1) { lo = i - n + 1; hi = i + n - 1; }
    let a = i - 2, b = i + 2;
    if (a <= lo || b >= hi || !onCircle(poly, n, a, b, rMax, noise)) continue;
    for (let grew = true; grew && b - a + 1 < n - 2;) {
      grew = false;
      if (a - 1 > lo && onCircle(poly, n, a - 1, b, rMax, noise)) { a--; grew = true; }
      if (b + 1 < hi && b - a + 2 < n - 2 && onCircle(poly, n, a, b + 1, rMax, noise)) { b++; grew = true; }
    }
    if (!fitCircle(poly, n, a, b)) continue;
    const cx = FIT[0], cy = FIT[1], r = FIT[2];
    if (r < TIP_MIN_RADIUS || r > rMax) continue;
    let frame = false;
    for (let k = a; k <= b && !frame; k++) frame = onFrame(poly, ((k % n) + n) % n, frameWidth, frameHeight);
    if (frame) continue;
    // Both sides straight beyond the window (up to the next knot) and tangent to the circle: where they touch
    // it, the tip's ends. One side may be short (a roof's eave under its cap), not both.
    let before = lo, after = hi;
    for (let k = 0; k < nc; k++) {
      if (k === c) continue;
      const back = i - (((i - ws.corners[k]) % n) + n) % n, ahead = i + (((ws.corners[k] - i) % n) + n) % n;
      if (back < a && back > before) before = back;
      if (ahead > b && ahead < after) after = ahead;
    }
    if (!sideTangent(poly, n, arc, a, false, before, cx, cy, r, noise)) continue;
    const pax = TOUCH[0], pay = TOUCH[1], sa = TOUCH[2], d1x = SIDE[0], d1y = SIDE[1], side1 = TOUCH[3];
    if (!sideTangent(poly, n, arc, b, true, after, cx, cy, r, noise)) continue;
    const pbx = TOUCH[0], pby = TOUCH[1], sb = TOUCH[2], d2x = SIDE[0], d2y = SIDE[1];
    if (Math.max(side1, TOUCH[3]) < SIDE_SPAN) continue;
    // The tip's turn, from side to side: positive (clockwise on screen) round a convex tip, as outlines keep
    // their region on the right. A concave corner's rounded tip is the inside of a join: sharp.
    let turn = Math.atan2(d1x * d2y - d1y * d2x, d1x * d2x + d1y * d2y);
    // A cap may turn a little more than half a circle (its short side bends back under it): the window's own
    // sweep round the centre, summed step by step, tells which way round the turn goes.
    if (turn < 0 && windowSweep(poly, n, a, b, cx, cy) > Math.PI / 2) turn += 2 * Math.PI;
    if (turn < TIP_MIN_TURN) continue;
    // Rounder than anti-aliasing rounds a sharp tip of that angle, and longer than the corner scale measures
    // turns over (lengthThreshold: a tip within it is a corner, as any bend that narrow).
    if (r < tipRadiusOfSharp(turn) || r * turn <= 2 * scale) continue;
    // The other sharp knots and bends between the two ends go.
    for (let d = 1; d < nc; d++) {
      const k = (c + d) % nc;
      const off = (((ws.corners[k] - i) % n) + n) % n;
      if (off > 0 && off <= sb - i) ws.sharp[k] = kinds.removed;
      const back = (((i - ws.corners[k]) % n) + n) % n;
      if (back > 0 && back <= i - sa) ws.sharp[k] = kinds.removed;
    }
    // Knot c moves to the first end, a new knot goes to the second; both on the circle, along it.
    const place = (g: number, x: number, y: number): void => {
      const ux = x - cx, uy = y - cy;
      const geom = ws.cornerGeom;
      geom[g] = geom[g + 6] = x;
      geom[g + 1] = geom[g + 7] = y;
      geom[g + 2] = geom[g + 4] = -uy / r;
      geom[g + 3] = geom[g + 5] = ux / r;
      geom[g + 8] = 0;
      geom[g + 9] = 0;
    };
    ws.corners[c] = ((sa % n) + n) % n;
    ws.sharp[c] = kinds.tangent;
    place(knot * c, pax, pay);
    ws = grow(nc + added + 1);
    const e = nc + added++;
    ws.corners[e] = ((sb % n) + n) % n;
    ws.sharp[e] = kinds.tangent;
    place(knot * e, pbx, pby);
  }
  return nc + added;
}
