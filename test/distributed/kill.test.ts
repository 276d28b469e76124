/**
 * The kill test of the distributed mode: 20 jobs over two worker processes; one worker is killed with SIGKILL
 * while it traces. Every job must end in `success`, the interrupted one started again by the other worker
 * (BullMQ's stalled-job recovery), and no job may have more than one output asset.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Api, MODEL, dataUrl, fixture, noisePng, type Key, type Server } from '../server/helpers.js';
import {
  createKeyDb, isolatedUrls, requireServices, skipUnlessServices, sql, startApi, startWorker, type Urls, type WorkerProc,
} from './helpers.js';

const GENERATE = `/generate/custom/${MODEL}`;

describe('distributed mode: kill -9 of a worker while it traces', { skip: skipUnlessServices() }, () => {
  let urls: Urls;
  let key: Key;
  let api: Server;
  let workers: WorkerProc[] = [];

  before(async () => {
    requireServices();
    urls = await isolatedUrls();
    key = await createKeyDb(urls, 'kill');
    const started = await Promise.all([startApi(urls), startWorker(urls, 1), startWorker(urls, 1)]);
    api = started[0];
    workers = [started[1], started[2]];
  });

  after(async () => {
    await Promise.all([api?.stop(), ...workers.map((w) => w.stop('SIGKILL'))]);
  });

  test('20 jobs, one of two workers killed mid-trace: 20 successes, no duplicate assets', async () => {
    const client = new Api(api.url, key);
    // Inputs: four slow ones (noise, photo preset: seconds each) among small fixtures.
    const small = await Promise.all(['logo.png', 'horse.png', 'text.png', 'emoji-1f34e.png'].map(async (name) =>
      (await client.post('/assets', { image: dataUrl(fixture(name)) })).body.asset.id as string));
    const big = await Promise.all([21, 22, 23, 24].map(async (seed) =>
      (await client.post('/assets', { image: dataUrl(await noisePng(1400, seed)) })).body.asset.id as string));
    const ids: string[] = [];
    const bigJobs = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const isBig = i % 5 === 0;
      const body = isBig ? { image: big[i / 5]!, presetName: 'photo' } : { image: small[i % small.length]!, presetName: 'poster' };
      const res = await client.post(GENERATE, body);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      ids.push(res.body.job.jobId);
      if (isBig) bigJobs.add(res.body.job.jobId);
    }

    // Wait until a worker is tracing a slow job (started, progress > 0), then kill that worker.
    let victim: WorkerProc | undefined;
    let victimJob = '';
    const end = Date.now() + 120_000;
    while (!victim) {
      assert.ok(Date.now() < end, 'no worker started a slow job in time');
      for (const w of workers) {
        const running = w.entries().filter((e) => e.msg === 'job started' && bigJobs.has(String(e.jobId))
          && !w.entries().some((f) => f.jobId === e.jobId && f.msg !== 'job started'));
        for (const e of running) {
          const job = (await client.get(`/jobs/${e.jobId}`)).body.job;
          if (job.status === 'in-progress' && job.progress > 0) {
            victim = w;
            victimJob = job.jobId;
            break;
          }
        }
        if (victim) break;
      }
      if (!victim) await new Promise((r) => setTimeout(r, 100));
    }
    victim.proc.kill('SIGKILL');
    assert.equal((await victim.exited).signal, 'SIGKILL');
    const survivor = workers.find((w) => w !== victim)!;

    // Everything completes on the surviving worker (the killed job once its lock expires).
    for (const id of ids) {
      const done = await client.waitJob(id, undefined, 240_000);
      assert.equal(done.status, 'success', `${id}: ${JSON.stringify(done)}`);
      assert.equal(done.metadata.assetIds.length, 1, `${id} lists one asset`);
    }
    const killed = (await client.get(`/jobs/${victimJob}`)).body.job;
    assert.deepEqual(killed.statusHistory.map((s: { status: string }) => s.status),
      ['queued', 'in-progress', 'queued', 'in-progress', 'success'], 'the killed job was started again');
    const [row] = await sql<{ attempts: number }>(urls, 'SELECT attempts FROM jobs WHERE id = $1', [victimJob]);
    assert.equal(row!.attempts, 2, 'two starts recorded');
    // The survivor finished the killed job (it logs that just after recording the success: wait for the line).
    await survivor.waitForLog((e) => e.jobId === victimJob && e.msg === 'job succeeded');

    // No duplicates: exactly one output asset per job in the database, and each is the one the job lists.
    const outputs = await sql<{ job: string; n: number; ids: string[] }>(urls,
      `SELECT metadata->>'parentJobId' AS job, COUNT(*)::int AS n, array_agg(id) AS ids FROM assets
       WHERE kind = 'vectorization' GROUP BY 1`);
    assert.equal(outputs.length, 20);
    for (const o of outputs) {
      assert.equal(o.n, 1, `job ${o.job} has ${o.n} output assets`);
      const job = (await client.get(`/jobs/${o.job}`)).body.job;
      assert.deepEqual(job.metadata.assetIds, o.ids);
    }
    // And the SVG of the killed job is served.
    const asset = (await client.get(`/assets/${killed.metadata.assetIds[0]}`)).body.asset;
    assert.match(await (await fetch(asset.url)).text(), /^<svg[^>]* width="1400" height="1400"/);
  });
});
