/** The CLI program in-process: subcommands beside the default trace command, argument helpers. */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { traceRgba } from '../../src/engine/index.js';
import { decodeImage } from '../../src/io/decode.js';
import { UsageError } from '../../src/cli/errors.js';
import { parseNumber, traceOptionsFromFlags } from '../../src/cli/flags.js';
import { expandInputs, planOutputs } from '../../src/cli/inputs.js';
import { createProgram } from '../../src/cli/program.js';
import { loadServerCommands } from '../../src/cli/server-commands.js';
import type { CliIo } from '../../src/cli/program.js';

const HORSE = fileURLToPath(new URL('../fixtures/horse.png', import.meta.url));

function memoryIo(): CliIo & { text: () => string } {
  const chunks: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  const io = stream as unknown as NodeJS.WriteStream;
  return { stdout: io, stderr: io, text: () => chunks.join('') };
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vtracer-program-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('program', () => {
  test('a subcommand runs as such, and positional inputs still trace (options do not leak between them)', async () => {
    const io = memoryIo();
    const state = { exitCode: -1 };
    const program = createProgram(io, state);
    assert.ok(program.commands.some((c) => c.name() === 'serve'), 'the service\'s `serve` subcommand is registered');
    let dummy: Record<string, unknown> | null = null;
    program.command('dummy').option('-p, --port <n>').action((opts: Record<string, unknown>) => {
      dummy = opts;
    });
    await program.parseAsync(['dummy', '-p', '8080'], { from: 'user' });
    assert.deepEqual(dummy, { port: '8080' });
    assert.equal(state.exitCode, -1, 'the trace command did not run');

    const out = join(dir, 'horse.svg');
    const second = { exitCode: -1 };
    await createProgram(memoryIo(), second).parseAsync([HORSE, out, '-p', '3'], { from: 'user' });
    assert.equal(second.exitCode, 0);
    assert.equal(await readFile(out, 'utf8'), traceRgba(await decodeImage(HORSE), { colorPrecision: 3 }));
  });

  test('without the server package, the service subcommands say how to install it; with it, they are the real ones', async () => {
    const bare = createProgram(memoryIo(), { exitCode: -1 });
    await assert.rejects(bare.parseAsync(['serve', '--port', '3000'], { from: 'user' }),
      (e: Error) => e instanceof UsageError && /vtracer serve is part of the service package.*npm install vtracer-ts-server/.test(e.message));
    await assert.rejects(bare.parseAsync(['keys', 'list'], { from: 'user' }), /npm install vtracer-ts-server/);

    const register = await loadServerCommands();
    assert.ok(register, 'this repository has the server beside the CLI');
    const full = createProgram(memoryIo(), { exitCode: -1 }, register);
    const serve = full.commands.find((c) => c.name() === 'serve');
    assert.ok(serve?.options.some((o) => o.long === '--port'), 'the real `serve` has its flags');
  });
});

describe('argument helpers', () => {
  test('numbers are parsed strictly', () => {
    assert.equal(parseNumber('--x', '42'), 42);
    assert.equal(parseNumber('--x', '-1.5'), -1.5);
    assert.equal(parseNumber('--x', '.5'), 0.5);
    assert.equal(parseNumber('--x', '1e2'), 100);
    for (const bad of ['', ' 5', '5 ', '0x10', '1,5', 'Infinity', 'NaN', '4px', '--4', '1e']) {
      assert.throws(() => parseNumber('--x', bad), (e: unknown) => e instanceof UsageError && e.message.startsWith('--x: expected a number'), bad);
    }
  });

  test('flags map to TraceOptions; a preset stays overridable', () => {
    assert.deepEqual(traceOptionsFromFlags({ preset: 'photo', corner_threshold: '30', colormode: 'bw', filterSpeckle: '2' }), {
      preset: 'photo', cornerThreshold: 30, colorMode: 'binary', filterSpeckle: 2,
    });
    assert.deepEqual(traceOptionsFromFlags({}), {});
    assert.throws(() => traceOptionsFromFlags({ max_iterations: '0' }), {
      name: 'UsageError', message: '--max_iterations: maxIterations must be an integer from 1 to 50, got 0',
    });
  });

  test('output names: name.svg, with the extension kept on a clash, then a number', () => {
    assert.deepEqual(planOutputs(['a/x.png', 'b/y.jpg'], 'out'), [join('out', 'x.svg'), join('out', 'y.svg')]);
    assert.deepEqual(planOutputs(['a/x.png', 'a/x.jpg'], 'out'), [join('out', 'x.png.svg'), join('out', 'x.jpg.svg')]);
    assert.deepEqual(planOutputs(['a/x.png', 'b/x.png'], 'out'), [join('out', 'x.png.svg'), join('out', 'x.png-2.svg')]);
    assert.deepEqual(planOutputs(['a/x.png'], null), [join('a', 'x.svg')]);
  });

  test('inputs: folder contents (images only, sorted), globs, explicit files kept, problems reported', async () => {
    const folder = join(dir, 'imgs');
    await mkdir(folder);
    for (const name of ['b.png', 'a.JPG', 'c.txt', 'd.webp']) await writeFile(join(folder, name), 'x');
    await mkdir(join(folder, 'sub.png')); // a folder with an image-like name is not a file
    const { files, problems } = await expandInputs([folder, join(folder, '*.webp'), join(folder, 'c.txt'), join(folder, 'b.png'), join(dir, 'none', '*.png')]);
    assert.deepEqual(files, [join(folder, 'a.JPG'), join(folder, 'b.png'), join(folder, 'd.webp'), join(folder, 'c.txt')]);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /no images match/);
  });
});
