/**
 * The shape stages (docs/engine.md stages 5, 7, 8) on synthetic shapes whose true geometry is known:
 * shapes drawn as SVG, rasterized anti-aliased by resvg, traced, and the traced path compared with the
 * truth. Path data is read back into absolute segments (arcs at optimize 0, where they are absolute).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceRgba, type TraceOptions } from '../../src/engine/index.js';
import { subpixelOutline } from '../../src/engine/subpixel.js';
import { lumaPlane } from '../../src/engine/image.js';
import { ContourSet, traceContours } from '../../src/engine/contours.js';
import { FloatBuffer } from '../../src/engine/buffers.js';
import { parsePathData, pathSegments, renderSvg, svgPaths, xorAtScale } from '../support/fidelity.js';
import { splineOf, splinePoints } from '../support/splines.js';
import { rasterAt, selectCases } from '../../bench/shapes/cases.js';
import { inkMask, strayInk } from '../../bench/shapes/metrics.js';
import { readFileSync } from 'node:fs';

const svgOf = (size: number, body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">${body}</svg>`;

function trace(size: number, body: string, options: TraceOptions = { preset: 'bw' }): string {
  const data = renderSvg(svgOf(size, body), size, size);
  return traceRgba({ data, width: size, height: size }, { pathPrecision: 3, ...options });
}

/** The commands of the one path of a trace (its first subpath), absolute. */
function commands(svg: string) {
  const paths = svgPaths(svg);
  assert.equal(paths.length, 1, `one path expected, got ${paths.length}`);
  return parsePathData(paths[0]!.d);
}

/** Vertices of a path of straight segments only (lines are written as such from optimize 1). */
function polygonVertices(svg: string): Array<[number, number]> {
  const paths = svgPaths(svg);
  assert.equal(paths.length, 1, `one path expected, got ${paths.length}`);
  const segments = pathSegments(paths[0]!.d);
  for (const s of segments) assert.equal(s.kind, 'line', `only straight segments expected: ${paths[0]!.d}`);
  return segments.filter((s) => Math.hypot(s.x1 - s.x0, s.y1 - s.y0) > 1e-6).map((s) => [s.x0, s.y0]);
}

/** Points along every subpath of every path of a trace, `perCubic` to each cubic. */
function* outlinePoints(svg: string, perCubic: number): Generator<[number, number]> {
  for (const path of svgPaths(svg)) {
    for (const sub of path.d.split(/(?=M)/)) {
      const s = splineOf(sub);
      yield* splinePoints(s, s.length, perCubic);
    }
  }
}

/** End points of every segment of the one path. */
function segmentEnds(svg: string): Array<[number, number]> {
  return pathSegments(svgPaths(svg)[0]!.d).map((s) => [s.x1, s.y1]);
}

/** Each path's bounding box (x0, x1, y0, y1) over its segments' ends. */
function pathBoxes(svg: string): Array<readonly [number, number, number, number]> {
  return svgPaths(svg).map((p) => {
    const s = pathSegments(p.d), xs = s.flatMap((q) => [q.x0, q.x1]), ys = s.flatMap((q) => [q.y0, q.y1]);
    return [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)] as const;
  });
}

/** A ring in `fill` on white, its top a 1 px line from y = 9.5 to 10.5 (half in each of rows 9 and 10), traced in bw. */
function traceSplitRing(fill: string): string {
  const W = 32;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${W}"><rect width="100%" height="100%" fill="#fff"/>`
    + `<path d="M8 9.5H24V24H8Z M11 10.5V21H21V10.5Z" fill="${fill}" fill-rule="evenodd"/></svg>`;
  return traceRgba({ data: renderSvg(svg, W, W), width: W, height: W }, { preset: 'bw' });
}

/** The top of traceSplitRing's ring, rendered at 8×, is 1 px thick (±0.15) at x = 12, 14 … 20. */
function assertTopOnePixel(traced: string, what: string): void {
  const W = 32, S = 8;
  const big = inkMask(renderSvg(traced, W * S, W * S));
  for (const x of [12, 14, 16, 18, 20]) {
    let rows = 0;
    for (let y = 8 * S; y < 12 * S; y++) rows += big[y * W * S + x * S];
    assert.ok(Math.abs(rows / S - 1) <= 0.15, `${what} at x = ${x}: ${(rows / S).toFixed(2)} px thick`);
  }
}

test('sub-pixel edges: a vertical edge at x = 10.3 is sampled at 10.3, not on the pixel corner', () => {
  const size = 24;
  const data = renderSvg(svgOf(size, '<rect x="4" y="4" width="6.3" height="16" fill="#000"/>'), size, size);
  const key = new Int32Array(size * size);
  for (let p = 0; p < size * size; p++) key[p] = data[4 * p]! < 128 ? 0 : -1;
  const contours = new ContourSet();
  traceContours({ key, width: size, height: size, lo: 0, len: 1 }, Int32Array.from({ length: size * size }, (_, i) => i), new Int32Array(size * size), -2, contours);
  assert.equal(contours.count, 1);
  const samples = new FloatBuffer();
  subpixelOutline(contours.points.data, contours.vertexStart(0), contours.vertexEnd(0), { data, width: size, height: size, key, lo: 0, len: 1, luma: lumaPlane(data, size * size) }, samples);
  // Samples on the right edge (rows 6..17, away from the corners): x within 0.05 px of 10.3.
  const right: number[] = [];
  for (let i = 0; i < samples.length; i += 2) {
    const x = samples.data[i]!, y = samples.data[i + 1]!;
    if (x > 9 && y > 6 && y < 18) right.push(x);
  }
  assert.ok(right.length >= 10, `right-edge samples: ${right.length}`);
  for (const x of right) assert.ok(Math.abs(x - 10.3) < 0.05, `right edge sampled at x = ${x}, truth 10.3`);
});

/**
 * The bw sub-pixel samples of a #111 drawing's one outline (thresholded at one half), with the image's ink
 * known, whose x lies in x0..x1 and y in y0..y1: split at xMid into the left and right edges' samples.
 */
function stemSamples(size: number, d: string, y0: number, y1: number, x0: number, x1: number, xMid: number): { left: number[]; right: number[] } {
  const data = renderSvg(svgOf(size, `<path d="${d}" fill="#111"/>`), size, size);
  const luma = lumaPlane(data, size * size);
  const key = new Int32Array(size * size);
  for (let p = 0; p < size * size; p++) key[p] = luma[p]! < 128 ? 0 : -1;
  const contours = new ContourSet();
  traceContours({ key, width: size, height: size, lo: 0, len: 1 }, Int32Array.from({ length: size * size }, (_, i) => i), new Int32Array(size * size), -2, contours);
  assert.equal(contours.count, 1);
  const samples = new FloatBuffer();
  const inkLevel = { threshold: 128, invert: false, ink: Number.NaN, joined: 0 };
  subpixelOutline(contours.points.data, contours.vertexStart(0), contours.vertexEnd(0), { data, width: size, height: size, key, lo: 0, len: 1, luma, inkLevel }, samples);
  const left: number[] = [], right: number[] = [];
  for (let i = 0; i < samples.length; i += 2) {
    const x = samples.data[i]!, y = samples.data[i + 1]!;
    if (y > y0 && y < y1 && x > x0 && x < x1) (x < xMid ? left : right).push(x);
  }
  return { left, right };
}

test('bw sub-pixel edges: a stem 1.24 px wide, one pixel thick once thresholded, keeps its width near a full pixel', () => {
  // A serif text's stem at 16 px: pixel column 10 is 0.74 covered, column 11 half covered (under the
  // threshold). Read against its own pixel, the stem counted as full and its neighbour as 0.68 covered: it was
  // sampled from 10.0 to 11.68. The foot's pure pixels, within reach (2 px) of the stem's two lowest rows, say otherwise.
  const { left, right } = stemSamples(24, 'M10.26 3H11.5V15H16V19H6V15H10.26Z', 13, 15, 9, 12.5, 10.8);
  assert.equal(left.length, 2, `left samples ${left}`);
  assert.equal(right.length, 2, `right samples ${right}`);
  for (const x of left) assert.ok(Math.abs(x - 10.26) < 0.08, `stem's left edge sampled at ${x.toFixed(3)}, truth 10.26`);
  for (const x of right) assert.ok(Math.abs(x - 11.5) < 0.08, `stem's right edge sampled at ${x.toFixed(3)}, truth 11.5`);
});

test('bw sub-pixel edges: a stem 1.6 px wide, two pixels thick once thresholded, keeps its width', () => {
  // Columns 10 and 11 each 0.8 covered, both past the threshold: each edge's pixel was read against the other,
  // a mix too, counted as full, and the stem sampled from 10.0 to 12.0. The image's ink (its foot) says 0.8.
  const { left, right } = stemSamples(24, 'M10.2 3H11.8V15H16V19H6V15H10.2Z', 5, 12, 9, 13, 11);
  assert.ok(left.length >= 5 && right.length >= 5, `samples ${left} / ${right}`);
  for (const x of left) assert.ok(Math.abs(x - 10.2) < 0.08, `stem's left edge sampled at ${x.toFixed(3)}, truth 10.2`);
  for (const x of right) assert.ok(Math.abs(x - 11.8) < 0.08, `stem's right edge sampled at ${x.toFixed(3)}, truth 11.8`);
});

test('a rasterized circle traces to a circle: two arcs, centre and radius within 1 % of the truth', () => {
  const svg = trace(96, '<circle cx="48.3" cy="47.6" r="30.2" fill="#000"/>', { preset: 'bw', optimize: 0 });
  const cmds = commands(svg);
  const arcs = cmds.filter((c) => c.letter === 'A');
  assert.equal(arcs.length, 2, `two arcs expected: ${svg}`);
  for (const a of arcs) {
    const [rx, ry] = a.args as [number, number];
    assert.ok(Math.abs(rx - 30.2) < 0.302 && Math.abs(ry - 30.2) < 0.302, `radii ${rx}, ${ry} vs 30.2`);
  }
  // The two arc ends are a diameter apart: their midpoint is the centre.
  const start = cmds[0]!.args, mid = arcs[0]!.args.slice(5);
  const cx = (start[0]! + mid[0]!) / 2, cy = (start[1]! + mid[1]!) / 2;
  assert.ok(Math.hypot(cx - 48.3, cy - 47.6) < 0.3, `centre ${cx}, ${cy} vs 48.3, 47.6`);
});

test('a 15° bar traces to four straight edges, the long ones parallel', () => {
  const svg = trace(96, '<rect x="12" y="42" width="72" height="9" transform="rotate(15 48 46.5)" fill="#000"/>');
  const v = polygonVertices(svg);
  // M + 3 L + Z, or M + 4 L back to the start.
  const corners = v;
  assert.equal(corners.length, 4, `four corners expected: ${svg}`);
  const angle = (a: [number, number], b: [number, number]) => Math.atan2(b[1] - a[1], b[0] - a[0]) * 180 / Math.PI;
  const edges = corners.map((p, i) => ({ len: Math.hypot(corners[(i + 1) % 4]![0] - p[0], corners[(i + 1) % 4]![1] - p[1]), dir: angle(p, corners[(i + 1) % 4]!) }));
  const long = edges.filter((e) => e.len > 40);
  assert.equal(long.length, 2, `two long edges: ${JSON.stringify(edges)}`);
  const folded = long.map((e) => ((e.dir % 180) + 180) % 180);
  for (const d of folded) assert.ok(Math.abs(d - 15) < 1, `long edge at ${d.toFixed(2)}°, truth 15°`);
  assert.ok(Math.abs(folded[0]! - folded[1]!) < 0.5, `long edges not parallel: ${folded.join(', ')}`);
});

test("a square's corners stay corners, on the true sub-pixel corners", () => {
  const svg = trace(64, '<rect x="10.4" y="12.7" width="30" height="30" fill="#000"/>');
  const v = polygonVertices(svg);
  const truth: Array<[number, number]> = [[10.4, 12.7], [40.4, 12.7], [40.4, 42.7], [10.4, 42.7]];
  for (const [tx, ty] of truth) {
    const nearest = Math.min(...v.map(([x, y]) => Math.hypot(x - tx, y - ty)));
    assert.ok(nearest < 0.15, `no vertex within 0.15 px of the corner ${tx}, ${ty} (nearest ${nearest.toFixed(3)}): ${svg}`);
  }
});

test('a 5-point star keeps sharp tips: a vertex within 0.6 px of every true tip', () => {
  const tips: Array<[number, number]> = [[48, 4.8], [93.6, 36.5], [75.8, 89.3], [20.2, 89.3], [2.4, 36.5]];
  const inner: Array<[number, number]> = [[58.6, 36.5], [65.2, 56.6], [48, 69.1], [30.8, 56.6], [37.4, 36.5]];
  const pts = tips.flatMap((t, i) => [t, inner[i]!]).map(([x, y]) => `${x},${y}`).join(' ');
  const svg = trace(96, `<polygon points="${pts}" fill="#000"/>`);
  const ends = segmentEnds(svg);
  // (A 36° tip is rounded by anti-aliasing over about 2.4 px of its outline: its edges are fitted past that.)
  const misses = tips.map(([tx, ty]) => Math.min(...ends.map(([x, y]) => Math.hypot(x - tx, y - ty))));
  assert.ok(misses.every((d) => d < 0.6), `tips missed by ${misses.map((d) => d.toFixed(2)).join(', ')} px`);
  // The inner corners (a turn of 72°) are sharp too: anti-aliasing pulls their samples about 0.55 px in,
  // which once made them round joins of radius 2.4 px.
  const innerMisses = inner.map(([tx, ty]) => Math.min(...ends.map(([x, y]) => Math.hypot(x - tx, y - ty))));
  assert.ok(innerMisses.every((d) => d < 0.25), `inner corners missed by ${innerMisses.map((d) => d.toFixed(2)).join(', ')} px: ${svg}`);
});

