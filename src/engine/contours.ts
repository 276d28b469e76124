/**
 * Boundary walking on the pixel-corner lattice: point (x, y) is the top-left corner of pixel (x, y).
 *
 * A region is given without copying pixels: pixel p belongs to it when `(key[p] - lo) >>> 0 < len`
 * (one unsigned compare; a negative key is never inside). Every contour of the region, outer boundaries and
 * holes of every connected component, is walked with the region on the right-hand side (y pointing down):
 * outer boundaries come out clockwise and holes counter-clockwise, so SVG's nonzero rule draws the holes.
 * Pixels that touch only diagonally are not connected (4-connectivity), unless the mask says `diagonal`
 * (8-connectivity, binary mode's ink and keyed flat art's layers, blend-keying.ts: a hairline thresholds or
 * keys into a chain of pixels touching at their corners), but at the mask's `openCorners` (binary.ts opensAt:
 * a gap narrower than a pixel running through the corner).
 * There is no limit on contour length.
 */
import { IntBuffer } from './buffers.js';
import { DX, DY, LEFT_X, LEFT_Y, RIGHT_X, RIGHT_Y, nextDirection } from './lattice.js';
import { EVERY_256K } from './progress.js';
import type { Contours, RegionMask } from './types.js';


/** Contours of one region (layout: Contours in types.ts), reused from one region to the next. */
export class ContourSet implements Contours {
  readonly points = new IntBuffer(1024);
  /** contour i spans vertices [starts[i], starts[i + 1]). */
  readonly starts = new IntBuffer(16);
  get count(): number {
    return this.starts.length;
  }
  clear(): void {
    this.points.clear();
    this.starts.clear();
  }
  vertexStart(i: number): number {
    return this.starts.data[i];
  }
  vertexEnd(i: number): number {
    return i + 1 < this.starts.length ? this.starts.data[i + 1] : this.points.length >> 1;
  }
}

function inside(key: Int32Array, w: number, h: number, lo: number, len: number, x: number, y: number): boolean {
  return x >= 0 && y >= 0 && x < w && y < h && ((key[y * w + x] - lo) >>> 0) < len;
}

/**
 * Finds and walks every contour of the region. `scan` lists candidate pixels (a superset of the region is
 * fine); `seen` is a per-pixel stamp array shared between calls: `stamp` must differ from every earlier call's
 * and from any value `seen` held before the first call.
 */
export function traceContours(
  mask: RegionMask,
  scan: Int32Array,
  seen: Int32Array,
  stamp: number,
  out: ContourSet,
  check?: () => void,
): void {
  const { key, width: w, height: h, lo, len } = mask;
  const diagonal = mask.diagonal === true;
  const open = diagonal && mask.openCorners !== undefined && mask.openCorners.length > 0 ? mask.openCorners : null;
  for (let s = 0; s < scan.length; s++) {
    if (check && (s & EVERY_256K) === EVERY_256K) check();
    const p = scan[s];
    if (((key[p] - lo) >>> 0) >= len || seen[p] === stamp) continue;
    // A contour starts on every top edge whose upper neighbour is outside; each contour has at least one.
    if (p >= w && ((key[p - w] - lo) >>> 0) < len) continue;
    const y = (p / w) | 0;
    walk(key, w, h, lo, len, p - y * w, y, seen, stamp, out, diagonal, open);
  }
}

function walk(
  key: Int32Array, w: number, h: number, lo: number, len: number,
  sx: number, sy: number, seen: Int32Array, stamp: number, out: ContourSet, diagonal: boolean, open: Int32Array | null,
): void {
  const pts = out.points;
  out.starts.push(pts.length >> 1);
  let cx = sx;
  let cy = sy;
  let d = 0;
  for (;;) {
    // Traverse one unit edge; east edges are top edges of the pixel below them: mark them as walked.
    if (d === 0) seen[cy * w + cx] = stamp;
    cx += DX[d];
    cy += DY[d];
    // The two pixels ahead of the corner, seen in the walking direction: those on the left and on the
    // right of the unit edge that would leave it straight on.
    const flIn = inside(key, w, h, lo, len, cx + LEFT_X[d], cy + LEFT_Y[d]);
    const frIn = inside(key, w, h, lo, len, cx + RIGHT_X[d], cy + RIGHT_Y[d]);
    // Only the front-left pixel inside: it touches the current one diagonally; 8-connected, go on round it.
    // (Not at an open corner, where the background passes between the two.)
    const nd = frIn ? (flIn ? (d + 3) & 3 : d)
      : flIn && diagonal && (open === null || !isOpen(open, cy * (w + 1) + cx)) ? (d + 3) & 3 : (d + 1) & 3;
    if (cx === sx && cy === sy && nd === 0) {
      if (d !== 0) pts.push2(cx, cy);
      return;
    }
    if (nd !== d) pts.push2(cx, cy);
    d = nd;
  }
}

/** Whether corner index c is in the ascending list `open` (binary search: a walk meets few diagonal touches). */
function isOpen(open: Int32Array, c: number): boolean {
  let lo = 0, hi = open.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (open[mid] < c) lo = mid + 1;
    else hi = mid;
  }
  return lo < open.length && open[lo] === c;
}
