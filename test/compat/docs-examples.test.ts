/**
 * Clients written the way the hosted API's docs show them (curl with `$(echo -n 'KEY:SECRET' | base64)`,
 * Python with requests and base64.b64encode, JavaScript with fetch and btoa), run against the service with
 * only the base URL and the credential placeholders changed: upload → generate → poll → asset → download.
 * The Python one needs python3 with requests: installed from Debian's python3-requests when missing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Resvg } from '@resvg/resvg-js';
import { findPython } from '../support/python.js';
import { ROOT, createKey, removeDir, startServer, tempDir, type Key, type Server } from '../server/helpers.js';

const run = promisify(execFile);
const CLIENTS = join(ROOT, 'test', 'compat', 'clients');
const IMAGE = join(ROOT, 'test', 'fixtures', 'emoji-1f34e.png');
const HOSTED = 'https://api.cloud.scenario.com/v1';

/** An SVG of the 512×512 apple that renders at its size and is not blank. */
function checkSvg(path: string): void {
  const svg = readFileSync(path, 'utf8');
  assert.match(svg, /^<svg [^>]*width="512" height="512"/);
  const image = new Resvg(svg).render();
  assert.equal(image.width, 512);
  const pixels = image.pixels;
  let opaque = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) opaque++;
  assert.ok(opaque > 512 * 512 * 0.2, `only ${opaque} painted pixels`);
}

describe('the hosted docs\' examples, with only the base URL changed', () => {
  let dir: string;
  let server: Server;
  let key: Key;

  /** A client file with the hosted base URL and the credential placeholders replaced, written into `dir`. */
  function localized(name: string): string {
    const text = readFileSync(join(CLIENTS, name), 'utf8');
    assert.ok(text.includes(HOSTED) && text.includes('YOUR_API_KEY'), `${name} has the docs' base URL and placeholders`);
    const out = join(dir, name);
    writeFileSync(out, text.replaceAll(HOSTED, `${server.url}/v1`).replaceAll('YOUR_API_KEY', key.apiKey)
      .replaceAll('YOUR_API_SECRET', key.apiSecret));
    return out;
  }

  before(async () => {
    dir = tempDir('vtracer-compat-');
    key = await createKey(dir, 'docs');
    server = await startServer(dir, ['--workers', '2']);
    copyFileSync(IMAGE, join(dir, 'image.png'));
  });

  after(async () => {
    await server.stop();
    removeDir(dir);
  });

  test('curl: the documented calls, header built with plain base64', async () => {
    const script = localized('hosted-docs.sh');
    writeFileSync(join(dir, 'image.b64'), readFileSync(IMAGE).toString('base64'));
    const curl = async (call: string, arg: string) => {
      const { stdout } = await run('bash', ['-c', `source "${script}" && ${call} "${arg}"`], { cwd: dir, timeout: 30_000 });
      return JSON.parse(stdout) as Record<string, any>;
    };
    const uploaded = await curl('upload', join(dir, 'image.b64'));
    assert.match(uploaded.asset?.id ?? '', /^asset_\w+$/, JSON.stringify(uploaded));
    const created = await curl('generate', uploaded.asset.id);
    assert.equal(created.job?.status, 'queued', JSON.stringify(created));
    let job = created.job;
    const end = Date.now() + 60_000;
    while (!['success', 'failure', 'canceled'].includes(job.status) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 200));
      job = (await curl('job', created.job.jobId)).job;
    }
    assert.equal(job.status, 'success', JSON.stringify(job));
    const asset = (await curl('asset', job.metadata.assetIds[0])).asset;
    assert.equal(asset.mimeType, 'image/svg+xml');
    await run('curl', ['-s', '--fail', '-o', join(dir, 'curl.svg'), asset.url], { timeout: 30_000 });
    checkSvg(join(dir, 'curl.svg'));
  });

  test('JavaScript: fetch with btoa credentials', async () => {
    const { stdout } = await run(process.execPath, [localized('hosted-docs.mjs')], { cwd: dir, timeout: 90_000 });
    assert.match(stdout, /job job_\w+: success, image\/svg\+xml/);
    checkSvg(join(dir, 'output.svg'));
  });

  test('Python: requests with base64.b64encode credentials', async (t) => {
    const { python, why } = findPython();
    if (!python) {
      t.skip(`SKIPPED: ${why}`);
      return;
    }
    const { stdout } = await run(python, [localized('hosted_docs.py')], { cwd: dir, timeout: 90_000 });
    assert.match(stdout, /job job_\w+: success, image\/svg\+xml, \d+ bytes/);
    checkSvg(join(dir, 'output.svg'));
  });
});
