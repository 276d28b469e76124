/**
 * The pool behind `trace` and `traceFile`: created on first use, one worker per core, spawned only as tasks
 * arrive. Its idle workers are unref'd (see TracePool), so a script that traced an image exits when it is
 * done, without closing anything.
 */
import { TracePool } from './pool.js';

let shared: TracePool | null = null;

export function sharedPool(): TracePool {
  shared ??= new TracePool();
  return shared;
}
