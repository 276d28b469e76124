/**
 * Faults: kill -9 during a multipart upload (mid-part, between parts, during complete), an unwritable or
 * misplaced data folder, a second service on the same folder, a full disk (a 1 MiB tmpfs, when we may mount
 * one), and a trace worker thread that crashes. Nothing half-written, a clear line or a reason, never a corrupt
 * store.
 */
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { TracePool } from '../../src/parallel/index.js';
import { createApiKey } from '../../src/server/auth.js';
import {
  Api, MODEL, cli, createKey, dataUrl, embeddedService, fixture, noisePng, startServer, tempDirs, type Key, type Server,
} from './helpers.js';

const GENERATE = `/generate/custom/${MODEL}`;
const newDir = tempDirs();

/** `vtracer serve` on `dir` with one trace worker (and `extra` flags), and an API client with `key`. */
async function serve(dir: string, key: Key, extra: string[] = []): Promise<{ server: Server; api: Api }> {
  const server = await startServer(dir, ['--workers', '1', ...extra]);
  return { server, api: new Api(server.url, key) };
}

/** Files under `root` whose name starts with `.tmp-` (writes that never completed). */
function temporaryFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.startsWith('.tmp-')) found.push(join(d, e.name));
    }
  };
  if (existsSync(root)) walk(root);
  return found;
}

async function kill9(server: Server): Promise<void> {
  server.proc.kill('SIGKILL');
  assert.equal((await server.exited).signal, 'SIGKILL');
}

/** PUTs the first `sent` bytes of `body` (announcing all of it), then calls `then` while the request hangs. */
function partialPut(url: string, body: Buffer, sent: number): Promise<void> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'PUT', headers: { 'Content-Length': String(body.length) } });
    req.on('error', () => {});
    req.write(body.subarray(0, sent), () => setTimeout(resolve, 200));
  });
}

/** `png` with a tEXt chunk holding `text` inserted before its IEND chunk (the last 12 bytes). */
function withTextChunk(png: Buffer, text: string): Buffer {
  const data = Buffer.from(`Comment\0${text}`, 'latin1');
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write('tEXt', 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([png.subarray(0, png.length - 12), head, data, crc, png.subarray(png.length - 12)]);
}

async function randomPng(width: number, height: number): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
}

interface SmallDisk {
  mountPoint: string;
  /** The data folder, on the tmpfs. */
  dir: string;
  server: Server;
  api: Api;
}

/**
 * A service (`serve --workers 1` and `extra`) whose data folder is on a fresh tmpfs of `size` (e.g. '1m'); skips
 * the test where mounting one is not allowed (not root). After `body`, the service must stop cleanly (exit 0)
 * and its database must pass SQLite's integrity check; the tmpfs is unmounted in any case.
 */
async function onSmallDisk(t: TestContext, size: string, extra: string[], body: (disk: SmallDisk) => Promise<void>): Promise<void> {
  const mountPoint = newDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mountPoint], { stdio: 'ignore' });
  } catch {
    t.skip('cannot mount a tmpfs here (needs root); the full-disk path is then untested');
    return;
  }
  let server: Server | undefined;
  try {
    const dir = join(mountPoint, 'data');
    const key = await createKey(dir);
    const served = await serve(dir, key, extra);
    server = served.server;
    await body({ mountPoint, dir, ...served });
    assert.equal((await server.stop()).code, 0);
    const db = new Database(join(dir, 'vtracer.db'), { readonly: true });
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      db.close();
    }
  } finally {
    await server?.stop('SIGKILL'); // only when still running: the tmpfs cannot be unmounted while it is in use
    execFileSync('umount', [mountPoint]);
  }
}

