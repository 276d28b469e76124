/**
 * Flags of the service's commands: value parsers, and every flag that configures a running process also
 * read from an environment variable (containers and systemd units configure by environment). A flag on the
 * command line wins over its variable, which wins over the default.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';

export const integer = (min: number, max = Number.MAX_SAFE_INTEGER) => (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got "${value}"`);
  return n;
};

export const httpUrl = (value: string): string => {
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
    return value.replace(/\/+$/, '');
  } catch {
    throw new InvalidArgumentError(`expected an http(s) URL, got "${value}"`);
  }
};

/** Boolean variables: 1/true/yes or 0/false/no (commander alone would take any value, "0" included, as set). */
const booleanEnv = (name: string) => (value: string | undefined): boolean => {
  if (value === undefined) return true;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new InvalidArgumentError(`${name}: expected 1/true/yes or 0/false/no, got "${value}"`);
};

export interface FlagSpec {
  flags: string;
  description: string;
  parse?: (value: string) => unknown;
  default?: unknown;
  /** Environment variable read when the flag is absent. */
  env?: string;
}

/** Adds flags to a command; those with `env` say so in --help (commander's "(env: NAME)"). */
export function addFlags(cmd: Command, specs: readonly FlagSpec[]): Command {
  for (const spec of specs) {
    const option = new Option(spec.flags, spec.description);
    if (spec.env) option.env(spec.env);
    if (spec.parse) option.argParser(spec.parse);
    else if (spec.env && option.isBoolean() && !option.negate) option.argParser(booleanEnv(spec.env) as never);
    if (spec.default !== undefined) option.default(spec.default);
    cmd.addOption(option);
  }
  return cmd;
}

/** The environment variable of every flag of `cmd` that has one, by long flag name (docs, tests). */
export function flagEnvironment(cmd: Command): Record<string, string> {
  const out: Record<string, string> = {};
  for (const option of cmd.options) if (option.envVar && option.long) out[option.long] = option.envVar;
  return out;
}
