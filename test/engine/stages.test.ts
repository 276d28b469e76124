/**
 * The engine's stages one at a time, beside the end-to-end tests: contour walking (orientation of outlines
 * and holes), aliased sampling, cubic fitting and the path writer. Each test states what its stage
 * promises (docs/engine.md) on a case small enough to check by hand.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ContourSet, traceContours } from '../../src/engine/contours.js';
import { limitPenalties } from '../../src/engine/simplify.js';
import { fitCubicsBetween } from '../../src/engine/bezier.js';
import { subpixelOutline } from '../../src/engine/subpixel.js';
import { lumaPlane } from '../../src/engine/image.js';
import { FloatBuffer } from '../../src/engine/buffers.js';
import { PathWriter } from '../../src/engine/svg.js';
import { parsePathData } from '../support/fidelity.js';
import { mulberry32 } from '../support/images.js';

/** Twice the signed area of vertices [from, to) (shoelace, y down): positive when clockwise on screen. */
function signedArea2(pts: ArrayLike<number>, from: number, to: number): number {
  let a = 0;
  for (let i = from; i < to; i++) {
    const j = i + 1 < to ? i + 1 : from;
    a += pts[2 * i]! * pts[2 * j + 1]! - pts[2 * j]! * pts[2 * i + 1]!;
  }
  return a;
}

/** The vertices of contour c as [x, y] pairs, in walking order, starting from the top-left one. */
function vertices(set: ContourSet, c: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let v = set.vertexStart(c); v < set.vertexEnd(c); v++) out.push([set.points.data[2 * v]!, set.points.data[2 * v + 1]!]);
  let first = 0;
  out.forEach(([x, y], i) => {
    if (y < out[first]![1] || (y === out[first]![1] && x < out[first]![0])) first = i;
  });
  return [...out.slice(first), ...out.slice(0, first)];
}

/** Traces every contour of the pixels where `inside(x, y)`, in a w×h image. */
function contoursOf(w: number, h: number, inside: (x: number, y: number) => boolean): ContourSet {
  const key = new Int32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) key[y * w + x] = inside(x, y) ? 0 : -1;
  const scan = Int32Array.from({ length: w * h }, (_, p) => p);
  const set = new ContourSet();
  traceContours({ key, width: w, height: h, lo: 0, len: 1 }, scan, new Int32Array(w * h), -2, set);
  return set;
}

describe('contours', () => {
  test('a ring gives a clockwise outline and a counter-clockwise hole, corners only', () => {
    // Pixels 1..6 × 1..6 of an 8×8 image, without 3..4 × 3..4.
    const ring = contoursOf(8, 8, (x, y) => x >= 1 && x <= 6 && y >= 1 && y <= 6 && !(x >= 3 && x <= 4 && y >= 3 && y <= 4));
    assert.equal(ring.count, 2);
    const outer = vertices(ring, 0), hole = vertices(ring, 1);
    // Outline: east along the top first (clockwise on screen); hole: south down its left side first.
    assert.deepEqual(outer, [[1, 1], [7, 1], [7, 7], [1, 7]]);
    assert.deepEqual(hole, [[3, 3], [3, 5], [5, 5], [5, 3]]);
    assert.ok(signedArea2(ring.points.data, ring.vertexStart(0), ring.vertexEnd(0)) > 0, 'outline not clockwise');
    assert.ok(signedArea2(ring.points.data, ring.vertexStart(1), ring.vertexEnd(1)) < 0, 'hole not counter-clockwise');
    assert.equal(signedArea2(ring.points.data, ring.vertexStart(0), ring.vertexEnd(0)), 2 * 36);
    assert.equal(signedArea2(ring.points.data, ring.vertexStart(1), ring.vertexEnd(1)), -2 * 4);
  });

  test('pixels touching only at a corner are two outlines (4-connectivity)', () => {
    const diagonal = contoursOf(4, 4, (x, y) => (x === 1 && y === 1) || (x === 2 && y === 2));
    assert.equal(diagonal.count, 2);
    for (let c = 0; c < 2; c++) assert.equal(signedArea2(diagonal.points.data, diagonal.vertexStart(c), diagonal.vertexEnd(c)), 2);
  });
});

