/**
 * `npm run bench`: our engine against the Rust reference (VTracer 0.6 through @neplex/vectorizer), same
 * process, same RGBA buffers, same parameters.
 *
 *   1. main table: every corpus image (../shared/corpus, else test/fixtures) × presets poster, photo, bw:
 *      time (median of alternating runs after a warm-up), ratio, SSIM and PSNR against the input
 *      composited on white, SVG bytes and byte ratio; then a summary line;
 *   2. emoji: PSNR at the poster preset, ours and Rust's, on every emoji;
 *   3. noise series: a flat 1-megapixel image and the same with ±4, ±8, ±16 uniform noise per channel
 *      (deterministic PRNG), presets photo and poster; Rust on the 512² version (1 MP with --full);
 *   4. size series: the astronaut photo at 0.25, 1, 4 and 16 megapixels (sharp, Lanczos); time per
 *      pixel; the 16 MP case runs in a child process, which also reports its peak RSS;
 *   5. binary on the same foreground: each corpus image thresholded first (our luminance rule), then both
 *      engines trace that black-and-white image at the bw preset. The reference thresholds the red channel,
 *      so on photos the main table compares different foregrounds; this isolates the tracer.
 *
 * Flags: --quick (1 run, fewer series), --runs N, --images a,b (name prefixes), --presets poster,photo,
 * --sections main,emoji,noise,size,binary (default all), --full (Rust on the long cases too), --out FILE
 * (markdown report, default bench/results/latest.md; "-" for none).
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { traceRgba } from '../src/engine/index.js';
import type { PresetName } from '../src/engine/index.js';
import { compositeOnWhite, loadRgba, measureFidelity, svgStats } from '../test/support/fidelity.js';
import type { RgbaBuffer } from '../test/support/fidelity.js';
import { FIXTURES_DIR, REPO_ROOT, corpusDir, corpusImages, fixtureImages } from '../test/support/fixtures.js';
import { rustConfig, traceRustConfig } from '../test/support/reference.js';
import { validateOptions } from '../src/engine/options.js';
import { solid, withNoise } from '../test/support/images.js';
import { Report, finishReport, gitHead, median } from './report.js';
import { time, timePair } from './pair.js';
import type { Cell } from './report.js';

const THIS_FILE = fileURLToPath(import.meta.url);

// ---------------------------------------------------------------------------------------------- flags
interface Flags {
  quick: boolean;
  full: boolean;
  runs: number;
  images: string[] | null;
  presets: PresetName[];
  sections: Set<string>;
  out: string | null;
}

function parseFlags(argv: string[]): Flags {
  const flags: Flags = {
    quick: false, full: false, runs: 5, images: null, presets: ['poster', 'photo', 'bw'],
    sections: new Set(['main', 'emoji', 'noise', 'size', 'binary']), out: join(REPO_ROOT, 'bench', 'results', 'latest.md'),
  };
  let runsGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--quick': flags.quick = true; break;
      case '--full': flags.full = true; break;
      case '--runs': flags.runs = Number(value()); runsGiven = true;
        if (!Number.isInteger(flags.runs) || flags.runs < 1) throw new Error('--runs must be a positive integer');
        break;
      case '--images': flags.images = value().split(',').map((s) => s.trim()).filter(Boolean); break;
      case '--presets': {
        const list = value().split(',').map((s) => s.trim()).filter(Boolean);
        for (const p of list) if (!['poster', 'photo', 'bw'].includes(p)) throw new Error(`unknown preset ${p}`);
        flags.presets = list as PresetName[];
        break;
      }
      case '--sections': {
        const list = value().split(',').map((s) => s.trim()).filter(Boolean);
        for (const s of list) if (!['main', 'emoji', 'noise', 'size', 'binary'].includes(s)) throw new Error(`unknown section ${s}`);
        flags.sections = new Set(list);
        break;
      }
      case '--out': { const v = value(); flags.out = v === '-' ? null : resolve(v); break; }
      case '--help': case '-h':
        console.log(readHelp());
        process.exit(0);
        break;
      default: throw new Error(`unknown flag ${arg} (see --help)`);
    }
  }
  if (flags.quick && !runsGiven) flags.runs = 1;
  return flags;
}

function readHelp(): string {
  return `npm run bench -- [--quick] [--runs N] [--images a,b] [--presets poster,photo,bw]
                    [--sections main,emoji,noise,size,binary] [--full] [--out FILE|-]`;
}

// ---------------------------------------------------------------------------------------------- output

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);
const f4 = (x: number) => x.toFixed(4);
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const ratio = (x: number) => `${x.toFixed(2)}×`;
const signed = (x: number, digits = 4) => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;

// ---------------------------------------------------------------------------------------------- images
interface Source { name: string; path: string }

function sources(flags: Flags): { dir: string; list: Source[] } {
  const corpus = corpusDir();
  const dir = corpus ?? FIXTURES_DIR;
  const names = corpus ? corpusImages() : fixtureImages();
  let list = names.map((n) => ({ name: n.replace(/\.[^.]+$/, ''), path: join(dir, n) }));
  if (flags.images) {
    const wanted = flags.images;
    list = list.filter((s) => wanted.some((w) => s.name === w || s.name.startsWith(w)));
    if (list.length === 0) throw new Error(`no image matches --images ${wanted.join(',')} in ${dir}`);
  }
  return { dir, list };
}

async function astronautPath(): Promise<string> {
  const corpus = corpusDir();
  if (corpus) return join(corpus, 'astronaut.png');
  return join(FIXTURES_DIR, 'astronaut-256.png');
}

async function resized(path: string, side: number): Promise<RgbaBuffer> {
  const { data, info } = await sharp(path).resize(side, side, { kernel: 'lanczos3' }).toColourspace('srgb').ensureAlpha()
    .raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

// ---------------------------------------------------------------------------------------------- sections
interface MainRow {
  image: string; preset: PresetName; oursMs: number; rustMs: number;
  oursSsim: number; rustSsim: number; oursPsnr: number; rustPsnr: number;
  oursBytes: number; rustBytes: number; oursPaths: number; rustPaths: number;
}

async function mainTable(flags: Flags, report: Report): Promise<MainRow[]> {
  const { dir, list } = sources(flags);
  report.section('Corpus: ours vs Rust',
    `Images from ${relative(REPO_ROOT, dir) || dir}; time = median of ${flags.runs} alternating run(s) after a warm-up; `
    + 'SSIM/PSNR against the input composited on white (resvg render at the image size).');
  const rows: MainRow[] = [];
  for (const src of list) {
    const img = await loadRgba(src.path);
    const white = compositeOnWhite(img.data);
    for (const preset of flags.presets) {
      const p = timePair(img, { preset }, flags.runs);
      const o = measureFidelity(p.ours.svg, img, white);
      const r = measureFidelity(p.rust!.svg, img, white);
      const os = svgStats(p.ours.svg), rs = svgStats(p.rust!.svg);
      rows.push({
        image: src.name, preset, oursMs: p.ours.ms, rustMs: p.rust!.ms, oursSsim: o.ssim, rustSsim: r.ssim,
        oursPsnr: o.psnr, rustPsnr: r.psnr, oursBytes: os.bytes, rustBytes: rs.bytes, oursPaths: os.paths, rustPaths: rs.paths,
      });
      process.stderr.write(`  ${src.name} ${preset}: ${ms(p.ours.ms)} vs ${ms(p.rust!.ms)} ms\n`);
    }
  }
  report.table(
    ['image', 'preset', 'ours ms', 'rust ms', 'time', 'ours SSIM', 'rust SSIM', 'ΔSSIM', 'ours PSNR', 'rust PSNR', 'ours KB', 'rust KB', 'bytes', 'ours paths', 'rust paths'],
    rows.map((r) => [r.image, r.preset, ms(r.oursMs), ms(r.rustMs), ratio(r.oursMs / r.rustMs), f4(r.oursSsim), f4(r.rustSsim),
      signed(r.oursSsim - r.rustSsim), f2(r.oursPsnr), f2(r.rustPsnr), kb(r.oursBytes), kb(r.rustBytes),
      ratio(r.oursBytes / r.rustBytes), r.oursPaths, r.rustPaths]),
  );
  const timeRatios = rows.map((r) => r.oursMs / r.rustMs);
  const byteRatios = rows.map((r) => r.oursBytes / r.rustBytes);
  const worstTime = rows[timeRatios.indexOf(Math.max(...timeRatios))]!;
  const worstBytes = rows[byteRatios.indexOf(Math.max(...byteRatios))]!;
  const dSsim = rows.map((r) => r.oursSsim - r.rustSsim);
  const worstSsim = rows[dSsim.indexOf(Math.min(...dSsim))]!;
  const below = rows.filter((r) => r.oursSsim < r.rustSsim);
  report.line('');
  report.line(`**Summary** (${rows.length} cases): time ours/Rust median ${ratio(median(timeRatios))}, worst ${ratio(Math.max(...timeRatios))} `
    + `(${worstTime.image} ${worstTime.preset}); smallest SSIM difference ours−Rust ${signed(Math.min(...dSsim))} `
    + `(${worstSsim.image} ${worstSsim.preset}); SSIM below Rust's in ${below.length} case(s); `
    + `bytes ours/Rust median ${ratio(median(byteRatios))}, worst ${ratio(Math.max(...byteRatios))} (${worstBytes.image} ${worstBytes.preset}).`);
  report.line('Targets: time median ≤ 1.0× and worst ≤ 1.5× (issue 6; issue 2: 1.2× / 2×); SSIM ≥ Rust − 0.01 everywhere '
    + '(issue 6: ≥ Rust); bytes median ≤ 1.0×, worst ≤ 1.3×.');
  return rows;
}

async function emojiSection(flags: Flags, report: Report): Promise<void> {
  const { list } = sources({ ...flags, images: null });
  const emoji = list.filter((s) => s.name.startsWith('emoji-'));
  report.section('Emoji at the poster preset (anti-aliased edges)', 'PSNR against the image composited on white; target ≥ 30 dB and above Rust on each.');
  const rows: Cell[][] = [];
  for (const src of emoji) {
    const img = await loadRgba(src.path);
    const white = compositeOnWhite(img.data);
    const p = timePair(img, { preset: 'poster' }, 1, true, false);
    const o = measureFidelity(p.ours.svg, img, white), r = measureFidelity(p.rust!.svg, img, white);
    rows.push([src.name, `${img.width}×${img.height}`, f2(o.psnr), f2(r.psnr), signed(o.psnr - r.psnr, 2), f4(o.ssim), f4(r.ssim),
      o.psnr >= 30 && o.psnr > r.psnr ? 'yes' : 'NO']);
  }
  report.table(['emoji', 'size', 'ours PSNR', 'rust PSNR', 'Δ dB', 'ours SSIM', 'rust SSIM', 'target met'], rows);
}

async function noiseSection(flags: Flags, report: Report): Promise<void> {
  const levels = [0, 4, 8, 16];
  const presets: PresetName[] = flags.presets.filter((p) => p === 'photo' || p === 'poster');
  const big = 1000, small = 512;
  const runs = flags.quick ? 1 : flags.runs;
  report.section('Noise series',
    `A flat ${big}×${big} image (rgb 120,140,160) and the same with ±4, ±8, ±16 uniform noise per channel (mulberry32). `
    + `Ours at 1 MP (median of ${runs}); ours and Rust at ${small}²${flags.full ? ' and Rust at 1 MP' : ' (Rust at 1 MP only with --full)'}. `
    + 'Target: noise costs at most 5× the flat image.');
  const rows: Cell[][] = [];
  for (const preset of presets) {
    let flatBig = 0, flatSmall = 0;
    for (const amp of levels) {
      const imgBig = withNoise(solid(big, big, [120, 140, 160, 255]), amp, 1000 + amp);
      const imgSmall = withNoise(solid(small, small, [120, 140, 160, 255]), amp, 2000 + amp);
      const pb = timePair(imgBig, { preset }, runs, flags.full, true);
      const ps = timePair(imgSmall, { preset }, runs, true, true);
      if (amp === 0) { flatBig = pb.ours.ms; flatSmall = ps.ours.ms; }
      const mp = (big * big) / 1e6;
      rows.push([preset, amp === 0 ? 'flat' : `±${amp}`, ms(pb.ours.ms), ms(pb.ours.ms / mp), ratio(pb.ours.ms / flatBig),
        pb.rust ? ms(pb.rust.ms) : '–', ms(ps.ours.ms), ratio(ps.ours.ms / flatSmall), ms(ps.rust!.ms), ratio(ps.ours.ms / ps.rust!.ms),
        svgStats(pb.ours.svg).paths]);
      process.stderr.write(`  noise ${preset} ±${amp}: ${ms(pb.ours.ms)} ms (1 MP), rust ${ms(ps.rust!.ms)} ms (${small}²)\n`);
    }
  }
  report.table(['preset', 'noise', 'ours 1MP ms', 'ms/MP', 'vs flat', 'rust 1MP ms', `ours ${small}² ms`, 'vs flat',
    `rust ${small}² ms`, 'ours/rust', 'ours paths 1MP'], rows);
}

/** The image as our bw preset sees it: opaque black where luminance over white is below 128, white elsewhere. */
function binarised(img: RgbaBuffer): RgbaBuffer {
  const out = new Uint8Array(img.data.length);
  const d = img.data;
  for (let i = 0; i < d.length; i += 4) {
    const a = d[i + 3]!;
    const v = a * (299 * d[i]! + 587 * d[i + 1]! + 114 * d[i + 2]!) + (255 - a) * 255000;
    const c = v < 128 * 255000 ? 0 : 255;
    out[i] = out[i + 1] = out[i + 2] = c;
    out[i + 3] = 255;
  }
  return { data: out, width: img.width, height: img.height };
}

