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
 * is longer than about the span the corner finder measures turns over (TIP_SCALES: a longer lengthThreshold
 * makes wider tips corners, as it does any bend). The knot (and any sharp knot or bend
 * between) then gives way to two knots where the sides touch the circle, along its tangents: the run between
 * them is fitted round (outline.ts draws a run on a circle as its arc), and the sides leave it tangentially.
 *
 * At a stroke's end (a U-turn: two parallel sides), a second test (stroke-ends.ts capTip) compares the end's
 * samples with a half circle between the sides and with a square end across them: it finds round caps too thin
 * for the circle window (32 px icons), keeps a thin square end from passing for round, and gives a thin square
 * end its two corners.
 *
 * A sharp knot that is neither may be the square end of a stroke too thin or too short for the cap model (a
 * serif 1–1.5 px thick: stroke-ends.ts thinEnd), or two corners the scale merged: a third test (cut-ends.ts
 * cutTip) finds a short straight run between two unlike turns (a small glyph's terminal) and gives each turn a
 * corner. One
 * that turns back by 120° or more with another knot within 4 px, where no test has room to measure, is a
 * stroke's end squeezed between notches (a small plus's arm): it goes, and the outline runs smooth over it
 * (isSqueezedTip).
 *
 * A bend, turning less than a corner over the corner scale, is a round lobe when its samples lie on one circle
 * over 150° or more and the outline turns the other way on both sides past it (lobeTip: a gear's tooth); so is
 * a sharp knot on such a lobe of SHARP_LOBE_RADIUS or more (a tooth at the frame turns as a corner); a lobe
 * between two parallel straight sides is a stroke's round cap, drawn by the cap model (capTip). A bend is
 * also a round tip at a stroke's end, a U-turn between two long straight sides (a 3 px cap at 45° turns as a
 * bend at 48 px): drawn as the half circle between the sides (midCircle), and at a bent stroke's end, between
 * two arcs about one centre (a sound wave, a refresh arrow): drawn as the half circle that shares their
 * tangents (bentCapTip).
 */
import { WALKED, arcDistance, fitCircle, fitDirection, touchesFrame, walkArc, wrap } from './sampled.js';
import { choleskySolve } from './normal-equations.js';
import { BOUNDS, CAP, CAP_HARD_EDGED, CAP_LEAN_SQUARE, SQUARE, capTip, nearestKnots, nearestSample, squareEnd, thinEnd, THIN_DIRECTIONS, type TipKnots } from './stroke-ends.js';
import { CUT_DIRECTIONS, cutTip } from './cut-ends.js';

/** Least radius (px) of a round tip: anti-aliasing rounds a sharp corner's tip to about 0.5–1 px. */
const TIP_MIN_RADIUS = 1.2;
/**
 * A round tip's arc is longer than this many corner scales (lengthThreshold / 2): a tip within about the span
 * the corner finder measures turns over is a corner, as any bend that narrow, so a longer lengthThreshold
 * makes wider tips corners. (At 2, a 32 px line icon's round joins, arcs of 3.3 px, were sharp; a star with
 * 3 px round joins, arcs of 7.5 px, must still turn sharp at lengthThreshold 10.)
 */
const TIP_SCALES = 1.6;
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
/** A curving side's first stretch (px) and its looser straightness (rms, × noise): see circleTip. */
const SHORT_SIDE_SPAN = 2.5, SHORT_SIDE_NOISE = 1.5;
/** Arc (px) round a neighbouring sharp knot left out of a tip's side (tipOnWindow). */
const NEAR_SHARP = 0.75;
/** Arc (px) past a tip's window before its side's line is fitted (see sideTangent). */
const SIDE_SKIP = 1;
/** sideTangent's result: the point on the circle, its sample index (unwrapped), the side's length fitted (px). */
const TOUCH = new Float64Array(4);

/**
 * Where a tip's circle (cx, cy, r) meets its side beyond window end `end` (unwrapped index; the side runs
 * forwards when `ahead`, else backwards, at most to unwrapped index `bound`): the foot of the perpendicular
 * from the centre to the side's line, moved onto the circle, and the sample nearest it, into TOUCH. False
 * when the side is not straight (rms within `straightness` × noise) over `span` px or its line does not touch
 * the circle. (cornerX, cornerY): the placed point of the sharp knot that bounds the side, if one does.
 */
