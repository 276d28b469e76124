/**
 * Slivers along the image's frame, for stacked colour layers (between clustering and contour tracing).
 *
 * A round shape whose edge touches the frame (an emoji's lobe, a rainbow's outer band) leaves a sliver of
 * what lies beyond it in the frame pixels under it: their colour mixes the shape's and the sliver's. Each of
 * those pixels went to the layer of its larger share, so the shape ran along the frame for several pixels
 * ("feet" under round lobes) and the layer of the sliver stopped short of it. Here such a pixel goes to the
 * layer of the sliver instead, walking along the frame from where that layer's own pixels on the frame end,
 * while each pixel is a mix of the two layers' fills holding some of the sliver's colour and the pixel
 * inward of it is the shape's own. Both outlines then meet inside those pixels where their coverage says
 * (subpixel.ts): the sliver's along the frame, the shape's above it.
 */
import type { LayerSet } from './types.js';

/**
 * A frame pixel joins the sliver's layer when it holds at least this share of the sliver's colour. (At 0.1 the
 * walk went on into the quarter-step tail of resvg's coverage, and the edge above those pixels wobbled: shape
 * sum 1.2 dB lower; at 0.3 it stopped early, 1.1 dB lower.)
 */
const SLIVER_MIN = 0.2;
/** The pixel inward of it must hold less than this share of the sliver's colour: the mix runs along the frame. */
const INWARD_MAX = 0.1;
/** Fills closer than this (RGB distance, 0–441) cannot tell their shares apart. */
const MIN_CONTRAST = 40;
/** A pixel farther than this share of the fills' distance from the line between them is a third colour. */
const MAX_RESIDUAL = 0.6;
/** At most this many pixels (px) are taken from one end of a run along the frame. */
const MAX_REACH = 24;

/**
 * Moves frame pixels of stacked layers to the layer of the sliver they hold (see above), in set.key.
 * `data`: the RGBA image the layers were made from; `fill`: the fill of the layer that draws each key, packed
 * 0xRRGGBB (paint-order.ts PaintOrder.fill).
 */
export function claimFrameSlivers(set: LayerSet, data: Uint8Array, fill: Int32Array): void {
  const { key, width: w, height: h } = set;
  if (w < 3 || h < 3) return;
  // The four sides: first pixel, step along the side, step inward, length.
  const sides: Array<[number, number, number, number]> = [
    [0, 1, w, w], // top
    [(h - 1) * w, 1, -w, w], // bottom
    [0, w, 1, h], // left
    [w - 1, w, -1, h], // right
  ];
  for (const [start, along, inward, len] of sides) {
    let a = 0;
    while (a < len) {
      const k = key[start + a * along];
      let b = a;
      while (b + 1 < len && key[start + (b + 1) * along] === k) b++;
      if (k >= 0) {
        // From each end of the run of key k, towards its inside, when a layer's pixels lie beyond that end.
        if (a > 0) claimFrom(key, data, fill, start, along, inward, a, b, 1, k);
        if (b + 1 < len) claimFrom(key, data, fill, start, along, inward, b, a, -1, k);
      }
      a = b + 1;
    }
  }
}

/**
 * Walks the run of key `k` from position `from` towards `to` (step `dir`) along one side of the frame; the
 * pixel before `from` belongs to the sliver's layer. Moves each pixel to that layer while it holds its colour.
 */
function claimFrom(
  key: Int32Array, data: Uint8Array, fill: Int32Array, start: number, along: number, inward: number,
  from: number, to: number, dir: number, k: number,
): void {
  const sliver = key[start + (from - dir) * along];
  if (sliver < 0 || sliver === k) return;
  const s = fill[sliver], m = fill[k];
  const sr = s >> 16, sg = (s >> 8) & 255, sb = s & 255;
  const mr = m >> 16, mg = (m >> 8) & 255, mb = m & 255;
  const dr = sr - mr, dg = sg - mg, db = sb - mb;
  const dd = dr * dr + dg * dg + db * db;
  if (dd < MIN_CONTRAST * MIN_CONTRAST) return;
  // The share of the sliver's colour in pixel p (−1 for a third colour or a transparent pixel).
  const share = (p: number): number => {
    if (data[4 * p + 3] < 255) return -1;
    const vr = data[4 * p] - mr, vg = data[4 * p + 1] - mg, vb = data[4 * p + 2] - mb;
    const t = (vr * dr + vg * dg + vb * db) / dd;
    const er = vr - t * dr, eg = vg - t * dg, eb = vb - t * db;
    if (er * er + eg * eg + eb * eb > MAX_RESIDUAL * MAX_RESIDUAL * dd) return -1;
    return t;
  };
  for (let i = 0, t = from; i < MAX_REACH && (dir > 0 ? t <= to : t >= to); i++, t += dir) {
    const p = start + t * along;
    const q = p + inward;
    if (key[q] !== k) return;
    const inner = share(q);
    if (inner < 0 || inner >= INWARD_MAX) return;
    if (share(p) < SLIVER_MIN) return;
    key[p] = sliver;
  }
}
