/**
 * The examples in examples/ run unchanged against a live server (only VTRACER_BASE_URL and the key differ),
 * and each writes an SVG of the image. The Python one needs python3 with requests: installed from Debian's
 * python3-requests when missing; skipped with a message only if that cannot be done.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Resvg } from '@resvg/resvg-js';
import { findPython } from '../support/python.js';
import { ROOT, createKey, removeDir, startServer, tempDir, type Key, type Server } from './helpers.js';

const run = promisify(execFile);
const IMAGE = join(ROOT, 'test', 'fixtures', 'emoji-1f34e.png');

function checkSvg(path: string): void {
  const svg = readFileSync(path, 'utf8');
  assert.match(svg, /^<svg [^>]*width="512" height="512"/);
  assert.equal(new Resvg(svg).render().width, 512);
}

describe('examples against a live server', () => {
  let dir: string;
  let server: Server;
  let key: Key;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    dir = tempDir();
    key = await createKey(dir, 'examples');
    server = await startServer(dir, ['--workers', '2']);
    env = { ...process.env, VTRACER_BASE_URL: `${server.url}/v1`, VTRACER_API_KEY: key.apiKey, VTRACER_API_SECRET: key.apiSecret };
  });

  after(async () => {
    await server.stop();
    removeDir(dir);
  });

  test('curl.sh', async () => {
    const out = join(dir, 'curl.svg');
    const { stdout } = await run('bash', [join(ROOT, 'examples', 'curl.sh'), IMAGE, out], { env, timeout: 60_000 });
    assert.match(stdout, /job job_\w+: success/);
    checkSvg(out);
  });

  test('js/generate.mjs', async () => {
    const out = join(dir, 'js.svg');
    const { stdout } = await run(process.execPath, [join(ROOT, 'examples', 'js', 'generate.mjs'), IMAGE, out], { env, timeout: 60_000 });
    assert.match(stdout, /job job_\w+: success 100%/);
    checkSvg(out);
  });

  test('python/generate.py', async (t) => {
    const { python, why } = findPython();
    if (!python) {
      t.skip(`SKIPPED: ${why}`);
      return;
    }
    const out = join(dir, 'python.svg');
    const { stdout } = await run(python, [join(ROOT, 'examples', 'python', 'generate.py'), IMAGE, out], { env, timeout: 60_000 });
    assert.match(stdout, /job job_\w+: success 100%/);
    checkSvg(out);
  });

  test('the examples report a failure clearly (wrong secret: 401 and a non-zero exit)', async () => {
    const bad = { ...env, VTRACER_API_SECRET: 'wrong' };
    await assert.rejects(run(process.execPath, [join(ROOT, 'examples', 'js', 'generate.mjs'), IMAGE, join(dir, 'x.svg')], { env: bad }),
      (err: { stderr: string }) => /401 Invalid API key or secret/.test(err.stderr));
    await assert.rejects(run('bash', [join(ROOT, 'examples', 'curl.sh'), IMAGE, join(dir, 'y.svg')], { env: bad }),
      (err: { stderr: string; stdout: string }) => /401|Invalid API key/.test(err.stderr + err.stdout));
  });
});
