/**
 * Shape fitting of a closed sub-pixel outline (spline mode): the outline is cut at its corners, each run
 * between two corners is fitted as a whole with as few cubics as stay within the tolerance, and corners are
 * put where the two runs' edges meet. Unlike smoothing the pixel polygon first, this keeps straight edges
 * straight (a run of collinear samples is one line), keeps corners sharp even when anti-aliasing rounded
 * the pixels at the tip, and keeps a small round feature round.
 *
 * 1. corners: at each sample, the turn between the chords to the samples about `scale` px behind and ahead
 *    (so a corner rounded over a pixel or two still shows its full angle); a corner is a local maximum of
 *    that turn reaching `cornerAngle`. Small outlines measure at a proportionally smaller scale, so a dot
 *    a few pixels across stays round instead of becoming a polygon;
 * 2. corner placement: a line is fitted (least squares) to the samples on each side of a corner, just past
 *    its rounded tip; the corner goes where the two lines meet, when that is near the tip;
 * 2′. straight stretches between round bends (straight.ts) get a knot at each end, on their line;
 * 3. runs between corners (or, without corners, the whole loop) are cut where their turning reaches
 *    `maxTurn`, with the tangent at each cut estimated over ±`scale` px, so the pieces join smoothly;
 * 4. each piece is one line when its samples lie within a fraction of the tolerance of its chord, else
 *    cubics fitted by least squares (bezier.ts), split at the worst sample while farther than `tolerance`.
 *
 * Output, a Spline (types.ts): the start point (x, y), then 6 numbers per cubic (the last cubic
 * ends at the start point). Lines are cubics with their handles at the thirds.
 */
import { FloatBuffer, IntBuffer, withCapacity } from './buffers.js';
import { arcAt, arcDistance, cyclicStep, fitCircle, fitDirection, linesMeet, onImageCorner, wrap } from './sampled.js';
import { STRAIGHT_KNOT_GAP, findStretchKnots, parabolaAcross, straightLine } from './straight.js';
import { fitCubicsBetween, turnAngle } from './bezier.js';
import { CIRCLE_FIT, circleThrough, pushArcCubics } from './circle.js';
import { roundTips } from './round-tips.js';
import { nearestSample } from './stroke-ends.js';
import { sharpByCoverage, type BlockCoverage } from './corner-coverage.js';
import { CORNER, CURVE, FIXED, HELD, RelaxWorkspace, SEG, SMOOTH, STRAIGHT, relaxSpline } from './relax.js';

export interface OutlineParams {
  /** Turn (radians) at which a sample becomes a corner. */
  cornerAngle: number;
  /** Largest distance (px) between a fitted cubic and the samples. */
  tolerance: number;
  /** Largest turn (radians) of one fitted piece. */
  maxTurn: number;
  /** How many times a piece may be split in two, recursively, to meet the tolerance. */
  maxDepth: number;
  /** Newton rounds on the parameters of every cubic, even one already within tolerance (default 3, bezier.ts). */
  refine?: number;
  /** Arc length (px) over which turns and tangents are measured. */
  scale: number;
  /**
   * Typical distance (px) of a sample from the true edge: ANTIALIASED_NOISE (the default) for coverage-placed
   * samples, more for an aliased outline's (up to half a pixel). Straightness tests scale with it.
   */
  noise?: number;
  /**
   * Called with the share of an outline fitted so far (0..1), after each step of its knots on a long one (see
   * KNOTS_SHARE) and every 64 runs: checks for an abort, and lets the caller report progress through an
   * outline that takes many milliseconds.
   */
  check?: (fraction: number) => void;
  /**
   * Look for straight stretches between round bends (addStraightKnots); off for grain (a photo's
   * outlines), where they would cost time and show nothing.
   */
  stretches?: boolean;
  /** Draw a run between two knots that lies on a circle as its arc (fitArcRun); off for grain, like stretches. */
  arcs?: boolean;
  /**
   * The samples jitter (roughness.ts `jitter`: an image's uneven anti-aliasing): a lone sample up to 0.5 px
   * beyond the tolerance does not split a cubic whose samples are within it three by three (bezier.ts).
   */
  jittery?: boolean;
  /**
   * Move and turn the smooth joints and turn the corners' sides to where the cubics fit their samples best
   * (relax.ts); off for grain, whose smoothed samples are not worth the time.
   */
  relax?: boolean;
  /**
   * Split a cubic within the tolerance whose handles (nearly) cross (bezier.ts `handlesCross`): a pointed
   * bump where the samples round one. Off for grain (photos: more bytes, no visible gain).
   */
  splitPointed?: boolean;
  /**
   * Square a U-turn off onto an edge's line only when its tip lies within U_TURN_REACH of it (placeCorner);
   * off for grain, whose thin spurs reach out to their lines (a photo's colour layers lose 0.002–0.004 SSIM).
   */
  trimUTurns?: boolean;
  /** The image's frame (0 when unknown): a closed outline gets a knot where it leaves or joins it (frameKnots). */
  frameWidth?: number;
  frameHeight?: number;
  /**
   * The image's size for its corners alone (0 when unset): a closed outline's sample on a corner of the image
   * is a sharp knot whatever the corner angle (grain, whose raised corner angle and smoothing rounded them).
   */
  imageWidth?: number;
  imageHeight?: number;
}

/** Samples closer than this (px of arc) to a corner are its rounded tip: not fitted, the corner replaces them. */
const TIP = 0.75;
/**
 * Knot kinds: a bend the outline passes smoothly, a sharp corner, a round join of two straight edges, an
 * open chain's end (its sample, kept where it is), the end of a straight stretch (straight.ts: a bend on the
 * stretch's line). Every kind but BEND counts as sharp when bends near corners are dropped (before any
 * STRETCH knot exists).
 */
const BEND = 0, SHARP = 1, FILLET = 2, PINNED = 3, STRETCH = 4;
/**
 * An acute tip's edges count as lines when within this sagitta (px) of one over their fitted span, even if
 * their measured scatter is smaller: the top edge of a 48 px star, pulled 0.065 px by the corner at its
 * other end, against 0.12 px and more for the gently curved lobes of a 48 or 96 px apple.
 */
const TIP_EDGE_SAGITTA = 0.08;
/** Farthest (px of arc) an acute corner's edge fits start from its tip. */
const ACUTE_REACH = 3;
/** A corner moves to the meeting point of its two edges only when that point is this close (px) to the tip. */
const MAX_CORNER_SHIFT = 1.5;
/**
 * Between straight sides the limit grows as the corner sharpens: the meeting point is taken when it lies
 * within this many px, over the sine of half the interior angle, of the tip sample. Anti-aliasing pulls a
 * sharp corner's tip sample in by 0.25–0.65 px over that sine (measured on stars, bars, glyphs and a
 * triangle from 48 to 192 px); a corner rounded to a radius r lies r·(1/sine − 1) in, 0.8–1 px over the
 * sine for the 48 px dog's nose and ears. (At 1.06, their meeting points stood 2–3 px out as spikes.)
 */
const TIP_SHIFT_SINE = 0.75;
/**
 * A corner moved more than CHECKED_SHIFT px towards its sides' meeting point goes only as far, in steps of
 * TIP_STEP of the way, as the pixel TIP_DEPTH px inside the wedge from the candidate apex (along its
 * bisector) is covered by the region (TIP_COVERAGE or more; ws.coverage, when the caller gives the pixels;
 * not for aliased outlines, whose pixels are all 0 or 1). The samples cannot tell a small rounded end from a sharp tip pulled in
 * by anti-aliasing; the pixels can: at the 48 px dog's ear the sides' lines (one of them fitted along a
 * curve) met 1.54 px out, over a pixel of pure background, and drew a spike.
 */
const CHECKED_SHIFT = 0.5, TIP_COVERAGE = 0.1, TIP_STEP = 0.25, TIP_DEPTH = 0.5;
/**
 * A local maximum of the turn reaching this fraction of the corner angle, but not the angle itself, is a
 * bend: the fit passes through it smoothly. (So a larger corner threshold rounds what it no longer keeps
 * sharp, and high-curvature points anchor the curves.)
 */
const BEND_FRACTION = 0.4;
/**
 * Numbers per knot: arrival point, arriving and leaving directions, departure point (x, y each), the arc
 * length (px) on each side of the knot's sample whose samples the neighbouring pieces leave out, and 1 when
 * that stretch is a sharp corner's rounded tip (its turning is the corner's, not the runs': they do not count
 * it towards their cuts), else 0.
 */
const KNOT = 10;
/**
 * A corner's side is fitted farther from it (from FAR_FROM to FAR_TO corner scales, plus FAR_EXTRA px) when it
 * is straight out to LONG_SIDE scales (plus LONG_EXTRA px): anti-aliasing pulls the samples within a
 * pixel or two of a sharp corner inwards, which tilts lines fitted there, and with them every straight edge
 * between two corners (a 15° bar's long edges came out tilted by up to 0.2 px). A curved side (a gentle arc
 * meeting the frame) keeps the near fit: a line fitted farther along an arc misses its end by more.
 */
const FAR_FROM = 1, FAR_TO = 2, FAR_EXTRA = 2, LONG_SIDE = 4, LONG_EXTRA = 4;

/**
 * Replaces the near side lines in DIR_IN, DIR_OUT (and SPAN) with the far ones for each side of corner c that
 * is straight far enough (see FAR_FROM); leaves the others.
 */
function farSides(poly: Float64Array, n: number, arc: Float64Array, corners: Int32Array, nc: number, c: number, scale: number, straightEdge: number): void {
  NEAR.set(DIR_IN, 0);
  NEAR.set(DIR_OUT, 5);
  NEAR_SPAN.set(SPAN);
  const reach = FAR_TO * scale + FAR_EXTRA;
  const sides = sideLines(poly, n, arc, corners, nc, c, TIP, LONG_SIDE * scale + LONG_EXTRA);
  // Each side on its own: fitted far when it is straight out to the long reach and has samples (about one
  // per pixel) as far as the far span goes; a short side (a thin bar's cap) keeps its near fit.
  let inLong = (sides & 1) !== 0 && SPAN[1] >= reach && straightLine(poly, n, SPAN[0], SPAN[1]);
  let outLong = (sides & 2) !== 0 && SPAN[3] >= reach && straightLine(poly, n, SPAN[2], SPAN[3]);
  if (inLong || outLong) {
    const far = sideLines(poly, n, arc, corners, nc, c, FAR_FROM * scale, reach);
    inLong = inLong && (far & 1) !== 0 && DIR_IN[2] <= straightEdge;
    outLong = outLong && (far & 2) !== 0 && DIR_OUT[2] <= straightEdge;
  }
  if (!inLong) { DIR_IN.set(NEAR.subarray(0, 5)); SPAN[0] = NEAR_SPAN[0]; SPAN[1] = NEAR_SPAN[1]; }
  if (!outLong) { DIR_OUT.set(NEAR.subarray(5, 10)); SPAN[2] = NEAR_SPAN[2]; SPAN[3] = NEAR_SPAN[3]; }
}
const NEAR = new Float64Array(10);
const NEAR_SPAN = new Int32Array(4);

/** Edges this close to opposite (cosine) make a U-turn: the end of a line thinner than the corner scale. */
const U_TURN_COSINE = 0.94;
/**
 * A U-turn is squared off onto each edge's line when the tip lies within this distance (px) of it, as the end
 * of a thin line does (at most 0.76 px on the shape cases). Farther off, that line was fitted past a corner
 * the scale merged away (1.66 px at the 48 px dog's mouth, whose squared-off ends stood out as two 1-px
 * spikes): that end stays on the tip. A little over 1: a 1.5 px bar drawn as one covered row and a half-covered
 * one has its tip sample 1 px from the far side's line, which its fit puts up to 0.002 px farther (at 1.001,
 * eight such 48 px bars had their bottom side fitted up to the tip, lens-shaped; at 1, float error squared one
 * end of the 96 px Papirus "okteta" card's "1"s and cut the other's corner).
 */
const U_TURN_REACH = 1.01;
/** Outlines of at most this many samples (a pixel or two) are written as their polygon. */
const TINY = 8;
/** Floor of the turn per piece (radians): a splice threshold of 0 cuts at every sample, not infinitely often. */
const MIN_TURN = 0.01;
/** A piece is a line only if its end tangents are within this angle (sine) of its chord. */
const LINE_TANGENT_SINE = 0.17;
/**
 * How far (px) anti-aliasing pulls the samples at a sharp corner of 55–75° towards its inside: 0.48–0.66 px
 * at the inner corners of drawn stars and an A's joins at 48, 96 and 192 px alike (but 0.93 px at one inner
 * corner of a 48 px star, which stays round). Drawn round ends sit farther from their sides' meeting point:
 * 0.91 px for a 96 px dog's ear tips, 1.02–1.43 px for glyphs' and emoji's round joins.
 */
const AA_CORNER_ROUNDING = 0.75;
/**
 * How far (radians, 5°) below the corner angle the turn between two straight sides may measure and still be
 * a sharp corner, when the pixels round it say so: fitted over a few pixels, the sides of a regular
 * hexagon's 60° corners turned by 58.4° to 60.9° at 48 px.
 */
