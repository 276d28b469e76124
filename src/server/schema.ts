/**
 * JSON schemas of the routes. The generate body and the model's `inputs` are both GENERATED from the
 * engine's OPTION_SPECS, so the API's validation, its model description and the engine cannot disagree.
 */
import { OPTION_SPECS, OUTPUT_FORMATS, PRESET_NAMES, type OptionSpec } from 'vtracer-ts';

export const MODEL_ID = 'model_visioncortex-vtracer';
export const PRESET_CHOICES = [...(['poster', 'photo', 'bw'] as const).filter((p) => PRESET_NAMES.includes(p)), 'custom'] as const;
export const DEFAULT_PRESET = 'poster';
export const PARAMETER_NAMES: readonly string[] = OPTION_SPECS.map((s) => s.name);

export const IMAGE_DESCRIPTION =
  'The image to vectorize: an asset id from POST /v1/assets, or a data:image/...;base64, URL (PNG, JPEG, WebP, GIF, BMP, TIFF)';
export const FORMAT_DESCRIPTION =
  'Format of the result asset: svg (default), pdf, eps, dxf (mm, a layer per colour) or png (rendered at the image size times scale); applies with every preset';
export const PRESET_DESCRIPTION =
  'poster (default), photo, bw: the upstream presets, custom parameters ignored; custom: the parameters below apply over the defaults';

/** JSON schema of one trace parameter. */
export function optionSchema(spec: OptionSpec): Record<string, unknown> {
  switch (spec.kind) {
    case 'enum':
      return { type: 'string', enum: [...spec.values], default: spec.default, description: spec.description };
    case 'boolean':
      return { type: 'boolean', default: spec.default, description: spec.description };
    case 'palette':
      return {
        type: 'array', maxItems: spec.maxLength, items: { type: 'string', pattern: '^#[0-9a-fA-F]{6}$' },
        default: [...spec.default], description: spec.description,
      };
    default:
      return { type: spec.kind, minimum: spec.min, maximum: spec.max, default: spec.default, description: spec.description };
  }
}

export const generateBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['image'],
  properties: {
    image: { type: 'string', minLength: 1, description: IMAGE_DESCRIPTION },
    presetName: { type: 'string', enum: [...PRESET_CHOICES], default: DEFAULT_PRESET, description: PRESET_DESCRIPTION },
    format: { type: 'string', enum: [...OUTPUT_FORMATS], default: 'svg', description: FORMAT_DESCRIPTION },
    ...Object.fromEntries(OPTION_SPECS.map((s) => [s.name, optionSchema(s)])),
  },
} as const;

/**
 * One input of the model description, in the hosted API's vocabulary, which clients switch on to build
 * forms: an image is `file` with `kind: "image"`, numbers are `number` (integers carry `step: 1`), a list
 * of strings is `string_array` (ours are colours: `itemType: "color"`), enums are `string` with
 * `allowedValues`.
 */
export interface ModelInput {
  name: string;
  type: 'file' | 'string' | 'number' | 'boolean' | 'string_array';
  /** For `file`: what the file must be. */
  kind?: 'image';
  label: string;
  description: string;
  default?: string | number | boolean | string[];
  min?: number;
  max?: number;
  step?: number;
  allowedValues?: string[];
  /** For `string_array`: each item is a `#rrggbb` colour. */
  itemType?: 'color';
  maxItems?: number;
  required: boolean;
}

function specInput(s: OptionSpec): ModelInput {
  const base = { name: s.name, label: s.label, description: s.description, required: false };
  switch (s.kind) {
    case 'enum':
      return { ...base, type: 'string', default: s.default, allowedValues: [...s.values] };
    case 'boolean':
      return { ...base, type: 'boolean', default: s.default };
    case 'palette':
      return { ...base, type: 'string_array', itemType: 'color', default: [...s.default], maxItems: s.maxLength };
    default:
      // Integers are numbers with step 1 (the hosted records' convention): every integer spec has step 1.
      return { ...base, type: 'number', default: s.default, min: s.min, max: s.max, step: s.step };
  }
}

/** The model's `inputs`: the image, the preset, the output format, then one entry per row of OPTION_SPECS. */
export function modelInputs(): ModelInput[] {
  return [
    { name: 'image', type: 'file', kind: 'image', label: 'Image', description: IMAGE_DESCRIPTION, required: true },
    {
      name: 'presetName', type: 'string', label: 'Preset', description: PRESET_DESCRIPTION, default: DEFAULT_PRESET,
      allowedValues: [...PRESET_CHOICES], required: false,
    },
    {
      name: 'format', type: 'string', label: 'Output format', description: FORMAT_DESCRIPTION, default: 'svg',
      allowedValues: [...OUTPUT_FORMATS], required: false,
    },
    ...OPTION_SPECS.map(specInput),
  ];
}

/**
 * The model record. `img2img` is the hosted capability for "an image in, another asset out", which clients
 * look for to offer a model for images; `img2svg` says what the output is.
 */
