/**
 * Colour clustering, in two stages, on flat typed arrays.
 *
 * Stage 1 groups 4-connected pixels whose colours agree within ±1 after dropping the low
 * `8 − colorPrecision` bits of each channel (8-connected when `layerDifference` is 0), with a union-find.
 * Pixels with alpha below one half are transparent: they belong to no cluster and are never drawn.
 *
 * Stage 2 merges clusters bottom-up over a region adjacency graph: the smallest cluster (ties: lowest
 * index) merges into its most similar neighbour (L1 distance of average colours). If it is large enough,
 * not thread-like, and different enough (distance > layerDifference), it first becomes an output layer
 * ("deepens"): its parent then covers it, and the parent's fill stays the average of the pixels that remain
 * visible. A priority queue orders the merges, neighbour lists are spliced in O(1) and resolved lazily
 * through a union-find, so the stage is O(E log n) even on noisy photos where the upstream rescans all
 * clusters at every area level.
 *
 * The result describes every layer without copying pixels: layers are nodes of the merge tree, numbered in
 * depth-first order, so a layer (itself plus everything merged into it) is a contiguous range of node
 * numbers, and its pixels are a contiguous slice of the pixels sorted by node number.
 */
import type { Progress } from './progress.js';
import { ALPHA_VISIBLE } from './image.js';
import { unionMin, relabelSets, findRoot } from './union-find.js';
import { MergeQueue } from './merge-queue.js';

export interface Layer {
  /** The layer's pixels are those with lo <= key[p] < lo + len. */
  lo: number;
  len: number;
  /** Pixels to scan for the layer's boundaries (a slice of a shared array). */
  pixels: Int32Array;
  r: number;
  g: number;
  b: number;
  /** Number of pixels of the layer (for progress weighting). */
  area: number;
}

export interface LayerSet {
  key: Int32Array;
  width: number;
  height: number;
  /** In painting order: background first. */
  layers: Layer[];
}

export interface ClusterParams {
  colorPrecision: number;
  layerDifference: number;
  filterSpeckle: number;
  cutout: boolean;
}

/**
 * Stage 1: labels (-1 transparent) numbered in raster order of their first pixel.
 * Colours are packed once per pixel after the shift (8 bits per channel), so that equal colours, the common
 * case in flat art, compare in one instruction; only unequal ones take the per-channel ±1 test.
 */
function stageOne(data: Uint8Array, w: number, h: number, shift: number, diagonal: boolean, progress: Progress): { label: Int32Array; count: number } {
  const n = w * h;
  const parent = new Int32Array(n);
  const q = new Int32Array(n);
  for (let p = 0, i = 0; p < n; p++, i += 4) {
    if (data[i + 3] >= ALPHA_VISIBLE) {
      parent[p] = p;
      q[p] = ((data[i] >> shift) << 16) | ((data[i + 1] >> shift) << 8) | (data[i + 2] >> shift);
    } else {
      parent[p] = -1;
    }
  }
  // A pixel joins its upper or left neighbour only when the 2×2 block it closes agrees (the upper-left
  // pixel too): smooth gradients still chain, but noise and anti-aliased edges do not bridge regions.
  const rowsPerTick = Math.max(1, (65536 / w) | 0);
  for (let y = 0; y < h; y++) {
    if (y % rowsPerTick === 0) progress.update(y / h);
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const p = row + x;
      if (parent[p] < 0) continue;
      const c = q[p];
      const sl = x > 0 && parent[p - 1] >= 0 && similar(c, q[p - 1]);
      const su = y > 0 && parent[p - w] >= 0 && similar(c, q[p - w]);
      if (sl || su) {
        if (x === 0 || y === 0) {
          unionMin(parent, p, sl ? p - 1 : p - w);
        } else {
          const sul = parent[p - w - 1] >= 0 && similar(c, q[p - w - 1]);
          if (sl && su) {
            if (sul) {
              unionMin(parent, p, p - 1);
              unionMin(parent, p, p - w);
            } else if (similar(q[p - 1], q[p - w])) {
              unionMin(parent, p - 1, p - w);
            }
          } else if (sul) {
            unionMin(parent, p, sl ? p - 1 : p - w);
          }
        }
      }
      if (diagonal && y > 0) {
        if (x > 0 && parent[p - w - 1] >= 0 && similar(c, q[p - w - 1])) unionMin(parent, p, p - w - 1);
        if (x + 1 < w && parent[p - w + 1] >= 0 && similar(c, q[p - w + 1])) unionMin(parent, p, p - w + 1);
      }
    }
  }
  const count = relabelSets(parent);
  return { label: parent, count };
}

