/**
 * The embedded queue: the queue is the store's `queued` jobs (so it survives restarts), claimed in creation
 * order by this process and traced on a pool of worker threads (the main thread never traces).
 */
import type { FastifyBaseLogger } from 'fastify';
import { TraceAbortedError } from 'vtracer-ts';
import { storageFailure } from '../error-codes.js';
import type { JobObserver } from '../metrics.js';
import type { BlobStore, JobQueue, JobRecord, QueueDepth, Store } from '../store/types.js';
import type { EmbeddedQueueStore, Tracer } from './types.js';
import { drainWithGrace, dropResult, parametersOf, progressWriter, resultAssetId, resultAsset } from './job-output.js';

export interface EmbeddedQueueOptions {
  store: Store & EmbeddedQueueStore;
  blobs: BlobStore;
  tracer: Tracer;
  /** Traces running at once: the tracer's worker count. */
  concurrency: number;
  /**
   * Jobs handed to the tracer beyond `concurrency`, so that a worker finds its next job waiting instead of
   * idling while the main thread stores a result and claims the next one. Default 0.
   * Those jobs already show `in-progress` (progress 0) while they wait for a free worker.
   */
  prefetch?: number;
  /** Starts of a job before an interrupted one fails instead of being requeued. Default 3. */
  maxAttempts?: number;
  /** Minimum time between two progress writes of a job. Default 250 ms. */
  progressIntervalMs?: number;
  logger?: FastifyBaseLogger;
  observer?: JobObserver;
  /** Runs the writes that record a job's outcome with the disk's reserve behind them (disk.ts). Default: as they are. */
  withRoom?: <T>(write: () => Promise<T>) => Promise<T>;
}

interface Running {
  job: JobRecord;
  controller: AbortController;
  /** Set when the stop is a shutdown (requeue), not a cancel. */
  requeue: boolean;
  done: Promise<void>;
}

export class EmbeddedJobQueue implements JobQueue {
  private readonly store: Store & EmbeddedQueueStore;
  private readonly blobs: BlobStore;
  private readonly tracer: Tracer;
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly progressIntervalMs: number;
  log?: FastifyBaseLogger;
  observer?: JobObserver;
  private readonly running = new Map<string, Running>();
  /** Jobs holding a worker slot: claimed and not yet traced. Results are stored after the slot is released. */
  private busySlots = 0;
  private started = false;
  private closing = false;
  private pumping = false;
  private pumpAgain = false;
  private pollTimer?: NodeJS.Timeout;
  private readonly withRoom: <T>(write: () => Promise<T>) => Promise<T>;
  private lastClaimError = 0;

  constructor(options: EmbeddedQueueOptions) {
    this.store = options.store;
    this.blobs = options.blobs;
    this.tracer = options.tracer;
    this.concurrency = Math.max(1, options.concurrency) + Math.max(0, options.prefetch ?? 0);
    this.maxAttempts = options.maxAttempts ?? 3;
    this.progressIntervalMs = options.progressIntervalMs ?? 250;
    this.log = options.logger;
    this.observer = options.observer;
    this.withRoom = options.withRoom ?? ((write) => write());
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const { requeued, failed } = await this.store.requeueInterrupted('custom', this.maxAttempts);
    if (requeued.length || failed.length) {
      this.log?.warn({ requeued, failed }, 'jobs interrupted by the previous stop: requeued or failed');
    }
    // A job that failed here may have been cut after writing its SVG file, before recording it.
    for (const jobId of failed) await this.blobs.delete(`assets/${resultAssetId(jobId)}`).catch(() => {});
    // A safety net: jobs enqueued by another process sharing the store (none in embedded mode) or missed wakeups.
    this.pollTimer = setInterval(() => this.pump(), 2000);
    this.pollTimer.unref();
    this.pump();
  }

  async enqueue(_job: JobRecord): Promise<void> {
    this.pump();
  }

  async abort(jobId: string): Promise<void> {
    this.running.get(jobId)?.controller.abort();
  }

  async depth(): Promise<QueueDepth> {
    return { queued: await this.store.countQueued('custom'), running: this.running.size };
  }

  async close(options: { timeoutMs?: number } = {}): Promise<void> {
    this.closing = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    const all = Promise.all([...this.running.values()].map((r) => r.done));
    await drainWithGrace(all, this.running, options.timeoutMs ?? 30_000, this.log);
  }

  /** Claims and starts jobs while there are free slots. Re-entrant calls are folded into one more round. */
  private pump(): void {
    if (!this.started || this.closing) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    void (async () => {
      try {
        do {
          this.pumpAgain = false;
          while (!this.closing && this.busySlots < this.concurrency) {
            const job = await this.store.claimNextJob('custom');
            if (!job) break;
            this.launch(job);
          }
        } while (this.pumpAgain && !this.closing);
      } catch (err) {
        // A full disk fails every claim until space is back: the jobs stay queued; say so once a minute.
        if (Date.now() - this.lastClaimError > 60_000) {
          this.lastClaimError = Date.now();
          this.log?.error({ err }, 'queue: claiming a job failed (jobs stay queued; retried every 2 s)');
        }
      } finally {
        this.pumping = false;
      }
    })();
  }

