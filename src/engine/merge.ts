/**
 * Stage 2 of colour clustering: hierarchical merging of stage-1 regions.
 *
 * The smallest region (ties: lowest index) merges into its most similar neighbour (L1 distance of average
 * colours). If it is large enough, not thread-like and different enough (distance > layerDifference), it
 * first becomes an output layer ("deepens"): its parent then covers it, and the parent's fill stays the
 * average of the pixels that remain visible.
 *
 * Cost stays near-linear on any input (the upstream rescans every cluster at every area level, which is
 * super-linear on noisy photos). Two phases:
 * - regions of up to SMALL_AREA pixels (most of them on noisy input) merge first, one sweep in index order
 *   per area (the queue's order, without a queue); they find their neighbours from their own pixels through
 *   a per-pixel map to the live region, no graph needed;
 * - the regions still live (a tenth of the stage-1 regions on a noisy photo) get a region adjacency graph:
 *   neighbour lists start contiguous, are spliced in O(1) on merge and resolved lazily through a union-find;
 *   a bucket queue orders these merges by area.
 * Between sweeps, once most regions have merged, the records of the live ones are compacted in place (in
 * index order, so the tie-break by lowest index is unchanged) and the per-pixel map renumbered: the later
 * sweeps and the graph then walk a dense array that stays in cache instead of one record in ten of a large
 * one. Each record keeps its stage-1 index (J_ORIG); the merge tree is a dense array over stage-1 indices.
 * Pixel lists are linked lists spliced on merge. A region record takes 48 bytes (3 doubles, 6 ints). The
 * merger also records the order in which regions merge away (parents after their children).
 */
import type { Progress } from './progress.js';
import { MergeQueue } from './merge-queue.js';
import { IntBuffer } from './buffers.js';
import type { Workspace } from './memory.js';

/**
 * Region records: 3 doubles then ints over one buffer, 48 bytes (JS ints) each, compacted in place as regions
 * merge away.
 */
const JS = 12;
// Doubles: colour sums of everything the region covers. (Fills, the averages of the pixels that stay
// visible, are computed once the layers are known, in one pass over the pixels.)
const R_SUM = 0;
// Ints: area (0 once merged), stage-1 index, pixel list first/last, packed floor-average colour.
const J_AREA = 6, J_ORIG = 7, J_FIRST = 8, J_LAST = 9, J_AVG = 10;
// In the graph phase the union-find parent, visit stamp, average and merge-tree parent (+1, 0 for none) move
// to a dense side array (H, stride HS): the neighbour walks touch only those, and 16 bytes per region keep
// them in cache. The record's average slot and the last one hold the adjacency list head and tail.
const J_HEAD = J_AVG, J_TAIL = 11;
const HS = 4, H_UF = 0, H_MARK = 1, H_AVG = 2, H_PARENT = 3;

/**
 * Compact the records between sweeps once the live regions are at most this share of them, and there are
 * more than one per COMPACT_PIXELS pixels (renumbering the per-pixel map costs a pass over the pixels: worth
 * it for the many small regions of noisy photos, not for flat art).
 */
const COMPACT_BELOW = 0.5, COMPACT_PIXELS = 16;

/** Above every region index (distances times this plus an index stay exact in a double). */
const INDEX_SPAN = 2 ** 31;

/** Regions up to this area find their neighbours from their pixels; larger ones through the graph. */
const SMALL_AREA = 12;

export interface MergeParams {
  filterSpeckle: number;
  layerDifference: number;
}

/** The merge tree over stage-1 regions. */
export interface MergeTree {
  /** Merge-tree parent of each stage-1 region (-1 for roots). */
  parent: Int32Array;
  /** Layers in the order they were made (smallest first, roots last). */
  layerOrder: number[];
  /** Every stage-1 region once, in the order it merged away (or became a root): parents come after children. */
  order: Int32Array;
  /**
   * Memory the merge no longer needs, handed on so that later stages do not fault in fresh pages (costly on
   * large images): at least 2 ints per stage-1 region, and two arrays of one int per pixel. Any content.
   */
  spareRegions: Int32Array;
  sparePixels: [Int32Array, Int32Array];
}

