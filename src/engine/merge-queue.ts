/**
 * The order of stage-2 merges: smallest area first. Areas up to BUCKETS use a bucket queue (O(1) per
 * operation; first in, first out within one area, so ties go to the lower index as initially queued),
 * larger areas a binary heap keyed by (area, id). The current area never decreases: a region only grows
 * when it absorbs a smaller or equal one, so buckets below the cursor never receive anything again.
 */
const BUCKETS = 256;

export class MergeQueue {
  private readonly bucketHead = new Int32Array(BUCKETS + 1).fill(-1);
  private readonly bucketTail = new Int32Array(BUCKETS + 1).fill(-1);
  /** Entries of the bucket lists: id and next entry, in growable arrays. */
  private entryId: Int32Array;
  private entryNext: Int32Array;
  private entries = 0;
  private cursor = 1;
  private heapArea: Float64Array;
  private heapId: Int32Array;
  private heapSize = 0;
  /** Result of the last pop(). */
  id = -1;
  area = 0;

  constructor(capacity: number) {
    this.entryId = new Int32Array(Math.max(16, capacity));
    this.entryNext = new Int32Array(Math.max(16, capacity));
    this.heapArea = new Float64Array(64);
    this.heapId = new Int32Array(64);
  }

  push(area: number, id: number): void {
    if (area <= BUCKETS) {
      if (this.entries === this.entryId.length) {
        const cap = this.entries * 2;
        const a = new Int32Array(cap); a.set(this.entryId); this.entryId = a;
        const b = new Int32Array(cap); b.set(this.entryNext); this.entryNext = b;
      }
      const e = this.entries++;
      this.entryId[e] = id;
      this.entryNext[e] = -1;
      if (this.bucketTail[area] < 0) this.bucketHead[area] = e;
      else this.entryNext[this.bucketTail[area]] = e;
      this.bucketTail[area] = e;
      if (area < this.cursor) this.cursor = area;
      return;
    }
    this.heapPush(area, id);
  }

  /** Takes the smallest entry into `id`/`area`; false when empty. Entries may be stale: callers check. */
  pop(): boolean {
    while (this.cursor <= BUCKETS) {
      const e = this.bucketHead[this.cursor];
      if (e >= 0) {
        this.bucketHead[this.cursor] = this.entryNext[e];
        if (this.entryNext[e] < 0) this.bucketTail[this.cursor] = -1;
        this.id = this.entryId[e];
        this.area = this.cursor;
        return true;
      }
      this.cursor++;
    }
    if (this.heapSize === 0) return false;
    this.id = this.heapId[0];
    this.area = this.heapArea[0];
    this.heapPop();
    return true;
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
      const cap = this.heapSize * 2;
      const a = new Float64Array(cap); a.set(this.heapArea); this.heapArea = a;
      const d = new Int32Array(cap); d.set(this.heapId); this.heapId = d;
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