  private launch(job: JobRecord): void {
    const entry: Running = { job, controller: new AbortController(), requeue: false, done: Promise.resolve() };
    this.running.set(job.id, entry);
    this.busySlots++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.busySlots--;
      this.pump();
    };
    entry.done = this.execute(entry, release)
      .catch((err) => this.recordLater(job, err))
      .finally(() => {
        this.running.delete(job.id);
        release();
      });
  }

  /** `release` frees the job's worker slot as soon as the trace is over, so the next job starts while this one is stored. */
  private async execute(entry: Running, release: () => void): Promise<void> {
    const { job, controller } = entry;
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const log = this.log?.child({ jobId: job.id });
    log?.info({ attempt: job.attempts }, 'job started');
    try {
      const inputId = String(job.metadata.input.image ?? '');
      const input = await this.store.getAsset(inputId, job.projectId);
      const bytes = input ? await this.blobs.get(input.blobKey) : null;
      if (!input || !bytes) {
        await this.fail(job, `The input image ${inputId} no longer exists (deleted before the job ran)`, seconds());
        return;
      }
      const onProgress = progressWriter(this.store, job.id, this.progressIntervalMs);
      const traceStart = performance.now();
      const result = await this.tracer.run({ input: bytes }, { ...parametersOf(job), onProgress, signal: controller.signal })
        .finally(release);
      const traceSeconds = (performance.now() - traceStart) / 1000;
      const { asset, bytes: output } = await resultAsset(job, input, result);
      await this.blobs.put(asset.blobKey, output);
      const done = await this.withRoom(() => this.store.completeJob(job.id, asset));
      if (!done) {
        // Canceled (or failed by someone else) while tracing: the result is not wanted.
        await dropResult(this.store, this.blobs, job, asset);
        this.observer?.jobFinished('canceled', seconds());
        log?.info('job finished after it was canceled; result dropped');
        return;
      }
      this.observer?.jobFinished('success', seconds());
      log?.info({ seconds: seconds(), traceSeconds, pathCount: result.pathCount, assetId: asset.id }, 'job succeeded');
    } catch (err) {
      if (controller.signal.aborted || err instanceof TraceAbortedError) {
        if (entry.requeue) {
          // Shutdown: not the job's fault, so the attempt does not count.
          await this.store.transitionJob(job.id, ['in-progress'], 'queued', { progress: 0, attemptsDelta: -1 });
          this.observer?.jobFinished('requeued', seconds());
          log?.info('job put back in the queue (shutdown)');
        } else {
          await this.store.transitionJob(job.id, ['in-progress', 'queued'], 'canceled');
          this.observer?.jobFinished('canceled', seconds());
          log?.info('job canceled');
        }
        return;
      }
      const storage = storageFailure(err);
      const message = storage ? `The result could not be stored: ${storage}` : err instanceof Error ? err.message : String(err);
      // The job fails: its result file, if written, is not wanted (and frees space on a full disk).
      if (storage) await this.blobs.delete(`assets/${resultAssetId(job.id)}`).catch(() => {});
      await this.fail(job, message, seconds(), err);
    }
  }

  /**
   * The outcome of a job could not be recorded (the disk is full even without the reserve): retried with
   * backoff until it is, or until the service stops (the job is then requeued at the next start).
   */
  private recordLater(job: JobRecord, err: unknown): void {
    const storage = storageFailure(err);
    this.log?.error({ err, jobId: job.id }, 'queue: recording the job\'s outcome failed; retrying');
    if (!storage) return;
    const reason = `The result could not be stored: ${storage}`;
    let delay = 1000;
    const attempt = () => {
      if (this.closing) return;
      this.store.transitionJob(job.id, ['in-progress'], 'failure', { error: reason }).then(() => {
        this.observer?.jobFinished('failure', 0);
        this.log?.warn({ jobId: job.id, reason }, 'job failed (recorded late)');
      }, () => {
        delay = Math.min(30_000, delay * 2);
        setTimeout(attempt, delay).unref();
      });
    };
    setTimeout(attempt, delay).unref();
  }

  private async fail(job: JobRecord, reason: string, seconds: number, err?: unknown): Promise<void> {
    await this.withRoom(() => this.store.transitionJob(job.id, ['in-progress'], 'failure', { error: reason }));
    this.observer?.jobFinished('failure', seconds);
    this.log?.warn({ jobId: job.id, reason, err: err instanceof Error && !('code' in err) ? err : undefined }, 'job failed');
  }
}