export function modelObject(): Record<string, unknown> {
  return {
    id: MODEL_ID,
    name: 'VTracer',
    type: 'custom',
    status: 'trained',
    privacy: 'public',
    description: 'Raster to vector: converts PNG, JPEG, WebP, GIF, BMP or TIFF images into SVG (VTracer algorithm)',
    capabilities: ['img2img', 'img2svg'],
    inputs: modelInputs(),
    tags: ['vectorization', 'svg'],
  };
}

// ---- shared pieces of route schemas (documentation for /openapi.json and response serialization)

const openObject = { type: 'object', additionalProperties: true } as const;

const errorDefinition = {
  $id: 'Error',
  type: 'object',
  properties: {
    reason: { type: 'string' },
    message: { type: 'string', description: 'The same sentence as reason (some clients read only message)' },
    traceId: { type: 'string' },
    remainingSeconds: { type: 'integer', description: '429 only: seconds to wait, as Retry-After' },
  },
  required: ['reason', 'message'],
} as const;

const jobDefinition = {
  $id: 'Job',
  type: 'object',
  additionalProperties: true,
  properties: {
    jobId: { type: 'string' },
    jobType: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'queued', 'in-progress', 'success', 'failure', 'canceled'] },
    progress: { type: 'number' },
    metadata: {
      type: 'object', additionalProperties: true,
      properties: { input: openObject, assetIds: { type: 'array', items: { type: 'string' } }, output: openObject },
    },
    ownerId: { type: 'string' },
    authorId: { type: 'string' },
    statusHistory: {
      type: 'array',
      items: { type: 'object', properties: { status: { type: 'string' }, date: { type: 'string' } } },
    },
    error: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

const assetDefinition = {
  $id: 'Asset',
  type: 'object',
  additionalProperties: true,
  properties: {
    id: { type: 'string' },
    url: { type: 'string' },
    name: { type: 'string' },
    mimeType: { type: 'string' },
    kind: { type: 'string' },
    status: { type: 'string' },
    properties: {
      type: 'object', additionalProperties: true,
      properties: { size: { type: 'integer' }, width: { type: ['integer', 'null'] }, height: { type: ['integer', 'null'] } },
    },
    metadata: openObject,
    ownerId: { type: 'string' },
    authorId: { type: 'string' },
    createdAt: { type: 'string' },
  },
} as const;

const uploadDefinition = {
  $id: 'Upload',
  type: 'object',
  additionalProperties: true,
  properties: {
    id: { type: 'string' },
    jobId: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'validating', 'imported', 'failed'] },
    fileName: { type: 'string' },
    fileSize: { type: 'integer' },
    contentType: { type: 'string' },
    kind: { type: 'string' },
    parts: {
      type: 'array',
      items: { type: 'object', properties: { number: { type: 'integer' }, url: { type: 'string' }, expires: { type: 'string' } } },
    },
    partsCount: { type: 'integer' },
    entityId: { type: ['string', 'null'] },
    error: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

/**
 * The service's shared schemas: registered on the app (app.addSchema), referenced by the routes' response
 * schemas below (`{ $ref: 'Job#' }`), and named in the OpenAPI document's components.schemas, so that a
 * generated client has one Job, Asset, Upload, Model and Error type.
 */
const modelDefinition = {
  $id: 'Model',
  type: 'object',
  additionalProperties: true,
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    type: { type: 'string' },
    privacy: { type: 'string' },
    inputs: {
      type: 'array',
      description: 'Every parameter: name, type, kind, label, description, default, min, max, step, allowedValues, required',
      items: { type: 'object', additionalProperties: true, properties: { name: { type: 'string' }, type: { type: 'string' } } },
    },
  },
} as const;

export const SHARED_SCHEMAS = [errorDefinition, jobDefinition, assetDefinition, uploadDefinition, modelDefinition];
export const errorSchema = { $ref: 'Error#' } as const;
export const jobSchema = { $ref: 'Job#' } as const;
export const assetSchema = { $ref: 'Asset#' } as const;
export const uploadSchema = { $ref: 'Upload#' } as const;
export const modelSchema = { $ref: 'Model#' } as const;

/** Error responses every authenticated route may give. */
export const errorResponses = {
  400: errorSchema, 401: errorSchema, 404: errorSchema, 413: errorSchema, 429: errorSchema, 500: errorSchema, 507: errorSchema,
} as const;

/** Query strings are not coerced (so that bodies are not either): numbers arrive as strings. */
export const pageQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    pageSize: { type: 'string', maxLength: 10, description: 'Items per page, 1 to 100 (default 50)' },
    paginationToken: { type: 'string', maxLength: 200, description: 'nextPaginationToken of the previous page' },
  },
} as const;

export const idParam = (name: string) => ({
  type: 'object',
  required: [name],
  properties: { [name]: { type: 'string', maxLength: 100 } },
}) as const;
