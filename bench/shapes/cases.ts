/**
 * The cases of the shape benchmark: true vectors whose small rasters the tracers get, each either colour
 * (traced at the poster preset) or black and white (bw preset; xor error measured; Potrace runs).
 *
 * Every truth is rewritten with a viewBox whose short side is a whole number of 48ths of its long side, so
 * that at every benchmark size (a multiple of 48 dividing 768) the raster has whole pixel dimensions and
 * the tracers' SVGs, scaled to 768 px, cover exactly the truth's 768 px frame.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderSvg, WHITE } from '../../test/support/fidelity.js';
import type { RgbaBuffer } from '../../test/support/fidelity.js';

export type CaseKind = 'colour' | 'bw';

export interface ShapeCase {
  name: string;
  kind: CaseKind;
  /** A standalone SVG document with a normalised viewBox (see the module comment). */
  svg: string;
  /** Short side over long side, as a whole number of 48ths: `aspect48 / 48`. */
  aspect48: number;
  /** True when the viewBox is wider than tall (or square). */
  landscape: boolean;
}

export const TRUTH_DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'truth');

/** Pixel size of a case rasterized with its longer side `long` (which must be a multiple of 48). */
export function caseSize(c: ShapeCase, long: number): { width: number; height: number } {
  const short = (c.aspect48 * long) / 48;
  if (!Number.isInteger(short)) throw new Error(`size ${long} px: must be a multiple of 48 (case ${c.name})`);
  return c.landscape ? { width: long, height: short } : { width: short, height: long };
}

/** The case rasterized anti-aliased by resvg at `long` px over white: the input every tracer gets. */
export function rasterAt(c: ShapeCase, long: number): RgbaBuffer {
  const { width, height } = caseSize(c, long);
  return { data: renderSvg(c.svg, width, height, WHITE), width, height };
}

/**
 * The raster thresholded at one half (Rec. 601 luma), opaque black or white: what a 1-bit scan, a GIF
 * logo without anti-aliasing or a thresholded image gives a tracer (`--aliased`).
 */
export function aliased(image: RgbaBuffer): RgbaBuffer {
  const data = new Uint8Array(image.data);
  for (let p = 0; p < data.length; p += 4) {
    const v = 0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]! < 127.5 ? 0 : 255;
    data[p] = data[p + 1] = data[p + 2] = v;
    data[p + 3] = 255;
  }
  return { data, width: image.width, height: image.height };
}

/** Wraps SVG content in a document whose viewBox is `box` padded symmetrically to a 48ths aspect ratio. */
export function normalisedCase(name: string, kind: CaseKind, content: string, box: readonly number[]): ShapeCase {
  const [x, y, w, h] = box as [number, number, number, number];
  const landscape = w >= h;
  const long = Math.max(w, h), short = Math.min(w, h);
  const aspect48 = Math.min(48, Math.ceil((short / long) * 48 - 1e-9));
  const pad = ((aspect48 * long) / 48 - short) / 2;
  const vb = landscape ? [x, y - pad, w, h + 2 * pad] : [x - pad, y, w + 2 * pad, h];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${vb.map((v) => +v.toFixed(4)).join(' ')}">${content}</svg>`;
  return { name, kind, svg, aspect48, landscape };
}

/** The inner content and viewBox of an SVG document. */
function splitSvg(doc: string, file: string): { content: string; box: number[] } {
  const m = /<svg\b([^>]*)>([\s\S]*)<\/svg>/.exec(doc);
  const vb = m && /viewBox="([^"]+)"/.exec(m[1]!);
  if (!m || !vb) throw new Error(`${file}: expected an <svg> element with a viewBox`);
  const box = vb[1]!.trim().split(/[\s,]+/).map(Number);
  if (box.length !== 4 || box.some((v) => !Number.isFinite(v))) throw new Error(`${file}: bad viewBox ${vb[1]}`);
  return { content: m[2]!, box };
}

/** Every fill black (explicit fills rewritten; elements without one are black already). */
export function silhouette(content: string): string {
  return content.replace(/\bfill="(?!none)[^"]*"/g, 'fill="#000"');
}

/**
 * The outlines of a case's shapes as a hairline of `px` pixels when the case is drawn with its longer
 * side at `long` px (the cases use fills only, so dropping every fill and stroking leaves the outlines).
 */
export function outlineSvg(c: ShapeCase, long: number, colour: string, px: number): string {
  const m = /viewBox="([^"]+)"/.exec(c.svg)!;
  const [, , w, h] = m[1]!.split(' ').map(Number) as [number, number, number, number];
  const width = (px * Math.max(w, h)) / long;
  const unfilled = c.svg.replace(/\bfill="[^"]*"/g, '')
    .replace(/(<svg\b[^>]*>)/, `$1<g fill="none" stroke="${colour}" stroke-width="${width.toFixed(4)}">`)
    .replace(/<\/svg>\s*$/, '</g></svg>');
  return unfilled;
}

/** Points of a regular star with `n` tips, outer radius `r1`, inner `r2`, tip up. */
function starPoints(cx: number, cy: number, r1: number, r2: number, n = 5): string {
  const pts: string[] = [];
  for (let i = 0; i < 2 * n; i++) {
    const r = i % 2 === 0 ? r1 : r2;
    const a = -Math.PI / 2 + (i * Math.PI) / n;
    pts.push(`${(cx + r * Math.cos(a)).toFixed(3)},${(cy + r * Math.sin(a)).toFixed(3)}`);
  }
  return pts.join(' ');
}

/** Path data of a ring (fill-rule evenodd): two full circles of radii `r1` > `r2`, as arcs. */
function annulus(cx: number, cy: number, r1: number, r2: number): string {
  const circle = (r: number) => `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0Z`;
  return circle(r1) + circle(r2);
}

