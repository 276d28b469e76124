/**
 * `npm run bench:text`: small text, as in a logo's wordmark or a screenshot's label, traced and looked at
 * scaled up. Two lines of text kept as outlines in test/fixtures (a bold sans wordmark and a regular serif
 * line, 200 × 24 px at a 16 px font), rasterized anti-aliased by resvg at font sizes of 12 to 32 px, traced
 * by ours, the Rust VTracer and Potrace (black and white: #111 text; Potrace on the raster thresholded at one
 * half) and by ours and Rust at the poster preset (the same text in blue), each SVG rendered at 8× and
 * compared with the truth at 8×: PSNR (RGB), xor (pixels whose one-half threshold disagrees with the truth's,
 * over the truth's ink) and stray ink: how far (px of the small image) the farthest inked pixel lies from the
 * truth's ink, a spike or a loop. Results in bench/results/text.md.
 *
 * Flags: --sizes 12,16 (font sizes, px); --out FILE|- (markdown; default bench/results/text.md).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

interface Flags { sizes: number[]; out: string | null }

function parseFlags(argv: string[]): Flags {
  const flags: Flags = { sizes: [12, 16, 20, 24, 32], out: join(REPO_ROOT, 'bench', 'results', 'text.md') };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg}: expected a value`);
      return v;
    };
    if (arg === '--sizes') {
      const v = value();
      flags.sizes = v.split(',').map(Number);
      if (flags.sizes.some((s) => !Number.isInteger(s) || s < 8 || s > 64)) throw new Error(`--sizes: expected font sizes from 8 to 64 px, got ${v}`);
    } else if (arg === '--out') {
      const v = value();
      flags.out = v === '-' ? null : resolve(v);
    } else if (arg === '--help' || arg === '-h') {
      console.log('npm run bench:text -- [--sizes 12,16,20,24,32] [--out FILE|-]');
      process.exit(0);
    } else throw new Error(`unknown flag ${arg} (see --help)`);
  }
  return flags;
}

interface Score { psnr: number; xor: number; stray: number; bytes: number }

function main(): void {
  const flags = parseFlags(process.argv.slice(2));
  const t0 = performance.now();
  const potraceWhy = ensurePotrace((l) => process.stderr.write(`${l}\n`));
  const report = new Report();
  report.line('# Small text (`npm run bench:text`)');
  report.line('');
  report.line(`Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC at ${gitHead(80)}. Two lines of text kept as outlines `
    + `(test/fixtures/wordmark.svg: DejaVu Sans Bold; wordmark-serif.svg: DejaVu Serif), rasterized anti-aliased at font sizes `
    + `${flags.sizes.join(', ')} px; bw: #111 text, ours and Rust at the bw preset, Potrace with its defaults on the raster thresholded `
    + `at one half; poster: the text in ${BLUE}. Scores of each SVG rendered at ${SCALE}× against the truth at ${SCALE}× over white: PSNR (RGB, dB), `
    + `xor (% of the truth's ink), stray = the farthest traced ink from the truth's ink (px of the small image, up to ${STRAY_REACH}), B = SVG bytes.`);
  if (potraceWhy) report.line(`\n**Note:** Potrace column skipped: ${potraceWhy}.`);
  const modes = [
    { mode: 'bw', tracers: potraceWhy ? ['ours', 'rust'] : ['ours', 'rust', 'potrace'] },
    { mode: 'poster', tracers: ['ours', 'rust'] },
  ] as const;
  for (const { mode, tracers } of modes) {
    const rows: (string | number)[][] = [];
    const all = new Map<string, Score[]>();
    for (const text of TEXTS) {
      let source = readFileSync(join(REPO_ROOT, 'test', 'fixtures', text.file), 'utf8');
      if (mode === 'poster') source = source.replace('fill="#111"', `fill="${BLUE}"`);
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
    report.section(mode === 'bw' ? 'Black and white (#111 text)' : `Poster (${BLUE} text)`);
    const headers = ['text', 'font px'];
    for (const t of tracers) headers.push(`${t} PSNR`, `${t} xor %`, `${t} stray`, `${t} B`);
    report.table(headers, rows);
    const med = (t: string, f: (s: Score) => number) => median(all.get(t)!.map(f));
    report.line(`Medians: ${tracers.map((t) => `${t} ${med(t, (s) => s.psnr).toFixed(2)} dB, xor ${(100 * med(t, (s) => s.xor)).toFixed(1)} %, `
      + `stray ${med(t, (s) => s.stray).toFixed(2)} px (worst ${Math.max(...all.get(t)!.map((s) => s.stray)).toFixed(2)}), ${Math.round(med(t, (s) => s.bytes))} B`).join('; ')}.`);
  }
  finishReport(report, '', flags.out, t0);
}

try {
  main();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
