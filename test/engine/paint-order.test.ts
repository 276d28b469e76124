/**
 * Seams between stacked neighbours (paint-order.ts): a layer's grainy edge is moved a little over a
 * neighbour painted before it, of a close colour, that is not its ancestor; never over its parent, a layer
 * painted later, or a colour far from its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mayOverlap, overlapNeighbours, paintOrderOf } from '../../src/engine/paint-order.js';
import { subpixelOutline, type EdgeField } from '../../src/engine/subpixel.js';
import { FloatBuffer } from '../../src/engine/buffers.js';
import type { Layer } from '../../src/engine/types.js';

function layer(lo: number, len: number, rgb: [number, number, number]): Layer {
  return { lo, len, pixels: new Int32Array(0), r: rgb[0], g: rgb[1], b: rgb[2], area: 1 };
}

const WHITE: [number, number, number] = [250, 250, 250];
const NAVY: [number, number, number] = [30, 40, 100];
const NAVY2: [number, number, number] = [45, 45, 100];
const RED: [number, number, number] = [200, 40, 40];

/*
 * Keys are depth-first: 0 the root (spans 0–4), 1 a layer with a child 2 (1–2), 3 and 4 two more children
 * of the root. Painting order (larger first, as clustering.ts makes it): 0, 1, 3, 2, 4.
 */
function tree(fill3: [number, number, number] = NAVY2): Layer[] {
  return [layer(0, 5, WHITE), layer(1, 2, NAVY), layer(3, 1, fill3), layer(2, 1, NAVY2), layer(4, 1, NAVY2)];
}

test('paint order: ranks, spans and each layer\'s parent fill from the depth-first keys', () => {
  const order = paintOrderOf(tree());
  assert.deepEqual([...order.rank], [0, 1, 3, 2, 4]);
  assert.deepEqual([...order.span], [5, 2, 1, 1, 1]);
  const white = (250 << 16) | (250 << 8) | 250, navy = (30 << 16) | (40 << 8) | 100;
  // By painting index: the root has none; key 1, 3 and 4 lie in the root; key 2 in key 1.
  assert.deepEqual([...order.parentFill], [-1, white, white, navy, white]);
});

test('a layer may overlap an earlier, close, non-ancestor neighbour only', () => {
  const order = paintOrderOf(tree());
  const at = (key: number): { rank: number; lo: number; len: number } => {
    const rank = order.rank[key];
    return { rank, lo: key, len: order.span[key] };
  };
  const may = (self: number, other: number): boolean => {
    const s = at(self);
    return mayOverlap(order, s.rank, s.lo, s.len, other);
  };
  // Key 4 (painted last) over key 3 and over key 1's pixels (both painted before, both navy, the root white).
  assert.equal(may(4, 3), true);
  assert.equal(may(4, 1), true);
  // Never over its own parent (the root), its own pixels, transparency, or a layer painted after it.
  assert.equal(may(4, 0), false);
  assert.equal(may(4, 4), false);
  assert.equal(may(4, -1), false);
  assert.equal(may(3, 4), false);
  // Key 2 lies in key 1: key 1 is its parent, never overlapped; and key 1 never overlaps its child.
  assert.equal(may(2, 1), false);
  assert.equal(may(1, 2), false);
  // Key 3 is painted before key 2 (a child of key 1): 2 may overlap 3, not the other way.
  assert.equal(may(2, 3), true);
  assert.equal(may(3, 2), false);
});

test('no overlap of a far colour, nor where the parent is closer than the neighbour', () => {
  const red = paintOrderOf(tree(RED));
  // Key 4 (navy) beside key 3 (red): 315 apart, more than the seam would cost.
  assert.equal(mayOverlap(red, red.rank[4], 4, 1, 3), false);
  // Two navy layers 60 apart: over a white root, the later overlaps the earlier; over a root 30 from it, not.
  const close = paintOrderOf([layer(0, 3, [35, 40, 95]), layer(1, 1, [20, 30, 90]), layer(2, 1, [50, 50, 100])]);
  assert.equal(mayOverlap(close, 2, 2, 1, 1), false);
  const far = paintOrderOf([layer(0, 3, WHITE), layer(1, 1, [20, 30, 90]), layer(2, 1, [50, 50, 100])]);
  assert.equal(mayOverlap(far, 2, 2, 1, 1), true);
});

/**
 * A 12×8 image: the root (white) round a 4×4 block of key 2 at x 4–7, y 2–5, with key 1 (navy, painted
 * before) on its left at x 0–3 and key 3 (navy, painted after) on its right at x 8–11, rows 2–5.
 * `soft` adds an anti-aliased row above the block (so the outline is sampled by coverage, not as aliased).
 */
