/**
 * The distributed service: the same app (routes, auth, signed URLs) on PostgreSQL (records and blobs) and
 * BullMQ/Redis (the queue), so that any number of API nodes and worker processes on any machines share one
 * state. `createDistributedService` is an API node (optionally with an in-process worker); `createWorker` is
 * a worker without HTTP.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import type { FastifyBaseLogger, FastifyInstance, FastifyServerOptions } from 'fastify';
import { TracePool } from 'vtracer-ts';
import { buildApp } from './app.js';
import { closeHttpWithin } from './http-limits.js';
import { defaultConfig, type ServerConfig } from './config.js';
import { PostgresBlobStore } from './blobs/postgres.js';
import { BullJobQueue, TraceWorker } from './jobs/bullmq.js';
import { Metrics, metricsObserver } from './metrics.js';
import { RECYCLE_ABOVE_PIXELS, packageRoot, packageVersion } from './service.js';
import { UrlSigner } from './signing.js';
import { PostgresStore } from './store/postgres.js';
import { BackendWatch } from './backend-watch.js';
import { expireUploads, recoverUploads, sweepUploadsPeriodically } from './uploads.js';
import type { Tracer } from './jobs/types.js';

export interface DistributedUrls {
  databaseUrl: string;
  redisUrl: string;
}

/**
 * The URLs from flags or `DATABASE_URL` / `REDIS_URL`: null when neither is set (embedded mode); an error
 * message when only one is.
 */
export function distributedUrls(flags: { db?: string; redis?: string }, env: NodeJS.ProcessEnv = process.env): DistributedUrls | null | string {
  const databaseUrl = flags.db ?? env.DATABASE_URL ?? '';
  const redisUrl = flags.redis ?? env.REDIS_URL ?? '';
  if (!databaseUrl && !redisUrl) return null;
  if (!databaseUrl) return 'the distributed mode needs a PostgreSQL URL too: --db postgres://… (or DATABASE_URL)';
  if (!redisUrl) return 'the distributed mode needs a Redis URL too: --redis redis://… (or REDIS_URL)';
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) return `--db: expected a postgres:// URL, got "${databaseUrl}"`;
  if (!/^rediss?:\/\//.test(redisUrl)) return `--redis: expected a redis:// URL, got "${redisUrl}"`;
  return { databaseUrl, redisUrl };
}

/** The deployment's id (see queueNames in jobs/bullmq.ts): created by the first node that starts. */
export async function deploymentId(store: PostgresStore): Promise<string> {
  return store.sharedSetting('deployment_id', randomBytes(6).toString('hex'));
}

/** Opens the shared store and brings its schema up to date (concurrent starts are safe). */
export async function openPostgresStore(databaseUrl: string, poolSize?: number): Promise<PostgresStore> {
  const store = new PostgresStore(databaseUrl, { poolSize });
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

/**
 * The URL signing secret shared by every API node: VTRACER_URL_SECRET when set, else the one stored in the
 * database (created by the first node that starts).
 */
export async function sharedUrlSecret(store: PostgresStore, env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  const fromEnv = env.VTRACER_URL_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 16) throw new Error('VTRACER_URL_SECRET must be at least 16 characters');
    return Buffer.from(fromEnv, 'utf8');
  }
  return Buffer.from(await store.sharedSetting('url_secret', randomBytes(32).toString('base64url')), 'utf8');
}

export interface DistributedServiceOptions extends DistributedUrls {
  /** Trace worker threads in this process; 0: API only (`--no-workers`). */
  workers: number;
  config?: Partial<ServerConfig>;
  maxAttempts?: number;
  shutdownGraceMs?: number;
  /** See TracePool's recycleAbovePixels; default RECYCLE_ABOVE_PIXELS. */
  recycleAbovePixels?: number;
  logger?: FastifyServerOptions['logger'];
  tracer?: Tracer;
}

