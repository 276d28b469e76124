/**
 * The real trace worker, plus a way to make it die on purpose: a task whose input is "CRASH:exit" ends the
 * thread with exit code 3, "CRASH:throw" throws an uncaught exception. Used to check that a dying worker
 * fails only its own task and is replaced.
 */
import { parentPort } from 'node:worker_threads';
import '../../src/parallel/worker.js';

parentPort!.on('message', (message: { task?: { kind: string; input?: unknown } }) => {
  const input = message.task?.kind === 'encoded' ? message.task.input : undefined;
  if (input === 'CRASH:exit') process.exit(3);
  if (input === 'CRASH:throw') throw new Error('boom in the worker');
});
