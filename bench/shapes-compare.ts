/**
 * Diffs two `npm run bench:shapes -- --json FILE` runs: per size, kind and tracer, the median of each metric
 * before and after; then the cases where a tracer (ours by default) got worse beyond a small tolerance.
 *
 *   node --import tsx bench/shapes-compare.ts BEFORE.json AFTER.json [--tracer ours] [--all]
 *
 * Worse means: PSNR down by more than 0.1 dB, SSIM down by more than 0.001, xor error up by more than 2 %
 * of its value and 0.05 points, bytes up by more than 5 %. --all lists improvements too.
 */
import { readFileSync } from 'node:fs';
import { median } from './report.js';
import { Report } from './report.js';
import type { CaseResult, ShapesJson } from './shapes.js';

type Metric = 'psnr' | 'ssim' | 'xor' | 'bytes' | 'segments';
const METRICS: Metric[] = ['psnr', 'ssim', 'xor', 'bytes', 'segments'];

/** Signed change of a metric, positive = better. */
export function improvement(metric: Metric, before: number, after: number): number {
  return metric === 'psnr' || metric === 'ssim' ? after - before : before - after;
}

/** True when the change from `before` to `after` is a regression beyond the tolerance of the metric. */
export function worse(metric: Metric, before: number, after: number): boolean {
  switch (metric) {
    case 'psnr': return after < before - 0.1;
    case 'ssim': return after < before - 0.001;
    case 'xor': return after > before * 1.02 && after > before + 0.0005;
    case 'bytes': return after > before * 1.05;
    case 'segments': return false;
  }
}

function better(metric: Metric, before: number, after: number): boolean {
  return worse(metric, after, before);
}

function load(file: string): ShapesJson {
  const json = JSON.parse(readFileSync(file, 'utf8')) as ShapesJson;
  if (!Array.isArray(json.results)) throw new Error(`${file}: not a bench:shapes --json file (no results array)`);
  return json;
}

const fmt = (m: Metric, v: number | null | undefined) => (v === null || v === undefined ? '–'
  : m === 'psnr' ? v.toFixed(2) : m === 'ssim' ? v.toFixed(4) : m === 'xor' ? `${(v * 100).toFixed(2)}%` : String(Math.round(v)));

function med(rows: CaseResult[], m: Metric): number | null {
  const xs = rows.map((r) => r[m]).filter((v): v is number => v !== null && Number.isFinite(v));
  return xs.length ? median(xs) : null;
}

function main(): void {
  const args = process.argv.slice(2);
  const files = args.filter((a) => !a.startsWith('--'));
  let tracer = 'ours';
  const ti = args.indexOf('--tracer');
  if (ti >= 0) {
    tracer = args[ti + 1] ?? '';
    files.splice(files.indexOf(tracer), 1);
  }
  const all = args.includes('--all');
  if (files.length !== 2) throw new Error('usage: shapes-compare.ts BEFORE.json AFTER.json [--tracer ours] [--all]');
  const [a, b] = files.map(load) as [ShapesJson, ShapesJson];
  const report = new Report();
  report.line(`before: ${files[0]} (${a.commit}, ${a.date}${Object.keys(a.oursOptions).length ? `, ours ${JSON.stringify(a.oursOptions)}` : ''})`);
  report.line(`after:  ${files[1]} (${b.commit}, ${b.date}${Object.keys(b.oursOptions).length ? `, ours ${JSON.stringify(b.oursOptions)}` : ''})`);
  const key = (r: CaseResult) => `${r.case}|${r.size}|${r.tracer}`;
  const after = new Map(b.results.map((r) => [key(r), r]));
  // Only the (case, size, tracer) triples both runs have, so medians compare like with like.
  const pairs = a.results.filter((r) => after.has(key(r))).map((r) => [r, after.get(key(r))!] as const);
  if (pairs.length === 0) throw new Error('the two runs have no case, size and tracer in common');
  const groups = [...new Set(pairs.map(([r]) => `${r.size}|${r.kind}|${r.tracer}`))];
  report.section('Medians before → after');
  report.table(['size', 'kind', 'tracer', 'n', ...METRICS], groups.map((g) => {
    const [size, kind, t] = g.split('|');
    const ps = pairs.filter(([r]) => `${r.size}|${r.kind}|${r.tracer}` === g);
    return [size!, kind!, t!, ps.length, ...METRICS.map((m) => {
      const x = med(ps.map((p) => p[0]), m), y = med(ps.map((p) => p[1]), m);
      return x === null || y === null ? '–' : `${fmt(m, x)} → ${fmt(m, y)}`;
    })];
  }));
  const changed = (test: typeof worse) => pairs.filter(([r]) => r.tracer === tracer).flatMap(([r, s]) => METRICS
    .filter((m) => r[m] !== null && s[m] !== null && test(m, r[m]!, s[m]!))
    .map((m) => [r.case, r.size, m, fmt(m, r[m]), fmt(m, s[m])]));
  report.section(`Cases where ${tracer} got worse`);
  const bad = changed(worse);
  if (bad.length) report.table(['case', 'size', 'metric', 'before', 'after'], bad);
  else report.line('none');
  if (all) {
    report.section(`Cases where ${tracer} got better`);
    const good = changed(better);
    if (good.length) report.table(['case', 'size', 'metric', 'before', 'after'], good);
    else report.line('none');
  }
}

try {
  main();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
