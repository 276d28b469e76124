import type { Command } from 'commander';

/**
 * Registers the service's subcommands (`serve`, `keys`, ...) on the CLI program. Owned by the server
 * module; the CLI calls it so that `vtracer serve` and `vtracer keys ...` live beside the trace command.
 */
export function registerServerCommands(_program: Command): void {
  // Filled in by the HTTP service.
}
