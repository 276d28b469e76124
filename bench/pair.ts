/**
 * Timing one trace of ours against the Rust reference on the same buffer and parameters, shared by
 * `npm run bench` and `npm run bench:unseen`.
 */
import { traceRgba } from '../src/engine/index.js';
import type { TraceOptions } from '../src/engine/index.js';
import { validateOptions } from '../src/engine/options.js';
import type { RgbaBuffer } from '../test/support/fidelity.js';
import { rustConfig, traceRustConfig } from '../test/support/reference.js';
import { median } from './report.js';

export function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

export interface Pair {
  ours: { ms: number; svg: string };
  rust: { ms: number; svg: string } | null;
}

/** One warm-up each, then `runs` alternating runs (ours first on even runs, Rust first on odd ones). */
export function timePair(img: RgbaBuffer, options: TraceOptions, runs: number, withRust = true, warmup = true): Pair {
  const config = rustConfig(validateOptions(options));
  const ours = () => traceRgba(img, options);
  const rust = () => traceRustConfig(img, config);
  let oursSvg = '', rustSvg = '';
  if (warmup) {
    oursSvg = ours();
    if (withRust) rustSvg = rust();
  }
  const o: number[] = [], r: number[] = [];
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? ['o', 'r'] : ['r', 'o'];
    for (const which of order) {
      if (which === 'o') { const t = time(ours); o.push(t.ms); oursSvg = t.value; }
      else if (withRust) { const t = time(rust); r.push(t.ms); rustSvg = t.value; }
    }
  }
  return { ours: { ms: median(o), svg: oursSvg }, rust: withRust ? { ms: median(r), svg: rustSvg } : null };
}
