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
  switch (spec.kind) {
    case 'enum': {
      const values = [...spec.values, ...Object.keys(ENUM_ALIASES[spec.name] ?? {})];
      return `${values.join('|')}, default ${spec.default}`;
    }
    case 'boolean':
      return `default ${spec.default ? 'on' : 'off'}`;
    case 'palette':
      return `comma-separated, up to ${spec.maxLength} colours, default ${spec.default.length ? spec.default.join(',') : 'none'}`;
    default:
      return `${spec.kind === 'integer' ? 'integer' : 'number'} ${spec.min}–${spec.max}, default ${spec.default}`;
  }
}

function placeholder(spec: OptionSpec): string {
  switch (spec.kind) {
    case 'enum': return ' <value>';
    case 'boolean': return '';
    case 'palette': return ' <colours>';
    case 'integer': return ' <int>';
    default: return ' <number>';
  }
}

/**
 * Adds `--preset` and one flag per trace parameter: snake case as upstream, plus a hidden kebab-case twin;
 * a boolean parameter gets `--name` and a hidden `--no-name`.
 */
export function addTraceFlags(program: Command): void {
  program.addOption(new Option('--preset <name>', `start from a preset: ${PRESET_NAMES.join('|')} (flags override its values)`));
  for (const spec of OPTION_SPECS) {
    const short = spec.cliShort ? `-${spec.cliShort}, ` : '';
    const names = spec.cliFlag.includes('_') ? [spec.cliFlag, kebab(spec.cliFlag)] : [spec.cliFlag];
    names.forEach((name, i) => {
      const option = new Option(`${i === 0 ? short : ''}--${name}${placeholder(spec)}`, `${spec.description} (${rangeText(spec)})`);
      program.addOption(i === 0 ? option : option.hideHelp());
      if (spec.kind === 'boolean') program.addOption(new Option(`--no-${name}`).hideHelp());
    });
  }
}

/** Strict decimal number: digits with an optional sign, fraction and exponent; nothing else. */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseNumber(flag: string, text: string): number {
  if (!NUMBER.test(text)) throw new UsageError(`${flag}: expected a number, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** A colour list: `#ff0000,#00ff00` (commas and/or spaces); the engine validates each colour. */
export function parseList(text: string): string[] {
  return text.split(/[\s,]+/).filter((c) => c !== '');
}

function flagValue(spec: OptionSpec, flag: string, raw: unknown): unknown {
  switch (spec.kind) {
    case 'boolean': return raw === true;
    case 'palette': return parseList(String(raw));
    case 'enum': return ENUM_ALIASES[spec.name]?.[String(raw)] ?? String(raw);
    default: return parseNumber(flag, String(raw));
  }
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
    const raw = opts[attributeOf(flag)];
    const shown = spec.kind === 'boolean' && raw === false ? `--no-${flag}` : `--${flag}`;
    flagOf.set(spec.name, shown);
    options[spec.name] = flagValue(spec, shown, raw);
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
