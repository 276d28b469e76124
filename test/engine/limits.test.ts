/**
 * No hard limits: the reference panics past about 65,000 binary components (u16 labels) and on a boundary
 * longer than 1,000,000 steps. We must trace both. The comb test is slow but needed (a few seconds).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceRgba } from '../../src/engine/index.js';
import { parsePathData, renderSvg, svgPaths } from '../support/fidelity.js';
import { comb, dotGrid } from '../support/images.js';

function countSubpaths(svg: string): number {
  let n = 0;
  for (const p of svgPaths(svg)) for (const c of parsePathData(p.d)) if (c.letter === 'M' || c.letter === 'm') n++;
  return n;
}

test('binary mode: 122,500 isolated components (700×700 dot grid) are all traced', (t) => {
  const img = dotGrid(700, 700);
  const start = performance.now();
  const svg = traceRgba(img, { preset: 'bw', filterSpeckle: 0 });
  const ms = performance.now() - start;
  const subpaths = countSubpaths(svg);
  t.diagnostic(`${(ms / 1000).toFixed(2)} s, ${subpaths} subpaths, ${(svg.length / 1e6).toFixed(1)} MB`);
  assert.equal(subpaths, 350 * 350, 'every isolated pixel is its own outline');
  // Every dot is drawn: sample a block of the rendered image.
  const rendered = renderSvg(svg, 700, 700);
  let darkDots = 0, lightGaps = 0, dots = 0, gaps = 0;
  for (let y = 300; y < 340; y++) {
    for (let x = 300; x < 340; x++) {
      const v = rendered[(y * 700 + x) * 4]!;
      if (x % 2 === 0 && y % 2 === 0) { dots++; if (v < 192) darkDots++; } else if (x % 2 === 1 && y % 2 === 1) { gaps++; if (v > 128) lightGaps++; }
    }
  }
  assert.equal(darkDots, dots, `${dots - darkDots} of ${dots} sampled dots not drawn`);
  assert.equal(lightGaps, gaps, `${gaps - lightGaps} of ${gaps} diagonal gaps painted`);
});

test('colour mode: 122,500 isolated components at filterSpeckle 0 trace without error', (t) => {
  const img = dotGrid(700, 700);
  const start = performance.now();
  const svg = traceRgba(img, { preset: 'poster', filterSpeckle: 0, mode: 'polygon' });
  t.diagnostic(`${((performance.now() - start) / 1000).toFixed(2)} s, ${svgPaths(svg).length} paths, ${countSubpaths(svg)} subpaths`);
  assert.ok(countSubpaths(svg) >= 350 * 350, `only ${countSubpaths(svg)} subpaths for 122,500 dots`);
});

/** Mean darkness (0–1) of the rendered rows [y0, y1). */
function darkShare(rendered: Uint8Array, width: number, y0: number, y1: number): number {
  let dark = 0;
  for (let i = y0 * width * 4; i < y1 * width * 4; i += 4) dark += 255 - rendered[i]!;
  return dark / 255 / (width * (y1 - y0));
}

test('a boundary of ~2.4 million steps (2000×1200 comb of 1-px teeth) traces [slow but needed]', (t) => {
  const img = comb(2000, 1200);
  for (const mode of ['spline', 'pixel'] as const) {
    const start = performance.now();
    const svg = traceRgba(img, { preset: 'bw', filterSpeckle: 0, mode });
    const ms = performance.now() - start;
    const paths = svgPaths(svg);
    t.diagnostic(`${mode}: ${(ms / 1000).toFixed(2)} s, ${paths.length} paths, ${(svg.length / 1e6).toFixed(2)} MB`);
    assert.ok(ms < 20000, `${mode}: took ${(ms / 1000).toFixed(1)} s`);
    assert.equal(paths.length, 1, `${mode}: the comb is one component`);
    assert.equal(countSubpaths(svg), 1, `${mode}: the comb has no holes`);
    const rendered = renderSvg(svg, 2000, 1200);
    // The base band (rows 1180–1199) is solid black.
    assert.ok(darkShare(rendered, 2000, 1182, 1198) > 0.98, `${mode}: the base of the comb is not solid`);
    // The teeth cover half of the band above the base: 1-px features may be reshaped by simplification,
    // but their area must be kept (the reference fills the whole band: share 1.0).
    const teeth = darkShare(rendered, 2000, 1, 1180);
    t.diagnostic(`${mode}: dark share of the teeth band ${teeth.toFixed(3)} (exact 0.5)`);
    assert.ok(teeth > 0.4 && teeth < 0.6, `${mode}: the teeth band is ${(teeth * 100).toFixed(1)} % dark, expected about 50 %`);
    if (mode === 'pixel') {
      // The staircase is exact: every row through the teeth is exactly half dark.
      for (const y of [1, 100, 600, 1179]) {
        const share = darkShare(rendered, 2000, y, y + 1);
        assert.ok(Math.abs(share - 0.5) < 0.001, `pixel: row ${y} is ${(share * 100).toFixed(2)} % dark`);
      }
    }
  }
});
