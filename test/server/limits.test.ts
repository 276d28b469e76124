/** Per-key limits (the hooks the hardening work builds on) and the keys CLI's error paths. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Api, MODEL, cli, createKey, dataUrl, fixture, noisePng, removeDir, startServer, tempDir, type Key, type Server } from './helpers.js';

describe('limits', () => {
  let dir: string;
  let server: Server;
  let a: Key;
  let b: Key;

  before(async () => {
    dir = tempDir();
    a = await createKey(dir, 'a');
    b = await createKey(dir, 'b');
    server = await startServer(dir, ['--workers', '1', '--rate-limit', '6', '--max-active-jobs', '1']);
  });

  after(async () => {
    await server.stop();
    removeDir(dir);
  });

  test('--max-active-jobs: a second unfinished job of the project answers 429 with Retry-After', async () => {
    const api = new Api(server.url, a);
    const first = await api.post(`/generate/custom/${MODEL}`, { image: dataUrl(await noisePng(700, 9)), presetName: 'photo' });
    assert.equal(first.status, 200);
    const second = await api.post(`/generate/custom/${MODEL}`, { image: dataUrl(fixture('logo.png')) });
    assert.equal(second.status, 429);
    assert.ok(Number(second.headers.get('retry-after')) > 0);
    assert.equal(second.body.remainingSeconds, Number(second.headers.get('retry-after')));
    assert.match(second.body.reason, /Too many unfinished jobs for this project \(limit 1\)/);
    assert.equal(second.body.message, second.body.reason);
  });

  test('--rate-limit: the 7th request of a key in a minute answers 429 with Retry-After; other keys are not affected', async () => {
    const api = new Api(server.url, b);
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 7; i++) {
      last = await api.get('/jobs');
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 429]);
    const retryAfter = Number(last!.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After: ${retryAfter}`);
    // The window is a minute whatever the time left; the time left is the wait, in the text and in the body.
    assert.equal(last!.body.remainingSeconds, retryAfter);
    assert.match(last!.body.reason, new RegExp(`^Too many requests for this key: at most 6 per minute; retry in ${retryAfter} seconds?$`));
    assert.equal(last!.body.message, last!.body.reason);
    const other = await createKey(dir, 'c');
    assert.equal((await new Api(server.url, other).get('/jobs')).status, 200);
  });

  test('keys CLI: clear errors for a missing data dir and unknown or already revoked keys', async () => {
    const missing = await cli(['keys', 'list', '--data', `${dir}/nope`]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no service data in .*nope/);
    const unknown = await cli(['keys', 'revoke', 'api_unknown', '--data', dir]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no key api_unknown in the data folder .*vtracer/);
    const k = await createKey(dir, 'gone');
    assert.equal((await cli(['keys', 'revoke', k.apiKey, '--data', dir])).code, 0);
    const twice = await cli(['keys', 'revoke', k.apiKey, '--data', dir]);
    assert.equal(twice.code, 1);
    assert.match(twice.stderr, /already revoked/);
    const text = await cli(['keys', 'create', '--name', 'human', '--data', dir]);
    assert.match(text.stdout, /API key: +api_\w+\nAPI secret: +\w+/);
  });
});
