/** One image traced in this thread: file (or stdin) to file (or stdout). */
import { dirname } from 'node:path';
import type { OutputFormat } from '../engine/formats/index.js';
import type { TraceOptions } from '../engine/options.js';
import { exportImage } from '../io/export.js';
import { trace, writeFileAtomic } from '../io/trace-file.js';
import { checkOutputFolder, notRegularFile } from './file-checks.js';

export interface SingleTraceOptions {
  /** Path of the image, or '-' for stdin. */
  input: string;
  /** Path of the output file, or '-' for stdout. */
  output: string;
  format: OutputFormat;
  traceOptions: TraceOptions;
  /** Pixel limit checked before decoding (0: none); default the decoder's. */
  maxPixels?: number;
  stderr: NodeJS.WriteStream;
  stdout: NodeJS.WritableStream;
  /** Show a percentage on stderr while tracing (a terminal). */
  showProgress: boolean;
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function runSingle(o: SingleTraceOptions): Promise<void> {
  if (o.input !== '-') {
    const refused = await notRegularFile(o.input);
    if (refused) throw new Error(refused);
  }
  if (o.output !== '-') await checkOutputFolder(dirname(o.output));
  const input = o.input === '-' ? await readStdin() : o.input;
  const name = o.input === '-' ? 'stdin' : o.input;
  const started = Date.now();
  let shown = false;
  const onProgress = o.showProgress
    ? (fraction: number): void => {
      if (Date.now() - started < 300 && !shown) return; // no flicker for quick traces
      shown = true;
      o.stderr.write(`\rtracing ${name}: ${Math.floor(fraction * 100)}%`);
    }
    : undefined;
  try {
    const svg = await trace(input, { ...o.traceOptions, onProgress }, { name, limitInputPixels: o.maxPixels });
    const bytes = o.format === 'svg' ? svg : await exportImage(svg, o.format);
    if (o.output === '-') {
      o.stdout.write(bytes);
    } else {
      await writeFileAtomic(o.output, bytes);
    }
  } finally {
    if (shown) o.stderr.write('\r\x1b[2K');
  }
}
