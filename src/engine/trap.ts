/**
 * Trapping for the cutout mosaic (mosaic.ts).
 *
 * Neighbouring cutout shapes share their borders exactly, and with anti-aliasing that is what shows seams:
 * each shape paints the pixels its edge crosses at partial coverage, one shape after the other, so a pixel
 * covered a by the first shape and 1 − a by the second keeps a(1 − a) of the background (a quarter when
 * the border halves it): a light hairline along every border, on a photo a net of them over the whole
 * picture. Printers meet the same problem with trapping: the colour printed first reaches under the one
 * printed over it. Here a shape's border with a shape painted after it is moved TRAP_WIDTH px into that
 * shape; the later shape, drawn exactly, hides the overlap, and its edge pixels blend with the colour
 * beneath instead of the background. Borders with shapes painted earlier and with transparency stay
 * exact, so the visible borders are the fitted ones. Borders along the image's edge are moved beyond it
 * (the canvas clips them), since their fitted curve may stray inside and show the page. Pixel mode is not
 * trapped: its borders run along pixel edges, which anti-aliasing at the image's size leaves sharp.
 */
import { FloatBuffer } from './buffers.js';

/**
 * How far (px) a shape reaches under a shape painted after it: enough to hide the seams (astronaut poster
 * SSIM 0.695 untrapped, 0.875 at 0.6 px, 0.882 at 0.75), little enough that it seldom crosses a thin later
 * shape into the one beyond it (a 96 px photo crop: 2, 5 and 11 pixels covered twice in full at 0.5, 0.6, 0.75).
 */
export const TRAP_WIDTH = 0.6;

/**
 * An anchor moves at most this many trap widths (at a sharp corner): under one pixel, so that no pixel is
 * covered twice in full (and the trap cannot cross a later shape a pixel wide).
 */
const MAX_MITER = 1.25;

/** A step shorter than this (px) has no direction (a handle on its anchor). */
const MIN_STEP = 1e-9;

/** Offsets chain geometry for trapping, reusing its buffers from one chain to the next. */
export class Trapper {
  private readonly oriented = new FloatBuffer(256);
  private readonly out = new FloatBuffer(256);

  /**
   * Geometry `g` (a start point, then per segment 6 numbers when `cubic`, else 2) taken in the direction
   * of travel (`reversed`: from its end), every anchor moved `width` px to the left of travel (y down: left
   * of the direction (tx, ty) is (ty, −tx)), its handles with it. An anchor moves along the bisector of
   * the normals before and after it, by width / cos(half the turn), so that straight segments move by exactly
   * `width`. A closed chain ends where it starts. The result is a view of a buffer reused by the next call.
   */
  offset(g: Float64Array, cubic: boolean, closed: boolean, reversed: boolean, width: number): Float64Array {
    const step = cubic ? 6 : 2;
    const len = g.length;
    const src = this.oriented;
    src.clear();
    if (!reversed) {
      for (let i = 0; i < len; i += 2) src.push2(g[i], g[i + 1]);
    } else {
      // Segment s runs from the point before 2 + s·step to the last point of its block.
      src.push2(g[len - 2], g[len - 1]);
      for (let o = len - step; o >= 2; o -= step) {
        if (cubic) { src.push2(g[o + 2], g[o + 3]); src.push2(g[o], g[o + 1]); }
        src.push2(g[o - 2], g[o - 1]);
      }
    }
    const p = src.data;
    const out = this.out;
    out.clear();
    for (let i = 0; i < len; i += 2) out.push2(p[i], p[i + 1]);
    const q = out.data;
    const anchors = (len - 2) / step + 1;
    const at = (k: number): number => k * step; // index of anchor k
    for (let k = 0; k < anchors; k++) {
      const a = at(k);
      // Unit tangents into and out of the anchor, from the nearest distinct point on each side (a handle
      // may sit on its anchor). A closed chain's first and last anchors are the same point.
      let ix = 0, iy = 0, ox = 0, oy = 0;
      const into = k > 0 ? a : closed ? at(anchors - 1) : -1;
      for (let back = 2; into >= 0 && back <= step && ix === 0 && iy === 0; back += 2) {
        const dx = p[into] - p[into - back], dy = p[into + 1] - p[into - back + 1];
        const l = Math.hypot(dx, dy);
        if (l > MIN_STEP) { ix = dx / l; iy = dy / l; }
      }
      const from = k < anchors - 1 ? a : closed ? 0 : -1;
      for (let fwd = 2; from >= 0 && fwd <= step && ox === 0 && oy === 0; fwd += 2) {
        const dx = p[from + fwd] - p[from], dy = p[from + fwd + 1] - p[from + 1];
        const l = Math.hypot(dx, dy);
        if (l > MIN_STEP) { ox = dx / l; oy = dy / l; }
      }
      let nx = iy + oy, ny = -ix - ox;
      const nl = Math.hypot(nx, ny);
      if (nl < 1e-9) continue; // no direction known, or a full turn back: leave the anchor
      nx /= nl; ny /= nl;
      // cos(half the turn): the bisector against either side's normal.
      const cos = ix !== 0 || iy !== 0 ? nx * iy - ny * ix : nx * oy - ny * ox;
      const d = width / Math.max(cos, 1 / MAX_MITER);
      const dx = nx * d, dy = ny * d;
      q[a] += dx; q[a + 1] += dy;
      if (cubic) {
        if (k > 0) { q[a - 2] += dx; q[a - 1] += dy; }
        if (k < anchors - 1) { q[a + 2] += dx; q[a + 3] += dy; }
      }
    }
    if (closed) { q[len - 2] = q[0]; q[len - 1] = q[1]; }
    return q.subarray(0, len);
  }
}