describe('kill -9 during a multipart upload', () => {
  test('mid-part and between parts: after a restart the upload is still pending, the cut part is absent, it completes', async () => {
    const dir = newDir();
    const key = await createKey(dir);
    const png = fixture('astronaut-256.png');
    const share = Math.ceil(png.length / 3); // parts are at most ceil(fileSize / parts)
    const cut = [0, share, 2 * share, png.length];
    let { server, api } = await serve(dir, key);
    const upload = (await api.post('/uploads', { fileName: 'astro.png', fileSize: png.length, contentType: 'image/png', parts: 3 })).body.upload;
    for (const n of [1, 2]) {
      assert.equal((await fetch(upload.parts[n - 1].url, { method: 'PUT', body: new Uint8Array(png.subarray(cut[n - 1], cut[n])) })).status, 200);
    }
    const part3 = png.subarray(cut[2], cut[3]);
    await partialPut(upload.parts[2].url, Buffer.from(part3), 1000); // part 3 half sent when the process dies
    await kill9(server);

    ({ server, api } = await serve(dir, key));
    try {
      const pending = (await api.get(`/uploads/${upload.id}`)).body.upload;
      assert.equal(pending.status, 'pending');
      assert.equal(pending.parts.length, 3, 'fresh part URLs');
      const early = await api.post(`/uploads/${upload.id}/action`, { action: 'complete' });
      assert.equal(early.status, 400);
      assert.match(early.body.reason, /part 3 of 3 was not uploaded/, 'the cut part was not kept');
      assert.equal((await fetch(pending.parts[2].url, { method: 'PUT', body: new Uint8Array(part3) })).status, 200);
      const done = (await api.post(`/uploads/${upload.id}/action`, { action: 'complete' })).body.upload;
      assert.equal(done.status, 'imported');
      const asset = (await api.get(`/assets/${done.entityId}`)).body.asset;
      assert.ok(Buffer.from(await (await fetch(asset.url)).arrayBuffer()).equals(png), 'the parts joined, nothing of the cut request');
      assert.deepEqual(temporaryFiles(join(dir, 'blobs')), []);
      assert.equal(existsSync(join(dir, 'blobs', 'uploads', upload.id)), false, 'parts removed after import');
    } finally {
      await server.stop();
    }
  });

  test('during complete: after a restart the upload is imported exactly once (or still completable), nothing half-written', async () => {
    const dir = newDir();
    const key = await createKey(dir);
    const png = await randomPng(400, 400); // ~480 KB: an import that takes a little while
    const parts = 4;
    const size = Math.ceil(png.length / parts);
    for (const delayMs of [0, 15, 40]) {
      let { server, api } = await serve(dir, key);
      const upload = (await api.post('/uploads', { fileName: `r${delayMs}.png`, fileSize: png.length, contentType: 'image/png', parts })).body.upload;
      for (let n = 1; n <= parts; n++) {
        const res = await fetch(upload.parts[n - 1].url, { method: 'PUT', body: new Uint8Array(png.subarray((n - 1) * size, n * size)) });
        assert.equal(res.status, 200);
      }
      const completing = api.post(`/uploads/${upload.id}/action`, { action: 'complete' }).catch(() => null);
      await new Promise((r) => setTimeout(r, delayMs));
      await kill9(server);
      await completing;

      ({ server, api } = await serve(dir, key));
      try {
        let state = (await api.get(`/uploads/${upload.id}`)).body.upload;
        assert.ok(['pending', 'imported'].includes(state.status), `after restart: ${state.status} (validating is resumed at start)`);
        if (state.status === 'pending') state = (await api.post(`/uploads/${upload.id}/action`, { action: 'complete' })).body.upload;
        assert.equal(state.status, 'imported', JSON.stringify(state));
        const assets = (await api.get('/assets?pageSize=100')).body.assets as Array<{ id: string; metadata: { uploadId?: string } }>;
        assert.deepEqual(assets.filter((a) => a.metadata.uploadId === upload.id).map((a) => a.id), [state.entityId], 'exactly one asset');
        const asset = (await api.get(`/assets/${state.entityId}`)).body.asset;
        assert.ok(Buffer.from(await (await fetch(asset.url)).arrayBuffer()).equals(png), `delay ${delayMs}: bytes intact`);
        assert.equal((await api.get(`/jobs/${upload.jobId}`)).body.job.status, 'success');
        assert.deepEqual(temporaryFiles(join(dir, 'blobs')), [], 'temporary files swept at start');
        const blobFiles = readdirSync(join(dir, 'blobs', 'assets'));
        assert.ok(blobFiles.every((f) => assets.some((a) => a.id === f) || !f.startsWith('asset_')), 'no orphan asset file');
      } finally {
        await server.stop();
      }
    }
  });
});

