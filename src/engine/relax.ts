/**
 * Joint relaxation, the last step of the shape fitter (outline.ts): the fitter puts every smooth joint
 * between two cubics on a sample, with a tangent measured from the samples round it, and leaves a sharp
 * corner along its sides' fitted lines. Both are estimates from a few samples. Here each joint is moved
 * across the outline and turned (a corner's sides only turned) to where the cubics beside it fit all their
 * samples best in the least-squares sense, the handle lengths with them (Gauss-Newton on those few
 * parameters, the samples' curve parameters refined between steps). The output keeps its cubics, so its size
 * barely changes, but long curves stop missing the edge by a steady few tenths of a pixel between joints.
 *
 * Input: the Spline being written (start point, then 6 numbers per cubic) and, per cubic, SEG ints: its
 * kind, the kind of the joint at its start, and the unwrapped indices of the first and last sample it was
 * fitted to. Only CURVE cubics change; STRAIGHT ones (lines) and FIXED ones (arcs, fillets, caps) hold the
 * joints beside them.
 */
import { CROSSING_SLACK, handleOverlap, length, reparameterize } from './bezier.js';
import { choleskySolve } from './normal-equations.js';

/** Cubic kinds. */
export const CURVE = 0, STRAIGHT = 1, FIXED = 2;
/** Joint kinds: a smooth joint (moves and turns), a corner (each side's tangent turns), a held point. */
export const SMOOTH = 0, CORNER = 1, HELD = 2;
/** Ints per cubic in the segment record: kind, start joint kind, first sample, last sample (unwrapped). */
export const SEG = 4;

/** Sweeps over the joints: the second one settles each joint against its neighbours' new places. */
const SWEEPS = 2;
/** Gauss-Newton steps per joint and sweep. */
const STEPS = 3;
/** Newton rounds on the samples' curve parameters before the first step. */
const SETTLE_ROUNDS = 1;
/**
 * Most samples of a cubic a problem uses, spread evenly over it: a cubic has 8 degrees of freedom, and
 * 32 samples pin it down nearly as well as all of a long one's (the sum of PSNR over the 72 bench:shapes
 * cases 1.6 dB lower) in 57 % of the time (the corpus dog emoji).
 */
const MOST_SAMPLES = 32;
/** A Gauss-Newton step that lowers the cost by less than this fraction ends the search. */
const CONVERGED = 0.03;
/** Farthest a joint moves (px) and turns (radians) in all: the fitter's estimates are within these. */
const MAX_D = 0.6, MAX_A = 0.35;
/** A cubic fitted to fewer samples than this does not move its joints. */
const MIN_SAMPLES = 2;
/** Levenberg damping of the normal equations, relative to their diagonal. */
const DAMPING = 1e-6;
/** Most parameters of one problem: two cubics' handle lengths, the joint's offset and angle. */
const MAXP = 6;

/** One cubic of a relaxation problem: its samples, their curve parameters, its control points and their derivatives. */
class Piece {
  /** Start point, then the samples (x, y). */
  pts = new Float64Array(64);
  u = new Float64Array(32);
  count = 0;
  /** The handles and the end point (x, y each), as bezier.ts takes them after the start point in pts. */
  c = new Float64Array(6);
  /**
   * How local parameter l moves the control points: every control point in the bit mask `moves[l]` (bit k:
   * point k, 0 start, 1 and 2 the handles, 3 end) moves along the same vector (dir[2l], dir[2l + 1]) per
   * unit of it, so the curve moves by (the sum of those points' Bernstein weights) × that vector.
   */
  moves = new Int32Array(4);
  /** How far the cubic's handles overlapped (bezier.ts handleOverlap) when the current solve began (`crosses`). */
  overlapAtStart = 0;
  dir = new Float64Array(8);
  /** The problem's parameter index of each local parameter (−1: unused). */
  param = new Int32Array(4);
}

export class RelaxWorkspace {
  a = new Piece();
  b = new Piece();
  jtj = new Float64Array(MAXP * MAXP);
  jtr = new Float64Array(MAXP);
  step = new Float64Array(MAXP);
  /** The cubic whose samples and parameters `b` holds, as last written (−1: none); the next joint's `a`. */
  held = -1;
  /** The fit's tolerance (px): a relaxed cubic stays within it of its samples. */
  tolerance = Infinity;
}

