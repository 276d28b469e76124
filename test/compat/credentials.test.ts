/**
 * Credentials as the hosted docs build them. Their shell line is `$(echo -n 'KEY:SECRET' | base64)`, and GNU
 * `base64` wraps at 76 characters: new keys must fit on one line, keys made before (longer) must keep
 * working, and anything malformed must get the API's 401 JSON with WWW-Authenticate, not a bare 400.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { hashSecret } from '../../src/server/auth.js';
import { newId, randomBase62 } from '../../src/server/ids.js';
import { openStore } from '../../src/server/service.js';
import { Api, MODEL, createKey, removeDir, startServer, tempDir, type Key, type Server } from '../server/helpers.js';

const run = promisify(execFile);

/** The hosted docs' curl line with only the base URL and the credentials filled in, run by bash. */
async function docsCurl(base: string, key: string, secret: string): Promise<{ status: number; headers: string; body: any }> {
  const line = `curl -s -D - -X GET "${base}/v1/models/${MODEL}" -H "Authorization: Basic $(echo -n '${key}:${secret}' | base64)"`;
  const { stdout } = await run('bash', ['-c', line], { timeout: 30_000 });
  const split = stdout.indexOf('\r\n\r\n');
  const head = stdout.slice(0, split);
  return { status: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1]), headers: head, body: JSON.parse(stdout.slice(split + 4)) };
}

/** Sends raw bytes and returns the raw answer (for headers no HTTP client would send). */
function rawRequest(base: string, text: string): Promise<string> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.end(text));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

describe('credentials as the hosted docs build them', () => {
  let dir: string;
  let server: Server;
  let key: Key;
  const oldKey = { apiKey: newId('api'), apiSecret: randomBase62(24) };

  before(async () => {
    dir = tempDir();
    key = await createKey(dir, 'docs');
    // A key in the format made before: a 33-character secret, so key:secret is 60 bytes and wraps in base64.
    const store = openStore(dir);
    await store.createApiKey({
      apiKey: oldKey.apiKey, projectId: key.projectId, name: 'old', secretHash: await hashSecret(oldKey.apiSecret),
      createdAt: new Date().toISOString(), revokedAt: null,
    });
    await store.close();
    server = await startServer(dir, ['--workers', '1']);
  });

  after(async () => {
    await server.stop();
    removeDir(dir);
  });

  test('a new key and secret encode to one base64 line (at most 76 characters), with 128-bit secrets', async () => {
    assert.match(key.apiKey, /^api_[0-9A-Za-z]{22}$/);
    assert.match(key.apiSecret, /^[0-9A-Za-z]{22}$/); // 22 base62 characters = 131 bits of room for 128 random bits
    const { stdout } = await run('bash', ['-c', `echo -n '${key.apiKey}:${key.apiSecret}' | base64`]);
    assert.equal(stdout.trim().split('\n').length, 1, stdout);
    assert.ok(stdout.trim().length <= 76, `${stdout.trim().length} characters`);
  });

  test('the docs\' curl line (plain base64) works with a new key', async () => {
    const answer = await docsCurl(server.url, key.apiKey, key.apiSecret);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.model.id, MODEL);
  });

  test('a key made before keeps working; with the wrapped docs line it gets a 401 that says how to fix it', async () => {
    const api = new Api(server.url, oldKey);
    assert.equal((await api.get(`/models/${MODEL}`)).status, 200);
    const answer = await docsCurl(server.url, oldKey.apiKey, oldKey.apiSecret);
    assert.equal(answer.status, 401);
    assert.match(answer.headers, /\r\nWWW-Authenticate: Basic realm="vtracer"/i);
    assert.match(answer.body.reason, /split over two lines: base64 wrapped .* `base64 -w0`/);
    assert.equal(answer.body.message, answer.body.reason);
    assert.match(answer.body.traceId, /^req_\w+$/);
  });

  test('malformed Authorization headers answer 401 JSON with WWW-Authenticate, reason, message and traceId', async () => {
    const cases: [string, RegExp][] = [
      ['Bearer abc.def.ghi', /got the scheme "Bearer"/],
      ['Basic', /must be Basic base64\(API_KEY:API_SECRET\)/],
      ['Basic !!!not-base64!!!', /must be Basic base64\(API_KEY:API_SECRET\)/],
      [`Basic ${Buffer.from('no-colon-here').toString('base64')}`, /not base64 of "key:secret"/],
      [`Basic ${Buffer.from(`${key.apiKey}:wrong`).toString('base64')}`, /Invalid API key or secret/],
    ];
    for (const [header, reason] of cases) {
      const res = await fetch(`${server.url}/v1/jobs`, { headers: { Authorization: header } });
      const body = await res.json() as Record<string, string>;
      assert.equal(res.status, 401, header);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Basic /, header);
      assert.match(body.reason!, reason, header);
      assert.equal(body.message, body.reason);
      assert.equal(body.traceId, res.headers.get('x-request-id'));
    }
  });

  test('other unparsable requests answer 400 in the API\'s error shape, not the framework\'s', async () => {
    const answer = await rawRequest(server.url, 'GET /v1/jobs HTTP/1.1\r\nHost: x\r\nX-Bad\x01Header: 1\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 400 Bad Request\r\n/);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, string>;
    assert.match(body.reason!, /not valid HTTP/);
    assert.equal(body.message, body.reason);
    assert.ok(body.traceId);
  });
});
