/**
 * Working memory reused between traces (src/engine/memory.ts): reused buffers hold the previous trace's
 * data, so every result must equal the one computed with fresh memory, in any order, after an aborted trace,
 * and with a trace nested in another's progress callback.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { TraceAbortedError, releaseMemory, retainedMemory, setRetainedMemory, traceRgba } from '../../src/engine/index.js';
import type { TraceOptions } from '../../src/engine/index.js';
import { loadRgba } from '../support/fidelity.js';
import type { RgbaBuffer } from '../support/fidelity.js';
import { fixturePath } from '../support/fixtures.js';
import { solid, withNoise } from '../support/images.js';

const DEFAULT_RETAINED = 256 * 1024 * 1024;
after(() => setRetainedMemory(DEFAULT_RETAINED));

const astro = await loadRgba(fixturePath('astronaut-256'));
const coffee = await loadRgba(fixturePath('coffee-300'));
const emoji = await loadRgba(fixturePath('emoji-1f34e'));
// Large enough (0.45 MP) that even the graph phase's arrays are pooled.
const noisy = withNoise(solid(700, 640, [90, 150, 200, 255]), 12, 5);

const cases: Array<[string, RgbaBuffer, TraceOptions]> = [
  ['astronaut poster', astro, { preset: 'poster' }],
  ['astronaut photo', astro, { preset: 'photo' }],
  ['coffee diagonal joins', coffee, { layerDifference: 0, colorPrecision: 5 }],
  ['emoji bw adaptive', emoji, { preset: 'bw', adaptive: true }],
  ['emoji cutout', emoji, { hierarchical: 'cutout' }],
  ['noise poster', noisy, { preset: 'poster' }],
  ['noise cutout', noisy, { hierarchical: 'cutout', filterSpeckle: 2 }],
  ['coffee maxColors', coffee, { maxColors: 6 }],
];

function freshResults(): string[] {
  setRetainedMemory(0);
  try {
    return cases.map(([, img, options]) => traceRgba(img, options));
  } finally {
    setRetainedMemory(DEFAULT_RETAINED);
  }
}

test('results with reused memory equal those with fresh memory, in any order', () => {
  const expected = freshResults();
  assert.equal(retainedMemory(), 0, 'nothing kept with a limit of 0');
  releaseMemory();
  const order = [...cases.keys(), ...[...cases.keys()].reverse(), 0, 5, 2, 7, 1, 6, 3, 4];
  for (const i of order) {
    const [name, img, options] = cases[i]!;
    assert.equal(traceRgba(img, options), expected[i], `${name} (after the others, on reused memory)`);
  }
  const kept = retainedMemory();
  assert.ok(kept > 1024 * 1024, `memory kept between traces (${kept} bytes)`);
  assert.ok(kept <= DEFAULT_RETAINED);
});

test('an aborted trace hands its memory back, and the next trace is unaffected', () => {
  const expected = freshResults();
  releaseMemory();
  let calls = 0;
  assert.throws(() => traceRgba(noisy, {
    preset: 'photo',
    onProgress: (f) => { calls++; if (f > 0.4) throw new TraceAbortedError(); },
  }), (e: unknown) => (e as Error).name === 'AbortError');
  assert.ok(calls > 1);
  assert.ok(retainedMemory() > 0, 'the aborted trace returned its buffers to the pool');
  for (let i = 0; i < cases.length; i++) assert.equal(traceRgba(cases[i]![1], cases[i]![2]), expected[i], cases[i]![0]);
});

test('a trace nested in another one\'s progress callback uses its own buffers', () => {
  const expected = freshResults();
  let inner: string | undefined;
  const outer = traceRgba(noisy, {
    preset: 'poster',
    onProgress: (f) => { if (inner === undefined && f > 0.3) inner = traceRgba(astro, { preset: 'photo' }); },
  });
  assert.equal(outer, expected[5]);
  assert.equal(inner, expected[1]);
});

test('the limit is kept, can be lowered, and memory can be let go', () => {
  releaseMemory();
  traceRgba(noisy, { preset: 'photo' });
  const kept = retainedMemory();
  assert.ok(kept > 0);
  setRetainedMemory(Math.floor(kept / 2));
  assert.ok(retainedMemory() <= kept / 2, `trimmed to the new limit (${retainedMemory()} of ${kept})`);
  setRetainedMemory(DEFAULT_RETAINED);
  releaseMemory();
  assert.equal(retainedMemory(), 0);
  assert.throws(() => setRetainedMemory(-1), RangeError);
  assert.throws(() => setRetainedMemory(Number.NaN), RangeError);
});
