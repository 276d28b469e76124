import type { TraceParameters, TraceResult } from 'vtracer-ts';
import type { JobRecord, JobType } from '../store/types.js';

export interface RequeueResult {
  requeued: string[];
  failed: string[];
}

/** What the embedded queue needs beyond the Store: the queue is the store's `queued` jobs. */
export interface EmbeddedQueueStore {
  /** Oldest `queued` job of this type moved to `in-progress` (attempts + 1), or null when none. */
  claimNextJob(jobType: JobType): Promise<JobRecord | null>;
  /** Jobs left `in-progress` by a dead process: back to `queued`, or `failure` once attempts reach the bound. */
  requeueInterrupted(jobType: JobType, maxAttempts: number): Promise<RequeueResult>;
  countQueued(jobType: JobType): Promise<number>;
}

export interface TraceRunOptions extends Partial<TraceParameters> {
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/**
 * Traces encoded image bytes off the main thread. The parallel module's TracePool has this shape; tests and
 * the distributed mode may pass something else.
 */
export interface Tracer {
  run(source: { input: Uint8Array }, options: TraceRunOptions): Promise<TraceResult>;
  close(): Promise<void>;
}
