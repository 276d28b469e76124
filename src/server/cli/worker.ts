/** The distributed mode's own commands: `vtracer worker` (tracing, no HTTP) and `vtracer migrate`. */
import type { Command } from 'commander';
import { addFlags, integer } from './args.js';
import { redact, resolveUrls } from './open-store.js';
import { closeOnSignals } from './signals.js';

export function registerWorker(program: Command): void {
  const worker = program
    .command('worker')
    .description('Run a tracing worker of the distributed mode: takes jobs from Redis, writes results to PostgreSQL (no HTTP)');
  addFlags(worker, [
    { flags: '--db <url>', description: 'PostgreSQL URL', env: 'DATABASE_URL' },
    { flags: '--redis <url>', description: 'Redis URL', env: 'REDIS_URL' },
    { flags: '--concurrency <n>', description: 'jobs traced at once, one worker thread each (default: the number of CPUs)', parse: integer(1, 256), env: 'VTRACER_CONCURRENCY' },
    { flags: '--max-attempts <n>', description: 'starts of a job interrupted by crashes before it fails', parse: integer(1, 100), default: 3, env: 'VTRACER_MAX_ATTEMPTS' },
    { flags: '--max-image-pixels <n>', description: 'largest image decoded, in pixels', parse: integer(1), default: 100_000_000, env: 'VTRACER_MAX_IMAGE_PIXELS' },
    { flags: '--grace <seconds>', description: 'on SIGTERM, how long running jobs may finish before they go back to the queue', parse: integer(0, 3600), default: 20, env: 'VTRACER_GRACE' },
    { flags: '--backend-timeout <seconds>', description: 'exit 1 (for a supervisor to restart it) when Redis or PostgreSQL stay unreachable this long; 0: never', parse: integer(0, 86_400), default: 120, env: 'VTRACER_BACKEND_TIMEOUT' },
  ]);
  worker.action(async (opts: { db?: string; redis?: string; concurrency?: number; maxAttempts: number; maxImagePixels: number; grace: number; backendTimeout: number }, cmd: Command) => {
    const urls = await resolveUrls(opts, cmd);
    if (!urls) cmd.error('error: vtracer worker needs --db postgres://… and --redis redis://… (or DATABASE_URL and REDIS_URL)');
    const { createWorker } = await import('../distributed.js');
    const { defaultWorkers } = await import('../config.js');
    const process_ = await createWorker({
      ...urls!, concurrency: opts.concurrency ?? defaultWorkers(), maxAttempts: opts.maxAttempts,
      maxImagePixels: opts.maxImagePixels, shutdownGraceMs: opts.grace * 1000,
      backendTimeoutMs: opts.backendTimeout * 1000,
      onBackendsLost: (names, seconds) => {
        process_.log.error({ backends: names, seconds }, `${names.join(' and ')} unreachable for ${seconds} s: exiting so that a supervisor restarts this worker`);
        const exit = () => process.exit(1);
        setTimeout(exit, opts.grace * 1000 + 10_000).unref();
        process_.close().then(exit, exit);
      },
    });
    // Bounded even when Redis or PostgreSQL do not answer: the grace, then a few seconds to requeue.
    closeOnSignals(process_.log, () => process_.close(), opts.grace * 1000 + 10_000);
    await process_.start();
  });

  const migrate = program
    .command('migrate')
    .description('Create or upgrade the PostgreSQL schema of the distributed mode (safe to run again)')
    .option('--json', 'print {"from", "to", "applied"} as JSON');
  addFlags(migrate, [{ flags: '--db <url>', description: 'PostgreSQL URL', env: 'DATABASE_URL' }]);
  migrate.action(async (opts: { db?: string; json?: boolean }, cmd: Command) => {
    const urls = await resolveUrls(opts, cmd, false);
    if (!urls) cmd.error('error: vtracer migrate needs --db postgres://… (or DATABASE_URL)');
    const { PostgresStore } = await import('../store/postgres.js');
    const store = new PostgresStore(urls!.databaseUrl, { poolSize: 1 });
    try {
      const result = await store.migrate().catch((err: Error) => cmd.error(`error: migration of ${redact(urls!.databaseUrl)} failed: ${err.message}`));
      if (opts.json) {
        process.stdout.write(JSON.stringify(result) + '\n');
      } else if (result.applied.length === 0) {
        process.stdout.write(`Schema is up to date (version ${result.to}).\n`);
      } else {
        process.stdout.write(`Migrated from version ${result.from} to ${result.to}:\n${result.applied.map((a) => `  ${a}\n`).join('')}`);
      }
    } finally {
      await store.close();
    }
  });
}
