/**
 * Crisp edges: whether an outline in black and white was drawn (rendered with anti-aliasing) rather than
 * thresholded out of a photo or a scan, from the pixels on either side of it.
 *
 * The grain measure (roughness.ts) looks at the outline's shape only, per pixel of arc. A small glyph turns
 * as much per pixel as a photo's wiggling edge (a 16 px bold "c" measures 0.31 rad/px, its bowl's inside
 * and two ends on 30 px of outline), so small text was smoothed and fitted as grain: blobs and spikes when
 * scaled up. The pixels tell them apart: a drawn edge goes from ink to paper within the one pixel it
 * crosses, so the pixels a pixel inside and a pixel outside it differ by nearly the whole ink-to-paper
 * step; a photo's or a scan's edge is blurred over several pixels, and that step is a fraction of it.
 */
import type { EdgeField } from './subpixel.js';

/**
 * Luminance step (0–255) across a crisp edge: the pixels 1 px inside and 1 px outside differ by this much or
 * more on at least half of the outline's samples. Black text on white rendered anti-aliased: 238 on every
 * outline; the corpus photos and scan at their sharpest: 182 (a median over an outline, over 270 outlines).
 */
const CRISP_STEP = 192;

/**
 * True when at least half of the n samples of the closed outline `pts` (x, y pairs, the region on the
 * right) have a luminance step of CRISP_STEP or more between the pixel 1 px inside and the pixel 1 px
 * outside, along the normal of the chord between their neighbours. Binary mode only (f.luma); false
 * without it.
 */
export function crispEdges(f: EdgeField, pts: Float64Array, n: number): boolean {
  const L = f.luma;
  if (L === undefined || n < 3) return false;
  const w = f.width, h = f.height;
  let crisp = 0;
  for (let i = 0; i < n; i++) {
    const a = i > 0 ? i - 1 : n - 1, b = i + 1 < n ? i + 1 : 0;
    const dx = pts[2 * b] - pts[2 * a], dy = pts[2 * b + 1] - pts[2 * a + 1];
    const l = Math.sqrt(dx * dx + dy * dy);
    if (l === 0) continue;
    const nx = -dy / l, ny = dx / l;
    const x = pts[2 * i], y = pts[2 * i + 1];
    const ix = Math.floor(x + nx), iy = Math.floor(y + ny), ox = Math.floor(x - nx), oy = Math.floor(y - ny);
    if (ix < 0 || iy < 0 || ix >= w || iy >= h || ox < 0 || oy < 0 || ox >= w || oy >= h) continue;
    const step = L[iy * w + ix] - L[oy * w + ox];
    if (step >= CRISP_STEP || -step >= CRISP_STEP) crisp++;
  }
  return 2 * crisp >= n;
}
