/**
 * The measures of the shape benchmark (bench/shapes/metrics.ts, bench/shapes/cases.ts) on cases whose
 * answer geometry gives.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bilinear, inkMask, pathSegmentCount, svgSegmentCount, xorError } from '../../bench/shapes/metrics.js';
import { allCases, caseSize, normalisedCase, rasterAt } from '../../bench/shapes/cases.js';
import { toPbm } from '../../bench/shapes/tracers.js';
import { ssim, ssimAgainst, ssimReference } from '../support/fidelity.js';

/** An opaque white RGBA image of `w` × `h` with a black axis-aligned rectangle [x0, x1) × [y0, y1). */
function withSquare(w: number, h: number, x0: number, y0: number, x1: number, y1: number): Uint8Array {
  const out = new Uint8Array(w * h * 4).fill(255);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) out.fill(0, (y * w + x) * 4, (y * w + x) * 4 + 3);
  return out;
}

test('xor error: identical masks score 0, a square shifted by 2 px scores 2·2·side/side²', () => {
  const a = inkMask(withSquare(40, 40, 10, 10, 30, 30));
  assert.equal(xorError(a, a), 0);
  const shifted = inkMask(withSquare(40, 40, 12, 10, 32, 30));
  // Two 2 × 20 strips disagree; the truth has 20 × 20 ink pixels.
  assert.equal(xorError(a, shifted), (2 * 2 * 20) / 400);
  const empty = inkMask(withSquare(40, 40, 0, 0, 0, 0));
  assert.equal(xorError(a, empty), 1);
  assert.throws(() => xorError(empty, a), /no ink/);
});

test('ink mask thresholds luma at one half', () => {
  const px = new Uint8Array([127, 127, 127, 255, 128, 128, 128, 255, 255, 0, 0, 255, 0, 255, 0, 255]);
  // 127 → ink, 128 → paper, pure red (luma 76) → ink, pure green (luma 150) → paper.
  assert.deepEqual([...inkMask(px)], [1, 0, 1, 0]);
});

test('bilinear: a 2 × 1 image enlarged ×4 ramps between the pixel centres and is flat beyond them', () => {
  const src = new Uint8Array([0, 0, 0, 255, 200, 200, 200, 255]);
  const out = bilinear(src, 2, 1, 8, 4);
  const row = [...Array(8).keys()].map((x) => out[x * 4]!);
  // Output centres x + 0.5 map to source (x + 0.5)/4 − 0.5: −0.375, −0.125 (clamped), 0.125, …, 1.125, 1.375.
  assert.deepEqual(row, [0, 0, 25, 75, 125, 175, 200, 200]);
  assert.deepEqual([...out.subarray(8 * 4 * 3, 8 * 4 * 3 + 8 * 4)], [...out.subarray(0, 8 * 4)]);
});

test('segment count: implicit repeats count, move-to and close-path do not; arcs with packed flags parse', () => {
  assert.equal(pathSegmentCount('M0 0L1 0 1 1 0 1Z'), 3);
  assert.equal(pathSegmentCount('M0 0 1 0 1 1z m5 5 c1 1 2 2 3 3 4 4 5 5 6 6'), 4);
  assert.equal(pathSegmentCount('M10 10a5 5 0 1020 0A5 5 0 0 1 10 10'), 2);
  assert.equal(svgSegmentCount('<svg><path d="M0 0H4V4Z"/><circle r="3"/><polygon points="0,0 1,0 1,1"/></svg>'), 2 + 2 + 3);
});

test('cases: every size gives whole pixel dimensions and the same aspect ratio as the 768 px truth', () => {
  const cases = allCases();
  assert.ok(cases.some((c) => c.kind === 'colour') && cases.some((c) => c.kind === 'bw'));
  for (const name of ['glyph-A', 'glyph-4', 'glyph-Z', 'circle', 'bar-15', 'bar-45', 'star', 'ring', 'emoji-1f436-black']) {
    assert.ok(cases.some((c) => c.name === name), `case ${name}`);
  }
  for (const c of cases) {
    const big = caseSize(c, 768);
    for (const s of [48, 96, 192]) {
      const small = caseSize(c, s);
      assert.equal(small.width * (768 / s), big.width, c.name);
      assert.equal(small.height * (768 / s), big.height, c.name);
    }
  }
  const tall = normalisedCase('t', 'bw', '<rect width="10" height="30"/>', [0, 0, 10, 30]);
  assert.deepEqual(caseSize(tall, 48), { width: 16, height: 48 });
  assert.throws(() => caseSize(tall, 50), /multiple of 48/);
});

test('the circle case rasterizes to the area of its disc, and its PBM holds the same ink', () => {
  const circle = allCases().find((c) => c.name === 'circle')!;
  const img = rasterAt(circle, 96);
  const ink = inkMask(img.data).reduce((s, v) => s + v, 0);
  const r = 40 * 0.96; // radius 40 of a 100-unit viewBox at 96 px
  assert.ok(Math.abs(ink - Math.PI * r * r) < 2 * Math.PI * r * 0.5, `ink ${ink} vs ${Math.PI * r * r}`);
  const pbm = toPbm(img);
  const header = 'P4\n96 96\n';
  assert.equal(pbm.subarray(0, header.length).toString('ascii'), header);
  let bits = 0;
  for (const byte of pbm.subarray(header.length)) for (let k = 0; k < 8; k++) bits += (byte >> k) & 1;
  assert.equal(bits, ink);
});

test('SSIM against a precomputed reference equals the direct SSIM, and 1 for the image itself', () => {
  const a = withSquare(40, 30, 5, 5, 25, 20);
  const b = withSquare(40, 30, 6, 5, 26, 21);
  const ref = ssimReference(a, 40);
  assert.equal(ssimAgainst(ref, b), ssim(a, b, 40));
  assert.ok(Math.abs(ssimAgainst(ref, a) - 1) < 1e-6);
  assert.ok(ssimAgainst(ref, b) < 0.99);
  assert.throws(() => ssimAgainst(ref, b.subarray(4)), /differ in size/);
});
