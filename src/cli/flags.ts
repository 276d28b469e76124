/**
 * Command-line flags of the trace parameters, generated from OPTION_SPECS (so a parameter added to the table
 * gets its flag, help line and validation here automatically), and their mapping to TraceOptions.
 */
import { Option } from 'commander';
import type { Command } from 'commander';
import { OptionError } from '../engine/errors.js';
import { OPTION_SPECS, PRESET_NAMES, validateOptions } from '../engine/options.js';
import type { OptionSpec, TraceOptions } from '../engine/options.js';
import { UsageError } from './errors.js';

/** Accepted on the command line in addition to the spec's values (upstream compatibility). */
const ENUM_ALIASES: Record<string, Record<string, string>> = {
  colorMode: { bw: 'binary' },
};

/** Commander's attribute name for a long flag (it camel-cases dashes only). */
function attributeOf(flag: string): string {
  return flag.split('-').reduce((name, word, i) => (i === 0 ? word : name + word[0].toUpperCase() + word.slice(1)));
}

function kebab(flag: string): string {
  return flag.replace(/_/g, '-');
}

function rangeText(spec: OptionSpec): string {
  if (spec.kind === 'enum') {
    const values = [...spec.values, ...Object.keys(ENUM_ALIASES[spec.name] ?? {})];
    return `${values.join('|')}, default ${spec.default}`;
  }
  return `${spec.kind === 'integer' ? 'integer' : 'number'} ${spec.min}–${spec.max}, default ${spec.default}`;
}

function placeholder(spec: OptionSpec): string {
  return spec.kind === 'enum' ? '<value>' : spec.kind === 'integer' ? '<int>' : '<number>';
}

/** Adds `--preset` and one flag per trace parameter (snake case as upstream, plus a hidden kebab-case twin). */
export function addTraceFlags(program: Command): void {
  program.addOption(new Option('--preset <name>', `start from a preset: ${PRESET_NAMES.join('|')} (flags override its values)`));
  for (const spec of OPTION_SPECS) {
    const short = spec.cliShort ? `-${spec.cliShort}, ` : '';
    program.addOption(new Option(`${short}--${spec.cliFlag} ${placeholder(spec)}`, `${spec.description} (${rangeText(spec)})`));
    if (spec.cliFlag.includes('_')) {
      program.addOption(new Option(`--${kebab(spec.cliFlag)} ${placeholder(spec)}`).hideHelp());
    }
  }
}

/** Strict decimal number: digits with an optional sign, fraction and exponent; nothing else. */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseNumber(flag: string, text: string): number {
  if (!NUMBER.test(text)) throw new UsageError(`${flag}: expected a number, got ${JSON.stringify(text)}`);
  return Number(text);
}

/**
 * Turns the parsed flags into validated TraceOptions (preset first, flags over it). Errors name the flag as
 * typed: `--color_precision: colorPrecision must be an integer from 1 to 8, got 9`.
 */
export function traceOptionsFromFlags(opts: Record<string, unknown>): TraceOptions {
  const options: Record<string, unknown> = {};
  const flagOf = new Map<string, string>([['preset', '--preset']]);
  if (opts.preset !== undefined) options.preset = opts.preset;
  for (const spec of OPTION_SPECS) {
    const candidates = spec.cliFlag.includes('_') ? [kebab(spec.cliFlag), spec.cliFlag] : [spec.cliFlag];
    const flag = candidates.find((f) => opts[attributeOf(f)] !== undefined);
    if (flag === undefined) continue;
    const text = String(opts[attributeOf(flag)]);
    const shown = `--${flag}`;
    flagOf.set(spec.name, shown);
    options[spec.name] = spec.kind === 'enum' ? (ENUM_ALIASES[spec.name]?.[text] ?? text) : parseNumber(shown, text);
  }
  try {
    validateOptions(options);
  } catch (error) {
    if (error instanceof OptionError) {
      throw new UsageError(`${flagOf.get(error.option) ?? `--${error.option}`}: ${error.message}`);
    }
    throw error;
  }
  return options as TraceOptions;
}
