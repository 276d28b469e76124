/** Jobs: read one, list (by status, paginated), cancel. */
import type { FastifyInstance } from 'fastify';
import { projectOf } from '../auth.js';
import { ApiError, notFound } from '../errors.js';
import { presentJob } from '../present.js';
import { errorResponses, idParam, jobSchema, pageQuerySchema } from '../schema.js';
import { JOB_STATUSES, TERMINAL_STATUSES, type JobStatus } from '../store/types.js';
import { pageSize, type PageQueryString, type RouteDeps } from './common.js';

export async function jobRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const { store, queue } = deps;

  app.get<{ Params: { jobId: string } }>('/jobs/:jobId', {
    schema: {
      summary: 'A job: status, progress, statusHistory, metadata.assetIds on success, error on failure',
      tags: ['jobs'],
      params: idParam('jobId'),
      response: { 200: { type: 'object', properties: { job: jobSchema } }, ...errorResponses },
    },
  }, async (request) => {
    const job = await store.getJob(request.params.jobId, projectOf(request).projectId);
    if (!job) throw notFound('job', request.params.jobId);
    return { job: presentJob(job) };
  });

  app.get<{ Querystring: PageQueryString & { status?: JobStatus } }>('/jobs', {
    schema: {
      summary: 'The project\'s jobs, newest first',
      tags: ['jobs'],
      querystring: {
        ...pageQuerySchema,
        properties: { ...pageQuerySchema.properties, status: { type: 'string', enum: [...JOB_STATUSES] } },
      },
      response: {
        200: { type: 'object', properties: { jobs: { type: 'array', items: jobSchema }, nextPaginationToken: { type: ['string', 'null'] } } },
        ...errorResponses,
      },
    },
  }, async (request) => {
    const page = await store.listJobs(projectOf(request).projectId, {
      pageSize: pageSize(request.query.pageSize),
      paginationToken: request.query.paginationToken,
      status: request.query.status,
    });
    return { jobs: page.items.map(presentJob), nextPaginationToken: page.nextPaginationToken };
  });

  app.post<{ Params: { jobId: string }; Body: { action: 'cancel' } }>('/jobs/:jobId/action', {
    schema: {
      summary: 'Act on a job: cancel a queued or running job',
      tags: ['jobs'],
      params: idParam('jobId'),
      body: {
        type: 'object', additionalProperties: false, required: ['action'],
        properties: { action: { type: 'string', enum: ['cancel'] } },
      },
      response: { 200: { type: 'object', properties: { job: jobSchema } }, ...errorResponses },
    },
  }, async (request) => {
    const { projectId } = projectOf(request);
    const job = await store.getJob(request.params.jobId, projectId);
    if (!job) throw notFound('job', request.params.jobId);
    if (job.jobType !== 'custom') throw new ApiError(400, `job ${job.id} is an ${job.jobType} job; only generate jobs can be canceled`);
    const canceled = await store.transitionJob(job.id, ['queued', 'in-progress'], 'canceled');
    if (!canceled) {
      const current = (await store.getJob(job.id, projectId))!;
      if (current.status === 'canceled') return { job: presentJob(current) };
      const why = TERMINAL_STATUSES.includes(current.status) ? `it already ended with status "${current.status}"` : `its status is "${current.status}"`;
      throw new ApiError(400, `job ${job.id} cannot be canceled: ${why}`);
    }
    await queue.abort(job.id);
    request.log.info({ jobId: job.id, from: job.status }, 'job canceled');
    return { job: presentJob(canceled) };
  });
}