function sideTangent(
  poly: Float64Array, n: number, arc: Float64Array, end: number, ahead: boolean, bound: number,
  cx: number, cy: number, r: number, noise: number, span = SIDE_SPAN, straightness = SIDE_NOISE,
  cornerX = NaN, cornerY = NaN,
): boolean {
  const step = ahead ? 1 : -1;
  const k = walkArc(arc, n, end, step, span, bound), walked = WALKED[0];
  const count = Math.abs(k - end) + 1;
  if (count < 3) {
    // No room for a side before the next knot: the tip ends at the window's end, along the circle.
    const i = wrap(end, n);
    const ux = poly[2 * i] - cx, uy = poly[2 * i + 1] - cy, l = Math.hypot(ux, uy) || 1;
    TOUCH[0] = cx + (r * ux) / l; TOUCH[1] = cy + (r * uy) / l; TOUCH[2] = end; TOUCH[3] = 0;
    SIDE[0] = -uy / l; SIDE[1] = ux / l;
    // When that knot is a sharp corner, the side runs from its point to the window's end: the tip turns from
    // there, not along its own circle (a 6 px bar's end with 1.5 px corners turned 120° round a circle of
    // 2.3 px through one corner and half the end: a round tip, for a corner turning 90°).
    const vx = (poly[2 * i] - cornerX) * step, vy = (poly[2 * i + 1] - cornerY) * step, vl = Math.hypot(vx, vy);
    if (vl > 0) { SIDE[0] = -vx / vl; SIDE[1] = -vy / vl; }
    return true;
  }
  // The side's line: its samples past the first SIDE_SKIP px (the window may stop short of where the circle
  // gives way to the side, and a sample or two still on the curve tilted the line).
  // (At least three samples stay: the walk stops two short of the side's end.)
  const s0 = walkArc(arc, n, end, step, SIDE_SKIP, k - step);
  const first = wrap(Math.min(k, s0), n);
  if (!fitDirection(poly, n, first, Math.abs(k - s0) + 1, SIDE) || SIDE[2] > (straightness * noise) ** 2) return false;
  const dx = SIDE[0], dy = SIDE[1];
  const t = (cx - SIDE[3]) * dx + (cy - SIDE[4]) * dy;
  const fx = SIDE[3] + t * dx - cx, fy = SIDE[4] + t * dy - cy;
  const dist = Math.hypot(fx, fy);
  if (dist === 0 || Math.abs(dist - r) > SIDE_GAP) return false;
  const px = cx + (r * fx) / dist, py = cy + (r * fy) / dist;
  // The sample nearest that point, from a little inside the window to the side's far end.
  const from = end - 4 * step;
  TOUCH[0] = px; TOUCH[1] = py; TOUCH[2] = nearestSample(poly, n, px, py, Math.min(from, k), Math.max(from, k)); TOUCH[3] = walked;
  return true;
}

/** The turn (radians, positive clockwise on screen) of samples a..b round (cx, cy), summed step by step. */
function windowSweep(poly: Float64Array, n: number, a: number, b: number, cx: number, cy: number): number {
  let sweep = 0;
  for (let k = a; k < b; k++) {
    const p = wrap(k, n), q = wrap(k + 1, n);
    const ux = poly[2 * p] - cx, uy = poly[2 * p + 1] - cy, vx = poly[2 * q] - cx, vy = poly[2 * q + 1] - cy;
    sweep += Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy);
  }
  return sweep;
}

/** Whether samples a..b lie on one circle of radius at most rMax, within the noise. */
function onCircle(poly: Float64Array, n: number, a: number, b: number, rMax: number, noise: number): boolean {
  return fitCircle(poly, n, a, b, FIT) && FIT[2] <= rMax && FIT[4] <= TIP_FIT_MAX * noise && FIT[3] <= TIP_FIT_RMS * noise;
}

/**
 * A round tip found (circleTip, capTip): its circle (x, y, r), where it begins and ends (point x, y and sample
 * each), and 1 when its samples are to be moved onto the circle (capTip's, too scattered to fit), else 0.
 */
const TIP = new Float64Array(10);
/** circleTip's turn (radians), side to side. */
const TIP_TURN = new Float64Array(1);
/** A tip turning more than this (radians) is a U-turn: a stroke's end, its sides near parallel. */
const U_TURN = (160 * Math.PI) / 180;
/** A hard-edged outline's square-end window is bounded by the knot this many knots away, at most. */
const SQUARE_REACH = 8;
/**
 * Least turn (radians, over the corner scale) of a hard-edged outline's knot tried as a square end; on an
 * outline so short that it measures turns over a tenth of its length instead, SHORT_SQUARE_END_TURN: a
 * pixel-aligned 3 px × 8 px bar's end turned 90° over 2.2 px and was one knot at its middle, drawn as an arrow
 * point 1.5 px long. (85° on every outline sent most of a hard-edged photo's staircase corners to the test:
 * astronaut ×8 in black and white 15 % slower.)
 */
const SQUARE_END_TURN = (100 * Math.PI) / 180, SHORT_SQUARE_END_TURN = (85 * Math.PI) / 180;

/**
 * Knot i as a tip on the circle its samples a..b lie on (its circleWindow; see above): into TIP; false when it is
 * not one. lo, hi: the bounds (unwrapped) the window and its sides may not pass; the sides also stop at the
 * nearest knots of any kind.
 */
function circleTip(
  poly: Float64Array, n: number, arc: Float64Array, i: number, a: number, b: number, lo: number, hi: number, knots: TipKnots,
  nc: number, c: number, scale: number, noise: number, frameWidth: number, frameHeight: number, sharpKind: number, knot: number,
  bend = false,
): boolean {
  if (touchesFrame(poly, n, a, b, frameWidth, frameHeight)) return false;
  // The window may reach a sample or two into a side that curves on, which pulls the circle off: a narrower
  // window is tried when the sides do not fit (a bell's base line cap: radius 2.35 for 2.0 from the whole
  // window).
  for (let shrink = 0; shrink <= TIP_SHRINK && b - a - 2 * shrink >= 4; shrink++) {
    if (tipOnWindow(poly, n, arc, i, a + shrink, b - shrink, lo, hi, knots, nc, c, scale, noise, sharpKind, knot, bend)) return true;
  }
  return false;
}

