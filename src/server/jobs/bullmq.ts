/**
 * The distributed queue: BullMQ on Redis carries "trace job X" messages; the job records stay in PostgreSQL,
 * the source of truth for status, progress, attempts and outputs.
 *
 * - `BullJobQueue` (API nodes) adds a BullMQ job per trace job (BullMQ job id = our job id, so adding twice is a
 *   no-op), publishes cancels, reports depth, and reconciles: a job the database says is unfinished but that
 *   Redis no longer knows (an API node died between the insert and the add, Redis lost data) is added again.
 * - `TraceWorker` (worker processes, or `serve` without `--no-workers`) takes BullMQ jobs and traces them on a
 *   TracePool. BullMQ's lock renewal and stalled-job check put the job of a worker that died (kill -9, lost
 *   machine) back in the wait list, where another worker takes it; the worker then sees the record still
 *   `in-progress` from the dead attempt, marks it `queued` then `in-progress` again (attempts + 1), or fails it
 *   once the attempts reach the bound. Completion is one transaction that inserts the single output asset of
 *   the job and moves it to `success` only if it is still `in-progress`, so a job run twice (a worker thought
 *   dead that was only slow) never gets two assets. Cancel reaches the worker through Redis pub/sub and a
 *   status poll of the record, and stops the trace through the pool's AbortSignal.
 */
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import { TraceAbortedError } from 'vtracer-ts';
import { isPermanentJobError } from '../error-codes.js';
import type { JobObserver } from '../metrics.js';
import type { PostgresStore } from '../store/postgres.js';
import { TERMINAL_STATUSES, type BlobStore, type JobQueue, type JobRecord, type QueueDepth } from '../store/types.js';
import { drainWithGrace, dropResult, parametersOf, progressWriter, resultAsset } from './job-output.js';
import type { Tracer } from './types.js';

/**
 * Names in Redis, per deployment: the id is stored in the database at first start, so that API nodes and
 * workers sharing a database share a queue, and deployments sharing one Redis never take each other's jobs.
 */
export function queueNames(deploymentId: string): { queue: string; cancelChannel: string } {
  return { queue: `vtracer-trace-${deploymentId}`, cancelChannel: `vtracer-cancel-${deploymentId}` };
}

interface TraceMessage {
  jobId: string;
}

/** An ioredis connection as BullMQ wants it (no per-request retry limit: blocking commands wait). */
export function redisConnection(url: string, name?: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, connectionName: name, lazyConnect: false });
  redis.on('error', () => {}); // reconnects by itself; errors surface on the commands
  return redis;
}

/** Closes a connection: politely when Redis answers; at once when it is away (QUIT would wait for it). */
async function quit(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  try {
    await Promise.race([redis.quit(), new Promise((_, reject) => setTimeout(() => reject(new Error('QUIT timed out')), 2000).unref())]);
  } catch {
    redis.disconnect();
  }
}

export interface BullJobQueueOptions {
  store: PostgresStore;
  redisUrl: string;
  /** See queueNames. */
  deploymentId: string;
  /** Starts of a job before it fails (crashes of workers, transient errors). Default 3. */
  maxAttempts?: number;
  /** How often to reconcile the database with Redis. Default 15 s; 0: only at start. */
  reconcileIntervalMs?: number;
  /** Unfinished jobs unchanged for this long are checked against Redis. Default 30 s. */
  staleAfterMs?: number;
  logger?: FastifyBaseLogger;
}

export class BullJobQueue implements JobQueue {
  readonly queue: Queue<TraceMessage>;
  private readonly connection: Redis;
  private readonly store: PostgresStore;
  private readonly maxAttempts: number;
  private readonly reconcileIntervalMs: number;
  private readonly staleAfterMs: number;
  private readonly cancelChannel: string;
  private timer?: NodeJS.Timeout;
  private reconciling = false;
  /** Where the next reconciliation round goes on (rounds walk the unfinished jobs page by page, then wrap). */
  private reconcileCursor = 0;
  log?: FastifyBaseLogger;

  constructor(options: BullJobQueueOptions) {
    this.store = options.store;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.reconcileIntervalMs = options.reconcileIntervalMs ?? 15_000;
    this.staleAfterMs = options.staleAfterMs ?? 30_000;
    this.log = options.logger;
    this.connection = redisConnection(options.redisUrl, 'vtracer-api');
    const names = queueNames(options.deploymentId);
    this.cancelChannel = names.cancelChannel;
    this.queue = new Queue<TraceMessage>(names.queue, { connection: this.connection });
    this.queue.on('error', (err) => this.log?.error({ err }, 'queue: redis error'));
  }

