/** The model description clients read before generating: its inputs come from the engine's option table. */
import type { FastifyInstance } from 'fastify';
import { notFound } from '../errors.js';
import { MODEL_ID, errorResponses, modelObject } from '../schema.js';
import type { RouteDeps } from './common.js';

const modelSchema = { type: 'object', additionalProperties: true } as const;

export async function modelRoutes(app: FastifyInstance, _deps: RouteDeps): Promise<void> {
  app.get('/models', {
    schema: {
      summary: 'The models: only model_visioncortex-vtracer',
      tags: ['models'],
      response: {
        200: { type: 'object', properties: { models: { type: 'array', items: modelSchema }, nextPaginationToken: { type: ['string', 'null'] } } },
        ...errorResponses,
      },
    },
  }, async () => ({ models: [modelObject()], nextPaginationToken: null }));

  app.get<{ Params: { modelId: string } }>('/models/:modelId', {
    schema: {
      summary: 'A model, with `inputs`: every parameter (name, type, label, description, default, min, max, step, allowedValues, required)',
      tags: ['models'],
      params: { type: 'object', required: ['modelId'], properties: { modelId: { type: 'string', maxLength: 100 } } },
      response: { 200: { type: 'object', properties: { model: modelSchema } }, ...errorResponses },
    },
  }, async (request) => {
    if (request.params.modelId !== MODEL_ID) throw notFound('model', request.params.modelId);
    return { model: modelObject() };
  });
}
