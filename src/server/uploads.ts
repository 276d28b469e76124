/**
 * The import step of multipart uploads: joins the parts, checks the image, creates the asset, and records
 * the result on the upload and on its job. Idempotent enough to be re-run at start for uploads a crash left
 * in `validating`.
 */
import type { FastifyBaseLogger } from 'fastify';
import { ApiError } from './errors.js';
import { newId } from './ids.js';
import { probeImage } from './image.js';
import { displayName } from './names.js';
import type { ServerConfig } from './config.js';
import type { AssetRecord, BlobStore, Store, UploadRecord } from './store/types.js';

export const partKey = (uploadId: string, part: number) => `uploads/${uploadId}/${part}`;

export async function importUpload(deps: { store: Store; blobs: BlobStore; config: ServerConfig; log?: FastifyBaseLogger },
  upload: UploadRecord): Promise<UploadRecord> {
  const { store, blobs, config } = deps;
  // Every step below can be cut (kill -9) and the whole function run again at start, so each one is
  // idempotent and the upload leaves `validating` last: until then, a re-run finishes what is missing.
  const fail = async (reason: string): Promise<UploadRecord> => {
    await store.transitionJob(upload.jobId, ['in-progress', 'pending'], 'failure', { error: reason });
    await blobs.deletePrefix(`uploads/${upload.id}/`);
    const failed = await store.transitionUpload(upload.id, ['validating'], 'failed', { error: reason });
    deps.log?.info({ uploadId: upload.id, reason }, 'upload failed');
    return failed ?? (await store.getUpload(upload.id))!;
  };
  const earlier = await store.getJob(upload.jobId);
  if (earlier?.status === 'failure') return fail(earlier.error ?? 'the import failed'); // cut while failing

  // The asset id is reserved on the upload when it enters `validating`, so a re-run writes the same blob
  // key and finds the asset it already created, instead of leaving an orphan file or a twin asset.
  const id = upload.entityId ?? newId('asset');
  if (!(await store.getAsset(id))) {
    const created = await createAsset(deps, upload, id);
    if (typeof created === 'string') return fail(created);
  }
  await store.transitionJob(upload.jobId, ['in-progress', 'pending'], 'success', {
    progress: 1, metadata: { assetIds: [id], output: { entityId: id } },
  });
  await blobs.deletePrefix(`uploads/${upload.id}/`);
  const done = await store.transitionUpload(upload.id, ['validating'], 'imported', { entityId: id, error: null });
  deps.log?.info({ uploadId: upload.id, assetId: id }, 'upload imported');
  return done ?? (await store.getUpload(upload.id))!;
}

/** Joins the parts, checks the image and stores it as asset `id`; returns the reason when they are not a valid image. */
async function createAsset(deps: { store: Store; blobs: BlobStore; config: ServerConfig }, upload: UploadRecord, id: string): Promise<string | void> {
  const { store, blobs, config } = deps;
  const parts: Buffer[] = [];
  let total = 0;
  for (let n = 1; n <= upload.partsCount; n++) {
    const part = await blobs.get(partKey(upload.id, n));
    if (!part) return `part ${n} of ${upload.partsCount} is missing`;
    total += part.length;
    if (total > config.maxImageBytes) return `the parts add up to more than the limit of ${config.maxImageBytes} bytes`;
    parts.push(part);
  }
  if (total !== upload.fileSize) return `the parts add up to ${total} bytes, but fileSize was ${upload.fileSize}`;
  let probe;
  try {
    probe = await probeImage('file', Buffer.concat(parts, total), { maxBytes: config.maxImageBytes, maxPixels: config.maxImagePixels });
  } catch (err) {
    if (err instanceof ApiError) return err.reason;
    throw err;
  }
  const bytes = probe.bytes; // the image alone, without bytes after its end
  const asset: AssetRecord = {
    id, projectId: upload.projectId, authorId: upload.authorId, name: displayName(upload.fileName), mimeType: probe.mimeType,
    kind: 'image', blobKey: `assets/${id}`, size: bytes.length, width: probe.width, height: probe.height,
    metadata: { kind: 'image', source: 'upload', uploadId: upload.id, parentJobId: upload.jobId, width: probe.width, height: probe.height, size: bytes.length },
    createdAt: new Date().toISOString(),
  };
  await blobs.put(asset.blobKey, bytes);
  try {
    await store.createAsset(asset);
  } catch (err) {
    // Two instances resuming the same import at start (distributed mode): the other one created it.
    if (!(await store.getAsset(id))) throw err;
  }
}

/** At start: finish the imports a crash interrupted. */
export async function recoverUploads(deps: { store: Store; blobs: BlobStore; config: ServerConfig; log?: FastifyBaseLogger }): Promise<void> {
  for (const upload of await deps.store.listUploadsByStatus('validating')) {
    deps.log?.warn({ uploadId: upload.id }, 'resuming an upload import interrupted by the previous stop');
    await importUpload(deps, upload).catch((err) => deps.log?.error({ err, uploadId: upload.id }, 'upload recovery failed'));
  }
}

/**
 * Uploads still `pending` (never completed) longer than `ttlMs` after their creation: failed with a reason,
 * their job too, and their parts deleted. Run at start and then periodically. Returns how many expired.
 */
export async function expireUploads(deps: { store: Store; blobs: BlobStore; log?: FastifyBaseLogger }, ttlMs: number, now = Date.now()): Promise<number> {
  let expired = 0;
  for (const upload of await deps.store.listUploadsByStatus('pending')) {
    if (now - Date.parse(upload.createdAt) < ttlMs) continue;
    const reason = `The upload was not completed within ${describeDuration(ttlMs)} of its creation; its parts were deleted`;
    const failed = await deps.store.transitionUpload(upload.id, ['pending'], 'failed', { error: reason });
    if (!failed) continue; // completed meanwhile
    await deps.store.transitionJob(upload.jobId, ['pending'], 'failure', { error: reason });
    await deps.blobs.deletePrefix(`uploads/${upload.id}/`);
    expired++;
  }
  if (expired) deps.log?.info({ expired }, 'expired unfinished uploads');
  return expired;
}

/** Sweeps expired uploads every quarter of the TTL (at most every 10 minutes); returns the stop function. */
export function sweepUploadsPeriodically(deps: { store: Store; blobs: BlobStore; log?: FastifyBaseLogger }, ttlMs: number): () => void {
  const timer = setInterval(() => {
    expireUploads(deps, ttlMs).catch((err) => deps.log?.error({ err }, 'expiring unfinished uploads failed'));
  }, Math.max(100, Math.min(ttlMs / 4, 10 * 60_000)));
  timer.unref();
  return () => clearInterval(timer);
}

function describeDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}
