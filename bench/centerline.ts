/**
 * Centerline tracing on generated line art (test/support/line-art.ts) at growing sizes: time per pixel (it
 * must stay flat: linear time), paths against strokes drawn, and how well the strokes redraw the input.
 * Writes bench/results/centerline.md and prints it.
 *
 *   npm run bench:centerline [-- --quick]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { traceRgbaDetailed } from '../src/engine/index.js';
import { REPO_ROOT } from '../test/support/fixtures.js';
import { grid, matchStrokes, scribble, spiral, strokeText, type LineArt } from '../test/support/line-art.js';

const quick = process.argv.includes('--quick');
const scales = quick ? [1, 2] : [1, 2, 4, 8];
const makers: [string, (scale: number) => LineArt][] = [
  ['text', (s) => strokeText('HELLO WORLD', s)],
  ['grid', (s) => grid(6, s)],
  ['spiral', (s) => spiral(5, s)],
  ['scribble', (s) => scribble(7, 14, s)],
];

function best(fn: () => void, runs: number): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

const lines = [
  '# Centerline tracing (drawStyle centerline, binary) on generated line art', '', `Node ${process.version}.`, '',
  'Time: best of 3 after a warm-up run. ns/px should stay flat as the pixel count grows 4× per row (linear time).',
  'recall / precision: share of input ink within 1 px of the strokes\' ink and back; pieces: connected ink pieces (input → strokes).', '',
  '| art | size | pixels | time (ms) | ns/px | paths / strokes | recall | precision | PSNR (dB) | pieces |',
  '|---|---|---|---|---|---|---|---|---|---|',
];
for (const [name, make] of makers) {
  for (const scale of scales) {
    const art = make(scale);
    const opts = { colorMode: 'binary' as const, drawStyle: 'centerline' as const };
    const result = traceRgbaDetailed(art.image, opts); // warm-up, and the result measured
    const ms = best(() => traceRgbaDetailed(art.image, opts), 3);
    const px = art.image.width * art.image.height;
    const m = matchStrokes(art, result.svg);
    lines.push(`| ${name} | ${art.image.width}×${art.image.height} | ${(px / 1e6).toFixed(2)} MP | ${ms.toFixed(1)} | ${((ms * 1e6) / px).toFixed(0)} | ${result.pathCount} / ${art.strokes} | ${m.recall.toFixed(4)} | ${m.precision.toFixed(4)} | ${m.psnr.toFixed(1)} | ${m.parts[0]} → ${m.parts[1]} |`);
    console.error(lines[lines.length - 1]);
  }
}
const text = lines.join('\n') + '\n';
if (!quick) {
  mkdirSync(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(REPO_ROOT, 'bench', 'results', 'centerline.md'), text);
}
console.log(text);
