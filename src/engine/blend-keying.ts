/**
 * Blend keying (colour modes, before stage 1): in flat art, each anti-aliased pixel is keyed to one of the
 * two colours it mixes, the one it holds more of.
 *
 * Why: a stroke narrower than about two pixels (16 px text in a regular weight, a hairline) has no pixel of
 * its own colour, only mixes of it and the background. Clustered as they are, those mixes become layers of
 * their own, painted in a pale average of them (a blue line of text came out as light blue blobs, and most
 * of a 16 px serif line was lost). Keyed, the stroke's pixels that are more ink than background form the
 * stroke's layer, in the ink's colour, and the sub-pixel edges (stage 5), which still read the true pixels
 * and take the keyed colours as the two sides' references, draw it as thin as its coverage says.
 *
 * Flat art here: at least FLAT_SHARE of the pixels equal their right and lower neighbours, and, once the
 * palette is known, at least EXPLAINED of them are a palette colour or lie on the segment between two
 * (photos and scans fail the first test at once, on one pass without a colour table). The palette: the
 * CANDIDATES most frequent colours (MIN_COUNT pixels or more) that are not a mix of two others, unless they
 * fill an area of their own (MIN_FLAT pixels equal to their four neighbours: a flat region in a colour that
 * happens to lie between two others is a colour, not a mix). Colours are compared premultiplied, so an
 * edge against transparency is a mix of the shape's colour and transparency, keyed as the alpha threshold
 * (one half) keys it.
 */

import { pixelWords } from './image.js';

/** Share of pixels equal to their right and lower neighbours from which an image may be flat art. */
const FLAT_SHARE = 0.25;
/** Share of pixels that must be palette colours or their mixes. */
const EXPLAINED = 0.97;
/** The palette is chosen among this many most frequent colours. */
const CANDIDATES = 32;
/** A candidate colour holds at least this many pixels. */
const MIN_COUNT = 4;
/** A candidate with this many pixels equal to their four neighbours is a colour even between two others. */
const MIN_FLAT = 8;
/** More distinct colours than this: not flat art (and the table would grow with the image). */
const MAX_DISTINCT = 1 << 15;
/** Two palette colours closer than this (premultiplied RGBA distance, 0–255) are not told apart as a mix's ends. */
const MIN_CONTRAST = 40;
/**
 * How far (premultiplied RGBA distance) a mix may lie from the segment between its two colours: rounding,
 * and renderers that blend in linear light, whose mixes bow off the straight segment a little.
 */
function tolerance(contrast: number): number {
  return 6 + 0.06 * contrast;
}

/** How far (px) from a mix an inside pixel of each of its two colours is looked for. */
const AREA_REACH = 2;

/**
 * 1 where a pixel is inside an area of its colour: its four neighbours are that colour too (the image's frame
 * does not end an area: a shape cut by it is as thick as it looks).
 */
function insideMask(px: Uint32Array, w: number, h: number): Uint8Array {
  const inside = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0, p = y * w; x < w; x++, p++) {
      const c = px[p];
      if ((x === 0 || px[p - 1] === c) && (x + 1 === w || px[p + 1] === c) && (y === 0 || px[p - w] === c) && (y + 1 === h || px[p + w] === c)) inside[p] = 1;
    }
  }
  return inside;
}

/** Whether both colours a and b have a pixel inside an area of their own within AREA_REACH of pixel p. */
function betweenAreas(px: Uint32Array, inside: Uint8Array, w: number, h: number, p: number, a: number, b: number): boolean {
  const x = p % w, y = (p - x) / w;
  let hasA = false, hasB = false;
  for (let yy = Math.max(0, y - AREA_REACH); yy <= Math.min(h - 1, y + AREA_REACH); yy++) {
    for (let q = yy * w + Math.max(0, x - AREA_REACH), end = yy * w + Math.min(w - 1, x + AREA_REACH); q <= end; q++) {
      if (inside[q] === 0) continue;
      const c = px[q];
      if (c === a) hasA = true;
      else if (c === b) hasB = true;
      if (hasA && hasB) return true;
    }
  }
  return false;
}

