/**
 * Stage 2 against a plain restatement of its rule. The merger is built for speed (pixel sweeps for small
 * regions in the queue's order, a compact adjacency graph for the rest, a per-pixel map, union-finds); this
 * test recomputes the merge tree the slow, obvious way on small random images and asks for the same tree:
 *
 *   repeat: take the live region of smallest area (ties: lowest index); its live 4-neighbours; none → it is a
 *   root layer; else the one with the nearest floor-average colour (L1, ties: lowest index) absorbs it, and it
 *   first becomes a layer when that distance > layerDifference, its area > filterSpeckle² (and below the
 *   image's), and it is not thread-like (filterSpeckle 0 skips that test, and so does standing alone: live
 *   neighbours all of one colour, their averages spanning, summed over red, green and blue, at most a quarter
 *   of that distance, or, from 10 px, its average outside theirs in some channel by more than a quarter of
 *   that distance and four times layerDifference); or (keepDots, a small feature) when
 *   its area is 3 to filterSpeckle² and at least 0.4 of its bounding box, that distance > 2 · layerDifference,
 *   it stands alone (as above), and its edge is soft (a pixel of it or next to it is a mix of its
 *   core and the target's average) or it fills its box exactly, 3 px or more each way.
 *
 * Images mix flat patches (regions far above the pixel-sweep threshold, so the graph phase runs), noise
 * (single pixels) and transparency, with random parameters.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RegionMerger } from '../../src/engine/merge.js';
import { Progress } from '../../src/engine/progress.js';
import { Workspace } from '../../src/engine/memory.js';
import { mulberry32 } from '../support/images.js';

interface Case { data: Uint8Array; label: Int32Array; count: number; w: number; h: number }

/** A random image and its 4-connected components of equal "class" (numbered in raster order of first pixel). */
function randomCase(seed: number): Case {
  const rnd = mulberry32(seed);
  const w = 1 + Math.floor(rnd() * 40), h = 1 + Math.floor(rnd() * 40);
  const n = w * h;
  const classes = 1 + Math.floor(rnd() * 6);
  const palette = Array.from({ length: classes }, () => [rnd() * 255, rnd() * 255, rnd() * 255].map(Math.floor));
  const noise = rnd() < 0.5 ? 0 : Math.floor(rnd() * 60);
  const holes = rnd() < 0.3 ? rnd() * 0.2 : 0;
  const blocky = rnd() < 0.6; // patches of a class rather than a class per pixel
  const cls = new Int32Array(n);
  const block = 2 + Math.floor(rnd() * 8);
  const blockClass = new Map<number, number>();
  for (let p = 0; p < n; p++) {
    const x = p % w, y = (p / w) | 0;
    if (rnd() < holes) { cls[p] = -1; continue; }
    if (blocky) {
      const key = Math.floor(x / block) * 10007 + Math.floor(y / block);
      if (!blockClass.has(key)) blockClass.set(key, Math.floor(rnd() * classes));
      cls[p] = rnd() < 0.1 ? Math.floor(rnd() * classes) : blockClass.get(key)!;
    } else {
      cls[p] = Math.floor(rnd() * classes);
    }
  }
  const data = new Uint8Array(4 * n);
  for (let p = 0; p < n; p++) {
    if (cls[p] < 0) continue;
    const [r, g, b] = palette[cls[p]]!;
    const jitter = () => (noise ? Math.floor(rnd() * (2 * noise + 1)) - noise : 0);
    data[4 * p] = Math.max(0, Math.min(255, r! + jitter()));
    data[4 * p + 1] = Math.max(0, Math.min(255, g! + jitter()));
    data[4 * p + 2] = Math.max(0, Math.min(255, b! + jitter()));
    data[4 * p + 3] = 255;
  }
  // Components by flood fill, numbered in raster order of their first pixel (what stage 1 produces).
  const label = new Int32Array(n).fill(-1);
  let count = 0;
  const stack: number[] = [];
  for (let s = 0; s < n; s++) {
    if (cls[s] < 0 || label[s] >= 0) continue;
    label[s] = count;
    stack.push(s);
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % w;
      for (const q of [x > 0 ? p - 1 : -1, x + 1 < w ? p + 1 : -1, p - w, p + w]) {
        if (q < 0 || q >= n || label[q] >= 0 || cls[q] !== cls[p]) continue;
        label[q] = count;
        stack.push(q);
      }
    }
    count++;
  }
  return { data, label, count, w, h };
}

