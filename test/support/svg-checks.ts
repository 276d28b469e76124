/**
 * Geometric checks on traced SVGs shared by the engine tests: per-path coverage masks (cutout overlap),
 * gaps in stacked output, curve counts.
 */
import { pathSegments, renderSvg, svgPaths, WHITE, MAGENTA } from './fidelity.js';
import type { RgbaBuffer } from './fidelity.js';

/** The x, y of a `translate(x[,| ]y)` transform, or 0, 0. */
export function translateOf(transform: string | undefined): [number, number] {
  if (!transform) return [0, 0];
  const m = /translate\(\s*([-+\d.eE]+)(?:[\s,]+([-+\d.eE]+))?\s*\)/.exec(transform);
  if (!m) return [0, 0];
  return [Number(m[1]), m[2] === undefined ? 0 : Number(m[2])];
}

/** Curve and line segment counts over every path of an SVG (implicit command repeats included). */
export function segmentCounts(svg: string): { curves: number; lines: number } {
  let curves = 0, lines = 0;
  for (const p of svgPaths(svg)) {
    for (const s of pathSegments(p.d)) {
      if (s.kind === 'curve') curves++;
      else lines++;
    }
  }
  return { curves, lines };
}

export interface OverlapReport {
  paths: number;
  /** Pixels fully covered (alpha ≥ 250) by two paths or more. */
  coveredTwice: number;
  /** Largest sum of the paths' alpha at one pixel (255 = exactly one full cover). */
  maxAlphaSum: number;
}

/**
 * Renders each `<path>` alone (with the root's size and viewBox) on a transparent canvas and counts the
 * pixels that two or more paths cover fully; anti-aliased edge pixels (partial alpha) are allowed.
 */
export function pathOverlap(svg: string, width: number, height: number): OverlapReport {
  const rootMatch = /<svg\b[^>]*>/.exec(svg);
  if (!rootMatch) throw new Error('no <svg> element');
  const paths = svgPaths(svg);
  const n = width * height;
  const full = new Uint16Array(n);
  const sum = new Uint32Array(n);
  for (const p of paths) {
    const one = `${rootMatch[0]}${p.source}</svg>`;
    const px = renderSvg(one, width, height, null);
    for (let i = 0; i < n; i++) {
      const a = px[i * 4 + 3]!;
      if (a >= 250) full[i]!++;
      sum[i] += a;
    }
  }
  let coveredTwice = 0, maxAlphaSum = 0;
  for (let i = 0; i < n; i++) {
    if (full[i]! >= 2) coveredTwice++;
    if (sum[i]! > maxAlphaSum) maxAlphaSum = sum[i]!;
  }
  return { paths: paths.length, coveredTwice, maxAlphaSum };
}

export interface GapReport {
  /** Pixels checked: opaque in the input and away from transparency by `margin` pixels. */
  checked: number;
  /** Checked pixels where the magenta canvas shows through (coverage below about 97 %). */
  gaps: number;
  /** A few gap positions, for the failure message. */
  examples: Array<[number, number]>;
}

/**
 * Renders the SVG over magenta and over white; where the two differ, the canvas shows through. Counts
 * such pixels among those that are opaque in the input with every pixel within `margin` opaque too.
 */
export function stackedGaps(svg: string, image: RgbaBuffer, margin = 1): GapReport {
  const { width, height, data } = image;
  const onMagenta = renderSvg(svg, width, height, MAGENTA);
  const onWhite = renderSvg(svg, width, height, WHITE);
  let checked = 0, gaps = 0;
  const examples: Array<[number, number]> = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let opaque = true;
      for (let dy = -margin; dy <= margin && opaque; dy++) {
        for (let dx = -margin; dx <= margin; dx++) {
          const xx = x + dx, yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
          if (data[(yy * width + xx) * 4 + 3] !== 255) { opaque = false; break; }
        }
      }
      if (!opaque) continue;
      checked++;
      const i = (y * width + x) * 4;
      // White and magenta differ by 255 in green only: the green difference is (1 - coverage) * 255.
      if (onWhite[i + 1]! - onMagenta[i + 1]! > 8) {
        gaps++;
        if (examples.length < 5) examples.push([x, y]);
      }
    }
  }
  return { checked, gaps, examples };
}

/**
 * Pixels inside opaque art (every pixel within 2 of it fully opaque) that show a magenta background through
 * the rendered SVG: seams between shapes that should meet.
 */
export function magentaSeams(svg: string, image: RgbaBuffer): number {
  const px = renderSvg(svg, image.width, image.height, MAGENTA);
  const { width: w, height: h, data } = image;
  let count = 0;
  for (let y = 2; y < h - 2; y++) {
    for (let x = 2; x < w - 2; x++) {
      let inside = true;
      for (let dy = -2; dy <= 2 && inside; dy++) for (let dx = -2; dx <= 2; dx++) if (data[4 * ((y + dy) * w + x + dx) + 3]! < 255) { inside = false; break; }
      if (!inside) continue;
      const i = 4 * (y * w + x);
      if (px[i]! > 200 && px[i + 1]! < 60 && px[i + 2]! > 200) count++;
    }
  }
  return count;
}
