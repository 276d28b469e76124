/**
 * Circular arcs (circle.ts, the fitter's arc runs in outline.ts, the SVG writer's `a` commands): the circle
 * fit on known samples, the writer's recognition and merging of arc cubics, and traced discs and bands whose
 * true circles are known, read back the way a renderer reads them (SVG's arc centre rule, formats/path-data).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceRgba, type TraceOptions } from '../../src/engine/index.js';
import { CIRCLE_FIT, arcOfCubic, circleThrough, pushArcCubics } from '../../src/engine/circle.js';
import { FloatBuffer } from '../../src/engine/buffers.js';
import { PathWriter } from '../../src/engine/svg.js';
import { CUBIC, LINE, MOVE, parsePathData } from '../../src/engine/formats/path-data.js';
import { parsePathData as pathCommands, pathSegments, renderSvg, svgPaths } from '../support/fidelity.js';

/** Arc commands in path data (a repeated `a` is implied after the first). */
function arcCount(d: string): number {
  return pathCommands(d).filter((c) => c.letter === 'a' || c.letter === 'A').reduce((n, c) => n + c.args.length / 7, 0);
}

/** Samples on the circle (cx, cy, r) from angle a0 turning by `turn`, every `step` radians, with ±noise across. */
function arcSamples(cx: number, cy: number, r: number, a0: number, turn: number, count: number, noise: number): Float64Array {
  const out = new Float64Array(2 * count);
  for (let k = 0; k < count; k++) {
    const a = a0 + (turn * k) / (count - 1);
    const rr = k === 0 || k === count - 1 ? r : r + (k % 2 === 0 ? noise : -noise);
    out[2 * k] = cx + rr * Math.cos(a);
    out[2 * k + 1] = cy + rr * Math.sin(a);
  }
  return out;
}

test('circleThrough: the circle through the ends of noisy samples, its turn either way and past a half turn', () => {
  const fit = new Float64Array(CIRCLE_FIT);
  for (const [turn, noise] of [[1.9, 0.05], [-1.2, 0.1], [4.5, 0], [-5.2, 0.08]] as const) {
    assert.ok(circleThrough(arcSamples(10, 20, 7, 0.3, turn, 41, noise), 41, fit), `turn ${turn}`);
    assert.ok(Math.hypot(fit[0]! - 10, fit[1]! - 20) < 0.05, `centre ${fit[0]}, ${fit[1]} (turn ${turn})`);
    assert.ok(Math.abs(fit[2]! - 7) < 0.05, `radius ${fit[2]} (turn ${turn})`);
    assert.ok(Math.abs(fit[3]! - turn) < 0.01, `turn ${fit[3]} vs ${turn}`);
    assert.ok(fit[5]! <= noise + 0.02, `largest distance ${fit[5]} with noise ${noise}`);
  }
  // Noisy samples along a straight chord: never a turn round a huge circle (seeded noise, 300 runs).
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
  for (let run = 0; run < 300; run++) {
    const pts = new Float64Array(2 * 31);
    for (let k = 0; k < 31; k++) { pts[2 * k] = k; pts[2 * k + 1] = k === 0 || k === 30 ? 0 : 0.2 * random(); }
    if (circleThrough(pts, 31, fit)) assert.ok(Math.abs(fit[3]!) < 0.5, `run ${run}: turn ${fit[3]} along a straight chord`);
  }
  // Collinear samples have no circle; samples that double back along the circle are not one arc.
  const line = Float64Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? i : 3));
  assert.equal(circleThrough(line, 10, fit), false);
  const back = new Float64Array([...arcSamples(0, 0, 10, 0, 2, 10, 0), ...arcSamples(0, 0, 10, 2, -1.5, 10, 0)]);
  assert.equal(circleThrough(back, 20, fit), false);
});