const CORNER_ANGLE_SLACK = (5 * Math.PI) / 180;
/** A fillet must pass this many times the sample noise from every sample round its bend (at most the tolerance). */
const FILLET_NOISE = 3;
/** Sample noise (px) of an outline placed by anti-aliasing coverage (see OutlineParams.noise). */
export const ANTIALIASED_NOISE = 0.1;
/** A piece whose samples all lie this close to its chord, as a fraction of the tolerance, is a line. */
const LINE_FRACTION = 0.6;

/** Reusable arrays (grown on demand), so that fitting thousands of outlines allocates little. */
export class OutlineWorkspace {
  arc = new Float64Array(256);
  turn = new Float64Array(256);
  back = new Int32Array(256);
  ahead = new Int32Array(256);
  corners = new Int32Array(64);
  /** Per corner: its point (x, y) and the unit directions of the edge arriving and leaving (4 numbers). */
  cornerGeom = new Float64Array(256);
  cuts = new Int32Array(64);
  /** Per knot: BEND, SHARP, FILLET, PINNED or STRETCH. */
  sharp = new Int32Array(64);
  nearest: Float64Array = new Float64Array(64);
  /** Sample indices of the knots that are not bends, between which straight stretches are looked for. */
  fixed = new Int32Array(64);
  /** Scratch: the stretch gap (px) beside each of the knots in `fixed` (addStraightKnots). */
  gaps = new Float64Array(64);
  /** Scratch: 1 beside each knot in `fixed` that is a notch (a concave sharp corner; addStraightKnots). */
  notches = new Uint8Array(64);
  /** New knots of straight stretches (straight.ts): sample index, point (x, y), direction (x, y) each. */
  straight = new FloatBuffer(40);
  run = new Float64Array(512);
  /** Per knot: the round corner to the next knot, when it is one (centre x, y, radius, turn; radius 0 if not). */
  roundCorner = new Float64Array(64);
  /** findRoundCorners: the knots before it appended any (knotCount), and how many it appended (tangentKnots). */
  knotCount = 0;
  tangentKnots = 0;
  scratch = new Float64Array(256);
  control = new Float64Array(6);
  /** Per cubic written, SEG ints (relax.ts): its kind, its start joint's kind, its first and last sample. */
  segs = new IntBuffer(256);
  /** The index of each cubic's end in ws.run (bezier.ts). */
  ends = new IntBuffer(64);
  /** The sample (unwrapped index) that gatherRun put first after the start point. */
  firstKept = 0;
  relax = new RelaxWorkspace();
  /**
   * When the caller knows the pixels behind the samples: the outline's region's coverage (0–1) of the pixel
   * under a point (subpixel.ts `pixelCoverage`), for placeCorner's check; null: no check. Set before each
   * fitOutline.
   */
  coverage: ((x: number, y: number) => number) | null = null;
  /** Likewise, the region's coverage of a block of pixels (subpixel.ts `blockCoverage`), for placeFillet. */
  blockCoverage: BlockCoverage | null = null;
}

/**
 * A bend that turns this much (radians, over the corner scale) is a corner that the options asked to round
 * (a `cornerThreshold` above the default 60°): its round join stays as the fitter drew it, not pulled
 * towards the corner the samples show.
 */
const ROUNDED_CORNER_TURN = Math.PI / 3;

/** The kind of joint knot c makes for the relaxation: a bend moves, a corner's sides turn, the rest hold. */
function knotJoint(ws: OutlineWorkspace, c: number): number {
  const kind = ws.sharp[c];
  if (kind === BEND) return Math.abs(ws.turn[ws.corners[c]]) < ROUNDED_CORNER_TURN ? SMOOTH : HELD;
  return isCorner(kind) ? CORNER : HELD;
}

/**
 * Where a shape is cut by the image's frame. An outline that leaves the frame line (or joins it) at
 * FRAME_EXIT_ANGLE or more has a corner there, however small its turn: the frame cut the shape. Its last
 * (first) sample on the frame line becomes a sharp knot, replacing any knot within FRAME_EXIT_REACH samples
 * of it off the frame (the exit's rounded tip), and is placed where the side's line meets the frame
 * (placeFrameExit). A round end touching the frame leaves it tangentially and gets none. (A shape crossing
 * the frame at 20° had its exit rounded over 2 px, 0.8 px off the side's line.)
 */
const FRAME_EXIT_ANGLE = (15 * Math.PI) / 180;
const FRAME_EXIT_REACH = 3;
/** Farthest (px) an exit moves from its sample to where its side meets the frame. */
const FRAME_EXIT_SHIFT = 3;
/**
 * How far (px) an exit may move back along its own run on the frame: a side that curves into the frame (a
 * round end near where it touches) meets the frame line short of the exit, and the cut would show what lies
 * beneath.
 */
const FRAME_EXIT_BACK = 0.25;
/** How near (px) a frame exit or a notch a straight side may end in a knot of its own (addStraightKnots). */
const SIDE_END_GAP = 1;

/** 1 when sample i lies on the left or right side of the frame, 2 on the top or bottom, 3 on a frame corner, else 0. */
function frameSide(poly: Float64Array, i: number, w: number, h: number): number {
  const x = poly[2 * i], y = poly[2 * i + 1];
  return (x <= 0 || x >= w ? 1 : 0) | (y <= 0 || y >= h ? 2 : 0);
}

/**
 * Adds the frame exits of a closed outline to its knots (kept in sample order; see FRAME_EXIT_ANGLE).
 * Returns the new knot count.
 */
function frameKnots(
  poly: Float64Array, n: number, arc: Float64Array, scale: number, noise: number, w: number, h: number, nc: number, ws: OutlineWorkspace,
): number {
  // Exits as sample index + n · (0 leaving the frame forwards, 1 backwards).
  const exits = ws.scratch = withCapacity(ws.scratch, n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const dir = frameExit(poly, n, arc, i, scale, noise, w, h);
    if (dir !== 0) exits[count++] = i + (dir > 0 ? 0 : n);
  }
  if (count === 0) return nc;
  // The knots that stay (not within reach of an exit, off the frame), then the exits, merged by sample.
  const kept = ws.fixed = withCapacity(ws.fixed, 2 * nc);
  let m = 0;
  for (let a = 0; a < nc; a++) {
    const c = ws.corners[a];
    let absorbed = false;
    for (let e = 0; e < count && !absorbed; e++) {
      const i = exits[e] % n, dir = exits[e] >= n ? -1 : 1;
      const ahead = dir > 0 ? (c - i + n) % n : (i - c + n) % n;
      absorbed = ahead >= 1 && ahead <= FRAME_EXIT_REACH;
    }
    if (!absorbed) { kept[2 * m] = c; kept[2 * m + 1] = ws.sharp[a]; m++; }
  }
  const total = m + count;
  ws.corners = withCapacity(ws.corners, total);
  ws.sharp = withCapacity(ws.sharp, total);
  let a = 0, e = 0, o = 0;
  while (a < m || e < count) {
    const exit = e < count ? exits[e] % n : Infinity;
    if (a < m && kept[2 * a] <= exit) {
      ws.corners[o] = kept[2 * a];
      // A knot already on the exit's sample becomes the sharp exit.
      ws.sharp[o++] = kept[2 * a] === exit ? SHARP : kept[2 * a + 1];
      if (kept[2 * a] === exit) e++;
      a++;
    } else {
      ws.corners[o] = exit;
      ws.sharp[o++] = SHARP;
      e++;
    }
  }
  return o;
}

/** A frame exit's point and the direction of its side (frameExit). */
const EXIT = new Float64Array(4);
/** Scratch line for frameExit (as DIR_IN). */
const DIR_TMP = new Float64Array(5);

/**
 * Whether sample i is a frame exit: on a side of the frame, with a neighbour off it, the outline leaving the
 * frame line there at FRAME_EXIT_ANGLE or more (measured FRAME_EXIT_REACH samples on), along a side that is
 * straight from TIP to scale + 2 px of arc, whose line meets the frame line within FRAME_EXIT_SHIFT of the
 * sample and at most FRAME_EXIT_BACK back along its run on the frame. Returns the way off the frame (1 forwards,
 * −1 backwards), with EXIT set to the meeting point and the side's direction (oriented along the outline); 0
 * when it is no exit.
 */
function frameExit(poly: Float64Array, n: number, arc: Float64Array, i: number, scale: number, noise: number, w: number, h: number): number {
  const side = frameSide(poly, i, w, h);
  if (side !== 1 && side !== 2) return 0;
  const dir = frameSide(poly, (i + 1) % n, w, h) === 0 ? 1 : frameSide(poly, (i + n - 1) % n, w, h) === 0 ? -1 : 0;
  if (dir === 0) return 0;
  const x = poly[2 * i], y = poly[2 * i + 1];
  const vertical = side === 1;
  let j = i;
  for (let k = 0; k < FRAME_EXIT_REACH; k++) {
    const t = (j + dir + n) % n;
    if (frameSide(poly, t, w, h) !== 0) break;
    j = t;
  }
  const ex = poly[2 * j] - x, ey = poly[2 * j + 1] - y;
  // The part of the way out that crosses the frame line: along x off the left or right side, along y off
  // the top or bottom.
  if (Math.abs(vertical ? ex : ey) < Math.sin(FRAME_EXIT_ANGLE) * Math.sqrt(ex * ex + ey * ey)) return 0;
  // The side: the samples from TIP to scale + 2 px of arc off the frame, as a line.
  const far = scale + 2;
  let first = -1, count = 0;
  for (let k = (i + dir + n) % n; k !== i; k = (k + dir + n) % n) {
    if (frameSide(poly, k, w, h) !== 0) break;
    const d = dir > 0 ? arcDistance(arc, n, i, k) : arcDistance(arc, n, k, i);
    if (d > far) break;
    if (d >= TIP) {
      if (dir < 0 || first < 0) first = k;
      count++;
    }
  }
  if (!fitDirection(poly, n, first, count, DIR_TMP) || DIR_TMP[2] > (STRAIGHT_NOISE * noise) ** 2) return 0;
  const dx = DIR_TMP[0], dy = DIR_TMP[1];
  const along = vertical ? dx : dy;
  if (Math.abs(along) < 1e-9) return 0;
  const t = ((vertical ? x : y) - (vertical ? DIR_TMP[3] : DIR_TMP[4])) / along;
  const mx = vertical ? x : DIR_TMP[3] + t * dx, my = vertical ? DIR_TMP[4] + t * dy : y;
  if ((mx - x) ** 2 + (my - y) ** 2 > FRAME_EXIT_SHIFT * FRAME_EXIT_SHIFT) return 0;
  // (bx, by): the unit step back along the run on the frame.
  const k = (i - dir + n) % n;
  const bx = vertical ? 0 : Math.sign(poly[2 * k] - x), by = vertical ? Math.sign(poly[2 * k + 1] - y) : 0;
  if ((mx - x) * bx + (my - y) * by > FRAME_EXIT_BACK) return 0;
  if (roundEndOnFrame(poly, n, arc, i, dir, vertical ? x : y, vertical, 2 * scale + 2, noise, w, h)) return 0;
  EXIT[0] = mx; EXIT[1] = my; EXIT[2] = dx; EXIT[3] = dy;
  return dir;
}

/**
 * A round end touching the frame (roundEndOnFrame): its run on the frame is at most this many samples besides
 * the exit (a circle meets its frame pixel's row in one or two), its circle 1.5 px or more in radius, its
 * centre that radius from the frame line within TANGENT_GAP px.
 */
const TANGENT_RUN = 1, TANGENT_MIN_RADIUS = 1.5, TANGENT_GAP = 0.2;
/** roundEndOnFrame's circle (fitCircle's layout: centre x, y, radius, rms, largest distance). */
const FRAME_CIRCLE = new Float64Array(5);

/**
 * Whether the outline leaving the frame at sample i (the way `dir`) is a round end touching the frame line
 * (x = line when `vertical`, else y = line): its samples from the far end of its short run on the frame to
 * `reach` px of arc off it lie within the noise of one circle tangent to the line. Such an end leaves the frame
 * at 15° within a pixel or two, as a cut does: a 12 px stroke's round cap on the bottom of a 96 px icon got two
 * sharp exits 2.5 px apart, a flat-bottomed point.
 */
function roundEndOnFrame(
  poly: Float64Array, n: number, arc: Float64Array, i: number, dir: number, line: number, vertical: boolean, reach: number, noise: number,
  w: number, h: number,
): boolean {
  let back = i, behind = 0;
  for (let t = (i - dir + n) % n; frameSide(poly, t, w, h) !== 0; t = (t - dir + n) % n) {
    if (++behind > TANGENT_RUN) return false;
    back = t;
  }
  let count = 1 + behind, k = i;
  for (let t = (i + dir + n) % n; t !== back; t = (t + dir + n) % n) {
    if ((dir > 0 ? arcDistance(arc, n, i, t) : arcDistance(arc, n, t, i)) > reach) break;
    k = t;
    count++;
  }
  const first = dir > 0 ? back : k;
  if (count < 5 || !fitCircle(poly, n, first, first + count - 1, FRAME_CIRCLE)) return false;
  const r = FRAME_CIRCLE[2];
  if (r < TANGENT_MIN_RADIUS || FRAME_CIRCLE[3] > noise) return false;
  return Math.abs(Math.abs((vertical ? FRAME_CIRCLE[0] : FRAME_CIRCLE[1]) - line) - r) <= TANGENT_GAP;
}

