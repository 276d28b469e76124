/**
 * `npm run bench:text`: small text, as in a logo's wordmark or a screenshot's label, traced and looked at
 * scaled up. Two lines of text kept as outlines in test/fixtures (a bold sans wordmark and a regular serif
 * line, 200 × 24 px at a 16 px font), rasterized anti-aliased by resvg at font sizes of 12 to 32 px, traced
 * by ours, the Rust VTracer and Potrace (black and white: #111 text; Potrace on the raster thresholded at one
 * half) and by ours and Rust at the poster preset (the same text in blue, and in white on teal), each SVG rendered at 8× and
 * compared with the truth at 8×: PSNR (RGB), xor (pixels whose one-half threshold disagrees with the truth's,
 * over the truth's ink) and stray ink: how far (px of the small image) the farthest inked pixel lies from the
 * truth's ink, a spike or a loop. Results in bench/results/text.md, and a sheet to look at
 * (bench/results/text-sheet.png: a few lines at SHEET_SCALE× as truth, ours, Rust, Potrace and the pixels).
 *
 * Flags: --sizes 12,16 (font sizes, px); --out FILE|- (markdown; default bench/results/text.md; with "-" no
 * sheet either).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Resvg } from '@resvg/resvg-js';
import sharp from 'sharp';
import type { OverlayOptions } from 'sharp';
import { traceOurs, traceRust, tracePotrace, ensurePotrace } from './shapes/tracers.js';
import { inkMask, strayInk, xorError } from './shapes/metrics.js';
import { psnr, renderSvg, WHITE } from '../test/support/fidelity.js';
import type { RgbaBuffer } from '../test/support/fidelity.js';
import { REPO_ROOT } from '../test/support/fixtures.js';
import { Report, finishReport, gitHead, median } from './report.js';

/** Each text's outline document (200 × 24 at a 16 px font) and its name. */
const TEXTS = [
  { name: 'sans bold', file: 'wordmark.svg' },
  { name: 'serif', file: 'wordmark-serif.svg' },
] as const;
/** The scores' rendering scale. */
const SCALE = 8;
/** Stray ink is looked for this far (px of the small image) at most. */
const STRAY_REACH = 2;
/** The colour the text is recoloured to for the poster rows. */
const BLUE = '#1d4ed8';
/** The reversed poster rows: white text on this background (a button, a banner). */
const TEAL = '#0f766e';

type Mode = 'bw' | 'poster' | 'reversed';
/** Each mode's heading. */
const MODE_TITLE: Record<Mode, string> = { bw: 'bw', poster: `poster (${BLUE})`, reversed: `poster, white on ${TEAL}` };

interface Flags { sizes: number[]; out: string | null }

/** The sheet's rows: text, font size (px), mode. */
const SHEET_ROWS = [
  { text: 0, size: 16, mode: 'bw' },
  { text: 1, size: 20, mode: 'bw' },
  { text: 0, size: 16, mode: 'poster' },
  { text: 1, size: 16, mode: 'poster' },
  { text: 1, size: 16, mode: 'reversed' },
] as const;
const SHEET_SCALE = 4, SHEET_LABEL = 120, SHEET_GAP = 6, SHEET_TITLE = 22;
const SHEET_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

/** A text's outline document, recoloured for the poster rows. */
function textSource(file: string, mode: Mode): string {
  const source = readFileSync(join(REPO_ROOT, 'test', 'fixtures', file), 'utf8');
  if (mode === 'poster') return source.replace('fill="#111"', `fill="${BLUE}"`);
  if (mode === 'reversed') return source.replace('fill="#111"', 'fill="#fff"').replace('fill="#fff"/>', `fill="${TEAL}"/>`);
  return source;
}