/**
 * Relaxes the joints of the m cubics of `out` (a closed outline's last cubic ends at its start point) fitted
 * to the samples of `poly` (n points, cyclic) as recorded in `segs`.
 */
export function relaxSpline(
  poly: Float64Array, n: number, closed: boolean, out: Float64Array, m: number, segs: Int32Array, ws: RelaxWorkspace,
): void {
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    ws.held = -1;
    for (let j = closed ? 0 : 1; j < m; j++) {
      const prev = j === 0 ? m - 1 : j - 1;
      const prevCurve = isFittedCurve(segs, prev), nextCurve = isFittedCurve(segs, j);
      const kind = segs[SEG * j + 1];
      if (kind === SMOOTH && prevCurve && nextCurve) moveJoint(poly, n, out, m, segs, prev, j, ws);
      else if (kind === CORNER) {
        if (prevCurve) turnTangent(poly, n, out, segs, prev, false, ws);
        if (nextCurve) turnTangent(poly, n, out, segs, j, true, ws);
      }
    }
    // An open chain's ends are pinned: only the tangents there turn.
    if (!closed && m > 0) {
      if (isFittedCurve(segs, 0)) turnTangent(poly, n, out, segs, 0, true, ws);
      if (isFittedCurve(segs, m - 1)) turnTangent(poly, n, out, segs, m - 1, false, ws);
    }
  }
}

function isFittedCurve(segs: Int32Array, i: number): boolean {
  return segs[SEG * i] === CURVE && segs[SEG * i + 3] - segs[SEG * i + 2] + 1 >= MIN_SAMPLES;
}

/**
 * Loads cubic i of `out` and its samples lo..hi of poly into the piece, and settles the samples' curve
 * parameters on it (chord length, then Newton rounds).
 */
function load(piece: Piece, poly: Float64Array, n: number, lo: number, hi: number, out: Float64Array, i: number): void {
  const total = hi - lo + 1, take = Math.min(total, MOST_SAMPLES);
  const count = take + 2;
  if (piece.pts.length < 2 * count) {
    piece.pts = new Float64Array(4 * count);
    piece.u = new Float64Array(2 * count);
  }
  const pts = piece.pts, u = piece.u, a = 6 * i;
  pts[0] = out[a]; pts[1] = out[a + 1];
  for (let q = 0; q < take; q++) {
    const s = (take === total ? lo + q : lo + Math.floor(((q + 0.5) * total) / take)) % n;
    pts[2 * q + 2] = poly[2 * s]; pts[2 * q + 3] = poly[2 * s + 1];
  }
  pts[2 * count - 2] = out[a + 6]; pts[2 * count - 1] = out[a + 7];
  piece.count = count;
  for (let k = 0; k < 6; k++) piece.c[k] = out[a + 2 + k];
  u[0] = 0;
  for (let q = 1; q < count; q++) u[q] = u[q - 1] + length(pts[2 * q] - pts[2 * q - 2], pts[2 * q + 1] - pts[2 * q - 1]);
  const length1 = u[count - 1] || 1;
  for (let q = 1; q < count; q++) u[q] /= length1;
  for (let r = 0; r < SETTLE_ROUNDS; r++) reparameterize(pts, 0, count, u, piece.c);
  piece.moves.fill(0);
}

/** Sets the piece's control points: start (x0, y0), handles, end (x3, y3). */
function setCubic(piece: Piece, x0: number, y0: number, x1: number, y1: number, x2: number, y2: number, x3: number, y3: number): void {
  const pts = piece.pts, c = piece.c;
  pts[0] = x0; pts[1] = y0;
  pts[2 * piece.count - 2] = x3; pts[2 * piece.count - 1] = y3;
  c[0] = x1; c[1] = y1; c[2] = x2; c[3] = y2; c[4] = x3; c[5] = y3;
}

/** Local parameter l moves the control points in mask `moves` along (x, y). */
function setMove(piece: Piece, l: number, moves: number, x: number, y: number): void {
  piece.moves[l] = moves;
  piece.dir[2 * l] = x;
  piece.dir[2 * l + 1] = y;
}
const P0 = 1, C1 = 2, C2 = 4, P3 = 8;

function setParams(piece: Piece, p0: number, p1: number, p2: number, p3: number): void {
  piece.param[0] = p0; piece.param[1] = p1; piece.param[2] = p2; piece.param[3] = p3;
}

/** The largest squared distance of a sample from its cubic that accumulate has met since it was last set to 0. */
let farthest2 = 0;

