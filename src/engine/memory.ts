/**
 * Working memory reused from one trace to the next in the same thread.
 *
 * A trace needs a few large arrays (several ints per pixel, 48 bytes per stage-1 region). Fresh memory
 * costs the kernel a page fault and a zeroed page for every 4 KiB first touched, and giving it back costs
 * the other threads of the process a TLB flush: on a noisy megapixel photo that is tens of milliseconds per
 * trace, and it keeps worker threads from scaling. So each trace takes its large arrays from a Workspace,
 * which hands them back to a per-thread pool when the trace ends (also when it throws); the next trace
 * reuses them. The pool keeps at most `retainedBytes` (least recently used dropped first); small arrays
 * are left to the allocator. State is per module instance, hence per thread: nothing is shared.
 */

/** Arrays smaller than this are allocated as usual (the allocator serves them from its heap). */
const POOLED_BYTES = 256 * 1024;

let retainLimit = 256 * 1024 * 1024;
/** Free buffers, least recently released first. */
let free: ArrayBuffer[] = [];
let freeBytes = 0;

/**
 * How much memory the engine may keep between traces in this thread (default 256 MiB; 0 keeps none). A
 * worker tracing images one after another reuses it instead of faulting in fresh pages each time.
 */
export function setRetainedMemory(bytes: number): void {
  if (!(bytes >= 0)) throw new RangeError(`retained memory must be a number of bytes ≥ 0, got ${bytes}`);
  retainLimit = bytes;
  trim();
}

/** Lets go of all memory kept between traces in this thread. */
export function releaseMemory(): void {
  free = [];
  freeBytes = 0;
}

/** Bytes currently kept between traces in this thread. */
export function retainedMemory(): number {
  return freeBytes;
}

function trim(): void {
  let drop = 0;
  while (freeBytes > retainLimit && drop < free.length) freeBytes -= free[drop++].byteLength;
  if (drop > 0) free = free.slice(drop);
}

/** Sizes round up to 1/8 of their power of two, so that images of similar sizes share buffers. */
function roundedSize(bytes: number): number {
  const step = 2 ** Math.max(12, Math.floor(Math.log2(bytes)) - 3);
  return Math.ceil(bytes / step) * step;
}

/** The large arrays of one trace. Call `release()` when the trace is over (in a finally). */
export class Workspace {
  private readonly taken: ArrayBuffer[] = [];

  /** Int32Array of `length`; filled with `fill` when given (else any content). */
  int32(length: number, fill?: number): Int32Array {
    return this.view(Int32Array, length, fill);
  }

  /** Float64Array of `length`; filled with `fill` when given (else any content). */
  float64(length: number, fill?: number): Float64Array {
    return this.view(Float64Array, length, fill);
  }

  /** Float32Array of `length`; filled with `fill` when given (else any content). */
  float32(length: number, fill?: number): Float32Array {
    return this.view(Float32Array, length, fill);
  }

  /** Uint8Array of `length`; filled with `fill` when given (else any content). */
  uint8(length: number, fill?: number): Uint8Array {
    return this.view(Uint8Array, length, fill);
  }

  /** Returns this trace's buffers to the pool. The arrays must not be used afterwards. */
  release(): void {
    if (this.taken.length === 0) return;
    for (const b of this.taken) {
      free.push(b);
      freeBytes += b.byteLength;
    }
    this.taken.length = 0;
    trim();
  }

  private view<T extends Int32Array | Float64Array | Float32Array | Uint8Array>(
    ctor: { new (buffer: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number }, length: number, fill?: number,
  ): T {
    const { buffer, fresh } = this.take(length * ctor.BYTES_PER_ELEMENT);
    const a = new ctor(buffer, 0, length);
    // A fresh buffer is already zero.
    if (fill !== undefined && !(fresh && fill === 0)) a.fill(fill);
    return a;
  }

  private take(bytes: number): { buffer: ArrayBuffer; fresh: boolean } {
    if (bytes < POOLED_BYTES || retainLimit === 0) return { buffer: new ArrayBuffer(bytes), fresh: true };
    // The smallest free buffer that fits and is not more than twice the request.
    let best = -1;
    for (let i = 0; i < free.length; i++) {
      const size = free[i].byteLength;
      if (size >= bytes && size <= 2 * bytes && (best < 0 || size < free[best].byteLength)) best = i;
    }
    let buffer: ArrayBuffer;
    let fresh = false;
    if (best >= 0) {
      buffer = free[best];
      free.splice(best, 1);
      freeBytes -= buffer.byteLength;
    } else {
      buffer = new ArrayBuffer(roundedSize(bytes));
      fresh = true;
    }
    this.taken.push(buffer);
    return { buffer, fresh };
  }
}
