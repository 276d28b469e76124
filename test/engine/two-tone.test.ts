/**
 * Two-tone images (two-tone.ts, trace.ts twoTonePaths): one ink colour on one background is read as each
 * pixel's share of the ink and, when its strokes go under a pixel wide, traced on the binary path and painted
 * in its colours; anything else (a third colour, a gradient, JPEG noise) is left to the colour path. Also the
 * binary path's joins that serve it: ridges (hairlines at a slant) and one-pixel dots in drawn images.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { traceRgba } from '../../src/engine/index.js';
import { twoTone } from '../../src/engine/two-tone.js';
import { renderSvg, svgPaths, xorAtScale } from '../support/fidelity.js';

const serifSvg = readFileSync(new URL('../fixtures/wordmark-serif.svg', import.meta.url), 'utf8');
const BLUE = '#1d4ed8';

/** The serif line (200 × 24 at 16 px) at `size` px, its ink in `ink`, on `page` (null: transparent). */
function serifLine(size: number, ink: string, page: string | null): { svg: string; w: number; h: number } {
  let svg = serifSvg.replace('fill="#111"', `fill="${ink}"`);
  svg = page === null ? svg.replace(/<rect[^>]*fill="#fff"\/>/, '') : svg.replace('fill="#fff"/>', `fill="${page}"/>`);
  return { svg, w: Math.round(200 * size / 16), h: Math.round(24 * size / 16) };
}

/** Straight (not premultiplied) RGBA, as a PNG decoder gives: renderSvg without a background premultiplies. */
function unpremultiplied(data: Uint8Array): Uint8Array {
  for (let i = 0; i < data.length; i += 4) {
    const a = data[i + 3]!;
    if (a > 0 && a < 255) for (let k = 0; k < 3; k++) data[i + k] = Math.min(255, Math.round(data[i + k]! * 255 / a));
  }
  return data;
}


test('two-tone: blue text on white, white text on teal and one colour on transparency are read as ink and background', () => {
  const blue = serifLine(16, BLUE, '#fff');
  const onWhite = twoTone(renderSvg(blue.svg, blue.w, blue.h), blue.w, blue.h);
  assert.ok(onWhite);
  assert.deepEqual([onWhite.ink, onWhite.background, onWhite.flat], [[0x1d, 0x4e, 0xd8], [255, 255, 255], true]);
  // At 12 px the line's mixes outnumber its pure blue pixels: the ink is still the pure colour, not a mix.
  const small = serifLine(12, BLUE, '#fff');
  assert.deepEqual(twoTone(renderSvg(small.svg, small.w, small.h), small.w, small.h)?.ink, [0x1d, 0x4e, 0xd8]);
  const reversed = serifLine(16, '#fff', '#0f766e');
  const teal = twoTone(renderSvg(reversed.svg, reversed.w, reversed.h), reversed.w, reversed.h);
  assert.deepEqual([teal?.ink, teal?.background], [[255, 255, 255], [0x0f, 0x76, 0x6e]]);
  const clear = serifLine(16, BLUE, null);
  const alpha = twoTone(unpremultiplied(renderSvg(clear.svg, clear.w, clear.h, null)), clear.w, clear.h);
  assert.deepEqual([alpha?.ink, alpha?.background], [[0x1d, 0x4e, 0xd8], null]);
  // The grey copy: black ink over white by share, so a pure blue pixel is black and white stays white.
  const g = onWhite.grey;
  let black = 0, white = 0;
  for (let i = 0; i < g.length; i += 4) { if (g[i] === 0) black++; if (g[i] === 255) white++; }
  assert.ok(black > 50 && white > 0.5 * blue.w * blue.h, `${black} black, ${white} white`);
});

