/**
 * The distributed mode end to end, with real PostgreSQL and Redis: an API node without workers and two
 * `vtracer worker` processes; the seed flow; two API nodes serving each other's signed URLs; cancel of a job
 * running on a worker; an API node killed and replaced while jobs are in flight; `vtracer migrate` idempotent.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { Api, BIN, MODEL, dataUrl, fixture, noisePng, type Key, type Server } from '../server/helpers.js';
import {
  createKeyDb, isolatedUrls, requireServices, skipUnlessServices, sql, startApi, startWorker, type Urls, type WorkerProc,
} from './helpers.js';

const GENERATE = `/generate/custom/${MODEL}`;
const execFileP = promisify(execFile);

describe('distributed mode (PostgreSQL + Redis/BullMQ)', { skip: skipUnlessServices() }, () => {
  let urls: Urls;
  let key: Key;
  let api: Server;
  let other: Server | null = null;
  const workers: WorkerProc[] = [];

  before(async () => {
    requireServices();
    urls = await isolatedUrls();
    key = await createKeyDb(urls, 'flow');
    [api] = await Promise.all([
      startApi(urls),
      ...[1, 2].map(async () => { workers.push(await startWorker(urls, 1)); }),
    ]) as [Server, ...unknown[]];
  });

  after(async () => {
    await Promise.all([api?.stop(), other?.stop(), ...workers.map((w) => w.stop())]);
  });

  test('seed flow: key, upload, generate, poll, signed URL, SVG; traced by a worker process', async () => {
    const client = new Api(api.url, key);
    const up = await client.post('/assets', { image: dataUrl(fixture('logo.png')), name: 'logo.png' });
    assert.equal(up.status, 200, JSON.stringify(up.body));
    const gen = await client.post(GENERATE, { image: up.body.asset.id, presetName: 'poster' });
    assert.equal(gen.status, 200, JSON.stringify(gen.body));
    assert.equal(gen.body.job.status, 'queued');
    assert.equal(gen.body.creativeUnitsCost, 0);
    const done = await client.waitJob(gen.body.job.jobId, undefined, 60_000);
    assert.equal(done.status, 'success', JSON.stringify(done));
    assert.equal(done.progress, 1);
    assert.deepEqual(done.statusHistory.map((s: { status: string }) => s.status), ['queued', 'in-progress', 'success']);
    assert.equal(done.metadata.assetIds.length, 1);
    const asset = (await client.get(`/assets/${done.metadata.assetIds[0]}`)).body.asset;
    assert.equal(asset.mimeType, 'image/svg+xml');
    assert.equal(asset.metadata.parentJobId, done.jobId);
    const file = await fetch(asset.url);
    assert.equal(file.status, 200);
    assert.match(await file.text(), /^<svg[^>]* width="500" height="500"/);
    // A worker process did it (the API node has none). It logs the success just after recording it: wait for the line.
    await Promise.any(workers.map((w) => w.waitForLog((e) => e.jobId === done.jobId && e.msg === 'job succeeded')));
    const tracedBy = workers.filter((w) => w.entries().some((e) => e.jobId === done.jobId && e.msg === 'job succeeded'));
    assert.equal(tracedBy.length, 1);
    // The job list and the health check work against the shared store and queue.
    const list = await client.get('/jobs?pageSize=10');
    assert.ok(list.body.jobs.some((j: { jobId: string }) => j.jobId === done.jobId));
    const health = await (await fetch(`${api.url}/healthz`)).json() as { status: string; queue: { queued: number } };
    assert.equal(health.status, 'ok');
  });

  test('both worker processes take jobs', async () => {
    const client = new Api(api.url, key);
    const assetId = (await client.post('/assets', { image: dataUrl(fixture('horse.png')) })).body.asset.id;
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await client.post(GENERATE, { image: assetId, presetName: i % 2 ? 'photo' : 'poster' })).body.job.jobId);
    for (const id of ids) assert.equal((await client.waitJob(id, undefined, 90_000)).status, 'success');
    // Each worker traced some of the jobs (its log line of the last one may come just after the job's success).
    await Promise.all(workers.map((w) => w.waitForLog((e) => e.msg === 'job succeeded' && ids.includes(String(e.jobId)))));
  });

  test('two API nodes (separate processes, same database and Redis) serve each other\'s signed URLs', async () => {
    other = await startApi(urls);
    const a = new Api(api.url, key);
    const b = new Api(other.url, key);
    const bytes = fixture('horse.png');
    const onA = (await a.post('/assets', { image: dataUrl(bytes) })).body.asset;
    const onB = (await b.post('/assets', { image: dataUrl(bytes) })).body.asset;
    // URLs signed by one node, fetched from the other.
    const urlA = new URL(onA.url);
    const urlB = new URL(onB.url);
    const fromB = await fetch(`${other.url}${urlA.pathname}${urlA.search}`);
    assert.equal(fromB.status, 200);
    assert.deepEqual(Buffer.from(await fromB.arrayBuffer()), bytes);
    const fromA = await fetch(`${api.url}${urlB.pathname}${urlB.search}`);
    assert.equal(fromA.status, 200);
    // A tampered signature is refused by both.
    const bad = `${urlA.pathname}?expires=${urlA.searchParams.get('expires')}&signature=${'A'.repeat(43)}`;
    assert.equal((await fetch(`${api.url}${bad}`)).status, 403);
    assert.equal((await fetch(`${other.url}${bad}`)).status, 403);
    // A job created on one node is seen, with its result, on the other.
    const job = (await a.post(GENERATE, { image: onA.id })).body.job;
    const done = await b.waitJob(job.jobId, undefined, 60_000);
    assert.equal(done.status, 'success');
  });

  test('multipart upload across nodes: parts PUT to one node, completed on the other; parts removed from PostgreSQL', async () => {
    assert.ok(other, 'the second API node runs');
    const a = new Api(api.url, key);
    const b = new Api(other!.url, key);
    const png = fixture('astronaut-256.png');
    const share = Math.ceil(png.length / 3); // parts are at most ceil(fileSize / parts)
    const cut = [0, share, 2 * share, png.length];
    const upload = (await a.post('/uploads', { fileName: 'astronaut.png', fileSize: png.length, contentType: 'image/png', kind: 'image', parts: 3 })).body.upload;
    for (const part of upload.parts as Array<{ number: number; url: string }>) {
      const u = new URL(part.url);
      const res: Response = await fetch(`${other!.url}${u.pathname}${u.search}`, { method: 'PUT', body: new Uint8Array(png.subarray(cut[part.number - 1], cut[part.number])) });
      assert.equal(res.status, 200, await res.clone().text());
    }
    assert.equal((await sql<{ n: number }>(urls, `SELECT COUNT(*)::int AS n FROM blobs WHERE key LIKE $1`, [`uploads/${upload.id}/%`]))[0]!.n, 3);
    const done = await b.post(`/uploads/${upload.id}/action`, { action: 'complete' });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    const status = (await a.get(`/uploads/${upload.id}`)).body.upload;
    assert.equal(status.status, 'imported');
    assert.equal((await sql<{ n: number }>(urls, `SELECT COUNT(*)::int AS n FROM blobs WHERE key LIKE $1`, [`uploads/${upload.id}/%`]))[0]!.n, 0);
    const asset = (await a.get(`/assets/${status.entityId}`)).body.asset;
    assert.ok(Buffer.from(await (await fetch(asset.url)).arrayBuffer()).equals(png), 'the parts joined in order');
    const traced = await b.post(GENERATE, { image: status.entityId });
    assert.equal((await a.waitJob(traced.body.job.jobId, undefined, 60_000)).status, 'success');
    // Delete: record and bytes gone.
    assert.equal((await a.request('DELETE', `/assets/${status.entityId}`)).status, 200);
    assert.equal((await b.get(`/assets/${status.entityId}`)).status, 404);
    assert.equal((await sql<{ n: number }>(urls, 'SELECT COUNT(*)::int AS n FROM blobs WHERE key = $1', [`assets/${status.entityId}`]))[0]!.n, 0);
  });

  test('cancel reaches a job running on a worker process: the trace stops there', async () => {
    const client = new Api(api.url, key);
    const job = (await client.post(GENERATE, { image: dataUrl(await noisePng(1400, 11)), presetName: 'photo' })).body.job;
    await client.waitJob(job.jobId, (j) => j.status === 'in-progress' && j.progress > 0, 60_000);
    const started = Date.now();
    const res = await client.post(`/jobs/${job.jobId}/action`, { action: 'cancel' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.job.status, 'canceled');
    // The worker that ran it logs the stop soon (pub/sub, or the status poll as a fallback).
    const canceledOn = await Promise.any(workers.map((w) => w.waitForLog((e) => e.jobId === job.jobId && e.msg === 'job canceled', 15_000)));
    assert.ok(canceledOn);
    assert.ok(Date.now() - started < 15_000);
    const after = (await client.get(`/jobs/${job.jobId}`)).body.job;
    assert.equal(after.status, 'canceled');
    assert.deepEqual(after.metadata.assetIds, []);
    assert.deepEqual(after.statusHistory.map((s: { status: string }) => s.status), ['queued', 'in-progress', 'canceled']);
    // The workers are free again: a new job completes.
    const next = (await client.post(GENERATE, { image: dataUrl(fixture('logo.png')) })).body.job;
    assert.equal((await client.waitJob(next.jobId, undefined, 60_000)).status, 'success');
  });

  test('an API node killed (-9) while jobs are in flight loses nothing: another node sees them all succeed', async () => {
    const doomed = await startApi(urls);
    const client = new Api(doomed.url, key);
    const assetId = (await client.post('/assets', { image: dataUrl(fixture('text.png')) })).body.asset.id;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await client.post(GENERATE, { image: assetId })).body.job.jobId);
    doomed.proc.kill('SIGKILL');
    assert.equal((await doomed.exited).signal, 'SIGKILL');
    const replacement = await startApi(urls);
    try {
      const c2 = new Api(replacement.url, key);
      for (const id of ids) {
        const done = await c2.waitJob(id, undefined, 90_000);
        assert.equal(done.status, 'success', JSON.stringify(done));
        assert.equal(done.metadata.assetIds.length, 1);
      }
    } finally {
      await replacement.stop();
    }
  });

  test('a job recorded in PostgreSQL but never added to Redis (its API node died in between) is found and run', async () => {
    const client = new Api(api.url, key);
    const assetId = (await client.post('/assets', { image: dataUrl(fixture('logo.png')) })).body.asset.id;
    const template = (await client.post(GENERATE, { image: assetId })).body.job;
    await client.waitJob(template.jobId, undefined, 60_000);
    // A copy of that job's record, queued a minute ago, that Redis has never heard of.
    const orphan = `job_${randomBytes(16).toString('hex').slice(0, 22)}`;
    await sql(urls, `INSERT INTO jobs (id, project_id, author_id, job_type, status, progress, attempts, metadata, status_history,
        error, created_at, updated_at)
      SELECT $1, project_id, author_id, job_type, 'queued', 0, 0, jsonb_set(metadata, '{assetIds}', '[]'),
        jsonb_build_array(jsonb_build_object('status', 'queued', 'date', (now() - interval '1 minute')::text)),
        NULL, now() - interval '1 minute', now() - interval '1 minute'
      FROM jobs WHERE id = $2`, [orphan, template.jobId]);
    // Every API node reconciles at start (and every 15 s): the new node at its start, or the running one if its
    // timer fired between the insert and that start. Either logs the orphan's id among the re-added jobs.
    const node = await startApi(urls);
    try {
      const done = await new Api(node.url, key).waitJob(orphan, undefined, 60_000);
      assert.equal(done.status, 'success', JSON.stringify(done));
      assert.equal(done.metadata.assetIds.length, 1);
      const reconciled = new RegExp(`^(?=.*reconciled unfinished jobs)(?=.*"${orphan}")`);
      await Promise.any([node.waitForLog(reconciled), api.waitForLog(reconciled)]);
    } finally {
      await node.stop();
    }
  });

  test('vtracer migrate is idempotent (a fresh database, then again, then on a database in use)', async () => {
    const admin = requireServices();
    const name = `vt_migrate_${Date.now()}`;
    await sql({ db: admin.db, redis: admin.redis }, `CREATE DATABASE ${name}`);
    const db = new URL(admin.db);
    db.pathname = `/${name}`;
    const env = { ...process.env, DATABASE_URL: '', REDIS_URL: '' };
    const first = JSON.parse((await execFileP(process.execPath, [BIN, 'migrate', '--db', db.toString(), '--json'], { env })).stdout);
    assert.equal(first.from, 0);
    assert.ok(first.to >= 1);
    assert.equal(first.applied.length, first.to);
    const second = JSON.parse((await execFileP(process.execPath, [BIN, 'migrate', '--db', db.toString(), '--json'], { env })).stdout);
    assert.deepEqual(second, { from: first.to, to: first.to, applied: [] });
    const text = (await execFileP(process.execPath, [BIN, 'migrate', '--db', urls.db], { env })).stdout;
    assert.match(text, /Schema is up to date \(version \d+\)/);
    const rows = await sql<{ n: number }>(urls, 'SELECT COUNT(*)::int AS n FROM schema_migrations');
    assert.equal(rows[0]!.n, first.to);
  });

  test('keys list / revoke with --db; a revoked key gets 401 on every node', async () => {
    const extra = await createKeyDb(urls, 'to-revoke');
    const env = { ...process.env, DATABASE_URL: '', REDIS_URL: '' };
    const list = JSON.parse((await execFileP(process.execPath, [BIN, 'keys', 'list', '--json', '--db', urls.db], { env })).stdout);
    assert.ok(list.some((k: { apiKey: string }) => k.apiKey === extra.apiKey));
    assert.equal((await new Api(api.url, extra).get('/jobs')).status, 200);
    await execFileP(process.execPath, [BIN, 'keys', 'revoke', extra.apiKey, '--db', urls.db], { env });
    assert.equal((await new Api(api.url, extra).get('/jobs')).status, 401);
    // The message names where the keys are: the database (password hidden), not a data folder.
    const unknown = await execFileP(process.execPath, [BIN, 'keys', 'revoke', 'api_unknown', '--db', urls.db], { env })
      .then(() => null, (e: { code: number; stderr: string }) => e);
    assert.equal(unknown?.code, 1);
    assert.match(unknown!.stderr, /no key api_unknown in the database postgres(ql)?:\/\//);
    assert.doesNotMatch(unknown!.stderr, /data folder/);
    const password = new URL(urls.db).password;
    if (password) assert.ok(!unknown!.stderr.includes(password), 'password not shown');
  });
});