test('a 48 px star: sharp tips on the true ones, its edges straight lines', () => {
  // The star of bench:shapes at 48 px (centre 24, 25.44; radii 21.6 and 21.6 × 0.382): edges of about 13 px.
  const at = (r: number, i: number): [number, number] => [24 + r * Math.cos(-Math.PI / 2 + (i * Math.PI) / 5), 25.44 + r * Math.sin(-Math.PI / 2 + (i * Math.PI) / 5)];
  const tips = [0, 2, 4, 6, 8].map((i) => at(21.6, i));
  const pts = [...Array(10).keys()].map((i) => at(i % 2 === 0 ? 21.6 : 21.6 * 0.381966, i)).map(([x, y]) => `${x},${y}`).join(' ');
  const svg = trace(48, `<polygon points="${pts}" fill="#000"/>`);
  const segments = pathSegments(svgPaths(svg)[0]!.d);
  const ends = segments.map((s) => [s.x1, s.y1] as [number, number]);
  const miss = ([tx, ty]: [number, number]) => Math.min(...ends.map(([x, y]) => Math.hypot(x - tx, y - ty)));
  assert.ok(tips.every((t) => miss(t) < 0.6), `tips missed by ${tips.map((t) => miss(t).toFixed(2)).join(', ')} px: ${svg}`);
  // All 10 edges are one straight segment each. (One inner corner, pulled 0.93 px in by anti-aliasing, was a
  // round bend until this round's changes to edge samples, corner sides and relaxation; the top tip's edges
  // were curves with a hook before a tip's edges within 0.08 px of a line counted as straight.)
  const lines = segments.filter((s) => s.kind === 'line' && chord(s) > 5).length;
  assert.equal(lines, 10, `${lines} straight edges: ${svg}`);
});

test('no corner is drawn over pixels of pure background: the 48 px dog emoji\'s ears have no spike', () => {
  // At the dog's right ear the sides' lines (one fitted along a curve) met 1.54 px out, within the shift a
  // sharp tip's anti-aliasing explains, over pixels that are pure white in the raster: a spike covered half of
  // one of them. The corner now goes only as far as the pixels show the ear.
  const img = rasterAt(selectCases(['emoji-1f436'])[0]!, 48);
  const S = 16, W = 48 * S;
  const r = renderSvg(traceRgba(img, { preset: 'poster' }), W, W);
  let darkest = 255, at = '';
  for (let y = 0; y < 48; y++) {
    for (let x = 0; x < 48; x++) {
      const p = 4 * (y * 48 + x);
      if (img.data[p] !== 255 || img.data[p + 1] !== 255 || img.data[p + 2] !== 255) continue;
      let sum = 0;
      for (let yy = y * S; yy < (y + 1) * S; yy++) {
        for (let xx = x * S; xx < (x + 1) * S; xx++) { const q = 4 * (yy * W + xx); sum += 0.299 * r[q]! + 0.587 * r[q + 1]! + 0.114 * r[q + 2]!; }
      }
      if (sum / (S * S) < darkest) { darkest = sum / (S * S); at = `${x},${y}`; }
    }
  }
  // A pure white pixel may take a sliver of an edge placed by its neighbours' coverage (luma 240 and up here);
  // the spike left one at 134.
  assert.ok(darkest > 200, `the pure white pixel ${at} renders at luma ${darkest.toFixed(0)}`);
});

test('a serif too thin for pure pixels keeps its corners on it: 20 px serif text within 1.3 px of its glyphs', () => {
  // The corner check reads coverage against a window's pure inside pixels; a 1.6 px serif slab has none, and
  // its end's corner passed as covered 2.4 px out in white (stray ink 1.77 px). Now its darkest pixel stands in.
  const svg = readFileSync(new URL('../fixtures/wordmark-serif.svg', import.meta.url), 'utf8');
  const w = 250, h = 30, S = 8;
  const truth = inkMask(renderSvg(svg, w * S, h * S));
  const traced = inkMask(renderSvg(traceRgba({ data: renderSvg(svg, w, h), width: w, height: h }, { preset: 'bw' }), w * S, h * S));
  const stray = strayInk(truth, traced, w * S, h * S, 2 * S) / S;
  assert.ok(stray < 1.3, `traced ink ${stray.toFixed(2)} px from the glyphs`);
});

test('bw: the dot of a 16 px serif "i", two pixels past the threshold, is kept', () => {
  // The dot is 1.6 px across (pixels 0.93 and 0.68 covered in its row, the rest under a half); as a speck of
  // two pixels it was dropped and "Quick" read "Quıck".
  const svg = readFileSync(new URL('../fixtures/wordmark-serif.svg', import.meta.url), 'utf8');
  const traced = traceRgba({ data: renderSvg(svg, 200, 24), width: 200, height: 24 }, { preset: 'bw' });
  const inDot = svgPaths(traced).filter((p) => {
    const pts = pathSegments(p.d).flatMap((s) => [[s.x0, s.y0], [s.x1, s.y1]]);
    return pts.every(([x, y]) => x! > 28 && x! < 31.5 && y! > 4.5 && y! < 8.5);
  });
  assert.equal(inDot.length, 1, 'one shape within the "i" dot\'s box (x 28–31.5, y 4.5–8.5)');
});

test('bw: the 16 px serif "1", "2" and "3" are each one shape, their hairlines split between two pixels kept', () => {
  // The "2"'s arc and the "3"'s top are hairlines straddling two rows (a column of 0.25 and 0.50 of the ink):
  // both pixels fell short of the threshold and each digit came in two pieces. Joined, the "1"'s foot (half in
  // each of two rows) made its outline wiggle like grain, and the crisp-edge test failed on the joined pixels.
  const svg = readFileSync(new URL('../fixtures/wordmark-serif.svg', import.meta.url), 'utf8');
  const traced = traceRgba({ data: renderSvg(svg, 200, 24), width: 200, height: 24 }, { preset: 'bw' });
  const boxes = pathBoxes(traced);
  for (const [digit, lo, hi] of [['1', 158, 166.5], ['2', 168, 178], ['3', 179, 188]] as const) {
    const within = boxes.filter(([a, b]) => a > lo && b < hi).length;
    assert.equal(within, 1, `"${digit}": ${within} shapes within x ${lo}–${hi}`);
  }
});

test('bw: at 12 px the serif "i" dot and the comma, pieces under the speckle area, are kept', () => {
  // Their darkest pixels lie 40–60 levels past the threshold, under the 64 that keeps a photo's specks out; in a
  // drawn image (few pixels near the threshold) 32 is enough.
  const svg = readFileSync(new URL('../fixtures/wordmark-serif.svg', import.meta.url), 'utf8');
  const traced = traceRgba({ data: renderSvg(svg, 150, 18), width: 150, height: 18 }, { preset: 'bw' });
  const boxes = pathBoxes(traced);
  const within = (x0: number, x1: number, y0: number, y1: number) => boxes.filter((b) => b[0] > x0 && b[1] < x1 && b[2] > y0 && b[3] < y1).length;
  assert.equal(within(21, 24, 3.5, 7), 1, 'the "i" dot (x 21–24, y 3.5–7)');
  assert.equal(within(103, 107, 11, 15), 1, 'the comma (x 103–107, y 11–15)');
});

test('bw: a 16 px serif "k" is drawn, not grain: traced within 44 % xor of its ink (49 % as grain)', () => {
  // The stem is 1.48 px wide, the arm thinner: 1 px inside a sample, the crisp-edge test read the stroke's far
  // side, so the "k" passed for grain (a photo's edge): smoothed, fitted looser, corners rounded, the stem a
  // bow and the arm's serif cut off.
  const svg = readFileSync(new URL('../fixtures/wordmark-serif.svg', import.meta.url), 'utf8');
  const traced = traceRgba({ data: renderSvg(svg, 200, 24), width: 200, height: 24 }, { preset: 'bw' });
  const S = 8, W = 200 * S, H = 24 * S;
  const truth = inkMask(renderSvg(svg, W, H)), ours = inkMask(renderSvg(traced, W, H));
  let ink = 0, wrong = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 41 * S; x < 51.5 * S; x++) {
      const p = y * W + x;
      if (truth[p]) ink++;
      if (truth[p] !== ours[p]) wrong++;
    }
  }
  assert.ok(wrong < 0.44 * ink, `xor ${(100 * wrong / ink).toFixed(1)} % of the "k"'s ink`);
});

test('bw: a ring closed by a 1 px hairline split between two rows stays a ring, the hairline 1 px wide', () => {
  // The top of the ring (#111 ink, as text) covers rows 9 and 10 by half each: both pixels fall short of the
  // threshold, and the ring was traced open there, a "U" (a 20 px serif "o" had a notch where its counter leaked
  // out). Its middle has no pure ink within reach: measured against itself, it was drawn 1.75 px thick.
  const traced = traceSplitRing('#111');
  const paths = svgPaths(traced);
  assert.equal(paths.length, 1, `${paths.length} shapes`);
  assert.equal(paths[0]!.d.split(/(?=[Mm])/).length, 2, `a ring (outline and hole) expected: ${paths[0]!.d}`);
  assertTopOnePixel(traced, 'hairline');
});

test('bw: the split hairline is joined the same way in an image whose light greys overflow the candidate list', () => {
  // The hairline search reads the pixels the threshold's pass listed in its band, room for an eighth of the
  // image; a flat #b4b4b4 block over 40 % of a 256 px image (in that band, but no photo's shading) overflows the
  // list, and every pixel is read instead: the ring is traced as in the 32 px image, to the same path.
  const W = 256;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${W}"><rect width="100%" height="100%" fill="#fff"/>`
    + '<rect x="0" y="150" width="256" height="106" fill="#b4b4b4"/>'
    + '<path d="M8 9.5H24V24H8Z M11 10.5V21H21V10.5Z" fill="#111" fill-rule="evenodd"/></svg>';
  const traced = traceRgba({ data: renderSvg(svg, W, W), width: W, height: W }, { preset: 'bw' });
  const paths = svgPaths(traced);
  assert.equal(paths.length, 1, `${paths.length} shapes`);
  assert.equal(paths[0]!.d, svgPaths(traceSplitRing('#111'))[0]!.d);
});

test('bw: a black 1 px line split half and half between two rows, one of them ink, is drawn 1 px thick', () => {
  // Black at one half: row 10 reads 127 (ink), row 9 128. Away from the sides no pixel near is pure ink; measured
  // against its own mixed pixels, the line was drawn from 9.25 to 11: 1.38–1.75 px thick.
  assertTopOnePixel(traceSplitRing('#000'), 'line');
});

test('bw: 1 px hairlines at 15°, 30°, 45° and 60° are kept, one shape each, on the line', () => {
  // Thresholded, a hairline is a chain of pixels touching at their corners; as 4-connected specks each was
  // dropped by the speckle filter and the 30° and 45° lines vanished. Ink is 8-connected now (as in Potrace).
  const W = 64, S = 8;
  for (const angle of [15, 30, 45, 60]) {
    const r = (angle * Math.PI) / 180, dx = 26 * Math.cos(r), dy = 26 * Math.sin(r);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${W}"><rect width="100%" height="100%" fill="#fff"/>`
      + `<line x1="${32 - dx}" y1="${32 - dy}" x2="${32 + dx}" y2="${32 + dy}" stroke="#000" stroke-width="1"/></svg>`;
    const traced = traceRgba({ data: renderSvg(svg, W, W), width: W, height: W }, { preset: 'bw' });
    const paths = svgPaths(traced);
    assert.equal(paths.length, 1, `${angle}°: ${paths.length} shapes`);
    assert.equal(paths[0]!.d.split(/(?=[Mm])/).length, 1, `${angle}°: one outline expected: ${paths[0]!.d}`);
    // Drawn along the whole line: at 8×, ink within 1 px of every point of it, and no ink farther than 1 px off it.
    const big = inkMask(renderSvg(traced, W * S, W * S));
    for (let t = -0.95; t <= 0.95; t += 0.05) {
      const cx = (32 + t * dx) * S, cy = (32 + t * dy) * S;
      let near = false;
      for (let y = Math.round(cy - S); y <= cy + S && !near; y++) for (let x = Math.round(cx - S); x <= cx + S && !near; x++) near = big[y * W * S + x] === 1;
      assert.ok(near, `${angle}°: no ink near (${(cx / S).toFixed(1)}, ${(cy / S).toFixed(1)})`);
    }
    const line = inkMask(renderSvg(svg, W * S, W * S));
    assert.ok(strayInk(line, big, W * S, W * S, 2 * S) / S < 1, `${angle}°: ink strays from the line`);
  }
});

