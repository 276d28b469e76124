/**
 * The one place where a command opens the service's store: PostgreSQL with --db (or DATABASE_URL), the data
 * folder's SQLite database otherwise; with a description of where it is, for messages.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Store } from '../store/types.js';
import type { DistributedUrls } from '../distributed.js';

export interface OpenedStore {
  store: Store;
  /** "the data folder ./d" or "the database postgres://u:***@host/db": where the keys are. */
  where: string;
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

/**
 * The distributed mode's URLs of a command (flags, else DATABASE_URL/REDIS_URL), or null for the embedded
 * mode; exits with the reason when they are incomplete or malformed. `needRedis: false` for the commands that
 * only touch PostgreSQL.
 */
export async function resolveUrls(flags: { db?: string; redis?: string }, cmd: Command, needRedis = true): Promise<DistributedUrls | null> {
  const { distributedUrls } = await import('../distributed.js');
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

/**
 * Opens the store of the `keys` commands. `existing`: the data folder must already hold a database (a
 * command that reads keys from a folder without one was almost surely given the wrong folder).
 */
export async function openCommandStore(flags: { db?: string; data: string }, cmd: Command, existing: boolean): Promise<OpenedStore> {
  const urls = await resolveUrls(flags, cmd, false);
  if (urls) {
    const { openPostgresStore } = await import('../distributed.js');
    const where = `the database ${redact(urls.databaseUrl)}`;
    const store = await openPostgresStore(urls.databaseUrl, 2).catch((err: Error) => cmd.error(`error: cannot open ${where}: ${err.message}`));
    return { store, where };
  }
  const { DB_FILE, openStore } = await import('../service.js');
  if (existing && !existsSync(join(flags.data, DB_FILE))) {
    throw new Error(`no service data in ${flags.data} (no ${DB_FILE}); pass --data DIR of the service, or --db URL`);
  }
  return { store: openStore(flags.data), where: `the data folder ${flags.data}` };
}

/** Opens the store of a `keys` command, runs `use` on it, and closes it whatever happens. */
export async function withCommandStore<T>(flags: { db?: string; data: string }, cmd: Command, existing: boolean,
  use: (opened: OpenedStore) => Promise<T>): Promise<T> {
  const opened = await openCommandStore(flags, cmd, existing);
  try {
    return await use(opened);
  } finally {
    await opened.store.close();
  }
}
