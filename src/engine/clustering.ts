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

/** Stage 1: labels (-1 transparent) numbered in raster order of their first pixel. */
function stageOne(data: Uint8Array, w: number, h: number, shift: number, diagonal: boolean, progress: Progress): { label: Int32Array; count: number } {
  const n = w * h;
  const parent = new Int32Array(n);
  for (let p = 0; p < n; p++) parent[p] = data[4 * p + 3] >= ALPHA_VISIBLE ? p : -1;

  const find = (p: number): number => {
    while (parent[p] !== p) {
      const g = parent[parent[p]];
      parent[p] = g;
      p = g;
    }
    return p;
  };
  const union = (a: number, b: number): void => {
    let ra = find(a);
    let rb = find(b);
    if (ra === rb) return;
    // The smaller index stays root, so roots are first pixels in raster order.
    if (ra > rb) {
      const t = ra; ra = rb; rb = t;
    }
    parent[rb] = ra;
  };

  // Colour agreement of two pixels (byte offsets i, j): every channel within ±1 after the shift.
  const same = (i: number, j: number): boolean =>
    Math.abs((data[i] >> shift) - (data[j] >> shift)) <= 1
    && Math.abs((data[i + 1] >> shift) - (data[j + 1] >> shift)) <= 1
    && Math.abs((data[i + 2] >> shift) - (data[j + 2] >> shift)) <= 1;

  // A pixel joins its upper or left neighbour only when the 2×2 block it closes agrees (the upper-left
  // pixel too): smooth gradients still chain, but noise and anti-aliased edges do not bridge regions.
  const rowsPerTick = Math.max(1, (65536 / w) | 0);
  for (let y = 0; y < h; y++) {
    if (y % rowsPerTick === 0) progress.update(y / h);
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const p = row + x;
      if (parent[p] < 0) continue;
      const i = 4 * p;
      const hasL = x > 0 && parent[p - 1] >= 0;
      const hasU = y > 0 && parent[p - w] >= 0;
      const sl = hasL && same(i, i - 4);
      const su = hasU && same(i, i - 4 * w);
      if (sl && su) {
        const hasUL = parent[p - w - 1] >= 0;
        if (hasUL && same(i, i - 4 * w - 4)) {
          union(p, p - 1);
          union(p, p - w);
        } else if (same(i - 4, i - 4 * w)) {
          union(p - 1, p - w);
        }
      } else if (sl && y === 0) {
        union(p, p - 1);
      } else if (su && x === 0) {
        union(p, p - w);
      } else if (sl || su) {
        const hasUL = x > 0 && y > 0 && parent[p - w - 1] >= 0;
        if (hasUL && same(i, i - 4 * w - 4)) union(p, sl ? p - 1 : p - w);
      }
      if (diagonal && y > 0) {
        const q = p - w;
        if (x > 0 && parent[q - 1] >= 0 && same(i, 4 * (q - 1))) union(p, q - 1);
        if (x + 1 < w && parent[q + 1] >= 0 && same(i, 4 * (q + 1))) union(p, q + 1);
      }
    }
  }
  // Parents never point forward (the smaller index is the root), so one forward pass flattens every set
  // and a second one relabels roots to dense ids in raster order; `parent` becomes the label array.
  for (let p = 0; p < n; p++) {
    const q = parent[p];
    if (q >= 0) parent[p] = parent[q];
  }
  let count = 0;
  for (let p = 0; p < n; p++) {
    const r = parent[p];
    if (r < 0) continue;
    parent[p] = r === p ? count++ : parent[r];
  }
  return { label: parent, count };
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

