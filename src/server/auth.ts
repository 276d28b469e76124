/**
 * API keys: the key is public (the Basic auth user), the secret is shown once and only its scrypt hash (with a
 * random salt) is stored; verification compares in constant time. A key belongs to one project.
 *
 * Sizes: `api_` + 22 base62 characters and a 22-character base62 secret (128 random bits each), so that
 * `key:secret` is 49 bytes and its base64 68 characters. The hosted docs build the header with plain
 * `base64`, which wraps its output at 76 characters: anything longer breaks their curl line. Keys made
 * before (33-character secrets) keep working: the stored hash does not depend on the secret's length.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, tooMany } from './errors.js';
import { newId, randomBase62 } from './ids.js';
import type { ApiKeyRecord, Store } from './store/types.js';
import { HashQueueFullError, SecretHasher } from './hasher.js';
import { FailedLoginLimiter } from './login-limiter.js';
import { defaultConfig } from './config.js';

const SCRYPT = { N: 1 << 15, r: 8, p: 1, keyLength: 32 };
/** 128 random bits: 22 base62 characters. */
const SECRET_BYTES = 16;
/** What `base64` writes on one line before it wraps (GNU coreutils' default). */
export const BASE64_LINE = 76;

function scrypt(secret: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(secret, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash` (salt and hash in base64url). */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p, keyLength } = SCRYPT;
  const hash = await scrypt(secret, salt, keyLength, { N, r, p, maxmem: 128 * N * r * 2 });
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export interface CreatedKey {
  apiKey: string;
  apiSecret: string;
  name: string;
  projectId: string;
}

/** Creates a key in a new project (or in `projectId` when given). The secret is returned once, never stored. */
export async function createApiKey(store: Store, name: string, projectId?: string): Promise<CreatedKey> {
  const createdAt = new Date().toISOString();
  let project = projectId;
  if (project) {
    if (!(await store.getProject(project))) throw new Error(`project ${project} does not exist`);
  } else {
    project = newId('project');
    await store.createProject({ id: project, name, createdAt });
  }
  const apiKey = newId('api');
  const apiSecret = randomBase62(SECRET_BYTES);
  await store.createApiKey({
    apiKey, projectId: project, name, secretHash: await hashSecret(apiSecret), createdAt, revokedAt: null,
  });
  return { apiKey, apiSecret, name, projectId: project };
}

/** Who is calling: attached to each authenticated request. */
export interface AuthContext {
  apiKey: string;
  projectId: string;
  keyName: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthContext;
  }
}

export function parseBasic(header: string | undefined): { user: string; password: string } | null {
  if (!header) return null;
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!m) return null;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** Why an Authorization header is not usable Basic credentials, in words (for the 401). */
export function malformedReason(header: string): string {
  const scheme = /^(\S+)/.exec(header)?.[1] ?? '';
  if (scheme.toLowerCase() !== 'basic') {
    return `The Authorization header must be Basic base64(API_KEY:API_SECRET), got the scheme ${JSON.stringify(scheme.slice(0, 20))}`;
  }
  return 'The Authorization header must be Basic base64(API_KEY:API_SECRET): its value is not base64 of "key:secret"';
}

/** What bounds the cost of failed logins: the failure budget per client address, and the hashing threads. */
export interface AuthGuards {
  hasher?: SecretHasher;
  failures?: FailedLoginLimiter;
}

/**
 * Checks Basic credentials against the store. The key record is read on every request (so a revocation is
 * seen at once); the slow scrypt check is remembered for a verified (key, secret, hash) triple, so that
 * polling clients do not pay it on every call. The cache holds digests, not secrets. Every other request
 * runs exactly one scrypt check, whatever the reason it fails (unknown or revoked key, over-long or wrong
 * secret), so that timing does not tell which keys exist; before it, an address over its budget of failed
 * logins is refused (429) without hashing; the checks run on their own bounded threads (hasher.ts).
 */
export class Authenticator {
  private verified = new Map<string, number>();
  private inFlight = new Map<string, Promise<boolean>>();
  readonly hasher: SecretHasher;
  readonly failures: FailedLoginLimiter;

  constructor(private readonly store: Store, guards: AuthGuards = {}, private readonly cacheSize = 1000, private readonly cacheTtlMs = 10 * 60_000) {
    this.hasher = guards.hasher ?? new SecretHasher();
    this.failures = guards.failures ?? new FailedLoginLimiter(defaultConfig().auth.failedLoginsPerMinute);
  }

  /** `address`: the client's, whose failed logins are counted. */
  async authenticate(header: string | undefined, address = 'local'): Promise<AuthContext> {
    const creds = parseBasic(header);
    if (!creds) {
      throw unauthorized(header ? malformedReason(header)
        : 'Missing Authorization header: use Basic auth with your API key and secret');
    }
    const found: ApiKeyRecord | null = creds.user.length <= 100 ? await this.store.getApiKey(creds.user) : null;
    const record = found && !found.revokedAt ? found : null;
    // The hash checked: the key's, or a dummy one for every case that must fail, at the same cost.
    const against = record && creds.password.length <= 200 ? record.secretHash : DUMMY_HASH;
    const digest = createHash('sha256').update(`${creds.user}\0${creds.password}\0${against}`).digest('base64');
    const seen = this.verified.get(digest);
    if (record && seen !== undefined && Date.now() - seen <= this.cacheTtlMs) return contextOf(record);

    const wait = this.failures.retryAfter(address);
    if (wait > 0) {
      throw tooMany(`Too many failed logins from this address; retry in ${wait} s`, wait);
    }
    // Concurrent first requests with the same credentials share one scrypt run (a client starting 50
    // pollers at once must not queue 50 slow hashes).
    let check = this.inFlight.get(digest);
    if (!check) {
      check = this.hasher.verify(creds.password, against).finally(() => this.inFlight.delete(digest));
      this.inFlight.set(digest, check);
    }
    let ok: boolean;
    try {
      ok = await check;
    } catch (err) {
      if (err instanceof HashQueueFullError) {
        throw tooMany('The service is checking too many credentials at once; retry in a second', 1);
      }
      throw err;
    }
    if (!ok || !record || against === DUMMY_HASH) {
      this.failures.failed(address);
      throw unauthorized('Invalid API key or secret');
    }
    if (this.verified.size >= this.cacheSize) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(digest, Date.now());
    return contextOf(record);
  }

  /** Fastify onRequest hook. */
  hook = async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    request.auth = await this.authenticate(request.headers.authorization, request.ip);
  };

  async close(): Promise<void> {
    await this.hasher.close();
  }
}

function contextOf(record: ApiKeyRecord): AuthContext {
  return { apiKey: record.apiKey, projectId: record.projectId, keyName: record.name };
}

// A valid hash of a random secret: what failing credentials are checked against, at the cost of a real check.
const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${randomBytes(16).toString('base64url')}$${randomBytes(32).toString('base64url')}`;

export const WWW_AUTHENTICATE = 'Basic realm="vtracer", charset="UTF-8"';

function unauthorized(reason: string): ApiError {
  return new ApiError(401, reason, { 'WWW-Authenticate': WWW_AUTHENTICATE });
}

/** The project a request acts for (routes under /v1 always have one). */
export function projectOf(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new ApiError(401, 'Not authenticated');
  return request.auth;
}
