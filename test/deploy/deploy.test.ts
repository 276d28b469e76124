/**
 * The deployment files, tested where containers cannot be built: the Dockerfile's final command line and
 * environment run outside a container (the service answers /healthz, the HEALTHCHECK command passes, the
 * metrics token applies, SIGTERM stops it cleanly); the compose file's and the systemd unit's commands,
 * flags and variables checked against the CLI's own definitions.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { createProgram } from '../../src/cli/program.js';
import { loadServerCommands } from '../../src/cli/server-commands.js';
import { flagEnvironment } from '../../src/server/cli/args.js';
import { ROOT, removeDir, tempDir } from '../server/helpers.js';

const run = promisify(execFile);
/** Where the image installs the library; in this repository the same files are at its root. */
const IMAGE_BIN = 'node_modules/vtracer-ts/bin/vtracer.js';
/** Variables the service reads that are not flags (secrets, Node's own). */
const NON_FLAG_VARIABLES = new Set(['NODE_ENV', 'VTRACER_URL_SECRET', 'VTRACER_NO_WORKERS']);

interface Instruction { keyword: string; args: string }

/** The Dockerfile's instructions, continuation lines joined, grouped by stage (one list per FROM). */
function dockerStages(text: string): Instruction[][] {
  const joined = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages: Instruction[][] = [];
  for (const line of joined) {
    const [, keyword, args] = /^(\S+)\s+(.*)$/.exec(line)!;
    if (keyword!.toUpperCase() === 'FROM') stages.push([]);
    stages.at(-1)!.push({ keyword: keyword!.toUpperCase(), args: args!.trim() });
  }
  return stages;
}

function envOf(stage: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of stage) {
    if (keyword !== 'ENV') continue;
    for (const [, key, value] of args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[key!] = value!.replace(/^"|"$/g, '');
  }
  return env;
}

