/** Entry point of the `vtracer` command (bin/vtracer.js imports the built copy of this file). */
import { runCli } from './run.js';

// A reader that stops early (`vtracer --help | head`, `vtracer in.png -o - | head`) closes the pipe: stop
// quietly, as other command-line tools do, instead of crashing on EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2));
