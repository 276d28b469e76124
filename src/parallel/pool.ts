/**
 * TracePool: a fixed-size pool of worker threads that decode and trace images off the main thread.
 *
 * Contract (relied on by the CLI batch runner and the HTTP service):
 * - `run(task, options)` queues a task; at most `size` tasks run at once, the rest wait in FIFO order.
 * - `options.onProgress(fraction)` is called on the main thread, non-decreasing, ending at 1 on success.
 * - `options.signal` (an AbortSignal) cancels: a queued task is dropped, a running one stops at the engine's
 *   next check (the worker is kept); the promise rejects with TraceAbortedError at once.
 * - Errors keep their class: OptionError, DecodeError, ImageDataError, TraceAbortedError; a worker that
 *   dies rejects only its own task with WorkerCrashError and is replaced.
 * - Idle workers do not keep the process alive; `close()` rejects what is pending and stops the workers.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ResourceLimits } from 'node:worker_threads';
import { OptionError, TraceAbortedError } from '../engine/errors.js';
import { checkOption, validateOptions } from '../engine/options.js';
import type { TraceOptions, TraceParameters, ValueSpec } from '../engine/options.js';
import type { RgbaImage, TraceResult } from '../engine/types.js';
import { DEFAULT_LIMIT_INPUT_PIXELS } from '../io/decode.js';
import { PoolClosedError, WorkerCrashError, deserializeError } from './protocol.js';
import type { TaskPayload, TraceRequest, WorkerReply } from './protocol.js';

export interface TracePoolOptions {
  /** Number of worker threads (and of tasks running at once). Default: os.availableParallelism(). */
  size?: number;
  /** Pixel limit applied when workers decode encoded inputs (see DecodeOptions). Default 100,000,000. */
  limitInputPixels?: number;
  /**
   * After an abort, how long a running trace may take to notice it before its worker is terminated and
   * replaced (the engine checks often, so this is only a safety net). Default 5000 ms.
   */
  abortGraceMs?: number;
  /** V8 heap limits of each worker, e.g. `{ maxOldGenerationSizeMb: 2048 }`. */
  resourceLimits?: ResourceLimits;
  /** Worker module to run instead of the built-in one (advanced: custom bundling, tests). */
  workerUrl?: URL;
  /**
   * After a trace of more pixels than this, the worker thread is replaced by a fresh one, which gives back
   * what the huge trace left behind (the engine's kept arrays, the thread's heap and allocator arenas).
   * Default 0: never.
   */
  recycleAbovePixels?: number;
}

/** An image to trace: a file path or encoded bytes (decoded in the worker), or already decoded RGBA. */
export type TraceTask =
  | {
    input: string | Uint8Array;
    /** name for error messages */ name?: string;
    /** page/frame */ page?: number;
    /** pixel limit of this task's decoding, instead of the pool's */ limitInputPixels?: number;
  }
  | { rgba: RgbaImage };

/** Trace options for the pool: the engine's, with a real AbortSignal for cancellation. */
export type PoolTraceOptions = Omit<TraceOptions, 'signal'> & {
  signal?: AbortSignal;
  /** Called when a worker picks the task up (it leaves the queue). */
  onStart?: () => void;
};

export interface TracePoolStats {
  size: number;
  /** Worker threads alive now. */
  workers: number;
  /** Tasks running now. */
  running: number;
  /** Tasks waiting for a worker. */
  queued: number;
  /** Workers that died and were replaced (crashes, and traces that ignored an abort). */
  restarts: number;
  /** Workers replaced after a trace above `recycleAbovePixels`. */
  recycled: number;
  completed: number;
  failed: number;
}