/**
 * Adds the piece's Gauss-Newton normal equations to ws.jtj, ws.jtr, and returns the sum of squared
 * distances (the largest into farthest2), at the samples' current curve parameters. A piece depends on
 * at most four of the problem's parameters (its own two handle lengths and the joint's two), its `param`
 * list; parameter l moves the curve at a sample by s_l × dir_l, s_l a sum of Bernstein weights, so the sums
 * over the samples are of s_l·s_m and s_l·r, and the directions' dot products come in once at the end.
 */
function accumulate(piece: Piece, ws: RelaxWorkspace): number {
  const pts = piece.pts, u = piece.u, c = piece.c;
  const x0 = pts[0], y0 = pts[1];
  // The 0/1 selectors of each local parameter's control points (bit k of its mask).
  const M = piece.moves;
  const a0 = M[0] & 1, a1 = (M[0] >> 1) & 1, a2 = (M[0] >> 2) & 1, a3 = (M[0] >> 3) & 1;
  const b0 = M[1] & 1, b1 = (M[1] >> 1) & 1, b2 = (M[1] >> 2) & 1, b3 = (M[1] >> 3) & 1;
  const e0 = M[2] & 1, e1 = (M[2] >> 1) & 1, e2 = (M[2] >> 2) & 1, e3 = (M[2] >> 3) & 1;
  const f0 = M[3] & 1, f1 = (M[3] >> 1) & 1, f2 = (M[3] >> 2) & 1, f3 = (M[3] >> 3) & 1;
  let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s11 = 0, s12 = 0, s13 = 0, s22 = 0, s23 = 0, s33 = 0;
  let r0x = 0, r0y = 0, r1x = 0, r1y = 0, r2x = 0, r2y = 0, r3x = 0, r3y = 0, cost = 0, far2 = farthest2;
  const c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3], c4 = c[4], c5 = c[5];
  for (let q = 1; q < piece.count - 1; q++) {
    const sx = pts[2 * q], sy = pts[2 * q + 1];
    const t = u[q], s = 1 - t;
    const w0 = s * s * s, w1 = 3 * t * s * s, w2 = 3 * t * t * s, w3 = t * t * t;
    const rx = w0 * x0 + w1 * c0 + w2 * c2 + w3 * c4 - sx;
    const ry = w0 * y0 + w1 * c1 + w2 * c3 + w3 * c5 - sy;
    const d2 = rx * rx + ry * ry;
    cost += d2;
    if (d2 > far2) far2 = d2;
    const a = a0 * w0 + a1 * w1 + a2 * w2 + a3 * w3, b = b0 * w0 + b1 * w1 + b2 * w2 + b3 * w3;
    const e = e0 * w0 + e1 * w1 + e2 * w2 + e3 * w3, f = f0 * w0 + f1 * w1 + f2 * w2 + f3 * w3;
    s00 += a * a; s01 += a * b; s02 += a * e; s03 += a * f;
    s11 += b * b; s12 += b * e; s13 += b * f;
    s22 += e * e; s23 += e * f;
    s33 += f * f;
    r0x += a * rx; r0y += a * ry; r1x += b * rx; r1y += b * ry;
    r2x += e * rx; r2y += e * ry; r3x += f * rx; r3y += f * ry;
  }
  const P = piece.param, D = piece.dir, jtj = ws.jtj, jtr = ws.jtr;
  const p0 = P[0], p1 = P[1], p2 = P[2], p3 = P[3];
  addSym(jtj, p0, p0, s00 * dirDot(D, 0, 0)); addSym(jtj, p0, p1, s01 * dirDot(D, 0, 1)); addSym(jtj, p0, p2, s02 * dirDot(D, 0, 2)); addSym(jtj, p0, p3, s03 * dirDot(D, 0, 3));
  addSym(jtj, p1, p1, s11 * dirDot(D, 1, 1)); addSym(jtj, p1, p2, s12 * dirDot(D, 1, 2)); addSym(jtj, p1, p3, s13 * dirDot(D, 1, 3));
  addSym(jtj, p2, p2, s22 * dirDot(D, 2, 2)); addSym(jtj, p2, p3, s23 * dirDot(D, 2, 3));
  addSym(jtj, p3, p3, s33 * dirDot(D, 3, 3));
  if (p0 >= 0) jtr[p0] += D[0] * r0x + D[1] * r0y;
  if (p1 >= 0) jtr[p1] += D[2] * r1x + D[3] * r1y;
  if (p2 >= 0) jtr[p2] += D[4] * r2x + D[5] * r2y;
  if (p3 >= 0) jtr[p3] += D[6] * r3x + D[7] * r3y;
  farthest2 = far2;
  return cost;
}

