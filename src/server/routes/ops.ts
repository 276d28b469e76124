/** Operations: health, Prometheus metrics (behind a bearer token when configured), the OpenAPI document. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from './common.js';

const METRICS_AUTH = '/metrics needs "Authorization: Bearer <token>" (vtracer serve --metrics-token)';

export async function opsRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  app.get('/healthz', {
    schema: {
      summary: 'Liveness and readiness: the store answers',
      tags: ['operations'],
      response: { 200: { type: 'object', additionalProperties: true }, 503: { type: 'object', additionalProperties: true } },
    },
  }, async (_request, reply) => {
    try {
      const depth = await deps.queue.depth();
      // A full disk does not make the service unready (reads, polls and deletes work): it is reported.
      const disk = deps.disk ? await deps.disk.status() : undefined;
      return { status: disk?.pressure ? 'degraded' : 'ok', queue: depth, ...(disk ? { disk } : {}) };
    } catch (err) {
      return reply.status(503).send({ status: 'unavailable', reason: err instanceof Error ? err.message : String(err) });
    }
  });

  const token = deps.config.metricsToken;
  // Compared as hashes: equal lengths for timingSafeEqual, and no timing signal about the token's length.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  const expected = token ? digest(`Bearer ${token}`) : null;
  app.get('/metrics', { schema: { summary: 'Prometheus metrics', tags: ['operations'] } }, async (request, reply) => {
    if (expected && !timingSafeEqual(digest(request.headers.authorization ?? ''), expected)) {
      return reply.status(401).header('WWW-Authenticate', 'Bearer realm="metrics"').send({ reason: METRICS_AUTH, message: METRICS_AUTH });
    }
    const text = await deps.metrics.registry.metrics();
    return reply.header('Content-Type', deps.metrics.registry.contentType).send(text);
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
