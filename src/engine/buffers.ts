/** Growable typed buffers for hot loops (amortised doubling, no per-item objects). */

/** A new array of the same type with room for `capacity` elements, holding `a`'s elements first. */
export function grownCopy<T extends Int32Array | Float64Array | Uint8Array>(a: T, capacity: number): T {
  const next = new (a.constructor as new (length: number) => T)(capacity);
  next.set(a.subarray(0, Math.min(a.length, capacity)));
  return next;
}

/** `a` itself when it holds `size` elements, else a larger copy (amortised doubling; the contents are kept). */
export function withCapacity<T extends Int32Array | Float64Array | Uint8Array>(a: T, size: number): T {
  return a.length >= size ? a : grownCopy(a, Math.max(size, a.length * 2));
}

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
    this.data = grownCopy(this.data, Math.max(min, this.data.length * 2));
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
  push(v: number): void {
    if (this.length === this.data.length) this.data = grownCopy(this.data, Math.max(this.length + 1, this.data.length * 2));
    this.data[this.length++] = v;
  }
  push2(a: number, b: number): void {
    if (this.length + 2 > this.data.length) this.data = grownCopy(this.data, Math.max(this.length + 2, this.data.length * 2));
    this.data[this.length++] = a;
    this.data[this.length++] = b;
  }
  clear(): void {
    this.length = 0;
  }
}
