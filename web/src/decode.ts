/**
 * Turns a file (picked, dropped or pasted) into RGBA pixels with the browser's own decoders, after checking
 * its kind from its first bytes and its size (bytes and pixels) against the page's caps.
 */

/** Files larger than this are refused before reading them (20 MB). */
export const MAX_FILE_BYTES = 20_000_000;
/** Images with more pixels than this are refused before decoding them (16 megapixels, e.g. 4096×4096). */
export const MAX_PIXELS = 4096 * 4096;

export type ImageKind = 'png' | 'jpeg' | 'webp' | 'gif';
const MIME: Record<ImageKind, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif' };

export interface DecodedImage {
  /** File name as given (pasted images get `pasted-image.<ext>`). */
  name: string;
  /** Name without its extension, used to name the SVG (`name.svg`). */
  baseName: string;
  kind: ImageKind;
  mimeType: string;
  bytes: number;
  width: number;
  height: number;
  /** Straight-alpha RGBA, 4 bytes per pixel. */
  data: Uint8ClampedArray<ArrayBuffer>;
  /** The original bytes, for "trace on the server". */
  blob: Blob;
}

/** A user-facing problem with the input: the message is shown as is. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** Recognises PNG, JPEG, WebP and GIF from their signatures. */
export function sniffKind(head: Uint8Array): ImageKind | undefined {
  const at = (i: number, ...bytes: number[]) => bytes.every((b, k) => head[i + k] === b);
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'jpeg';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'webp';
  if (at(0, 0x47, 0x49, 0x46, 0x38)) return 'gif';
  return undefined;
}

/**
 * Reads the dimensions from the header, so that an oversized image is refused without decoding it.
 * Returns undefined when the header does not say (the decoded size is checked afterwards anyway).
 */
export function headerSize(kind: ImageKind, b: Uint8Array): { width: number; height: number } | undefined {
  const u16be = (i: number) => (b[i]! << 8) | b[i + 1]!;
  const u16le = (i: number) => b[i]! | (b[i + 1]! << 8);
  const u24le = (i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
  const u32be = (i: number) => ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;
  try {
    if (kind === 'png' && b.length >= 24) return { width: u32be(16), height: u32be(20) };
    if (kind === 'gif' && b.length >= 10) return { width: u16le(6), height: u16le(8) };
    if (kind === 'webp' && b.length >= 30) {
      const chunk = String.fromCharCode(b[12]!, b[13]!, b[14]!, b[15]!);
      if (chunk === 'VP8X') return { width: u24le(24) + 1, height: u24le(27) + 1 };
      if (chunk === 'VP8L') {
        const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24);
        return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
      }
      if (chunk === 'VP8 ') return { width: u16le(26) & 0x3fff, height: u16le(28) & 0x3fff };
      return undefined;
    }
    if (kind === 'jpeg') {
      let i = 2;
      while (i + 9 < b.length) {
        if (b[i] !== 0xff) return undefined;
        const marker = b[i + 1]!;
        if (marker === 0xff) { i += 1; continue; }
        const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
        if (isSof) return { width: u16be(i + 7), height: u16be(i + 5) };
        if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue; }
        i += 2 + u16be(i + 2);
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function checkPixels(name: string, width: number, height: number): void {
  if (width * height > MAX_PIXELS) {
    throw new InputError(
      `${name} is ${width}×${height} pixels (${(width * height / 1e6).toFixed(1)} megapixels): the page accepts at most `
      + `${MAX_PIXELS / 1e6 | 0} megapixels (e.g. 4096×4096). Scale it down first, or use the CLI.`,
    );
  }
}

export async function decodeImage(blob: Blob, name: string): Promise<DecodedImage> {
  if (blob.size === 0) throw new InputError(`${name} is empty (0 bytes).`);
  if (blob.size > MAX_FILE_BYTES) {
    throw new InputError(
      `${name} is ${formatBytes(blob.size)}: the page accepts files up to ${formatBytes(MAX_FILE_BYTES)}. `
      + 'Scale it down or compress it first, or use the CLI.',
    );
  }
  // JPEG dimensions can sit after large EXIF blocks: read up to 256 KiB of header.
  const head = new Uint8Array(await blob.slice(0, 256 * 1024).arrayBuffer());
  const kind = sniffKind(head);
  if (!kind) {
    throw new InputError(`${name} is not a PNG, JPEG, WebP or GIF image (its first bytes match none of them).`);
  }
  const declared = headerSize(kind, head);
  if (declared) checkPixels(name, declared.width, declared.height);

  let bitmap: ImageBitmap;
  try {
    const typed = blob.type === MIME[kind] ? blob : new Blob([blob], { type: MIME[kind] });
    bitmap = await createImageBitmap(typed, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  } catch {
    throw new InputError(`${name} looks like a ${kind.toUpperCase()} file but could not be decoded (corrupt or truncated?).`);
  }
  try {
    const { width, height } = bitmap;
    if (width === 0 || height === 0) throw new InputError(`${name} has no pixels (${width}×${height}).`);
    checkPixels(name, width, height);
    const canvas = typeof OffscreenCanvas !== 'undefined'
      ? new OffscreenCanvas(width, height)
      : Object.assign(document.createElement('canvas'), { width, height });
    const ctx = canvas.getContext('2d', { willReadFrequently: true }) as
      OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
    if (!ctx) throw new InputError('This browser cannot read pixels from a canvas (2D context unavailable).');
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, width, height);
    const dot = name.lastIndexOf('.');
    const baseName = (dot > 0 ? name.slice(0, dot) : name) || 'image';
    return { name, baseName, kind, mimeType: MIME[kind], bytes: blob.size, width, height, data, blob };
  } finally {
    bitmap.close();
  }
}

/** Reads a blob as a `data:` URL (for the service's `image` field). */
export function toDataUrl(blob: Blob, mimeType: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('Could not read the file'));
    reader.readAsDataURL(blob.type === mimeType ? blob : new Blob([blob], { type: mimeType }));
  });
}