function newRecords(count: number, ws: Workspace): { R: Float64Array; J: Int32Array } {
  const R = ws.float64(Math.max(1, count) * (JS >> 1));
  return { R, J: new Int32Array(R.buffer, R.byteOffset, R.length * 2) };
}

function packAverage(R: Float64Array, f: number, area: number): number {
  return (Math.floor(R[f + R_SUM] / area) << 16) | (Math.floor(R[f + R_SUM + 1] / area) << 8) | Math.floor(R[f + R_SUM + 2] / area);
}

/** The merge rule's choice between neighbours: the nearer colour, ties to the lower index. */
function nearer(d: number, c: number, bestD: number, best: number): boolean {
  return d < bestD || (d === bestD && c < best);
}

/** L1 distance between two packed colours. */
function colorDistance(a: number, b: number): number {
  return Math.abs((a >> 16) - (b >> 16)) + Math.abs(((a >> 8) & 255) - ((b >> 8) & 255)) + Math.abs((a & 255) - (b & 255));
}

/** Union-find root with path halving (compact regions, over their side array). */
function find(H: Int32Array, c: number): number {
  let parent = H[c * HS + H_UF];
  while (parent !== c) {
    const grand = H[parent * HS + H_UF];
    H[c * HS + H_UF] = grand;
    c = grand;
    parent = H[c * HS + H_UF];
  }
  return c;
}

/**
 * Merges region k into t: sums, area, pixel list. Returns t's new average (packed); the caller stores it and
 * t's new area is J[t·JS + J_AREA].
 */
function absorb(R: Float64Array, J: Int32Array, pixNext: Int32Array, k: number, t: number): number {
  const ok = k * JS, ot = t * JS, fk = ok >> 1, ft = ot >> 1;
  const at = J[ot + J_AREA] + J[ok + J_AREA];
  J[ot + J_AREA] = at;
  R[ft + R_SUM] += R[fk + R_SUM]; R[ft + R_SUM + 1] += R[fk + R_SUM + 1]; R[ft + R_SUM + 2] += R[fk + R_SUM + 2];
  pixNext[J[ot + J_LAST]] = J[ok + J_FIRST];
  J[ot + J_LAST] = J[ok + J_LAST];
  return packAverage(R, ft, at);
}

/**
 * A region is thread-like when every pixel lies on its perimeter (has a 4-neighbour outside the region,
 * the image border counting as outside): it is nowhere more than two pixels thick. Stops at the first
 * interior pixel. `label` holds, per pixel, a region of the same record set as `J`; for compact
 * regions it is resolved through the union-find in H, the stage-1 map holds live regions already (H null).
 */
function threadLike(J: Int32Array, H: Int32Array | null, label: Int32Array, pixNext: Int32Array, w: number, n: number, k: number, area: number): boolean {
  let boundary = 0;
  for (let p = J[k * JS + J_FIRST]; p >= 0; p = pixNext[p]) {
    const x = p % w;
    if (x !== 0 && x + 1 !== w && p >= w && p + w < n) {
      let l = label[p - 1], r = label[p + 1], u = label[p - w], d = label[p + w];
      if (l >= 0 && r >= 0 && u >= 0 && d >= 0) {
        if (H !== null) { l = find(H, l); r = find(H, r); u = find(H, u); d = find(H, d); }
        if (l === k && r === k && u === k && d === k) return false;
      }
    }
    boundary++;
  }
  return boundary >= area;
}

export class RegionMerger {
  /** Output layers in the order they were made (smallest first, roots last). */
  private readonly layerOrder: number[] = [];
  private nb = new Int32Array(64);
  private count = 0;
  /** Stage-1 records, kept to the end: they hold the merge tree. */
  private readonly R: Float64Array;
  private readonly J: Int32Array;
  /** Next pixel of the same region (linked lists, spliced on merge). */
  private readonly pixNext: Int32Array;
  private readonly n: number;
  private live: number;
  /** Records in use (live or merged since the last compaction): indices 0 … records − 1. */
  private records: number;
  /** Merge-tree parent of each stage-1 region (-1: a root). */
  private readonly parent: Int32Array;
  /** Old record index → new one, during a compaction. */
  private readonly renumber: Int32Array;
  /** Stage-1 regions in the order they are merged (see MergeTree.order), `ordered` so far. */
  private readonly order: Int32Array;
  private ordered = 0;
  /**
   * The live region covering each pixel (-1 transparent) while small regions merge: a merged region's few
   * pixels are relabelled, so neighbours are found without union-find chains through scattered records.
   * The graph phase turns it into its per-pixel compact labels.
   */
  private readonly region: Int32Array;
  private processed = 0;
  private minArea = 0;
  private deepenDiff = 0;

