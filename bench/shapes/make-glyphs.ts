/**
 * Writes the glyph truths of the shape benchmark (bench/shapes/truth/glyph-*.svg) once, from DejaVu Sans
 * (Debian's fonts-dejavu-core, /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf): resvg lays the text out and
 * its simplified-SVG output (usvg) holds the outline as one path, which is all the benchmark needs. The files
 * are committed, so the benchmark does not need the font; run this again only to change the glyph set:
 *
 *   node --import tsx bench/shapes/make-glyphs.ts [FONT.ttf]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

export const GLYPHS: Record<string, string> = { A: 'A', '4': '4', Z: 'Z', g: 'g', S: 'S', amp: '&' };

const FONT = process.argv[2] ?? '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const OUT_DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'truth');

/** The outline of one character as absolute path data, and the box of its coordinates. */
function glyphPath(char: string): { d: string; box: [number, number, number, number] } {
  const escaped = char === '&' ? '&amp;' : char;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300" viewBox="0 0 300 300">`
    + `<text x="50" y="200" font-family="DejaVu Sans" font-size="160">${escaped}</text></svg>`;
  const usvg = new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: [FONT], defaultFontFamily: 'DejaVu Sans' } }).toString();
  const ds = [...usvg.matchAll(/\bd="([^"]+)"/g)].map((m) => m[1]!);
  if (ds.length === 0) throw new Error(`no outline for ${JSON.stringify(char)}: is ${FONT} a DejaVu Sans font?`);
  const d = ds.join(' ');
  // usvg writes absolute M/L/C/Z: every number pair is a point (control points too, a slight over-estimate).
  const nums = [...d.matchAll(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g)].map((m) => Number(m[0]));
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i + 1 < nums.length; i += 2) {
    x0 = Math.min(x0, nums[i]!); x1 = Math.max(x1, nums[i]!);
    y0 = Math.min(y0, nums[i + 1]!); y1 = Math.max(y1, nums[i + 1]!);
  }
  // Shorter numbers: two decimals are far below a pixel at 768 px.
  const short = d.replace(/-?\d+\.\d+/g, (n) => String(Math.round(Number(n) * 100) / 100));
  return { d: short, box: [x0, y0, x1, y1] };
}

function main(): void {
  for (const [name, char] of Object.entries(GLYPHS)) {
    const { d, box: [x0, y0, x1, y1] } = glyphPath(char);
    const margin = 0.1 * Math.max(x1 - x0, y1 - y0);
    const vb = [x0 - margin, y0 - margin, x1 - x0 + 2 * margin, y1 - y0 + 2 * margin].map((v) => Math.round(v * 100) / 100);
    const file = join(OUT_DIR, `glyph-${name}.svg`);
    writeFileSync(file, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${vb.join(' ')}"><path d="${d}"/></svg>\n`);
    console.log(`${file}: ${JSON.stringify(char)} viewBox ${vb.join(' ')}`);
  }
}

main();
