/**
 * Test helpers for the service: run the BUILT CLI (`node bin/vtracer.js`, as users do) as a child process on a
 * random loopback port, create keys with it, and call the API with fetch; or run an embedded service in the
 * test's own process.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after } from 'node:test';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { createEmbeddedService, type EmbeddedService, type EmbeddedServiceOptions } from '../../src/server/service.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin', 'vtracer.js');
export const MODEL = 'model_visioncortex-vtracer';
const execFileP = promisify(execFile);

export function tempDir(prefix = 'vtracer-srv-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A `newDir()` for one test file: each call makes a temporary folder, and all of them go after the file's tests. */
export function tempDirs(prefix?: string): () => string {
  const dirs: string[] = [];
  after(() => dirs.forEach(removeDir));
  return () => {
    const dir = tempDir(prefix);
    dirs.push(dir);
    return dir;
  };
}

/** An embedded service in this process (one trace worker, no logs unless asked) listening on a random loopback port. */
export async function embeddedService(dataDir: string, options: Omit<Partial<EmbeddedServiceOptions>, 'dataDir'> = {}):
  Promise<{ svc: EmbeddedService; url: URL }> {
  const svc = await createEmbeddedService({ workers: 1, logger: false, ...options, dataDir });
  return { svc, url: new URL(await svc.listen(0, '127.0.0.1')) };
}

export interface Key {
  apiKey: string;
  apiSecret: string;
  name: string;
  projectId: string;
}

export async function createKey(dataDir: string, name = 'me'): Promise<Key> {
  const { stdout } = await execFileP(process.execPath, [BIN, 'keys', 'create', '--name', name, '--json', '--data', dataDir]);
  return JSON.parse(stdout) as Key;
}

export async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [BIN, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

export interface Server {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  proc: ChildProcess;
  logs: string[];
  /** Resolves with the exit code (or signal) once the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits until a log line matches (logs reach the pipe a little after the response). */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/** Starts `vtracer serve --port 0` and waits (up to `readyTimeoutMs`) for its "ready" log line, which carries the URL. */
export async function startServer(dataDir: string, extra: string[] = [], readyTimeoutMs = 20_000): Promise<Server> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', dataDir, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VTRACER_URL_SECRET: '' },
  });
  const logs: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    proc.on('exit', (code, signal) => res({ code, signal }));
  });
  const url = await new Promise<string>((res, rej) => {
    let buffer = '';
    const timer = setTimeout(() => rej(new Error(`server did not start in ${readyTimeoutMs / 1000} s:\n${logs.join('\n')}`)), readyTimeoutMs);
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        logs.push(line);
        try {
          const entry = JSON.parse(line) as { msg?: string; url?: string };
          if (entry.msg === 'vtracer service ready' && entry.url) {
            clearTimeout(timer);
            res(entry.url);
          }
        } catch {
          // not JSON
        }
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (c: Buffer) => logs.push(c.toString()));
    void exited.then(({ code, signal }) => rej(new Error(`server exited (${code ?? signal}) before ready:\n${logs.join('\n')}`)));
  });
  return {
    url, proc, logs, exited,
    async waitForLog(pattern, timeoutMs = 5000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const line = logs.find((l) => pattern.test(l));
        if (line) return line;
        if (Date.now() > end) throw new Error(`no log line matches ${pattern}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export class Api {
  constructor(readonly base: string, readonly key?: Key | { apiKey: string; apiSecret: string }) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { ...extra };
    if (this.key) h.Authorization = `Basic ${Buffer.from(`${this.key.apiKey}:${this.key.apiSecret}`).toString('base64')}`;
    return h;
  }

  async request<T = any>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const init: RequestInit = { method, headers: this.headers(extraHeaders) };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(`${this.base}/v1${path}`, init);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // keep text
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = any>(path: string, body: unknown) {
    return this.request<T>('POST', path, body);
  }

  /** Polls a job until `until(job)` (default: a final status), failing after `timeoutMs`. */
  async waitJob(jobId: string, until: (job: any) => boolean = (j) => ['success', 'failure', 'canceled'].includes(j.status),
    timeoutMs = 60_000): Promise<any> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const { status, body } = await this.get(`/jobs/${jobId}`);
      if (status !== 200) throw new Error(`GET /jobs/${jobId}: ${status} ${JSON.stringify(body)}`);
      if (until(body.job)) return body.job;
      if (Date.now() > end) throw new Error(`job ${jobId} still ${body.job.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export function fixture(name: string): Buffer {
  return readFileSync(join(ROOT, 'test', 'fixtures', name));
}

export function dataUrl(bytes: Buffer, mime = 'image/png'): string {
  return `data:${mime};base64,${bytes.toString('base64')}`;
}

/** A PNG of deterministic colour noise: slow to trace with the photo preset (seconds at 1000 px). */
export async function noisePng(size: number, seed = 1): Promise<Buffer> {
  const data = Buffer.alloc(size * size * 3);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    data[i] = s >> 16;
  }
  return sharp(data, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
}