describe('aliased sampling', () => {
  /** A hard-edged 12×12 image (black where `inside`), its one contour, and its sub-pixel samples. */
  const sampledTriangle = () => {
    const w = 12, h = 12;
    const inside = (x: number, y: number) => x <= y;
    const data = new Uint8Array(4 * w * h);
    const key = new Int32Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const p = y * w + x, v = inside(x, y) ? 0 : 255;
        data[4 * p] = data[4 * p + 1] = data[4 * p + 2] = v;
        data[4 * p + 3] = 255;
        key[p] = inside(x, y) ? 0 : -1;
      }
    }
    const set = contoursOf(w, h, inside);
    const samples = new FloatBuffer();
    const aliased = subpixelOutline(set.points.data, set.vertexStart(0), set.vertexEnd(0), { data, width: w, height: h, key, lo: 0, len: 1, luma: lumaPlane(data, w * h) }, samples);
    return { aliased, samples };
  };

  test('a hard-edged 45° staircase is sampled on one line (step midpoints), not on its corners', () => {
    const { aliased, samples } = sampledTriangle();
    assert.equal(aliased, true);
    // Pixels x ≤ y: the staircase runs from (1, 0) down to (12, 11); its unit steps' midpoints lie on y = x − 0.5.
    let onHypotenuse = 0;
    for (let i = 0; i < samples.length; i += 2) {
      const x = samples.data[i]!, y = samples.data[i + 1]!;
      if (x > 0.5 && y < 11.5 && x - y > 0) {
        assert.equal(x - y, 0.5, `sample (${x}, ${y}) off the line y = x − 0.5`);
        onHypotenuse++;
      }
    }
    assert.ok(onHypotenuse >= 20, `${onHypotenuse} samples on the hypotenuse`);
  });

  test('a staircase triangle of pixels becomes a triangle, its hypotenuse one segment', () => {
    const { samples } = sampledTriangle();
    const simple = new FloatBuffer();
    limitPenalties(samples.data, samples.length / 2, simple);
    const v = Array.from(simple.data.subarray(0, simple.length));
    // Three corners (the apex, a single pixel, may be cut by a chamfer of under a pixel: four vertices).
    assert.ok(v.length / 2 <= 4, `vertices ${v}`);
    let hypotenuse = false;
    for (let i = 0; i < v.length; i += 2) {
      const j = (i + 2) % v.length;
      const onLine = (k: number) => Math.abs(v[k]! - v[k + 1]! - 0.5) < 1e-9;
      if (onLine(i) && onLine(j) && Math.hypot(v[j]! - v[i]!, v[j + 1]! - v[i + 1]!) > 14) hypotenuse = true;
    }
    assert.ok(hypotenuse, `no single segment along the hypotenuse: ${v}`);
  });
});

