/** Operations: health, Prometheus metrics, the OpenAPI document. No auth. */
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from './common.js';

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

  app.get('/metrics', { schema: { summary: 'Prometheus metrics', tags: ['operations'] } }, async (_request, reply) => {
    const text = await deps.metrics.registry.metrics();
    return reply.header('Content-Type', deps.metrics.registry.contentType).send(text);
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
