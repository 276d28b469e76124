/**
 * PDF 1.4 writer: one page the size of the SVG (1 CSS pixel = 0.75 pt, so the page prints at the SVG's
 * size), the shapes as vector paths filled and/or stroked with their colours. A small writer of our own:
 * five objects and an uncompressed content stream, no library needed (tests read it with poppler).
 */
import type { Shape, VectorDocument } from './document.js';
import { CAP, JOIN, rgbOperands } from './paint.js';
import { fixed, latin1Bytes } from './number.js';
import { CUBIC, LINE, MOVE } from './path-data.js';

/** Points per CSS pixel (72 / 96). */
export const PT_PER_PX = 0.75;

/** Path construction operators of a shape in viewBox units (the page's matrix maps them). */
function pathOps(shape: Shape, parts: string[]): void {
  const { ops, coords } = shape.outline;
  let k = 0;
  let line = '';
  for (const op of ops) {
    if (op === MOVE) { line = `${fixed(coords[k])} ${fixed(coords[k + 1])} m`; k += 2; }
    else if (op === LINE) { line = `${fixed(coords[k])} ${fixed(coords[k + 1])} l`; k += 2; }
    else if (op === CUBIC) {
      line = `${fixed(coords[k])} ${fixed(coords[k + 1])} ${fixed(coords[k + 2])} ${fixed(coords[k + 3])} ${fixed(coords[k + 4])} ${fixed(coords[k + 5])} c`;
      k += 6;
    } else line = 'h';
    parts.push(line);
  }
}

/** The page's content stream: PDF operators for every shape, y flipped (PDF's origin is bottom-left). */
export function pdfContent(doc: VectorDocument, unit = PT_PER_PX): string {
  const sx = (doc.width / doc.viewWidth) * unit, sy = (doc.height / doc.viewHeight) * unit;
  const parts: string[] = [`${fixed(sx, 6)} 0 0 ${fixed(-sy, 6)} 0 ${fixed(doc.height * unit, 4)} cm`];
  for (const shape of doc.shapes) {
    const fill = shape.fill, stroke = shape.stroke && shape.strokeWidth > 0 ? shape.stroke : null;
    if (!fill && !stroke) continue;
    if (fill) parts.push(`${rgbOperands(fill)} rg`);
    if (stroke) parts.push(`${rgbOperands(stroke)} RG ${fixed(shape.strokeWidth)} w ${CAP[shape.lineCap]} J ${JOIN[shape.lineJoin]} j`);
    pathOps(shape, parts);
    const even = shape.fillRule === 'evenodd' ? '*' : '';
    parts.push(fill && stroke ? `B${even}` : fill ? `f${even}` : 'S');
  }
  return parts.join('\n') + '\n';
}

export function writePdf(doc: VectorDocument): Uint8Array {
  const w = fixed(doc.width * PT_PER_PX, 4), h = fixed(doc.height * PT_PER_PX, 4);
  const content = pdfContent(doc);
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Resources << >> /Contents 4 0 R >>`,
    `<< /Length ${content.length} >>\nstream\n${content}endstream`,
    '<< /Producer (vtracer-ts) >>',
  ];
  // The second line's bytes above 127 mark the file as binary for transfer programs (PDF 7.5.2).
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return latin1Bytes(out);
}
