import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { traceRgba } from '../../src/engine/index.js';
import { decodeImage } from '../../src/io/decode.js';
import { trace, traceFile } from '../../src/io/trace-file.js';

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
