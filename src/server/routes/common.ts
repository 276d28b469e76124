import type { FastifyRequest } from 'fastify';
import type { BlobStore, JobQueue, Store } from '../store/types.js';
import type { ServerConfig } from '../config.js';
import type { UrlSigner } from '../signing.js';
import type { Metrics } from '../metrics.js';
import type { DiskGuard } from '../disk.js';
import { badRequest } from '../errors.js';
import { baseUrl, type UrlContext } from '../present.js';

/** What every route module receives: the injected services. */
export interface RouteDeps {
  store: Store;
  blobs: BlobStore;
  queue: JobQueue;
  signer: UrlSigner;
  config: ServerConfig;
  metrics: Metrics;
  disk?: DiskGuard;
}

export function urlContext(deps: RouteDeps, request: FastifyRequest): UrlContext {
  return { base: baseUrl(request, deps.config.publicUrl), signer: deps.signer, ttlSeconds: deps.config.urlTtlSeconds };
}

/** `pageSize` from the query string: default 50, 1 to 100. */
export function pageSize(value: string | undefined): number {
  if (value === undefined) return 50;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 100) throw badRequest('pageSize', 'an integer from 1 to 100', value);
  return n;
}

export interface PageQueryString {
  pageSize?: string;
  paginationToken?: string;
}
