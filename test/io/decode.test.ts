import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { VtracerError } from '../../src/engine/errors.js';
import type { RgbaImage } from '../../src/engine/types.js';
import { DecodeError, decodeImage } from '../../src/io/decode.js';
import { encodeBmp } from './bmp-writer.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** A small RGBA test card: distinct colours in every pixel, alpha varying, odd width (row padding). */
function testCard(width = 13, height = 7): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = (x * 19) & 255;
      data[i + 1] = (y * 37) & 255;
      data[i + 2] = (x * 7 + y * 11) & 255;
      data[i + 3] = x === 0 ? 0 : 255 - ((x + y) * 9) % 200;
    }
  }
  return { data, width, height };
}

/** An opaque image of a few flat colours (palette formats, lossy formats). */
function flatCard(width = 13, height = 7, colours = [[230, 30, 40], [20, 200, 60], [30, 40, 220], [250, 250, 250]]): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = colours[(Math.floor(x / 3) + y) % colours.length];
      data.set([c[0], c[1], c[2], 255], (y * width + x) * 4);
    }
  }
  return { data, width, height };
}

function fromRgba(img: RgbaImage) {
  return sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 4 } });
}

function maxDifference(a: RgbaImage, b: RgbaImage, channels = [0, 1, 2, 3]): number {
  assert.equal(a.width, b.width, 'width');
  assert.equal(a.height, b.height, 'height');
  assert.equal(a.data.length, a.width * a.height * 4, 'RGBA length');
  let max = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    for (const c of channels) max = Math.max(max, Math.abs(a.data[i + c] - b.data[i + c]));
  }
  return max;
}

