/**
 * The SVG is well formed: width, height and viewBox of the image, one `<path>` per shape with its holes,
 * `fill="#rrggbb"`, and resvg (a strict XML and SVG parser) accepts it, in every mode.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceRgba, traceRgbaDetailed } from '../../src/engine/index.js';
import type { TraceOptions } from '../../src/engine/index.js';
import { loadRgba, parsePathData, renderSvg, svgPaths, svgRootAttributes, svgStats } from '../support/fidelity.js';
import type { RgbaBuffer } from '../support/fidelity.js';
import { fixturePath } from '../support/fixtures.js';
import { scene } from '../support/images.js';

const emoji = await loadRgba(fixturePath('emoji-1f34e'));
const text = await loadRgba(fixturePath('text'));
const sc = scene();

/** Checks the document structure and returns its paths. */
function checkDocument(svg: string, img: RgbaBuffer) {
  const trimmed = svg.trim();
  assert.match(trimmed, /^(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)?<svg\b/, 'document does not start with <svg>');
  assert.ok(trimmed.endsWith('</svg>'), 'document does not end with </svg>');
  assert.equal((svg.match(/<svg\b/g) ?? []).length, 1, 'more than one <svg> element');
  const root = svgRootAttributes(svg);
  assert.equal(root.xmlns, 'http://www.w3.org/2000/svg');
  assert.equal(root.width, String(img.width), 'width');
  assert.equal(root.height, String(img.height), 'height');
  assert.ok(root.viewBox !== undefined, 'no viewBox');
  assert.deepEqual(root.viewBox!.trim().split(/[\s,]+/).map(Number), [0, 0, img.width, img.height], `viewBox ${root.viewBox}`);
  const ps = svgPaths(svg);
  for (const p of ps) {
    assert.match(p.attributes.fill ?? '', /^#[0-9a-fA-F]{6}$/, `fill ${p.attributes.fill} is not #rrggbb`);
    assert.match(p.d, /^\s*[Mm]/, `path data does not start with a move-to: ${p.d.slice(0, 40)}`);
    assert.match(p.d.trim(), /[Zz]$/, 'path is not closed');
  }
  // resvg parses with a strict XML parser; it throws on malformed documents.
  const rendered = renderSvg(svg, img.width, img.height);
  assert.equal(rendered.length, img.width * img.height * 4);
  return ps;
}

const variants: Array<[string, TraceOptions]> = [
  ['default', {}],
  ['poster', { preset: 'poster' }],
  ['photo', { preset: 'photo' }],
  ['bw', { preset: 'bw' }],
  ['cutout', { preset: 'poster', hierarchical: 'cutout' }],
  ['polygon', { mode: 'polygon' }],
  ['pixel', { mode: 'pixel' }],
  ['precision 0', { pathPrecision: 0 }],
  ['precision 8', { pathPrecision: 8 }],
];
for (const [name, options] of variants) {
  test(`well-formed SVG: ${name} (emoji, text scan)`, () => {
    for (const img of [emoji, text]) {
      const ps = checkDocument(traceRgba(img, options), img);
      assert.ok(ps.length >= 1, 'no path');
    }
  });
}

test('one <path> per shape: the scene gives background, disc, red square and blue square with their exact colours', () => {
  for (const hierarchical of ['stacked', 'cutout'] as const) {
    const svg = traceRgba(sc, { preset: 'poster', hierarchical });
    const ps = checkDocument(svg, sc);
    assert.deepEqual(ps.map((p) => p.fill).sort(), ['#000000', '#1e3cc8', '#dc1e1e', '#ffffff'], `${hierarchical}: fills`);
  }
});

test('holes belong to their shape: in cutout the background path has one hole per object', () => {
  const ps = svgPaths(traceRgba(sc, { preset: 'poster', hierarchical: 'cutout' }));
  const subpaths = (fill: string) => {
    const p = ps.find((q) => q.fill === fill);
    assert.ok(p, `no path filled ${fill}`);
    return parsePathData(p.d).filter((c) => c.letter === 'M' || c.letter === 'm').length;
  };
  assert.equal(subpaths('#ffffff'), 3, 'background: outer boundary + disc hole + square hole');
  assert.equal(subpaths('#dc1e1e'), 2, 'red square: outer boundary + blue hole');
  assert.equal(subpaths('#000000'), 1, 'disc: one boundary');
  assert.equal(subpaths('#1e3cc8'), 1, 'blue square: one boundary');
});

test('traceRgbaDetailed reports the SVG, the size and the path count it wrote', () => {
  const r = traceRgbaDetailed(emoji, { preset: 'poster' });
  assert.equal(r.svg, traceRgba(emoji, { preset: 'poster' }));
  assert.equal(r.width, emoji.width);
  assert.equal(r.height, emoji.height);
  assert.equal(r.pathCount, svgStats(r.svg).paths);
});

test('a 1×1 image and a single-colour image trace to a valid document', () => {
  const one = { data: new Uint8Array([10, 20, 30, 255]), width: 1, height: 1 };
  const ps = checkDocument(traceRgba(one), one);
  assert.equal(ps.length, 1);
  assert.equal(ps[0]!.fill, '#0a141e');
  const flat = { data: new Uint8Array(7 * 5 * 4).fill(200), width: 7, height: 5 };
  const rendered = renderSvg(traceRgba(flat), 7, 5);
  for (let i = 0; i < rendered.length; i += 4) assert.equal(rendered[i], 200, `pixel ${i / 4} of a flat image`);
});

test('path data is the same without a TextDecoder in the runtime (the engine falls back to char codes)', async () => {
  const { execFileSync } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const engine = fileURLToPath(new URL('../../src/engine/index.ts', import.meta.url));
  // A fresh process whose runtime lacks TextDecoder traces the same image.
  const script = `delete globalThis.TextDecoder;
    const { traceRgba } = await import(${JSON.stringify(engine)});
    const { scene } = await import(${JSON.stringify(fileURLToPath(new URL('../support/images.ts', import.meta.url)))});
    const img = scene();
    process.stdout.write(traceRgba(img, { preset: 'poster' }));`;
  const without = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.ok(typeof TextDecoder === 'function', 'this runtime has TextDecoder');
  assert.equal(without, traceRgba(sc, { preset: 'poster' }));
});