/**
 * Least sweep (radians) of a bend's window on one circle for a round lobe (lobeTip): the round end of a gear's
 * tooth turns about half a circle on its circle.
 */
const LOBE_SWEEP = (150 * Math.PI) / 180;
/**
 * Least radius (px) of a lobe at a sharp knot: a 6 px gear tooth's end touching the frame turned as a corner
 * (2.9 px); a small X's 3 px arm end, 1.5 px, is a square end.
 */
const SHARP_LOBE_RADIUS = 2;
/**
 * A bend (not a sharp knot) is a round tip only at a stroke's end (a U-turn passing the cap model or too thin for
 * it), of radius under this many corner scales: the 48 px Adwaita double arrow's arm ends (3 px caps at 45°)
 * turn as bends, and one cubic each side of the bend drew them as hooks and flicks; at 96 px, the line icons'
 * 4 px caps were already fitted within 0.05 px by the cubics, and as tips their sides sat 0.05 px out (check
 * 40.5 → 37.7 dB).
 */
const BEND_TIP_SCALES = 1.75;
/**
 * A bend's round tip needs both sides straight over this many px (as far as they go before the next knot, and
 * 5 px at least): the round ends of a band bent on an arc (a 48 px wifi icon's, radius 20 px) have sides
 * straight within the noise over 5 px, and drawn as tips they pulled the band 0.2 px inward all along.
 */
const BEND_SIDE_SPAN = 8;
/** How far (px of arc) past a bent stroke's cap its flanks are fitted to their circles (bentCapTip). */
const BENT_FLANK_SPAN = 16;
/** The cap's own circle is as wide as the stroke (its flanks' radii's difference) within this share of its width. */
const BENT_WIDTH_SHARE = 0.25;
/** A bent stroke's cap ends within this many of its radii from its window's end samples. */
const BENT_END_REACH = 0.75;
/** concentricFit's normal equations, solution and result (x, y, rA, rB, rms). */
const CONC_A = new Float64Array(16), CONC_B = new Float64Array(4), CONC_X = new Float64Array(4), CONC = new Float64Array(5);

/**
 * Two circles about one centre fitted to samples a0..a1 and b0..b1 (unwrapped), algebraically: x² + y² + D·x +
 * E·y + F_k = 0 with D and E shared, in coordinates centred on the samples' mean. Into CONC; false when
 * degenerate.
 */
function concentricFit(poly: Float64Array, n: number, a0: number, a1: number, b0: number, b1: number): boolean {
  let mx = 0, my = 0;
  for (let k = a0; k <= a1; k++) { const i = wrap(k, n); mx += poly[2 * i]; my += poly[2 * i + 1]; }
  for (let k = b0; k <= b1; k++) { const i = wrap(k, n); mx += poly[2 * i]; my += poly[2 * i + 1]; }
  const m = a1 - a0 + 1 + b1 - b0 + 1;
  mx /= m; my /= m;
  CONC_A.fill(0);
  CONC_B.fill(0);
  // Unknowns D, E, F_A, F_B; each sample's row is (x, y, 1, 0) on flank A, (x, y, 0, 1) on flank B.
  const add = (k: number, f: number): void => {
    const i = wrap(k, n), x = poly[2 * i] - mx, y = poly[2 * i + 1] - my, z = -(x * x + y * y);
    CONC_A[0] += x * x; CONC_A[4] += x * y; CONC_A[5] += y * y;
    CONC_A[4 * f] += x; CONC_A[4 * f + 1] += y; CONC_A[5 * f] += 1;
    CONC_B[0] += x * z; CONC_B[1] += y * z; CONC_B[f] += z;
  };
  for (let k = a0; k <= a1; k++) add(k, 2);
  for (let k = b0; k <= b1; k++) add(k, 3);
  if (!choleskySolve(CONC_A, 4, 4, CONC_B, CONC_X)) return false;
  const cx = -CONC_X[0] / 2, cy = -CONC_X[1] / 2, q = cx * cx + cy * cy;
  if (q - CONC_X[2] <= 0 || q - CONC_X[3] <= 0) return false;
  const ra = Math.sqrt(q - CONC_X[2]), rb = Math.sqrt(q - CONC_X[3]);
  let ss = 0;
  for (let k = a0; k <= a1; k++) { const i = wrap(k, n); ss += (Math.hypot(poly[2 * i] - mx - cx, poly[2 * i + 1] - my - cy) - ra) ** 2; }
  for (let k = b0; k <= b1; k++) { const i = wrap(k, n); ss += (Math.hypot(poly[2 * i] - mx - cx, poly[2 * i + 1] - my - cy) - rb) ** 2; }
  CONC[0] = cx + mx; CONC[1] = cy + my; CONC[2] = ra; CONC[3] = rb; CONC[4] = Math.sqrt(ss / m);
  return true;
}

