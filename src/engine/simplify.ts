/**
 * Polygon simplification of pixel contours (mode `polygon`, and the first step of `spline`).
 * Contours are closed: n vertices (x, y pairs) without a repeated closing point.
 */
import { IntBuffer } from './buffers.js';

/**
 * Removes the pixel staircase: a vertex next to a unit-length edge is kept only when it turns the way
 * `keepSign` says (+1: right turns, the convex corners of a region walked with the region on the right;
 * -1: left turns). Slanted edges then run through the outer corners of their steps.
 */
export function removeStaircase(src: Int32Array, from: number, to: number, keepSign: number, out: IntBuffer): void {
  out.clear();
  const n = to - from;
  for (let i = 0; i < n; i++) {
    const a = from + ((i + n - 1) % n);
    const b = from + i;
    const c = from + ((i + 1) % n);
    const ax = src[2 * a], ay = src[2 * a + 1];
    const bx = src[2 * b], by = src[2 * b + 1];
    const cx = src[2 * c], cy = src[2 * c + 1];
    const inLen = Math.abs(bx - ax) + Math.abs(by - ay);
    const outLen = Math.abs(cx - bx) + Math.abs(cy - by);
    if (inLen === 1 || outLen === 1) {
      const turn = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
      if (turn * keepSign <= 0) continue;
    }
    out.push2(bx, by);
  }
}

/**
 * Greedy chord extension: from an anchor, extend the chord to further vertices while every skipped
 * vertex deviates little. The penalty of a skipped vertex B on chord AC is area(ABC)² / |AC|, i.e.
 * |AC|·h²/4 for a deviation h: long chords tolerate less deviation than short ones.
 */
export function limitPenalties(src: Int32Array, n: number, out: IntBuffer, tolerance = 1): void {
  out.clear();
  if (n < 4) {
    for (let i = 0; i < 2 * n; i++) out.push(src[i]);
    return;
  }
  let a = 0;
  out.push2(src[0], src[1]);
  // Walk the closed polygon once, the closing vertex n being vertex 0 again.
  for (let i = a + 2; i <= n; i++) {
    const ii = i === n ? 0 : i;
    const ax = src[2 * a], ay = src[2 * a + 1];
    const cx = src[2 * ii], cy = src[2 * ii + 1];
    const dx = cx - ax, dy = cy - ay;
    const chord = Math.sqrt(dx * dx + dy * dy);
    let exceeded = false;
    for (let b = a + 1; b < i; b++) {
      const cross = (src[2 * b] - ax) * dy - (src[2 * b + 1] - ay) * dx;
      // area = |cross| / 2; penalty = area² / chord
      if ((cross * cross) / 4 >= tolerance * chord) {
        exceeded = true;
        break;
      }
    }
    if (exceeded) {
      a = i - 1;
      out.push2(src[2 * a], src[2 * a + 1]);
    }
  }
}
