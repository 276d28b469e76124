/** The multipart upload flow: create (signed part URLs), PUT parts (no auth), complete, read. */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { projectOf } from '../auth.js';
import { ApiError, notFound } from '../errors.js';
import { isId, newId } from '../ids.js';
import { presentUpload } from '../present.js';
import { displayName } from '../names.js';
import { errorResponses, errorSchema, idParam, uploadSchema } from '../schema.js';
import type { JobRecord, UploadRecord } from '../store/types.js';
import { importUpload, partKey } from '../uploads.js';
import { urlContext, type RouteDeps } from './common.js';

interface CreateUploadBody {
  fileName: string;
  fileSize: number;
  contentType: string;
  kind: 'image';
  parts: number;
}

export async function uploadRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const { store, config } = deps;

  app.post<{ Body: CreateUploadBody }>('/uploads', {
    schema: {
      summary: 'Start a multipart upload: answers one signed URL per part to PUT the bytes to',
      tags: ['uploads'],
      body: {
        type: 'object', additionalProperties: false, required: ['fileName', 'fileSize', 'parts'],
        properties: {
          fileName: { type: 'string', minLength: 1, maxLength: 200 },
          fileSize: { type: 'integer', minimum: 1 },
          contentType: { type: 'string', maxLength: 100 },
          kind: { type: 'string', enum: ['image'] },
          parts: { type: 'integer', minimum: 1, maximum: config.maxParts },
        },
      },
      response: { 200: { type: 'object', properties: { upload: uploadSchema } }, ...errorResponses },
    },
  }, async (request) => {
    const auth = projectOf(request);
    const body = request.body;
    if (body.fileSize > config.maxImageBytes) {
      throw new ApiError(413, `fileSize is ${body.fileSize} bytes, over the limit of ${config.maxImageBytes} bytes`);
    }
    if (body.parts > body.fileSize) throw new ApiError(400, `parts must be at most fileSize (${body.fileSize}), got ${body.parts}`);
    if (Math.ceil(body.fileSize / body.parts) > config.maxPartBytes) {
      throw new ApiError(400, `parts must be at least ${Math.ceil(body.fileSize / config.maxPartBytes)} for a file of ${body.fileSize} bytes (parts are at most ${config.maxPartBytes} bytes), got ${body.parts}`);
    }
    const contentType = body.contentType ?? 'application/octet-stream';
    if (!/^(image\/[A-Za-z0-9.+-]+|application\/octet-stream)$/.test(contentType)) {
      throw new ApiError(400, `contentType must be an image type such as "image/png", got ${JSON.stringify(contentType)}`);
    }
    const now = new Date().toISOString();
    const upload: UploadRecord = {
      id: newId('upload'), projectId: auth.projectId, authorId: auth.apiKey, jobId: newId('job'), fileName: displayName(body.fileName),
      fileSize: body.fileSize, contentType, kind: body.kind ?? 'image', partsCount: body.parts, status: 'pending',
      entityId: null, error: null, createdAt: now, updatedAt: now,
    };
    const job: JobRecord = {
      id: upload.jobId, projectId: auth.projectId, authorId: auth.apiKey, jobType: 'upload', status: 'pending', progress: 0,
      attempts: 0,
      metadata: { input: { uploadId: upload.id, fileName: upload.fileName, fileSize: upload.fileSize, contentType, kind: upload.kind, parts: upload.partsCount }, assetIds: [] },
      statusHistory: [{ status: 'pending', date: now }], error: null, createdAt: now, updatedAt: now,
    };
    await store.createJob(job);
    await store.createUpload(upload);
    return { upload: presentUpload(upload, urlContext(deps, request)) };
  });

  app.get<{ Params: { uploadId: string } }>('/uploads/:uploadId', {
    schema: {
      summary: 'An upload: status pending → validating → imported (entityId: the asset) | failed',
      tags: ['uploads'],
      params: idParam('uploadId'),
      response: { 200: { type: 'object', properties: { upload: uploadSchema } }, ...errorResponses },
    },
  }, async (request) => {
    const upload = await store.getUpload(request.params.uploadId, projectOf(request).projectId);
    if (!upload) throw notFound('upload', request.params.uploadId);
    return { upload: presentUpload(upload, urlContext(deps, request)) };
  });

  app.post<{ Params: { uploadId: string }; Body: { action: 'complete' } }>('/uploads/:uploadId/action', {
    schema: {
      summary: 'complete: every part was PUT; join and import them as an asset',
      tags: ['uploads'],
      params: idParam('uploadId'),
      body: {
        type: 'object', additionalProperties: false, required: ['action'],
        properties: { action: { type: 'string', enum: ['complete'] } },
      },
      response: { 200: { type: 'object', properties: { upload: uploadSchema } }, ...errorResponses },
    },
  }, async (request) => {
    const { projectId } = projectOf(request);
    const upload = await store.getUpload(request.params.uploadId, projectId);
    if (!upload) throw notFound('upload', request.params.uploadId);
    if (upload.status !== 'pending') {
      if (upload.status === 'imported' || upload.status === 'failed') return { upload: presentUpload(upload, urlContext(deps, request)) };
      throw new ApiError(400, `upload ${upload.id} cannot be completed: its status is "${upload.status}"`);
    }
    for (let n = 1; n <= upload.partsCount; n++) {
      if (!(await deps.blobs.get(partKey(upload.id, n)))) {
        throw new ApiError(400, `upload ${upload.id} cannot be completed: part ${n} of ${upload.partsCount} was not uploaded (PUT it to its url first)`);
      }
    }
    const validating = await store.transitionUpload(upload.id, ['pending'], 'validating', { entityId: newId('asset') });
    if (!validating) throw new ApiError(400, `upload ${upload.id} is already being completed`);
    await store.transitionJob(upload.jobId, ['pending'], 'in-progress');
    const result = await importUpload({ ...deps, log: request.log }, validating);
    return { upload: presentUpload(result, urlContext(deps, request)) };
  });
}

