/**
 * The OpenAPI document (/openapi.json) made for client generators: an operationId on every operation, the
 * shared schemas (Job, Asset, Upload, Model, Error) in components.schemas, response descriptions that say
 * what each status means, the file download's content types (SVG first), and security only where it applies
 * (HTTP Basic on /v1; the signed /files URLs, /healthz and /metrics need none, or the metrics token).
 */
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { FORMAT_MIME_TYPES } from 'vtracer-ts';
import type { ServerConfig } from './config.js';

interface Operation {
  operationId: string;
  /** Descriptions of the success statuses. */
  ok: Record<string, string>;
}

const OPERATIONS: Record<string, Operation> = {
  'POST /v1/generate/custom/{modelId}': { operationId: 'createVectorizeJob', ok: { 200: 'The job, queued: poll GET /v1/jobs/{jobId}', 269: 'dryRun=true: the price (0), no job created' } },
  'GET /v1/jobs/{jobId}': { operationId: 'getJob', ok: { 200: 'The job; on success metadata.assetIds names the SVG asset' } },
  'GET /v1/jobs': { operationId: 'listJobs', ok: { 200: 'A page of the project\'s jobs, newest first' } },
  'POST /v1/jobs/{jobId}/action': { operationId: 'actOnJob', ok: { 200: 'The job after the action' } },
  'POST /v1/assets': { operationId: 'createAsset', ok: { 200: 'The asset created' } },
  'GET /v1/assets': { operationId: 'listAssets', ok: { 200: 'A page of the project\'s assets, newest first' } },
  'GET /v1/assets/{assetId}': { operationId: 'getAsset', ok: { 200: 'The asset, with a fresh signed url to its file' } },
  'DELETE /v1/assets/{assetId}': { operationId: 'deleteAsset', ok: { 200: 'The asset and its file are deleted' } },
  'POST /v1/uploads': { operationId: 'createUpload', ok: { 200: 'The upload, with one signed URL per part' } },
  'GET /v1/uploads/{uploadId}': { operationId: 'getUpload', ok: { 200: 'The upload' } },
  'POST /v1/uploads/{uploadId}/action': { operationId: 'completeUpload', ok: { 200: 'The upload, importing or imported' } },
  'GET /v1/models': { operationId: 'listModels', ok: { 200: 'The models (one)' } },
  'GET /v1/models/public': { operationId: 'listPublicModels', ok: { 200: 'The public models (one)' } },
  'GET /v1/models/{modelId}': { operationId: 'getModel', ok: { 200: 'The model and its inputs' } },
  'GET /files/assets/{assetId}': { operationId: 'downloadAssetFile', ok: { 200: 'The file: an SVG for a job\'s result, or the uploaded image' } },
  'PUT /files/uploads/{uploadId}/parts/{partNumber}': { operationId: 'uploadPart', ok: { 200: 'The part is stored' } },
  'GET /healthz': { operationId: 'getHealth', ok: { 200: 'The store and the queue answer' } },
  'GET /metrics': { operationId: 'getMetrics', ok: { 200: 'Prometheus text format' } },
};

const ERROR_DESCRIPTIONS: Record<string, string> = {
  400: 'Bad request: reason names the field, what was expected and what was received',
  401: 'Missing or wrong credentials',
  403: 'The signed URL is not valid or has expired',
  404: 'Not found (in this project)',
  408: 'The request was not received in time',
  409: 'Conflicts with the current state',
  413: 'Too large (bytes, or pixels)',
  429: 'Too many requests; Retry-After says when to try again',
  500: 'Internal error',
  503: 'Unavailable (the store does not answer, or the service is shutting down); Retry-After',
  507: 'Storage full',
};

/** Files behind signed URLs: results in the output formats, inputs in the decodable image types. */
const FILE_TYPES = [...new Set([...Object.values(FORMAT_MIME_TYPES), 'image/jpeg', 'image/webp', 'image/gif', 'image/tiff', 'image/bmp'])];

type Json = Record<string, any>;

/** e.g. `GET /v1/things/{thingId}` → `getV1ThingsThingId`, for routes added without a table entry. */
function derivedOperationId(method: string, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function finish(document: Json, config: ServerConfig): Json {
  document.components ??= {};
  document.components.securitySchemes = { basic: { type: 'http', scheme: 'basic', description: 'API key as user name, API secret as password' } };
  if (config.metricsToken) document.components.securitySchemes.metricsToken = { type: 'http', scheme: 'bearer', description: 'vtracer serve --metrics-token' };
  delete document.security;
  for (const [path, item] of Object.entries<Json>(document.paths ?? {})) {
    for (const [method, operation] of Object.entries<Json>(item)) {
      const key = `${method.toUpperCase()} ${path}`;
      const known = OPERATIONS[key];
      operation.operationId = known?.operationId ?? derivedOperationId(method, path);
      operation.security = path.startsWith('/v1/') ? [{ basic: [] }] : path === '/metrics' && config.metricsToken ? [{ metricsToken: [] }] : [];
      operation.responses ??= {};
      if (path === '/files/assets/{assetId}') {
        operation.responses[200] = {
          content: Object.fromEntries(FILE_TYPES.map((type) => [type, { schema: type === 'image/svg+xml' ? { type: 'string' } : { type: 'string', format: 'binary' } }])),
        };
      }
      if (path === '/metrics') {
        operation.responses[200] = { content: { 'text/plain': { schema: { type: 'string' } } } };
        if (config.metricsToken) operation.responses[401] = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
      }
      if (path.startsWith('/files/uploads/')) {
        operation.requestBody = { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } };
        operation.responses[200] ??= { content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } } };
      }
      for (const [status, response] of Object.entries<Json>(operation.responses)) {
        response.description = known?.ok[status] ?? ERROR_DESCRIPTIONS[status] ?? (status.startsWith('2') ? 'Success' : 'Error');
      }
    }
  }
  return document;
}

/** Options of @fastify/swagger for the service. */
export function swaggerOptions(config: ServerConfig, version: string): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'vtracer-ts service',
        description: 'Raster to vector (PNG/JPEG/... to SVG), compatible with Scenario\'s hosted VTracer model API',
        version,
      },
    },
    // Shared schemas keep their $id as their name in components.schemas (Job, not def-1).
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    transformObject: (document) => finish(('openapiObject' in document ? document.openapiObject : document.swaggerObject) as Json, config) as never,
  };
}