  constructor(
    data: Uint8Array,
    /** Stage-1 label per pixel (-1 transparent), numbered in raster order of each region's first pixel. */
    label: Int32Array,
    private readonly nc: number,
    private readonly w: number,
    h: number,
    private readonly progress: Progress,
    /** n ints of scratch (any content) for the pixel lists. */
    pixNext: Int32Array,
    private readonly ws: Workspace,
  ) {
    const n = w * h;
    this.n = n;
    this.live = nc;
    this.records = nc;
    this.parent = ws.int32(nc, -1);
    this.renumber = ws.int32(nc);
    this.order = ws.int32(nc);
    // Each record is set up at its region's first pixel below.
    const { R, J } = newRecords(nc, ws);
    this.R = R;
    this.J = J;
    this.pixNext = pixNext;
    const region = ws.int32(n);
    this.region = region;
    // One pass over the pixels: a region's record is set up at its first pixel (labels are numbered in
    // raster order of first pixels, so that is when the label equals the number of regions seen so far).
    // Further pixels of a run of one region build up in locals, added to its record when the run ends.
    let seen = 0;
    let runC = -1, runN = 0, runR = 0, runG = 0, runB = 0, runLast = -1;
    const rowsPerTick = Math.max(1, (65536 / w) | 0);
    for (let p = 0, y = 0, x = 0; p < n; p++) {
      if (x === 0 && y % rowsPerTick === 0) progress.update(y / h);
      if (++x === w) { x = 0; y++; }
      const c = label[p];
      region[p] = c;
      if (c < 0) continue;
      const i = 4 * p;
      pixNext[p] = -1;
      if (c !== runC) {
        if (runN > 0) this.addRun(runC, runN, runR, runG, runB, runLast);
        runC = c;
        runN = runR = runG = runB = 0;
        const o = c * JS;
        if (c === seen) {
          seen++;
          const f = o >> 1;
          J[o + J_AREA] = 1;
          R[f + R_SUM] = data[i]; R[f + R_SUM + 1] = data[i + 1]; R[f + R_SUM + 2] = data[i + 2];
          J[o + J_ORIG] = c;
          J[o + J_FIRST] = p;
          J[o + J_LAST] = p;
          J[o + J_AVG] = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
          runLast = p;
          continue;
        }
        runLast = J[o + J_LAST];
      }
      pixNext[runLast] = p;
      runLast = p;
      runN++;
      runR += data[i]; runG += data[i + 1]; runB += data[i + 2];
    }
    if (runN > 0) this.addRun(runC, runN, runR, runG, runB, runLast);
  }

  /** Adds a run of pixels (count, colour sums, last pixel; already linked) to region c's record. */
  private addRun(c: number, count: number, r: number, g: number, b: number, last: number): void {
    const { R, J } = this;
    const o = c * JS, f = o >> 1;
    J[o + J_AREA] += count;
    R[f + R_SUM] += r; R[f + R_SUM + 1] += g; R[f + R_SUM + 2] += b;
    J[o + J_LAST] = last;
  }

  run(params: MergeParams): MergeTree {
    const { R, J, nc, progress } = this;
    this.minArea = params.filterSpeckle * params.filterSpeckle;
    this.deepenDiff = params.layerDifference;
    for (let c = 0, o = 0; c < nc; c++, o += JS) {
      if ((c & 65535) === 0) progress.checkAbort();
      const area = J[o + J_AREA];
      if (area > 1) J[o + J_AVG] = packAverage(R, o >> 1, area);
    }
    // Areas 1 to SMALL_AREA without a queue: the regions of area a when their turn comes are exactly those
    // that had it when the smaller areas were done (areas only grow, and a region that absorbs one of area a
    // reaches at least 2a), so one sweep in index order per area merges them in the queue's order.
    this.mergeSingles();
    if (this.worthCompacting()) this.compact(true);
    for (let a = 2; a <= SMALL_AREA && this.live > 0; a++) {
      const m = this.records;
      for (let k = 0, o = 0; k < m; k++, o += JS) {
        if ((k & 65535) === 0) progress.checkAbort();
        if (J[o + J_AREA] === a) this.mergeSmall(k, a);
      }
      if (a < SMALL_AREA && this.worthCompacting()) this.compact(true);
    }
    if (this.live > 0) {
      // The graph phase needs every record live; the map is renumbered by its own pixel scan.
      this.compact(false);
      this.mergeLarge();
    }
    return this.tree();
  }