/**
 * A bend as the round cap of a bent stroke (a band along an arc, with a round end: a refresh arrow, a sound
 * wave): its window a..b (unwrapped) on one circle of radius under rMax sweeping LOBE_SWEEP or more, and the
 * flanks before and after it (BENT_FLANK_SPAN px) on two circles about one centre (concentricFit), the inner
 * one larger in radius than the stroke is wide, the stroke (their radii's difference) as wide as the window's
 * circle. Into TIP: the half circle between the flanks, centred on their middle circle where the window's
 * centre lies, of radius half the stroke's width, its ends where each flank's circle meets the line from the
 * common centre (there the cap and the flank share their tangent: no kink). False when it is not one.
 */
function bentCapTip(
  poly: Float64Array, n: number, arc: Float64Array, a: number, b: number, lo: number, hi: number, noise: number, rMax: number,
  frameWidth: number, frameHeight: number,
): boolean {
  if (touchesFrame(poly, n, a, b, frameWidth, frameHeight) || !fitCircle(poly, n, a, b, FIT)) return false;
  const capX = FIT[0], capY = FIT[1], capR = FIT[2];
  if (capR >= rMax || windowSweep(poly, n, a, b, capX, capY) < LOBE_SWEEP) return false;
  const fa = walkArc(arc, n, a, -1, BENT_FLANK_SPAN, lo), fb = walkArc(arc, n, b, 1, BENT_FLANK_SPAN, hi);
  if (a - fa < 5 || fb - b < 5 || !concentricFit(poly, n, fa, a - 1, b + 1, fb) || CONC[4] > TIP_FIT_RMS * noise) return false;
  const ox = CONC[0], oy = CONC[1], ar = CONC[2], br = CONC[3];
  const width = Math.abs(ar - br);
  if (Math.abs(width - 2 * capR) > BENT_WIDTH_SHARE * width || Math.min(ar, br) < width) return false;
  const l = Math.hypot(capX - ox, capY - oy);
  if (l === 0) return false;
  const ux = (capX - ox) / l, uy = (capY - oy) / l, mid = (ar + br) / 2;
  TIP[0] = ox + ux * mid; TIP[1] = oy + uy * mid; TIP[2] = width / 2;
  TIP[3] = ox + ux * ar; TIP[4] = oy + uy * ar;
  TIP[6] = ox + ux * br; TIP[7] = oy + uy * br;
  TIP[9] = 0;
  // Each end's knot on the sample nearest to it (the window's ends may stop short of the flanks or run past
  // them), within BENT_END_REACH radii.
  const sa = nearestSample(poly, n, TIP[3], TIP[4], fa + 1, (a + b) >> 1), sb = nearestSample(poly, n, TIP[6], TIP[7], ((a + b) >> 1) + 1, fb - 1);
  const reach = BENT_END_REACH * TIP[2], qa = wrap(sa, n), qb = wrap(sb, n);
  if (Math.hypot(TIP[3] - poly[2 * qa], TIP[4] - poly[2 * qa + 1]) > reach || Math.hypot(TIP[6] - poly[2 * qb], TIP[7] - poly[2 * qb + 1]) > reach) return false;
  TIP[5] = sa; TIP[8] = sb;
  return true;
}

/** How far (px of arc) past a lobe's window its flanks are looked at, and the least turn (radians) each must make there the other way. */
const FLANK_SPAN = 3, FLANK_TURN = (10 * Math.PI) / 180;

/**
 * A knot as a round lobe: its window of samples a..b on one circle (circleWindow, as circleTip's) sweeping
 * LOBE_SWEEP or more round it, of radius `minRadius` or more (TIP_MIN_RADIUS for a bend, SHARP_LOBE_RADIUS for
 * a sharp knot) and an arc longer than the corner scale
 * measures turns over, with both flanks beyond it turning the other way (concave) by FLANK_TURN or more within
 * FLANK_SPAN px. (A 48 px gear's teeth, 6 px wide with round ends and concave flanks, turn as bends, not
 * corners, and came out pointed. Without the flanks' test, the round parts of drawn shapes whose curve goes on
 * convex, as the 48 px dog's, were drawn as arcs to the window's ends, which reach into the curve beyond: worse
 * than the bend's cubics.) Into TIP, its ends the window's end samples moved onto the circle; false when it is
 * not one.
 */
function lobeTip(
  poly: Float64Array, n: number, arc: Float64Array, a: number, b: number, lo: number, hi: number, scale: number,
  frameWidth: number, frameHeight: number, minRadius: number,
): boolean {
  if (touchesFrame(poly, n, a, b, frameWidth, frameHeight) || !fitCircle(poly, n, a, b, FIT)) return false;
  const cx = FIT[0], cy = FIT[1], r = FIT[2];
  const sweep = windowSweep(poly, n, a, b, cx, cy);
  if (r < minRadius || sweep < LOBE_SWEEP || r * sweep <= TIP_SCALES * scale) return false;
  if (flankTurn(poly, n, arc, a, -1, lo) > -FLANK_TURN || flankTurn(poly, n, arc, b, 1, hi) > -FLANK_TURN) return false;
  for (const [k, o] of [[a, 3], [b, 6]] as const) {
    const q = wrap(k, n), ux = poly[2 * q] - cx, uy = poly[2 * q + 1] - cy, l = Math.hypot(ux, uy) || 1;
    TIP[o] = cx + (r * ux) / l; TIP[o + 1] = cy + (r * uy) / l; TIP[o + 2] = k;
  }
  TIP[0] = cx; TIP[1] = cy; TIP[2] = r;
  TIP[9] = 0;
  return true;
}

