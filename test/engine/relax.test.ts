/**
 * Joint relaxation (relax.ts, the shape fitter's last step): smooth joints moved and turned, corners' sides
 * turned, to where the cubics fit their samples best. Measured against curves whose truth is known.
 */
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitOutline, OutlineWorkspace, type OutlineParams } from '../../src/engine/outline.js';
import { FloatBuffer } from '../../src/engine/buffers.js';
import { traceRgba } from '../../src/engine/index.js';
import { renderSvg, svgPaths } from '../support/fidelity.js';
import { mulberry32 } from '../support/images.js';
import { inkMask, strayInk } from '../../bench/shapes/metrics.js';
import { splineOf, splinePoints } from '../support/splines.js';

const params = (relax: boolean): OutlineParams => ({
  cornerAngle: Math.PI / 3, tolerance: 0.5, maxTurn: Math.PI / 2, maxDepth: 10, scale: 2, noise: 0.1, refine: 3,
  stretches: true, arcs: true, jittery: false, relax,
});

/** A superellipse |x/a|^4 + |y/b|^4 = 1 round (cx, cy), as `count` points (angle parameter): not a circle or an ellipse. */
function superellipse(cx: number, cy: number, a: number, b: number, count: number): Float64Array {
  const pts = new Float64Array(2 * count);
  for (let i = 0; i < count; i++) {
    const t = (2 * Math.PI * i) / count, c = Math.cos(t), s = Math.sin(t);
    pts[2 * i] = cx + a * Math.sign(c) * Math.sqrt(Math.abs(c));
    pts[2 * i + 1] = cy + b * Math.sign(s) * Math.sqrt(Math.abs(s));
  }
  return pts;
}

/** Resamples a closed polyline at `step` px of arc. */
function resample(poly: Float64Array, step: number): Float64Array {
  const n = poly.length / 2;
  const out: number[] = [];
  let carry = 0;
  for (let i = 0; i < n; i++) {
    const x0 = poly[2 * i]!, y0 = poly[2 * i + 1]!, x1 = poly[2 * ((i + 1) % n)]!, y1 = poly[2 * ((i + 1) % n) + 1]!;
    const len = Math.hypot(x1 - x0, y1 - y0);
    let at = carry;
    while (at < len) {
      out.push(x0 + ((x1 - x0) * at) / len, y0 + ((y1 - y0) * at) / len);
      at += step;
    }
    carry = at - len;
  }
  return Float64Array.from(out);
}

/** Root mean square and largest distance of `pts` from the dense polyline `truth` (nearest vertex). */
function distances(pts: Array<[number, number]>, truth: Float64Array): { rms: number; max: number } {
  let sum = 0, max = 0;
  for (const [x, y] of pts) {
    let best = Infinity;
    for (let i = 0; i < truth.length; i += 2) best = Math.min(best, (truth[i]! - x) ** 2 + (truth[i + 1]! - y) ** 2);
    sum += best;
    max = Math.max(max, Math.sqrt(best));
  }
  return { rms: Math.sqrt(sum / pts.length), max: Math.sqrt(max * max) };
}

test('relaxed joints follow a curve of changing curvature more closely, with the same cubics', () => {
  const truth = superellipse(100, 100, 70, 45, 40000);
  // Samples about a pixel apart, each off the curve by up to ±0.1 px (anti-aliased samples' scatter).
  const random = mulberry32(7);
  const samples = resample(superellipse(100, 100, 70, 45, 4000), 1).map((v) => v + (random() - 0.5) * 0.2);
  const ws = new OutlineWorkspace();
  const fit = (relax: boolean) => {
    const out = new FloatBuffer();
    fitOutline(samples, samples.length / 2, true, params(relax), ws, out);
    return { cubics: (out.length - 2) / 6, error: distances(splinePoints(out.data, out.length), truth) };
  };
  const plain = fit(false), relaxed = fit(true);
  assert.equal(relaxed.cubics, plain.cubics, 'the relaxation keeps the cubics');
  assert.ok(relaxed.error.rms <= 0.7 * plain.error.rms,
    `rms distance from the true curve: ${plain.error.rms.toFixed(3)} px fitted, ${relaxed.error.rms.toFixed(3)} px relaxed`);
  // Least squares trades a little at a joint for the whole length of its cubics, within the tolerance.
  assert.ok(relaxed.error.max < 0.5,
    `largest distance: ${plain.error.max.toFixed(3)} px fitted, ${relaxed.error.max.toFixed(3)} px relaxed`);
});

