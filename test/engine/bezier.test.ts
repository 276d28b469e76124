/**
 * Least-squares cubic fitting (bezier.ts): a cubic is judged between its samples too, not only at them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapesSamples, fitCubicsBetween } from '../../src/engine/bezier.js';
import { FloatBuffer } from '../../src/engine/buffers.js';
import { splinePoints } from '../support/splines.js';

/** Distance from (x, y) to the polyline through pts. */
function toPolyline(pts: Float64Array, x: number, y: number): number {
  let best = Infinity;
  for (let i = 0; i + 3 < pts.length; i += 2) {
    const ax = pts[i]!, ay = pts[i + 1]!, bx = pts[i + 2]!, by = pts[i + 3]!;
    const dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
    const t = l2 > 0 ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / l2)) : 0;
    best = Math.min(best, Math.hypot(x - ax - t * dx, y - ay - t * dy));
  }
  return best;
}

test('a run from a serif\'s top down its next stroke, with end tangents along the strokes, fits without a loop', () => {
  // A 16 px serif "w" in colour: the run from a serif's corner along its top (three samples) and down the next
  // stroke, its end tangents from the strokes. Split at the turn, the top's cubic got handles of 3.8 px on a
  // 1.9 px chord along those tangents: a loop 1.2 px below the serif, which still passed within the tolerance
  // of each of its samples (the error is read at the samples only).
  const pts = new Float64Array([90, 9.43, 91.5, 9.69, 91.93, 9.69, 91.93, 10.5, 92.22, 11.5, 92.6, 12.5, 93, 13.5, 93.2222, 15.2678]);
  const out = new FloatBuffer();
  out.push2(pts[0]!, pts[1]!);
  fitCubicsBetween(pts, 0, 7, 0.33806, 0.94112, -0.24191, -0.97030, 0.5, 10, out, new Float64Array(16), new Float64Array(6), 3);
  let worst = 0;
  for (const [x, y] of splinePoints(out.data, out.length, 32)) worst = Math.max(worst, toPolyline(pts, x, y));
  assert.ok(worst < 0.6, `the fit strays ${worst.toFixed(2)} px from the samples`);
});

test('escapesSamples: a bulge past the samples\' band is caught, a bend within it is not', () => {
  const pts = new Float64Array([0, 0, 1, 0.4, 2, 0.5, 3, 0.4, 4, 0]);
  // Handles at height 2/3: the curve's top at 0.5, on the samples.
  assert.equal(escapesSamples(pts, 0, 5, new Float64Array([1.33, 0.667, 2.67, 0.667, 4, 0]), 0.25), false);
  // Handles at height 3: the curve's top at 2.25, 1.75 past the highest sample.
  assert.equal(escapesSamples(pts, 0, 5, new Float64Array([1.33, 3, 2.67, 3, 4, 0]), 0.25), true);
  // A handle reaching back past the start: a loop before the first sample.
  assert.equal(escapesSamples(pts, 0, 5, new Float64Array([-3, 0.5, 2.67, 0.667, 4, 0]), 0.25), true);
});
