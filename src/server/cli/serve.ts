/** `vtracer serve`: the HTTP service, embedded (SQLite + files) or, with --db and --redis, distributed. */
import type { Command } from 'commander';
import { addFlags, httpUrl, integer } from './args.js';
import { resolveUrls } from './open-store.js';
import { closeOnSignals } from './signals.js';

interface ServeFlags {
  port: number; host: string; data: string; publicUrl?: string; workers?: number | false; urlTtl: number;
  maxImageBytes: number; maxImagePixels: number; maxAttempts: number; grace: number; rateLimit?: number;
  maxActiveJobs?: number; requestTimeout: number; authFailures: number; diskReserve: number; uploadTtl: number; recycleAbovePixels: number; metricsToken?: string; db?: string; redis?: string;
}

export function registerServe(program: Command): void {
  const serve = program
    .command('serve')
    .description('Run the HTTP service (Scenario-compatible VTracer API under /v1, the web page at /)');
  addFlags(serve, [
    { flags: '--port <n>', description: 'port to listen on (0: any free port)', parse: integer(0, 65535), default: 3000, env: 'PORT' },
    { flags: '--host <host>', description: 'address to listen on', default: '127.0.0.1', env: 'HOST' },
    { flags: '--data <dir>', description: 'data folder: database, files, URL signing secret', default: './vtracer-data', env: 'VTRACER_DATA' },
    { flags: '--public-url <url>', description: 'base of signed asset URLs (default: from each request\'s Host header)', parse: httpUrl, env: 'VTRACER_PUBLIC_URL' },
    { flags: '--workers <n>', description: 'tracing worker threads (default: the number of CPUs)', parse: integer(1, 256), env: 'VTRACER_WORKERS' },
    { flags: '--url-ttl <seconds>', description: 'lifetime of signed asset URLs', parse: integer(1, 7 * 24 * 3600), default: 3600, env: 'VTRACER_URL_TTL' },
    { flags: '--max-image-bytes <n>', description: 'largest image accepted, in bytes (413 above)', parse: integer(1), default: 32 * 1024 * 1024, env: 'VTRACER_MAX_IMAGE_BYTES' },
    { flags: '--max-image-pixels <n>', description: 'largest image accepted, in pixels (413 above)', parse: integer(1), default: 100_000_000, env: 'VTRACER_MAX_IMAGE_PIXELS' },
    { flags: '--max-attempts <n>', description: 'starts of a job interrupted by crashes before it fails', parse: integer(1, 100), default: 3, env: 'VTRACER_MAX_ATTEMPTS' },
    { flags: '--grace <seconds>', description: 'on SIGTERM, how long running jobs may finish before they are requeued', parse: integer(0, 3600), default: 20, env: 'VTRACER_GRACE' },
    { flags: '--rate-limit <n>', description: 'requests per minute per API key (default: no limit)', parse: integer(1), env: 'VTRACER_RATE_LIMIT' },
    { flags: '--max-active-jobs <n>', description: 'unfinished jobs per project before 429 (default: no limit)', parse: integer(1), env: 'VTRACER_MAX_ACTIVE_JOBS' },
    { flags: '--auth-failures <n>', description: 'failed logins per minute per client address before 429 (0: no limit)', parse: integer(0), default: 20, env: 'VTRACER_AUTH_FAILURES' },
    { flags: '--request-timeout <seconds>', description: 'time a client has to send a whole request, body included (408 after)', parse: integer(1, 3600), default: 120, env: 'VTRACER_REQUEST_TIMEOUT' },
    { flags: '--disk-reserve <bytes>', description: 'space kept in reserve in the data folder to record job outcomes and deletes on a full disk', parse: integer(0), default: 16 * 1024 * 1024, env: 'VTRACER_DISK_RESERVE' },
    { flags: '--recycle-above-pixels <n>', description: 'replace a tracing worker thread after a trace of more pixels, to give its memory back (0: never)', parse: integer(0), default: 16_000_000, env: 'VTRACER_RECYCLE_ABOVE_PIXELS' },
    { flags: '--upload-ttl <seconds>', description: 'unfinished multipart uploads expire this long after their creation (parts deleted)', parse: integer(1), default: 24 * 3600, env: 'VTRACER_UPLOAD_TTL' },
    { flags: '--metrics-token <token>', description: '/metrics answers only requests with "Authorization: Bearer <token>" (default: open)', env: 'VTRACER_METRICS_TOKEN' },
    { flags: '--db <url>', description: 'distributed mode: PostgreSQL URL for keys, jobs and assets', env: 'DATABASE_URL' },
    { flags: '--redis <url>', description: 'distributed mode: Redis URL for the job queue', env: 'REDIS_URL' },
    { flags: '--no-workers', description: 'distributed mode: API only, tracing left to `vtracer worker` processes (env: VTRACER_NO_WORKERS=1)' },
  ]);
  serve.action(async (opts: ServeFlags, cmd: Command) => {
    if (opts.workers === undefined && /^(1|true|yes|on)$/i.test(process.env.VTRACER_NO_WORKERS ?? '')) opts.workers = false;
    const { defaultConfig, defaultWorkers, MiB } = await import('../config.js');
    const config = {
      ...defaultConfig({ maxImageBytes: opts.maxImageBytes }),
      publicUrl: opts.publicUrl,
      urlTtlSeconds: opts.urlTtl,
      maxImagePixels: opts.maxImagePixels,
      maxPartBytes: Math.min(16 * MiB, opts.maxImageBytes),
      maxActiveJobsPerProject: opts.maxActiveJobs ?? 0,
      rateLimit: opts.rateLimit ? { max: opts.rateLimit, timeWindowMs: 60_000 } : undefined,
      requestTimeoutMs: opts.requestTimeout * 1000,
      uploadTtlMs: opts.uploadTtl * 1000,
      auth: { ...defaultConfig().auth, failedLoginsPerMinute: opts.authFailures },
      metricsToken: opts.metricsToken || undefined,
    };
    const urls = await resolveUrls(opts, cmd);
    if (urls) {
      const { createDistributedService } = await import('../distributed.js');
      const workers = opts.workers === false ? 0 : opts.workers ?? defaultWorkers();
      const service = await createDistributedService({ ...urls, workers, maxAttempts: opts.maxAttempts, shutdownGraceMs: opts.grace * 1000, recycleAbovePixels: opts.recycleAbovePixels, config });
      closeOnSignals(service.app.log, () => service.close());
      await service.listen(opts.port, opts.host);
      return;
    }
    if (opts.workers === false) cmd.error('error: --no-workers needs the distributed mode (--db and --redis)');
    const { createEmbeddedService } = await import('../service.js');
    const service = await createEmbeddedService({
      dataDir: opts.data, workers: opts.workers, maxAttempts: opts.maxAttempts, shutdownGraceMs: opts.grace * 1000,
      diskReserveBytes: opts.diskReserve, recycleAbovePixels: opts.recycleAbovePixels, config,
    });
    closeOnSignals(service.app.log, () => service.close());
    await service.listen(opts.port, opts.host);
  });
}
