/**
 * Bounded load test on loopback: N jobs (default 1,000) submitted by C concurrent clients (default 50) to a
 * live embedded server (the built CLI, `serve --workers W`), each polled with GET /v1/jobs/{id} until it ends.
 * Small images, so that it finishes in a few minutes on 2 cores.
 *
 *   npm run build && npm run bench:load [-- --jobs 1000 --clients 50 --workers 2 --size 48]
 *
 * Checks: every job succeeds with one SVG asset; the service lists exactly the submitted jobs, each once (none
 * lost or duplicated). Prints submit latency p50/p99, jobs/s, the server's peak RSS, and the p50/p99 of
 * GET /v1/jobs/{id} while the workers are saturated (target p99 < 50 ms). Exit code 1 if a check fails.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'vtracer.js');
const MODEL = 'model_visioncortex-vtracer';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '1000' },
    clients: { type: 'string', default: '50' },
    workers: { type: 'string', default: '2' },
    size: { type: 'string', default: '48' },
    'poll-ms': { type: 'string', default: '100' },
  },
});
const JOBS = Number(values.jobs);
const CLIENTS = Number(values.clients);
const WORKERS = Number(values.workers);
const SIZE = Number(values.size);
const POLL_MS = Number(values['poll-ms']);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const ms = (v: number) => `${v.toFixed(1)} ms`;

/** Small PNGs of coloured blocks (a few shapes to trace), `count` different ones. */
async function images(count: number): Promise<string[]> {
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const data = Buffer.alloc(SIZE * SIZE * 3);
    let s = k * 7919 + 1;
    const cell = 8;
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        const c = ((Math.floor(x / cell) * 31 + Math.floor(y / cell) * 17 + k) % 5);
        s = (s * 1103515245 + 12345) & 0x7fffffff;
        const i = (y * SIZE + x) * 3;
        data[i] = (c * 60 + (s & 7)) & 255; data[i + 1] = (255 - c * 50) & 255; data[i + 2] = (c * 90) & 255;
      }
    }
    const png = await sharp(data, { raw: { width: SIZE, height: SIZE, channels: 3 } }).png().toBuffer();
    out.push(`data:image/png;base64,${png.toString('base64')}`);
  }
  return out;
}

async function startServer(dir: string): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', dir, '--workers', String(WORKERS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    // Info level (the default): the ready line carries the URL, and request logs are part of the cost measured.
    env: { ...process.env, VTRACER_URL_SECRET: '', VTRACER_LOG_LEVEL: 'info' },
  });
  const exited = new Promise<void>((r) => proc.on('exit', () => r()));
  const url = await new Promise<string>((res, rej) => {
    let buffer = '';
    const timer = setTimeout(() => { proc.kill(); rej(new Error('server did not start')); }, 20_000);
    proc.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.includes('"vtracer service ready"')) {
          clearTimeout(timer);
          res((JSON.parse(line) as { url: string }).url);
        }
      }
      if (buffer.length > 1e6) buffer = ''; // logs keep coming: drain them
    });
    proc.on('exit', (code) => rej(new Error(`server exited (${code})`)));
  });
  return { url, pid: proc.pid!, stop: async () => { proc.kill('SIGTERM'); await exited; } };
}