/** Dot product of local parameters l and k's move directions. */
function dirDot(D: Float64Array, l: number, k: number): number {
  return D[2 * l] * D[2 * k] + D[2 * l + 1] * D[2 * k + 1];
}

/** Adds v to the upper triangle of the normal matrix at (p, r) (no-op for an unused local parameter, −1). */
function addSym(jtj: Float64Array, p: number, r: number, v: number): void {
  if (p < 0 || r < 0) return;
  if (p <= r) jtj[p * MAXP + r] += v;
  else jtj[r * MAXP + p] += v;
}

/**
 * Solves the damped normal equations (upper triangle of ws.jtj filled) for the Gauss-Newton step into
 * ws.step (−(JᵀJ + λ·diag)⁻¹ Jᵀr, Cholesky). False when they are singular.
 */
function solveStep(np: number, ws: RelaxWorkspace): boolean {
  const a = ws.jtj, b = ws.step;
  for (let p = 0; p < np; p++) {
    a[p * MAXP + p] *= 1 + DAMPING;
    for (let r = 0; r < p; r++) a[p * MAXP + r] = a[r * MAXP + p];
    b[p] = -ws.jtr[p];
  }
  return choleskySolve(a, MAXP, np, b, b);
}

function clearNormal(ws: RelaxWorkspace): void {
  ws.jtj.fill(0);
  ws.jtr.fill(0);
}

/** Directions at cubic i's start (DIR 0–1) and end (pointing back, DIR 2–3), handle lengths (DIR 4–5); false if a handle is empty. */
const DIR = new Float64Array(6);
function directions(out: Float64Array, i: number): boolean {
  const a = 6 * i;
  const ax = out[a + 2] - out[a], ay = out[a + 3] - out[a + 1];
  const bx = out[a + 4] - out[a + 6], by = out[a + 5] - out[a + 7];
  const al = length(ax, ay), bl = length(bx, by);
  if (al === 0 || bl === 0) return false;
  DIR[0] = ax / al; DIR[1] = ay / al; DIR[2] = bx / bl; DIR[3] = by / bl; DIR[4] = al; DIR[5] = bl;
  return true;
}

/**
 * The moved joint's problem. Parameters: 0 the first cubic's start handle length, 1 its end handle length,
 * 2 and 3 the second cubic's, 4 the joint's offset across the outline (px), 5 its turn (radians).
 * V: 0–1 the first cubic's start, 2–3 its start direction, 4–5 the joint, 6–7 its tangent, 8–9 the second
 * cubic's end, 10–11 its end direction (pointing back).
 */
const V = new Float64Array(12);
const THETA = new Float64Array(MAXP), TRY = new Float64Array(MAXP), STEP = new Float64Array(MAXP);

/** Sets both pieces' control points and derivatives from the parameters th. */
function setJoint(ws: RelaxWorkspace, th: Float64Array): void {
  const tx = V[6], ty = V[7], nx = -ty, ny = tx;
  const x = V[4] + nx * th[4], y = V[5] + ny * th[4];
  const cs = Math.cos(th[5]), sn = Math.sin(th[5]);
  const ux = tx * cs - ty * sn, uy = tx * sn + ty * cs; // the turned tangent
  const px = -uy, py = ux; // its derivative in the turn
  const A = ws.a, B = ws.b;
  setCubic(A, V[0], V[1], V[0] + th[0] * V[2], V[1] + th[0] * V[3], x - th[1] * ux, y - th[1] * uy, x, y);
  setMove(A, 0, C1, V[2], V[3]);
  setMove(A, 1, C2, -ux, -uy);
  setMove(A, 2, C2 | P3, nx, ny);
  setMove(A, 3, C2, -th[1] * px, -th[1] * py);
  setCubic(B, x, y, x + th[2] * ux, y + th[2] * uy, V[8] + th[3] * V[10], V[9] + th[3] * V[11], V[8], V[9]);
  setMove(B, 0, C1, ux, uy);
  setMove(B, 1, C2, V[10], V[11]);
  setMove(B, 2, P0 | C1, nx, ny);
  setMove(B, 3, C1, th[2] * px, th[2] * py);
}

