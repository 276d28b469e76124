/**
 * Measures of the shape benchmark beyond PSNR and SSIM (which come from test/support/fidelity.ts): ink masks
 * and the xor error of black-and-white outlines, stray ink (spikes), the bilinear upscale that serves as the baseline, and a
 * count of the drawing segments of an SVG.
 *
 * Images are opaque RGBA (4 bytes per pixel, row-major), as renderSvg gives them over white.
 */
import { luma } from '../../test/support/fidelity.js';

/** Ink = luma below one half (127.5): 1 for ink, 0 for paper. */
export function inkMask(rgba: Uint8Array): Uint8Array {
  const y = luma(rgba);
  const out = new Uint8Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = y[i]! < 127.5 ? 1 : 0;
  return out;
}

/** Number of ink pixels of a mask. */
export function inkCount(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  return n;
}

/**
 * Xor error: pixels where the two masks disagree, as a share of the truth's ink pixels (0 = identical;
 * a shape missing entirely scores 1). Throws when the truth has no ink.
 */
export function xorError(truth: Uint8Array, other: Uint8Array): number {
  if (truth.length !== other.length) throw new Error(`masks differ in size (${truth.length} vs ${other.length} pixels)`);
  let diff = 0;
  for (let i = 0; i < truth.length; i++) diff += truth[i]! ^ other[i]!;
  const ink = inkCount(truth);
  if (ink === 0) throw new Error('xor error: the truth has no ink');
  return diff / ink;
}

/**
 * Stray ink: how far (in pixels of the masks) the farthest ink pixel of `mask` lies from any ink pixel of
 * `truth` (both w × h), capped at `reach`: a spike or a loop drawn off the shape shows there.
 */
export function strayInk(truth: Uint8Array, mask: Uint8Array, w: number, h: number, reach: number): number {
  let worst = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      if (!mask[p] || truth[p]) continue;
      let best = reach * reach;
      // Only a pixel that can beat the worst so far needs its neighbourhood searched to the end.
      for (let yy = Math.max(0, y - reach); yy <= Math.min(h - 1, y + reach) && best > worst * worst; yy++) {
        for (let xx = Math.max(0, x - reach); xx <= Math.min(w - 1, x + reach); xx++) {
          if (truth[yy * w + xx]) best = Math.min(best, (xx - x) ** 2 + (yy - y) ** 2);
        }
      }
      worst = Math.max(worst, Math.sqrt(best));
    }
  }
  return worst;
}

/**
 * Bilinear upscale (or downscale) of an RGBA image to `width` × `height`, pixel centres aligned (output
 * pixel x samples source x' = (x + 0.5)·sw/width − 0.5, clamped at the border): the plain interpolation a
 * tracer must beat, since it keeps the edge positions that the anti-aliased grey levels encode.
 */
export function bilinear(src: Uint8Array, sw: number, sh: number, width: number, height: number): Uint8Array {
  if (src.length !== sw * sh * 4) throw new Error(`bilinear: ${src.length} bytes is not ${sw}×${sh} RGBA`);
  const out = new Uint8Array(width * height * 4);
  const fx = sw / width, fy = sh / height;
  const x0s = new Int32Array(width), x1s = new Int32Array(width), wxs = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    const sx = Math.min(Math.max((x + 0.5) * fx - 0.5, 0), sw - 1);
    x0s[x] = Math.floor(sx); x1s[x] = Math.min(x0s[x]! + 1, sw - 1); wxs[x] = sx - x0s[x]!;
  }
  for (let y = 0; y < height; y++) {
    const sy = Math.min(Math.max((y + 0.5) * fy - 0.5, 0), sh - 1);
    const y0 = Math.floor(sy), y1 = Math.min(y0 + 1, sh - 1), wy = sy - y0;
    const r0 = y0 * sw * 4, r1 = y1 * sw * 4;
    for (let x = 0; x < width; x++) {
      const a = r0 + x0s[x]! * 4, b = r0 + x1s[x]! * 4, c = r1 + x0s[x]! * 4, d = r1 + x1s[x]! * 4;
      const wx = wxs[x]!;
      const o = (y * width + x) * 4;
      for (let k = 0; k < 4; k++) {
        const top = src[a + k]! + (src[b + k]! - src[a + k]!) * wx;
        const bottom = src[c + k]! + (src[d + k]! - src[c + k]!) * wx;
        out[o + k] = Math.round(top + (bottom - top) * wy);
      }
    }
  }
  return out;
}

// Arguments per path command; arcs are parsed apart (their flags may be written without separators).
const ARGS: Record<string, number> = { m: 2, l: 2, h: 1, v: 1, c: 6, s: 4, q: 4, t: 2, a: 7, z: 0 };
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/;

/** Drawing segments of path data: every command and each implicit repeat, minus move-tos and close-paths. */
export function pathSegmentCount(d: string): number {
  let i = 0, count = 0;
  let letter = '';
  let argIndex = 0;
  const n = d.length;
  while (i < n) {
    const ch = d[i]!;
    if (/[\s,]/.test(ch)) { i++; continue; }
    if (/[A-Za-z]/.test(ch)) {
      letter = ch.toLowerCase();
      if (!(letter in ARGS)) throw new Error(`path data: unknown command ${ch}`);
      argIndex = 0;
      i++;
      continue;
    }
    if (!letter) throw new Error(`path data starts with a number: ${d.slice(0, 30)}`);
    // Arc flags (4th and 5th argument) are a single 0 or 1, possibly not separated from what follows.
    const flag = letter === 'a' && (argIndex % 7 === 3 || argIndex % 7 === 4);
    if (flag) {
      if (ch !== '0' && ch !== '1') throw new Error(`path data: bad arc flag at ${d.slice(i, i + 10)}`);
      i++;
    } else {
      const m = NUMBER.exec(d.slice(i, i + 40));
      if (!m) throw new Error(`path data: unexpected ${d.slice(i, i + 10)}`);
      i += m[0].length;
    }
    argIndex++;
    if (argIndex % ARGS[letter]! === 0) {
      // A move-to's first pair starts a subpath; its further pairs are line-tos.
      if (!(letter === 'm' && argIndex === 2)) count++;
    }
  }
  return count;
}

/**
 * Segments of a whole SVG document: path segments, plus circles and ellipses as 2 (two arcs), rectangles
 * as 4 (8 when rounded), polygons and polylines as their vertex count.
 */
export function svgSegmentCount(svg: string): number {
  let total = 0;
  for (const m of svg.matchAll(/<(path|circle|ellipse|rect|polygon|polyline)\b([^>]*)>/g)) {
    const attrs = m[2]!;
    switch (m[1]) {
      case 'path': total += pathSegmentCount(/\bd="([^"]*)"/.exec(attrs)?.[1] ?? ''); break;
      case 'circle': case 'ellipse': total += 2; break;
      case 'rect': total += /\br[xy]="[^0"]/.test(attrs) ? 8 : 4; break;
      default: total += ((/\bpoints="([^"]*)"/.exec(attrs)?.[1] ?? '').match(/[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g)?.length ?? 0) >> 1;
    }
  }
  return total;
}
