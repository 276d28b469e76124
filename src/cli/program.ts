/**
 * The `vtracer` command: the trace command (default, with positional inputs) plus the service's
 * subcommands (`serve`, `keys`, `worker`, `migrate`), registered by the server package when it is installed
 * (see server-commands.ts).
 */
import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import { formatOfPath, isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from '../engine/formats/index.js';
import { DEFAULT_LIMIT_INPUT_PIXELS } from '../io/decode.js';
import { runBatch } from './batch.js';
import { EXIT_OK, UsageError } from './errors.js';
import { addTraceFlags, traceOptionsFromFlags } from './flags.js';
import { isDirectory, isMultiInput } from './inputs.js';
import { packageVersion } from './package-info.js';
import { registerServerStubs, type RegisterCommands } from './server-commands.js';
import { runSingle } from './single.js';

export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

interface CliFlags extends Record<string, unknown> {
  input?: string[];
  output?: string;
  jobs?: string;
  format?: string;
  maxPixels?: string;
  verbose?: boolean;
  quiet?: boolean;
}

const HELP_AFTER = `
Every snake_case flag also has a kebab-case form (--filter-speckle = --filter_speckle).
Every on/off flag also has a --no- form (--no-trap keeps cutout shapes exactly disjoint).

Examples:
  vtracer photo.jpg photo.svg                  trace one image
  vtracer logo.png logo.pdf                    PDF (also .eps, .dxf, .png: the extension chooses the format)
  vtracer -i logo.png -o logo.svg --preset bw  upstream-style flags
  vtracer images/ -o svgs/ --jobs 4            every image of a folder, 4 at a time
  vtracer "scans/**/*.png" -o out/             a glob (quoted so the shell leaves it alone)`;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function parseJobs(text: string | undefined): number {
  if (text === undefined) return availableParallelism();
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`--jobs: expected an integer of at least 1, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** `--max-pixels`: a non-negative integer (0: no limit); default the decoder's 100,000,000. */
function parseMaxPixels(text: string | undefined): number {
  if (text === undefined) return DEFAULT_LIMIT_INPUT_PIXELS;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--max-pixels: expected a non-negative integer (0 for no limit), got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

function defaultOutput(input: string, format: OutputFormat): string {
  if (input === '-') return '-';
  return input.replace(/\.[^./\\]*$/, '') + '.' + format;
}

/** A file name whose extension names an output format (out.svg, out.pdf, ...). */
function namesOutputFile(path: string): boolean {
  return formatOfPath(path) !== undefined;
}

/**
 * The output format: `--format` if given (it must agree with an output file's extension), else the output
 * file's extension, else SVG.
 */
function chooseFormat(flag: string | undefined, output: string | undefined): OutputFormat {
  const fromPath = output !== undefined ? formatOfPath(output) : undefined;
  if (flag === undefined) return fromPath ?? 'svg';
  const format = flag.toLowerCase();
  if (!isOutputFormat(format)) throw new UsageError(`--format: expected one of ${OUTPUT_FORMATS.join(', ')}, got ${JSON.stringify(flag)}`);
  if (fromPath !== undefined && fromPath !== format) {
    throw new UsageError(`--format ${format} disagrees with the output file ${output} (a .${fromPath} name): change one of them`);
  }
  return format;
}

/**
 * Builds the program; `state.exitCode` receives the trace command's exit code. `serverCommands` registers the
 * service's subcommands (from loadServerCommands); without it they are stand-ins that say how to install them.
 */
export function createProgram(io: CliIo, state: { exitCode: number }, serverCommands?: RegisterCommands | null): Command {
  const program = new Command('vtracer');
  program
    .description('Convert raster images (PNG, JPEG, WebP, GIF, TIFF, BMP) to SVG with the VTracer algorithm.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .argument('[inputs...]', 'images, folders or glob patterns; "in.png out.svg" traces one file')
    .option('-i, --input <path>', 'input image, folder or glob (repeatable); "-" reads stdin', collect)
    .option('-o, --output <path>', 'output file ("-" for stdout), or a folder when tracing several images')
    .option('-F, --format <format>', `output format: ${OUTPUT_FORMATS.join('|')} (default: the output file's extension, else svg)`)
    .option('-j, --jobs <n>', 'images traced in parallel in batch mode (default: number of cores)')
    .option('--max-pixels <n>', `refuse images of more pixels (width × height), checked from the header before decoding; 0: no limit (default ${DEFAULT_LIMIT_INPUT_PIXELS})`)
    .option('-q, --quiet', 'batch mode: print only failures and the summary')
    .option('--verbose', 'print stack traces of errors')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // commander's own errors (unknown flag, missing value) on one line
      outputError: (text, write) => write(text.trimEnd().replace(/\s*\n\s*/g, ' ') + '\n'),
    })
    .addHelpText('after', HELP_AFTER);
  addTraceFlags(program);
  program.action(async (positionals: string[], flags: CliFlags) => {
    state.exitCode = await traceCommand(positionals, flags, io);
  });
  (serverCommands ?? registerServerStubs)(program);
  return program;
}

async function traceCommand(positionals: string[], flags: CliFlags, io: CliIo): Promise<number> {
  const traceOptions = traceOptionsFromFlags(flags);
  const jobs = parseJobs(flags.jobs);
  const maxPixels = parseMaxPixels(flags.maxPixels);
  const named = flags.input ?? [];
  const inputs = [...named, ...positionals];
  if (inputs.length === 0) throw new UsageError('no input image given (usage: vtracer in.png out.svg; see vtracer --help)');
  const output = flags.output;
  const stderrTty = io.stderr.isTTY === true;

  const single = async (input: string, out: string): Promise<number> => {
    const format = chooseFormat(flags.format, out === '-' ? undefined : out);
    await runSingle({ input, output: out, format, traceOptions, maxPixels, stderr: io.stderr, stdout: io.stdout, showProgress: stderrTty && out !== '-' });
    return EXIT_OK;
  };
  // `vtracer in.png out.svg` (or out.pdf, out.eps, out.dxf, out.png)
  if (output === undefined && named.length === 0 && positionals.length === 2 && namesOutputFile(positionals[1])
    && !(await isMultiInput(positionals[0]))) {
    return single(positionals[0], positionals[1]);
  }
  const outputIsFolder = output !== undefined && output !== '-' && (/[\\/]$/.test(output) || await isDirectory(output));
  if (inputs.length === 1 && !outputIsFolder && (inputs[0] === '-' || !(await isMultiInput(inputs[0])))) {
    return single(inputs[0], output ?? defaultOutput(inputs[0], chooseFormat(flags.format, undefined)));
  }
  // Batch
  if (inputs.includes('-')) throw new UsageError('stdin ("-") can only be used alone');
  if (output === '-') throw new UsageError('--output -: standard output takes a single input');
  if (output !== undefined && !outputIsFolder && namesOutputFile(output)) {
    throw new UsageError(`--output ${output}: several inputs need an output folder, not a .${formatOfPath(output)} file`);
  }
  if (output === undefined && positionals.length > 2 && namesOutputFile(positionals[positionals.length - 1])) {
    throw new UsageError(`several inputs and a .${formatOfPath(positionals[positionals.length - 1])} output: give an output folder with --output DIR`);
  }
  return runBatch({
    inputs, outDir: output ?? null, format: chooseFormat(flags.format, undefined), traceOptions, jobs, maxPixels, stderr: io.stderr, tty: stderrTty,
    quiet: flags.quiet === true, verbose: flags.verbose === true,
  });
}