/**
 * Moves smooth joint j (the end of cubic `prev`, the start of cubic j) across the outline and turns its
 * tangent to where both cubics fit their samples best.
 */
function moveJoint(poly: Float64Array, n: number, out: Float64Array, m: number, segs: Int32Array, prev: number, j: number, ws: RelaxWorkspace): void {
  const held = ws.held;
  ws.held = -1;
  if (!directions(out, prev)) return;
  const pa = 6 * prev, pj = 6 * j, pb = 6 * j + 6;
  V[0] = out[pa]; V[1] = out[pa + 1]; V[2] = DIR[0]; V[3] = DIR[1];
  THETA[0] = DIR[4]; THETA[1] = DIR[5];
  if (!directions(out, j)) return;
  V[4] = out[pj]; V[5] = out[pj + 1]; V[6] = DIR[0]; V[7] = DIR[1];
  V[8] = out[pb]; V[9] = out[pb + 1]; V[10] = DIR[2]; V[11] = DIR[3];
  THETA[2] = DIR[4]; THETA[3] = DIR[5]; THETA[4] = 0; THETA[5] = 0;
  // Cubic prev was the last joint's second cubic: its samples and parameters are ready.
  if (held === prev) {
    const a = ws.a;
    ws.a = ws.b;
    ws.b = a;
    ws.a.moves.fill(0);
  } else load(ws.a, poly, n, segs[SEG * prev + 2], segs[SEG * prev + 3], out, prev);
  load(ws.b, poly, n, segs[SEG * j + 2], segs[SEG * j + 3], out, j);
  ws.held = j;
  setParams(ws.a, 0, 1, 4, 5);
  setParams(ws.b, 2, 3, 4, 5);
  if (!solve(ws, 6, setJoint)) return;
  // Write the joint and both cubics (the pieces hold the kept parameters).
  const A = ws.a.c, B = ws.b.c;
  out[pa + 2] = A[0]; out[pa + 3] = A[1]; out[pa + 4] = A[2]; out[pa + 5] = A[3];
  out[pj] = A[4]; out[pj + 1] = A[5];
  // A closed outline's start point is also its last cubic's end.
  if (j === 0) { out[6 * m] = A[4]; out[6 * m + 1] = A[5]; }
  out[pj + 2] = B[0]; out[pj + 3] = B[1]; out[pj + 4] = B[2]; out[pj + 5] = B[3];
}

/**
 * Gauss-Newton from the parameters in THETA: at most STEPS steps, each from the normal equations, halved (up
 * to twice) while it does not lower the cost or takes a sample beyond the tolerance; the samples' curve
 * parameters get a Newton round (bezier.ts reparameterize) on each trial's cubics before it is measured. Leaves THETA and the pieces at the best
 * parameters; true when they are better than the start.
 */
function solve(ws: RelaxWorkspace, np: number, set: (ws: RelaxWorkspace, th: Float64Array) => void, two = np === 6): boolean {
  set(ws, THETA);
  ws.a.overlapAtStart = handleOverlap(ws.a.pts[0], ws.a.pts[1], ws.a.c);
  ws.b.overlapAtStart = two ? handleOverlap(ws.b.pts[0], ws.b.pts[1], ws.b.c) : 0;
  clearNormal(ws);
  farthest2 = 0;
  let best = accumulate(ws.a, ws) + (two ? accumulate(ws.b, ws) : 0);
  // No sample may end farther than the tolerance (or than one already was).
  const limit2 = Math.max(ws.tolerance * ws.tolerance, farthest2);
  let improved = false;
  for (let step = 0; step < STEPS; step++) {
    if (!solveStep(np, ws)) break;
    let scale = 1, kept = false, converged = false;
    for (let p = 0; p < np; p++) STEP[p] = ws.step[p];
    for (let tries = 0; tries < 3 && !kept; tries++, scale /= 2) {
      for (let p = 0; p < np; p++) TRY[p] = THETA[p] + scale * STEP[p];
      if (!admissible(TRY, np)) continue;
      set(ws, TRY);
      // Nor may the handles of a cubic come to (nearly) cross (see bezier.ts), nor, if they did from the start,
      // cross far (a 16 px "&"'s crossed cubic, 2.3 px long, grew handles of 7 and 12 px: a loop 1.3 px out).
      if (crosses(ws.a) || (two && crosses(ws.b))) continue;
      // The samples' parameters refined on the new cubics, then the cost there and the next step's equations.
      clearNormal(ws);
      farthest2 = 0;
      reparameterize(ws.a.pts, 0, ws.a.count, ws.a.u, ws.a.c);
      if (two) reparameterize(ws.b.pts, 0, ws.b.count, ws.b.u, ws.b.c);
      const cost = accumulate(ws.a, ws) + (two ? accumulate(ws.b, ws) : 0);
      if (cost < best && farthest2 <= limit2) {
        // Converged when the step barely lowered the cost.
        converged = cost > best * (1 - CONVERGED);
        best = cost;
        THETA.set(TRY);
        kept = improved = true;
      }
    }
    if (!kept || converged) break;
  }
  set(ws, THETA);
  return improved;
}

