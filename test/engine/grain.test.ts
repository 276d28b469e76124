/**
 * Grain (roughness.ts, used by fit-outline.ts): a thresholded photo's outline wiggles from pixel to pixel;
 * drawn art turns one way along curves and sharply only at corners. The first is smoothed before fitting,
 * the second fitted as it is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceRgba } from '../../src/engine/index.js';
import { excessTurning, smoothSamples } from '../../src/engine/roughness.js';
import { OutlineFitter } from '../../src/engine/fit-outline.js';
import { validateOptions } from '../../src/engine/options.js';
import { pathSegments, svgPaths } from '../support/fidelity.js';

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n samples round a circle, each moved along its radius by `wiggle(i)`. */
function circleSamples(n: number, r: number, wiggle: (i: number) => number): Float64Array {
  const pts = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n, rr = r + wiggle(i);
    pts[2 * i] = 50 + rr * Math.cos(a);
    pts[2 * i + 1] = 50 + rr * Math.sin(a);
  }
  return pts;
}

test('excess turning: none on a circle, a lot on a circle with one-pixel grain', () => {
  const clean = circleSamples(120, 20, () => 0);
  assert.ok(excessTurning(clean, 120) < 1e-9, `clean circle: ${excessTurning(clean, 120)}`);
  const rnd = mulberry32(3);
  const grainy = circleSamples(120, 20, () => rnd() - 0.5);
  // Drawn art measures below 0.25 rad/px (fit-outline.ts' GRAIN_FROM).
  assert.ok(excessTurning(grainy, 120) > 0.35, `grainy circle: ${excessTurning(grainy, 120)}`);
});

test('smoothing fades one-pixel grain and keeps the circle where it is', () => {
  const rnd = mulberry32(5);
  const n = 120;
  const pts = circleSamples(n, 20, () => rnd() - 0.5);
  const before = excessTurning(pts, n);
  smoothSamples(pts, n, 2, new Float64Array(2 * n));
  assert.ok(excessTurning(pts, n) < before / 2, `excess turning ${before} -> ${excessTurning(pts, n)}`);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += Math.hypot(pts[2 * i] - 50, pts[2 * i + 1] - 50) / n;
  assert.ok(Math.abs(mean - 20) < 0.15, `mean radius ${mean}`);
});

test('bw on a photo-like disc (soft edge, per-pixel noise): a smooth outline near the circle, not every wiggle', () => {
  const size = 96, r = 30, rnd = mulberry32(7);
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const t = Math.max(0, Math.min(1, (Math.hypot(x + 0.5 - 48, y + 0.5 - 48) - r + 4) / 8));
      const v = Math.max(0, Math.min(255, 60 + 140 * t * t * (3 - 2 * t) + (rnd() - 0.5) * 100));
      const p = 4 * (y * size + x);
      data[p] = data[p + 1] = data[p + 2] = v;
      data[p + 3] = 255;
    }
  }
  const paths = svgPaths(traceRgba({ data, width: size, height: size }, { preset: 'bw' }));
  assert.equal(paths.length, 1);
  const outer = pathSegments(paths[0]!.d.split(/(?=[Mm])/)[0]!);
  // Perimeter 188 px: fitted wiggle by wiggle it takes about 150 segments; as a smooth outline under 95.
  assert.ok(outer.length < 95, `${outer.length} segments`);
  for (const s of outer) {
    const off = Math.abs(Math.hypot(s.x1 - 48, s.y1 - 48) - r);
    assert.ok(off < 3.1, `segment end (${s.x1}, ${s.y1}) is ${off.toFixed(2)} px off the circle`);
  }
});

test("a photo's trace covers the image's corners: no white canvas showing at any of them", async () => {
  // Grain raised the corner angle and smoothed the samples, so the outline of the layer under a photo's corner,
  // running along two sides of the frame, was rounded off there, and the white canvas (or the layer beneath)
  // showed through. Now samples on the frame stay on it and a sample on a corner of the image is a sharp knot.
  const { readFileSync } = await import('node:fs');
  const sharp = (await import('sharp')).default;
  const { renderSvg } = await import('../support/fidelity.js');
  const { data, info } = await sharp(readFileSync(new URL('../fixtures/coffee-300.png', import.meta.url))).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const svg = traceRgba({ data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height }, { preset: 'photo' });
  const k = 8, W = info.width * k, H = info.height * k;
  const out = renderSvg(svg.replace(/width="\d+" height="\d+"/, `width="${W}" height="${H}"`), W, H);
  for (const [x, y] of [[0, 0], [W - 1, 0], [0, H - 1], [W - 1, H - 1]] as const) {
    // The photo has no white: its outermost rendered pixel at each corner must be drawn.
    const p = 4 * (y * W + x);
    assert.ok(out[p]! + out[p + 1]! + out[p + 2]! < 3 * 240, `corner (${x}, ${y}) shows the canvas: rgb(${out[p]}, ${out[p + 1]}, ${out[p + 2]})`);
  }
});

test('flat art: a scalloped outline keeps its scallops, where the same samples read as grain are smoothed', () => {
  // A disc of radius 16 px whose edge bulges 0.5 px in and out 24 times (a flower's or a seal's edge, one
  // scallop every 4.2 px), sampled every half pixel, fitted as an anti-aliased outline.
  const r = 16, n = Math.round(4 * Math.PI * r);
  const pts = circleSamples(n, r, (i) => 0.5 * Math.sin((24 * 2 * Math.PI * i) / n));
  const worstMiss = (flatArt: boolean): number => {
    const spline = new OutlineFitter(validateOptions({ preset: 'poster' }), undefined, flatArt).fitChain(pts, n, true, false);
    const curve = splinePoints(spline, 40);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      let best = Infinity;
      for (let j = 0; j < curve.length; j += 2) best = Math.min(best, Math.hypot(curve[j] - pts[2 * i], curve[j + 1] - pts[2 * i + 1]));
      worst = Math.max(worst, best);
    }
    return worst;
  };
  // In a photo (no keying) the wiggle is taken for grain and smoothed to the circle: the scallops go.
  const asGrain = worstMiss(false), drawn = worstMiss(true);
  assert.ok(asGrain > 0.4, `as grain, the fit misses the scallops by ${asGrain.toFixed(3)} px`);
  // Blend keying said the image is flat art (OutlineFitter's flatArt): the scallops are drawn, and followed.
  assert.ok(drawn < 0.15, `flat art, the fit misses the scallops by ${drawn.toFixed(3)} px`);
});

/** Points along a Spline (start point, 6 numbers per cubic), `steps` per cubic. */
function splinePoints(s: Float64Array, steps: number): number[] {
  const out: number[] = [];
  for (let o = 2; o + 6 <= s.length; o += 6) {
    const x0 = s[o - 2], y0 = s[o - 1];
    for (let k = 0; k <= steps; k++) {
      const t = k / steps, u = 1 - t;
      out.push(u * u * u * x0 + 3 * u * u * t * s[o] + 3 * u * t * t * s[o + 2] + t * t * t * s[o + 4],
        u * u * u * y0 + 3 * u * u * t * s[o + 1] + 3 * u * t * t * s[o + 3] + t * t * t * s[o + 5]);
    }
  }
  return out;
}
