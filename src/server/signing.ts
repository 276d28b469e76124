/**
 * Temporary URLs: HMAC-SHA256 over the resource (e.g. `asset:asset_…`) and an expiry (unix seconds). The
 * secret comes from VTRACER_URL_SECRET or a file in the data dir created at first start, so every process
 * sharing the data dir (or the env) accepts the others' URLs.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const URL_SECRET_FILE = 'url-secret';

export function loadUrlSecret(dataDir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  const fromEnv = env.VTRACER_URL_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 16) throw new Error('VTRACER_URL_SECRET must be at least 16 characters');
    return Buffer.from(fromEnv, 'utf8');
  }
  const file = join(dataDir, URL_SECRET_FILE);
  try {
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx': if another process created it meanwhile, use theirs.
    writeFileSync(file, randomBytes(32).toString('base64url') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
}

export type VerifyResult = 'ok' | 'expired' | 'invalid';

export class UrlSigner {
  constructor(private readonly secret: Buffer) {}

  signature(resource: string, expires: number | string): string {
    return createHmac('sha256', this.secret).update(`${resource}\n${expires}`).digest('base64url');
  }

  /** Query string (without `?`) that makes `resource` readable until `expires` (unix seconds). */
  query(resource: string, expires: number): string {
    return `expires=${expires}&signature=${this.signature(resource, expires)}`;
  }

  /**
   * Checks the signature first (so nothing else is revealed to a forger), as strings compared in constant
   * time: comparing decoded bytes would accept a changed last base64 character whose unused bits differ.
   */
  verify(resource: string, expires: unknown, signature: unknown, nowSeconds = Math.floor(Date.now() / 1000)): VerifyResult {
    if (typeof expires !== 'string' || !/^\d{1,12}$/.test(expires) || typeof signature !== 'string') return 'invalid';
    const expected = Buffer.from(this.signature(resource, expires));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    return Number(expires) < nowSeconds ? 'expired' : 'ok';
  }
}