/**
 * The turn (radians, positive as a convex outline turns) of the outline past window end `end` (unwrapped)
 * walking `step` (±1) up to FLANK_SPAN px, not past `bound`: between the chord over its first half and the
 * chord over its second; 0 when there is no room.
 */
function flankTurn(poly: Float64Array, n: number, arc: Float64Array, end: number, step: number, bound: number): number {
  const m = walkArc(arc, n, end, step, FLANK_SPAN / 2, bound), f = walkArc(arc, n, m, step, FLANK_SPAN / 2, bound);
  if (m === end || f === m) return 0;
  const p0 = wrap(end, n), p1 = wrap(m, n), p2 = wrap(f, n);
  const ux = poly[2 * p1] - poly[2 * p0], uy = poly[2 * p1 + 1] - poly[2 * p0 + 1];
  const vx = poly[2 * p2] - poly[2 * p1], vy = poly[2 * p2 + 1] - poly[2 * p1 + 1];
  // (Walking backwards the chords run against the outline, and turn the other way.)
  return step * Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy);
}

/** circleWindow's result: the window's first and last samples (unwrapped). */
const WINDOW = new Int32Array(2);

/**
 * The window of samples round sample i (unwrapped, strictly inside lo..hi) grown from i ± 2 while they stay on
 * one circle of radius at most rMax (onCircle), into WINDOW; false when not even i ± 2 are on one.
 */
function circleWindow(poly: Float64Array, n: number, i: number, lo: number, hi: number, rMax: number, noise: number): boolean {
  let a = i - 2, b = i + 2;
  if (a <= lo || b >= hi || !onCircle(poly, n, a, b, rMax, noise)) return false;
  for (let grew = true; grew && b - a + 1 < n - 2;) {
    grew = false;
    if (a - 1 > lo && onCircle(poly, n, a - 1, b, rMax, noise)) { a--; grew = true; }
    if (b + 1 < hi && b - a + 2 < n - 2 && onCircle(poly, n, a, b + 1, rMax, noise)) { b++; grew = true; }
  }
  WINDOW[0] = a; WINDOW[1] = b;
  return true;
}

/**
 * TIP's circle moved between two parallel sides, the first through (x1, y1) along (dx, dy), the second through
 * (x2, y2): centred on their midline where the fitted centre projects, of radius half their distance; its two
 * ends where each side touches it.
 */
function midCircle(x1: number, y1: number, dx: number, dy: number, x2: number, y2: number): void {
  const nx = -dy, ny = dx;
  const half = ((x2 - x1) * nx + (y2 - y1) * ny) / 2;
  const mx = (x1 + x2) / 2, my = (y1 + y2) / 2;
  const along = (TIP[0] - mx) * dx + (TIP[1] - my) * dy;
  const cx = mx + along * dx, cy = my + along * dy;
  TIP[0] = cx; TIP[1] = cy; TIP[2] = Math.abs(half);
  TIP[3] = cx - half * nx; TIP[4] = cy - half * ny;
  TIP[6] = cx + half * nx; TIP[7] = cy + half * ny;
}

/** The most samples a tip's window is narrowed by at each end (circleTip). */
const TIP_SHRINK = 2;

/**
 * circleTip on the window a..b (unwrapped): the circle through it, its sides, the checks; into TIP. For a bend
 * (`bend`), a stroke's round end only: radius under BEND_TIP_SCALES corner scales, both sides straight over
 * BEND_SIDE_SPAN, drawn as the half circle between them (midCircle).
 */
