/**
 * Hostile and careless clients: bodies trickled one byte at a time, many large bodies at once, a shutdown
 * with such a client connected. Outcomes are asserted (a 408 arrives, a 429/503 is answered, the process
 * exits before a generous bound), never tight latencies: the test machine is shared and loaded.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { Authenticator, createApiKey, type CreatedKey } from '../../src/server/auth.js';
import { SecretHasher } from '../../src/server/hasher.js';
import { FailedLoginLimiter } from '../../src/server/login-limiter.js';
import { openStore } from '../../src/server/service.js';
import type { ApiError } from '../../src/server/errors.js';
import type { EmbeddedService } from '../../src/server/service.js';
import type { ServerConfig } from '../../src/server/config.js';
import { displayName } from '../../src/server/names.js';
import { imageEnd } from '../../src/server/image-end.js';
import sharp from 'sharp';
import { MODEL, createKey, dataUrl, embeddedService, fixture, startServer, tempDirs } from './helpers.js';

const newDir = tempDirs();

function basic(key: { apiKey: string; apiSecret: string }): string {
  return `Basic ${Buffer.from(`${key.apiKey}:${key.apiSecret}`).toString('base64')}`;
}

/** An embedded service on a loopback port with `config` over the defaults, and a key. */
async function service(config: Partial<ServerConfig>): Promise<{ svc: EmbeddedService; url: URL; key: CreatedKey }> {
  const { svc, url } = await embeddedService(newDir(), { config });
  const key = await createApiKey(svc.store, 'hostile');
  return { svc, url, key };
}

interface SlowClient {
  socket: Socket;
  /** Everything the server sent back so far. */
  received(): string;
  /** Resolves with what the server sent once it closed the connection. */
  closed: Promise<string>;
  stop(): void;
}