test('a small triangle with rounded corners: no corner stands out past the round tip', () => {
  // Corners of radius 1.5 px at 48 px (a nose of the dog emoji at that size). The sides meet 2.6 px beyond
  // the bottom tip; a sharp corner placed there stood 1.1 px out of the shape. Anti-aliasing pulls a truly
  // sharp tip's samples in far less (the same triangle with sharp corners is traced within 0.05 px).
  const tri: Array<[number, number]> = [[14, 20], [34, 20], [24, 34]];
  const body = (r: number) => `<polygon points="${tri.map((p) => p.join(',')).join(' ')}" fill="#000" stroke="#000" stroke-width="${2 * r}" stroke-linejoin="round"/>`;
  const toSide = ([px, py]: [number, number], [ax, ay]: [number, number], [bx, by]: [number, number]) => {
    const dx = bx - ax, dy = by - ay;
    const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(px - ax - t * dx, py - ay - t * dy);
  };
  // The true outline lies r px from the triangle: a traced point misses it by | distance − r |.
  const worst = (r: number) => {
    const svg = trace(48, body(r));
    const s = splineOf(svgPaths(svg)[0]!.d);
    const misses = splinePoints(s, s.length, 60).map((p) => Math.abs(Math.min(...tri.map((a, i) => toSide(p, a, tri[(i + 1) % 3]!))) - r));
    return { miss: Math.max(...misses), svg };
  };
  const round = worst(1.5);
  assert.ok(round.miss < 0.7, `the rounded triangle's outline strays ${round.miss.toFixed(2)} px from the truth: ${round.svg}`);
  const sharp = worst(0.01);
  assert.ok(sharp.miss < 0.1, `the sharp triangle's outline strays ${sharp.miss.toFixed(2)} px from the truth: ${sharp.svg}`);
});

test('colour: a wide shallow dip between two lobes on the frame keeps its round top', () => {
  // An apple-like blob whose two lobes touch the bottom of the frame, with a dip 1/36 of the image high and
  // 10/36 wide between them (as the apple emoji's). The white region under the dip was one cubic whose
  // handles nearly crossed: a pointed top 0.79 px off the true curve at 192 px.
  const size = 192, k = size / 36;
  const body = '<path d="M6 14C6 4 30 4 30 14C30 25 27 36 23 36C20 36 20 35 18 35S16 36 13 36C9 36 6 25 6 14Z" fill="#dd2e44"/>';
  const data = renderSvg(`<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 36 36">${body}</svg>`, size, size);
  const svg = traceRgba({ data, width: size, height: size }, { preset: 'poster', pathPrecision: 3 });
  // The dip's two true cubics, as a Spline (start point, then 6 numbers per cubic).
  const dip = Float64Array.of(23, 36, 20, 36, 20, 35, 18, 35, 16, 35, 16, 36, 13, 36);
  const truth = splinePoints(dip, dip.length, 400);
  let worst = 0, seen = 0;
  for (const [x, y] of outlinePoints(svg, 80)) {
    const X = x / k, Y = y / k;
    if (X < 14 || X > 22 || Y < 34 || Y > 35.97) continue;
    seen++;
    worst = Math.max(worst, k * Math.min(...truth.map(([a, b]) => Math.hypot(a - X, b - Y))));
  }
  assert.ok(seen > 20, `the dip is traced: ${svg}`);
  assert.ok(worst < 0.6, `the dip's outline strays ${worst.toFixed(2)} px from the truth: ${svg}`);
});

test('a 1-px line keeps its square ends and its width', () => {
  const svg = trace(32, '<rect x="8" y="4" width="1" height="20" fill="#000"/>');
  const v = polygonVertices(svg);
  const xs = v.map(([x]) => x), ys = v.map(([, y]) => y);
  assert.ok(Math.abs(Math.min(...xs) - 8) < 0.1 && Math.abs(Math.max(...xs) - 9) < 0.1, `x range ${Math.min(...xs)}..${Math.max(...xs)}`);
  assert.ok(Math.abs(Math.min(...ys) - 4) < 0.1 && Math.abs(Math.max(...ys) - 24) < 0.1, `y range ${Math.min(...ys)}..${Math.max(...ys)}`);
});

test('a 1.5 px bar of a full column and a half-covered one keeps square ends at both ends', () => {
  // The 96 px Papirus "okteta" digits: a grey bar (#a7a7a7) with a half-covered column (#7b7b7b) on a dark
  // card. The region is the full column; each end's tip sample lies exactly 1 px from the far side's line,
  // and float error squared one end off and cut the other's corner diagonally (a tapered "1").
  const w = 24, h = 24;
  const data = new Uint8Array(4 * w * h).fill(255);
  const set = (x: number, y: number, v: number): void => data.set([v, v, v, 255], 4 * (y * w + x));
  for (let y = 1; y < 23; y++) for (let x = 1; x < 23; x++) set(x, y, 0x4f);
  for (const x of [6, 12]) for (let y = 6; y < 16; y++) { set(x, y, 0xa7); set(x + 1, y, 0x7b); }
  const svg = traceRgba({ data, width: w, height: h }, { preset: 'poster', pathPrecision: 3 });
  const subpaths = svgPaths(svg).filter((p) => p.fill === '#a7a7a7').flatMap((p) => p.d.split(/(?=M)/));
  assert.equal(subpaths.length, 2, svg);
  for (const sub of subpaths) {
    const ends = pathSegments(sub).map((s) => [s.x1, s.y1] as const);
    const x = Math.min(...ends.map(([ex]) => ex));
    for (const [cx, cy] of [[x, 6], [x + 1.5, 6], [x + 1.5, 16], [x, 16]]) {
      const d = Math.min(...ends.map(([ex, ey]) => Math.hypot(ex - cx!, ey - cy!)));
      assert.ok(d < 0.3, `corner (${cx}, ${cy}) missed by ${d.toFixed(2)} px: ${sub}`);
    }
  }
});

/**
 * Eight bars (`bar(k)`, SVG rects) beside a solid block, traced in black and white at 48 px: the SVG and its
 * xor against the truth at 16× (a share of the truth's ink).
 */
async function barsBesideBlock(bar: (k: number) => string): Promise<{ svg: string; xor: number }> {
  let body = '<rect x="30" y="6" width="12" height="36" fill="#000"/>';
  for (let k = 0; k < 8; k++) body += bar(k);
  const at = (px: number): string => `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="0 0 48 48">${body}</svg>`;
  const svg = traceRgba({ data: renderSvg(at(48), 48, 48), width: 48, height: 48 }, { preset: 'bw' });
  const xor = xorAtScale(at(48), svg, 48, 48, 16);
  return { svg, xor };
}

test('bw: bars 1.5 px tall, a covered row and a half-covered one, keep straight sides and square ends (48 px)', async () => {
  // Each end's tip sample lies 1 px from the bottom side's line, which its fit put 0.002 px farther: that end
  // was not squared onto it, and one cubic ran from end to end along the bottom: a lens (xor 5.22 % at 16×,
  // with the block; 1.47 % now).
  const { svg, xor } = await barsBesideBlock((k) => `<rect x="${4 + k * 0.125}" y="${4 + 5 * k}" width="${10 + k * 0.25}" height="1.5" fill="#000"/>`);
  assert.ok(xor < 0.025, `xor ${(100 * xor).toFixed(2)} %: ${svg}`);
});

test('bw: pixel-aligned bars 3 px tall keep square ends, not arrow points (48 px document icons\' text lines)', async () => {
  // A hard-edged outline this short measures its turns over 2.2 px: the 3 px end turned 90° there, under the
  // square-end test's 100°, and stayed one knot at its middle (xor 0.83 % at 16× with the block; 0.24 % now).
  const { svg, xor } = await barsBesideBlock((k) => `<rect x="4" y="${4 + 5 * k}" width="${8 + k * 0.125}" height="3" fill="#000"/>`);
  assert.ok(xor < 0.005, `xor ${(100 * xor).toFixed(2)} %: ${svg}`);
});

test('bw: a diagonal gap narrower than a pixel between two dark shapes stays open', () => {
  // Two triangles whose long sides face each other across a 45° gap 0.6 or 0.8 px wide (along an axis),
  // centred on the pixel centres: its pixels are light and touch only at their corners, and the ink's
  // diagonal touches closed it (an Adwaita "-disabled" icon's slash merged into the icon at 48 px).
  for (const g of [0.6, 0.8]) {
    const body = `<path d="M2 2H${30 - g}L2 ${30 - g}z M30 30H${2 + g}L30 ${2 + g}z" fill="#000"/>`;
    const svg = trace(32, body);
    const big = renderSvg(svg, 256, 256);
    let white = 0, n = 0;
    for (let x = 8; x <= 24; x += 0.25, n++) {
      const p = 4 * (Math.round((32 - x) * 8) * 256 + Math.round(x * 8));
      if (big[p]! > 128) white++;
    }
    assert.ok(white / n > 0.9, `gap ${g}: ${(100 * white / n).toFixed(0)} % of its centre line white: ${svg}`);
  }
});

test('bw: a straight side running into a short curve before a convex corner stays straight', () => {
  // A phone (Adwaita's "pda" at 48 px): a rounded body whose screen is a rounded hole, its top-right corner cut
  // by a white band. The screen's top edge runs straight, then down its round corner for a pixel or two, to the
  // band's edge: a convex corner of the body's top piece. The side's line went up to that corner in one cubic
  // with the curve, and the top edge sagged 0.375 px.
  for (const b of [42.5, 43]) {
    const body = '<path fill-rule="evenodd" d="M12 0h24a6 6 0 0 1 6 6v36a6 6 0 0 1-6 6H12a6 6 0 0 1-6-6V6a6 6 0 0 1 6-6z'
      + ' M15 6h18a3 3 0 0 1 3 3v24a3 3 0 0 1-3 3H15a3 3 0 0 1-3-3V9a3 3 0 0 1 3-3z" fill="#000"/>'
      + `<path d="M${b - 12} 12 L${b} 0 L${b + 2.5} 0 L${b - 9.5} 12z" fill="#fff"/>`;
    const svg = trace(48, body);
    const S = 8, big = renderSvg(svg, 48 * S, 48 * S);
    let worst = 0;
    for (let x = 15; x <= 33; x += 0.25) {
      const col = Math.round(x * S);
      let y = 4 * S;
      while (y < 9 * S && big[4 * (y * 48 * S + col)]! < 128) y++;
      worst = Math.max(worst, Math.abs(y / S - 6));
    }
    assert.ok(worst < 0.2, `band at ${b}: the screen's top edge strays ${worst} px from y = 6: ${svg}`);
  }
});

test('colour: a red disc on blue traces to arcs on the true circle, both at the same place', () => {
  const svg = trace(80, '<rect width="80" height="80" fill="#2040c0"/><circle cx="40" cy="40" r="22.5" fill="#e02020"/>', { preset: 'poster', optimize: 0 });
  const disc = svgPaths(svg).find((p) => p.fill === '#e02020');
  assert.ok(disc, `no red path: ${svg}`);
  const arcs = parsePathData(disc.d).filter((c) => c.letter === 'A');
  assert.equal(arcs.length, 2, `the disc as two arcs: ${disc.d}`);
  for (const a of arcs) assert.ok(Math.abs(a.args[0]! - 22.5) < 0.225, `radius ${a.args[0]} vs 22.5`);
});

/** The render thresholded at one half: a hard-edged image, as a 1-bit scan or a thresholded logo. */
function traceAliased(size: number, body: string): string {
  const data = renderSvg(svgOf(size, body), size, size);
  for (let p = 0; p < data.length; p += 4) data[p] = data[p + 1] = data[p + 2] = data[p]! < 128 ? 0 : 255;
  return traceRgba({ data, width: size, height: size }, { preset: 'bw', pathPrecision: 3 });
}

test('aliased input: a 15° bar with hard staircase edges still traces to four straight edges, the long ones parallel', () => {
  const svg = traceAliased(96, '<rect x="12" y="42" width="72" height="9" transform="rotate(15 48 46.5)" fill="#000"/>');
  const corners = polygonVertices(svg);
  assert.equal(corners.length, 4, `four corners expected: ${svg}`);
  const dirs = corners.map((p, i) => {
    const q = corners[(i + 1) % 4]!;
    return { len: Math.hypot(q[0] - p[0], q[1] - p[1]), dir: ((Math.atan2(q[1] - p[1], q[0] - p[0]) * 180 / Math.PI % 180) + 180) % 180 };
  }).filter((e) => e.len > 40);
  assert.equal(dirs.length, 2);
  for (const e of dirs) assert.ok(Math.abs(e.dir - 15) < 1, `long edge at ${e.dir.toFixed(2)}°, truth 15°`);
  assert.ok(Math.abs(dirs[0]!.dir - dirs[1]!.dir) < 0.5, `long edges not parallel: ${dirs.map((e) => e.dir).join(', ')}`);
});

test('aliased input: a circle traces smooth and round, not along the staircase', () => {
  const svg = traceAliased(96, '<circle cx="48.3" cy="47.6" r="30.2" fill="#000"/>');
  const segments = pathSegments(svgPaths(svg)[0]!.d);
  // The staircase of a 30 px circle has about 170 unit steps; a smooth trace needs a handful of curves.
  assert.ok(segments.length <= 16, `${segments.length} segments`);
  // The hard edge only says where the circle is within half a pixel (plus the rasterizer's own rounding).
  for (const s of segments) {
    const off = Math.abs(Math.hypot(s.x1 - 48.3, s.y1 - 47.6) - 30.2);
    assert.ok(off < 0.75, `segment end (${s.x1}, ${s.y1}) ${off.toFixed(2)} px off the circle`);
  }
});

/** Length of a segment's chord. */
const chord = (s: { x0: number; y0: number; x1: number; y1: number }) => Math.hypot(s.x1 - s.x0, s.y1 - s.y0);