async function binarySection(flags: Flags, report: Report): Promise<void> {
  const { list } = sources(flags);
  report.section('Binary on the same foreground',
    'Each image thresholded first (luminance over white < 128, our bw rule), then both engines trace that '
    + `black-and-white image at the bw preset (median of ${flags.runs} alternating runs). The reference thresholds the red channel, so in `
    + 'the main table its bw rows on photos trace a different, mostly white foreground; here both see the same shapes. '
    + 'SSIM/PSNR against the thresholded image.');
  const rows: Cell[][] = [];
  const timeRatios: number[] = [], byteRatios: number[] = [];
  for (const src of list) {
    const img = binarised(await loadRgba(src.path));
    const p = timePair(img, { preset: 'bw' }, flags.runs);
    const o = measureFidelity(p.ours.svg, img, img.data), r = measureFidelity(p.rust!.svg, img, img.data);
    const os = svgStats(p.ours.svg), rs = svgStats(p.rust!.svg);
    timeRatios.push(p.ours.ms / p.rust!.ms);
    byteRatios.push(os.bytes / rs.bytes);
    rows.push([src.name, ms(p.ours.ms), ms(p.rust!.ms), ratio(p.ours.ms / p.rust!.ms), f4(o.ssim), f4(r.ssim), f2(o.psnr), f2(r.psnr),
      kb(os.bytes), kb(rs.bytes), ratio(os.bytes / rs.bytes), os.paths, rs.paths]);
  }
  report.table(['image', 'ours ms', 'rust ms', 'time', 'ours SSIM', 'rust SSIM', 'ours PSNR', 'rust PSNR', 'ours KB', 'rust KB', 'bytes', 'ours paths', 'rust paths'], rows);
  report.line(`**Summary**: time ours/Rust median ${ratio(median(timeRatios))}, worst ${ratio(Math.max(...timeRatios))}; `
    + `bytes median ${ratio(median(byteRatios))}, worst ${ratio(Math.max(...byteRatios))}.`);
}

