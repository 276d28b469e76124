/**
 * Messages between the TracePool (main thread) and its workers, and the (de)serialisation of errors so that
 * a worker's OptionError, DecodeError, TraceAbortedError or ImageDataError is re-created with its class on
 * the main side.
 */
import {
  ImageDataError, OptionError, TraceAbortedError, VtracerError, describeValue,
} from '../engine/errors.js';
import type { TraceParameters } from '../engine/options.js';
import type { RgbaImage, TraceResult } from '../engine/types.js';
import { DecodeError } from '../io/errors.js';
import type { DecodeErrorCode } from '../io/errors.js';

export type TaskPayload =
  | { kind: 'encoded'; input: string | Uint8Array; name?: string; page?: number; limitInputPixels?: number }
  | { kind: 'rgba'; rgba: RgbaImage };

export interface TraceRequest {
  type: 'trace';
  id: number;
  task: TaskPayload;
  /** Fully resolved parameters (validated on the main thread). */
  params: TraceParameters;
  limitInputPixels: number;
  /** One Int32: 0 while running, 1 once the caller aborted. */
  abort: SharedArrayBuffer;
  /** Whether the caller wants progress messages. */
  progress: boolean;
}

export type WorkerReply =
  | { type: 'progress'; id: number; fraction: number }
  | { type: 'done'; id: number; result: TraceResult }
  | { type: 'error'; id: number; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  option?: string;
  expected?: string;
  received?: unknown;
  file?: string;
  stack?: string;
}

/** A worker thread died (uncaught exception, native crash, out of memory, exit) while running a task. */
export class WorkerCrashError extends VtracerError {
  constructor(message: string) {
    super('WORKER_CRASHED', message);
    this.name = 'WorkerCrashError';
  }
}

/** The pool was closed before the task could finish. */
export class PoolClosedError extends VtracerError {
  constructor(message = 'the trace pool is closed') {
    super('POOL_CLOSED', message);
    this.name = 'PoolClosedError';
  }
}

const DECODE_CODES = new Set(['FILE_NOT_FOUND', 'UNREADABLE', 'UNSUPPORTED_IMAGE', 'IMAGE_TOO_LARGE']);

function cloneable(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return describeValue(value);
  }
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const out: SerializedError = { name: error.name, message: error.message, stack: error.stack };
  if (error instanceof VtracerError) out.code = error.code;
  if (error instanceof OptionError) {
    out.option = error.option;
    out.expected = error.expected;
    out.received = cloneable(error.received);
  }
  if (error instanceof DecodeError) out.file = error.file;
  return out;
}

export function deserializeError(data: SerializedError): Error {
  let error: Error;
  if (data.code === 'INVALID_OPTION' && data.option !== undefined) {
    error = new OptionError(data.option, data.expected ?? '', data.received, data.message);
  } else if (data.code === 'ABORTED') {
    error = new TraceAbortedError(data.message);
  } else if (data.code === 'INVALID_IMAGE_DATA') {
    error = new ImageDataError(data.message);
  } else if (data.code !== undefined && DECODE_CODES.has(data.code) && data.name === 'DecodeError') {
    error = new DecodeError(data.code as DecodeErrorCode, data.message, data.file);
  } else if (data.code !== undefined) {
    error = new VtracerError(data.code, data.message);
    error.name = data.name;
  } else {
    error = new Error(data.message);
    error.name = data.name;
  }
  if (data.stack) error.stack = data.stack;
  return error;
}