  async start(): Promise<void> {
    await this.queue.waitUntilReady();
    await this.reconcile();
    if (this.reconcileIntervalMs > 0) {
      this.timer = setInterval(() => void this.reconcile(), this.reconcileIntervalMs);
      this.timer.unref();
    }
  }

  async enqueue(job: JobRecord): Promise<void> {
    await this.queue.add('trace', { jobId: job.id }, {
      jobId: job.id,
      attempts: this.maxAttempts,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: true,
      removeOnFail: { age: 24 * 3600 },
    });
  }

  async abort(jobId: string): Promise<void> {
    // Running somewhere: every worker hears this and the one running it stops. Waiting: drop the message
    // (the worker would skip it anyway, as the record says canceled).
    await this.connection.publish(this.cancelChannel, jobId);
    await this.queue.remove(jobId).catch(() => 0);
  }

  async depth(): Promise<QueueDepth> {
    const c = await this.queue.getJobCounts('waiting', 'delayed', 'prioritized', 'active');
    return { queued: (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0), running: c.active ?? 0 };
  }

  /**
   * Unfinished jobs of the database that Redis does not hold (or holds as failed) are added again (or failed).
   * Returns what it did.
   */
  async reconcile(): Promise<{ readded: string[]; failed: string[] }> {
    const result = { readded: [] as string[], failed: [] as string[] };
    if (this.reconciling) return result;
    this.reconciling = true;
    try {
      const stale = await this.store.listStaleUnfinishedJobs('custom', new Date(Date.now() - this.staleAfterMs), this.reconcileCursor);
      this.reconcileCursor = stale.length ? stale[stale.length - 1]!.seq : 0;
      for (const { job } of stale) {
        const state = await this.queue.getJobState(job.id);
        if (state === 'unknown' || state === 'completed') {
          if (state === 'completed') await this.queue.remove(job.id).catch(() => 0);
          await this.enqueue(job);
          result.readded.push(job.id);
        } else if (state === 'failed') {
          const bull = await this.queue.getJob(job.id);
          const reason = `The job failed on a worker: ${bull?.failedReason ?? 'unknown reason'}`;
          if (await this.store.transitionJob(job.id, ['queued', 'in-progress'], 'failure', { error: reason })) result.failed.push(job.id);
        }
      }
      if (result.readded.length || result.failed.length) this.log?.warn(result, 'queue: reconciled unfinished jobs with redis');
    } catch (err) {
      this.log?.error({ err }, 'queue: reconciliation failed');
    } finally {
      this.reconciling = false;
    }
    return result;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.queue.close().catch(() => {});
    await quit(this.connection);
  }
}

export interface TraceWorkerOptions {
  store: PostgresStore;
  blobs: BlobStore;
  tracer: Tracer;
  redisUrl: string;
  /** See queueNames. */
  deploymentId: string;
  /** Jobs traced at once (the tracer's worker count). */
  concurrency: number;
  /** Starts of a job interrupted by crashes before it fails. Default 3. */
  maxAttempts?: number;
  /** A job's lock in Redis; a worker silent for this long is presumed dead. Default 10 s. */
  lockDurationMs?: number;
  /** How often each worker looks for jobs whose lock expired. Default 5 s. */
  stalledIntervalMs?: number;
  /** Minimum time between two progress writes of a job. Default 250 ms. */
  progressIntervalMs?: number;
  /** How often a running job's record is read to notice a cancel whose message was missed. Default 1 s. */
  statusPollMs?: number;
  logger?: FastifyBaseLogger;
  observer?: JobObserver;
}

interface Running {
  controller: AbortController;
  requeue: boolean;
}

/**
 * How one delivery of a BullMQ message ended (the value the BullMQ job completes with): `success` (asset
 * stored), `failed` (the record is now `failure`), `canceled`, `dropped` (traced, but the job had ended
 * elsewhere meanwhile: result discarded), `skipped` (nothing to do: no record, already finished, or not ours).
 * Retries and requeues do not complete: they throw (the error, or BullMQ's DelayedError).
 */
export type TraceOutcome = 'success' | 'failed' | 'canceled' | 'dropped' | 'skipped';