/**
 * Knot c, when it is a frame exit (frameExit), placed where its side's line meets the frame: into geom,
 * true; false (nothing written) otherwise.
 */
function placeFrameExit(
  poly: Float64Array, n: number, arc: Float64Array, corners: Int32Array, c: number, scale: number, noise: number,
  w: number, h: number, geom: Float64Array,
): boolean {
  const i = corners[c];
  const dir = frameExit(poly, n, arc, i, scale, noise, w, h);
  if (dir === 0) return false;
  // The frame line's direction along the outline: from the run on the frame towards the exit, or away.
  const k = (i - dir + n) % n;
  const fx = Math.sign(poly[2 * i] - poly[2 * k]) * dir, fy = Math.sign(poly[2 * i + 1] - poly[2 * k + 1]) * dir;
  const o = KNOT * c;
  geom[o] = EXIT[0]; geom[o + 1] = EXIT[1];
  geom[o + 6] = EXIT[0]; geom[o + 7] = EXIT[1];
  // Arriving along the frame and leaving along the side, or the other way round.
  geom[o + 2] = dir > 0 ? fx : EXIT[2]; geom[o + 3] = dir > 0 ? fy : EXIT[3];
  geom[o + 4] = dir > 0 ? EXIT[2] : fx; geom[o + 5] = dir > 0 ? EXIT[3] : fy;
  geom[o + 8] = 0;
  geom[o + 9] = 1;
  return true;
}

/** A knot where the outline's direction breaks: a sharp corner or an open chain's pinned end. */
function isCorner(kind: number): boolean {
  return kind === SHARP || kind === PINNED;
}

/** Records the cubics appended to `out` since it held `before` numbers: kind, first one's start joint, samples lo..hi. */
function mark(ws: OutlineWorkspace, out: FloatBuffer, before: number, kind: number, joint: number, lo: number, hi: number): void {
  for (let at = before; at < out.length; at += 6) {
    ws.segs.push2(kind, at === before ? joint : HELD);
    ws.segs.push2(lo, hi);
  }
}

/**
 * Fits samples 0..n−1 of `poly`: a closed outline, or (closed false) an open chain whose first and last
 * samples are pinned (the junctions of the cutout mosaic: the neighbouring chains end there too). Output, a
 * Spline: a closed outline's last cubic ends at its start, an open chain's at its last sample.
 */
export function fitOutline(poly: Float64Array, n: number, closed: boolean, p: OutlineParams, ws: OutlineWorkspace, out: FloatBuffer): void {
  out.clear();
  ws.segs.clear();
  if (closed ? n <= TINY : n <= 3) {
    // A dot of a pixel or two, or a border a pixel or two long: its few samples are all there is to say.
    out.push2(poly[0], poly[1]);
    const last = closed ? n : n - 1;
    for (let i = 1; i <= last; i++) pushLine(out, poly[2 * (i % n)], poly[2 * (i % n) + 1]);
    return;
  }
  ws.arc = withCapacity(ws.arc, n + 1);
  ws.turn = withCapacity(ws.turn, n);
  ws.back = withCapacity(ws.back, n);
  ws.ahead = withCapacity(ws.ahead, n);
  const arc = ws.arc, turn = ws.turn, back = ws.back, ahead = ws.ahead;
  // arc[i]: arc length from sample 0 to sample i; arc[n]: the whole loop.
  arc[0] = 0;
  for (let i = 1; i <= n; i++) {
    const j = i % n;
    arc[i] = arc[i - 1] + Math.sqrt((poly[2 * j] - poly[2 * i - 2]) ** 2 + (poly[2 * j + 1] - poly[2 * i - 1]) ** 2);
  }
  // (An open chain's arc[n] is the length of a closing segment it does not have: never walked across.)
  const total = closed ? arc[n] : arc[n - 1];
  if (total <= 0) return;
  const scale = Math.min(p.scale, total / 10);
  // A short outline measures turns over a tenth of its length (round-tips.ts reads its square ends so).
  const shortOutline = scale === total / 10;
  const noise = p.noise ?? ANTIALIASED_NOISE;

  // 1. turn at each sample between the chords to the samples `scale` behind and ahead.
  for (let i = 0; i < n; i++) {
    // back: the last sample at least `scale` behind; ahead: the first at least `scale` ahead (cyclic arc).
    // (An open chain's walks stop at its ends.) Indices wrap by a test, not a division per step.
    const after = i + 1 === n ? 0 : i + 1, before = i === 0 ? n - 1 : i - 1;
    let k = i;
    let walked = 0;
    do {
      if (!closed && k === 0) break;
      const prev = k === 0 ? n - 1 : k - 1;
      walked += cyclicStep(arc, prev, k, n);
      k = prev;
    } while (walked < scale && k !== after);
    back[i] = k;
    k = i;
    walked = 0;
    do {
      if (!closed && k === n - 1) break;
      const next = k + 1 === n ? 0 : k + 1;
      walked += cyclicStep(arc, k, next, n);
      k = next;
    } while (walked < scale && k !== before);
    ahead[i] = k;
    const px = poly[2 * i], py = poly[2 * i + 1];
    turn[i] = turnAngle(px - poly[2 * back[i]], py - poly[2 * back[i] + 1], poly[2 * k] - px, poly[2 * k + 1] - py);
  }

  const milestone = n >= LONG_FIT && p.check ? p.check : null;
  milestone?.(KNOTS_FROM + 0.25 * (KNOTS_SHARE - KNOTS_FROM));
  // 2. corners: local maxima of |turn| reaching the corner angle (ties: the first); an open chain's ends
  // are knots of their own, pinned.
  let nc = 0;
  ws.corners = withCapacity(ws.corners, 2);
  ws.sharp = withCapacity(ws.sharp, 2);
  if (!closed) {
    ws.corners[0] = 0;
    ws.sharp[nc++] = PINNED;
  }
  // On a hard-edged outline the window's far ends are left out alike: two lattice corners exactly one scale
  // apart (a pixel-aligned 4 px bar's end, at the doubled scale) tie, and the second lay on the first's
  // window's edge and lost to it (one corner, the end drawn slanted).
  const lattice = noise > ANTIALIASED_NOISE;
  // A closed outline is scanned from the first sample of a run of equal turns, so that "first" in a tie is
  // the run's first sample along the outline, not sample 0 in its middle (a bar's end of equal turns, with
  // sample 0 half a pixel past its corner, kept that sample and lost both corners).
  let start = 0;
  if (closed) for (let i = 0; i < n; i++) if (Math.abs(turn[i]) !== Math.abs(turn[(i + n - 1) % n])) { start = i; break; }
  for (let step = closed ? 0 : 1; step < (closed ? n : n - 1); step++) {
    const i = (start + step) % n;
    const t = Math.abs(turn[i]);
    if (t < p.cornerAngle * BEND_FRACTION) continue;
    let isMax = true;
    for (let k = back[i]; k !== ahead[i] && isMax; k = (k + 1) % n) {
      if (k === i || (k === back[i] && lattice)) continue;
      const tk = Math.abs(turn[k]);
      // A tie loses only to a corner already chosen nearby (lattice shapes tie often; both ends of a run
      // of equal turns must not both become corners, but a square's opposite corners must).
      if (tk > t || (tk === t && isChosen(ws.corners, nc, k))) isMax = false;
    }
    if (!isMax) continue;
    ws.corners = withCapacity(ws.corners, nc + 1);
    ws.sharp = withCapacity(ws.sharp, nc + 1);
    ws.sharp[nc] = t >= p.cornerAngle ? SHARP : BEND;
    ws.corners[nc++] = i;
  }
  if (start > 0) rotateToSampleOrder(ws.corners, ws.sharp, nc);
  if (!closed) {
    ws.corners = withCapacity(ws.corners, nc + 1);
    ws.sharp = withCapacity(ws.sharp, nc + 1);
    ws.corners[nc] = n - 1;
    ws.sharp[nc++] = PINNED;
  }
  if (closed && (p.frameWidth ?? 0) > 0) nc = frameKnots(poly, n, arc, scale, noise, p.frameWidth!, p.frameHeight!, nc, ws);
  if (closed && (p.imageWidth ?? 0) > 0) nc = imageCornerKnots(poly, n, p.imageWidth!, p.imageHeight!, nc, ws);
  nc = dropBendsNearCorners(ws, nc, arc, n, 2 * scale);
  let corners = ws.corners;
  ws.cornerGeom = withCapacity(ws.cornerGeom, KNOT * nc);
  let geom = ws.cornerGeom;
  for (let c = 0; c < nc; c++) {
    if (ws.sharp[c] === PINNED) placePinned(poly, n, arc, corners, nc, c, scale, geom);
    else if (ws.sharp[c] === SHARP) {
      if (!((p.frameWidth ?? 0) > 0 && placeFrameExit(poly, n, arc, corners, c, scale, noise, p.frameWidth!, p.frameHeight!, geom))) {
        placeCorner(poly, n, arc, corners, nc, c, scale, noise, p.trimUTurns === false ? Infinity : U_TURN_REACH, geom, ws.coverage);
      }
    }
    else {
      const kind = placeFillet(poly, n, arc, corners, nc, c, scale, noise, p.tolerance, p.cornerAngle, geom, ws.blockCoverage);
      if (kind !== BEND) ws.sharp[c] = kind;
      else placeBend(poly, n, arc, corners[c], scale, geom, KNOT * c);
    }
  }

  milestone?.(KNOTS_FROM + 0.5 * (KNOTS_SHARE - KNOTS_FROM));
  // 2″. round tips (round-tips.ts): a sharp knot on a round cap or join gives way to its arc's two ends. On
  // hard-edged outlines only a stroke's square end is told: their staircase cannot tell a round cap from a
  // square end (a 96 px bar's square ends, thresholded, fitted a circle within their ±½ px and came out
  // round: −4.4 dB), but a flat end between two parallel sides is square (a pixel-aligned 3 px bar's ends,
  // two corners within one corner scale, were one sharp knot: arrow points 1.5 px long).
  if (closed && p.arcs !== false && noise <= ANTIALIASED_NOISE) nc = placeRoundTips(poly, n, arc, nc, scale, noise, p, ws, null, shortOutline);
  else if (closed && noise > ANTIALIASED_NOISE) nc = placeRoundTips(poly, n, arc, nc, scale, noise, p, ws, turn, shortOutline);
  corners = ws.corners;
  geom = ws.cornerGeom;

  milestone?.(KNOTS_FROM + 0.6 * (KNOTS_SHARE - KNOTS_FROM));
  // 2′. straight stretches inside the runs get a knot at each end: a line between, tangent curves beside.
  if (p.stretches !== false) nc = addStraightKnots(poly, n, arc, closed, turn, nc, scale, noise, p.frameWidth ?? 0, p.frameHeight ?? 0, ws);
  corners = ws.corners; // (grown when knots were added)
  geom = ws.cornerGeom;
  ws.roundCorner = withCapacity(ws.roundCorner, 4 * nc);
  ws.roundCorner.fill(0, 0, 4 * nc);
  if (p.arcs !== false) nc = findRoundCorners(poly, n, arc, closed, nc, p, ws);
  milestone?.(KNOTS_SHARE);

  // 3. + 4. pieces between corners (or round the whole loop), cut by turning, fitted.
  if (nc === 0) fitLoop(poly, n, arc, p, ws, out);
  else fitRuns(poly, n, arc, closed, nc, p, ws, out);
  const m = (out.length - 2) / 6;
  if (p.relax === true && ws.segs.length === SEG * m && m >= 2) {
    ws.relax.tolerance = p.tolerance;
    relaxSpline(poly, n, closed, out.data, m, ws.segs.data, ws.relax);
  }
}

/** 3. + 4. for an outline with knots: the runs between them, each ending where its end knot is reached. */
function fitRuns(
  poly: Float64Array, n: number, arc: Float64Array, closed: boolean, nc: number, p: OutlineParams, ws: OutlineWorkspace, out: FloatBuffer,
): void {
  const corners = ws.corners, geom = ws.cornerGeom;
  // Start where knot 0 is left; each run ends where its end knot is reached; a cap joins the two.
  out.push2(geom[6], geom[7]);
  for (let c = 0; c < (closed ? nc : nc - 1); c++) {
    if (p.check && (c & 63) === 63) p.check(KNOTS_SHARE + (1 - KNOTS_SHARE) * (c / nc));
    const c2 = (c + 1) % nc;
    // The run ends at the next corner, unwrapped past n when it lies round the loop (the last run).
    fitRun(poly, n, arc, corners[c], corners[c2] + (c2 === 0 ? n : 0), geom, c, c2, p, ws, out);
  }
}

