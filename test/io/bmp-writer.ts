/**
 * A deliberately plain BMP writer for the decoder tests (no encoder in sharp or on the test machine writes
 * the variants we want to cover). Written straight from the file-format layout, independently of
 * src/io/bmp.ts: file header, DIB header (core 12, info 40, V4 108, V5 124), optional masks and palette,
 * rows padded to 4 bytes, bottom-up unless topDown.
 */
import type { RgbaImage } from '../../src/engine/types.js';

export interface BmpWriteOptions {
  bpp: 1 | 4 | 8 | 16 | 24 | 32;
  header?: 12 | 40 | 108 | 124;
  topDown?: boolean;
  /** 'bitfields' for 16/32 bits (masks below), 'rle' for RLE8 (8 bits) / RLE4 (4 bits). Default 'rgb'. */
  compression?: 'rgb' | 'bitfields' | 'rle';
  /** Channel masks for bitfields, [r, g, b, a]. */
  masks?: [number, number, number, number];
}

function u16(out: number[], v: number): void {
  out.push(v & 255, (v >>> 8) & 255);
}
function u32(out: number[], v: number): void {
  out.push(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255);
}

/** Palette of the distinct RGB colours of the image, in order of first appearance. */
export function paletteOf(img: RgbaImage): number[] {
  const colours: number[] = [];
  for (let i = 0; i < img.data.length; i += 4) {
    const c = (img.data[i] << 16) | (img.data[i + 1] << 8) | img.data[i + 2];
    if (!colours.includes(c)) colours.push(c);
  }
  return colours;
}

function packField(value8: number, mask: number): number {
  if (mask === 0) return 0;
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  const max = mask >>> shift;
  return (Math.round((value8 * max) / 255) << shift) >>> 0;
}

export function encodeBmp(img: RgbaImage, o: BmpWriteOptions): Uint8Array {
  const { width, height, data } = img;
  const header = o.header ?? 40;
  const compression = o.compression ?? 'rgb';
  const palette = o.bpp <= 8 ? paletteOf(img) : [];
  if (palette.length > 1 << o.bpp) throw new Error(`too many colours (${palette.length}) for ${o.bpp} bits`);
  const masks = o.masks ?? (o.bpp === 16 ? [0xf800, 0x07e0, 0x001f, 0] : [0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000]);

  // Pixel rows in file order.
  const rows: number[][] = [];
  for (let fileRow = 0; fileRow < height; fileRow++) {
    const y = o.topDown ? fileRow : height - 1 - fileRow;
    const row: number[] = [];
    const indices: number[] = [];
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
      if (o.bpp <= 8) indices.push(palette.indexOf((r << 16) | (g << 8) | b));
      else if (o.bpp === 24) row.push(b, g, r);
      else if (o.bpp === 32 && compression === 'rgb') row.push(b, g, r, a);
      else {
        const v = (packField(r, masks[0]) | packField(g, masks[1]) | packField(b, masks[2]) | packField(a, masks[3])) >>> 0;
        if (o.bpp === 16) u16(row, v);
        else u32(row, v);
      }
    }
    if (o.bpp <= 8 && compression !== 'rle') {
      const perByte = 8 / o.bpp;
      for (let x = 0; x < width; x += perByte) {
        let byte = 0;
        for (let k = 0; k < perByte; k++) byte |= (x + k < width ? indices[x + k] : 0) << (8 - o.bpp * (k + 1));
        row.push(byte);
      }
    }
    if (compression === 'rle') rows.push(rleRow(indices, o.bpp === 8));
    else {
      while (row.length % 4 !== 0) row.push(0);
      rows.push(row);
    }
  }
  const pixels: number[] = rows.flat();
  if (compression === 'rle') pixels.push(0, 1); // end of bitmap

  const dib: number[] = [];
  const compressionCode = compression === 'rle' ? (o.bpp === 8 ? 1 : 2) : compression === 'bitfields' ? 3 : 0;
  if (header === 12) {
    u32(dib, 12); u16(dib, width); u16(dib, o.topDown ? -height & 0xffff : height); u16(dib, 1); u16(dib, o.bpp);
  } else {
    u32(dib, header); u32(dib, width); u32(dib, o.topDown ? -height : height); u16(dib, 1); u16(dib, o.bpp);
    u32(dib, compressionCode); u32(dib, pixels.length); u32(dib, 2835); u32(dib, 2835);
    u32(dib, palette.length); u32(dib, 0);
    if (header >= 108) {
      for (const m of masks) u32(dib, m);
      while (dib.length < header) dib.push(0);
    } else if (compressionCode === 3) {
      for (const m of masks.slice(0, 3)) u32(dib, m); // masks after an info header
    }
  }
  const pal: number[] = [];
  for (const c of palette) {
    pal.push(c & 255, (c >>> 8) & 255, (c >>> 16) & 255);
    if (header !== 12) pal.push(0);
  }
  const offset = 14 + dib.length + pal.length;
  const file: number[] = [0x42, 0x4d];
  u32(file, offset + pixels.length); u32(file, 0); u32(file, offset);
  return Uint8Array.from([...file, ...dib, ...pal, ...pixels]);
}

/** One row of RLE8/RLE4: encoded runs of equal indices, absolute blocks for runs of distinct ones. */
function rleRow(indices: number[], eight: boolean): number[] {
  const out: number[] = [];
  let x = 0;
  while (x < indices.length) {
    let run = 1;
    while (x + run < indices.length && run < 255 && indices[x + run] === indices[x]) run++;
    if (run >= 2 || indices.length - x < 3) {
      out.push(run, eight ? indices[x] : (indices[x] << 4) | indices[x]);
      x += run;
      continue;
    }
    // absolute block: distinct values until a repeat starts
    let n = 1;
    while (x + n < indices.length && n < 255 && indices[x + n] !== indices[x + n - 1]) n++;
    if (n < 3) n = 3;
    n = Math.min(n, indices.length - x);
    out.push(0, n);
    const bytes: number[] = [];
    if (eight) bytes.push(...indices.slice(x, x + n));
    else for (let k = 0; k < n; k += 2) bytes.push((indices[x + k] << 4) | (k + 1 < n ? indices[x + k + 1] : 0));
    if (bytes.length % 2 === 1) bytes.push(0);
    out.push(...bytes);
    x += n;
  }
  out.push(0, 0); // end of line
  return out;
}
