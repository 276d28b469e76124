/**
 * Spline mode: from a simplified closed polygon to a closed chain of cubic Béziers.
 * 1. corners: vertices whose turning angle reaches `cornerThreshold` stay sharp;
 * 2. smoothing: interpolatory 4-point subdivision (weight 1/16), with 3-point rules next to corners, until
 *    no segment is longer than `lengthThreshold` or `maxIterations` rounds are done;
 * 3. splicing: the smoothed outline is cut at corners, at inflections and wherever the accumulated
 *    turning reaches `spliceThreshold`;
 * 4. fitting: each piece becomes a cubic (split further only when one cubic strays from the outline).
 */
import { FloatBuffer } from './buffers.js';
import { EVERY_1K } from './progress.js';
import { fitCubics, length, turnAngle } from './bezier.js';
import type { Polygon } from './types.js';

export interface SplineParams {
  cornerThreshold: number; // radians
  lengthThreshold: number;
  maxIterations: number;
  spliceThreshold: number; // radians
  /** Maximum distance (px) between the smoothed outline and a fitted cubic before it is split. */
  fitTolerance: number;
  /** Tolerance (px) of the corner-to-corner refit; 0: off. */
  simplify: number;
  /** Called now and then on long outlines (cancellation). */
  check?: () => void;
}

const INFLECTION_EPS = 1e-3;

/** The spline parameters of a trace (degrees to radians; outlines within 1 px of the smoothed path). */
export function splineParamsOf(
  params: { cornerThreshold: number; lengthThreshold: number; maxIterations: number; spliceThreshold: number; simplify: number },
  check?: () => void,
): SplineParams {
  const deg = Math.PI / 180;
  return {
    cornerThreshold: params.cornerThreshold * deg,
    lengthThreshold: params.lengthThreshold,
    maxIterations: params.maxIterations,
    spliceThreshold: params.spliceThreshold * deg,
    fitTolerance: 1,
    simplify: params.simplify,
    check,
  };
}

/** Reusable work buffers, so that tracing thousands of contours allocates little. */
export class SplineWorkspace {
  a = new Float64Array(1024);
  b = new Float64Array(1024);
  ca = new Uint8Array(512);
  cb = new Uint8Array(512);
  cuts = new Int32Array(256);
  run = new Float64Array(1024);
  scratch = new Float64Array(1024);
  /** Control points of the cubic being fitted (fitCubics). */
  control = new Float64Array(6);
  /** Alternative fit of a corner-to-corner run (simplify). */
  alt = new FloatBuffer(256);
}

function ensure<T extends Float64Array | Uint8Array | Int32Array>(arr: T, size: number): T {
  if (arr.length >= size) return arr;
  const ctor = arr.constructor as new (n: number) => T;
  return new ctor(Math.max(size, arr.length * 2));
}

/**
 * Fits a polygon (n vertices as x, y pairs in `poly`) with cubics. Output: a Spline (types.ts) in `out`: the
 * start point (x, y) then 6 numbers per cubic. Closed: the last cubic ends at the start point. Open (a chain between two junctions):
 * both end points are corners and stay exactly where they are.
 */