/**
 * Adds a knot at each end of the straight stretches of the runs between knots 0..nc−1 (straight.ts): a BEND
 * placed on the stretch's line, along it. The run between the two is then one line, and the curves beside
 * it leave it tangentially, as a rounded rectangle's corners leave its sides. Returns the new knot count
 * (knots stay in sample order).
 */
function addStraightKnots(
  poly: Float64Array, n: number, arc: Float64Array, closed: boolean, turn: Float64Array, nc: number,
  scale: number, noise: number, frameW: number, frameH: number, ws: OutlineWorkspace,
): number {
  // Stretches are looked for between the knots that are not bends: a bend in the middle of a small round
  // corner (a turn of 24° or more within the corner scale) must not keep the sides beside it from ending
  // in knots of their own.
  ws.fixed = withCapacity(ws.fixed, nc);
  ws.gaps = withCapacity(ws.gaps, nc);
  ws.notches = withCapacity(ws.notches, nc);
  let nf = 0;
  const frame = frameW > 0;
  for (let c = 0; c < nc; c++) {
    if (ws.sharp[c] === BEND) continue;
    const i = ws.corners[c] % n;
    // A frame exit cut a shape whose side may curve just before the frame (a rounded bar's corner), and any
    // sharp corner may stay off its side's line with a short curve between (a notch between an arrow's shaft and
    // its head; a screen's round corner cut by a slash, convex): the side's line ends in a knot of its own 1 px
    // from the corner, or one cubic spans the side and the curve, and sags. (besideOnLine drops that knot where
    // the corner is placed on the line.)
    const fs = frame ? frameSide(poly, i, frameW, frameH) : 0;
    const onFrame = ws.sharp[c] === SHARP && (fs === 1 || fs === 2);
    // (Anti-aliased outlines only: a hard-edged one's corners sit within half a pixel of its lines anyway, and
    // the knots beside them cost bench:shapes --aliased 0.6 dB on a 48 px chat icon. Nor beside a convex acute
    // tip whose edges are lines, placeCorner's longer tip: its edges run straight into it, which anti-aliasing
    // rounds off their line, and a knot beside it bent a 48 px star's edges 3°.)
    const sharpAA = ws.sharp[c] === SHARP && noise <= ANTIALIASED_NOISE;
    const notch = sharpAA && turn[i] < 0;
    const sideEnd = sharpAA && (notch || ws.cornerGeom[KNOT * c + 8] <= TIP);
    ws.gaps[nf] = onFrame || sideEnd ? SIDE_END_GAP : STRAIGHT_KNOT_GAP * scale;
    ws.notches[nf] = notch ? 1 : 0;
    ws.fixed[nf++] = ws.corners[c];
  }
  findStretchKnots(poly, n, arc, closed, turn, ws.fixed, nf, scale, noise, TIP, STRAIGHT_NOISE * noise, ws.straight, ws.gaps, ws.notches);
  const added = ws.straight.length / 5;
  if (added === 0) return nc;
  // The new knots after the others, then all sorted by sample index (a knot of the last run may lie past
  // sample n − 1, before knot 0).
  const count = nc + added;
  ws.corners = withCapacity(ws.corners, count);
  ws.sharp = withCapacity(ws.sharp, count);
  ws.cornerGeom = withCapacity(ws.cornerGeom, KNOT * count);
  const st = ws.straight.data, geom = ws.cornerGeom;
  let kept = 0;
  for (let k = 0; k < added; k++) {
    const o = 5 * k;
    // A stretch that runs into a sharp corner ends at the corner: no knot inside its rounded tip, nor beside a
    // notch or frame exit placed on its line.
    if (nearSharpCorner(arc, n, st[o] % n, ws, nc) || besideOnLine(arc, n, st, o, ws, nc, STRAIGHT_KNOT_GAP * scale, STRAIGHT_NOISE * noise)) continue;
    const c = nc + kept++, g = KNOT * c;
    ws.corners[c] = st[o];
    ws.sharp[c] = STRETCH;
    geom[g] = geom[g + 6] = st[o + 1];
    geom[g + 1] = geom[g + 7] = st[o + 2];
    geom[g + 2] = geom[g + 4] = st[o + 3];
    geom[g + 3] = geom[g + 5] = st[o + 4];
    geom[g + 8] = 0;
    geom[g + 9] = 0;
  }
  sortKnots(ws, nc + kept);
  return nc + kept;
}

/**
 * Sharp knots on the samples that lie on a corner of the image (w × h), where none is (see
 * OutlineParams.imageWidth); knots stay in sample order. Returns the new knot count.
 */
function imageCornerKnots(poly: Float64Array, n: number, w: number, h: number, nc: number, ws: OutlineWorkspace): number {
  let count = nc;
  for (let i = 0; i < n; i++) {
    if (!onImageCorner(poly[2 * i], poly[2 * i + 1], w, h)) continue;
    let k = 0;
    while (k < nc && ws.corners[k] !== i) k++;
    if (k < nc) { ws.sharp[k] = SHARP; continue; }
    ws.corners = withCapacity(ws.corners, count + 1);
    ws.sharp = withCapacity(ws.sharp, count + 1);
    ws.cornerGeom = withCapacity(ws.cornerGeom, KNOT * (count + 1));
    ws.corners[count] = i;
    ws.sharp[count++] = SHARP;
  }
  // (Their geometry is placed afterwards, with the other knots'.)
  if (count > nc) sortKnots(ws, count);
  return count;
}

/** Stage 2″ (round-tips.ts): round caps and joins instead of sharp knots; knots stay in sample order. */
function placeRoundTips(
  poly: Float64Array, n: number, arc: Float64Array, nc: number, scale: number, noise: number, p: OutlineParams, ws: OutlineWorkspace,
  squareTurn: Float64Array | null, shortOutline: boolean,
): number {
  const grow = (count: number): OutlineWorkspace => {
    ws.corners = withCapacity(ws.corners, count);
    ws.sharp = withCapacity(ws.sharp, count);
    ws.cornerGeom = withCapacity(ws.cornerGeom, KNOT * count);
    return ws;
  };
  const count = roundTips(poly, n, arc, nc, scale, noise, p.frameWidth ?? 0, p.frameHeight ?? 0, KNOT,
    { sharp: SHARP, bend: BEND, tangent: STRETCH, removed: REMOVED, square: squareTurn !== null ? SQUARE_END : SHARP }, ws, grow, squareTurn, shortOutline);
  // (A squeezed tip may have been removed without any knot added.)
  if (count === nc && !ws.sharp.subarray(0, nc).includes(REMOVED)) return nc;
  const kept = dropRemoved(ws, count, false);
  sortKnots(ws, kept);
  if (squareTurn !== null) placeBesideSquareEnds(poly, n, arc, kept, scale, noise, p, ws);
  return kept;
}

/**
 * On a hard-edged outline, the sharp knots next to a square end (kind SQUARE_END, made SHARP here) were
 * placed with their sides fitted up to the U-turn knot, over the end's first samples (a 2 px bar's inner
 * corner stood 0.26 px off its edge): they are placed again, their sides now stopping at the end's corners.
 */
function placeBesideSquareEnds(
  poly: Float64Array, n: number, arc: Float64Array, nc: number, scale: number, noise: number, p: OutlineParams, ws: OutlineWorkspace,
): void {
  const reach = p.trimUTurns === false ? Infinity : U_TURN_REACH;
  for (let c = 0; c < nc; c++) {
    if (ws.sharp[c] !== SHARP) continue;
    if (ws.sharp[(c + nc - 1) % nc] !== SQUARE_END && ws.sharp[(c + 1) % nc] !== SQUARE_END) continue;
    placeCorner(poly, n, arc, ws.corners, nc, c, scale, noise, reach, ws.cornerGeom, ws.coverage);
  }
  for (let c = 0; c < nc; c++) if (ws.sharp[c] === SQUARE_END) ws.sharp[c] = SHARP;
}

/**
 * Drops the knots of kind REMOVED from knots 0..count−1 (sample index, kind and geometry move together, and
 * the round corners when `roundCorners`); returns the new count.
 */
function dropRemoved(ws: OutlineWorkspace, count: number, roundCorners: boolean): number {
  let kept = 0;
  for (let c = 0; c < count; c++) {
    if (ws.sharp[c] === REMOVED) continue;
    if (kept !== c) {
      ws.corners[kept] = ws.corners[c];
      ws.sharp[kept] = ws.sharp[c];
      for (let q = 0; q < KNOT; q++) ws.cornerGeom[KNOT * kept + q] = ws.cornerGeom[KNOT * c + q];
      if (roundCorners) for (let q = 0; q < 4; q++) ws.roundCorner[4 * kept + q] = ws.roundCorner[4 * c + q];
    }
    kept++;
  }
  return kept;
}

/**
 * True when the stretch knot at ws.straight[o..o+4] lies within `gap` px of arc of a sharp knot placed within
 * `limit` px of its line: the side already ends there (a star's inner corner, its sides' meeting point). A
 * notch or frame exit placed off the line (kept on its sample, or where a curve beyond meets the frame) needs
 * the knot.
 */
function besideOnLine(arc: Float64Array, n: number, st: Float64Array, o: number, ws: OutlineWorkspace, nc: number, gap: number, limit: number): boolean {
  const i = st[o] % n;
  for (let c = 0; c < nc; c++) {
    if (ws.sharp[c] !== SHARP) continue;
    const k = ws.corners[c] % n;
    if (Math.min(arcDistance(arc, n, k, i), arcDistance(arc, n, i, k)) > gap) continue;
    const g = KNOT * c;
    if (Math.abs((ws.cornerGeom[g] - st[o + 1]) * st[o + 4] - (ws.cornerGeom[g + 1] - st[o + 2]) * st[o + 3]) <= limit) return true;
  }
  return false;
}

/** True when sample i lies within a sharp knot's rounded tip (its trimmed arc, plus a pixel) of knots 0..nc−1. */
function nearSharpCorner(arc: Float64Array, n: number, i: number, ws: OutlineWorkspace, nc: number): boolean {
  for (let c = 0; c < nc; c++) {
    if (ws.sharp[c] !== SHARP) continue;
    const k = ws.corners[c] % n;
    const d = Math.min(arcDistance(arc, n, k, i), arcDistance(arc, n, i, k));
    if (d <= ws.cornerGeom[KNOT * c + 8] + 1) return true;
  }
  return false;
}

const KNOT_TMP = new Float64Array(KNOT);

/** Sorts knots 0..count−1 (sample index, kind, geometry) by sample index: insertion sort, as they are few and mostly in order. */
function sortKnots(ws: OutlineWorkspace, count: number, roundCorners = false): void {
  const corners = ws.corners, sharp = ws.sharp, geom = ws.cornerGeom, rc = ws.roundCorner;
  const g = KNOT_TMP, r = RC_TMP;
  for (let c = 1; c < count; c++) {
    const key = corners[c], kind = sharp[c];
    for (let q = 0; q < KNOT; q++) g[q] = geom[KNOT * c + q];
    if (roundCorners) for (let q = 0; q < 4; q++) r[q] = rc[4 * c + q];
    let d = c - 1;
    while (d >= 0 && corners[d] > key) {
      corners[d + 1] = corners[d];
      sharp[d + 1] = sharp[d];
      for (let q = 0; q < KNOT; q++) geom[KNOT * (d + 1) + q] = geom[KNOT * d + q];
      if (roundCorners) for (let q = 0; q < 4; q++) rc[4 * (d + 1) + q] = rc[4 * d + q];
      d--;
    }
    corners[d + 1] = key;
    sharp[d + 1] = kind;
    for (let q = 0; q < KNOT; q++) geom[KNOT * (d + 1) + q] = g[q];
    if (roundCorners) for (let q = 0; q < 4; q++) rc[4 * (d + 1) + q] = r[q];
  }
}
const RC_TMP = new Float64Array(4);

/** Knots 0..nc−1 found in sample order from some start round the loop: rotated to ascend from sample 0. */
function rotateToSampleOrder(corners: Int32Array, kinds: Int32Array, nc: number): void {
  let first = 0;
  while (first + 1 < nc && corners[first + 1] > corners[first]) first++;
  first++;
  if (first >= nc) return;
  // In place, by three reversals: [0, first) and [first, nc), then the whole.
  for (const a of [corners, kinds]) {
    a.subarray(0, first).reverse();
    a.subarray(first, nc).reverse();
    a.subarray(0, nc).reverse();
  }
}

function isChosen(corners: Int32Array, nc: number, k: number): boolean {
  for (let c = nc - 1; c >= 0 && c >= nc - 4; c--) if (corners[c] === k) return true;
  return nc > 0 && corners[0] === k;
}

/**
 * Removes bends within `reach` px of arc of a sharp corner (the rounded shoulders of its tip); returns the
 * new count. Knots are in outline order, so each bend only needs the nearest sharp corner on either side.
 */
