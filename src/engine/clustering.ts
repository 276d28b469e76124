/**
 * Colour clustering, in two stages, on flat typed arrays.
 *
 * Stage 1 groups 4-connected pixels whose colours agree within ±1 after dropping the low
 * `8 − colorPrecision` bits of each channel (8-connected when `layerDifference` is 0), with a union-find.
 * Pixels with alpha below one half are transparent: they belong to no cluster and are never drawn.
 *
 * Stage 2 (merge.ts) merges clusters bottom-up: the smallest cluster (ties: lowest index) merges into its
 * most similar neighbour (L1 distance of average colours). If it is large enough, not thread-like, and
 * different enough (distance > layerDifference), it first becomes an output layer ("deepens"): its parent
 * then covers it, and the parent's fill stays the average of the pixels that remain visible. Small clusters
 * merge in index sweeps, the rest over a region adjacency graph with a bucket queue, so the stage stays
 * near-linear even on noisy photos where the upstream rescans all clusters at every area level.
 *
 * The result describes every layer without copying pixels: layers are nodes of the merge tree, numbered in
 * depth-first order, so a layer (itself plus everything merged into it) is a contiguous range of node
 * numbers, and its pixels are a contiguous slice of the pixels sorted by node number.
 */
import { EVERY_256K, STAGE_SLICES, rowsPerTick, type Progress } from './progress.js';
import { ALPHA_VISIBLE, pixelAt, pixelWords } from './image.js';
import { unionMin, relabelSets } from './union-find.js';
import { limitColors } from './palette.js';
import { RegionMerger } from './merge.js';
import type { Workspace } from './memory.js';
import type { Layer, LayerSet, MergeTree, RegionLabels } from './types.js';

export interface ClusterParams {
  colorPrecision: number;
  layerDifference: number;
  filterSpeckle: number;
  keepDots: boolean;
  cutout: boolean;
  maxColors: number;
  palette: readonly string[];
  /**
   * Set when the image clustered is keyed flat art (blend-keying.ts): the true pixels. Stage 1 then joins
   * neighbours of exactly one colour without the 2×2 test, diagonal ones too, and the merge lets thin strokes
   * deepen (merge.ts MergeParams).
   */
  unkeyed?: Uint8Array;
}

/**
 * Stage 1: labels (-1 transparent) numbered in raster order of their first pixel.
 * Colours are packed once per pixel after the shift (8 bits per channel), so that equal colours, the common
 * case in flat art, compare in one instruction; only unequal ones take the per-channel ±1 test.
 */
