/**
 * Crisp edges: whether an outline was drawn (rendered with anti-aliasing) rather than cut out of a photo or a
 * scan, from the pixels on either side of it.
 *
 * The grain measure (roughness.ts) looks at the outline's shape only, per pixel of arc. A small glyph turns
 * as much per pixel as a photo's wiggling edge (a 16 px bold "c" measures 0.31 rad/px, its bowl's inside
 * and two ends on 30 px of outline), so small text was smoothed and fitted as grain: blobs and spikes when
 * scaled up. The pixels tell them apart: a drawn edge goes from one colour to the other within the one pixel
 * it crosses, so the pixels 1 px either side of it already differ as much as the pixels 2 px either side; a
 * photo's or a scan's edge is blurred over several pixels, and the nearer pair differs less.
 */
import type { EdgeField } from './subpixel.js';

/**
 * A sample's nearer pair must differ by this much at least (luminance, or RGB distance, 0–255 units). At 40,
 * photos' and scans' outlines passed more often (their SVG grew by up to 19 %, the coffee photo's bw trace
 * took 4 % longer); at 192, rendered text's corners failed it too.
 */
const MIN_STEP = 120;
/** ... and by this fraction of the farther pair's difference or more (1: the step is over within the pixel). */
const STEP_SHARE = 0.9;
/**
 * Share of an outline's samples that must be crisp. Rendered text at 12–32 px (with a step of 40 or more):
 * 0.84 or more in black and white, 0.55–1 in colour (9 outlines in 10 above 0.7); the corpus photos and scan:
 * a median of 0.15–0.5 per image, one outline in 10 above 0.61–0.77.
 */
const CRISP_SHARE = 0.8;

/** Difference between pixels p and q: luminance in binary mode, else RGB distance over white. */
function difference(f: EdgeField, p: number, q: number): number {
  const L = f.luma;
  if (L !== undefined) return Math.abs(L[p] - L[q]);
  const d = f.data;
  const ap = d[4 * p + 3], aq = d[4 * q + 3];
  // Over white: c·a/255 + 255 − a, for each channel.
  const dr = ((d[4 * p] - 255) * ap - (d[4 * q] - 255) * aq) / 255;
  const dg = ((d[4 * p + 1] - 255) * ap - (d[4 * q + 1] - 255) * aq) / 255;
  const db = ((d[4 * p + 2] - 255) * ap - (d[4 * q + 2] - 255) * aq) / 255;
  return Math.sqrt(dr * dr + dg * dg + db * db);
}

/** Whether pixel p is in f's region on the background's side of the threshold: a joined hairline's pixel. */
function joinedHairline(f: EdgeField, p: number): boolean {
  const level = f.inkLevel, L = f.luma;
  if (level === undefined || L === undefined || ((f.key[p] - f.lo) >>> 0) >= f.len) return false;
  return level.invert ? L[p] < level.threshold : L[p] >= level.threshold;
}

/** Index of the pixel under (x, y), −1 off the image. */
function pixelAt(f: EdgeField, x: number, y: number): number {
  const px = Math.floor(x), py = Math.floor(y);
  return px < 0 || py < 0 || px >= f.width || py >= f.height ? -1 : py * f.width + px;
}

/**
 * True when CRISP_SHARE or more of the n samples of the closed outline `pts` (x, y pairs) are crisp: along
 * the normal of the chord between a sample's neighbours, the pixels 1 px either side differ by MIN_STEP or
 * more (inside, the pixel half a pixel in when it differs more: a thin stroke), and by STEP_SHARE of what the
 * pixels 2 px either side differ or more. (A sample near the image's frame counts as not crisp.) A 16 px serif
 * "k", its stem 1.5 px wide and its arm thinner, read 1 px inside only, was grain: smoothed, fitted 0.5 px
 * looser, its corners rounded, its stem drawn as a bow.
 */
export function crispEdges(f: EdgeField, pts: Float64Array, n: number): boolean {
  const need = Math.ceil(CRISP_SHARE * n);
  let crisp = 0;
  for (let i = 0; i < n; i++) {
    const a = i > 0 ? i - 1 : n - 1, b = i + 1 < n ? i + 1 : 0;
    const dx = pts[2 * b] - pts[2 * a], dy = pts[2 * b + 1] - pts[2 * a + 1];
    const l = Math.sqrt(dx * dx + dy * dy);
    if (l === 0) continue;
    const nx = -dy / l, ny = dx / l, x = pts[2 * i], y = pts[2 * i + 1];
    const in1 = pixelAt(f, x + nx, y + ny), out1 = pixelAt(f, x - nx, y - ny);
    const in2 = pixelAt(f, x + 2 * nx, y + 2 * ny), out2 = pixelAt(f, x - 2 * nx, y - 2 * ny);
    if (in1 < 0 || out1 < 0 || in2 < 0 || out2 < 0) continue;
    // A joined hairline's pixel (binary.ts withHairlines) holds under the threshold's ink: its step is that of a
    // thin line, not of a blur, and only the step's share is asked of it.
    const far = STEP_SHARE * difference(f, in2, out2);
    const least = joinedHairline(f, in1) ? far : Math.max(MIN_STEP, far);
    let near = difference(f, in1, out1);
    if (near < least) {
      // A stroke under 2 px wide: the pixel 1 px inside may lie past its middle, in its far side's blend; the
      // one half a pixel inside is then the stroke's fullest.
      const inHalf = pixelAt(f, x + nx / 2, y + ny / 2);
      if (inHalf >= 0 && inHalf !== in1) near = Math.max(near, difference(f, inHalf, out1));
    }
    if (near >= least) crisp++;
    // Most of a photo's outlines fail early.
    else if (i + 1 - crisp > n - need) return false;
  }
  return crisp >= need;
}