/** Sends a request's headers announcing `length` body bytes, then one byte every `everyMs`, for ever. */
function slowBody(url: URL, path: string, headers: Record<string, string>, length: number, everyMs = 250): SlowClient {
  const socket = connect(Number(url.port), url.hostname);
  let text = '';
  socket.on('data', (chunk) => { text += chunk.toString('latin1'); });
  socket.on('error', () => {});
  const head = [`POST ${path} HTTP/1.1`, `Host: ${url.host}`, `Content-Length: ${length}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
  socket.write(head);
  const timer = setInterval(() => { if (socket.writable) socket.write('{'); }, everyMs);
  const closed = new Promise<string>((resolve) => socket.once('close', () => {
    clearInterval(timer);
    resolve(text);
  }));
  return { socket, received: () => text, closed, stop: () => { clearInterval(timer); socket.destroy(); } };
}

async function gauge(url: URL, name: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('slow request bodies', () => {
  test('a body trickled one byte at a time gets 408 once the request timeout passes, and the connection closes', async () => {
    const { svc, url, key } = await service({ requestTimeoutMs: 1500 });
    try {
      const client = slowBody(url, '/v1/assets', { Authorization: basic(key), 'Content-Type': 'application/json' }, 10_000);
      const answer = await client.closed; // the server ends it: no bound needed here beyond the test runner's
      assert.match(answer, /^HTTP\/1\.1 408 /);
      // The service keeps serving others.
      assert.equal((await fetch(new URL('/healthz', url))).status, 200);
    } finally {
      await svc.close();
    }
  });

  test('body bytes in flight are bounded per key (429) and in total (503), with Retry-After; freed when a body ends', async () => {
    const { svc, url, key } = await service({ bodyBytesInFlight: { total: 150_000, perKey: 100_000 } });
    const other = await createApiKey(svc.store, 'other');
    const third = await createApiKey(svc.store, 'third');
    const json = (k: CreatedKey) => ({ Authorization: basic(k), 'Content-Type': 'application/json' });
    const clients: SlowClient[] = [];
    try {
      clients.push(slowBody(url, '/v1/assets', json(key), 80_000));
      await until('the first body to be counted', async () => (await gauge(url, 'vtracer_http_body_bytes_in_flight')) === 80_000);
      const sameKey = await fetch(new URL('/v1/assets', url), { method: 'POST', headers: json(key), body: JSON.stringify({ image: 'x'.repeat(30_000) }) });
      assert.equal(sameKey.status, 429);
      assert.ok(Number(sameKey.headers.get('retry-after')) > 0);
      assert.match((await sameKey.json()).reason, /Too many request bodies in flight for this key/);

      clients.push(slowBody(url, '/v1/assets', json(other), 60_000));
      await until('the second body to be counted', async () => (await gauge(url, 'vtracer_http_body_bytes_in_flight')) === 140_000);
      const full = await fetch(new URL('/v1/assets', url), { method: 'POST', headers: json(third), body: JSON.stringify({ image: 'x'.repeat(30_000) }) });
      assert.equal(full.status, 503);
      assert.ok(Number(full.headers.get('retry-after')) > 0);

      for (const c of clients) c.stop();
      await until('the bodies to be released', async () => (await gauge(url, 'vtracer_http_body_bytes_in_flight')) === 0);
      const again = await fetch(new URL('/v1/assets', url), { method: 'POST', headers: json(third), body: JSON.stringify({ image: 'x'.repeat(30_000) }) });
      assert.equal(again.status, 400, 'accepted for reading again (and refused only as a bad image)');
    } finally {
      for (const c of clients) c.stop();
      await svc.close();
    }
  });
});

describe('shutdown with a client still sending', () => {
  test('SIGTERM exits 0 within --grace plus a few seconds although a body is still trickling in', async () => {
    const dir = newDir();
    const key = await createKey(dir);
    const server = await startServer(dir, ['--workers', '1', '--grace', '2', '--request-timeout', '600']);
    const url = new URL(server.url);
    const client = slowBody(url, '/v1/assets', { Authorization: basic(key), 'Content-Type': 'application/json' }, 1_000_000);
    try {
      await new Promise((r) => setTimeout(r, 500));
      const start = Date.now();
      server.proc.kill('SIGTERM');
      const bound = new Promise<'hung'>((r) => setTimeout(() => r('hung'), 2000 + 20_000).unref());
      const outcome = await Promise.race([server.exited, bound]);
      assert.notEqual(outcome, 'hung', `still running ${(Date.now() - start) / 1000} s after SIGTERM with --grace 2`);
      assert.deepEqual(outcome, { code: 0, signal: null });
      await server.waitForLog(/closing the connections still open after the grace period/);
    } finally {
      client.stop();
      await server.stop('SIGKILL');
    }
  });

  test('a request still arriving on an open connection during the shutdown: 503 in the API\'s error shape, with Retry-After', async () => {
    const { svc, url, key } = await service({});
    const socket = connect(Number(url.port), url.hostname);
    let text = '';
    socket.on('data', (chunk) => { text += chunk.toString('latin1'); });
    socket.on('error', () => {});
    const socketClosed = new Promise((resolve) => socket.once('close', resolve));
    let closing: Promise<void> | undefined;
    try {
      // A request whose body is still coming keeps the connection busy, so the shutdown leaves it open.
      const body = JSON.stringify({ image: 'not an image' });
      socket.write([`POST /v1/assets HTTP/1.1`, `Host: ${url.host}`, `Authorization: ${basic(key)}`, 'Content-Type: application/json',
        `Content-Length: ${body.length}`, '', body.slice(0, 1)].join('\r\n'));
      await until('the first body to be counted', async () => (await gauge(url, 'vtracer_http_body_bytes_in_flight')) === body.length);
      closing = svc.close();
      await until('the shutdown to begin', () => fetch(new URL('/healthz', url)).then((r) => r.status === 503, () => true));
      // The rest of that body, then a second request pipelined behind it: it reaches the service while it closes.
      socket.write(`${body.slice(1)}GET /v1/jobs HTTP/1.1\r\nHost: ${url.host}\r\nX-Request-Id: late-request\r\n\r\n`);
      await socketClosed;
      const responses = text.split(/(?=HTTP\/1\.1 \d{3} )/);
      assert.equal(responses.length, 2, text);
      assert.match(responses[0]!, /^HTTP\/1\.1 400 /, 'the request that came before the shutdown is answered as usual');
      const [head, payload] = responses[1]!.split('\r\n\r\n');
      assert.match(head!, /^HTTP\/1\.1 503 /);
      assert.match(head!, /^retry-after: \d+\r?$/im);
      assert.match(head!, /^connection: close\r?$/im);
      assert.match(head!, /^x-request-id: late-request\r?$/im);
      const error = JSON.parse(payload!) as Record<string, unknown>;
      assert.deepEqual(Object.keys(error).sort(), ['message', 'reason', 'traceId']);
      assert.match(String(error.reason), /^The service is shutting down/);
      assert.equal(error.message, error.reason);
      assert.equal(error.traceId, 'late-request');
    } finally {
      socket.destroy();
      await (closing ?? svc.close());
    }
  });
});

describe('credential floods', () => {
  const basicOf = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const statusOf = async (p: Promise<unknown>): Promise<number> => p.then(() => 200, (e: ApiError) => e.statusCode);

  test('every failure path costs exactly one secret check: unknown, revoked, wrong, over-long secret, over-long key', async () => {
    const store = openStore(newDir());
    const auth = new Authenticator(store, { failures: new FailedLoginLimiter(0) });
    try {
      const key = await createApiKey(store, 'timing');
      const revoked = await createApiKey(store, 'revoked');
      await store.revokeApiKey(revoked.apiKey, new Date().toISOString());
      const cases: Array<[string, string]> = [
        ['unknown key', basicOf('api_doesnotexist000000000', key.apiSecret)],
        ['revoked key', basicOf(revoked.apiKey, revoked.apiSecret)],
        ['wrong secret', basicOf(key.apiKey, `${key.apiSecret}x`)],
        ['over-long secret of an existing key', basicOf(key.apiKey, 'x'.repeat(5000))],
        ['over-long secret of an unknown key', basicOf('api_doesnotexist000000000', 'x'.repeat(5000))],
        ['over-long key', basicOf('k'.repeat(500), key.apiSecret)],
      ];
      for (const [name, header] of cases) {
        const before = auth.hasher.runs;
        assert.equal(await statusOf(auth.authenticate(header, '10.0.0.1')), 401, name);
        assert.equal(auth.hasher.runs - before, 1, `${name}: one scrypt check`);
      }
      const before = auth.hasher.runs;
      assert.equal(await statusOf(auth.authenticate(basicOf(key.apiKey, key.apiSecret), '10.0.0.1')), 200);
      assert.equal(auth.hasher.runs - before, 1, 'the right secret: one check too (then cached)');
    } finally {
      await auth.close();
      await store.close();
    }
  });

  test('failed logins per address: over the budget 429 with Retry-After and no hashing; other addresses and verified keys pass', async () => {
    const store = openStore(newDir());
    const auth = new Authenticator(store, { failures: new FailedLoginLimiter(5) });
    try {
      const key = await createApiKey(store, 'flood');
      const good = basicOf(key.apiKey, key.apiSecret);
      assert.equal(await statusOf(auth.authenticate(good, '10.0.0.9')), 200); // verified and cached beforehand
      const hashesBefore = auth.hasher.runs;
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push(await statusOf(auth.authenticate(basicOf(key.apiKey, `bad${i}`), '10.0.0.9')));
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429]);
      assert.equal(auth.hasher.runs - hashesBefore, 5, 'refused attempts cost no hash');
      const refused = await auth.authenticate(basicOf(key.apiKey, 'again'), '10.0.0.9').catch((e: ApiError) => e);
      assert.equal((refused as ApiError).statusCode, 429);
      assert.ok(Number((refused as ApiError).headers['Retry-After']) >= 1);
      assert.match((refused as ApiError).reason, /Too many failed logins from this address/);
      assert.equal(await statusOf(auth.authenticate(good, '10.0.0.9')), 200, 'cached credentials need no hash, so they still pass');
      assert.equal(await statusOf(auth.authenticate(basicOf(key.apiKey, 'bad'), '10.0.0.10')), 401, 'another address has its own budget');
    } finally {
      await auth.close();
      await store.close();
    }
  });

  test('concurrent checks are bounded: beyond the hashing threads and the waiting line, 429 at once', async () => {
    const store = openStore(newDir());
    const auth = new Authenticator(store, { failures: new FailedLoginLimiter(0), hasher: new SecretHasher({ threads: 1, maxWaiting: 2 }) });
    try {
      const key = await createApiKey(store, 'bounded');
      const statuses = await Promise.all(Array.from({ length: 12 }, (_, i) =>
        statusOf(auth.authenticate(basicOf(key.apiKey, `random-${i}`), `10.1.0.${i}`))));
      const checked = statuses.filter((s) => s === 401).length;
      const refused = statuses.filter((s) => s === 429).length;
      assert.equal(checked + refused, 12, statuses.join(','));
      assert.ok(checked <= 3, `${checked} checks ran or waited; at most 1 thread + 2 waiting`);
      assert.ok(refused >= 9, `${refused} refused`);
      assert.equal(auth.hasher.runs, checked);
    } finally {
      await auth.close();
      await store.close();
    }
  });

  test('over HTTP: the refusal is a JSON 429 with Retry-After, before any hash', async () => {
    const { svc, url } = await service({ auth: { failedLoginsPerMinute: 2, hashThreads: 1, maxWaitingChecks: 8 } });
    try {
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 4; i++) {
        last = await fetch(new URL('/v1/jobs', url), { headers: { Authorization: basicOf('api_nobody00000000000', `x${i}`) } });
        statuses.push(last.status);
      }
      assert.deepEqual(statuses, [401, 401, 429, 429]);
      assert.ok(Number(last!.headers.get('retry-after')) >= 1);
      assert.match((await last!.json()).reason, /Too many failed logins from this address; retry in \d+ s/);
      assert.equal(await gauge(url, 'vtracer_auth_secret_checks'), 2, 'the two failures were checked, the refusals were not');
    } finally {
      await svc.close();
    }
  });
});

describe('multipart uploads', () => {
  const call = async (url: URL, key: CreatedKey, method: string, path: string, body?: unknown) => {
    const res = await fetch(new URL(`/v1${path}`, url), {
      method, headers: { Authorization: basic(key), ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: await res.json() as any };
  };

  test('each part is at most ceil(fileSize / parts): a larger one answers 413, declared or sent', async () => {
    const { svc, url, key } = await service({});
    try {
      const upload = (await call(url, key, 'POST', '/uploads', { fileName: 'big.png', fileSize: 1000, parts: 4 })).body.upload;
      const put = (n: number, bytes: number) => fetch(upload.parts[n - 1].url, { method: 'PUT', body: new Uint8Array(bytes) });
      const over = await put(1, 251);
      assert.equal(over.status, 413);
      assert.match((await over.json()).reason, /the part is 251 bytes, more than 250 \(fileSize 1000 in 4 parts/);
      assert.equal((await put(1, 250)).status, 200);
      assert.equal((await put(4, 250)).status, 200, 'the last part may be the remainder or a full share');
      // A huge declared length is refused before its body is read (raw request: fetch sets the length itself).
      const answer = await new Promise<string>((resolve) => {
        const part = new URL(upload.parts[1].url);
        const socket = connect(Number(part.port), part.hostname);
        let text = '';
        socket.on('data', (c) => { text += c.toString('latin1'); });
        socket.on('close', () => resolve(text));
        socket.on('error', () => {});
        socket.write(`PUT ${part.pathname}${part.search} HTTP/1.1\r\nHost: ${part.host}\r\nContent-Length: 16000000\r\n\r\n`);
        setTimeout(() => socket.end(), 3000);
      });
      assert.match(answer, /^HTTP\/1\.1 413 /);
    } finally {
      await svc.close();
    }
  });

  test('unfinished uploads expire after the TTL, at start and while running: failed with a reason, parts deleted', async () => {
    const dir = newDir();
    let { svc, url } = await embeddedService(dir);
    const key = await createApiKey(svc.store, 'uploads');
    const started = (await call(url, key, 'POST', '/uploads', { fileName: 'old.png', fileSize: 100, parts: 2 })).body.upload;
    assert.equal((await fetch(started.parts[0].url, { method: 'PUT', body: new Uint8Array(50) })).status, 200);
    await svc.close();
    const parts = join(dir, 'blobs', 'uploads', started.id);
    assert.ok(existsSync(parts));

    // Restarted with a short TTL, once it has passed: the old upload is expired before the service answers.
    const age = Date.now() - Date.parse(started.createdAt);
    await new Promise((r) => setTimeout(r, Math.max(0, 3100 - age)));
    ({ svc, url } = await embeddedService(dir, { config: { uploadTtlMs: 3000 } }));
    try {
      const old = (await call(url, key, 'GET', `/uploads/${started.id}`)).body.upload;
      assert.equal(old.status, 'failed');
      assert.equal(old.error, 'The upload was not completed within 3 s of its creation; its parts were deleted');
      assert.equal((await call(url, key, 'GET', `/jobs/${started.jobId}`)).body.job.status, 'failure');
      assert.equal(existsSync(parts), false, 'its parts are deleted');
      const stale = new URL(started.parts[1].url);
      stale.port = url.port; // the part URL of the previous run, on this run's port
      assert.equal((await fetch(stale, { method: 'PUT', body: new Uint8Array(50) })).status, 400, 'no more parts accepted');

      // One started now expires while the service runs (swept every quarter of the TTL).
      const fresh = (await call(url, key, 'POST', '/uploads', { fileName: 'new.png', fileSize: 100, parts: 1 })).body.upload;
      assert.equal((await call(url, key, 'GET', `/uploads/${fresh.id}`)).body.upload.status, 'pending');
      await until('the running sweep', async () => (await call(url, key, 'GET', `/uploads/${fresh.id}`)).body.upload.status === 'failed');
    } finally {
      await svc.close();
    }
  });
});

describe('names', () => {
  test('displayName: the last path segment, without controls, bidi overrides, markup or leading dots', () => {
    const cases: Array<[string, string]> = [
      ['../../etc/passwd', 'passwd'],
      ['..\\..\\windows\\win.ini', 'win.ini'],
      ['a\u0000b\r\nc.png', 'abc.png'],
      ['invoice\u202Egnp.exe', 'invoicegnp.exe'],
      ['<img src=x onerror=alert(1)>.png', '_img src=x onerror=alert(1)_.png'],
      ['..', 'image'],
      ['.hidden', 'hidden'],
      ['   ', 'image'],
      ['photo (1).png', 'photo (1).png'],
      ['caf\u0065\u0301.png', 'caf\u00e9.png'],
    ];
    for (const [raw, expected] of cases) assert.equal(displayName(raw), expected, JSON.stringify(raw));
    assert.equal(displayName('x'.repeat(500)).length, 200);
  });

  test('hostile fileName and name: stored and returned sanitised, and the traced output is named from that', async () => {
    const { svc, url, key } = await service({});
    try {
      const png = fixture('logo.png');
      const hostile = '../../etc/\u202Epasswd\r\n<b>\u0000.png';
      const post = async (path: string, body: unknown) => {
        const res = await fetch(new URL(`/v1${path}`, url), { method: 'POST', headers: { Authorization: basic(key), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        return res.json() as Promise<any>;
      };
      const upload = (await post('/uploads', { fileName: hostile, fileSize: png.length, parts: 1 })).upload;
      assert.equal(upload.fileName, 'passwd_b_.png');
      assert.equal((await fetch(upload.parts[0].url, { method: 'PUT', body: new Uint8Array(png) })).status, 200);
      const done = (await post(`/uploads/${upload.id}/action`, { action: 'complete' })).upload;
      assert.equal(done.status, 'imported');
      const asset = (await (await fetch(new URL(`/v1/assets/${done.entityId}`, url), { headers: { Authorization: basic(key) } })).json() as any).asset;
      assert.equal(asset.name, 'passwd_b_.png');
      const direct = (await post('/assets', { image: dataUrl(png), name: '..\\..\\x\u0007.svg' })).asset;
      assert.equal(direct.name, 'x.svg');
      const job = (await post(`/generate/custom/${MODEL}`, { image: done.entityId })).job;
      let final: any;
      await until('the trace', async () => {
        final = (await (await fetch(new URL(`/v1/jobs/${job.jobId}`, url), { headers: { Authorization: basic(key) } })).json() as any).job;
        return ['success', 'failure'].includes(final.status);
      }, 60_000);
      assert.equal(final.status, 'success');
      const output = (await (await fetch(new URL(`/v1/assets/${final.metadata.assetIds[0]}`, url), { headers: { Authorization: basic(key) } })).json() as any).asset;
      assert.equal(output.name, 'passwd_b_.svg');
    } finally {
      await svc.close();
    }
  });
});

describe('bytes after the image', () => {
  test('imageEnd finds the end of PNG, JPEG (baseline and progressive), GIF, WebP and BMP images followed by junk', async () => {
    const raw = Buffer.alloc(40 * 30 * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919) % 251;
    const base = sharp(raw, { raw: { width: 40, height: 30, channels: 3 } });
    const images: Array<[string, Buffer]> = [
      ['png', await base.clone().png().toBuffer()],
      ['jpeg', await base.clone().jpeg().toBuffer()],
      ['jpeg', await base.clone().jpeg({ progressive: true }).toBuffer()],
      ['gif', await base.clone().gif().toBuffer()],
      ['webp', await base.clone().webp().toBuffer()],
      ['bmp', bmp24(40, 30)],
    ];
    const junk = Buffer.concat([Buffer.from('PK\u0003\u0004 and <script>alert(1)</script> '), randomBytes(5000), Buffer.from([0xff, 0xd9, 0x3b, 0])]);
    for (const [format, image] of images) {
      assert.equal(imageEnd(format, Buffer.concat([image, junk])), image.length, format);
      assert.equal(imageEnd(format, image), image.length, `${format} alone`);
    }
  });

  test('an image followed by megabytes of other bytes is stored and served as the image alone', async () => {
    const { svc, url, key } = await service({});
    try {
      const png = fixture('logo.png');
      const padded = Buffer.concat([png, randomBytes(2 * 1024 * 1024)]);
      const res = await fetch(new URL('/v1/assets', url), {
        method: 'POST', headers: { Authorization: basic(key), 'Content-Type': 'application/json' }, body: JSON.stringify({ image: dataUrl(padded) }),
      });
      const asset = (await res.json() as any).asset;
      assert.equal(asset.properties.size, png.length);
      assert.ok(Buffer.from(await (await fetch(asset.url)).arrayBuffer()).equals(png), 'the stored file is the PNG alone');
    } finally {
      await svc.close();
    }
  });
});

/** A 24-bit BMP (what sharp cannot write) of a grey ramp. */
function bmp24(width: number, height: number): Buffer {
  const row = Math.ceil((width * 3) / 4) * 4;
  const out = Buffer.alloc(54 + row * height);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  out.writeUInt32LE(row * height, 34);
  for (let y = 0; y < height; y++) for (let x = 0; x < width * 3; x++) out[54 + y * row + x] = (x + y) & 255;
  return out;
}
