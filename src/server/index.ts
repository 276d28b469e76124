/**
 * Entry of the `vtracer-ts-server` package: the embedded service (one process, SQLite, files), the
 * distributed one (PostgreSQL + Redis/BullMQ) and its worker, and the `vtracer` subcommands that run them.
 */
export { createEmbeddedService } from './service.js';
export type { EmbeddedService, EmbeddedServiceOptions } from './service.js';
export { createDistributedService, createWorker } from './distributed.js';
export type { DistributedService, DistributedServiceOptions, WorkerProcess, WorkerProcessOptions } from './distributed.js';
export { defaultConfig } from './config.js';
export type { ServerConfig } from './config.js';
export { registerServerCommands } from './commands.js';
