/**
 * Careless inputs and outputs: a FIFO, a socket-like or dangling input is refused with one line and counted as
 * a failure (never waited on for ever, never skipped silently), and an output folder that cannot take a file
 * is reported, by its own name, before anything is traced.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'vtracer.js');
const HORSE = join(ROOT, 'test', 'fixtures', 'horse.png');
const dir = mkdtempSync(join(tmpdir(), 'vtracer-inputs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the built CLI; a hang (the bug this guards against) ends as a failed test after 60 s, not a stuck run. */
function vtracer(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.error, undefined, `vtracer ${args.join(' ')} did not finish: ${String(result.error)}`);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function fifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

describe('inputs that are not regular files', () => {
  test('a FIFO alone: one line naming it, exit 1, no wait for a writer', () => {
    const pipe = join(dir, 'alone.png');
    fifo(pipe);
    const r = vtracer([pipe, join(dir, 'alone.svg')]);
    assert.equal(r.code, 1);
    const lines = r.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, r.stderr);
    assert.equal(lines[0], `error: ${JSON.stringify(pipe)} is a FIFO, not a regular file; refused`);
    assert.equal(existsSync(join(dir, 'alone.svg')), false);
  });

  test('a folder with a FIFO and a dangling link beside an image: one line each, counted as failures, the image traced', () => {
    const folder = join(dir, 'mixed');
    mkdirSync(folder);
    copyFileSync(HORSE, join(folder, 'b-horse.png'));
    fifo(join(folder, 'a-pipe.png'));
    symlinkSync(join(folder, 'missing.png'), join(folder, 'c-link.png'));
    const out = join(dir, 'mixed-out');
    const r = vtracer([folder, '-o', out]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`${JSON.stringify(join(folder, 'a-pipe.png')).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is a FIFO, not a regular file; refused`));
    assert.match(r.stderr, /c-link\.png": a symbolic link to nothing \(dangling\); skipped/);
    assert.match(r.stderr, /1 ok, 2 failed/);
    assert.ok(existsSync(join(out, 'b-horse.svg')));
  });

  test('a named FIFO after a good file in a batch: the good one is traced, the FIFO refused, exit 1', () => {
    const pipe = join(dir, 'batch-pipe.png');
    fifo(pipe);
    const out = join(dir, 'batch-out');
    const r = vtracer([HORSE, pipe, '-o', `${out}/`]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /batch-pipe\.png" is a FIFO, not a regular file; refused/);
    assert.ok(existsSync(join(out, 'horse.svg')));
  });
});

describe('an output folder that cannot take a file', () => {
  test('is reported by its name before tracing, single and batch', (t) => {
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', ro], { stdio: 'ignore' });
    } catch {
      t.skip('cannot mount a read-only tmpfs here (needs root)');
      return;
    }
    try {
      const single = vtracer([HORSE, join(ro, 'horse.svg')]);
      assert.equal(single.code, 1);
      assert.equal(single.stderr, `error: cannot write to the output folder ${JSON.stringify(ro)}: read-only file system\n`);
      const batch = vtracer([HORSE, HORSE.replace('horse', 'logo'), '-o', join(ro, 'sub')]);
      assert.equal(batch.code, 1);
      assert.match(batch.stderr, new RegExp(`^error: cannot write to the output folder ${JSON.stringify(join(ro, 'sub')).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: read-only file system\\n$`));
      assert.doesNotMatch(single.stderr + batch.stderr, /\.tmp|tracing/);
    } finally {
      execFileSync('umount', [ro]);
    }
  });
});
