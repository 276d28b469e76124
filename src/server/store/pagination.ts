import { InvalidPaginationTokenError } from './types.js';

/**
 * Pagination tokens of every store: the base64url of `v1:<seq>`, opaque to clients and checked on the way
 * back, so a token from one store kind means the same in the other.
 */
export function encodeToken(seq: number): string {
  return Buffer.from(`v1:${seq}`).toString('base64url');
}

export function decodeToken(token: string): number {
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(token) ? Buffer.from(token, 'base64url').toString() : '';
  const m = /^v1:(\d{1,15})$/.exec(text);
  if (!m) throw new InvalidPaginationTokenError(token);
  return Number(m[1]);
}