describe('cubic fitting', () => {
  // A cubic sampled at 60 even steps of t, and the distance from any point of one curve to the other.
  const P = [[10, 80], [30, 10], [90, 20], [120, 90]] as const;
  const bezierAt = (c: readonly (readonly number[])[], t: number, i: number) => {
    const s = 1 - t;
    return s * s * s * c[0]![i]! + 3 * s * s * t * c[1]![i]! + 3 * s * t * t * c[2]![i]! + t * t * t * c[3]![i]!;
  };
  const sampled = (n: number) => {
    const pts = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) {
      pts[2 * k] = bezierAt(P, k / (n - 1), 0);
      pts[2 * k + 1] = bezierAt(P, k / (n - 1), 1);
    }
    return pts;
  };
  /** The largest distance from a point of curve a to curve b (both sampled at 1/400 steps). */
  const farthest = (a: readonly (readonly number[])[], b: readonly (readonly number[])[]) => {
    let worst = 0;
    for (let i = 0; i <= 400; i++) {
      let best = Infinity;
      for (let j = 0; j <= 400; j++) {
        best = Math.min(best, Math.hypot(bezierAt(a, i / 400, 0) - bezierAt(b, j / 400, 0), bezierAt(a, i / 400, 1) - bezierAt(b, j / 400, 1)));
      }
      worst = Math.max(worst, best);
    }
    return worst;
  };
  /** Fits the samples with the end tangents the shape fitter would give (along the first and last handles). */
  const fitOne = (tolerance: number) => {
    const n = 60;
    const out = new FloatBuffer();
    const l1 = Math.hypot(P[1][0] - P[0][0], P[1][1] - P[0][1]), l2 = Math.hypot(P[2][0] - P[3][0], P[2][1] - P[3][1]);
    fitCubicsBetween(sampled(n), 0, n - 1, (P[1][0] - P[0][0]) / l1, (P[1][1] - P[0][1]) / l1, (P[2][0] - P[3][0]) / l2, (P[2][1] - P[3][1]) / l2,
      tolerance, 12, out, new Float64Array(n), new Float64Array(6));
    const d = out.data;
    return { count: out.length / 6, curve: [P[0], [d[0]!, d[1]!], [d[2]!, d[3]!], [d[4]!, d[5]!]] };
  };

  test('fitCubicsBetween recovers a sampled cubic: one curve at 1 px, ending where it does, within the tolerance of it', () => {
    // (Samples even in t are far from even in arc length: at 0.5 px the few refinement rounds leave it two.)
    const { count, curve } = fitOne(1);
    assert.equal(count, 1, `${count} cubics instead of one`);
    assert.deepEqual(curve[3], [...P[3]]);
    const apart = Math.max(farthest(P, curve), farthest(curve, P));
    assert.ok(apart <= 1, `the fitted cubic strays ${apart.toFixed(2)} px from the sampled one`);
  });

  test('at a tight tolerance (0.1 px) every sample lies within 0.15 px of the fitted pieces', () => {
    const n = 60;
    const pts = sampled(n);
    const out = new FloatBuffer();
    const l1 = Math.hypot(P[1][0] - P[0][0], P[1][1] - P[0][1]), l2 = Math.hypot(P[2][0] - P[3][0], P[2][1] - P[3][1]);
    fitCubicsBetween(pts, 0, n - 1, (P[1][0] - P[0][0]) / l1, (P[1][1] - P[0][1]) / l1, (P[2][0] - P[3][0]) / l2, (P[2][1] - P[3][1]) / l2,
      0.1, 12, out, new Float64Array(n), new Float64Array(6));
    const d = out.data;
    const pieces: number[][][] = [];
    let start: number[] = [...P[0]];
    for (let o = 0; o < out.length; o += 6) {
      pieces.push([start, [d[o]!, d[o + 1]!], [d[o + 2]!, d[o + 3]!], [d[o + 4]!, d[o + 5]!]]);
      start = pieces[pieces.length - 1]![3]!;
    }
    assert.deepEqual(start, [...P[3]]);
    for (let k = 0; k < n; k++) {
      let best = Infinity;
      for (const c of pieces) for (let j = 0; j <= 400; j++) best = Math.min(best, Math.hypot(bezierAt(c, j / 400, 0) - pts[2 * k]!, bezierAt(c, j / 400, 1) - pts[2 * k + 1]!));
      // (A piece of three samples is kept as fitted: its middle one may sit a little past the tolerance.)
      assert.ok(best <= 0.15, `sample ${k} is ${best.toFixed(3)} px from the fit`);
    }
  });

  test('points on a line fit one straight cubic (handles on the chord)', () => {
    // (k, 2k) for k = 0 … 9.
    const pts = Float64Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? i / 2 : i - 1));
    const out = new FloatBuffer();
    const l = Math.sqrt(5);
    fitCubicsBetween(pts, 0, 9, 1 / l, 2 / l, -1 / l, -2 / l, 0.1, 12, out, new Float64Array(10), new Float64Array(6));
    assert.equal(out.length, 6);
    for (let i = 0; i < 6; i += 2) assert.ok(Math.abs(out.data[i + 1]! - 2 * out.data[i]!) < 1e-9, 'a handle off the line y = 2x');
  });
});

