/**
 * Stage 2 of colour clustering: hierarchical merging of stage-1 regions.
 *
 * The smallest region (ties: lowest index) merges into its most similar neighbour (L1 distance of average
 * colours). If it is large enough, not thread-like and different enough (distance > layerDifference), it
 * first becomes an output layer ("deepens"): its parent then covers it, and the parent's fill stays the
 * average of the pixels that remain visible.
 *
 * Cost stays near-linear on any input (the upstream rescans every cluster at every area level, which is
 * super-linear on noisy photos):
 * - a bucket queue orders merges by area;
 * - small regions (most of them on noisy input) find their neighbours from their own pixels, no graph needed;
 * - once only larger regions remain, a region adjacency graph is built over what is left; neighbour lists
 *   are spliced in O(1) on merge and resolved lazily through a union-find;
 * - pixel lists are linked lists spliced on merge; per-region data is interleaved so a visit costs one or
 *   two cache lines.
 */
import type { Progress } from './progress.js';
import { MergeQueue } from './merge-queue.js';

// Float record of a region: area and colour sums of everything it covers. (Fills, the averages of the
// pixels that stay visible, are computed once the layers are known, in one pass over the pixels.)
export const F_AREA = 0, F_SUM = 1, FS = 4;
// Int record: union-find parent, visit stamp, adjacency list head/tail, pixel list first/last,
// merge-tree parent, packed floor-average colour of everything covered, flags.
export const I_UF = 0, I_MARK = 1, I_HEAD = 2, I_TAIL = 3, I_FIRST = 4, I_LAST = 5, I_PARENT = 6, I_AVG = 7, I_FLAGS = 8, IS = 9;
export const FLAG_DEAD = 1, FLAG_LAYER = 2;

/** Regions up to this area find their neighbours from their pixels; larger ones through the graph. */
const SMALL_AREA = 4;

export interface MergeParams {
  filterSpeckle: number;
  layerDifference: number;
}

export function packAverage(F: Float64Array, f: number, area: number): number {
  return (Math.floor(F[f + F_SUM] / area) << 16) | (Math.floor(F[f + F_SUM + 1] / area) << 8) | Math.floor(F[f + F_SUM + 2] / area);
}

/** L1 distance between two packed colours. */
function colorDistance(a: number, b: number): number {
  return Math.abs((a >> 16) - (b >> 16)) + Math.abs(((a >> 8) & 255) - ((b >> 8) & 255)) + Math.abs((a & 255) - (b & 255));
}

export class RegionMerger {
  /** Output layers in the order they were made (smallest first, roots last). */
  readonly layerOrder: number[] = [];
  private nb = new Int32Array(64);
  private count = 0;
  /** Adjacency nodes: target region at [2i], next node at [2i + 1]; twins (i, i + 1). */
  private nodes = new Int32Array(0);
  private nodeCount = 0;
  private graphBuilt = false;

  constructor(
    private readonly F: Float64Array,
    private readonly I: Int32Array,
    private readonly pixNext: Int32Array,
    /** Stage-1 label per pixel (-1 transparent); relabelled to anchors (see relabel) when the graph is built. */
    readonly label: Int32Array,
    private readonly nc: number,
    private readonly w: number,
    private readonly h: number,
  ) {}

  find(c: number): number {
    const I = this.I;
    let parent = I[c * IS + I_UF];
    while (parent !== c) {
      const grand = I[parent * IS + I_UF];
      I[c * IS + I_UF] = grand;
      c = grand;
      parent = I[c * IS + I_UF];
    }
    return c;
  }

