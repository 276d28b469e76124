/** The pure side of the output formats: SVG path data reduced to moves, lines, cubics and closes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePathData, PathDataError, readSvg, SvgReadError } from '../../src/engine/index.js';

const CUBIC = 2;

/** Samples the reduced outline as a polyline (cubics at 32 steps). */
function samples(d: string): number[][] {
  const { ops, coords } = parsePathData(d);
  const out: number[][] = [];
  let k = 0, x = 0, y = 0;
  for (const op of ops) {
    if (op === 0 || op === 1) { x = coords[k]; y = coords[k + 1]; out.push([x, y]); k += 2; }
    else if (op === CUBIC) {
      const [x1, y1, x2, y2, x3, y3] = coords.slice(k, k + 6);
      for (let i = 1; i <= 32; i++) {
        const t = i / 32, u = 1 - t;
        out.push([u * u * u * x + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t * t * t * x3, u * u * u * y + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y3]);
      }
      x = x3; y = y3;
      k += 6;
    }
  }
  return out;
}

test('path data: relative and absolute forms, shorthands and implicit repeats give the same outline', () => {
  const abs = parsePathData('M10 10 L20 10 L20 20 L10 20 Z M30 30 C40 30 50 40 50 50 C50 60 40 70 30 70');
  const rel = parsePathData('m10 10h10v10H10zm20 20c10 0 20 10 20 20s-10 20-20 20');
  assert.deepEqual(rel.ops, abs.ops);
  rel.coords.forEach((v, i) => assert.ok(Math.abs(v - abs.coords[i]) < 1e-9, `coordinate ${i}: ${v} vs ${abs.coords[i]}`));
  // Compact numbers as the SVG writer prints them: "-.5.5" is two numbers, "1e1" an exponent.
  assert.deepEqual(parsePathData('M1-.5.5 1e1').coords, [1, -0.5, 0.5, 10]);
});

test('path data: quadratics become the same curves as cubics (T reflects the previous control point)', () => {
  const q = samples('M0 0Q50 100 100 0T200 0');
  for (const [x, y] of q) {
    // T continues with the reflected control point: the second arch is the first turned half a turn about (100, 0).
    const [mx, my] = [200 - x, -y];
    assert.ok(q.some(([a, b]) => Math.hypot(a - mx, b - my) < 4), `no mirror of (${x.toFixed(1)}, ${y.toFixed(1)})`);
  }
  assert.ok(Math.abs(Math.max(...q.map((p) => p[1])) - 50) < 0.1, 'the first parabola peaks at y = 50');
});

test('path data: elliptical arcs become cubics on the ellipse (rotated, large and sweep flags, radii scaled up)', () => {
  // A rotated ellipse centred at (100, 100), radii 60 and 30, rotation 30°, as two half arcs.
  const phi = Math.PI / 6, c = Math.cos(phi), s = Math.sin(phi);
  const on = (t: number): [number, number] => [100 + 60 * Math.cos(t) * c - 30 * Math.sin(t) * s, 100 + 60 * Math.cos(t) * s + 30 * Math.sin(t) * c];
  const [ax, ay] = on(0), [bx, by] = on(Math.PI);
  for (const flags of ['1 1', '0 1', '1 0', '0 0']) {
    const pts = samples(`M${ax} ${ay}A60 30 30 ${flags} ${bx} ${by}`);
    const last = pts[pts.length - 1];
    assert.ok(Math.hypot(last[0] - bx, last[1] - by) < 1e-9, 'ends exactly at the end point');
    for (const [x, y] of pts) {
      // Back to the ellipse's frame: (u/60)² + (v/30)² = 1.
      const u = (x - 100) * c + (y - 100) * s, v = -(x - 100) * s + (y - 100) * c;
      const r = Math.hypot(u / 60, v / 30);
      assert.ok(Math.abs(r - 1) < 1e-3, `flags ${flags}: point off the ellipse by ${(r - 1).toExponential(2)}`);
    }
  }
  // Radii too small for the end points are scaled up: a half circle through (0,0) and (100,0).
  const half = samples('M0 0A1 1 0 0 1 100 0');
  assert.ok(Math.abs(Math.min(...half.map((p) => p[1])) + 50) < 0.05, 'half circle of radius 50 above the chord');
  // Zero radius: a straight line.
  assert.deepEqual(parsePathData('M0 0A0 5 0 0 1 10 10').ops, [0, 1]);
  // Flags written without separators (as minifiers do).
  assert.deepEqual(parsePathData('M0 0a5 5 0 1110 0').coords.slice(-2), [10, 0]);
});

test('path data and documents: malformed input is refused with a message that says where', () => {
  assert.throws(() => parsePathData('M0 0 L10'), (e: unknown) => e instanceof PathDataError && /expected a number at offset 8/.test(e.message));
  assert.throws(() => parsePathData('M0 0 X10 10'), /unknown command "X" at offset 5/);
  assert.throws(() => parsePathData('M0 0a5 5 0 2 0 10 0'), /arc flag/);
  assert.throws(() => readSvg('<html></html>'), SvgReadError);
  assert.throws(() => readSvg('<svg width="2" height="2"><path d="M0 0" fill="red"/></svg>'), /unsupported colour "red"/);
});

test('documents: paint is inherited from <g> and overridden per path; size, viewBox and scale are read', () => {
  const doc = readSvg('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 100 50">'
    + '<g fill="#ff0000"><path d="M0 0h1v1z"/><path d="M0 0h1v1z" fill="none" stroke="#00f" stroke-width="2.5"/></g>'
    + '<path d="M0 0h1v1z"/></svg>');
  assert.deepEqual([doc.width, doc.height, doc.viewWidth, doc.viewHeight], [200, 100, 100, 50]);
  assert.deepEqual(doc.shapes.map((s) => [s.fill, s.stroke, s.strokeWidth]), [
    [{ r: 255, g: 0, b: 0 }, null, 1],
    [null, { r: 0, g: 0, b: 255 }, 2.5],
    [{ r: 0, g: 0, b: 0 }, null, 1],
  ]);
});
