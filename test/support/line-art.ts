/**
 * Line art with known strokes, for the centerline tests and benchmark: drawn as SVG strokes (so the number
 * of strokes and their width are known) and rasterized by resvg. Text in a small stroke font of our own, a
 * grid (X crossings), a spiral, and a hand-drawn-looking scribble (a smoothed random walk crossing itself).
 */
import { psnr, renderSvg } from './fidelity.js';
import { mulberry32 } from './images.js';
import type { RgbaBuffer } from './fidelity.js';

export interface LineArt {
  name: string;
  svg: string;
  image: RgbaBuffer;
  /** Strokes drawn (polylines or curves). */
  strokes: number;
  width: number;
}

/** Glyphs as polylines in a 0–1 box (x right, y down), the strokes a pen would draw. */
const FONT: Record<string, number[][]> = {
  A: [[0, 1, 0.5, 0, 1, 1], [0.22, 0.6, 0.78, 0.6]],
  E: [[1, 0, 0, 0, 0, 1, 1, 1], [0, 0.5, 0.75, 0.5]],
  F: [[1, 0, 0, 0, 0, 1], [0, 0.5, 0.75, 0.5]],
  H: [[0, 0, 0, 1], [1, 0, 1, 1], [0, 0.5, 1, 0.5]],
  K: [[0, 0, 0, 1], [1, 0, 0, 0.6], [0.3, 0.42, 1, 1]],
  L: [[0, 0, 0, 1, 1, 1]],
  N: [[0, 1, 0, 0, 1, 1, 1, 0]],
  T: [[0, 0, 1, 0], [0.5, 0, 0.5, 1]],
  V: [[0, 0, 0.5, 1, 1, 0]],
  W: [[0, 0, 0.25, 1, 0.5, 0.35, 0.75, 1, 1, 0]],
  R: [[0, 1, 0, 0, 0.8, 0, 1, 0.12, 1, 0.38, 0.8, 0.5, 0, 0.5], [0.45, 0.5, 1, 1]],
  D: [[0, 0, 0.6, 0, 1, 0.3, 1, 0.7, 0.6, 1, 0, 1, 0, 0]],
  X: [[0, 0, 1, 1], [1, 0, 0, 1]],
  Z: [[0, 0, 1, 0, 0, 1, 1, 1]],
};

function polylinePath(pts: number[], x0: number, y0: number, sx: number, sy: number): string {
  let d = '';
  for (let i = 0; i < pts.length; i += 2) d += `${i === 0 ? 'M' : 'L'}${(x0 + pts[i] * sx).toFixed(2)} ${(y0 + pts[i + 1] * sy).toFixed(2)}`;
  return d;
}