function dropBendsNearCorners(ws: OutlineWorkspace, nc: number, arc: Float64Array, n: number, reach: number): number {
  const corners = ws.corners, sharp = ws.sharp, total = arc[n];
  let firstSharp = -1, lastSharp = -1;
  for (let c = 0; c < nc; c++) if (sharp[c]) { if (firstSharp < 0) firstSharp = c; lastSharp = c; }
  if (firstSharp < 0) return nc;
  // nearest[c]: arc distance from knot c to the closest sharp corner, forwards and backwards (cyclic).
  ws.nearest = withCapacity(ws.nearest, nc);
  const nearest = ws.nearest;
  let prev = arc[corners[lastSharp]] - total;
  for (let c = 0; c < nc; c++) {
    if (sharp[c]) prev = arc[corners[c]];
    nearest[c] = arc[corners[c]] - prev;
  }
  let next = arc[corners[firstSharp]] + total;
  for (let c = nc - 1; c >= 0; c--) {
    if (sharp[c]) next = arc[corners[c]];
    nearest[c] = Math.min(nearest[c], next - arc[corners[c]]);
  }
  let kept = 0;
  for (let c = 0; c < nc; c++) {
    if (!sharp[c] && nearest[c] < reach) continue;
    corners[kept] = corners[c];
    sharp[kept] = sharp[c];
    kept++;
  }
  return kept;
}

/** A bend: the outline passes through sample i smoothly, along its tangent (geom as for a corner). */
function placeBend(poly: Float64Array, n: number, arc: Float64Array, i: number, scale: number, geom: Float64Array, o: number): void {
  tangentAt(poly, n, arc, i, scale, TAN);
  // The point: the mean of the samples within TIP of arc on both sides, so a bend rounds what it passes
  // (on a smooth curve the mean is within a hundredth of a pixel of the sample).
  const total = arc[n];
  let sx = poly[2 * i], sy = poly[2 * i + 1], count = 1;
  for (let k = (i + 1) % n; k !== i; k = (k + 1) % n) {
    let d = arc[k] - arc[i];
    if (d < 0) d += total;
    if (d > TIP) break;
    sx += poly[2 * k]; sy += poly[2 * k + 1]; count++;
  }
  for (let k = (i + n - 1) % n; k !== i; k = (k + n - 1) % n) {
    let d = arc[i] - arc[k];
    if (d < 0) d += total;
    if (d > TIP) break;
    sx += poly[2 * k]; sy += poly[2 * k + 1]; count++;
  }
  geom[o] = sx / count; geom[o + 1] = sy / count;
  geom[o + 2] = TAN[0]; geom[o + 3] = TAN[1];
  geom[o + 4] = TAN[0]; geom[o + 5] = TAN[1];
  geom[o + 6] = geom[o]; geom[o + 7] = geom[o + 1];
  geom[o + 8] = 0;
  geom[o + 9] = 0;
}

/** Turn (radians, signed) at sample i between its incoming and outgoing steps (cyclic indices). */
function stepTurn(poly: Float64Array, n: number, i: number): number {
  const h = (i + n - 1) % n, j = (i + 1) % n;
  return turnAngle(poly[2 * i] - poly[2 * h], poly[2 * i + 1] - poly[2 * h + 1], poly[2 * j] - poly[2 * i], poly[2 * j + 1] - poly[2 * i + 1]);
}

/** Direction (x, y), mean squared residual and centroid (x, y) of a fitted edge line (fitDirection). */
const DIR_IN = new Float64Array(5);
const DIR_OUT = new Float64Array(5);
/** Where the two side lines meet (sampled.ts linesMeet), for placeCorner and placeFillet. */
const MEET = new Float64Array(2);
/**
 * An edge is straight when the mean squared residual of its samples from their line is at most
 * (STRAIGHT_NOISE × the samples' noise)²: 0.15 px for anti-aliased samples (noise 0.1 px).
 */
const STRAIGHT_NOISE = 1.5;
/** The samples each side of a knot that its edge lines are fitted to: first index and count, before and after. */
const SPAN = new Int32Array(4);

/** An open chain's end knot: its sample, with the direction of the chain there (fitted over `scale` + 1 px). */
function placePinned(poly: Float64Array, n: number, arc: Float64Array, corners: Int32Array, nc: number, c: number, scale: number, geom: Float64Array): void {
  const i = corners[c];
  const sides = sideLines(poly, n, arc, corners, nc, c, 0, scale + 1);
  const dir = c === 0 ? DIR_OUT : DIR_IN;
  if ((sides & (c === 0 ? 2 : 1)) === 0) {
    // Too few samples for a line: the chord to the neighbouring sample.
    const j = c === 0 ? i + 1 : i - 1;
    const dx = (poly[2 * j] - poly[2 * i]) * (c === 0 ? 1 : -1), dy = (poly[2 * j + 1] - poly[2 * i + 1]) * (c === 0 ? 1 : -1);
    const l = Math.sqrt(dx * dx + dy * dy) || 1;
    dir[0] = dx / l; dir[1] = dy / l;
  }
  const o = KNOT * c;
  geom[o] = geom[o + 6] = poly[2 * i];
  geom[o + 1] = geom[o + 7] = poly[2 * i + 1];
  geom[o + 2] = geom[o + 4] = dir[0];
  geom[o + 3] = geom[o + 5] = dir[1];
  geom[o + 8] = 0;
  geom[o + 9] = 0;
}

/**
 * Lines fitted (fitDirection, into DIR_IN and DIR_OUT) to the samples between `near` and `far` px of arc
 * before and after knot c's sample, not past the neighbouring knots; their spans into SPAN. Returns
 * 1 (before) | 2 (after) for the sides that have two samples or more.
 */
function sideLines(poly: Float64Array, n: number, arc: Float64Array, corners: Int32Array, nc: number, c: number, near: number, far: number): number {
  const i = corners[c];
  const prevCorner = corners[(c + nc - 1) % nc];
  const nextCorner = corners[(c + 1) % nc];
  let inFirst = i, inCount = 0;
  for (let k = (i + n - 1) % n; k !== i && (nc === 1 || k !== prevCorner); k = (k + n - 1) % n) {
    const d = arcDistance(arc, n, k, i);
    if (d > far) break;
    if (d >= near) { inFirst = k; inCount++; }
  }
  let outFirst = -1, outCount = 0;
  for (let k = (i + 1) % n; k !== i && (nc === 1 || k !== nextCorner); k = (k + 1) % n) {
    const d = arcDistance(arc, n, i, k);
    if (d > far) break;
    if (d >= near) { if (outFirst < 0) outFirst = k; outCount++; }
  }
  SPAN[0] = inFirst; SPAN[1] = inCount; SPAN[2] = outFirst; SPAN[3] = outCount;
  return (fitDirection(poly, n, inFirst, inCount, DIR_IN) ? 1 : 0) | (outFirst >= 0 && fitDirection(poly, n, outFirst, outCount, DIR_OUT) ? 2 : 0);
}

/**
 * curvedSide's two limits (below). Held-out icons (bw 108 and colour 91, at 48 and 96 px), summed PSNR against no
 * tangent: bend 0.25 and fit 0.5
 * +50 dB (183 worse); 0.125 and 0.3 +63.7 dB (333 better, 134 worse); 0.0625 and 0.3 +70.1 dB (156 worse).
 * Without the bend floor, a straight side's noise bent the tangent (a camera icon's concave corner: −2.1 dB).
 */
const CURVED_SIDE_BEND = 0.125, CURVED_SIDE_FIT = 0.3;
/** curvedSide's parabola (straight.ts parabolaAcross). */
const SIDE_PARABOLA = new Float64Array(6);

/**
 * A corner's side that bends: the line through its samples' centroid is the curve's chord, tilted from its
 * tangent at the corner by half the turn over the window, so an arc meeting a line at a right angle (a pie
 * chart's quarter cut, radius 8 px) had its corner placed off the curve, a spike. When the side's line fit
 * leaves CURVED_SIDE_BEND of straight noise or more (`straightEdge`, a mean squared distance) and a parabola
 * fitted across that line leaves CURVED_SIDE_FIT of what the line does or less, the line is replaced by the
 * parabola's tangent at the sample next to the corner (the last one arriving, the first one leaving).
 */
function curvedSide(poly: Float64Array, n: number, first: number, count: number, arriving: boolean, dir: Float64Array, straightEdge: number): void {
  if (count < 5 || !(dir[2] > CURVED_SIDE_BEND * straightEdge)) return;
  const dx = dir[0], dy = dir[1], mx = dir[3], my = dir[4];
  if (!parabolaAcross(poly, n, first, count, dx, dy, mx, my, SIDE_PARABOLA)) return;
  const c0 = SIDE_PARABOLA[0], c1 = SIDE_PARABOLA[1], c2 = SIDE_PARABOLA[2];
  // Mean squared residual of the parabola: it must explain the bend.
  if (!(SIDE_PARABOLA[5] / count <= CURVED_SIDE_FIT * dir[2])) return;
  const j = arriving ? (first + count - 1) % n : first % n;
  const u = (poly[2 * j] - mx) * dx + (poly[2 * j + 1] - my) * dy;
  const slope = c1 + 2 * c2 * u, v = c0 + c1 * u + c2 * u * u;
  const l = Math.sqrt(1 + slope * slope);
  const tx = (dx - slope * dy) / l, ty = (dy + slope * dx) / l;
  dir[3] = mx + u * dx - v * dy; dir[4] = my + u * dy + v * dx;
  dir[0] = tx; dir[1] = ty;
}

/**
 * Corner c: its point and the directions of the edges arriving and leaving, into geom (see KNOT). The
 * edges are lines fitted just past the tip on each side (over up to 3·scale + 1 px while they stay straight:
 * the longer the edge, the surer its direction); the point is where they meet, if that is near the tip,
 * else the tip sample.
 */
