/**
 * Typed errors of the engine. Every error a user can cause carries a message that says what to change;
 * `code` is stable so that callers (CLI, HTTP service) can map errors without parsing messages.
 */
export class VtracerError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'VtracerError';
    this.code = code;
  }
}

/** A trace option has the wrong type, is out of range or is unknown. */
export class OptionError extends VtracerError {
  /** The option's public name, e.g. `colorPrecision`. */
  readonly option: string;
  /** What was expected, e.g. `an integer from 1 to 8`. */
  readonly expected: string;
  /** The value received, as given. */
  readonly received: unknown;
  constructor(option: string, expected: string, received: unknown, message?: string) {
    super('INVALID_OPTION', message ?? `${option} must be ${expected}, got ${describeValue(received)}`);
    this.name = 'OptionError';
    this.option = option;
    this.expected = expected;
    this.received = received;
  }
}

/** The RGBA buffer handed to the engine does not describe an image (size mismatch, zero size...). */
export class ImageDataError extends VtracerError {
  constructor(message: string) {
    super('INVALID_IMAGE_DATA', message);
    this.name = 'ImageDataError';
  }
}

/** The trace was cancelled through its AbortSignal. `name` is `AbortError` like the platform's own. */
export class TraceAbortedError extends VtracerError {
  constructor(message = 'The trace was aborted') {
    super('ABORTED', message);
    this.name = 'AbortError';
  }
}

/** Short, readable rendering of a received value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  try {
    const text = JSON.stringify(value);
    return text.length > 60 ? text.slice(0, 57) + '...' : text;
  } catch {
    return typeof value;
  }
}
