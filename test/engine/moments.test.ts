/**
 * Tiny dots (ellipse.ts momentEllipse, ellipseOfMoments, sampleError): a dot of a pixel or two has too few
 * samples for the ellipse fit, so it is drawn as the ellipse of its area and second moments.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ellipseOfMoments, momentEllipse, sampleError } from '../../src/engine/ellipse.js';

/** n points on the ellipse (cx, cy, rx, ry, angle), clockwise on screen. */
function ellipsePoints(cx: number, cy: number, rx: number, ry: number, angle: number, n: number): Float64Array {
  const pts = new Float64Array(2 * n);
  const c = Math.cos(angle), s = Math.sin(angle);
  for (let i = 0; i < n; i++) {
    const t = (2 * Math.PI * i) / n;
    const u = rx * Math.cos(t), v = ry * Math.sin(t);
    pts[2 * i] = cx + u * c - v * s;
    pts[2 * i + 1] = cy + u * s + v * c;
  }
  return pts;
}

test('the polygon of a circle gives back a circle of its area, on its centre, its vertices within 0.1 px', () => {
  const e = momentEllipse(ellipsePoints(5, 7, 1.4, 1.4, 0, 8), 8)!;
  assert.ok(Math.hypot(e.cx - 5, e.cy - 7) < 1e-9, `centre (${e.cx}, ${e.cy})`);
  // Round, and scaled to the octagon's area (2√2 r²), a little under the circle's.
  const r = Math.sqrt((2 * Math.SQRT2 * 1.4 * 1.4) / Math.PI);
  for (const radius of [e.rx, e.ry]) assert.ok(Math.abs(radius - r) < 1e-9, `radius ${radius}, expected ${r}`);
  assert.ok(e.maxError < 0.1, `max error ${e.maxError}`);
});

test('a turned ellipse keeps its axes, its angle and its area; a 2 × 1 box is twice as long as wide', () => {
  const e = momentEllipse(ellipsePoints(3, 4, 1.5, 0.75, Math.PI / 6, 48), 48)!;
  assert.ok(Math.abs(e.rx / e.ry - 2) < 0.01, `axes ${e.rx}, ${e.ry}`);
  const angle = ((e.angle % Math.PI) + Math.PI) % Math.PI;
  assert.ok(Math.abs(angle - Math.PI / 6) < 0.01, `angle ${e.angle}`);
  const box = momentEllipse(new Float64Array([0, 0, 2, 0, 2, 1, 0, 1]), 4)!;
  assert.ok(Math.abs(Math.PI * box.rx * box.ry - 2) < 1e-9, 'area of the box');
  assert.ok(Math.abs(Math.max(box.rx, box.ry) / Math.min(box.rx, box.ry) - 2) < 1e-9, `axes ${box.rx}, ${box.ry}`);
});

test('ellipseOfMoments refuses a degenerate spread; sampleError measures along the ray from the centre', () => {
  assert.equal(ellipseOfMoments(1, 0, 0, 1, 0, 0), null, 'a line has no second axis');
  assert.equal(ellipseOfMoments(0, 0, 0, 1, 1, 0), null, 'no area');
  const e = ellipseOfMoments(Math.PI, 0, 0, 0.25, 0.25, 0)!; // the unit disc
  assert.ok(Math.abs(e.rx - 1) < 1e-12 && Math.abs(e.ry - 1) < 1e-12);
  assert.ok(Math.abs(sampleError(e, new Float64Array([1.5, 0, 0, -0.5]), 2) - 0.5) < 1e-12);
});
