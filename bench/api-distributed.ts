/**
 * Distributed API throughput: N trace jobs through an API node (`serve --db --redis --no-workers`) and 1, then
 * 2, `vtracer worker --concurrency 1` processes (the built CLI), on PostgreSQL and Redis.
 *
 *   eval "$(bash scripts/services.sh start)"      # throw-away PostgreSQL and Redis (or bring your own)
 *   npm run build && npm run bench:api -- --db "$DATABASE_URL" --redis "$REDIS_URL" [--jobs 40 --preset poster]
 *   bash scripts/services.sh stop
 *
 * bench/api.ts hands over to this file when given --db/--redis. The jobs run in a fresh database created on
 * the given server when the role may (else in the given one); use a Redis that no other worker listens to.
 * Prints jobs/s with 1 and 2 workers (best of --rounds runs each, interleaved) and their ratio (target on 2 cores:
 * ≥ 1.8×).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import sharp from 'sharp';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'vtracer.js');
const MODEL = 'model_visioncortex-vtracer';
const FIXTURES = ['emoji-1f34e.png', 'horse.png', 'text.png', 'logo.png', 'astronaut-256.png'];

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    redis: { type: 'string' },
    jobs: { type: 'string', default: '40' },
    preset: { type: 'string', default: 'photo' },
    // Inputs are the fixtures enlarged this many times (each side): jobs long enough that tracing, which is
    // what the workers scale, dominates the fixed cost of a job (HTTP, PostgreSQL, Redis: a few ms).
    scale: { type: 'string', default: '3' },
    // 1 then 2 workers, this many times over; the best time of each is kept (the machine may be shared).
    rounds: { type: 'string', default: '2' },
    // Accepted for symmetry with bench/api.ts; the distributed run always measures 1 and 2 worker processes.
    workers: { type: 'string' },
  },
});
const baseDb = values.db ?? process.env.DATABASE_URL;
const redisUrl = values.redis ?? process.env.REDIS_URL;
if (!baseDb || !redisUrl) {
  console.error('bench:api distributed: needs --db postgres://… and --redis redis://… (or DATABASE_URL and REDIS_URL)');
  process.exit(2);
}
const jobs = Number(values.jobs);
const preset = values.preset!;
const scale = Number(values.scale);
const images = await Promise.all(FIXTURES.map(async (name) => {
  const original = readFileSync(join(ROOT, 'test', 'fixtures', name));
  if (scale === 1) return { name, bytes: original };
  const meta = await sharp(original).metadata();
  const bytes = await sharp(original).resize(Math.round(meta.width! * scale), Math.round(meta.height! * scale), { kernel: 'lanczos3' }).png().toBuffer();
  return { name, bytes };
}));
const childEnv = { ...process.env, DATABASE_URL: '', REDIS_URL: '', VTRACER_LOG_LEVEL: 'warn' };

/** A fresh database on the same server when possible, so that the run starts empty. */
async function benchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `vtracer_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: baseDb });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (err) {
    console.log(`(could not create a database: ${(err as Error).message}; using the given one)`);
    await admin.end();
    return { url: baseDb!, drop: async () => {} };
  }
  await admin.end();
  const u = new URL(baseDb!);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: baseDb });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await c.end();
    },
  };
}

/** Spawns the CLI and resolves once a JSON log line with `readyMsg` appears. */
async function spawnReady(args: string[], readyMsg: string): Promise<{ proc: ChildProcess; url?: string; stop: () => Promise<void> }> {
  const proc = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...childEnv, VTRACER_LOG_LEVEL: 'info' } });
  const exited = new Promise<void>((r) => proc.on('exit', () => r()));
  const url = await new Promise<string | undefined>((res, rej) => {
    let buffer = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          const entry = JSON.parse(line) as { msg?: string; url?: string };
          if (entry.msg === readyMsg) res(entry.url);
        } catch { /* not JSON */ }
      }
    });
    void exited.then(() => rej(new Error(`${args[0]} exited before it was ready`)));
  });
  return { proc, url, stop: async () => { proc.kill('SIGTERM'); await exited; } };
}

const database = await benchDatabase();
const dir = mkdtempSync(join(tmpdir(), 'vtracer-bench-dist-'));
const key = JSON.parse(execFileSync(process.execPath, [BIN, 'keys', 'create', '--name', 'bench', '--json', '--db', database.url],
  { encoding: 'utf8', env: childEnv }));
const auth = `Basic ${Buffer.from(`${key.apiKey}:${key.apiSecret}`).toString('base64')}`;
const api = await spawnReady(['serve', '--port', '0', '--data', dir, '--db', database.url, '--redis', redisUrl, '--no-workers'], 'vtracer service ready');
const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${api.url}/v1${path}`, {
    method, headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json() as any;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${data.reason}`);
  return data;
};

/**
 * Submits `count` jobs and waits until all succeeded. Polls the job list twice a second (cheap: the two cores
 * are for the workers) and takes the end time from the last job's `updatedAt`, so polling adds no error.
 */
async function runBatch(assetIds: string[], count: number): Promise<number> {
  const t0 = Date.now();
  const ids = new Set<string>();
  for (let i = 0; i < count; i++) {
    ids.add((await call('POST', `/generate/custom/${MODEL}`, { image: assetIds[i % assetIds.length], presetName: preset })).job.jobId);
  }
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const { jobs: list } = await call('GET', '/jobs?pageSize=100');
    let done = 0;
    let end = 0;
    for (const job of list as { jobId: string; status: string; error?: string; updatedAt: string }[]) {
      if (!ids.has(job.jobId)) continue;
      if (job.status === 'success') {
        done++;
        end = Math.max(end, Date.parse(job.updatedAt));
      } else if (job.status === 'failure' || job.status === 'canceled') throw new Error(`job ${job.jobId}: ${job.status} ${job.error}`);
    }
    if (done === ids.size) return (end - t0) / 1000;
  }
}

/**
 * The same jobs on a bare TracePool of 1, then 2, threads (the built copy the workers use): how well tracing
 * itself scales on this machine, the ceiling of the service's ratio.
 */
async function barePool(size: number): Promise<number> {
  const { TracePool } = await import(pathToFileURL(join(ROOT, 'dist', 'src', 'parallel', 'index.js')).href) as typeof import('../src/parallel/index.js');
  const pool = new TracePool({ size });
  try {
    const run = (i: number) => pool.run({ input: images[i % images.length]!.bytes }, { preset: preset as 'photo' });
    await Promise.all(Array.from({ length: images.length * size }, (_, i) => run(i)));
    const t0 = performance.now();
    await Promise.all(Array.from({ length: jobs }, (_, i) => run(i)));
    return (performance.now() - t0) / 1000;
  } finally {
    await pool.close();
  }
}

try {
  if (jobs > 100) throw new Error('--jobs: at most 100 (one page of the job list)');
  const assetIds: string[] = [];
  for (const img of images) {
    assetIds.push((await call('POST', '/assets', { image: `data:image/png;base64,${img.bytes.toString('base64')}` })).asset.id);
  }
  console.log(`Distributed API benchmark: ${jobs} jobs (${FIXTURES.join(', ')} enlarged ${scale}× in turn), preset ${preset}, ${availableParallelism()} CPUs;`
    + ' API node without workers + N `vtracer worker --concurrency 1` processes, PostgreSQL + Redis');
  const pool1 = await barePool(1);
  const pool2 = await barePool(2);
  console.log(`bare TracePool (no service): 1 thread ${(jobs / pool1).toFixed(2)} jobs/s, 2 threads ${(jobs / pool2).toFixed(2)} jobs/s, ratio ${(pool1 / pool2).toFixed(2)}× (the ceiling)`);
  const best = new Map<number, number>();
  const rounds = Math.max(1, Number(values.rounds));
  for (let round = 0; round < rounds; round++) for (const n of [1, 2]) {
    const workers = await Promise.all(Array.from({ length: n }, () =>
      spawnReady(['worker', '--db', database.url, '--redis', redisUrl, '--concurrency', '1'], 'vtracer worker ready')));
    try {
      await runBatch(assetIds, images.length * n); // warm-up: every worker has traced each image once or so
      const seconds = await runBatch(assetIds, jobs);
      best.set(n, Math.min(best.get(n) ?? Infinity, seconds));
      console.log(`round ${round + 1}, ${n} worker process${n > 1 ? 'es' : ''}: ${seconds.toFixed(2)} s  ${(jobs / seconds).toFixed(2)} jobs/s (submit, queue, trace, store, poll)`);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  }
  const one = jobs / best.get(1)!;
  const two = jobs / best.get(2)!;
  console.log(`best of ${rounds}: 1 worker ${one.toFixed(2)} jobs/s, 2 workers ${two.toFixed(2)} jobs/s`);
  console.log(`ratio 2 workers / 1 worker: ${(two / one).toFixed(2)}× (target ≥ 1.8× on 2 cores)`);
} finally {
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
  await database.drop();
}
