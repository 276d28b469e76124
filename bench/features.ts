/**
 * The options beyond VTracer 0.6 (issue 8), one row each, against the Rust reference where it has a
 * counterpart: bytes, PSNR/SSIM against the input composited on white, and what the option is for (seam
 * pixels over magenta for cutout, fills for colour limits, glyphs kept for adaptive thresholding).
 * Writes bench/results/features.md and prints it.
 *
 *   npm run bench:features
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { traceRgba, type TraceOptions } from '../src/engine/index.js';
import { compositeOnWhite, loadRgba, measureFidelity, renderSvg } from '../test/support/fidelity.js';
import { magentaSeams } from '../test/support/svg-checks.js';
import { imagePath, REPO_ROOT } from '../test/support/fixtures.js';
import { traceRust } from '../test/support/reference.js';
import { glyphsKept, litScan } from '../test/support/images.js';

const rows: string[] = [];
const row = (...cells: (string | number)[]) => rows.push(`| ${cells.join(' | ')} |`);
const kb = (s: string) => (s.length / 1024).toFixed(1);

function fills(svg: string): number {
  return new Set([...svg.matchAll(/fill="(#[0-9a-f]{6})"/gi)].map((m) => m[1]!.toLowerCase())).size;
}

const out: string[] = ['# Options beyond VTracer 0.6, against the Rust reference', '', `Node ${process.version}.`, ''];

// Cutout.
rows.length = 0;
for (const name of ['emoji-1f34e.png', 'emoji-1f436.png', 'logo.png', 'astronaut-256.png']) {
  const img = await loadRgba(imagePath(name, true));
  const white = compositeOnWhite(img.data);
  const ours = traceRgba(img, { preset: 'poster', hierarchical: 'cutout' });
  const rust = traceRust(img, { preset: 'poster', hierarchical: 'cutout' });
  const o = measureFidelity(ours, img, white), r = measureFidelity(rust, img, white);
  row(name, kb(ours), kb(rust), o.psnr.toFixed(2), r.psnr.toFixed(2), o.ssim.toFixed(4), r.ssim.toFixed(4), magentaSeams(ours, img), magentaSeams(rust, img));
}
out.push('## Cutout (seam-free mosaic vs separately fitted shapes), poster', '',
  '| image | ours KB | rust KB | ours PSNR | rust PSNR | ours SSIM | rust SSIM | ours magenta px | rust magenta px |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|', ...rows, '');

// Colour limits.
rows.length = 0;
for (const name of ['astronaut-256.png', 'logo.png', 'emoji-1f436.png']) {
  const img = await loadRgba(imagePath(name, true));
  const white = compositeOnWhite(img.data);
  const rust = traceRust(img, { preset: 'poster' });
  const r = measureFidelity(rust, img, white);
  row(name, 'Rust poster', kb(rust), fills(rust), r.psnr.toFixed(2), r.ssim.toFixed(4));
  for (const opts of [{}, { maxColors: 16 }, { maxColors: 8 }, { maxColors: 4 }, { palette: ['#000000', '#ffffff', '#d04040', '#40a040', '#4060c0'] }] as TraceOptions[]) {
    const svg = traceRgba(img, { preset: 'poster', ...opts });
    const o = measureFidelity(svg, img, white);
    row(name, `ours ${JSON.stringify(opts)}`, kb(svg), fills(svg), o.psnr.toFixed(2), o.ssim.toFixed(4));
  }
}
out.push('## Colour limits (maxColors, palette), poster', '', '| image | run | KB | fills | PSNR | SSIM |', '|---|---|---:|---:|---:|---:|', ...rows, '');

// Binary thresholds on an unevenly lit scan.
rows.length = 0;
const scan = litScan();
const ideal = new Uint8Array(scan.image.data.length).fill(255);
for (const [x, y, w, h] of scan.glyphs) {
  for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) {
    if (xx < x + 3 || xx >= x + w - 3 || yy < y + 3 || yy >= y + h - 3) {
      const i = 4 * (yy * scan.image.width + xx);
      ideal[i] = ideal[i + 1] = ideal[i + 2] = 0;
    }
  }
}
const keptGlyphs = (svg: string): number => glyphsKept(renderSvg(svg, scan.image.width, scan.image.height), scan);
const runs: [string, string][] = [
  ['Rust bw (red channel < 128)', traceRust(scan.image, { preset: 'bw' })],
  ['ours bw (luminance < 128)', traceRgba(scan.image, { preset: 'bw' })],
  ['ours bw, binaryThreshold 64', traceRgba(scan.image, { preset: 'bw', binaryThreshold: 64 })],
  ['ours bw, adaptive', traceRgba(scan.image, { preset: 'bw', adaptive: true })],
];
for (const [label, svg] of runs) {
  const f = measureFidelity(svg, scan.image, ideal);
  row(label, kb(svg), `${keptGlyphs(svg)}/${scan.glyphs.length}`, f.psnr.toFixed(2), f.ssim.toFixed(4));
}
out.push('## Binary thresholds on a page lit unevenly (360×160, 44 ring glyphs)', '',
  'Fidelity against the ideal binarisation (ink black, paper white).', '',
  '| run | KB | glyphs kept | PSNR | SSIM |', '|---|---:|---:|---:|---:|', ...rows, '');

// Compact SVG: optimize and simplify.
rows.length = 0;
for (const name of ['logo.png', 'astronaut-256.png', 'emoji-1f436.png']) {
  const img = await loadRgba(imagePath(name, true));
  const white = compositeOnWhite(img.data);
  const rust = traceRust(img, { preset: 'poster' });
  const r = measureFidelity(rust, img, white);
  row(name, 'Rust poster', kb(rust), r.psnr.toFixed(2), r.ssim.toFixed(4));
  for (const opts of [{ optimize: 0 }, { optimize: 1 }, { optimize: 2 }, { simplify: 0 }, { simplify: 1 }, { simplify: 2 }, { optimize: 2, simplify: 1 }] as TraceOptions[]) {
    const svg = traceRgba(img, { preset: 'poster', ...opts });
    const o = measureFidelity(svg, img, white);
    row(name, `ours ${JSON.stringify(opts)}`, kb(svg), o.psnr.toFixed(2), o.ssim.toFixed(4));
  }
}
out.push('## Compact SVG (optimize, simplify; defaults optimize 1, simplify 0.5), poster', '',
  '| image | run | KB | PSNR | SSIM |', '|---|---|---:|---:|---:|', ...rows, '');

const text = out.join('\n');
console.log(text);
mkdirSync(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(REPO_ROOT, 'bench', 'results', 'features.md'), text);