/** RGB compared only where alpha > 0 (encoders may rewrite the colour of invisible pixels). */
function maxVisibleDifference(a: RgbaImage, b: RgbaImage): number {
  let max = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    max = Math.max(max, Math.abs(a.data[i + 3] - b.data[i + 3]));
    if (b.data[i + 3] === 0) continue;
    for (let c = 0; c < 3; c++) max = Math.max(max, Math.abs(a.data[i + c] - b.data[i + c]));
  }
  return max;
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vtracer-decode-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('decodeImage: formats', () => {
  test('PNG with alpha decodes to the exact RGBA pixels, from a path and from bytes', async () => {
    const card = testCard();
    const png = await fromRgba(card).png().toBuffer();
    const path = join(dir, 'card.png');
    await writeFile(path, png);
    const fromPath = await decodeImage(path);
    assert.ok(fromPath.data instanceof Uint8Array);
    assert.equal(maxDifference(fromPath, card), 0);
    assert.equal(maxDifference(await decodeImage(png), card), 0);
    assert.equal(maxDifference(await decodeImage(new Uint8Array(png)), card), 0);
  });

  test('lossless WebP and TIFF keep every pixel', async () => {
    const card = testCard();
    const webp = await fromRgba(card).webp({ lossless: true, exact: true }).toBuffer();
    assert.equal(maxDifference(await decodeImage(webp), card), 0);
    const tiff = await fromRgba(card).tiff({ compression: 'lzw' }).toBuffer();
    assert.equal(maxDifference(await decodeImage(tiff), card), 0);
  });

  test('JPEG decodes close to the source, opaque', async () => {
    const card = flatCard(48, 32);
    const jpeg = await fromRgba(card).jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).toBuffer();
    const img = await decodeImage(jpeg);
    assert.equal(img.width, 48);
    assert.equal(img.height, 32);
    for (let i = 3; i < img.data.length; i += 4) assert.equal(img.data[i], 255);
    let sum = 0;
    for (let i = 0; i < img.data.length; i++) if (i % 4 !== 3) sum += Math.abs(img.data[i] - card.data[i]);
    assert.ok(sum / (48 * 32 * 3) < 6, `mean error ${sum / (48 * 32 * 3)}`);
  });

  test('GIF: the first frame by default, another with `page`', async () => {
    const frame0 = flatCard(12, 8);
    const frame1 = flatCard(12, 8, [[0, 0, 0], [255, 255, 0]]);
    const both = new Uint8Array(frame0.data.length * 2);
    both.set(frame0.data);
    both.set(frame1.data, frame0.data.length);
    const gif = await sharp(Buffer.from(both), { raw: { width: 12, height: 16, channels: 4, pageHeight: 8 } })
      .gif({ dither: 0 })
      .toBuffer();
    assert.equal((await sharp(gif).metadata()).pages, 2);
    const first = await decodeImage(gif);
    assert.equal(first.height, 8);
    assert.ok(maxDifference(first, frame0) <= 2, 'frame 0');
    const second = await decodeImage(gif, { page: 1 });
    assert.ok(maxDifference(second, frame1) <= 2, 'frame 1');
    await assert.rejects(decodeImage(gif, { page: 2 }), (e: unknown) => e instanceof DecodeError && /page 2/.test(e.message));
  });

  test('greyscale and 16-bit PNGs come out as 8-bit RGBA', async () => {
    const grey = Buffer.alloc(20 * 10);
    for (let i = 0; i < grey.length; i++) grey[i] = i % 256;
    const png8 = await sharp(grey, { raw: { width: 20, height: 10, channels: 1 } }).png().toBuffer();
    const png16 = await sharp(grey, { raw: { width: 20, height: 10, channels: 1 } }).toColourspace('grey16').png().toBuffer();
    assert.equal((await sharp(png16).metadata()).depth, 'ushort');
    for (const png of [png8, png16]) {
      const img = await decodeImage(png);
      assert.equal(img.data.length, 20 * 10 * 4);
      for (let p = 0; p < 200; p++) {
        assert.deepEqual([...img.data.subarray(p * 4, p * 4 + 4)], [p % 256, p % 256, p % 256, 255]);
      }
    }
  });

  test('EXIF orientation is applied', async () => {
    // 20×10: left half red, right half blue; orientation 6 = display rotated 90° clockwise (10×20, red on top).
    const src = new Uint8Array(20 * 10 * 4);
    for (let y = 0; y < 10; y++) {
      for (let x = 0; x < 20; x++) src.set(x < 10 ? [255, 0, 0, 255] : [0, 0, 255, 255], (y * 20 + x) * 4);
    }
    const jpeg = await fromRgba({ data: src, width: 20, height: 10 }).jpeg({ quality: 100 }).withMetadata({ orientation: 6 }).toBuffer();
    assert.equal((await sharp(jpeg).metadata()).orientation, 6);
    const img = await decodeImage(jpeg);
    assert.equal(img.width, 10);
    assert.equal(img.height, 20);
    const at = (x: number, y: number) => [...img.data.subarray((y * 10 + x) * 4, (y * 10 + x) * 4 + 3)];
    assert.ok(at(5, 2)[0] > 200 && at(5, 2)[2] < 60, `top is red: ${at(5, 2)}`);
    assert.ok(at(5, 17)[2] > 200 && at(5, 17)[0] < 60, `bottom is blue: ${at(5, 17)}`);
  });
});

