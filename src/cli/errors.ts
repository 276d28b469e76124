/** Errors of the command line itself, and how any error becomes one line on stderr. */
import { VtracerError } from '../engine/errors.js';
import { DecodeError } from '../io/errors.js';

/** Exit codes: 0 success, 1 a trace failed (or some files of a batch), 2 bad usage (flags, arguments). */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/** A bad flag or argument: reported as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One line describing what went wrong with `file` (the DecodeError messages already name the file). */
export function describeFailure(error: unknown, file?: string): string {
  const message = errorMessage(error);
  if (file === undefined || error instanceof DecodeError) return message;
  return `${JSON.stringify(file)}: ${message}`;
}

export function errorMessage(error: unknown): string {
  if (error instanceof VtracerError || error instanceof UsageError) return oneLine(error.message);
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const path = (error as NodeJS.ErrnoException).path;
    if (typeof code === 'string' && typeof path === 'string') return systemErrorMessage(code, path, error.message);
    return oneLine(error.message);
  }
  return oneLine(String(error));
}

function systemErrorMessage(code: string, path: string, fallback: string): string {
  const name = JSON.stringify(path);
  switch (code) {
    case 'ENOENT': return `${name}: no such file or directory`;
    case 'EACCES': case 'EPERM': return `${name}: permission denied`;
    case 'EISDIR': return `${name} is a directory`;
    case 'EEXIST': return `${name} already exists and is not a folder`;
    case 'ENOTDIR': return `${name}: a parent is not a directory`;
    case 'ENOSPC': return `${name}: no space left on the device`;
    case 'EROFS': return `${name}: read-only file system`;
    default: return oneLine(fallback);
  }
}

function oneLine(text: string): string {
  return text.split(/\r?\n/).map((s) => s.trim()).filter(Boolean).join(' ');
}
