/**
 * A small BMP decoder (sharp/libvips cannot read BMP). Supports the Windows BMP family as written by common
 * tools: core (OS/2 v1) and info headers up to V5, 1/4/8-bit palettes (uncompressed or RLE4/RLE8), 16-bit
 * (5-5-5 or bit fields), 24-bit, and 32-bit (with or without an alpha mask), bottom-up and top-down rows.
 * Output: RGBA 8-bit straight alpha, top row first.
 */
import type { RgbaImage } from '../engine/types.js';
import { DecodeError, displayName } from './errors.js';

const BI_RGB = 0;
const BI_RLE8 = 1;
const BI_RLE4 = 2;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

export interface BmpDecodeOptions {
  /** Name used in error messages (a file path). */
  name?: string;
  /** Refuse images with more pixels than this, before allocating them. */
  limitInputPixels?: number;
}

/** True when the bytes start like a Windows BMP file. */
export function isBmp(bytes: Uint8Array): boolean {
  return bytes.length >= 26 && bytes[0] === 0x42 && bytes[1] === 0x4d;
}

/** Bit layout of one channel inside a 16- or 32-bit pixel. */
interface Channel {
  mask: number;
  shift: number;
  /** Maximum value after masking and shifting (0 when the channel is absent). */
  max: number;
}

function channel(mask: number): Channel {
  mask >>>= 0;
  if (mask === 0) return { mask: 0, shift: 0, max: 0 };
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  return { mask, shift, max: mask >>> shift };
}

/** Lookup table from a channel's raw value to 8 bits, for channels up to 16 bits wide. */
function scaleTable(ch: Channel): Uint8Array | null {
  if (ch.max === 0 || ch.max > 0xffff) return null;
  const table = new Uint8Array(ch.max + 1);
  for (let v = 0; v <= ch.max; v++) table[v] = Math.round((v * 255) / ch.max);
  return table;
}

