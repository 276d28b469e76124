/** POST /v1/generate/custom/{modelId}: validates, stores the input image, records a queued job. */
import type { FastifyInstance } from 'fastify';
import { FORMAT_MIME_TYPES, PRESETS, validateOptions, type PresetName, type TraceParameters } from 'vtracer-ts';
import { projectOf } from '../auth.js';
import { ApiError, badRequest, notFound, tooMany } from '../errors.js';
import { isId, newId } from '../ids.js';
import { decodeImageString, probeImage } from '../image.js';
import { TOLERATED_FIELDS, normalizeGenerateBody } from '../generate-body.js';
import { presentJob } from '../present.js';
import {
  DEFAULT_PRESET, MODEL_ID, PARAMETER_NAMES, errorResponses, generateBodySchema, jobSchema,
} from '../schema.js';
import type { AssetRecord, JobRecord } from '../store/types.js';
import type { RouteDeps } from './common.js';

type GenerateBody = { image: string; presetName?: string; format?: string } & Record<string, unknown>;

/** What the body normalization took out of each request, for the handler. */
const taken = new WeakMap<object, { ignored: Record<string, unknown>; dryRun?: boolean }>();

/** Effective parameters: a named preset alone, or `custom` = the table's defaults with the given values. */
export function effectiveParameters(body: GenerateBody): { presetName: string; parameters: TraceParameters } {
  const presetName = body.presetName ?? DEFAULT_PRESET;
  if (presetName !== 'custom') return { presetName, parameters: { ...PRESETS[presetName as PresetName] } };
  const custom: Record<string, unknown> = {};
  for (const name of PARAMETER_NAMES) if (body[name] !== undefined) custom[name] = body[name];
  return { presetName, parameters: validateOptions(custom) };
}

export async function generateRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const { store, blobs, queue, config } = deps;
  app.post<{ Params: { modelId: string }; Querystring: { dryRun?: string }; Body: GenerateBody }>('/generate/custom/:modelId', {
    schema: {
      summary: 'Vectorize an image (creates a job)',
      tags: ['generate'],
      params: { type: 'object', required: ['modelId'], properties: { modelId: { type: 'string', maxLength: 100 } } },
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { dryRun: { type: 'string', enum: ['true', 'false'], description: 'true: validate and price only (status 269)' } },
      },
      body: generateBodySchema,
      description: `Form values are accepted as strings ("4", "true", "#ff0000,#00ff00"). Accepted and ignored: ${TOLERATED_FIELDS.join(', ')} `
        + '(recorded in metadata.input.ignored); dryRun in the body acts as the query parameter.',
      response: {
        200: { type: 'object', properties: { job: jobSchema, creativeUnitsCost: { type: 'number' } } },
        269: {
          type: 'object',
          properties: { creativeUnitsCost: { type: 'number' }, creativeUnitsDiscount: { type: 'number' }, costDetails: { type: 'object', additionalProperties: true } },
        },
        ...errorResponses,
      },
    },
    // Before the schema: form strings to numbers/booleans/lists, tolerated hosted fields set aside.
    preValidation: async (request) => {
      const normalized = normalizeGenerateBody(request.body);
      if (!normalized) return;
      request.body = normalized.body as GenerateBody;
      taken.set(request, { ignored: normalized.ignored, dryRun: normalized.dryRun });
    },
  }, async (request, reply) => {
    const auth = projectOf(request);
    if (request.params.modelId !== MODEL_ID) throw notFound('model', request.params.modelId);
    const body = request.body;
    const { presetName, parameters } = effectiveParameters(body);
    const { ignored = {}, dryRun: bodyDryRun = false } = taken.get(request) ?? {};
    const dryRun = request.query.dryRun === 'true' || bodyDryRun;

    // The image: an asset of this project, or a data URL / base64 stored as a new input asset.
    let input: AssetRecord | null = null;
    let newInput: { asset: AssetRecord; bytes: Buffer } | null = null;
    if (body.image.startsWith('asset_')) {
      if (!isId('asset', body.image)) throw badRequest('image', 'an asset id (asset_…) or a data:image/…;base64, URL', body.image);
      input = await store.getAsset(body.image, auth.projectId);
      if (!input) throw notFound('image asset', body.image);
      if (!input.mimeType.startsWith('image/') || input.mimeType === FORMAT_MIME_TYPES.svg || input.mimeType === FORMAT_MIME_TYPES.dxf) {
        throw new ApiError(400, `image must be a raster image asset (PNG, JPEG, WebP, GIF, BMP, TIFF), got asset ${body.image} of type ${input.mimeType}`);
      }
    } else {
      const probe = await probeImage('image', decodeImageString('image', body.image, config.maxImageBytes), { maxBytes: config.maxImageBytes, maxPixels: config.maxImagePixels });
      const bytes = probe.bytes; // the image alone, without bytes after its end
      const id = newId('asset');
      newInput = {
        bytes,
        asset: {
          id, projectId: auth.projectId, authorId: auth.apiKey, name: `input.${probe.format}`, mimeType: probe.mimeType,
          kind: 'image', blobKey: `assets/${id}`, size: bytes.length, width: probe.width, height: probe.height,
          metadata: { kind: 'image', source: 'generate', width: probe.width, height: probe.height, size: bytes.length },
          createdAt: new Date().toISOString(),
        },
      };
    }
    if (config.maxActiveJobsPerProject > 0 && (await store.countActiveJobs(auth.projectId)) >= config.maxActiveJobsPerProject) {
      throw tooMany(`Too many unfinished jobs for this project (limit ${config.maxActiveJobsPerProject}); wait for some to finish`, 5);
    }
    if (dryRun) {
      return reply.status(269).send({ creativeUnitsCost: 0, creativeUnitsDiscount: 0, costDetails: {} });
    }
    if (newInput) {
      await blobs.put(newInput.asset.blobKey, newInput.bytes);
      await store.createAsset(newInput.asset);
      input = newInput.asset;
    }
    const now = new Date().toISOString();
    const job: JobRecord = {
      id: newId('job'), projectId: auth.projectId, authorId: auth.apiKey, jobType: 'custom', status: 'queued',
      progress: 0, attempts: 0,
      // `format` only when asked for: jobs of clients that never heard of it look exactly as before.
      metadata: {
        input: {
          modelId: MODEL_ID, image: input!.id, presetName, ...(body.format ? { format: body.format } : {}), ...parameters,
          ...(Object.keys(ignored).length ? { ignored } : {}),
        },
        assetIds: [],
      },
      statusHistory: [{ status: 'queued', date: now }], error: null, createdAt: now, updatedAt: now,
    };
    await store.createJob(job);
    await queue.enqueue(job);
    request.log.info({ jobId: job.id, presetName }, 'job queued');
    return { job: presentJob(job), creativeUnitsCost: 0 };
  });
}
