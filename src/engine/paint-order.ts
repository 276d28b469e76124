/**
 * Which neighbours a stacked colour layer may overlap, so that no seam opens between two of them.
 *
 * Stacked layers are painted in order, each over the ones before. Where two layers that are not one inside
 * the other meet (two bands of a sky gradient), each outline is fitted on its own; where both fits fall a
 * little short of their shared boundary, the layer under both (their parent) shows through as a thin seam,
 * often of a colour far from both. Pushing the later layer's edge a little over the earlier one closes the
 * seam, and costs little where the two colours are close. This module says, for the pixel across an edge,
 * whether that is so; the fitter (fit-outline.ts) moves the samples.
 */
import type { Layer } from './types.js';

/**
 * A neighbour is overlapped only when its fill is within this L1 RGB distance (0–765) of the layer's own:
 * beyond it, covering a strip of it costs more than the seam would (at poster, with no limit, the corpus
 * coffee photo lost 0.0029 SSIM and the text image 0.0015).
 */
const OVERLAP_CONTRAST = 64;

/** The painting order of a set of stacked layers, indexed by key (a layer's `lo`, the key of the pixels it draws). */
export interface PaintOrder {
  /** Painting index of the layer keyed k. */
  rank: Int32Array;
  /** Key span (`len`) of the layer keyed k: itself and every layer drawn over it. */
  span: Int32Array;
  /** Fill of the layer keyed k, packed 0xRRGGBB. */
  fill: Int32Array;
  /** By painting index: the fill of the layer's parent (the one it is drawn over), −1 for a root. */
  parentFill: Int32Array;
}

/** The paint order of `layers` (in painting order; stacked keys, as clustering.ts makes them). */
export function paintOrderOf(layers: readonly Layer[]): PaintOrder {
  let keys = 0;
  for (const layer of layers) keys = Math.max(keys, layer.lo + 1);
  const rank = new Int32Array(keys), span = new Int32Array(keys), fill = new Int32Array(keys);
  for (let i = 0; i < layers.length; i++) {
    const { lo, len, r, g, b } = layers[i];
    rank[lo] = i;
    span[lo] = len;
    fill[lo] = (r << 16) | (g << 8) | b;
  }
  // Keys are numbered depth-first, so walking the layers by key, the parent of each is the innermost layer
  // whose key range still holds it.
  const parentFill = new Int32Array(layers.length).fill(-1);
  const byKey = layers.map((_, i) => i).sort((a, b) => layers[a].lo - layers[b].lo);
  const open: number[] = [];
  for (const i of byKey) {
    const lo = layers[i].lo;
    while (open.length > 0 && layers[open[open.length - 1]].lo + layers[open[open.length - 1]].len <= lo) open.pop();
    if (open.length > 0) parentFill[i] = fill[layers[open[open.length - 1]].lo];
    open.push(i);
  }
  return { rank, span, fill, parentFill };
}

/** Whether the layer keyed k is an ancestor of the one keyed lo … lo + len − 1 (its key range holds it). */
export function isAncestor(order: PaintOrder, k: number, lo: number, len: number): boolean {
  return k >= 0 && k < lo && k + order.span[k] >= lo + len;
}

/** L1 distance of two packed colours. */
function colourDistance(a: number, b: number): number {
  return Math.abs((a >> 16) - (b >> 16)) + Math.abs(((a >> 8) & 255) - ((b >> 8) & 255)) + Math.abs((a & 255) - (b & 255));
}

/**
 * Whether the layer of painting index `self` (keys lo … lo + len − 1) may overlap the layer keyed k, which
 * draws a pixel just outside it: k is painted before it and is not one of its ancestors (the parent shows
 * in a seam between them, not k), their fills are within OVERLAP_CONTRAST, and the parent's fill is at
 * least as far from the layer's as k's (else a seam would show a colour closer than the overlap's).
 */
export function mayOverlap(order: PaintOrder, self: number, lo: number, len: number, k: number): boolean {
  if (k < 0 || ((k - lo) >>> 0) < len) return false;
  if (isAncestor(order, k, lo, len) || order.rank[k] >= self) return false;
  const own = order.fill[lo];
  const d = colourDistance(order.fill[k], own);
  if (d > OVERLAP_CONTRAST) return false;
  const parent = order.parentFill[self];
  return parent < 0 || colourDistance(parent, own) >= d;
}

/**
 * Moves each sample of a closed outline outward (to the left of its direction of travel: outward for the
 * region on the right) by `distance` times its weight, after the weights (0 or 1 per sample: may overlap the
 * neighbour across) are smoothed by `rounds` of [1 2 1] / 4 as the samples were, so that the move ramps in
 * and out instead of stepping. `weights` is overwritten; `tmp` holds 2n numbers or more.
 */
export function overlapNeighbours(pts: Float64Array, weights: Float64Array, n: number, distance: number, rounds: number, tmp: Float64Array): void {
  let any = false;
  for (let i = 0; i < n && !any; i++) any = weights[i] > 0;
  if (!any || distance <= 0) return;
  for (let r = 0; r < rounds; r++) {
    tmp.set(weights.subarray(0, n));
    for (let i = 0; i < n; i++) weights[i] = (tmp[i > 0 ? i - 1 : n - 1] + 2 * tmp[i] + tmp[i + 1 < n ? i + 1 : 0]) / 4;
  }
  tmp.set(pts.subarray(0, 2 * n));
  for (let i = 0; i < n; i++) {
    if (weights[i] === 0) continue;
    // The normal from the chord between the two neighbours.
    const h = i > 0 ? i - 1 : n - 1, j = i + 1 < n ? i + 1 : 0;
    const tx = tmp[2 * j] - tmp[2 * h], ty = tmp[2 * j + 1] - tmp[2 * h + 1];
    const l = Math.sqrt(tx * tx + ty * ty);
    if (l === 0) continue;
    const m = (distance * weights[i]) / l;
    pts[2 * i] = tmp[2 * i] + m * ty;
    pts[2 * i + 1] = tmp[2 * i + 1] - m * tx;
  }
}