/** The sheet: per row, the truth, ours, Rust, Potrace (bw) and the input pixels, one above the other. */
async function textSheet(file: string, potraceOk: boolean): Promise<void> {
  const strips: { label: string; png: Buffer | null; note?: string }[] = [];
  let width = 0;
  for (const row of SHEET_ROWS) {
    const t = TEXTS[row.text];
    const source = textSource(t.file, row.mode);
    const w = Math.round((200 * row.size) / 16), h = Math.round((24 * row.size) / 16);
    const W = w * SHEET_SCALE, H = h * SHEET_SCALE;
    width = Math.max(width, W);
    const small: RgbaBuffer = { data: renderSvg(source, w, h, WHITE), width: w, height: h };
    const kind = row.mode === 'bw' ? 'bw' : 'colour';
    const png = (svg: string): Buffer => new Resvg(svg, { fitTo: { mode: 'width', value: W }, background: 'white', font: { loadSystemFonts: false } }).render().asPng();
    strips.push({ label: 'truth', png: png(source) });
    strips.push({ label: 'ours', png: png(traceOurs(small, kind)) });
    strips.push({ label: 'Rust VTracer', png: png(traceRust(small, kind)) });
    if (row.mode === 'bw') strips.push(potraceOk ? { label: 'Potrace', png: png(tracePotrace(small)) } : { label: 'Potrace', png: null, note: 'not installed' });
    strips.push({
      label: 'input pixels',
      png: await sharp(Buffer.from(small.data.buffer, small.data.byteOffset, small.data.byteLength), { raw: { width: w, height: h, channels: 4 } })
        .resize(W, H, { kernel: 'nearest' }).png().toBuffer(),
    });
  }
  const rowHeight = (i: number): number => Math.round((24 * SHEET_ROWS[Math.min(SHEET_ROWS.length - 1, i)]!.size * SHEET_SCALE) / 16);
  // Strip heights follow their row's font size: walk the strips in order, five (or four) per row.
  const layers: OverlayOptions[] = [];
  const texts: string[] = [];
  let top = SHEET_GAP, row = 0, inRow = 0;
  for (const s of strips) {
    const perRow = SHEET_ROWS[row]!.mode === 'bw' ? 5 : 4;
    const h = rowHeight(row);
    if (inRow === 0) {
      // The group's title on a line of its own above it.
      const r = SHEET_ROWS[row]!;
      texts.push(`<text x="8" y="${top + 14}" font-size="15">${TEXTS[r.text].name}, ${r.size} px font, ${MODE_TITLE[r.mode]}, shown at ${SHEET_SCALE}×</text>`);
      top += SHEET_TITLE;
    }
    texts.push(`<text x="8" y="${top + h / 2 + 5}" font-size="14" fill="#444">${s.label}</text>`);
    if (s.png) layers.push({ input: s.png, left: SHEET_LABEL, top });
    else texts.push(`<text x="${SHEET_LABEL + 20}" y="${top + h / 2 + 5}" font-size="14" fill="#888">${s.note}</text>`);
    top += h + SHEET_GAP;
    if (++inRow === perRow) { row++; inRow = 0; top += 3 * SHEET_GAP; }
  }
  const width2 = SHEET_LABEL + width + SHEET_GAP, height = top;
  const font = existsSync(SHEET_FONT) ? { loadSystemFonts: false, fontFiles: [SHEET_FONT], defaultFontFamily: 'DejaVu Sans' } : { loadSystemFonts: true };
  const overlay = new Resvg(`<svg xmlns="http://www.w3.org/2000/svg" width="${width2}" height="${height}"><g font-family="DejaVu Sans">${texts.join('')}</g></svg>`, { font, logLevel: 'off' }).render().asPng();
  layers.push({ input: overlay, left: 0, top: 0 });
  await sharp({ create: { width: width2, height, channels: 4, background: '#ffffff' } }).composite(layers).png().toFile(file);
}

