/**
 * Security promises of the service, against the built CLI's server: security headers (and a page that needs no
 * inline script for its CSP), unguessable ids, no path from an id to the file system (traversal attempts on
 * the API, signed file URLs — even validly signed —, upload parts and the static page), secrets hashed at
 * rest, and no secret in the logs of a whole flow at the most verbose log level.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto, { createHmac } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { Authenticator } from '../../src/server/auth.js';
import { FsBlobStore } from '../../src/server/blobs/fs.js';
import { openStore } from '../../src/server/service.js';
import { isId, newId } from '../../src/server/ids.js';
import { Api, MODEL, ROOT, createKey, dataUrl, fixture, removeDir, startServer, tempDir, type Key, type Server } from './helpers.js';

const GENERATE = `/generate/custom/${MODEL}`;

/** A raw GET/PUT: the path goes out exactly as written (fetch would normalise `..`). */
function raw(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('latin1'), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('security', () => {
  let dir: string;
  let server: Server;
  let key: Key;
  let api: Api;
  let urlSecret: string;
  let secrets: string[];

  before(async () => {
    dir = tempDir();
    key = await createKey(dir, 'sec');
    process.env.VTRACER_LOG_LEVEL = 'trace';
    server = await startServer(dir, ['--workers', '1']);
    delete process.env.VTRACER_LOG_LEVEL;
    api = new Api(server.url, key);
    urlSecret = readFileSync(join(dir, 'url-secret'), 'utf8').trim();
    secrets = [key.apiSecret, Buffer.from(`${key.apiKey}:${key.apiSecret}`).toString('base64'), urlSecret];
  });

  after(async () => {
    await server.stop();
    removeDir(dir);
  });

  test('security headers on the page, the API, errors and health; the CSP allows what the page does and no more', async () => {
    for (const [path, auth] of [['/', false], ['/index.html', false], ['/main.js', false], ['/v1/jobs', true], ['/v1/jobs', false], ['/v1/nope', true], ['/healthz', false]] as const) {
      const res = await fetch(`${server.url}${path}`, { headers: auth ? api.headers() : {} });
      const csp = res.headers.get('content-security-policy') ?? '';
      const context = `${path} (${res.status})`;
      for (const directive of ["default-src 'self'", "script-src 'self'", "worker-src 'self'", "style-src 'self'", "img-src 'self' data: blob:",
        "connect-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'"]) {
        assert.ok(csp.split(';').map((d) => d.trim()).includes(directive), `${context}: ${directive} in ${csp}`);
      }
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|upgrade-insecure-requests/, context);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', context);
      assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN', context);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer', context);
      assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin', context);
      assert.equal(res.headers.get('cross-origin-resource-policy'), 'same-origin', context);
      assert.doesNotMatch(res.headers.get('strict-transport-security') ?? '', /includeSubDomains/, context);
      assert.equal(res.headers.get('x-powered-by'), null, context);
    }
    // The page keeps working under that CSP: no inline script, handler attribute or style attribute to block.
    const html = readFileSync(join(ROOT, 'web', 'dist', 'index.html'), 'utf8');
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'inline <script>');
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'inline event handler');
    assert.doesNotMatch(html, /\sstyle\s*=|<style/i, 'inline style');
    assert.doesNotMatch(html, /(src|href)=["']?(https?:)?\/\//i, 'a resource from another origin');

    // Signed file URLs: a sandboxed CSP (an SVG cannot run script) and embeddable by other sites.
    const asset = (await api.post('/assets', { image: dataUrl(fixture('logo.png')) })).body.asset;
    const file = await fetch(asset.url);
    assert.equal(file.status, 200);
    assert.match(file.headers.get('content-security-policy') ?? '', /^default-src 'none';.*sandbox/);
    assert.equal(file.headers.get('cross-origin-resource-policy'), 'cross-origin');
  });

  test('ids: prefix and 22 base62 characters (128 random bits), all distinct, uniform characters', async () => {
    const seen = new Set<string>();
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const id = newId('asset');
      assert.match(id, /^asset_[0-9A-Za-z]{22}$/);
      seen.add(id);
      // The first character carries the top bits (62^22 > 2^128), so it is not uniform; the other 21 are.
      for (const c of id.slice(7)) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    assert.equal(seen.size, 20_000);
    assert.equal(counts.size, 62);
    const expected = (20_000 * 21) / 62;
    for (const [c, n] of counts) assert.ok(Math.abs(n - expected) < expected * 0.1, `character ${c}: ${n} vs ${expected.toFixed(0)}`);
    assert.ok(22 * Math.log2(62) >= 128);
    // Ids handed out by the API have that shape.
    const asset = (await api.post('/assets', { image: dataUrl(fixture('horse.png')) })).body.asset;
    const job = (await api.post(GENERATE, { image: asset.id })).body.job;
    const upload = (await api.post('/uploads', { fileName: 'x.png', fileSize: 10, parts: 1 })).body.upload;
    for (const id of [asset.id, job.jobId, upload.id, upload.jobId]) assert.match(id, /^(asset|job|upload)_[0-9A-Za-z]{22}$/);
    assert.equal((await api.waitJob(job.jobId)).status, 'success');
  });

  test('no path from an id to the file system: traversal on the API, signed file URLs (even validly signed), parts and the page', async () => {
    const sign = (resource: string, expires: number) => createHmac('sha256', urlSecret).update(`${resource}\n${expires}`).digest('base64url');
    const expires = Math.floor(Date.now() / 1000) + 600;
    const attempts = [
      '../../vtracer.db', '..%2F..%2Fvtracer.db', '%2e%2e%2f%2e%2e%2fvtracer.db', '..%252F..%252Fvtracer.db', '....//....//vtracer.db',
      '..\\..\\vtracer.db', '%2e%2e/%2e%2e/url-secret', 'asset_..%2F..%2Furl-secret', '/etc/passwd', '%2Fetc%2Fpasswd',
      '..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd', 'asset_%00', '.', '..', 'blobs', 'url-secret',
    ];
    const leaked = (body: string) => body.includes('root:x:0:0') || body.includes('SQLite format') || body.includes(urlSecret);
    for (const id of attempts) {
      for (const path of [`/v1/assets/${id}`, `/v1/jobs/${id}`, `/v1/uploads/${id}`]) {
        const res = await raw(server.url, 'GET', path, api.headers());
        // 403: a path with `..` segments is not an API route; the static files refuse it as malicious.
        assert.ok([400, 403, 404].includes(res.status), `${path} → ${res.status}`);
        assert.ok(!leaked(res.body), path);
      }
      // A signed URL: 403 without the right signature; with a valid signature over the hostile id, still no file.
      const decoded = (() => { try { return decodeURIComponent(id); } catch { return id; } })();
      for (const [path, expect] of [
        [`/files/assets/${id}?expires=${expires}&signature=${sign(`asset:${decoded}`, expires)}`, [400, 403, 404]],
        [`/files/assets/${id}?expires=${expires}&signature=AAAA`, [403, 404]],
      ] as const) {
        const res = await raw(server.url, 'GET', path);
        assert.ok((expect as readonly number[]).includes(res.status), `${path} → ${res.status}`);
        assert.ok(!leaked(res.body), path);
      }
      const put = await raw(server.url, 'PUT', `/files/uploads/${id}/parts/1?expires=${expires}&signature=${sign(`upload:${decoded}:1`, expires)}`,
        { 'content-type': 'application/octet-stream' }, Buffer.from('payload'));
      assert.ok([400, 403, 404].includes(put.status), `PUT part of ${id} → ${put.status}`);
      // The static page: nothing outside web/dist.
      for (const path of [`/${id}`, `/assets/${id}`, `/index.html/${id}`]) {
        const res = await raw(server.url, 'GET', path);
        assert.ok(res.status >= 400 || !leaked(res.body), `${path} → ${res.status}`);
        assert.ok(!leaked(res.body), path);
      }
    }
    for (const path of ['/../../../../etc/passwd', '/..%2f..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/../package.json', '/%2e%2e/package.json']) {
      const res = await raw(server.url, 'GET', path);
      assert.ok(res.status >= 400, `${path} → ${res.status}`);
      assert.ok(!leaked(res.body) && !res.body.includes('"dependencies"'), path);
    }
    // Nothing was written outside blobs/ by the hostile PUTs.
    const top = readdirSync(dir).sort();
    assert.deepEqual(top.filter((f) => !['blobs', 'disk-reserve', 'serve.lock', 'url-secret', 'vtracer.db', 'vtracer.db-shm', 'vtracer.db-wal'].includes(f)), []);
    // And the blob store itself refuses any key that is not a few safe segments.
    const blobs = new FsBlobStore(join(dir, 'blobs'));
    for (const k of ['../x', 'assets/../../x', '/etc/passwd', 'assets/..', 'a\\..\\b', 'assets/%2e%2e', 'assets/a b', '', 'a//b', 'assets/\0']) {
      await assert.rejects(blobs.get(k), /invalid blob key/, JSON.stringify(k));
      await assert.rejects(blobs.put(k, Buffer.from('x')), /invalid blob key/, JSON.stringify(k));
    }
    for (const bad of ['asset_../../x', 'asset_', 'asset_%2e', 'job_0000000000', 'asset_a/b0000000000']) assert.equal(isId('asset', bad), false, bad);
  });

  test('secrets at rest: only a scrypt hash of the API secret in the database; URL secret and files private', () => {
    for (const f of readdirSync(dir).filter((f) => f.startsWith('vtracer.db'))) {
      const bytes = readFileSync(join(dir, f)).toString('latin1');
      assert.ok(!bytes.includes(key.apiSecret), `${f} holds the API secret`);
    }
    const db = readFileSync(join(dir, 'vtracer.db')).toString('latin1') + readFileSync(join(dir, 'vtracer.db-wal')).toString('latin1');
    assert.match(db, /scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}/, 'a scrypt hash (N=2^15, r=8) with a salt');
    assert.equal(statSync(join(dir, 'url-secret')).mode & 0o077, 0, 'url-secret is readable by its owner only');
    const assetFiles = readdirSync(join(dir, 'blobs', 'assets'));
    assert.ok(assetFiles.length > 0);
    for (const f of assetFiles) assert.equal(statSync(join(dir, 'blobs', 'assets', f)).mode & 0o077, 0, `blob ${f} is private`);
  });

  test('concurrent first requests share one scrypt check, off the file I/O pool, and a wrong secret among them is still refused', async () => {
    const store = openStore(dir);
    // Count the checks (the hasher's counter) rather than compare durations, which a loaded machine stretches
    // unevenly; and spy on crypto.scrypt (libuv's pool, which serves the files) to see it is never used.
    let poolRuns = 0;
    const scrypt = crypto.scrypt;
    crypto.scrypt = ((...args: unknown[]) => {
      poolRuns++;
      return (scrypt as (...a: unknown[]) => void)(...args);
    }) as typeof crypto.scrypt;
    syncBuiltinESMExports();
    const auth = new Authenticator(store);
    try {
      const basic = (secret: string) => `Basic ${Buffer.from(`${key.apiKey}:${secret}`).toString('base64')}`;
      const outcomes = await Promise.allSettled(Array.from({ length: 40 }, (_, i) =>
        auth.authenticate(basic(i % 8 === 7 ? `${key.apiSecret}x` : key.apiSecret))));
      outcomes.forEach((o, i) => {
        if (i % 8 === 7) assert.ok(o.status === 'rejected' && (o.reason as { statusCode: number }).statusCode === 401, `call ${i}`);
        else assert.ok(o.status === 'fulfilled' && o.value.projectId === key.projectId, `call ${i}`);
      });
      // Two distinct secrets: two scrypt runs, not 40.
      assert.equal(auth.hasher.runs, 2, `${auth.hasher.runs} scrypt runs for 40 concurrent checks of 2 distinct secrets`);
      assert.equal(poolRuns, 0, 'no check ran on libuv\'s thread pool');
      // The verified secret is cached; the wrong one is checked again.
      await auth.authenticate(basic(key.apiSecret));
      await assert.rejects(auth.authenticate(basic(`${key.apiSecret}x`)));
      assert.equal(auth.hasher.runs, 3);
    } finally {
      crypto.scrypt = scrypt;
      syncBuiltinESMExports();
      await auth.close();
      await store.close();
    }
  });

  test('no secret in the logs of a whole flow at log level trace (auth failures, uploads, signed URLs, errors)', async () => {
    const wrong = new Api(server.url, { apiKey: key.apiKey, apiSecret: `${key.apiSecret}x` });
    assert.equal((await wrong.get('/jobs')).status, 401);
    assert.equal((await new Api(server.url, { apiKey: 'api_unknown', apiSecret: key.apiSecret }).get('/jobs')).status, 401);
    const gen = await api.post(GENERATE, { image: dataUrl(fixture('horse.png')), presetName: 'bw' });
    const done = await api.waitJob(gen.body.job.jobId);
    const svg = (await api.get(`/assets/${done.metadata.assetIds[0]}`)).body.asset;
    assert.equal((await fetch(svg.url)).status, 200);
    const tampered = new URL(svg.url);
    // Change the last character to another one (a signature may already end in A).
    const signature = tampered.searchParams.get('signature')!;
    tampered.searchParams.set('signature', `${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`);
    assert.equal((await fetch(tampered)).status, 403);
    const png = fixture('logo.png');
    const upload = (await api.post('/uploads', { fileName: 'l.png', fileSize: png.length, parts: 1 })).body.upload;
    assert.equal((await fetch(upload.parts[0].url, { method: 'PUT', body: new Uint8Array(png) })).status, 200);
    assert.equal((await api.post(`/uploads/${upload.id}/action`, { action: 'complete' })).body.upload.status, 'imported');
    assert.equal((await api.post(GENERATE, { image: 'data:image/png;base64,!!' })).status, 400);
    assert.equal((await api.request('POST', GENERATE, '{"image":', {})).status, 400);
    await server.waitForLog(/"url":"\/files\/uploads\/upload_\w+\/parts\/1\?expires=\d+&signature=\[redacted\]"/);
    await server.waitForLog(/"statusCode":400/);
    const logs = server.logs.join('\n');
    for (const s of secrets) assert.ok(!logs.includes(s), 'a secret in the logs');
    for (const u of [svg.url, upload.parts[0].url, tampered.href]) {
      assert.ok(!logs.includes(new URL(u).searchParams.get('signature')!), 'a URL signature in the logs');
    }
    assert.doesNotMatch(logs, /Basic [A-Za-z0-9+/=]{8,}/, 'an Authorization header in the logs');
    assert.doesNotMatch(logs, /"authorization":"(?!\[redacted\])/i);
  });
});
