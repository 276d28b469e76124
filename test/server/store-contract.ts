/**
 * The behaviour every Store and BlobStore implementation must have, as reusable test suites: the embedded
 * SQLite/files implementations run them in store.test.ts, a distributed one (PostgreSQL...) runs the same.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AssetRecord, BlobStore, JobRecord, Store, UploadRecord } from '../../src/server/store/types.js';
import { InvalidPaginationTokenError } from '../../src/server/store/types.js';

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const now = () => new Date().toISOString();

export function job(projectId: string, overrides: Partial<JobRecord> = {}): JobRecord {
  const t = now();
  return {
    id: id('job'), projectId, authorId: 'api_test', jobType: 'custom', status: 'queued', progress: 0, attempts: 0,
    metadata: { input: { modelId: 'model_visioncortex-vtracer', image: 'asset_x', colorPrecision: 6 }, assetIds: [] },
    statusHistory: [{ status: 'queued', date: t }], error: null, createdAt: t, updatedAt: t, ...overrides,
  };
}

export function asset(projectId: string, overrides: Partial<AssetRecord> = {}): AssetRecord {
  const assetId = id('asset');
  return {
    id: assetId, projectId, authorId: 'api_test', name: 'a.svg', mimeType: 'image/svg+xml', kind: 'vectorization',
    blobKey: `assets/${assetId}`, size: 10, width: 4, height: 3, metadata: { kind: 'vectorization' }, createdAt: now(),
    ...overrides,
  };
}

export function storeContract(name: string, open: () => Promise<Store>, close: (store: Store) => Promise<void>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let p1: string;
    let p2: string;

    before(async () => {
      store = await open();
      p1 = id('project');
      p2 = id('project');
      await store.createProject({ id: p1, name: 'one', createdAt: now() });
      await store.createProject({ id: p2, name: 'two', createdAt: now() });
    });
    after(async () => close(store));

    test('keys: create, read, list, revoke once', async () => {
      const key = { apiKey: id('api'), projectId: p1, name: 'k', secretHash: 'scrypt$x', createdAt: now(), revokedAt: null };
      await store.createApiKey(key);
      assert.deepEqual(await store.getApiKey(key.apiKey), key);
      assert.equal(await store.getApiKey('api_missing'), null);
      assert.ok((await store.listApiKeys()).some((k) => k.apiKey === key.apiKey));
      assert.equal(await store.revokeApiKey(key.apiKey, now()), true);
      assert.equal(await store.revokeApiKey(key.apiKey, now()), false);
      assert.ok((await store.getApiKey(key.apiKey))!.revokedAt);
      assert.equal((await store.getProject(p1))!.name, 'one');
      assert.equal(await store.getProject('project_missing'), null);
    });

    test('jobs: scoped reads, compare-and-set transitions with history, monotonic progress', async () => {
      const j = job(p1);
      await store.createJob(j);
      assert.deepEqual(await store.getJob(j.id, p1), j);
      assert.equal(await store.getJob(j.id, p2), null, 'another project sees nothing');
      assert.equal(await store.transitionJob(j.id, ['in-progress'], 'success'), null, 'wrong from-status: no change');
      const running = await store.transitionJob(j.id, ['queued'], 'in-progress', { attemptsDelta: 1 });
      assert.equal(running!.status, 'in-progress');
      assert.equal(running!.attempts, 1);
      await store.setJobProgress(j.id, 0.5);
      await store.setJobProgress(j.id, 0.3);
      assert.equal((await store.getJob(j.id))!.progress, 0.5, 'progress never goes back');
      const canceled = await store.transitionJob(j.id, ['queued', 'in-progress'], 'canceled');
      assert.deepEqual(canceled!.statusHistory.map((s) => s.status), ['queued', 'in-progress', 'canceled']);
      await store.setJobProgress(j.id, 0.9);
      assert.equal((await store.getJob(j.id))!.progress, 0.5, 'no progress after the end');
      const failed = await store.transitionJob(j.id, ['in-progress'], 'failure', { error: 'x' });
      assert.equal(failed, null);
    });

    test('completeJob inserts the asset and succeeds atomically, only from in-progress', async () => {
      const j = job(p1);
      await store.createJob(j);
      const a = asset(p1, { metadata: { parentJobId: j.id } });
      assert.equal(await store.completeJob(j.id, a), null, 'a queued job cannot complete');
      assert.equal(await store.getAsset(a.id), null, 'and no asset was inserted');
      await store.transitionJob(j.id, ['queued'], 'in-progress');
      const done = await store.completeJob(j.id, a);
      assert.equal(done!.status, 'success');
      assert.equal(done!.progress, 1);
      assert.deepEqual(done!.metadata.assetIds, [a.id]);
      assert.deepEqual(await store.getAsset(a.id, p1), a);
      const again = asset(p1);
      assert.equal(await store.completeJob(j.id, again), null, 'a second completion is refused');
      assert.equal(await store.getAsset(again.id), null);
    });

    test('pagination: newest first, opaque tokens, status filter, bad tokens rejected', async () => {
      const p = id('project');
      await store.createProject({ id: p, name: 'pages', createdAt: now() });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const j = job(p);
        await store.createJob(j);
        ids.push(j.id);
      }
      await store.transitionJob(ids[1]!, ['queued'], 'canceled');
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await store.listJobs(p, { pageSize: 2, paginationToken: token });
        seen.push(...page.items.map((j) => j.id));
        token = page.nextPaginationToken ?? undefined;
      } while (token);
      assert.deepEqual(seen, [...ids].reverse());
      const canceled = await store.listJobs(p, { pageSize: 10, status: 'canceled' });
      assert.deepEqual(canceled.items.map((j) => j.id), [ids[1]]);
      assert.equal(canceled.nextPaginationToken, null);
      await assert.rejects(store.listJobs(p, { pageSize: 2, paginationToken: 'garbage' }), InvalidPaginationTokenError);
      assert.equal((await store.listJobs(p2, { pageSize: 10 })).items.filter((j) => ids.includes(j.id)).length, 0);
      assert.equal(await store.countActiveJobs(p), 4);
      const counts = await store.countJobsByStatus();
      assert.ok(counts.queued >= 4 && counts.canceled >= 1);
    });

    test('assets: scoped read, list, delete returns the record once', async () => {
      const a = asset(p2);
      await store.createAsset(a);
      assert.equal(await store.getAsset(a.id, p1), null);
      assert.equal(await store.deleteAsset(a.id, p1), null, 'another project cannot delete it');
      assert.ok((await store.listAssets(p2, { pageSize: 100 })).items.some((x) => x.id === a.id));
      assert.deepEqual(await store.deleteAsset(a.id, p2), a);
      assert.equal(await store.deleteAsset(a.id, p2), null);
      assert.equal(await store.getAsset(a.id), null);
    });

    test('uploads: compare-and-set status, listing by status', async () => {
      const t = now();
      const u: UploadRecord = {
        id: id('upload'), projectId: p1, authorId: 'api_test', jobId: id('job'), fileName: 'f.png', fileSize: 3,
        contentType: 'image/png', kind: 'image', partsCount: 1, status: 'pending', entityId: null, error: null,
        createdAt: t, updatedAt: t,
      };
      await store.createUpload(u);
      assert.equal(await store.getUpload(u.id, p2), null);
      assert.equal(await store.transitionUpload(u.id, ['validating'], 'imported'), null);
      assert.equal((await store.transitionUpload(u.id, ['pending'], 'validating'))!.status, 'validating');
      assert.ok((await store.listUploadsByStatus('validating')).some((x) => x.id === u.id));
      const done = await store.transitionUpload(u.id, ['validating'], 'imported', { entityId: 'asset_z' });
      assert.equal(done!.entityId, 'asset_z');
      assert.equal(await store.transitionUpload(u.id, ['validating'], 'failed'), null);
    });
  });
}

export function blobContract(name: string, open: () => Promise<BlobStore>): void {
  describe(`BlobStore contract: ${name}`, () => {
    test('put, get, overwrite, delete, delete by prefix', async () => {
      const blobs = await open();
      const key = `assets/${id('asset')}`;
      assert.equal(await blobs.get(key), null);
      await blobs.put(key, Buffer.from('one'));
      assert.equal((await blobs.get(key))!.toString(), 'one');
      await blobs.put(key, new Uint8Array([116, 119, 111]));
      assert.equal((await blobs.get(key))!.toString(), 'two');
      await blobs.delete(key);
      await blobs.delete(key);
      assert.equal(await blobs.get(key), null);
      const up = id('upload');
      await blobs.put(`uploads/${up}/1`, Buffer.from('a'));
      await blobs.put(`uploads/${up}/2`, Buffer.from('b'));
      await blobs.deletePrefix(`uploads/${up}/`);
      assert.equal(await blobs.get(`uploads/${up}/1`), null);
      assert.equal(await blobs.get(`uploads/${up}/2`), null);
    });

    test('keys cannot escape the store', async () => {
      const blobs = await open();
      for (const bad of ['../x', 'assets/../../etc/passwd', '/etc/passwd', 'a/./b', 'assets/x\0', '', 'a//b', 'a\\..\\b']) {
        await assert.rejects(blobs.put(bad, Buffer.from('x')), /invalid blob key/, bad);
        await assert.rejects(blobs.get(bad), /invalid blob key/, bad);
      }
    });
  });
}
