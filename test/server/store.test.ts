/** The embedded store and blobs against the shared contracts, plus what is specific to SQLite and the embedded queue. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore, SCHEMA_VERSION } from '../../src/server/store/sqlite.js';
import { FsBlobStore } from '../../src/server/blobs/fs.js';
import { blobContract, job, storeContract } from './store-contract.js';
import { removeDir, tempDir } from './helpers.js';

const dir = tempDir('vtracer-store-');
after(() => removeDir(dir));

storeContract('SqliteStore', async () => new SqliteStore(join(dir, 'contract.db')), async (s) => s.close());
blobContract('FsBlobStore', async () => new FsBlobStore(join(dir, 'blobs')));

test('SQLite: WAL, versioned migrations kept across reopen, a newer schema is refused', async () => {
  const file = join(dir, 'migrate.db');
  const store = new SqliteStore(file);
  assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(store.schemaVersion, SCHEMA_VERSION);
  await store.createProject({ id: 'project_a', name: 'a', createdAt: new Date().toISOString() });
  await store.close();
  const again = new SqliteStore(file);
  assert.equal((await again.getProject('project_a'))!.name, 'a');
  await again.close();
  const raw = new Database(file);
  raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  raw.close();
  assert.throws(() => new SqliteStore(file), /newer than this program's/);
});

test('embedded queue state: claims in creation order, requeues interrupted jobs, then fails them at the bound', async () => {
  const store = new SqliteStore(join(dir, 'queue.db'));
  const a = job('project_q');
  const b = job('project_q');
  const upload = job('project_q', { jobType: 'upload', status: 'pending' });
  for (const j of [a, b, upload]) await store.createJob(j);
  assert.equal(await store.countQueued('custom'), 2);
  const first = await store.claimNextJob('custom');
  assert.equal(first!.id, a.id);
  assert.equal(first!.attempts, 1);
  const second = await store.claimNextJob('custom');
  assert.equal(second!.id, b.id);
  assert.equal(await store.claimNextJob('custom'), null, 'upload jobs are not trace work');
  // A restart: both in-progress jobs go back to the queue.
  assert.deepEqual((await store.requeueInterrupted('custom', 2)).requeued.sort(), [a.id, b.id].sort());
  assert.equal((await store.claimNextJob('custom'))!.attempts, 2);
  // Another restart: a has had its 2 attempts and fails; b (not claimed again) stays queued.
  const result = await store.requeueInterrupted('custom', 2);
  assert.deepEqual(result, { requeued: [], failed: [a.id] });
  const failed = (await store.getJob(a.id))!;
  assert.equal(failed.status, 'failure');
  assert.match(failed.error!, /giving up after 2 attempts/);
  assert.equal((await store.getJob(b.id))!.status, 'queued');
  await store.close();
});

test('FsBlobStore: writes go through a temporary file; leftovers of a crash are swept at start', async () => {
  const { writeFileSync, utimesSync, readdirSync, mkdirSync } = await import('node:fs');
  const root = join(dir, 'sweep');
  const blobs = new FsBlobStore(root);
  await blobs.put('assets/asset_a', Buffer.from('kept'));
  mkdirSync(join(root, 'uploads', 'upload_x'), { recursive: true });
  const stale = [join(root, 'assets', '.tmp-dead1'), join(root, 'uploads', 'upload_x', '.tmp-dead2')];
  for (const f of stale) {
    writeFileSync(f, 'half');
    utimesSync(f, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
  }
  writeFileSync(join(root, 'assets', '.tmp-fresh'), 'in flight');
  assert.equal(await blobs.sweepTemporaryFiles(60_000), 2);
  assert.deepEqual(readdirSync(join(root, 'assets')).sort(), ['.tmp-fresh', 'asset_a']);
  assert.equal((await blobs.get('assets/asset_a'))!.toString(), 'kept');
});