/** Binary min-heap of (area, id) pairs. */
class AreaHeap {
  area: Float64Array;
  id: Int32Array;
  size = 0;
  constructor(capacity: number) {
    this.area = new Float64Array(capacity);
    this.id = new Int32Array(capacity);
  }
  private less(i: number, j: number): boolean {
    const a = this.area[i], b = this.area[j];
    return a < b || (a === b && this.id[i] < this.id[j]);
  }
  push(area: number, id: number): void {
    if (this.size === this.id.length) {
      const cap = this.size * 2 + 16;
      const a = new Float64Array(cap); a.set(this.area); this.area = a;
      const d = new Int32Array(cap); d.set(this.id); this.id = d;
    }
    let i = this.size++;
    this.area[i] = area;
    this.id[i] = id;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }
  /** Removes the top; read `topArea`/`topId` before. */
  pop(): void {
    const last = --this.size;
    if (last === 0) return;
    this.area[0] = this.area[last];
    this.id[0] = this.id[last];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      let m = l;
      if (l + 1 < last && this.less(l + 1, l)) m = l + 1;
      if (!this.less(m, i)) break;
      this.swap(i, m);
      i = m;
    }
  }
  private swap(i: number, j: number): void {
    const a = this.area[i]; this.area[i] = this.area[j]; this.area[j] = a;
    const d = this.id[i]; this.id[i] = this.id[j]; this.id[j] = d;
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
  for (let p = 0; p < n; p++) {
    const c = label[p];
    if (c < 0) continue;
    area[c]++;
    const r = data[4 * p], g = data[4 * p + 1], b = data[4 * p + 2];
    sumR[c] += r; sumG[c] += g; sumB[c] += b;
    const x = p % w;
    if ((x === 0 || label[p - 1] === c) && (x + 1 === w || label[p + 1] === c)
      && (p < w || label[p - w] === c) && (p + w >= n || label[p + w] === c)) {
      inR[c] += r; inG[c] += g; inB[c] += b; inN[c]++;
    }
    pixNext[p] = -1;
    if (last[c] < 0) first[c] = p; else pixNext[last[c]] = p;
    last[c] = p;
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
  const find = (c: number): number => {
    while (uf[c] !== c) {
      const g = uf[uf[c]];
      uf[c] = g;
      c = g;
    }
    return c;
  };
  // Pixels of k with a 4-neighbour outside k (the image border counts as outside).
  const perimeter = (k: number): number => {
    let count = 0;
    for (let p = first[k]; p >= 0; p = pixNext[p]) {
      const x = p % w;
      if (x === 0 || x + 1 === w || p < w || p + w >= n) { count++; continue; }
      const l = label[p - 1], r = label[p + 1], u = label[p - w], d = label[p + w];
      if (l < 0 || r < 0 || u < 0 || d < 0 || find(l) !== k || find(r) !== k || find(u) !== k || find(d) !== k) count++;
    }
    return count;
  };
  const treeParent = new Int32Array(nc).fill(-1);
  const isLayer = new Uint8Array(nc);
  const dead = new Uint8Array(nc);
  const layerOrder: number[] = [];
  const mark = new Int32Array(nc).fill(-1);
  const nb: number[] = [];
  const heap = new AreaHeap(nc + 16);
  for (let c = 0; c < nc; c++) heap.push(area[c], c);
  const minArea = params.filterSpeckle * params.filterSpeckle;
  const maxArea = n;
  const deepenDiff = params.layerDifference;
  let processed = 0;

  while (heap.size > 0) {
    const k = heap.id[0];
    const ak = heap.area[0];
    heap.pop();
    if (dead[k] || area[k] !== ak) continue;
    if ((++processed & 4095) === 0) progress.update(processed / nc);

    // Resolve k's neighbour list: live neighbours, each once; the list is compacted in place.
    nb.length = 0;
    let node = head[k];
    let newHead = -1, newTail = -1;
    while (node >= 0) {
      const next = pool.next[node];
      const t = find(pool.target[node]);
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
    const deepen = bestD > deepenDiff && ak > minArea && ak < maxArea && (minArea === 0 || perimeter(k) < ak);
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
    heap.push(area[t], t);
  }

  progress.stage(0.5, 0.52);
  // Interior averages where a layer has enough interior pixels, visible averages otherwise.
  for (let c = 0; c < nc; c++) {
    if (!isLayer[c] || inN[c] < 0.2 * resN[c]) continue;
    resR[c] = inR[c]; resG[c] = inG[c]; resB[c] = inB[c]; resN[c] = inN[c];
  }
  return buildLayers(label, w, h, nc, area0, treeParent, isLayer, layerOrder, resR, resG, resB, resN, params.cutout);
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
