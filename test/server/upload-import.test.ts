/**
 * The upload import cut at every step it writes something (as a kill -9 would), then resumed the way the
 * service does at start: whatever the cut, exactly one asset, its bytes intact, no orphan blob. The
 * end-to-end kill test (faults.test.ts) can only hit these windows by chance; this one hits each of them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/server/store/sqlite.js';
import { FsBlobStore } from '../../src/server/blobs/fs.js';
import { defaultConfig } from '../../src/server/config.js';
import { newId } from '../../src/server/ids.js';
import { importUpload, partKey, recoverUploads } from '../../src/server/uploads.js';
import type { BlobStore, Store, UploadRecord } from '../../src/server/store/types.js';
import { fixture } from './helpers.js';
import { job } from './store-contract.js';

class Crash extends Error {}

/** Wraps an object so that write call number `counter.left` (from 0) throws before doing anything. */
function crashingAt<T extends object>(target: T, writes: readonly string[], counter: { left: number }): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      if (!writes.includes(String(prop))) return value.bind(obj);
      return (...args: unknown[]) => {
        if (counter.left-- === 0) throw new Crash(`cut before ${String(prop)}`);
        return value.apply(obj, args);
      };
    },
  });
}

const STORE_WRITES = ['createAsset', 'transitionUpload', 'transitionJob', 'deleteAsset'];
const BLOB_WRITES = ['put', 'delete', 'deletePrefix'];

/** Cuts the import of `png` (split in two parts) before its 1st, 2nd, ... write, resumes it, and checks the result each time. */
async function cutEverywhere(png: Buffer, check: (ctx: { cutAt: number; dir: string; store: Store; blobs: BlobStore; upload: UploadRecord; jobId: string }) => Promise<void>): Promise<number> {
  const config = defaultConfig();
  let cuts = 0;
  for (let cutAt = 0; ; cutAt++) {
    const dir = mkdtempSync(join(tmpdir(), 'vt-import-'));
    const store: Store = new SqliteStore(join(dir, 'db.sqlite'));
    const blobs: BlobStore = new FsBlobStore(join(dir, 'blobs'));
    try {
      const projectId = newId('project');
      await store.createProject({ id: projectId, name: 'p', createdAt: new Date().toISOString() });
      const uploadJob = job(projectId, { jobType: 'upload', status: 'in-progress' });
      await store.createJob(uploadJob);
      const t = new Date().toISOString();
      const upload: UploadRecord = {
        id: newId('upload'), projectId, authorId: 'api_test', jobId: uploadJob.id, fileName: 'a.png', fileSize: png.length,
        contentType: 'image/png', kind: 'image', partsCount: 2, status: 'pending', entityId: null, error: null, createdAt: t, updatedAt: t,
      };
      await store.createUpload(upload);
      const half = Math.ceil(png.length / 2);
      await blobs.put(partKey(upload.id, 1), png.subarray(0, half));
      await blobs.put(partKey(upload.id, 2), png.subarray(half));
      // What the complete route does before importing: reserve the asset id with the move to validating.
      const validating = (await store.transitionUpload(upload.id, ['pending'], 'validating', { entityId: newId('asset') }))!;

      const counter = { left: cutAt };
      let crashed = false;
      try {
        await importUpload({ store: crashingAt(store, STORE_WRITES, counter), blobs: crashingAt(blobs, BLOB_WRITES, counter), config }, validating);
      } catch (err) {
        if (!(err instanceof Crash)) throw err;
        crashed = true;
      }
      if (!crashed) break; // cutAt is past the last write: every window was covered
      cuts++;
      await recoverUploads({ store, blobs, config });

      await check({ cutAt, dir, store, blobs, upload, jobId: uploadJob.id });
      assert.equal(await blobs.get(partKey(upload.id, 1)), null, `cut ${cutAt}: parts removed`);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return cuts;
}

test('an upload import cut before any of its writes resumes at start into exactly one asset, no orphan file', async () => {
  const png = fixture('astronaut-256.png');
  const cuts = await cutEverywhere(png, async ({ cutAt, dir, store, blobs, upload, jobId }) => {
    const state = (await store.getUpload(upload.id))!;
    assert.equal(state.status, 'imported', `cut ${cutAt}: ${JSON.stringify(state)}`);
    const { projectId } = upload;
    const assets = (await store.listAssets(projectId, { pageSize: 100 })).items.filter((a) => a.metadata.uploadId === upload.id);
    assert.deepEqual(assets.map((a) => a.id), [state.entityId], `cut ${cutAt}: exactly one asset`);
    assert.ok((await blobs.get(assets[0]!.blobKey))!.equals(png), `cut ${cutAt}: bytes intact`);
    assert.deepEqual(readdirSync(join(dir, 'blobs', 'assets')), [state.entityId], `cut ${cutAt}: no orphan asset file`);
    assert.equal((await store.getJob(jobId))!.status, 'success', `cut ${cutAt}: job`);
  });
  assert.ok(cuts >= 5, `the import writes at least 5 times (blob, asset, job, parts, upload), cut ${cuts}`);
});

test('a failing upload import (not an image) cut anywhere ends failed once, with its first reason, parts removed', async () => {
  const notAnImage = Buffer.from('this is plain text, not an image, although its name says .png');
  const cuts = await cutEverywhere(notAnImage, async ({ cutAt, dir, store, upload, jobId }) => {
    const state = (await store.getUpload(upload.id))!;
    assert.equal(state.status, 'failed', `cut ${cutAt}: ${JSON.stringify(state)}`);
    const failedJob = (await store.getJob(jobId))!;
    assert.equal(failedJob.status, 'failure', `cut ${cutAt}: job`);
    assert.equal(state.error, failedJob.error, `cut ${cutAt}: one reason on both`);
    assert.doesNotMatch(state.error ?? '', /missing/, `cut ${cutAt}: the reason is the image's, not the removed parts'`);
    assert.deepEqual((await store.listAssets(upload.projectId, { pageSize: 10 })).items, [], `cut ${cutAt}: no asset`);
    assert.equal(existsSync(join(dir, 'blobs', 'assets')), false, `cut ${cutAt}: no asset file`);
  });
  assert.ok(cuts >= 3, `the failing import writes at least 3 times (job, parts, upload), cut ${cuts}`);
});
