/**
 * The two packages as a user gets them: what `npm pack` puts in each, and the library installed from its
 * tarball into an empty app (packages pulled, nothing compiled, import, require and the CLI working).
 * Needs the build (npm test builds first) and npm's cache or the registry for the library's 4 dependencies.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVER = join(ROOT, 'packages', 'server');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const rootPkg = readJson(join(ROOT, 'package.json'));
const serverPkg = readJson(join(SERVER, 'package.json'));

/** `npm pack --dry-run` of a folder: the file paths the tarball would hold. */
async function packedFiles(dir: string): Promise<string[]> {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, maxBuffer: 1 << 24 });
  return (JSON.parse(stdout)[0].files as { path: string }[]).map((f) => f.path);
}

describe('package manifests', () => {
  test('the server package depends on the library of the same version and on the ranges the repository develops with', () => {
    assert.equal(serverPkg.version, rootPkg.version);
    assert.equal(serverPkg.dependencies['vtracer-ts'], rootPkg.version);
    assert.deepEqual(serverPkg.engines, rootPkg.engines);
    for (const [name, range] of Object.entries(serverPkg.dependencies)) {
      if (name === 'vtracer-ts') continue;
      assert.equal(range, rootPkg.dependencies[name] ?? rootPkg.devDependencies[name], `${name}: same range in both manifests`);
    }
    const serverOnly = ['fastify', 'better-sqlite3', 'pg', 'bullmq', 'ioredis', 'prom-client', 'pino'];
    for (const name of serverOnly) assert.equal(rootPkg.dependencies[name], undefined, `${name} is not a library dependency`);
    assert.ok(Object.keys(rootPkg.dependencies).every((n: string) => !n.startsWith('@types/')), 'no @types at run time');
  });

  test('no library module imports the server', () => {
    const offenders: string[] = [];
    for (const folder of ['engine', 'io', 'parallel', 'cli']) {
      for (const file of readdirSync(join(ROOT, 'src', folder), { recursive: true }) as string[]) {
        if (!file.endsWith('.ts')) continue;
        const text = readFileSync(join(ROOT, 'src', folder, file), 'utf8');
        if (/(from|import\()\s*['"][^'"]*server\//.test(text)) offenders.push(`${folder}/${file}`);
      }
    }
    assert.deepEqual(offenders, []);
  });
});

describe('packed contents', () => {
  test('the library ships the library, the CLI, its docs and licence, and no server, sources or source maps', async () => {
    const files = await packedFiles(ROOT);
    for (const needed of ['package.json', 'README.md', 'LICENSE', 'bin/vtracer.js', 'dist/src/index.js', 'dist/src/index.d.ts',
      'dist/src/engine/index.js', 'dist/src/parallel/worker.js', 'dist/src/cli/main.js', 'docs/packages.md']) {
      assert.ok(files.includes(needed), `${needed} is packed`);
    }
    assert.deepEqual(files.filter((f) => f.startsWith('dist/src/server') || f.startsWith('src/') || f.endsWith('.map') || f.startsWith('web/')), []);
    // Every relative link of the README points at a packed file (the npm page shows the README).
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\((?!https?:|#)([^)#\s]+)/g)].map((m) => m[1].replace(/^\.\//, '').replace(/\/$/, ''));
    const shipped = (link: string) => files.includes(link) || files.some((f) => f.startsWith(`${link}/`));
    assert.deepEqual(links.filter((l) => !shipped(l)), [],
      'README links to files the package does not ship: add them to "files" in package.json, or link absolutely');
  });

  test('the server package ships the compiled server and the web page', async () => {
    assert.ok(existsSync(join(SERVER, 'dist', 'commands.js')), 'npm run build assembled packages/server');
    const files = await packedFiles(SERVER);
    for (const needed of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/commands.js', 'dist/app.js', 'web/dist/index.html']) {
      assert.ok(files.includes(needed), `${needed} is packed`);
    }
    assert.deepEqual(files.filter((f) => f.endsWith('.map') || f.startsWith('src/')), []);
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      const text = readFileSync(join(SERVER, file), 'utf8');
      assert.doesNotMatch(text, /from '\.\.\/(\.\.\/)?(engine|io|parallel|cli)\//, `${file} reaches into the library by path`);
    }
  });
});

describe('the library installed from its tarball into an empty app', () => {
  let app: string;
  before(async () => {
    app = await mkdtemp(join(tmpdir(), 'vtracer-app-'));
    await run('npm', ['pack', '--ignore-scripts', '--pack-destination', app], { cwd: ROOT });
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', `./vtracer-ts-${rootPkg.version}.tgz`], { cwd: app, timeout: 240_000 });
    await copyFile(join(ROOT, 'test', 'fixtures', 'logo.png'), join(app, 'logo.png'));
  });
  after(async () => {
    if (app) await rm(app, { recursive: true, force: true });
  });

  test('at most 20 packages, none compiled from source', async () => {
    const { stdout } = await run('npm', ['ls', '--all', '--parseable'], { cwd: app });
    const packages = stdout.trim().split('\n').slice(1);
    assert.ok(packages.length <= 20, `${packages.length} packages: ${packages.map((p) => p.slice(app.length)).join(' ')}`);
    for (const name of ['fastify', 'better-sqlite3', 'pg', 'bullmq']) assert.ok(!existsSync(join(app, 'node_modules', name)), `${name} not installed`);
    const built = packages.filter((p) => existsSync(join(p, 'build', 'Release')));
    assert.deepEqual(built, [], 'no node-gyp build');
  });

  test('import, require, and the vtracer command work; the service commands say how to get them', async () => {
    const esm = await run(process.execPath, ['--input-type=module', '-e',
      "import { trace } from 'vtracer-ts'; const svg = await trace('logo.png'); process.stdout.write(svg.slice(0, 4) + ' ' + /<path/.test(svg));"], { cwd: app });
    assert.equal(esm.stdout, '<svg true');
    const cjs = await run(process.execPath, ['-e',
      "const v = require('vtracer-ts'); process.stdout.write(typeof v.traceRgba + ' ' + typeof require('vtracer-ts/engine').traceRgba);"], { cwd: app });
    assert.equal(cjs.stdout, 'function function');
    const bin = join(app, 'node_modules', '.bin', 'vtracer');
    await run(bin, ['logo.png', 'logo.svg'], { cwd: app });
    assert.match(readFileSync(join(app, 'logo.svg'), 'utf8'), /^<svg [^>]*viewBox/);
    await assert.rejects(run(bin, ['serve', '--port', '0'], { cwd: app }),
      (e: { code: number; stderr: string }) => e.code === 2 && /npm install vtracer-ts-server/.test(e.stderr));
  });
});
