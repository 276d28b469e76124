/**
 * What a slow or hostile client cannot hold: a request that does not arrive in time answers 408, request
 * bodies being received are bounded in bytes (in total and per key), and a shutdown refuses the requests that
 * still arrive and closes the connections still open when the grace period ends, so the process always exits.
 */
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { ServerConfig } from './config.js';
import { ApiError, errorBody, tooMany } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Whose budget a body counts against when the request has no API key (signed part URLs: the upload's author). */
    bodyOwner?: string;
  }
}

/**
 * Fastify's server options for the time limits. Node checks the pending requests every
 * `connectionsCheckingInterval`, so it is set to a fraction of the timeout for the 408 to come soon after it.
 */
export function serverTimeouts(config: Pick<ServerConfig, 'requestTimeoutMs'>): Pick<FastifyServerOptions, 'requestTimeout'> & { http: object } {
  const requestTimeout = config.requestTimeoutMs;
  return {
    requestTimeout,
    http: {
      requestTimeout,
      headersTimeout: Math.min(requestTimeout, 30_000),
      connectionsCheckingInterval: Math.min(5000, Math.max(100, Math.floor(requestTimeout / 10))),
    },
  };
}

/** Body bytes being received, in total and per owner; a reservation either fits both limits or is refused. */
export class BodyBudget {
  private total = 0;
  private readonly byOwner = new Map<string, number>();

  constructor(readonly limits: { total: number; perKey: number }) {}

  get inFlight(): number {
    return this.total;
  }

  /** Reserves `bytes` for `owner` (null: counted in the total only); returns the release function, or which limit refused. */
  reserve(owner: string | null, bytes: number): (() => void) | 'total' | 'key' {
    const mine = owner === null ? 0 : this.byOwner.get(owner) ?? 0;
    // One body alone always fits (its size is bounded by bodyLimit), so a large request is never refused forever.
    if (this.total > 0 && this.total + bytes > this.limits.total) return 'total';
    if (owner !== null && mine > 0 && mine + bytes > this.limits.perKey) return 'key';
    this.total += bytes;
    if (owner !== null) this.byOwner.set(owner, mine + bytes);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= bytes;
      if (owner === null) return;
      const left = (this.byOwner.get(owner) ?? 0) - bytes;
      if (left > 0) this.byOwner.set(owner, left);
      else this.byOwner.delete(owner);
    };
  }
}

/** Bytes a request's body may take: its declared length, or the route's limit when it is sent chunked. */
function bodyBytes(request: FastifyRequest): number {
  const limit = request.routeOptions.bodyLimit ?? 1024 * 1024;
  const declared = request.headers['content-length'];
  if (declared !== undefined) {
    const n = Number(declared);
    return Number.isFinite(n) && n >= 0 ? Math.min(n, limit) : limit;
  }
  return request.headers['transfer-encoding'] ? limit : 0;
}

/** A preParsing hook that holds each body's bytes in `budget` until its response ends (or its connection dies). */
export function bodyBudgetHook(budget: BodyBudget) {
  return async (request: FastifyRequest, reply: { raw: NodeJS.EventEmitter }): Promise<void> => {
    const bytes = bodyBytes(request);
    if (bytes === 0) return;
    const owner = request.auth?.apiKey ?? request.bodyOwner ?? null;
    const release = budget.reserve(owner, bytes);
    if (release === 'total') {
      throw new ApiError(503, 'The service is receiving too many large request bodies at once; retry in a few seconds', { 'Retry-After': '5', Connection: 'close' });
    }
    if (release === 'key') {
      const refusal = tooMany(`Too many request bodies in flight for this key (at most ${budget.limits.perKey} bytes at once); wait for them to finish`, 5);
      refusal.headers.Connection = 'close';
      throw refusal;
    }
    reply.raw.once('close', release);
  };
}

/**
 * Once the app closes, a request that still arrives on a connection left open (one busy with an earlier request,
 * or pipelined behind it) is answered 503 with Retry-After in the API's error shape, before authentication or
 * any work. This replaces Fastify's own return503OnClosing, whose body has no `reason` or `traceId`; register it
 * after the hook that sets X-Request-Id, so the refusal carries that too.
 */
export function refuseWhileClosing(app: FastifyInstance): void {
  let closing = false;
  // Fastify runs preClose hooks as soon as close() is called, before it stops accepting connections.
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!closing) return;
    return reply.code(503).headers({ 'Retry-After': '5', Connection: 'close' })
      .send(errorBody(request, 'The service is shutting down and takes no new requests; retry in a few seconds'));
  });
}

/**
 * Closes the HTTP side within `graceMs`: stops accepting at once, lets requests in flight finish, then drops
 * the connections still open (a client trickling a body, a stuck download). Resolves once the server closed.
 */
export async function closeHttpWithin(app: FastifyInstance, graceMs: number): Promise<void> {
  const timer = setTimeout(() => {
    app.log.warn('shutdown: closing the connections still open after the grace period');
    app.server.closeAllConnections();
  }, graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
}
