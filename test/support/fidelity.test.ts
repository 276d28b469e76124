/**
 * The measuring tools must be right before anything is measured with them: rendering size and colours,
 * compositing, PSNR on known errors, SSIM's basic properties, SVG parsing helpers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compositeOn, compositeOnWhite, loadRgba, parsePathData, pathSegments, psnr, renderSvg, ssim, svgPaths,
  svgRootAttributes, svgStats,
} from './fidelity.js';
import { corpusDir, fixtureImages, fixturePath } from './fixtures.js';
import { mulberry32, solid, withNoise } from './images.js';

const RECT_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="8" viewBox="0 0 10 8">'
  + '<path d="M2 2H6V6H2Z" fill="#FF0000"/></svg>';

test('renderSvg: exact size, background, fill colour and transparency', () => {
  const px = renderSvg(RECT_SVG, 10, 8);
  assert.equal(px.length, 10 * 8 * 4);
  const at = (p: Uint8Array, x: number, y: number) => [...p.subarray((y * 10 + x) * 4, (y * 10 + x) * 4 + 4)];
  assert.deepEqual(at(px, 3, 3), [255, 0, 0, 255]);
  assert.deepEqual(at(px, 0, 0), [255, 255, 255, 255]);
  assert.deepEqual(at(renderSvg(RECT_SVG, 10, 8, [255, 0, 255]), 9, 7), [255, 0, 255, 255]);
  assert.equal(at(renderSvg(RECT_SVG, 10, 8, null), 0, 0)[3], 0);
  // Scales to the requested size when the SVG is given in another unit size.
  assert.deepEqual(at(renderSvg(RECT_SVG.replace('width="10" height="8"', 'width="5" height="4"'), 10, 8), 3, 3), [255, 0, 0, 255]);
  assert.throws(() => renderSvg(RECT_SVG, 10, 9), /rendered at 10×8/);
  assert.throws(() => renderSvg('<svg><path', 10, 8));
});

test('compositeOnWhite: transparent → background, opaque unchanged, half alpha halfway', () => {
  const src = new Uint8Array([0, 0, 0, 0, 10, 20, 30, 255, 0, 0, 0, 128]);
  assert.deepEqual([...compositeOnWhite(src)], [255, 255, 255, 255, 10, 20, 30, 255, 127, 127, 127, 255]);
  assert.deepEqual([...compositeOn(src, '#000000').subarray(0, 4)], [0, 0, 0, 255]);
});

test('psnr: Infinity when equal, 10·log10(255²/MSE) on a known error, alpha ignored', () => {
  const a = solid(8, 8, [100, 100, 100, 255]).data;
  const b = solid(8, 8, [110, 110, 110, 0]).data;
  assert.equal(psnr(a, a), Infinity);
  assert.ok(Math.abs(psnr(a, b) - 10 * Math.log10(65025 / 100)) < 1e-9);
  assert.throws(() => psnr(a, new Uint8Array(8)), /differ in size/);
});

test('ssim: 1 when equal, symmetric, decreasing with noise, insensitive to alpha', () => {
  const base = solid(64, 48, [90, 140, 200, 255]);
  // A textured image so that structure matters.
  const rnd = mulberry32(5);
  for (let i = 0; i < base.data.length; i += 4) base.data[i] = Math.floor(rnd() * 256);
  const n4 = withNoise(base, 4, 1), n32 = withNoise(base, 32, 2);
  assert.ok(Math.abs(ssim(base.data, base.data, 64) - 1) < 1e-6);
  const s4 = ssim(base.data, n4.data, 64), s32 = ssim(base.data, n32.data, 64);
  assert.ok(Math.abs(s4 - ssim(n4.data, base.data, 64)) < 1e-6, 'not symmetric');
  assert.ok(s4 < 1 && s32 < s4 && s32 > 0, `ssim ±4 ${s4}, ±32 ${s32}`);
  const transparent = new Uint8Array(base.data);
  for (let i = 3; i < transparent.length; i += 4) transparent[i] = 0;
  assert.ok(Math.abs(ssim(base.data, transparent, 64) - 1) < 1e-6);
  // A 1×1 image works (window truncated at the border).
  assert.ok(Math.abs(ssim(new Uint8Array([1, 2, 3, 255]), new Uint8Array([1, 2, 3, 255]), 1) - 1) < 1e-9);
});

test('svg helpers: paths, root attributes, stats and path data with compact and relative forms', () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3" viewBox="0 0 4 3">'
    + '<path d="M1 1h2v1H1z" fill="#ABCDEF"/><path d="M0,0 L1,0 1,1Z M2 2c.5.5 1-1 1.5.5" fill="#000"/></svg>';
  assert.deepEqual(svgRootAttributes(svg), { xmlns: 'http://www.w3.org/2000/svg', width: '4', height: '3', viewBox: '0 0 4 3' });
  const ps = svgPaths(svg);
  assert.deepEqual(ps.map((p) => p.fill), ['#abcdef', '#000']);
  assert.deepEqual(parsePathData('M2 2c.5.5 1-1 1.5.5').map((c) => [c.letter, c.args]), [['M', [2, 2]], ['c', [0.5, 0.5, 1, -1, 1.5, 0.5]]]);
  const segs = pathSegments('M1 1h2v1H1z', 10, 20);
  assert.deepEqual(segs.map((s) => [s.x1, s.y1]), [[13, 21], [13, 22], [11, 22], [11, 21]]);
  assert.deepEqual(pathSegments('M0,0 L1,0 1,1Z').map((s) => [s.x1, s.y1]), [[1, 0], [1, 1], [0, 0]]);
  const st = svgStats(svg);
  assert.equal(st.paths, 2);
  assert.equal(st.fills, 2);
  assert.equal(st.subpaths, 3);
  assert.deepEqual(st.commands, { M: 3, h: 1, v: 1, H: 1, z: 1, L: 1, Z: 1, c: 1 });
  assert.equal(st.bytes, Buffer.byteLength(svg));
});

test('fixtures: every fixture loads as RGBA; the corpus is optional', async () => {
  const names = fixtureImages();
  assert.ok(names.includes('emoji-1f34e.png') && names.includes('astronaut-256.png'), names.join(', '));
  for (const name of names) {
    const img = await loadRgba(fixturePath(name));
    assert.equal(img.data.length, img.width * img.height * 4, name);
  }
  const dir = corpusDir();
  assert.ok(dir === null || typeof dir === 'string');
  assert.throws(() => fixturePath('no-such-image'), /no fixture/);
});
