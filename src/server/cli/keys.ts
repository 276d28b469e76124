/** `vtracer keys create|list|revoke`: the service's API keys, in the data folder or, with --db, PostgreSQL. */
import type { Command } from 'commander';
import { addFlags, type FlagSpec } from './args.js';
import { withCommandStore } from './open-store.js';

const STORE_FLAGS: FlagSpec[] = [
  { flags: '--data <dir>', description: 'data folder of the service', default: './vtracer-data', env: 'VTRACER_DATA' },
  { flags: '--db <url>', description: 'the distributed mode\'s PostgreSQL URL instead of --data', env: 'DATABASE_URL' },
];

interface StoreFlags { data: string; db?: string }

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('Manage the service\'s API keys (in the data folder, or PostgreSQL with --db)');

  const create = keys
    .command('create')
    .description('Create an API key (in a new project unless --project) and print its key and secret once')
    .requiredOption('--name <name>', 'a name for the key (and its new project)')
    .option('--project <id>', 'add the key to this existing project instead of a new one')
    .option('--json', 'print {"apiKey", "apiSecret", "name", "projectId"} as JSON');
  addFlags(create, STORE_FLAGS).action(async (opts: StoreFlags & { name: string; project?: string; json?: boolean }, cmd: Command) => {
    const { createApiKey } = await import('../auth.js');
    await withCommandStore(opts, cmd, false, async ({ store }) => {
      const key = await createApiKey(store, opts.name, opts.project);
      if (opts.json) {
        process.stdout.write(JSON.stringify({ apiKey: key.apiKey, apiSecret: key.apiSecret, name: key.name, projectId: key.projectId }) + '\n');
      } else {
        process.stdout.write(`API key:    ${key.apiKey}\nAPI secret: ${key.apiSecret}\nProject:    ${key.projectId}\n`
          + 'The secret is shown only this once: store it now (only a hash of it is kept).\n');
      }
    });
  });

  const list = keys
    .command('list')
    .description('List the API keys (never their secrets)')
    .option('--json', 'print a JSON array');
  addFlags(list, STORE_FLAGS).action(async (opts: StoreFlags & { json?: boolean }, cmd: Command) => {
    await withCommandStore(opts, cmd, true, async ({ store }) => {
      const rows = (await store.listApiKeys()).map((k) => ({
        apiKey: k.apiKey, name: k.name, projectId: k.projectId, createdAt: k.createdAt, revokedAt: k.revokedAt,
      }));
      if (opts.json) {
        process.stdout.write(JSON.stringify(rows) + '\n');
      } else if (rows.length === 0) {
        process.stdout.write('No API keys. Create one with: vtracer keys create --name NAME\n');
      } else {
        for (const k of rows) {
          process.stdout.write(`${k.apiKey}  ${k.name}  ${k.projectId}  created ${k.createdAt}${k.revokedAt ? `  REVOKED ${k.revokedAt}` : ''}\n`);
        }
      }
    });
  });

  const revoke = keys
    .command('revoke')
    .description('Revoke an API key: its requests answer 401 from now on')
    .argument('<key>', 'the API key to revoke');
  addFlags(revoke, STORE_FLAGS).action(async (key: string, opts: StoreFlags, cmd: Command) => {
    await withCommandStore(opts, cmd, true, async ({ store, where }) => {
      if (!(await store.revokeApiKey(key, new Date().toISOString()))) {
        const existing = await store.getApiKey(key);
        throw new Error(existing ? `key ${key} is already revoked` : `no key ${key} in ${where}`);
      }
      process.stdout.write(`Revoked ${key}\n`);
    });
  });
}
