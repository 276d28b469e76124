/**
 * The service's subcommands of `vtracer`, registered by the CLI when this package is installed (see
 * src/cli/server-commands.ts). One module per command family under cli/, as src/cli/ has for the trace
 * command: serve.ts, keys.ts, worker.ts (worker, migrate); flags and their environment variables in args.ts;
 * opening a store in open-store.ts. Heavy modules (fastify, SQLite, pg, bullmq) load only when a command runs.
 */
import type { Command } from 'commander';
import { registerKeys } from './cli/keys.js';
import { registerServe } from './cli/serve.js';
import { registerWorker } from './cli/worker.js';

export function registerServerCommands(program: Command): void {
  registerServe(program);
  registerKeys(program);
  registerWorker(program);
}