export interface DistributedService {
  app: FastifyInstance;
  store: PostgresStore;
  queue: BullJobQueue;
  worker: TraceWorker | null;
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

export async function createDistributedService(options: DistributedServiceOptions): Promise<DistributedService> {
  const config = defaultConfig({ webRoot: join(packageRoot(), 'web', 'dist'), ...options.config });
  const store = await openPostgresStore(options.databaseUrl, 10 + options.workers);
  const blobs = new PostgresBlobStore(store.pool);
  const signer = new UrlSigner(await sharedUrlSecret(store));
  const maxAttempts = options.maxAttempts ?? 3;
  const deployment = await deploymentId(store);
  const queue = new BullJobQueue({ store, redisUrl: options.redisUrl, deploymentId: deployment, maxAttempts });
  const metrics = new Metrics({ store, queue });
  const app = await buildApp({ store, blobs, queue, signer, config, metrics, logger: options.logger, version: packageVersion() });
  queue.log = app.log.child({ component: 'queue' });
  let tracer: Tracer | null = null;
  let worker: TraceWorker | null = null;
  if (options.workers > 0) {
    tracer = options.tracer ?? new TracePool({ size: options.workers, limitInputPixels: config.maxImagePixels, recycleAbovePixels: options.recycleAbovePixels ?? RECYCLE_ABOVE_PIXELS });
    worker = new TraceWorker({
      store, blobs, tracer, redisUrl: options.redisUrl, deploymentId: deployment, concurrency: options.workers, maxAttempts,
      logger: app.log.child({ component: 'worker' }), observer: metricsObserver(metrics),
    });
  }
  let closing: Promise<void> | null = null;
  let stopSweeping: (() => void) | null = null;
  return {
    app, store, queue, worker,
    async listen(port, host) {
      await app.ready();
      await recoverUploads({ store, blobs, config, log: app.log });
      await expireUploads({ store, blobs, log: app.log }, config.uploadTtlMs);
      stopSweeping = sweepUploadsPeriodically({ store, blobs, log: app.log }, config.uploadTtlMs);
      const address = await app.listen({ port, host });
      await queue.start();
      await worker?.start();
      app.log.info({ url: address, mode: 'distributed', workers: options.workers }, 'vtracer service ready');
      return address;
    },
    close() {
      closing ??= (async () => {
        app.log.info('shutting down: no new requests; running jobs may finish');
        stopSweeping?.();
        const graceMs = options.shutdownGraceMs ?? 20_000;
        await Promise.all([closeHttpWithin(app, graceMs), worker?.close({ timeoutMs: graceMs })]);
        await tracer?.close();
        await queue.close();
        await store.close();
        app.log.info('stopped');
      })();
      return closing;
    },
  };
}

export interface WorkerProcessOptions extends DistributedUrls {
  concurrency: number;
  maxAttempts?: number;
  shutdownGraceMs?: number;
  maxImagePixels?: number;
  logger?: FastifyBaseLogger;
  tracer?: Tracer;
  /** Redis or PostgreSQL unreachable this long: `onBackendsLost` is called (the command exits 1). 0: never. */
  backendTimeoutMs?: number;
  onBackendsLost?: (names: string[], seconds: number) => void;
}

export interface WorkerProcess {
  worker: TraceWorker;
  store: PostgresStore;
  log: FastifyBaseLogger;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** A worker without HTTP: takes trace jobs from Redis, traces them on a TracePool, writes to PostgreSQL. */
export async function createWorker(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const log: FastifyBaseLogger = options.logger ?? pino({ level: process.env.VTRACER_LOG_LEVEL ?? 'info' });
  const store = await openPostgresStore(options.databaseUrl, 4 + options.concurrency);
  const blobs = new PostgresBlobStore(store.pool);
  const tracer = options.tracer ?? new TracePool({ size: options.concurrency, limitInputPixels: options.maxImagePixels ?? 100_000_000, recycleAbovePixels: RECYCLE_ABOVE_PIXELS });
  const worker = new TraceWorker({
    store, blobs, tracer, redisUrl: options.redisUrl, deploymentId: await deploymentId(store), concurrency: options.concurrency,
    maxAttempts: options.maxAttempts, logger: log,
  });
  const timeoutMs = options.backendTimeoutMs ?? 0;
  const watch = timeoutMs > 0 ? new BackendWatch({
    timeoutMs, log,
    checks: [
      { name: 'redis', probe: async () => { if (worker.redis.status !== 'ready') throw new Error(worker.redis.status); await worker.redis.ping(); } },
      { name: 'postgresql', probe: () => store.pool.query('SELECT 1') },
    ],
    onLost: (names, seconds) => options.onBackendsLost?.(names, seconds),
  }) : null;
  let closing: Promise<void> | null = null;
  return {
    worker, store, log,
    async start() {
      await worker.start();
      watch?.start();
      log.info({ concurrency: options.concurrency, pid: process.pid }, 'vtracer worker ready');
    },
    close() {
      closing ??= (async () => {
        log.info('worker shutting down: no new jobs; running jobs may finish');
        watch?.stop();
        await worker.close({ timeoutMs: options.shutdownGraceMs ?? 20_000 });
        await tracer.close();
        // Ending the pool waits for its connections; PostgreSQL being away must not hold the exit.
        await Promise.race([store.close(), new Promise((r) => setTimeout(r, 3000).unref())]);
        log.info('worker stopped');
      })();
      return closing;
    },
  };
}
