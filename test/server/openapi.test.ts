/**
 * The OpenAPI document as a client generator reads it: valid (Redocly's linter, no errors), an operationId on
 * every operation, shared component schemas, described responses, the download's content types, security
 * only on /v1 (and on /metrics with a token); then a typed client generated from it with openapi-typescript
 * and type-checked: a correct call compiles, a wrong one does not.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { createEmbeddedService, type EmbeddedService } from '../../src/server/service.js';
import { removeDir } from './helpers.js';

type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

let dir: string;
let service: EmbeddedService;
let document: Json;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vtracer-openapi-'));
  service = await createEmbeddedService({ dataDir: join(dir, 'data'), workers: 1, logger: false, config: { metricsToken: 'scrape' } });
  document = (await service.app.inject({ url: '/openapi.json' })).json();
});
after(async () => {
  await service?.close();
  removeDir(dir);
});

function operations(): { path: string; method: string; op: Json }[] {
  return Object.entries<Json>(document.paths).flatMap(([path, item]) =>
    Object.entries<Json>(item).filter(([method]) => METHODS.includes(method)).map(([method, op]) => ({ path, method, op })));
}

describe('OpenAPI document', () => {
  test('is valid OpenAPI (Redocly lint: no errors)', async () => {
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: 'openapi.json', config: await createConfig({ extends: ['minimal'] }) });
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    assert.deepEqual(errors, []);
  });

  test('operationIds, shared schemas and response descriptions', () => {
    const ids = operations().map(({ op }) => op.operationId);
    assert.ok(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z0-9]+$/.test(id)), ids.join(' '));
    assert.equal(new Set(ids).size, ids.length, 'unique');
    for (const id of ['createVectorizeJob', 'getJob', 'listJobs', 'createAsset', 'getAsset', 'createUpload', 'getModel', 'downloadAssetFile']) assert.ok(ids.includes(id), id);
    for (const name of ['Job', 'Asset', 'Upload', 'Model', 'Error']) assert.ok(document.components.schemas[name], name);
    const jobResponse = document.paths['/v1/jobs/{jobId}'].get.responses[200].content['application/json'].schema;
    assert.deepEqual(jobResponse.properties.job, { $ref: '#/components/schemas/Job' });
    assert.deepEqual(document.paths['/v1/jobs/{jobId}'].get.responses[404].content['application/json'].schema, { $ref: '#/components/schemas/Error' });
    for (const { path, method, op } of operations()) {
      for (const [status, response] of Object.entries<Json>(op.responses)) {
        assert.ok(response.description && response.description !== 'Default Response', `${method} ${path} ${status}: ${response.description}`);
      }
    }
    const download = document.paths['/files/assets/{assetId}'].get.responses[200].content;
    assert.deepEqual(download['image/svg+xml'].schema, { type: 'string' });
    assert.ok(download['image/png'], 'other formats too');
  });

  test('security only where it applies', () => {
    assert.equal(document.security, undefined, 'no document-wide requirement');
    for (const { path, method, op } of operations()) {
      const expected = path.startsWith('/v1/') ? [{ basic: [] }] : path === '/metrics' ? [{ metricsToken: [] }] : [];
      assert.deepEqual(op.security, expected, `${method} ${path}`);
    }
    assert.equal(document.components.securitySchemes.metricsToken.scheme, 'bearer');
  });
});

describe('a typed client generated from it', () => {
  const CLIENT = `
import type { components, operations, paths } from './api';

type Job = components['schemas']['Job'];
type GetJob = operations['getJob'];

export async function getJob(base: string, authorization: string, jobId: GetJob['parameters']['path']['jobId']): Promise<Job | undefined> {
  const response = await fetch(base + '/v1/jobs/' + encodeURIComponent(jobId), { headers: { authorization } });
  const body = (await response.json()) as GetJob['responses'][200]['content']['application/json'];
  return body.job;
}
export const finished = (job: Job): boolean => job.status === 'success' || job.status === 'failure' || job.status === 'canceled';
export const reason = (e: components['schemas']['Error']): string => e.reason;
export const svg: paths['/files/assets/{assetId}']['get']['responses'][200]['content']['image/svg+xml'] = '<svg/>';
export type Generate = NonNullable<operations['createVectorizeJob']['requestBody']>['content']['application/json'];
`;
  const WRONG = `
import type { components } from './api';
export const status: components['schemas']['Job']['status'] = 'done';
`;

  function typeCheck(folder: string, file: string): string[] {
    const program = ts.createProgram([join(folder, file)], {
      strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext, lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'], types: [], skipLibCheck: false,
    });
    return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? d.file.fileName.slice(folder.length) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  }

  test('openapi-typescript generates it; a correct call type-checks and a wrong status does not', async () => {
    const folder = join(dir, 'client');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(folder);
    writeFileSync(join(folder, 'api.ts'), astToString(await openapiTS(document as never)));
    writeFileSync(join(folder, 'client.ts'), CLIENT);
    writeFileSync(join(folder, 'wrong.ts'), WRONG);
    assert.deepEqual(typeCheck(folder, 'client.ts'), []);
    const errors = typeCheck(folder, 'wrong.ts');
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, /"done"/);
  });
});
