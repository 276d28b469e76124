import { InvalidArgumentError, type Command } from 'commander';
import { registerDistributedCommands } from './worker-command.js';

/**
 * Registers the service's subcommands (`serve`, `keys ...`) on the CLI program. Owned by the server module;
 * the CLI calls it so that `vtracer serve` and `vtracer keys ...` live beside the trace command. The server
 * modules are imported lazily, so tracing from the CLI does not load Fastify or SQLite.
 */
export function registerServerCommands(program: Command): void {
  const integer = (min: number, max = Number.MAX_SAFE_INTEGER) => (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got "${value}"`);
    return n;
  };
  const url = (value: string): string => {
    try {
      const u = new URL(value);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
      return value.replace(/\/+$/, '');
    } catch {
      throw new InvalidArgumentError(`expected an http(s) URL, got "${value}"`);
    }
  };

  program
    .command('serve')
    .description('Run the HTTP service (Scenario-compatible VTracer API under /v1, the web page at /)')
    .option('--port <n>', 'port to listen on (0: any free port)', integer(0, 65535), 3000)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--data <dir>', 'data folder: database, files, URL signing secret', './vtracer-data')
    .option('--public-url <url>', 'base of signed asset URLs (default: from each request\'s Host header)', url)
    .option('--workers <n>', 'tracing worker threads (default: the number of CPUs)', integer(1, 256))
    .option('--url-ttl <seconds>', 'lifetime of signed asset URLs', integer(1, 7 * 24 * 3600), 3600)
    .option('--max-image-bytes <n>', 'largest image accepted, in bytes (413 above)', integer(1), 32 * 1024 * 1024)
    .option('--max-image-pixels <n>', 'largest image accepted, in pixels (413 above)', integer(1), 100_000_000)
    .option('--max-attempts <n>', 'starts of a job interrupted by crashes before it fails', integer(1, 100), 3)
    .option('--grace <seconds>', 'on SIGTERM, how long running jobs may finish before they are requeued', integer(0, 3600), 20)
    .option('--rate-limit <n>', 'requests per minute per API key (default: no limit)', integer(1))
    .option('--max-active-jobs <n>', 'unfinished jobs per project before 429 (default: no limit)', integer(1))
    .option('--auth-failures <n>', 'failed logins per minute per client address before 429 (0: no limit)', integer(0), 20)
    .option('--disk-reserve <bytes>', 'space kept in reserve in the data folder to record job outcomes and deletes on a full disk', integer(0), 16 * 1024 * 1024)
    .option('--upload-ttl <seconds>', 'unfinished multipart uploads expire this long after their creation (parts deleted)', integer(1), 24 * 3600)
    .option('--request-timeout <seconds>', 'time a client has to send a whole request, body included (408 after)', integer(1, 3600), 120)
    .option('--db <url>', 'distributed mode: PostgreSQL URL for keys, jobs and assets (default: DATABASE_URL)')
    .option('--redis <url>', 'distributed mode: Redis URL for the job queue (default: REDIS_URL)')
    .option('--no-workers', 'distributed mode: API only, tracing left to `vtracer worker` processes')
    .action(async (opts: {
      port: number; host: string; data: string; publicUrl?: string; workers?: number | false; urlTtl: number;
      maxImageBytes: number; maxImagePixels: number; maxAttempts: number; grace: number; rateLimit?: number;
      maxActiveJobs?: number; requestTimeout: number; authFailures: number; diskReserve: number; uploadTtl: number; db?: string; redis?: string;
    }, cmd: Command) => {
      const { createEmbeddedService } = await import('./service.js');
      const { defaultConfig, defaultWorkers, MiB } = await import('./config.js');
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
      };
      // Distributed mode (scale-out): --db/--redis or DATABASE_URL/REDIS_URL; see worker-command.ts.
      const { resolveUrls, serveDistributed } = await import('./worker-command.js');
      const urls = await resolveUrls(opts, cmd);
      if (urls) {
        const workers = opts.workers === false ? 0 : opts.workers ?? defaultWorkers();
        await serveDistributed({ ...urls, port: opts.port, host: opts.host, workers, maxAttempts: opts.maxAttempts, shutdownGraceMs: opts.grace * 1000, config });
        return;
      }
      if (opts.workers === false) cmd.error('error: --no-workers needs the distributed mode (--db and --redis)');
      const service = await createEmbeddedService({
        dataDir: opts.data,
        workers: opts.workers,
        maxAttempts: opts.maxAttempts,
        shutdownGraceMs: opts.grace * 1000,
        diskReserveBytes: opts.diskReserve,
        config,
      });
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) {
          service.app.log.warn({ signal }, 'second signal: exiting now');
          process.exit(1);
        }
        stopping = true;
        service.app.log.info({ signal }, 'signal received');
        service.close().then(() => process.exit(0), (err) => {
          service.app.log.error({ err }, 'shutdown failed');
          process.exit(1);
        });
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
      await service.listen(opts.port, opts.host);
    });

  /** For commands that read existing keys: a data folder without a database is almost surely a typo. */
  const existingData = async (dir: string): Promise<void> => {
    const { existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { DB_FILE } = await import('./service.js');
    if (!existsSync(join(dir, DB_FILE))) throw new Error(`no service data in ${dir} (no ${DB_FILE}); pass --data DIR of the service`);
  };

  const keys = program.command('keys').description('Manage the service\'s API keys (stored in the data folder)');

  keys
    .command('create')
    .description('Create an API key (in a new project unless --project) and print its key and secret once')
    .requiredOption('--name <name>', 'a name for the key (and its new project)')
    .option('--data <dir>', 'data folder of the service', './vtracer-data')
    .option('--project <id>', 'add the key to this existing project instead of a new one')
    .option('--json', 'print {"apiKey", "apiSecret", "name", "projectId"} as JSON')
    .option('--db <url>', 'the distributed mode\'s PostgreSQL URL instead of --data (default: DATABASE_URL)')
    .action(async (opts: { name: string; data: string; project?: string; json?: boolean; db?: string }, cmd: Command) => {
      const { openStore } = await import('./service.js');
      const { createApiKey } = await import('./auth.js');
      const { openDistributedKeyStore } = await import('./worker-command.js');
      const store = (await openDistributedKeyStore(opts, cmd)) ?? openStore(opts.data);
      try {
        const key = await createApiKey(store, opts.name, opts.project);
        if (opts.json) {
          process.stdout.write(JSON.stringify({ apiKey: key.apiKey, apiSecret: key.apiSecret, name: key.name, projectId: key.projectId }) + '\n');
        } else {
          process.stdout.write(`API key:    ${key.apiKey}\nAPI secret: ${key.apiSecret}\nProject:    ${key.projectId}\n`
            + 'The secret is shown only this once: store it now (only a hash of it is kept).\n');
        }
      } finally {
        await store.close();
      }
    });

  keys
    .command('list')
    .description('List the API keys (never their secrets)')
    .option('--data <dir>', 'data folder of the service', './vtracer-data')
    .option('--json', 'print a JSON array')
    .option('--db <url>', 'the distributed mode\'s PostgreSQL URL instead of --data (default: DATABASE_URL)')
    .action(async (opts: { data: string; json?: boolean; db?: string }, cmd: Command) => {
      const { openDistributedKeyStore } = await import('./worker-command.js');
      const pgStore = await openDistributedKeyStore(opts, cmd);
      if (!pgStore) await existingData(opts.data);
      const { openStore } = await import('./service.js');
      const store = pgStore ?? openStore(opts.data);
      try {
        const list = (await store.listApiKeys()).map((k) => ({
          apiKey: k.apiKey, name: k.name, projectId: k.projectId, createdAt: k.createdAt, revokedAt: k.revokedAt,
        }));
        if (opts.json) {
          process.stdout.write(JSON.stringify(list) + '\n');
        } else if (list.length === 0) {
          process.stdout.write('No API keys. Create one with: vtracer keys create --name NAME\n');
        } else {
          for (const k of list) {
            process.stdout.write(`${k.apiKey}  ${k.name}  ${k.projectId}  created ${k.createdAt}${k.revokedAt ? `  REVOKED ${k.revokedAt}` : ''}\n`);
          }
        }
      } finally {
        await store.close();
      }
    });

  keys
    .command('revoke')
    .description('Revoke an API key: its requests answer 401 from now on')
    .argument('<key>', 'the API key to revoke')
    .option('--data <dir>', 'data folder of the service', './vtracer-data')
    .option('--db <url>', 'the distributed mode\'s PostgreSQL URL instead of --data (default: DATABASE_URL)')
    .action(async (key: string, opts: { data: string; db?: string }, cmd: Command) => {
      const { openDistributedKeyStore } = await import('./worker-command.js');
      const pgStore = await openDistributedKeyStore(opts, cmd);
      if (!pgStore) await existingData(opts.data);
      const { openStore } = await import('./service.js');
      const store = pgStore ?? openStore(opts.data);
      try {
        if (!(await store.revokeApiKey(key, new Date().toISOString()))) {
          const existing = await store.getApiKey(key);
          throw new Error(existing ? `key ${key} is already revoked` : `no key ${key} in ${opts.data}`);
        }
        process.stdout.write(`Revoked ${key}\n`);
      } finally {
        await store.close();
      }
    });

  // The distributed mode's own commands: `vtracer worker`, `vtracer migrate` (worker-command.ts).
  registerDistributedCommands(program);
}
