/**
 * Secret checks (scrypt) on dedicated worker threads, bounded. The async `crypto.scrypt` runs on libuv's
 * thread pool, the same four threads that read and write every file: a flood of logins with random secrets
 * would then starve downloads. Here each check runs `scryptSync` on a thread of its own, at most `threads`
 * at once with at most `maxWaiting` more in line; beyond that `verify` refuses at once (HashQueueFullError),
 * so the callers answer 429 instead of letting the queue, and the wait, grow without bound.
 */
import { Worker } from 'node:worker_threads';

/** The thread's code (CommonJS, evaluated: no file to locate from src/ or dist/). */
const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { scryptSync, timingSafeEqual } = require('node:crypto');
parentPort.on('message', ({ id, secret, stored }) => {
  let ok = false;
  try {
    const parts = stored.split('$');
    if (parts.length === 6 && parts[0] === 'scrypt') {
      const [N, r, p] = parts.slice(1, 4).map(Number);
      const salt = Buffer.from(parts[4], 'base64url');
      const expected = Buffer.from(parts[5], 'base64url');
      const actual = scryptSync(secret, salt, expected.length, { N, r, p, maxmem: 128 * N * r * 2 });
      ok = timingSafeEqual(actual, expected);
    }
  } catch {
    ok = false;
  }
  parentPort.postMessage({ id, ok });
});
`;

export class HashQueueFullError extends Error {
  constructor(readonly waiting: number) {
    super(`${waiting} secret checks already wait for a hashing thread`);
    this.name = 'HashQueueFullError';
  }
}

interface Job {
  id: number;
  secret: string;
  stored: string;
  resolve(ok: boolean): void;
  reject(err: Error): void;
}

interface Thread {
  worker: Worker;
  job: Job | null;
}

export class SecretHasher {
  /** Checks run so far (what tests and metrics count). */
  runs = 0;
  private readonly threads: Thread[] = [];
  private readonly waiting: Job[] = [];
  private nextId = 0;
  private closed = false;

  constructor(readonly options: { threads?: number; maxWaiting?: number } = {}) {}

  get size(): number {
    return Math.max(1, this.options.threads ?? 1);
  }

  get maxWaiting(): number {
    return this.options.maxWaiting ?? 8;
  }

  /** Checks `secret` against a stored `scrypt$N$r$p$salt$hash`; throws HashQueueFullError when the line is full. */
  verify(secret: string, stored: string): Promise<boolean> {
    if (this.closed) return Promise.reject(new Error('the secret hasher is closed'));
    const idle = this.idleThread();
    if (!idle && this.waiting.length >= this.maxWaiting) return Promise.reject(new HashQueueFullError(this.waiting.length));
    return new Promise<boolean>((resolve, reject) => {
      const job: Job = { id: this.nextId++, secret, stored, resolve, reject };
      if (idle) this.dispatch(idle, job);
      else this.waiting.push(job);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(new Error('the secret hasher is closed'));
    await Promise.all(this.threads.splice(0).map((t) => t.worker.terminate()));
  }

  private idleThread(): Thread | null {
    const free = this.threads.find((t) => t.job === null);
    if (free) return free;
    if (this.threads.length < this.size) return this.spawn();
    return null;
  }

  private spawn(): Thread {
    const worker = new Worker(THREAD_SOURCE, { eval: true });
    worker.unref(); // never what keeps the process alive
    const thread: Thread = { worker, job: null };
    worker.on('message', (msg: { id: number; ok: boolean }) => {
      const job = thread.job;
      if (!job || job.id !== msg.id) return;
      thread.job = null;
      job.resolve(msg.ok);
      const next = this.waiting.shift();
      if (next) this.dispatch(thread, next);
    });
    const fail = (err: Error) => {
      const i = this.threads.indexOf(thread);
      if (i >= 0) this.threads.splice(i, 1);
      thread.job?.reject(err);
      thread.job = null;
      const next = this.waiting.shift();
      if (next && !this.closed) this.dispatch(this.idleThread()!, next);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a hashing thread exited (code ${code})`)));
    this.threads.push(thread);
    return thread;
  }

  private dispatch(thread: Thread, job: Job): void {
    thread.job = job;
    this.runs++;
    thread.worker.postMessage({ id: job.id, secret: job.secret, stored: job.stored });
  }
}
