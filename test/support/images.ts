/**
 * Synthetic RGBA images for tests and the benchmark: solid fills, rectangles, discs, deterministic noise,
 * and the stress shapes that break the reference (many components, very long boundaries).
 */
import type { RgbaBuffer } from './fidelity.js';

export type Rgba = readonly [number, number, number, number];

/** A deterministic PRNG (mulberry32): the same seed gives the same sequence, floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An image filled with one colour. */
export function solid(width: number, height: number, color: Rgba): RgbaBuffer {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = color[0]; data[i + 1] = color[1]; data[i + 2] = color[2]; data[i + 3] = color[3];
  }
  return { data, width, height };
}

export function setPixel(img: RgbaBuffer, x: number, y: number, c: Rgba): void {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
  const i = (y * img.width + x) * 4;
  img.data[i] = c[0]; img.data[i + 1] = c[1]; img.data[i + 2] = c[2]; img.data[i + 3] = c[3];
}

/** Paints the rectangle [x, x+w) × [y, y+h) in place (no blending). */
export function fillRect(img: RgbaBuffer, x: number, y: number, w: number, h: number, c: Rgba): RgbaBuffer {
  for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) setPixel(img, xx, yy, c);
  return img;
}

/** Paints the pixels whose centre lies within `r` of (cx, cy), in place (aliased, no blending). */
export function fillDisc(img: RgbaBuffer, cx: number, cy: number, r: number, c: Rgba): RgbaBuffer {
  for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++) {
    for (let x = Math.floor(cx - r); x <= Math.ceil(cx + r); x++) {
      const dx = x + 0.5 - cx, dy = y + 0.5 - cy;
      if (dx * dx + dy * dy <= r * r) setPixel(img, x, y, c);
    }
  }
  return img;
}

/** A copy with uniform noise in [-amp, +amp] added to R, G and B (clamped); alpha unchanged. */
export function withNoise(img: RgbaBuffer, amp: number, seed = 1): RgbaBuffer {
  const rnd = mulberry32(seed);
  const data = new Uint8Array(img.data);
  if (amp > 0) {
    for (let i = 0; i < data.length; i += 4) {
      for (let c = 0; c < 3; c++) {
        const v = data[i + c]! + Math.floor(rnd() * (2 * amp + 1)) - amp;
        data[i + c] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
  return { data, width: img.width, height: img.height };
}

export const WHITE: Rgba = [255, 255, 255, 255];
export const BLACK: Rgba = [0, 0, 0, 255];
export const RED: Rgba = [220, 30, 30, 255];
export const BLUE: Rgba = [30, 60, 200, 255];
export const TRANSPARENT: Rgba = [0, 0, 0, 0];

/**
 * White image with a black pixel at every (x, y) with x and y even: isolated 4-connected components,
 * ceil(w/2)·ceil(h/2) of them.
 */
export function dotGrid(width: number, height: number): RgbaBuffer {
  const img = solid(width, height, WHITE);
  for (let y = 0; y < height; y += 2) for (let x = 0; x < width; x += 2) setPixel(img, x, y, BLACK);
  return img;
}

/**
 * A comb: a black base band of `base` rows at the bottom and black 1-px teeth on every even column
 * above it, up to one white row at the top; one component whose boundary is about 2·height steps per
 * tooth (≈ 2.4 million steps for 2000×1200).
 */
export function comb(width: number, height: number, base = 20): RgbaBuffer {
  const img = solid(width, height, WHITE);
  fillRect(img, 0, height - base, width, base, BLACK);
  for (let x = 0; x < width; x += 2) fillRect(img, x, 1, 1, height - base - 1, BLACK);
  return img;
}

/** A test scene: white background, black disc, red square holding a small blue square. */
export function scene(width = 96, height = 64): RgbaBuffer {
  const img = solid(width, height, WHITE);
  fillDisc(img, width * 0.27, height * 0.5, Math.min(width, height) * 0.3, BLACK);
  const s = Math.round(Math.min(width, height) * 0.4);
  const x0 = Math.round(width * 0.58), y0 = Math.round((height - s) / 2);
  fillRect(img, x0, y0, s, s, RED);
  const t = Math.round(s * 0.4);
  fillRect(img, x0 + Math.round((s - t) / 2), y0 + Math.round((s - t) / 2), t, t, BLUE);
  return img;
}

/** Crops an RGBA image to [x, x+w) × [y, y+h). */
export function crop(img: RgbaBuffer, x: number, y: number, w: number, h: number): RgbaBuffer {
  const data = new Uint8Array(w * h * 4);
  for (let yy = 0; yy < h; yy++) {
    data.set(img.data.subarray(((y + yy) * img.width + x) * 4, ((y + yy) * img.width + x + w) * 4), yy * w * 4);
  }
  return { data, width: w, height: h };
}

export interface LitScan {
  image: RgbaBuffer;
  /** Glyph boxes [x, y, w, h]: ink inside, paper in a 3-pixel ring around each. */
  glyphs: [number, number, number, number][];
}

/**
 * A page photographed under uneven light: paper brightness falls from 245 on the left to 80 on the right,
 * with a grid of glyphs (ring-shaped, like an "o", 3 px strokes) whose ink is 40 % of the paper's brightness
 * around it. A fixed threshold at 128 turns the dark side of the page into one black area.
 */
export function litScan(width = 360, height = 160): LitScan {
  const data = new Uint8Array(width * height * 4);
  const paper = (x: number): number => 245 - (165 * x) / (width - 1);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = Math.round(paper(x));
      const i = 4 * (y * width + x);
      data[i] = data[i + 1] = data[i + 2] = v;
      data[i + 3] = 255;
    }
  }
  const glyphs: [number, number, number, number][] = [];
  const size = 18, gap = 12;
  for (let gy = gap; gy + size <= height - gap; gy += size + gap) {
    for (let gx = gap; gx + size <= width - gap; gx += size + gap) {
      glyphs.push([gx, gy, size, size]);
      for (let y = gy; y < gy + size; y++) {
        for (let x = gx; x < gx + size; x++) {
          const ring = x < gx + 3 || x >= gx + size - 3 || y < gy + 3 || y >= gy + size - 3;
          if (!ring) continue;
          const i = 4 * (y * width + x);
          data[i] = data[i + 1] = data[i + 2] = Math.round(paper(x) * 0.4);
        }
      }
    }
  }
  return { image: { data, width, height }, glyphs };
}

/** Glyphs of a lit scan kept by a traced SVG: ink black on both sides, the hole and the paper around white. */
export function glyphsKept(rendered: Uint8Array, scan: LitScan): number {
  const width = scan.image.width;
  const lum = (x: number, y: number) => rendered[4 * (y * width + x)]!;
  let kept = 0;
  for (const [x, y, w, h] of scan.glyphs) {
    const my = y + (h >> 1);
    const ink = lum(x + 1, my) < 64 && lum(x + w - 2, my) < 64;
    const hole = lum(x + (w >> 1), my) > 192;
    const paper = lum(x - 4, my) > 192 && lum(x + w + 3, my) > 192 && lum(x + (w >> 1), y - 4) > 192;
    if (ink && hole && paper) kept++;
  }
  return kept;
}
