/**
 * A worker whose Redis and PostgreSQL go away (stopped after a test, a network cut): it must still stop on
 * SIGTERM within the grace period, and exit 1 by itself once they stayed away longer than --backend-timeout,
 * so that a supervisor restarts it. The services stay up for the other tests: the worker reaches them through
 * TCP relays that the test cuts. Outcomes are asserted (it exits, with which code), with generous bounds.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Socket } from 'node:net';
import { isolatedUrls, skipUnlessServices, startWorker, type Urls } from './helpers.js';

/** A TCP relay to the host:port of `target`; `cut()` closes it and every connection through it. */
async function relay(target: string): Promise<{ url: string; cut(): void }> {
  const to = new URL(target);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(to.port), to.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const via = new URL(target);
  via.hostname = '127.0.0.1';
  via.port = String((server.address() as { port: number }).port);
  return {
    url: via.toString(),
    cut() {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}

async function within<T>(ms: number, p: Promise<T>): Promise<T | 'timeout'> {
  return Promise.race([p, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms).unref())]);
}

describe('distributed mode: a worker whose backends went away', { skip: skipUnlessServices() }, () => {
  let urls: Urls;
  const relays: Array<{ cut(): void }> = [];
  before(async () => {
    urls = await isolatedUrls();
  });
  after(() => relays.forEach((r) => r.cut()));

  async function relayed(): Promise<{ urls: Urls; cut(): void }> {
    const db = await relay(urls.db);
    const redis = await relay(urls.redis);
    relays.push(db, redis);
    return { urls: { db: db.url, redis: redis.url }, cut: () => { db.cut(); redis.cut(); } };
  }

  test('exits 1 with a reason once Redis and PostgreSQL stayed away longer than --backend-timeout', async () => {
    const via = await relayed();
    const worker = await startWorker(via.urls, 1, ['--backend-timeout', '3', '--grace', '1']);
    via.cut();
    const outcome = await within(60_000, worker.exited);
    if (outcome === 'timeout') await worker.stop('SIGKILL');
    assert.notEqual(outcome, 'timeout', `still running 60 s after its backends went away:\n${worker.logs.slice(-10).join('\n')}`);
    assert.deepEqual(outcome, { code: 1, signal: null });
    assert.ok(worker.entries().some((e) => /unreachable for \d+ s: exiting so that a supervisor restarts this worker/.test(String(e.msg))), worker.logs.slice(-10).join('\n'));
  });

  test('SIGTERM after they went away: the worker exits within the grace period plus a few seconds', async () => {
    const via = await relayed();
    const worker = await startWorker(via.urls, 1, ['--backend-timeout', '0', '--grace', '2']);
    via.cut();
    await new Promise((r) => setTimeout(r, 1000));
    worker.proc.kill('SIGTERM');
    const outcome = await within(2000 + 30_000, worker.exited);
    if (outcome === 'timeout') await worker.stop('SIGKILL');
    assert.notEqual(outcome, 'timeout', `still running after SIGTERM:\n${worker.logs.slice(-10).join('\n')}`);
    assert.equal((outcome as { signal: unknown }).signal, null, 'it exited by itself, not killed');
  });
});
