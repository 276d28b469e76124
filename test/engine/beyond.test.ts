/**
 * What we add beyond VTracer 0.6 (issue 8): seam-free cutout, colour limits, binary thresholds (fixed,
 * inverted, adaptive), optimize levels, simplify, viewBox and scale. Each on real or synthetic images,
 * rendered with resvg.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { traceRgba, OptionError } from '../../src/engine/index.js';
import type { TraceOptions } from '../../src/engine/index.js';
import { compositeOnWhite, loadRgba, pathSegments, psnr, renderSvg, svgPaths, svgRootAttributes } from '../support/fidelity.js';
import { magentaSeams } from '../support/svg-checks.js';
import { fixturePath } from '../support/fixtures.js';
import { fillDisc, glyphsKept, litScan, solid } from '../support/images.js';

const emoji = await loadRgba(fixturePath('emoji-1f34e.png'));
const photo = await loadRgba(fixturePath('astronaut-256.png'));
const logo = await loadRgba(fixturePath('logo.png'));

function fills(svg: string): Set<string> {
  return new Set([...svg.matchAll(/fill="(#[0-9a-f]{6})"/gi)].map((m) => m[1]!.toLowerCase()));
}

function fidelity(svg: string, img: { data: Uint8Array; width: number; height: number }): number {
  return psnr(renderSvg(svg, img.width, img.height), compositeOnWhite(img.data));
}

describe('seam-free cutout', () => {
  test('a flat emoji in cutout mode shows no magenta between its shapes', (t) => {
    for (const mode of ['spline', 'polygon', 'pixel'] as const) {
      const svg = traceRgba(emoji, { preset: 'poster', hierarchical: 'cutout', mode });
      const seams = magentaSeams(svg, emoji);
      t.diagnostic(`${mode}: ${svgPaths(svg).length} shapes, ${seams} magenta pixels inside the art`);
      assert.equal(seams, 0, `${mode}: magenta shows through ${seams} pixels`);
    }
  });

  test('a cutout border meeting the image edge ends on it (its junction slides along the edge, never off it)', () => {
    // Red and blue halves split by a slanted line that meets the top and bottom edges between pixels.
    const w = 80, h = 40;
    const data = renderSvg(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="${w}" height="${h}" fill="#2040c0"/>`
      + '<polygon points="0,0 37.3,0 45.7,40 0,40" fill="#e02020"/></svg>', w, h);
    const svg = traceRgba({ data, width: w, height: h }, { preset: 'poster', hierarchical: 'cutout', trap: false, optimize: 0 });
    const inside: string[] = [];
    for (const p of svgPaths(svg)) {
      for (const s of pathSegments(p.d)) {
        for (const [x, y] of [[s.x0, s.y0], [s.x1, s.y1]] as const) {
          if ((y > 0 && y < 0.5) || (y < h && y > h - 0.5) || (x > 0 && x < 0.5) || (x < w && x > w - 0.5)) inside.push(`${x},${y}`);
        }
      }
    }
    assert.deepEqual(inside, [], 'points just inside the image edge (a sliver of page shows there)');
  });

  test('with trap off, neighbouring cutout shapes share their borders exactly (same coordinates, reversed)', () => {
    const svg = traceRgba(logo, { preset: 'poster', hierarchical: 'cutout', mode: 'polygon', optimize: 0, trap: false });
    // Count the directed edges of every polygon; a shared border appears once in each direction.
    const edges = new Map<string, number>();
    for (const path of svgPaths(svg)) {
      for (const sub of path.d.split('Z')) {
        const pts = [...sub.matchAll(/(-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?)/g)].map((m) => `${m[1]},${m[2]}`);
        for (let i = 0; i + 1 < pts.length; i++) edges.set(`${pts[i]}>${pts[i + 1]}`, (edges.get(`${pts[i]}>${pts[i + 1]}`) ?? 0) + 1);
        if (pts.length > 1) edges.set(`${pts[pts.length - 1]}>${pts[0]}`, (edges.get(`${pts[pts.length - 1]}>${pts[0]}`) ?? 0) + 1);
      }
    }
    let shared = 0;
    for (const key of edges.keys()) {
      const [a, b] = key.split('>');
      if (edges.has(`${b}>${a}`)) shared++;
    }
    assert.ok(shared > edges.size * 0.5, `only ${shared} of ${edges.size} edges are shared with a neighbour`);
    // Trapped (the default), the borders to later shapes move under them.
    const trapped = traceRgba(logo, { preset: 'poster', hierarchical: 'cutout', mode: 'polygon', optimize: 0 });
    assert.notEqual(trapped, svg);
  });

  test('a border between cutout shapes shows no light hairline (anti-aliasing against the page)', (t) => {
    // Three dark colours, hard-edged: a disc and a tilted bar crossing it on a dark ground (curved and slanted
    // borders, junctions, the image's edge). Every pixel the borders cross is partly covered by two shapes;
    // drawn exactly edge to edge, such a pixel keeps a share of the white page and comes out lighter than
    // both colours. Along the image's edge, the fitted border may stray inside and show the page too.
    const ground = [30, 40, 110, 255] as const, disc = [120, 20, 30, 255] as const, bar = [20, 90, 40, 255] as const;
    const img = fillDisc(solid(96, 96, ground), 48, 48, 30.3, disc);
    for (let y = 0; y < 96; y++) for (let x = 0; x < 96; x++) {
      if (Math.abs((x - 48) * 0.6 - (y - 48) * 0.8) < 7) img.data.set(bar, 4 * (y * 96 + x));
    }
    const lightest = [0, 1, 2].map((ch) => Math.max(ground[ch]!, disc[ch]!, bar[ch]!));
    for (const mode of ['spline', 'polygon', 'pixel'] as const) {
      const svg = traceRgba(img, { preset: 'poster', hierarchical: 'cutout', mode });
      const px = renderSvg(svg, 96, 96);
      let light = 0, worst = 0;
      for (let i = 0; i < px.length; i += 4) {
        const over = Math.max(...[0, 1, 2].map((ch) => px[i + ch]! - lightest[ch]!));
        worst = Math.max(worst, over);
        if (over > 8) light++;
      }
      // What closes the seams must not move the borders: the cutout looks like the stacked trace (99 dB
      // stands for identical).
      const fidelity = (rgba: Uint8Array) => Math.min(99, psnr(rgba, img.data));
      const cutout = fidelity(px), stacked = fidelity(renderSvg(traceRgba(img, { preset: 'poster', mode }), 96, 96));
      t.diagnostic(`${mode}: ${svgPaths(svg).length} shapes, ${light} pixels lighter than every colour (worst +${worst}); `
        + `PSNR cutout ${cutout.toFixed(2)} dB, stacked ${stacked.toFixed(2)} dB`);
      assert.equal(svgPaths(svg).length, 5, `${mode}: the bar, and the ground and the disc each cut in two by it`);
      assert.equal(light, 0, `${mode}: ${light} pixels show the page through a border (worst +${worst})`);
      assert.ok(cutout >= stacked - 0.5, `${mode}: cutout ${cutout.toFixed(2)} dB, stacked ${stacked.toFixed(2)} dB`);
    }
  });

});

describe('colour limits', () => {
  test('maxColors: 4 on a photo gives at most 4 fills, and fidelity degrades gracefully', (t) => {
    const results = [0, 16, 4].map((maxColors) => {
      const svg = traceRgba(photo, { preset: 'poster', maxColors });
      return { maxColors, svg, fills: fills(svg).size, psnr: fidelity(svg, photo) };
    });
    t.diagnostic(results.map((r) => `maxColors ${r.maxColors}: ${r.fills} fills, ${r.svg.length} B, ${r.psnr.toFixed(2)} dB`).join('; '));
    const [free, sixteen, four] = results as [typeof results[0], typeof results[0], typeof results[0]];
    assert.ok(four.fills <= 4 && four.fills >= 2, `${four.fills} fills at maxColors 4`);
    assert.ok(sixteen.fills <= 16 && sixteen.fills > four.fills);
    assert.ok(free.fills > 16);
    assert.ok(free.psnr > sixteen.psnr && sixteen.psnr > four.psnr, 'fewer colours, less fidelity');
    assert.ok(four.psnr > 16, `4 colours still resemble the photo (${four.psnr.toFixed(2)} dB)`);
    assert.ok(four.svg.length < free.svg.length, 'fewer colours, fewer bytes (same-colour layers fold)');
  });

  test('palette: every fill is one of the given colours, in cutout mode too', () => {
    const palette = ['#202020', '#ffffff', '#e03030', '#60a040'];
    for (const hierarchical of ['stacked', 'cutout'] as const) {
      const used = fills(traceRgba(emoji, { preset: 'poster', hierarchical, palette }));
      assert.ok(used.size >= 2, `${hierarchical}: only ${[...used].join(', ')}`);
      for (const f of used) assert.ok(palette.includes(f), `${hierarchical}: fill ${f} is not in the palette`);
    }
  });

  test('a bad palette names the entry', () => {
    assert.throws(() => traceRgba(emoji, { palette: ['#00ff00', 'red'] } as TraceOptions),
      (e: unknown) => e instanceof OptionError && /palette\[1\] must be a colour written #rrggbb, got "red"/.test(e.message));
  });
});

describe('binary thresholds', () => {
  const scan = litScan();
  const keptGlyphs = (svg: string): number => glyphsKept(renderSvg(svg, scan.image.width, scan.image.height), scan);

  test('on a scan lit unevenly, adaptive keeps every glyph where the fixed threshold loses some', (t) => {
    const fixed = keptGlyphs(traceRgba(scan.image, { preset: 'bw' }));
    const adaptive = keptGlyphs(traceRgba(scan.image, { preset: 'bw', adaptive: true }));
    t.diagnostic(`${scan.glyphs.length} glyphs: fixed threshold keeps ${fixed}, adaptive keeps ${adaptive}`);
    assert.equal(adaptive, scan.glyphs.length);
    assert.ok(fixed < scan.glyphs.length * 0.8, `the fixed threshold should lose the dark side, kept ${fixed}`);
  });

  test('binaryThreshold moves the cut, invert swaps ink and paper', () => {
    const ramp = { width: 256, height: 8, data: new Uint8Array(256 * 8 * 4) };
    for (let y = 0; y < 8; y++) for (let x = 0; x < 256; x++) { const i = 4 * (y * 256 + x); ramp.data[i] = ramp.data[i + 1] = ramp.data[i + 2] = x; ramp.data[i + 3] = 255; }
    const blackFraction = (svg: string) => {
      const px = renderSvg(svg, 256, 8);
      let black = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i]! < 128) black++;
      return black / (px.length / 4);
    };
    const at64 = blackFraction(traceRgba(ramp, { colorMode: 'binary', binaryThreshold: 64, mode: 'pixel' }));
    const at192 = blackFraction(traceRgba(ramp, { colorMode: 'binary', binaryThreshold: 192, mode: 'pixel' }));
    const inverted = blackFraction(traceRgba(ramp, { colorMode: 'binary', binaryThreshold: 192, invert: true, mode: 'pixel' }));
    assert.ok(Math.abs(at64 - 0.25) < 0.02, `threshold 64 blackens ${at64}`);
    assert.ok(Math.abs(at192 - 0.75) < 0.02, `threshold 192 blackens ${at192}`);
    assert.ok(Math.abs(inverted - 0.25) < 0.02, `inverted threshold 192 blackens ${inverted}`);
  });
});

describe('compact SVG', () => {
  test('each optimize level is smaller than the one below and renders the same', (t) => {
    for (const [img, mode] of [[logo, 'spline'], [logo, 'polygon'], [emoji, 'pixel']] as const) {
      const svgs = [0, 1, 2].map((optimize) => traceRgba(img, { preset: 'poster', mode, optimize }));
      const renders = svgs.map((s) => renderSvg(s, img.width, img.height));
      t.diagnostic(`${mode}: ${svgs.map((s) => s.length).join(' > ')} bytes`);
      assert.ok(svgs[0]!.length > svgs[1]!.length && svgs[1]!.length > svgs[2]!.length, `${mode}: ${svgs.map((s) => s.length).join(', ')}`);
      assert.ok(psnr(renders[0]!, renders[1]!) > 40 && psnr(renders[1]!, renders[2]!) > 40, `${mode}: levels render differently`);
    }
  });

  test('simplify: a larger tolerance writes fewer bytes and stays close to the image', (t) => {
    const runs = [0, 0.5, 2].map((simplify) => {
      const svg = traceRgba(logo, { preset: 'poster', simplify });
      return { simplify, bytes: svg.length, psnr: fidelity(svg, logo) };
    });
    t.diagnostic(runs.map((r) => `simplify ${r.simplify}: ${r.bytes} B, ${r.psnr.toFixed(2)} dB`).join('; '));
    assert.ok(runs[0]!.bytes > runs[1]!.bytes && runs[1]!.bytes > runs[2]!.bytes);
    // The shape fitter draws each run between corners as one curve while within the tolerance: the default
    // (0.5 px) gives up about a decibel at the same size against the finest (0.2 px) for ~30 % fewer bytes.
    assert.ok(runs[1]!.psnr > runs[0]!.psnr - 1.5, 'the default tolerance costs little fidelity');
    assert.ok(runs[2]!.psnr > runs[0]!.psnr - 4);
  });

  test('viewBox always; scale sets the output size and keeps the viewBox in pixels', () => {
    const plain = svgRootAttributes(traceRgba(emoji, {}));
    assert.equal(plain.viewBox, '0 0 512 512');
    assert.equal(plain.width, '512');
    const scaled = svgRootAttributes(traceRgba(emoji, { scale: 0.25 }));
    assert.equal(scaled.viewBox, '0 0 512 512');
    assert.equal(scaled.width, '128');
    assert.equal(scaled.height, '128');
    assert.throws(() => traceRgba(emoji, { scale: 0 }), /scale must be a number from 0.01 to 100, got 0/);
  });
});