/** Peak resident set of a process (VmHWM), in MB; the worker threads are in the same process. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vtracer-load-'));
  const key = JSON.parse(execFileSync(process.execPath, [BIN, 'keys', 'create', '--name', 'load', '--json', '--data', dir], { encoding: 'utf8' })) as { apiKey: string; apiSecret: string };
  const headers = { Authorization: `Basic ${Buffer.from(`${key.apiKey}:${key.apiSecret}`).toString('base64')}` };
  const pictures = await images(25);
  const server = await startServer(dir);
  const base = `${server.url}/v1`;
  console.log(`load: ${JOBS} jobs, ${CLIENTS} clients, ${WORKERS} workers, ${SIZE}×${SIZE} PNGs, polling every ${POLL_MS} ms; server pid ${server.pid}`);

  const submitLatency: number[] = [];
  const polls: Array<{ ms: number; outstanding: number }> = [];
  const results = new Map<string, { status: string; assets: string[]; error?: string }>();
  const submitted: string[] = [];
  let next = 0;
  let outstanding = 0;
  let failures = 0;
  let peakRss = 0;
  const rssTimer = setInterval(() => { try { peakRss = Math.max(peakRss, peakRssMb(server.pid)); } catch { /* exited */ } }, 500);

  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next < JOBS) {
      const i = next++;
      const t0 = performance.now();
      const res = await fetch(`${base}/generate/custom/${MODEL}`, {
        method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ image: pictures[i % pictures.length], presetName: i % 3 === 0 ? 'photo' : 'poster' }),
      });
      const body = await res.json() as { job?: { jobId: string }; reason?: string };
      submitLatency.push(performance.now() - t0);
      if (res.status !== 200 || !body.job) {
        failures++;
        console.error(`submit ${i}: ${res.status} ${body.reason}`);
        continue;
      }
      const id = body.job.jobId;
      submitted.push(id);
      outstanding++;
      for (;;) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        const p0 = performance.now();
        const poll = await fetch(`${base}/jobs/${id}`, { headers });
        const job = (await poll.json() as { job: { status: string; metadata: { assetIds: string[] }; error?: string } }).job;
        polls.push({ ms: performance.now() - p0, outstanding });
        if (['success', 'failure', 'canceled'].includes(job.status)) {
          results.set(id, { status: job.status, assets: job.metadata.assetIds, error: job.error });
          break;
        }
      }
      outstanding--;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(rssTimer);
  try { peakRss = Math.max(peakRss, peakRssMb(server.pid)); } catch { /* exited */ }

  // What the service holds: every job of the key, through the paginated list.
  const listed: string[] = [];
  let token: string | null = null;
  do {
    const page = await (await fetch(`${base}/jobs?pageSize=100${token ? `&paginationToken=${encodeURIComponent(token)}` : ''}`, { headers })).json() as { jobs: Array<{ jobId: string }>; nextPaginationToken: string | null };
    listed.push(...page.jobs.map((j) => j.jobId));
    token = page.nextPaginationToken;
  } while (token);
  await server.stop();
  rmSync(dir, { recursive: true, force: true });

  const ok = [...results.values()].filter((r) => r.status === 'success' && r.assets.length === 1).length;
  const assets = new Set([...results.values()].flatMap((r) => r.assets));
  const listedSet = new Set(listed);
  const lost = submitted.filter((id) => !listedSet.has(id)).length;
  const unexpected = listed.filter((id) => !results.has(id)).length;
  const duplicated = listed.length - listedSet.size + (submitted.length - new Set(submitted).size);
  submitLatency.sort((a, b) => a - b);
  const saturated = polls.filter((p) => p.outstanding >= 2 * WORKERS).map((p) => p.ms).sort((a, b) => a - b);
  const allPolls = polls.map((p) => p.ms).sort((a, b) => a - b);
  const p99Poll = percentile(saturated, 99);

  console.log(`jobs: ${JOBS} submitted, ${submitted.length} accepted, ${ok} succeeded with one SVG, ${failures} refused, ${assets.size} distinct SVG assets`);
  console.log(`service: ${listed.length} jobs listed, ${lost} lost, ${duplicated} duplicated, ${unexpected} unexpected`);
  console.log(`throughput: ${(JOBS / seconds).toFixed(1)} jobs/s (${seconds.toFixed(1)} s wall)`);
  console.log(`submit latency: p50 ${ms(percentile(submitLatency, 50))}, p99 ${ms(percentile(submitLatency, 99))}, max ${ms(submitLatency.at(-1)!)}`);
  console.log(`GET /v1/jobs/{id} with the workers saturated (${saturated.length} of ${allPolls.length} polls): p50 ${ms(percentile(saturated, 50))}, p99 ${ms(p99Poll)}, max ${ms(saturated.at(-1) ?? NaN)}`);
  console.log(`server peak RSS: ${peakRss.toFixed(0)} MB`);
  const pass = ok === JOBS && lost === 0 && duplicated === 0 && unexpected === 0 && assets.size === JOBS && p99Poll < 50;
  for (const [id, r] of results) if (r.status !== 'success') console.error(`${id}: ${r.status} ${r.error ?? ''}`);
  console.log(pass ? 'PASS: all jobs succeeded, none lost or duplicated, poll p99 < 50 ms' : 'FAIL');
  process.exitCode = pass ? 0 : 1;
}

await main();
