/** Assets: create from a data URL or base64, read, list, delete; and the signed file URLs (no auth). */
import type { FastifyInstance } from 'fastify';
import { projectOf } from '../auth.js';
import { ApiError, notFound, storageFailure } from '../errors.js';
import { isId, newId } from '../ids.js';
import { decodeImageString, probeImage } from '../image.js';
import { presentAsset } from '../present.js';
import { displayName } from '../names.js';
import { assetSchema, errorResponses, errorSchema, idParam, pageQuerySchema } from '../schema.js';
import type { AssetRecord } from '../store/types.js';
import { pageSize, urlContext, type PageQueryString, type RouteDeps } from './common.js';

export async function assetRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const { store, blobs, config } = deps;

  app.post<{ Body: { image: string; name?: string } }>('/assets', {
    schema: {
      summary: 'Upload an image (data URL or bare base64; the type is told from the bytes)',
      tags: ['assets'],
      body: {
        type: 'object', additionalProperties: false, required: ['image'],
        properties: {
          image: { type: 'string', minLength: 1, description: 'data:image/…;base64,… or bare base64' },
          name: { type: 'string', maxLength: 200 },
        },
      },
      response: { 200: { type: 'object', properties: { asset: assetSchema } }, ...errorResponses },
    },
  }, async (request) => {
    const auth = projectOf(request);
    const probe = await probeImage('image', decodeImageString('image', request.body.image, config.maxImageBytes), { maxBytes: config.maxImageBytes, maxPixels: config.maxImagePixels });
    const bytes = probe.bytes; // the image alone, without bytes after its end
    const id = newId('asset');
    const asset: AssetRecord = {
      id, projectId: auth.projectId, authorId: auth.apiKey, name: displayName(request.body.name ?? '', `${id}.${probe.format}`),
      mimeType: probe.mimeType, kind: 'image', blobKey: `assets/${id}`, size: bytes.length,
      width: probe.width, height: probe.height,
      metadata: { kind: 'image', source: 'upload', width: probe.width, height: probe.height, size: bytes.length },
      createdAt: new Date().toISOString(),
    };
    await blobs.put(asset.blobKey, bytes);
    await store.createAsset(asset);
    return { asset: presentAsset(asset, urlContext(deps, request)) };
  });

  app.get<{ Params: { assetId: string } }>('/assets/:assetId', {
    schema: {
      summary: 'An asset, with a temporary signed `url` to its file',
      tags: ['assets'],
      params: idParam('assetId'),
      response: { 200: { type: 'object', properties: { asset: assetSchema } }, ...errorResponses },
    },
  }, async (request) => {
    const asset = await store.getAsset(request.params.assetId, projectOf(request).projectId);
    if (!asset) throw notFound('asset', request.params.assetId);
    return { asset: presentAsset(asset, urlContext(deps, request)) };
  });

  app.get<{ Querystring: PageQueryString }>('/assets', {
    schema: {
      summary: 'The project\'s assets, newest first',
      tags: ['assets'],
      querystring: pageQuerySchema,
      response: {
        200: { type: 'object', properties: { assets: { type: 'array', items: assetSchema }, nextPaginationToken: { type: ['string', 'null'] } } },
        ...errorResponses,
      },
    },
  }, async (request) => {
    const page = await store.listAssets(projectOf(request).projectId, {
      pageSize: pageSize(request.query.pageSize), paginationToken: request.query.paginationToken,
    });
    const ctx = urlContext(deps, request);
    return { assets: page.items.map((a) => presentAsset(a, ctx)), nextPaginationToken: page.nextPaginationToken };
  });

  app.delete<{ Params: { assetId: string } }>('/assets/:assetId', {
    schema: {
      summary: 'Delete an asset and its file',
      tags: ['assets'],
      params: idParam('assetId'),
      response: { 200: { type: 'object', additionalProperties: true }, ...errorResponses },
    },
  }, async (request) => {
    // Deletes free space, so they must work on a full disk: with the reserve behind them, and if even that is
    // gone, the file is removed first (which frees room for the database's write).
    const { projectId } = projectOf(request);
    const remove = () => store.deleteAsset(request.params.assetId, projectId);
    let asset;
    try {
      asset = deps.disk ? await deps.disk.withRoom(remove) : await remove();
    } catch (err) {
      const existing = storageFailure(err) ? await store.getAsset(request.params.assetId, projectId) : null;
      if (!existing) throw err;
      await blobs.delete(existing.blobKey);
      asset = await remove();
    }
    if (!asset) throw notFound('asset', request.params.assetId);
    await blobs.delete(asset.blobKey);
    return {};
  });
}

/** GET /files/assets/{id}?expires=…&signature=…: the bytes, without auth, while the signature is valid. */
export async function assetFileRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  app.get<{ Params: { assetId: string }; Querystring: { expires?: string; signature?: string } }>('/files/assets/:assetId', {
    schema: {
      summary: 'An asset\'s file through a signed URL (from asset.url); 403 once expired or if altered',
      tags: ['files'],
      params: idParam('assetId'),
      querystring: { type: 'object', properties: { expires: { type: 'string' }, signature: { type: 'string' } } },
      response: { 403: errorSchema, 404: errorSchema },
    },
  }, async (request, reply) => {
    const { assetId } = request.params;
    const check = deps.signer.verify(`asset:${assetId}`, request.query.expires, request.query.signature);
    if (check === 'invalid') throw new ApiError(403, 'This URL is not valid (its signature does not match); get a fresh one from GET /v1/assets/{assetId}');
    if (check === 'expired') throw new ApiError(403, 'This URL has expired; get a fresh one from GET /v1/assets/{assetId}');
    const asset = isId('asset', assetId) ? await deps.store.getAsset(assetId) : null;
    const bytes = asset ? await deps.blobs.get(asset.blobKey) : null;
    if (!asset || !bytes) throw notFound('asset', assetId);
    const safeName = asset.name.replace(/[^A-Za-z0-9._-]/g, '_');
    return reply
      .header('Content-Type', asset.mimeType)
      .header('Content-Length', String(bytes.length))
      .header('Content-Disposition', `inline; filename="${safeName}"`)
      .header('Cache-Control', 'private, max-age=300')
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
      // A signed URL is a capability meant to be shared: other sites may embed it (<img src>).
      .header('Cross-Origin-Resource-Policy', 'cross-origin')
      .send(bytes);
  });
}
