/**
 * Cut ends (round-tips.ts's third test): two sharp corners closer together than the corner scale, joined by a
 * short straight edge, that the corner finder saw as one. A small glyph's terminal (the top of a 16 px "2",
 * cut straight across its 2 px stroke) and a bar's end meeting a slanted edge (the foot of a 16 px "z") turn
 * like one corner over the scale the turns are measured on; placed as one, the lines of the two sides beyond
 * met 1–2 px off the shape: a spike. When the samples round the knot hold a straight run between two turns,
 * each turn is a corner of its own, where the run's line meets the line of the side beyond it.
 */
import { arcDistance, fitDirection, lineAlong, linesMeet, touchesFrame, walkArc, wrap } from './sampled.js';
import { turnAngle } from './bezier.js';
import { BOUNDS, SQUARE, nearestKnots, nearestSample, type TipKnots } from './stroke-ends.js';

/**
 * The straight run: at least CUT_MIN px of arc and 3 samples, every one within CUT_DEVIATION px of its line.
 * (At 0.12 the slanted terminal of a 16 px "C" passed, but gentle round corners too: the shape cases lost 2 dB.)
 */
const CUT_MIN = 1.5, CUT_DEVIATION = 0.08;
/** It is looked for within the corner scale + CUT_WINDOW px of arc of the knot, each side. */
const CUT_WINDOW = 1;
/** Each side's line: fitted from SIDE_SKIP px past the run's end (its rounded corner) to SIDE_LENGTH px. */
const SIDE_SKIP = 0.5, SIDE_LENGTH = 2.5;
/** Each corner turns at least this much (radians) and at most MAX_TURN (a U-turn is capTip's). */
const MIN_TURN = Math.PI / 6, MAX_TURN = (5 * Math.PI) / 6;
/**
 * The two turns differ by this much (radians) or more. Anti-aliasing blunts a sharp tip into a short flat run
 * across its bisector, turning the same both ends (a 48–192 px star's tips: a 2 px run, 74°–87° each end,
 * within 5°); a terminal cut across a stroke's end meets its two sides at different angles (the top of a 16 px
 * "2": 107° and 84°; the foot of a "z": 45° and 90°).
 */
const ASYMMETRY = (15 * Math.PI) / 180;
/** A run within this distance (px) of the image's frame lies along it. */
const FRAME_MARGIN = 0.5;
/** A corner lies within this distance (px) of the run's end sample (anti-aliasing rounds it inward). */
const CORNER_REACH = 1;

/** Lines this close to parallel (sine) have no meeting point. */
const PARALLEL_SINE = 1e-9;

const RUN = new Float64Array(5), IN = new Float64Array(5), OUT = new Float64Array(5);

/** cutTip's result besides SQUARE: the directions arriving at, along and leaving the cut (x, y each). */
export const CUT_DIRECTIONS = new Float64Array(6);

/** Largest distance of samples a..b (unwrapped) from the line in `line` (fitDirection's layout). */
function worstDistance(poly: Float64Array, n: number, a: number, b: number, line: Float64Array): number {
  let worst = 0;
  for (let k = a; k <= b; k++) {
    const q = wrap(k, n);
    const d = Math.abs((poly[2 * q] - line[3]) * line[1] - (poly[2 * q + 1] - line[4]) * line[0]);
    if (d > worst) worst = d;
  }
  return worst;
}

/**
 * Knot c (at sample i; lo, hi: how far, unwrapped, its window may reach) as two corners joined by a straight
 * run that does not touch the frame of a frameWidth × frameHeight image (0: unknown): true with the corners
 * in SQUARE (point and nearest sample each, as capTip's square end) and the three directions in
 * CUT_DIRECTIONS; false when the samples hold no such run.
 */
