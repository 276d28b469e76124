/**
 * The one table of error codes: each code the library (engine, io, parallel) or the platform (disk, SQLite)
 * raises, the class that carries it, the HTTP status the service answers for it, and whether a job that
 * failed with it may succeed when tried again. The error handler and both job runners map from here.
 */
import { DecodeError, ImageDataError, OptionError, PoolClosedError, TraceAbortedError, VtracerError, WorkerCrashError } from 'vtracer-ts';

export interface ErrorCodeEntry {
  /** The class that carries the code (`Error` for the platform's system errors). */
  errorClass: abstract new (...args: never[]) => Error;
  /** What a request that hit it answers. */
  status: number;
  /** True when the cause is outside the job (a crashed worker, a pool shutting down): another try may work. */
  transient: boolean;
  /** For the platform's codes: the cause in words, for messages. */
  words?: string;
}

const NO_SPACE = 'no space left on the service\'s disk';
const READ_ONLY = 'the service\'s data folder is read-only';

export const ERROR_CODES = {
  // engine
  INVALID_OPTION: { errorClass: OptionError, status: 400, transient: false },
  INVALID_IMAGE_DATA: { errorClass: ImageDataError, status: 400, transient: false },
  ABORTED: { errorClass: TraceAbortedError, status: 503, transient: true },
  // io
  FILE_NOT_FOUND: { errorClass: DecodeError, status: 400, transient: false },
  UNREADABLE: { errorClass: DecodeError, status: 400, transient: false },
  UNSUPPORTED_IMAGE: { errorClass: DecodeError, status: 400, transient: false },
  IMAGE_TOO_LARGE: { errorClass: DecodeError, status: 413, transient: false },
  // parallel
  WORKER_CRASHED: { errorClass: WorkerCrashError, status: 500, transient: true },
  POOL_CLOSED: { errorClass: PoolClosedError, status: 503, transient: true },
  // platform: storage (requests answer 507, keep nothing and say "retry later"; the embedded runner fails the
  // job with the words, a distributed worker retries it with backoff like any other infrastructure error)
  ENOSPC: { errorClass: Error, status: 507, transient: true, words: NO_SPACE },
  EDQUOT: { errorClass: Error, status: 507, transient: true, words: NO_SPACE },
  SQLITE_FULL: { errorClass: Error, status: 507, transient: true, words: NO_SPACE },
  EROFS: { errorClass: Error, status: 507, transient: true, words: READ_ONLY },
  SQLITE_READONLY: { errorClass: Error, status: 507, transient: true, words: READ_ONLY },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The table's entry for an error, by its `code`; undefined for errors the table does not know. */
export function errorCodeEntry(error: unknown): (ErrorCodeEntry & { code: ErrorCode }) | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !Object.hasOwn(ERROR_CODES, code)) return undefined;
  const entry: ErrorCodeEntry = ERROR_CODES[code as ErrorCode];
  // A library code on an error of another class (a user's own Error with code "ABORTED") is not ours.
  if (entry.errorClass !== Error && !(error instanceof entry.errorClass)) return undefined;
  return { ...entry, code: code as ErrorCode };
}

/** A storage failure (full disk, quota, full SQLite file, read-only folder) in words, or null. */
export function storageFailure(error: unknown): string | null {
  return errorCodeEntry(error)?.words ?? null;
}

/**
 * True when a job that failed with this error would fail again if retried (bad image, bad options...).
 * Errors outside the table (a database that blinked) count as transient; a library code missing from the
 * table as the job's own fault.
 */
export function isPermanentJobError(error: unknown): boolean {
  const entry = errorCodeEntry(error);
  if (entry) return !entry.transient;
  return error instanceof VtracerError;
}
