/**
 * Hostile and edge-case encoded images for the hardening tests: a PNG header claiming any size, animated
 * GIF/WebP whose frames differ, truncated and corrupted files, and small edge images (1×1, transparent,
 * one colour, many colours).
 */
import sharp from 'sharp';

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A valid 1×1 PNG whose IHDR (with a correct CRC) claims `width`×`height`: a decompression bomb's header. */
export async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } }).png().toBuffer());
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

/**
 * An animated image of `frames` frames of `size`×`size`: frame 0 is a red square on white, the others are
 * entirely blue. Tracing the first frame gives red and white fills and no blue.
 */
export async function animated(format: 'gif' | 'webp', size = 32, frames = 3): Promise<Buffer> {
  const page = size * size * 4;
  const data = Buffer.alloc(page * frames);
  for (let f = 0; f < frames; f++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const i = f * page + (y * size + x) * 4;
        const inSquare = x >= size / 4 && x < (3 * size) / 4 && y >= size / 4 && y < (3 * size) / 4;
        const rgb = f > 0 ? [0, 0, 255] : inSquare ? [255, 0, 0] : [255, 255, 255];
        data[i] = rgb[0]!; data[i + 1] = rgb[1]!; data[i + 2] = rgb[2]!; data[i + 3] = 255;
      }
    }
  }
  const img = sharp(data, { raw: { width: size, height: size * frames, channels: 4, pageHeight: size } });
  return format === 'gif' ? img.gif({ dither: 0, delay: 100 }).toBuffer() : img.webp({ lossless: true, delay: 100 }).toBuffer();
}

export async function solidPng(width: number, height: number, rgba: [number, number, number, number]): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: rgba[0], g: rgba[1], b: rgba[2], alpha: rgba[3] / 255 } } })
    .png().toBuffer();
}

/** `width`×`height` pixels, every one a different colour (up to 2^24). */
export async function manyColoursPng(width: number, height: number): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const v = (i * 2654435761) % 16777216; // a permutation of the colours: all distinct for < 2^24 pixels
    data[i * 3] = v >> 16; data[i * 3 + 1] = (v >> 8) & 255; data[i * 3 + 2] = v & 255;
  }
  return sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/** The bytes with `count` bytes after the header overwritten (deterministic), so the pixel data is corrupt. */
export function corrupt(bytes: Buffer, from = 40, count = 64): Buffer {
  const out = Buffer.from(bytes);
  for (let i = 0; i < count && from + i < out.length - 12; i++) out[from + i] = (out[from + i]! * 31 + 17 + i) & 255;
  return out;
}