function field(soft: boolean): { f: EdgeField; contour: Int32Array } {
  const w = 12, h = 8;
  const key = new Int32Array(w * h);
  const data = new Uint8Array(w * h * 4);
  const fills: [number, number, number][] = [WHITE, NAVY, NAVY2, NAVY];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const k = y >= 2 && y <= 5 ? (x < 4 ? 1 : x < 8 ? 2 : 3) : 0;
      key[y * w + x] = k;
      let c = fills[k];
      if (soft && y === 1 && x >= 4 && x < 8) c = [140, 145, 175];
      data.set([...c, 255], 4 * (y * w + x));
    }
  }
  const layers = [layer(0, 4, WHITE), layer(1, 1, NAVY), layer(2, 1, NAVY2), layer(3, 1, NAVY)];
  const order = paintOrderOf(layers);
  const f: EdgeField = { data, width: w, height: h, key, lo: 2, len: 1, paint: { order, rank: 2 } };
  // Clockwise on screen (the region on the right): top, right, bottom, left side.
  return { f, contour: Int32Array.from([4, 2, 8, 2, 8, 6, 4, 6]) };
}

for (const soft of [false, true]) {
  test(`sample flags (${soft ? 'anti-aliased' : 'aliased'} outline): 1 on the side over the earlier neighbour only`, () => {
    const { f, contour } = field(soft);
    const samples = new FloatBuffer(), over = new FloatBuffer();
    const aliased = subpixelOutline(contour, 0, 4, f, samples, true, over);
    assert.equal(aliased, !soft);
    const n = samples.length >> 1;
    assert.equal(over.length, n, 'one flag per sample');
    let flagged = 0;
    for (let i = 0; i < n; i++) {
      const x = samples.data[2 * i];
      // The left side (x = 4) faces key 1; the top and bottom face the root, the right side key 3 (painted
      // later). A corner sample goes with the side it ends: the top-left one with the left side.
      const onLeft = Math.abs(x - 4) < 0.5 && samples.data[2 * i + 1] > 1 && samples.data[2 * i + 1] < 5.8;
      assert.equal(over.data[i], onLeft ? 1 : 0, `sample ${i} at (${x}, ${samples.data[2 * i + 1]})`);
      flagged += over.data[i];
    }
    assert.ok(flagged >= 2, `${flagged} samples flagged`);
    // Without a paint order (binary mode, the mosaic) nothing is flagged.
    subpixelOutline(contour, 0, 4, { ...f, paint: undefined }, samples, true, over);
    assert.ok(over.data.subarray(0, over.length).every((v) => v === 0));
  });
}

test('overlapNeighbours moves flagged samples outward by the distance, ramped by the smoothing', () => {
  // A clockwise square of side 20 (on screen), 4 samples a side; its left side flagged.
  const pts: number[] = [];
  const flags: number[] = [];
  const side = (x0: number, y0: number, dx: number, dy: number, flag: number): void => {
    for (let k = 0; k < 4; k++) {
      pts.push(x0 + 5 * k * dx, y0 + 5 * k * dy);
      flags.push(flag);
    }
  };
  side(0, 0, 1, 0, 0); side(20, 0, 0, 1, 0); side(20, 20, -1, 0, 0); side(0, 20, 0, -1, 1);
  const n = flags.length;
  const before = Float64Array.from(pts);
  const p = Float64Array.from(pts);
  overlapNeighbours(p, Float64Array.from(flags), n, 0.3, 0, new Float64Array(2 * n));
  for (let i = 0; i < n; i++) {
    const dx = p[2 * i] - before[2 * i], dy = p[2 * i + 1] - before[2 * i + 1];
    if (flags[i] === 1 && before[2 * i + 1] > 0 && before[2 * i + 1] < 20) {
      // Inner samples of the left side: outward is −x.
      assert.ok(Math.abs(dx + 0.3) < 1e-9 && Math.abs(dy) < 1e-9, `sample ${i} moved by (${dx}, ${dy})`);
    } else if (flags[i] === 0) {
      assert.equal(dx, 0);
      assert.equal(dy, 0);
    }
  }
  // With one round of smoothing, the move ramps: the unflagged neighbours of the side move a quarter as far.
  const q = Float64Array.from(pts);
  overlapNeighbours(q, Float64Array.from(flags), n, 0.3, 1, new Float64Array(2 * n));
  // Sample 11 (the bottom side's last, at (5, 20)) precedes the flagged run: weight 1/4.
  const moved = Math.hypot(q[22] - before[22], q[23] - before[23]);
  assert.ok(Math.abs(moved - 0.075) < 1e-9, `ramp ${moved}`);
  // Nothing flagged: nothing moves.
  const r = Float64Array.from(pts);
  overlapNeighbours(r, new Float64Array(n), n, 0.3, 2, new Float64Array(2 * n));
  assert.deepEqual([...r], [...before]);
});
