/**
 * Every error leaves the service as JSON `{ "reason": "…", "message": "…", "traceId": "…" }`: Scenario's
 * clients read `reason`, some only `message`, so both carry the same sentence. A bad request names the
 * field, what was expected and what was received. Library errors map to a status through error-codes.ts.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { OptionError, VtracerError, describeValue, expectation, getOptionSpec, checkOption } from 'vtracer-ts';
import { errorCodeEntry, storageFailure } from './error-codes.js';
import { InvalidPaginationTokenError } from './store/types.js';

export { storageFailure };

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly reason: string,
    readonly headers: Record<string, string> = {},
    /** Fields added to the error body (e.g. `remainingSeconds` of a 429). */
    readonly extra: Record<string, string | number> = {},
  ) {
    super(reason);
    this.name = 'ApiError';
  }
}

/** A 429: `Retry-After` and `remainingSeconds` in the body say the same wait. */
export function tooMany(reason: string, remainingSeconds: number): ApiError {
  const seconds = Math.max(1, Math.ceil(remainingSeconds));
  return new ApiError(429, reason, { 'Retry-After': String(seconds) }, { remainingSeconds: seconds });
}

export function badRequest(field: string, expected: string, received: unknown): ApiError {
  return new ApiError(400, `${field} must be ${expected}, got ${describeValue(received)}`);
}

export function notFound(what: string, id: string): ApiError {
  return new ApiError(404, `${what} ${JSON.stringify(id)} not found`);
}

export interface ErrorBody {
  reason: string;
  message: string;
  traceId: string;
  [extra: string]: string | number;
}

export function errorBody(request: FastifyRequest | { id: unknown }, reason: string, extra: Record<string, string | number> = {}): ErrorBody {
  return { ...extra, reason, message: reason, traceId: String(request.id) };
}

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
  data?: unknown;
  parentSchema?: Record<string, unknown>;
  schema?: unknown;
}

/** What a JSON schema node accepts, in words (for fields that are not trace options). */
export function describeSchema(s: Record<string, unknown> | undefined): string {
  if (!s) return 'valid';
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const type = s.type;
  if (type === 'integer' || type === 'number') {
    const article = type === 'integer' ? 'an integer' : 'a number';
    if (typeof s.minimum === 'number' && typeof s.maximum === 'number') return `${article} from ${s.minimum} to ${s.maximum}`;
    if (typeof s.minimum === 'number') return `${article} of at least ${s.minimum}`;
    if (typeof s.maximum === 'number') return `${article} of at most ${s.maximum}`;
    return article;
  }
  if (type === 'string') {
    if (typeof s.minLength === 'number' && s.minLength > 0) return `a non-empty string${typeof s.maxLength === 'number' ? ` of at most ${s.maxLength} characters` : ''}`;
    if (typeof s.maxLength === 'number') return `a string of at most ${s.maxLength} characters`;
    return 'a string';
  }
  if (type === 'boolean') return 'true or false';
  if (type === 'object') return 'a JSON object';
  if (type === 'array') return 'an array';
  return 'valid';
}

