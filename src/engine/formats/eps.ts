/**
 * EPS writer: level-2 PostScript (EPSF 3.0) with an integral %%BoundingBox (rounded outwards) and the exact
 * %%HiResBoundingBox, 1 CSS pixel = 0.75 pt like the PDF. Short operator names are defined in a private
 * dictionary, so the file stays compact and leaves the including document's dictionaries alone.
 */
import type { VectorDocument } from './document.js';
import { CAP, JOIN, rgbOperands } from './paint.js';
import { fixed } from './number.js';
import { CLOSE, CUBIC, LINE, MOVE } from './path-data.js';
import { PT_PER_PX } from './pdf.js';

export function writeEps(doc: VectorDocument): string {
  const W = doc.width * PT_PER_PX, H = doc.height * PT_PER_PX;
  const sx = (doc.width / doc.viewWidth) * PT_PER_PX, sy = (doc.height / doc.viewHeight) * PT_PER_PX;
  const parts: string[] = [
    '%!PS-Adobe-3.0 EPSF-3.0',
    '%%Creator: vtracer-ts',
    `%%BoundingBox: 0 0 ${Math.ceil(W - 1e-9)} ${Math.ceil(H - 1e-9)}`,
    `%%HiResBoundingBox: 0 0 ${fixed(W, 4)} ${fixed(H, 4)}`,
    '%%LanguageLevel: 2',
    '%%Pages: 1',
    '%%EndComments',
    '%%BeginProlog',
    '/vtracer 10 dict def vtracer begin',
    '/m /moveto load def /l /lineto load def /c /curveto load def /h /closepath load def',
    '/f /fill load def /f* /eofill load def /s /stroke load def /rg /setrgbcolor load def',
    'end',
    '%%EndProlog',
    '%%Page: 1 1',
    'vtracer begin',
    'gsave',
    `[${fixed(sx, 6)} 0 0 ${fixed(-sy, 6)} 0 ${fixed(H, 4)}] concat`,
  ];
  for (const shape of doc.shapes) {
    const fill = shape.fill, stroke = shape.stroke && shape.strokeWidth > 0 ? shape.stroke : null;
    if (!fill && !stroke) continue;
    if (stroke) parts.push(`${fixed(shape.strokeWidth)} setlinewidth ${CAP[shape.lineCap]} setlinecap ${JOIN[shape.lineJoin]} setlinejoin`);
    parts.push('newpath');
    const { ops, coords } = shape.outline;
    let k = 0;
    for (const op of ops) {
      if (op === MOVE || op === LINE) {
        parts.push(`${fixed(coords[k])} ${fixed(coords[k + 1])} ${op === MOVE ? 'm' : 'l'}`);
        k += 2;
      } else if (op === CUBIC) {
        parts.push(`${fixed(coords[k])} ${fixed(coords[k + 1])} ${fixed(coords[k + 2])} ${fixed(coords[k + 3])} ${fixed(coords[k + 4])} ${fixed(coords[k + 5])} c`);
        k += 6;
      } else if (op === CLOSE) parts.push('h');
    }
    const even = shape.fillRule === 'evenodd' ? '*' : '';
    if (fill && stroke) {
      // PostScript has one current colour: fill a copy of the path, then stroke it in the stroke colour.
      parts.push(`gsave ${rgbOperands(fill)} rg f${even} grestore ${rgbOperands(stroke)} rg s`);
    } else if (fill) parts.push(`${rgbOperands(fill)} rg f${even}`);
    else parts.push(`${rgbOperands(stroke!)} rg s`);
  }
  parts.push('grestore', 'end', 'showpage', '%%EOF', '');
  return parts.join('\n');
}
