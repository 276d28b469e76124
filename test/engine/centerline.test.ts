/**
 * Centerline tracing on line art with known strokes (test/support/line-art.ts): the strokes redraw the input
 * at their measured width, their number stays near the number drawn, crossings and T joints stay joined, and
 * the options are validated. Speed and linear time: `npm run bench:centerline`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionError, traceRgbaDetailed, type TraceOptions } from '../../src/engine/index.js';
import { renderSvg, svgPaths } from '../support/fidelity.js';
import { mulberry32 } from '../support/images.js';
import { grid, matchStrokes, rasterize, scribble, spiral, strokeText, type LineArt, type StrokeMatch } from '../support/line-art.js';

interface Outcome extends StrokeMatch { art: LineArt; svg: string; pathCount: number }

function traceArt(art: LineArt, options: TraceOptions = {}): Outcome {
  const r = traceRgbaDetailed(art.image, { colorMode: 'binary', drawStyle: 'centerline', ...options });
  return { art, svg: r.svg, pathCount: r.pathCount, ...matchStrokes(art, r.svg) };
}

const ARTS = [grid(), spiral(), scribble(), strokeText()];

for (const art of ARTS) {
  test(`centerline: ${art.name} is redrawn by open strokes at the measured width`, () => {
    const o = traceArt(art);
    const paths = svgPaths(o.svg);
    assert.ok(paths.length > 0);
    for (const p of paths) {
      assert.equal(p.attributes.fill, 'none');
      assert.equal(p.attributes.stroke, '#000000');
    }
    // Drawn at `art.width`, anti-aliased, thresholded: the ink is that wide within a pixel (where a scribble
    // runs over itself it is wider: the median stroke).
    const widths = paths.map((p) => Number(p.attributes['stroke-width'])).sort((a, b) => a - b);
    const width = widths[widths.length >> 1];
    assert.ok(Math.abs(width - art.width) <= 1.5, `stroke-width ${width} for lines ${art.width} wide`);
    // Every ink pixel of the input is within a pixel of the strokes' ink and the other way round.
    const detail = `recall ${o.recall.toFixed(4)}, precision ${o.precision.toFixed(4)}, PSNR ${o.psnr.toFixed(1)} dB`;
    assert.ok(o.recall > 0.975, detail);
    assert.ok(o.precision > 0.975, detail);
    assert.ok(o.psnr > 17, detail);
    // No gap at a joint: the strokes' ink has as many connected pieces as the input's.
    assert.equal(o.parts[1], o.parts[0], `connected pieces: input ${o.parts[0]}, strokes ${o.parts[1]}`);
  });
}

test('centerline: the number of paths follows the number of strokes; crossings are passed straight through', () => {
  const g = traceArt(grid());
  assert.equal(g.pathCount, 12, 'six horizontal and six vertical lines, 36 crossings');
  // Each grid path is one straight line: its ends on one row or one column.
  for (const p of svgPaths(g.svg)) assert.doesNotMatch(p.attributes.d, /[zZ]/, 'open path');
  assert.equal(traceArt(spiral()).pathCount, 1);
  const text = traceArt(strokeText());
  assert.ok(text.pathCount >= text.art.strokes * 0.7 && text.pathCount <= text.art.strokes * 1.5, `${text.pathCount} paths for ${text.art.strokes} strokes`);
  // One scribbled stroke crossing itself many times, partly over itself: a few pieces, not dozens of stubs.
  const s = traceArt(scribble());
  assert.ok(s.pathCount <= 15, `${s.pathCount} paths`);
});

test('centerline: spurs shorter than spurLength are dropped, strokeWidth fixes the width', () => {
  // Thick bars with bumps along their edges (a rough scan): each bump grows a short side branch on the
  // skeleton. Those are spurs: pruned, each bar is one path; kept (spurLength 1), each bar is several.
  const rnd = mulberry32(3);
  const bumps: string[] = [];
  for (const y of [30, 90]) {
    for (let x = 40; x < 165; x += 14) {
      const side = rnd() < 0.5 ? -1 : 1;
      bumps.push(`M${x} ${y + side * 9}h0.01`); // a dot 9 px across (round cap), sticking out 7.5 px
    }
  }
  const bars = rasterize('bars', 200, 120, ['M30 30H170', 'M30 90H170'], 12);
  const bumpy = rasterize('bumps', 200, 120, bumps, 9);
  for (let i = 0; i < bars.image.data.length; i++) bars.image.data[i] = Math.min(bars.image.data[i], bumpy.image.data[i]);
  const pruned = traceArt(bars);
  const unpruned = traceArt(bars, { spurLength: 1 });
  assert.equal(pruned.pathCount, 2, pruned.svg);
  assert.ok(unpruned.pathCount > 2, `${unpruned.pathCount} paths without pruning`);
  const fixed = traceArt(grid(), { strokeWidth: 2 });
  for (const p of svgPaths(fixed.svg)) assert.equal(p.attributes['stroke-width'], '2');
});

test('centerline: colour line art keeps each stroke\'s colour and leaves the paper out', () => {
  // Red horizontal lines under blue vertical ones, anti-aliased, on white.
  const lines: string[] = [];
  for (const v of [50, 100, 150]) {
    lines.push(`<path d="M20 ${v}H180" stroke="#e01010"/>`);
  }
  for (const v of [50, 100, 150]) lines.push(`<path d="M${v} 20V180" stroke="#1020d0"/>`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><rect width="200" height="200" fill="#fff"/><g fill="none" stroke-width="3" stroke-linecap="round">${lines.join('')}</g></svg>`;
  const image = { data: renderSvg(svg, 200, 200), width: 200, height: 200 };
  const r = traceRgbaDetailed(image, { drawStyle: 'centerline' });
  const strokes = svgPaths(r.svg).map((p) => p.attributes.stroke);
  assert.equal(strokes.length, 6, r.svg);
  assert.ok(!strokes.includes('#ffffff'), 'no stroke for the paper');
  const hue = (c: string): string => {
    const n = parseInt(c.slice(1), 16);
    const [rr, gg, bb] = [n >> 16, (n >> 8) & 255, n & 255];
    return gg < 90 && rr > 150 && bb < 120 ? 'red' : gg < 90 && bb > 150 && rr < 120 ? 'blue' : c;
  };
  assert.deepEqual(strokes.map(hue).sort(), ['blue', 'blue', 'blue', 'red', 'red', 'red']);
});

test('centerline options are validated with messages naming the option', () => {
  const image = grid(2).image;
  assert.throws(() => traceRgbaDetailed(image, { drawStyle: 'outline' as never }), (e: unknown) => e instanceof OptionError
    && e.message === 'drawStyle must be one of "fill", "centerline", got "outline"');
  assert.throws(() => traceRgbaDetailed(image, { spurLength: -1 }), /spurLength must be a number from 0 to 1000, got -1/);
  assert.throws(() => traceRgbaDetailed(image, { strokeWidth: Number.NaN }), /strokeWidth must be a number from 0 to 1000, got NaN/);
});
