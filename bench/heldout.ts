/**
 * `npm run bench:heldout`: the shape benchmark's comparison (bench/shapes.ts) on icons no engine rule was
 * tuned on, so that a rule fitted to the shape cases shows here if it does not carry over. Two sets of
 * Debian's icon themes, rasterized as the shape cases are (resvg, anti-aliased, over white, 48 and 96 px on
 * the longer side), each result rendered at 768 px and compared with the icon rendered at 768 px:
 * - bw: Adwaita's symbolic icons (package adwaita-icon-theme), every STEP-th, every fill black; ours and Rust
 *   at the bw preset, Potrace with its defaults on the raster thresholded at one half, bilinear;
 * - colour: Papirus's 64 px app icons (package papirus-icon-theme), every STEP-th regular file; ours and Rust
 *   at the poster preset, bilinear.
 * A set whose package is missing is installed when running as root (as bench:shapes installs Potrace), else
 * skipped with a note. Prints each set's medians (PSNR, SSIM, xor for bw, bytes), how many icons ours beats
 * each other tracer on, and the icons where ours is furthest behind the best of the others (PSNR), the place
 * to look first; writes bench/results/heldout.md.
 *
 * Flags: --sizes 48,96; --step N (every N-th icon; default 4 for Adwaita, 40 for Papirus); --sets bw,colour;
 * --no-rust; --out FILE|- (markdown, default bench/results/heldout.md).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { psnr, renderSvg, ssimAgainst, ssimReference, WHITE } from '../test/support/fidelity.js';
import { REPO_ROOT } from '../test/support/fixtures.js';
import { median } from './report.js';
import { caseSize, normalisedCase, rasterAt, silhouette } from './shapes/cases.js';
import type { CaseKind, ShapeCase } from './shapes/cases.js';
import { bilinear, inkMask, xorError } from './shapes/metrics.js';
import { ensurePotrace, traceOurs, tracePotrace, traceRust } from './shapes/tracers.js';

const ADWAITA = '/usr/share/icons/Adwaita/scalable';
const PAPIRUS = '/usr/share/icons/Papirus/64x64/apps';

interface Flags { sizes: number[]; step: number | null; sets: CaseKind[]; rust: boolean; out: string | null }

function parseFlags(argv: string[]): Flags {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string', default: '48,96' }, step: { type: 'string' }, sets: { type: 'string', default: 'bw,colour' },
      'no-rust': { type: 'boolean', default: false }, out: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('npm run bench:heldout -- [--sizes 48,96] [--step N] [--sets bw,colour] [--no-rust] [--out FILE|-]');
    process.exit(0);
  }
  const sizes = values.sizes.split(',').map(Number);
  if (sizes.some((s) => !Number.isInteger(s) || s <= 0 || 768 % s !== 0 || s % 48 !== 0)) throw new Error(`--sizes: expected multiples of 48 dividing 768, got ${values.sizes}`);
  const step = values.step === undefined ? null : Number(values.step);
  if (step !== null && (!Number.isInteger(step) || step < 1)) throw new Error(`--step: expected a positive integer, got ${values.step}`);
  const sets = values.sets.split(',');
  for (const s of sets) if (s !== 'bw' && s !== 'colour') throw new Error(`--sets: expected bw and/or colour, got ${s}`);
  const out = values.out === undefined ? join(REPO_ROOT, 'bench/results/heldout.md') : values.out === '-' ? null : resolve(values.out);
  return { sizes, step, sets: sets as CaseKind[], rust: !values['no-rust'], out };
}

/** Installs a Debian package when its files are missing and this is root; the reason it is not there, or null. */
function ensurePackage(dir: string, pkg: string): string | null {
  if (existsSync(dir)) return null;
  if (process.getuid?.() !== 0) return `${pkg} is not installed and this is not root (apt-get install ${pkg})`;
  console.log(`${pkg}: not found, installing the Debian package…`);
  const apt = (args: string[]) => spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (apt(['install', '-y', '--no-install-recommends', pkg]).status !== 0) apt(['update']);
  if (!existsSync(dir)) apt(['install', '-y', '--no-install-recommends', pkg]);
  return existsSync(dir) ? null : `apt-get install ${pkg} failed`;
}

/** An icon file as a case: its content and viewBox (or width and height), every fill black for bw. */
function iconCase(file: string, kind: CaseKind): ShapeCase | null {
  const doc = readFileSync(file, 'utf8');
  const m = /<svg\b([^>]*)>([\s\S]*)<\/svg>/.exec(doc);
  if (!m || /<image\b/.test(doc)) return null;
  const vb = /viewBox="([^"]+)"/.exec(m[1]!);
  const size = (name: string) => Number.parseFloat(new RegExp(`\\b${name}="([\\d.]+)`).exec(m[1]!)?.[1] ?? 'NaN');
  const box = vb ? vb[1]!.trim().split(/[\s,]+/).map(Number) : [0, 0, size('width'), size('height')];
  if (box.length !== 4 || box.some((v) => !Number.isFinite(v))) return null;
  // bw: icons drawn with partial opacity or CSS classes would not be black and white once every fill is black.
  if (kind === 'bw' && /opacity|class=|style=|Gradient/.test(doc)) return null;
  const name = file.split('/').pop()!.replace(/(-symbolic)?\.svg$/, '');
  const c = normalisedCase(name, kind, kind === 'bw' ? silhouette(m[2]!) : m[2]!, box);
  c.svg = c.svg.replace('<svg xmlns="http://www.w3.org/2000/svg"', '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"');
  return c;
}