test('arcOfCubic recognises the arc cubics of pushArcCubics, and no other cubic', () => {
  const out = new FloatBuffer();
  out.push2(17, 20);
  pushArcCubics(out, 10, 20, 7, -4, 10 + 7 * Math.cos(-4), 20 + 7 * Math.sin(-4));
  const d = out.data;
  assert.equal((out.length - 2) / 6, 3, 'a turn of 4 rad as three cubics of at most a quarter turn');
  const arc = new Float64Array(4);
  for (let o = 2; o + 6 <= out.length; o += 6) {
    assert.ok(arcOfCubic(d[o - 2]!, d[o - 1]!, d[o]!, d[o + 1]!, d[o + 2]!, d[o + 3]!, d[o + 4]!, d[o + 5]!, arc));
    assert.ok(Math.hypot(arc[0]! - 10, arc[1]! - 20) < 1e-9 && Math.abs(arc[2]! - 7) < 1e-9, `circle ${[...arc]}`);
    assert.ok(Math.abs(arc[3]! + 4 / 3) < 1e-9, `turn ${arc[3]}`);
  }
  // A line (handles at the thirds), a cubic with uneven handles, and one with the handles of a wider arc.
  assert.equal(arcOfCubic(0, 0, 1, 1, 2, 2, 3, 3, arc), false);
  assert.equal(arcOfCubic(0, 0, 0, 4, 6, 10, 10, 10, arc), false);
  const k = (4 / 3) * Math.tan(Math.PI / 8) * 10 * 1.05;
  assert.equal(arcOfCubic(10, 0, 10, k, k, 10, 0, 10, arc), false);
});

/** Path data of the arc cubics from (r, 0) about the origin, turning `turn`, written at `optimize`. */
function writtenArc(turn: number, optimize = 1): string {
  const out = new FloatBuffer();
  out.push2(50 + 20, 50);
  pushArcCubics(out, 50, 50, 20, turn, 50 + 20 * Math.cos(turn), 50 + 20 * Math.sin(turn));
  const w = new PathWriter(2, optimize);
  const d = out.data;
  w.moveTo(d[0]!, d[1]!);
  for (let o = 2; o + 6 <= out.length; o += 6) w.cubicTo(d[o]!, d[o + 1]!, d[o + 2]!, d[o + 3]!, d[o + 4]!, d[o + 5]!);
  return w.toString();
}

/** Largest distance from the circle (cx, cy, r) of points along path data, read with SVG's arc rules. */
function worstOffCircle(d: string, cx: number, cy: number, r: number): number {
  const { ops, coords } = parsePathData(d);
  let worst = 0, i = 0, x = 0, y = 0;
  for (const op of ops) {
    if (op === MOVE || op === LINE) {
      x = coords[i++]!; y = coords[i++]!;
      worst = Math.max(worst, Math.abs(Math.hypot(x - cx, y - cy) - r));
    } else if (op === CUBIC) {
      const [x1, y1, x2, y2, x3, y3] = coords.slice(i, i + 6) as [number, number, number, number, number, number];
      i += 6;
      for (let t = 0.05; t <= 1.0001; t += 0.05) {
        const u = 1 - t;
        const px = u * u * u * x + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t * t * t * x3;
        const py = u * u * u * y + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y3;
        worst = Math.max(worst, Math.abs(Math.hypot(px - cx, py - cy) - r));
      }
      x = x3; y = y3;
    }
  }
  return worst;
}

test('the writer draws arc cubics as arcs: one command along one circle, two near a half turn', () => {
  // 1.2 rad as one cubic; 4.5 rad as three, merged into one large arc.
  for (const [turn, count, large] of [[1.2, 1, 0], [4.5, 1, 1], [-4.5, 1, 1]] as const) {
    const d = writtenArc(turn);
    assert.equal(arcCount(d), count, `${turn} rad: ${d}`);
    assert.ok(!/[cCsS]/.test(d), `no cubic left: ${d}`);
    const flags = /[aA]20 20 0 ([01]) ([01])/.exec(d);
    assert.ok(flags, `radius 20, no rotation: ${d}`);
    assert.equal(Number(flags[1]), large, `large-arc flag: ${d}`);
    assert.equal(Number(flags[2]), turn > 0 ? 1 : 0, `sweep flag: ${d}`);
    assert.ok(worstOffCircle(d, 50, 50, 20) < 0.01, `off the circle: ${d}`);
  }
  // A half turn is two arcs: one arc command across a diameter would leave its centre to rounding.
  const half = writtenArc(Math.PI);
  assert.equal(arcCount(half), 2, half);
  assert.ok(worstOffCircle(half, 50, 50, 20) < 0.01, half);
  // At optimize 0 the cubics are written as they are.
  assert.ok(!/[aA]/.test(writtenArc(1.2, 0)));
});

