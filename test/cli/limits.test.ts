/**
 * The CLI's limits through the built launcher: a PNG header claiming 100000×100000 pixels is refused by the
 * default pixel limit in one line without decoding; `--max-pixels` lowers it (single and batch mode) or lifts
 * it (0); animated images are traced from their first frame.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { animated, pngClaiming } from '../support/hostile.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'vtracer.js');
const HORSE = join(ROOT, 'test', 'fixtures', 'horse.png'); // 400×328 = 131,200 pixels
const LOGO = join(ROOT, 'test', 'fixtures', 'logo.png'); // 500×500
const dir = mkdtempSync(join(tmpdir(), 'vtracer-cli-limits-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function vtracer(args: string[]) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

function oneErrorLine(stderr: string): string {
  const lines = stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `one line expected, got:\n${stderr}`);
  assert.doesNotMatch(stderr, /\n\s+at /);
  return lines[0]!;
}

describe('CLI limits', () => {
  test('a PNG header claiming 100000×100000 pixels: one line, exit 1, refused before decoding (fast, no output)', async () => {
    const bomb = join(dir, 'bomb.png');
    writeFileSync(bomb, await pngClaiming(100_000, 100_000));
    const out = join(dir, 'bomb.svg');
    const r = vtracer([bomb, out]);
    assert.equal(r.code, 1);
    assert.match(oneErrorLine(r.stderr), /^error: cannot decode ".*bomb\.png": 100000×100000 = 10000000000 pixels is over the limit of 100000000 pixels$/);
    assert.equal(existsSync(out), false);
    assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
  });

  test('--max-pixels N: an image over N is one line naming it and the limit; at N it traces', () => {
    const out = join(dir, 'horse.svg');
    const over = vtracer([HORSE, out, '--max-pixels', '131199']);
    assert.equal(over.code, 1);
    assert.match(oneErrorLine(over.stderr), /^error: cannot decode ".*horse\.png": 400×328 = 131200 pixels is over the limit of 131199 pixels$/);
    assert.equal(existsSync(out), false);
    const at = vtracer([HORSE, out, '--max-pixels', '131200']);
    assert.equal(at.code, 0, at.stderr);
    assert.match(readFileSync(out, 'utf8'), /^<svg[^>]* width="400" height="328"/);
  });

  test('--max-pixels in batch mode: the file over the limit fails on its line, the other is written', () => {
    const outDir = join(dir, 'batch');
    const r = vtracer([HORSE, LOGO, '-o', outDir, '--max-pixels', '200000', '-j', '2']);
    assert.equal(r.code, 1);
    const errors = r.stderr.split('\n').filter((l) => /error:/.test(l));
    assert.equal(errors.length, 1, r.stderr);
    assert.match(errors[0]!, /logo\.png": 500×500 = 250000 pixels is over the limit of 200000 pixels/);
    assert.ok(existsSync(join(outDir, 'horse.svg')));
    assert.equal(existsSync(join(outDir, 'logo.svg')), false);
  });

  test('--max-pixels 0 lifts the limit; a bad value is a usage error (exit 2)', async () => {
    const out = join(dir, 'nolimit.svg');
    assert.equal(vtracer([HORSE, out, '--max-pixels', '0']).code, 0);
    for (const bad of ['-1', '1e6', 'lots', '1.5']) {
      const r = vtracer([HORSE, out, '--max-pixels', bad]);
      assert.equal(r.code, 2, bad);
      assert.match(oneErrorLine(r.stderr), /^error: --max-pixels: expected a non-negative integer \(0 for no limit\), got /);
    }
  });

  test('animated GIF and WebP: the first frame is traced (red square on white; the later frames are blue)', async () => {
    for (const format of ['gif', 'webp'] as const) {
      const input = join(dir, `anim.${format}`);
      writeFileSync(input, await animated(format, 32, 3));
      const r = vtracer([input, '-o', '-']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^<svg[^>]* width="32" height="32"/, format);
      const fills = new Set(r.stdout.match(/#[0-9a-f]{6}/g));
      assert.ok(fills.has('#ff0000') && fills.has('#ffffff'), `${format}: ${[...fills].join(',')}`);
      assert.ok(!fills.has('#0000ff'), `${format}: a later frame leaked in`);
    }
  });
});
