/** Worker-thread parallelism: a reusable TracePool, and traceMany for batches. */
export { TracePool } from './pool.js';
export type { TracePoolOptions, TraceTask, PoolTraceOptions, TracePoolStats } from './pool.js';
export { traceMany } from './trace-many.js';
export type { TraceManyInput, TraceManyResult, TraceManyOptions } from './trace-many.js';
export { WorkerCrashError, PoolClosedError } from './protocol.js';