function parseFlags(argv: string[]): Flags {
  const { values } = parseArgs({
    args: argv,
    options: { sizes: { type: 'string', default: '12,16,20,24,32' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    console.log('npm run bench:text -- [--sizes 12,16,20,24,32] [--out FILE|-]');
    process.exit(0);
  }
  const sizes = values.sizes.split(',').map(Number);
  if (sizes.some((s) => !Number.isInteger(s) || s < 8 || s > 64)) throw new Error(`--sizes: expected font sizes from 8 to 64 px, got ${values.sizes}`);
  const out = values.out === undefined ? join(REPO_ROOT, 'bench', 'results', 'text.md') : values.out === '-' ? null : resolve(values.out);
  return { sizes, out };
}

interface Score { psnr: number; xor: number; stray: number; bytes: number }

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const t0 = performance.now();
  const potraceWhy = ensurePotrace((l) => process.stderr.write(`${l}\n`));
  const report = new Report();
  report.line('# Small text (`npm run bench:text`)');
  report.line('');
  report.line(`Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC at ${gitHead(80)} on Node ${process.version}. Two lines of text kept as outlines `
    + `(test/fixtures/wordmark.svg: DejaVu Sans Bold; wordmark-serif.svg: DejaVu Serif), rasterized anti-aliased at font sizes `
    + `${flags.sizes.join(', ')} px; bw: #111 text, ours and Rust at the bw preset, Potrace with its defaults on the raster thresholded `
    + `at one half; poster: the text in ${BLUE}. Scores of each SVG rendered at ${SCALE}× against the truth at ${SCALE}× over white: PSNR (RGB, dB), `
    + `xor (% of the truth's ink), stray = the farthest traced ink from the truth's ink (px of the small image, up to ${STRAY_REACH}), B = SVG bytes.`);
  if (potraceWhy) report.line(`\n**Note:** Potrace column skipped: ${potraceWhy}.`);
  const modes = [
    { mode: 'bw', tracers: potraceWhy ? ['ours', 'rust'] : ['ours', 'rust', 'potrace'] },
    { mode: 'poster', tracers: ['ours', 'rust'] },
    { mode: 'reversed', tracers: ['ours', 'rust'] },
  ] as const;
  for (const { mode, tracers } of modes) {
    const rows: (string | number)[][] = [];
    const all = new Map<string, Score[]>();
    for (const text of TEXTS) {
      const source = textSource(text.file, mode);
      for (const size of flags.sizes) {
        const w = Math.round((200 * size) / 16), h = Math.round((24 * size) / 16);
        const small: RgbaBuffer = { data: renderSvg(source, w, h, WHITE), width: w, height: h };
        const W = w * SCALE, H = h * SCALE;
        const truthPx = renderSvg(source, W, H, WHITE);
        const truthInk = inkMask(truthPx);
        const row: (string | number)[] = [text.name, size];
        for (const tracer of tracers) {
          const kind = mode === 'bw' ? 'bw' : 'colour';
          const svg = tracer === 'ours' ? traceOurs(small, kind) : tracer === 'rust' ? traceRust(small, kind) : tracePotrace(small);
          const big = renderSvg(svg, W, H, WHITE);
          const ink = inkMask(big);
          const score: Score = {
            psnr: psnr(big, truthPx), xor: xorError(truthInk, ink), stray: strayInk(truthInk, ink, W, H, STRAY_REACH * SCALE) / SCALE,
            bytes: svg.length,
          };
          (all.get(tracer) ?? all.set(tracer, []).get(tracer)!).push(score);
          row.push(score.psnr.toFixed(2), (100 * score.xor).toFixed(1), score.stray.toFixed(2), score.bytes);
        }
        rows.push(row);
      }
      process.stderr.write(`  ${mode} ${text.name}\n`);
    }
    report.section(mode === 'bw' ? 'Black and white (#111 text)' : mode === 'poster' ? `Poster (${BLUE} text)` : `Poster, reversed (white text on ${TEAL})`);
    const headers = ['text', 'font px'];
    for (const t of tracers) headers.push(`${t} PSNR`, `${t} xor %`, `${t} stray`, `${t} B`);
    report.table(headers, rows);
    if (mode === 'reversed') report.line('(Reversed: xor and stray take the dark pixels as ink, here the background; PSNR is the figure to read.)');
    const med = (t: string, f: (s: Score) => number) => median(all.get(t)!.map(f));
    report.line(`Medians: ${tracers.map((t) => `${t} ${med(t, (s) => s.psnr).toFixed(2)} dB, xor ${(100 * med(t, (s) => s.xor)).toFixed(1)} %, `
      + `stray ${med(t, (s) => s.stray).toFixed(2)} px (worst ${Math.max(...all.get(t)!.map((s) => s.stray)).toFixed(2)}), ${Math.round(med(t, (s) => s.bytes))} B`).join('; ')}.`);
  }
  if (flags.out) {
    const sheet = join(REPO_ROOT, 'bench', 'results', 'text-sheet.png');
    await textSheet(sheet, potraceWhy === null);
    report.line('');
    report.line('Sheet: [text-sheet.png](text-sheet.png)');
    process.stderr.write(`sheet: ${relative(process.cwd(), sheet)}\n`);
  }
  finishReport(report, '', flags.out, t0);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