function stageOne(data: Uint8Array, w: number, h: number, shift: number, diagonal: boolean, keyed: boolean, progress: Progress, ws: Workspace): RegionLabels {
  const n = w * h;
  // Every entry of both is written as its pixel is reached.
  // `parent` ends as the stage-1 labels; `q` (packed colours) is handed on as scratch (stage 2's pixel lists).
  const parent = ws.int32(n);
  const q = ws.int32(n);
  // A pixel joins its upper or left neighbour only when the 2×2 block it closes agrees (the upper-left
  // pixel too): smooth gradients still chain, but noise and anti-aliased edges do not bridge regions.
  // Each pixel's parent and packed colour are set when it is reached (the joins only look back).
  // The left and upper-left pixels' colour and parent are carried in locals from the previous step (a parent
  // read a step earlier may since have been shortened by path halving: it still names the same set, which
  // is all the joins and the final labels depend on).
  const words = pixelWords(data);
  const tickRows = rowsPerTick(w);
  for (let y = 0; y < h; y++) {
    if (y % tickRows === 0) progress.update(y / h);
    const row = y * w;
    let lc = 0, lp = -1, ulc = 0, ulp = -1;
    for (let x = 0; x < w; x++) {
      const p = row + x;
      const up = y > 0 ? parent[p - w] : -1;
      const uc = up >= 0 ? q[p - w] : 0;
      const v = pixelAt(words, data, p);
      const r = v & 255, g = (v >>> 8) & 255, b = (v >>> 16) & 255;
      if (v >>> 24 < ALPHA_VISIBLE) {
        parent[p] = -1;
        lp = -1;
        ulc = uc; ulp = up;
        continue;
      }
      const c = ((r >> shift) << 16) | ((g >> shift) << 8) | (b >> shift);
      q[p] = c;
      let me = p;
      const sl = lp >= 0 && similar(c, lc);
      const su = up >= 0 && similar(c, uc);
      // p is still its own root here, so joining a neighbour is just pointing at that neighbour's parent
      // (never a forward pointer); a second join is a real union, skipped when both already agree.
      // Keyed flat art: pixels of exactly one colour are no anti-aliased mix bridging two regions.
      const el = keyed && lp >= 0 && c === lc, eu = keyed && up >= 0 && c === uc;
      if (el || eu) {
        if (el && eu) {
          me = up;
          if (lp !== up) unionMin(parent, p - 1, p - w);
        } else if (el) me = lp;
        else me = up;
      } else if (sl || su) {
        if (x === 0 || y === 0) {
          me = sl ? lp : up;
        } else {
          const sul = ulp >= 0 && similar(c, ulc);
          if (sl && su) {
            // Join upwards; the left region joins too only when it agrees with the upper one itself.
            if (sul) me = up;
            if (similar(lc, uc) && lp !== up) unionMin(parent, p - 1, p - w);
          } else if (sul) {
            me = sl ? lp : up;
          }
        }
      }
      parent[p] = me;
      if (diagonal && y > 0) {
        if (x > 0 && ulp >= 0 && similar(c, ulc)) unionMin(parent, p, p - w - 1);
        if (x + 1 < w && parent[p - w + 1] >= 0 && similar(c, q[p - w + 1])) unionMin(parent, p, p - w + 1);
      } else if (keyed && y > 0 && !(up >= 0 && c === uc)) {
        // Diagonal neighbours of one colour, unless already joined through the pixel above (or left) them.
        if (x > 0 && ulp >= 0 && c === ulc && !(lp >= 0 && c === lc)) unionMin(parent, p, p - w - 1);
        if (x + 1 < w && parent[p - w + 1] >= 0 && c === q[p - w + 1]) unionMin(parent, p, p - w + 1);
      }
      lc = c; lp = me;
      ulc = uc; ulp = up;
    }
  }
  progress.checkAbort();
  const count = relabelSets(parent);
  progress.checkAbort();
  return { label: parent, count, scratch: q };
}

/** Two packed colours agree when every channel differs by at most 1. */
function similar(a: number, b: number): boolean {
  if (a === b) return true;
  const dr = (a >> 16) - (b >> 16);
  const dg = ((a >> 8) & 255) - ((b >> 8) & 255);
  const db = (a & 255) - (b & 255);
  return dr <= 1 && dr >= -1 && dg <= 1 && dg >= -1 && db <= 1 && db >= -1;
}

export function clusterColors(data: Uint8Array, w: number, h: number, params: ClusterParams, progress: Progress, ws: Workspace): LayerSet {
  const shift = 8 - params.colorPrecision;
  progress.stage(...STAGE_SLICES.stageOne);
  const { label, count: regionCount, scratch } = stageOne(data, w, h, shift, params.layerDifference === 0, params.unkeyed !== undefined, progress, ws);

  progress.stage(...STAGE_SLICES.mergeRecords);
  // REUSE: stage 1's packed colours (`scratch`) become stage 2's pixel lists (RegionMerger's nextPixel).
  const merger = new RegionMerger(data, label, regionCount, w, h, progress, scratch, ws);
  progress.stage(...STAGE_SLICES.merge);
  const tree = merger.run(params);
  progress.stage(...STAGE_SLICES.layers);
  return buildLayers(data, label, w, h, regionCount, tree, params, progress);
}