/** Premultiplied RGBA (0–255 each) of a packed little-endian RGBA pixel. */
function premultiplied(c: number, out: Float64Array, at: number): void {
  const a = c >>> 24;
  const k = a / 255;
  out[at] = (c & 255) * k;
  out[at + 1] = ((c >>> 8) & 255) * k;
  out[at + 2] = ((c >>> 16) & 255) * k;
  out[at + 3] = a;
}

/**
 * Where colour c (premultiplied, at index ci of `v`) lies on the segment from palette colour i to j: the
 * fraction t from i (any value), or NaN when it lies farther than the tolerance from the line, or the two
 * are too alike to tell.
 */
function mixOf(v: Float64Array, ci: number, i: number, j: number): number {
  const dr = v[4 * j] - v[4 * i], dg = v[4 * j + 1] - v[4 * i + 1], db = v[4 * j + 2] - v[4 * i + 2], da = v[4 * j + 3] - v[4 * i + 3];
  const dd = dr * dr + dg * dg + db * db + da * da;
  if (dd < MIN_CONTRAST * MIN_CONTRAST) return NaN;
  const er = v[4 * ci] - v[4 * i], eg = v[4 * ci + 1] - v[4 * i + 1], eb = v[4 * ci + 2] - v[4 * i + 2], ea = v[4 * ci + 3] - v[4 * i + 3];
  const t = (er * dr + eg * dg + eb * db + ea * da) / dd;
  const rr = er - t * dr, rg = eg - t * dg, rb = eb - t * db, ra = ea - t * da;
  const tol = tolerance(Math.sqrt(dd));
  return rr * rr + rg * rg + rb * rb + ra * ra <= tol * tol ? t : NaN;
}

/**
 * The image with each mix of two palette colours replaced by the nearer of the two (RGBA bytes, a new
 * array), or null when the image is not flat art (see the file's header).
 */
