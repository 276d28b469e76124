/**
 * Polygon simplification of sub-pixel outlines (mode `polygon`) and of centerline strokes.
 * A closed contour is n vertices (x, y pairs) without a repeated closing point; an open chain (a boundary
 * shared by two regions, between two junctions) keeps its two end points exactly where they are.
 */
import { FloatBuffer } from './buffers.js';
import type { Polygon } from './types.js';

/**
 * Greedy chord extension: from an anchor, extend the chord to further vertices while every skipped
 * vertex deviates little. The penalty of a skipped vertex B on chord AC is area(ABC)² / |AC|, i.e.
 * |AC|·h²/4 for a deviation h: long chords tolerate less deviation than short ones.
 */
export function limitPenalties(src: Polygon, n: number, out: FloatBuffer, tolerance = 1, closed = true): void {
  out.clear();
  if (n < 4) {
    for (let i = 0; i < n; i++) out.push2(src[2 * i], src[2 * i + 1]);
    return;
  }
  let a = 0;
  out.push2(src[0], src[1]);
  // A closed polygon is walked once, its closing vertex n being vertex 0 again; an open chain ends at n - 1.
  const last = closed ? n : n - 1;
  for (let i = a + 2; i <= last; i++) {
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
  if (!closed) {
    out.push2(src[2 * (n - 1)], src[2 * (n - 1) + 1]);
    return;
  }
  // A closed outline needs three vertices; tiny shapes (a pixel's diamond) keep all of theirs.
  if (out.length < 6) {
    out.clear();
    for (let i = 0; i < n; i++) out.push2(src[2 * i], src[2 * i + 1]);
  }
}
