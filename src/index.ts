/** Package entry: the pure engine, plus decoding (sharp) and worker-thread parallelism for Node. */
export * from './engine/index.js';
export { decodeImage, DecodeError } from './io/decode.js';
export type { DecodeOptions } from './io/decode.js';
export { trace, traceFile, traceTo } from './io/trace-file.js';
export type { TraceInputOptions } from './io/trace-file.js';
export { exportImage } from './io/export.js';
export { isBmp } from './io/bmp.js';
export { traceMany, TracePool, WorkerCrashError, PoolClosedError } from './parallel/index.js';
export type { TraceManyInput, TraceManyResult, TracePoolOptions } from './parallel/index.js';
