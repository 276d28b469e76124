/**
 * Outlines whose samples jitter (roughness.ts `jitter`; an image's own uneven anti-aliasing, as the corpus
 * logo's big circle has): measured, fitted without a split at every lone jolt (bezier.ts), and smoothed first
 * when long (fit-outline.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jitter } from '../../src/engine/roughness.js';
import { fitOutline, OutlineWorkspace, type OutlineParams } from '../../src/engine/outline.js';
import { FloatBuffer } from '../../src/engine/buffers.js';
import sharp from 'sharp';
import { traceRgba } from '../../src/engine/index.js';
import { fixturePath } from '../support/fixtures.js';
import { splineOf, splinePoints } from '../support/splines.js';

/**
 * Samples a pixel apart round a circle of radius r, moved out by a sawtooth that climbs `jolt` px over
 * `every` samples and drops back (the steps of an uneven staircase's anti-aliasing); 0: none.
 */
function circleSamples(r: number, every: number, jolt: number): Float64Array {
  const n = Math.round(2 * Math.PI * r);
  const pts = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n, rr = r + (every > 0 ? jolt * ((i % every) / every - 0.5) : 0);
    pts[2 * i] = 100 + rr * Math.cos(a);
    pts[2 * i + 1] = 100 + rr * Math.sin(a);
  }
  return pts;
}

const params = (jittery: boolean): OutlineParams => ({
  cornerAngle: Math.PI / 3, tolerance: 0.5, maxTurn: Math.PI / 2, maxDepth: 10, scale: 2, noise: 0.1, refine: 3,
  stretches: true, arcs: false, jittery,
});

test('jitter: clean samples of a curve stay low, lone jolts of uneven anti-aliasing stand out', () => {
  const clean = circleSamples(60, 0, 0);
  assert.ok(jitter(clean, clean.length / 2) <= 0.02, `clean circle: ${jitter(clean, clean.length / 2)}`);
  const jolted = circleSamples(60, 6, 0.8);
  assert.ok(jitter(jolted, jolted.length / 2) >= 0.16, `jolted circle: ${jitter(jolted, jolted.length / 2)}`);
});

test('a jittery outline is not split at every lone jolt; a real bump still splits it', () => {
  const ws = new OutlineWorkspace();
  const count = (pts: Float64Array, jittery: boolean) => {
    const out = new FloatBuffer();
    fitOutline(pts, pts.length / 2, true, params(jittery), ws, out);
    return (out.length - 2) / 6;
  };
  // Steps of 0.8 px every 6 samples round a 60 px circle.
  const jolted = circleSamples(60, 6, 0.8);
  const plain = count(jolted, false), robust = count(jolted, true);
  assert.ok(robust < plain, `cubics: ${plain} fitted plainly, ${robust} jitter-robust`);
  assert.ok(robust <= 0.8 * plain, `a jolted circle in ${robust} cubics (plainly ${plain})`);
  // A bump 1.2 px high over 7 samples is a feature: it is still followed (more cubics than the plain circle).
  const bumped = circleSamples(60, 0, 0);
  for (let i = 30; i < 37; i++) {
    const a = (2 * Math.PI * i) / (bumped.length / 2), rr = 61.2;
    bumped[2 * i] = 100 + rr * Math.cos(a);
    bumped[2 * i + 1] = 100 + rr * Math.sin(a);
  }
  assert.ok(count(bumped, true) > count(circleSamples(60, 0, 0), true), 'the bump is kept');
});

test('a long jittery outline is smoothed before the fit: the logo fixture\'s rim comes out round, not lumpy', async () => {
  // The corpus logo's rim (a circle of radius 240 round the image's centre) is nearly aliased: a constant
  // faint halo along each tread of its staircase, then a whole-pixel step. Its trace, sampled along the
  // rim's upper-left quarter: each point's radius against the median radius within ±3° of it.
  const { data, info } = await sharp(fixturePath('logo.png')).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const svg = traceRgba({ data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height }, { preset: 'poster', optimize: 0 });
  const c = info.width / 2;
  const rim: Array<[number, number]> = [];
  for (const m of svg.matchAll(/ d="([^"]*)"/g)) {
    for (const sub of m[1]!.split(/(?=M)/)) {
      const s = splineOf(sub);
      for (const [x, y] of splinePoints(s, s.length, 20)) {
        const a = (Math.atan2(y - c, x - c) * 180) / Math.PI, r = Math.hypot(x - c, y - c);
        if (r > 0.94 * c && r < 0.99 * c && a > -170 && a < -100) rim.push([a, r]);
      }
    }
  }
  assert.ok(rim.length > 100, `${rim.length} points on the rim`);
  const wobble = rim.map(([a, r]) => {
    const near = rim.filter(([b]) => Math.abs(b - a) <= 3).map(([, s]) => s).sort((p, q) => p - q);
    return Math.abs(r - near[near.length >> 1]!);
  }).sort((p, q) => p - q);
  const median = wobble[wobble.length >> 1]!;
  // Fitted without the smoothing: 0.135 px (lumps visible at 3×); smoothed: 0.06 px.
  assert.ok(median < 0.08, `the rim wobbles by ${median.toFixed(3)} px at the median`);
});
