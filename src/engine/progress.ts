import { TraceAbortedError } from './errors.js';
import type { AbortFlag } from './options.js';

/**
 * Each stage's slice of the whole trace's progress, in pipeline order. Colour: clustering takes [0, 0.6]
 * (stage 1, the merger's record pass, the merge, the layers), drawing the rest; binary: the threshold and
 * components take [0, 0.3]. The slices follow the stages' typical share of the time.
 */
export const STAGE_SLICES = {
  stageOne: [0, 0.15],
  mergeRecords: [0.15, 0.25],
  merge: [0.25, 0.5],
  layers: [0.5, 0.6],
  colorPaths: [0.6, 1],
  binaryLayers: [0, 0.3],
  binaryPaths: [0.3, 1],
} as const satisfies Record<string, readonly [number, number]>;

/**
 * Masks for the checks inside hot loops: `(i & EVERY_64K) === 0` holds once every 2¹⁶ steps. Loops with one
 * cheap step per pixel or region use the large masks, loops whose steps cost more (a contour, a merge) the
 * small ones, so that a check comes every few milliseconds at most and costs nothing measurable.
 */
export const EVERY_64 = 63, EVERY_256 = 255, EVERY_1K = 1023, EVERY_64K = 65535, EVERY_256K = 262143, EVERY_1M = 1048575;

/** About this many pixels between two progress updates of a pass over the rows of an image. */
const PIXELS_PER_TICK = 65536;

/** Rows of a `width`-pixel image between two progress updates (at least one). */
export function rowsPerTick(width: number): number {
  return Math.max(1, (PIXELS_PER_TICK / width) | 0);
}

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

  /** Enters the next stage, which covers [from, to] of the whole trace (see STAGE_SLICES). */
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