function tipOnWindow(
  poly: Float64Array, n: number, arc: Float64Array, i: number, a: number, b: number, lo: number, hi: number,
  knots: TipKnots, nc: number, c: number, scale: number, noise: number, sharpKind: number, knot: number, bend: boolean,
): boolean {
  const rMax = bend ? BEND_TIP_SCALES * scale : 2 * scale + 1, sideSpan = bend ? BEND_SIDE_SPAN : SIDE_SPAN;
  if (!fitCircle(poly, n, a, b, FIT)) return false;
  const cx = FIT[0], cy = FIT[1], r = FIT[2];
  if (r < TIP_MIN_RADIUS || r > rMax) return false;
  // Both sides straight beyond the window (up to the next knot) and tangent to the circle: where they touch
  // it, the tip's ends. One side may be short (a roof's eave under its cap), not both.
  nearestKnots(knots, nc, c, n, i, a, b, lo, hi);
  // A side ends short of a sharp knot's rounded tip: its samples there (and their duplicates, where a corner
  // pixel's two edges land on one point) are pulled in, and tilted the short side of a rounded rectangle's
  // corner (a 6 px bar's end with 1.5 px corners: 104° and radius 2.3, a round tip, for 90° and a corner).
  const sharpBefore = BOUNDS[2] >= 0 && knots.sharp[BOUNDS[2]] === sharpKind;
  const sharpAfter = BOUNDS[3] >= 0 && knots.sharp[BOUNDS[3]] === sharpKind;
  const before = sharpBefore ? walkArc(arc, n, BOUNDS[0], 1, NEAR_SHARP, a) - 1 : BOUNDS[0];
  const after = sharpAfter ? walkArc(arc, n, BOUNDS[1], -1, NEAR_SHARP, b) + 1 : BOUNDS[1];
  // A side that curves on (a bell's skirt into its base line's cap) may be read over its first
  // SHORT_SIDE_SPAN px only, more loosely, when the other is a long straight one.
  let longSides = 0;
  const g = knots.cornerGeom, kb = BOUNDS[2], ka = BOUNDS[3];
  const bx = sharpBefore ? g[knot * kb] : NaN, by = sharpBefore ? g[knot * kb + 1] : NaN;
  const ax = sharpAfter ? g[knot * ka] : NaN, ay = sharpAfter ? g[knot * ka + 1] : NaN;
  if (sideTangent(poly, n, arc, a, false, before, cx, cy, r, noise, sideSpan, SIDE_NOISE, bx, by)) { if (TOUCH[3] >= SIDE_SPAN) longSides++; }
  else if (!sideTangent(poly, n, arc, a, false, before, cx, cy, r, noise, SHORT_SIDE_SPAN, SHORT_SIDE_NOISE, bx, by)) return false;
  const pax = TOUCH[0], pay = TOUCH[1], sa = TOUCH[2], d1x = SIDE[0], d1y = SIDE[1], l1x = SIDE[3], l1y = SIDE[4];
  if (sideTangent(poly, n, arc, b, true, after, cx, cy, r, noise, sideSpan, SIDE_NOISE, ax, ay)) { if (TOUCH[3] >= SIDE_SPAN) longSides++; }
  else if (!sideTangent(poly, n, arc, b, true, after, cx, cy, r, noise, SHORT_SIDE_SPAN, SHORT_SIDE_NOISE, ax, ay)) return false;
  const d2x = SIDE[0], d2y = SIDE[1];
  if (longSides === 0 || (bend && longSides < 2)) return false;
  // The tip's turn, from side to side: positive (clockwise on screen) round a convex tip, as outlines keep
  // their region on the right. A concave corner's rounded tip is the inside of a join: sharp.
  let turn = Math.atan2(d1x * d2y - d1y * d2x, d1x * d2x + d1y * d2y);
  // A cap may turn a little more than half a circle (its short side bends back under it): the window's own
  // sweep round the centre, summed step by step, tells which way round the turn goes.
  if (turn < 0 && windowSweep(poly, n, a, b, cx, cy) > Math.PI / 2) turn += 2 * Math.PI;
  if (turn < TIP_MIN_TURN) return false;
  // Rounder than anti-aliasing rounds a sharp tip of that angle, and longer than the corner scale measures
  // turns over (lengthThreshold: a tip within it is a corner, as any bend that narrow).
  if (r < tipRadiusOfSharp(turn) || r * turn <= TIP_SCALES * scale) return false;
  TIP[0] = cx; TIP[1] = cy; TIP[2] = r;
  TIP[3] = pax; TIP[4] = pay; TIP[5] = sa;
  TIP[6] = TOUCH[0]; TIP[7] = TOUCH[1]; TIP[8] = TOUCH[2];
  TIP[9] = 0;
  TIP_TURN[0] = turn;
  // A bend's U-turn: the half circle between its two sides' lines, its radius half the stroke's width (the
  // window's circle came out 0.15 px wide of a 6 px counter's end, and its tangents tilted the sides).
  if (bend) {
    if (turn <= U_TURN) return false;
    midCircle(l1x, l1y, d1x, d1y, SIDE[3], SIDE[4]);
    if (TIP[2] >= rMax) return false;
  }
  return true;
}

/**
 * A sharp knot that turns back by SQUEEZED_MIN_TURN or more with another knot within SQUEEZED_REACH px of arc,
 * that neither the cap model, the square end nor the cut end takes, is a stroke's end too short for any of them
 * to measure: the arm of a small plus with round ends at 48 px runs 1.5 px from its cap into the notches beside
 * it (the cap model needs 3 px of straight side, the round tip 5). Left sharp, its sides' lines, fitted over
 * the cap's own halves, met at its middle sample: a spike between two humps. With the knot gone the run from the
 * knot before to the knot after is fitted smooth over the tip (held-out icons: +8.7 dB summed over 1,590 sizes,
 * resharpercpp 48 +1.6, bytes +0.2 %).
 */
const SQUEEZED_MIN_TURN = (2 * Math.PI) / 3, SQUEEZED_REACH = 4;

