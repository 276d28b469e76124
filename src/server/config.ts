/** The service's settings, with the defaults used by `vtracer serve`. */
import { availableParallelism } from 'node:os';

export interface ServerConfig {
  /** Base of signed URLs, e.g. `https://vtracer.example.com`; default: from each request's Host. */
  publicUrl?: string;
  /** Lifetime of signed asset and upload-part URLs, in seconds. */
  urlTtlSeconds: number;
  /** Largest encoded image accepted (data URL after decoding, or a whole upload), in bytes. */
  maxImageBytes: number;
  /** Largest image accepted, in pixels (width × height); checked from the header, before decoding. */
  maxImagePixels: number;
  /** Largest JSON body; a bit more than the base64 of maxImageBytes by default. */
  bodyLimit: number;
  /** Largest single upload part. */
  maxPartBytes: number;
  /** Most parts in one upload. */
  maxParts: number;
  /** Jobs `queued` or `in-progress` per project before 429 (0: no limit). */
  maxActiveJobsPerProject: number;
  /** Per-key rate limit (requests per window) for /v1 routes; undefined: none. */
  rateLimit?: { max: number; timeWindowMs: number };
  /** Folder of the web page, served at `/` when it exists. */
  webRoot?: string;
}

export const MiB = 1024 * 1024;

export function defaultConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  const maxImageBytes = overrides.maxImageBytes ?? 32 * MiB;
  return {
    urlTtlSeconds: 3600,
    maxImageBytes,
    maxImagePixels: 100_000_000,
    bodyLimit: Math.ceil((maxImageBytes * 4) / 3) + MiB,
    maxPartBytes: 16 * MiB,
    maxParts: 1000,
    maxActiveJobsPerProject: 0,
    ...overrides,
  };
}

export interface QueueConfig {
  /** Traces running at once (worker threads). */
  workers: number;
  /** Starts of a job (crash recovery) before it fails. */
  maxAttempts: number;
  /** On SIGTERM, how long running jobs may take to finish before they are put back in the queue. */
  shutdownGraceMs: number;
}

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}
