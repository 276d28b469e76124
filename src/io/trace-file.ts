/** Tracing of encoded images (paths or bytes) in the calling thread: decode with sharp, then the engine. */
import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { traceRgba, validateOptions } from '../engine/index.js';
import type { TraceOptions } from '../engine/index.js';
import { decodeImage } from './decode.js';
import type { DecodeOptions } from './decode.js';

/**
 * Decodes an image (file path, Buffer or Uint8Array) and traces it; resolves to the SVG text. The options
 * are validated before anything is read, so a bad option fails fast with OptionError.
 */
export async function trace(
  input: string | Buffer | Uint8Array,
  options: TraceOptions = {},
  decodeOptions: DecodeOptions = {},
): Promise<string> {
  validateOptions(options);
  const image = await decodeImage(input, decodeOptions);
  return traceRgba(image, options);
}

/**
 * Traces the image at `inputPath` into an SVG file at `outputPath`. The SVG is written to a temporary file
 * in the same directory and then renamed, so a failure never leaves a half-written output.
 */
export async function traceFile(
  inputPath: string,
  outputPath: string,
  options: TraceOptions = {},
  decodeOptions: DecodeOptions = {},
): Promise<void> {
  const svg = await trace(inputPath, options, decodeOptions);
  await writeFileAtomic(outputPath, svg);
}

/** Writes `text` to `path` through a temporary sibling file and a rename. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