/**
 * A cubic whose handles crossed when the solve began may go on crossing (its fit may need it), but its first
 * handle may not come to reach more than this many chords past its second (nor further than it did).
 */
const CROSSED_REACH = 1;

/**
 * True when the piece's cubic has come to have its handles (nearly) crossing (handlesCross); for one that
 * crossed from the start (`overlapAtStart`), when they reach past each other beyond CROSSED_REACH and further
 * than they did.
 */
function crosses(piece: Piece): boolean {
  const o = handleOverlap(piece.pts[0], piece.pts[1], piece.c);
  return piece.overlapAtStart <= -CROSSING_SLACK ? o > -CROSSING_SLACK : o > Math.max(piece.overlapAtStart, CROSSED_REACH);
}

/** Handles stay positive, the joint within MAX_D and its turn within MAX_A (the last two parameters). */
function admissible(th: Float64Array, np: number): boolean {
  const handles = np === 6 ? 4 : 2;
  for (let p = 0; p < handles; p++) if (!(th[p] > 0)) return false;
  if (np === 6) return Math.abs(th[4]) <= MAX_D && Math.abs(th[5]) <= MAX_A;
  return Math.abs(th[2]) <= MAX_A;
}

/**
 * A corner side's problem. Parameters: 0 the start handle length, 1 the end one, 2 the turn (radians) of
 * the tangent at the start (W[8] = 1) or the end. W: 0–1 start, 2–3 start direction, 4–5 end, 6–7 end
 * direction (pointing back).
 */
const W = new Float64Array(9);
function setSide(ws: RelaxWorkspace, th: Float64Array): void {
  const A = ws.a;
  const atStart = W[8] === 1;
  const o = atStart ? 2 : 6;
  const cs = Math.cos(th[2]), sn = Math.sin(th[2]);
  const ux = W[o] * cs - W[o + 1] * sn, uy = W[o] * sn + W[o + 1] * cs;
  const sx = atStart ? ux : W[2], sy = atStart ? uy : W[3];
  const ex = atStart ? W[6] : ux, ey = atStart ? W[7] : uy;
  setCubic(A, W[0], W[1], W[0] + th[0] * sx, W[1] + th[0] * sy, W[4] + th[1] * ex, W[5] + th[1] * ey, W[4], W[5]);
  setMove(A, 0, C1, sx, sy);
  setMove(A, 1, C2, ex, ey);
  if (atStart) setMove(A, 2, C1, -th[0] * uy, th[0] * ux);
  else setMove(A, 2, C2, -th[1] * uy, th[1] * ux);
}

/** Turns cubic i's tangent at its start (atStart) or its end, its end points held, to fit its samples best. */
function turnTangent(poly: Float64Array, n: number, out: Float64Array, segs: Int32Array, i: number, atStart: boolean, ws: RelaxWorkspace): void {
  if (ws.held === i) ws.held = -1;
  if (!directions(out, i)) return;
  const a = 6 * i;
  W[0] = out[a]; W[1] = out[a + 1]; W[2] = DIR[0]; W[3] = DIR[1];
  W[4] = out[a + 6]; W[5] = out[a + 7]; W[6] = DIR[2]; W[7] = DIR[3]; W[8] = atStart ? 1 : 0;
  THETA[0] = DIR[4]; THETA[1] = DIR[5]; THETA[2] = 0;
  load(ws.a, poly, n, segs[SEG * i + 2], segs[SEG * i + 3], out, i);
  setParams(ws.a, 0, 1, 2, -1);
  if (!solve(ws, 3, setSide)) return;
  const c = ws.a.c;
  out[a + 2] = c[0]; out[a + 3] = c[1]; out[a + 4] = c[2]; out[a + 5] = c[3];
}
