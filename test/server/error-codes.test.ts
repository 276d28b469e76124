/** The one table of error codes: complete for the library's codes, and the status each request answers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import { ImageDataError, OptionError, TraceAbortedError } from '../../src/engine/errors.js';
import { DecodeError } from '../../src/io/errors.js';
import { PoolClosedError, WorkerCrashError } from '../../src/parallel/protocol.js';
import { ERROR_CODES, errorCodeEntry, isPermanentJobError, storageFailure } from '../../src/server/error-codes.js';
import { handleError } from '../../src/server/errors.js';
import { ROOT } from './helpers.js';

test('every code the engine, io and parallel raise is in the table, with the class that raises it', () => {
  const found = new Set<string>();
  for (const folder of ['engine', 'io', 'parallel']) {
    for (const file of readdirSync(join(ROOT, 'src', folder)).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(ROOT, 'src', folder, file), 'utf8');
      // super('CODE', …) in error classes, new DecodeError('CODE', …) where decode errors are raised
      for (const m of text.matchAll(/(?:super|new DecodeError)\('([A-Z_]+)'/g)) found.add(m[1]!);
    }
  }
  assert.ok(found.size >= 8, `found only ${[...found].join(', ')}`);
  for (const code of found) assert.ok(Object.hasOwn(ERROR_CODES, code), `${code} is raised but missing from ERROR_CODES`);
});

test('errorCodeEntry and isPermanentJobError: the job\'s own faults are permanent, infrastructure is transient', () => {
  assert.equal(errorCodeEntry(new OptionError('colorPrecision', 'an integer', 9))?.status, 400);
  assert.equal(errorCodeEntry(new DecodeError('IMAGE_TOO_LARGE', 'too large'))?.status, 413);
  assert.equal(errorCodeEntry(Object.assign(new Error('disk'), { code: 'ENOSPC' }))?.status, 507);
  // A code of the library on someone else's error is not the library's.
  assert.equal(errorCodeEntry(Object.assign(new Error('x'), { code: 'ABORTED' })), undefined);
  assert.equal(isPermanentJobError(new OptionError('mode', 'a mode', 'x')), true);
  assert.equal(isPermanentJobError(new ImageDataError('bad')), true);
  assert.equal(isPermanentJobError(new DecodeError('UNSUPPORTED_IMAGE', 'not an image')), true);
  assert.equal(isPermanentJobError(new WorkerCrashError('crashed')), false);
  assert.equal(isPermanentJobError(new PoolClosedError()), false);
  assert.equal(isPermanentJobError(new Error('connection reset')), false);
  assert.equal(storageFailure(Object.assign(new Error('x'), { code: 'SQLITE_READONLY' })), 'the service\'s data folder is read-only');
  assert.equal(storageFailure(new TraceAbortedError()), null);
});

test('the error handler answers the table\'s status with reason = message and a traceId', async () => {
  const app = Fastify({ logger: false });
  app.setErrorHandler(handleError);
  const errors: Record<string, () => Error> = {
    option: () => new OptionError('colorPrecision', 'an integer from 1 to 8', 9),
    decode: () => new DecodeError('IMAGE_TOO_LARGE', 'image data is 20000x20000, over the limit'),
    disk: () => Object.assign(new Error('write failed'), { code: 'ENOSPC' }),
    crash: () => new WorkerCrashError('the trace worker crashed'),
    other: () => Object.assign(new Error('secret internals'), { code: 'ABORTED' }),
  };
  for (const [name, make] of Object.entries(errors)) app.get(`/${name}`, async () => { throw make(); });
  const expected: Record<string, [number, RegExp]> = {
    option: [400, /^colorPrecision must be an integer from 1 to 8, got 9$/],
    decode: [413, /over the limit/],
    disk: [507, /no space left on the service's disk; nothing was kept, retry later/],
    crash: [500, /the trace worker crashed/],
    other: [500, /^Internal error/],
  };
  for (const [name, [status, reason]] of Object.entries(expected)) {
    const res = await app.inject({ method: 'GET', url: `/${name}` });
    const body = res.json() as Record<string, string>;
    assert.equal(res.statusCode, status, name);
    assert.match(body.reason!, reason, name);
    assert.equal(body.message, body.reason, name);
    assert.ok(body.traceId, name);
  }
  await app.close();
});