test('arcs stay on their circle at every precision: an arc rounding would move is written as its cubics', () => {
  // Random arcs (seeded), written at 0 to 3 decimals and read back with SVG's arc rules: never farther from
  // the true circle than a unit of the last decimal (at 0 decimals a 1 px arc once landed 4 px off).
  let seed = 11;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (const precision of [0, 1, 2, 3]) {
    let worst = 0, arcs = 0;
    for (let k = 0; k < 600; k++) {
      const cx = 10 + 80 * random(), cy = 10 + 80 * random(), r = 1 + 60 * random(), a0 = 2 * Math.PI * random();
      const turn = (random() < 0.5 ? -1 : 1) * (0.3 + 5.5 * random());
      const out = new FloatBuffer();
      out.push2(cx + r * Math.cos(a0), cy + r * Math.sin(a0));
      pushArcCubics(out, cx, cy, r, turn, cx + r * Math.cos(a0 + turn), cy + r * Math.sin(a0 + turn));
      const w = new PathWriter(precision, 1);
      const d = out.data;
      w.moveTo(d[0]!, d[1]!);
      for (let o = 2; o + 6 <= out.length; o += 6) w.cubicTo(d[o]!, d[o + 1]!, d[o + 2]!, d[o + 3]!, d[o + 4]!, d[o + 5]!);
      const path = w.toString();
      arcs += arcCount(path);
      // Beyond what drawing a quarter circle as one cubic costs anyway (2.7·10⁻⁴ of the radius, here and
      // when the arc is read back), in units of the last decimal.
      worst = Math.max(worst, (worstOffCircle(path, cx, cy, r) - 6e-4 * r) * 10 ** precision);
    }
    assert.ok(worst <= 1, `precision ${precision}: ${worst.toFixed(3)} units of the last decimal off the circle`);
    assert.ok(arcs > 300, `precision ${precision}: only ${arcs} arcs written for 600 arcs`);
  }
});

function traceBody(size: number, body: string, options: TraceOptions): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">${body}</svg>`;
  return traceRgba({ data: renderSvg(svg, size, size), width: size, height: size }, options);
}

test('a traced disc lies on the true circle as a renderer draws it, at the default precision', () => {
  // (A half arc's centre is where its written radii fit its chord: radii rounded up by 0.003 px put the
  // first disc's centre 0.48 px off, before the radii were written to fit.)
  for (const [cx, cy, r] of [[48, 48, 38.4], [48.3, 47.6, 30.2], [40, 41, 12.7]] as const) {
    const svg = traceBody(96, `<circle cx="${cx}" cy="${cy}" r="${r}" fill="#000"/>`, { preset: 'bw' });
    const d = svgPaths(svg)[0]!.d;
    assert.equal(arcCount(d), 2, `two half arcs: ${d}`);
    const worst = worstOffCircle(d, cx, cy, r);
    assert.ok(worst < 0.08, `disc (${cx}, ${cy}, ${r}): ${worst.toFixed(3)} px off the circle: ${d}`);
  }
});

test('a band between two circles, cut square: its outer side is one arc on the true radius', () => {
  // A quarter annulus with sharp ends, as in a rainbow: outer radius 60, inner 46, centre (90, 90).
  const body = '<path d="M90 30A60 60 0 0 0 30 90L44 90A46 46 0 0 1 90 44Z" fill="#000"/>';
  const d = svgPaths(traceBody(96, body, { preset: 'bw' }))[0]!.d;
  const radii = pathCommands(d).filter((c) => c.letter.toLowerCase() === 'a').flatMap((c) => c.args.filter((_, i) => i % 7 === 0));
  assert.ok(radii.some((r) => Math.abs(r - 60) < 0.6), `the outer side as an arc of radius 60 ± 1 %: ${d}`);
  // (The inner side's corners are placed from lines fitted to a curve, 0.2 px off: the circle through
  // them misses its samples by more than an arc run allows, and the side stays a cubic.)
  for (const r of radii) assert.ok(Math.abs(r - 60) < 0.6 || Math.abs(r - 46) < 0.46, `radius ${r}: ${d}`);
});

