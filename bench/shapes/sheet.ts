/**
 * The contact sheet of the shape benchmark: a few cases traced at one small size, each result rendered at
 * CELL px (longer side) next to the truth at the same scale, so a person can see corners, straightness and
 * roundness. Columns: truth | ours | Rust | Potrace | bilinear; over each result of a black-and-white
 * case, the truth's outline as a red hairline. Labels are drawn by resvg with DejaVu Sans
 * when the font is installed (system fonts otherwise).
 */
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import sharp from 'sharp';
import type { OverlayOptions } from 'sharp';
import type { TraceOptions } from '../../src/engine/index.js';
import type { ShapeCase } from './cases.js';
import { outlineSvg, rasterAt } from './cases.js';
import { bilinear } from './metrics.js';
import { traceOurs, tracePotrace, traceRust } from './tracers.js';

/** The rows of the sheet, by case name. */
export const SHEET_ROWS = ['bar-15', 'bar-45', 'circle', 'star', 'glyph-4', 'glyph-Z', 'icon-check', 'emoji-1f436'];
const COLUMNS = ['truth', 'ours', 'Rust VTracer', 'Potrace', 'bilinear'];
const CELL = 256, GAP = 8, HEADER = 34, LABEL = 120;
/** The truth's outline, drawn over every result so that deviations show. */
const OUTLINE = '#e8175d';
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

interface Raster { data: Uint8Array; width: number; height: number }

/** Renders an SVG with its longer side at `long` px over white, keeping its own aspect ratio. */
function renderLong(svg: string, c: ShapeCase, long: number, background: string | null = 'white'): Raster {
  const fitTo = c.landscape ? { mode: 'width' as const, value: long } : { mode: 'height' as const, value: long };
  const r = new Resvg(svg, { fitTo, ...(background ? { background } : {}), font: { loadSystemFonts: false }, logLevel: 'off', shapeRendering: 2 }).render();
  return { data: new Uint8Array(r.pixels.buffer, r.pixels.byteOffset, r.pixels.byteLength), width: r.width, height: r.height };
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

/** Writes the sheet PNG: one row per case, the input rasterized at `size` px. */
export async function contactSheet(file: string, cases: ShapeCase[], size: number, oursOptions: TraceOptions, potraceOk: boolean): Promise<void> {
  const width = LABEL + COLUMNS.length * (CELL + GAP);
  const height = HEADER + cases.length * (CELL + GAP);
  const layers: OverlayOptions[] = [];
  const texts: string[] = [];
  const lines: string[] = [];
  texts.push(`<text x="8" y="24" font-size="12" fill="${OUTLINE}">red: truth outline</text>`);
  COLUMNS.forEach((name, i) => texts.push(
    `<text x="${LABEL + i * (CELL + GAP) + CELL / 2}" y="24" text-anchor="middle" font-size="18">${escapeXml(name)}</text>`));
  cases.forEach((c, row) => {
    const top = HEADER + row * (CELL + GAP);
    texts.push(`<text x="8" y="${top + CELL / 2}" font-size="16">${escapeXml(c.name)}</text>`,
      `<text x="8" y="${top + CELL / 2 + 20}" font-size="13" fill="#666">${size} px, ${c.kind}</text>`);
    const small = rasterAt(c, size);
    const { width: w, height: h } = small;
    const outline = c.kind === 'bw' ? renderLong(outlineSvg(c, CELL, OUTLINE, 1.25), c, CELL, null) : null;
    const truth = renderLong(c.svg, c, CELL);
    const cells: (Raster | string)[] = [
      truth,
      renderLong(traceOurs(small, c.kind, oursOptions), c, CELL),
      renderLong(traceRust(small, c.kind), c, CELL),
      c.kind !== 'bw' ? 'bw only' : potraceOk ? renderLong(tracePotrace(small), c, CELL) : 'not installed',
      { data: bilinear(small.data, w, h, truth.width, truth.height), width: truth.width, height: truth.height },
    ];
    cells.forEach((cell, col) => {
      const left = LABEL + col * (CELL + GAP);
      lines.push(`<rect x="${left - 0.5}" y="${top - 0.5}" width="${CELL + 1}" height="${CELL + 1}" fill="none" stroke="#bbb"/>`);
      if (typeof cell === 'string') {
        texts.push(`<text x="${left + CELL / 2}" y="${top + CELL / 2}" text-anchor="middle" font-size="16" fill="#888">${cell}</text>`);
        return;
      }
      const at = { left: left + ((CELL - cell.width) >> 1), top: top + ((CELL - cell.height) >> 1) };
      const raw = (r: Raster) => ({ input: Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength), raw: { width: r.width, height: r.height, channels: 4 as const }, ...at });
      layers.push(raw(cell));
      if (col > 0 && outline) layers.push(raw(outline));
    });
  });
  const overlaySvg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><g font-family="DejaVu Sans">${texts.join('')}</g>${lines.join('')}</svg>`;
  const font = existsSync(FONT) ? { loadSystemFonts: false, fontFiles: [FONT], defaultFontFamily: 'DejaVu Sans' } : { loadSystemFonts: true };
  const overlay = new Resvg(overlaySvg, { font, logLevel: 'off' }).render().asPng();
  layers.push({ input: overlay, left: 0, top: 0 });
  await sharp({ create: { width, height, channels: 4, background: '#ffffff' } }).composite(layers).png().toFile(file);
}