interface Job {
  id: number;
  payload: TaskPayload;
  params: TraceParameters;
  flag: Int32Array;
  abortBuffer: SharedArrayBuffer;
  onProgress?: (fraction: number) => void;
  onStart?: () => void;
  signal?: AbortSignal;
  progress: number;
  settled: boolean;
  resolve: (result: TraceResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  /** Set once the worker is being discarded (crash or abort timeout): it takes no more jobs. */
  retired: boolean;
  /** Retired after a huge trace (not a failure). */
  recycle?: boolean;
  lastError?: Error;
  killTimer?: NodeJS.Timeout;
}

function defaultWorkerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);
}

/**
 * What to hand to `new Worker`: the module itself when it is JavaScript; for TypeScript sources (tests, tsx)
 * a small bootstrap that registers tsx's loader in the worker first (`--import tsx` in a worker's execArgv
 * does not apply to the worker's own entry module on Node 20).
 */
function workerEntry(url: URL): { entry: URL | string; eval: boolean } {
  if (!url.pathname.endsWith('.ts')) return { entry: url, eval: false };
  let api = 'tsx/esm/api';
  try {
    api = import.meta.resolve('tsx/esm/api');
  } catch {
    // resolved from the working directory instead
  }
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return { entry: code, eval: true };
}

/**
 * The Node flags for a worker when the process's own would break it, else undefined (the worker inherits
 * them, as by default: Node then leaves out the per-process flags a worker refuses, such as those Node 24's
 * test runner passes). `node --input-type=module -e "await trace(...)"` would crash every worker ("--input-type
 * can only be used with string input"): those flags and their values are dropped.
 */
function workerExecArgv(): string[] | undefined {
  const mainOnly = new Set(['-e', '--eval', '-p', '--print', '--input-type']);
  if (!process.execArgv.some((flag) => mainOnly.has(flag.split('=')[0]!))) return undefined;
  const out: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const flag = process.execArgv[i]!;
    if (mainOnly.has(flag.split('=')[0]!)) {
      if (!flag.includes('=')) i++; // its value is the next argument
      continue;
    }
    out.push(flag);
  }
  return out;
}

/** The pool's numeric options, checked like the trace options (OptionError naming the option and the range). */
const POOL_OPTION_SPECS = {
  size: { name: 'size', kind: 'integer', min: 1, max: Infinity },
  limitInputPixels: { name: 'limitInputPixels', kind: 'integer', min: 0, max: Infinity },
  // A timer longer than 2³¹ − 1 ms fires at once in Node, which would kill every aborted worker straight away.
  abortGraceMs: { name: 'abortGraceMs', kind: 'number', min: 0, max: 2 ** 31 - 1 },
  recycleAbovePixels: { name: 'recycleAbovePixels', kind: 'integer', min: 0, max: Infinity },
} as const satisfies Record<string, ValueSpec>;

/** A pool option's value: the fallback when not given, else checked against its spec. */
function poolOption(name: keyof typeof POOL_OPTION_SPECS, value: unknown, fallback: number): number {
  return value === undefined ? fallback : checkOption(POOL_OPTION_SPECS[name], value) as number;
}

export class TracePool {
  /** Maximum number of tasks running at once (= worker threads). */
  readonly size: number;
  private readonly limitInputPixels: number;
  private readonly abortGraceMs: number;
  private readonly resourceLimits?: ResourceLimits;
  private readonly workerUrl: URL;
  private readonly entry: { entry: URL | string; eval: boolean };
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  /**
   * The unsettled jobs of each caller's signal, behind one listener per signal: a batch passes one signal
   * with hundreds of tasks, and a listener per task would pile up on it (and trip Node's leak warning).
   */
  private readonly signalJobs = new Map<AbortSignal, { jobs: Set<Job>; listener: () => void }>();
  private nextId = 1;
  private closed = false;
  private restarts = 0;
  private recycled = 0;
  private readonly recycleAbovePixels: number;
  private completed = 0;
  private failed = 0;