export function keyBlends(data: Uint8Array, w: number, h: number): Uint8Array | null {
  const n = w * h;
  if (n < 16) return null;
  // Pixels as words (a copy when the bytes are not aligned; null on a big-endian machine).
  const px = pixelWords(data) ?? pixelWords(data.slice());
  if (px === null) return null;
  // Quick test: flat art repeats its pixels along both axes.
  let same = 0;
  for (let y = 0; y + 1 < h; y++) {
    for (let p = y * w, end = p + w - 1; p < end; p++) {
      const c = px[p];
      if (px[p + 1] === c && px[p + w] === c) same++;
    }
  }
  if (same < FLAT_SHARE * n) return null;

  // Colour table (one lookup per run of equal pixels) and each colour's flat pixels (equal to their four neighbours).
  const index = new Map<number, number>();
  const colours: number[] = [];
  const counts: number[] = [];
  const flats: number[] = [];
  // One lookup per run of equal pixels (flat art is mostly long runs).
  const inside = insideMask(px, w, h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w;) {
      const v = px[row + x];
      let end = x + 1, flat = inside[row + x];
      while (end < w && px[row + end] === v) flat += inside[row + end++];
      // Transparent pixels are one colour whatever their RGB.
      const c = v >>> 24 === 0 ? 0 : v;
      let k = index.get(c);
      if (k === undefined) {
        if (colours.length >= MAX_DISTINCT) return null;
        k = colours.length;
        index.set(c, k);
        colours.push(c);
        counts.push(0);
        flats.push(0);
      }
      counts[k] += end - x;
      flats[k] += flat;
      x = end;
    }
  }

  // Candidates: the most frequent colours; the palette: those that are not a mix of two others.
  const order = colours.map((_, k) => k).filter((k) => counts[k] >= MIN_COUNT).sort((a, b) => counts[b] - counts[a]).slice(0, CANDIDATES);
  const m = order.length;
  if (m < 2) return null;
  const cand = new Float64Array(4 * (m + 1));
  for (let i = 0; i < m; i++) premultiplied(colours[order[i]], cand, 4 * i);
  const palette: number[] = [];
  for (let c = 0; c < m; c++) {
    let mix = false;
    if (flats[order[c]] < MIN_FLAT) {
      for (let i = 0; i < m && !mix; i++) {
        if (i === c) continue;
        for (let j = i + 1; j < m; j++) {
          if (j === c) continue;
          const t = mixOf(cand, c, i, j);
          if (t > 0 && t < 1) { mix = true; break; }
        }
      }
    }
    if (!mix) palette.push(c);
  }
  const P = palette.length;
  if (P < 2) return null;
  const v = new Float64Array(4 * (P + 1));
  const packed = new Uint32Array(P);
  for (let i = 0; i < P; i++) {
    packed[i] = colours[order[palette[i]]];
    premultiplied(packed[i], v, 4 * i);
  }

  // Each colour's key: itself if in the palette, else the nearer end of the best-fitting segment, else itself.
  const keyOf = new Uint32Array(colours.length);
  const otherOf = new Uint32Array(colours.length);
  let explained = 0;
  const at = 4 * P;
  for (let k = 0; k < colours.length; k++) {
    const c = colours[k];
    keyOf[k] = c;
    let inPalette = false;
    for (let i = 0; i < P; i++) if (packed[i] === c) inPalette = true;
    if (inPalette) { explained += counts[k]; continue; }
    premultiplied(c, v, at);
    // A mix lies nearest one of its two colours: pairs are tried from the two palette colours nearest it.
    let n1 = -1, n2 = -1, d1 = Infinity, d2 = Infinity;
    for (let i = 0; i < P; i++) {
      let d = 0;
      for (let q = 0; q < 4; q++) d += (v[at + q] - v[4 * i + q]) ** 2;
      if (d < d1) { n2 = n1; d2 = d1; n1 = i; d1 = d; } else if (d < d2) { n2 = i; d2 = d; }
    }
    let best = Infinity, key = -1, other = -1;
    for (const i of [n1, n2]) {
      for (let j = 0; j < P; j++) {
        if (j === i || (i === n2 && j === n1)) continue;
        const t = mixOf(v, P, i, j);
        if (!(t >= -0.05 && t <= 1.05)) continue;
        // Among the segments it fits, the one it lies closest to.
        const s = t < 0 ? 0 : t > 1 ? 1 : t;
        let e = 0;
        for (let q = 0; q < 4; q++) {
          const d = v[at + q] - (v[4 * i + q] + s * (v[4 * j + q] - v[4 * i + q]));
          e += d * d;
        }
        if (e < best) { best = e; key = t < 0.5 ? i : j; other = t < 0.5 ? j : i; }
      }
    }
    if (key >= 0) {
      keyOf[k] = packed[key];
      otherOf[k] = packed[other];
      explained += counts[k];
    }
  }
  if (explained < EXPLAINED * n) return null;

  const out = new Uint8Array(4 * n);
  const keyed = new Uint32Array(out.buffer);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w;) {
      const c = px[row + x];
      let end = x + 1;
      while (end < w && px[row + end] === c) end++;
      const k = c >>> 24 === 0 ? -1 : index.get(c)!;
      const key = k < 0 ? c : keyOf[k];
      if (key === c) keyed.fill(c, row + x, row + end);
      else {
        // A mix between two areas of flat colour stays for the clustering, which sorts such an edge's mixes
        // well; one beside a stroke too thin to have a pixel inside it is keyed.
        const other = otherOf[k];
        for (let p = row + x; p < row + end; p++) keyed[p] = betweenAreas(px, inside, w, h, p, key, other) ? c : key;
      }
      x = end;
    }
  }
  return out;
}
