/**
 * `npm run bench:unseen`: same-size fidelity against the Rust VTracer on images outside the corpus (issue 18),
 * made deterministically by bench/unseen/images.ts: launch photos, photographed text pages, colour wheels,
 * text scans. Each image × preset poster, photo, bw, scored exactly as `npm run bench` does: SSIM and PSNR of
 * each SVG rendered at the image size against the input composited on white, SVG bytes, time (median of
 * alternating runs after a warm-up). The target: SSIM at least Rust's at the colour presets, PSNR at least
 * Rust's at bw.
 *
 * Flags: --runs N (default 3), --images a,b (name prefixes), --presets poster,photo,bw,
 * --options JSON (trace options over the preset, given to both engines), --save DIR (the images as PNG and
 * both SVGs, to look at), --out FILE (markdown, default bench/results/unseen.md; "-" for none).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import type { PresetName, TraceOptions } from '../src/engine/index.js';
import { compositeOnWhite, measureFidelity, svgStats } from '../test/support/fidelity.js';
import { REPO_ROOT } from '../test/support/fixtures.js';
import { timePair } from './pair.js';
import { Report, finishReport, gitHead, median } from './report.js';
import type { Cell } from './report.js';
import { unseenImages } from './unseen/images.js';

interface Flags {
  runs: number;
  images: string[] | null;
  presets: PresetName[];
  options: TraceOptions;
  save: string | null;
  out: string | null;
}

function parseFlags(argv: string[]): Flags {
  const flags: Flags = {
    runs: 3, images: null, presets: ['poster', 'photo', 'bw'], options: {}, save: null,
    out: join(REPO_ROOT, 'bench', 'results', 'unseen.md'),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => {
      const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--runs':
        flags.runs = Number(value());
        if (!Number.isInteger(flags.runs) || flags.runs < 1) throw new Error('--runs must be a positive integer');
        break;
      case '--images': flags.images = value().split(',').map((s) => s.trim()).filter(Boolean); break;
      case '--presets': {
        const list = value().split(',').map((s) => s.trim()).filter(Boolean);
        for (const p of list) if (!['poster', 'photo', 'bw'].includes(p)) throw new Error(`--presets: unknown preset ${p}`);
        flags.presets = list as PresetName[];
        break;
      }
      case '--options': {
        const text = value();
        try { flags.options = JSON.parse(text) as TraceOptions; } catch { throw new Error(`--options must be JSON, got ${text}`); }
        break;
      }
      case '--save': flags.save = resolve(value()); break;
      case '--out': { const v = value(); flags.out = v === '-' ? null : resolve(v); break; }
      case '--help': case '-h':
        console.log('npm run bench:unseen -- [--runs N] [--images a,b] [--presets poster,photo,bw] [--options JSON] [--save DIR] [--out FILE|-]');
        process.exit(0);
        break;
      default: throw new Error(`unknown flag ${arg} (see --help)`);
    }
  }
  return flags;
}

const f2 = (x: number) => x.toFixed(2);
const f4 = (x: number) => x.toFixed(4);
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const ratio = (x: number) => `${x.toFixed(2)}×`;
const signed = (x: number, digits: number) => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;

interface Row {
  image: string; preset: PresetName; oursMs: number; rustMs: number; oursSsim: number; rustSsim: number;
  oursPsnr: number; rustPsnr: number; oursBytes: number; rustBytes: number;
}

/** The figure the target is on: PSNR at bw (a two-colour output), SSIM at the colour presets. */
const behind = (r: Row) => (r.preset === 'bw' ? r.oursPsnr < r.rustPsnr : r.oursSsim < r.rustSsim);