  run(params: MergeParams, progress: Progress): void {
    const { F, I, nc } = this;
    const queue = new MergeQueue(2 * nc + 16);
    for (let c = 0; c < nc; c++) {
      if ((c & 65535) === 0) progress.checkAbort();
      queue.push(F[c * FS + F_AREA], c);
    }
    const minArea = params.filterSpeckle * params.filterSpeckle;
    const maxArea = this.w * this.h;
    const deepenDiff = params.layerDifference;
    let processed = 0;
    let live = nc;

    while (queue.pop()) {
      const k = queue.id;
      const ak = queue.area;
      const ok = k * IS;
      if ((I[ok + I_FLAGS] & FLAG_DEAD) !== 0 || F[k * FS + F_AREA] !== ak) continue;
      if ((++processed & 1023) === 0) progress.update(processed / nc);

      if (!this.graphBuilt && ak > SMALL_AREA) this.buildGraph(progress);
      let newHead = -1, newTail = -1;
      if (live === 1) {
        // The last region alive has no neighbours left: its list only holds stale entries.
        this.count = 0;
      } else if (this.graphBuilt) {
        // Resolve k's neighbour list: live neighbours, each once; the list is compacted in place.
        const nodes = this.nodes;
        this.count = 0;
        let node = I[ok + I_HEAD];
        let walked = 0;
        while (node >= 0) {
          if ((++walked & 65535) === 0) progress.checkAbort();
          const following = nodes[2 * node + 1];
          const t = this.find(nodes[2 * node]);
          if (t !== k && I[t * IS + I_MARK] !== k) {
            I[t * IS + I_MARK] = k;
            nodes[2 * node] = t;
            this.pushNeighbour(t);
            if (newTail < 0) newHead = node; else nodes[2 * newTail + 1] = node;
            newTail = node;
          }
          node = following;
        }
        if (newTail >= 0) nodes[2 * newTail + 1] = -1;
      } else {
        this.neighboursFromPixels(k);
      }
      I[ok + I_FLAGS] |= FLAG_DEAD;

      if (this.count === 0) {
        // The root of everything, or an island surrounded by transparency: always drawn.
        I[ok + I_FLAGS] |= FLAG_LAYER;
        this.layerOrder.push(k);
        live--;
        continue;
      }

      // The most similar neighbour (floor averages, L1 over RGB; ties to the lower index).
      const kc = I[ok + I_AVG];
      const nb = this.nb;
      let t = -1, bestD = Infinity;
      for (let i = 0; i < this.count; i++) {
        const c = nb[i];
        const d = colorDistance(kc, I[c * IS + I_AVG]);
        if (d < bestD || (d === bestD && c < t)) {
          bestD = d;
          t = c;
        }
      }
      // A layer of its own: big enough, different enough, and not thread-like (a region everywhere at
      // most two pixels thick has every pixel on its perimeter).
      const deepen = bestD > deepenDiff && ak > minArea && ak < maxArea && (minArea === 0 || !this.threadLike(k, ak));
      if (deepen) {
        I[ok + I_FLAGS] |= FLAG_LAYER;
        this.layerOrder.push(k);
      }
      const at = this.absorb(k, t);
      live--;
      if (newHead >= 0) {
        const ot = t * IS;
        if (I[ot + I_TAIL] < 0) I[ot + I_HEAD] = newHead; else this.nodes[2 * I[ot + I_TAIL] + 1] = newHead;
        I[ot + I_TAIL] = newTail;
      }
      queue.push(at, t);
    }
  }

  private pushNeighbour(t: number): void {
    if (this.count === this.nb.length) {
      const grown = new Int32Array(this.count * 2);
      grown.set(this.nb);
      this.nb = grown;
    }
    this.nb[this.count++] = t;
  }

  /** Collects the live regions 4-adjacent to k's pixels into nb/count. */
  private neighboursFromPixels(k: number): void {
    const { I, label, pixNext, w } = this;
    const n = w * this.h;
    this.count = 0;
    for (let p = I[k * IS + I_FIRST]; p >= 0; p = pixNext[p]) {
      const x = p % w;
      if (x > 0) this.visitPixel(k, label[p - 1]);
      if (x + 1 < w) this.visitPixel(k, label[p + 1]);
      if (p >= w) this.visitPixel(k, label[p - w]);
      if (p + w < n) this.visitPixel(k, label[p + w]);
    }
  }

  private visitPixel(k: number, l: number): void {
    if (l < 0) return;
    const t = this.find(l);
    if (t === k || this.I[t * IS + I_MARK] === k) return;
    this.I[t * IS + I_MARK] = k;
    this.pushNeighbour(t);
  }

  /** Merges region k into t: t covers k's pixels from now on (sums, area, pixel list). Returns t's new area. */
  private absorb(k: number, t: number): number {
    const { F, I, pixNext } = this;
    const fk = k * FS, ft = t * FS, ok = k * IS, ot = t * IS;
    const at = F[ft + F_AREA] + F[fk + F_AREA];
    F[ft + F_AREA] = at;
    F[ft + F_SUM] += F[fk + F_SUM]; F[ft + F_SUM + 1] += F[fk + F_SUM + 1]; F[ft + F_SUM + 2] += F[fk + F_SUM + 2];
    I[ot + I_AVG] = packAverage(F, ft, at);
    I[ok + I_PARENT] = t;
    I[ok + I_UF] = t;
    pixNext[I[ot + I_LAST]] = I[ok + I_FIRST];
    I[ot + I_LAST] = I[ok + I_LAST];
    return at;
  }