  constructor(options: TracePoolOptions = {}) {
    this.size = poolOption('size', options.size, availableParallelism());
    this.limitInputPixels = poolOption('limitInputPixels', options.limitInputPixels, DEFAULT_LIMIT_INPUT_PIXELS);
    this.abortGraceMs = poolOption('abortGraceMs', options.abortGraceMs, 5000);
    this.resourceLimits = options.resourceLimits;
    this.recycleAbovePixels = poolOption('recycleAbovePixels', options.recycleAbovePixels, 0);
    this.workerUrl = options.workerUrl ?? defaultWorkerUrl();
    this.entry = workerEntry(this.workerUrl);
  }

  /**
   * Traces one image on a worker. Rejects with OptionError (bad options, before queueing), DecodeError,
   * ImageDataError, TraceAbortedError (signal), WorkerCrashError or PoolClosedError.
   */
  run(task: TraceTask, options: PoolTraceOptions = {}): Promise<TraceResult> {
    return new Promise<TraceResult>((resolve, reject) => {
      if (this.closed) throw new PoolClosedError();
      const { onProgress, onStart, signal, ...rest } = options;
      const params = validateOptions({ ...rest, onProgress });
      if (signal !== undefined && !(signal instanceof AbortSignal)) throw new OptionError('signal', 'an AbortSignal', signal);
      if (signal?.aborted) throw new TraceAbortedError();
      const abortBuffer = new SharedArrayBuffer(4);
      const job: Job = {
        id: this.nextId++,
        payload: toPayload(task),
        params,
        flag: new Int32Array(abortBuffer),
        abortBuffer,
        onProgress,
        onStart,
        signal,
        progress: 0,
        settled: false,
        resolve,
        reject,
      };
      if (signal !== undefined) this.watch(signal, job);
      this.queue.push(job);
      this.pump();
    });
  }

  /** Counters for monitoring (the service's metrics, tests). */
  stats(): TracePoolStats {
    return {
      size: this.size,
      workers: this.slots.length,
      running: this.slots.filter((s) => s.job !== null).length,
      queued: this.queue.length,
      restarts: this.restarts,
      recycled: this.recycled,
      completed: this.completed,
      failed: this.failed,
    };
  }

