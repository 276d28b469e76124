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
  /** An upload not completed this long after its creation expires: failed, its parts deleted (at start too). */
  uploadTtlMs: number;
  /** Jobs `queued` or `in-progress` per project before 429 (0: no limit). */
  maxActiveJobsPerProject: number;
  /** Per-key rate limit (requests per window) for /v1 routes; undefined: none. */
  rateLimit?: { max: number; timeWindowMs: number };
  /** Folder of the web page, served at `/` when it exists. */
  webRoot?: string;
  /**
   * Time a client has to send a whole request (headers and body), in ms: past it the service answers 408 and
   * closes the connection, so a client trickling its body cannot hold a connection (and memory) for ever.
   */
  requestTimeoutMs: number;
  /**
   * Request-body bytes being received at once (declared Content-Length, or the route's limit when chunked):
   * in total (beyond: 503) and per API key (beyond: 429), both with Retry-After.
   */
  bodyBytesInFlight: { total: number; perKey: number };
  /**
   * Failed logins: per client address and minute before 429 (0: no limit); scrypt checks run at once (on
   * threads of their own, apart from the file I/O pool) and waiting, beyond which 429.
   */
  auth: { failedLoginsPerMinute: number; hashThreads: number; maxWaitingChecks: number };
  /** When set, `/metrics` answers only requests bearing `Authorization: Bearer <metricsToken>` (401 otherwise). */
  metricsToken?: string;
}

export const MiB = 1024 * 1024;

export function defaultConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  const maxImageBytes = overrides.maxImageBytes ?? 32 * MiB;
  const bodyLimit = overrides.bodyLimit ?? Math.ceil((maxImageBytes * 4) / 3) + MiB;
  return {
    urlTtlSeconds: 3600,
    maxImageBytes,
    maxImagePixels: 100_000_000,
    bodyLimit,
    maxPartBytes: 16 * MiB,
    maxParts: 1000,
    uploadTtlMs: 24 * 3_600_000,
    maxActiveJobsPerProject: 0,
    requestTimeoutMs: 120_000,
    // Four of the largest bodies at once in total, two per key: a burst of huge bodies cannot take the memory.
    bodyBytesInFlight: { total: 4 * bodyLimit, perKey: 2 * bodyLimit },
    auth: { failedLoginsPerMinute: 20, hashThreads: 1, maxWaitingChecks: 8 },
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
