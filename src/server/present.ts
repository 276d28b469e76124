/** Records to the API's JSON shapes (api.md). */
import type { FastifyRequest } from 'fastify';
import type { AssetRecord, JobRecord, UploadRecord } from './store/types.js';
import type { UrlSigner } from './signing.js';

export function presentJob(job: JobRecord): Record<string, unknown> {
  return {
    jobId: job.id,
    jobType: job.jobType,
    status: job.status,
    progress: job.progress,
    metadata: job.metadata,
    ownerId: job.projectId,
    authorId: job.authorId,
    statusHistory: job.statusHistory,
    ...(job.error ? { error: job.error } : {}),
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

/** Where signed URLs point: the configured public URL, else the scheme and Host of the request. */
export function baseUrl(request: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  return `${request.protocol}://${request.host}`;
}

export interface UrlContext {
  base: string;
  signer: UrlSigner;
  ttlSeconds: number;
}

export function assetFileUrl(ctx: UrlContext, assetId: string): { url: string; expires: number } {
  const expires = Math.floor(Date.now() / 1000) + ctx.ttlSeconds;
  return { url: `${ctx.base}/files/assets/${assetId}?${ctx.signer.query(`asset:${assetId}`, expires)}`, expires };
}

export function partUrl(ctx: UrlContext, uploadId: string, part: number): { url: string; expires: number } {
  const expires = Math.floor(Date.now() / 1000) + ctx.ttlSeconds;
  return { url: `${ctx.base}/files/uploads/${uploadId}/parts/${part}?${ctx.signer.query(`upload:${uploadId}:${part}`, expires)}`, expires };
}

export function presentAsset(asset: AssetRecord, ctx: UrlContext): Record<string, unknown> {
  const { url, expires } = assetFileUrl(ctx, asset.id);
  return {
    id: asset.id,
    url,
    urlExpiresAt: new Date(expires * 1000).toISOString(),
    name: asset.name,
    mimeType: asset.mimeType,
    kind: asset.kind,
    status: 'success',
    properties: { size: asset.size, width: asset.width, height: asset.height },
    metadata: asset.metadata,
    ownerId: asset.projectId,
    authorId: asset.authorId,
    createdAt: asset.createdAt,
    updatedAt: asset.createdAt,
  };
}

export function presentUpload(upload: UploadRecord, ctx: UrlContext): Record<string, unknown> {
  const parts = upload.status === 'pending'
    ? Array.from({ length: upload.partsCount }, (_, i) => {
      const { url, expires } = partUrl(ctx, upload.id, i + 1);
      return { number: i + 1, url, expires: new Date(expires * 1000).toISOString() };
    })
    : [];
  return {
    id: upload.id,
    jobId: upload.jobId,
    status: upload.status,
    fileName: upload.fileName,
    fileSize: upload.fileSize,
    contentType: upload.contentType,
    kind: upload.kind,
    parts,
    partsCount: upload.partsCount,
    entityId: upload.status === 'imported' ? upload.entityId : null, // reserved earlier, shown once it exists
    ...(upload.error ? { error: upload.error } : {}),
    ownerId: upload.projectId,
    authorId: upload.authorId,
    createdAt: upload.createdAt,
    updatedAt: upload.updatedAt,
  };
}