const stages = dockerStages(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const final = stages.at(-1)!;
const one = (keyword: string) => final.filter((i) => i.keyword === keyword).at(-1)?.args;
const CMD = JSON.parse(one('CMD')!) as string[];
const HEALTHCHECK = JSON.parse(one('HEALTHCHECK')!.replace(/^.*?CMD\s+/, '')) as string[];
const IMAGE_ENV = envOf(final);

/** An image command line (`node node_modules/vtracer-ts/bin/vtracer.js …`) as it runs from this repository. */
function localCommand(command: string[]): string[] {
  assert.equal(command[0], 'node', `started by node itself (not npx, which does not forward signals): ${command.join(' ')}`);
  return [process.execPath, ...command.slice(1).map((a) => (a === IMAGE_BIN ? join(ROOT, 'bin', 'vtracer.js') : a))];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The `vtracer` program with the service's subcommands, to check the files' commands against. */
async function program(): Promise<Command> {
  return createProgram({ stdout: process.stdout, stderr: process.stderr }, { exitCode: 0 }, await loadServerCommands());
}

/** Checks `vtracer <sub> --flags…` and its environment against the subcommand's definition. */
function checkCommand(cli: Command, args: string[], env: Record<string, string>, where: string): Command {
  const sub = cli.commands.find((c) => c.name() === args[0]);
  assert.ok(sub, `${where}: vtracer ${args[0]} exists`);
  const longs = new Set(sub.options.map((o) => o.long));
  for (const arg of args.slice(1).filter((a) => a.startsWith('--'))) assert.ok(longs.has(arg.split('=')[0]), `${where}: vtracer ${args[0]} has ${arg}`);
  const variables = new Set(Object.values(flagEnvironment(sub)));
  for (const name of Object.keys(env)) {
    assert.ok(variables.has(name) || NON_FLAG_VARIABLES.has(name), `${where}: ${name} is read by vtracer ${args[0]} (its variables: ${[...variables].join(', ')})`);
  }
  return sub;
}

describe('Dockerfile', () => {
  test('official Node image, production dependencies, non-root user, node as PID 1, a health check on /healthz', () => {
    assert.match(final[0]!.args, /^node:(22|24)[-\w.]*$/);
    for (const stage of stages) assert.match(stage[0]!.args, /^node:(22|24)[-\w.]*( AS \w+)?$/);
    assert.ok(stages.some((s) => s.some((i) => i.keyword === 'RUN' && /npm ci\b/.test(i.args))), 'the build uses npm ci (the lock)');
    assert.ok(stages.some((s) => s.some((i) => i.keyword === 'RUN' && /npm install --omit=dev/.test(i.args))), 'production dependencies only');
    assert.ok(one('USER') && !/^(root|0)$/.test(one('USER')!), 'non-root user');
    assert.deepEqual(CMD.slice(0, 3), ['node', IMAGE_BIN, 'serve']);
    assert.equal(HEALTHCHECK[0], 'node');
    assert.match(HEALTHCHECK.join(' '), /\/healthz/);
    assert.equal(IMAGE_ENV.VTRACER_DATA, '/data');
    assert.equal(one('EXPOSE'), IMAGE_ENV.PORT);
  });

  test('its command line and environment, run outside a container: healthy, metrics behind the token, clean stop on SIGTERM', async (t) => {
    const cli = await program();
    checkCommand(cli, CMD.slice(2), IMAGE_ENV, 'Dockerfile');
    const data = tempDir('vtracer-deploy-');
    t.after(() => removeDir(data));
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, ...IMAGE_ENV, PORT: String(port), VTRACER_DATA: data, VTRACER_METRICS_TOKEN: 'scrape-me' };
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    const [bin, ...args] = localCommand(CMD);
    const proc = spawn(bin!, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const logs: string[] = [];
    proc.stdout.on('data', (c: Buffer) => logs.push(c.toString()));
    proc.stderr.on('data', (c: Buffer) => logs.push(c.toString()));
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    t.after(() => proc.kill('SIGKILL'));
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      assert.ok(i < 600 && proc.exitCode === null, `the service did not become healthy:\n${logs.join('')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // PORT and VTRACER_DATA from the environment (HOST=0.0.0.0 listens on every interface, loopback included).
    assert.match(logs.join(''), new RegExp(`"url":"http://[^"]+:${port}","dataDir":"${data}"`));

    const [hcBin, ...hcArgs] = localCommand(HEALTHCHECK);
    await run(hcBin!, hcArgs, { env }); // rejects on a non-zero exit

    assert.equal((await fetch(`${base}/metrics`)).status, 401);
    assert.equal((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status, 401);
    const metrics = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer scrape-me' } });
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /vtracer_/);

    proc.kill('SIGTERM');
    assert.equal(await exited, 0, `graceful exit on SIGTERM:\n${logs.join('')}`);
    assert.match(logs.join(''), /signal received/);
  });
});

describe('compose.yaml', () => {
  test('API node, workers, migration, PostgreSQL and Redis, with commands, flags and variables the CLI has', async () => {
    const compose = parseYaml(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as {
      services: Record<string, { command?: string[]; environment?: Record<string, string>; ports?: string[]; build?: string; image?: string; deploy?: { replicas?: number } }>;
    };
    const services = compose.services;
    assert.deepEqual(Object.keys(services).sort(), ['api', 'migrate', 'postgres', 'redis', 'worker']);
    assert.match(services.postgres!.image!, /^postgres:/);
    assert.match(services.redis!.image!, /^redis:/);
    const cli = await program();
    const expected: Record<string, string> = { api: 'serve', worker: 'worker', migrate: 'migrate' };
    for (const [name, sub] of Object.entries(expected)) {
      const service = services[name]!;
      assert.equal(service.build, '.', `${name} runs the image of this Dockerfile`);
      assert.deepEqual(service.command!.slice(0, 3), ['node', IMAGE_BIN, sub], `${name}'s command`);
      const env = service.environment ?? {};
      checkCommand(cli, service.command!.slice(2), env, `compose ${name}`);
      assert.match(env.DATABASE_URL ?? '', /^postgres:\/\/[^@]+@postgres:5432\//, `${name} reaches the postgres service`);
      if (name !== 'migrate') assert.equal(env.REDIS_URL, 'redis://redis:6379', `${name} reaches the redis service`);
    }
    assert.ok(services.api!.command!.includes('--no-workers'), 'the API node leaves tracing to the workers');
    assert.deepEqual(services.api!.ports, [`${services.api!.environment!.PORT}:${services.api!.environment!.PORT}`]);
    assert.ok((services.worker!.deploy?.replicas ?? 1) >= 2, 'several workers');
  });
});

describe('systemd unit', () => {
  test('runs the same command with node, as a system user, with variables the CLI reads', async () => {
    const text = readFileSync(join(ROOT, 'deploy', 'vtracer.service'), 'utf8');
    const value = (key: string) => [...text.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1]!);
    const exec = value('ExecStart')[0]!.split(/\s+/);
    assert.match(exec[0]!, /\/node$/);
    assert.ok(exec[1]!.endsWith(`/${IMAGE_BIN}`), exec[1]);
    assert.ok(!/^(root|0)$/.test(value('User')[0]!), 'not root');
    const env = Object.fromEntries(value('Environment').map((e) => e.split('=', 2) as [string, string]));
    checkCommand(await program(), exec.slice(2), env, 'vtracer.service');
    assert.equal(value('KillSignal')[0], 'SIGTERM');
  });
});

describe('every flag of serve and worker has an environment variable', () => {
  test('from --help of the CLI', async () => {
    const cli = await program();
    for (const name of ['serve', 'worker']) {
      const sub = cli.commands.find((c) => c.name() === name)!;
      const env = flagEnvironment(sub);
      const missing = sub.options.filter((o) => o.long && o.long !== '--help' && !env[o.long] && !/\(env: \w+/.test(o.description));
      assert.deepEqual(missing.map((o) => o.long), [], `vtracer ${name}`);
    }
    const serve = flagEnvironment(cli.commands.find((c) => c.name() === 'serve')!);
    assert.equal(serve['--port'], 'PORT');
    assert.equal(serve['--host'], 'HOST');
    assert.equal(serve['--data'], 'VTRACER_DATA');
  });
});