  /** Rejects every queued and running task with PoolClosedError and terminates the workers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) this.settle(job, new PoolClosedError());
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      slot.retired = true;
      if (slot.killTimer) clearTimeout(slot.killTimer);
      if (slot.job) {
        Atomics.store(slot.job.flag, 0, 1);
        this.settle(slot.job, new PoolClosedError());
        slot.job = null;
      }
    }
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => undefined)));
  }

  private pump(): void {
    while (!this.closed && this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === null && !s.retired);
      if (slot === undefined) {
        if (this.slots.filter((s) => !s.retired).length >= this.size) return;
        slot = this.spawn();
      }
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      const request: TraceRequest = {
        type: 'trace',
        id: job.id,
        task: job.payload,
        params: job.params,
        limitInputPixels: (job.payload.kind === 'encoded' ? job.payload.limitInputPixels : undefined) ?? this.limitInputPixels,
        abort: job.abortBuffer,
        progress: job.onProgress !== undefined,
      };
      slot.worker.postMessage(request);
      if (job.onStart) {
        try {
          job.onStart();
        } catch (error) {
          this.abort(job, error instanceof Error ? error : new Error(String(error)));
        }
      }
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.entry.entry, { eval: this.entry.eval, resourceLimits: this.resourceLimits, execArgv: workerExecArgv() });
    const slot: Slot = { worker, job: null, retired: false };
    worker.on('message', (message: WorkerReply) => this.onMessage(slot, message));
    worker.on('error', (error) => {
      slot.lastError = error;
    });
    worker.on('exit', (code) => this.onExit(slot, code));
    this.slots.push(slot);
    return slot;
  }

  private onMessage(slot: Slot, message: WorkerReply): void {
    const job = slot.job;
    if (job === null || message.id !== job.id) return; // a late message of a task already given up
    if (message.type === 'progress') {
      if (job.settled || job.onProgress === undefined || !(message.fraction > job.progress)) return;
      job.progress = message.fraction;
      try {
        job.onProgress(message.fraction);
      } catch (error) {
        this.abort(job, error instanceof Error ? error : new Error(String(error))); // stop the trace, report the callback's error
      }
      return;
    }
    if (slot.killTimer) {
      clearTimeout(slot.killTimer);
      slot.killTimer = undefined;
    }
    slot.job = null;
    if (!slot.retired) slot.worker.unref();
    if (message.type === 'done' && this.recycleAbovePixels > 0 && message.result.width * message.result.height > this.recycleAbovePixels) {
      slot.retired = true;
      slot.recycle = true;
      void slot.worker.terminate();
    }
    if (message.type === 'done') this.settle(job, null, message.result);
    else this.settle(job, deserializeError(message.error));
    this.pump();
  }

  private onExit(slot: Slot, code: number): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    if (slot.killTimer) clearTimeout(slot.killTimer);
    const job = slot.job;
    slot.job = null;
    if (job !== null && !this.closed) {
      this.restarts++;
      const why = slot.lastError ? `${slot.lastError.message}` : `exit code ${code}`;
      this.settle(job, new WorkerCrashError(`the trace worker crashed (${why})`));
    } else if (slot.recycle && !this.closed) {
      this.recycled++;
    } else if (slot.retired && !this.closed) {
      this.restarts++;
    }
    this.pump();
  }

  private watch(signal: AbortSignal, job: Job): void {
    let entry = this.signalJobs.get(signal);
    if (entry === undefined) {
      const jobs = new Set<Job>();
      const listener = (): void => {
        for (const j of [...jobs]) this.abort(j);
      };
      entry = { jobs, listener };
      this.signalJobs.set(signal, entry);
      signal.addEventListener('abort', listener, { once: true });
    }
    entry.jobs.add(job);
  }

  private unwatch(job: Job): void {
    const signal = job.signal;
    if (signal === undefined) return;
    const entry = this.signalJobs.get(signal);
    if (entry === undefined || !entry.jobs.delete(job) || entry.jobs.size > 0) return;
    signal.removeEventListener('abort', entry.listener);
    this.signalJobs.delete(signal);
  }

  /** Stops a job (caller's signal, or a throwing callback): dropped from the queue, or flagged in its worker. */
  private abort(job: Job, reason: Error = new TraceAbortedError()): void {
    if (job.settled) return;
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    Atomics.store(job.flag, 0, 1);
    this.settle(job, reason);
    const slot = this.slots.find((s) => s.job === job);
    if (slot !== undefined) {
      // The worker stays busy until it reports the abort; if it does not within the grace period, replace it.
      slot.killTimer = setTimeout(() => {
        if (slot.job !== job) return;
        slot.retired = true;
        slot.job = null;
        void slot.worker.terminate();
      }, this.abortGraceMs);
      slot.killTimer.unref();
    }
  }

  private settle(job: Job, error: Error | null, result?: TraceResult): void {
    if (job.settled) return;
    job.settled = true;
    this.unwatch(job);
    if (error === null) {
      this.completed++;
      job.resolve(result!);
    } else {
      this.failed++;
      job.reject(error);
    }
  }
}

function toPayload(task: TraceTask): TaskPayload {
  if (task !== null && typeof task === 'object') {
    if ('rgba' in task && task.rgba !== undefined) return { kind: 'rgba', rgba: task.rgba };
    if ('input' in task && (typeof task.input === 'string' || task.input instanceof Uint8Array)) {
      return { kind: 'encoded', input: task.input, name: task.name, page: task.page, limitInputPixels: task.limitInputPixels };
    }
  }
  throw new OptionError('task', 'an object with `input` (a path or encoded bytes) or `rgba` (an RGBA image)', task);
}