/** Two packed colours agree when every channel differs by at most 1. */
function similar(a: number, b: number): boolean {
  if (a === b) return true;
  const dr = (a >> 16) - (b >> 16);
  const dg = ((a >> 8) & 255) - ((b >> 8) & 255);
  const db = (a & 255) - (b & 255);
  return dr <= 1 && dr >= -1 && dg <= 1 && dg >= -1 && db <= 1 && db >= -1;
}

/** Growable node pool of the adjacency lists: (target, next) per node; nodes come in twin pairs. */
class EdgePool {
  target: Int32Array;
  next: Int32Array;
  size = 0;
  constructor(capacity: number) {
    this.target = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
  }
  alloc2(): number {
    if (this.size + 2 > this.target.length) {
      const cap = Math.max(this.size + 2, this.target.length * 2);
      const t = new Int32Array(cap); t.set(this.target); this.target = t;
      const nx = new Int32Array(cap); nx.set(this.next); this.next = nx;
    }
    const node = this.size;
    this.size += 2;
    return node;
  }
}

export function clusterColors(data: Uint8Array, w: number, h: number, params: ClusterParams, progress: Progress): LayerSet {
  const n = w * h;
  const shift = 8 - params.colorPrecision;
  progress.stage(0, 0.25);
  const { label, count: nc } = stageOne(data, w, h, shift, params.layerDifference === 0, progress);

  // Per-cluster statistics, and per-cluster pixel lists as linked lists (spliced in O(1) on merge).
  // Fills average the pixels that stay visible, counting interior pixels only (all four neighbours in the
  // same stage-1 cluster) when there are enough of them: anti-aliased edge pixels then do not tint flat
  // shapes, while noisy photo regions, which have few interior pixels, fall back to every pixel.
  const area = new Float64Array(nc);
  const sumR = new Float64Array(nc), sumG = new Float64Array(nc), sumB = new Float64Array(nc);
  const inR = new Float64Array(nc), inG = new Float64Array(nc), inB = new Float64Array(nc), inN = new Float64Array(nc);
  const pixNext = new Int32Array(n);
  const first = new Int32Array(nc).fill(-1);
  const last = new Int32Array(nc).fill(-1);
  for (let y = 0, p = 0; y < h; y++) {
    for (let x = 0; x < w; x++, p++) {
      const c = label[p];
      if (c < 0) continue;
      area[c]++;
      const r = data[4 * p], g = data[4 * p + 1], b = data[4 * p + 2];
      sumR[c] += r; sumG[c] += g; sumB[c] += b;
      if ((x === 0 || label[p - 1] === c) && (x + 1 === w || label[p + 1] === c)
        && (y === 0 || label[p - w] === c) && (y + 1 === h || label[p + w] === c)) {
        inR[c] += r; inG[c] += g; inB[c] += b; inN[c]++;
      }
      pixNext[p] = -1;
      if (last[c] < 0) first[c] = p; else pixNext[last[c]] = p;
      last[c] = p;
    }
  }
  const area0 = area.slice();
  const resR = sumR.slice(), resG = sumG.slice(), resB = sumB.slice(), resN = area.slice();

  // Region adjacency graph. An edge between the same two labels as the pair just above (horizontal
  // pairs) or just left (vertical pairs) is not added again: a long shared boundary makes few nodes.
  progress.stage(0.25, 0.35);
  const head = new Int32Array(nc).fill(-1);
  const tail = new Int32Array(nc).fill(-1);
  const pool = new EdgePool(Math.max(1024, nc * 4));
  const addEdge = (a: number, b: number): void => {
    const node = pool.alloc2();
    pool.target[node] = b; pool.next[node] = -1;
    pool.target[node + 1] = a; pool.next[node + 1] = -1;
    if (tail[a] < 0) head[a] = node; else pool.next[tail[a]] = node;
    tail[a] = node;
    if (tail[b] < 0) head[b] = node + 1; else pool.next[tail[b]] = node + 1;
    tail[b] = node + 1;
  };
  const rowsPerTick = Math.max(1, (65536 / w) | 0);
  for (let y = 0; y < h; y++) {
    if (y % rowsPerTick === 0) progress.update(y / h);
    const row = y * w;
    for (let x = 0; x + 1 < w; x++) {
      const p = row + x;
      const a = label[p], b = label[p + 1];
      if (a === b || a < 0 || b < 0) continue;
      if (y > 0 && label[p - w] === a && label[p + 1 - w] === b) continue;
      addEdge(a, b);
    }
    if (y + 1 === h) break;
    for (let x = 0; x < w; x++) {
      const p = row + x;
      const a = label[p], b = label[p + w];
      if (a === b || a < 0 || b < 0) continue;
      if (x > 0 && label[p - 1] === a && label[p + w - 1] === b) continue;
      addEdge(a, b);
    }
  }

  // Stage 2: merges in ascending (area, index) order.
  progress.stage(0.35, 0.5);
  const uf = new Int32Array(nc);
  for (let i = 0; i < nc; i++) uf[i] = i;
  const treeParent = new Int32Array(nc).fill(-1);
  const isLayer = new Uint8Array(nc);
  const dead = new Uint8Array(nc);
  const layerOrder: number[] = [];
  const mark = new Int32Array(nc).fill(-1);
  const nb: number[] = [];
  const queue = new MergeQueue(2 * nc + 16);
  for (let c = 0; c < nc; c++) queue.push(area[c], c);
  const minArea = params.filterSpeckle * params.filterSpeckle;
  const maxArea = n;
  const deepenDiff = params.layerDifference;
  let processed = 0;

  while (queue.pop()) {
    const k = queue.id;
    const ak = queue.area;
    if (dead[k] || area[k] !== ak) continue;
    if ((++processed & 4095) === 0) progress.update(processed / nc);

    // Resolve k's neighbour list: live neighbours, each once; the list is compacted in place.
    nb.length = 0;
    let node = head[k];
    let newHead = -1, newTail = -1;
    while (node >= 0) {
      const next = pool.next[node];
      const t = findRoot(uf, pool.target[node]);
      if (t !== k && mark[t] !== k) {
        mark[t] = k;
        pool.target[node] = t;
        nb.push(t);
        if (newTail < 0) newHead = node; else pool.next[newTail] = node;
        newTail = node;
      }
      node = next;
    }
    if (newTail >= 0) pool.next[newTail] = -1;
    dead[k] = 1;

    if (nb.length === 0) {
      // The root of everything, or an island surrounded by transparency: always drawn.
      isLayer[k] = 1;
      layerOrder.push(k);
      continue;
    }

    // The most similar neighbour (floor averages, L1 over RGB; ties to the lower index).
    const kr = Math.floor(sumR[k] / ak), kg = Math.floor(sumG[k] / ak), kb = Math.floor(sumB[k] / ak);
    let best = -1, bestD = Infinity;
    for (let i = 0; i < nb.length; i++) {
      const t = nb[i];
      const at = area[t];
      const d = Math.abs(Math.floor(sumR[t] / at) - kr) + Math.abs(Math.floor(sumG[t] / at) - kg) + Math.abs(Math.floor(sumB[t] / at) - kb);
      if (d < bestD || (d === bestD && t < best)) {
        bestD = d;
        best = t;
      }
    }
    const t = best;
    // A layer of its own: big enough, different enough, and not thread-like (a region everywhere at most
    // two pixels thick has every pixel on its perimeter).
    const deepen = bestD > deepenDiff && ak > minArea && ak < maxArea && (minArea === 0 || !threadLike(k, ak, first, pixNext, label, uf, w, h));
    if (deepen) {
      isLayer[k] = 1;
      layerOrder.push(k);
    } else {
      resR[t] += resR[k]; resG[t] += resG[k]; resB[t] += resB[k]; resN[t] += resN[k];
      inR[t] += inR[k]; inG[t] += inG[k]; inB[t] += inB[k]; inN[t] += inN[k];
    }
    area[t] += ak;
    sumR[t] += sumR[k]; sumG[t] += sumG[k]; sumB[t] += sumB[k];
    treeParent[k] = t;
    uf[k] = t;
    if (newHead >= 0) {
      if (tail[t] < 0) head[t] = newHead; else pool.next[tail[t]] = newHead;
      tail[t] = newTail;
    }
    pixNext[last[t]] = first[k];
    last[t] = last[k];
    queue.push(area[t], t);
  }

  progress.stage(0.5, 0.52);
  // Interior averages where a layer has enough interior pixels, visible averages otherwise.
  for (let c = 0; c < nc; c++) {
    if (!isLayer[c] || inN[c] < 0.2 * resN[c]) continue;
    resR[c] = inR[c]; resG[c] = inG[c]; resB[c] = inB[c]; resN[c] = inN[c];
  }
  return buildLayers(label, w, h, nc, area0, treeParent, isLayer, layerOrder, resR, resG, resB, resN, params.cutout);
}

