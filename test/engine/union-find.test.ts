/**
 * The union-find helpers stage 1 relies on: unions keep the smaller index as the root (so parents never point
 * forward), and relabelSets numbers the sets 0..count-1 in order of each set's first index in one pass.
 * Checked against a plain grouping on random unions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findRoot, relabelSets, unionMin } from '../../src/engine/union-find.js';
import { mulberry32 } from '../support/images.js';

test('random unions: parents never point forward; labels number the sets by their first member', () => {
  for (let seed = 1; seed <= 200; seed++) {
    const rnd = mulberry32(seed);
    const n = 1 + Math.floor(rnd() * 300);
    const parent = new Int32Array(n);
    const group = new Int32Array(n); // a plain set id per element, merged by relabelling
    for (let p = 0; p < n; p++) {
      const none = rnd() < 0.1;
      parent[p] = none ? -1 : p;
      group[p] = none ? -1 : p;
    }
    const unions = Math.floor(rnd() * n);
    for (let u = 0; u < unions; u++) {
      const a = Math.floor(rnd() * n), b = Math.floor(rnd() * n);
      if (parent[a]! < 0 || parent[b]! < 0) continue;
      unionMin(parent, a, b);
      const ga = group[a]!, gb = group[b]!;
      if (ga !== gb) for (let p = 0; p < n; p++) if (group[p] === gb) group[p] = ga;
    }
    for (let p = 0; p < n; p++) if (parent[p]! >= 0) assert.ok(parent[p]! <= p, `seed ${seed}: parent of ${p} points forward`);
    for (let p = 0; p < n; p++) {
      if (parent[p]! < 0) continue;
      // The root is the smallest member of the set.
      let smallest = p;
      for (let q = 0; q < p; q++) if (group[q] === group[p]) { smallest = q; break; }
      assert.equal(findRoot(parent, p), smallest, `seed ${seed}: root of ${p}`);
    }
    // Expected labels: sets numbered in order of their first member.
    const number = new Map<number, number>();
    const expected = Array.from(group, (g) => {
      if (g < 0) return -1;
      if (!number.has(g)) number.set(g, number.size);
      return number.get(g)!;
    });
    const count = relabelSets(parent);
    assert.equal(count, number.size, `seed ${seed}: number of sets`);
    assert.deepEqual(Array.from(parent), expected, `seed ${seed}: labels`);
  }
});
