/**
 * Memory of the embedded service around large traces: the built CLI's `serve --workers 2`, N large images
 * (default two 4000×3000 = 12 MP, traced at once), then the server's peak RSS (VmHWM) and its RSS once idle,
 * with worker recycling on (default 16 MP... here forced below the image size) and off. Bounded, loopback only.
 *
 *   npm run build && node --import tsx bench/memory-service.ts [-- --width 4000 --height 3000 --images 2]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'vtracer.js');
const { values } = parseArgs({ options: { width: { type: 'string', default: '4000' }, height: { type: 'string', default: '3000' }, images: { type: 'string', default: '2' } } });
const W = Number(values.width);
const H = Number(values.height);
const N = Number(values.images);

const status = (pid: number, field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** A photo-like test card: smooth gradients with blocks and some noise (decodes to W×H×4 bytes). */
async function image(seed: number): Promise<string> {
  const raw = Buffer.alloc(W * H * 3);
  let s = seed;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      const i = (y * W + x) * 3;
      const block = ((x >> 7) + (y >> 7)) & 3;
      raw[i] = (x * 255 / W + block * 40 + (s & 15)) & 255;
      raw[i + 1] = (y * 255 / H + block * 25) & 255;
      raw[i + 2] = (block * 60 + ((s >> 8) & 15)) & 255;
    }
  }
  const png = await sharp(raw, { raw: { width: W, height: H, channels: 3 } }).png().toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

async function run(label: string, recycle: number, inputs: string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vtracer-mem-'));
  const key = JSON.parse(execFileSync(process.execPath, [BIN, 'keys', 'create', '--name', 'm', '--json', '--data', dir], { encoding: 'utf8' })) as { apiKey: string; apiSecret: string };
  const auth = `Basic ${Buffer.from(`${key.apiKey}:${key.apiSecret}`).toString('base64')}`;
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', dir, '--workers', '2', '--recycle-above-pixels', String(recycle)], {
    stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, VTRACER_URL_SECRET: '', VTRACER_LOG_LEVEL: 'info' },
  });
  const url = await new Promise<string>((res) => {
    let buf = '';
    proc.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = /"url":"(http:\/\/[^"]+)".*vtracer service ready/.exec(buf);
      if (m) res(m[1]!);
      if (buf.length > 1e6) buf = '';
    });
  });
  const base = status(proc.pid!, 'VmRSS');
  const t0 = performance.now();
  const ids = await Promise.all(inputs.map(async (image) => {
    const res = await fetch(`${url}/v1/generate/custom/model_visioncortex-vtracer`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ image, presetName: 'poster' }) });
    return ((await res.json()) as { job: { jobId: string } }).job.jobId;
  }));
  for (const id of ids) {
    for (;;) {
      const job = ((await (await fetch(`${url}/v1/jobs/${id}`, { headers: { Authorization: auth } })).json()) as { job: { status: string; error?: string } }).job;
      if (['success', 'failure'].includes(job.status)) {
        if (job.status !== 'success') console.error(`${id}: ${job.error}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 5000));
  const peak = status(proc.pid!, 'VmHWM');
  const idle = status(proc.pid!, 'VmRSS');
  const pixels = W * H * Math.min(2, N);
  console.log(`| ${label} | ${base.toFixed(0)} MB | ${peak.toFixed(0)} MB | ${idle.toFixed(0)} MB | ${(((peak - base) * 1024 * 1024) / pixels).toFixed(0)} B/px | ${seconds.toFixed(0)} s |`);
  proc.kill('SIGTERM');
  await new Promise((r) => proc.on('exit', r));
  rmSync(dir, { recursive: true, force: true });
}

const inputs = await Promise.all(Array.from({ length: N }, (_, i) => image(i + 1)));
console.log(`memory: ${N} images of ${W}×${H} (${(W * H / 1e6).toFixed(0)} MP, poster preset), serve --workers 2; RSS of the server process`);
console.log('| run | RSS at start | peak RSS | RSS 5 s after the last job | peak above start per pixel traced at once | time |');
console.log('|---|---|---|---|---|---|');
await run('workers kept (--recycle-above-pixels 0)', 0, inputs);
await run(`workers recycled (--recycle-above-pixels ${W * H - 1})`, W * H - 1, inputs);
