/**
 * onPath: each path is handed out as soon as it is written, in document order, and the final SVG holds
 * exactly those paths (stacked and cutout layering, colour and binary). A bad onPath is refused by name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionError, traceRgbaDetailed } from '../../src/engine/index.js';
import type { TraceOptions, TracedPath } from '../../src/engine/index.js';
import { loadRgba } from '../support/fidelity.js';
import { fixturePath } from '../support/fixtures.js';

const emoji = await loadRgba(fixturePath('emoji-1f34e'));
const astro = await loadRgba(fixturePath('astronaut-256'));

const cases: Array<[string, TraceOptions]> = [
  ['poster, stacked', { preset: 'poster' }],
  ['photo preset', { preset: 'photo' }],
  ['cutout, polygon', { hierarchical: 'cutout', mode: 'polygon' }],
  ['bw', { preset: 'bw' }],
];
for (const [name, options] of cases) {
  test(`onPath gives the paths of the SVG in order (${name})`, () => {
    for (const img of [emoji, astro]) {
      const seen: TracedPath[] = [];
      const result = traceRgbaDetailed(img, { ...options, onPath: (p) => seen.push(p) });
      const written = [...result.svg.matchAll(/<path d="([^"]*)" fill="(#[0-9a-f]{6})"/g)].map((m) => ({ d: m[1], fill: m[2] }));
      assert.equal(seen.length, result.pathCount);
      assert.ok(seen.length > 0);
      assert.deepEqual(seen, written);
    }
  });
}

test('onPath must be a function', () => {
  assert.throws(() => traceRgbaDetailed(emoji, { onPath: 'yes' as unknown as () => void }), (err: unknown) =>
    err instanceof OptionError && /onPath/.test(err.message));
});