export function decodeBmp(bytes: Uint8Array, options: BmpDecodeOptions = {}): RgbaImage {
  const who = displayName(options.name);
  const fail = (why: string): never => {
    throw new DecodeError('UNSUPPORTED_IMAGE', `cannot decode ${who}: ${why}`, options.name);
  };
  if (!isBmp(bytes)) fail('not a BMP file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataOffset = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);

  let width: number;
  let rawHeight: number;
  let bpp: number;
  let compression = BI_RGB;
  let colorsUsed = 0;
  let paletteEntrySize = 4;
  let maskOffset = -1;
  let maskCount = 0;
  if (headerSize === 12) {
    if (bytes.length < 26) fail('truncated BMP header');
    width = view.getUint16(18, true);
    rawHeight = view.getInt16(20, true);
    bpp = view.getUint16(24, true);
    paletteEntrySize = 3;
  } else if (headerSize >= 16) {
    if (bytes.length < 14 + Math.min(headerSize, 40)) fail('truncated BMP header');
    width = view.getInt32(18, true);
    rawHeight = view.getInt32(22, true);
    bpp = view.getUint16(28, true);
    if (headerSize >= 20) compression = view.getUint32(30, true);
    if (headerSize >= 36) colorsUsed = view.getUint32(46, true);
    if (headerSize === 40 && compression === BI_BITFIELDS) { maskOffset = 54; maskCount = 3; }
    else if (headerSize === 40 && compression === BI_ALPHABITFIELDS) { maskOffset = 54; maskCount = 4; }
    else if (headerSize >= 52) { maskOffset = 54; maskCount = headerSize >= 56 ? 4 : 3; }
  } else {
    return fail(`unknown BMP header size ${headerSize}`);
  }

  const topDown = rawHeight < 0;
  const height = Math.abs(rawHeight);
  if (width <= 0 || height === 0) fail(`invalid BMP size ${width}×${rawHeight}`);
  const limit = options.limitInputPixels;
  if (limit !== undefined && limit > 0 && width * height > limit) {
    throw new DecodeError(
      'IMAGE_TOO_LARGE',
      `cannot decode ${who}: ${width}×${height} is ${width * height} pixels, over the limit of ${limit}`,
      options.name,
    );
  }
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) fail(`unsupported BMP bit depth ${bpp}`);
  const supported = compression === BI_RGB
    || (compression === BI_RLE8 && bpp === 8) || (compression === BI_RLE4 && bpp === 4)
    || ((compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) && (bpp === 16 || bpp === 32));
  if (!supported) fail(`unsupported BMP compression ${compression} at ${bpp} bits per pixel`);

  // Palette (1/4/8 bits): BGR(x) entries right after the header (and the masks of an info header).
  let palette: Uint8Array | null = null;
  if (bpp <= 8) {
    const start = 14 + headerSize + (headerSize === 40 && maskOffset === 54 ? maskCount * 4 : 0);
    const count = colorsUsed > 0 && colorsUsed <= 256 ? colorsUsed : 1 << bpp;
    palette = new Uint8Array(256 * 4);
    for (let i = 0; i < 256; i++) palette[i * 4 + 3] = 255;
    for (let i = 0; i < count; i++) {
      const p = start + i * paletteEntrySize;
      if (p + 3 > bytes.length || p + 3 > dataOffset) break;
      palette[i * 4] = bytes[p + 2];
      palette[i * 4 + 1] = bytes[p + 1];
      palette[i * 4 + 2] = bytes[p];
    }
  }

  const out = new Uint8Array(width * height * 4);
  if (compression === BI_RLE8 || compression === BI_RLE4) {
    decodeRle(bytes, dataOffset, width, height, topDown, bpp === 8, palette!, out);
    return { data: out, width, height };
  }

  const stride = Math.floor((bpp * width + 31) / 32) * 4;
  if (dataOffset + stride * (height - 1) + Math.ceil((bpp * width) / 8) > bytes.length) {
    fail('the BMP file is truncated');
  }
  const rowStart = (y: number): number => dataOffset + (topDown ? y : height - 1 - y) * stride;

  if (palette !== null) {
    const pixelsPerByte = 8 / bpp;
    const valueMask = (1 << bpp) - 1;
    for (let y = 0; y < height; y++) {
      const row = rowStart(y);
      let o = y * width * 4;
      for (let x = 0; x < width; x++, o += 4) {
        const byte = bytes[row + Math.floor(x / pixelsPerByte)];
        const shift = 8 - bpp * ((x % pixelsPerByte) + 1);
        const p = ((byte >> shift) & valueMask) * 4;
        out[o] = palette[p]; out[o + 1] = palette[p + 1]; out[o + 2] = palette[p + 2]; out[o + 3] = 255;
      }
    }
    return { data: out, width, height };
  }

  if (bpp === 24) {
    for (let y = 0; y < height; y++) {
      let s = rowStart(y);
      let o = y * width * 4;
      for (let x = 0; x < width; x++, s += 3, o += 4) {
        out[o] = bytes[s + 2]; out[o + 1] = bytes[s + 1]; out[o + 2] = bytes[s]; out[o + 3] = 255;
      }
    }
    return { data: out, width, height };
  }

  // 16 and 32 bits: bit fields (explicit masks, or the defaults of BI_RGB).
  let masks: number[];
  if (compression === BI_RGB || maskOffset < 0) {
    masks = bpp === 16 ? [0x7c00, 0x03e0, 0x001f, 0] : [0x00ff0000, 0x0000ff00, 0x000000ff, 0];
  } else {
    if (maskOffset + maskCount * 4 > bytes.length) fail('truncated BMP header');
    masks = [0, 0, 0, 0];
    for (let i = 0; i < maskCount; i++) masks[i] = view.getUint32(maskOffset + i * 4, true);
  }
  // A 32-bit BI_RGB file keeps its 4th byte "reserved"; many tools store alpha there, so use it when present.
  if (bpp === 32 && compression === BI_RGB) masks[3] = 0xff000000;
  const channels = masks.map(channel);
  const step = bpp / 8;
  let alphaSeen = false;
  if (bpp === 32 && masks[0] === 0x00ff0000 && masks[1] === 0x0000ff00 && masks[2] === 0x000000ff
    && (masks[3] === 0xff000000 || masks[3] === 0)) {
    // The usual layout, bytes B G R A: copy bytes.
    const withAlpha = masks[3] !== 0;
    for (let y = 0; y < height; y++) {
      let s = rowStart(y);
      let o = y * width * 4;
      for (let x = 0; x < width; x++, s += 4, o += 4) {
        out[o] = bytes[s + 2]; out[o + 1] = bytes[s + 1]; out[o + 2] = bytes[s];
        const a = withAlpha ? bytes[s + 3] : 0;
        out[o + 3] = a;
        if (a !== 0) alphaSeen = true;
      }
    }
  } else {
    const [r, g, b, a] = channels;
    const [rt, gt, bt, at] = channels.map(scaleTable);
    const scale = (px: number, ch: Channel, table: Uint8Array | null): number => {
      if (ch.max === 0) return 0;
      const v = ((px & ch.mask) >>> 0) >>> ch.shift;
      return table !== null ? table[v] : Math.round((v * 255) / ch.max);
    };
    for (let y = 0; y < height; y++) {
      let s = rowStart(y);
      let o = y * width * 4;
      for (let x = 0; x < width; x++, s += step, o += 4) {
        const px = step === 2
          ? bytes[s] | (bytes[s + 1] << 8)
          : (bytes[s] | (bytes[s + 1] << 8) | (bytes[s + 2] << 16) | (bytes[s + 3] << 24)) >>> 0;
        out[o] = scale(px, r, rt);
        out[o + 1] = scale(px, g, gt);
        out[o + 2] = scale(px, b, bt);
        out[o + 3] = scale(px, a, at);
        if (out[o + 3] !== 0) alphaSeen = true;
      }
    }
  }
  // No alpha channel, or an alpha channel that is zero everywhere (a writer that leaves it unset): opaque.
  if (channels[3].max === 0 || !alphaSeen) {
    for (let i = 3; i < out.length; i += 4) out[i] = 255;
  }
  return { data: out, width, height };
}

