/**
 * The order of stage-2 merges: smallest area first, ties to the lowest index. Areas up to BUCKETS use a
 * bucket queue, larger areas a binary heap keyed by (area, id). A region only grows by absorbing one of
 * the current (smallest) area, so it always moves past the cursor: a bucket is complete when the cursor
 * reaches it, and is then sorted once by id and drained in order.
 */
import type { Workspace } from './memory.js';
import { grownCopy } from './buffers.js';

const BUCKETS = 256;

export class MergeQueue {
  private readonly bucketHead = new Int32Array(BUCKETS + 1).fill(-1);
  private readonly bucketTail = new Int32Array(BUCKETS + 1).fill(-1);
  /** Entries of the bucket lists: id and next entry, in growable arrays. */
  private entryId: Int32Array;
  private entryNext: Int32Array;
  private entries = 0;
  private cursor = 1;
  /** The bucket being drained, sorted by id. */
  private current = new Int32Array(64);
  private currentLength = 0;
  private currentPos = 0;
  /** Bitmap for ordering dense buckets (see sweepOrder); left all zero between uses. */
  private marks = new Int32Array(0);
  private heapArea: Float64Array;
  private heapId: Int32Array;
  private heapSize = 0;
  /** Result of the last pop(). */
  id = -1;
  area = 0;

  constructor(capacity: number, ws: Workspace) {
    this.entryId = ws.int32(Math.max(16, capacity));
    this.entryNext = ws.int32(Math.max(16, capacity));
    this.heapArea = new Float64Array(64);
    this.heapId = new Int32Array(64);
  }

  push(area: number, id: number): void {
    if (area <= BUCKETS) {
      if (this.entries === this.entryId.length) {
        this.entryId = grownCopy(this.entryId, this.entries * 2);
        this.entryNext = grownCopy(this.entryNext, this.entries * 2);
      }
      const e = this.entries++;
      this.entryId[e] = id;
      this.entryNext[e] = -1;
      if (this.bucketTail[area] < 0) this.bucketHead[area] = e;
      else this.entryNext[this.bucketTail[area]] = e;
      this.bucketTail[area] = e;
      return;
    }
    this.heapPush(area, id);
  }

  /** Takes the smallest entry into `id`/`area`; false when empty. Entries may be stale: callers check. */
  pop(): boolean {
    for (;;) {
      if (this.currentPos < this.currentLength) {
        this.id = this.current[this.currentPos++];
        this.area = this.cursor;
        return true;
      }
      if (this.currentLength > 0) {
        this.currentLength = this.currentPos = 0;
        this.cursor++;
      }
      if (this.cursor > BUCKETS) break;
      let e = this.bucketHead[this.cursor];
      if (e < 0) {
        this.cursor++;
        continue;
      }
      // Take the whole bucket, sorted by id.
      let len = 0;
      let sorted = true;
      let lo = 0x7fffffff, hi = -1;
      for (; e >= 0; e = this.entryNext[e]) {
        if (len === this.current.length) this.current = grownCopy(this.current, len * 2);
        const id = this.entryId[e];
        if (len > 0 && id < this.current[len - 1]) sorted = false;
        if (id < lo) lo = id;
        if (id > hi) hi = id;
        this.current[len++] = id;
      }
      this.bucketHead[this.cursor] = this.bucketTail[this.cursor] = -1;
      // The first buckets are often already in order (regions queued by index): no sort needed then. A
      // dense bucket (most of a noisy photo's regions) is ordered by marking its ids and sweeping them.
      if (!sorted) {
        if (hi - lo < 32 * len) len = this.sweepOrder(len, lo, hi);
        else this.current.subarray(0, len).sort();
      }
      this.currentLength = len;
    }
    if (this.heapSize === 0) return false;
    this.id = this.heapId[0];
    this.area = this.heapArea[0];
    this.heapPop();
    return true;
  }

  /** Orders current[0, len) (distinct ids in [lo, hi]) by marking them in a bitmap and sweeping it. */
  private sweepOrder(len: number, lo: number, hi: number): number {
    const words = ((hi - lo) >> 5) + 1;
    if (this.marks.length < words) this.marks = new Int32Array(Math.max(words, 2 * this.marks.length));
    const marks = this.marks, current = this.current;
    for (let i = 0; i < len; i++) {
      const d = current[i] - lo;
      marks[d >> 5] |= 1 << (d & 31);
    }
    let out = 0;
    for (let wi = 0; wi < words; wi++) {
      let bits = marks[wi];
      if (bits === 0) continue;
      marks[wi] = 0;
      while (bits !== 0) {
        const low = bits & -bits;
        current[out++] = lo + (wi << 5) + (31 - Math.clz32(low));
        bits ^= low;
      }
    }
    return out;
  }

  private heapLess(i: number, j: number): boolean {
    const a = this.heapArea[i], b = this.heapArea[j];
    return a < b || (a === b && this.heapId[i] < this.heapId[j]);
  }

  private heapSwap(i: number, j: number): void {
    const a = this.heapArea[i]; this.heapArea[i] = this.heapArea[j]; this.heapArea[j] = a;
    const d = this.heapId[i]; this.heapId[i] = this.heapId[j]; this.heapId[j] = d;
  }

  private heapPush(area: number, id: number): void {
    if (this.heapSize === this.heapId.length) {
      this.heapArea = grownCopy(this.heapArea, this.heapSize * 2);
      this.heapId = grownCopy(this.heapId, this.heapSize * 2);
    }
    let i = this.heapSize++;
    this.heapArea[i] = area;
    this.heapId[i] = id;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.heapLess(i, p)) break;
      this.heapSwap(i, p);
      i = p;
    }
  }

  private heapPop(): void {
    const last = --this.heapSize;
    if (last === 0) return;
    this.heapArea[0] = this.heapArea[last];
    this.heapId[0] = this.heapId[last];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      let m = l;
      if (l + 1 < last && this.heapLess(l + 1, l)) m = l + 1;
      if (!this.heapLess(m, i)) break;
      this.heapSwap(i, m);
      i = m;
    }
  }
}