/**
 * A region is thread-like when every pixel lies on its perimeter (has a 4-neighbour outside the region,
 * the image border counting as outside): it is nowhere more than two pixels thick. Stops at the first
 * interior pixel.
 */
function threadLike(k: number, area: number, first: Int32Array, pixNext: Int32Array, label: Int32Array, uf: Int32Array, w: number, h: number): boolean {
  const n = w * h;
  let boundary = 0;
  for (let p = first[k]; p >= 0; p = pixNext[p]) {
    const x = p % w;
    if (x !== 0 && x + 1 !== w && p >= w && p + w < n) {
      const l = label[p - 1], r = label[p + 1], u = label[p - w], d = label[p + w];
      if (l >= 0 && r >= 0 && u >= 0 && d >= 0 && findRoot(uf, l) === k && findRoot(uf, r) === k
        && findRoot(uf, u) === k && findRoot(uf, d) === k) return false;
    }
    boundary++;
  }
  return boundary >= area;
}

/** Numbers the merge tree depth-first and describes each layer as a key range and a pixel slice. */
function buildLayers(
  label: Int32Array, w: number, h: number, nc: number, area0: Float64Array, treeParent: Int32Array,
  isLayer: Uint8Array, layerOrder: number[], resR: Float64Array, resG: Float64Array, resB: Float64Array,
  resN: Float64Array, cutout: boolean,
): LayerSet {
  const n = w * h;
  // Children lists (CSR).
  const childStart = new Int32Array(nc + 1);
  for (let c = 0; c < nc; c++) if (treeParent[c] >= 0) childStart[treeParent[c] + 1]++;
  for (let c = 0; c < nc; c++) childStart[c + 1] += childStart[c];
  const fill = childStart.slice(0, nc);
  const children = new Int32Array(Math.max(1, nc));
  for (let c = 0; c < nc; c++) if (treeParent[c] >= 0) children[fill[treeParent[c]]++] = c;
  // Preorder numbering: a subtree is a contiguous range.
  const pos = new Int32Array(nc);
  const order = new Int32Array(nc);
  const stack = new Int32Array(Math.max(1, nc));
  let counter = 0;
  for (let r = 0; r < nc; r++) {
    if (treeParent[r] >= 0) continue;
    let sp = 0;
    stack[sp++] = r;
    while (sp > 0) {
      const v = stack[--sp];
      pos[v] = counter;
      order[counter++] = v;
      for (let i = childStart[v + 1] - 1; i >= childStart[v]; i--) stack[sp++] = children[i];
    }
  }
  const subtree = new Int32Array(nc).fill(1);
  for (let i = nc - 1; i >= 0; i--) {
    const v = order[i];
    if (treeParent[v] >= 0) subtree[treeParent[v]] += subtree[v];
  }
  // Pixels sorted by the preorder number of their cluster (counting sort).
  const pixelStart = new Int32Array(nc + 1);
  for (let i = 0; i < nc; i++) pixelStart[i + 1] = pixelStart[i] + area0[order[i]];
  const cursor = pixelStart.slice(0, nc);
  const sorted = new Int32Array(pixelStart[nc]);
  for (let p = 0; p < n; p++) {
    const c = label[p];
    if (c >= 0) sorted[cursor[pos[c]]++] = p;
  }

  let key: Int32Array;
  const layers: Layer[] = [];
  if (!cutout) {
    // Stacked: a layer covers its whole subtree.
    key = label; // reused in place: label -> preorder number
    for (let p = 0; p < n; p++) if (key[p] >= 0) key[p] = pos[key[p]];
    for (let i = layerOrder.length - 1; i >= 0; i--) {
      const c = layerOrder[i];
      const lo = pos[c], len = subtree[c];
      layers.push(makeLayer(lo, len, sorted.subarray(pixelStart[lo], pixelStart[lo + len]), c, resR, resG, resB, resN));
    }
  } else {
    // Cutout: each pixel belongs to its nearest layer ancestor only.
    const owner = new Int32Array(nc);
    for (let i = 0; i < nc; i++) {
      const v = order[i];
      owner[v] = isLayer[v] ? v : owner[treeParent[v]];
    }
    key = label;
    for (let p = 0; p < n; p++) if (key[p] >= 0) key[p] = owner[key[p]];
    for (let i = layerOrder.length - 1; i >= 0; i--) {
      const c = layerOrder[i];
      const lo = pos[c], len = subtree[c];
      layers.push(makeLayer(c, 1, sorted.subarray(pixelStart[lo], pixelStart[lo + len]), c, resR, resG, resB, resN));
    }
  }
  return { key, width: w, height: h, layers };
}

function makeLayer(lo: number, len: number, pixels: Int32Array, c: number, resR: Float64Array, resG: Float64Array, resB: Float64Array, resN: Float64Array): Layer {
  const count = resN[c] || 1;
  return {
    lo, len, pixels,
    r: Math.round(resR[c] / count), g: Math.round(resG[c] / count), b: Math.round(resB[c] / count),
    area: pixels.length,
  };
}