/** RLE8/RLE4: runs and absolute blocks of palette indices; pixels never written stay transparent. */
function decodeRle(
  bytes: Uint8Array, offset: number, width: number, height: number, topDown: boolean, eight: boolean,
  palette: Uint8Array, out: Uint8Array,
): void {
  let x = 0;
  let line = 0; // counts rows in file order
  let p = offset;
  const put = (index: number): void => {
    if (x < width && line < height) {
      const y = topDown ? line : height - 1 - line;
      const o = (y * width + x) * 4;
      const q = index * 4;
      out[o] = palette[q]; out[o + 1] = palette[q + 1]; out[o + 2] = palette[q + 2]; out[o + 3] = 255;
    }
    x++;
  };
  while (p + 1 < bytes.length && line < height) {
    const count = bytes[p];
    const value = bytes[p + 1];
    p += 2;
    if (count > 0) {
      for (let i = 0; i < count; i++) put(eight ? value : i % 2 === 0 ? value >> 4 : value & 15);
    } else if (value === 0) {
      x = 0; line++;
    } else if (value === 1) {
      return;
    } else if (value === 2) {
      if (p + 1 >= bytes.length) return;
      x += bytes[p]; line += bytes[p + 1];
      p += 2;
    } else {
      const n = value;
      const byteCount = eight ? n : Math.ceil(n / 2);
      for (let i = 0; i < n && p + (eight ? i : i >> 1) < bytes.length; i++) {
        const b = bytes[p + (eight ? i : i >> 1)];
        put(eight ? b : i % 2 === 0 ? b >> 4 : b & 15);
      }
      p += byteCount + (byteCount % 2); // absolute runs are padded to 16 bits
    }
  }
}
