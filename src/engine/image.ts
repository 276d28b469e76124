import { ImageDataError } from './errors.js';
import type { RgbaImage } from './types.js';

/** Checks that the buffer describes a W×H RGBA image; returns the bytes as a Uint8Array view. */
export function checkImage(image: RgbaImage): Uint8Array {
  if (image === null || typeof image !== 'object') throw new ImageDataError(`image must be an object { data, width, height }, got ${image}`);
  const { data, width, height } = image;
  if (!Number.isInteger(width) || width < 1) throw new ImageDataError(`image width must be a positive integer, got ${width}`);
  if (!Number.isInteger(height) || height < 1) throw new ImageDataError(`image height must be a positive integer, got ${height}`);
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) {
    throw new ImageDataError('image data must be a Uint8Array or Uint8ClampedArray of RGBA bytes');
  }
  const expected = width * height * 4;
  if (data.length !== expected) {
    throw new ImageDataError(`image data must hold width × height × 4 = ${expected} bytes (RGBA), got ${data.length}`);
  }
  return data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/**
 * Alpha at or above this is visible: a boundary then falls where coverage crosses one half, so
 * anti-aliased edges keep their true width instead of coming out fat.
 */
export const ALPHA_VISIBLE = 128;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The pixels as 32-bit words (R in the low byte, A in the high one) when the bytes allow it: aligned, on a
 * little-endian machine. One read per pixel instead of four; null otherwise (callers read bytes).
 */
export function pixelWords(data: Uint8Array): Uint32Array | null {
  return LITTLE_ENDIAN && (data.byteOffset & 3) === 0 ? new Uint32Array(data.buffer, data.byteOffset, data.length >> 2) : null;
}

/**
 * The pixels as 32-bit words as pixelWords reads them, copied when the bytes do not allow a view (unaligned, or a
 * big-endian machine): for a pass over every pixel, which then reads one word per pixel without a test.
 */
export function pixelWordsAlways(data: Uint8Array): Uint32Array {
  const words = pixelWords(data);
  if (words !== null) return words;
  const n = data.length >> 2, copy = new Uint32Array(n);
  for (let p = 0, i = 0; p < n; p++, i += 4) copy[p] = (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)) >>> 0;
  return copy;
}

/** Pixel p as a 32-bit word (R in the low byte, A in the high one): from `words` when given, else from bytes. */
export function pixelAt(words: Uint32Array | null, data: Uint8Array, p: number): number {
  if (words !== null) return words[p];
  const i = 4 * p;
  return (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)) >>> 0;
}

/**
 * Rec. 601 luma of pixel p composited over white, 0–255: what binary mode thresholds, so also what its
 * sub-pixel edges measure coverage on.
 */
export function lumaOverWhite(data: Uint8Array, p: number): number {
  const i = 4 * p, a = data[i + 3];
  const lum = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
  return (a * lum + (255 - a) * 255) / 255;
}

/** lumaOverWhite of every pixel (n of them), into `out`. */
export function lumaPlane(data: Uint8Array, n: number, out: Float32Array = new Float32Array(n)): Float32Array {
  for (let p = 0; p < n; p++) out[p] = lumaOverWhite(data, p);
  return out;
}