interface ChildResult { ms: number; maxRssMiB: number; rssBeforeMiB: number; width: number; height: number; paths: number; bytes: number }

async function sizeSection(flags: Flags, report: Report): Promise<void> {
  const path = await astronautPath();
  const sides = [512, 1024, 2048, 4096];
  const presets: PresetName[] = flags.quick ? ['photo'] : flags.presets.filter((p) => p === 'photo' || p === 'poster');
  const rustMaxSide = flags.full ? 2048 : 1024;
  const runs = flags.quick ? 1 : Math.min(flags.runs, 3);
  report.section('Size series and peak memory',
    `${basename(path)} resized with sharp (Lanczos) to 0.25, 1, 4 and 16 MP; ours: median of ${runs} run(s) below 16 MP, Rust: one run; `
    + `the 16 MP case runs alone in a child process (time and peak RSS from process.resourceUsage().maxRSS). `
    + `Rust up to ${rustMaxSide}² (${flags.full ? '--full' : 'more with --full'}). Targets: time per pixel grows at most 1.5× `
    + 'from the smallest to the largest; peak RSS at 16 MP under 2 GiB.');
  const rows: Cell[][] = [];
  const summary: string[] = [];
  for (const preset of presets) {
    const perPixel: number[] = [];
    for (const side of sides) {
      const mp = (side * side) / 1e6;
      if (side < 4096) {
        const img = await resized(path, side);
        // Ours: median of up to 3 runs (one warm-up below 4 MP); Rust: one run (it takes seconds here).
        const p = timePair(img, { preset }, runs, false, side <= 1024);
        const rustMs = side <= rustMaxSide ? time(() => traceRustConfig(img, rustConfig(validateOptions({ preset })))).ms : null;
        perPixel.push(p.ours.ms / mp);
        rows.push([preset, `${side}²`, f2(mp), ms(p.ours.ms), f1(p.ours.ms / mp), rustMs !== null ? ms(rustMs) : '–',
          rustMs !== null ? ratio(p.ours.ms / rustMs) : '–', '–', svgStats(p.ours.svg).paths]);
        process.stderr.write(`  size ${preset} ${side}²: ${ms(p.ours.ms)} ms${rustMs !== null ? `, rust ${ms(rustMs)} ms` : ''}\n`);
      } else {
        const child = runChild(path, side, preset);
        perPixel.push(child.ms / mp);
        rows.push([preset, `${side}²`, f2(mp), ms(child.ms), f1(child.ms / mp), '–', '–', `${child.maxRssMiB.toFixed(0)} MiB`, child.paths]);
        summary.push(`${preset}: peak RSS at 16 MP ${child.maxRssMiB.toFixed(0)} MiB (${child.rssBeforeMiB.toFixed(0)} MiB before the trace, image decoded)`);
        process.stderr.write(`  size ${preset} ${side}² (child): ${ms(child.ms)} ms, max RSS ${child.maxRssMiB.toFixed(0)} MiB\n`);
      }
    }
    summary.push(`${preset}: time per pixel largest/smallest ${ratio(perPixel.at(-1)! / perPixel[0]!)} `
      + `(max/min over sizes ${ratio(Math.max(...perPixel) / Math.min(...perPixel))})`);
  }
  report.table(['preset', 'size', 'MP', 'ours ms', 'ms/MP', 'rust ms', 'ours/rust', 'peak RSS', 'ours paths'], rows);
  for (const s of summary) report.line(`- ${s}`);
}

