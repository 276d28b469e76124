/**
 * The real trace worker, which dies (exit code 3, as a native crash or an out-of-memory kill would end it)
 * when the encoded image it is given contains the bytes "CRASH-WORKER" (in a PNG text chunk: decoders and the
 * service's probe ignore it, and the service stores it, as it is part of the image). Used to check that the
 * service fails only that job.
 */
import { parentPort } from 'node:worker_threads';
import '../../src/parallel/worker.js';

const MARKER = Buffer.from('CRASH-WORKER');

parentPort!.on('message', (message: { task?: { kind: string; input?: unknown } }) => {
  const input = message.task?.kind === 'encoded' ? message.task.input : undefined;
  if (input instanceof Uint8Array && Buffer.from(input.buffer, input.byteOffset, input.byteLength).includes(MARKER)) {
    process.exit(3);
  }
});
