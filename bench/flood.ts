/**
 * Credential floods on loopback: the latency of signed downloads and job polls while bad logins arrive at a
 * fixed rate (default 100/s for 10 s, random keys and secrets), against the same requests on an idle server;
 * and the cost of each kind of failed login (unknown key, wrong secret, over-long secret, revoked key), which
 * must be the same (one scrypt check each). Bounded: a fixed number of requests, on 127.0.0.1 only.
 *
 *   npm run build && npm run bench:flood [-- --rate 100 --seconds 10]
 *
 * Rows: idle; flood with the default per-address failure budget (most of the flood answers 429 without
 * hashing); flood with the per-address budget off (`--auth-failures 0`, as from many addresses), where only
 * the bounded hashing threads protect the file I/O pool. Target: download p99 within 2x of idle.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'vtracer.js');

const { values } = parseArgs({ options: { rate: { type: 'string', default: '100' }, seconds: { type: 'string', default: '10' } } });
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

async function startServer(dir: string, extra: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', dir, '--workers', '1', ...extra], {
    stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, VTRACER_URL_SECRET: '', VTRACER_LOG_LEVEL: 'info' },
  });
  const exited = new Promise<void>((r) => proc.on('exit', () => r()));
  // The ready line carries the URL; request logs (info) are part of the cost, as in production.
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => { proc.kill(); rej(new Error('server did not start')); }, 20_000);
    let buffer = '';
    proc.stdout!.on('data', (c: Buffer) => {
      buffer += c.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(buffer);
      if (m) { clearTimeout(timer); res(m[1]!); }
      if (buffer.length > 1e5) buffer = '';
    });
  });
  return { url, stop: async () => { proc.kill('SIGTERM'); await exited; } };
}

/** Sequential downloads and polls for `ms`; returns their latencies, sorted. */
async function measure(url: string, fileUrl: string, pollUrl: string, auth: string, ms: number): Promise<{ downloads: number[]; polls: number[] }> {
  const downloads: number[] = [];
  const polls: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    let t = performance.now();
    const file = await fetch(fileUrl);
    await file.arrayBuffer();
    if (file.status !== 200) throw new Error(`download: ${file.status}`);
    downloads.push(performance.now() - t);
    t = performance.now();
    const poll = await fetch(pollUrl, { headers: { Authorization: auth } });
    await poll.arrayBuffer();
    if (poll.status !== 200) throw new Error(`poll: ${poll.status}`);
    polls.push(performance.now() - t);
  }
  void url;
  return { downloads: downloads.sort((a, b) => a - b), polls: polls.sort((a, b) => a - b) };
}

/** Sends RATE bad logins per second for SECONDS (fire and forget, bounded in number); returns the statuses seen. */
async function flood(url: string): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  const pending: Promise<void>[] = [];
  const total = RATE * SECONDS;
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(fetch(`${url}/v1/jobs`, { headers: { Authorization: basic(`api_${randomBytes(11).toString('hex')}`, randomBytes(18).toString('base64url')) } })
      .then(async (res) => { await res.arrayBuffer(); statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1); },
        () => { statuses.set(0, (statuses.get(0) ?? 0) + 1); }));
  }
  await Promise.all(pending);
  return statuses;
}

async function scenario(label: string, extra: string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vtracer-flood-'));
  try {
    const key = JSON.parse(execFileSync(process.execPath, [BIN, 'keys', 'create', '--name', 'flood', '--json', '--data', dir], { encoding: 'utf8' })) as { apiKey: string; apiSecret: string };
    const auth = basic(key.apiKey, key.apiSecret);
    const server = await startServer(dir, extra);
    try {
      const png = readFileSync(join(ROOT, 'test', 'fixtures', 'astronaut-256.png'));
      const asset = (await (await fetch(`${server.url}/v1/assets`, {
        method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ image: `data:image/png;base64,${png.toString('base64')}` }),
      })).json() as { asset: { id: string; url: string } }).asset;
      const pollUrl = `${server.url}/v1/assets/${asset.id}`;
      await measure(server.url, asset.url, pollUrl, auth, 1000); // warm-up
      const idle = await measure(server.url, asset.url, pollUrl, auth, SECONDS * 1000);
      const [statuses, busy] = await Promise.all([flood(server.url), measure(server.url, asset.url, pollUrl, auth, SECONDS * 1000)]);
      const row = (name: string, m: { downloads: number[]; polls: number[] }) =>
        `| ${name} | ${m.downloads.length} | ${percentile(m.downloads, 50).toFixed(1)} / ${percentile(m.downloads, 99).toFixed(1)} ms | ${percentile(m.polls, 50).toFixed(1)} / ${percentile(m.polls, 99).toFixed(1)} ms |`;
      console.log(row(`${label}: idle`, idle));
      console.log(row(`${label}: ${RATE} bad logins/s`, busy));
      console.log(`  flood answers: ${[...statuses].map(([s, n]) => `${s || 'error'}×${n}`).join(', ')}; download p99 ratio ${(percentile(busy.downloads, 99) / percentile(idle.downloads, 99)).toFixed(2)}x of idle`);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Median time of `n` sequential failed logins of one kind (per-address budget off). */
async function failureCosts(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vtracer-flood-'));
  try {
    const create = (name: string) => JSON.parse(execFileSync(process.execPath, [BIN, 'keys', 'create', '--name', name, '--json', '--data', dir], { encoding: 'utf8' })) as { apiKey: string; apiSecret: string };
    const key = create('known');
    const revoked = create('revoked');
    execFileSync(process.execPath, [BIN, 'keys', 'revoke', revoked.apiKey, '--data', dir]);
    const server = await startServer(dir, ['--auth-failures', '0']);
    try {
      const kinds: Array<[string, () => string]> = [
        ['unknown key', () => basic(`api_${randomBytes(11).toString('hex')}`, key.apiSecret)],
        ['known key, wrong secret', () => basic(key.apiKey, randomBytes(18).toString('base64url'))],
        ['known key, 300-character secret', () => basic(key.apiKey, 'x'.repeat(300))],
        ['revoked key, its secret', () => basic(revoked.apiKey, revoked.apiSecret)],
      ];
      const times = new Map<string, number[]>(kinds.map(([k]) => [k, []]));
      for (let round = 0; round < 15; round++) {
        for (const [name, header] of kinds) {
          const t = performance.now();
          const res = await fetch(`${server.url}/v1/jobs`, { headers: { Authorization: header() } });
          await res.arrayBuffer();
          if (res.status !== 401) throw new Error(`${name}: ${res.status}`);
          times.get(name)!.push(performance.now() - t);
        }
      }
      for (const [name, t] of times) {
        t.sort((a, b) => a - b);
        console.log(`| ${name} | ${percentile(t, 50).toFixed(1)} ms | ${percentile(t, 10).toFixed(1)}–${percentile(t, 90).toFixed(1)} ms |`);
      }
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`flood: ${RATE} bad logins/s for ${SECONDS} s on loopback; sequential signed downloads (astronaut-256.png, 156 KB) and GET /v1/assets/{id}`);
console.log('| scenario | downloads | download p50 / p99 | poll p50 / p99 |');
console.log('|---|---|---|---|');
await scenario('per-address budget (default 20/min)', []);
await scenario('no per-address budget (--auth-failures 0)', ['--auth-failures', '0']);
console.log('\nfailed-login cost (15 each, interleaved):');
console.log('| failure | median | p10–p90 |');
console.log('|---|---|---|');
await failureCosts();