export function polygonToSpline(poly: Polygon, n: number, p: SplineParams, ws: SplineWorkspace, out: FloatBuffer, closed = true): void {
  out.clear();
  // 1. corners on the polygon
  ws.a = ensure(ws.a, 2 * n);
  ws.ca = ensure(ws.ca, n);
  let pts = ws.a;
  let corner = ws.ca;
  for (let i = 0; i < n; i++) {
    pts[2 * i] = poly[2 * i];
    pts[2 * i + 1] = poly[2 * i + 1];
  }
  for (let i = 0; i < n; i++) {
    if (!closed && (i === 0 || i === n - 1)) {
      corner[i] = 1;
      continue;
    }
    const h = (i + n - 1) % n, j = (i + 1) % n;
    const t = turnAngle(pts[2 * i] - pts[2 * h], pts[2 * i + 1] - pts[2 * h + 1], pts[2 * j] - pts[2 * i], pts[2 * j + 1] - pts[2 * i + 1]);
    corner[i] = Math.abs(t) >= p.cornerThreshold ? 1 : 0;
  }

  // 2. corner-preserving 4-point subdivision
  let count = n;
  const L = p.lengthThreshold;
  for (let iter = 0; iter < p.maxIterations; iter++) {
    if (p.check && count > 65536) p.check();
    ws.b = ensure(ws.b, 4 * count);
    ws.cb = ensure(ws.cb, 2 * count);
    const np = ws.b, nc = ws.cb;
    let m = 0;
    let again = false;
    const segments = closed ? count : count - 1;
    for (let i = 0; i < count; i++) {
      np[2 * m] = pts[2 * i];
      np[2 * m + 1] = pts[2 * i + 1];
      nc[m++] = corner[i];
      if (i >= segments) continue;
      const j = (i + 1) % count;
      const sx = pts[2 * j] - pts[2 * i], sy = pts[2 * j + 1] - pts[2 * i + 1];
      const len = Math.sqrt(sx * sx + sy * sy);
      if (len <= L) continue;
      const ci = corner[i], cj = corner[j];
      if (ci && cj) continue; // straight edges between corners stay straight
      const h = (i + count - 1) % count, k = (j + 1) % count;
      // Next to a much longer segment, splitting would put a bump beside a straight edge.
      const prevLen = !closed && i === 0 ? 0 : length(pts[2 * i] - pts[2 * h], pts[2 * i + 1] - pts[2 * h + 1]);
      const nextLen = !closed && j === count - 1 ? 0 : length(pts[2 * k] - pts[2 * j], pts[2 * k + 1] - pts[2 * j + 1]);
      if (prevLen >= 2 * len || nextLen >= 2 * len) continue;
      const pi = ci ? i : h, nj = cj ? j : k;
      const mox = (pts[2 * i] + pts[2 * j]) / 2, moy = (pts[2 * i + 1] + pts[2 * j + 1]) / 2;
      const mix = (pts[2 * pi] + pts[2 * nj]) / 2, miy = (pts[2 * pi + 1] + pts[2 * nj + 1]) / 2;
      np[2 * m] = mox + (mox - mix) / 8;
      np[2 * m + 1] = moy + (moy - miy) / 8;
      nc[m++] = 0;
      if (len / 2 > L) again = true;
    }
    if (m === count) break;
    // swap buffers
    ws.b = pts; ws.cb = corner;
    ws.a = np; ws.ca = nc;
    pts = np; corner = nc;
    count = m;
    if (!again) break;
  }

  // 3. splice points: corners, inflections, and accumulated turning past the threshold
  ws.cuts = ensure(ws.cuts, count + 2);
  const cuts = ws.cuts;
  let nCuts = 0;
  let acc = 0;
  let sign = 0;
  for (let i = 0; i < count; i++) {
    if (!closed && (i === 0 || i === count - 1)) {
      cuts[nCuts++] = i;
      acc = 0;
      continue;
    }
    const h = (i + count - 1) % count, j = (i + 1) % count;
    const t = turnAngle(pts[2 * i] - pts[2 * h], pts[2 * i + 1] - pts[2 * h + 1], pts[2 * j] - pts[2 * i], pts[2 * j + 1] - pts[2 * i + 1]);
    // Turns below INFLECTION_EPS are straight: float noise on collinear points must not cut the outline.
    const s = t > INFLECTION_EPS ? 1 : t < -INFLECTION_EPS ? -1 : 0;
    let cut = corner[i] === 1;
    if (s !== 0 && sign !== 0 && s !== sign) cut = true;
    if (s !== 0) sign = s;
    acc += t;
    if (Math.abs(acc) >= p.spliceThreshold) cut = true;
    if (cut) {
      cuts[nCuts++] = i;
      acc = 0;
    }
  }
  if (closed) {
    if (nCuts === 0) cuts[nCuts++] = 0;
    if (nCuts === 1) {
      const c2 = (cuts[0] + (count >> 1)) % count;
      if (c2 !== cuts[0]) {
        if (c2 > cuts[0]) cuts[nCuts++] = c2;
        else {
          cuts[1] = cuts[0];
          cuts[0] = c2;
          nCuts = 2;
        }
      }
    }
  }

  // 4. one cubic (or a few) per piece. With `simplify`, each run from corner to corner is also refitted
  // as a whole within that tolerance, and wins when it needs fewer curves.
  out.push2(pts[2 * cuts[0]], pts[2 * cuts[0] + 1]);
  const pieces = closed ? nCuts : nCuts - 1;
  let c = 0;
  while (c < pieces) {
    if (p.check && (c & EVERY_1K) === EVERY_1K) p.check();
    let e = c + 1;
    if (p.simplify > 0) while (e < pieces && !corner[cuts[e]]) e++;
    const a = cuts[c];
    const b = e < nCuts ? cuts[e] : cuts[0] + count;
    const before = out.length;
    for (let k = c; k < e; k++) {
      const ka = cuts[k];
      const kb = k + 1 < nCuts ? cuts[k + 1] : cuts[0] + count;
      fitRun(pts, count, ka, kb, p.fitTolerance, ws, out);
    }
    if (e - c > 1) {
      const spliced = (out.length - before) / 6;
      const alt = ws.alt;
      alt.clear();
      fitRun(pts, count, a, b, p.simplify, ws, alt);
      if (alt.length / 6 < spliced) {
        out.length = before;
        for (let i = 0; i < alt.length; i += 2) out.push2(alt.data[i], alt.data[i + 1]);
      }
    }
    c = e;
  }
}

