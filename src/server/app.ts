/**
 * The Fastify app, built from injected services (store, blobs, queue, signer, config) so that the embedded
 * service, the tests and a distributed deployment all use the same routes.
 */
import { existsSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import rateLimit from '@fastify/rate-limit';
import helmet from '@fastify/helmet';
import { Authenticator } from './auth.js';
import { ApiError, errorBody, handleError, tooMany } from './errors.js';
import { WWW_AUTHENTICATE } from './auth.js';
import { SecretHasher } from './hasher.js';
import { FailedLoginLimiter } from './login-limiter.js';
import { BodyBudget, bodyBudgetHook, refuseWhileClosing, serverTimeouts } from './http-limits.js';
import { randomBase62 } from './ids.js';
import { Metrics } from './metrics.js';
import type { DiskGuard } from './disk.js';
import { swaggerOptions } from './openapi.js';
import { SHARED_SCHEMAS } from './schema.js';
import type { ServerConfig } from './config.js';
import type { UrlSigner } from './signing.js';
import type { BlobStore, JobQueue, Store } from './store/types.js';
import type { RouteDeps } from './routes/common.js';
import { generateRoutes } from './routes/generate.js';
import { jobRoutes } from './routes/jobs.js';
import { assetFileRoutes, assetRoutes } from './routes/assets.js';
import { uploadPartRoutes, uploadRoutes } from './routes/uploads.js';
import { modelRoutes } from './routes/models.js';
import { opsRoutes } from './routes/ops.js';

export interface AppDeps {
  store: Store;
  blobs: BlobStore;
  queue: JobQueue;
  signer: UrlSigner;
  config: ServerConfig;
  /** Created when absent. */
  metrics?: Metrics;
  /** The data folder's disk (embedded mode): its reserve backs deletes, its pressure shows in /healthz. */
  disk?: DiskGuard;
  /** Fastify's `logger` option (pino options, or false); default: JSON logs at info. */
  logger?: FastifyServerOptions['logger'];
  /** Package version for the OpenAPI document. */
  version?: string;
}

/**
 * The web page's Content-Security-Policy: its own scripts, styles and Web Worker (`worker.js`), images from
 * itself, `data:` and `blob:` (previews, downloads), fetches to its own origin (the API) only; no plugins, no
 * inline script, not framable. The page sets styles through the CSSOM only, which `style-src` does not block.
 */
export const PAGE_CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  workerSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * JSON bodies: V8's parser (its message says where the syntax breaks), refusing the keys that poison
 * prototypes (`__proto__`, `constructor.prototype`) with a message that says so.
 */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0) throw new ApiError(400, 'body must be a JSON object, got an empty body');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, function (key, value) {
      if (key === '__proto__' || (key === 'constructor' && value !== null && typeof value === 'object' && Object.hasOwn(value, 'prototype'))) {
        throw new ApiError(400, `body must not contain a ${key === '__proto__' ? '"__proto__"' : '"constructor.prototype"'} key (prototype poisoning), got one`);
      }
      return value;
    });
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(400, `body must be valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parsed;
}

/** A rate-limit window in words: "minute", "45 seconds". */
export function windowWords(ms: number): string {
  if (ms === 60_000) return 'minute';
  if (ms === 3_600_000) return 'hour';
  const seconds = ms / 1000;
  return seconds === 1 ? 'second' : `${seconds} seconds`;
}

/**
 * An HTTP request that Node's parser refused, answered in the API's error shape. The common case is the hosted
 * docs' `$(echo -n 'KEY:SECRET' | base64)` with long credentials: `base64` wraps at 76 characters, the line
 * feed splits the Authorization header, and the request is no longer valid HTTP. That one answers 401 with
 * `WWW-Authenticate` and says how to fix it; other parse errors answer 400.
 */
export function clientErrorResponse(error: { code?: string; rawPacket?: unknown }): string {
  const raw = Buffer.isBuffer(error.rawPacket) ? error.rawPacket.toString('latin1') : '';
  let status = 400;
  let reason = `The request is not valid HTTP (${error.code ?? 'parse error'}): check the headers for line breaks or control characters`;
  if (/(^|\r\n)authorization:[^\r\n]*\n/i.test(raw)) {
    status = 401;
    reason = 'The Authorization header is split over two lines: base64 wrapped the encoded credentials at 76 characters. '
      + 'Encode with `base64 -w0` (or use curl -u KEY:SECRET), or create a new key: new keys fit on one line';
  } else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408;
    reason = 'The request took too long to arrive';
  } else if (error.code === 'HPE_HEADER_OVERFLOW') {
    status = 431;
    reason = 'The request headers are too large';
  }
  const body = JSON.stringify(errorBody({ id: `req_${randomBase62(12)}` }, reason));
  const headers = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...(status === 401 ? [`WWW-Authenticate: ${WWW_AUTHENTICATE}`] : []),
  ];
  return `${headers.join('\r\n')}\r\n\r\n${body}`;
}

/** The request line as logged: the signatures of signed URLs are credentials, so they are masked. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]signature=)[^&]*/gi, '$1[redacted]');
}

/**
 * One log line per request, when it completes (method, URL, status, time), instead of Fastify's two: clients
 * poll jobs several times a second, and under load the synchronous log writes hold up the event loop.
 */
class OneLineRequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const entry = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...entry, err: error }, 'request errored');
    else reply.log.info(entry, 'request completed');
  }
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    logger: deps.logger ?? {
      level: process.env.VTRACER_LOG_LEVEL ?? 'info',
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'], censor: '[redacted]' },
      serializers: {
        req(req: { method: string; url: string; ip?: string; socket?: { remoteAddress?: string } }) {
          return { method: req.method, url: redactUrl(req.url), remoteAddress: req.ip ?? req.socket?.remoteAddress };
        },
      },
    },
    bodyLimit: config.bodyLimit,
    // A request (headers and body) must arrive within requestTimeoutMs, else 408 and the connection closes.
    ...serverTimeouts(config),
    // Request ids: a caller's X-Request-Id when it looks sane, else a random one; echoed back, used as traceId.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : `req_${randomBase62(12)}`;
    },
    // Bodies are validated as sent: no coercion ("4" is not 4), unknown fields are errors, no injected defaults.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false, verbose: true } },
    // Our own refusal (refuseWhileClosing) answers those requests, in the API's error shape.
    return503OnClosing: false,
    logController: new OneLineRequestLog(),
    clientErrorHandler: (error, socket) => {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      if (!socket.writable) {
        socket.destroy(error);
        return;
      }
      // end() lets the client read the answer; the timer makes sure a client that never closes its side does
      // not keep the socket (and a graceful shutdown waiting for it) open.
      socket.end(clientErrorResponse(error));
      setTimeout(() => socket.destroy(), 2000).unref();
    },
  });
  const metrics = deps.metrics ?? new Metrics({ store: deps.store, queue: deps.queue });
  const routeDeps: RouteDeps = { store: deps.store, blobs: deps.blobs, queue: deps.queue, signer: deps.signer, config, metrics, disk: deps.disk };
  const auth = new Authenticator(deps.store, {
    hasher: new SecretHasher({ threads: config.auth.hashThreads, maxWaiting: config.auth.maxWaitingChecks }),
    failures: new FailedLoginLimiter(config.auth.failedLoginsPerMinute),
  });
  app.addHook('onClose', () => auth.close());
  metrics.gauge('vtracer_auth_secret_checks', 'scrypt checks of API secrets run since the start', () => auth.hasher.runs);

  // Security headers on every response (page, API, errors): CSP, nosniff, no framing, no referrer leaks of
  // signed URLs. No upgrade-insecure-requests (the service is often reached over plain HTTP on a LAN, TLS being
  // the proxy's job) and HSTS without includeSubDomains (it only takes effect behind HTTPS anyway).
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: PAGE_CSP_DIRECTIVES },
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: false },
  });

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(errorBody(request, `No route for ${request.method} ${redactUrl(request.url).split('?')[0]}`));
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
  refuseWhileClosing(app);
  // Runs after authentication (onRequest), so a body counts against its key as well as the total.
  const bodyBudget = new BodyBudget(config.bodyBytesInFlight);
  app.addHook('preParsing', bodyBudgetHook(bodyBudget));
  metrics.gauge('vtracer_http_body_bytes_in_flight', 'Request-body bytes being received (declared lengths)', () => bodyBudget.inFlight);
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await app.register(swagger, swaggerOptions(config, deps.version ?? '0.0.0'));

  await app.register(async (v1) => {
    v1.addHook('onRequest', auth.hook);
    if (config.rateLimit) {
      await v1.register(rateLimit, {
        max: config.rateLimit.max,
        timeWindow: config.rateLimit.timeWindowMs,
        hook: 'preHandler',
        keyGenerator: (request) => request.auth?.apiKey ?? request.ip,
        errorResponseBuilder: (_request, context) => {
          const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
          return tooMany(`Too many requests for this key: at most ${context.max} per ${windowWords(config.rateLimit!.timeWindowMs)}; `
            + `retry in ${seconds} second${seconds === 1 ? '' : 's'}`, seconds);
        },
      });
    }
    await v1.register(generateRoutes, routeDeps);
    await v1.register(jobRoutes, routeDeps);
    await v1.register(assetRoutes, routeDeps);
    await v1.register(uploadRoutes, routeDeps);
    await v1.register(modelRoutes, routeDeps);
  }, { prefix: '/v1' });

  await app.register(assetFileRoutes, routeDeps);
  await app.register(uploadPartRoutes, routeDeps);
  await app.register(opsRoutes, routeDeps);

  if (config.webRoot && existsSync(config.webRoot)) {
    await app.register(fastifyStatic, { root: config.webRoot, prefix: '/', index: ['index.html'] });
  } else {
    app.get('/', { schema: { hide: true } }, async () => ({
      name: 'vtracer-ts service', api: '/v1', openapi: '/openapi.json', health: '/healthz',
    }));
  }
  return app;
}
