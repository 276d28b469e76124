/** The model description clients read before generating: its inputs come from the engine's option table. */
import type { FastifyInstance } from 'fastify';
import { notFound } from '../errors.js';
import { MODEL_ID, errorResponses, modelObject, modelSchema } from '../schema.js';
import type { RouteDeps } from './common.js';

const listSchema = {
  type: 'object',
  properties: { models: { type: 'array', items: modelSchema }, nextPaginationToken: { type: ['string', 'null'] } },
} as const;

/** Model browsers send filters of their own (type, status, tags, pageSize…): only `privacy` narrows our one model. */
const listQuery = {
  type: 'object',
  additionalProperties: true,
  properties: { privacy: { type: 'string', maxLength: 20, description: 'public lists the model; private and unlisted list none' } },
} as const;

/** The one model, unless a privacy filter excludes it (it is public). */
function listing(privacy: string | undefined): { models: Record<string, unknown>[]; nextPaginationToken: null } {
  return { models: privacy === undefined || privacy === 'public' ? [modelObject()] : [], nextPaginationToken: null };
}

export async function modelRoutes(app: FastifyInstance, _deps: RouteDeps): Promise<void> {
  app.get<{ Querystring: { privacy?: string } }>('/models', {
    schema: {
      summary: 'The models: only model_visioncortex-vtracer (public)',
      tags: ['models'],
      querystring: listQuery,
      response: { 200: listSchema, ...errorResponses },
    },
  }, async (request) => listing(request.query.privacy));

  app.get<{ Querystring: { privacy?: string } }>('/models/public', {
    schema: {
      summary: 'The public models, as the hosted model browser lists them: model_visioncortex-vtracer',
      tags: ['models'],
      querystring: listQuery,
      response: { 200: listSchema, ...errorResponses },
    },
  }, async (request) => listing(request.query.privacy ?? 'public'));

  app.get<{ Params: { modelId: string } }>('/models/:modelId', {
    schema: {
      summary: 'A model, with `inputs`: every parameter (name, type, kind, label, description, default, min, max, step, allowedValues, required)',
      tags: ['models'],
      params: { type: 'object', required: ['modelId'], properties: { modelId: { type: 'string', maxLength: 100 } } },
      response: { 200: { type: 'object', properties: { model: modelSchema } }, ...errorResponses },
    },
  }, async (request) => {
    if (request.params.modelId !== MODEL_ID) throw notFound('model', request.params.modelId);
    return { model: modelObject() };
  });
}
