/**
 * Circular arcs (spline mode). A run of samples between two knots that lies on a circle is drawn as that
 * circle's arc, not as free cubics: the circle through the run's two ends that best fits the samples between
 * (one parameter: where its centre sits on the chord's perpendicular bisector), then the arc as cubics of
 * at most a quarter turn each, with the handles of a circular arc ((4/3)·tan(φ/4)·r, within 0.03 % of the
 * circle). Such a cubic is recognised by the SVG writer (`arcOfCubic`), which writes consecutive ones on one
 * circle as a single `a` command; every other consumer of a Spline still sees cubics.
 */
import type { FloatBuffer } from './buffers.js';

/** Numbers of a circle fit (`circleThrough`): centre x, y, radius, signed turn (radians), rms and largest distance of the samples. */
export const CIRCLE_FIT = 6;

/** Largest arc (px) between the last point before a run's end and its end (a corner's trimmed tip is at most 3). */
const MAX_END_GAP = 5;

/** Gauss–Newton rounds on the geometric distance after the algebraic fit. */
const REFINE_ROUNDS = 3;

/**
 * The circle through the first and last points of `run` (count points, x, y pairs) closest to the points
 * between, into `fit` (CIRCLE_FIT numbers). The turn is the signed angle (atan2 sense of the raw
 * coordinates, so positive is clockwise on screen) swept from the first point to the last through the
 * points' side of the chord, so beyond a half turn when they bulge past the circle's centre. False when the
 * chord is shorter than a pixel, the points are on it, or they do not advance along the arc in order.
 */
export function circleThrough(run: Float64Array, count: number, fit: Float64Array): boolean {
  if (count < 3) return false;
  const sx = run[0], sy = run[1], ex = run[2 * count - 2], ey = run[2 * count - 1];
  const mx = (sx + ex) / 2, my = (sy + ey) / 2;
  const cx = ex - sx, cy = ey - sy;
  const chord = Math.sqrt(cx * cx + cy * cy);
  if (chord < 1) return false;
  const h = chord / 2;
  // Frame: origin at the chord's middle, u along the chord, v a quarter turn from it; the ends are (∓h, 0).
  const ux = cx / chord, uy = cy / chord, vx = -uy, vy = ux;
  // A circle through both ends has its centre at (0, b): x² + y² − h² = 2·b·y. Least squares on
  // w = 1/(2b), which stays finite as the run straightens.
  let syq = 0, sqq = 0, side = 0;
  for (let k = 1; k < count - 1; k++) {
    const dx = run[2 * k] - mx, dy = run[2 * k + 1] - my;
    const x = dx * ux + dy * uy, y = dx * vx + dy * vy;
    const q = x * x + y * y - h * h;
    syq += y * q;
    sqq += q * q;
    side += y;
  }
  if (!(sqq > 0) || side === 0) return false;
  const w = syq / sqq;
  if (Math.abs(w) * chord < 1e-6) return false;
  let b = 1 / (2 * w);
  // Refine b on the true distances |P − O| − r.
  for (let round = 0; round < REFINE_ROUNDS; round++) {
    const r = Math.sqrt(h * h + b * b);
    let jj = 0, jd = 0;
    for (let k = 1; k < count - 1; k++) {
      const dx = run[2 * k] - mx, dy = run[2 * k + 1] - my;
      const x = dx * ux + dy * uy, y = dx * vx + dy * vy;
      const rho = Math.sqrt(x * x + (y - b) * (y - b)) || 1e-12;
      const d = rho - r;
      const j = -(y - b) / rho - b / r;
      jj += j * j;
      jd += j * d;
    }
    if (!(jj > 0)) break;
    b -= jd / jj;
  }
  const r = Math.sqrt(h * h + b * b);
  const sgn = side > 0 ? 1 : -1;
  // Turn from the first point to the arc's middle (0, b + sgn·r), doubled.
  const turn = 2 * Math.atan2(-h * sgn, -b * sgn);
  const ocx = mx + b * vx, ocy = my + b * vy;
  // Distances, and the order of the points along the arc (angle from the first point, in the turn's sense).
  const ax = sx - ocx, ay = sy - ocy;
  const dir = turn > 0 ? 1 : -1;
  let sum = 0, worst = 0, last = 0;
  for (let k = 1; k < count - 1; k++) {
    const px = run[2 * k] - ocx, py = run[2 * k + 1] - ocy;
    const d = Math.sqrt(px * px + py * py) - r;
    sum += d * d;
    if (Math.abs(d) > worst) worst = Math.abs(d);
    let at = dir * Math.atan2(ax * py - ay * px, ax * px + ay * py);
    if (at < -0.5) at += 2 * Math.PI;
    if (at < last - 0.2 || at > Math.abs(turn) + 0.2) return false;
    if (at > last) last = at;
  }
  // The points must reach the end of the arc (points close to the chord of a huge circle, on the side of
  // its centre, would otherwise make it an almost full turn round that circle).
  if ((Math.abs(turn) - last) * r > MAX_END_GAP) return false;
  fit[0] = ocx;
  fit[1] = ocy;
  fit[2] = r;
  fit[3] = turn;
  fit[4] = Math.sqrt(sum / Math.max(1, count - 2));
  fit[5] = worst;
  return true;
}