describe('decodeImage: BMP', () => {
  test('a 32-bit V5 BMP written by another encoder decodes to the same pixels as its PNG twin', async () => {
    const bmp = await decodeImage(join(FIXTURES, 'bmp', 'python.bmp'));
    const png = await decodeImage(join(FIXTURES, 'bmp', 'python.png'));
    assert.equal(bmp.width, 16);
    assert.equal(maxDifference(bmp, png), 0);
    const alphas = new Set<number>();
    for (let i = 3; i < bmp.data.length; i += 4) alphas.add(bmp.data[i]);
    assert.ok(alphas.size > 10, 'the alpha channel is used');
  });

  test('24-bit, bottom-up and top-down, odd width (row padding)', async () => {
    const card = testCard();
    const opaque = { ...card, data: card.data.map((v, i) => (i % 4 === 3 ? 255 : v)) };
    for (const topDown of [false, true]) {
      const img = await decodeImage(encodeBmp(card, { bpp: 24, topDown }));
      assert.equal(maxDifference(img, opaque), 0, `topDown=${topDown}`);
    }
    const path = join(dir, 'card.bmp');
    await writeFile(path, encodeBmp(card, { bpp: 24 }));
    assert.equal(maxDifference(await decodeImage(path), opaque), 0, 'from a path');
  });

  test('32-bit: BI_RGB with alpha in the 4th byte, and bit fields in RGBA byte order (V4 header)', async () => {
    const card = testCard();
    assert.equal(maxDifference(await decodeImage(encodeBmp(card, { bpp: 32 })), card), 0);
    const rgbaOrder: [number, number, number, number] = [0x000000ff, 0x0000ff00, 0x00ff0000, 0xff000000];
    const v4 = encodeBmp(card, { bpp: 32, header: 108, compression: 'bitfields', masks: rgbaOrder });
    assert.equal(maxDifference(await decodeImage(v4), card), 0);
  });

  test('32-bit BI_RGB whose 4th byte is all zero is opaque', async () => {
    const card = testCard();
    const noAlpha = { ...card, data: card.data.map((v, i) => (i % 4 === 3 ? 0 : v)) };
    const img = await decodeImage(encodeBmp(noAlpha, { bpp: 32 }));
    assert.equal(maxDifference(img, card, [0, 1, 2]), 0);
    for (let i = 3; i < img.data.length; i += 4) assert.equal(img.data[i], 255);
  });

  test('16-bit 5-6-5 bit fields', async () => {
    const card = testCard();
    const img = await decodeImage(encodeBmp(card, { bpp: 16, compression: 'bitfields', masks: [0xf800, 0x07e0, 0x001f, 0] }));
    // 5 and 6 bits per channel: at most half a step of 255/31 off
    assert.ok(maxDifference(img, card, [0, 1, 2]) <= 5);
    for (let i = 3; i < img.data.length; i += 4) assert.equal(img.data[i], 255);
  });

  test('palettes: 8, 4 and 1 bits, core header, RLE8 and RLE4', async () => {
    const four = flatCard();
    const two = flatCard(13, 7, [[0, 0, 0], [255, 255, 255]]);
    const cases: [string, RgbaImage, Parameters<typeof encodeBmp>[1]][] = [
      ['8-bit', four, { bpp: 8 }],
      ['4-bit', four, { bpp: 4 }],
      ['1-bit', two, { bpp: 1 }],
      ['8-bit core header', four, { bpp: 8, header: 12 }],
      ['RLE8', four, { bpp: 8, compression: 'rle' }],
      ['RLE4', four, { bpp: 4, compression: 'rle' }],
      ['RLE8 top-down', four, { bpp: 8, compression: 'rle', topDown: true }],
    ];
    for (const [label, src, options] of cases) {
      assert.equal(maxDifference(await decodeImage(encodeBmp(src, options)), src), 0, label);
    }
  });

  test('a truncated or unsupported BMP is a DecodeError', async () => {
    const full = encodeBmp(testCard(40, 30), { bpp: 24 });
    await assert.rejects(decodeImage(full.subarray(0, full.length - 500), { name: 'cut.bmp' }), {
      name: 'DecodeError', code: 'UNSUPPORTED_IMAGE', message: 'cannot decode "cut.bmp": the BMP file is truncated',
    });
    const jpegInside = Uint8Array.from(full);
    jpegInside[30] = 4; // compression BI_JPEG
    await assert.rejects(decodeImage(jpegInside), { code: 'UNSUPPORTED_IMAGE', message: /compression 4/ });
  });
});