function iconFiles(kind: CaseKind, step: number): string[] {
  if (kind === 'bw') {
    const files: string[] = [];
    for (const d of readdirSync(ADWAITA).sort()) for (const f of readdirSync(join(ADWAITA, d)).sort()) if (f.endsWith('-symbolic.svg')) files.push(join(ADWAITA, d, f));
    return files.filter((_, i) => i % step === 0);
  }
  return readdirSync(PAPIRUS).sort().filter((f) => f.endsWith('.svg') && !lstatSync(join(PAPIRUS, f)).isSymbolicLink())
    .filter((_, i) => i % step === 0).map((f) => join(PAPIRUS, f));
}

type Tracer = 'ours' | 'rust' | 'potrace' | 'bilinear';
interface Score { psnr: number; ssim: number; xor: number | null; bytes: number | null }
type Row = { name: string; size: number } & Partial<Record<Tracer, Score>>;

let flags: Flags;
try {
  flags = parseFlags(process.argv.slice(2));
} catch (e) {
  console.error(`bench:heldout: ${(e as Error).message}`);
  process.exit(2);
}
const lines: string[] = ['# Held-out icons (`npm run bench:heldout`)', ''];
const say = (line = ''): void => { console.log(line); lines.push(line); };
const potraceMissing = flags.sets.includes('bw') ? ensurePotrace((l) => console.log(l)) : 'not needed';
say(`Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on Node ${process.version}. Icons from Debian's icon themes rasterized anti-aliased over white at ${flags.sizes.join(', ')} px, each result rendered at 768 px against the icon at 768 px (see bench/heldout.ts).`);
for (const kind of flags.sets) {
  const [dir, pkg] = kind === 'bw' ? [ADWAITA, 'adwaita-icon-theme'] : [PAPIRUS, 'papirus-icon-theme'];
  const missing = ensurePackage(dir, pkg);
  say('');
  if (missing) { say(`## ${kind}: skipped (${missing})`); continue; }
  const step = flags.step ?? (kind === 'bw' ? 4 : 40);
  const cases = iconFiles(kind, step).map((f) => iconCase(f, kind)).filter((c): c is ShapeCase => c !== null);
  const tracers: Tracer[] = ['ours', ...(flags.rust ? ['rust' as const] : []), ...(kind === 'bw' && potraceMissing === null ? ['potrace' as const] : []), 'bilinear'];
  say(`## ${kind}: ${kind === 'bw' ? 'Adwaita symbolic' : 'Papirus 64 px apps'}, every ${step}th icon: ${cases.length} icons (${tracers.join(', ')})`);
  const rows: Row[] = [];
  for (const c of cases) {
    for (const size of flags.sizes) {
      const { width, height } = caseSize(c, 768);
      const truth = renderSvg(c.svg, width, height, WHITE);
      const ref = ssimReference(truth, width), ink = kind === 'bw' ? inkMask(truth) : null;
      const small = rasterAt(c, size);
      const score = (big: Uint8Array, bytes: number | null): Score => ({
        psnr: psnr(big, truth), ssim: ssimAgainst(ref, big), xor: ink ? xorError(ink, inkMask(big)) : null, bytes,
      });
      const row: Row = { name: c.name, size };
      for (const t of tracers) {
        if (t === 'bilinear') { row.bilinear = score(bilinear(small.data, small.width, small.height, width, height), null); continue; }
        const svg = t === 'ours' ? traceOurs(small, kind) : t === 'rust' ? traceRust(small, kind) : tracePotrace(small);
        row[t] = score(renderSvg(svg, width, height, WHITE), Buffer.byteLength(svg));
      }
      rows.push(row);
    }
  }
  for (const size of flags.sizes) {
    const at = rows.filter((r) => r.size === size);
    say('');
    say(`**${size} px** (${at.length} icons)`);
    say('');
    say(kind === 'bw' ? '| tracer | psnr | ssim | xor | bytes |' : '| tracer | psnr | ssim | bytes |');
    say(kind === 'bw' ? '|---|---:|---:|---:|---:|' : '|---|---:|---:|---:|');
    for (const t of tracers) {
      const m = (f: (s: Score) => number | null) => { const v = at.map((r) => f(r[t]!)).filter((x): x is number => x !== null && Number.isFinite(x)); return v.length ? median(v) : NaN; };
      const cells = [t, m((s) => s.psnr).toFixed(2), m((s) => s.ssim).toFixed(4)];
      if (kind === 'bw') cells.push(`${(100 * m((s) => s.xor)).toFixed(2)}%`);
      const bytes = m((s) => s.bytes);
      cells.push(Number.isFinite(bytes) ? String(Math.round(bytes)) : '–');
      say(`| ${cells.join(' | ')} |`);
    }
    say('');
    for (const t of tracers.filter((x) => x !== 'ours')) {
      const wins = (metric: 'psnr' | 'ssim' | 'xor') => at.filter((r) => metric === 'xor' ? r.ours!.xor! < r[t]!.xor! : r.ours![metric] > r[t]![metric]).length;
      say(`- ours better than ${t}: psnr ${wins('psnr')}/${at.length}, ssim ${wins('ssim')}/${at.length}${kind === 'bw' ? `, xor ${wins('xor')}/${at.length}` : ''}`);
    }
    const behind = at.map((r) => {
      const best = Math.max(...tracers.filter((x) => x !== 'ours').map((x) => r[x]!.psnr).filter(Number.isFinite));
      return { r, gap: r.ours!.psnr - best };
    }).filter((x) => Number.isFinite(x.gap) && x.gap < 0).sort((a, b) => a.gap - b.gap).slice(0, 8);
    say(`- furthest behind the best other tracer (PSNR): ${behind.length ? behind.map((x) => `${x.r.name} ${x.gap.toFixed(2)} dB`).join(', ') : 'none'}`);
  }
}
if (flags.out) {
  writeFileSync(flags.out, `${lines.join('\n')}\n`);
  console.log(`report: ${flags.out}`);
}
