/**
 * The tracing worker: runs the very same engine as the library (src/engine), off the page's main thread.
 * One trace at a time; the page cancels a run either through a shared flag (cross-origin isolated pages)
 * or by terminating this worker.
 */
import { traceRgbaDetailed } from '../../src/engine/index.js';
import type { TraceOptions, TracedPath } from '../../src/engine/index.js';
import type { TraceRequest, WorkerReply } from './protocol.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function reply(message: WorkerReply): void {
  scope.postMessage(message);
}

/** Progress is reported at most every 40 ms (and always at 0 and 1) to keep the message channel quiet. */
const PROGRESS_INTERVAL_MS = 40;
/** Partial paths are sent at most this often, to draw shapes as they are traced. */
const PATHS_INTERVAL_MS = 100;

function run(request: TraceRequest): void {
  const { id } = request;
  const flag = request.cancelFlag ? new Int32Array(request.cancelFlag) : undefined;
  const signal = { get aborted(): boolean { return flag !== undefined && Atomics.load(flag, 0) !== 0; } };
  let lastProgress = -Infinity;
  const onProgress = (fraction: number): void => {
    const now = performance.now();
    if (fraction >= 1 || fraction <= 0 || now - lastProgress >= PROGRESS_INTERVAL_MS) {
      lastProgress = now;
      reply({ type: 'progress', id, fraction });
    }
  };
  // Paths go out in batches: the first one at once (so even a fast trace shows its first shapes before the
  // result), then at most every PATHS_INTERVAL_MS.
  let batch: TracedPath[] = [];
  let lastBatch = -Infinity;
  const onPath = (path: TracedPath): void => {
    batch.push(path);
    const now = performance.now();
    if (now - lastBatch >= PATHS_INTERVAL_MS) {
      lastBatch = now;
      reply({ type: 'paths', id, paths: batch });
      batch = [];
    }
  };
  const started = performance.now();
  try {
    const options = { ...request.options, onProgress, onPath, signal } as TraceOptions;
    const result = traceRgbaDetailed({ data: request.data, width: request.width, height: request.height }, options);
    const ms = performance.now() - started;
    reply({ type: 'result', id, svg: result.svg, width: result.width, height: result.height, pathCount: result.pathCount, pixelArt: result.pixelArt, ms });
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    if (error.name === 'AbortError') reply({ type: 'aborted', id });
    else reply({ type: 'error', id, name: error.name, message: error.message });
  }
}

scope.onmessage = (event: MessageEvent<TraceRequest>) => {
  if (event.data && event.data.type === 'trace') run(event.data);
};
reply({ type: 'ready' });
