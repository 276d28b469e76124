/** Batch mode: many images traced in parallel on a TracePool, outputs written as they finish. */
import { stat } from 'node:fs/promises';
import { TraceAbortedError } from '../engine/errors.js';
import type { OutputFormat } from '../engine/formats/index.js';
import type { TraceOptions } from '../engine/options.js';
import { exportImage } from '../io/export.js';
import { writeFileAtomic } from '../io/trace-file.js';
import { TracePool } from '../parallel/index.js';
import { EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK } from './errors.js';
import { checkOutputFolder } from './file-checks.js';
import { expandInputs, planOutputs } from './inputs.js';
import { createReporter } from './report.js';
import type { FileOutcome } from './report.js';

export interface BatchOptions {
  inputs: readonly string[];
  /** Folder for the outputs (created if missing), or null to write each beside its input. */
  outDir: string | null;
  format: OutputFormat;
  traceOptions: TraceOptions;
  jobs: number;
  /** Pixel limit checked before decoding (0: none); default the decoder's. */
  maxPixels?: number;
  stderr: NodeJS.WriteStream;
  tty: boolean;
  quiet: boolean;
  verbose: boolean;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** Runs the batch; resolves to the exit code (1 if any input failed, 130 if interrupted). */
export async function runBatch(o: BatchOptions): Promise<number> {
  const started = performance.now();
  const { files, problems, refused } = await expandInputs(o.inputs);
  const reporter = createReporter({ stream: o.stderr, tty: o.tty, quiet: o.quiet, verbose: o.verbose });
  if (files.length === 0) {
    for (const p of [...problems, ...refused]) reporter.problem(p.message);
    o.stderr.write('error: no input images found\n');
    return EXIT_FAILED;
  }
  if (o.outDir !== null) await checkOutputFolder(o.outDir);
  const outputs = planOutputs(files, o.outDir, o.format);

  reporter.start(files.length);
  for (const p of [...problems, ...refused]) reporter.problem(p.message);
  const pool = new TracePool({ size: Math.min(o.jobs, files.length), limitInputPixels: o.maxPixels });
  const controller = new AbortController();
  let interrupted = false;
  const onInterrupt = (): void => {
    interrupted = true;
    controller.abort();
  };
  process.once('SIGINT', onInterrupt);
  const fractions = new Float64Array(files.length);
  const progress = (): void => {
    let sum = 0;
    for (let i = 0; i < fractions.length; i++) sum += fractions[i];
    reporter.progress(sum);
  };
  let done = 0;
  let ok = 0;
  let inputBytes = 0;
  let outputBytes = 0;
  try {
    await Promise.all(files.map(async (input, i) => {
      let startedAt = 0;
      const outcome: FileOutcome = { input, output: outputs[i], ok: false, inputBytes: 0, outputBytes: 0, durationMs: 0 };
      try {
        const result = await pool.run({ input }, {
          ...o.traceOptions,
          signal: controller.signal,
          onStart: () => {
            startedAt = performance.now();
          },
          onProgress: (f) => {
            fractions[i] = f;
            progress();
          },
        });
        const bytes = o.format === 'svg' ? result.svg : await exportImage(result.svg, o.format);
        await writeFileAtomic(outputs[i], bytes);
        outcome.ok = true;
        outcome.pathCount = result.pathCount;
        outcome.outputBytes = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length;
        outcome.inputBytes = await sizeOf(input);
      } catch (error) {
        outcome.error = error;
      }
      outcome.durationMs = performance.now() - (startedAt || started);
      fractions[i] = 1;
      done++;
      if (outcome.ok) {
        ok++;
        inputBytes += outcome.inputBytes;
        outputBytes += outcome.outputBytes;
      }
      if (!(interrupted && outcome.error instanceof TraceAbortedError)) reporter.fileDone(outcome, done, files.length);
      progress();
    }));
  } finally {
    process.off('SIGINT', onInterrupt);
    await pool.close();
  }
  const failed = files.length - ok + refused.length;
  reporter.finish({
    total: files.length + refused.length, ok, failed, durationMs: performance.now() - started, inputBytes, outputBytes, interrupted,
  });
  if (interrupted) return EXIT_INTERRUPTED;
  return failed > 0 || problems.length > 0 ? EXIT_FAILED : EXIT_OK;
}