export class TraceWorker {
  private worker?: Worker<TraceMessage, TraceOutcome>;
  private readonly connection: Redis;
  private readonly subscriber: Redis;
  private readonly running = new Map<string, Running>();
  private readonly maxAttempts: number;
  private readonly progressIntervalMs: number;
  private readonly statusPollMs: number;
  log?: FastifyBaseLogger;
  observer?: JobObserver;

  constructor(private readonly options: TraceWorkerOptions) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.progressIntervalMs = options.progressIntervalMs ?? 250;
    this.statusPollMs = options.statusPollMs ?? 1000;
    this.log = options.logger;
    this.observer = options.observer;
    this.connection = redisConnection(options.redisUrl, 'vtracer-worker');
    this.subscriber = redisConnection(options.redisUrl, 'vtracer-worker-cancel');
  }

  /** The queue's Redis connection, for health checks. */
  get redis(): Redis {
    return this.connection;
  }

  get runningCount(): number {
    return this.running.size;
  }

  async start(): Promise<void> {
    const names = queueNames(this.options.deploymentId);
    this.subscriber.on('message', (channel: string, jobId: string) => {
      if (channel !== names.cancelChannel) return;
      const r = this.running.get(jobId);
      if (r) {
        this.log?.info({ jobId }, 'cancel received: stopping the trace');
        r.controller.abort();
      }
    });
    await this.subscriber.subscribe(names.cancelChannel);
    const lockDuration = this.options.lockDurationMs ?? 10_000;
    this.worker = new Worker<TraceMessage, TraceOutcome>(names.queue, (job, token) => this.process(job, token), {
      connection: this.connection,
      concurrency: Math.max(1, this.options.concurrency),
      lockDuration,
      stalledInterval: this.options.stalledIntervalMs ?? 5_000,
      // Our own bound (attempts in the record) decides when a job that keeps killing workers fails.
      maxStalledCount: this.maxAttempts + 1,
      autorun: false,
    });
    this.worker.on('error', (err) => this.log?.error({ err }, 'worker: redis error'));
    this.worker.on('failed', (job, err) => {
      if (job && !(err instanceof DelayedError)) this.log?.warn({ jobId: job.id, reason: err.message }, 'worker: attempt failed');
    });
    void this.worker.run().catch((err) => this.log?.error({ err }, 'worker: stopped on an error'));
    await this.worker.waitUntilReady();
  }

  /**
   * Stops taking jobs; running ones get `timeoutMs` to finish, then are stopped and put back in the queue
   * (without counting the attempt) for another worker.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<void> {
    const worker = this.worker;
    if (worker) {
      const graceMs = options.timeoutMs ?? 30_000;
      // BullMQ's close waits for Redis; with Redis away it would wait for ever: bounded by the grace and a
      // few seconds to requeue, then forced (the jobs' locks expire and another worker takes them).
      const closed = drainWithGrace(worker.close(), this.running, graceMs, this.log);
      const bounded = await Promise.race([closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), graceMs + 5000).unref())]);
      if (!bounded) {
        this.log?.warn('worker: Redis or PostgreSQL do not answer; closing without waiting for them');
        for (const r of this.running.values()) r.controller.abort();
        void worker.close(true).catch(() => {});
      }
    }
    await this.subscriber.unsubscribe().catch(() => {});
    await quit(this.subscriber);
    await quit(this.connection);
  }

  private async process(bull: Job<TraceMessage>, token?: string): Promise<TraceOutcome> {
    const { store } = this.options;
    const jobId = bull.data.jobId;
    const log = this.log?.child({ jobId });
    let job = await store.getJob(jobId);
    if (!job) {
      log?.warn('a queued job has no record in the database (deleted?): dropped');
      return 'skipped';
    }
    if (job.jobType !== 'custom' || TERMINAL_STATUSES.includes(job.status)) return 'skipped';
    if (job.status === 'in-progress') {
      // The attempt that set this died (or lost its lock): this is a restart.
      if (job.attempts >= this.maxAttempts) {
        await store.transitionJob(jobId, ['in-progress'], 'failure', {
          error: `A worker stopped while tracing this job ${job.attempts} time(s); giving up after ${this.maxAttempts} attempts`,
        });
        this.observer?.jobFinished('failure', 0);
        log?.warn({ attempts: job.attempts }, 'job failed: too many interrupted attempts');
        return 'failed';
      }
      if (!(await store.transitionJob(jobId, ['in-progress'], 'queued', { progress: 0 }))) return 'skipped';
      log?.warn({ attempts: job.attempts }, 'job interrupted on another worker: starting it again');
    }
    job = await store.transitionJob(jobId, ['queued'], 'in-progress', { attemptsDelta: 1, progress: 0 });
    if (!job) return 'skipped'; // canceled meanwhile
    const entry: Running = { controller: new AbortController(), requeue: false };
    this.running.set(jobId, entry);
    const poll = setInterval(() => {
      store.getJob(jobId).then((j) => {
        if (j && j.status !== 'in-progress') entry.controller.abort();
      }, () => {});
    }, this.statusPollMs);
    try {
      return await this.execute(job, entry, bull, token, log);
    } finally {
      clearInterval(poll);
      this.running.delete(jobId);
    }
  }

  private async execute(job: JobRecord, entry: Running, bull: Job<TraceMessage>, token: string | undefined,
    log?: FastifyBaseLogger): Promise<TraceOutcome> {
    const { store, blobs, tracer } = this.options;
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    log?.info({ attempt: job.attempts }, 'job started');
    try {
      const inputId = String(job.metadata.input.image ?? '');
      const input = await store.getAsset(inputId, job.projectId);
      const bytes = input ? await blobs.get(input.blobKey) : null;
      if (!input || !bytes) {
        await this.fail(job, `The input image ${inputId} no longer exists (deleted before the job ran)`, seconds());
        return 'failed';
      }
      if (entry.controller.signal.aborted) throw new TraceAbortedError();
      const onProgress = progressWriter(store, job.id, this.progressIntervalMs);
      const result = await tracer.run({ input: bytes }, { ...parametersOf(job), onProgress, signal: entry.controller.signal });
      if (entry.controller.signal.aborted) throw new TraceAbortedError();
      const { asset, bytes: output } = await resultAsset(job, input, result);
      await blobs.put(asset.blobKey, output);
      const done = await store.completeJob(job.id, asset);
      if (!done) {
        // Canceled meanwhile, or completed by another run of the same job: this result is not wanted.
        await dropResult(store, blobs, job, asset);
        this.observer?.jobFinished('canceled', seconds());
        log?.info('job ended elsewhere (canceled or completed by another attempt); result dropped');
        return 'dropped';
      }
      this.observer?.jobFinished('success', seconds());
      log?.info({ seconds: seconds(), pathCount: result.pathCount, assetId: asset.id }, 'job succeeded');
      return 'success';
    } catch (err) {
      if (entry.controller.signal.aborted || err instanceof TraceAbortedError) {
        if (entry.requeue) {
          // Shutdown of this worker: not the job's fault, so the attempt does not count; another worker takes it.
          await store.transitionJob(job.id, ['in-progress'], 'queued', { progress: 0, attemptsDelta: -1 });
          this.observer?.jobFinished('requeued', seconds());
          log?.info('job put back in the queue (worker shutdown)');
          await bull.moveToDelayed(Date.now(), token);
          throw new DelayedError();
        }
        await store.transitionJob(job.id, ['in-progress', 'queued'], 'canceled');
        this.observer?.jobFinished('canceled', seconds());
        log?.info('job canceled');
        return 'canceled';
      }
      const message = err instanceof Error ? err.message : String(err);
      if (isPermanentJobError(err)) {
        await this.fail(job, message, seconds(), err);
        return 'failed';
      }
      // Transient (a trace worker crashed, the database blinked): BullMQ retries with backoff, up to its attempts.
      const lastTry = bull.attemptsMade + 1 >= (bull.opts.attempts ?? 1) || job.attempts >= this.maxAttempts;
      if (lastTry) {
        await this.fail(job, `${message} (after ${job.attempts} attempts)`, seconds(), err);
        return 'failed';
      }
      await store.transitionJob(job.id, ['in-progress'], 'queued', { progress: 0 });
      log?.warn({ err: message }, 'job attempt failed; retrying');
      throw err;
    }
  }

  private async fail(job: JobRecord, reason: string, seconds: number, err?: unknown): Promise<void> {
    await this.options.store.transitionJob(job.id, ['in-progress'], 'failure', { error: reason });
    this.observer?.jobFinished('failure', seconds);
    this.log?.warn({ jobId: job.id, reason, err: err instanceof Error && !('code' in err) ? err : undefined }, 'job failed');
  }
}