  private worthCompacting(): boolean {
    return this.live <= COMPACT_BELOW * this.records && this.records * COMPACT_PIXELS > this.n;
  }

  /**
   * Moves the live records to the front, keeping their order; with `relabel`, the per-pixel map follows
   * (else `renumber` is left for the caller to apply).
   */
  private compact(relabel: boolean): void {
    const { J, renumber, region, progress } = this;
    const m = this.records;
    let j = 0;
    for (let i = 0, o = 0; i < m; i++, o += JS) {
      if ((i & 262143) === 0) progress.checkAbort();
      if (J[o + J_AREA] === 0) continue;
      if (i !== j) {
        const d = j * JS;
        for (let f = 0; f < JS; f++) J[d + f] = J[o + f];
      }
      renumber[i] = j++;
    }
    this.records = j;
    if (!relabel) return;
    const n = this.n;
    for (let p = 0; p < n; p++) {
      if ((p & 1048575) === 0) progress.checkAbort();
      const r = region[p];
      if (r >= 0) region[p] = renumber[r];
    }
  }

  /**
   * The area-1 sweep (mergeSmall's choices, specialised for the bulk of a noisy photo's regions): a single
   * pixel's neighbours are the regions of its four neighbour pixels, its column follows from the sweep's
   * row (first pixels rise with the index), and it is never thread-like, so it becomes a layer only when
   * filterSpeckle is 0.
   */
  private mergeSingles(): void {
    const { R, J, region, pixNext, parent, layerOrder, order, w, n, progress } = this;
    const m = this.records;
    let ordered = this.ordered;
    const layersOfOne = this.minArea === 0 && n > 1;
    const diff = this.deepenDiff;
    let live = this.live;
    let rowStart = 0;
    for (let k = 0, o = 0; k < m; k++, o += JS) {
      if ((k & 65535) === 0) {
        progress.checkAbort();
        progress.update((this.processed + k) / this.nc);
      }
      if (J[o + J_AREA] !== 1) continue;
      const p = J[o + J_FIRST];
      while (p - rowStart >= w) rowStart += w;
      const x = p - rowStart;
      const kc = J[o + J_AVG];
      let t = -1, bestD = Infinity;
      if (live > 1) {
        // The nearest colour, ties to the lower index: the least of distance · 2³¹ + index, without branches
        // (on noise the comparisons are coin flips a branch predictor cannot learn). mostSimilarAround's rule,
        // written out here: a shared helper measured 7–10 % slower on noise (V8 stops inlining it).
        const cl = x > 0 ? region[p - 1] : -1;
        const cr = x + 1 < w ? region[p + 1] : -1;
        const cu = p >= w ? region[p - w] : -1;
        const cd = p + w < n ? region[p + w] : -1;
        const best = Math.min(
          cl < 0 ? Infinity : colorDistance(kc, J[cl * JS + J_AVG]) * INDEX_SPAN + cl,
          cr < 0 ? Infinity : colorDistance(kc, J[cr * JS + J_AVG]) * INDEX_SPAN + cr,
          cu < 0 ? Infinity : colorDistance(kc, J[cu * JS + J_AVG]) * INDEX_SPAN + cu,
          cd < 0 ? Infinity : colorDistance(kc, J[cd * JS + J_AVG]) * INDEX_SPAN + cd,
        );
        if (best !== Infinity) {
          bestD = Math.floor(best / INDEX_SPAN);
          t = best - bestD * INDEX_SPAN;
        }
      }
      live--;
      const orig = J[o + J_ORIG];
      order[ordered++] = orig;
      if (t < 0) {
        layerOrder.push(orig);
        J[o + J_AREA] = 0;
        continue;
      }
      if (layersOfOne && bestD > diff) layerOrder.push(orig);
      region[p] = t;
      const ot = t * JS;
      J[ot + J_AVG] = absorb(R, J, pixNext, k, t);
      J[o + J_AREA] = 0;
      parent[orig] = J[ot + J_ORIG];
    }
    this.processed += this.live - live;
    this.live = live;
    this.ordered = ordered;
  }

