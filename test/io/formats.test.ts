/**
 * Output formats read by independent readers (pdftoppm, Ghostscript, dxf-parser, sharp) and rendered to
 * within a PSNR tolerance of resvg's render of the SVG they were exported from: traced fixtures (colour and
 * binary, splines and polygons) and a hand-written SVG using every path command (arcs, quadratics,
 * shorthands, relative commands) as the engine's writer may emit them.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportImage, trace, traceFile } from '../../src/index.js';
import { exportVector, formatOfPath } from '../../src/engine/index.js';
import { psnr, renderSvg } from '../support/fidelity.js';
import { fixturePath } from '../support/fixtures.js';
import { decodePng, ensureFormatTools, parseDxf, renderDxf, renderEps, renderPdf } from '../support/formats.js';

before(() => ensureFormatTools());

/** Every SVG path command, absolute and relative, with compact numbers and flags without separators. */
const ALL_COMMANDS = `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="160" height="120" viewBox="0 0 160 120">
<path d="M10 10h40v30H10z" fill="#d02020"/>
<g fill="#2050c0">
<path d="M60 10a20 20 0 1 1 0 40a20 20 0 1 1 0-40zm0 8a12 12 0 1 0 0 24a12 12 0 1 0 0-24z"/>
<path d="M100 10q20 0 20 20t20 20l0 20-30 0c-10 0-20-10-20-20s5-25 10-40z"/>
</g>
<path d="M10 60A30 15 30 0 0 70 100L70 110 10 110Z" fill="#10a040" fill-rule="evenodd"/>
<path d="M80 80C90 60 110 60 120 80S150 100 150 80" fill="none" stroke="#202020" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/>
<path d="m100 100l10-10 10 10-10 10z" fill="#f0c000"/>
</svg>
`;

interface Case { name: string; svg: () => Promise<string> }

const CASES: Case[] = [
  { name: 'every path command', svg: async () => ALL_COMMANDS },
  { name: 'emoji, colour splines', svg: () => trace(fixturePath('emoji-1f34e.png'), { filterSpeckle: 4 }) },
  { name: 'text, binary polygons', svg: () => trace(fixturePath('text.png'), { colorMode: 'binary', mode: 'polygon' }) },
  { name: 'logo, cutout, optimize 2', svg: () => trace(fixturePath('logo.png'), { hierarchical: 'cutout', optimize: 2 }) },
  // Open stroked paths (the DXF reader strokes STROKE_ layers 3 px wide: the width DXF splines cannot carry).
  { name: 'text, centerline strokes', svg: () => trace(fixturePath('text.png'), { colorMode: 'binary', drawStyle: 'centerline', strokeWidth: 3 }) },
];

function size(svg: string): { width: number; height: number } {
  const m = /<svg[^>]* width="([\d.]+)" height="([\d.]+)"/.exec(svg)!;
  return { width: Number(m[1]), height: Number(m[2]) };
}

for (const c of CASES) {
  test(`formats: ${c.name} renders like the SVG in PDF, EPS, DXF and PNG`, async () => {
    const svg = await c.svg();
    const { width, height } = size(svg);
    const reference = renderSvg(svg, width, height);
    const scores: Record<string, number> = {};
    scores.pdf = psnr(reference, await renderPdf(await exportImage(svg, 'pdf'), width, height));
    scores.eps = psnr(reference, await renderEps(await exportImage(svg, 'eps'), width, height));
    scores.dxf = psnr(reference, renderDxf(await exportImage(svg, 'dxf'), width, height, 3));
    const png = await decodePng(await exportImage(svg, 'png'));
    assert.deepEqual([png.width, png.height], [width, height]);
    scores.png = psnr(reference, png.data);
    // Anti-aliasing differs between renderers (edge pixels), the drawing must not: 22 dB is a few
    // percent of edge pixels off by a few levels; a moved shape (12.6 dB below), a flipped axis or a wrong colour is far below.
    for (const [format, score] of Object.entries(scores)) {
      assert.ok(score > 22, `${c.name}: ${format} render differs from the SVG's (PSNR ${score.toFixed(1)} dB; all: ${JSON.stringify(scores)})`);
    }
  });
}

