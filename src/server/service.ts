/**
 * The embedded service: SQLite store, files for blobs, a TracePool of worker threads, the embedded queue and
 * the app, in one process; with graceful shutdown (stop accepting, let running jobs finish, requeue the rest).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { TracePool } from 'vtracer-ts';
import { buildApp } from './app.js';
import { closeHttpWithin } from './http-limits.js';
import { MiB, defaultConfig, defaultWorkers, type ServerConfig } from './config.js';
import { DiskGuard } from './disk.js';
import { FsBlobStore } from './blobs/fs.js';
import { EmbeddedJobQueue } from './jobs/embedded.js';
import { Metrics, metricsObserver } from './metrics.js';
import { UrlSigner, loadUrlSecret } from './signing.js';
import { SqliteStore } from './store/sqlite.js';
import { expireUploads, recoverUploads, sweepUploadsPeriodically } from './uploads.js';
import { DataDirError, checkDataDir, lockDataDir } from './data-dir.js';
import type { Tracer } from './jobs/types.js';

export const DB_FILE = 'vtracer.db';

/**
 * A worker thread that traced more pixels than this is replaced by a fresh one, so that the memory of a huge
 * trace (the engine's kept arrays, the thread's heap and allocator arenas) goes back when it ends.
 */
export const RECYCLE_ABOVE_PIXELS = 16_000_000;

/** The package's root folder (where package.json is), from this module's location in src/ or dist/src/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export function packageVersion(): string {
  try {
    return JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export function openStore(dataDir: string): SqliteStore {
  const file = join(resolve(dataDir), DB_FILE);
  try {
    return new SqliteStore(file);
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new DataDirError(`cannot open the database ${JSON.stringify(file)}: ${message}`);
  }
}

export interface EmbeddedServiceOptions {
  dataDir: string;
  workers?: number;
  config?: Partial<ServerConfig>;
  maxAttempts?: number;
  shutdownGraceMs?: number;
  logger?: FastifyServerOptions['logger'];
  /** Replaces the TracePool (tests). */
  tracer?: Tracer;
  /** Trace worker threads are replaced after a trace of more pixels (0: never). Default RECYCLE_ABOVE_PIXELS. */
  recycleAbovePixels?: number;
  /** Bytes kept in reserve on the data folder's disk to record job outcomes and deletes when it is full (disk.ts). Default 16 MiB. */
  diskReserveBytes?: number;
}

export interface EmbeddedService {
  app: FastifyInstance;
  store: SqliteStore;
  queue: EmbeddedJobQueue;
  /** Listens and starts the queue (which first requeues jobs a crash interrupted). Returns the URL. */
  listen(port: number, host: string): Promise<string>;
  /** Graceful stop: no new requests, running jobs finish (bounded) or go back to the queue, then close. */
  close(): Promise<void>;
}

export async function createEmbeddedService(options: EmbeddedServiceOptions): Promise<EmbeddedService> {
  const dataDir = resolve(options.dataDir);
  // A folder we cannot write to (or a file in its place, or a full disk) stops the start with one line.
  checkDataDir(dataDir, ['blobs']);
  const config = defaultConfig({ webRoot: join(packageRoot(), 'web', 'dist'), ...options.config });
  const workers = options.workers ?? defaultWorkers();
  const store = openStore(dataDir);

  const signer = new UrlSigner(loadUrlSecret(dataDir));
  const tracer: Tracer = options.tracer ?? new TracePool({ size: workers, limitInputPixels: config.maxImagePixels, recycleAbovePixels: options.recycleAbovePixels ?? RECYCLE_ABOVE_PIXELS });
  // One job waiting per worker: a worker starts its next trace at once instead of idling while the main
  // thread stores a result, claims the next job and reads its input.
  const disk = new DiskGuard(dataDir, options.diskReserveBytes ?? 16 * MiB);
  const blobs = new FsBlobStore(join(dataDir, 'blobs'), () => disk.checkRoom());
  const queue = new EmbeddedJobQueue({
    store, blobs, tracer, concurrency: workers, prefetch: workers, maxAttempts: options.maxAttempts ?? 3,
    withRoom: (write) => disk.withRoom(write),
  });
  const metrics = new Metrics({ store, queue });
  queue.observer = metricsObserver(metrics);
  metrics.gauge('vtracer_disk_free_bytes', 'Free bytes on the data folder\'s disk', async () => (await disk.status()).freeBytes);
  metrics.gauge('vtracer_disk_pressure', '1 when the data folder\'s disk is (nearly) full: free space under the reserve, or the reserve given up', async () => ((await disk.status()).pressure ? 1 : 0));
  const app = await buildApp({ store, blobs, queue, signer, config, metrics, disk, logger: options.logger, version: packageVersion() });
  queue.log = app.log.child({ component: 'queue' });
  disk.log = app.log.child({ component: 'disk' });

  let closing: Promise<void> | null = null;
  let unlock: (() => void) | null = null;
  let stopSweeping: (() => void) | null = null;
  return {
    app, store, queue,
    async listen(port, host) {
      await app.ready();
      // One service per data folder: the lock makes the start-up requeue and sweep safe (nothing else writes).
      unlock = lockDataDir(dataDir);
      const swept = await blobs.sweepTemporaryFiles(0);
      if (swept) app.log.warn({ files: swept }, 'removed temporary files of writes interrupted by the previous stop');
      await disk.prepare();
      await recoverUploads({ store, blobs, config, log: app.log });
      await expireUploads({ store, blobs, log: app.log }, config.uploadTtlMs);
      stopSweeping = sweepUploadsPeriodically({ store, blobs, log: app.log }, config.uploadTtlMs);
      const address = await app.listen({ port, host });
      await queue.start();
      app.log.info({ url: address, dataDir, workers }, 'vtracer service ready');
      return address;
    },
    close() {
      closing ??= (async () => {
        app.log.info('shutting down: no new requests; running jobs may finish');
        stopSweeping?.();
        // Requests and jobs get the same grace period, side by side: a client trickling a body must not delay
        // the jobs' drain, and its connection is closed when the grace period ends.
        const graceMs = options.shutdownGraceMs ?? 20_000;
        await Promise.all([closeHttpWithin(app, graceMs), queue.close({ timeoutMs: graceMs })]);
        await tracer.close();
        await store.close();
        unlock?.();
        app.log.info('stopped');
      })();
      return closing;
    },
  };
}
