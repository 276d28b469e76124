/**
 * Pixel art at its own size (pixel-art.ts): a small, hard-edged image of a few exact colours is drawn pixel for
 * pixel, every pixel kept in its own colour; anti-aliased or larger images are traced as drawings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceRgba, traceRgbaDetailed } from '../../src/engine/index.js';
import { isPixelArt } from '../../src/engine/pixel-art.js';
import { renderSvg } from '../support/fidelity.js';

// A 16 × 16 sprite of my own: a mushroom with a 1 px outline, spots, an eye line and one glint pixel.
const SPRITE = [
  '................',
  '.....KKKKKK.....',
  '...KKRRRRRRKK...',
  '..KRRRRWWRRRRK..',
  '.KRRWWRRWWRRRRK.',
  '.KRWWWWRRRRWWRK.',
  'KRRWWWWRRRWWWWRK',
  'KRRRWWRRRRRWWRRK',
  'KRRRRRRRRRRRRRRK',
  'KKRRKKKKKKKKRRKK',
  '.KKKSSKSSKSSKKK.',
  '..KSSSKSSKSSSK..',
  '..KSSSSSSSSSSK..',
  '...KSSSSSSSSK...',
  '....KKKKKKKK....',
  '................',
];
const COLOURS: Record<string, readonly number[]> = {
  '.': [255, 255, 255, 255], K: [20, 20, 30, 255], R: [220, 40, 50, 255], W: [250, 250, 245, 255], S: [240, 200, 160, 255],
  _: [0, 0, 0, 0],
};

/** The sprite, each pixel `scale` × `scale` (nearest neighbour); `background` replaces '.'. */
function sprite(scale = 1, background = '.'): { data: Uint8Array; width: number; height: number } {
  const size = 16 * scale, data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const ch = SPRITE[Math.floor(y / scale)]![Math.floor(x / scale)]!;
      data.set(COLOURS[ch === '.' ? background : ch]!, 4 * (y * size + x));
    }
  }
  return { data, width: size, height: size };
}

/** Pixels (of w × h) whose rendered colour differs from the image's by more than 2 levels in some channel. */
function wrongPixels(svg: string, image: { data: Uint8Array; width: number; height: number }): number {
  const out = renderSvg(svg, image.width, image.height);
  let wrong = 0;
  for (let p = 0; p < image.width * image.height; p++) {
    // Over white, as the renderer composites.
    const a = image.data[4 * p + 3]! / 255;
    for (let c = 0; c < 3; c++) {
      if (Math.abs(out[4 * p + c]! - (image.data[4 * p + c]! * a + 255 * (1 - a))) > 2) { wrong++; break; }
    }
  }
  return wrong;
}

test('pixel art at its own size is drawn pixel for pixel with the default options and each preset', () => {
  const image = sprite();
  assert.equal(isPixelArt(image.data, 16, 16), true);
  for (const options of [{}, { preset: 'poster' as const }, { preset: 'photo' as const }]) {
    const svg = traceRgba(image, options);
    // Every pixel in its own colour: the 1 px outline, the spots and the glint are all there.
    assert.equal(wrongPixels(svg, image), 0, `${JSON.stringify(options)}: ${svg}`);
    // Squares: only horizontal and vertical steps (the path writer's h/v commands, no curves).
    for (const d of svg.matchAll(/ d="([^"]*)"/g)) assert.doesNotMatch(d[1]!, /[cCsSqQaA]/, svg);
  }
  // The result says so (the web page tells the user why the curve mode was not followed).
  assert.equal(traceRgbaDetailed(image).pixelArt, true);
  assert.equal(traceRgbaDetailed(image, { pixelArt: 'off' }).pixelArt, false);
  // Scaled up 8 times, the squares stay squares: the render matches the sprite upscaled by nearest neighbour.
  const svg = traceRgba(image);
  const big = sprite(8);
  assert.equal(wrongPixels(svg.replace('width="16" height="16"', 'width="128" height="128"'), big), 0);
});

test('pixel art: a shade of the ramp between two colours is drawn in its own colour, not keyed to either', () => {
  const image = sprite();
  // Row 3 is '..KRRRRWWRRRRK..': the red pixel left of the white pair becomes a pink halfway between them.
  image.data.set([235, 145, 148, 255], 4 * (3 * 16 + 6));
  assert.equal(isPixelArt(image.data, 16, 16), true);
  assert.equal(wrongPixels(traceRgba(image), image), 0);
});

test('pixel art: a sprite on a transparent background, and at twice its size (32 px)', () => {
  const clear = sprite(1, '_');
  assert.equal(isPixelArt(clear.data, 16, 16), true);
  assert.equal(wrongPixels(traceRgba(clear), clear), 0);
  const double = sprite(2);
  assert.equal(isPixelArt(double.data, 32, 32), true);
  assert.equal(wrongPixels(traceRgba(double), double), 0);
});

test('pixel art: pixelArt off traces the sprite as a drawing; on applies to a larger image too', () => {
  const image = sprite();
  // As a drawing, the speckle filter merges the 1 px outline and the small spots away.
  assert.ok(wrongPixels(traceRgba(image, { pixelArt: 'off' }), image) > 30);
  const triple = sprite(3);
  assert.equal(isPixelArt(triple.data, 48, 48), false, 'larger than 32 px: not taken by auto');
  assert.equal(wrongPixels(traceRgba(triple, { pixelArt: 'on' }), triple), 0);
  // Black and white and centerline keep their own drawing.
  assert.match(traceRgba(image, { preset: 'bw' }), /<path/);
});

test('not pixel art: an anti-aliased small icon, a half-transparent pixel, a photo-like patch', () => {
  // A disc and a bar, anti-aliased, at 32 px: their edge pixels are mixes, each colour used once or twice.
  const icon = renderSvg('<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><circle cx="13" cy="14" r="9.3" fill="#2a5db0"/><rect x="20.4" y="6.3" width="4.5" height="20" fill="#e0402a"/></svg>', 32, 32);
  assert.equal(isPixelArt(icon, 32, 32), false);
  // Traced as a drawing: the disc comes out round (curves), not as squares.
  const drawn = traceRgbaDetailed({ data: icon, width: 32, height: 32 });
  assert.equal(drawn.pixelArt, false);
  assert.match([...drawn.svg.matchAll(/ d="([^"]*)"/g)].map((d) => d[1]).join(' '), /[cCaA]/);
  const soft = sprite();
  soft.data[4 * 20 + 3] = 128;
  assert.equal(isPixelArt(soft.data, 16, 16), false);
  const noisy = new Uint8Array(16 * 16 * 4);
  for (let p = 0; p < 256; p++) noisy.set([(p * 37) & 255, (p * 91) & 255, (p * 53) & 255, 255], 4 * p);
  assert.equal(isPixelArt(noisy, 16, 16), false);
});