function strokeSvg(w: number, h: number, paths: string[], width: number, cap: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><rect width="${w}" height="${h}" fill="#fff"/>`
    + paths.map((d) => `<path d="${d}" fill="none" stroke="#000" stroke-width="${width}" stroke-linecap="${cap}" stroke-linejoin="${cap === 'round' ? 'round' : 'miter'}"/>`).join('')
    + '</svg>';
}

/** Black strokes (path data) `width` wide on white, rasterized by resvg. */
export function rasterize(name: string, w: number, h: number, paths: string[], width: number, cap = 'round'): LineArt {
  const svg = strokeSvg(w, h, paths, width, cap);
  return { name, svg, image: { data: renderSvg(svg, w, h), width: w, height: h }, strokes: paths.length, width };
}

/** Text in the stroke font; `scale` multiplies the size (the pixel count grows with its square). */
export function strokeText(text = 'HELLO WORLD', scale = 1, width = 4): LineArt {
  const size = 60 * scale, gap = 18 * scale, margin = 20 * scale;
  const paths: string[] = [];
  let x = margin;
  for (const ch of text) {
    const glyph = ch === 'O' ? null : FONT[ch];
    if (ch === ' ') { x += size * 0.6; continue; }
    if (ch === 'O') {
      const rx = size * 0.4, ry = size / 2;
      paths.push(`M${x} ${margin + ry}a${rx} ${ry} 0 1 0 ${2 * rx} 0a${rx} ${ry} 0 1 0 ${-2 * rx} 0`);
    } else if (glyph) {
      for (const stroke of glyph) paths.push(polylinePath(stroke, x, margin, size * 0.8, size));
    } else throw new Error(`no glyph for ${ch}`);
    x += size * 0.8 + gap;
  }
  return rasterize(`text ×${scale}`, Math.ceil(x + margin - gap), Math.ceil(size + 2 * margin), paths, width * scale);
}

export function grid(n = 6, scale = 1, width = 3): LineArt {
  const step = 40 * scale, size = step * (n + 1);
  const paths: string[] = [];
  for (let i = 1; i <= n; i++) {
    paths.push(`M${step * 0.5} ${i * step}H${size - step * 0.5}`);
    paths.push(`M${i * step} ${step * 0.5}V${size - step * 0.5}`);
  }
  return rasterize(`grid ${n}×${n} ×${scale}`, size, size, paths, width * scale);
}

export function spiral(turns = 5, scale = 1, width = 3): LineArt {
  const size = Math.round(300 * scale), c = size / 2, gapPerTurn = (size / 2 - 15 * scale) / turns;
  let d = '';
  for (let t = 0; t <= turns * 2 * Math.PI; t += 0.05) {
    const r = 8 * scale + (gapPerTurn * t) / (2 * Math.PI);
    d += `${d ? 'L' : 'M'}${(c + r * Math.cos(t)).toFixed(2)} ${(c + r * Math.sin(t)).toFixed(2)}`;
  }
  return rasterize(`spiral ×${scale}`, size, size, [d], width * scale);
}

/** A smoothed random walk (Catmull–Rom through random points) that crosses itself. */
export function scribble(seed = 7, points = 14, scale = 1, width = 3): LineArt {
  const size = Math.round(320 * scale), rnd = mulberry32(seed);
  const p: number[][] = [];
  for (let i = 0; i < points; i++) p.push([30 * scale + rnd() * (size - 60 * scale), 30 * scale + rnd() * (size - 60 * scale)]);
  let d = `M${p[0][0].toFixed(2)} ${p[0][1].toFixed(2)}`;
  for (let i = 0; i < p.length - 1; i++) {
    const a = p[Math.max(0, i - 1)], b = p[i], c = p[i + 1], e = p[Math.min(p.length - 1, i + 2)];
    const c1 = [b[0] + (c[0] - a[0]) / 6, b[1] + (c[1] - a[1]) / 6], c2 = [c[0] - (e[0] - b[0]) / 6, c[1] - (e[1] - b[1]) / 6];
    d += `C${c1.map((v) => v.toFixed(2)).join(' ')} ${c2.map((v) => v.toFixed(2)).join(' ')} ${c[0].toFixed(2)} ${c[1].toFixed(2)}`;
  }
  return rasterize(`scribble ×${scale}`, size, size, [d], width * scale);
}

/** Ink (luminance below half) of an RGBA buffer. */
function ink(rgba: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgba.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = 0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2] < 128 ? 1 : 0;
  return out;
}

/** Fraction of the pixels set in `a` that have a pixel of `b` within `r` pixels (Chebyshev distance). */
function covered(a: Uint8Array, b: Uint8Array, w: number, h: number, r: number): number {
  let total = 0, hit = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!a[y * w + x]) continue;
      total++;
      search: for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const xx = x + dx, yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < w && yy < h && b[yy * w + xx]) { hit++; break search; }
        }
      }
    }
  }
  return total === 0 ? 1 : hit / total;
}

/** 8-connected pieces of a mask. */
function components(m: Uint8Array, w: number, h: number): number {
  const seen = new Uint8Array(m.length);
  let count = 0;
  const stack: number[] = [];
  for (let p = 0; p < m.length; p++) {
    if (!m[p] || seen[p]) continue;
    count++;
    seen[p] = 1;
    stack.push(p);
    while (stack.length) {
      const q = stack.pop()!;
      const x = q % w, y = (q - x) / w;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx, yy = y + dy, t = yy * w + xx;
        if (xx >= 0 && yy >= 0 && xx < w && yy < h && m[t] && !seen[t]) { seen[t] = 1; stack.push(t); }
      }
    }
  }
  return count;
}

export interface StrokeMatch {
  /** Share of the input's ink within a pixel of the strokes' ink, and the other way round. */
  recall: number;
  precision: number;
  /** PSNR of the strokes' render against the input. */
  psnr: number;
  /** Connected pieces of ink: input, strokes (a gap at a joint splits a piece). */
  parts: [number, number];
}

/** How well the SVG of a trace (rendered by resvg) redraws the line art. */
export function matchStrokes(art: LineArt, svg: string): StrokeMatch {
  const { width: w, height: h } = art.image;
  const out = renderSvg(svg, w, h);
  const a = ink(art.image.data), b = ink(out);
  return {
    recall: covered(a, b, w, h, 1), precision: covered(b, a, w, h, 1), psnr: psnr(out, art.image.data),
    parts: [components(a, w, h), components(b, w, h)],
  };
}
