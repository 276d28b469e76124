/**
 * Where an encoded image ends: bytes after it (a zip, a script, megabytes of anything) are not part of the
 * image, and an asset stores only the image, so that it is what its type says. Read from each format's own
 * structure; when the structure cannot be followed, the whole input is kept (the decoder accepted it).
 * TIFF places its parts by offsets anywhere in the file, so it is kept whole.
 */

export function imageEnd(format: string, bytes: Uint8Array): number {
  const n = bytes.length;
  try {
    const end = FINDERS[format]?.(bytes) ?? n;
    return end > 0 && end <= n ? end : n;
  } catch {
    return n;
  }
}

const FINDERS: Record<string, (b: Uint8Array) => number> = {
  png: pngEnd, jpeg: jpegEnd, gif: gifEnd, webp: webpEnd, bmp: bmpEnd,
};

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** After the IEND chunk (length, type, no data, CRC). */
function pngEnd(b: Uint8Array): number {
  const v = view(b);
  let off = 8;
  while (off + 12 <= b.length) {
    const length = v.getUint32(off);
    const type = String.fromCharCode(b[off + 4]!, b[off + 5]!, b[off + 6]!, b[off + 7]!);
    off += 12 + length;
    if (type === 'IEND') return off;
  }
  return b.length;
}

/** After the EOI marker, following the segments and skipping the entropy-coded data after each SOS. */
function jpegEnd(b: Uint8Array): number {
  const v = view(b);
  let off = 2;
  while (off + 1 < b.length) {
    if (b[off] !== 0xff) return b.length;
    while (b[off + 1] === 0xff) off++; // fill bytes
    const marker = b[off + 1]!;
    if (marker === 0xd9) return off + 2;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      off += 2;
      continue;
    }
    off += 2 + v.getUint16(off + 2);
    if (marker === 0xda) {
      // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart marker.
      while (off + 1 < b.length && !(b[off] === 0xff && b[off + 1] !== 0 && !(b[off + 1]! >= 0xd0 && b[off + 1]! <= 0xd7))) off++;
    }
  }
  return b.length;
}

/** After the trailer byte 0x3B, following the header, colour tables, images and extensions. */
function gifEnd(b: Uint8Array): number {
  const table = (packed: number) => ((packed & 0x80) ? 3 * (1 << ((packed & 7) + 1)) : 0);
  const subBlocks = (off: number) => {
    while (off < b.length && b[off] !== 0) off += 1 + b[off]!;
    return off + 1;
  };
  let off = 13 + table(b[10]!);
  while (off < b.length) {
    const block = b[off]!;
    if (block === 0x3b) return off + 1;
    if (block === 0x2c) off = subBlocks(off + 10 + table(b[off + 9]!) + 1);
    else if (block === 0x21) off = subBlocks(off + 2);
    else return b.length;
  }
  return b.length;
}

/** The RIFF container says its own size (plus the 8-byte header, padded to even). */
function webpEnd(b: Uint8Array): number {
  const size = view(b).getUint32(4, true);
  return 8 + size + (size & 1);
}

/** The file header's size, when it is consistent with where the pixels start. */
function bmpEnd(b: Uint8Array): number {
  const v = view(b);
  const fileSize = v.getUint32(2, true);
  const pixelsAt = v.getUint32(10, true);
  return fileSize > pixelsAt ? fileSize : b.length;
}
