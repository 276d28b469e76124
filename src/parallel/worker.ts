/**
 * Worker thread of the TracePool: decodes (sharp) and traces one task at a time. Cancellation is read from a
 * shared Int32 flag the main thread sets, so an aborted trace stops at the engine's next check without
 * the worker being killed. Progress is forwarded at most every PROGRESS_INTERVAL_MS (and always the final 1).
 */
import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import { TraceAbortedError } from '../engine/errors.js';
import { traceRgbaDetailed } from '../engine/index.js';
import type { AbortFlag } from '../engine/options.js';
import type { RgbaImage } from '../engine/types.js';
import { decodeImage } from '../io/decode.js';
import { serializeError } from './protocol.js';
import type { TraceRequest, WorkerReply } from './protocol.js';

/** Progress goes to the main thread at most every this many milliseconds... */
const PROGRESS_INTERVAL_MS = 50;
/**
 * ...or when it moved on this much since the last one sent, so that a trace quicker than the interval still
 * reports a few steps before its end (its first report, at 0, tells the caller nothing).
 */
const PROGRESS_STEP = 0.25;

// libvips' operation cache keeps recent decodes (up to 50 MB and 100 operations by default) for reuse; a
// worker never decodes the same bytes twice, so the cache only holds memory after each image.
sharp.cache(false);

if (parentPort === null) throw new Error('src/parallel/worker is meant to run in a worker thread (see TracePool)');
const port = parentPort;

function post(message: WorkerReply): void {
  port.postMessage(message);
}

async function handle(request: TraceRequest): Promise<void> {
  const { id } = request;
  const flag = new Int32Array(request.abort);
  const signal: AbortFlag = {
    get aborted() {
      return Atomics.load(flag, 0) !== 0;
    },
  };
  let sent = -1;
  let sentAt = 0;
  const onProgress = request.progress
    ? (fraction: number): void => {
      if (!(fraction > sent)) return;
      const now = Date.now();
      if (fraction >= 1 || now - sentAt >= PROGRESS_INTERVAL_MS || fraction - sent >= PROGRESS_STEP) {
        sent = fraction;
        sentAt = now;
        post({ type: 'progress', id, fraction: Math.min(1, fraction) });
      }
    }
    : undefined;
  try {
    let image: RgbaImage;
    const task = request.task;
    if (task.kind === 'encoded') {
      image = await decodeImage(task.input, {
        limitInputPixels: request.limitInputPixels, page: task.page, name: task.name,
      });
    } else {
      image = task.rgba;
    }
    if (signal.aborted) throw new TraceAbortedError();
    const result = traceRgbaDetailed(image, { ...request.params, onProgress, signal });
    if (request.progress && sent < 1) post({ type: 'progress', id, fraction: 1 });
    post({ type: 'done', id, result: { svg: result.svg, width: result.width, height: result.height, pathCount: result.pathCount, pixelArt: result.pixelArt } });
  } catch (error) {
    post({ type: 'error', id, error: serializeError(error) });
  }
}

port.on('message', (request: TraceRequest) => {
  if (request?.type === 'trace') void handle(request);
});
