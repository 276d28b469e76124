/**
 * What real Scenario clients send, replayed against the service: a client that builds its form from the
 * model description (string values), a client that adds the hosted API's common fields, a client that reads
 * only `message` on errors, and the model browser's listing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { Api, MODEL, ROOT, createKey, dataUrl, fixture, removeDir, startServer, tempDir, type Key, type Server } from '../server/helpers.js';
import { FormClient } from './clients/form-client.js';

const GENERATE = `/generate/custom/${MODEL}`;
const APPLE = join(ROOT, 'test', 'fixtures', 'emoji-1f34e.png');

describe('real clients\' requests', () => {
  let dir: string;
  let server: Server;
  let key: Key;
  let api: Api;
  let form: FormClient;

  before(async () => {
    dir = tempDir('vtracer-compat-');
    key = await createKey(dir, 'clients');
    server = await startServer(dir, ['--workers', '2']);
    api = new Api(server.url, key);
    form = new FormClient(`${server.url}/v1`, `Basic ${Buffer.from(`${key.apiKey}:${key.apiSecret}`).toString('base64')}`);
  });

  after(async () => {
    await server.stop();
    removeDir(dir);
  });

  test('form-building client: image picker from the file input, string values, a job and an SVG', async () => {
    const fields = await form.buildForm(MODEL);
    const widget = (name: string) => fields.find((f) => f.input.name === name);
    assert.equal(widget('image')?.widget, 'image-picker');
    assert.equal(widget('presetName')?.widget, 'select');
    assert.equal(widget('colorPrecision')?.widget, 'number-box');
    assert.equal(widget('invert')?.widget, 'checkbox');
    assert.equal(widget('palette')?.widget, 'list-box');
    // The form offers every parameter the model describes: nothing is dropped.
    const { body } = await api.get(`/models/${MODEL}`);
    assert.equal(fields.length, body.model.inputs.length);

    // The user picks custom settings; the form holds text.
    widget('presetName')!.value = 'custom';
    widget('colorPrecision')!.value = '5';
    widget('mode')!.value = 'polygon';
    widget('filterSpeckle')!.value = '8';
    widget('invert')!.value = 'false';
    const { job, svg } = await form.generate(MODEL, fields, APPLE);
    assert.equal(job.status, 'success');
    // The strings arrived as the numbers and booleans they stand for.
    assert.equal(job.metadata.input.colorPrecision, 5);
    assert.equal(job.metadata.input.filterSpeckle, 8);
    assert.equal(job.metadata.input.mode, 'polygon');
    assert.equal(job.metadata.input.invert, false);
    assert.deepEqual(job.metadata.input.palette, []);
    assert.match(svg, /^<svg [^>]*width="512" height="512"/);
    const paths = svg.match(/ d="[^"]*"/g) ?? [];
    assert.ok(paths.length >= 2, `${paths.length} paths`);
    assert.ok(paths.every((d) => !/[cCsSqQ]/.test(d)), 'polygon mode: straight segments only, no curve commands');
    assert.equal(new Resvg(svg).render().width, 512);
  });

  test('form-building client: what its own check refuses, the service refuses too, naming the field', async () => {
    const fields = await form.buildForm(MODEL);
    const precision = fields.find((f) => f.input.name === 'colorPrecision')!;
    const { body: created } = await api.post('/assets', { image: dataUrl(fixture('logo.png')), name: 'l.png' });
    fields.find((f) => f.widget === 'image-picker')!.value = created.asset.id;
    for (const bad of ['9', '4.5', 'six']) {
      precision.value = bad;
      assert.equal(form.validate(fields).length, 1, bad);
      const body = Object.fromEntries(fields.map((f) => [f.input.name, f.value]));
      const res = await api.post(GENERATE, { ...body, presetName: 'custom' });
      assert.equal(res.status, 400, bad);
      assert.match(res.body.message, /^colorPrecision must be an integer from 1 to 8, got /, bad);
    }
    // A list as one string: each colour checked, with the engine's message.
    const res = await api.post(GENERATE, { image: created.asset.id, presetName: 'custom', palette: '#ff0000, blue' });
    assert.equal(res.status, 400);
    assert.match(res.body.message, /^palette\[1\] must be a colour written #rrggbb, got "blue"$/);
  });

  test('extra hosted fields are accepted, ignored and recorded in metadata.input.ignored', async () => {
    const extra = { seed: 42, numSamples: 1, prompt: 'a vector apple', negativePrompt: '', aspectRatio: '1:1', modelId: MODEL };
    const res = await api.post(GENERATE, { image: dataUrl(fixture('logo.png')), presetName: 'bw', ...extra });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const job = await api.waitJob(res.body.job.jobId);
    assert.equal(job.status, 'success');
    assert.deepEqual(job.metadata.input.ignored, extra);
    assert.equal(job.metadata.input.presetName, 'bw');
    // Nothing ignored: no `ignored` entry.
    const plain = await api.post(GENERATE, { image: dataUrl(fixture('logo.png')) });
    assert.equal(plain.body.job.metadata.input.ignored, undefined);
  });

  test('dryRun in the body acts like the query parameter: 269 and no job', async () => {
    const before = (await api.get('/jobs?pageSize=100')).body.jobs.length;
    for (const dryRun of [true, 'true']) {
      const res = await api.post(GENERATE, { image: dataUrl(fixture('logo.png')), dryRun, seed: 1 });
      assert.equal(res.status, 269, String(dryRun));
      assert.deepEqual(res.body, { creativeUnitsCost: 0, creativeUnitsDiscount: 0, costDetails: {} });
    }
    assert.equal((await api.get('/jobs?pageSize=100')).body.jobs.length, before);
    const bad = await api.post(GENERATE, { image: dataUrl(fixture('logo.png')), dryRun: 'maybe' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, 'dryRun must be true or false, got "maybe"');
  });

  test('misspelt VTracer parameters are still refused, with a "did you mean"', async () => {
    const cases: [string, unknown, string | null][] = [
      ['colourMode', 'binary', 'colorMode'],
      ['filter_speckle', 4, 'filterSpeckle'],
      ['colorPrecison', 6, 'colorPrecision'],
      ['Mode', 'polygon', 'mode'],
      ['wobble', 3, null],
    ];
    for (const [name, value, meant] of cases) {
      const res = await api.post(GENERATE, { image: dataUrl(fixture('logo.png')), presetName: 'custom', [name]: value });
      assert.equal(res.status, 400, name);
      assert.match(res.body.message, new RegExp(`^unknown field "${name}"`), name);
      if (meant) assert.match(res.body.message, new RegExp(`did you mean "${meant}"\\?`), name);
      else assert.doesNotMatch(res.body.message, /did you mean/, name);
    }
  });

  test('a client that reads only `message` gets a useful sentence for every error', async () => {
    /** Such a client: on an error it shows `message` and nothing else. */
    const shown = async (path: string, init: RequestInit = {}, auth = api.headers()) => {
      const res = await fetch(`${server.url}/v1${path}`, { ...init, headers: { ...auth, ...(init.headers as Record<string, string>) } });
      assert.ok(!res.ok, path);
      return `${res.status} ${((await res.json()) as { message: string }).message}`;
    };
    const json = { 'Content-Type': 'application/json' };
    assert.match(await shown(GENERATE, { method: 'POST', headers: json, body: JSON.stringify({ image: 'asset_nope0000000000' }) }),
      /^404 image asset "asset_nope0000000000" not found$/);
    assert.match(await shown(GENERATE, { method: 'POST', headers: json, body: '{"image":' }), /^400 body must be valid JSON/);
    assert.match(await shown(GENERATE, { method: 'POST', headers: json, body: JSON.stringify({ presetName: 'poster' }) }),
      /^400 image is required/);
    assert.match(await shown('/jobs/job_nope00000000000'), /^404 job "job_nope00000000000" not found$/);
    assert.match(await shown('/nothing-here'), /^404 No route for GET \/v1\/nothing-here$/);
    assert.match(await shown('/jobs', {}, {}), /^401 Missing Authorization header/);
    assert.match(await shown('/jobs', {}, { Authorization: `Basic ${Buffer.from(`${key.apiKey}:nope`).toString('base64')}` }),
      /^401 Invalid API key or secret$/);
  });

  test('the model browser: GET /v1/models/public and ?privacy=public list the model', async () => {
    for (const path of ['/models/public', '/models?privacy=public', '/models/public?privacy=public&pageSize=10', '/models']) {
      const res = await api.get(path);
      assert.equal(res.status, 200, path);
      assert.deepEqual(res.body.models.map((m: { id: string }) => m.id), [MODEL], path);
      assert.equal(res.body.models[0].privacy, 'public');
      assert.ok(res.body.models[0].capabilities.includes('img2img'));
    }
    assert.deepEqual((await api.get('/models?privacy=private')).body.models, []);
    // The detail route is unchanged by the listing route.
    assert.equal((await api.get(`/models/${MODEL}`)).body.model.id, MODEL);
  });

  test('a client that only knows the hosted types still refuses nothing the model needs (no unknown input type)', async () => {
    const { body } = await api.get(`/models/${MODEL}`);
    const hostedTypes = new Set(['file', 'string', 'number', 'boolean', 'string_array']);
    for (const input of body.model.inputs) assert.ok(hostedTypes.has(input.type), `${input.name}: ${input.type}`);
  });
});
