/**
 * Output formats. SVG is what the tracer writes; PDF, EPS and DXF are written here from the SVG (pure code,
 * so the web page can export them in the browser too); PNG needs a rasterizer and lives in src/io/export.ts.
 */
import { readSvg } from './document.js';
import { writeDxf } from './dxf.js';
import { writeEps } from './eps.js';
import { latin1Bytes, utf8Bytes } from './number.js';
import { writePdf } from './pdf.js';

export const OUTPUT_FORMATS = ['svg', 'pdf', 'eps', 'dxf', 'png'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
/** The formats written by pure code (everything but PNG). */
export type VectorFormat = Exclude<OutputFormat, 'png'>;

export const FORMAT_MIME_TYPES: Readonly<Record<OutputFormat, string>> = Object.freeze({
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  eps: 'application/postscript',
  dxf: 'image/vnd.dxf',
  png: 'image/png',
});

export function isOutputFormat(value: unknown): value is OutputFormat {
  return typeof value === 'string' && (OUTPUT_FORMATS as readonly string[]).includes(value);
}

/** The format named by a file name's extension (`.svg`, `.pdf`, `.eps`/`.ps`, `.dxf`, `.png`), or undefined. */
export function formatOfPath(path: string): OutputFormat | undefined {
  const m = /\.([A-Za-z]+)$/.exec(path);
  if (!m) return undefined;
  const ext = m[1].toLowerCase();
  if (ext === 'ps') return 'eps';
  return isOutputFormat(ext) ? ext : undefined;
}

/**
 * Converts an SVG written by the tracer to another vector format: bytes of a PDF, EPS or DXF file (the
 * SVG itself, as UTF-8 bytes, for 'svg'). Throws on 'png' (use exportImage from the Node package).
 */
export function exportVector(svg: string, format: VectorFormat): Uint8Array {
  switch (format) {
    case 'svg': return utf8Bytes(svg);
    case 'pdf': return writePdf(readSvg(svg));
    case 'eps': return latin1Bytes(writeEps(readSvg(svg)));
    case 'dxf': return latin1Bytes(writeDxf(readSvg(svg)));
    default:
      throw new Error(`exportVector: format must be one of svg, pdf, eps, dxf, got ${JSON.stringify(format)} (PNG: use exportImage)`);
  }
}

export { readSvg, SvgReadError } from './document.js';
export type { VectorDocument, Shape, Rgb } from './document.js';
export { parsePathData, PathDataError } from './path-data.js';
export type { Outline } from './path-data.js';
export { writePdf } from './pdf.js';
export { writeEps } from './eps.js';
export { writeDxf } from './dxf.js';