test('a rounded rectangle traces to four straight sides on the true edges, joined by curves', () => {
  // Sides at x = 9.3 and 86.3, y = 10.6 and 66.6; corners of radius 13.
  const svg = trace(96, '<rect x="9.3" y="10.6" width="77" height="56" rx="13" fill="#000"/>');
  const segments = pathSegments(svgPaths(svg)[0]!.d);
  const lines = segments.filter((s) => s.kind === 'line' && chord(s) > 5);
  const curves = segments.filter((s) => s.kind !== 'line');
  assert.equal(lines.length, 4, `four straight sides expected: ${svg}`);
  assert.ok(curves.length >= 4 && curves.length <= 8, `one or two curves per corner expected, got ${curves.length}: ${svg}`);
  for (const l of lines) {
    const vertical = Math.abs(l.x1 - l.x0) < Math.abs(l.y1 - l.y0);
    const offs = vertical
      ? [l.x0, l.x1].map((x) => Math.min(Math.abs(x - 9.3), Math.abs(x - 86.3)))
      : [l.y0, l.y1].map((y) => Math.min(Math.abs(y - 10.6), Math.abs(y - 66.6)));
    assert.ok(offs.every((d) => d < 0.1), `side off its true edge by ${offs.map((d) => d.toFixed(3)).join(', ')} px: ${svg}`);
    // The side covers most of its straight part (77 − 26 = 51 px across, 56 − 26 = 30 px down).
    assert.ok(chord(l) > (vertical ? 22 : 40), `side only ${chord(l).toFixed(1)} px long: ${svg}`);
  }
});

test('a gentle arc is not cut into lines: a half disc has one straight side, its diameter', () => {
  const svg = trace(96, '<path d="M8 60 A40 40 0 0 1 88 60 Z" fill="#000"/>');
  const segments = pathSegments(svgPaths(svg)[0]!.d);
  const lines = segments.filter((s) => s.kind === 'line' && chord(s) > 2);
  assert.equal(lines.length, 1, `only the diameter should be straight: ${svg}`);
  assert.ok(Math.abs(lines[0]!.y0 - 60) < 0.1 && Math.abs(lines[0]!.y1 - 60) < 0.1, `diameter at y ${lines[0]!.y0}, ${lines[0]!.y1}: ${svg}`);
});

test('a shape leaving the image at a grazing angle keeps its edge in the row along the frame', () => {
  // A disc of radius 60 whose top touches the frame at x = 48: along the top row its edge crosses pixels
  // whose neighbour further out is off the image (their reference colour is taken along the frame).
  const svg = trace(96, '<circle cx="48" cy="60.4" r="60" fill="#000"/>');
  const s = splineOf(svgPaths(svg)[0]!.d);
  // Points of the outline in the two rows under the frame, away from the frame itself.
  const near = splinePoints(s, s.length, 400).filter(([, y]) => y > 0.05 && y < 2);
  assert.ok(near.length > 20, `the outline runs along the top rows: ${svg}`);
  const miss = Math.max(...near.map(([x, y]) => Math.abs(Math.hypot(x - 48, y - 60.4) - 60)));
  assert.ok(miss < 0.2, `off the true circle by up to ${miss.toFixed(3)} px near the frame: ${svg}`);
});

test('bw: two lobes touching the frame keep their round bottoms: no flat foot along the frame', () => {
  // The apple-like blob of the colour test above, in black: each lobe touches the frame at one point, but
  // the bottom row of pixels is more than half covered under it for several pixels, and traced from the
  // pixels alone the outline ran along the frame there (0.30 px off the true lobe at 96 px, 0.40 at 48).
  // The coverage of those pixels says how far above the frame the edge passes.
  for (const size of [48, 96]) {
    const k = size / 36;
    const body = '<path d="M6 14C6 4 30 4 30 14C30 25 27 36 23 36C20 36 20 35 18 35S16 36 13 36C9 36 6 25 6 14Z" fill="#000"/>';
    const data = renderSvg(`<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 36 36">${body}</svg>`, size, size);
    const svg = traceRgba({ data, width: size, height: size }, { preset: 'bw', pathPrecision: 3 });
    // The bottom of the true outline: right lobe, dip, left lobe (a Spline).
    const bottom = Float64Array.of(30, 14, 30, 25, 27, 36, 23, 36, 20, 36, 20, 35, 18, 35, 16, 35, 16, 36, 13, 36, 9, 36, 6, 25, 6, 14);
    const truth = splinePoints(bottom, bottom.length, 2000);
    let worst = 0, seen = 0;
    for (const [x, y] of outlinePoints(svg, 400)) {
      const X = x / k, Y = y / k;
      if (Y < 33 || Y > 35.99) continue;
      seen++;
      worst = Math.max(worst, k * Math.min(...truth.map(([a, b]) => Math.hypot(a - X, b - Y))));
    }
    assert.ok(seen > 20, `${size} px: the bottom is traced: ${svg}`);
    assert.ok(worst < 0.2, `${size} px: the bottom strays ${worst.toFixed(2)} px from the truth: ${svg}`);
  }
});

test('bw: a bar cut by the frame keeps its sides straight to the frame, cut sharp where they meet it', () => {
  // A bar 10 px wide crossing the bottom of the frame at 20° to 75°: where each side meets the frame the
  // outline has a corner however small its turn (the frame cut the shape). Rounded there, it strayed up to
  // 0.8 px from the side's line; pixels near the frame are measured, against the nearer side's line.
  const size = 64, hw = 5;
  for (const deg of [20, 30, 45, 60, 75]) {
    for (const shift of [0, 0.25, 0.5]) {
      const a = (deg * Math.PI) / 180, ux = Math.cos(a), uy = -Math.sin(a), nx = -uy, ny = ux;
      const cx = 32 + shift, cy = 64;
      const corner = (s: number, t: number) => `${(cx + s * ux + t * nx).toFixed(4)} ${(cy + s * uy + t * ny).toFixed(4)}`;
      const svg = trace(size, `<path d="M${corner(-30, -hw)}L${corner(60, -hw)} ${corner(60, hw)} ${corner(-30, hw)}Z" fill="#000"/>`);
      const s = splineOf(svgPaths(svg)[0]!.d);
      let worst = 0;
      for (const [x, y] of splinePoints(s, s.length, 600)) {
        if (y < 58 || y > 63.98 || x < 1 || x > 63) continue;
        worst = Math.max(worst, Math.abs(Math.abs((x - cx) * nx + (y - cy) * ny) - hw));
      }
      assert.ok(worst < 0.25, `${deg}° (+${shift} px): ${worst.toFixed(2)} px off the sides near the frame: ${svg}`);
    }
  }
});

test('the 48 px dog emoji\'s six freckles (dots under 4 px) are all drawn as ellipses', () => {
  // The two larger ones' few samples scatter by about 0.3 px: one was 0.315 px from its ellipse, fitted as a
  // shape and drawn square, beside its round twin at 0.284. The four smaller ones (about 1.5 px) have no pure
  // pixel: they were merged away until blend keying, then drawn as diamonds until momentEllipse.
  const c = selectCases(['emoji-1f436'])[0]!;
  const svg = traceRgba(rasterAt(c, 48), { preset: 'poster', optimize: 0 });
  const dots: string[] = [];
  for (const path of svgPaths(svg)) {
    for (const sub of path.d.split(/(?=M)/)) {
      const xs: number[] = [], ys: number[] = [];
      // Absolute commands at optimize 0: the end points of M, C and A are the last two numbers of each group.
      for (const m of sub.matchAll(/([MCLA])([^MCLAZ]*)/g)) {
        const v = (m[2]!.match(/-?\d*\.?\d+/g) ?? []).map(Number);
        xs.push(v[v.length - 2]!); ys.push(v[v.length - 1]!);
      }
      // Small (at most 4 px across) and below the eyes.
      if (xs.length === 0 || Math.max(...xs) - Math.min(...xs) > 4 || Math.max(...ys) - Math.min(...ys) > 4 || Math.min(...ys) < 30) continue;
      dots.push(sub);
    }
  }
  assert.equal(dots.length, 6, `six freckles expected below the eyes: ${dots.join(' | ')}`);
  for (const d of dots) {
    assert.match(d, /^M[^C]*A[^C]*A[^C]*Z$/, `a freckle drawn as a shape, not an ellipse: ${d}`);
    // Round as the true ones, from their ink (the small ones' two keyed pixels alone gave 2:1 ellipses).
    const [rx, ry] = /A\s*([\d.]+)[ ,]([\d.]+)/.exec(d)!.slice(1).map(Number) as [number, number];
    assert.ok(Math.max(rx, ry) / Math.min(rx, ry) < 1.5, `a freckle drawn long: ${d}`);
  }
});

test('colour: the rainbow\'s outer band, tangent to the frame, stays on its circle down to the frame', () => {
  // The frame pixels under the band's end mix the band's red and the white beyond it; they went to the red
  // layer, whose outline then ran along the frame and kinked where it left it (0.58 px off at 96 px). They
  // now go to the white layer (frame-slivers.ts), and both outlines meet inside them where coverage says.
  const c = selectCases(['emoji-1f308'])[0]!;
  for (const size of [96, 192]) {
    const k = size / 96;
    const svg = traceRgba(rasterAt(c, size), { preset: 'poster', pathPrecision: 3 });
    let worst = 0, seen = 0;
    for (const [x, y] of outlinePoints(svg, 1500)) {
      // Points near the band's outer circle (centre (96, 96), radius 96 in 96 px units), by the left frame.
      const X = x / k, Y = y / k;
      if (X < 0.05 || X > 8 || Y < 60 || Y > 95.5) continue;
      const d = Math.abs(Math.hypot(X - 96, Y - 96) - 96);
      if (d > 3) continue;
      seen++;
      worst = Math.max(worst, d * k);
    }
    assert.ok(seen > 50, `${size} px: the band's outer edge is traced: ${svg}`);
    assert.ok(worst < 0.2, `${size} px: the band's outer edge strays ${worst.toFixed(2)} px from its circle by the frame`);
  }
});

test("a 15° bar's corners sit on the true ones, so its long edges lie on the true edges", () => {
  // The bench:shapes bar at 96 px. Corners are fitted from the sides farther than anti-aliasing reaches
  // (outline.ts farSides): lines fitted within a pixel or two of a corner lean inwards, and they tilted the
  // long edges by up to 0.2 px at their ends.
  const svg = trace(96, '<g transform="scale(0.96)"><rect x="10" y="46" width="80" height="8" transform="rotate(-15 50 50)" fill="#000"/></g>');
  const c = Math.cos(-Math.PI / 12), s = Math.sin(-Math.PI / 12);
  const truth = [[10, 46], [90, 46], [90, 54], [10, 54]].map(([x, y]) => [0.96 * (50 + (x! - 50) * c - (y! - 50) * s), 0.96 * (50 + (x! - 50) * s + (y! - 50) * c)]);
  const v = polygonVertices(svg);
  const misses = truth.map(([tx, ty]) => Math.min(...v.map(([x, y]) => Math.hypot(x - tx!, y - ty!))));
  assert.ok(misses.every((d) => d < 0.1), `corners missed by ${misses.map((d) => d.toFixed(3)).join(', ')} px: ${svg}`);
});

test('colour: a star on a dark square keeps each edge one straight segment, tip to inner corner', () => {
  // bench:shapes' c-star at 96 px. The run leaving an acute tip counted the tip's own turning towards its
  // first cut, and cut 2 px down the edge at a sample anti-aliasing pulls off it: a kink below the tip.
  const points = '50,11 59.43,40.021 89.944,40.021 65.257,57.957 74.687,86.979 50,69.043 25.313,86.979 34.743,57.957 10.056,40.021 40.57,40.021';
  const svg = trace(96, `<g transform="scale(0.96)"><rect x="4" y="4" width="92" height="92" fill="#292F33"/><polygon fill="#FFAC33" points="${points}"/></g>`, { preset: 'poster' });
  const star = svgPaths(svg).find((p) => p.fill?.toLowerCase() === '#ffac33');
  assert.ok(star, `the star's path: ${svg}`);
  const segments = pathSegments(star.d).filter((s) => chord(s) > 0.01);
  assert.equal(segments.length, 10, `ten edges expected: ${star.d}`);
  assert.ok(segments.every((s) => s.kind === 'line'), `straight edges expected: ${star.d}`);
});

test('small white dots on a colour keep their white (a 48 px chat icon\'s three 5 px dots)', () => {
  // Their cores span several stage-1 clusters, so few pixels are interior to one; the mean of all their pixels
  // took in the anti-aliased rim and came out lavender (232, 220, 252).
  const body = '<path d="M8 8h32a4 4 0 0 1 4 4v20a4 4 0 0 1-4 4H18l-10 8v-8a4 4 0 0 1-4-4V12a4 4 0 0 1 4-4z" fill="#7c3aed"/>'
    + [16, 24, 32].map((cx) => `<circle cx="${cx}" cy="22" r="2.6" fill="#fff"/>`).join('');
  const svg = trace(48, body, { preset: 'poster' });
  const fills = svgPaths(svg).map((p) => p.fill!.toLowerCase());
  // The page, the bubble and one layer per dot: nothing but the two colours drawn.
  assert.equal(fills.length, 5, `paths: ${fills.join(', ')}`);
  for (const f of fills) assert.ok(f === '#ffffff' || f === '#7c3aed', `a layer filled ${f}: ${fills.join(', ')}`);
});