export function cutTip(
  poly: Float64Array, n: number, arc: Float64Array, i: number, lo: number, hi: number, knots: TipKnots, nc: number, c: number,
  scale: number, frameWidth: number, frameHeight: number,
): boolean {
  nearestKnots(knots, nc, c, n, i, i, i, lo, hi);
  const before = BOUNDS[0], after = BOUNDS[1];
  const wa = walkArc(arc, n, i, -1, scale + CUT_WINDOW, before), wb = walkArc(arc, n, i, 1, scale + CUT_WINDOW, after);
  let bestA = 0, bestB = -1, bestLength = 0;
  // Runs that hold or touch the knot's sample, longest first found kept.
  for (let a = wa; a <= i + 1; a++) {
    for (let b = Math.max(a + 2, i - 1); b <= wb && b - a < n - 1; b++) {
      const length = arcDistance(arc, n, wrap(a, n), wrap(b, n));
      if (length < CUT_MIN || length <= bestLength) continue;
      if (!fitDirection(poly, n, wrap(a, n), b - a + 1, RUN) || worstDistance(poly, n, a, b, RUN) > CUT_DEVIATION) break;
      if (!sidesTurn(poly, n, arc, a, b, before, after)) continue;
      bestA = a; bestB = b; bestLength = length;
    }
  }
  // Not along the image's frame (an edge there is placed by its one pixel's coverage, up to half a pixel in):
  // the frame exits place an edge the frame cuts (a 48 px apple's stem, cut by the top of the image, had its
  // side drawn 1.5 px out to meet the frame).
  if (bestB < 0 || touchesFrame(poly, n, bestA, bestB, frameWidth, frameHeight, FRAME_MARGIN)) return false;
  fitDirection(poly, n, wrap(bestA, n), bestB - bestA + 1, RUN);
  sidesTurn(poly, n, arc, bestA, bestB, before, after);
  if (!linesMeet(IN, RUN, PARALLEL_SINE, SQUARE, 0) || !linesMeet(RUN, OUT, PARALLEL_SINE, SQUARE, 3)) return false;
  const qa = wrap(bestA, n), qb = wrap(bestB, n);
  if (Math.hypot(SQUARE[0] - poly[2 * qa], SQUARE[1] - poly[2 * qa + 1]) > CORNER_REACH
    || Math.hypot(SQUARE[3] - poly[2 * qb], SQUARE[4] - poly[2 * qb + 1]) > CORNER_REACH) return false;
  // The corners keep their order along the run.
  if ((SQUARE[3] - SQUARE[0]) * RUN[0] + (SQUARE[4] - SQUARE[1]) * RUN[1] <= 0) return false;
  SQUARE[2] = nearestSample(poly, n, SQUARE[0], SQUARE[1], bestA - 1, bestB);
  SQUARE[5] = nearestSample(poly, n, SQUARE[3], SQUARE[4], Math.max(bestA, SQUARE[2] + 1), bestB + 1);
  CUT_DIRECTIONS[0] = IN[0]; CUT_DIRECTIONS[1] = IN[1];
  CUT_DIRECTIONS[2] = RUN[0]; CUT_DIRECTIONS[3] = RUN[1];
  CUT_DIRECTIONS[4] = OUT[0]; CUT_DIRECTIONS[5] = OUT[1];
  return true;
}

/**
 * Whether the sides beyond run a..b (its line in RUN) turn into it and out of it the same way, each by
 * MIN_TURN to MAX_TURN: their lines into IN (arriving) and OUT (leaving).
 */
function sidesTurn(poly: Float64Array, n: number, arc: Float64Array, a: number, b: number, before: number, after: number): boolean {
  if (!lineAlong(poly, n, arc, a, -1, SIDE_SKIP, SIDE_LENGTH, before, IN, 1) || !lineAlong(poly, n, arc, b, 1, SIDE_SKIP, SIDE_LENGTH, after, OUT, 1)) return false;
  const t1 = turnAngle(IN[0], IN[1], RUN[0], RUN[1]), t2 = turnAngle(RUN[0], RUN[1], OUT[0], OUT[1]);
  if (t1 * t2 <= 0) return false;
  const u1 = Math.abs(t1), u2 = Math.abs(t2);
  return u1 >= MIN_TURN && u1 <= MAX_TURN && u2 >= MIN_TURN && u2 <= MAX_TURN && Math.abs(u1 - u2) >= ASYMMETRY;
}
