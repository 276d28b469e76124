/**
 * The scale-out mode's CLI: `vtracer worker` and `vtracer migrate`, and the helpers `serve` and `keys` use when
 * given `--db`/`--redis` (or DATABASE_URL/REDIS_URL). Heavy modules (pg, bullmq, fastify) load lazily.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { Store } from './store/types.js';
import type { DistributedServiceOptions, DistributedUrls } from './distributed.js';

const integer = (min: number, max = Number.MAX_SAFE_INTEGER) => (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got "${value}"`);
  return n;
};

/** Resolves the distributed URLs of a command, exiting with the reason when only one of them is given. */
export async function resolveUrls(flags: { db?: string; redis?: string }, cmd: Command, needRedis = true): Promise<DistributedUrls | null> {
  const { distributedUrls } = await import('./distributed.js');
  if (!needRedis) {
    const databaseUrl = flags.db ?? process.env.DATABASE_URL ?? '';
    if (!databaseUrl) return null;
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) cmd.error(`error: --db: expected a postgres:// URL, got "${databaseUrl}"`);
    return { databaseUrl, redisUrl: '' };
  }
  const urls = distributedUrls(flags);
  if (typeof urls === 'string') cmd.error(`error: ${urls}`);
  return urls as DistributedUrls | null;
}

/** The store of the `keys` commands: PostgreSQL with --db (or DATABASE_URL), else null (the caller opens SQLite). */
export async function openDistributedKeyStore(flags: { db?: string }, cmd: Command): Promise<Store | null> {
  const urls = await resolveUrls(flags, cmd, false);
  if (!urls) return null;
  const { openPostgresStore } = await import('./distributed.js');
  return openPostgresStore(urls.databaseUrl, 2).catch((err: Error) => cmd.error(`error: cannot open ${redact(urls.databaseUrl)}: ${err.message}`));
}

/** A URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

function onSignals(log: { info: (o: object, m: string) => void; warn: (o: object, m: string) => void; error: (o: object, m: string) => void },
  close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'signal received');
    close().then(() => process.exit(0), (err) => {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** `vtracer serve --db … --redis …`: an API node, with in-process workers unless `workers` is 0. */
export async function serveDistributed(options: DistributedServiceOptions & { port: number; host: string }): Promise<void> {
  const { createDistributedService } = await import('./distributed.js');
  const service = await createDistributedService(options);
  onSignals(service.app.log, () => service.close());
  await service.listen(options.port, options.host);
}

export function registerDistributedCommands(program: Command): void {
  program
    .command('worker')
    .description('Run a tracing worker of the distributed mode: takes jobs from Redis, writes results to PostgreSQL (no HTTP)')
    .option('--db <url>', 'PostgreSQL URL (default: DATABASE_URL)')
    .option('--redis <url>', 'Redis URL (default: REDIS_URL)')
    .option('--concurrency <n>', 'jobs traced at once, one worker thread each (default: the number of CPUs)', integer(1, 256))
    .option('--max-attempts <n>', 'starts of a job interrupted by crashes before it fails', integer(1, 100), 3)
    .option('--max-image-pixels <n>', 'largest image decoded, in pixels', integer(1), 100_000_000)
    .option('--grace <seconds>', 'on SIGTERM, how long running jobs may finish before they go back to the queue', integer(0, 3600), 20)
    .action(async (opts: { db?: string; redis?: string; concurrency?: number; maxAttempts: number; maxImagePixels: number; grace: number }, cmd: Command) => {
      const urls = await resolveUrls(opts, cmd);
      if (!urls) cmd.error('error: vtracer worker needs --db postgres://… and --redis redis://… (or DATABASE_URL and REDIS_URL)');
      const { createWorker } = await import('./distributed.js');
      const { defaultWorkers } = await import('./config.js');
      const worker = await createWorker({
        ...urls!, concurrency: opts.concurrency ?? defaultWorkers(), maxAttempts: opts.maxAttempts,
        maxImagePixels: opts.maxImagePixels, shutdownGraceMs: opts.grace * 1000,
      });
      onSignals(worker.log, () => worker.close());
      await worker.start();
    });

  program
    .command('migrate')
    .description('Create or upgrade the PostgreSQL schema of the distributed mode (safe to run again)')
    .option('--db <url>', 'PostgreSQL URL (default: DATABASE_URL)')
    .option('--json', 'print {"from", "to", "applied"} as JSON')
    .action(async (opts: { db?: string; json?: boolean }, cmd: Command) => {
      const urls = await resolveUrls(opts, cmd, false);
      if (!urls) cmd.error('error: vtracer migrate needs --db postgres://… (or DATABASE_URL)');
      const { PostgresStore } = await import('./store/postgres.js');
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