  /** Merges region k (a record index), of area ak ≤ SMALL_AREA, finding its neighbours from its pixels. */
  private mergeSmall(k: number, ak: number): void {
    const { R, J, region, pixNext } = this;
    const ok = k * JS;
    const orig = J[ok + J_ORIG];
    this.order[this.ordered++] = orig;
    if ((++this.processed & 1023) === 0) this.progress.update(this.processed / this.nc);
    const t = this.live > 1 ? this.mostSimilarAround(k) : -1;
    this.live--;
    if (t < 0) {
      // The root of everything, or an island surrounded by transparency: always drawn.
      this.layerOrder.push(orig);
      J[ok + J_AREA] = 0;
      return;
    }
    if (this.deepens(ak, J, null, region, k)) this.layerOrder.push(orig);
    for (let p = J[ok + J_FIRST]; p >= 0; p = pixNext[p]) region[p] = t;
    const ot = t * JS;
    J[ot + J_AVG] = absorb(R, J, pixNext, k, t);
    J[ok + J_AREA] = 0;
    this.parent[orig] = J[ot + J_ORIG];
  }

  /**
   * The most similar live region 4-adjacent to k's pixels (as mostSimilar), or -1; sets bestDistance. A
   * neighbour met several times cannot change the choice, so there are no visit stamps nor a neighbour list.
   */
  private mostSimilarAround(k: number): number {
    const { J, region, pixNext, w, n } = this;
    const kc = J[k * JS + J_AVG];
    let best = Infinity;
    for (let p = J[k * JS + J_FIRST]; p >= 0; p = pixNext[p]) {
      const x = p % w;
      // Each side as distance · INDEX_SPAN + index, or Infinity (outside, transparent, k itself); the least
      // is the nearest colour with ties to the lower index.
      const cl = x > 0 ? region[p - 1] : -1;
      const cr = x + 1 < w ? region[p + 1] : -1;
      const cu = p >= w ? region[p - w] : -1;
      const cd = p + w < n ? region[p + w] : -1;
      best = Math.min(best,
        cl < 0 || cl === k ? Infinity : colorDistance(kc, J[cl * JS + J_AVG]) * INDEX_SPAN + cl,
        cr < 0 || cr === k ? Infinity : colorDistance(kc, J[cr * JS + J_AVG]) * INDEX_SPAN + cr,
        cu < 0 || cu === k ? Infinity : colorDistance(kc, J[cu * JS + J_AVG]) * INDEX_SPAN + cu,
        cd < 0 || cd === k ? Infinity : colorDistance(kc, J[cd * JS + J_AVG]) * INDEX_SPAN + cd);
    }
    if (best === Infinity) {
      this.bestDistance = Infinity;
      return -1;
    }
    const d = Math.floor(best / INDEX_SPAN);
    this.bestDistance = d;
    return best - d * INDEX_SPAN;
  }

  /** The most similar compact neighbour in nb (floor averages in H, L1 over RGB; ties to the lower index). */
  private mostSimilar(kc: number, H: Int32Array): number {
    const nb = this.nb;
    let t = -1, bestD = Infinity;
    for (let i = 0; i < this.count; i++) {
      const c = nb[i];
      const d = colorDistance(kc, H[c * HS + H_AVG]);
      if (nearer(d, c, bestD, t)) {
        bestD = d;
        t = c;
      }
    }
    this.bestDistance = bestD;
    return t;
  }

  private bestDistance = 0;

  /**
   * A layer of its own: big enough, different enough (from the most similar neighbour just found), and not
   * thread-like (a region everywhere at most two pixels thick has every pixel on its perimeter).
   */
  private deepens(ak: number, J: Int32Array, H: Int32Array | null, label: Int32Array, k: number): boolean {
    const minArea = this.minArea;
    return this.bestDistance > this.deepenDiff && ak > minArea && ak < this.n
      && (minArea === 0 || !threadLike(J, H, label, this.pixNext, this.w, this.n, k, ak));
  }