/** Edit distance (insertions, deletions, substitutions) between two short names. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

/** The spelling a client probably meant: the same name in another case, separator or British spelling
 * (`filter_speckle`, `colourMode`), else the nearest known name within a few edits; undefined if none. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const plain = (s: string) => s.toLowerCase().replace(/[_\-\s]/g, '').replace(/colour/g, 'color');
  const exact = known.find((k) => plain(k) === plain(name));
  if (exact) return exact;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 4)) + 1;
  for (const k of known) {
    const d = editDistance(plain(name), plain(k));
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

function fieldName(context: string, path: string): string {
  const p = path.replace(/^\//, '').replace(/\//g, '.');
  if (p) return p;
  return context === 'body' ? 'body' : context;
}

/** Turns the first schema violation into a sentence naming the field, the expectation and the received value. */
export function validationReason(error: FastifyError, body?: unknown): string {
  const errors = (error.validation ?? []) as unknown as AjvError[];
  const context = error.validationContext ?? 'body';
  const first = errors.find((e) => e.keyword === 'additionalProperties') ?? errors[0];
  if (!first) return error.message;
  const prefix = context === 'body' ? '' : `${context} parameter `;
  if (first.keyword === 'additionalProperties') {
    const name = String(first.params.additionalProperty);
    const known = Object.keys((first.parentSchema?.properties as Record<string, unknown>) ?? {});
    const where = first.instancePath ? ` in ${fieldName(context, first.instancePath)}` : '';
    const value = (first.data as Record<string, unknown> | undefined)?.[name];
    const guess = closestName(name, known);
    return `unknown ${prefix}field "${name}"${where} (got ${describeValue(value)}); ${guess ? `did you mean "${guess}"? ` : ''}known fields: ${known.join(', ')}`;
  }
  if (first.keyword === 'required') {
    const name = String(first.params.missingProperty);
    const sub = (first.parentSchema?.properties as Record<string, Record<string, unknown>> | undefined)?.[name];
    const path = first.instancePath ? `${fieldName(context, first.instancePath)}.${name}` : name;
    return `${prefix}${path} is required: ${typeof sub?.description === 'string' ? sub.description : describeSchema(sub)}`;
  }
  const field = fieldName(context, first.instancePath);
  // Trace parameters: the engine's own message, so the API, the CLI and the library say the same thing.
  const top = first.instancePath.split('/')[1] ?? '';
  const spec = context === 'body' ? getOptionSpec(top) : undefined;
  if (spec) {
    const value = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>)[top] : first.data;
    try {
      checkOption(spec, value);
    } catch (e) {
      if (e instanceof OptionError) return e.message;
    }
    return `${top} must be ${expectation(spec)}, got ${describeValue(value)}`;
  }
  return `${prefix}${field} must be ${describeSchema(first.parentSchema)}, got ${describeValue(first.data)}`;
}

/**
 * Reads and discards what is left of a refused request body (bounded in bytes and time), so that the client,
 * still sending, gets to read the error instead of a reset connection. The connection is closed afterwards.
 */
async function drainBody(request: FastifyRequest, reply: FastifyReply, maxBytes = 256 * 1024 * 1024, maxMs = 5000): Promise<void> {
  const raw = request.raw;
  reply.header('Connection', 'close');
  if (raw.complete || raw.destroyed) return;
  await new Promise<void>((resolve) => {
    let seen = 0;
    const timer = setTimeout(done, maxMs);
    function done() {
      clearTimeout(timer);
      raw.removeListener('data', onData);
      resolve();
    }
    function onData(chunk: Buffer) {
      seen += chunk.length;
      if (seen > maxBytes) done();
    }
    raw.on('data', onData);
    raw.once('end', done);
    raw.once('error', done);
    raw.once('close', done);
    raw.resume();
  });
}

/** The app's error handler: maps every error to the JSON shape and a status. */
export async function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  let status = 500;
  let reason = 'Internal error; the traceId identifies it in the service logs';
  let extra: Record<string, string | number> = {};
  const coded = errorCodeEntry(error);
  if (error instanceof ApiError) {
    status = error.statusCode;
    reason = error.reason;
    extra = error.extra;
    for (const [k, v] of Object.entries(error.headers)) reply.header(k, v);
  } else if (coded?.words) {
    status = coded.status;
    reason = `The service could not store this request: ${coded.words}; nothing was kept, retry later`;
  } else if (coded && error instanceof VtracerError) {
    status = coded.status;
    reason = error.message;
  } else if (error instanceof InvalidPaginationTokenError) {
    status = 400;
    reason = `paginationToken must be a token returned by a previous page, got ${describeValue(error.token)}`;
  } else {
    const fe = error as FastifyError;
    if (fe.validation) {
      status = 400;
      reason = validationReason(fe, request.body);
    } else if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      status = 413;
      reason = `The request body is larger than the limit of ${request.routeOptions.bodyLimit ?? 0} bytes`;
      await drainBody(request, reply);
    } else if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      status = 415;
      reason = `Content-Type must be application/json, got ${describeValue(request.headers['content-type'] ?? '')}`;
    } else if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      status = 400;
      reason = 'body must be a JSON object, got an empty body';
    } else if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
      status = 400;
      reason = `body must be valid JSON: ${error.message}`;
    } else if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      status = fe.statusCode;
      reason = error.message;
    }
  }
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ status, reason }, 'request rejected');
  return reply.status(status).send(errorBody(request, reason, extra));
}