test('a hard-edged disc (thresholded, no anti-aliasing) is still recognised as a circle', () => {
  // Its staircase only says where the edge is within half a pixel; the ellipse test allows for that.
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96"><circle cx="48.3" cy="47.6" r="30.2" fill="#000"/></svg>`;
  const data = renderSvg(svg, 96, 96);
  for (let p = 0; p < data.length; p += 4) data[p] = data[p + 1] = data[p + 2] = data[p]! < 128 ? 0 : 255;
  const d = svgPaths(traceRgba({ data, width: 96, height: 96 }, { preset: 'bw' }))[0]!.d;
  assert.equal(arcCount(d), 2, `two half arcs: ${d}`);
  const worst = worstOffCircle(d, 48.3, 47.6, 30.2);
  assert.ok(worst < 0.3, `${worst.toFixed(3)} px off the circle: ${d}`);
});

test('a rounded rectangle: four straight sides and four arcs of the corner radius, tangent to the sides', () => {
  const body = '<rect x="9.3" y="10.6" width="77" height="56" rx="13" fill="#000"/>';
  const d = svgPaths(traceBody(96, body, { preset: 'bw', pathPrecision: 3 }))[0]!.d;
  const cmds = pathCommands(d);
  const radii = cmds.filter((c) => c.letter.toLowerCase() === 'a').flatMap((c) => c.args.filter((_, i) => i % 7 === 0));
  assert.equal(radii.length, 4, `one arc per corner: ${d}`);
  for (const r of radii) assert.ok(Math.abs(r - 13) < 0.65, `corner radius ${r} vs 13: ${d}`);
  assert.ok(!/[cCsS]/.test(d), `no free cubic left: ${d}`);
  // Each arc leaves and reaches a side along it: its ends are on the true edges' lines (x 9.3 or 86.3, y 10.6 or 66.6).
  for (const { x1: x, y1: y } of pathSegments(d)) {
    const off = Math.min(Math.abs(x - 9.3), Math.abs(x - 86.3), Math.abs(y - 10.6), Math.abs(y - 66.6));
    assert.ok(off < 0.1, `segment end (${x}, ${y}) ${off.toFixed(3)} px off every side: ${d}`);
  }
});

test('a rounded rectangle with small corners (radius 6 at 96 px) keeps straight sides and round arcs', () => {
  // Its corners turn 38° within the corner scale, so their middles are bends; the sides beside them must
  // still end in knots of their own (they used to bulge into the corners, up to 1.7 px).
  for (const [x, y] of [[20.3, 20.7], [20, 20], [20.5, 20.5]] as const) {
    const body = `<rect x="${x}" y="${y}" width="50" height="40" rx="6" fill="#000"/>`;
    const d = svgPaths(traceBody(96, body, { preset: 'bw', pathPrecision: 3 }))[0]!.d;
    const radii = pathCommands(d).filter((c) => c.letter.toLowerCase() === 'a').flatMap((c) => c.args.filter((_, i) => i % 7 === 0));
    assert.equal(radii.length, 4, `one arc per corner: ${d}`);
    for (const r of radii) assert.ok(Math.abs(r - 6) < 0.6, `corner radius ${r} vs 6: ${d}`);
    assert.ok(!/[cCsS]/.test(d), `no free cubic: ${d}`);
    for (const { x1: px, y1: py } of pathSegments(d)) {
      const off = Math.min(Math.abs(px - x), Math.abs(px - x - 50), Math.abs(py - y), Math.abs(py - y - 40));
      assert.ok(off < 0.15, `segment end (${px}, ${py}) ${off.toFixed(3)} px off every side: ${d}`);
    }
  }
});
