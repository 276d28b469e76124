/**
 * Decoding of encoded images (a file path or bytes) into the engine's RGBA input, with sharp (PNG, JPEG,
 * WebP, GIF, TIFF, AVIF/HEIF, SVG...) and our own BMP decoder (libvips cannot read BMP).
 */
import { open } from 'node:fs/promises';
import sharp from 'sharp';
import { OptionError, describeValue } from '../engine/errors.js';
import type { RgbaImage } from '../engine/types.js';
import { decodeBmp, isBmp } from './bmp.js';
import { DecodeError, displayName } from './errors.js';

export { DecodeError } from './errors.js';
export type { DecodeErrorCode } from './errors.js';

export const DEFAULT_LIMIT_INPUT_PIXELS = 100_000_000;
const SUPPORTED = 'PNG, JPEG, WebP, GIF, TIFF, BMP';

export interface DecodeOptions {
  /** Refuse images with more pixels (width × height) than this, before decoding them. 0 means no limit. Default 100,000,000. */
  limitInputPixels?: number;
  /** Page or frame of a multi-page image (TIFF, GIF, WebP...), from 0. Default 0. */
  page?: number;
  /** Name used in error messages; defaults to the path for a path input, "image data" for bytes. */
  name?: string;
}

/**
 * Decodes an image file (path) or encoded bytes into RGBA 8-bit with straight alpha, EXIF orientation
 * applied. Throws DecodeError (FILE_NOT_FOUND, UNREADABLE, UNSUPPORTED_IMAGE, IMAGE_TOO_LARGE) with a
 * one-line message naming the input, or OptionError for a bad decode option.
 */
export async function decodeImage(input: string | Buffer | Uint8Array, options: DecodeOptions = {}): Promise<RgbaImage> {
  const limit = options.limitInputPixels ?? DEFAULT_LIMIT_INPUT_PIXELS;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) {
    throw new OptionError('limitInputPixels', 'a non-negative integer (0 for no limit)', limit);
  }
  const page = options.page ?? 0;
  if (typeof page !== 'number' || !Number.isInteger(page) || page < 0) {
    throw new OptionError('page', 'a non-negative integer', page);
  }

  let source: string | Uint8Array;
  let name: string | undefined;
  if (typeof input === 'string') {
    name = options.name ?? input;
    const bmp = await readIfBmp(input, name);
    source = bmp ?? input;
  } else if (input instanceof Uint8Array) {
    name = options.name;
    if (input.length === 0) {
      throw new DecodeError('UNSUPPORTED_IMAGE', `cannot decode ${displayName(name)}: it is empty`, name);
    }
    source = input;
  } else {
    throw new DecodeError(
      'UNREADABLE',
      `cannot decode the input: expected a file path, a Buffer or a Uint8Array, got ${describeValue(input)}`,
    );
  }

  if (typeof source !== 'string' && isBmp(source)) {
    if (page > 0) {
      throw new DecodeError('UNSUPPORTED_IMAGE', `cannot decode ${displayName(name)}: a BMP has a single page, page ${page} requested`, name);
    }
    return decodeBmp(source, { name, limitInputPixels: limit });
  }
  return decodeWithSharp(source, name, limit, page);
}

/**
 * Opens the file (turning a missing or unreadable file into a DecodeError) and reads it whole only when it
 * is a BMP; other formats are left for sharp to read from the path.
 */
async function readIfBmp(path: string, name: string): Promise<Uint8Array | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw fileError(error, name);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new DecodeError('UNREADABLE', `cannot read ${displayName(name)}: it is a directory`, name);
    if (stat.size === 0) throw new DecodeError('UNSUPPORTED_IMAGE', `cannot decode ${displayName(name)}: the file is empty`, name);
    const head = new Uint8Array(2);
    await handle.read(head, 0, 2, 0);
    if (head[0] !== 0x42 || head[1] !== 0x4d) return null;
    const whole = await handle.readFile();
    return new Uint8Array(whole.buffer, whole.byteOffset, whole.length);
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    throw fileError(error, name);
  } finally {
    await handle.close();
  }
}

function fileError(error: unknown, name: string): DecodeError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new DecodeError('FILE_NOT_FOUND', `cannot read ${displayName(name)}: no such file`, name);
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new DecodeError('UNREADABLE', `cannot read ${displayName(name)}: permission denied`, name);
  }
  if (code === 'EISDIR') return new DecodeError('UNREADABLE', `cannot read ${displayName(name)}: it is a directory`, name);
  return new DecodeError('UNREADABLE', `cannot read ${displayName(name)}: ${oneLine(error)}`, name);
}

async function decodeWithSharp(source: string | Uint8Array, name: string | undefined, limit: number, page: number): Promise<RgbaImage> {
  try {
    if (page > 0) {
      const pages = (await sharp(source, { limitInputPixels: false }).metadata()).pages ?? 1;
      if (page >= pages) {
        throw new DecodeError(
          'UNSUPPORTED_IMAGE',
          `cannot decode ${displayName(name)}: page ${page} requested but the image has ${pages} page${pages === 1 ? '' : 's'}`,
          name,
        );
      }
    }
    const { data, info } = await sharp(source, { limitInputPixels: limit === 0 ? false : limit, page, failOn: 'truncated' })
      .autoOrient()
      .toColourspace('srgb')
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) {
      throw new DecodeError('UNSUPPORTED_IMAGE', `cannot decode ${displayName(name)}: got ${info.channels} channels instead of RGBA`, name);
    }
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    throw await sharpError(error, source, name, limit);
  }
}

async function sharpError(error: unknown, source: string | Uint8Array, name: string | undefined, limit: number): Promise<DecodeError> {
  const message = oneLine(error);
  const who = displayName(name);
  if (/exceeds pixel limit/i.test(message)) {
    let size = 'the image';
    try {
      const meta = await sharp(source, { limitInputPixels: false }).metadata();
      if (meta.width && meta.height) size = `${meta.width}×${meta.height} = ${meta.width * meta.height} pixels`;
    } catch {
      // keep the generic wording
    }
    return new DecodeError('IMAGE_TOO_LARGE', `cannot decode ${who}: ${size} is over the limit of ${limit} pixels`, name);
  }
  if (/input file is missing/i.test(message)) return new DecodeError('FILE_NOT_FOUND', `cannot read ${who}: no such file`, name);
  if (/unsupported image format/i.test(message)) {
    return new DecodeError('UNSUPPORTED_IMAGE', `cannot decode ${who}: not a supported image (${SUPPORTED})`, name);
  }
  if (/corrupt|premature|truncat|read error|invalid|bad |damaged|unexpected end/i.test(message)) {
    return new DecodeError('UNSUPPORTED_IMAGE', `cannot decode ${who}: the image is truncated or corrupt (${message})`, name);
  }
  return new DecodeError('UNSUPPORTED_IMAGE', `cannot decode ${who}: ${message}`, name);
}

/** An error's message on one line, without a trailing colon (libvips messages often end with one). */
function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split(/\r?\n/).map((s) => s.trim()).filter(Boolean).join('; ').replace(/[:;]\s*$/, '') || 'unknown error';
}