describe('the data folder', () => {
  test('unwritable or misplaced: one clear line and exit 1 at start', async () => {
    const base = newDir();
    const file = join(base, 'a-file');
    writeFileSync(file, 'x');
    const blobsFile = join(base, 'blobs-is-a-file');
    mkdirSync(blobsFile);
    writeFileSync(join(blobsFile, 'blobs'), 'x');
    const dbDir = join(base, 'db-is-a-folder');
    mkdirSync(join(dbDir, 'vtracer.db'), { recursive: true });
    const cases: Array<[string, RegExp]> = [
      [file, /^error: cannot use the data folder ".*a-file": it exists and is not a folder$/],
      [join(file, 'sub'), /^error: cannot use the data folder ".*a-file\/sub": it exists and is not a folder$/],
      [blobsFile, /^error: cannot use the data folder ".*blobs-is-a-file\/blobs": it exists and is not a folder$/],
      [dbDir, /^error: cannot open the database ".*db-is-a-folder\/vtracer\.db": /],
    ];
    if (process.getuid?.() !== 0) {
      const readOnly = join(base, 'read-only');
      mkdirSync(readOnly, { mode: 0o500 });
      cases.push([readOnly, /^error: cannot (use|write to) the data folder ".*read-only.*": permission denied$/]);
    }
    for (const [data, pattern] of cases) {
      const r = await cli(['serve', '--port', '0', '--data', data]);
      assert.equal(r.code, 1, `${data}: ${r.stdout}${r.stderr}`);
      const lines = r.stderr.split('\n').filter(Boolean);
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, pattern);
    }
  });

  test('a second service on the same folder is refused with one line; after kill -9 the folder is taken over', async () => {
    const dir = newDir();
    const key = await createKey(dir);
    const { server: first, api } = await serve(dir, key);
    const job = (await api.post(GENERATE, { image: dataUrl(await noisePng(500, 21)), presetName: 'photo' })).body.job;
    await api.waitJob(job.jobId, (j) => j.status === 'in-progress', 30_000);
    const second = await cli(['serve', '--port', '0', '--data', dir]);
    assert.equal(second.code, 1);
    assert.match(second.stderr, new RegExp(`^error: the data folder ".*" is in use by another vtracer service \\(pid ${first.proc.pid}\\); stop it or use another --data folder\\n$`));
    const still = (await api.get(`/jobs/${job.jobId}`)).body.job;
    assert.ok(['in-progress', 'success'].includes(still.status), 'the running job was not requeued by the refused start');
    assert.deepEqual(still.statusHistory.map((s: { status: string }) => s.status).slice(0, 2), ['queued', 'in-progress']);
    assert.ok(!still.statusHistory.slice(2).some((s: { status: string }) => s.status === 'queued'));
    await kill9(first);
    const { server: third, api: thirdApi } = await serve(dir, key);
    try {
      assert.equal((await thirdApi.waitJob(job.jobId, undefined, 60_000)).status, 'success');
    } finally {
      await third.stop();
    }
    assert.equal(existsSync(join(dir, 'serve.lock')), false, 'the lock is released on a clean stop');
  });

  test('a full disk (1 MiB tmpfs): 507 with a reason for writes, a failed job with a reason, the store intact, recovery once space is back', async (t) => {
    await onSmallDisk(t, '1m', [], async ({ mountPoint, dir, api }) => {
      // An input whose SVG (every pixel a path) is far larger than the room that will be left.
      const input = (await api.post('/assets', { image: dataUrl(await randomPng(90, 90)) })).body.asset;
      assert.ok(input?.id, 'input stored');
      const kept = (await api.post('/assets', { image: dataUrl(fixture('horse.png')) })).body.asset;

      // Leave about 96 KiB free.
      const fs = statfsSync(mountPoint);
      const filler = join(mountPoint, 'filler');
      writeFileSync(filler, Buffer.alloc(Math.max(0, fs.bavail * fs.bsize - 96 * 1024)));

      const big = await api.post('/assets', { image: dataUrl(await randomPng(200, 200)) }); // ~120 KB
      assert.equal(big.status, 507, JSON.stringify(big.body));
      assert.match(big.body.reason, /^The service could not store this request: no space left on the service's disk; nothing was kept, retry later$/);
      assert.deepEqual(temporaryFiles(join(dir, 'blobs')), [], 'the failed write left no temporary file');

      const custom = { presetName: 'custom', mode: 'pixel', filterSpeckle: 0, colorPrecision: 8, layerDifference: 0 };
      const gen = await api.post(GENERATE, { image: input.id, ...custom });
      assert.equal(gen.status, 200, JSON.stringify(gen.body));
      const failed = await api.waitJob(gen.body.job.jobId, undefined, 60_000);
      assert.equal(failed.status, 'failure');
      assert.match(failed.error, /^The result could not be stored: no space left on the service's disk$/);
      assert.deepEqual(temporaryFiles(join(dir, 'blobs')), []);
      assert.equal((await fetch(`${api.base}/healthz`)).status, 200);
      const horse = (await api.get(`/assets/${kept.id}`)).body.asset;
      assert.ok(Buffer.from(await (await fetch(horse.url)).arrayBuffer()).equals(fixture('horse.png')), 'earlier files intact');

      rmSync(filler);
      const again = await api.post(GENERATE, { image: input.id, ...custom });
      assert.equal((await api.waitJob(again.body.job.jobId, undefined, 60_000)).status, 'success', 'works again once space is back');
    });
  });
});

describe('a disk that fills up while jobs run', () => {
  test('running jobs end with a reason, deletes go through, /healthz and /metrics report the pressure; all is well once space is back', async (t) => {
    await onSmallDisk(t, '4m', ['--disk-reserve', String(512 * 1024)], async ({ mountPoint, api }) => {
      const health = async () => (await fetch(`${api.base}/healthz`)).json() as Promise<{ status: string; disk: { pressure: boolean; freeBytes: number; reserveBytes: number } }>;
      const before = await health();
      assert.equal(before.status, 'ok');
      assert.deepEqual([before.disk.pressure, before.disk.reserveBytes], [false, 512 * 1024]);
      const kept = (await api.post('/assets', { image: dataUrl(fixture('horse.png')) })).body.asset;
      const pixels = (await api.post('/assets', { image: dataUrl(await randomPng(90, 90)) })).body.asset;
      // Two jobs claimed (one tracing, one waiting for the worker) when the disk fills up to the last byte.
      const slow = (await api.post(GENERATE, { image: dataUrl(await noisePng(500, 31)), presetName: 'photo' })).body.job;
      const second = (await api.post(GENERATE, { image: pixels.id, presetName: 'custom', mode: 'pixel', filterSpeckle: 0, colorPrecision: 8, layerDifference: 0 })).body.job;
      const filler = join(mountPoint, 'filler');
      const fs = statfsSync(mountPoint);
      try {
        writeFileSync(filler, Buffer.alloc(fs.bavail * fs.bsize));
      } catch { /* full already */ }
      for (;;) {
        try { appendFileSync(filler, Buffer.alloc(4096)); } catch { break; }
      }
      assert.equal(statfsSync(mountPoint).bavail, 0, 'the disk is full');

      for (const id of [slow.jobId, second.jobId]) {
        const job = await api.waitJob(id, undefined, 120_000);
        assert.equal(job.status, 'failure', `${id} ended, not stuck in-progress`);
        assert.equal(job.error, 'The result could not be stored: no space left on the service\'s disk');
      }
      const full = await health();
      assert.equal(full.status, 'degraded');
      assert.equal(full.disk.pressure, true);
      assert.match(await (await fetch(`${api.base}/metrics`)).text(), /^vtracer_disk_pressure 1$/m);
      const refused = await api.post('/assets', { image: dataUrl(fixture('logo.png')) });
      assert.equal(refused.status, 507, 'new data is refused');
      const deleted = await api.request('DELETE', `/assets/${kept.id}`);
      assert.equal(deleted.status, 200, `a delete frees space even on a full disk: ${JSON.stringify(deleted.body)}`);
      assert.equal((await api.get(`/assets/${kept.id}`)).status, 404);

      rmSync(filler);
      await api.waitJob(second.jobId); // (already final)
      const back = await health();
      assert.equal(back.status, 'ok', 'the reserve is taken again once there is room');
      assert.equal(back.disk.reserveBytes, 512 * 1024);
      const again = await api.post(GENERATE, { image: pixels.id });
      assert.equal((await api.waitJob(again.body.job.jobId, undefined, 60_000)).status, 'success');
    });
  });
});

describe('a crashing worker thread', () => {
  test('fails only its job, with a reason; the other jobs succeed and the pool keeps working', async () => {
    const dir = newDir();
    const pool = new TracePool({ size: 1, workerUrl: new URL('./crashing-trace-worker.ts', import.meta.url) });
    const { svc: service } = await embeddedService(dir, { tracer: pool });
    try {
      const key = await createApiKey(service.store, 'crash');
      const headers = {
        authorization: `Basic ${Buffer.from(`${key.apiKey}:${key.apiSecret}`).toString('base64')}`, 'content-type': 'application/json',
      };
      const submit = async (png: Buffer) => {
        const res = await service.app.inject({ method: 'POST', url: `/v1${GENERATE}`, headers, payload: JSON.stringify({ image: dataUrl(png) }) });
        assert.equal(res.statusCode, 200, res.body);
        return res.json().job.jobId as string;
      };
      const wait = async (id: string) => {
        for (let i = 0; i < 600; i++) {
          const job = (await service.app.inject({ method: 'GET', url: `/v1/jobs/${id}`, headers })).json().job;
          if (['success', 'failure', 'canceled'].includes(job.status)) return job;
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error(`job ${id} did not finish`);
      };
      const logo = fixture('logo.png');
      const before = await submit(fixture('horse.png'));
      const crashing = await submit(withTextChunk(logo, 'CRASH-WORKER'));
      const afterCrash = await submit(logo);
      const crashed = await wait(crashing);
      assert.equal(crashed.status, 'failure');
      assert.match(crashed.error, /^the trace worker crashed \(exit code 3\)$/);
      assert.deepEqual(crashed.metadata.assetIds, []);
      assert.equal((await wait(before)).status, 'success');
      assert.equal((await wait(afterCrash)).status, 'success', 'the next job ran on a replacement worker');
      assert.equal(pool.stats().restarts, 1);
    } finally {
      await service.close();
    }
  });
});
