/**
 * The service's subcommands (`serve`, `keys`, `worker`, `migrate`) belong to the separate `vtracer-ts-server`
 * package, so that installing the library pulls no server dependency. The `vtracer` command looks for them
 * beside itself (a checkout of the repository, where src/server sits next to src/cli) and then by package
 * name; when neither is installed, the same subcommands answer with the line that installs them.
 */
import type { Command } from 'commander';
import { UsageError } from './errors.js';

export type RegisterCommands = (program: Command) => void;

export const SERVER_PACKAGE = 'vtracer-ts-server';
const SERVER_COMMANDS = ['serve', 'keys', 'worker', 'migrate'] as const;

/** The server package's `registerServerCommands`, or null when the server package is not installed. */
export async function loadServerCommands(): Promise<RegisterCommands | null> {
  // A variable specifier: the server package is optional, so the type-checker must not require it.
  const candidates = [new URL('../server/commands.js', import.meta.url).href, `${SERVER_PACKAGE}/commands`];
  for (const specifier of candidates) {
    try {
      const module = (await import(specifier)) as { registerServerCommands: RegisterCommands };
      return module.registerServerCommands;
    } catch (error) {
      if (!isMissing(error, specifier)) throw error;
    }
  }
  return null;
}

/** True when `error` says that `specifier` itself is missing (not one of its own imports). */
function isMissing(error: unknown, specifier: string): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') return false;
  const message = String((error as Error).message);
  const name = specifier.startsWith('file:') ? new URL(specifier).pathname : SERVER_PACKAGE;
  return message.includes(name) || message.includes(specifier);
}

/** Stand-ins for the service's subcommands that say how to get them. */
export function registerServerStubs(program: Command): void {
  for (const name of SERVER_COMMANDS) {
    program
      .command(name)
      .description(`(service) install ${SERVER_PACKAGE} for this command`)
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .argument('[args...]')
      .action(() => {
        throw new UsageError(`vtracer ${name} is part of the service package, which is not installed: npm install ${SERVER_PACKAGE}`);
      });
  }
}