test('colour: a rounded tile with a faint band along its top keeps its top side straight, no bulge', () => {
  // Top corners of radius 16.5 px, a 1.5 px band of 10 % white inside the top edge (an app icon's bevel). Its
  // top side was found as two straight stretches, with one knot between the two round corners; both moved it,
  // and the first corner's arc ended at the second's: one cubic over the whole top side, 28 px out (Papirus).
  const W = 96, S = 4;
  const tile = 'M22.5 6C13.1 6 6 13.1 6 22.5V85.5C6 87.8 8.2 90 10.5 90H85.5C87.8 90 90 87.8 90 85.5V22.5C90 13.1 82.9 6 73.5 6Z';
  const band = 'M22.5 6C13.1 6 6 13.1 6 22.5V24C6 14.6 13.1 7.5 22.5 7.5H73.5C82.9 7.5 90 14.6 90 24V22.5C90 13.1 82.9 6 73.5 6Z';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${W}"><rect width="100%" height="100%" fill="#fff"/>`
    + `<path d="${tile}" fill="#4f4f4f"/><path d="${band}" fill="#fff" fill-opacity="0.1"/></svg>`;
  const traced = traceRgba({ data: renderSvg(svg, W, W), width: W, height: W }, { preset: 'poster' });
  const stray = strayInk(inkMask(renderSvg(svg, W * S, W * S)), inkMask(renderSvg(traced, W * S, W * S)), W * S, W * S, 8 * S) / S;
  assert.ok(stray < 0.75, `traced ink ${stray.toFixed(2)} px out of the tile`);
});

test('colour: thin white bars on a flat colour stay (a 48 px chat icon\'s 2 px lines)', () => {
  // Each bar is 2 px tall, every pixel on its perimeter: thread-like, as the fringe between two colours is,
  // and it was merged into the green round it. A fringe lies between two regions; these bars have one.
  const W = 48;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${W}"><rect width="100%" height="100%" fill="#57c93f"/>`
    + [14, 22, 30].map((y) => `<rect x="10" y="${y}" width="28" height="2" fill="#fff"/>`).join('') + '</svg>';
  const traced = traceRgba({ data: renderSvg(svg, W, W), width: W, height: W }, { preset: 'poster' });
  const out = renderSvg(traced, W, W);
  for (const y of [14, 22, 30]) {
    for (const x of [12, 24, 36]) {
      const p = 4 * ((y + 1) * W + x);
      assert.ok(out[p]! > 230 && out[p + 1]! > 230 && out[p + 2]! > 230, `bar at y ${y}: pixel (${x}, ${y + 1}) is rgb(${out[p]}, ${out[p + 1]}, ${out[p + 2]})`);
    }
  }
});

test('colour: the same tile with corners of radius 13 px: its top side is one straight segment on the true edge', () => {
  // Here the top side's first samples, still in the corner's last turn, tilted the line it was grown along, so
  // the side was found as two stretches and no knot began it: the corner and the side shared cubics that
  // bulged 2.75 px. The stretch may now start up to 2 px later when it then runs on.
  const W = 96, S = 4, r = 13, y = 6.5;
  const tile = `M${6 + r} ${y}H${90 - r}A${r} ${r} 0 0 1 90 ${y + r}V90H6V${y + r}A${r} ${r} 0 0 1 ${6 + r} ${y}Z`;
  const band = `M${6 + r} ${y}H${90 - r}A${r} ${r} 0 0 1 90 ${y + r}V${y + r + 1.5}A${r} ${r} 0 0 0 ${90 - r} ${y + 1.5}`
    + `H${6 + r}A${r} ${r} 0 0 0 6 ${y + r + 1.5}V${y + r}A${r} ${r} 0 0 1 ${6 + r} ${y}Z`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${W}"><rect width="100%" height="100%" fill="#fff"/>`
    + `<path d="${tile}" fill="#4f4f4f"/><path d="${band}" fill="#fff" fill-opacity="0.1"/></svg>`;
  const traced = traceRgba({ data: renderSvg(svg, W, W), width: W, height: W }, { preset: 'poster', optimize: 0, pathPrecision: 3 });
  const stray = strayInk(inkMask(renderSvg(svg, W * S, W * S)), inkMask(renderSvg(traced, W * S, W * S)), W * S, W * S, 8 * S) / S;
  assert.ok(stray < 0.75, `traced ink ${stray.toFixed(2)} px out of the tile`);
  const top = svgPaths(traced).flatMap((p) => pathSegments(p.d)).filter((s) => Math.max(s.y0, s.y1) < y + 1 && Math.min(s.y0, s.y1) > 2);
  assert.ok(top.some((s) => Math.abs(s.x1 - s.x0) > 50 && Math.abs(s.y0 - y) < 0.25 && Math.abs(s.y1 - y) < 0.25),
    `no straight top side on y = ${y}: ${top.map((s) => `(${s.x0.toFixed(1)}, ${s.y0.toFixed(1)})–(${s.x1.toFixed(1)}, ${s.y1.toFixed(1)})`).join(' ')}`);
});