/** The merge tree computed the slow way: parent per region (-1 for roots) and the layers in order. */
function naiveMerge(c: Case, filterSpeckle: number, layerDifference: number, keepDots: boolean): { parent: number[]; layers: number[]; largeMerges: number } {
  const { data, label, count, w, h } = c;
  const n = w * h;
  const owner = Array.from(label);
  const area = new Array<number>(count).fill(0);
  const sum = Array.from({ length: count }, () => [0, 0, 0]);
  for (let p = 0; p < n; p++) {
    const k = label[p]!;
    if (k < 0) continue;
    area[k]++;
    for (let ch = 0; ch < 3; ch++) sum[k]![ch] += data[4 * p + ch]!;
  }
  const avg = (k: number) => sum[k]!.map((s) => Math.floor(s / area[k]!));
  const alive = new Array<boolean>(count).fill(true);
  const parent = new Array<number>(count).fill(-1);
  const layers: number[] = [];
  const minArea = filterSpeckle * filterSpeckle;
  let largeMerges = 0;
  for (let step = 0; step < count; step++) {
    let k = -1;
    for (let r = 0; r < count; r++) if (alive[r] && (k < 0 || area[r]! < area[k]!)) k = r;
    const pixels: number[] = [];
    for (let p = 0; p < n; p++) if (owner[p] === k) pixels.push(p);
    const neighbours = new Set<number>();
    for (const p of pixels) {
      const x = p % w;
      for (const q of [x > 0 ? p - 1 : -1, x + 1 < w ? p + 1 : -1, p >= w ? p - w : -1, p + w < n ? p + w : -1]) {
        if (q >= 0 && owner[q]! >= 0 && owner[q] !== k) neighbours.add(owner[q]!);
      }
    }
    alive[k] = false;
    if (neighbours.size === 0) {
      layers.push(k);
      continue;
    }
    const ka = avg(k);
    let t = -1, best = Infinity;
    for (const c2 of neighbours) {
      const ca = avg(c2);
      const d = Math.abs(ka[0]! - ca[0]!) + Math.abs(ka[1]! - ca[1]!) + Math.abs(ka[2]! - ca[2]!);
      if (d < best || (d === best && c2 < t)) { best = d; t = c2; }
    }
    const interior = (p: number) => {
      const x = p % w;
      return x > 0 && x + 1 < w && p >= w && p + w < n
        && owner[p - 1] === k && owner[p + 1] === k && owner[p - w] === k && owner[p + w] === k;
    };
    const threadLike = !pixels.some(interior);
    const xs = pixels.map((p) => p % w), ys = pixels.map((p) => Math.floor(p / w));
    const boxW = Math.max(...xs) - Math.min(...xs) + 1, boxH = Math.max(...ys) - Math.min(...ys) + 1;
    const box = boxW * boxH;
    // A solid block: k fills its box exactly, at least 3 px each way.
    const solidBlock = area[k] === box && boxW >= 3 && boxH >= 3;
    // Soft-edged: among k's pixels and their 4-neighbours, one lies between k's core (its pixel farthest from
    // t's average) and t's average, at a coverage strictly between 0.15 and 0.85.
    const softEdged = (): boolean => {
      const ta = avg(t);
      let core = [0, 0, 0], far = 0;
      for (const p of pixels) {
        const e = [0, 1, 2].map((ch) => data[4 * p + ch]! - ta[ch]!);
        const e2 = e[0]! ** 2 + e[1]! ** 2 + e[2]! ** 2;
        if (e2 > far) { far = e2; core = e; }
      }
      if (far === 0) return false;
      const mixed = (q: number) => {
        const a = [0, 1, 2].reduce((s, ch) => s + (data[4 * q + ch]! - ta[ch]!) * core[ch]!, 0) / far;
        return a > 0.15 && a < 0.85;
      };
      return pixels.some((p) => {
        const x = p % w;
        return mixed(p) || (x > 0 && mixed(p - 1)) || (x + 1 < w && mixed(p + 1)) || (p >= w && mixed(p - w)) || (p + w < n && mixed(p + w));
      });
    };
    // One colour all round: the neighbours' averages span (the sum of their red, green and blue ranges) at
    // most a quarter of the distance to the nearest.
    const avgs = [...neighbours].map(avg);
    const lo = [0, 1, 2].map((ch) => Math.min(...avgs.map((a) => a[ch]!))), hi = [0, 1, 2].map((ch) => Math.max(...avgs.map((a) => a[ch]!)));
    const span = hi[0]! - lo[0]! + hi[1]! - lo[1]! + hi[2]! - lo[2]!;
    // Or, 10 px or more, lighter or darker than all of them in some channel by more than a quarter of that
    // distance and four times layerDifference.
    const excess = Math.max(...[0, 1, 2].map((ch) => Math.max(lo[ch]! - ka[ch]!, ka[ch]! - hi[ch]!)));
    const alone = span <= 0.25 * best || (area[k]! >= 10 && excess > Math.max(0.25 * best, 4 * layerDifference));
    const smallFeature = keepDots && area[k]! >= 3 && area[k]! <= minArea && area[k]! >= 0.4 * box
      && best > 2 * layerDifference && alone && (softEdged() || solidBlock);
    if ((best > layerDifference && area[k]! > minArea && area[k]! < n && (minArea === 0 || !threadLike || alone)) || smallFeature) layers.push(k);
    if (area[k]! > 12) largeMerges++; // beyond the merger's pixel sweeps: its graph phase
    parent[k] = t;
    area[t]! += area[k]!;
    for (let ch = 0; ch < 3; ch++) sum[t]![ch] += sum[k]![ch]!;
    for (const p of pixels) owner[p] = t;
  }
  return { parent, layers, largeMerges };
}

describe('stage-2 merging equals its plain statement', () => {
  test('random images and parameters: same merge tree, same layers in the same order', () => {
    let graphCases = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const c = randomCase(seed);
      const rnd = mulberry32(seed * 7919);
      const filterSpeckle = Math.floor(rnd() * 5);
      const layerDifference = Math.floor(rnd() * 60);
      const keepDots = rnd() < 0.7;
      const expected = naiveMerge(c, filterSpeckle, layerDifference, keepDots);
      const merger = new RegionMerger(c.data, Int32Array.from(c.label), c.count, c.w, c.h, new Progress(undefined, undefined), new Int32Array(c.w * c.h), new Workspace());
      const tree = merger.run({ filterSpeckle, layerDifference, keepDots });
      const where = `seed ${seed} (${c.w}×${c.h}, ${c.count} regions, filterSpeckle ${filterSpeckle}, layerDifference ${layerDifference}, keepDots ${keepDots})`;
      assert.deepEqual(Array.from(tree.parent), expected.parent, `merge-tree parents, ${where}`);
      assert.deepEqual(tree.layerOrder, expected.layers, `layers, ${where}`);
      if (expected.largeMerges > 0) graphCases++;
    }
    assert.ok(graphCases >= 50, `merges in the graph phase in enough cases (${graphCases} of 300)`);
  });
});
