import { VtracerError } from '../engine/errors.js';

export type DecodeErrorCode = 'FILE_NOT_FOUND' | 'UNREADABLE' | 'UNSUPPORTED_IMAGE' | 'IMAGE_TOO_LARGE';

/**
 * An input could not be turned into pixels: the file is missing or unreadable, the bytes are not an image
 * we can decode (or are truncated/corrupt), or the image is over the pixel limit. The message is one line
 * and names the file.
 */
export class DecodeError extends VtracerError {
  declare readonly code: DecodeErrorCode;
  /** The file path or display name the error is about, when known. */
  readonly file: string | undefined;
  constructor(code: DecodeErrorCode, message: string, file?: string) {
    super(code, message);
    this.name = 'DecodeError';
    this.file = file;
  }
}

/** Quoted display name of an input for messages: the path, or a generic name for bytes. */
export function displayName(name: string | undefined): string {
  return name === undefined ? 'image data' : JSON.stringify(name);
}
