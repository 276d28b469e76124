/**
 * The real trace worker, which dies (exit code 3, as a native crash or an out-of-memory kill would end it)
 * when the encoded image it is given ends with the bytes "CRASH-WORKER" (trailing data after a PNG's IEND is
 * ignored by decoders and by the service's header probe). Used to check that the service fails only that job.
 */
import { parentPort } from 'node:worker_threads';
import '../../src/parallel/worker.js';

const MARKER = Buffer.from('CRASH-WORKER');

parentPort!.on('message', (message: { task?: { kind: string; input?: unknown } }) => {
  const input = message.task?.kind === 'encoded' ? message.task.input : undefined;
  if (input instanceof Uint8Array && input.length >= MARKER.length
    && Buffer.from(input.buffer, input.byteOffset + input.length - MARKER.length, MARKER.length).equals(MARKER)) {
    process.exit(3);
  }
});
