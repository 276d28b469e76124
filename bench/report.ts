/** Console-and-markdown report shared by the benchmarks: sections, lines and aligned tables. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { REPO_ROOT } from '../test/support/fixtures.js';

/** The commit a report was measured on: short hash and subject (at most `max` characters), or "unknown". */
export function gitHead(max = Infinity): string {
  try {
    return execFileSync('git', ['log', '-1', '--format=%h %s'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim().slice(0, max);
  } catch {
    return 'unknown';
  }
}

/** Median of a non-empty list (mean of the two middle values for an even count); NaN for an empty one. */
export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export type Cell = string | number;
export class Report {
  private md: string[] = [];
  section(title: string, note?: string): void {
    console.log(`\n== ${title}`);
    if (note) console.log(note);
    this.md.push(`\n## ${title}\n`);
    if (note) this.md.push(`${note}\n`);
  }
  line(text: string): void {
    console.log(text);
    this.md.push(`${text}\n`);
  }
  table(headers: string[], rows: Cell[][]): void {
    const cells = rows.map((r) => r.map(String));
    const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
    const numeric = headers.map((_, i) => cells.every((r) => /^[-+]?[\d.,]+(?:[×%x]| dB| ms| s| KB| MB| MiB)?$|^[-–]$|^n\/a$/.test(r[i] ?? '')));
    const fmt = (r: string[]) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
    console.log(fmt(headers));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of cells) console.log(fmt(r));
    this.md.push(`| ${headers.join(' | ')} |`);
    this.md.push(`|${headers.map((_, i) => (numeric[i] ? '---:' : '---')).join('|')}|`);
    for (const r of cells) this.md.push(`| ${r.join(' | ')} |`);
    this.md.push('');
  }
  markdown(): string {
    return this.md.join('\n');
  }
}

/**
 * Prints the total bench time since `t0` and, when `out` is a path, writes the report there (header, the
 * report's markdown, the total), saying where.
 */
export function finishReport(report: Report, header: string, out: string | null, t0: number): void {
  const total = `\nTotal bench time ${((performance.now() - t0) / 1000).toFixed(0)} s.`;
  console.log(total);
  if (!out) return;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${header}${report.markdown()}\n${total.trim()}\n`);
  console.log(`Report written to ${relative(process.cwd(), out) || out}`);
}
