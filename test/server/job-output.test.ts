/**
 * A trace job cut (as by kill -9) after its SVG file is written and before the asset is recorded: the
 * restarted queue re-runs it into the same file (the result's id is per job), so no orphan file is left; a
 * job that runs out of attempts there has its file removed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/server/store/sqlite.js';
import { FsBlobStore } from '../../src/server/blobs/fs.js';
import { EmbeddedJobQueue } from '../../src/server/jobs/embedded.js';
import { resultAssetId } from '../../src/server/jobs/job-output.js';
import type { Tracer } from '../../src/server/jobs/types.js';
import { newId } from '../../src/server/ids.js';
import { decodeImage } from '../../src/io/decode.js';
import { traceRgbaDetailed } from '../../src/engine/index.js';
import type { BlobStore, JobRecord } from '../../src/server/store/types.js';
import { fixture } from './helpers.js';
import { asset, job } from './store-contract.js';

/** The real engine on the calling thread (the service uses worker threads; the queue does not care). */
const inThread: Tracer = {
  async run(source, options) {
    const { onProgress, signal, ...params } = options;
    return traceRgbaDetailed(await decodeImage(source.input), { ...params, onProgress, signal });
  },
  async close() {},
};

/** Blob writes of SVG results land on disk and then never return: the process "dies" right there. */
function dyingAfterResultWrite(blobs: BlobStore): BlobStore {
  return new Proxy(blobs, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== 'put') return typeof value === 'function' ? value.bind(target) : value;
      return async (key: string, data: Uint8Array) => {
        await target.put(key, data);
        if (key.startsWith('assets/')) await new Promise(() => {}); // never settles
      };
    },
  });
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const maxAttempts of [3, 1]) {
  test(`a job cut between its SVG file and its record (max attempts ${maxAttempts}): after a restart, no orphan file`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vt-job-output-'));
    const blobsDir = join(dir, 'blobs');
    let store = new SqliteStore(join(dir, 'db.sqlite'));
    const blobs = new FsBlobStore(blobsDir);
    try {
      const projectId = newId('project');
      await store.createProject({ id: projectId, name: 'p', createdAt: new Date().toISOString() });
      const png = fixture('logo.png');
      const input = asset(projectId, { mimeType: 'image/png', kind: 'image', name: 'logo.png', size: png.length });
      await blobs.put(input.blobKey, png);
      await store.createAsset(input);
      const queued: JobRecord = job(projectId);
      queued.metadata.input = { ...queued.metadata.input, image: input.id };
      await store.createJob(queued);

      const first = new EmbeddedJobQueue({ store, blobs: dyingAfterResultWrite(blobs), tracer: inThread, concurrency: 1, maxAttempts });
      await first.start();
      const svgKey = `assets/${resultAssetId(queued.id)}`;
      await until('the SVG file', async () => blobs.get(svgKey));
      assert.equal((await store.getJob(queued.id))!.status, 'in-progress', 'cut before the record');
      // The "dead" process's store is dropped; a new one opens the same files, as after a restart.
      store.db.close();
      store = new SqliteStore(join(dir, 'db.sqlite'));

      const second = new EmbeddedJobQueue({ store, blobs, tracer: inThread, concurrency: 1, maxAttempts });
      await second.start();
      const ended = await until('the job to end', async () => {
        const j = await store.getJob(queued.id);
        return j && ['success', 'failure'].includes(j.status) ? j : null;
      });
      await second.close();
      const files = readdirSync(join(blobsDir, 'assets'));
      if (maxAttempts > 1) {
        assert.equal(ended.status, 'success', JSON.stringify(ended));
        assert.deepEqual(ended.metadata.assetIds, [resultAssetId(queued.id)], 'the result under the per-job id');
        const svg = (await blobs.get(svgKey))!.toString('utf8');
        assert.match(svg, /^<svg[^>]* width="\d+" height="\d+"/);
        assert.deepEqual(files.sort(), [input.id, resultAssetId(queued.id)].sort(), 'the input and one result, no orphan');
      } else {
        assert.equal(ended.status, 'failure', JSON.stringify(ended));
        assert.deepEqual(files, [input.id], 'the cut result file removed with the failed job');
      }
    } finally {
      store.db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('result ids: one per job, the same on every attempt, valid asset ids', () => {
  const a = newId('job'), b = newId('job');
  assert.equal(resultAssetId(a), resultAssetId(a));
  assert.notEqual(resultAssetId(a), resultAssetId(b));
  assert.match(resultAssetId(a), /^asset_[0-9a-f]{24}$/);
});
