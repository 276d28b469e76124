/**
 * Slivers along the frame (frame-slivers.ts): a frame pixel that mixes a shape's colour with the colour of
 * the layer beyond it along the frame goes to that layer, walking in from where its own pixels end, while the
 * pixel inward is the shape's own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claimFrameSlivers } from '../../src/engine/frame-slivers.js';
import { paintOrderOf } from '../../src/engine/paint-order.js';
import type { Layer, LayerSet } from '../../src/engine/types.js';

const WHITE: [number, number, number] = [255, 255, 255];
const RED: [number, number, number] = [221, 46, 68];

function layer(lo: number, rgb: [number, number, number]): Layer {
  return { lo, len: 1, pixels: new Int32Array(0), r: rgb[0], g: rgb[1], b: rgb[2], area: 1 };
}

/** A mix of white (share s) and red. */
function mix(s: number): [number, number, number] {
  return [0, 1, 2].map((c) => Math.round(s * WHITE[c]! + (1 - s) * RED[c]!)) as [number, number, number];
}

/**
 * A 10×4 image: white (key 0) on the left, red (key 1) from x = 3 on; the bottom row's red pixels hold the
 * white shares given (the rest pure red), the row above them `above` (default pure red).
 */
function scene(bottom: number[], above: number[] = []): LayerSet & { data: Uint8Array } {
  const w = 10, h = 4;
  const key = new Int32Array(w * h);
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      const red = x >= 3;
      key[p] = red ? 1 : 0;
      let c = red ? RED : WHITE;
      if (red && y === h - 1 && bottom[x - 3] !== undefined) c = mix(bottom[x - 3]!);
      if (red && y === h - 2 && above[x - 3] !== undefined) c = mix(above[x - 3]!);
      data.set([...c, 255], 4 * p);
    }
  }
  return { key, width: w, height: h, layers: [layer(0, WHITE), layer(1, RED)], data };
}

const bottomKeys = (s: LayerSet): number[] => Array.from(s.key.subarray(30, 40));

test('mixed frame pixels next to the white go to the white, up to where the mix fades', () => {
  const s = scene([0.6, 0.4, 0.25, 0.1, 0]);
  claimFrameSlivers(s, s.data, paintOrderOf(s.layers).fill);
  // x = 3, 4, 5 hold 0.6, 0.4, 0.25 of white: claimed; x = 6 (0.1) is below the 0.2 share: the walk stops.
  assert.deepEqual(bottomKeys(s), [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
  // Nothing else moves.
  assert.deepEqual(Array.from(s.key.subarray(20, 30)), [0, 0, 0, 1, 1, 1, 1, 1, 1, 1]);
});

test('no claim where the pixel inward is mixed too (an edge crossing the frame, not a sliver)', () => {
  const s = scene([0.6, 0.4], [0.3]);
  claimFrameSlivers(s, s.data, paintOrderOf(s.layers).fill);
  assert.deepEqual(bottomKeys(s), [0, 0, 0, 1, 1, 1, 1, 1, 1, 1]);
});

test('no claim of a pixel of a third colour, nor between fills too alike to tell apart', () => {
  const s = scene([]);
  // x = 3 on the bottom row: green, neither red nor white.
  s.data.set([40, 200, 40, 255], 4 * 33);
  claimFrameSlivers(s, s.data, paintOrderOf(s.layers).fill);
  assert.deepEqual(bottomKeys(s), [0, 0, 0, 1, 1, 1, 1, 1, 1, 1]);
  const close = scene([0.6]);
  close.layers[0] = layer(0, [230, 60, 80]);
  claimFrameSlivers(close, close.data, paintOrderOf(close.layers).fill);
  assert.deepEqual(bottomKeys(close), [0, 0, 0, 1, 1, 1, 1, 1, 1, 1]);
});