/** Absolute drawing operations, as the writer was given them (after rounding). */
type Op = ['M' | 'L', number, number] | ['C', number, number, number, number, number, number] | ['Z'];

/** Reads path data back into absolute operations: relative commands, implied letters, H/V and S expanded. */
function readBack(d: string): Op[] {
  const ops: Op[] = [];
  let x = 0, y = 0, sx = 0, sy = 0, hx = 0, hy = 0;
  let previous = '';
  for (const { letter, args } of parsePathData(d)) {
    const rel = letter === letter.toLowerCase();
    const L = letter.toUpperCase();
    const size = { M: 2, L: 2, H: 1, V: 1, C: 6, S: 4, Z: 0 }[L];
    assert.ok(size !== undefined, `unexpected command ${letter}`);
    if (L === 'Z') {
      ops.push(['Z']);
      x = hx = sx; y = hy = sy;
      previous = 'Z';
      continue;
    }
    assert.equal(args.length % size, 0, `${letter} with ${args.length} numbers`);
    for (let i = 0; i < args.length; i += size) {
      const a = args.slice(i, i + size);
      const cmd = L === 'M' && i > 0 ? 'L' : L; // pairs after a move are lines
      const ox = rel ? x : 0, oy = rel ? y : 0;
      if (cmd === 'M' || cmd === 'L') {
        x = a[0]! + ox; y = a[1]! + oy;
        ops.push([cmd, x, y]);
        if (cmd === 'M') { sx = x; sy = y; }
        hx = x; hy = y;
      } else if (cmd === 'H' || cmd === 'V') {
        if (cmd === 'H') x = a[0]! + ox; else y = a[0]! + oy;
        ops.push(['L', x, y]);
        hx = x; hy = y;
      } else {
        const smooth = cmd === 'S';
        assert.ok(!smooth || previous === 'C' || previous === 'S', 'S after something else than a cubic');
        const [x1, y1] = smooth ? [2 * x - hx, 2 * y - hy] : [a[0]! + ox, a[1]! + oy];
        const k = smooth ? 0 : 2;
        const x2 = a[k]! + ox, y2 = a[k + 1]! + oy, ex = a[k + 2]! + ox, ey = a[k + 3]! + oy;
        ops.push(['C', x1, y1, x2, y2, ex, ey]);
        hx = x2; hy = y2; x = ex; y = ey;
      }
      previous = cmd === 'M' || cmd === 'H' || cmd === 'V' ? 'L' : cmd;
    }
  }
  return ops;
}

