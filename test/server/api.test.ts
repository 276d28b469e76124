/**
 * The service end to end: the built CLI creates keys and serves on a random loopback port; every test talks
 * HTTP to it like a Scenario client would.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Resvg } from '@resvg/resvg-js';
import sharp from 'sharp';
import { OPTION_SPECS, PRESETS } from '../../src/engine/options.js';
import {
  Api, MODEL, cli, createKey, dataUrl, fixture, noisePng, removeDir, startServer, tempDir, type Key, type Server,
} from './helpers.js';

const GENERATE = `/generate/custom/${MODEL}`;

describe('service API (one worker)', () => {
  let dir: string;
  let server: Server;
  let key: Key;
  let other: Key;
  let api: Api;
  let otherApi: Api;

  before(async () => {
    dir = tempDir();
    key = await createKey(dir, 'me');
    other = await createKey(dir, 'someone-else');
    server = await startServer(dir, ['--workers', '1', '--max-image-pixels', '2000000', '--max-image-bytes', '2000000']);
    api = new Api(server.url, key);
    otherApi = new Api(server.url, other);
  });

  after(async () => {
    const { code } = await server.stop('SIGTERM');
    removeDir(dir);
    assert.equal(code, 0, 'graceful exit on SIGTERM');
  });

  test('the seed flow: upload, generate, poll, asset, signed download without auth, SVG renders', async () => {
    const png = fixture('emoji-1f34e.png');
    const up = await api.post('/assets', { image: dataUrl(png), name: 'apple.png' });
    assert.equal(up.status, 200, JSON.stringify(up.body));
    const input = up.body.asset;
    assert.match(input.id, /^asset_[0-9A-Za-z]{22}$/);
    assert.equal(input.mimeType, 'image/png');
    assert.deepEqual(input.properties, { size: png.length, width: 512, height: 512 });

    const gen = await api.post(GENERATE, { image: input.id });
    assert.equal(gen.status, 200, JSON.stringify(gen.body));
    assert.equal(gen.body.creativeUnitsCost, 0);
    const job = gen.body.job;
    assert.match(job.jobId, /^job_[0-9A-Za-z]{22}$/);
    assert.equal(job.jobType, 'custom');
    assert.equal(job.status, 'queued');
    assert.equal(job.progress, 0);
    assert.deepEqual(job.metadata.assetIds, []);
    assert.deepEqual(job.metadata.input, { modelId: MODEL, image: input.id, presetName: 'poster', ...PRESETS.poster });
    assert.equal(job.ownerId, key.projectId);
    assert.equal(job.authorId, key.apiKey);
    assert.deepEqual(job.statusHistory.map((s: { status: string }) => s.status), ['queued']);

    const done = await api.waitJob(job.jobId);
    assert.equal(done.status, 'success', JSON.stringify(done));
    assert.equal(done.progress, 1);
    assert.deepEqual(done.statusHistory.map((s: { status: string }) => s.status), ['queued', 'in-progress', 'success']);
    assert.equal(done.metadata.assetIds.length, 1);

    const { status, body } = await api.get(`/assets/${done.metadata.assetIds[0]}`);
    assert.equal(status, 200);
    const asset = body.asset;
    assert.equal(asset.mimeType, 'image/svg+xml');
    assert.equal(asset.metadata.parentJobId, job.jobId);
    assert.equal(asset.metadata.modelId, MODEL);
    assert.equal(asset.metadata.width, 512);
    assert.equal(asset.metadata.height, 512);
    assert.equal(asset.properties.width, 512);

    const download = await fetch(asset.url); // no Authorization header
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('content-type'), 'image/svg+xml');
    const svg = await download.text();
    assert.equal(Buffer.byteLength(svg), asset.properties.size);
    assert.equal(asset.metadata.size, asset.properties.size);
    assert.match(svg, /^<svg [^>]*width="512" height="512"/);
    const rendered = new Resvg(svg).render();
    assert.equal(rendered.width, 512);
    // The apple is red: the centre of the rendering is mostly red.
    const px = rendered.pixels;
    const i = (256 * 512 + 256) * 4;
    assert.ok(px[i]! > 150 && px[i + 1]! < 100, `centre pixel ${px[i]},${px[i + 1]},${px[i + 2]}`);
  });

  test('generate from a data URL with custom parameters records the effective parameters', async () => {
    const gen = await api.post(GENERATE, {
      image: dataUrl(fixture('horse.png')), presetName: 'custom', colorMode: 'binary', filterSpeckle: 8, mode: 'polygon',
    });
    assert.equal(gen.status, 200, JSON.stringify(gen.body));
    const input = gen.body.job.metadata.input;
    assert.equal(input.colorMode, 'binary');
    assert.equal(input.filterSpeckle, 8);
    assert.equal(input.mode, 'polygon');
    assert.equal(input.colorPrecision, OPTION_SPECS.find((s) => s.name === 'colorPrecision')!.default);
    assert.match(input.image, /^asset_/);
    const inputAsset = await api.get(`/assets/${input.image}`);
    assert.equal(inputAsset.body.asset.properties.width, 400);

    // A named preset ignores custom parameters.
    const named = await api.post(GENERATE, { image: input.image, presetName: 'bw', filterSpeckle: 99 });
    assert.equal(named.status, 200);
    assert.deepEqual(named.body.job.metadata.input, { modelId: MODEL, image: input.image, presetName: 'bw', ...PRESETS.bw });
    const done = await api.waitJob(gen.body.job.jobId);
    assert.equal(done.status, 'success');
    const svgAsset = (await api.get(`/assets/${done.metadata.assetIds[0]}`)).body.asset;
    const svg = await (await fetch(svgAsset.url)).text();
    assert.doesNotMatch(svg, /[QC]/, 'polygon mode writes no curves');
    assert.equal((await api.waitJob(named.body.job.jobId)).status, 'success');
  });

  test('format: pdf, eps, dxf and png result assets with their mimeType and file name; an unknown format is a 400', async () => {
    const magic: Record<string, [string, string]> = {
      pdf: ['application/pdf', '%PDF-'], eps: ['application/postscript', '%!PS-Adobe-3.0 EPSF'],
      dxf: ['image/vnd.dxf', '0\nSECTION'], png: ['image/png', '\x89PNG'],
    };
    const jobs: Record<string, string> = {};
    for (const format of Object.keys(magic)) {
      // With a named preset too: the format is an output choice, not a trace parameter.
      const gen = await api.post(GENERATE, { image: dataUrl(fixture('horse.png')), presetName: format === 'png' ? 'bw' : 'custom', colorMode: 'binary', format });
      assert.equal(gen.status, 200, JSON.stringify(gen.body));
      assert.equal(gen.body.job.metadata.input.format, format);
      jobs[format] = gen.body.job.jobId;
    }
    for (const [format, [mimeType, head]] of Object.entries(magic)) {
      const done = await api.waitJob(jobs[format]);
      assert.equal(done.status, 'success', JSON.stringify(done));
      const asset = (await api.get(`/assets/${done.metadata.assetIds[0]}`)).body.asset;
      assert.equal(asset.mimeType, mimeType);
      assert.match(asset.name, new RegExp(`\\.${format}$`));
      const download = await fetch(asset.url);
      assert.equal(download.headers.get('content-type'), mimeType);
      const bytes = Buffer.from(await download.arrayBuffer());
      assert.equal(bytes.length, asset.properties.size);
      assert.equal(bytes.subarray(0, head.length).toString('latin1'), head, format);
      if (format === 'png') assert.equal((await sharp(bytes).metadata()).width, 400);
    }
    const bad = await api.post(GENERATE, { image: dataUrl(fixture('horse.png')), format: 'gif' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.reason, /format/);
  });

  test('401 with WWW-Authenticate: Basic for missing, malformed, unknown, wrong and revoked credentials', async () => {
    const cases: Array<[string, Record<string, string>]> = [
      ['missing', {}],
      ['not basic', { Authorization: `Bearer ${key.apiSecret}` }],
      ['malformed', { Authorization: 'Basic !!!' }],
      ['unknown key', { Authorization: `Basic ${Buffer.from(`api_nope:${key.apiSecret}`).toString('base64')}` }],
      ['wrong secret', { Authorization: `Basic ${Buffer.from(`${key.apiKey}:${key.apiSecret}x`).toString('base64')}` }],
      ['other key\'s secret', { Authorization: `Basic ${Buffer.from(`${key.apiKey}:${other.apiSecret}`).toString('base64')}` }],
    ];
    for (const [name, headers] of cases) {
      for (const path of ['/jobs', `/models/${MODEL}`]) {
        const res = await fetch(`${server.url}/v1${path}`, { headers });
        assert.equal(res.status, 401, name);
        assert.match(res.headers.get('www-authenticate') ?? '', /^Basic/, name);
        const body = await res.json() as { reason: string; traceId: string };
        assert.ok(body.reason.length > 10 && body.traceId, name);
      }
    }
    const post = await fetch(`${server.url}/v1${GENERATE}`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
    assert.equal(post.status, 401);

    // Revocation through the CLI takes effect at once, even for a key that was just used.
    const temp = await createKey(dir, 'temp');
    const tempApi = new Api(server.url, temp);
    assert.equal((await tempApi.get('/jobs')).status, 200);
    const revoke = await cli(['keys', 'revoke', temp.apiKey, '--data', dir]);
    assert.equal(revoke.code, 0, revoke.stderr);
    assert.equal((await tempApi.get('/jobs')).status, 401);
    const list = await cli(['keys', 'list', '--json', '--data', dir]);
    const listed = JSON.parse(list.stdout) as Array<{ apiKey: string; revokedAt: string | null }>;
    assert.ok(listed.find((k) => k.apiKey === temp.apiKey)?.revokedAt);
    assert.doesNotMatch(list.stdout, new RegExp(key.apiSecret), 'secrets are never listed');
  });

  test('another project\'s jobs, assets and uploads answer 404 and are not listed', async () => {
    const asset = (await api.post('/assets', { image: fixture('logo.png').toString('base64') })).body.asset;
    const job = (await api.post(GENERATE, { image: asset.id })).body.job;
    const upload = (await api.post('/uploads', { fileName: 'a.png', fileSize: 10, contentType: 'image/png', kind: 'image', parts: 1 })).body.upload;
    for (const path of [`/jobs/${job.jobId}`, `/assets/${asset.id}`, `/uploads/${upload.id}`]) {
      const res = await otherApi.get(path);
      assert.equal(res.status, 404, path);
      assert.match(res.body.reason, /not found/);
    }
    assert.equal((await otherApi.post(`/jobs/${job.jobId}/action`, { action: 'cancel' })).status, 404);
    assert.equal((await otherApi.request('DELETE', `/assets/${asset.id}`)).status, 404);
    assert.equal((await otherApi.post(`/uploads/${upload.id}/action`, { action: 'complete' })).status, 404);
    assert.equal((await otherApi.post(GENERATE, { image: asset.id })).status, 404, 'cannot trace another project\'s asset');
    const jobs = (await otherApi.get('/jobs?pageSize=100')).body.jobs as Array<{ jobId: string }>;
    assert.ok(!jobs.some((j) => j.jobId === job.jobId));
    const assets = (await otherApi.get('/assets?pageSize=100')).body.assets as Array<{ id: string }>;
    assert.ok(!assets.some((a) => a.id === asset.id));
    // The owner still sees everything, and the asset still exists.
    assert.equal((await api.get(`/assets/${asset.id}`)).status, 200);
    assert.equal((await api.waitJob(job.jobId)).status, 'success');
  });

  test('signed URLs: altered in any character answer 403; deleted assets 404', async () => {
    const asset = (await api.post('/assets', { image: dataUrl(fixture('text.png')) })).body.asset;
    const url = new URL(asset.url);
    assert.equal((await fetch(url)).status, 200);
    const signature = url.searchParams.get('signature')!;
    const expires = url.searchParams.get('expires')!;
    const variants = [
      // one character changed in the signature: first, middle, last (its unused bits must not be ignored)
      ...[0, Math.floor(signature.length / 2), signature.length - 1].map((i) => {
        const u = new URL(url);
        const c = signature[i]!;
        u.searchParams.set('signature', signature.slice(0, i) + (c === 'A' ? 'B' : 'A') + signature.slice(i + 1));
        return u;
      }),
      (() => { const u = new URL(url); u.searchParams.set('expires', String(Number(expires) + 1)); return u; })(),
      (() => { const u = new URL(url); u.searchParams.delete('signature'); return u; })(),
      new URL(url.href.replace(asset.id, asset.id.slice(0, -1) + (asset.id.endsWith('a') ? 'b' : 'a'))),
    ];
    for (const v of variants) {
      const res = await fetch(v);
      assert.equal(res.status, 403, v.href);
      assert.match(((await res.json()) as { reason: string }).reason, /not valid/);
    }
    // A valid signature for another asset does not open this one.
    const other = (await api.post('/assets', { image: dataUrl(fixture('horse.png')) })).body.asset;
    const swapped = new URL(other.url);
    swapped.pathname = url.pathname;
    assert.equal((await fetch(swapped)).status, 403);

    assert.equal((await api.request('DELETE', `/assets/${asset.id}`)).status, 200);
    assert.equal((await api.get(`/assets/${asset.id}`)).status, 404);
    assert.equal((await fetch(url)).status, 404, 'a valid URL of a deleted asset');
  });

  test('pagination with an opaque token, and the status filter', async () => {
    const third = await createKey(dir, 'pager');
    const pager = new Api(server.url, third);
    const ids: string[] = [];
    const small = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } }).png().toBuffer();
    for (let i = 0; i < 5; i++) ids.push((await pager.post('/assets', { image: dataUrl(small) })).body.asset.id);
    const seen: string[] = [];
    let token: string | null = null;
    const sizes: number[] = [];
    do {
      const res: { status: number; body: { assets: Array<{ id: string }>; nextPaginationToken: string | null } } =
        await pager.get(`/assets?pageSize=2${token ? `&paginationToken=${encodeURIComponent(token)}` : ''}`);
      assert.equal(res.status, 200);
      sizes.push(res.body.assets.length);
      seen.push(...res.body.assets.map((a) => a.id));
      token = res.body.nextPaginationToken;
      if (token) assert.doesNotMatch(token, /^\d+$/, 'opaque');
    } while (token);
    assert.deepEqual(sizes, [2, 2, 1]);
    assert.deepEqual(seen, [...ids].reverse(), 'newest first, each once');
    assert.equal((await pager.get('/assets?paginationToken=bm90LWEtdG9rZW4')).status, 400);
    const bad = await pager.get('/assets?pageSize=101');
    assert.equal(bad.status, 400);
    assert.match(bad.body.reason, /pageSize must be an integer from 1 to 100, got "101"/);

    const j1 = (await pager.post(GENERATE, { image: ids[0] })).body.job.jobId;
    const j2 = (await pager.post(GENERATE, { image: ids[1] })).body.job.jobId;
    await pager.waitJob(j1);
    await pager.waitJob(j2);
    // A job that cannot end before the cancel arrives: 1400 px of noise, about a second of tracing (an 8 px
    // image's job sometimes finished first under CI's load, and was listed as a success).
    const slowImage = (await pager.post('/assets', { image: dataUrl(await noisePng(1400, 7)) })).body.asset.id;
    const cancelable = (await pager.post(GENERATE, { image: slowImage, presetName: 'photo' })).body.job.jobId;
    await pager.post(`/jobs/${cancelable}/action`, { action: 'cancel' });
    const success = (await pager.get('/jobs?status=success')).body.jobs.map((j: { jobId: string }) => j.jobId);
    assert.deepEqual(success, [j2, j1]);
    const page1 = await pager.get('/jobs?pageSize=1');
    assert.equal(page1.body.jobs[0].jobId, cancelable);
    const page2 = await pager.get(`/jobs?pageSize=1&paginationToken=${page1.body.nextPaginationToken}`);
    assert.equal(page2.body.jobs[0].jobId, j2);
  });

  test('dryRun=true answers 269 with the cost and creates nothing; it still validates', async () => {
    const before = (await api.get('/jobs?pageSize=100')).body.jobs.length;
    const assetsBefore = (await api.get('/assets?pageSize=100')).body.assets.length;
    const res = await api.post(`${GENERATE}?dryRun=true`, { image: dataUrl(fixture('logo.png')), presetName: 'photo' });
    assert.equal(res.status, 269);
    assert.deepEqual(res.body, { creativeUnitsCost: 0, creativeUnitsDiscount: 0, costDetails: {} });
    assert.equal((await api.get('/jobs?pageSize=100')).body.jobs.length, before);
    assert.equal((await api.get('/assets?pageSize=100')).body.assets.length, assetsBefore);
    const invalid = await api.post(`${GENERATE}?dryRun=true`, { image: dataUrl(fixture('logo.png')), presetName: 'custom', colorPrecision: 0 });
    assert.equal(invalid.status, 400);
    assert.equal((await api.post(`${GENERATE}?dryRun=maybe`, { image: 'x' })).status, 400);
  });

  test('bad requests: 400 naming the field, the expectation and the value; 413 over the limits', async () => {
    const png = dataUrl(fixture('logo.png'));
    const cases: Array<[unknown, number, RegExp]> = [
      [{ image: png, presetName: 'custom', filterSpeckle: 'four' }, 400, /^filterSpeckle must be an integer from 0 to 128, got "four"$/],
      [{ image: png, presetName: 'custom', colorPrecision: 9 }, 400, /^colorPrecision must be an integer from 1 to 8, got 9$/],
      [{ image: png, presetName: 'custom', cornerThreshold: -1 }, 400, /^cornerThreshold must be a number from 0 to 180, got -1$/],
      [{ image: png, presetName: 'custom', maxIterations: 2.5 }, 400, /^maxIterations must be an integer from 1 to 50, got 2.5$/],
      [{ image: png, presetName: 'custom', invert: 'yes' }, 400, /^invert must be true or false, got "yes"$/],
      [{ image: png, presetName: 'custom', palette: ['#ff0000', 'red'] }, 400, /^palette\[1\] must be a colour written #rrggbb, got "red"$/],
      [{ image: png, presetName: 'custom', palette: 42 }, 400, /^palette must be a list of at most 256 colours written #rrggbb, got 42$/],
      [{ image: png, mode: 'curvy' }, 400, /^mode must be one of "spline", "polygon", "pixel", "none", got "curvy"$/],
      [{ image: png, presetName: 'cartoon' }, 400, /^presetName must be one of "poster", "photo", "bw", "custom", got "cartoon"$/],
      [{ image: png, colour: 'red' }, 400, /^unknown field "colour" \(got "red"\); known fields: image, presetName, format, colorMode/],
      [{}, 400, /^image is required/],
      [{ image: 42 }, 400, /^image must be a non-empty string, got 42$/],
      [{ image: '' }, 400, /^image must be a non-empty string, got ""$/],
      [{ image: 'not base64 !' }, 400, /^image must be base64 data/],
      [{ image: 'data:text/plain;base64,aGVsbG8=' }, 400, /^image must be an image data URL .* "text\/plain"$/],
      [{ image: dataUrl(Buffer.from('hello world, not an image')) }, 400, /^image must be a PNG, JPEG, WebP, GIF, BMP or TIFF image/],
      [{ image: dataUrl(fixture('logo.png').subarray(0, 30)) }, 400, /^image must be a PNG/],
      [{ image: 'asset_doesnotexist000000000' }, 404, /^image asset "asset_doesnotexist000000000" not found$/],
      [[1, 2], 400, /^body must be a JSON object, got an array of length 2$/],
      ['{"image": ', 400, /^body must be valid JSON/],
    ];
    for (const [body, status, reason] of cases) {
      const res = await api.post(GENERATE, body);
      assert.equal(res.status, status, `${JSON.stringify(body).slice(0, 80)} → ${JSON.stringify(res.body)}`);
      assert.match(res.body.reason, reason, JSON.stringify(body).slice(0, 80));
      assert.ok(res.body.traceId);
    }
    // Over the limits of this server: 2,000,000 pixels and 2,000,000 bytes.
    const wide = await sharp({ create: { width: 2000, height: 1001, channels: 3, background: '#fff' } }).png().toBuffer();
    const tooMany = await api.post(GENERATE, { image: dataUrl(wide) });
    assert.equal(tooMany.status, 413);
    assert.match(tooMany.body.reason, /^image is 2000×1001 = 2002000 pixels, over the limit of 2000000 pixels$/);
    const big = Buffer.alloc(2_100_000, 7);
    const tooBig = await api.post('/assets', { image: dataUrl(big) });
    assert.equal(tooBig.status, 413);
    const huge = await api.post(GENERATE, { image: 'A'.repeat(4_000_000) });
    assert.equal(huge.status, 413, 'a body over the body limit');
    assert.equal((await api.post('/generate/custom/model_other', { image: png })).status, 404);
    const form = await api.request('POST', GENERATE, 'image=x', { 'Content-Type': 'application/x-www-form-urlencoded' });
    assert.equal(form.status, 415);
    assert.match(form.body.reason, /^Content-Type must be application\/json/);
    const text = await api.request('POST', GENERATE, 'image=x', { 'Content-Type': 'text/plain' });
    assert.equal(text.status, 400);
    assert.match(text.body.reason, /^body must be a JSON object, got "image=x"$/);
  });

  test('the model schema is the engine\'s option table', async () => {
    const { status, body } = await api.get(`/models/${MODEL}`);
    assert.equal(status, 200);
    const model = body.model;
    assert.equal(model.id, MODEL);
    assert.equal(model.type, 'custom');
    assert.equal(model.status, 'trained');
    const inputs = model.inputs as Array<Record<string, unknown>>;
    assert.deepEqual(inputs.slice(0, 3).map((i) => i.name), ['image', 'presetName', 'format']);
    // The hosted API's vocabulary, which form-building clients switch on.
    assert.deepEqual(model.capabilities, ['img2img', 'img2svg']);
    assert.equal(inputs[0]!.type, 'file');
    assert.equal(inputs[0]!.kind, 'image');
    assert.equal(inputs[0]!.required, true);
    assert.deepEqual(inputs[1]!.allowedValues, ['poster', 'photo', 'bw', 'custom']);
    assert.deepEqual(inputs[2]!.allowedValues, ['svg', 'pdf', 'eps', 'dxf', 'png']);
    assert.equal(inputs[2]!.default, 'svg');
    assert.equal(inputs.length, OPTION_SPECS.length + 3);
    for (const spec of OPTION_SPECS) {
      const input = inputs.find((i) => i.name === spec.name)!;
      assert.ok(input, spec.name);
      assert.equal(input.label, spec.label);
      assert.equal(input.description, spec.description);
      assert.deepEqual(input.default, spec.default);
      assert.equal(input.required, false);
      const at = (v: unknown) => api.post(`${GENERATE}?dryRun=true`, { image: dataUrl(fixture('logo.png')), presetName: 'custom', [spec.name]: v });
      if (spec.kind === 'enum') {
        assert.equal(input.type, 'string');
        assert.deepEqual(input.allowedValues, spec.values);
        assert.equal((await at(spec.values.at(-1))).status, 269);
        assert.equal((await at(`${spec.values[0]}x`)).status, 400);
      } else if (spec.kind === 'boolean') {
        assert.equal(input.type, 'boolean');
        assert.equal((await at(!spec.default)).status, 269);
        assert.equal((await at(String(!spec.default))).status, 269, 'a form\'s "true"/"false"');
        assert.equal((await at('yes')).status, 400);
      } else if (spec.kind === 'palette') {
        assert.equal(input.type, 'string_array');
        assert.equal(input.itemType, 'color');
        assert.equal(input.maxItems, spec.maxLength);
        assert.equal((await at(['#ff0000', '#00FF00'])).status, 269);
        assert.equal((await at('#ff0000, #00FF00')).status, 269, 'one comma-separated string');
        assert.equal((await at('#ff0000,red')).status, 400);
        assert.equal((await at(Array(spec.maxLength + 1).fill('#000000'))).status, 400);
      } else {
        assert.equal(input.type, 'number');
        assert.deepEqual([input.min, input.max, input.step], [spec.min, spec.max, spec.step]);
        if (spec.kind === 'integer') assert.equal(input.step, 1, `${spec.name}: integers carry step 1`);
        assert.equal((await at(String(spec.max))).status, 269, `${spec.name}="${spec.max}" (a form's string)`);
        assert.equal((await at(`${spec.max}x`)).status, 400, `${spec.name}="${spec.max}x"`);
        // The validation agrees with the schema at the bounds.
        assert.equal((await at(spec.max)).status, 269, `${spec.name}=${spec.max}`);
        assert.equal((await at(spec.min)).status, 269, `${spec.name}=${spec.min}`);
        assert.equal((await at(spec.max + spec.step)).status, 400, `${spec.name}=${spec.max + spec.step}`);
      }
    }
    const list = await api.get('/models');
    assert.deepEqual(list.body.models.map((m: { id: string }) => m.id), [MODEL]);
    assert.equal((await api.get('/models/model_nope')).status, 404);
  });

  test('multipart upload: signed part URLs without auth, complete, imported asset usable by generate', async () => {
    const png = fixture('astronaut-256.png');
    const share = Math.ceil(png.length / 3); // parts are at most ceil(fileSize / parts)
    const cut = [0, share, 2 * share, png.length];
    const created = await api.post('/uploads', { fileName: 'astronaut.png', fileSize: png.length, contentType: 'image/png', kind: 'image', parts: 3 });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const upload = created.body.upload;
    assert.match(upload.id, /^upload_/);
    assert.equal(upload.partsCount, 3);
    assert.equal(upload.parts.length, 3);
    assert.equal((await api.get(`/jobs/${upload.jobId}`)).body.job.status, 'pending');
    // Completing too early names the missing part.
    const early = await api.post(`/uploads/${upload.id}/action`, { action: 'complete' });
    assert.equal(early.status, 400);
    assert.match(early.body.reason, /part 1 of 3 was not uploaded/);
    // A tampered part URL is refused.
    const bad = new URL(upload.parts[0].url);
    bad.searchParams.set('expires', String(Number(bad.searchParams.get('expires')) + 5));
    assert.equal((await fetch(bad, { method: 'PUT', body: new Uint8Array(png.subarray(0, 10)) })).status, 403);
    for (const part of upload.parts as Array<{ number: number; url: string; expires: string }>) {
      assert.ok(Date.parse(part.expires) > Date.now());
      // No Authorization header, no Content-Type: raw bytes as S3-style clients send them.
      const res = await fetch(part.url, { method: 'PUT', body: new Uint8Array(png.subarray(cut[part.number - 1], cut[part.number])) });
      assert.equal(res.status, 200, await res.clone().text());
      assert.ok(res.headers.get('etag'));
    }
    const done = await api.post(`/uploads/${upload.id}/action`, { action: 'complete' });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    const status = (await api.get(`/uploads/${upload.id}`)).body.upload;
    assert.equal(status.status, 'imported');
    assert.match(status.entityId, /^asset_/);
    assert.deepEqual(status.parts, []);
    const job = (await api.get(`/jobs/${upload.jobId}`)).body.job;
    assert.equal(job.status, 'success');
    assert.equal(job.metadata.output.entityId, status.entityId);
    const asset = (await api.get(`/assets/${status.entityId}`)).body.asset;
    assert.equal(asset.name, 'astronaut.png');
    assert.deepEqual(asset.properties, { size: png.length, width: 256, height: 256 });
    const bytes = Buffer.from(await (await fetch(asset.url)).arrayBuffer());
    assert.ok(bytes.equals(png), 'the parts joined in order');
    const traced = await api.post(GENERATE, { image: status.entityId, presetName: 'photo' });
    assert.equal((await api.waitJob(traced.body.job.jobId)).status, 'success');
    // After import, parts are refused.
    assert.equal((await fetch(upload.parts[0].url, { method: 'PUT', body: new Uint8Array(png.subarray(0, 10)) })).status, 400);

    // A file that is not an image fails the upload with a reason.
    const junk = Buffer.from('definitely not an image, just some text bytes');
    const u2 = (await api.post('/uploads', { fileName: 'junk.png', fileSize: junk.length, contentType: 'image/png', kind: 'image', parts: 1 })).body.upload;
    assert.equal((await fetch(u2.parts[0].url, { method: 'PUT', body: new Uint8Array(junk) })).status, 200);
    const failed = (await api.post(`/uploads/${u2.id}/action`, { action: 'complete' })).body.upload;
    assert.equal(failed.status, 'failed');
    assert.match(failed.error, /must be a PNG, JPEG/);
    assert.equal((await api.get(`/jobs/${u2.jobId}`)).body.job.status, 'failure');
    assert.equal((await api.post('/uploads', { fileName: 'x.png', fileSize: 3_000_000, parts: 1 })).status, 413);
  });

  test('cancel a queued job and a running one; the worker is free again afterwards', async () => {
    // 1400 px noise (1.96 Mpx, under this server's limit): about a second of tracing on a fast machine, so that it is
    // still running when it is canceled below, after several requests and a 100 ms wait (1000 px now takes ~0.6 s).
    const noise = await noisePng(1400, 7);
    const slow = (await api.post(GENERATE, { image: dataUrl(noise), presetName: 'photo' })).body.job;
    const running = await api.waitJob(slow.jobId, (j) => j.status !== 'queued', 30_000);
    assert.equal(running.status, 'in-progress');
    // One worker: the second job is handed to it in advance (in progress at 0, waiting for the worker), the
    // third stays queued.
    const waiting = (await api.post(GENERATE, { image: dataUrl(fixture('logo.png')) })).body.job;
    const waitingNow = await api.waitJob(waiting.jobId, (j) => j.status !== 'queued', 10_000);
    assert.equal(waitingNow.status, 'in-progress', 'one job waits at the worker');
    assert.equal(waitingNow.progress, 0);
    const queued = (await api.post(GENERATE, { image: dataUrl(fixture('logo.png')) })).body.job;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await api.get(`/jobs/${queued.jobId}`)).body.job.status, 'queued', 'one worker: the third job waits in the queue');

    const c1 = await api.post(`/jobs/${queued.jobId}/action`, { action: 'cancel' });
    assert.equal(c1.status, 200);
    assert.equal(c1.body.job.status, 'canceled');
    assert.deepEqual(c1.body.job.statusHistory.map((s: { status: string }) => s.status), ['queued', 'canceled']);
    const c0 = await api.post(`/jobs/${waiting.jobId}/action`, { action: 'cancel' });
    assert.equal(c0.status, 200);
    assert.equal(c0.body.job.status, 'canceled');

    const t0 = Date.now();
    const c2 = await api.post(`/jobs/${slow.jobId}/action`, { action: 'cancel' });
    assert.equal(c2.status, 200);
    assert.equal(c2.body.job.status, 'canceled');
    assert.deepEqual(c2.body.job.statusHistory.map((s: { status: string }) => s.status), ['queued', 'in-progress', 'canceled']);

    // The worker is released (the canceled trace stops); a new job runs to success.
    const next = (await api.post(GENERATE, { image: dataUrl(fixture('horse.png')) })).body.job;
    assert.equal((await api.waitJob(next.jobId)).status, 'success');
    assert.ok(Date.now() - t0 < 10_000, `worker freed after ${Date.now() - t0} ms`);
    for (const id of [slow.jobId, waiting.jobId, queued.jobId]) {
      const job = (await api.get(`/jobs/${id}`)).body.job;
      assert.equal(job.status, 'canceled');
      assert.deepEqual(job.metadata.assetIds, []);
    }
    const again = await api.post(`/jobs/${next.jobId}/action`, { action: 'cancel' });
    assert.equal(again.status, 400);
    assert.match(again.body.reason, /already ended with status "success"/);
    assert.equal((await api.post(`/jobs/${next.jobId}/action`, { action: 'pause' })).status, 400);
  });

  test('operations: healthz, metrics, openapi, request ids, logs without secrets', async () => {
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'ok');
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /^vtracer_jobs\{status="success"\} [1-9]/m);
    assert.match(metrics, /^vtracer_queue_depth \d+/m);
    assert.match(metrics, /^vtracer_trace_duration_seconds_count\{status="success"\} [1-9]/m);
    assert.match(metrics, /^vtracer_http_request_duration_seconds_count\{.*route="\/v1\/jobs\/:jobId".*\} [1-9]/m);
    const openapi = await (await fetch(`${server.url}/openapi.json`)).json() as { openapi: string; paths: Record<string, any> };
    assert.match(openapi.openapi, /^3\./);
    for (const path of ['/v1/generate/custom/{modelId}', '/v1/jobs/{jobId}', '/v1/jobs', '/v1/assets', '/v1/uploads', '/v1/models/{modelId}']) {
      assert.ok(openapi.paths[path], path);
    }
    const props = openapi.paths['/v1/generate/custom/{modelId}'].post.requestBody.content['application/json'].schema.properties;
    for (const spec of OPTION_SPECS) assert.ok(props[spec.name], spec.name);

    const res = await fetch(`${server.url}/v1/jobs/job_nope`, { headers: { ...api.headers(), 'X-Request-Id': 'trace-me-123' } });
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('x-request-id'), 'trace-me-123');
    assert.equal(((await res.json()) as { traceId: string }).traceId, 'trace-me-123');
    await server.waitForLog(/"reqId":"trace-me-123".*"statusCode":404/);
    const logs = server.logs.join('\n');
    assert.ok(!logs.includes(key.apiSecret), 'no API secret in logs');
    assert.ok(!logs.includes(Buffer.from(`${key.apiKey}:${key.apiSecret}`).toString('base64')), 'no Authorization in logs');
    assert.doesNotMatch(logs, /signature=[A-Za-z0-9_-]{20}/, 'no URL signature in logs');
  });
});
