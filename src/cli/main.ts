/** Entry point of the `vtracer` command (bin/vtracer.js imports the built copy of this file). */
import { runCli } from './run.js';

process.exitCode = await runCli(process.argv.slice(2));
