/**
 * How rough a closed sub-pixel outline is, and a smoothing for rough ones.
 *
 * The boundary of a region thresholded out of a photo or a scan wiggles from pixel to pixel: grain, not
 * shape. Fitted faithfully, every wiggle becomes a corner or a curve of its own (spikes when scaled up, and
 * many bytes). Drawn art is different: its outline turns one way along a curve and sharply only at corners.
 * The measure that tells them apart is the turning in excess of the net turning, per pixel of arc: a convex
 * dot, a circle or a straight edge has none, a star a little at each notch, a photo's edge ten times more.
 */
import { turnAngle } from './bezier.js';

/**
 * (Σ|turn| − |Σ turn|) / arc length over the samples of a closed outline, or of an open chain (closed
 * false: turns at its inner samples only), in radians per px.
 */
export function excessTurning(pts: Float64Array, n: number, closed = true): number {
  let abs = 0, net = 0, arc = 0;
  let ax = closed ? pts[0] - pts[2 * n - 2] : pts[2] - pts[0];
  let ay = closed ? pts[1] - pts[2 * n - 1] : pts[3] - pts[1];
  if (!closed) arc = Math.sqrt(ax * ax + ay * ay);
  for (let i = closed ? 0 : 1; i < (closed ? n : n - 1); i++) {
    const j = i + 1 < n ? i + 1 : 0;
    const bx = pts[2 * j] - pts[2 * i], by = pts[2 * j + 1] - pts[2 * i + 1];
    const t = turnAngle(ax, ay, bx, by);
    abs += t < 0 ? -t : t;
    net += t;
    arc += Math.sqrt(bx * bx + by * by);
    ax = bx; ay = by;
  }
  return arc > 0 ? (abs - Math.abs(net)) / arc : 0;
}

/**
 * `passes` rounds of the [1 2 1] / 4 filter along a closed outline, in place (`tmp` holds 2n numbers or more);
 * an open chain (closed false) keeps its two end samples. Each round pulls a sample towards the mean of its
 * neighbours: one-pixel grain fades, while a feature several pixels long keeps most of its extent. Given the
 * image's size (`width` > 0), a sample on the image's frame is smoothed along it only.
 */
export function smoothSamples(pts: Float64Array, n: number, passes: number, tmp: Float64Array, closed = true, width = 0, height = 0): void {
  for (let r = 0; r < passes; r++) {
    tmp.set(pts.subarray(0, 2 * n));
    for (let i = closed ? 0 : 1; i < (closed ? n : n - 1); i++) {
      const h = i > 0 ? i - 1 : n - 1, j = i + 1 < n ? i + 1 : 0;
      const x = tmp[2 * i], y = tmp[2 * i + 1];
      // With the image's size (width > 0), a sample on its frame stays on it: smoothed along the frame only.
      if (width === 0 || (x !== 0 && x !== width)) pts[2 * i] = (tmp[2 * h] + 2 * x + tmp[2 * j]) / 4;
      if (width === 0 || (y !== 0 && y !== height)) pts[2 * i + 1] = (tmp[2 * h + 1] + 2 * y + tmp[2 * j + 1]) / 4;
    }
  }
}

/** Bins of 0.01 px for the jitter quantile, the last one open-ended. */
const JITTER_BINS = new Int32Array(101);

/**
 * The 90th percentile (px, to 0.01) of each sample's distance from the chord between its two neighbours,
 * over a closed outline (open: its inner samples). Clean anti-aliased outlines, drawn or rendered, stay at
 * 0.03–0.10 px (a curve's own sagitta and the samples' noise); an image whose anti-aliasing is uneven (the
 * corpus logo: steps where its staircase crosses two pixels) reaches 0.22–0.32 px.
 */
export function jitter(pts: Float64Array, n: number, closed = true): number {
  const bins = JITTER_BINS;
  bins.fill(0);
  let count = 0;
  for (let i = closed ? 0 : 1; i < (closed ? n : n - 1); i++) {
    const a = i > 0 ? i - 1 : n - 1, b = i + 1 < n ? i + 1 : 0;
    const ex = pts[2 * b] - pts[2 * a], ey = pts[2 * b + 1] - pts[2 * a + 1];
    const l = Math.sqrt(ex * ex + ey * ey);
    if (l === 0) continue;
    const d = Math.abs(ex * (pts[2 * i + 1] - pts[2 * a + 1]) - ey * (pts[2 * i] - pts[2 * a])) / l;
    bins[d >= 1 ? 100 : (d * 100) | 0]++;
    count++;
  }
  let seen = 0;
  const target = Math.ceil(0.9 * count);
  for (let k = 0; k <= 100; k++) {
    seen += bins[k];
    if (seen >= target) return k / 100;
  }
  return 1;
}