/** Whether knot c is such a squeezed tip: its arriving and leaving directions (cornerGeom) and its neighbours' arc. */
function isSqueezedTip(ws: TipKnots, knot: number, c: number, nc: number, n: number, arc: Float64Array): boolean {
  if (nc < 3) return false;
  const g = ws.cornerGeom, o = knot * c;
  const dot = g[o + 2] * g[o + 4] + g[o + 3] * g[o + 5];
  const l = Math.hypot(g[o + 2], g[o + 3]) * Math.hypot(g[o + 4], g[o + 5]);
  if (l === 0 || dot > Math.cos(SQUEEZED_MIN_TURN) * l) return false;
  const i = ws.corners[c] % n, before = ws.corners[(c + nc - 1) % nc] % n, after = ws.corners[(c + 1) % nc] % n;
  return Math.min(arcDistance(arc, n, before, i), arcDistance(arc, n, i, after)) <= SQUEEZED_REACH;
}

/**
 * Replaces the sharp knots (kind `kinds.sharp`) of closed outline `poly` that are round tips by two knots of
 * kind `kinds.tangent` (see above; bends and sharp knots between them become `kinds.removed`), and those at a
 * thin stroke's square end by its two corners. Knots are in sample order on entry, not on return (the caller
 * drops the removed ones and sorts); `knot`: numbers per knot in cornerGeom (arrival point, arriving and
 * leaving directions, departure point, trimmed arc, tip flag). `grow(count)` makes room for `count` knots and
 * returns the arrays. With `squareTurn` (the fitter's turn per sample), a hard-edged outline: square ends
 * only; `shortOutline`: the fitter measured turns over a tenth of the outline's length (SHORT_SQUARE_END_TURN).
 * Returns the new knot count.
 */
