/**
 * Main-thread side of the tracing worker. `start()` always wins: a run still in flight is cancelled, through a
 * shared flag when the page is cross-origin isolated (the worker then stops at its next check), otherwise by
 * terminating the worker and starting a fresh one (the engine runs synchronously inside the worker, so a
 * message could not reach it before it finishes).
 */
import type { TraceRequest, WorkerReply } from './protocol.js';

export interface TraceImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export interface TraceOutcome {
  svg: string;
  width: number;
  height: number;
  pathCount: number;
  /** Drawn pixel for pixel as pixel art (the pixelArt option). */
  pixelArt: boolean;
  /** Time spent in the engine, measured inside the worker. */
  traceMs: number;
  /** From start() to the result, including the copy to the worker and the worker's start-up. */
  wallMs: number;
}

export interface TraceHandlers {
  onProgress(fraction: number): void;
  /** The next paths of the run in flight, before its result. */
  onPaths(paths: { d: string; fill: string }[]): void;
  onResult(outcome: TraceOutcome): void;
  onError(message: string): void;
}

/** When a shared-flag cancel has not been honoured after this long, the worker is terminated anyway. */
const SOFT_CANCEL_GRACE_MS = 500;

export class TraceClient {
  private worker: Worker | undefined;
  private runId = 0;
  /** Id of the run the worker is busy with (undefined when idle). */
  private busyWith: number | undefined;
  private cancelFlag: Int32Array | undefined;
  private startedAt = 0;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;
  /** Workers started so far (1 + restarts), and runs cancelled: for the page's figures and the tests. */
  workersStarted = 0;
  cancelled = 0;

  constructor(private readonly workerUrl: URL, private readonly handlers: TraceHandlers) {}

  /** True when cancelling can use shared memory instead of terminating the worker. */
  get canSoftCancel(): boolean {
    return typeof SharedArrayBuffer !== 'undefined' && globalThis.crossOriginIsolated === true;
  }

  get running(): boolean {
    return this.busyWith !== undefined;
  }

  start(image: TraceImage, options: Record<string, string | number | boolean | string[]>): void {
    this.cancel();
    this.lastRequest = { image, options };
    const worker = this.ensureWorker();
    if (!worker) return;
    const id = ++this.runId;
    const request: TraceRequest = {
      type: 'trace', id, width: image.width, height: image.height, data: image.data, options,
    };
    if (this.canSoftCancel) {
      const shared = new SharedArrayBuffer(4);
      this.cancelFlag = new Int32Array(shared);
      request.cancelFlag = shared;
    }
    this.busyWith = id;
    this.startedAt = performance.now();
    worker.postMessage(request);
  }

  /** Cancels the run in flight, if any. */
  cancel(): void {
    if (this.busyWith === undefined || !this.worker) return;
    const previous = this.busyWith;
    this.busyWith = undefined;
    this.cancelled += 1;
    if (this.canSoftCancel && this.cancelFlag) {
      Atomics.store(this.cancelFlag, 0, 1);
      // The worker answers 'aborted' for that run, then takes the next message. If it does not within the
      // grace period (a long stage without checks), terminate it.
      const worker = this.worker;
      this.busyAfterCancel = previous;
      clearTimeout(this.graceTimer);
      this.graceTimer = setTimeout(() => {
        if (this.worker === worker && this.busyAfterCancel === previous) this.restartAndReplay();
      }, SOFT_CANCEL_GRACE_MS);
    } else {
      this.terminate();
    }
  }

  dispose(): void {
    this.busyWith = undefined;
    this.terminate();
  }

  /** Id of a run cancelled through the shared flag whose 'aborted' answer has not come yet. */
  private busyAfterCancel: number | undefined;
  private lastRequest: { image: TraceImage; options: Record<string, string | number | boolean | string[]> } | undefined;

  /** The worker ignored a shared-flag cancel: terminate it and re-run the current request on a fresh one. */
  private restartAndReplay(): void {
    const last = this.lastRequest;
    const replay = this.busyWith !== undefined && last !== undefined;
    this.busyWith = undefined;
    this.terminate();
    if (replay) this.start(last.image, last.options);
  }

  private terminate(): void {
    if (this.worker) {
      this.worker.terminate();
      this.worker = undefined;
    }
    this.busyAfterCancel = undefined;
    clearTimeout(this.graceTimer);
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker) return this.worker;
    let worker: Worker;
    try {
      worker = new Worker(this.workerUrl);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const hint = location.protocol === 'file:'
        ? ' Browsers do not run workers from file:// pages: open the page through a web server (e.g. `npx vtracer serve`).'
        : '';
      this.handlers.onError(`Could not start the tracing worker: ${reason}.${hint}`);
      return undefined;
    }
    worker.onmessage = (event: MessageEvent<WorkerReply>) => this.onMessage(worker, event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      if (worker !== this.worker) return;
      const what = event.message || 'the worker script failed to load or crashed';
      this.busyWith = undefined;
      this.terminate();
      this.handlers.onError(`The tracing worker failed: ${what}`);
    };
    worker.onmessageerror = () => {
      if (worker === this.worker) this.handlers.onError('The tracing worker sent a message that could not be read.');
    };
    this.worker = worker;
    this.workersStarted += 1;
    return worker;
  }

  private onMessage(worker: Worker, message: WorkerReply): void {
    if (worker !== this.worker || message.type === 'ready') return;
    if (message.id === this.busyAfterCancel && message.type !== 'progress' && message.type !== 'paths') {
      this.busyAfterCancel = undefined;
      clearTimeout(this.graceTimer);
    }
    if (message.id !== this.busyWith) return; // a stale answer of a cancelled run
    switch (message.type) {
      case 'progress':
        this.handlers.onProgress(message.fraction);
        break;
      case 'paths':
        this.handlers.onPaths(message.paths);
        break;
      case 'result':
        this.busyWith = undefined;
        this.handlers.onResult({
          svg: message.svg, width: message.width, height: message.height, pathCount: message.pathCount, pixelArt: message.pixelArt,
          traceMs: message.ms, wallMs: performance.now() - this.startedAt,
        });
        break;
      case 'aborted':
        this.busyWith = undefined;
        break;
      case 'error':
        this.busyWith = undefined;
        this.handlers.onError(`Tracing failed: ${message.message}`);
        break;
    }
  }
}