test('aliased input: pixel-aligned bars 2 to 5 px wide keep square ends and sharp inner corners, in bw and in colour', () => {
  // A cross of two bars, hard-edged (a 1-bit icon, pixel art), and a lone bar. Round tips are not looked for
  // on hard edges, so each end's two corners, within one corner scale, were one sharp knot: a 3 px bar's ends
  // came out as arrow points 1.5 px long. A stroke's square end is now told there (capTip), even 2 px wide
  // (its sides were measured from the end itself, tilted, and found too close); a 4 px end's second corner,
  // exactly one scale from the first, no longer loses the tie to it; the corners beside a square end are
  // placed again once it is found (the 2 px cross's inner corner stood 0.26 px off); and a bar whose outline
  // starts half a pixel past a corner keeps both corners (they lost the tie to sample 0).
  const W = 48;
  for (const w of [2, 3, 4, 5]) {
    for (const [bg, ink, preset] of [['#fff', '#000', 'bw'], ['#dcdcbe', '#8b9391', 'poster']] as const) {
      const h = w === 2 ? 3 : w, H = 44 + h + 2;
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="${bg}"/>`
        + `<rect x="10" y="20" width="28" height="${w}" fill="${ink}"/><rect x="20" y="6" width="${w}" height="36" fill="${ink}"/>`
        + `<rect x="5" y="44" width="38" height="${h}" fill="${ink}"/></svg>`;
      const traced = traceRgba({ data: renderSvg(svg, W, H), width: W, height: H }, { preset, pathPrecision: 3 });
      const ends = svgPaths(traced).flatMap((p) => pathSegments(p.d)).map((s) => [s.x1, s.y1]);
      const corners = [[38, 20], [38, 20 + w], [10, 20], [10, 20 + w], [20, 6], [20 + w, 6], [20, 42], [20 + w, 42],
        [20, 20], [20 + w, 20], [20, 20 + w], [20 + w, 20 + w], [5, 44], [43, 44], [5, 44 + h], [43, 44 + h]];
      for (const [x, y] of corners) {
        const near = Math.min(...ends.map(([ex, ey]) => Math.hypot(ex! - x, ey! - y)));
        assert.ok(near < 0.05, `${w} px, ${preset}: no vertex at the corner (${x}, ${y}) (nearest ${near.toFixed(2)} px)`);
      }
    }
  }
});

test('a small X of two 3 px bars at 45° keeps its square ends, alone and inside a grid cell', () => {
  // The 96 px Papirus "bovo" X (arms 7.5 px from the centre). Two of its four ends came out round with a dent:
  // at one, the corner finder kept one of the end's two corners and capTip measured both sides from the same
  // start (one side needed to start past the end, and then none of the short arm was left); at another, the
  // cap was not clearly round nor square and cutTip took a flat of it for a terminal (a hooked arm). Each side
  // now starts where it is straight, a square end is taken unless the cap is clearly round, and ...
  const W = 48;
  for (const o of [0, 0.1, 0.3]) {
    const c = 24 + o;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${W}"><rect width="100%" height="100%" fill="#dcdcbe"/>`
      + `<g fill="#e74c3c" transform="translate(${c} ${c}) rotate(45)"><rect x="-7.5" y="-1.5" width="15" height="3"/><rect x="-1.5" y="-7.5" width="3" height="15"/></g></svg>`;
    const traced = traceRgba({ data: renderSvg(svg, W, W), width: W, height: W }, { preset: 'poster', pathPrecision: 3 });
    const ends = svgPaths(traced).filter((p) => p.fill === '#e74c3c').flatMap((p) => pathSegments(p.d)).map((s) => [s.x1, s.y1]);
    const k = Math.SQRT1_2;
    const corners: number[][] = [[c + 2.121, c], [c - 2.121, c], [c, c + 2.121], [c, c - 2.121]];
    for (const [ux, uy] of [[k, k], [k, -k], [-k, k], [-k, -k]] as const) {
      for (const side of [1, -1]) corners.push([c + 7.5 * ux - side * 1.5 * uy, c + 7.5 * uy + side * 1.5 * ux]);
    }
    for (const [x, y] of corners) {
      const near = Math.min(...ends.map(([ex, ey]) => Math.hypot(ex! - x!, ey! - y!)));
      assert.ok(near < 0.3, `offset ${o}: no vertex at the corner (${x!.toFixed(2)}, ${y!.toFixed(2)}) (nearest ${near.toFixed(2)} px)`);
    }
  }
  // ... the grid cell round the X, painted over it with the X as its hole, gets square ends too: that hole's
  // outline goes round each end the other way (the stroke outside it), and only its square end is told.
  const S = 8, grid = 'm 26,14 0,12 -12,0 0,2 12,0 0,8 -12,0 0,2 12,0 0,12 2,0 0,-12 8,0 0,12 2,0 0,-12 12,0 0,-2 -12,0 0,-8 12,0 0,-2 -12,0 0,-12 -2,0 0,12 -8,0 0,-12 -2,0 z m 2,14 8,0 0,8 -8,0 0,-8 z';
  const x = 'M 34.122,28.464 32,30.586 29.878,28.464 28.464,29.878 30.586,32 28.464,34.122 29.878,35.536 32,33.414 34.122,35.536 35.536,34.122 33.414,32 35.536,29.878 34.122,28.464 Z';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><rect width="100%" height="100%" fill="#dcdcbe"/>`
    + `<g transform="scale(1.5)"><path fill="#889190" d="${grid}"/><path fill="#e74c3c" d="${x}"/></g></svg>`;
  const traced = traceRgba({ data: renderSvg(svg, 96, 96), width: 96, height: 96 }, { preset: 'poster' });
  const truth = renderSvg(svg, 96 * S, 96 * S), ours = renderSvg(traced, 96 * S, 96 * S);
  let ink = 0, wrong = 0;
  for (let p = 0; p < truth.length; p += 4) {
    const a = truth[p]! > 150 && truth[p + 1]! < 120, b = ours[p]! > 150 && ours[p + 1]! < 120;
    if (a) ink++;
    if (a !== b) wrong++;
  }
  assert.ok(wrong / ink < 0.04, `the X in the cell: ${(100 * wrong / ink).toFixed(2)} % of its red differs from the truth's at 8×`);
});

test('thin light rings on a dark card (1 px digits "0") stay, each as its own ring', () => {
  // The 96 px Papirus "clawsker" card: 1 px light grey digits on dark grey (here #909090, which blend keying
  // leaves alone: a ridge). A "0" is a thin ring: thread-like,
  // as the anti-aliased fringe between two colours is, and with two neighbours (the card outside, its hole
  // inside), so no island: it merged away. Its neighbours are one colour, as no fringe's are.
  const W = 40, H = 24;
  const ring = (x: number) => `<path d="M${x} 6h7v12h-7z M${x + 1} 7v10h5v-10z" fill="#909090" fill-rule="evenodd"/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="#fff"/>`
    + `<rect x="2" y="2" width="36" height="20" fill="#4f4f4f"/>${ring(6)}${ring(16)}<rect x="28" y="6" width="1" height="12" fill="#909090"/></svg>`;
  const traced = traceRgba({ data: renderSvg(svg, W, H), width: W, height: H }, { preset: 'poster' });
  const out = renderSvg(traced, W, H);
  for (const x0 of [6, 16]) {
    for (const [x, y] of [[x0, 10], [x0 + 6, 12], [x0 + 3, 6], [x0 + 3, 17]] as const) {
      const v = out[4 * (y * W + x)]!;
      assert.ok(v > 0x78, `ring at x = ${x0}: pixel (${x}, ${y}) is ${v.toString(16)}, not light grey`);
    }
    assert.ok(out[4 * (12 * W + x0 + 3)]! < 0x60, `ring at x = ${x0}: its hole is not the card's`);
  }
});

test('small features: a thin keyed diagonal stroke, and a dot on the border of two like colours, stay', () => {
  // The 48 px Papirus "java" icon: its steam, white strokes under a pixel wide on red with a dark red shadow.
  // Keyed, a stroke is a diagonal chain of white pixels: a small feature (below the speckle area) that filled a
  // tenth of its box, under the quarter asked, and had two neighbours, red and its shadow: both merged it away.
  // A keyed piece now needs no fill (flat art has no broken highlights), and the neighbours of a small feature
  // need only be one colour beside how far it stands out from them (their span, a quarter of its distance).
  const w = 32, h = 32;
  const red = [0xe7, 0x4c, 0x3c];
  const mix = (a: number) => [...red.map((c) => Math.round((1 - a) * c + a * 255)), 255];
  const data = new Uint8Array(4 * w * h);
  for (let p = 0; p < w * h; p++) data.set([...red, 255], 4 * p);
  for (let y = 24; y < 30; y++) for (let x = 24; x < 30; x++) data.set([255, 255, 255, 255], 4 * (y * w + x));
  for (let i = 0; i < 10; i++) { data.set(mix(0.7), 4 * ((5 + i) * w + 5 + i)); data.set(mix(0.35), 4 * ((6 + i) * w + 5 + i)); }
  const stroke = renderSvg(traceRgba({ data, width: w, height: h }, { preset: 'poster' }), w, h);
  let light = 0;
  for (let i = 0; i < 10; i++) if (stroke[4 * ((5 + i) * w + 5 + i) + 1]! > 0x90) light++;
  assert.ok(light >= 7, `the diagonal stroke: ${light} of its 10 pixels light`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><rect width="100%" height="100%" fill="#e74c3c"/>`
    + `<rect x="16" width="16" height="32" fill="#c43c2c"/><circle cx="16" cy="12" r="1.6" fill="#fff"/></svg>`;
  const dot = renderSvg(traceRgba({ data: renderSvg(svg, 32, 32), width: 32, height: 32 }, { preset: 'poster' }), 32, 32);
  assert.ok(dot[4 * (12 * 32 + 16) + 1]! > 0xc0 && dot[4 * (12 * 32 + 15) + 1]! > 0xc0, 'the white dot on the border');
});

test('a small white tip at the end of a dark bar on grey stays (a 48 px scalpel\'s blade)', () => {
  // The 48 px Papirus "Chirurgien" icon: white blade tips, 15 px or so, between a grey ground and a dark
  // handle. Two neighbours of two colours: no island, and merged away as a fringe would be. A fringe's mixes lie
  // between its two colours; the tip is lighter than both, by far: it stands alone.
  const W = 48, S = 8;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${W}"><rect width="100%" height="100%" fill="#78909c"/>`
    + `<g transform="rotate(-30 24 24)"><rect x="4" y="22.5" width="26" height="3" fill="#485861"/>`
    + `<path d="M30 22.4 L35.5 23 L37 24 L35.5 25 L30 25.6z" fill="#fff"/></g></svg>`;
  const traced = traceRgba({ data: renderSvg(svg, W, W), width: W, height: W }, { preset: 'poster' });
  const truth = renderSvg(svg, W * S, W * S), ours = renderSvg(traced, W * S, W * S);
  let ink = 0, kept = 0;
  for (let p = 0; p < truth.length; p += 4) if (truth[p]! > 200) { ink++; if (ours[p]! > 160) kept++; }
  assert.ok(kept / ink > 0.8, `${(100 * kept / ink).toFixed(1)} % of the white tip traced white`);
});

test('bw: a bar with small round corners cut by the frame keeps its long sides straight up to the frame', () => {
  // A 9 px bar from the left edge with corners of 1.5 px: the exit knot on the frame lies off the side's line
  // (the corner bends towards it), and no knot ended the straight side before it: one cubic spanned the side
  // and the corner, and tapered the bar over its whole length (0.3 px of sag 3 px from the frame).
  const svg = trace(48, '<rect x="0" y="18" width="30" height="9" rx="1.5" fill="#000"/>');
  let worst = 0;
  for (const [x, y] of outlinePoints(svg, 200)) {
    if (x < 2.5 || x > 28) continue;
    worst = Math.max(worst, Math.min(Math.abs(y - 18), Math.abs(y - 27)));
  }
  assert.ok(worst < 0.1, `a long side ${worst.toFixed(2)} px off its true line: ${svg}`);
});

test('bw: the free end of a 6 px bar with 1.5 px corners, cut by the frame at its other end, has both corners alike', () => {
  // The top bar of Adwaita's 48 px "view-sort" icon. Its end's bottom corner passed for a round tip of 2.3 px
  // through half the end: the short side before it was read across the top corner's samples, tilted 14°.
  // Mirrored about the bar's middle, the outline lands on itself.
  const svg = trace(48, '<rect x="0" y="18" width="30" height="6" rx="1.5" fill="#000"/>');
  const points = [...outlinePoints(svg, 100)];
  let worst = 0;
  for (const [x, y] of points) {
    if (x < 24) continue;
    let nearest = Infinity;
    for (const [u, v] of points) nearest = Math.min(nearest, Math.hypot(u - x, v - (42 - y)));
    worst = Math.max(worst, nearest);
  }
  assert.ok(worst < 0.15, `the end ${worst.toFixed(2)} px off its mirror image: ${svg}`);
});

/** Distance (px) from (x, y) to the outline of the rounded rectangle (x0, y0, w, h, r) turned `deg` about (cx, cy). */
function roundedRectDistance(x: number, y: number, box: { x: number; y: number; w: number; h: number; r: number; deg: number; cx: number; cy: number }): number {
  const a = (-box.deg * Math.PI) / 180, dx = x - box.cx, dy = y - box.cy;
  const u = box.cx + dx * Math.cos(a) - dy * Math.sin(a) - (box.x + box.w / 2), v = box.cy + dx * Math.sin(a) + dy * Math.cos(a) - (box.y + box.h / 2);
  const qx = Math.abs(u) - box.w / 2 + box.r, qy = Math.abs(v) - box.h / 2 + box.r;
  return Math.abs(Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - box.r);
}

test('a 6 px bar with 1.5 px round corners traces as itself, each end alike, in bw and colour', () => {
  // A 48 px icon's list bars (Adwaita "view-sort"): a bar end of 6 px with corners of 1.5 px. One corner passed
  // for a round tip of 2.3 px through half the end (its short side read across the next corner, tilted 14°),
  // and the end came out as a blob, one corner round and one square. Drawn whole as a rounded rectangle (its fit
  // within 0.25 px, radius 1.4 px or more), the bar is its true shape.
  // (Not every placement: of 12 tried at 0–45° and 0–0.5 px off the grid, 5 still miss in bw or colour or both,
  // the fit by 0.25–0.3 px, and come out with sharp corners, 0.45–0.84 px off the true arcs.)
  const cases = [
    { x: 6, y: 27, deg: 0 }, { x: 6, y: 27, deg: 15 }, { x: 6, y: 27, deg: 30 }, { x: 6.25, y: 27.5, deg: 45 },
    { x: 6.25, y: 27.25, deg: 45 }, { x: 6.5, y: 27.5, deg: 30 }, { x: 6.25, y: 27.25, deg: 10 }, { x: 6.5, y: 27.5, deg: 0 },
  ];
  for (const c of cases) {
    const box = { x: c.x, y: c.y, w: 24, h: 6, r: 1.5, deg: c.deg, cx: 18, cy: 30 };
    for (const preset of ['bw', 'poster'] as const) {
      const svg = trace(48, `<rect x="${c.x}" y="${c.y}" width="24" height="6" rx="1.5" fill="#2e3436" transform="rotate(${c.deg} 18 30)"/>`, { preset });
      const bar = svgPaths(svg).filter((p) => p.fill !== '#ffffff');
      assert.equal(bar.length, 1, `one bar expected: ${svg}`);
      let worst = 0;
      for (const [x, y] of outlinePoints(bar[0]!.source, 50)) worst = Math.max(worst, roundedRectDistance(x, y, box));
      assert.ok(worst < 0.3, `${preset}, ${JSON.stringify(c)}: ${worst.toFixed(2)} px off the true bar: ${svg}`);
    }
  }
});

test("a pixel-aligned 3 px arrow keeps its round caps: the corner sample of a cap's two runs goes where the diagonal pixel says", () => {
  // A stroked arrow at 48 px, its caps' centres on pixel corners: each cap's end is two runs of two pixels,
  // and their corner sample, where the two shifted edges meet, stood 0.4 px off the cap's circle. The caps came
  // out square (the shaft's) or flat with one bulging side (the head's).
  const segments = [[24, 8, 24, 37], [13, 26, 24, 37], [35, 26, 24, 37]];
  const fromTruth = (x: number, y: number) => Math.abs(Math.min(...segments.map(([ax, ay, bx, by]) => {
    const dx = bx! - ax!, dy = by! - ay!, t = Math.max(0, Math.min(1, ((x - ax!) * dx + (y - ay!) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(x - ax! - t * dx, y - ay! - t * dy);
  })) - 1.5);
  for (const preset of ['poster', 'bw'] as const) {
    const svg = trace(48, '<path d="M24 8 V37 M13 26 L24 37 L35 26" stroke="#2e3436" stroke-width="3" stroke-linecap="round" stroke-linejoin="round" fill="none"/>', { preset });
    const arrow = svgPaths(svg).filter((p) => p.fill !== '#ffffff');
    assert.equal(arrow.length, 1, `one arrow expected: ${svg}`);
    let worst = 0;
    // (The head's notches and its tip, a round join of 1.5 px, are left out: the caps and sides above them.)
    let at = '';
    for (const [x, y] of outlinePoints(arrow[0]!.source, 50)) if (y < 30 && fromTruth(x, y) > worst) { worst = fromTruth(x, y); at = `(${x.toFixed(2)}, ${y.toFixed(2)})`; }
    assert.ok(worst < 0.25, `${preset}: the arrow ${worst.toFixed(2)} px off its true outline at ${at}: ${svg}`);
  }
});

test("bw: an arrow's 6 px shaft stays straight into the notches beside its head", () => {
  // A right arrow drawn on a 16-unit grid at 3 px a unit (as a 48 px symbolic icon): a shaft 2 units wide
  // with a round end, two arms 2 wide at 45° with round caps, a round tip at the frame; its arcs in cubics of
  // 45° at most. The notch between shaft and head (45°) is filled in by anti-aliasing, and its corner, moved
  // to where its sides meet, was checked as if it were a tip of the arrow: the pixel past it, in the notch,
  // was not the arrow's, so the corner stayed on the sample that cut the notch, off the shaft's side, and the
  // side sagged to it along the shaft (0.27 px).
  const s = Math.SQRT1_2, notch = 14 - 2 * s;
  const d = `M12 1${arcCubics(12, 2, 1, -90, -225)}L${notch} 4H5${arcCubics(5, 5, 1, -90, -270)}H${notch}L${12 - s} ${8 - s}`
    + `${arcCubics(12, 8, 1, 225, 45)}L${15 + s} ${5 + s}${arcCubics(15, 5, 1, 45, -45)}L${12 + s} ${2 - s}${arcCubics(12, 2, 1, -45, -90)}Z`;
  const svg = trace(48, `<path transform="scale(3)" d="${d}" fill="#000"/>`);
  let worst = 0;
  // The shaft's sides, y = 12 and 18, from past its round end (x = 15) to near the notches (x = 37.8).
  for (const [x, y] of outlinePoints(svg, 200)) {
    const off = Math.min(Math.abs(y - 12), Math.abs(y - 18));
    if (x > 17 && x < 35.5 && off < 1) worst = Math.max(worst, off);
  }
  assert.ok(worst < 0.1, `the shaft's side ${worst.toFixed(2)} px off its true line: ${svg}`);
});

/** Cubic pieces (path commands) of the arc of centre (cx, cy) and radius r from angle a0 to a1 (degrees, y down), 45° or less each. */
function arcCubics(cx: number, cy: number, r: number, a0: number, a1: number): string {
  const n = Math.max(1, Math.ceil(Math.abs(a1 - a0) / 45 - 1e-9)), step = ((a1 - a0) / n) * (Math.PI / 180);
  const k = (4 / 3) * Math.tan(step / 4) * r;
  let out = '';
  for (let i = 0; i < n; i++) {
    const t0 = (a0 * Math.PI) / 180 + i * step, t1 = t0 + step;
    const x0 = cx + r * Math.cos(t0), y0 = cy + r * Math.sin(t0), x1 = cx + r * Math.cos(t1), y1 = cy + r * Math.sin(t1);
    out += `C${x0 - k * Math.sin(t0)} ${y0 + k * Math.cos(t0)} ${x1 + k * Math.sin(t1)} ${y1 - k * Math.cos(t1)} ${x1} ${y1}`;
  }
  return out;
}

test('a gear\'s round teeth with concave flanks stay round: each tooth\'s end on its circle', () => {
  // Ten lobes of 3 px radius round a 48 px disc, joined by concave notches of 2 px (a gear's teeth, Adwaita's
  // 48 px "emblem-system"). A lobe turns about 40° over the corner scale: a bend, not a corner, so no round tip
  // was looked for, and the bend's cubics drew the teeth pointed. Moved up, its top tooth touches the frame
  // (or is cut by it) and turns as a corner: a sharp knot on a lobe of 2 px or more is one too (it was drawn as a
  // flag, or pointed).
  for (const [cx, cy] of [[24.3, 24.2], [24.3, 19.3], [24.3, 18.6]]) gearTeeth(cx, cy);
});

/** The gear of the test above centred at (cx, cy): its teeth's ends within 0.25 px of their circles, bw and colour. */
function gearTeeth(cx: number, cy: number): void {
  const N = 10, RC = 16, A = 3, B = 2, half = Math.PI / N;
  const cos = Math.cos(half), RN = RC * cos + Math.sqrt(RC * RC * cos * cos - RC * RC + (A + B) ** 2);
  const P = (r: number, t: number) => [cx + r * Math.cos(t), cy + r * Math.sin(t)];
  const touch = (k: number, side: number) => {
    const [lx, ly] = P(RC, 2 * half * k), [nx, ny] = P(RN, 2 * half * k + side * half);
    return [lx! + (A * (nx! - lx!)) / (A + B), ly! + (A * (ny! - ly!)) / (A + B)];
  };
  let d = '';
  for (let k = 0; k < N; k++) {
    const [sx, sy] = touch(k, -1), [ex, ey] = touch(k, 1), [nx, ny] = touch(k + 1, -1);
    d += (k === 0 ? `M${sx!.toFixed(3)} ${sy!.toFixed(3)}` : '') + `A${A} ${A} 0 1 1 ${ex!.toFixed(3)} ${ey!.toFixed(3)}A${B} ${B} 0 0 0 ${nx!.toFixed(3)} ${ny!.toFixed(3)}`;
  }
  for (const preset of ['bw', 'poster'] as const) {
    const svg = trace(48, `<path d="${d}Z" fill="#2e3436"/>`, { preset });
    const gear = svgPaths(svg).filter((p) => p.fill !== "#ffffff");
    assert.equal(gear.length, 1, `one gear expected: ${svg}`);
    let worst = 0;
    for (const [x, y] of outlinePoints(gear[0]!.source, 50)) {
      if (Math.hypot(x - cx, y - cy) < RC) continue;
      for (let k = 0; k < N; k++) {
        const [lx, ly] = P(RC, 2 * half * k), r = Math.hypot(x - lx!, y - ly!);
        if (r < A + 0.6) worst = Math.max(worst, Math.abs(r - A));
      }
    }
    assert.ok(worst < 0.25, `${preset}, centre (${cx}, ${cy}): a tooth's end ${worst.toFixed(2)} px off its circle: ${svg}`);
  }
}

test('a double arrow\'s 45° arms keep their round caps when the caps turn as bends', () => {
  // Strokes 6.4 px wide with round caps and joins, the tips at the frame (a 48 px "flip" icon). A 3.2 px cap
  // turns less over the corner scale than a corner does: a bend, and one cubic on each side of it drew some of
  // the caps as hooks or flicks, 0.4–0.5 px off. A bend on one circle between two straight parallel sides (a
  // stroke's end) is now a round tip as a sharp knot is.
  const W = 6.4, placements = [[11, 0, 0.3], [12, 0, 0.3]] as const;
  for (const [arm, dx, dy] of placements) {
    const top = 3 + dy, bottom = 45 + dy, x = 24 + dx;
    const segments = [[x, top, x, bottom], [x - arm, top + arm, x, top], [x + arm, top + arm, x, top], [x - arm, bottom - arm, x, bottom], [x + arm, bottom - arm, x, bottom]];
    const fromTruth = (px: number, py: number) => Math.abs(Math.min(...segments.map(([ax, ay, bx, by]) => {
      const sx = bx! - ax!, sy = by! - ay!, t = Math.max(0, Math.min(1, ((px - ax!) * sx + (py - ay!) * sy) / (sx * sx + sy * sy)));
      return Math.hypot(px - ax! - t * sx, py - ay! - t * sy);
    })) - W / 2);
    const body = segments.map(([ax, ay, bx, by]) => `M${ax} ${ay}L${bx} ${by}`).join('');
    const svg = trace(48, `<path d="${body}" stroke="#000" stroke-width="${W}" stroke-linecap="round" stroke-linejoin="round" fill="none"/>`);
    let worst = 0, at = '';
    // Within 4.5 px of an arm's end: its cap and the start of its sides.
    for (const [px, py] of outlinePoints(svg, 50)) {
      if (!segments.slice(1).some(([ax, ay]) => Math.hypot(px - ax!, py - ay!) < 4.5)) continue;
      const off = fromTruth(px, py);
      if (off > worst) { worst = off; at = `(${px.toFixed(2)}, ${py.toFixed(2)})`; }
    }
    assert.ok(worst < 0.25, `arms ${arm} px, offset (${dx}, ${dy}): a cap ${worst.toFixed(2)} px off its circle at ${at}: ${svg}`);
  }
});

test('bw: a stroked arch keeps its round outer edge into a short straight side that ends in a notch', () => {
  // A U-turn arrow (a 6 px stroke bent round a 12 px radius, its right side 13 px long into an arrowhead): the
  // right side's straight part, shorter than the arch's radius, was taken for a curve flattening out, and
  // one cubic drew the arch and the side together, bulging 0.2–0.4 px. A stretch that runs into a notch
  // within 2.5 px is a side ending in a corner: its other end takes a knot at any clear bend.
  for (const [dx, dy] of [[0.5, 0.5], [0.25, 0.7], [0.7, 0.4]] as const) {
    const svg = trace(48, `<g transform="translate(${dx} ${dy})" stroke="#000" stroke-width="6" stroke-linecap="round" stroke-linejoin="round" fill="none">`
      + '<path d="M12 44V16A12 12 0 0 1 36 16V38"/><path d="M27 29L36 38L45 29"/></g>');
    let worst = 0, at = '';
    for (const [x, y] of outlinePoints(svg, 100)) {
      const X = x - dx, Y = y - dy;
      // The outer edge: on the circle of radius 15 round (24, 16) above y = 16, on x = 39 below, to near the notch.
      const off = Y <= 16 ? Math.abs(Math.hypot(X - 24, Y - 16) - 15) : Math.abs(X - 39);
      if (X > 30 && Y > 4 && Y < 27 && off < 1 && off > worst) { worst = off; at = `(${X.toFixed(2)}, ${Y.toFixed(2)})`; }
    }
    assert.ok(worst < 0.15, `offset (${dx}, ${dy}): the arch's outer edge ${worst.toFixed(2)} px off at ${at}: ${svg}`);
  }
});

/** A regular hexagon's vertices, and its path with corners rounded to radius `rr` (0: sharp). */
function hexagon(cx: number, cy: number, R: number, rotation: number, rr: number): { vertices: number[][]; arcMiddles: number[][]; d: string } {
  const vertices = Array.from({ length: 6 }, (_, k) => {
    const a = ((rotation + 60 * k) * Math.PI) / 180;
    return [cx + R * Math.cos(a), cy + R * Math.sin(a)];
  });
  // A join of radius rr turning 60° leaves each side rr·tan 30° from the vertex; its middle lies
  // rr·(1/cos 30° − 1) from the vertex, towards the centre.
  const t = rr * Math.tan(Math.PI / 6), h = rr * (1 / Math.cos(Math.PI / 6) - 1);
  let d = '';
  const arcMiddles: number[][] = [];
  for (let k = 0; k < 6; k++) {
    const [px, py] = vertices[(k + 5) % 6]!, [vx, vy] = vertices[k]!, [nx, ny] = vertices[(k + 1) % 6]!;
    const l = Math.hypot(vx! - px!, vy! - py!);
    const ax = vx! - ((vx! - px!) / l) * t, ay = vy! - ((vy! - py!) / l) * t;
    const bx = vx! + ((nx! - vx!) / l) * t, by = vy! + ((ny! - vy!) / l) * t;
    d += `${k === 0 ? 'M' : 'L'}${ax} ${ay}` + (rr > 0 ? `A${rr} ${rr} 0 0 1 ${bx} ${by}` : '');
    const toCentre = Math.hypot(cx - vx!, cy - vy!);
    arcMiddles.push([vx! + ((cx - vx!) / toCentre) * h, vy! + ((cy - vy!) / toCentre) * h]);
  }
  return { vertices, arcMiddles, d: `${d}Z` };
}

/** Placements of the hexagons below: centre offset from the image's middle (px) and rotation (degrees). */
const HEXAGON_PLACEMENTS = [[0, 0, 0], [0.3, 0.6, 7], [0.55, 0.2, 15], [0.8, 0.45, 23], [0.1, 0.9, 30]] as const;

/** The largest distance from any of `points` to the traced outline. */
function farthestFromOutline(svg: string, points: number[][]): { off: number; at: string } {
  const outline = [...outlinePoints(svg, 200)];
  let off = 0, at = '';
  for (const [x, y] of points) {
    const d = Math.min(...outline.map(([ox, oy]) => Math.hypot(ox - x!, oy - y!)));
    if (d > off) { off = d; at = `(${x!.toFixed(2)}, ${y!.toFixed(2)})`; }
  }
  return { off, at };
}

test('a regular hexagon keeps its 60° corners sharp, and so does a hexagonal hole, in bw and in colour', () => {
  // A 60° turn is the default corner angle. Fitted over a few pixels, the sides of a 48 px hexagon turned by
  // 58.4° to 60.9°, and the corners measured under 60° were drawn round, 0.3–0.6 px inside their vertex.
  for (const preset of ['bw', 'poster'] as const) {
    for (const hole of [false, true]) {
      for (const [dx, dy, rotation] of HEXAGON_PLACEMENTS) {
        const { vertices, d } = hexagon(24 + dx, 24 + dy, 16, rotation, 0);
        const body = hole ? `<path d="M2 2H46V46H2Z${d}" fill="#000" fill-rule="evenodd"/>` : `<path d="${d}" fill="#000"/>`;
        const svg = trace(48, body, { preset });
        const { off, at } = farthestFromOutline(svg, vertices);
        assert.ok(off < 0.2, `${preset}, ${hole ? 'hole' : 'hexagon'} at (${dx}, ${dy}) turned ${rotation}°: the corner at ${at} is ${off.toFixed(2)} px from the outline`);
      }
    }
  }
});

test('a hexagon with round corners of radius 4 px keeps them round', () => {
  // The pixels round a corner tell a sharp corner from a small round join (corner-coverage.ts): these joins
  // pass 0.6 px inside their sides' meeting point, which anti-aliasing alone could do, and 4 of 10 were drawn
  // sharp, 0.4–0.56 px off the join.
  for (const hole of [false, true]) {
    for (const [dx, dy, rotation] of HEXAGON_PLACEMENTS) {
      const { arcMiddles, d } = hexagon(24 + dx, 24 + dy, 16, rotation, 4);
      const body = hole ? `<path d="M2 2H46V46H2Z${d}" fill="#000" fill-rule="evenodd"/>` : `<path d="${d}" fill="#000"/>`;
      const svg = trace(48, body);
      const { off, at } = farthestFromOutline(svg, arcMiddles);
      assert.ok(off < 0.3, `${hole ? 'hole' : 'hexagon'} at (${dx}, ${dy}) turned ${rotation}°: the join's middle ${at} is ${off.toFixed(2)} px from the outline`);
    }
  }
});

test('colour: a small white gap (a disc 3.6 px across) where three flat colours meet stays white', () => {
  // A 48 px Papirus "avogadro" icon: 6 px of white between a yellow ball, an orange orbit and a grey letter
  // merged into the ball, drawn as a teardrop. A region lighter (or darker) than every colour round it stands
  // alone from 6 px in keyed flat art (10 px elsewhere).
  for (const [cx, cy] of [[24, 24], [24.3, 23.6], [23.5, 24.4]] as const) {
    const sectors = `<rect width="48" height="48" fill="#fff"/><path d="M${cx} ${cy}L${cx} 4L4 4L4 ${cy}Z" fill="#ff631b"/>`
      + `<path d="M${cx} ${cy}L4 ${cy}L4 44L44 44L44 ${cy + 6}Z" fill="#4f4f4f"/><path d="M${cx} ${cy}L44 ${cy + 6}L44 4L${cx} 4Z" fill="#ffc500"/>`
      + `<circle cx="${cx}" cy="${cy}" r="1.8" fill="#fff"/>`;
    const svg = trace(48, sectors, { preset: 'poster' });
    const px = renderSvg(svg, 384, 384);
    const p = (Math.round(cy * 8) * 384 + Math.round(cx * 8)) * 4;
    const [r, g, b] = [px[p]!, px[p + 1]!, px[p + 2]!];
    assert.ok(r > 230 && g > 230 && b > 230, `gap at (${cx}, ${cy}) drawn rgb(${r}, ${g}, ${b}): ${svg}`);
  }
});

test('colour: a light stripe 1.5 px wide across a flat box, from side to side, stays', () => {
  // A 96 px Papirus "gaphor" icon: its boxes' light stripes touch the white background at their two ends
  // only, which puts their colour between the box's and the white; as thin as a fringe, they merged into the
  // box. Touching the box with nearly all their sides, they are islands, not fringes.
  for (const dy of [0, 0.25, 0.5]) {
    const y = 39 + dy;
    const body = `<rect width="96" height="96" fill="#fff"/><rect x="6" y="33" width="26" height="32" rx="4" fill="#33d17a"/>`
      + `<rect x="6" y="${y}" width="26" height="1.5" fill="#8ff0a4"/>`;
    const svg = trace(96, body, { preset: 'poster' });
    const px = renderSvg(svg, 384, 384);
    const p = (Math.round((y + 0.75) * 4) * 384 + 19 * 4) * 4;
    const [r, g, b] = [px[p]!, px[p + 1]!, px[p + 2]!];
    assert.ok(r > 0x70 && g > 0xe0 && b > 0x90, `stripe at y = ${y} drawn rgb(${r}, ${g}, ${b})`);
  }
});

test('colour: a white dot 2.4 px across where four flat colours meet stays white', () => {
  // A 48 px Papirus "icloud-photos" icon's white centre among its petals: 3–4 px, under the 6 px from which a
  // region lighter than all round it stands alone, merged away. Lighter than every colour round it by far,
  // in keyed flat art it stays from 3 px.
  for (const [cx, cy] of [[24, 24], [24.3, 23.6], [23.5, 24.4]] as const) {
    const quadrants = `<rect width="48" height="48" fill="#fff"/><rect x="4" y="4" width="${cx - 4}" height="${cy - 4}" fill="#e0202c"/>`
      + `<rect x="${cx}" y="4" width="${44 - cx}" height="${cy - 4}" fill="#f0c020"/><rect x="4" y="${cy}" width="${cx - 4}" height="${44 - cy}" fill="#3050c0"/>`
      + `<rect x="${cx}" y="${cy}" width="${44 - cx}" height="${44 - cy}" fill="#30a050"/><circle cx="${cx}" cy="${cy}" r="1.2" fill="#fff"/>`;
    const svg = trace(48, quadrants, { preset: 'poster' });
    const px = renderSvg(svg, 384, 384);
    const p = (Math.round(cy * 8) * 384 + Math.round(cx * 8)) * 4;
    const [r, g, b] = [px[p]!, px[p + 1]!, px[p + 2]!];
    assert.ok(r > 220 && g > 220 && b > 220, `dot at (${cx}, ${cy}) drawn rgb(${r}, ${g}, ${b})`);
  }
});

test('a side between a large round corner and a round cap stays straight (a 96 px window frame, a stroke 12 px wide)', async () => {
  // The bottom side's stretch got a knot at its cap end only (the corner's curve leaves its line gently); the
  // round corner moved that knot 16 px to its own tangent point, and one run spanned the side and the cap: it
  // bowed 1.5 px out (xor 1.09 % of the ink at 8×; 0.26 % now). The knot stays, the tangent point gets one.
  for (const [d, preset] of [[0, 'bw'], [0, 'poster'], [0.5, 'bw']] as const) {
    const body = `<path d="M${40 + d} ${78 + d}H${21 + d}A9 9 0 0 1 ${12 + d} ${69 + d}V${27 + d}A9 9 0 0 1 ${21 + d} ${18 + d}H${75 + d}A9 9 0 0 1 ${84 + d} ${27 + d}V${42 + d}" fill="none" stroke="#000" stroke-width="12" stroke-linecap="round"/>`;
    const at = (px: number): string => `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="0 0 96 96">${body}</svg>`;
    const svg = traceRgba({ data: renderSvg(at(96), 96, 96), width: 96, height: 96 }, { preset });
    const xor = xorAtScale(at(96), svg, 96, 96, 8);
    assert.ok(xor < 0.004, `${preset}, offset ${d}: xor ${(100 * xor).toFixed(2)} %: ${svg}`);
  }
});

test('colour: a 1.5 px shadow band under a shape is drawn in its own grey (a Papirus icon at 96 px)', () => {
  // The shadow (black at 20 % over white) lies between the orange disc and white, but is no mix of them: it
  // was taken for their fringe and merged away. Its middle row, 1 px below the disc, must come out grey.
  const W = 96;
  const body = '<circle cx="48" cy="49.5" r="30" fill="#000" opacity="0.2"/><circle cx="48" cy="48" r="30" fill="#ec953b"/>';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${W}"><rect width="100%" height="100%" fill="#fff"/>${body}</svg>`;
  const traced = traceRgba({ data: renderSvg(svg, W, W), width: W, height: W }, { preset: 'poster' });
  const big = 768, k = big / W;
  const out = renderSvg(traced.replace(`width="${W}" height="${W}"`, `width="${big}" height="${big}"`), big, big);
  // Points 0.75 px below the disc's rim, in the middle of the band, from 40° either side of straight down.
  let grey = 0, total = 0;
  for (let deg = -40; deg <= 40; deg += 5) {
    const a = (deg * Math.PI) / 180, x = 48 + 30 * Math.sin(a), y = 48.75 + 30 * Math.cos(a);
    const p = 4 * (Math.round(y * k) * big + Math.round(x * k));
    total++;
    if (Math.abs(out[p]! - 204) < 30 && Math.abs(out[p + 1]! - 204) < 30 && Math.abs(out[p + 2]! - 204) < 30) grey++;
  }
  assert.ok(grey >= 0.8 * total, `band grey at ${grey} of ${total} points: ${traced}`);
});

test('colour: a 1 px shadow band under a blue box is drawn in its own grey, not merged as the box\'s fringe', () => {
  // The shadow's grey (204) lies 0.096 of the blue–white distance off their segment: under 0.15, it was taken
  // for a mix of the two and merged. Its row, the box's bottom to 1 px below, must come out grey. (The disc
  // below, with its shadow, makes the image keyed flat art, as a Papirus icon is.)
  const W = 96;
  const body = '<rect x="20" y="31" width="56" height="30" fill="#000" opacity="0.2"/><rect x="20" y="30" width="56" height="30" fill="#3949ab"/>'
    + '<circle cx="48" cy="71" r="12" fill="#000" opacity="0.2"/><circle cx="48" cy="70" r="12" fill="#3949ab"/>';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${W}"><rect width="100%" height="100%" fill="#fff"/>${body}</svg>`;
  const traced = traceRgba({ data: renderSvg(svg, W, W), width: W, height: W }, { preset: 'poster' });
  const big = 768, k = big / W;
  const out = renderSvg(traced.replace(`width="${W}" height="${W}"`, `width="${big}" height="${big}"`), big, big);
  let grey = 0, total = 0;
  for (const x of [22, 26, 30, 34, 38, 58, 62, 66, 70, 74]) {
    const p = 4 * (Math.round(60.6 * k) * big + Math.round(x * k));
    total++;
    if (Math.abs(out[p]! - 204) < 20 && Math.abs(out[p + 1]! - 204) < 20 && Math.abs(out[p + 2]! - 204) < 20) grey++;
  }
  assert.equal(grey, total, `band grey at ${grey} of ${total} points: ${traced}`);
});

test('colour: bars 1.5 to 2 px apart keep their sides where the pixels put them (the gap\'s far edge is no outside colour)', async () => {
  // The outside reference of a bar's side was the pixel two out, the next bar's anti-aliased edge: the side
  // went in or out a whole row (xor 1.7–6.7 % at 16×). The pixel across the edge, the gap's white, is used when
  // it lies farther from the inside than both the pixel two out and the inside pixel.
  const W = 48, S = 16;
  for (const [gap, y0] of [[2, 10.25], [2, 10.5], [2, 10.75], [1.5, 10.5]] as const) {
    let body = '';
    for (let k = 0; k < 5; k++) body += `<rect x="8" y="${y0 + k * (3 + gap)}" width="32" height="3" fill="#1d4ed8"/>`;
    const at = (px: number): string => `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="0 0 ${W} ${W}"><rect width="100%" height="100%" fill="#fff"/>${body}</svg>`;
    const svg = traceRgba({ data: renderSvg(at(W), W, W), width: W, height: W }, { preset: 'poster' });
    const xor = xorAtScale(at(W), svg, W, W, S);
    assert.ok(xor < 0.005, `gap ${gap} px, first bar at y ${y0}: xor ${(100 * xor).toFixed(2)} %: ${svg}`);
  }
});

test('a round end touching the image\'s frame stays round: a stadium is a rounded rectangle, a stroke\'s cap a half circle', async () => {
  // Touching the frame in one or two samples, such an end was taken for a shape the frame cuts: the stadium
  // was no rounded rectangle, and the cap's exits off the frame became sharp knots 2.5 px apart (a
  // flat-bottomed point).
  const { inkMask } = await import('../../bench/shapes/metrics.js');
  const W = 96, S = 8;
  const xorBelow = (body: string, preset: 'bw' | 'poster', fromY: number): number => {
    const at = (px: number): string => `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="0 0 ${W} ${W}"><rect width="100%" height="100%" fill="#fff"/>${body}</svg>`;
    const svg = traceRgba({ data: renderSvg(at(W), W, W), width: W, height: W }, { preset });
    const t = inkMask(renderSvg(at(W * S), W * S, W * S));
    const o = inkMask(renderSvg(svg.replace(`width="${W}" height="${W}"`, `width="${W * S}" height="${W * S}"`), W * S, W * S));
    let wrong = 0, ink = 0;
    for (let i = fromY * S * W * S; i < t.length; i++) { if (t[i] !== o[i]) wrong++; if (t[i]) ink++; }
    return wrong / ink;
  };
  for (const preset of ['bw', 'poster'] as const) {
    // A stadium 12 px wide whose top end touches the top of the frame (xor 0.22–0.24 % before).
    const pill = xorBelow('<rect x="42" y="0" width="12" height="42" rx="6"/>', preset, 0);
    assert.ok(pill < 0.0015, `${preset}: stadium xor ${(100 * pill).toFixed(2)} %`);
    // An L whose 12 px stroke ends in a round cap on the bottom of the frame: the cap's 10 px (0.60 % before).
    const cap = xorBelow('<path d="M72 90V32H20V20H84V90a6 6 0 0 1-12 0z"/>', preset, 86);
    assert.ok(cap < 0.0045, `${preset}: cap xor ${(100 * cap).toFixed(2)} %`);
  }
});

test('a concave corner of 3 px radius (a 96 px frame\'s inner corner) is drawn round, on its arc', () => {
  // It turns as much as a sharp corner over the corner scale: it was a corner 0.7 px off the arc, with a short
  // slanted line beside it. A round corner between the two sides' stretches now passes over the sharp knot.
  const d = 0.3;
  const body = `<path d="M${40 + d} ${78 + d}H${21 + d}A9 9 0 0 1 ${12 + d} ${69 + d}V${27 + d}A9 9 0 0 1 ${21 + d} ${18 + d}H${75 + d}A9 9 0 0 1 ${84 + d} ${27 + d}V${42 + d}" fill="none" stroke="#000" stroke-width="12" stroke-linecap="round"/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96">${body}</svg>`;
  const traced = traceRgba({ data: renderSvg(svg, 96, 96), width: 96, height: 96 }, { preset: 'bw', pathPrecision: 3 });
  const dPath = svgPaths(traced).map((p) => p.d).join('');
  const cx = 75 + d, cy = 27 + d;
  let worst = 0, seen = 0;
  for (const sub of dPath.split(/(?=M)/)) {
    const s = splineOf(sub);
    for (const [x, y] of splinePoints(s, s.length, 40)) {
      const a = (Math.atan2(y - cy, x - cx) * 180) / Math.PI, r = Math.hypot(x - cx, y - cy);
      if (a < -80 || a > -10 || r > 5) continue;
      seen++;
      worst = Math.max(worst, Math.abs(r - 3));
    }
  }
  assert.ok(seen > 5, `too few points on the inner corner: ${seen}`);
  assert.ok(worst < 0.3, `inner corner off its arc by ${worst.toFixed(2)} px: ${dPath}`);
});

test('a pie chart\'s quarter cut: where the arc meets a radius at a right angle, the corner is on the true one', () => {
  // A disc of radius 8–16 px less its top right quarter. The side along the arc was fitted as a line through
  // its samples' centroid, the arc's chord, tilted from its tangent at the corner: the corner landed 0.4–0.7 px
  // off, above the arc's top as a spike (the 96 px Papirus presentation icon's pie).
  for (const [cx, cy, r] of [[40.3, 50.2, 8], [48, 48, 8], [50.2, 40.7, 10], [44.6, 52.3, 16]] as const) {
    for (const preset of ['bw', 'poster'] as const) {
      const svg = trace(96, `<rect width="96" height="96" fill="#fff"/><path d="M${cx} ${cy}V${cy - r}A${r} ${r} 0 1 0 ${cx + r} ${cy}Z" fill="#444"/>`, { preset });
      const paths = svgPaths(svg);
      const ends = pathSegments(paths[paths.length - 1]!.d).map((s) => [s.x1, s.y1] as const);
      for (const [tx, ty] of [[cx, cy - r], [cx + r, cy]] as const) {
        const miss = Math.min(...ends.map(([x, y]) => Math.hypot(x - tx, y - ty)));
        assert.ok(miss < 0.25, `${preset}, radius ${r}: no segment end within 0.25 px of the corner ${tx}, ${ty} (nearest ${miss.toFixed(2)}): ${svg}`);
      }
    }
  }
});

test('bw: a grey bar at 30° traces to four straight edges, as a black one does (no zig-zag)', () => {
  // #555 on white thresholds at three quarters of its cover, so its contour lies a quarter pixel inside the edge:
  // offsets off-centre in their limits and the 30° staircase's risers put a step at every few pixels (44 segments;
  // #444, 29).
  // Light grey on black with `invert` the same way (#bbb: 29 segments).
  for (const [fill, back, invert] of [['#000', '#fff', false], ['#444', '#fff', false], ['#555', '#fff', false], ['#666', '#fff', false], ['#bbb', '#000', true]] as const) {
    const svg = trace(96, `<rect width="96" height="96" fill="${back}"/><rect x="12" y="42" width="72" height="9" transform="rotate(30 48 46.5)" fill="${fill}"/>`, { preset: 'bw', invert });
    const v = polygonVertices(svg);
    assert.equal(v.length, 4, `${fill}: four corners expected: ${svg}`);
    const angles = v.map((p, i) => {
      const q = v[(i + 1) % 4]!;
      return { len: Math.hypot(q[0] - p[0], q[1] - p[1]), dir: ((Math.atan2(q[1] - p[1], q[0] - p[0]) * 180) / Math.PI + 360) % 180 };
    }).filter((e) => e.len > 40);
    assert.equal(angles.length, 2, `${fill}: two long edges: ${svg}`);
    for (const e of angles) assert.ok(Math.abs(e.dir - 30) < 1, `${fill}: a long edge at ${e.dir.toFixed(2)}°, truth 30°`);
  }
});
