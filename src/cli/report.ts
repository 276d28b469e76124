/** What the batch runner prints: a progress bar on a TTY (one line per file otherwise), failures, a summary. */
import cliProgress from 'cli-progress';
import { describeFailure } from './errors.js';

export interface FileOutcome {
  input: string;
  output: string;
  ok: boolean;
  error?: unknown;
  inputBytes: number;
  outputBytes: number;
  pathCount?: number;
  durationMs: number;
}

export interface BatchSummary {
  total: number;
  ok: number;
  failed: number;
  durationMs: number;
  inputBytes: number;
  outputBytes: number;
  interrupted: boolean;
}

export interface Reporter {
  start(total: number): void;
  /** Overall progress in files (fractions of running files included). */
  progress(filesDone: number): void;
  fileDone(outcome: FileOutcome, done: number, total: number): void;
  /** A problem not tied to a traced file (an empty folder, a pattern without matches). */
  problem(message: string): void;
  finish(summary: BatchSummary): void;
}

export interface ReporterOptions {
  stream: NodeJS.WriteStream;
  /** Draw a progress bar (the stream is a terminal). */
  tty: boolean;
  /** Only failures and the summary. */
  quiet: boolean;
  /** Print stack traces of failures. */
  verbose: boolean;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

export function summaryLine(s: BatchSummary): string {
  const files = `${s.total} file${s.total === 1 ? '' : 's'}`;
  const status = `${s.ok} ok, ${s.failed} failed${s.interrupted ? ' (interrupted)' : ''}`;
  return `${files}: ${status} in ${formatDuration(s.durationMs)}; input ${formatBytes(s.inputBytes)}, output ${formatBytes(s.outputBytes)}`;
}

function failureText(outcome: FileOutcome, verbose: boolean): string {
  const line = `error: ${describeFailure(outcome.error, outcome.input)}`;
  const stack = verbose && outcome.error instanceof Error && outcome.error.stack ? `\n${outcome.error.stack}` : '';
  return line + stack;
}

export function createReporter(options: ReporterOptions): Reporter {
  return options.tty ? new BarReporter(options) : new LineReporter(options);
}

/** Non-TTY: one line per file as it finishes. */
class LineReporter implements Reporter {
  constructor(private readonly options: ReporterOptions) {}
  start(): void {}
  progress(): void {}
  fileDone(outcome: FileOutcome, done: number, total: number): void {
    const counter = `[${done}/${total}]`;
    if (!outcome.ok) {
      this.options.stream.write(`${counter} ${failureText(outcome, this.options.verbose)}\n`);
    } else if (!this.options.quiet) {
      const paths = outcome.pathCount === undefined ? '' : `${outcome.pathCount} paths, `;
      this.options.stream.write(
        `${counter} ${outcome.input} -> ${outcome.output} (${paths}${formatBytes(outcome.outputBytes)}, ${formatDuration(outcome.durationMs)})\n`,
      );
    }
  }
  problem(message: string): void {
    this.options.stream.write(`error: ${message}\n`);
  }
  finish(summary: BatchSummary): void {
    this.options.stream.write(`${summaryLine(summary)}\n`);
  }
}

/** TTY: a progress bar; failures are printed above it. */
class BarReporter implements Reporter {
  private readonly multi: cliProgress.MultiBar;
  private bar: cliProgress.SingleBar | null = null;
  private done = 0;
  private total = 0;
  constructor(private readonly options: ReporterOptions) {
    this.multi = new cliProgress.MultiBar({
      stream: options.stream,
      format: ' {bar} {percentage}% | {done}/{files} files | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
      fps: 10,
    }, cliProgress.Presets.shades_classic);
  }
  start(total: number): void {
    this.total = total;
    this.bar = this.multi.create(total * 100, 0, { done: 0, files: total });
  }
  progress(filesDone: number): void {
    this.bar?.update(Math.round(filesDone * 100), { done: this.done, files: this.total });
  }
  fileDone(outcome: FileOutcome, done: number): void {
    this.done = done;
    if (!outcome.ok) this.multi.log(`${failureText(outcome, this.options.verbose)}\n`);
    this.bar?.update({ done, files: this.total });
  }
  problem(message: string): void {
    this.multi.log(`error: ${message}\n`);
  }
  finish(summary: BatchSummary): void {
    this.multi.stop();
    this.options.stream.write(`${summaryLine(summary)}\n`);
  }
}
