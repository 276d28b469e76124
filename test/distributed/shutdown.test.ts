/**
 * Graceful stop of a worker process: SIGTERM with no grace puts its running job back in the queue (the attempt
 * does not count), the process exits 0, and another worker completes the job.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Api, MODEL, dataUrl, noisePng, type Key, type Server } from '../server/helpers.js';
import {
  createKeyDb, isolatedUrls, requireServices, skipUnlessServices, sql, startApi, startWorker, type Urls, type WorkerProc,
} from './helpers.js';

describe('distributed mode: worker shutdown', { skip: skipUnlessServices() }, () => {
  let urls: Urls;
  let key: Key;
  let api: Server;
  const workers: WorkerProc[] = [];

  before(async () => {
    requireServices();
    urls = await isolatedUrls();
    key = await createKeyDb(urls, 'shutdown');
    api = await startApi(urls);
  });

  after(async () => {
    await Promise.all([api?.stop(), ...workers.map((w) => w.stop('SIGKILL'))]);
  });

  test('SIGTERM --grace 0: the running job goes back to the queue and another worker completes it', async () => {
    const first = await startWorker(urls, 1, ['--grace', '0']);
    workers.push(first);
    const client = new Api(api.url, key);
    const job = (await client.post(`/generate/custom/${MODEL}`, { image: dataUrl(await noisePng(1400, 31)), presetName: 'photo' })).body.job;
    await client.waitJob(job.jobId, (j) => j.status === 'in-progress' && j.progress > 0, 60_000);
    first.proc.kill('SIGTERM');
    assert.equal((await first.exited).code, 0);
    const requeued = (await client.get(`/jobs/${job.jobId}`)).body.job;
    assert.equal(requeued.status, 'queued');
    const second = await startWorker(urls, 1);
    workers.push(second);
    const done = await client.waitJob(job.jobId, undefined, 120_000);
    assert.equal(done.status, 'success', JSON.stringify(done));
    assert.deepEqual(done.statusHistory.map((s: { status: string }) => s.status),
      ['queued', 'in-progress', 'queued', 'in-progress', 'success']);
    const [row] = await sql<{ attempts: number }>(urls, 'SELECT attempts FROM jobs WHERE id = $1', [job.jobId]);
    assert.equal(row!.attempts, 1, 'the interrupted attempt was not counted');
    // The second worker finished it (it logs that just after recording the success: wait for the line).
    await second.waitForLog((e) => e.jobId === job.jobId && e.msg === 'job succeeded');
  });
});