describe('path writer', () => {
  test('a cubic that rounds to a point writes nothing from optimize 1 (two knots on one sample)', () => {
    for (const level of [0, 1, 2]) {
      const writer = new PathWriter(2, level);
      writer.moveTo(10, 10);
      writer.lineTo(50.5, 44.5);
      writer.cubicTo(50.501, 44.499, 50.5, 44.5, 50.502, 44.5);
      writer.lineTo(57.95, 49.64);
      writer.close();
      const d = writer.toString();
      assert.equal(/c0 0 0 0 0 0|C50\.5 44\.5 50\.5 44\.5 50\.5 44\.5/.test(d), level === 0, `level ${level}: ${d}`);
    }
  });

  test('its output parses back to the same points, at every optimize level and precision', () => {
    const rnd = mulberry32(12);
    for (const precision of [0, 2, 3]) {
      const scale = 10 ** precision;
      const round = (v: number) => Math.round(v * scale) / scale;
      for (const level of [0, 1, 2]) {
        for (let trial = 0; trial < 20; trial++) {
          const writer = new PathWriter(precision, level);
          const expected: Op[] = [];
          let cx = 0, cy = 0, hx = 0, hy = 0;
          const coordinate = () => (rnd() < 0.1 ? Math.round(rnd() * 4) : rnd() * 400 - 20);
          for (let sub = 0; sub < 3; sub++) {
            const mx = coordinate(), my = coordinate();
            writer.moveTo(mx, my);
            cx = round(mx); cy = round(my); hx = cx; hy = cy;
            expected.push(['M', cx, cy]);
            for (let s = 0; s < 8; s++) {
              const kind = rnd();
              if (kind < 0.3) {
                // A line, sometimes axis-aligned (h/v at level 2).
                const x = rnd() < 0.2 ? cx : coordinate(), y = rnd() < 0.2 ? cy : coordinate();
                if (round(x) === cx && round(y) === cy) continue; // the writer drops a zero-length line
                writer.lineTo(x, y);
                cx = round(x); cy = round(y); hx = cx; hy = cy;
                expected.push(['L', cx, cy]);
              } else {
                // A cubic, sometimes with its first handle mirrored from the previous one (s at level 2).
                const mirrored = kind < 0.5;
                const x1 = mirrored ? 2 * cx - hx : coordinate(), y1 = mirrored ? 2 * cy - hy : coordinate();
                const x2 = coordinate(), y2 = coordinate(), x = coordinate(), y = coordinate();
                writer.cubicTo(x1, y1, x2, y2, x, y);
                expected.push(['C', round(x1), round(y1), round(x2), round(y2), round(x), round(y)]);
                cx = round(x); cy = round(y); hx = round(x2); hy = round(y2);
              }
            }
            writer.close();
            expected.push(['Z']);
          }
          const d = writer.toString();
          const got = readBack(d);
          const where = `precision ${precision}, level ${level}, trial ${trial}: ${d.slice(0, 120)}`;
          const end = (op: Op): [number, number] => [op[op.length - 2] as number, op[op.length - 1] as number];
          let j = 0, px = 0, py = 0, mx = 0, my = 0;
          for (let i = 0; i < got.length; i++, j++) {
            const g = got[i]!;
            assert.ok(j < expected.length, `more operations than written, ${where}`);
            let e = expected[j]!;
            if (g[0] === 'L' && (e[0] === 'L' || e[0] === 'C')) {
              // A cubic whose handles lie on its chord is written as a line (level ≥ 1), and lines that go
              // straight on from one another are written as one (level ≥ 1): the written ops up to its end
              // point must all end on it, in order.
              const [gx, gy] = end(g);
              let [ex, ey] = end(e);
              while (Math.abs(ex - gx) > 1e-9 || Math.abs(ey - gy) > 1e-9) {
                assert.ok(level >= 1, `operations merged at level 0, ${where}`);
                const cross = (ex - px) * (gy - py) - (ey - py) * (gx - px);
                assert.ok(Math.abs(cross) < 1e-9, `operation ${i}: ${e.join(' ')} is not on the line to ${gx}, ${gy}, ${where}`);
                e = expected[++j]!;
                assert.ok(e && (e[0] === 'L' || e[0] === 'C'), `operation ${i}: no written operation ends at ${gx}, ${gy}, ${where}`);
                [ex, ey] = end(e);
              }
              if (e[0] === 'C') assert.ok(level >= 1, `a cubic became a line at level 0, ${where}`);
              [px, py] = [gx, gy];
              continue;
            }
            assert.equal(g[0], e[0], `operation ${i}, ${where}`);
            for (let k = 1; k < e.length; k++) {
              assert.ok(Math.abs((g[k] as number) - (e[k] as number)) < 1e-9, `operation ${i} value ${k}: ${g[k]} instead of ${e[k]}, ${where}`);
            }
            if (g[0] === 'Z') [px, py] = [mx, my];
            else [px, py] = end(g);
            if (g[0] === 'M') [mx, my] = [px, py];
          }
          assert.equal(j, expected.length, `operation count, ${where}`);
        }
      }
    }
  });
});
