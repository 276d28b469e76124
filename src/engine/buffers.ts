/** Growable typed buffers for hot loops (amortised doubling, no per-item objects). */
export class IntBuffer {
  data: Int32Array;
  length = 0;
  /** `capacity` ints, or the given array as the initial storage (any content). */
  constructor(capacity: number | Int32Array = 64) {
    this.data = typeof capacity === 'number' ? new Int32Array(capacity) : capacity;
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }
  push2(a: number, b: number): void {
    if (this.length + 2 > this.data.length) this.grow(this.length + 2);
    this.data[this.length++] = a;
    this.data[this.length++] = b;
  }
  grow(min: number): void {
    const next = new Int32Array(Math.max(min, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  clear(): void {
    this.length = 0;
  }
}

export class FloatBuffer {
  data: Float64Array;
  length = 0;
  constructor(capacity = 64) {
    this.data = new Float64Array(capacity);
  }
  push2(a: number, b: number): void {
    if (this.length + 2 > this.data.length) {
      const next = new Float64Array(Math.max(this.length + 2, this.data.length * 2));
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    this.data[this.length++] = a;
    this.data[this.length++] = b;
  }
  clear(): void {
    this.length = 0;
  }
}
