/**
 * Independent readers of the exported formats, for tests: PDF rendered by poppler's pdftoppm, EPS by
 * Ghostscript, DXF parsed by dxf-parser and redrawn here (polylines with bulges as arcs, splines evaluated
 * with de Boor's algorithm from their knots: nothing shared with the writer). Each returns opaque RGBA on
 * white at the SVG's pixel size, ready for psnr() against the SVG's resvg render.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DxfParser as DxfParserClass } from 'dxf-parser';
import sharp from 'sharp';
import { renderSvg } from './fidelity.js';
import { REPO_ROOT } from './fixtures.js';

// dxf-parser's CommonJS entry exports the class itself (its typings describe the ESM build's named export).
const DxfParser = createRequire(import.meta.url)('dxf-parser') as typeof DxfParserClass;

/** Installs pdftoppm and gs when missing (apt, as root); throws when they cannot be had. */
export function ensureFormatTools(): void {
  execFileSync('bash', [join(REPO_ROOT, 'scripts', 'format-tools.sh')], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 15 * 60_000 });
}

async function pngToRgba(path: string, width: number, height: number): Promise<Uint8Array> {
  const { data, info } = await sharp(path).flatten({ background: '#ffffff' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height) throw new Error(`rendered ${info.width}×${info.height}, expected ${width}×${height}`);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

async function withTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'vtracer-formats-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** PDF page → RGBA through pdftoppm (the page is width × height CSS pixels: 96 dpi). */
export function renderPdf(pdf: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  return withTemp(async (dir) => {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    execFileSync('pdftoppm', ['-png', '-r', '96', '-scale-to-x', String(width), '-scale-to-y', String(height), '-singlefile', join(dir, 'in.pdf'), join(dir, 'out')]);
    return pngToRgba(join(dir, 'out.png'), width, height);
  });
}

/** EPS → RGBA through Ghostscript at 96 dpi, cropped to the %%BoundingBox. */
export function renderEps(eps: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  return withTemp(async (dir) => {
    writeFileSync(join(dir, 'in.eps'), eps);
    execFileSync('gs', ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-dEPSCrop', '-sDEVICE=png16m', '-r96',
      '-dGraphicsAlphaBits=4', '-dTextAlphaBits=4', `-sOutputFile=${join(dir, 'out.png')}`, join(dir, 'in.eps')]);
    return pngToRgba(join(dir, 'out.png'), width, height);
  });
}

interface Point { x: number; y: number }

/** A point of a B-spline (de Boor), for t within the knot range. */
function deBoor(degree: number, knots: number[], cps: Point[], t: number): Point {
  let k = degree;
  while (k < knots.length - degree - 2 && t >= knots[k + 1]) k++;
  const d = cps.slice(k - degree, k + 1).map((p) => ({ x: p.x, y: p.y }));
  for (let r = 1; r <= degree; r++) {
    for (let j = degree; j >= r; j--) {
      const i = j + k - degree;
      const den = knots[i + degree - r + 1] - knots[i];
      const a = den === 0 ? 0 : (t - knots[i]) / den;
      d[j] = { x: (1 - a) * d[j - 1].x + a * d[j].x, y: (1 - a) * d[j - 1].y + a * d[j].y };
    }
  }
  return d[degree];
}

export interface ParsedDxf {
  entities: Array<Record<string, any>>;
  header: Record<string, any>;
  tables: Record<string, any>;
}

export function parseDxf(text: string): ParsedDxf {
  const parsed = new DxfParser().parseSync(text) as unknown as ParsedDxf | null;
  if (!parsed) throw new Error('dxf-parser returned nothing');
  return parsed;
}

/**
 * DXF → SVG drawn from the parsed entities: consecutive entities of one layer form one filled path
 * (their subpaths together, nonzero rule), in the entity's true colour; open entities on STROKE_ layers are
 * stroked `strokeWidth` wide instead. Coordinates go from millimetres (y up) back to CSS pixels (y down).
 */
export function dxfToSvg(text: string, width: number, height: number, strokeWidth = 1): string {
  const dxf = parseDxf(text);
  const mm = 25.4 / 96;
  const X = (x: number): string => (x / mm).toFixed(3);
  const Y = (y: number): string => (height - y / mm).toFixed(3);
  const groups: { layer: string; color: number; d: string[] }[] = [];
  for (const e of dxf.entities) {
    let d = '';
    if (e.type === 'LWPOLYLINE') {
      const v = e.vertices as Array<Point & { bulge?: number }>;
      d = `M${X(v[0].x)} ${Y(v[0].y)}`;
      const n = e.shape ? v.length : v.length - 1;
      for (let i = 0; i < n; i++) {
        const a = v[i], b = v[(i + 1) % v.length];
        if (a.bulge) {
          const chord = Math.hypot(b.x - a.x, b.y - a.y) / mm;
          const r = chord * (1 + a.bulge * a.bulge) / (4 * Math.abs(a.bulge));
          d += `A${r} ${r} 0 ${Math.abs(a.bulge) > 1 ? 1 : 0} ${a.bulge > 0 ? 0 : 1} ${X(b.x)} ${Y(b.y)}`;
        } else d += `L${X(b.x)} ${Y(b.y)}`;
      }
      if (e.shape) d += 'Z';
    } else if (e.type === 'SPLINE') {
      const knots = e.knotValues as number[], cps = e.controlPoints as Point[], p = e.degreeOfSplineCurve as number;
      const t0 = knots[p], t1 = knots[knots.length - p - 1];
      const steps = Math.max(16, cps.length * 12);
      for (let s = 0; s <= steps; s++) {
        const q = deBoor(p, knots, cps, t0 + ((t1 - t0) * s) / steps);
        d += `${s === 0 ? 'M' : 'L'}${X(q.x)} ${Y(q.y)}`;
      }
    } else throw new Error(`unexpected DXF entity ${e.type}`);
    const last = groups[groups.length - 1];
    if (last && last.layer === e.layer) last.d.push(d);
    else groups.push({ layer: e.layer, color: e.color, d: [d] });
  }
  const hex = (c: number): string => '#' + c.toString(16).padStart(6, '0');
  const paths = groups.map((g) => g.layer.startsWith('STROKE_')
    ? `<path d="${g.d.join('')}" fill="none" stroke="${hex(g.color)}" stroke-width="${strokeWidth}" stroke-linecap="round" stroke-linejoin="round"/>`
    : `<path d="${g.d.join('')}" fill="${hex(g.color)}"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${paths.join('')}</svg>`;
}

export function renderDxf(dxf: Uint8Array, width: number, height: number, strokeWidth = 1): Uint8Array {
  return renderSvg(dxfToSvg(Buffer.from(dxf).toString('latin1'), width, height, strokeWidth), width, height);
}

/** Decodes PNG bytes to RGBA on white. */
export async function decodePng(png: Uint8Array): Promise<{ data: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp(png).flatten({ background: '#ffffff' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