  private pushNeighbour(t: number): void {
    if (this.count === this.nb.length) {
      const grown = new Int32Array(this.count * 2);
      grown.set(this.nb);
      this.nb = grown;
    }
    this.nb[this.count++] = t;
  }

  /**
   * The graph phase, over the compacted records (all live): each pixel gets its region's record index (the
   * graph's pixel scan applies the last renumbering), and the regions an adjacency graph.
   */
  private mergeLarge(): void {
    const { R, J, w, n, progress, pixNext, parent } = this;
    progress.checkAbort();
    const m = this.records;
    const H = this.ws.int32(m * HS);
    for (let k = 0, o = 0; k < m; k++, o += JS) {
      if ((k & 262143) === 0) progress.checkAbort();
      H[k * HS + H_UF] = k;
      H[k * HS + H_MARK] = -1;
      H[k * HS + H_AVG] = J[o + J_AVG];
      H[k * HS + H_PARENT] = 0;
      J[o + J_HEAD] = -1;
      J[o + J_TAIL] = -1;
    }
    const cl = this.region;
    const graph = new AdjacencyGraph(J, m, cl, w, n / w, progress, this.renumber, this.ws);

    const queue = new MergeQueue(2 * m + 16, this.ws);
    for (let k = 0; k < m; k++) {
      if ((k & 262143) === 0) progress.checkAbort();
      queue.push(J[k * JS + J_AREA], k);
    }
    let live = m;
    while (queue.pop()) {
      const k = queue.id;
      const ak = queue.area;
      const ok = k * JS;
      if (H[k * HS + H_UF] !== k || J[ok + J_AREA] !== ak) continue;
      if ((++this.processed & 1023) === 0) progress.update(this.processed / this.nc);
      const orig = J[ok + J_ORIG];
      this.order[this.ordered++] = orig;

      // Resolve k's neighbour list: live neighbours, each once; the list is compacted in place.
      let newHead = -1, newTail = -1;
      this.count = 0;
      if (live > 1) {
        const nodes = graph.nodes;
        let node = J[ok + J_HEAD];
        let walked = 0;
        while (node >= 0) {
          if ((++walked & 65535) === 0) progress.checkAbort();
          const following = nodes[2 * node + 1];
          const t = find(H, nodes[2 * node]);
          if (t !== k && H[t * HS + H_MARK] !== k) {
            H[t * HS + H_MARK] = k;
            nodes[2 * node] = t;
            this.pushNeighbour(t);
            if (newTail < 0) newHead = node; else nodes[2 * newTail + 1] = node;
            newTail = node;
          }
          node = following;
        }
        if (newTail >= 0) nodes[2 * newTail + 1] = -1;
      }
      live--;
      if (this.count === 0) {
        this.layerOrder.push(orig);
        continue;
      }
      const t = this.mostSimilar(H[k * HS + H_AVG], H);
      if (this.deepens(ak, J, H, cl, k)) {
        this.layerOrder.push(orig);
      }
      H[k * HS + H_PARENT] = t + 1; // the merge-tree parent, written in record order at the end
      H[t * HS + H_AVG] = absorb(R, J, pixNext, k, t);
      H[k * HS + H_UF] = t;
      const at = J[t * JS + J_AREA];
      if (newHead >= 0) {
        const ot = t * JS;
        if (J[ot + J_TAIL] < 0) J[ot + J_HEAD] = newHead; else graph.nodes[2 * J[ot + J_TAIL] + 1] = newHead;
        J[ot + J_TAIL] = newTail;
      }
      queue.push(at, t);
    }
    for (let k = 0; k < m; k++) {
      const up = H[k * HS + H_PARENT];
      if (up > 0) parent[J[k * JS + J_ORIG]] = J[(up - 1) * JS + J_ORIG];
    }
  }

  /** The merge tree, and the memory the merge no longer needs (the records: 12 ints per stage-1 region). */
  private tree(): MergeTree {
    this.progress.checkAbort();
    return {
      parent: this.parent, layerOrder: this.layerOrder, order: this.order,
      spareRegions: this.J, sparePixels: [this.pixNext, this.region],
    };
  }
}

