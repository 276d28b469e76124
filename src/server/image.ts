/**
 * Inputs: data URLs and bare base64 to bytes, and a cheap probe of the bytes (format and size from the
 * header, no decoding) so that an unsupported image answers 400 and an oversized one 413 before any job.
 */
import sharp from 'sharp';
import { isBmp } from 'vtracer-ts';
import { ApiError, badRequest } from './errors.js';
import { imageEnd } from './image-end.js';

export const SUPPORTED_FORMATS = 'PNG, JPEG, WebP, GIF, BMP or TIFF';

const MIME_BY_FORMAT: Record<string, string> = {
  png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif', tiff: 'image/tiff', bmp: 'image/bmp',
};

export interface ImageLimits {
  /** Maximum encoded size in bytes. */
  maxBytes: number;
  /** Maximum width × height. */
  maxPixels: number;
}

export interface ProbedImage {
  format: string;
  mimeType: string;
  width: number;
  height: number;
  /** The image's bytes: the given ones without whatever follows the end of the image (image-end.ts). */
  bytes: Buffer;
}

/**
 * Decodes `data:[<mime>][;…];base64,<payload>` or bare base64 into bytes. Strict about the alphabet, so that
 * a typo is an error rather than silently skipped characters. Size checked before decoding.
 */
export function decodeImageString(field: string, value: string, maxBytes: number): Buffer {
  let payload = value;
  if (value.startsWith('data:')) {
    const comma = value.indexOf(',');
    const header = comma < 0 ? value.slice(0, 100) : value.slice(5, comma);
    if (comma < 0 || !/;base64$/i.test(header)) {
      throw badRequest(field, 'a base64 data URL (data:image/png;base64,…)', value.slice(0, 60));
    }
    const mime = header.split(';')[0]!.toLowerCase();
    if (mime && !mime.startsWith('image/') && mime !== 'application/octet-stream') {
      throw new ApiError(400, `${field} must be an image data URL (${SUPPORTED_FORMATS}), got a data URL of type ${JSON.stringify(mime)}`);
    }
    payload = value.slice(comma + 1);
  }
  payload = payload.replace(/\s+/g, '');
  if (payload.length === 0) throw badRequest(field, 'a non-empty base64 image', value.slice(0, 60));
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(payload) || payload.length % 4 === 1) {
    throw badRequest(field, 'base64 data (A-Z, a-z, 0-9, +, / and = padding)', value.slice(0, 60));
  }
  const approxBytes = Math.floor((payload.length * 3) / 4);
  if (approxBytes - 2 > maxBytes) {
    throw new ApiError(413, `${field} is ${approxBytes} bytes, over the limit of ${maxBytes} bytes`);
  }
  return Buffer.from(payload, payload.includes('-') || payload.includes('_') ? 'base64url' : 'base64');
}

function bmpSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (bytes.length < 26) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerSize = view.getUint32(14, true);
  if (headerSize === 12) return { width: view.getUint16(18, true), height: view.getUint16(20, true) };
  return { width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
}

/** Format and size of encoded image bytes, checked against the limits; throws ApiError 400 or 413. */
export async function probeImage(field: string, bytes: Uint8Array, limits: ImageLimits): Promise<ProbedImage> {
  if (bytes.length > limits.maxBytes) {
    throw new ApiError(413, `${field} is ${bytes.length} bytes, over the limit of ${limits.maxBytes} bytes`);
  }
  let probed: Omit<ProbedImage, 'bytes'> | null = null;
  if (isBmp(bytes)) {
    const size = bmpSize(bytes);
    if (size) probed = { format: 'bmp', mimeType: MIME_BY_FORMAT.bmp!, ...size };
  } else {
    try {
      const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
      const format = String(meta.format) === 'jpg' ? 'jpeg' : String(meta.format);
      if (format && MIME_BY_FORMAT[format] && meta.width && meta.height) {
        probed = { format, mimeType: MIME_BY_FORMAT[format]!, width: meta.width, height: meta.height };
      }
    } catch {
      probed = null;
    }
  }
  if (!probed || probed.width <= 0 || probed.height <= 0) {
    const head = Buffer.from(bytes.subarray(0, 8)).toString('hex');
    throw new ApiError(400, `${field} must be a ${SUPPORTED_FORMATS} image, got ${bytes.length} bytes that are not one (starting with 0x${head || '""'})`);
  }
  const pixels = probed.width * probed.height;
  if (pixels > limits.maxPixels) {
    throw new ApiError(413, `${field} is ${probed.width}×${probed.height} = ${pixels} pixels, over the limit of ${limits.maxPixels} pixels`);
  }
  const whole = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { ...probed, bytes: whole.subarray(0, imageEnd(probed.format, whole)) };
}