/**
 * Describes each layer as a key range and a pixel slice, working on the tree of layers only (a noisy photo
 * has up to one stage-1 cluster per pixel but a few thousand layers at most).
 *
 * Each cluster's owner is the nearest layer at or above it in the merge tree: its pixels are visible in that
 * layer. A layer's fill is the average of its interior visible pixels (all four neighbours in the same stage-1 cluster)
 * when they are at least a fifth of its visible pixels, so anti-aliased edges do not tint flat shapes; else of
 * its pixels inside the layer (all four neighbours owned by it), when those are a fifth and of one flat colour,
 * so that a dot a few pixels across is not tinted by its rim either (a 48 px icon's white dots, 5 px across,
 * came out lavender: their cores span several stage-1 clusters); else of all its visible pixels (noisy photo
 * regions).
 *
 * A layer painted in the same colour as the layer below it (possible once colours are limited) is folded
 * into that one: stacked, it would repaint the same colour; cutout, the two regions join.
 *
 * Stacked, layers are numbered depth-first in the layer tree, so a layer and every layer drawn over it are a
 * contiguous range of numbers; a pixel's key is its owner's number. Cutout, the key is the owner itself.
 */
/**
 * Numbers per layer in buildLayers' sums: visible, cluster-interior and layer-interior pixels (r, g, b, count
 * each), and the layer-interior ones' Σ of r² + g² + b².
 */
const SUMS = 13;
/** A layer's fill is read from its interior pixels when they are at least this share of its visible ones. */
const INTERIOR_SHARE = 0.2;

/**
 * Whether the pixels summed at sums[k..k+4] (r, g, b, count, Σ of r² + g² + b²) are of one flat colour: their
 * spread (rms distance from their mean, RGB) at most FLAT_SPREAD. A flat shape's core is; a photo region's
 * inside is not, and its rim belongs in its mean (the corpus photos lost 0.1–0.2 dB without this check).
 */
function flat(sums: Float64Array, k: number): boolean {
  const n = sums[k + 3];
  const mr = sums[k] / n, mg = sums[k + 1] / n, mb = sums[k + 2] / n;
  return sums[k + 4] / n - (mr * mr + mg * mg + mb * mb) <= FLAT_SPREAD * FLAT_SPREAD;
}

/** See flat (RGB units). */
const FLAT_SPREAD = 4;

/** Whether stage-1 cluster `c` (−1: transparent) is owned by layer `own`. */
function ownedBy(c: number, owner: Int32Array, own: number): boolean {
  return c >= 0 && owner[c] === own;
}