function placeCorner(
  poly: Float64Array, n: number, arc: Float64Array, corners: Int32Array, nc: number, c: number, scale: number, noise: number, reach: number,
  geom: Float64Array, coverage: ((x: number, y: number) => number) | null = null,
): void {
  const i = corners[c];
  const straightEdge = (STRAIGHT_NOISE * noise) ** 2;
  let sides = sideLines(poly, n, arc, corners, nc, c, TIP, scale + 1);
  // Samples this close (px of arc) to the corner are its rounded tip, left out of the runs beside it.
  let tip = TIP;
  if (sides === 3) {
    // An acute tip is rounded over a longer stretch (about TIP / sin(half its angle) of arc): fit its edges
    // past that, when they are still there and straight (else a curve beyond would bend them).
    const halfSine = Math.sqrt(Math.max(0, (1 + DIR_IN[0] * DIR_OUT[0] + DIR_IN[1] * DIR_OUT[1]) / 2));
    const near = Math.min(ACUTE_REACH, TIP / Math.max(0.25, halfSine));
    if (near > TIP * 1.5) {
      if (sideLines(poly, n, arc, corners, nc, c, near, 3 * near + scale + 1) !== 3
        || DIR_IN[2] > straightEdge || DIR_OUT[2] > straightEdge) sides = sideLines(poly, n, arc, corners, nc, c, TIP, scale + 1);
      // That whole stretch is left out of the runs beside it too, when both edges are lines rather than gentle
      // arcs (straight.ts), so that the rounded tip does not bend the edges' first pieces (a 48 px star's tip
      // came out as three small wiggling cubics); a curve meeting another at an acute angle keeps its samples.
      else if (straightLine(poly, n, SPAN[0], SPAN[1], TIP_EDGE_SAGITTA) && straightLine(poly, n, SPAN[2], SPAN[3], TIP_EDGE_SAGITTA)) tip = near;
    }
  }
  const straight = sides === 3 && DIR_IN[2] <= straightEdge && DIR_OUT[2] <= straightEdge;
  if (straight && noise > ANTIALIASED_NOISE) {
    // Noisy samples (an aliased outline): longer edges while they stay straight, else back to the short
    // ones. (Coverage-placed samples give the direction well enough over the short span, and a longer one
    // would bend it towards a gentle curve beyond.)
    const longer = sideLines(poly, n, arc, corners, nc, c, TIP, 3 * scale + 1);
    if (longer !== 3 || DIR_IN[2] > straightEdge || DIR_OUT[2] > straightEdge) sides = sideLines(poly, n, arc, corners, nc, c, TIP, scale + 1);
  }
  if (sides === 3 && tip === TIP && noise <= ANTIALIASED_NOISE) farSides(poly, n, arc, corners, nc, c, scale, straightEdge);
  if (sides === 3) {
    curvedSide(poly, n, SPAN[0], SPAN[1], true, DIR_IN, straightEdge);
    curvedSide(poly, n, SPAN[2], SPAN[3], false, DIR_OUT, straightEdge);
  }
  const hasIn = (sides & 1) !== 0, hasOut = (sides & 2) !== 0;
  const x = poly[2 * i], y = poly[2 * i + 1];
  if (!hasIn) {
    const h = (i + n - 1) % n;
    const l = Math.sqrt((x - poly[2 * h]) ** 2 + (y - poly[2 * h + 1]) ** 2) || 1;
    DIR_IN[0] = (x - poly[2 * h]) / l; DIR_IN[1] = (y - poly[2 * h + 1]) / l;
  }
  if (!hasOut) {
    const j = (i + 1) % n;
    const l = Math.sqrt((poly[2 * j] - x) ** 2 + (poly[2 * j + 1] - y) ** 2) || 1;
    DIR_OUT[0] = (poly[2 * j] - x) / l; DIR_OUT[1] = (poly[2 * j + 1] - y) / l;
  }
  const ax = hasIn ? DIR_IN[3] : x, ay = hasIn ? DIR_IN[4] : y;
  const bx = hasOut ? DIR_OUT[3] : x, by = hasOut ? DIR_OUT[4] : y;
  let cx = x, cy = y;
  if (hasIn && hasOut) {
    // Meeting point of the line through the arriving samples' centroid and the leaving one's.
    if (linesMeet(DIR_IN, DIR_OUT, 0.25, MEET, 0)) {
      const mx = MEET[0], my = MEET[1];
      // A sharp tip is rounded over a longer stretch: allow a shift inversely proportional to the sine
      // of half the interior angle (1.06 px for a right angle... 2.5 px for a 36° star tip).
      const cosInterior = -(DIR_IN[0] * DIR_OUT[0] + DIR_IN[1] * DIR_OUT[1]);
      const halfSine = Math.sqrt(Math.max(0, (1 - cosInterior) / 2));
      const limit = TIP_SHIFT_SINE / Math.max(0.3, halfSine);
      if ((mx - x) ** 2 + (my - y) ** 2 <= (straight ? limit * limit : MAX_CORNER_SHIFT * MAX_CORNER_SHIFT / 2)) {
        // As far towards the meeting point as the pixels show the region: the pixel under the point TIP_DEPTH
        // inside the wedge from the candidate apex, along its bisector, must be covered.
        let s = 1;
        if (coverage !== null && noise <= ANTIALIASED_NOISE && (mx - x) ** 2 + (my - y) ** 2 > CHECKED_SHIFT * CHECKED_SHIFT) {
          const bx0 = DIR_OUT[0] - DIR_IN[0], by0 = DIR_OUT[1] - DIR_IN[1];
          const bl = Math.sqrt(bx0 * bx0 + by0 * by0) || 1;
          const ix = (TIP_DEPTH * bx0) / bl, iy = (TIP_DEPTH * by0) / bl;
          while (s > 0 && coverage(x + s * (mx - x) + ix, y + s * (my - y) + iy) < TIP_COVERAGE) s -= TIP_STEP;
        }
        cx = x + s * (mx - x); cy = y + s * (my - y);
      }
    }
  }
  const o = KNOT * c;
  geom[o + 2] = DIR_IN[0]; geom[o + 3] = DIR_IN[1];
  geom[o + 4] = DIR_OUT[0]; geom[o + 5] = DIR_OUT[1];
  geom[o + 8] = tip;
  // The rounded tip's turning is the corner's: the run leaving it does not count it towards its first cut
  // (a 96 px star's tip, turning 144° there, had its edge cut 2 px further on, at a sample anti-aliasing
  // pulled off the edge: a kink).
  geom[o + 9] = 1;
  if (hasIn && hasOut && DIR_IN[0] * DIR_OUT[0] + DIR_IN[1] * DIR_OUT[1] < -U_TURN_COSINE) {
    // A U-turn: the end of a feature narrower than the corner scale (a 1-px line). Its two edges are
    // parallel and meet nowhere: square it off through the tip, arriving on one edge, leaving on the other.
    squareOff(x, y, ax, ay, DIR_IN, reach, geom, o);
    squareOff(x, y, bx, by, DIR_OUT, reach, geom, o + 6);
    return;
  }
  geom[o] = cx; geom[o + 1] = cy;
  geom[o + 6] = cx; geom[o + 7] = cy;
}

/**
 * One end of a U-turn's square: the tip (x, y) moved onto the edge's line through (ax, ay) along dir, unless
 * it lies farther than `reach` from that line (then it stays on the tip). Into geom[o], geom[o + 1].
 */
function squareOff(x: number, y: number, ax: number, ay: number, dir: Float64Array, reach: number, geom: Float64Array, o: number): void {
  if (Math.abs((x - ax) * dir[1] - (y - ay) * dir[0]) > reach) {
    geom[o] = x; geom[o + 1] = y;
    return;
  }
  const t = (x - ax) * dir[0] + (y - ay) * dir[1];
  geom[o] = ax + t * dir[0]; geom[o + 1] = ay + t * dir[1];
}

/**
 * A bend between two straight edges is a rounded corner, not a point of a curve: were its tangent forced on
 * both edges, neither could be drawn straight. When the samples between `scale` and 2·`scale` + 2 px of arc
 * on each side lie on lines, knot c becomes a fillet: the two lines, and a circular-like cubic between the
 * points where they leave them, sized so that it passes through the bend's sample: returns FILLET. When
 * the lines turn by the corner angle (anti-aliased samples) and the bend lies within the rounding
 * anti-aliasing gives a sharp corner, it is one, where they meet (SHARP). BEND (geom untouched) when the
 * sides are not straight or do not meet near the bend. (Tried: a sharp corner too when the samples do not
 * follow a round join; the rounded tips of a 96 px dog's ears, 0.91 px from their sides' meeting point,
 * became spikes.)
 */
function placeFillet(
  poly: Float64Array, n: number, arc: Float64Array, corners: Int32Array, nc: number, c: number, scale: number, noise: number, tolerance: number,
  cornerAngle: number, geom: Float64Array, coverage: BlockCoverage | null,
): number {
  const i = corners[c];
  const straightEdge = (STRAIGHT_NOISE * noise) ** 2;
  if (sideLines(poly, n, arc, corners, nc, c, scale, 2 * scale + 2) !== 3 || DIR_IN[2] > straightEdge || DIR_OUT[2] > straightEdge) return BEND;
  const cos = DIR_IN[0] * DIR_OUT[0] + DIR_IN[1] * DIR_OUT[1];
  if (cos < 0 || !linesMeet(DIR_IN, DIR_OUT, 0.05, MEET, 0)) return BEND;
  const ix = MEET[0], iy = MEET[1];
  const x = poly[2 * i], y = poly[2 * i + 1];
  const h = Math.sqrt((x - ix) ** 2 + (y - iy) ** 2);
  if (h > scale) return BEND;
  const theta = Math.acos(Math.min(1, cos));
  // A circular arc turning θ whose middle is h from the corner point has radius h / (1/cos(θ/2) − 1) and
  // leaves each line at r·tan(θ/2) from it; its centre lies on the bisector, towards the inside of the turn.
  const half = theta / 2;
  const r = h / (1 / Math.cos(half) - 1);
  const f = r * Math.tan(half);
  const ux = DIR_OUT[0] - DIR_IN[0], uy = DIR_OUT[1] - DIR_IN[1];
  const ul = Math.sqrt(ux * ux + uy * uy) || 1;
  const d = r / Math.cos(half);
  const ccx = ix + (ux / ul) * d, ccy = iy + (uy / ul) * d;
  // Straight sides that turn by about the corner angle, and a bend no farther from their meeting point than
  // anti-aliasing rounds a sharp corner: a sharp corner or a small round join. The pixels round it tell
  // which (corner-coverage.ts); when they cannot, the turn does (its measure across the bend fell short).
  // (Not on an aliased outline: there the fillet stays closer to a hard-edged glyph's joins, A 192 px
  // 32.3 against 31.4 dB.)
  if (noise <= ANTIALIASED_NOISE && h <= AA_CORNER_ROUNDING && theta >= cornerAngle - CORNER_ANGLE_SLACK) {
    const verdict = coverage === null ? 0 : sharpByCoverage(ix, iy, DIR_IN[0], DIR_IN[1], DIR_OUT[0], DIR_OUT[1], r, f, ccx, ccy, coverage);
    if (verdict > 0 || (verdict === 0 && (coverage !== null || theta >= cornerAngle))) return sharpAtMeeting(ix, iy, h, theta, scale, geom, KNOT * c);
  }
  if (f > scale + 1) return BEND;
  // The samples round the bend must lie on the two lines and the arc between (else the lines were fitted
  // to a curve: a rounded corner wider than the scale is a curve, fitted as such).
  const reach = 2 * scale + 2;
  const limit = Math.min(tolerance, FILLET_NOISE * noise);
  for (let k = (i + n - 1) % n, walked = 0; walked <= reach && k !== i; k = (k + n - 1) % n) {
    walked = arcDistance(arc, n, k, i);
    if (filletDistance(poly[2 * k], poly[2 * k + 1], ix, iy, f, r, ccx, ccy, DIR_IN[0], DIR_IN[1], DIR_OUT[0], DIR_OUT[1]) > limit) return BEND;
  }
  for (let k = (i + 1) % n, walked = 0; walked <= reach && k !== i; k = (k + 1) % n) {
    walked = arcDistance(arc, n, i, k);
    if (filletDistance(poly[2 * k], poly[2 * k + 1], ix, iy, f, r, ccx, ccy, DIR_IN[0], DIR_IN[1], DIR_OUT[0], DIR_OUT[1]) > limit) return BEND;
  }
  const o = KNOT * c;
  geom[o] = ix - f * DIR_IN[0]; geom[o + 1] = iy - f * DIR_IN[1];
  geom[o + 2] = DIR_IN[0]; geom[o + 3] = DIR_IN[1];
  geom[o + 4] = DIR_OUT[0]; geom[o + 5] = DIR_OUT[1];
  geom[o + 6] = ix + f * DIR_OUT[0]; geom[o + 7] = iy + f * DIR_OUT[1];
  geom[o + 8] = f;
  geom[o + 9] = 0;
  return FILLET;
}

/**
 * Knot geometry (at geom[o]) of a sharp corner at the meeting point (ix, iy) of the side lines in DIR_IN and
 * DIR_OUT, fitted past the rounding (a corner's own short side fits reach into it and tilt the edges). The
 * runs beside it leave out the rounded samples: as far along each side as a round join through the bend's
 * sample, h px from the meeting point, would reach (its tangent length), `scale` at least. Returns SHARP.
 */
function sharpAtMeeting(ix: number, iy: number, h: number, theta: number, scale: number, geom: Float64Array, o: number): number {
  geom[o] = geom[o + 6] = ix; geom[o + 1] = geom[o + 7] = iy;
  geom[o + 2] = DIR_IN[0]; geom[o + 3] = DIR_IN[1];
  geom[o + 4] = DIR_OUT[0]; geom[o + 5] = DIR_OUT[1];
  const half = theta / 2;
  geom[o + 8] = Math.max(scale, (h * Math.tan(half)) / (1 / Math.cos(half) - 1));
  geom[o + 9] = 1;
  return SHARP;
}

/**
 * Distance from (x, y) to a fillet: the line arriving along (ax, ay) up to f before the corner point (ix, iy),
 * the arc of radius r about (cx, cy), the line leaving along (bx, by) from f after the corner point.
 */
function filletDistance(
  x: number, y: number, ix: number, iy: number, f: number, r: number, cx: number, cy: number,
  ax: number, ay: number, bx: number, by: number,
): number {
  const tin = (x - ix) * ax + (y - iy) * ay;
  if (tin <= -f) return Math.abs((x - ix) * ay - (y - iy) * ax);
  const tout = (x - ix) * bx + (y - iy) * by;
  if (tout >= f) return Math.abs((x - ix) * by - (y - iy) * bx);
  return Math.abs(Math.sqrt((x - cx) ** 2 + (y - cy) ** 2) - r);
}

/** A fillet's cubic from the last point written to knot g's departure point, with circular-arc handles. */
function pushFillet(out: FloatBuffer, geom: Float64Array, g: number): void {
  const sx = out.data[out.length - 2], sy = out.data[out.length - 1];
  const ex = geom[g + 6], ey = geom[g + 7];
  const cos = Math.min(1, Math.max(-1, geom[g + 2] * geom[g + 4] + geom[g + 3] * geom[g + 5]));
  const theta = Math.acos(cos);
  // Handle length of a circular arc of turn θ: (4/3)·tan(θ/4)·r, with the chord 2·r·sin(θ/2).
  const chord = Math.sqrt((ex - sx) ** 2 + (ey - sy) ** 2);
  const k = theta > 1e-6 ? ((4 / 3) * Math.tan(theta / 4) * chord) / (2 * Math.sin(theta / 2)) : chord / 3;
  out.push2(sx + k * geom[g + 2], sy + k * geom[g + 3]);
  out.push2(ex - k * geom[g + 4], ey - k * geom[g + 5]);
  out.push2(ex, ey);
}

/**
 * Unit tangent at sample i: the mean direction of the chords between the samples `w`·k/4 px of arc behind
 * and ahead (k = 1..4). Symmetric chords are exact on a circle and second-order elsewhere; averaging several
 * spans keeps the estimate steady against the samples' own scatter.
 */
