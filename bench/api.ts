/**
 * API throughput: N trace jobs pushed through a live embedded server (the built CLI, `serve --workers W`)
 * against the library tracing the same images one after the other in one thread.
 *
 *   npm run build && npm run bench:api [-- --jobs 200 --workers 2 --preset poster --repeats 3]
 *
 * Prints both rates and their ratio; the target on 2 cores with 2 workers is ≥ 1.8×. Each figure is the best
 * of `--repeats` runs (a shared VM only ever adds time).
 */
import { execFileSync, spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { decodeImage } from '../src/io/decode.js';
import { traceRgba } from '../src/engine/index.js';
import type { PresetName } from '../src/engine/options.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'vtracer.js');
const MODEL = 'model_visioncortex-vtracer';
const FIXTURES = ['emoji-1f34e.png', 'horse.png', 'text.png', 'logo.png', 'astronaut-256.png'];

// Distributed mode (--db/--redis): API node + 1 and 2 worker processes, in bench/api-distributed.ts.
if (process.argv.slice(2).some((a) => /^--(db|redis)(=|$)/.test(a))) {
  await import('./api-distributed.js');
  process.exit(0);
}

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '200' },
    repeats: { type: 'string', default: '3' },
    workers: { type: 'string', default: '2' },
    preset: { type: 'string', default: 'poster' },
  },
});
const jobs = Number(values.jobs);
const workers = Number(values.workers);
const preset = values.preset as PresetName;
const repeats = Number(values.repeats);

/** The best (least) of `repeats` timings. */
async function best(run: () => Promise<number>): Promise<number> {
  let t = Infinity;
  for (let i = 0; i < repeats; i++) t = Math.min(t, await run());
  return t;
}
const images = FIXTURES.map((name) => ({ name, bytes: readFileSync(join(ROOT, 'test', 'fixtures', name)) }));
const pick = (i: number) => images[i % images.length]!;

async function singleThread(): Promise<number> {
  for (let i = 0; i < 2; i++) for (const img of images) traceRgba(await decodeImage(img.bytes), { preset }); // warm-up
  return best(async () => {
    const t0 = performance.now();
    for (let i = 0; i < jobs; i++) traceRgba(await decodeImage(pick(i).bytes), { preset });
    return (performance.now() - t0) / 1000;
  });
}

/** The same jobs on a bare TracePool (built copy, as the server uses): the ceiling for the service. */
async function barePool(): Promise<number> {
  const { TracePool } = await import(pathToFileURL(join(ROOT, 'dist', 'src', 'parallel', 'index.js')).href) as typeof import('../src/parallel/index.js');
  const pool = new TracePool({ size: workers });
  try {
    await Promise.all(Array.from({ length: images.length * 2 * workers }, (_, i) => pool.run({ input: pick(i).bytes }, { preset })));
    return await best(async () => {
      const t0 = performance.now();
      await Promise.all(Array.from({ length: jobs }, (_, i) => pool.run({ input: pick(i).bytes }, { preset })));
      return (performance.now() - t0) / 1000;
    });
  } finally {
    await pool.close();
  }
}

/**
 * The server of the built CLI, its logs going to a file as in production (a pipe to this busy process would
 * make its synchronous log writes wait for us to read).
 */
async function startServer(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const logPath = join(dir, 'server.log');
  const log = openSync(logPath, 'w');
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', dir, '--workers', String(workers)], {
    stdio: ['ignore', log, 'inherit'],
  });
  closeSync(log);
  let exitedEarly = false;
  const exited = new Promise<void>((r) => proc.on('exit', () => { exitedEarly = true; r(); }));
  let url: string | undefined;
  for (let waited = 0; url === undefined; waited += 50) {
    if (exitedEarly || waited > 30_000) throw new Error(`the server ${exitedEarly ? 'exited' : 'was not ready in 30 s'}: ${readFileSync(logPath, 'utf8').slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
    for (const line of readFileSync(logPath, 'utf8').split('\n')) {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'vtracer service ready' && entry.url) url = entry.url;
      } catch { /* partial line */ }
    }
  }
  return { url, stop: async () => { proc.kill('SIGTERM'); await exited; } };
}

let clientCpu = 0;

async function throughService(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'vtracer-bench-api-'));
  const key = JSON.parse(execFileSync(process.execPath, [BIN, 'keys', 'create', '--name', 'bench', '--json', '--data', dir], { encoding: 'utf8' }));
  const auth = `Basic ${Buffer.from(`${key.apiKey}:${key.apiSecret}`).toString('base64')}`;
  const server = await startServer(dir);
  // The load client shares the two cores with the server: node:http on a keep-alive agent costs it a fraction
  // of the CPU fetch does, so the figure is the service's rather than the client's.
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const call = (method: string, path: string, body?: unknown) => new Promise<any>((resolveCall, rejectCall) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(`${server.url}/v1${path}`, {
      method, agent,
      headers: { Authorization: auth, ...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const data = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if ((res.statusCode ?? 500) >= 400) rejectCall(new Error(`${method} ${path}: ${res.statusCode} ${data.reason}`));
        else resolveCall(data);
      });
    });
    req.on('error', rejectCall);
    req.end(payload);
  });
  try {
    const assetIds: string[] = [];
    for (const img of images) {
      assetIds.push((await call('POST', '/assets', { image: `data:image/png;base64,${img.bytes.toString('base64')}` })).asset.id);
    }
    const runBatch = async (count: number) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        ids.push((await call('POST', `/generate/custom/${MODEL}`, { image: assetIds[i % assetIds.length], presetName: preset })).job.jobId);
      }
      // Jobs finish roughly in submission order: wait for each in turn (a light, client-like polling load).
      for (const id of ids) {
        for (;;) {
          const { job } = await call('GET', `/jobs/${id}`);
          if (job.status === 'success') break;
          if (job.status === 'failure' || job.status === 'canceled') throw new Error(`job ${id}: ${job.status} ${job.error}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };
    await runBatch(images.length * 2 * workers); // warm-up: every worker started and its JIT warm
    return await best(async () => {
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      await runBatch(jobs);
      const cpu = process.cpuUsage(cpu0);
      clientCpu = (cpu.user + cpu.system) / 1e6;
      return (performance.now() - t0) / 1000;
    });
  } finally {
    agent.destroy();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`API benchmark: ${jobs} jobs (${FIXTURES.join(', ')} in turn), preset ${preset}, ${workers} workers, ${availableParallelism()} CPUs, best of ${repeats}`);
const single = await singleThread();
console.log(`library, one thread:      ${single.toFixed(2)} s  ${(jobs / single).toFixed(2)} jobs/s`);
const pooled = await barePool();
console.log(`TracePool, ${workers} worker(s):   ${pooled.toFixed(2)} s  ${(jobs / pooled).toFixed(2)} jobs/s (no HTTP, no store: the ceiling)`);
const service = await throughService();
console.log(`service, ${workers} worker(s):     ${service.toFixed(2)} s  ${(jobs / service).toFixed(2)} jobs/s (submit, queue, trace, store, poll; the load client used ${clientCpu.toFixed(2)} s of CPU on the same cores)`);
const ratio = single / service;
console.log(`ratio: ${ratio.toFixed(2)}× the library in one thread (target ≥ 1.8× with 2 workers on 2 cores); `
  + `bare pool ${(single / pooled).toFixed(2)}×, so the service keeps ${((pooled / service) * 100).toFixed(0)}% of the pool's rate`);
