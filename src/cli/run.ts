/**
 * Runs the `vtracer` command line. Errors become one line on stderr (a stack trace only with --verbose);
 * exit codes: 0 ok, 1 failed, 2 bad usage, 130 interrupted.
 */
import { CommanderError } from 'commander';
import { EXIT_FAILED, EXIT_USAGE, UsageError, errorMessage } from './errors.js';
import { createProgram } from './program.js';
import { loadServerCommands } from './server-commands.js';
import type { CliIo } from './program.js';

export async function runCli(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const state = { exitCode: 0 };
  const verbose = argv.includes('--verbose');
  try {
    await createProgram(io, state, await loadServerCommands()).parseAsync([...argv], { from: 'user' });
    return state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander already printed its message (or the help / version)
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    io.stderr.write(`error: ${errorMessage(error)}\n`);
    if (verbose && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILED;
  }
}