function buildLayers(
  data: Uint8Array, label: Int32Array, w: number, h: number, regionCount: number, tree: MergeTree, params: ClusterParams,
  progress: Progress,
): LayerSet {
  const { parent: treeParent, layerOrder, order: mergeOrder } = tree;
  const n = w * h;
  const cutout = params.cutout;
  const L = layerOrder.length;
  progress.update(0);
  // Owner of every cluster: the nearest layer at or above it in the merge tree. Parents merge after their
  // children, so in reverse merge order a cluster's parent already has its owner.
  // REUSE: the merge's region records (tree.spareRegions) become the layer index and owner per cluster.
  const layerIndex = tree.spareRegions.subarray(0, regionCount).fill(-1);
  for (let i = 0; i < L; i++) layerIndex[layerOrder[i]] = i;
  const owner = tree.spareRegions.subarray(regionCount, 2 * regionCount); // as a layer index
  for (let i = regionCount - 1; i >= 0; i--) {
    if ((i & EVERY_256K) === 0) progress.checkAbort();
    const c = mergeOrder[i];
    const own = layerIndex[c];
    owner[c] = own >= 0 ? own : owner[treeParent[c]];
  }
  // The layer tree: each layer's parent is the owner of its merge-tree parent.
  const layerParent = new Int32Array(L).fill(-1);
  for (let i = 0; i < L; i++) {
    const up = treeParent[layerOrder[i]];
    if (up >= 0) layerParent[i] = owner[up];
  }
  progress.update(0.2);

  // Visible and interior-visible sums per layer (r, g, b, count twice), from the pixels. Interior: all four
  // neighbours in the same stage-1 cluster (the image border counts as inside). Also the count of the
  // layer's contour candidates: pixels whose upper neighbour is in another stage-1 cluster (a contour of any
  // region starts on a top edge with the region above it left, so no other pixel can start one). Sums build
  // up in locals along a run of one layer and are added to the layer's row when the layer changes.
  const tickRows = rowsPerTick(w);
  const sums = new Float64Array(L * SUMS);
  const candidates = new Float64Array(L);
  let o = -1, sr = 0, sg = 0, sb = 0, sn = 0, ir = 0, ig = 0, ib = 0, iN = 0, sc = 0, lr = 0, lg = 0, lb = 0, lN = 0, lq = 0;
  for (let y = 0, p = 0; y < h; y++) {
    if (y % tickRows === 0) progress.update(0.2 + 0.4 * y / h);
    for (let x = 0; x < w; x++, p++) {
      const c = label[p];
      if (c < 0) continue;
      const own = owner[c], oc = own * SUMS;
      if (oc !== o) {
        if (o >= 0) {
          sums[o] += sr; sums[o + 1] += sg; sums[o + 2] += sb; sums[o + 3] += sn;
          sums[o + 4] += ir; sums[o + 5] += ig; sums[o + 6] += ib; sums[o + 7] += iN;
          sums[o + 8] += lr; sums[o + 9] += lg; sums[o + 10] += lb; sums[o + 11] += lN; sums[o + 12] += lq;
          candidates[o / SUMS] += sc;
        }
        o = oc;
        sr = sg = sb = sn = ir = ig = ib = iN = sc = lr = lg = lb = lN = lq = 0;
      }
      const r = data[4 * p], g = data[4 * p + 1], b = data[4 * p + 2];
      sr += r; sg += g; sb += b; sn++;
      if (y === 0 || label[p - w] !== c) sc++;
      if ((x === 0 || label[p - 1] === c) && (x + 1 === w || label[p + 1] === c)
        && (y === 0 || label[p - w] === c) && (y + 1 === h || label[p + w] === c)) {
        ir += r; ig += g; ib += b; iN++;
        lr += r; lg += g; lb += b; lN++; lq += r * r + g * g + b * b;
      } else if ((x === 0 || ownedBy(label[p - 1], owner, own)) && (x + 1 === w || ownedBy(label[p + 1], owner, own))
        && (y === 0 || ownedBy(label[p - w], owner, own)) && (y + 1 === h || ownedBy(label[p + w], owner, own))) {
        lr += r; lg += g; lb += b; lN++; lq += r * r + g * g + b * b;
      }
    }
  }
  if (o >= 0) {
    sums[o] += sr; sums[o + 1] += sg; sums[o + 2] += sb; sums[o + 3] += sn;
    sums[o + 4] += ir; sums[o + 5] += ig; sums[o + 6] += ib; sums[o + 7] += iN;
    sums[o + 8] += lr; sums[o + 9] += lg; sums[o + 10] += lb; sums[o + 11] += lN; sums[o + 12] += lq;
    candidates[o / SUMS] += sc;
  }
  const fill = new Int32Array(L);
  const weights: number[] = new Array(L);
  for (let i = 0; i < L; i++) {
    const o = i * SUMS;
    const share = (k: number): boolean => sums[o + k + 3] > 0 && sums[o + k + 3] >= INTERIOR_SHARE * sums[o + 3];
    const src = share(4) ? o + 4 : share(8) && flat(sums, o + 8) ? o + 8 : o;
    const count = sums[src + 3] || 1;
    fill[i] = (Math.round(sums[src] / count) << 16) | (Math.round(sums[src + 1] / count) << 8) | Math.round(sums[src + 2] / count);
    weights[i] = sums[o + 3];
  }
  const snapped = limitColors(Array.from(fill), weights, params.maxColors, params.palette);
  // effective[i]: the layer that draws layer i's pixels (itself, or the one it was folded into).
  const effective = new Int32Array(L);
  for (let i = 0; i < L; i++) effective[i] = i;
  if (snapped) {
    for (let i = 0; i < L; i++) fill[i] = snapped[i];
    // Parents are made after their children (layerOrder is in merge order), so walk it backwards.
    for (let i = L - 1; i >= 0; i--) {
      const up = layerParent[i];
      if (up >= 0 && fill[i] === fill[effective[up]]) effective[i] = effective[up];
    }
  }

  // Depth-first numbering of the kept layers (children lists in CSR over layer indices).
  const childStart = new Int32Array(L + 1);
  const keptParent = new Int32Array(L).fill(-1);
  for (let i = 0; i < L; i++) {
    if (effective[i] !== i) continue;
    const up = layerParent[i] >= 0 ? effective[layerParent[i]] : -1;
    keptParent[i] = up;
    if (up >= 0) childStart[up + 1]++;
  }
  for (let i = 0; i < L; i++) childStart[i + 1] += childStart[i];
  const cursor = childStart.slice(0, L);
  const children = new Int32Array(Math.max(1, L));
  for (let i = 0; i < L; i++) if (effective[i] === i && keptParent[i] >= 0) children[cursor[keptParent[i]]++] = i;
  const pos = new Int32Array(L).fill(-1);
  const subtree = new Int32Array(L).fill(1);
  const order: number[] = [];
  const stack: number[] = [];
  for (let r = L - 1; r >= 0; r--) {
    if (effective[r] !== r || keptParent[r] >= 0) continue;
    stack.push(r);
    while (stack.length > 0) {
      const v = stack.pop()!;
      pos[v] = order.length;
      order.push(v);
      for (let k = childStart[v + 1] - 1; k >= childStart[v]; k--) stack.push(children[k]);
    }
  }
  for (let k = order.length - 1; k >= 0; k--) {
    const v = order[k];
    if (keptParent[v] >= 0) subtree[keptParent[v]] += subtree[v];
  }
  progress.update(0.65);

  // Contour candidates grouped by the number of the layer they are visible in (counting sort, raster order
  // within a layer), keys rewritten in place; the pixel counts per number give each layer's area.
  const K = order.length;
  const pixelStart = new Int32Array(K + 1);
  const areaStart = new Float64Array(K + 1);
  for (let i = 0; i < L; i++) {
    pixelStart[pos[effective[i]] + 1] += candidates[i];
    areaStart[pos[effective[i]] + 1] += sums[i * SUMS + 3];
  }
  for (let k = 0; k < K; k++) {
    pixelStart[k + 1] += pixelStart[k];
    areaStart[k + 1] += areaStart[k];
  }
  const place = pixelStart.slice(0, K);
  // REUSE: the merge's pixel lists (tree.sparePixels[0]) become the sorted contour candidates, and the
  // stage-1 labels become the layer keys, rewritten in place.
  const sorted = tree.sparePixels[0].subarray(0, pixelStart[K]);
  const key = label;
  // The stage-1 labels of the row above, kept as their keys are rewritten.
  const above = new Int32Array(w).fill(-1);
  // Along a run of one cluster, its key and its slot cursor stay in locals.
  let runC = -1, runKey = 0, runSlot = 0, cursorAt = 0;
  for (let y = 0, p = 0; y < h; y++) {
    if (y % tickRows === 0) progress.update(0.65 + 0.35 * y / h);
    for (let x = 0; x < w; x++, p++) {
      const c = key[p];
      const up = above[x];
      above[x] = c;
      if (c < 0) continue;
      if (c !== runC) {
        if (runC >= 0) place[runSlot] = cursorAt;
        runC = c;
        const e = effective[owner[c]];
        runSlot = pos[e];
        runKey = cutout ? e : runSlot;
        cursorAt = place[runSlot];
      }
      if (y === 0 || up !== c) sorted[cursorAt++] = p;
      key[p] = runKey;
    }
  }
  if (runC >= 0) place[runSlot] = cursorAt;

  // Painting order: larger layers first, as the merge made them (layerOrder reversed).
  const layers: Layer[] = [];
  for (let i = L - 1; i >= 0; i--) {
    if (effective[i] !== i) continue;
    const lo = pos[i];
    const len = cutout ? 1 : subtree[i];
    const f = fill[i];
    layers.push({
      lo: cutout ? i : lo, len,
      pixels: sorted.subarray(pixelStart[lo], pixelStart[lo + subtree[i]]),
      r: f >> 16, g: (f >> 8) & 255, b: f & 255,
      area: areaStart[lo + subtree[i]] - areaStart[lo],
    });
  }
  // REUSE: the merge's per-pixel region map (tree.sparePixels[1]) is handed on for the contour stamps.
  return { key, width: w, height: h, layers, scratch: tree.sparePixels[1] };
}
