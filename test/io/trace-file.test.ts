import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { traceRgba } from '../../src/engine/index.js';
import { decodeImage } from '../../src/io/decode.js';
import { trace, traceFile } from '../../src/io/trace-file.js';
import { sharedPool } from '../../src/parallel/shared.js';

const HORSE = fileURLToPath(new URL('../fixtures/horse.png', import.meta.url));
const EMOJI = fileURLToPath(new URL('../fixtures/emoji-1f34e.png', import.meta.url));

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vtracer-tracefile-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('trace(path) and trace(bytes) give the SVG of traceRgba on the decoded pixels', async () => {
  const options = { preset: 'poster' as const, filterSpeckle: 8 };
  const expected = traceRgba(await decodeImage(EMOJI), options);
  assert.match(expected, /^<svg[^>]* width="512" height="512"/);
  assert.equal(await trace(EMOJI, options), expected);
  assert.equal(await trace(await readFile(EMOJI), options), expected);
});

test('options are validated before the input is read', async () => {
  // The input does not exist: the option error must win, without touching the file system.
  await assert.rejects(trace(join(dir, 'missing.png'), { colorPrecision: 9 }), {
    name: 'OptionError', option: 'colorPrecision', message: 'colorPrecision must be an integer from 1 to 8, got 9',
  });
  await assert.rejects(traceFile(join(dir, 'missing.png'), join(dir, 'out.svg'), { mode: 'curvy' as never }), { name: 'OptionError', option: 'mode' });
  await assert.rejects(trace(join(dir, 'missing.png')), { name: 'DecodeError', code: 'FILE_NOT_FOUND' });
});

test('traceFile writes the SVG and leaves no temporary file', async () => {
  const out = join(dir, 'horse.svg');
  await traceFile(HORSE, out, { colorMode: 'binary' });
  const svg = await readFile(out, 'utf8');
  assert.equal(svg, traceRgba(await decodeImage(HORSE), { colorMode: 'binary' }));
  assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.tmp')), []);
});

test('a failing traceFile leaves the previous output untouched and no temporary file', async () => {
  const bad = join(dir, 'bad.png');
  await writeFile(bad, 'not an image');
  const out = join(dir, 'kept.svg');
  await writeFile(out, '<svg>previous</svg>');
  await assert.rejects(traceFile(bad, out), { name: 'DecodeError', code: 'UNSUPPORTED_IMAGE' });
  assert.equal(await readFile(out, 'utf8'), '<svg>previous</svg>');
  const missingDir = join(dir, 'no', 'such', 'dir', 'x.svg');
  await assert.rejects(traceFile(HORSE, missingDir), { code: 'ENOENT' });
  assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.tmp')), []);
});

test('trace runs on the shared worker pool by default, in this thread with thread: "main"', async () => {
  const pool = sharedPool();
  const before = pool.stats().completed;
  const expected = traceRgba(await decodeImage(HORSE), { mode: 'polygon' });
  assert.equal(await trace(HORSE, { mode: 'polygon' }), expected);
  assert.equal(pool.stats().completed, before + 1, 'traced by a worker');
  assert.equal(await trace(HORSE, { mode: 'polygon' }, { thread: 'main' }), expected);
  assert.equal(pool.stats().completed, before + 1, 'not by a worker');
  await assert.rejects(trace(HORSE, {}, { thread: 'gpu' as never }), { name: 'OptionError', option: 'thread', message: 'thread must be "worker" or "main", got "gpu"' });
});

test('on the worker: per-call pixel limit, progress, and an AbortSignal cross the thread boundary', async () => {
  await assert.rejects(trace(EMOJI, {}, { limitInputPixels: 1000 }), { name: 'DecodeError', code: 'IMAGE_TOO_LARGE' });
  const fractions: number[] = [];
  await trace(EMOJI, { onProgress: (f) => fractions.push(f) });
  assert.ok(fractions.length > 1 && fractions.at(-1) === 1, `progress ends at 1: ${fractions.join(' ')}`);
  const controller = new AbortController();
  await assert.rejects(trace(EMOJI, { signal: controller.signal, onProgress: () => controller.abort() }), { name: 'AbortError' });
  await assert.rejects(trace(EMOJI, { signal: AbortSignal.abort() }), { name: 'AbortError' });
  // A signal-like object that is not an AbortSignal cannot cross threads: it is honoured in this thread.
  await assert.rejects(trace(EMOJI, { signal: { aborted: true } }), { name: 'AbortError' });
});

test('the shared pool does not keep a process alive: a script that traced exits on its own', async () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const script = `import { trace } from './src/index.ts'; const svg = await trace(${JSON.stringify(HORSE)}); console.log(svg.length > 100);`;
  // No close(), no process.exit(): if a worker stayed referenced, the child would never exit and the timeout would kill it.
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, timeout: 120_000 });
  assert.equal(stdout.trim(), 'true');
});