/** PUT /files/uploads/{id}/parts/{n}?expires=…&signature=…: a part's raw bytes, without auth. */
export async function uploadPartRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  // Parts are raw bytes whatever their Content-Type (or none): one catch-all parser in this scope only.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.config.maxPartBytes }, (_req, body, done) => done(null, body));

  type PartRequest = FastifyRequest<{ Params: { uploadId: string; partNumber: string }; Querystring: { expires?: string; signature?: string } }>;
  const uploadOf = new WeakMap<FastifyRequest, UploadRecord>();

  app.put<{ Params: { uploadId: string; partNumber: string }; Querystring: { expires?: string; signature?: string } }>(
    '/files/uploads/:uploadId/parts/:partNumber', {
      bodyLimit: deps.config.maxPartBytes,
      schema: {
        summary: 'Upload one part\'s bytes to its signed URL (from POST /v1/uploads)',
        tags: ['files'],
        params: {
          type: 'object', required: ['uploadId', 'partNumber'],
          properties: { uploadId: { type: 'string', maxLength: 100 }, partNumber: { type: 'string', maxLength: 6 } },
        },
        querystring: { type: 'object', properties: { expires: { type: 'string' }, signature: { type: 'string' } } },
        response: { 403: errorSchema, 404: errorSchema, 413: errorSchema },
      },
      // The URL and the upload are checked before the body is read: a forged or stale URL costs no bytes, and
      // the body counts against the upload's author in the service's body budget.
      onRequest: async (request: PartRequest) => {
        const { uploadId, partNumber } = request.params;
        const query = request.query as { expires?: string; signature?: string };
        const check = deps.signer.verify(`upload:${uploadId}:${partNumber}`, query.expires, query.signature);
        if (check !== 'ok') throw new ApiError(403, check === 'expired' ? 'This part URL has expired; GET /v1/uploads/{id} gives fresh ones' : 'This part URL is not valid (its signature does not match)');
        const upload = isId('upload', uploadId) ? await deps.store.getUpload(uploadId) : null;
        if (!upload) throw notFound('upload', uploadId);
        if (upload.status !== 'pending') throw new ApiError(400, `upload ${uploadId} no longer accepts parts: its status is "${upload.status}"`);
        const n = Number(partNumber);
        if (!Number.isInteger(n) || n < 1 || n > upload.partsCount) throw notFound('part', partNumber);
        const declared = Number(request.headers['content-length']);
        const max = maxPartSize(upload);
        if (declared > max) throw partTooLarge(declared, upload);
        request.bodyOwner = upload.authorId;
        uploadOf.set(request, upload);
      },
    }, async (request, reply) => {
      const upload = uploadOf.get(request)!;
      const n = Number(request.params.partNumber);
      const body = request.body;
      const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
      if (bytes.length === 0) throw new ApiError(400, 'the part is empty: PUT its bytes as the request body');
      if (bytes.length > maxPartSize(upload)) throw partTooLarge(bytes.length, upload);
      await deps.blobs.put(partKey(upload.id, n), bytes);
      const etag = `"${createHash('md5').update(bytes).digest('hex')}"`;
      return reply.header('ETag', etag).send({ partNumber: n, size: bytes.length, etag });
    });
}

/** Every part is at most the even share of the file, ceil(fileSize / parts) (the last one is the remainder). */
export function maxPartSize(upload: Pick<UploadRecord, 'fileSize' | 'partsCount'>): number {
  return Math.ceil(upload.fileSize / upload.partsCount);
}

function partTooLarge(size: number, upload: UploadRecord): ApiError {
  return new ApiError(413, `the part is ${size} bytes, more than ${maxPartSize(upload)} (fileSize ${upload.fileSize} in ${upload.partsCount} parts: each part at most ceil(fileSize / parts))`, { Connection: 'close' });
}
