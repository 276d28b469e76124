/**
 * The format-neutral drawing every non-SVG writer starts from, read back from an SVG document: its size,
 * the viewBox, and per `<path>` its outline and paint (fill, stroke, stroke width, caps and joins, inherited
 * from enclosing `<g>` elements). Reading the SVG rather than the tracer's internals keeps the SVG writer
 * untouched (as fast and compact as before) and lets any SVG this project wrote (a stored result, the web
 * page's current trace) be exported later. Only the subset of SVG the tracer writes is understood:
 * `<svg>`, `<g>`, `<path>` with presentation attributes and colours written `#rgb`, `#rrggbb` or `none`.
 */
import { parsePathData, type Outline } from './path-data.js';

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

export interface Shape {
  outline: Outline;
  fill: Rgb | null;
  fillRule: 'nonzero' | 'evenodd';
  stroke: Rgb | null;
  strokeWidth: number;
  lineCap: 'butt' | 'round' | 'square';
  lineJoin: 'miter' | 'round' | 'bevel';
}

export interface VectorDocument {
  /** Output size (the SVG's width and height, in CSS pixels: 1/96 inch). */
  width: number;
  height: number;
  /** The viewBox: the coordinate system of the path data (the traced image's pixels). */
  viewWidth: number;
  viewHeight: number;
  shapes: Shape[];
}

export class SvgReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SvgReadError';
  }
}

const ELEMENT = /<(\/?)([a-zA-Z][\w:-]*)([^>]*?)(\/?)>/g;
const ATTRIBUTE = /([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function attributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(ATTRIBUTE)) out.set(m[1], m[2] ?? m[3]);
  return out;
}

function parseColor(value: string, what: string): Rgb | null {
  const v = value.trim().toLowerCase();
  if (v === 'none' || v === 'transparent') return null;
  if (v === 'black') return { r: 0, g: 0, b: 0 };
  if (v === 'white') return { r: 255, g: 255, b: 255 };
  let m = /^#([0-9a-f]{6})$/.exec(v);
  if (m) {
    const n = parseInt(m[1], 16);
    return { r: n >> 16, g: (n >> 8) & 255, b: n & 255 };
  }
  m = /^#([0-9a-f]{3})$/.exec(v);
  if (m) {
    const [r, g, b] = [...m[1]].map((c) => parseInt(c + c, 16));
    return { r, g, b };
  }
  throw new SvgReadError(`${what}: unsupported colour ${JSON.stringify(value)} (expected #rrggbb, #rgb or none)`);
}

function parseLength(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*(px)?\s*$/i.exec(value);
  if (!m) throw new SvgReadError(`${what}: expected a length in pixels, got ${JSON.stringify(value)}`);
  return Number(m[1]);
}

type Paint = Omit<Shape, 'outline'>;

const INITIAL_PAINT: Paint = {
  fill: { r: 0, g: 0, b: 0 }, fillRule: 'nonzero', stroke: null, strokeWidth: 1, lineCap: 'butt', lineJoin: 'miter',
};

function applyPaint(base: Paint, attrs: Map<string, string>): Paint {
  const p = { ...base };
  const fill = attrs.get('fill');
  if (fill !== undefined) p.fill = parseColor(fill, 'fill');
  const stroke = attrs.get('stroke');
  if (stroke !== undefined) p.stroke = parseColor(stroke, 'stroke');
  const width = parseLength(attrs.get('stroke-width'), 'stroke-width');
  if (width !== undefined) p.strokeWidth = width;
  const rule = attrs.get('fill-rule');
  if (rule === 'nonzero' || rule === 'evenodd') p.fillRule = rule;
  const cap = attrs.get('stroke-linecap');
  if (cap === 'butt' || cap === 'round' || cap === 'square') p.lineCap = cap;
  const join = attrs.get('stroke-linejoin');
  if (join === 'miter' || join === 'round' || join === 'bevel') p.lineJoin = join;
  return p;
}

/** Reads an SVG document written by this project into a VectorDocument. */
export function readSvg(svg: string): VectorDocument {
  let doc: VectorDocument | null = null;
  const stack: Paint[] = [];
  let paint = INITIAL_PAINT;
  for (const m of svg.matchAll(ELEMENT)) {
    const [, closing, name, rest, selfClosing] = m;
    if (name === 'svg' && !closing) {
      const a = attributes(rest);
      const box = (a.get('viewBox') ?? '').trim().split(/[\s,]+/).map(Number);
      const width = parseLength(a.get('width'), 'svg width');
      const height = parseLength(a.get('height'), 'svg height');
      const viewWidth = box.length === 4 && box.every(Number.isFinite) ? box[2] : width;
      const viewHeight = box.length === 4 && box.every(Number.isFinite) ? box[3] : height;
      if (box.length === 4 && (box[0] !== 0 || box[1] !== 0)) throw new SvgReadError('svg viewBox must start at 0 0');
      if (!(viewWidth! > 0 && viewHeight! > 0)) throw new SvgReadError('svg: needs a positive width and height or a viewBox');
      doc = { width: width ?? viewWidth!, height: height ?? viewHeight!, viewWidth: viewWidth!, viewHeight: viewHeight!, shapes: [] };
      paint = applyPaint(INITIAL_PAINT, a);
    } else if (name === 'g') {
      if (closing) paint = stack.pop() ?? INITIAL_PAINT;
      else if (!selfClosing) {
        stack.push(paint);
        paint = applyPaint(paint, attributes(rest));
      }
    } else if (name === 'path' && !closing) {
      if (doc === null) throw new SvgReadError('svg: <path> outside an <svg> element');
      const a = attributes(rest);
      const outline = parsePathData(a.get('d') ?? '');
      if (outline.ops.length > 0) doc.shapes.push({ outline, ...applyPaint(paint, a) });
    }
  }
  if (doc === null) throw new SvgReadError('not an SVG document: no <svg> element');
  return doc;
}
