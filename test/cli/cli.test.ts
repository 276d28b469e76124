/**
 * The CLI end to end, through the built launcher `bin/vtracer.js` (npm test builds dist/ first), in a child
 * process like a user would run it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { exportVector, OPTION_SPECS, traceRgba } from '../../src/engine/index.js';
import type { TraceOptions } from '../../src/engine/index.js';
import { decodeImage } from '../../src/io/decode.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'vtracer.js');
const HORSE = join(ROOT, 'test', 'fixtures', 'horse.png');
const EMOJI = join(ROOT, 'test', 'fixtures', 'emoji-1f34e.png');

function vtracer(args: string[], cwd?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function expectedSvg(path: string, options: TraceOptions = {}): Promise<string> {
  return traceRgba(await decodeImage(path), options);
}

/** stderr is exactly one line, an `error:` line, without a stack trace. */
function assertOneErrorLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `one line expected on stderr, got:\n${stderr}`);
  assert.match(lines[0], /^error: /);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(stderr, /\n\s+at /);
}

let dir: string;
before(async () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')), 'dist/ is built (npm run build; npm test does it)');
  dir = await mkdtemp(join(tmpdir(), 'vtracer-cli-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('vtracer CLI', () => {
  test('--help lists every parameter flag with its range and default, and the batch flags', () => {
    const { code, stdout: help } = vtracer(['--help']);
    assert.equal(code, 0);
    const stdout = help.replace(/\s+/g, ' '); // commander wraps descriptions to the terminal width
    for (const spec of OPTION_SPECS) {
      const short = spec.cliShort ? `-${spec.cliShort}, ` : '';
      assert.ok(stdout.includes(`${short}--${spec.cliFlag} `), `--${spec.cliFlag} in --help`);
      if (spec.kind !== 'boolean' && spec.kind !== 'palette') {
        assert.ok(stdout.includes(`default ${spec.default}`), `default of ${spec.name}`);
      }
    }
    for (const flag of ['-i, --input', '-o, --output', '--preset', '-j, --jobs', '--verbose', '--version']) {
      assert.ok(stdout.includes(flag), `${flag} in --help`);
    }
    assert.match(stdout, /integer 1–8, default 6/);
    assert.match(stdout, /color\|binary\|bw/);
  });

  test('--version prints the package version', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const { code, stdout } = vtracer(['--version']);
    assert.equal(code, 0);
    assert.equal(stdout.trim(), pkg.version);
  });

  test('on a Node that cannot require() ES modules: one line naming the Node needed and the one running, exit 1', () => {
    // This Node can (the suite runs on supported ones); the flag takes that away, as an older Node lacks it.
    const result = spawnSync(process.execPath, ['--no-experimental-require-module', BIN, '--version'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 1, result.stdout + result.stderr);
    assert.equal(result.stdout, '', 'the CLI did not run');
    const lines = result.stderr.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, /^vtracer: needs Node\.js 22\.12 or later, one that can require\(\) ES modules .*; this is Node\.js v\d+\.\d+\.\d+$/);
    assert.ok(lines[0]!.endsWith(`this is Node.js ${process.version}`), lines[0]);
  });

  test('-i/-o with upstream flags (snake and kebab case) gives the library\'s SVG for the same options', async () => {
    const out = join(dir, 'horse-bw.svg');
    const { code, stderr } = vtracer(['-i', HORSE, '-o', out, '--colormode', 'bw', '--mode', 'polygon', '-p', '3', '--filter-speckle', '2']);
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
    const expected = await expectedSvg(HORSE, { colorMode: 'binary', mode: 'polygon', colorPrecision: 3, filterSpeckle: 2 });
    assert.equal(await readFile(out, 'utf8'), expected);
    // The same through the other spelling of each flag.
    const out2 = join(dir, 'horse-bw2.svg');
    assert.equal(vtracer(['--input', HORSE, '--output', out2, '--colormode', 'binary', '-m', 'polygon', '--color_precision', '3', '-f', '2']).code, 0);
    assert.equal(await readFile(out2, 'utf8'), expected);
  });

  test('boolean and list parameters: --invert / --no-invert, --palette a,b', async () => {
    const out = join(dir, 'horse-inverted.svg');
    const run = vtracer([HORSE, out, '--colormode', 'bw', '--invert', '--binary_threshold', '100']);
    assert.equal(run.code, 0, run.stderr);
    const inverted = await expectedSvg(HORSE, { colorMode: 'binary', invert: true, binaryThreshold: 100 });
    assert.equal(await readFile(out, 'utf8'), inverted);
    assert.notEqual(inverted, await expectedSvg(HORSE, { colorMode: 'binary', binaryThreshold: 100 }));
    const off = vtracer([HORSE, '-o', '-', '--colormode', 'bw', '--no-invert', '--binary-threshold', '100']);
    assert.equal(off.stdout, await expectedSvg(HORSE, { colorMode: 'binary', invert: false, binaryThreshold: 100 }));
    const palette = vtracer([EMOJI, '-o', '-', '--palette', '#000000, #FF0000,#ffffff']);
    assert.equal(palette.code, 0, palette.stderr);
    assert.equal(palette.stdout, await expectedSvg(EMOJI, { palette: ['#000000', '#ff0000', '#ffffff'] }));
    const bad = vtracer([EMOJI, '-o', '-', '--palette', '#000000,red']);
    assert.equal(bad.code, 2);
    assertOneErrorLine(bad.stderr, /^error: --palette: palette\[1\] must be a colour written #rrggbb, got "red"$/);
  });

  test('positional form `vtracer in.png out.svg`, a preset with an override, and stdout', async () => {
    const out = join(dir, 'apple.svg');
    const { code, stderr } = vtracer([EMOJI, out, '--preset', 'photo', '--corner_threshold', '30']);
    assert.equal(code, 0, stderr);
    const expected = await expectedSvg(EMOJI, { preset: 'photo', cornerThreshold: 30 });
    assert.equal(await readFile(out, 'utf8'), expected);
    const piped = vtracer([EMOJI, '-o', '-', '--preset', 'photo', '--corner-threshold', '30']);
    assert.equal(piped.code, 0);
    assert.equal(piped.stdout, expected);
  });

  test('a reader that closes the pipe early (`| head`): exit 0, nothing on stderr', () => {
    // The logo's SVG (over 100 KB) does not fit the pipe's buffer, so the writes outlive the reader.
    const run = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" "${join(ROOT, 'test', 'fixtures', 'logo.png')}" -o - | head -c 64`], {
      encoding: 'utf8', timeout: 120_000,
    });
    assert.equal(run.stdout.length, 64);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
  });

  test('a folder batch with one bad file: the others are written, one error line, a summary, exit 1', async () => {
    const input = join(dir, 'batch-in');
    await mkdir(input);
    await copyFile(HORSE, join(input, 'horse.png'));
    await copyFile(EMOJI, join(input, 'apple.png'));
    await writeFile(join(input, 'broken.png'), 'this is a text file with a .png name\n');
    await writeFile(join(input, 'notes.txt'), 'not an image, and not named like one: skipped\n');
    const out = join(dir, 'batch-out', 'nested'); // created
    const { code, stderr } = vtracer([input, '-o', out, '--jobs', '2', '--mode', 'polygon']);
    assert.equal(code, 1, stderr);
    assert.deepEqual((await readdir(out)).sort(), ['apple.svg', 'horse.svg']);
    assert.equal(await readFile(join(out, 'horse.svg'), 'utf8'), await expectedSvg(HORSE, { mode: 'polygon' }));
    assert.equal(await readFile(join(out, 'apple.svg'), 'utf8'), await expectedSvg(EMOJI, { mode: 'polygon' }));
    const lines = stderr.trim().split('\n');
    const errors = lines.filter((l) => /error:/.test(l));
    assert.equal(errors.length, 1, stderr);
    assert.match(errors[0], /cannot decode ".*broken\.png": not a supported image/);
    assert.equal(lines.filter((l) => /^\[\d\/3\] /.test(l)).length, 3, 'one line per file on a non-TTY');
    assert.match(lines.at(-1)!, /^3 files: 2 ok, 1 failed in [\d.]+ m?s; input [\d.]+ kB, output [\d.]+ kB$/);
  });

  test('a glob batch that succeeds exits 0', async () => {
    const out = join(dir, 'glob-out');
    const { code, stderr } = vtracer([join(ROOT, 'test', 'fixtures', 'h*.png'), '-o', out, '-q']);
    assert.equal(code, 0, stderr);
    assert.deepEqual(await readdir(out), ['horse.svg']);
    assert.match(stderr, /^1 file: 1 ok, 0 failed in /);
  });

  test('--color_precision 9: one error line naming the flag, exit 2, nothing written', () => {
    const out = join(dir, 'never.svg');
    const { code, stderr } = vtracer([HORSE, out, '--color_precision', '9']);
    assert.equal(code, 2);
    assert.equal(stderr, 'error: --color_precision: colorPrecision must be an integer from 1 to 8, got 9\n');
    assert.equal(existsSync(out), false);
    const kebab = vtracer([HORSE, out, '--color-precision', '0']);
    assert.equal(kebab.code, 2);
    assert.equal(kebab.stderr, 'error: --color-precision: colorPrecision must be an integer from 1 to 8, got 0\n');
  });

  test('bad flag values and unknown flags: one line, exit 2', () => {
    const cases: [string[], RegExp][] = [
      [['--color_precision', 'abc'], /^error: --color_precision: expected a number, got "abc"$/],
      [['--segment_length', '4px'], /--segment_length: expected a number, got "4px"/],
      [['--mode', 'curvy'], /--mode: mode must be one of "spline", "polygon", "pixel", "none", got "curvy"/],
      [['--colormode', 'grey'], /--colormode: colorMode must be one of/],
      [['--preset', 'fancy'], /--preset: preset must be one of "bw", "poster", "photo", got "fancy"/],
      [['--jobs', '0'], /--jobs: expected an integer of at least 1/],
      [['--no-such-flag'], /unknown option '--no-such-flag'/],
    ];
    for (const [flags, pattern] of cases) {
      const { code, stderr } = vtracer([HORSE, join(dir, 'x.svg'), ...flags]);
      assert.equal(code, 2, flags.join(' '));
      assertOneErrorLine(stderr, pattern);
    }
  });

  test('a missing input: one line naming it, exit 1; --verbose adds the stack', () => {
    const missing = join(dir, 'missing.png');
    const { code, stderr } = vtracer([missing, join(dir, 'm.svg')]);
    assert.equal(code, 1);
    assertOneErrorLine(stderr, /^error: cannot read ".*missing\.png": no such file$/);
    const verbose = vtracer([missing, join(dir, 'm.svg'), '--verbose']);
    assert.equal(verbose.code, 1);
    assert.match(verbose.stderr, /\n\s+at /);
  });

  test('a text file renamed .png: one line, exit 1, no output', async () => {
    const fake = join(dir, 'fake.png');
    await writeFile(fake, 'hello, I am text\n');
    const out = join(dir, 'fake.svg');
    const { code, stderr } = vtracer(['-i', fake, '-o', out]);
    assert.equal(code, 1);
    assertOneErrorLine(stderr, /^error: cannot decode ".*fake\.png": not a supported image \(PNG, JPEG, WebP, GIF, TIFF, BMP\)$/);
    assert.equal(existsSync(out), false);
  });

  test('output formats: the extension chooses, --format for stdout and batches, a disagreeing --format is refused', async () => {
    const magic: Record<string, string> = { pdf: '%PDF-1.4', eps: '%!PS-Adobe-3.0 EPSF', dxf: '0\nSECTION', png: '\x89PNG' };
    const svg = await expectedSvg(HORSE, { colorMode: 'binary' });
    for (const [ext, head] of Object.entries(magic)) {
      const out = join(dir, `horse.${ext}`);
      const run = vtracer([HORSE, out, '--colormode', 'binary']);
      assert.equal(run.code, 0, run.stderr);
      const bytes = await readFile(out);
      assert.equal(bytes.subarray(0, head.length).toString('latin1'), head, ext);
      // The vector formats are exactly the library's export of the library's SVG.
      if (ext !== 'png') assert.deepEqual(new Uint8Array(bytes), exportVector(svg, ext as 'pdf' | 'eps' | 'dxf'), ext);
    }
    const piped = spawnSync(process.execPath, [BIN, HORSE, '-o', '-', '--format', 'pdf', '--colormode', 'binary'], { timeout: 120_000 });
    assert.equal(piped.status, 0, String(piped.stderr));
    assert.deepEqual(new Uint8Array(piped.stdout), exportVector(svg, 'pdf'));

    const input = join(dir, 'formats-in');
    await mkdir(input);
    await copyFile(HORSE, join(input, 'horse.png'));
    await copyFile(EMOJI, join(input, 'apple.png'));
    const batch = vtracer([input, '-o', join(dir, 'formats-out'), '--format', 'dxf', '-q']);
    assert.equal(batch.code, 0, batch.stderr);
    assert.deepEqual((await readdir(join(dir, 'formats-out'))).sort(), ['apple.dxf', 'horse.dxf']);

    const clash = vtracer([HORSE, join(dir, 'clash.svg'), '--format', 'pdf']);
    assert.equal(clash.code, 2);
    assertOneErrorLine(clash.stderr, /^error: --format pdf disagrees with the output file .*clash\.svg \(a \.svg name\)/);
    const unknown = vtracer([HORSE, '-o', '-', '--format', 'gif']);
    assert.equal(unknown.code, 2);
    assertOneErrorLine(unknown.stderr, /^error: --format: expected one of svg, pdf, eps, dxf, png, got "gif"$/);
  });

  test('--draw-style centerline writes stroked open paths; --spur-length and --stroke-width are checked', async () => {
    const text = join(ROOT, 'test', 'fixtures', 'text.png');
    const run = vtracer([text, '-o', '-', '--colormode', 'binary', '--draw-style', 'centerline', '--stroke-width', '2']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, await expectedSvg(text, { colorMode: 'binary', drawStyle: 'centerline', strokeWidth: 2 }));
    assert.match(run.stdout, /<path d="[^"]+" fill="none" stroke="#000000" stroke-width="2" stroke-linecap="round"/);
    const bad = vtracer([text, '-o', '-', '--draw_style', 'outline']);
    assert.equal(bad.code, 2);
    assertOneErrorLine(bad.stderr, /^error: --draw_style: drawStyle must be one of "fill", "centerline", got "outline"$/);
    const spur = vtracer([text, '-o', '-', '--spur-length', '-3']);
    assert.equal(spur.code, 2);
    assertOneErrorLine(spur.stderr, /^error: --spur-length: spurLength must be a number from 0 to 1000, got -3$/);
  });

  test('no input at all: a usage error', () => {
    const { code, stderr } = vtracer([]);
    assert.equal(code, 2);
    assertOneErrorLine(stderr, /no input image given/);
  });
});
