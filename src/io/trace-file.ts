/**
 * Tracing of encoded images (paths or bytes): decoded and traced on a worker of the shared pool by default, so
 * that a server calling `await trace(...)` keeps answering while an image is traced; or in the calling thread.
 */
import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { OptionError } from '../engine/errors.js';
import { traceRgba, validateOptions } from '../engine/index.js';
import type { TraceOptions } from '../engine/index.js';
import { sharedPool } from '../parallel/shared.js';
import { decodeImage } from './decode.js';
import type { DecodeOptions } from './decode.js';
import { formatOfPath, type OutputFormat } from '../engine/formats/index.js';
import { exportImage } from './export.js';

export interface TraceInputOptions extends DecodeOptions {
  /**
   * `'worker'` (default): decode and trace on a worker thread of a pool shared by every call (one thread per
   * core, idle threads do not keep the process alive); the event loop stays free. `'main'`: in the calling
   * thread, which the trace blocks (traceRgba is the synchronous core). A `signal` that is not an AbortSignal
   * (any `{ aborted }` object) cannot cross threads, so such calls run in the calling thread.
   */
  thread?: 'worker' | 'main';
}

/**
 * Decodes an image (file path, Buffer or Uint8Array) and traces it; resolves to the SVG text. The options
 * are validated before anything is read, so a bad option fails fast with OptionError.
 */
export async function trace(
  input: string | Buffer | Uint8Array,
  options: TraceOptions = {},
  inputOptions: TraceInputOptions = {},
): Promise<string> {
  validateOptions(options);
  const { thread = 'worker', ...decodeOptions } = inputOptions;
  if (thread !== 'worker' && thread !== 'main') throw new OptionError('thread', '"worker" or "main"', thread);
  const { signal, ...rest } = options;
  if (thread === 'main' || (signal !== undefined && !(signal instanceof AbortSignal))) {
    const image = await decodeImage(input, decodeOptions);
    return traceRgba(image, options);
  }
  const { name, page, limitInputPixels } = decodeOptions;
  const result = await sharedPool().run({ input, name, page, limitInputPixels }, { ...rest, signal });
  return result.svg;
}

/** Decodes and traces an image like `trace`, then resolves to the file bytes in `format` (SVG, PDF, EPS, DXF, PNG). */
export async function traceTo(
  input: string | Buffer | Uint8Array,
  format: OutputFormat,
  options: TraceOptions = {},
  inputOptions: TraceInputOptions = {},
): Promise<Uint8Array> {
  return exportImage(await trace(input, options, inputOptions), format);
}

/**
 * Traces the image at `inputPath` into a file at `outputPath`, in `format` (default: chosen by the output's
 * extension, SVG when it names no format). The file is written to a temporary file in the same directory and
 * then renamed, so a failure never leaves a half-written output.
 */
export async function traceFile(
  inputPath: string,
  outputPath: string,
  options: TraceOptions = {},
  inputOptions: TraceInputOptions = {},
  format: OutputFormat = formatOfPath(outputPath) ?? 'svg',
): Promise<void> {
  const svg = await trace(inputPath, options, inputOptions);
  await writeFileAtomic(outputPath, format === 'svg' ? svg : await exportImage(svg, format));
}

/** Writes `text` (or bytes) to `path` through a temporary sibling file and a rename. */
export async function writeFileAtomic(path: string, text: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    // The temporary name means nothing to the caller: the error names the file asked for.
    if ((error as NodeJS.ErrnoException).path === temp) (error as NodeJS.ErrnoException).path = path;
    throw error;
  }
}