function tangentAt(poly: Float64Array, n: number, arc: Float64Array, i: number, w: number, t: Float64Array): void {
  const total = arc[n];
  let tx = 0, ty = 0;
  let b = i, a = i, back = 0, ahead = 0;
  for (let k = 1; k <= 4; k++) {
    const span = (w * k) / 4;
    while (back < span) {
      const prev = (b + n - 1) % n;
      back += b === 0 ? total - arc[n - 1] : arc[b] - arc[prev];
      b = prev;
      if (b === i) break;
    }
    while (ahead < span) {
      const next = (a + 1) % n;
      ahead += next === 0 ? total - arc[n - 1] : arc[next] - arc[a];
      a = next;
      if (a === i) break;
    }
    const dx = poly[2 * a] - poly[2 * b], dy = poly[2 * a + 1] - poly[2 * b + 1];
    const l = Math.sqrt(dx * dx + dy * dy) || 1;
    tx += dx / l;
    ty += dy / l;
  }
  const l = Math.sqrt(tx * tx + ty * ty) || 1;
  t[0] = tx / l;
  t[1] = ty / l;
}

const TAN = new Float64Array(2);
/** Longest arc (px) on each side of a cut over which its tangent is measured. */
const MAX_TANGENT_SPAN = 8;

/** Arc span for the tangent at cut s + 1: a quarter of the shorter piece beside it, within [1, MAX_TANGENT_SPAN]. */
function tangentSpan(arc: Float64Array, n: number, cuts: Int32Array, s: number, ncut: number): number {
  const before = arcAt(arc, n, cuts[s + 1]) - arcAt(arc, n, cuts[s]);
  const after = s + 2 < ncut ? arcAt(arc, n, cuts[s + 2]) - arcAt(arc, n, cuts[s + 1]) : before;
  return Math.max(1, Math.min(MAX_TANGENT_SPAN, Math.min(before, after) / 4));
}

/**
 * Fits the run from corner c (sample index `from`) to corner c2 (sample `to`, unwrapped: to > from),
 * appending cubics that end at corner c2's point.
 */
function fitRun(
  poly: Float64Array, n: number, arc: Float64Array, from: number, to: number,
  geom: Float64Array, c: number, c2: number, p: OutlineParams, ws: OutlineWorkspace, out: FloatBuffer,
): void {
  const g0 = KNOT * c, g1 = KNOT * c2;
  const rc = ws.roundCorner;
  const before = out.length;
  if (rc[4 * c + 2] > 0) {
    pushArcCubics(out, rc[4 * c], rc[4 * c + 1], rc[4 * c + 2], rc[4 * c + 3], geom[g1], geom[g1 + 1]);
    mark(ws, out, before, FIXED, knotJoint(ws, c), 0, -1);
    endRun(out, geom, g1, ws.sharp[c2], ws);
    return;
  }
  if (p.arcs !== false && fitArcRun(poly, n, arc, from, to, geom, c, c2, p, ws, out)) {
    mark(ws, out, before, FIXED, knotJoint(ws, c), 0, -1);
    endRun(out, geom, g1, ws.sharp[c2], ws);
    return;
  }
  // Cut points by accumulated turning (sample indices, unwrapped), strictly between the corners.
  let ncut = 0;
  ws.cuts = withCapacity(ws.cuts, 3);
  ws.cuts[ncut++] = from;
  let acc = 0;
  // Cuts stay off the corners' rounded tips (farther off an acute one's).
  const cutFrom = arcAt(arc, n, from) + Math.max(2 * TIP, geom[g0 + 8]), cutTo = arcAt(arc, n, to) - Math.max(2 * TIP, geom[g1 + 8]);
  const ownTip = geom[g0 + 9] === 1 ? arcAt(arc, n, from) + geom[g0 + 8] : -Infinity;
  for (let k = from + 1; k < to; k++) {
    const at = arcAt(arc, n, k);
    if (at > ownTip) acc += stepTurn(poly, n, k % n);
    if (Math.abs(acc) >= p.maxTurn && at > cutFrom && at < cutTo) {
      ws.cuts = withCapacity(ws.cuts, ncut + 2);
      ws.cuts[ncut++] = k;
      acc = 0;
    }
  }
  if (ncut === 1 && to - from === n) {
    // A single corner: the loop must still be cut once, or the piece would start and end at one point.
    ws.cuts[ncut++] = from + (n >> 1);
  }
  ws.cuts[ncut++] = to;
  let t1x = geom[g0 + 4], t1y = geom[g0 + 5];
  for (let s = 0; s + 1 < ncut; s++) {
    const a = ws.cuts[s], e = ws.cuts[s + 1];
    let t2x: number, t2y: number, ex: number, ey: number;
    if (s + 2 === ncut) {
      t2x = -geom[g1 + 2]; t2y = -geom[g1 + 3];
      ex = geom[g1]; ey = geom[g1 + 1];
    } else {
      tangentAt(poly, n, arc, e % n, tangentSpan(arc, n, ws.cuts, s, ncut), TAN);
      t2x = -TAN[0]; t2y = -TAN[1];
      ex = poly[2 * (e % n)]; ey = poly[2 * (e % n) + 1];
    }
    // The piece's points: its start (the last point written), the samples between (minus a corner's tip), its end.
    const sx = out.data[out.length - 2], sy = out.data[out.length - 1];
    const trimStart = s === 0 ? geom[g0 + 8] : 0, trimEnd = s + 2 === ncut ? geom[g1 + 8] : 0;
    fitPiece(poly, n, arc, a, e, sx, sy, ex, ey, trimStart, trimEnd, t1x, t1y, t2x, t2y, s === 0 ? knotJoint(ws, c) : SMOOTH, p, ws, out);
    t1x = -t2x; t1y = -t2y;
  }
  endRun(out, geom, g1, ws.sharp[c2], ws);
}

/** After a run arrives at knot geom[g1]: the fillet or the cap to the knot's departure point, if any. */
function endRun(out: FloatBuffer, geom: Float64Array, g1: number, kind: number, ws: OutlineWorkspace): void {
  const lx = geom[g1 + 6], ly = geom[g1 + 7];
  const before = out.length;
  if (kind === FILLET) pushFillet(out, geom, g1);
  else if (lx !== geom[g1] || ly !== geom[g1 + 1]) pushLine(out, lx, ly);
  mark(ws, out, before, FIXED, knotJoint(ws, g1 / KNOT), 0, -1);
}

const ARC = new Float64Array(CIRCLE_FIT);

/**
 * The run from knot c to knot c2 (sample indices from..to, unwrapped) as one circular arc (circle.ts), when
 * its samples lie on the circle through its two ends and the arc leaves and reaches every smooth knot along
 * the knot's own tangent. True when the arc was appended.
 */
function fitArcRun(
  poly: Float64Array, n: number, arc: Float64Array, from: number, to: number,
  geom: Float64Array, c: number, c2: number, p: OutlineParams, ws: OutlineWorkspace, out: FloatBuffer,
): boolean {
  const g0 = KNOT * c, g1 = KNOT * c2;
  const sx = out.data[out.length - 2], sy = out.data[out.length - 1];
  const ex = geom[g1], ey = geom[g1 + 1];
  const count = gatherRun(poly, n, arc, from, to, sx, sy, ex, ey, geom[g0 + 8], geom[g1 + 8], ws);
  if (count < ARC_MIN_SAMPLES || !circleThrough(ws.run, count, ARC)) return false;
  const cx = ARC[0], cy = ARC[1], r = ARC[2], turn = ARC[3];
  const noise = p.noise ?? ANTIALIASED_NOISE;
  if (Math.abs(turn) < ARC_MIN_TURN || ARC[4] > ARC_RMS * noise || ARC[5] > Math.min(p.tolerance, ARC_MAX * noise)) return false;
  // A smooth knot must be left and reached along its own tangent: the arc's tangents there (a quarter turn
  // from the radius, in the turn's sense) against the knot's directions.
  const dir = turn > 0 ? 1 : -1;
  if (!isCorner(ws.sharp[c])
    && !sameDirection(-dir * (sy - cy) / r, dir * (sx - cx) / r, geom[g0 + 4], geom[g0 + 5])) return false;
  if (!isCorner(ws.sharp[c2])
    && !sameDirection(-dir * (ey - cy) / r, dir * (ex - cx) / r, geom[g1 + 2], geom[g1 + 3])) return false;
  pushArcCubics(out, cx, cy, r, turn, ex, ey);
  return true;
}

/** True when two unit directions are within ARC_TANGENT_SINE of each other. */
function sameDirection(ax: number, ay: number, bx: number, by: number): boolean {
  return ax * bx + ay * by > 0 && Math.abs(ax * by - ay * bx) <= ARC_TANGENT_SINE;
}

/** Least turn (radians) of a run drawn as an arc: below it a cubic is as good and as short. */
const ARC_MIN_TURN = 0.25;
/** Largest rms distance of an arc's samples from it, in units of the sample noise (a true arc's: 0.5–0.6). */
const ARC_RMS = 0.75;
/** Largest distance of any sample from an arc, in units of the sample noise (at most the tolerance). */
const ARC_MAX = 2.5;
/** Largest angle (sine) between an arc's end tangent and a smooth knot's: beyond it the join would show a kink. */
const ARC_TANGENT_SINE = 0.035;
/**
 * Round corners between two straight stretches (a rounded rectangle's): for each run from the end of one
 * stretch to the start of the next (across bends, the middles of small round corners), the circle tangent to
 * both stretches' lines that best fits the run's samples (its one parameter, the radius, by golden-section
 * search on the squared distances to the two lines and the arc between). When the samples lie on that shape
 * as closely as an arc run's must, both knots move along their lines to the tangent points, the bends between
 * go, and the run is recorded as the arc (ws.roundCorner): the sides stay straight and the corner is a true
 * arc that leaves them tangentially. Returns the new knot count.
 */