test('formats: a wrong drawing scores far below the tolerance (the comparison can fail)', async () => {
  const svg = ALL_COMMANDS;
  const { width, height } = size(svg);
  const moved = svg.replace('M10 10h40v30H10z', 'M90 70h40v30H90z');
  const score = psnr(renderSvg(svg, width, height), await renderPdf(exportVector(moved, 'pdf'), width, height));
  assert.ok(score < 22, `moved rectangle still scored ${score.toFixed(1)} dB`);
});

test('formats: PDF page, EPS bounding box and DXF units follow the SVG size and scale', async () => {
  const svg = await trace(fixturePath('text.png'), { colorMode: 'binary', scale: 2 });
  const pdf = Buffer.from(exportVector(svg, 'pdf')).toString('latin1');
  assert.match(pdf, /^%PDF-1\.4\n/);
  assert.match(pdf, /\/MediaBox \[0 0 672 258\]/); // 448×172 px × 2 × 0.75 pt
  assert.match(pdf, /startxref\n\d+\n%%EOF\n$/);
  const eps = Buffer.from(exportVector(svg, 'eps')).toString('latin1');
  assert.match(eps, /^%!PS-Adobe-3\.0 EPSF-3\.0\n/);
  assert.match(eps, /\n%%BoundingBox: 0 0 672 258\n/);
  const dxf = parseDxf(Buffer.from(exportVector(svg, 'dxf')).toString('latin1'));
  assert.equal(dxf.header.$INSUNITS, 4);
  assert.ok(Math.abs(dxf.header.$EXTMAX.x - 896 * 25.4 / 96) < 1e-3);
  const layers = Object.keys(dxf.tables.layer.layers);
  assert.ok(layers.includes('FILL_000000'), `layers: ${layers}`);
  assert.ok(dxf.entities.every((e) => e.layer === 'FILL_000000'));
  const png = await decodePng(await exportImage(svg, 'png'));
  assert.deepEqual([png.width, png.height], [896, 344]);
});

test('formats: DXF writes straight subpaths as closed LWPOLYLINEs and curved ones as cubic SPLINEs, a layer per colour', () => {
  const dxf = parseDxf(Buffer.from(exportVector(ALL_COMMANDS, 'dxf')).toString('latin1'));
  const kinds = dxf.entities.map((e) => `${e.type}:${e.layer}`);
  assert.equal(kinds[0], 'LWPOLYLINE:FILL_d02020');
  assert.equal(dxf.entities[0].shape, true);
  assert.equal(dxf.entities[0].vertices.length, 4);
  const spline = dxf.entities.find((e) => e.type === 'SPLINE')!;
  assert.equal(spline.degreeOfSplineCurve, 3);
  assert.equal(spline.knotValues.length, spline.controlPoints.length + 4);
  assert.ok(kinds.includes('SPLINE:STROKE_202020'));
  assert.deepEqual(Object.keys(dxf.tables.layer.layers).sort(), ['0', 'FILL_10a040', 'FILL_2050c0', 'FILL_d02020', 'FILL_f0c000', 'STROKE_202020']);
});

test('formats: traceFile picks the format from the output extension', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vtracer-tracefile-'));
  try {
    const expect: Record<string, RegExp> = { svg: /^<svg /, pdf: /^%PDF-/, eps: /^%!PS-Adobe/, dxf: /^0\nSECTION\n/, png: /^\x89PNG/ };
    for (const [ext, magic] of Object.entries(expect)) {
      const out = join(dir, `text.${ext}`);
      await traceFile(fixturePath('text.png'), out, { colorMode: 'binary' });
      assert.match(readFileSync(out).toString('latin1'), magic, ext);
    }
    assert.equal(formatOfPath('a/b.PDF'), 'pdf');
    assert.equal(formatOfPath('b.ps'), 'eps');
    assert.equal(formatOfPath('b.txt'), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
