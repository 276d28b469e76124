import { statSync } from 'node:fs';
/** traceMany: trace several images on a TracePool, results in input order, one failure not stopping the rest. */
import { availableParallelism } from 'node:os';
import { checkOption, validateOptions } from '../engine/options.js';
import type { ValueSpec } from '../engine/options.js';
import { OptionError } from '../engine/errors.js';
import type { TraceResult } from '../engine/types.js';
import { TracePool } from './pool.js';
import type { PoolTraceOptions, TraceTask } from './pool.js';

const JOBS_SPEC: ValueSpec = { name: 'jobs', kind: 'integer', min: 1, max: Infinity };

/** A file path, encoded image bytes, or a task object as accepted by TracePool.run. */
export type TraceManyInput = string | Uint8Array | TraceTask;

interface ResultBase {
  input: TraceManyInput;
  /** Position in the input list. */
  index: number;
  /** Milliseconds from submission to completion (includes any wait for a free worker). */
  durationMs: number;
}
export type TraceManyResult =
  | (ResultBase & TraceResult & { ok: true })
  | (ResultBase & { ok: false; error: Error });

export interface TraceManyOptions extends PoolTraceOptions {
  /** Worker threads to use when no `pool` is given. Default: os.availableParallelism() (at most one per input). */
  jobs?: number;
  /** An existing pool to run on (left open); otherwise a pool is created and closed. */
  pool?: TracePool;
  /** Pixel limit for decoding, when no `pool` is given. */
  limitInputPixels?: number;
  /** Called as each input finishes (in completion order). */
  onFileDone?: (result: TraceManyResult) => void;
  /** Overall progress over all inputs, 0 to 1. */
  onProgress?: (fraction: number) => void;
}

/**
 * Traces every input on worker threads. Never rejects because of one input: each result is
 * `{ ok: true, svg, width, height, pathCount, pixelArt }` or `{ ok: false, error }`. Rejects only for bad options.
 */
export async function traceMany(inputs: readonly TraceManyInput[], options: TraceManyOptions = {}): Promise<TraceManyResult[]> {
  const { jobs, pool: given, limitInputPixels, onFileDone, onProgress, signal, ...traceOptions } = options;
  if (!Array.isArray(inputs)) throw new OptionError('inputs', 'an array', inputs);
  validateOptions(traceOptions);
  if (jobs !== undefined) checkOption(JOBS_SPEC, jobs);
  if (inputs.length === 0) return [];
  const pool = given ?? new TracePool({
    size: Math.min(jobs ?? availableParallelism(), inputs.length),
    limitInputPixels,
  });
  const fractions = new Float64Array(inputs.length);
  let reported = 0;
  const report = (): void => {
    if (onProgress === undefined) return;
    let sum = 0;
    for (let i = 0; i < fractions.length; i++) sum += fractions[i];
    const overall = sum / fractions.length;
    if (overall > reported) {
      reported = overall;
      onProgress(overall);
    }
  };
  // Largest first: the pool runs tasks in submission order, so a big image submitted last would leave the
  // other workers idle at the end. Results stay in input order.
  const order = inputs.map((input, index) => ({ index, size: estimateSize(input) }))
    .sort((a, b) => b.size - a.size || a.index - b.index);
  const pending = new Array<Promise<TraceManyResult>>(inputs.length);
  try {
    for (const { index } of order) pending[index] = runOne(inputs[index]!, index);
    return await Promise.all(pending);
  } finally {
    if (given === undefined) await pool.close();
  }

  async function runOne(input: TraceManyInput, index: number): Promise<TraceManyResult> {
    const task: TraceTask = typeof input === 'string' || input instanceof Uint8Array ? { input } : input;
    const started = performance.now();
    let result: TraceManyResult;
    try {
      const traced = await pool.run(task, {
        ...traceOptions,
        signal,
        onProgress: onProgress === undefined ? undefined : (f) => { fractions[index] = f; report(); },
      });
      result = { input, index, durationMs: performance.now() - started, ok: true, ...traced };
    } catch (error) {
      result = { input, index, durationMs: performance.now() - started, ok: false, error: error instanceof Error ? error : new Error(String(error)) };
    }
    fractions[index] = 1;
    report();
    onFileDone?.(result);
    return result;
  }
}

/** A cheap size estimate to order work: pixels of raw images, bytes of encoded ones and files. */
function estimateSize(input: TraceManyInput): number {
  if (input instanceof Uint8Array) return input.byteLength;
  if (typeof input === 'string') {
    try {
      return statSync(input).size;
    } catch {
      return 0;
    }
  }
  if ('rgba' in input) return input.rgba.width * input.rgba.height;
  return estimateSize(input.input);
}
