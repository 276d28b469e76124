/**
 * The tracers the shape benchmark compares, behind one signature: ours (src/engine), the Rust VTracer
 * (@neplex/vectorizer, same parameters), Potrace (Debian's `potrace` CLI, default parameters, SVG backend,
 * on the raster thresholded at one half; black and white only) and the bilinear upscale baseline (no SVG).
 *
 * Every tracer gets the same input: the truth rasterized over white (opaque RGBA). Compositing first keeps
 * the comparison fair: Potrace and the bilinear baseline have no alpha, and the Rust binary mode thresholds
 * the red channel, which would make transparent black pixels ink.
 */
import { spawnSync } from 'node:child_process';
import { traceRgba } from '../../src/engine/index.js';
import type { TraceOptions } from '../../src/engine/index.js';
import { validateOptions } from '../../src/engine/options.js';
import { luma } from '../../test/support/fidelity.js';
import type { RgbaBuffer } from '../../test/support/fidelity.js';
import { rustConfig, traceRustConfig } from '../../test/support/reference.js';
import type { CaseKind } from './cases.js';

export const TRACER_NAMES = ['ours', 'rust', 'potrace', 'bilinear'] as const;
export type TracerName = (typeof TRACER_NAMES)[number];

/** The preset each kind of case is traced at, by ours and Rust alike. */
export function baseOptions(kind: CaseKind): TraceOptions {
  return kind === 'colour' ? { preset: 'poster' } : { preset: 'bw' };
}

export function traceOurs(image: RgbaBuffer, kind: CaseKind, extra: TraceOptions = {}): string {
  return traceRgba(image, { ...baseOptions(kind), ...extra });
}

export function traceRust(image: RgbaBuffer, kind: CaseKind): string {
  return traceRustConfig(image, rustConfig(validateOptions(baseOptions(kind))));
}

/** The raster as a binary PBM (P4): ink = luma below one half, 1 bit per pixel, rows padded to bytes. */
export function toPbm(image: RgbaBuffer): Buffer {
  const { width, height } = image;
  const y = luma(image.data);
  const rowBytes = (width + 7) >> 3;
  const header = Buffer.from(`P4\n${width} ${height}\n`, 'ascii');
  const body = Buffer.alloc(rowBytes * height);
  for (let r = 0; r < height; r++) {
    for (let x = 0; x < width; x++) {
      if (y[r * width + x]! < 127.5) body[r * rowBytes + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return Buffer.concat([header, body]);
}

function potraceRuns(): boolean {
  const r = spawnSync('potrace', ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

/**
 * Makes sure the `potrace` CLI is there, installing Debian's package as the test run installs Chromium
 * (root only). Returns null when it is there, else the reason it is not (the caller skips the column).
 */
export function ensurePotrace(log: (line: string) => void): string | null {
  if (potraceRuns()) return null;
  if (process.getuid?.() !== 0) return 'potrace is not installed and this is not root (apt-get install potrace)';
  log('potrace: not found, installing the Debian package…');
  const apt = (args: string[]) => spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  let r = apt(['install', '-y', 'potrace']);
  if (r.status !== 0) {
    apt(['update']);
    r = apt(['install', '-y', 'potrace']);
  }
  if (potraceRuns()) return null;
  return `apt-get install potrace failed: ${(r.stderr ?? r.error?.message ?? '').trim().split('\n').pop()}`;
}

/** Potrace with its defaults (turdsize 2, alphamax 1, opttolerance 0.2), SVG backend, PBM on stdin. */
export function tracePotrace(image: RgbaBuffer): string {
  const r = spawnSync('potrace', ['--svg', '--output', '-'], { input: toPbm(image), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`potrace failed (status ${r.status}): ${r.stderr || r.error?.message}`);
  return r.stdout;
}
