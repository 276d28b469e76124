/**
 * Helpers of the distributed-mode tests: real PostgreSQL and Redis (started by scripts/services.sh, which
 * `npm test` runs), each test file in its own fresh database and Redis database number, and the BUILT CLI's
 * `serve --db --redis` and `worker` as child processes.
 *
 * The URLs come from VTRACER_TEST_DATABASE_URL / VTRACER_TEST_REDIS_URL (set by scripts/test.sh; not
 * DATABASE_URL/REDIS_URL, which would switch every embedded test's server to the distributed mode), or from
 * DATABASE_URL / REDIS_URL when a developer runs one file by hand after `eval "$(bash scripts/services.sh start)"`.
 * Without them the tests are skipped, except with CI=true, where they fail: CI must run them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import { BIN, startServer, tempDir, type Key, type Server } from '../server/helpers.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export interface Urls {
  db: string;
  redis: string;
}

/** The services' base URLs, or the reason they are missing. */
export function serviceUrls(): Urls | string {
  const db = process.env.VTRACER_TEST_DATABASE_URL || process.env.DATABASE_URL;
  const redis = process.env.VTRACER_TEST_REDIS_URL || process.env.REDIS_URL;
  if (db && redis) return { db, redis };
  return 'PostgreSQL and Redis are not available: run the tests with `npm test` (scripts/test.sh starts them with '
    + 'scripts/services.sh), or `eval "$(bash scripts/services.sh start)"` first';
}

/**
 * `skip` option for describe(): false when the services are there; a reason to skip otherwise. In CI, never
 * skip: the suite's `before` fails with the reason instead.
 */
export function skipUnlessServices(): false | string {
  const urls = serviceUrls();
  if (typeof urls !== 'string') return false;
  return process.env.CI === 'true' ? false : urls;
}

export function requireServices(): Urls {
  const urls = serviceUrls();
  if (typeof urls === 'string') throw new Error(`distributed tests cannot run: ${urls}`);
  return urls;
}

/** A fresh database on the server and a Redis database number of its own, so test files do not share state. */
export async function isolatedUrls(): Promise<Urls> {
  const base = requireServices();
  const name = `vt_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.db });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const db = new URL(base.db);
  db.pathname = `/${name}`;
  const counter = new Redis(base.redis, { maxRetriesPerRequest: 3 });
  let n: number;
  try {
    n = await counter.incr('vtracer-test:next-db');
  } finally {
    counter.disconnect();
  }
  const redis = new URL(base.redis);
  redis.pathname = `/${1 + (n % 250)}`;
  // Start from an empty Redis database even if a previous run used this number.
  const r = new Redis(redis.toString(), { maxRetriesPerRequest: 3 });
  try {
    await r.flushdb();
  } finally {
    r.disconnect();
  }
  return { db: db.toString(), redis: redis.toString() };
}

export async function createKeyDb(urls: Urls, name = 'me'): Promise<Key> {
  const { stdout } = await execFileP(process.execPath, [BIN, 'keys', 'create', '--name', name, '--json', '--db', urls.db],
    { env: { ...process.env, DATABASE_URL: '', REDIS_URL: '' } });
  return JSON.parse(stdout) as Key;
}

/** `vtracer serve --db --redis` (API only unless `withWorkers`), ready. */
export async function startApi(urls: Urls, options: { withWorkers?: boolean; extra?: string[] } = {}): Promise<Server> {
  const args = ['--db', urls.db, '--redis', urls.redis, ...(options.withWorkers ? [] : ['--no-workers']), ...(options.extra ?? [])];
  return startServer(tempDir('vtracer-api-'), args);
}

export interface WorkerProc {
  proc: ChildProcess;
  logs: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Parsed JSON log entries so far. */
  entries(): Array<Record<string, unknown>>;
  waitForLog(match: (entry: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `vtracer worker --db --redis --concurrency N`, ready. */
export async function startWorker(urls: Urls, concurrency = 1, extra: string[] = []): Promise<WorkerProc> {
  const proc = spawn(process.execPath, [BIN, 'worker', '--db', urls.db, '--redis', urls.redis, '--concurrency', String(concurrency), ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_URL: '', REDIS_URL: '' },
  });
  const logs: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    proc.on('exit', (code, signal) => res({ code, signal }));
  });
  let buffer = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      logs.push(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
    }
  });
  proc.stderr!.on('data', (c: Buffer) => logs.push(c.toString()));
  const entries = () => logs.flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
  const waitForLog = async (match: (e: Record<string, unknown>) => boolean, timeoutMs = 20_000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = entries().find(match);
      if (found) return found;
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`worker exited:\n${logs.join('\n')}`);
      if (Date.now() > end) throw new Error(`no matching worker log line in ${timeoutMs} ms:\n${logs.slice(-20).join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await waitForLog((e) => e.msg === 'vtracer worker ready');
  return {
    proc, logs, exited, entries, waitForLog,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/** Direct SQL on a test database (checks the API cannot make, like duplicate outputs). */
export async function sql<T extends pg.QueryResultRow = Record<string, unknown>>(urls: Urls, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: urls.db });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}
