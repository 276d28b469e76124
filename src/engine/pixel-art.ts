/**
 * Pixel art at its own size (stage 0″, colour): a sprite or a favicon drawn pixel by pixel, each pixel one of a
 * few exact colours, no anti-aliasing. There every pixel is meant: a 1 px outline, a 2 px eye, a highlight of
 * one pixel. Traced as a drawing, the speckle filter merged most of them away and the fitter read the pixel
 * steps as a smooth shape's aliasing (a 16 px mushroom came out as a brown blob); drawn as squares, pixel for
 * pixel, the sprite is exact at any scale, as it is when upscaled with nearest neighbour first.
 *
 * `pixelArt: 'auto'` takes an image for pixel art when it is small (PIXEL_ART_MAX_SIDE), hard-edged (every
 * alpha 0 or 255), of at most PIXEL_ART_COLOURS colours, and hardly any of its edge pixels is a blend of the two
 * pixels either side of it (BLEND_SHARE): an anti-aliased icon's are. (The number of colours alone
 * does not tell: a 32 px anti-aliased disc and bar use 21, its blends repeating round the disc.)
 */
import type { TraceParameters } from './options.js';

/** Longest side (px) of an image `pixelArt: 'auto'` may take for pixel art: a sprite or an icon at 16–32 px. */
export const PIXEL_ART_MAX_SIDE = 32;
/** Most distinct colours of pixel art (fully transparent pixels count as one). */
export const PIXEL_ART_COLOURS = 32;
/**
 * Largest share of the edge pixels (a 4-neighbour of another colour) that are blends (isBlend) of their left and
 * right, or upper and lower, neighbours. A sprite has none, but where a colour of its ramp lies between two
 * others; an anti-aliased dot 1.5 px across is blends to a tenth of the edges round it, and Papirus icons at
 * 32 px, most of their edges on the pixel grid, 1–3 % (those at 2 % and more have 45° edges, which came out
 * staircases: Encryptr −2 dB at 768 px; below it, a pixel font drawn exactly: dosbox-staging +10 dB).
 */
const BLEND_SHARE = 0.015;
/** A blend lies this far along the segment between the two colours or more from each end (0–1)... */
const BLEND_MARGIN = 0.1;
/** ...and within this many levels (RGB distance) of it. */
const BLEND_TOLERANCE = 8;

/** Whether RGBA `data` (w × h) is pixel art by the rule above. */
export function isPixelArt(data: Uint8Array, w: number, h: number): boolean {
  if (Math.max(w, h) > PIXEL_ART_MAX_SIDE || w * h === 0) return false;
  const n = w * h;
  // Distinct colours (packed RGB; a transparent pixel is −1), in a small linear table.
  const colours = new Int32Array(PIXEL_ART_COLOURS + 1);
  let count = 0;
  for (let p = 0; p < n; p++) {
    const a = data[4 * p + 3];
    if (a !== 0 && a !== 255) return false;
    const c = a === 0 ? -1 : (data[4 * p] << 16) | (data[4 * p + 1] << 8) | data[4 * p + 2];
    let k = 0;
    while (k < count && colours[k] !== c) k++;
    if (k === count) {
      if (count === PIXEL_ART_COLOURS) return false;
      colours[count++] = c;
    }
  }
  if (count < 2) return false;
  let blends = 0, edges = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      if ((x > 0 && differ(data, p, p - 1)) || (x + 1 < w && differ(data, p, p + 1)) || (y > 0 && differ(data, p, p - w)) || (y + 1 < h && differ(data, p, p + w))) edges++;
      if ((x > 0 && x + 1 < w && isBlend(data, p, p - 1, p + 1)) || (y > 0 && y + 1 < h && isBlend(data, p, p - w, p + w))) blends++;
    }
  }
  return blends <= BLEND_SHARE * edges;
}

/** Whether pixels p and q differ in colour (RGBA). */
function differ(data: Uint8Array, p: number, q: number): boolean {
  return data[4 * p] !== data[4 * q] || data[4 * p + 1] !== data[4 * q + 1] || data[4 * p + 2] !== data[4 * q + 2] || data[4 * p + 3] !== data[4 * q + 3];
}

/** Whether pixel p's colour lies on the RGB segment between pixels a and b, away from both ends (an edge's mix). */
function isBlend(data: Uint8Array, p: number, a: number, b: number): boolean {
  // (A transparent pixel's colour means nothing.)
  if (data[4 * p + 3] === 0 || data[4 * a + 3] === 0 || data[4 * b + 3] === 0) return false;
  const ar = data[4 * a], ag = data[4 * a + 1], ab = data[4 * a + 2];
  const dr = data[4 * b] - ar, dg = data[4 * b + 1] - ag, db = data[4 * b + 2] - ab;
  const dd = dr * dr + dg * dg + db * db;
  if (dd === 0) return false;
  const cr = data[4 * p] - ar, cg = data[4 * p + 1] - ag, cb = data[4 * p + 2] - ab;
  const t = (cr * dr + cg * dg + cb * db) / dd;
  if (t < BLEND_MARGIN || t > 1 - BLEND_MARGIN) return false;
  const er = cr - t * dr, eg = cg - t * dg, eb = cb - t * db;
  return er * er + eg * eg + eb * eb <= BLEND_TOLERANCE * BLEND_TOLERANCE;
}

/**
 * The parameters a trace of `data` runs with: for pixel art (`pixelArt` 'on', or 'auto' and isPixelArt, in
 * colour mode with filled shapes), every pixel kept in its own exact colour and drawn as squares (mode
 * 'pixel', filterSpeckle 0, layerDifference 0, colorPrecision 8); else `params` itself.
 */
export function pixelArtParameters(params: TraceParameters, data: Uint8Array, w: number, h: number): TraceParameters {
  if (params.pixelArt === 'off' || params.colorMode !== 'color' || params.drawStyle !== 'fill') return params;
  if (params.pixelArt === 'auto' && !isPixelArt(data, w, h)) return params;
  return { ...params, mode: 'pixel', filterSpeckle: 0, layerDifference: 0, colorPrecision: 8 };
}
