/**
 * The generate body as Scenario's clients send it, brought to the shape the schema validates:
 *
 * - Form-building clients send what their form holds: numbers as numeric strings (`"4"`), booleans as
 *   `"true"`/`"false"`, a `string_array` as one comma-separated string. Those become numbers, booleans and
 *   lists; anything else is left as sent, so the schema refuses it with the engine's message. A blank string
 *   for a number or a boolean is an empty form field: the parameter is left out (its default applies).
 * - Fields common to Scenario's generate calls that VTracer does not use (`seed`, `prompt`…) are taken out
 *   and returned as `ignored` (the job records them); `dryRun` in the body is honoured like the query's.
 *
 * Unknown fields are left in: the schema refuses them, with a "did you mean" for misspelt parameters.
 */
import { OPTION_SPECS, describeValue, type OptionSpec } from 'vtracer-ts';
import { ApiError } from './errors.js';

/** Accepted and ignored: common fields of Scenario's generate calls that mean nothing to VTracer. */
export const TOLERATED_FIELDS = [
  'seed', 'numSamples', 'prompt', 'negativePrompt', 'aspectRatio', 'modelId', 'guidance', 'numInferenceSteps',
  'width', 'height', 'strength', 'hideResults',
] as const;

const TOLERATED = new Set<string>(TOLERATED_FIELDS);
const SPECS = new Map<string, OptionSpec>(OPTION_SPECS.map((s) => [s.name, s]));

/** Strict decimal number, as a form field holds it: sign, digits, fraction, exponent; nothing else. */
const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export interface NormalizedBody {
  body: Record<string, unknown>;
  /** The tolerated fields that were sent, as recorded in the job (long strings shortened). */
  ignored: Record<string, unknown>;
  /** `dryRun` from the body (undefined when absent). */
  dryRun?: boolean;
}

/** One parameter's value as a form sends it, made the type the schema expects; `undefined` drops it. */
export function coerceFormValue(spec: OptionSpec, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  switch (spec.kind) {
    case 'integer':
    case 'number':
      if (text === '') return undefined;
      return NUMERIC.test(text) ? Number(text) : value;
    case 'boolean':
      if (text === '') return undefined;
      return text === 'true' ? true : text === 'false' ? false : value;
    case 'palette':
      return text.split(/[\s,]+/).filter((c) => c !== '');
    default:
      return value;
  }
}

function recorded(value: unknown): unknown {
  if (typeof value === 'string') return value.length > 200 ? `${value.slice(0, 197)}...` : value;
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  return describeValue(value);
}

/** Normalizes a generate body (see the file header); a body that is not an object is returned as is. */
export function normalizeGenerateBody(input: unknown): NormalizedBody | null {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return null;
  const body: Record<string, unknown> = {};
  const ignored: Record<string, unknown> = {};
  let dryRun: boolean | undefined;
  for (const [name, value] of Object.entries(input as Record<string, unknown>)) {
    if (name === 'dryRun') {
      if (value === true || value === 'true') dryRun = true;
      else if (value === false || value === 'false') dryRun = false;
      else throw new ApiError(400, `dryRun must be true or false, got ${describeValue(value)}`);
    } else if (TOLERATED.has(name)) {
      ignored[name] = recorded(value);
    } else {
      const spec = SPECS.get(name);
      const v = spec ? coerceFormValue(spec, value) : value;
      if (v !== undefined) body[name] = v;
    }
  }
  return { body, ignored, dryRun };
}