  /**
   * A region is thread-like when every pixel lies on its perimeter (has a 4-neighbour outside the region,
   * the image border counting as outside): it is nowhere more than two pixels thick. Stops at the first
   * interior pixel.
   */
  private threadLike(k: number, area: number): boolean {
    const { I, label, pixNext, w } = this;
    const n = w * this.h;
    let boundary = 0;
    for (let p = I[k * IS + I_FIRST]; p >= 0; p = pixNext[p]) {
      const x = p % w;
      if (x !== 0 && x + 1 !== w && p >= w && p + w < n) {
        const l = label[p - 1], r = label[p + 1], u = label[p - w], d = label[p + w];
        if (l >= 0 && r >= 0 && u >= 0 && d >= 0 && this.find(l) === k && this.find(r) === k
          && this.find(u) === k && this.find(d) === k) return false;
      }
      boundary++;
    }
    return boundary >= area;
  }

  /**
   * Points every pixel's label at its anchor: the nearest merge-tree ancestor (or itself) that is a layer or
   * still live. Layers keep their pixels (a layer's subtree must still contain them) while the chains of
   * plain merges are shortened, so the graph is built over far fewer distinct labels.
   */
  private relabel(progress: Progress): void {
    const { I, label, nc } = this;
    progress.checkAbort();
    const anchor = new Int32Array(nc).fill(-1);
    for (let c = 0; c < nc; c++) {
      if ((c & 65535) === 0) progress.checkAbort();
      if (anchor[c] >= 0) continue;
      let a = c;
      while (anchor[a] < 0 && (I[a * IS + I_FLAGS] & (FLAG_DEAD | FLAG_LAYER)) === FLAG_DEAD) a = I[a * IS + I_PARENT];
      const found = anchor[a] >= 0 ? anchor[a] : a;
      for (let v = c; v !== a; v = I[v * IS + I_PARENT]) anchor[v] = found;
      anchor[a] = found;
    }
    progress.checkAbort();
    for (let p = 0; p < label.length; p++) {
      if ((p & 65535) === 0) progress.checkAbort();
      if (label[p] >= 0) label[p] = anchor[label[p]];
    }
  }

  /**
   * Builds the region adjacency graph over the live regions. An edge between the same two regions as the
   * pair just above (horizontal pairs) or just left (vertical pairs) is not added again, so a long shared
   * boundary makes few nodes.
   */
  private buildGraph(progress: Progress): void {
    this.graphBuilt = true;
    this.relabel(progress);
    const { label, w, h } = this;
    this.nodes = new Int32Array(1024);
    const rowsPerCheck = Math.max(1, (65536 / w) | 0);
    for (let y = 0; y < h; y++) {
      if (y % rowsPerCheck === 0) progress.checkAbort();
      const row = y * w;
      for (let x = 0; x + 1 < w; x++) {
        const p = row + x;
        const a = label[p], b = label[p + 1];
        if (a === b || a < 0 || b < 0) continue;
        if (y > 0 && label[p - w] === a && label[p + 1 - w] === b) continue;
        this.addEdge(a, b);
      }
      if (y + 1 === h) break;
      for (let x = 0; x < w; x++) {
        const p = row + x;
        const a = label[p], b = label[p + w];
        if (a === b || a < 0 || b < 0) continue;
        if (x > 0 && label[p - 1] === a && label[p + w - 1] === b) continue;
        this.addEdge(a, b);
      }
    }
  }

  private addEdge(a: number, b: number): void {
    if (2 * (this.nodeCount + 2) > this.nodes.length) {
      const grown = new Int32Array(this.nodes.length * 2);
      grown.set(this.nodes);
      this.nodes = grown;
    }
    const node = this.nodeCount;
    this.nodeCount += 2;
    const d = this.nodes, I = this.I;
    d[2 * node] = b; d[2 * node + 1] = -1;
    d[2 * node + 2] = a; d[2 * node + 3] = -1;
    const oa = a * IS, ob = b * IS;
    if (I[oa + I_TAIL] < 0) I[oa + I_HEAD] = node; else d[2 * I[oa + I_TAIL] + 1] = node;
    I[oa + I_TAIL] = node;
    if (I[ob + I_TAIL] < 0) I[ob + I_HEAD] = node + 1; else d[2 * I[ob + I_TAIL] + 1] = node + 1;
    I[ob + I_TAIL] = node + 1;
  }
}