const SQUARE = [0, 0, 100, 100];
const bar = (deg: number, fill = '#000') => `<rect x="10" y="46" width="80" height="8" fill="${fill}" transform="rotate(${-deg} 50 50)"/>`;
// Regular pentagram: inner radius = outer × sin 18° / sin 54°.
const STAR_INNER = Math.sin(Math.PI / 10) / Math.sin((3 * Math.PI) / 10);

/** Geometric shapes, black on nothing (the background is the white the rasters are composited on). */
function drawnBw(): ShapeCase[] {
  return [
    normalisedCase('circle', 'bw', '<circle cx="50" cy="50" r="40"/>', SQUARE),
    normalisedCase('ellipse', 'bw', '<ellipse cx="50" cy="30" rx="44" ry="24"/>', [0, 0, 100, 60]),
    normalisedCase('rounded-rect', 'bw', '<rect x="10" y="10" width="80" height="56" rx="14"/>', [0, 0, 100, 76]),
    normalisedCase('star', 'bw', `<polygon points="${starPoints(50, 53, 45, 45 * STAR_INNER)}"/>`, SQUARE),
    normalisedCase('bar-0', 'bw', bar(0), [0, 30, 100, 40]),
    normalisedCase('bar-15', 'bw', bar(15), SQUARE),
    normalisedCase('bar-45', 'bw', bar(45), SQUARE),
    normalisedCase('ring', 'bw', `<path fill-rule="evenodd" d="${annulus(50, 50, 40, 26)}"/>`, SQUARE),
  ];
}

/**
 * Line icons as designers draw them (drawn for this benchmark): 2-unit strokes on a 24-unit grid, round caps
 * and joins. At 48 px a stroke is 4 px wide and its caps are half circles of 2 px radius.
 */
function drawnIcons(): ShapeCase[] {
  const icon = (name: string, body: string) =>
    normalisedCase(`icon-${name}`, 'bw', `<g fill="none" stroke="#000" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${body}</g>`, [0, 0, 24, 24]);
  return [
    icon('check', '<polyline points="5 12.5 10 17.5 19 7"/>'),
    icon('clock', '<circle cx="12" cy="12" r="9"/><polyline points="12 7 12 12 15.5 14"/>'),
    icon('search', '<circle cx="10.5" cy="10.5" r="6.5"/><line x1="15.5" y1="15.5" x2="20" y2="20"/>'),
    icon('home', '<polyline points="3.5 11 12 4 20.5 11"/><path d="M6 9.5V19.5H18V9.5M10 19.5v-5h4v5"/>'),
    icon('star', `<polygon points="${starPoints(12, 12.6, 9.5, 9.5 * STAR_INNER)}"/>`),
    icon('chat', '<path d="M5 5h14a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2h-8l-4 3.5V17H5a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2z"/>'),
  ];
}

/** Two-colour and three-colour drawn shapes: edges between colours, not only against the background. */
function drawnColour(): ShapeCase[] {
  return [
    normalisedCase('c-circle', 'colour', '<rect x="4" y="4" width="92" height="92" rx="12" fill="#55ACEE"/><circle cx="50" cy="50" r="34" fill="#DD2E44"/>', SQUARE),
    normalisedCase('c-star', 'colour', `<rect x="4" y="4" width="92" height="92" fill="#292F33"/><polygon fill="#FFAC33" points="${starPoints(50, 53, 42, 42 * STAR_INNER)}"/>`, SQUARE),
    normalisedCase('c-bar-15', 'colour', `<rect x="4" y="4" width="92" height="92" fill="#FFE8B6"/>${bar(15, '#3B88C3')}`, SQUARE),
    normalisedCase('c-ring', 'colour', `<path fill="#DD2E44" fill-rule="evenodd" d="${annulus(50, 50, 41, 31)}"/><path fill="#3B88C3" fill-rule="evenodd" d="${annulus(50, 50, 31, 21)}"/>`, SQUARE),
  ];
}

let cache: ShapeCase[] | undefined;

/** Every case, colour first: emoji, drawn colour shapes; then bw: silhouettes, drawn shapes, line icons, glyphs. */
export function allCases(): ShapeCase[] {
  if (cache) return cache;
  const files = readdirSync(TRUTH_DIR).filter((f) => f.endsWith('.svg')).sort();
  const emoji = files.filter((f) => f.startsWith('emoji-')).map((f) => ({ name: f.slice(0, -4), ...splitSvg(readFileSync(join(TRUTH_DIR, f), 'utf8'), f) }));
  const glyphs = files.filter((f) => f.startsWith('glyph-')).map((f) => ({ name: f.slice(0, -4), ...splitSvg(readFileSync(join(TRUTH_DIR, f), 'utf8'), f) }));
  cache = [
    ...emoji.map((e) => normalisedCase(e.name, 'colour', e.content, e.box)),
    ...drawnColour(),
    ...emoji.map((e) => normalisedCase(`${e.name}-black`, 'bw', silhouette(e.content), e.box)),
    ...drawnBw(),
    ...drawnIcons(),
    ...glyphs.map((g) => normalisedCase(g.name, 'bw', g.content, g.box)),
  ];
  return cache;
}

/** The cases whose names start with one of `prefixes` (all when null); throws when none match. */
export function selectCases(prefixes: string[] | null): ShapeCase[] {
  const all = allCases();
  if (!prefixes) return all;
  const out = all.filter((c) => prefixes.some((p) => c.name.startsWith(p)));
  if (out.length === 0) throw new Error(`--cases ${prefixes.join(',')}: no case matches; cases are ${all.map((c) => c.name).join(', ')}`);
  return out;
}