/** Fits points a..b (indices modulo count) with cubics, appending to out. */
function fitRun(pts: Float64Array, count: number, a: number, b: number, tolerance: number, ws: SplineWorkspace, out: FloatBuffer): void {
  const runLen = b - a + 1;
  ws.run = ensure(ws.run, 2 * runLen);
  ws.scratch = ensure(ws.scratch, runLen);
  const run = ws.run;
  for (let r = 0; r < runLen; r++) {
    const q = (a + r) % count;
    run[2 * r] = pts[2 * q];
    run[2 * r + 1] = pts[2 * q + 1];
  }
  const before = out.length;
  // The start point is the last point already in `out` (or run[0] for a fresh buffer).
  fitCubics(run, 0, runLen - 1, tolerance, out, ws.scratch, ws.control);
  untangle(out.data, before - 2, out.length, run[0], run[1]);
}

/**
 * A cubic whose handles cross each other (the control polygon a-b-c-d self-intersects) draws a loop;
 * moving both handles to the crossing point keeps the shape without the loop.
 */
function untangle(d: Float64Array, start: number, end: number, x0: number, y0: number): void {
  for (let o = start; o + 8 <= end; o += 6) {
    const ax = o >= 0 ? d[o] : x0, ay = o >= 0 ? d[o + 1] : y0, bx = d[o + 2], by = d[o + 3];
    const cx = d[o + 4], cy = d[o + 5], dx = d[o + 6], dy = d[o + 7];
    const rX = bx - ax, rY = by - ay, sX = cx - dx, sY = cy - dy;
    const den = rX * sY - rY * sX;
    if (Math.abs(den) < 1e-9) continue;
    const qx = dx - ax, qy = dy - ay;
    const t = (qx * sY - qy * sX) / den;
    const u = (qx * rY - qy * rX) / den;
    if (t > 0 && t < 1 && u > 0 && u < 1) {
      const ix = ax + t * rX, iy = ay + t * rY;
      d[o + 2] = ix; d[o + 3] = iy;
      d[o + 4] = ix; d[o + 5] = iy;
    }
  }
}