/**
 * Appends the arc about (cx, cy) of radius r turning `turn` radians from the last point of `out` (which lies
 * on the circle) to (ex, ey), as cubics of at most a quarter turn each with circular handles.
 */
export function pushArcCubics(out: FloatBuffer, cx: number, cy: number, r: number, turn: number, ex: number, ey: number): void {
  const pieces = Math.max(1, Math.ceil(Math.abs(turn) / (Math.PI / 2) - 1e-9));
  const step = turn / pieces;
  const dir = turn > 0 ? 1 : -1;
  const handle = (4 / 3) * Math.tan(Math.abs(step) / 4) * r;
  const sx = out.data[out.length - 2], sy = out.data[out.length - 1];
  const a0 = Math.atan2(sy - cy, sx - cx);
  let px = sx, py = sy;
  for (let k = 1; k <= pieces; k++) {
    const a1 = a0 + k * step;
    const qx = k === pieces ? ex : cx + r * Math.cos(a1), qy = k === pieces ? ey : cy + r * Math.sin(a1);
    // Unit tangents (in the turn's sense) at both ends of this piece.
    const t0x = -dir * (py - cy) / r, t0y = dir * (px - cx) / r;
    const t1x = -dir * (qy - cy) / r, t1y = dir * (qx - cx) / r;
    out.push2(px + handle * t0x, py + handle * t0y);
    out.push2(qx - handle * t1x, qy - handle * t1y);
    out.push2(qx, qy);
    px = qx;
    py = qy;
  }
}

/** Relative slack of `arcOfCubic`: the rounding of pushArcCubics's own arithmetic, not a fitting tolerance. */
const ARC_RECOGNITION = 1e-7;

/** Half the least turn (radians) of a cubic recognised as an arc; the arcs drawn turn at least 0.05 rad. */
const MIN_HALF_TURN = 0.005;

/**
 * When the cubic (x0, y0) … (x3, y3) has the handles of a circular arc (equal lengths, mirror angles about
 * the chord, length (4/3)·tan(θ/4)·r for its turn θ ≤ a half turn), its circle into `arc`: centre x, y,
 * radius, signed turn (as circleThrough). False for any other cubic.
 */
export function arcOfCubic(
  x0: number, y0: number, x1: number, y1: number, x2: number, y2: number, x3: number, y3: number, arc: Float64Array,
): boolean {
  const cx = x3 - x0, cy = y3 - y0;
  const chord = Math.sqrt(cx * cx + cy * cy);
  if (chord === 0) return false;
  const ax = x1 - x0, ay = y1 - y0, bx = x3 - x2, by = y3 - y2;
  const la = Math.sqrt(ax * ax + ay * ay), lb = Math.sqrt(bx * bx + by * by);
  const slack = ARC_RECOGNITION * (chord + la);
  if (la === 0 || Math.abs(la - lb) > slack) return false;
  // Mirror angles: the same projection on the chord, opposite offsets from it.
  const da = (ax * cx + ay * cy) / chord, db = (bx * cx + by * cy) / chord;
  const ca = (cx * ay - cy * ax) / chord, cb = (cx * by - cy * bx) / chord;
  if (Math.abs(da - db) > slack || Math.abs(ca + cb) > slack || da <= 0 || ca === 0) return false;
  const half = Math.atan2(Math.abs(ca), da); // half the turn
  // (A line is a cubic with its handles at the thirds: within rounding of a zero turn, not an arc.)
  if (half < MIN_HALF_TURN) return false;
  const r = chord / (2 * Math.sin(half));
  if (Math.abs(la - (4 / 3) * Math.tan(half / 2) * r) > slack) return false;
  // The handles lean to one side of the chord (side 1: a quarter turn from it, in the atan2 sense); the arc
  // bulges there, so the centre is on the other side and the turn runs the other way.
  const side = ca > 0 ? 1 : -1;
  const off = r * Math.cos(half);
  arc[0] = (x0 + x3) / 2 + ((side * cy) / chord) * off;
  arc[1] = (y0 + y3) / 2 - ((side * cx) / chord) * off;
  arc[2] = r;
  arc[3] = -2 * half * side;
  return true;
}
