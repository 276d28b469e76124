import { TraceAbortedError } from './errors.js';
import type { AbortFlag } from './options.js';

/**
 * Reports progress through weighted stages and checks for cancellation. Each stage owns a slice of [0, 1];
 * `update(fraction)` moves inside the current slice. Calls to the user's callback are throttled to steps of
 * at least 0.5% so that progress stays cheap even when reported from hot loops.
 */
export class Progress {
  private base = 0;
  private span = 0;
  private lastReported = -1;
  constructor(
    private readonly onProgress: ((fraction: number) => void) | undefined,
    private readonly signal: AbortFlag | undefined,
  ) {}

  /** Enters the next stage, which covers [from, to] of the whole trace. */
  stage(from: number, to: number): void {
    this.checkAbort();
    this.base = from;
    this.span = to - from;
    this.report(from);
  }

  /** Progress inside the current stage (0..1); also checks for cancellation. */
  update(fraction: number): void {
    this.checkAbort();
    this.report(this.base + this.span * Math.min(1, Math.max(0, fraction)));
  }

  finish(): void {
    this.checkAbort();
    if (this.lastReported < 1 && this.onProgress) {
      this.lastReported = 1;
      this.onProgress(1);
    }
  }

  checkAbort(): void {
    if (this.signal?.aborted) throw new TraceAbortedError();
  }

  private report(value: number): void {
    if (!this.onProgress) return;
    if (value >= 1) value = 0.999; // exactly 1 is reserved for finish()
    if (value - this.lastReported < 0.005) return;
    this.lastReported = value;
    this.onProgress(value);
  }
}
