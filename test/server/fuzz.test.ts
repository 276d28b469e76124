/**
 * Property tests of the API (fast-check, in-process with app.inject, no tracing): whatever JSON body, query
 * or raw bytes arrive at generate, assets, uploads and the job/upload actions, the answer is a 4xx JSON
 * `{ reason, message, traceId }` whose reason names a field that was wrong — never a 5xx — and a valid body is
 * accepted. Then the hostile images one by one, with the status and reason each gets.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import sharp from 'sharp';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { OPTION_SPECS } from '../../src/engine/index.js';
import { createApiKey } from '../../src/server/auth.js';
import { createEmbeddedService, type EmbeddedService } from '../../src/server/service.js';
import type { Tracer } from '../../src/server/jobs/types.js';
import { invalidValue, validValue } from '../support/option-arbitraries.js';
import { animated, corrupt, manyColoursPng, pngClaiming, solidPng } from '../support/hostile.js';
import { MODEL, fixture, removeDir, tempDir } from './helpers.js';

const RUNS = Number(process.env.VTRACER_FUZZ_RUNS ?? 200);
const GENERATE = `/v1/generate/custom/${MODEL}`;
const MAX_BYTES = 300_000;
const MAX_PIXELS = 1_000_000;

/** Never called: the queue is not started, jobs stay queued. */
const noTracer: Tracer = {
  run: () => Promise.reject(new Error('not used')),
  close: async () => {},
};

let dir: string;
let service: EmbeddedService;
let app: FastifyInstance;
let auth: string;
let otherAuth: string;
let ownAsset: string;
let otherAsset: string;
let tinyPng: Buffer;

async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown,
  headers: Record<string, string> = {}, as = auth): Promise<LightMyRequestResponse> {
  return app.inject({
    method, url,
    headers: { authorization: as, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(payload !== undefined ? { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) } : {}),
  });
}