test("a sharp corner stays where it is: only its sides' tangents turn", () => {
  // A teardrop: a half disc of radius 30 capped by two straight sides meeting at a 90° tip.
  const poly: number[] = [];
  for (let a = 0; a <= Math.PI * 1.5; a += 1 / 30) poly.push(100 + 30 * Math.cos(a + Math.PI / 4), 100 + 30 * Math.sin(a + Math.PI / 4));
  const samples = resample(Float64Array.from([...poly, 100 + 30 * Math.SQRT2, 100]), 1);
  const ws = new OutlineWorkspace();
  const ends = (relax: boolean) => {
    const out = new FloatBuffer();
    fitOutline(samples, samples.length / 2, true, params(relax), ws, out);
    const points: Array<[number, number]> = [];
    for (let o = 6; o <= out.length - 2; o += 6) points.push([out.data[o]!, out.data[o + 1]!]);
    return points;
  };
  const tip = (points: Array<[number, number]>) =>
    points.reduce((best, p) => (Math.hypot(p[0] - 142.43, p[1] - 100) < Math.hypot(best[0] - 142.43, best[1] - 100) ? p : best));
  const plain = tip(ends(false)), relaxed = tip(ends(true));
  assert.ok(Math.hypot(plain[0] - 142.43, plain[1] - 100) < 0.3, `the tip is a vertex: ${plain}`);
  assert.deepEqual(relaxed, plain, 'the tip has not moved');
});

test('a smooth anti-aliased blob traces within 0.05 px rms and 0.15 px of its true outline', () => {
  // Four cubics of changing curvature, joined smoothly (no corner, not an ellipse), at 96 px.
  const d = 'M20 50C20 12 78 8 80 48C81 70 62 90 42 82C30 77 20 68 20 50Z';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96"><path d="${d}" fill="#000"/></svg>`;
  const traced = traceRgba({ data: renderSvg(svg, 96, 96), width: 96, height: 96 }, { preset: 'bw', pathPrecision: 3 });
  const truth = new Float64Array(splinePoints(splineOf(d), splineOf(d).length, 5000).flat());
  const paths = svgPaths(traced);
  assert.equal(paths.length, 1, traced);
  const s = splineOf(paths[0]!.d);
  const { rms, max } = distances(splinePoints(s, s.length, 30), truth);
  // (Before the relaxation: rms 0.069 px, largest 0.20 px.)
  assert.ok(rms < 0.05 && max < 0.15, `distance from the true outline: rms ${rms.toFixed(3)} px, largest ${max.toFixed(3)} px: ${traced}`);
});

test("the relaxation does not cross a cubic's handles: no loop on the apple emoji at 96 px", () => {
  // Free handle lengths once let a 5.6 px cubic by the apple's stem reach its first handle past its second,
  // a small loop (the fitter splits such a cubic, bezier.ts handlesCross; the relaxation now keeps clear).
  const truth = readFileSync(new URL('../../bench/shapes/truth/emoji-1f34e.svg', import.meta.url), 'utf8')
    .replace(/<svg\b/, '<svg width="96" height="96"');
  const svg = traceRgba({ data: renderSvg(truth, 96, 96), width: 96, height: 96 }, { preset: 'poster', optimize: 0, pathPrecision: 3 });
  const crossing: string[] = [];
  for (const path of svgPaths(svg)) {
    for (const sub of path.d.split(/(?=M)/)) {
      const s = splineOf(sub);
      for (let o = 2; o + 6 <= s.length; o += 6) {
        const x0 = s[o - 2]!, y0 = s[o - 1]!, dx = s[o + 4]! - x0, dy = s[o + 5]! - y0;
        const chord2 = dx * dx + dy * dy;
        if (chord2 < 16) continue; // caps and fillets of a pixel or two
        const a = (s[o]! - x0) * dx + (s[o + 1]! - y0) * dy, b = (s[o + 2]! - x0) * dx + (s[o + 3]! - y0) * dy;
        if (a > b) crossing.push([x0, y0, ...s.subarray(o, o + 6)].map((v) => v.toFixed(2)).join(' '));
      }
    }
  }
  assert.deepEqual(crossing, [], `cubics with crossed handles: ${crossing.join('; ')}`);
});

test('a cubic whose handles crossed from the start does not grow a loop: a 16 px wordmark stays within 1 px of its glyphs', () => {
  const svg = readFileSync(new URL('../fixtures/wordmark.svg', import.meta.url), 'utf8');
  const W = 200, H = 24, S = 8;
  const truth = inkMask(renderSvg(svg, W * S, H * S));
  const traced = inkMask(renderSvg(traceRgba({ data: renderSvg(svg, W, H), width: W, height: H }, { preset: 'bw' }), W * S, H * S));
  // The farthest traced ink from the true glyphs (px of the small image). The "&"'s crossed cubic, 2.3 px
  // long, was let grow handles of 7 and 12 px: a loop 1.15 px out.
  const worst = strayInk(truth, traced, W * S, H * S, 2 * S);
  assert.ok(worst / S < 1, `traced ink ${(worst / S).toFixed(2)} px from the glyphs`);
});