export function roundTips(
  poly: Float64Array, n: number, arc: Float64Array, nc: number, scale: number, noise: number,
  frameWidth: number, frameHeight: number, knot: number,
  kinds: { sharp: number; bend: number; tangent: number; removed: number; square?: number },
  ws: TipKnots, grow: (count: number) => TipKnots, squareTurn: Float64Array | null = null, shortOutline = false,
): number {
  const squareOnly = squareTurn !== null;
  const squareEndTurn = shortOutline ? SHORT_SQUARE_END_TURN : SQUARE_END_TURN;
  let added = 0;
  for (let c = 0; c < nc; c++) {
    const bend = !squareOnly && ws.sharp[c] === kinds.bend;
    if (ws.sharp[c] !== kinds.sharp && !bend) continue;
    const i = ws.corners[c];
    if (squareOnly && Math.abs(squareTurn[i]) < squareEndTurn) continue;
    // The window may not reach past the nearest knots that are neither sharp nor bends (unwrapped bounds).
    // (On a hard-edged outline, whose knots are nearly all sharp, the search stops after SQUARE_REACH knots: a
    // thresholded photo's long outline made it quadratic.)
    let lo = i - n + 1, hi = i + n - 1;
    const reach = squareOnly ? Math.min(nc, SQUARE_REACH) : nc;
    for (let d = 1; d < reach; d++) {
      const k = (c - d + nc) % nc;
      if (ws.sharp[k] !== kinds.sharp && ws.sharp[k] !== kinds.bend) { lo = i - wrap(i - ws.corners[k], n); break; }
      if (d + 1 === reach && reach < nc) lo = i - wrap(i - ws.corners[k], n);
    }
    for (let d = 1; d < reach; d++) {
      const k = (c + d) % nc;
      if (ws.sharp[k] !== kinds.sharp && ws.sharp[k] !== kinds.bend) { hi = i + wrap(ws.corners[k] - i, n); break; }
      if (d + 1 === reach && reach < nc) hi = i + wrap(ws.corners[k] - i, n);
    }
    if (nc === 1) { lo = i - n + 1; hi = i + n - 1; }
    // The window of samples round the knot on one circle, for the lobe and round-tip tests (WINDOW).
    const onCircleWindow = !squareOnly && circleWindow(poly, n, i, lo, hi, 2 * scale + 1, noise);
    const wa = WINDOW[0], wb = WINDOW[1];
    const isLobe = onCircleWindow && lobeTip(poly, n, arc, wa, wb, lo, hi, scale, frameWidth, frameHeight, bend ? TIP_MIN_RADIUS : SHARP_LOBE_RADIUS);
    let cap = -1;
    if (isLobe) {
      // A round lobe (TIP set), drawn below as a round tip is. Between two parallel straight sides it is a
      // stroke's round cap (a short arm of a plus with round ends, its sides running 3–4 px into concave
      // corners): the window reached into the sides, its circle came out 0.2 px too wide and its ends 1.4 px
      // down the sides, and the cap bulged. The cap model, measured from the window's middle past the knots
      // inside it, draws the half circle between the sides instead.
      if (capTip(poly, n, arc, (wa + wb) >> 1, lo, hi, ws, nc, c, scale, noise, frameWidth, frameHeight, TIP_SCALES * scale, 0, wa, wb) === 1) TIP.set(CAP);
    } else if (squareOnly) {
      // A hard-edged outline: only a stroke's square end is told (its staircase cannot tell a round cap), at a
      // knot that turns nearly back on itself over the corner scale (the test is dear, and a hard-edged photo's
      // staircase has many sharp knots).
      if (capTip(poly, n, arc, i, lo, hi, ws, nc, c, scale, noise, frameWidth, frameHeight, TIP_SCALES * scale, CAP_HARD_EDGED) !== 0) continue;
      cap = 0;
    } else if (onCircleWindow && circleTip(poly, n, arc, i, wa, wb, lo, hi, ws, nc, c, scale, noise, frameWidth, frameHeight, kinds.sharp, knot, bend)) {
      // A U-turn must also pass the cap model when its sides can be measured (see capTip), whose half circle
      // between them is then drawn (its radius half the stroke's width, not fitted to a window of samples).
      if (TIP_TURN[0] > U_TURN) {
        cap = capTip(poly, n, arc, i, lo, hi, ws, nc, c, scale, noise, frameWidth, frameHeight, TIP_SCALES * scale);
        if (cap === 1) TIP.set(CAP);
        else if (bend && cap === 0) continue;
      }
    } else if (bend) {
      // No stroke end between straight sides: maybe one of a bent stroke.
      if (!(onCircleWindow && bentCapTip(poly, n, arc, wa, wb, lo, hi, noise, BEND_TIP_SCALES * scale, frameWidth, frameHeight))) continue;
    } else {
      // Not on one circle: a square end unless the cap model finds it clearly round (left to cutTip, a small X's
      // 3 px square end, rounded over its corners, had its flat taken for a terminal: a hooked arm).
      cap = capTip(poly, n, arc, i, lo, hi, ws, nc, c, scale, noise, frameWidth, frameHeight, TIP_SCALES * scale, CAP_LEAN_SQUARE);
      if (cap === 1) TIP.set(CAP);
      else if (cap === -1) {
        // A thin stroke's square end (thinEnd: a serif 1–1.5 px thick), or two corners joined by a short straight
        // run (cutTip: a small glyph's terminal): knot c goes to the first corner, a new sharp knot to the second.
        const thin = thinEnd(poly, n, arc, i, lo, hi, ws, nc, c, noise, frameWidth, frameHeight);
        if (thin || cutTip(poly, n, arc, i, lo, hi, ws, nc, c, scale, frameWidth, frameHeight)) {
          const d = thin ? THIN_DIRECTIONS : CUT_DIRECTIONS;
          squareEnd(ws, knot, c, 0, d[0], d[1], d[2], d[3], n);
          ws = grow(nc + added + 1);
          const e = nc + added++;
          ws.sharp[e] = kinds.sharp;
          squareEnd(ws, knot, e, 3, d[2], d[3], d[4], d[5], n);
        } else if (isSqueezedTip(ws, knot, c, nc, n, arc)) {
          // No model fits and no room for one: the outline runs smooth over the tip (see SQUEEZED_REACH).
          ws.sharp[c] = kinds.removed;
        }
        continue;
      }
    }
    if (cap === 0) {
      // A square end: knot c goes to its corner on side A, a new knot to its corner on side B (both of kind
      // `kinds.square` when given, else sharp).
      squareEnd(ws, knot, c, 0, SQUARE[6], SQUARE[7], SQUARE[8], SQUARE[9], n);
      ws.sharp[c] = kinds.square ?? kinds.sharp;
      ws = grow(nc + added + 1);
      const e = nc + added++;
      ws.sharp[e] = kinds.square ?? kinds.sharp;
      squareEnd(ws, knot, e, 3, SQUARE[8], SQUARE[9], -SQUARE[6], -SQUARE[7], n);
      continue;
    }
    const cx = TIP[0], cy = TIP[1], r = TIP[2], sa = TIP[5], sb = TIP[8];
    // The other sharp knots and bends between the two ends go.
    for (let d = 1; d < nc; d++) {
      const k = (c + d) % nc;
      const off = wrap(ws.corners[k] - i, n);
      if (off > 0 && off <= sb - i) ws.sharp[k] = kinds.removed;
      const back = wrap(i - ws.corners[k], n);
      if (back > 0 && back <= i - sa) ws.sharp[k] = kinds.removed;
    }
    // A thin cap's samples between the ends go onto the circle: the run between the two knots is then drawn as
    // its arc (they scatter, and a lattice corner among them kept a corner in the fit).
    for (let k = sa + 1; TIP[9] === 1 && k < sb; k++) {
      const q = wrap(k, n);
      const ux = poly[2 * q] - cx, uy = poly[2 * q + 1] - cy, l = Math.hypot(ux, uy);
      if (l > 0) { poly[2 * q] = cx + (r * ux) / l; poly[2 * q + 1] = cy + (r * uy) / l; }
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
    ws.corners[c] = wrap(sa, n);
    ws.sharp[c] = kinds.tangent;
    place(knot * c, TIP[3], TIP[4]);
    ws = grow(nc + added + 1);
    const e = nc + added++;
    ws.corners[e] = wrap(sb, n);
    ws.sharp[e] = kinds.tangent;
    place(knot * e, TIP[6], TIP[7]);
  }
  return nc + added;
}