async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const flags = parseFlags(argv);
  const t0 = performance.now();
  let images = await unseenImages();
  const madeMs = performance.now() - t0;
  if (flags.images) {
    const wanted = flags.images;
    images = images.filter((im) => wanted.some((w) => im.name.startsWith(w)));
    if (images.length === 0) throw new Error(`no image matches --images ${wanted.join(',')}`);
  }
  if (flags.save) mkdirSync(flags.save, { recursive: true });
  const header = `# Unseen images: vtracer-ts vs Rust VTracer 0.6 at the same size\n\n`
    + `${new Date().toISOString()} · commit ${gitHead(100)} · Node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'} · `
    + `flags: ${argv.length ? argv.join(' ') : '(none)'}\n`;
  console.log(header);
  const report = new Report();
  report.section('Ours vs Rust',
    `Images made by bench/unseen/images.ts (${images.length}, in ${(madeMs / 1000).toFixed(1)} s); time = median of ${flags.runs} `
    + 'alternating run(s) after a warm-up; SSIM (luma) and PSNR (RGB) of each SVG rendered at the image size against the input '
    + 'composited on white. Target: SSIM ≥ Rust at poster and photo, PSNR ≥ Rust at bw ("behind" marks a miss).');
  const rows: Row[] = [];
  for (const { name, image } of images) {
    const white = compositeOnWhite(image.data);
    if (flags.save) {
      await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 4 } }).png()
        .toFile(join(flags.save, `${name}.png`));
    }
    for (const preset of flags.presets) {
      const p = timePair(image, { ...flags.options, preset }, flags.runs);
      const rust = p.rust!;
      const o = measureFidelity(p.ours.svg, image, white), r = measureFidelity(rust.svg, image, white);
      rows.push({
        image: name, preset, oursMs: p.ours.ms, rustMs: rust.ms, oursSsim: o.ssim, rustSsim: r.ssim, oursPsnr: o.psnr,
        rustPsnr: r.psnr, oursBytes: svgStats(p.ours.svg).bytes, rustBytes: svgStats(rust.svg).bytes,
      });
      if (flags.save) {
        writeFileSync(join(flags.save, `${name}-${preset}-ours.svg`), p.ours.svg);
        writeFileSync(join(flags.save, `${name}-${preset}-rust.svg`), rust.svg);
      }
      process.stderr.write(`  ${name} ${preset}: SSIM ${f4(o.ssim)} vs ${f4(r.ssim)}, PSNR ${f2(o.psnr)} vs ${f2(r.psnr)}\n`);
    }
  }
  report.table(
    ['image', 'preset', 'ours SSIM', 'rust SSIM', 'ΔSSIM', 'ours PSNR', 'rust PSNR', 'Δ dB', 'ours KB', 'rust KB', 'bytes', 'ours ms', 'rust ms', 'time', ''],
    rows.map((r): Cell[] => [r.image, r.preset, f4(r.oursSsim), f4(r.rustSsim), signed(r.oursSsim - r.rustSsim, 4), f2(r.oursPsnr),
      f2(r.rustPsnr), signed(r.oursPsnr - r.rustPsnr, 2), kb(r.oursBytes), kb(r.rustBytes), ratio(r.oursBytes / r.rustBytes),
      ms(r.oursMs), ms(r.rustMs), ratio(r.oursMs / r.rustMs), behind(r) ? 'behind' : '']),
  );
  const colour = rows.filter((r) => r.preset !== 'bw'), bw = rows.filter((r) => r.preset === 'bw');
  const missed = rows.filter(behind);
  const parts: string[] = [];
  if (colour.length) {
    const d = colour.map((r) => r.oursSsim - r.rustSsim);
    const worst = colour[d.indexOf(Math.min(...d))]!;
    parts.push(`colour presets: SSIM ours−Rust median ${signed(median(d), 4)}, smallest ${signed(Math.min(...d), 4)} (${worst.image} ${worst.preset})`);
  }
  if (bw.length) {
    const d = bw.map((r) => r.oursPsnr - r.rustPsnr);
    const worst = bw[d.indexOf(Math.min(...d))]!;
    parts.push(`bw: PSNR ours−Rust median ${signed(median(d), 2)} dB, smallest ${signed(Math.min(...d), 2)} dB (${worst.image})`);
  }
  const bytes = rows.map((r) => r.oursBytes / r.rustBytes), times = rows.map((r) => r.oursMs / r.rustMs);
  parts.push(`bytes ours/Rust median ${ratio(median(bytes))}, worst ${ratio(Math.max(...bytes))}`);
  parts.push(`time median ${ratio(median(times))}, worst ${ratio(Math.max(...times))}`);
  report.line('');
  report.line(`**Summary** (${rows.length} cases): ${parts.join('; ')}. Behind Rust on the target figure: `
    + `${missed.length ? missed.map((r) => `${r.image} ${r.preset}`).join(', ') : 'none'}.`);
  finishReport(report, header, flags.out, t0);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
