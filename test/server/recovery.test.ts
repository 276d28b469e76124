/**
 * Nothing lost: kill -9 during a job, SIGTERM with and without time to finish, and restarts on the same data
 * dir. Also the expiry of signed URLs (a server with a 2 s URL lifetime).
 *
 * The "slow" jobs are 1400 px noise with the photo preset (about a second of tracing on a fast machine): a job
 * that must still be running when the process is killed or stopped needs a margin over the poll that saw it
 * running (a 700 px one now takes ~0.4 s).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Api, MODEL, createKey, dataUrl, fixture, noisePng, removeDir, startServer, tempDir } from './helpers.js';

const GENERATE = `/generate/custom/${MODEL}`;
const SLOW = 1400;
const dirs: string[] = [];
after(() => dirs.forEach(removeDir));

describe('recovery', () => {
  test('kill -9 during a job: after a restart on the same data dir the job completes', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const key = await createKey(dir);
    const first = await startServer(dir, ['--workers', '1']);
    const api = new Api(first.url, key);
    const slow = (await api.post(GENERATE, { image: dataUrl(await noisePng(SLOW, 3)), presetName: 'photo' })).body.job;
    const quick = (await api.post(GENERATE, { image: dataUrl(fixture('logo.png')) })).body.job;
    await api.waitJob(slow.jobId, (j) => j.status === 'in-progress' && j.progress > 0, 30_000);
    first.proc.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');

    const second = await startServer(dir, ['--workers', '1']);
    try {
      const api2 = new Api(second.url, key);
      const done = await api2.waitJob(slow.jobId, undefined, 90_000);
      assert.equal(done.status, 'success', JSON.stringify(done));
      assert.deepEqual(done.statusHistory.map((s: { status: string }) => s.status),
        ['queued', 'in-progress', 'queued', 'in-progress', 'success']);
      assert.equal(done.metadata.assetIds.length, 1);
      const asset = (await api2.get(`/assets/${done.metadata.assetIds[0]}`)).body.asset;
      const svg = await (await fetch(asset.url)).text();
      assert.match(svg, new RegExp(`^<svg[^>]* width="${SLOW}" height="${SLOW}"`));
      assert.equal((await api2.waitJob(quick.jobId)).status, 'success', 'the queued job was kept too');
      await second.waitForLog(/requeued or failed/);
    } finally {
      await second.stop();
    }
  });

  test('a job interrupted more than --max-attempts times fails with a reason', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const key = await createKey(dir);
    let server = await startServer(dir, ['--workers', '1', '--max-attempts', '2']);
    const api = new Api(server.url, key);
    const slow = (await api.post(GENERATE, { image: dataUrl(await noisePng(SLOW, 4)), presetName: 'photo' })).body.job;
    for (let i = 0; i < 2; i++) {
      await new Api(server.url, key).waitJob(slow.jobId, (j) => j.status === 'in-progress', 30_000);
      server.proc.kill('SIGKILL');
      await server.exited;
      server = await startServer(dir, ['--workers', '1', '--max-attempts', '2']);
    }
    try {
      const job = (await new Api(server.url, key).get(`/jobs/${slow.jobId}`)).body.job;
      assert.equal(job.status, 'failure');
      assert.match(job.error, /stopped while tracing this job 2 time\(s\); giving up after 2 attempts/);
    } finally {
      await server.stop();
    }
  });

  test('SIGTERM lets a running job finish within the grace period, and exits 0', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const key = await createKey(dir);
    const server = await startServer(dir, ['--workers', '1', '--grace', '60']);
    const api = new Api(server.url, key);
    const job = (await api.post(GENERATE, { image: dataUrl(await noisePng(500, 5)), presetName: 'photo' })).body.job;
    await api.waitJob(job.jobId, (j) => j.status === 'in-progress', 30_000);
    const { code } = await server.stop('SIGTERM');
    assert.equal(code, 0);
    const again = await startServer(dir, ['--workers', '1']);
    try {
      const done = (await new Api(again.url, key).get(`/jobs/${job.jobId}`)).body.job;
      assert.equal(done.status, 'success', 'finished before the process exited');
      assert.deepEqual(done.statusHistory.map((s: { status: string }) => s.status), ['queued', 'in-progress', 'success']);
    } finally {
      await again.stop();
    }
  });

  test('SIGTERM with no grace puts the running job back in the queue; it completes after a restart', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const key = await createKey(dir);
    const server = await startServer(dir, ['--workers', '1', '--grace', '0']);
    const api = new Api(server.url, key);
    const job = (await api.post(GENERATE, { image: dataUrl(await noisePng(SLOW, 6)), presetName: 'photo' })).body.job;
    await api.waitJob(job.jobId, (j) => j.status === 'in-progress', 30_000);
    const { code } = await server.stop('SIGTERM');
    assert.equal(code, 0);
    const again = await startServer(dir, ['--workers', '1']);
    try {
      const api2 = new Api(again.url, key);
      const done = await api2.waitJob(job.jobId, undefined, 90_000);
      assert.equal(done.status, 'success');
      assert.deepEqual(done.statusHistory.map((s: { status: string }) => s.status),
        ['queued', 'in-progress', 'queued', 'in-progress', 'success']);
    } finally {
      await again.stop();
    }
  });

  test('signed URLs expire (--url-ttl 2): 403 after the lifetime, a fresh GET gives a working one', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const key = await createKey(dir);
    const server = await startServer(dir, ['--workers', '1', '--url-ttl', '2']);
    try {
      const api = new Api(server.url, key);
      const asset = (await api.post('/assets', { image: dataUrl(fixture('horse.png')) })).body.asset;
      assert.equal((await fetch(asset.url)).status, 200);
      // A URL is valid through the second its `expires` names (urlExpiresAt), so at least the 2 s lifetime: room for
      // the fetches above and below on a loaded machine. Wait until just past that second.
      await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(asset.urlExpiresAt) + 1100 - Date.now())));
      const expired = await fetch(asset.url);
      assert.equal(expired.status, 403);
      assert.match(((await expired.json()) as { reason: string }).reason, /expired/);
      const fresh = (await api.get(`/assets/${asset.id}`)).body.asset;
      assert.equal((await fetch(fresh.url)).status, 200);
    } finally {
      await server.stop();
    }
  });
});