describe('decodeImage: errors', () => {
  const isDecodeError = (code: string, pattern: RegExp) => (e: unknown) => {
    assert.ok(e instanceof DecodeError, `DecodeError expected, got ${String(e)}`);
    assert.ok(e instanceof VtracerError);
    assert.equal(e.code, code);
    assert.match(e.message, pattern);
    assert.doesNotMatch(e.message, /\n/, 'one line');
    return true;
  };

  test('missing file', async () => {
    const path = join(dir, 'nope.png');
    await assert.rejects(decodeImage(path), isDecodeError('FILE_NOT_FOUND', /^cannot read ".*nope\.png": no such file$/));
  });

  test('a directory', async () => {
    await assert.rejects(decodeImage(dir), isDecodeError('UNREADABLE', /is a directory/));
  });

  test('a text file renamed .png', async () => {
    const path = join(dir, 'notes.png');
    await writeFile(path, 'these are my notes, not an image\n');
    await assert.rejects(decodeImage(path), isDecodeError(
      'UNSUPPORTED_IMAGE', /^cannot decode ".*notes\.png": not a supported image \(PNG, JPEG, WebP, GIF, TIFF, BMP\)$/,
    ));
    await assert.rejects(decodeImage(Buffer.from('text')), isDecodeError('UNSUPPORTED_IMAGE', /^cannot decode image data: not a supported image/));
  });

  test('empty file and empty buffer', async () => {
    const path = join(dir, 'empty.png');
    await writeFile(path, '');
    await assert.rejects(decodeImage(path), isDecodeError('UNSUPPORTED_IMAGE', /empty/));
    await assert.rejects(decodeImage(new Uint8Array(0)), isDecodeError('UNSUPPORTED_IMAGE', /empty/));
  });

  test('a truncated PNG', async () => {
    const png = await readFile(join(FIXTURES, 'horse.png'));
    const path = join(dir, 'cut.png');
    await writeFile(path, png.subarray(0, Math.floor(png.length / 2)));
    await assert.rejects(decodeImage(path), isDecodeError('UNSUPPORTED_IMAGE', /^cannot decode ".*cut\.png": the image is truncated or corrupt/));
  });

  test('over the pixel limit: refused from the header, with the size in the message', async () => {
    const horse = join(FIXTURES, 'horse.png'); // 400×328 = 131,200 pixels
    await assert.rejects(decodeImage(horse, { limitInputPixels: 100_000 }), isDecodeError(
      'IMAGE_TOO_LARGE', /^cannot decode ".*horse\.png": 400×328 = 131200 pixels is over the limit of 100000 pixels$/,
    ));
    assert.equal((await decodeImage(horse, { limitInputPixels: 131_200 })).width, 400);
    const bmp = encodeBmp(testCard(40, 30), { bpp: 24 });
    await assert.rejects(decodeImage(bmp, { limitInputPixels: 1000 }), isDecodeError('IMAGE_TOO_LARGE', /40×30/));
  });

  test('a PNG header claiming 30000×30000 is refused by the default limit without decoding', async () => {
    const tiny = Buffer.from(await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } }).png().toBuffer());
    // IHDR: bytes 16..23 are width and height, 29..32 the chunk's CRC over bytes 12..28.
    tiny.writeUInt32BE(30000, 16);
    tiny.writeUInt32BE(30000, 20);
    tiny.writeUInt32BE(crc32(tiny.subarray(12, 29)), 29);
    await assert.rejects(decodeImage(tiny), isDecodeError('IMAGE_TOO_LARGE', /30000×30000 = 900000000 pixels is over the limit of 100000000/));
  });

  test('bad decode options are OptionErrors', async () => {
    await assert.rejects(decodeImage(join(FIXTURES, 'horse.png'), { limitInputPixels: -1 }), { name: 'OptionError', option: 'limitInputPixels' });
    await assert.rejects(decodeImage(join(FIXTURES, 'horse.png'), { page: 1.5 }), { name: 'OptionError', option: 'page' });
  });
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}