function findRoundCorners(poly: Float64Array, n: number, arc: Float64Array, closed: boolean, nc: number, p: OutlineParams, ws: OutlineWorkspace): number {
  // Room for the tangent knots a corner may add (two at most), so that the arrays are not replaced meanwhile.
  ws.corners = withCapacity(ws.corners, 3 * nc);
  ws.sharp = withCapacity(ws.sharp, 3 * nc);
  ws.cornerGeom = withCapacity(ws.cornerGeom, KNOT * 3 * nc);
  ws.roundCorner = withCapacity(ws.roundCorner, 4 * 3 * nc);
  const geom = ws.cornerGeom, corners = ws.corners, kind = ws.sharp;
  const noise = p.noise ?? ANTIALIASED_NOISE;
  let removed = 0;
  ws.knotCount = nc;
  ws.tangentKnots = 0;
  // A knot that ends a round corner already found stays where that corner put it: when a stretch has one
  // knot only (its other end merged into a bend or a longer run), the corners at both of its ends would each
  // move it to their own tangent point, and the first corner's arc would end at the second's (the 96 px
  // Papirus "satisfactory" icon: one cubic over a rounded square's whole top side, bulging 28 px out).
  if (MOVED.length < nc) MOVED = new Uint8Array(2 * nc);
  MOVED.fill(0, 0, nc);
  for (let c = 0; c < nc && nc >= 4; c++) {
    if (kind[c] !== STRETCH || MOVED[c] === 1) continue;
    // The next knot that is not a bend or sharp: the middle of a small round corner is a knot of its own.
    let c2 = c + 1, bends = 0;
    // (So may a sharp knot: a concave corner of 3 px radius at 96 px turns as much as a sharp one over the
    // corner scale, and was drawn as a corner 0.7 px off the arc, a short slanted line beside it; the
    // radius test below keeps corners that anti-aliasing rounded sharp.)
    while (c2 < c + nc && (kind[c2 % nc] === BEND || kind[c2 % nc] === SHARP)) { c2++; bends++; }
    if (!closed && c2 >= nc) continue;
    c2 %= nc;
    if (kind[c2] !== STRETCH || c2 === c) continue;
    if (MOVED[c2] === 1) continue;
    const g0 = KNOT * c, g1 = KNOT * c2;
    const d1x = geom[g0 + 4], d1y = geom[g0 + 5], d2x = geom[g1 + 2], d2y = geom[g1 + 3];
    const cross = d1x * d2y - d1y * d2x, dot = d1x * d2x + d1y * d2y;
    const turn = Math.atan2(cross, dot);
    if (Math.abs(turn) < ARC_MIN_TURN || Math.abs(turn) > MAX_CORNER_TURN) continue;
    // Where the two lines meet.
    const p1x = geom[g0], p1y = geom[g0 + 1], p2x = geom[g1], p2y = geom[g1 + 1];
    const t = ((p2x - p1x) * d2y - (p2y - p1y) * d2x) / cross;
    const ix = p1x + t * d1x, iy = p1y + t * d1y;
    // The tangent points may slide back along each line, but not past the stretch's other end.
    const prev = KNOT * ((c + nc - 1) % nc), next = KNOT * ((c2 + 1) % nc);
    const room1 = (ix - geom[prev + 6]) * d1x + (iy - geom[prev + 7]) * d1y - 1;
    const room2 = (geom[next] - ix) * d2x + (geom[next + 1] - iy) * d2y - 1;
    const fMax = Math.min(room1, room2);
    if (!(fMax > 0.5)) continue;
    const from = corners[c], to = corners[c2] + (c2 === 0 || corners[c2] < from ? n : 0);
    const m = to - from - 1;
    if (m < ARC_MIN_SAMPLES) continue;
    const side = turn > 0 ? 1 : -1, half = Math.abs(turn) / 2;
    const tan = Math.tan(half);
    // Squared distance sum (and largest distance into ROUND_WORST) for the tangent length f.
    const cost = (f: number): number => {
      const r = f / tan;
      const cx = ix - f * d1x - side * r * d1y, cy = iy - f * d1y + side * r * d1x;
      let sum = 0, worst = 0;
      for (let k = from + 1; k < to; k++) {
        const i = k % n;
        const d = filletDistance(poly[2 * i], poly[2 * i + 1], ix, iy, f, r, cx, cy, d1x, d1y, d2x, d2y);
        sum += d * d;
        if (d > worst) worst = d;
      }
      ROUND_WORST[0] = worst;
      return sum;
    };
    // Golden-section search for f on (0, fMax].
    let lo = 0.05, hi = fMax;
    const g = 0.381966;
    let a = lo + g * (hi - lo), b = hi - g * (hi - lo);
    let fa = cost(a), fb = cost(b);
    for (let it = 0; it < 40 && hi - lo > 0.005; it++) {
      if (fa <= fb) { hi = b; b = a; fb = fa; a = lo + g * (hi - lo); fa = cost(a); }
      else { lo = a; a = b; fa = fb; b = hi - g * (hi - lo); fb = cost(b); }
    }
    const f = (lo + hi) / 2;
    const rms = Math.sqrt(cost(f) / m);
    if (rms > ARC_RMS * noise || ROUND_WORST[0] > Math.min(p.tolerance, ARC_MAX * noise)) continue;
    const r = f / tan;
    // Over bends or sharp knots, only a corner clearly rounder than anti-aliasing rounds a sharp one (a larger
    // cornerThreshold makes a square's corners bends, which are to stay round joins through their samples).
    if (bends > 0 && r < ROUND_OVER_BENDS) continue;
    for (let k = 1; k <= bends; k++) { kind[(c + k) % nc] = REMOVED; removed++; }
    const t1x = ix - f * d1x, t1y = iy - f * d1y, t2x = ix + f * d2x, t2y = iy + f * d2y;
    // A knot at a stretch's far end (its near end, at this corner, got none: the curve there left the line
    // too gently) stays there, and the corner's tangent point becomes a knot of its own: moved, it left the
    // whole stretch and what lies beyond it to one run (a 96 px window icon's bottom side, 16 px, and the round
    // cap after it bowed 1.5 px out; a hexagon's 33 px top-left side bulged between its rounded corners).
    const far1 = (t1x - p1x) * d1x + (t1y - p1y) * d1y > STRETCH_END_FAR;
    const far2 = (p2x - t2x) * d2x + (p2y - t2y) * d2y > STRETCH_END_FAR;
    let first = c;
    if (far1) first = addTangentKnot(ws, poly, n, from, to, t1x, t1y, d1x, d1y);
    else { geom[g0] = geom[g0 + 6] = t1x; geom[g0 + 1] = geom[g0 + 7] = t1y; MOVED[c] = 1; }
    if (far2) addTangentKnot(ws, poly, n, from, to, t2x, t2y, d2x, d2y);
    else { geom[g1] = geom[g1 + 6] = t2x; geom[g1 + 1] = geom[g1 + 7] = t2y; MOVED[c2] = 1; }
    const rc = ws.roundCorner;
    rc[4 * first] = t1x - side * r * d1y;
    rc[4 * first + 1] = t1y + side * r * d1x;
    rc[4 * first + 2] = r;
    rc[4 * first + 3] = turn;
  }
  const added = ws.tangentKnots;
  ws.tangentKnots = 0;
  if (removed === 0 && added === 0) return nc;
  // Drop the bends inside the round corners; the new tangent knots (appended after knot nc − 1) into order.
  const kept = dropRemoved(ws, nc + added, true);
  if (added > 0) sortKnots(ws, kept, true);
  return kept;
}

/**
 * A stretch's knot lying farther than this (px, along its line) from its round corner's tangent point is at the
 * stretch's far end (STRAIGHT_MIN_PX, the shortest stretch): it stays, and the tangent point gets a knot.
 */
const STRETCH_END_FAR = 8;

/**
 * findRoundCorners: appends a STRETCH knot at (x, y) along (dx, dy), on the sample of from..to (unwrapped)
 * nearest it, with no round corner of its own yet; returns its index.
 */
function addTangentKnot(ws: OutlineWorkspace, poly: Float64Array, n: number, from: number, to: number, x: number, y: number, dx: number, dy: number): number {
  // (findRoundCorners made room for them.)
  const c = ws.knotCount + ws.tangentKnots, g = KNOT * c;
  ws.tangentKnots++;
  ws.corners[c] = wrap(nearestSample(poly, n, x, y, from + 1, to - 1), n);
  ws.sharp[c] = STRETCH;
  const geom = ws.cornerGeom;
  geom[g] = geom[g + 6] = x; geom[g + 1] = geom[g + 7] = y;
  geom[g + 2] = geom[g + 4] = dx; geom[g + 3] = geom[g + 5] = dy;
  geom[g + 8] = 0; geom[g + 9] = 0;
  ws.roundCorner.fill(0, 4 * c, 4 * c + 4);
  return c;
}

/** findRoundCorners: 1 for a knot a round corner has moved to its tangent point. */
let MOVED = new Uint8Array(64);

/**
 * The shares of a long outline's fit (LONG_FIT samples or more) reported done before its knots are placed
 * (its samples measured and smoothed, fit-outline.ts) and once they are: before its runs are fitted (which
 * report every 64), a 100,000-sample outline of a thresholded photo ×8 spent up to 200 ms without a word.
 */
export const KNOTS_FROM = 0.1, KNOTS_SHARE = 0.3, LONG_FIT = 4096;

/** Knot kind of a bend or sharp knot inside a round corner, while findRoundCorners removes it. */
const REMOVED = -1;
/** A square end's corner on a hard-edged outline, while its neighbours are placed again (placeBesideSquareEnds); then SHARP. */
const SQUARE_END = 5;
/** Least radius (px) of a round corner found across bends or sharp knots: sharp corners rounded by anti-aliasing fit about 1 px. */
const ROUND_OVER_BENDS = 2.5;

/** Largest turn (radians) of a round corner between two stretches: nearly a U-turn is a cap, not a corner. */
const MAX_CORNER_TURN = 2.9;
const ROUND_WORST = new Float64Array(1);

/** Samples in a run tried as one arc, at least. */
const ARC_MIN_SAMPLES = 6;

/**
 * The points of a piece into ws.run: its start (sx, sy), the samples a+1..e−1 (unwrapped indices) farther
 * than trimStart / trimEnd (arc px) from its ends, its end (ex, ey). Returns how many.
 */
function gatherRun(
  poly: Float64Array, n: number, arc: Float64Array, a: number, e: number,
  sx: number, sy: number, ex: number, ey: number, trimStart: number, trimEnd: number, ws: OutlineWorkspace,
): number {
  ws.run = withCapacity(ws.run, 2 * (e - a + 2));
  const run = ws.run;
  let m = 0;
  run[m++] = sx; run[m++] = sy;
  const arcA = arcAt(arc, n, a), arcE = arcAt(arc, n, e);
  ws.firstKept = a + 1;
  for (let k = a + 1; k < e; k++) {
    const s = arcAt(arc, n, k);
    if (s - arcA < trimStart || arcE - s < trimEnd) {
      if (m === 2) ws.firstKept = k + 1;
      continue;
    }
    const i = k % n;
    run[m++] = poly[2 * i]; run[m++] = poly[2 * i + 1];
  }
  run[m++] = ex; run[m++] = ey;
  return m >> 1;
}

/** Appends a straight segment (a cubic with its handles at the thirds) from the last point to (x, y). */
function pushLine(out: FloatBuffer, x: number, y: number): void {
  const sx = out.data[out.length - 2], sy = out.data[out.length - 1];
  out.push2(sx + (x - sx) / 3, sy + (y - sy) / 3);
  out.push2(sx + (2 * (x - sx)) / 3, sy + (2 * (y - sy)) / 3);
  out.push2(x, y);
}

/** Fits the whole loop (no corners): cut by turning (at least in two), tangent-continuous everywhere. */
function fitLoop(
  poly: Float64Array, n: number, arc: Float64Array, p: OutlineParams, ws: OutlineWorkspace, out: FloatBuffer,
): void {
  const total = arc[n];
  let sumTurn = 0;
  for (let i = 0; i < n; i++) sumTurn += stepTurn(poly, n, i);
  // Signed: the wiggle of noisy samples cancels out; a simple loop turns once round (2π).
  sumTurn = Math.abs(sumTurn);
  // Pieces of equal arc length, as many as the turning needs (2 at least).
  const pieces = Math.min(n >> 1, Math.max(2, Math.ceil(sumTurn / Math.max(p.maxTurn, MIN_TURN) - 1e-9)));
  ws.cuts = withCapacity(ws.cuts, pieces + 1);
  let ncut = 0;
  for (let k = 0, i = 0; k < pieces; k++) {
    const target = (total * k) / pieces;
    while (i < n - 1 && arc[i] < target) i++;
    if (ncut === 0 || ws.cuts[ncut - 1] !== i) ws.cuts[ncut++] = i;
  }
  ws.cuts[ncut] = ws.cuts[0] + n;
  tangentAt(poly, n, arc, ws.cuts[0], Math.min(MAX_TANGENT_SPAN, total / (4 * pieces)), TAN);
  const startTx = TAN[0], startTy = TAN[1];
  out.push2(poly[2 * ws.cuts[0]], poly[2 * ws.cuts[0] + 1]);
  let t1x = startTx, t1y = startTy;
  for (let s = 0; s < ncut; s++) {
    const a = ws.cuts[s], e = ws.cuts[s + 1];
    let t2x = -startTx, t2y = -startTy;
    if (s + 1 < ncut) {
      tangentAt(poly, n, arc, e % n, tangentSpan(arc, n, ws.cuts, s, ncut + 1), TAN);
      t2x = -TAN[0]; t2y = -TAN[1];
    }
    const ei = e % n;
    fitPiece(poly, n, arc, a, e, out.data[out.length - 2], out.data[out.length - 1], poly[2 * ei], poly[2 * ei + 1], 0, 0, t1x, t1y, t2x, t2y, SMOOTH, p, ws, out);
    t1x = -t2x; t1y = -t2y;
  }
}

/**
 * One piece: from (sx, sy) to (ex, ey) through the samples a+1..e−1 (unwrapped indices) that are farther
 * than trimStart / trimEnd (arc px) from its ends. A line when they all hug the chord, else cubics.
 */
function fitPiece(
  poly: Float64Array, n: number, arc: Float64Array, a: number, e: number,
  sx: number, sy: number, ex: number, ey: number, trimStart: number, trimEnd: number,
  t1x: number, t1y: number, t2x: number, t2y: number, joint: number, p: OutlineParams, ws: OutlineWorkspace, out: FloatBuffer,
): void {
  const count = gatherRun(poly, n, arc, a, e, sx, sy, ex, ey, trimStart, trimEnd, ws);
  // Run point r (1..count − 2) is sample first + r − 1.
  const first = ws.firstKept;
  const before = out.length;
  const run = ws.run;
  // A line when every sample hugs the chord.
  const dx = ex - sx, dy = ey - sy;
  const chord = Math.sqrt(dx * dx + dy * dy);
  let straight = chord > 0
    && Math.abs(t1x * dy - t1y * dx) <= LINE_TANGENT_SINE * chord
    && Math.abs(t2x * dy - t2y * dx) <= LINE_TANGENT_SINE * chord;
  const limit = Math.max(LINE_FRACTION * p.tolerance, STRAIGHT_NOISE * (p.noise ?? ANTIALIASED_NOISE)) * chord;
  for (let k = 1; k < count - 1 && straight; k++) {
    const cross = (run[2 * k] - sx) * dy - (run[2 * k + 1] - sy) * dx;
    if (Math.abs(cross) > limit) straight = false;
  }
  if (straight || count <= 2) {
    pushLine(out, ex, ey);
    mark(ws, out, before, STRAIGHT, joint, first, first + count - 3);
    return;
  }
  ws.scratch = withCapacity(ws.scratch, count);
  ws.ends.clear();
  fitCubicsBetween(run, 0, count - 1, t1x, t1y, t2x, t2y, p.tolerance, p.maxDepth, out, ws.scratch, ws.control, p.refine, p.jittery === true, ws.ends, p.splitPointed !== false);
  // Each cubic's samples: the run points strictly between its ends.
  for (let q = 0, r0 = 0; q < ws.ends.length; q++) {
    const r1 = ws.ends.data[q];
    ws.segs.push2(CURVE, q === 0 ? joint : SMOOTH);
    ws.segs.push2(first + r0, first + r1 - 2);
    r0 = r1;
  }
}