function runChild(path: string, side: number, preset: PresetName): ChildResult {
  const res = spawnSync(process.execPath, [...process.execArgv, THIS_FILE, '--child', path, String(side), preset], {
    encoding: 'utf8', maxBuffer: 1 << 20, cwd: REPO_ROOT,
  });
  if (res.status !== 0) throw new Error(`child for ${side}² ${preset} failed (${res.status ?? res.signal}): ${res.stderr}`);
  const last = res.stdout.trim().split('\n').at(-1)!;
  return JSON.parse(last) as ChildResult;
}

async function childMain(args: string[]): Promise<void> {
  const [path, sideText, preset] = args as [string, string, PresetName];
  const side = Number(sideText);
  const img = await resized(path, side);
  const rssBeforeMiB = process.memoryUsage().rss / 2 ** 20;
  const t = time(() => traceRgba(img, { preset }));
  const st = svgStats(t.value);
  const result: ChildResult = {
    ms: t.ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, rssBeforeMiB, width: img.width, height: img.height,
    paths: st.paths, bytes: st.bytes,
  };
  console.log(JSON.stringify(result));
}

// ---------------------------------------------------------------------------------------------- main
/** Gets both engines' code hot (JIT, native caches) before anything is timed: every preset, a few images. */
async function globalWarmup(): Promise<void> {
  const names = fixtureImages().filter((n) => /^(emoji|astronaut|horse)/.test(n));
  for (const n of names) {
    const img = await loadRgba(join(FIXTURES_DIR, n));
    for (const preset of ['poster', 'photo', 'bw'] as const) timePair(img, { preset }, 2, true, false);
  }
}


async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    await childMain(argv.slice(1));
    return;
  }
  const flags = parseFlags(argv);
  const report = new Report();
  const started = new Date();
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const header = `# Benchmark: vtracer-ts vs Rust VTracer 0.6 (@neplex/vectorizer)\n\n`
    + `${started.toISOString()} · commit ${gitHead()} · Node ${process.version} · ${cpus().length} × ${cpu} · `
    + `flags: ${argv.length ? argv.join(' ') : '(none)'}\n`;
  console.log(header);
  const t0 = performance.now();
  await globalWarmup();
  if (flags.sections.has('main')) await mainTable(flags, report);
  if (flags.sections.has('emoji')) await emojiSection(flags, report);
  if (flags.sections.has('noise')) await noiseSection(flags, report);
  if (flags.sections.has('size')) await sizeSection(flags, report);
  if (flags.sections.has('binary')) await binarySection(flags, report);
  finishReport(report, header, flags.out, t0);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
