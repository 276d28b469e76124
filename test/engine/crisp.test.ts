/**
 * Crisp edges (crisp.ts, used by fit-outline.ts): in black and white, an outline whose pixels go from ink to
 * paper within the pixel it crosses is drawn art, and is not smoothed as grain even when it turns as much
 * per pixel as a photo's edge does (small text).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { traceRgba } from '../../src/engine/index.js';
import { crispEdges } from '../../src/engine/crisp.js';
import type { EdgeField } from '../../src/engine/subpixel.js';
import { renderSvg } from '../support/fidelity.js';
import { inkMask, xorError } from '../../bench/shapes/metrics.js';

/** A disc of radius r at (c, c) in a size × size luminance field: its edge spread over `soft` px (0: anti-aliased). */
function discField(size: number, r: number, soft: number): EdgeField {
  const luma = new Float32Array(size * size);
  const key = new Int32Array(size * size);
  const data = new Uint8Array(4 * size * size);
  const c = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x + 0.5 - c, y + 0.5 - c) - r;
      const t = Math.max(0, Math.min(1, soft > 0 ? d / soft + 0.5 : d + 0.5));
      const v = 20 + 235 * t;
      luma[y * size + x] = v;
      data.set([v, v, v, 255], 4 * (y * size + x));
      key[y * size + x] = t < 0.5 ? 0 : 1;
    }
  }
  return { data, width: size, height: size, key, lo: 0, len: 1, luma };
}

/** n samples round the disc's edge, clockwise on screen. */
function discSamples(size: number, r: number, n: number): Float64Array {
  const pts = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    pts[2 * i] = size / 2 + r * Math.cos(a);
    pts[2 * i + 1] = size / 2 + r * Math.sin(a);
  }
  return pts;
}

test('an anti-aliased edge is crisp; the same edge blurred over 4 px is not; so with a faint one', () => {
  const pts = discSamples(40, 12, 76);
  for (const binary of [true, false]) {
    const field = (soft: number): EdgeField => {
      const f = discField(40, 12, soft);
      if (!binary) delete f.luma; // colour: RGB distance instead of luminance
      return f;
    };
    assert.equal(crispEdges(field(0), pts, 76), true, `anti-aliased, binary ${binary}`);
    assert.equal(crispEdges(field(4), pts, 76), false, `blurred, binary ${binary}`);
  }
  // A faint edge (a step of 47 in luminance) is not called crisp: too little to tell from noise.
  const faint = discField(40, 12, 0);
  for (let q = 0; q < faint.luma!.length; q++) faint.luma![q] = 200 + faint.luma![q]! / 5;
  assert.equal(crispEdges(faint, pts, 76), false);
});

test('16 px bold text keeps its shapes: within 11 % (bw) and 15.5 % (poster) xor of the true glyphs at 8×', () => {
  const svg = readFileSync(fileURLToPath(new URL('../fixtures/wordmark.svg', import.meta.url)), 'utf8');
  const W = 200, H = 24, S = 8;
  const image = { data: renderSvg(svg, W, H), width: W, height: H };
  const truth = inkMask(renderSvg(svg, W * S, H * S));
  // Smoothed as grain (its glyphs turn 0.25–0.65 rad/px), the wordmark came out at 12.1 % in bw (blobs, and
  // spikes at the "c") and 17.1 % at poster; now 9.8 % and 14.2 %.
  for (const [preset, bound] of [['bw', 0.11], ['poster', 0.155]] as const) {
    const traced = traceRgba(image, { preset });
    const xor = xorError(truth, inkMask(renderSvg(traced, W * S, H * S)));
    assert.ok(xor < bound, `${preset}: xor ${(100 * xor).toFixed(2)} %`);
  }
});