test('two-tone: a third colour on the line between the two, a gradient, and noise are not two-tone', () => {
  const W = 40, H = 24;
  // White page, dark grey card, light grey 1 px rings on it: three greys on one line (lines within the ink).
  const ring = (x: number): string => `<path d="M${x} 6h7v12h-7z M${x + 1} 7v10h5v-10z" fill="#909090" fill-rule="evenodd"/>`;
  const rings = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="#fff"/>`
    + `<rect x="2" y="2" width="36" height="20" fill="#4f4f4f"/>${ring(6)}${ring(16)}</svg>`;
  assert.equal(twoTone(renderSvg(rings, W, H), W, H), null, 'light rings on a dark card');
  // A flat band of a tint of the ink (a handle in a lighter shade) on the same line.
  const tint = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="#fff"/>`
    + `<circle cx="20" cy="12" r="10" fill="#1d4ed8"/><rect x="4" y="16" width="32" height="5" fill="#8ea7ec"/></svg>`;
  assert.equal(twoTone(renderSvg(tint, W, H), W, H), null, 'a tint band');
  // A gradient from white to blue.
  const ramp = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/>`
    + `<stop offset="1" stop-color="#1d4ed8"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`;
  assert.equal(twoTone(renderSvg(ramp, W, H), W, H), null, 'a gradient');
  // Blue text with noise off the line (a third of the pixels moved 30 levels in green).
  const blue = serifLine(16, BLUE, '#fff');
  const noisy = renderSvg(blue.svg, blue.w, blue.h);
  for (let p = 0; p < blue.w * blue.h; p += 3) noisy[4 * p + 1] = Math.max(0, noisy[4 * p + 1]! - 30);
  assert.equal(twoTone(noisy, blue.w, blue.h), null, 'noise');
});

test('two-tone: a large image is read on a sample, then checked whole: one transparent pixel the sample skipped makes it no opaque two-tone', () => {
  const line = serifLine(64, BLUE, '#fff');
  const data = renderSvg(line.svg, line.w, line.h);
  assert.ok(line.w * line.h > 16384 * 2, 'sampled, not read whole');
  assert.deepEqual(twoTone(data, line.w, line.h)?.ink, [0x1d, 0x4e, 0xd8]);
  // Pixel 1 is not sampled (every step-th from 0, the step odd and over 1).
  data[4 * 1 + 3] = 0;
  assert.equal(twoTone(data, line.w, line.h), null);
});

test('two-tone: a 16 px blue serif line traces as a black one does, its thin strokes whole', () => {
  const line = serifLine(16, BLUE, '#fff');
  const traced = traceRgba({ data: renderSvg(line.svg, line.w, line.h), width: line.w, height: line.h }, { preset: 'poster' });
  const fills = svgPaths(traced).map((p) => p.fill!.toLowerCase());
  assert.equal(fills[0], '#ffffff');
  assert.ok(fills.slice(1).every((f) => f === BLUE), `fills: ${fills.join(', ')}`);
  // Keyed as colour, its "c", "b" and "k" came out broken: xor 29.3 % of the ink at 8×; as black and white 22.7 %.
  const xor = xorAtScale(line.svg, traced, line.w, line.h, 8);
  assert.ok(xor < 0.25, `xor ${(100 * xor).toFixed(1)} %`);
  // The same shapes as the black line's trace (the ink's share is all either reads). The share read on the
  // blue-white line and black's luminance differ by rounding, which can flip one decision: at the 16 px "u"'s
  // foot they differ by 1.15 % of the ink (0.94 % before the two-pixel stroke reference, which took both
  // closer to the truth: 22.66 → 21.54 % and 21.49 → 20.59 % xor).
  const black = serifLine(16, '#000', '#fff');
  const bw = traceRgba({ data: renderSvg(black.svg, black.w, black.h), width: black.w, height: black.h }, { preset: 'bw' });
  const same = xorAtScale(bw.replace(/fill="#000000"/g, `fill="${BLUE}"`), traced, line.w, line.h, 8);
  assert.ok(same < 0.015, `blue and black traces differ by ${(100 * same).toFixed(2)} % of the ink`);
});

test('two-tone: one colour on transparency draws no background, its ink in its colour', () => {
  const line = serifLine(16, BLUE, null);
  const data = unpremultiplied(renderSvg(line.svg, line.w, line.h, null));
  const traced = traceRgba({ data, width: line.w, height: line.h }, { preset: 'poster' });
  const fills = svgPaths(traced).map((p) => p.fill!.toLowerCase());
  assert.ok(fills.length > 1 && fills.every((f) => f === BLUE), `fills: ${fills.join(', ')}`);
  const xor = xorAtScale(serifLine(16, BLUE, '#fff').svg, traced, line.w, line.h, 8);
  assert.ok(xor < 0.25, `xor ${(100 * xor).toFixed(1)} %`);
});

test('bw: a hairline at 45°, half a pixel wide, is drawn whole (its ridge joined), not dropped', () => {
  const W = 40;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${W}"><rect width="100%" height="100%" fill="#fff"/>`
    + '<rect x="4" y="4" width="10" height="10" fill="#111"/><path d="M10 30L30 10" stroke="#111" stroke-width="0.5"/></svg>';
  const data = renderSvg(svg, W, W);
  // No pixel of the line reaches the threshold.
  for (let k = 12; k < 28; k++) assert.ok(data[4 * (k * W + (40 - k))]! >= 128 || data[4 * (k * W + (39 - k))]! >= 128);
  const traced = traceRgba({ data, width: W, height: W }, { preset: 'bw' });
  const out = renderSvg(traced, W * 4, W * 4);
  // Along the line, at 4×: ink near each point of it (within a pixel).
  let missing = 0;
  for (let t = 0.1; t <= 0.9; t += 0.05) {
    const cx = 4 * (10 + 20 * t), cy = 4 * (30 - 20 * t);
    let found = false;
    for (let dy = -4; dy <= 4 && !found; dy++) for (let dx = -4; dx <= 4 && !found; dx++) if (out[4 * ((Math.round(cy) + dy) * 4 * W + Math.round(cx) + dx)]! < 128) found = true;
    if (!found) missing++;
  }
  assert.equal(missing, 0, `${missing} points of the line without ink`);
});

test('bw: in a drawn image a dot one pixel across, well past the threshold, is kept; a faint one goes', () => {
  const W = 24;
  const data = new Uint8Array(4 * W * W).fill(255);
  const set = (x: number, y: number, v: number): void => data.set([v, v, v, 255], 4 * (y * W + x));
  for (let y = 14; y < 20; y++) for (let x = 14; x < 20; x++) set(x, y, 17);
  // A star: one pixel 80 % inked with mixes round it; a faint speck: one pixel 55 %, less round it.
  set(5, 5, 51); set(6, 5, 200); set(5, 6, 200); set(6, 6, 240);
  set(5, 15, 115); set(6, 15, 230);
  const traced = traceRgba({ data, width: W, height: W }, { preset: 'bw' });
  const out = renderSvg(traced, W, W);
  assert.ok(out[4 * (5 * W + 5)]! < 128, 'the star is drawn');
  assert.ok(out[4 * (15 * W + 5)]! > 200, 'the faint speck goes');
});