/**
 * Region adjacency graph over compact regions: nodes are (target, next) pairs in one Int32Array, each
 * region's list threaded through J_HEAD/J_TAIL. The lists start out contiguous (counted, then filled) and
 * without repeats, so walking one reads memory in order; merges splice lists, which keeps
 * runs contiguous.
 * An edge between the same two regions as the pair just above (horizontal pairs) or just left (vertical
 * pairs) is not added again, so a long shared boundary makes few nodes.
 */
class AdjacencyGraph {
  readonly nodes: Int32Array;

  /** `renumber` turns `label` (record indices before the last compaction) into the compacted ones. */
  constructor(J: Int32Array, m: number, label: Int32Array, w: number, h: number, progress: Progress, renumber: Int32Array, ws: Workspace) {
    // One pass over the pixels counts each region's edges (degree of k in start[k + 1]) and lists where the
    // edges are; the lists are then filled from that list alone (flat art has few boundary pixels).
    const start = ws.int32(m + 1, 0);
    // At most two pairs per pixel.
    const found = AdjacencyGraph.scan(label, w, h, progress, start.subarray(1), renumber, new IntBuffer(ws.int32(2 * w * h + 2)));
    for (let k = 0; k < m; k++) start[k + 1] += start[k];
    const nodes = ws.int32(2 * Math.max(1, start[m]));
    const slot = ws.int32(Math.max(1, m));
    slot.set(start.subarray(0, m));
    const where = found.data;
    for (let i = 0; i < found.length; i++) {
      if ((i & 262143) === 0) progress.checkAbort();
      const e = where[i];
      const p = e >> 1;
      const a = label[p], b = label[(e & 1) === 0 ? p + 1 : p + w];
      nodes[2 * slot[a]++] = b;
      nodes[2 * slot[b]++] = a;
    }
    // Each list deduplicated in place (a long shared boundary still repeats a pair), then threaded.
    const seen = ws.int32(m, -1);
    for (let k = 0, o = 0; k < m; k++, o += JS) {
      if ((k & 65535) === 0) progress.checkAbort();
      const first = start[k];
      let end = first;
      for (let i = first; i < start[k + 1]; i++) {
        const t = nodes[2 * i];
        if (seen[t] === k) continue;
        seen[t] = k;
        nodes[2 * end] = t;
        nodes[2 * end + 1] = end + 1;
        end++;
      }
      if (end > first) {
        nodes[2 * end - 1] = -1;
        J[o + J_HEAD] = first;
        J[o + J_TAIL] = end - 1;
      }
    }
    this.nodes = nodes;
  }

  /**
   * Visits every pair of 4-adjacent pixels of different regions, but the repeats above: counts each region's
   * edges into `count` and returns where they are (pixel × 2, + 1 for the pair with the pixel below).
   */
  private static scan(label: Int32Array, w: number, h: number, progress: Progress, count: Int32Array, renumber: Int32Array, found: IntBuffer): IntBuffer {
    const rowsPerCheck = Math.max(1, (65536 / w) | 0);
    for (let y = -1; y < h; y++) {
      // Row y + 1 renumbered first (the vertical pairs of row y need it).
      if (y + 1 < h) {
        for (let p = (y + 1) * w, end = p + w; p < end; p++) {
          const l = label[p];
          if (l >= 0) label[p] = renumber[l];
        }
      }
      if (y < 0) continue;
      if (y % rowsPerCheck === 0) progress.checkAbort();
      const row = y * w;
      for (let x = 0; x + 1 < w; x++) {
        const p = row + x;
        const a = label[p], b = label[p + 1];
        if (a === b || a < 0 || b < 0) continue;
        if (y > 0 && label[p - w] === a && label[p + 1 - w] === b) continue;
        count[a]++; count[b]++;
        found.push(2 * p);
      }
      if (y + 1 === h) break;
      for (let x = 0; x < w; x++) {
        const p = row + x;
        const a = label[p], b = label[p + w];
        if (a === b || a < 0 || b < 0) continue;
        if (x > 0 && label[p - 1] === a && label[p + w - 1] === b) continue;
        count[a]++; count[b]++;
        found.push(2 * p + 1);
      }
    }
    return found;
  }
}
