/**
 * What every job runner (embedded or BullMQ) does the same way: the parameters it traces with, its throttled
 * progress writes, the asset record of what it produces (the SVG, or the format the job asked for), and the
 * grace period of a shutdown.
 */
import { FORMAT_MIME_TYPES, OPTION_SPECS, exportImage, isOutputFormat, type OutputFormat, type TraceParameters, type TraceResult } from 'vtracer-ts';
import type { FastifyBaseLogger } from 'fastify';
import { createHash } from 'node:crypto';
import { displayName } from '../names.js';
import type { AssetRecord, BlobStore, JobRecord, Store } from '../store/types.js';

/** The trace parameters recorded in a job's metadata.input. */
export function parametersOf(job: JobRecord): Partial<TraceParameters> {
  const input = job.metadata.input;
  const out: Record<string, unknown> = {};
  for (const spec of OPTION_SPECS) if (input[spec.name] !== undefined) out[spec.name] = input[spec.name];
  return out as Partial<TraceParameters>;
}

/**
 * A progress callback that writes to the job record at most every `intervalMs` and only for steps of 1 % or
 * more; below 1 only, since 1 is written with the success itself. Write errors are ignored (progress is advice).
 */
export function progressWriter(store: Pick<Store, 'setJobProgress'>, jobId: string, intervalMs: number): (fraction: number) => void {
  let lastWrite = 0;
  let lastValue = 0;
  return (fraction: number) => {
    const t = performance.now();
    if (fraction < 1 && (t - lastWrite < intervalMs || fraction - lastValue < 0.01)) return;
    lastWrite = t;
    lastValue = fraction;
    store.setJobProgress(jobId, Math.min(fraction, 0.99)).catch(() => {});
  };
}

/**
 * The id of a job's SVG asset: the same on every attempt of the job, so that an attempt cut between writing
 * the file and recording the asset (kill -9) leaves nothing behind: the next attempt writes the same file.
 */
export function resultAssetId(jobId: string): string {
  return `asset_${createHash('sha256').update(`result:${jobId}`).digest('hex').slice(0, 24)}`;
}

/** The output format a job asked for (`format` in its input; SVG when absent). */
export function formatOf(job: JobRecord): OutputFormat {
  const format = job.metadata.input.format;
  return isOutputFormat(format) ? format : 'svg';
}

/** The file bytes of a trace in the job's output format and the asset record that will hold them. */
export async function resultAsset(job: JobRecord, input: AssetRecord, result: TraceResult): Promise<{ asset: AssetRecord; bytes: Buffer }> {
  const format = formatOf(job);
  const bytes = format === 'svg' ? Buffer.from(result.svg, 'utf8') : Buffer.from(await exportImage(result.svg, format));
  const assetId = resultAssetId(job.id);
  const asset: AssetRecord = {
    id: assetId, projectId: job.projectId, authorId: job.authorId,
    name: `${displayName(input.name).replace(/\.[A-Za-z0-9]{1,5}$/, '')}.${format}`,
    mimeType: FORMAT_MIME_TYPES[format], kind: 'vectorization', blobKey: `assets/${assetId}`,
    size: bytes.length, width: result.width, height: result.height,
    metadata: {
      kind: 'vectorization', type: 'vectorization', parentJobId: job.id, modelId: job.metadata.input.modelId,
      inputAssetId: input.id, width: result.width, height: result.height, size: bytes.length, pathCount: result.pathCount,
    },
    createdAt: new Date().toISOString(),
  };
  return { asset, bytes };
}

/**
 * After completeJob refused a result (the job ended meanwhile: canceled, or completed by another run of the
 * same job, which wrote the same file since the id is per job): removes the file unless it is that success's.
 */
export async function dropResult(store: Pick<Store, 'getJob'>, blobs: Pick<BlobStore, 'delete'>, job: JobRecord, asset: AssetRecord): Promise<void> {
  const now = await store.getJob(job.id);
  if (now?.status === 'success' && now.metadata.assetIds.includes(asset.id)) return;
  await blobs.delete(asset.blobKey);
}

/**
 * Shutdown: waits up to `timeoutMs` for `done` (the running jobs ending); past that, marks every running job
 * for the queue again and aborts its trace, then waits for them to wind down.
 */
export async function drainWithGrace(
  done: Promise<unknown>, running: ReadonlyMap<string, { requeue: boolean; controller: AbortController }>,
  timeoutMs: number, log?: FastifyBaseLogger,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    done.then(() => false),
    new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(true), timeoutMs); }),
  ]);
  clearTimeout(timer);
  if (!timedOut) return;
  log?.warn({ jobs: [...running.keys()] }, 'shutdown: jobs still running after the grace period go back to the queue');
  for (const r of running.values()) {
    r.requeue = true;
    r.controller.abort();
  }
  await done;
}