/** A 4xx with the JSON error shape; returns the reason. */
function assertClientError(res: LightMyRequestResponse, context: string): string {
  assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${context} → ${res.statusCode} ${res.body.slice(0, 300)}`);
  assert.match(String(res.headers['content-type']), /^application\/json/, context);
  const body = res.json() as { reason?: unknown; message?: unknown; traceId?: unknown };
  assert.equal(typeof body.reason, 'string', context);
  assert.equal(body.message, body.reason, `${context}: message must repeat reason (some clients read only message)`);
  assert.ok((body.reason as string).length >= 10, `${context}: reason too short: ${String(body.reason)}`);
  assert.equal(typeof body.traceId, 'string', context);
  return body.reason as string;
}

const dataUrl = (bytes: Buffer, mime = 'image/png') => `data:${mime};base64,${bytes.toString('base64')}`;

before(async () => {
  dir = tempDir('vtracer-fuzz-');
  service = await createEmbeddedService({
    dataDir: dir, workers: 1, tracer: noTracer, logger: false,
    config: { maxImageBytes: MAX_BYTES, maxImagePixels: MAX_PIXELS, bodyLimit: 1_000_000, maxPartBytes: 100_000 },
  });
  app = service.app;
  await app.ready();
  const basic = (k: { apiKey: string; apiSecret: string }) => `Basic ${Buffer.from(`${k.apiKey}:${k.apiSecret}`).toString('base64')}`;
  auth = basic(await createApiKey(service.store, 'fuzz'));
  otherAuth = basic(await createApiKey(service.store, 'other'));
  tinyPng = await solidPng(8, 8, [200, 30, 30, 255]);
  const own = await call('POST', '/v1/assets', { image: dataUrl(tinyPng) });
  assert.equal(own.statusCode, 200, own.body);
  ownAsset = own.json().asset.id;
  otherAsset = (await call('POST', '/v1/assets', { image: dataUrl(tinyPng) }, {}, otherAuth)).json().asset.id;
});

after(async () => {
  await service.close();
  removeDir(dir);
});

// ---- generate bodies: each field valid or not, so the expected outcome is known

type Field = { value: unknown; bad: boolean; status?: number };

const imageField: fc.Arbitrary<Field> = fc.oneof(
  fc.constantFrom<Field>(
    { value: 'VALID_DATA_URL', bad: false },
    { value: 'VALID_BASE64', bad: false },
    { value: 'OWN_ASSET', bad: false },
    { value: 'OTHER_ASSET', bad: true, status: 404 },
    { value: '', bad: true, status: 400 },
    { value: 42, bad: true, status: 400 },
    { value: null, bad: true, status: 400 },
    { value: ['data:image/png;base64,AAAA'], bad: true, status: 400 },
    { value: { url: 'x' }, bad: true, status: 400 },
    { value: 'data:text/plain;base64,aGVsbG8=', bad: true, status: 400 },
    { value: 'data:image/png,not-base64', bad: true, status: 400 },
    { value: 'data:image/png;base64,!!!!', bad: true, status: 400 },
    { value: 'data:;base64,aGVsbG8gd29ybGQ=', bad: true, status: 400 },
    { value: `data:image/png;base64,${Buffer.from('hello world, not an image').toString('base64')}`, bad: true, status: 400 },
    { value: 'asset_../../../etc/passwd', bad: true, status: 400 },
    { value: 'asset_0000000000000000000000', bad: true, status: 404 },
    { value: 'HUGE_HEADER', bad: true, status: 413 },
    { value: 'OVER_BYTES', bad: true, status: 413 },
    { value: 'SVG', bad: true, status: 400 },
    { value: 'HEADER_ONLY', bad: true, status: 400 },
  ),
  fc.string({ maxLength: 30 }).filter((s) => !/^[A-Za-z0-9+/]{2,}={0,2}$/.test(s) && !s.startsWith('asset_')).map((value) => ({ value, bad: true })),
);

const presetField: fc.Arbitrary<Field | undefined> = fc.option(fc.oneof(
  fc.constantFrom<Field>({ value: 'poster', bad: false }, { value: 'photo', bad: false }, { value: 'bw', bad: false }, { value: 'custom', bad: false }),
  fc.constantFrom<Field>({ value: 'cartoon', bad: true }, { value: 'Poster', bad: true }, { value: 'toString', bad: true },
    { value: '__proto__', bad: true }, { value: 1, bad: true }, { value: null, bad: true }),
), { nil: undefined });

const optionsFields: fc.Arbitrary<Record<string, Field>> = fc.record(Object.fromEntries(OPTION_SPECS.map((spec) => [
  spec.name,
  fc.option(fc.oneof(
    { arbitrary: validValue(spec).map((value) => ({ value, bad: false })), weight: 3 },
    { arbitrary: invalidValue(spec).map((value) => ({ value: JSON.parse(JSON.stringify([value]))[0], bad: true })), weight: 1 },
  ), { nil: undefined, freq: 4 }),
]))) as fc.Arbitrary<Record<string, Field>>;

const unknownField = fc.option(fc.tuple(
  fc.oneof(fc.constantFrom('colour', 'filter_speckle', 'preset', 'Mode', 'constructor', 'prototype', 'toString', '__proto__'),
    fc.string({ minLength: 1, maxLength: 10 })),
  fc.jsonValue({ maxDepth: 2 }),
).filter(([k]) => !['image', 'presetName', 'format', ...OPTION_SPECS.map((s) => s.name)].includes(k)), { nil: undefined, freq: 5 });

async function resolveImage(value: unknown): Promise<unknown> {
  switch (value) {
    case 'VALID_DATA_URL': return dataUrl(tinyPng);
    case 'VALID_BASE64': return tinyPng.toString('base64');
    case 'OWN_ASSET': return ownAsset;
    case 'OTHER_ASSET': return otherAsset;
    case 'HUGE_HEADER': return dataUrl(await pngClaiming(100_000, 100_000));
    case 'OVER_BYTES': return dataUrl(Buffer.alloc(MAX_BYTES + 10, 1));
    case 'SVG': return dataUrl(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>'), 'image/svg+xml');
    case 'HEADER_ONLY': return dataUrl(tinyPng.subarray(0, 33));
    default: return value;
  }
}

describe('API properties', () => {
  test(`generate: any combination of valid and invalid fields → 200/269 when all valid, else a 4xx naming a wrong field (${RUNS} runs)`, async () => {
    await fc.assert(fc.asyncProperty(imageField, presetField, optionsFields, unknownField, fc.boolean(),
      async (image, preset, options, unknown, dryRun) => {
        const body: Record<string, unknown> = { image: await resolveImage(image.value) };
        const bad: string[] = [];
        if (image.bad) bad.push('image');
        if (preset) {
          body.presetName = preset.value;
          if (preset.bad) bad.push('presetName');
        }
        for (const [name, field] of Object.entries(options)) {
          if (field === undefined) continue;
          body[name] = field.value;
          if (field.bad) bad.push(name);
        }
        let raw = JSON.stringify(body);
        if (unknown) {
          // Spliced into the text: `{"__proto__": …}` must arrive as sent, not as an object literal's prototype.
          raw = `{${JSON.stringify(unknown[0])}:${JSON.stringify(unknown[1])},${raw.slice(1)}`;
          bad.push(unknown[0]);
          // A "__proto__" key anywhere in the body is refused first (prototype poisoning), naming the key.
          if (/"__proto__"\s*:/.test(raw)) bad.push('__proto__');
        }
        const res = await call('POST', `${GENERATE}${dryRun ? '?dryRun=true' : ''}`, raw);
        const context = raw.slice(0, 300);
        if (bad.length === 0) {
          assert.equal(res.statusCode, dryRun ? 269 : 200, `${context} → ${res.body.slice(0, 300)}`);
          return;
        }
        const reason = assertClientError(res, context);
        assert.ok(bad.some((f) => reason.includes(f)), `${context}: "${reason}" names none of ${bad.join(', ')}`);
        if (bad.length === 1 && bad[0] === 'image' && image.status) assert.equal(res.statusCode, image.status, `${context} → ${reason}`);
        else if (!bad.includes('image')) assert.equal(res.statusCode, 400, `${context} → ${reason}`);
      }), { numRuns: RUNS, seed: 11 });
  });

  test(`generate, assets, uploads, job and upload actions: any JSON value as the body → 4xx with a reason (${RUNS} runs)`, async () => {
    const upload = (await call('POST', '/v1/uploads', { fileName: 'a.png', fileSize: 100, parts: 1 })).json().upload;
    const job = (await call('POST', GENERATE, { image: ownAsset })).json().job;
    const routes = [GENERATE, '/v1/assets', '/v1/uploads', `/v1/jobs/${job.jobId}/action`, `/v1/uploads/${upload.id}/action`];
    await fc.assert(fc.asyncProperty(fc.constantFrom(...routes), fc.jsonValue({ maxDepth: 3 }), async (route, value) => {
      const res = await call('POST', route, JSON.stringify(value));
      // The only valid bodies a random JSON value could be: the actions' own (vanishingly unlikely).
      if (res.statusCode === 200) {
        assert.ok(route.endsWith('/action') && typeof value === 'object' && value !== null && 'action' in value, `${route} accepted ${JSON.stringify(value)}`);
        return;
      }
      const reason = assertClientError(res, `${route} ${JSON.stringify(value).slice(0, 200)}`);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) assert.match(reason, /^body must be/);
    }), { numRuns: RUNS, seed: 12 });
  });

  test(`malformed JSON and raw bytes → 400 "body must be valid JSON" (or another 4xx), never a 5xx (${RUNS} runs)`, async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.jsonValue().map((v) => JSON.stringify(v)).chain((s) => fc.integer({ min: 0, max: Math.max(0, s.length - 1) }).map((n) => s.slice(0, n))),
      fc.constantFrom('{', '{"image": ', '{"image": "x",}', "{'image': 'x'}", '{"image": "x"}}', '\u0000', '\ufeff{}', 'NaN', '{"a":1e999999}'),
      fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('latin1')),
    );
    await fc.assert(fc.asyncProperty(fc.constantFrom(GENERATE, '/v1/assets', '/v1/uploads'), text, async (route, raw) => {
      const res = await call('POST', route, raw);
      assertClientError(res, `${route} ${JSON.stringify(raw)}`);
    }), { numRuns: RUNS, seed: 13 });
  });

  test(`uploads: any fileName/fileSize/contentType/kind/parts → 200 when valid, else a 4xx naming the field (${RUNS} runs)`, async () => {
    const field = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<unknown>) =>
      fc.option(fc.oneof({ arbitrary: valid.map((value) => ({ value, bad: false })), weight: 3 },
        { arbitrary: invalid.map((value) => ({ value, bad: true })), weight: 1 }), { nil: undefined, freq: 6 });
    const arb = fc.record({
      fileName: field(fc.string({ minLength: 1, maxLength: 50 }), fc.oneof(fc.constant(''), fc.constant(1), fc.constant(null), fc.string({ minLength: 201, maxLength: 210 }))),
      fileSize: field(fc.integer({ min: 1, max: MAX_BYTES }), fc.oneof(fc.constantFrom(0, -1, 1.5, '100', null), fc.integer({ min: MAX_BYTES + 1 }))),
      contentType: field(fc.constantFrom('image/png', 'image/jpeg', 'application/octet-stream'), fc.constantFrom('text/html', 'image/png; x=<y>', 5, '')),
      kind: field(fc.constant('image'), fc.constantFrom('video', 'IMAGE', 0)),
      parts: field(fc.integer({ min: 1, max: 3 }), fc.constantFrom(0, -2, 2.5, '1', 10_000)),
    });
    await fc.assert(fc.asyncProperty(arb, async (fields) => {
      const body: Record<string, unknown> = {};
      const bad: string[] = [];
      for (const [name, f] of Object.entries(fields)) {
        if (f === undefined) continue;
        body[name] = f.value;
        if (f.bad) bad.push(name);
      }
      for (const required of ['fileName', 'fileSize', 'parts']) if (!(required in body)) bad.push(required);
      // Coupled rules: at most one part per byte, parts of at most maxPartBytes.
      const size = body.fileSize as number, parts = body.parts as number;
      if (!bad.includes('fileSize') && !bad.includes('parts') && (parts > size || Math.ceil(size / parts) > 100_000)) bad.push('parts');
      const res = await call('POST', '/v1/uploads', body);
      const context = JSON.stringify(body).slice(0, 200);
      if (bad.length === 0) {
        assert.equal(res.statusCode, 200, `${context} → ${res.body.slice(0, 300)}`);
        return;
      }
      const reason = assertClientError(res, context);
      assert.ok(bad.some((f) => reason.includes(f)), `${context}: "${reason}" names none of ${bad.join(', ')}`);
    }), { numRuns: RUNS, seed: 14 });
  });

  test('query strings: bad dryRun, pageSize, status and paginationToken values → 400 naming the parameter', async () => {
    const arb = fc.oneof(
      fc.string({ maxLength: 12 }).filter((v) => v !== 'true' && v !== 'false').map((v) => ({ url: `${GENERATE}?dryRun=${encodeURIComponent(v)}`, name: 'dryRun', post: true })),
      fc.string({ maxLength: 12 }).filter((v) => !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 100).map((v) => ({ url: `/v1/jobs?pageSize=${encodeURIComponent(v)}`, name: 'pageSize', post: false })),
      fc.string({ minLength: 1, maxLength: 12 }).filter((v) => !['pending', 'queued', 'in-progress', 'success', 'failure', 'canceled'].includes(v)).map((v) => ({ url: `/v1/jobs?status=${encodeURIComponent(v)}`, name: 'status', post: false })),
      fc.string({ minLength: 1, maxLength: 40 }).map((v) => ({ url: `/v1/assets?paginationToken=${encodeURIComponent(v)}`, name: 'paginationToken', post: false })),
      fc.string({ minLength: 1, maxLength: 8 }).filter((v) => !['dryRun'].includes(v)).map((v) => ({ url: `${GENERATE}?${encodeURIComponent(v)}=1`, name: v, post: true })),
    );
    await fc.assert(fc.asyncProperty(arb, async ({ url, name, post }) => {
      const res = post ? await call('POST', url, { image: ownAsset }) : await call('GET', url);
      const reason = assertClientError(res, url);
      assert.equal(res.statusCode, 400, `${url} → ${reason}`);
      assert.ok(reason.includes(name) || reason.includes(encodeURIComponent(name)), `${url}: "${reason}" does not name ${name}`);
    }), { numRuns: 150, seed: 15 });
  });
});

describe('hostile images, one by one (generate from a data URL)', () => {
  const cases: Array<[string, () => Promise<string>, number, RegExp]> = [
    ['PNG header claiming 100000×100000', async () => dataUrl(await pngClaiming(100_000, 100_000)), 413, /^image is 100000×100000 = 10000000000 pixels, over the limit of 1000000 pixels$/],
    ['PNG header claiming 0×0', async () => dataUrl(await pngClaiming(0, 0)), 400, /^image must be a PNG, JPEG, WebP, GIF, BMP or TIFF image/],
    ['PNG header claiming 1001×1000 (1 pixel row over)', async () => dataUrl(await pngClaiming(1001, 1000)), 413, /1001×1000 = 1001000 pixels, over the limit/],
    ['33 bytes: signature and IHDR only', async () => dataUrl(tinyPng.subarray(0, 33)), 400, /^image must be a PNG/],
    ['empty data URL', async () => 'data:image/png;base64,', 400, /^image must be a non-empty base64 image/],
    ['non-image data URL (text/html)', async () => `data:text/html;base64,${Buffer.from('<script>alert(1)</script>').toString('base64')}`, 400, /data URL of type "text\/html"/],
    ['SVG data URL (not a raster image)', async () => dataUrl(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml'), 400, /^image must be a PNG/],
    ['random bytes labelled PNG', async () => dataUrl(Buffer.from(Array.from({ length: 500 }, (_, i) => (i * 37) & 255))), 400, /^image must be a PNG/],
    ['over the byte limit', async () => dataUrl(Buffer.alloc(MAX_BYTES + 1000, 3)), 413, /over the limit of 300000 bytes/],
  ];
  for (const [name, make, status, reason] of cases) {
    test(`${name} → ${status}`, async () => {
      const res = await call('POST', GENERATE, { image: await make() });
      assert.equal(assertClientError(res, name).match(reason) !== null, true, `${name}: ${res.body}`);
      assert.equal(res.statusCode, status);
    });
  }

  test('accepted at submit (header fine, decoded by the worker): truncated and corrupt files, 1×1, transparent, one colour, 65,536 colours, animated', async () => {
    const logo = fixture('logo.png');
    const jpeg = await sharp(logo).jpeg().toBuffer();
    const accepted: Array<[string, Buffer]> = [
      ['truncated PNG', logo.subarray(0, Math.floor(logo.length / 2))],
      ['corrupt PNG', corrupt(logo, 100, 2000)],
      ['truncated JPEG', jpeg.subarray(0, Math.floor(jpeg.length / 2))],
      ['1×1', await solidPng(1, 1, [255, 0, 0, 255])],
      ['fully transparent', await solidPng(40, 40, [0, 0, 0, 0])],
      ['one colour', await solidPng(40, 40, [9, 99, 199, 255])],
      ['65,536 colours', await manyColoursPng(256, 256)],
      ['animated GIF', await animated('gif')],
      ['animated WebP', await animated('webp')],
    ];
    for (const [name, bytes] of accepted) {
      const res = await call('POST', GENERATE, { image: dataUrl(bytes) });
      assert.equal(res.statusCode, 200, `${name}: ${res.body}`);
      assert.equal(res.json().job.status, 'queued');
    }
  });
});
