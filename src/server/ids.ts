import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `bytes` random bytes written in base62 with a fixed length (22 characters for 16 bytes). */
export function randomBase62(bytes = 16): string {
  const length = Math.ceil((bytes * 8) / Math.log2(62));
  let n = BigInt('0x' + randomBytes(bytes).toString('hex'));
  let out = '';
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out;
}

export type IdPrefix = 'job' | 'asset' | 'upload' | 'project' | 'api';

/** An unguessable id: prefix, underscore, 128 random bits in base62 (e.g. `job_3kT...`). */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBase62(16)}`;
}

/** True when `value` has the shape of an id with this prefix (used before any lookup or path). */
export function isId(prefix: IdPrefix, value: unknown): value is string {
  return typeof value === 'string' && new RegExp(`^${prefix}_[0-9A-Za-z]{10,64}$`).test(value);
}
