/**
 * Blend keying (colour, before stage 1): in flat art, an anti-aliased pixel beside a stroke too thin to have
 * a pixel of its own colour is keyed to the one of its two colours it holds more of.
 *
 * Why: a stroke narrower than about two pixels (16 px text in a regular weight, a hairline) has no pixel of
 * its own colour, only mixes of it and the background. Clustered as they are, those mixes become layers of
 * their own, painted in a pale average of them (blue text came out as light blue blobs, and half of a 16 px
 * serif line was lost). Keyed, the stroke's pixels that are more ink than background form the stroke's layer,
 * in the ink's colour, and the sub-pixel edges (stage 5), which read the true pixels, draw it as thin as its
 * coverage says. A mix between two areas of flat colour (both of its colours have a pixel inside an area of
 * their own, it and its four neighbours that colour, within AREA_REACH) is left alone: the clustering sorts
 * such an edge's mixes well, and keying them cost the 48 px emoji 1 to 1.8 dB. So is a ridge (isRidge): a line of
 * a mix with nothing beside it holding more of what it holds besides its key, which keying would erase. And so
 * is a pixel that is no blend of the two colours its mix is read between (isNoBlend): a flat band of a colour
 * that merely lies between two others (a 20 % shadow under a card), or an edge of a third colour.
 *
 * Flat art here: at least FLAT_SHARE of the pixels (on every fourth row) equal their right and lower
 * neighbours, and, once the palette is known, at least EXPLAINED of them are a palette colour or lie on the
 * segment between two (photos and scans fail the first test at once, in one pass without a colour table).
 * The palette: the CANDIDATES most frequent colours (MIN_COUNT pixels or more) that are no mix of two
 * others, unless they fill an area of their own (a pixel inside one, MIN_FLAT: a flat region in a colour that
 * happens to lie between two others is a colour, not a mix). Colours are compared premultiplied, so an edge
 * against transparency is a mix of the shape's colour and transparency, keyed as the alpha threshold (one
 * half) keys it.
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
/**
 * A candidate with this many pixels inside an area of its own (see colourTable) is a colour even between two
 * others. One is enough: a thin stroke's mixes lie in lines at most two pixels wide, with no pixel inside
 * (a 16 px serif line's commonest mix, 95 pixels in two-pixel stems, has none), while a flat area three
 * pixels wide has one (at 8, the greys of the 48 px Papirus "devilutionx" skull, with 2 and 5, were keyed
 * to black and white, and the skull came out in two tones: 14.90 dB, 17.85 dB now).
 */
const MIN_FLAT = 1;
/**
 * A suspect mix of LONE_COUNT pixels or more that touches neither of two colours with LONE_TOUCH of its pixels
 * is no mix of them: a mix lies beside one of its colours (a thin stroke's beside the background, an edge's
 * beside both), while a flat colour that merely lies between two others need not (the 48 px Papirus marker's
 * light green bars, 2 px tall on grey, were keyed half to the marker's green and half to white: 23.45 dB,
 * 29.15 dB now). Small ones keep the rule as it was: the 48 px dog's shading has many mixes of mixes that
 * touch neither end (with no floor, and a share of one half, it lost 0.4 dB).
 */
const LONE_COUNT = 16, LONE_TOUCH = 0.1;
/** Bits of touchCounts's index of the candidates' colours: 64 slots, twice CANDIDATES. */
const SLOT_BITS = 6;
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

/**
 * A mix this close to the middle of its segment (|t − 0.5|) holds as much of either colour, so which end is
 * its key is a coin toss. It is not keyed when it has a fringe of its own towards the other end (fringeTowards):
 * it is then the core of a stroke in its own colour, a half-transparent fill (the 96 px Papirus "okteta" card's
 * grey digits, white at one half over dark grey, 1.5 px wide, were keyed to the white outside the card and
 * drawn as white hairlines). Without one it is keyed as any mix: a 1 px serif line straddling two rows is two
 * rows of exact halves, and is ink.
 */
const TIE = 0.01;

/** Pixel p's 4-neighbour in direction e (0 left, 1 right, 2 up, 3 down), −1 off the image; (x, y) is p. */
function neighbourPixel(p: number, x: number, y: number, w: number, h: number, e: number): number {
  return e === 0 ? (x > 0 ? p - 1 : -1) : e === 1 ? (x + 1 < w ? p + 1 : -1) : e === 2 ? (y > 0 ? p - w : -1) : (y + 1 < h ? p + w : -1);
}

/**
 * Whether pixel p has a 4-neighbour whose colour is a mix of the same two colours nearer `end` (keyed to it,
 * its other end the same): a fringe between p's colour and `end`.
 */
function fringeTowards(px: Int32Array, w: number, h: number, p: number, index: ColourIndex, keys: Keys, end: number): boolean {
  const x = p % w, y = (p - x) / w;
  const k = index.get(px[p]);
  for (let e = 0; e < 4; e++) {
    const q = neighbourPixel(p, x, y, w, h, e);
    if (q < 0 || px[q] >>> 24 === 0) continue;
    const kq = index.get(px[q]);
    if (kq >= 0 && kq !== k && keys.key[kq] === end && keys.other[kq] === keys.key[k]) return true;
  }
  return false;
}

/** How far (px) from a mix an inside pixel of each of its two colours is looked for. */
const AREA_REACH = 2;

/**
 * Which of colours a (1) and b (2) have a pixel within AREA_REACH of pixel p, as a mask (3: both); with
 * `inside`, only pixels inside an area of their own count (betweenAreas). On the grey axis (and on any line
 * through three palette colours) a mix lies on several segments alike, and keyColours keys it by the first;
 * when that one's key is nowhere near, the second, if both its colours lie beside the mix, is what it mixes
 * (the 48 px Papirus "qjackctl" plug's dark body, edged with mid-grey on white, was keyed to the plug's light
 * grey far above it, and drawn with light grey sides).
 */
function nearColours(px: Int32Array, w: number, h: number, p: number, a: number, b: number, inside: Uint8Array | null = null): number {
  const x = p % w, y = (p - x) / w;
  let found = 0;
  for (let yy = Math.max(0, y - AREA_REACH); yy <= Math.min(h - 1, y + AREA_REACH); yy++) {
    for (let q = yy * w + Math.max(0, x - AREA_REACH), end = yy * w + Math.min(w - 1, x + AREA_REACH); q <= end; q++) {
      if (inside !== null && inside[q] === 0) continue;
      const c = px[q];
      if (c === a) found |= 1;
      else if (c === b) found |= 2;
      if (found === 3) return 3;
    }
  }
  return found;
}

/** Whether both colours a and b have a pixel inside an area of their own within AREA_REACH of pixel p. */
function betweenAreas(px: Int32Array, inside: Uint8Array, w: number, h: number, p: number, a: number, b: number): boolean {
  return nearColours(px, w, h, p, a, b, inside) === 3;
}

/** Slots of ColourIndex's table: a power of two, twice MAX_DISTINCT. */
const INDEX_BITS = 16;

/** Colour (a pixel word) → its number, by open addressing (a Map boxes every opaque pixel's word). */
class ColourIndex {
  private readonly keys: Int32Array;
  private readonly values: Int32Array;

  /** A table of 2^bits slots: at most half of them used keeps the probes short. */
  constructor(private readonly bits = INDEX_BITS) {
    this.keys = new Int32Array(1 << bits);
    this.values = new Int32Array(1 << bits).fill(-1);
  }

  private slot(c: number): number {
    const mask = (1 << this.bits) - 1;
    let h = Math.imul(c, 0x9e3779b1) >>> (32 - this.bits);
    while (this.values[h] >= 0 && this.keys[h] !== c) h = (h + 1) & mask;
    return h;
  }

  /** The number of colour c, or −1. */
  get(c: number): number {
    return this.values[this.slot(c)];
  }

  set(c: number, k: number): void {
    const h = this.slot(c);
    this.keys[h] = c;
    this.values[h] = k;
  }
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

/** Share of sampled pixels (every fourth row) equal to their right and lower neighbours. */
function repeatShare(px: Int32Array, w: number, h: number): number {
  let same = 0, rows = 0;
  for (let y = 0; y + 1 < h; y += 4) {
    rows++;
    for (let p = y * w, end = p + w - 1; p < end; p++) {
      const c = px[p];
      if (px[p + 1] === c && px[p + w] === c) same++;
    }
  }
  return rows > 0 ? same / (rows * w) : 0;
}

/** The image's colours: their numbers, pixels and pixels inside an area of their own. */
interface ColourTable {
  index: ColourIndex;
  colours: number[];
  counts: number[];
  flats: number[];
}

/**
 * The colour table, one lookup per run of equal pixels (flat art is mostly long runs), and in the same pass
 * `inside`: 1 where a pixel is inside an area of its colour (its four neighbours that colour; the image's
 * frame does not end an area: a shape cut by it is as thick as it looks). Null past MAX_DISTINCT colours.
 */
function colourTable(px: Int32Array, w: number, h: number, inside: Uint8Array): ColourTable | null {
  const index = new ColourIndex();
  const colours: number[] = [], counts: number[] = [], flats: number[] = [];
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w;) {
      const v = px[row + x];
      let end = x + 1;
      while (end < w && px[row + end] === v) end++;
      // Within the run, left and right are v: only up and down decide; its two ends need their outer side.
      let flat = 0;
      for (let p = row + x, last = row + end - 1; p <= last; p++) {
        if ((y === 0 || px[p - w] === v) && (y + 1 === h || px[p + w] === v)
          && (p > row + x || x === 0) && (p < last || end === w)) { inside[p] = 1; flat++; }
      }
      // Transparent pixels are one colour whatever their RGB.
      const c = v >>> 24 === 0 ? 0 : v;
      let k = index.get(c);
      if (k < 0) {
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
  return { index, colours, counts, flats };
}

/** The palette's candidates: the CANDIDATES most frequent colours of MIN_COUNT pixels or more. */
interface Candidates {
  /** Their colour numbers (indices into the table), most frequent first. */
  order: number[];
  /** Premultiplied RGBA, 4 per candidate. */
  cand: Float64Array;
  /**
   * Per candidate: 0 a colour; 1 a mix of two others, filling no area of its own (MIN_FLAT); 2 such a mix of
   * LONE_COUNT pixels or more, which its neighbours may still show to be a colour (rescueLoneColours).
   */
  mix: Uint8Array;
}

/** The candidates, and which of them are mixes of two others. */
function candidates(table: ColourTable): Candidates {
  const { colours, counts, flats } = table;
  const order = colours.map((_, k) => k).filter((k) => counts[k] >= MIN_COUNT).sort((a, b) => counts[b] - counts[a]).slice(0, CANDIDATES);
  const m = order.length;
  const cand = new Float64Array(4 * m);
  for (let i = 0; i < m; i++) premultiplied(colours[order[i]], cand, 4 * i);
  const mix = new Uint8Array(m);
  for (let c = 0; c < m; c++) {
    if (flats[order[c]] < MIN_FLAT && liesBetween(cand, m, c)) mix[c] = counts[order[c]] >= LONE_COUNT ? 2 : 1;
  }
  return { order, cand, mix };
}

/**
 * Whether candidate c (of m, premultiplied in `cand`) lies strictly between two others, i and j, for which
 * `accept(i, j)` holds (any, when not given).
 */
function liesBetween(cand: Float64Array, m: number, c: number, accept?: (i: number, j: number) => boolean): boolean {
  for (let i = 0; i < m; i++) {
    if (i === c) continue;
    for (let j = i + 1; j < m; j++) {
      if (j === c) continue;
      const t = mixOf(cand, c, i, j);
      if (t > 0 && t < 1 && (accept === undefined || accept(i, j))) return true;
    }
  }
  return false;
}

/** The palette: the candidates that are no mix of two others. */
function paletteOf(table: ColourTable, { order, mix }: Candidates): Int32Array {
  const palette: number[] = [];
  for (let c = 0; c < order.length; c++) if (mix[c] === 0) palette.push(table.colours[order[c]]);
  return Int32Array.from(palette);
}

/**
 * Candidates taken for mixes of LONE_COUNT pixels or more that touch neither colour of any pair they lie
 * between (LONE_TOUCH of their pixels) become colours (mix 0). Returns whether any did.
 */
function rescueLoneColours(px: Int32Array, w: number, h: number, table: ColourTable, { order, cand, mix }: Candidates): boolean {
  const m = order.length;
  if (!mix.includes(2)) return false;
  const touch = touchCounts(px, w, h, table.colours, order, mix);
  let rescued = false;
  for (let c = 0; c < m; c++) {
    if (mix[c] !== 2) continue;
    const least = LONE_TOUCH * table.counts[order[c]];
    if (!liesBetween(cand, m, c, (i, j) => touch[c * m + i] >= least || touch[c * m + j] >= least)) { mix[c] = 0; rescued = true; }
  }
  return rescued;
}

/**
 * For each candidate c with mix[c] = 2 and each candidate k: how many pixels of c have a 4-neighbour of
 * colour k, as touch[c · m + k] (m candidates; `order` their numbers in `colours`).
 */
function touchCounts(px: Int32Array, w: number, h: number, colours: number[], order: number[], mix: Uint8Array): Int32Array {
  const m = order.length;
  const touch = new Int32Array(m * m);
  // The candidates' pixel words in a small index of their own (the table's is large, and cold).
  const slots = new ColourIndex(SLOT_BITS);
  for (let c = 0; c < m; c++) slots.set(colours[order[c]], c);
  const slotOf = (v: number): number => slots.get(v >>> 24 === 0 ? 0 : v);
  // seen[k]: the last pixel counted as touching candidate k (a pixel counts once per colour).
  const seen = new Int32Array(m).fill(-1);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w;) {
      const v = px[row + x];
      let end = x + 1;
      while (end < w && px[row + end] === v) end++;
      const c = slotOf(v);
      if (c >= 0 && mix[c] === 2) {
        for (let p = row + x; p < row + end; p++) {
          for (let e = 0; e < 4; e++) {
            const q = neighbourPixel(p, p - row, y, w, h, e);
            if (q < 0 || px[q] === v) continue;
            const k = slotOf(px[q]);
            if (k >= 0 && seen[k] !== p) { seen[k] = p; touch[c * m + k]++; }
          }
        }
      }
      x = end;
    }
  }
  return touch;
}

/**
 * For each colour of the table: `key`, itself if in the palette, else the nearer end of the segment between
 * two palette colours it lies closest to (within the tolerance), else itself; `other`, that segment's other
 * end; `key2` and `other2`, the same for the next segment it lies on (within the tolerance) with other ends,
 * if any (`hasSecond`). `explained`: the pixels of palette colours and mixes.
 */
function keyColours(table: ColourTable, palette: Int32Array): Keys {
  const { colours, counts } = table;
  const P = palette.length;
  const v = new Float64Array(4 * (P + 1));
  for (let i = 0; i < P; i++) premultiplied(palette[i], v, 4 * i);
  const key = Int32Array.from(colours);
  const other = new Int32Array(colours.length);
  const key2 = new Int32Array(colours.length);
  const other2 = new Int32Array(colours.length);
  const hasSecond = new Uint8Array(colours.length);
  const tie = new Uint8Array(colours.length);
  let explained = 0;
  const at = 4 * P;
  for (let k = 0; k < colours.length; k++) {
    const c = colours[k];
    if (palette.includes(c)) { explained += counts[k]; continue; }
    premultiplied(c, v, at);
    // A mix lies nearest one of its two colours: pairs are tried from the two palette colours nearest it.
    let n1 = -1, n2 = -1, d1 = Infinity, d2 = Infinity;
    for (let i = 0; i < P; i++) {
      let d = 0;
      for (let q = 0; q < 4; q++) d += (v[at + q] - v[4 * i + q]) ** 2;
      if (d < d1) { n2 = n1; d2 = d1; n1 = i; d1 = d; } else if (d < d2) { n2 = i; d2 = d; }
    }
    let best = Infinity, near = -1, far = -1, next = Infinity, near2 = -1, far2 = -1, middle = false;
    for (const i of [n1, n2]) {
      for (let j = 0; j < P; j++) {
        if (j === i || (i === n2 && j === n1)) continue;
        const t = mixOf(v, P, i, j);
        if (!(t >= -0.05 && t <= 1.05)) continue;
        const s = t < 0 ? 0 : t > 1 ? 1 : t;
        let e = 0;
        for (let q = 0; q < 4; q++) {
          const d = v[at + q] - (v[4 * i + q] + s * (v[4 * j + q] - v[4 * i + q]));
          e += d * d;
        }
        const ni = t < 0.5 ? i : j, fi = t < 0.5 ? j : i;
        if (e < best) {
          if (near >= 0 && !samePair(near, far, ni, fi)) { next = best; near2 = near; far2 = far; }
          best = e; near = ni; far = fi; middle = Math.abs(t - 0.5) <= TIE;
        } else if (e < next && !samePair(near, far, ni, fi)) { next = e; near2 = ni; far2 = fi; }
      }
    }
    if (near >= 0) {
      key[k] = palette[near];
      other[k] = palette[far];
      if (near2 >= 0) { key2[k] = palette[near2]; other2[k] = palette[far2]; hasSecond[k] = 1; }
      if (middle) tie[k] = 1;
      explained += counts[k];
    }
  }
  return { key, other, key2, other2, hasSecond, tie, explained };
}

/** Whether segments (a, b) and (c, d) have the same two ends. */
function samePair(a: number, b: number, c: number, d: number): boolean {
  return (a === c && b === d) || (a === d && b === c);
}

/** The keys of the table's colours (keyColours). */
interface Keys {
  key: Int32Array;
  other: Int32Array;
  key2: Int32Array;
  other2: Int32Array;
  /** 1 where key2 and other2 hold a second segment. */
  hasSecond: Uint8Array;
  /** 1 where the colour lies as near its key as its other end (TIE): it holds as much of either. */
  tie: Uint8Array;
  explained: number;
}

/**
 * The keyed image: each pixel its colour's key, except a mix between two areas of flat colour (both of its
 * colours inside an area within AREA_REACH), which stays for the clustering: it sorts such an edge's mixes
 * well. One beside a stroke too thin to have a pixel inside it is keyed. Null when no pixel was: the image
 * is traced as it is.
 */
function writeKeyed(px: Int32Array, w: number, h: number, inside: Uint8Array, index: ColourIndex, keys: Keys, counts: number[]): Uint8Array | null {
  const { key, other, key2, other2, hasSecond, tie } = keys;
  const out = new Uint8Array(4 * w * h);
  const keyed = new Int32Array(out.buffer);
  // Pixels of a flat band kept as its own colour (bandFringes): 1 in `band`, and listed in raster order.
  const band = new Uint8Array(w * h);
  const bandPixels: number[] = [];
  let changed = 0;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w;) {
      const c = px[row + x];
      let end = x + 1;
      while (end < w && px[row + end] === c) end++;
      const k = c >>> 24 === 0 ? -1 : index.get(c);
      if (k < 0 || key[k] === c) keyed.fill(c, row + x, row + end);
      else {
        for (let p = row + x; p < row + end; p++) {
          // Of two segments the mix lies on, the second when the first's key is nowhere near and the second's two
          // colours both are (nearColours).
          const near = nearColours(px, w, h, p, key[k], other[k]);
          const second = hasSecond[k] === 1 && (near & 1) === 0 && nearColours(px, w, h, p, key2[k], other2[k]) === 3;
          const to = second ? key2[k] : key[k], from = second ? other2[k] : other[k];
          // A mix between two flat areas stays for the clustering; so does a ridge, which keying would erase, and
          // a pixel that is no blend of the two.
          const between = betweenAreas(px, inside, w, h, p, to, from), ridge = !between && isRidge(px, w, h, p, c, to);
          const fringe = !between && !ridge && tie[k] === 1 && !second && fringeTowards(px, w, h, p, index, keys, from);
          const noBlend = !between && !ridge && !fringe && !second && isNoBlend(px, w, h, p, near, counts[k], index, keys, to, from);
          const thin = !between && !ridge && !fringe && !noBlend;
          keyed[p] = thin ? to : c;
          if (thin) changed++;
          if ((noBlend || ridge) && counts[k] >= LONE_COUNT) { band[p] = 1; bandPixels.push(p); }
        }
      }
      x = end;
    }
  }
  if (bandPixels.length > 0) bandFringes(px, keyed, band, bandPixels, w, h);
  return changed > 0 ? out : null;
}

/**
 * A flat band's pixels where it straddles two: a band of a colour that merely lies between two others (a 20 %
 * black shadow 1.5 px tall under a white ellipse, #cccccc between white and an icon's dark grey) keeps the
 * pixels it covers whole as its own colour (`band`: isNoBlend or isRidge, a colour of LONE_COUNT pixels or
 * more), but where it lies across two rows, 0.75 in each, neither pixel is whole, and both were keyed to white
 * as mixes of white and the dark grey: the band came out as dashes. A mix keyed to `to` beside a band pixel q
 * (a 4-neighbour) is keyed to q's colour instead when it lies on the segment from `to` to that colour holding
 * more of it, and the pixel beyond it, away from q, holds BAND_BEYOND of it or more (or is a band pixel): the
 * band goes on there. The band's edge rows (white beyond) and its ends (another colour beyond) keep their keys.
 * `listed`: the band pixels (band[q] = 1); a pixel keyed to the band is marked 2.
 * Held-out Papirus icons, 48 and 96 px (364): +18.3 dB summed, 131 better, 37 worse (none beyond −1.2 dB).
 */
function bandFringes(px: Int32Array, keyed: Int32Array, band: Uint8Array, listed: number[], w: number, h: number): void {
  const v = BAND_V;
  for (const q of listed) {
    const qx = q % w, qy = (q - qx) / w;
    for (let e = 0; e < 4; e++) {
      const p = neighbourPixel(q, qx, qy, w, h, e);
      if (p < 0 || band[p] !== 0 || keyed[p] === px[p]) continue;
      // Only along the band: the pixel beyond p, away from q, holds some of the band's colour too (p is not
      // the band's edge, nor its end).
      const px0 = p % w, o = neighbourPixel(p, px0, (p - px0) / w, w, h, e);
      if (o < 0) continue;
      premultiplied(keyed[p], v, 0);
      premultiplied(px[q], v, 4);
      premultiplied(px[p], v, 8);
      const t = mixOf(v, 2, 0, 1);
      if (!(t > 0.5 && t <= 1)) continue;
      premultiplied(px[o], v, 8);
      const beyond = mixOf(v, 2, 0, 1);
      if (band[o] === 1 || (beyond >= BAND_BEYOND && beyond <= 1)) {
        keyed[p] = px[q];
        band[p] = 2;
      }
    }
  }
}
/** Scratch of bandFringes: `to`, the band's colour, the pixel (premultiplied). */
const BAND_V = new Float64Array(12);
/**
 * Share of the band's colour the pixel beyond a straddling one holds, at least (bandFringes). Without this test
 * (only white beyond ruled out) a band's end was keyed on into the card it meets, and a card's light grey
 * fringe row, cut off from the card, was drawn as a strip of its own under the shadow: −6.1 dB on one icon.
 */
const BAND_BEYOND = 0.25;

/**
 * Whether mix pixel p, read as a blend of `to` and `from` (`near`: which of the two have a pixel within
 * AREA_REACH, nearColours' mask), is none:
 * - its colour is common (LONE_COUNT pixels or more), `from` has no pixel near, no neighbour holds more of
 *   `from` (besideHeavier: the core of a stroke too thin for a pure pixel, whose fringe p is) and it lies between
 *   no two of its neighbours' colours (betweenNeighbours: a dark band's half row on light grey, read between the
 *   band and white): a flat band of a colour that merely lies between two others, a 20 % black shadow under a
 *   card, 0.75 white and 0.25 of a dark grey elsewhere in the icon (keyed to white, the shadows were lost). A
 *   rarer mix is keyed as before: the seam between two of a rainbow's bands shows the band beneath in a few
 *   pixels, each keyed to the band it holds most of;
 * - or `to` has no pixel near, a 4-neighbour is a third colour (neither of the two nor a mix of them) and it
 *   lies between two of its neighbours' colours: a white highlight along a blue card's edge, or a white bar's end
 *   on it, lies between white and the card's pale fold far off as well as between white and the card, and keyed
 *   to the fold it drew a pale frame round each bar. (Not a thin dark stripe across a light bar: it lies between
 *   no two colours round it, and is keyed to the dark far off.)
 * Held-out Papirus icons, 48 and 96 px (660): +221 dB summed, 336 better, 162 worse (a 0.75 px shadow band
 * with no pure pixel, keyed to a grey near its own by luck, is lost: −3.8 dB on one icon), bytes −0.6 %.
 */
function isNoBlend(px: Int32Array, w: number, h: number, p: number, near: number, count: number, index: ColourIndex, keys: Keys, to: number, from: number): boolean {
  if (count >= LONE_COUNT && (near & 2) === 0 && !besideHeavier(px, w, h, p, index, keys, to, from)
    && !betweenNeighbours(px, w, h, p, index, keys)) return true;
  return (near & 1) === 0 && besideThird(px, w, h, p, index, keys, to, from) && betweenNeighbours(px, w, h, p, index, keys);
}

/** Scratch of betweenNeighbours: the keys of a pixel's 8-neighbours, then their premultiplied colours. */
const NEIGHBOUR_KEYS = new Int32Array(8);
const NEIGHBOUR_RGBA = new Float64Array(4 * 9);

/**
 * Whether pixel p lies on the segment between the keys of two of its 8-neighbours (mixOf, within its
 * tolerance): a blend of the colours beside it, whatever segment keyColours read it on (a dark band's
 * half-covered row on light grey lies between the band and white too, and white is far off).
 */
function betweenNeighbours(px: Int32Array, w: number, h: number, p: number, index: ColourIndex, keys: Keys): boolean {
  const x = p % w, y = (p - x) / w;
  let m = 0;
  for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
    for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
      const c = px[yy * w + xx];
      if (c === px[p]) continue;
      const k = index.get(c);
      const key = k >= 0 ? keys.key[k] : c;
      let i = 0;
      while (i < m && NEIGHBOUR_KEYS[i] !== key) i++;
      if (i === m) NEIGHBOUR_KEYS[m++] = key;
    }
  }
  if (m < 2) return false;
  for (let i = 0; i < m; i++) premultiplied(NEIGHBOUR_KEYS[i], NEIGHBOUR_RGBA, 4 * i);
  premultiplied(px[p], NEIGHBOUR_RGBA, 4 * m);
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const t = mixOf(NEIGHBOUR_RGBA, m, i, j);
      if (t > 0 && t < 1) return true;
    }
  }
  return false;
}

/**
 * Whether an 8-neighbour of pixel p is a mix of `to` and `from` holding more of `from` than p: the core of a
 * stroke too thin to have a pixel of its colour, `from`, whose fringe p is.
 */
function besideHeavier(px: Int32Array, w: number, h: number, p: number, index: ColourIndex, keys: Keys, to: number, from: number): boolean {
  const x = p % w, y = (p - x) / w;
  premultiplied(to, LEAN, 0);
  premultiplied(from, LEAN, 4);
  premultiplied(px[p], LEAN, 8);
  const dr = LEAN[4] - LEAN[0], dg = LEAN[5] - LEAN[1], db = LEAN[6] - LEAN[2], da = LEAN[7] - LEAN[3];
  const own = (LEAN[8] - LEAN[0]) * dr + (LEAN[9] - LEAN[1]) * dg + (LEAN[10] - LEAN[2]) * db + (LEAN[11] - LEAN[3]) * da;
  for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
    for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
      const c = px[yy * w + xx];
      if (c === px[p] || c === to || !isMixOf(index, keys, c, to, from)) continue;
      premultiplied(c, LEAN, 8);
      if ((LEAN[8] - LEAN[0]) * dr + (LEAN[9] - LEAN[1]) * dg + (LEAN[10] - LEAN[2]) * db + (LEAN[11] - LEAN[3]) * da > own) return true;
    }
  }
  return false;
}

/** Whether a 4-neighbour of pixel p is a third colour: none of p's own, `to`, `from`, or a mix of those two. */
function besideThird(px: Int32Array, w: number, h: number, p: number, index: ColourIndex, keys: Keys, to: number, from: number): boolean {
  const x = p % w, y = (p - x) / w;
  for (let e = 0; e < 4; e++) {
    const q = neighbourPixel(p, x, y, w, h, e);
    if (q < 0) continue;
    const c = px[q];
    if (c === to || c === from || c === px[p] || isMixOf(index, keys, c, to, from)) continue;
    return true;
  }
  return false;
}

/** Whether colour c is a mix (not a palette colour) keyed on the segment between a and b. */
function isMixOf(index: ColourIndex, keys: Keys, c: number, a: number, b: number): boolean {
  const k = index.get(c);
  return k >= 0 && keys.key[k] !== c && samePair(keys.key[k], keys.other[k], a, b);
}

/**
 * Whether mix pixel p (colour c, keyed to `to`) is a ridge: no 8-neighbour lies farther than c from `to`
 * in the direction of c (premultiplied RGBA), more of what c holds besides its key. A stroke's fringe lies
 * beside the stroke; a ridge is a line or dot of the mix with only its key and paler mixes beside it, a stroke
 * of its own, which keying would erase (the 96 px Papirus "clawsker" card's light grey digits, one pixel
 * wide, lie between its dark grey and white: keyed, they were gone). Its other end as keyColours chose it is
 * no guide: on the grey axis every grey lies between any two others. A pixel on the image's frame is none
 * (what lies beyond it is not known: a rainbow's bands cut by the frame).
 */
function isRidge(px: Int32Array, w: number, h: number, p: number, c: number, to: number): boolean {
  const x = p % w, y = (p - x) / w;
  if (x === 0 || y === 0 || x === w - 1 || y === h - 1) return false;
  premultiplied(to, LEAN, 0);
  premultiplied(c, LEAN, 4);
  const dr = LEAN[4] - LEAN[0], dg = LEAN[5] - LEAN[1], db = LEAN[6] - LEAN[2], da = LEAN[7] - LEAN[3];
  const dd = dr * dr + dg * dg + db * db + da * da;
  for (let yy = y - 1; yy <= y + 1; yy++) {
    for (let xx = x - 1; xx <= x + 1; xx++) {
      const q = px[yy * w + xx];
      if (q === c || q === to) continue;
      premultiplied(q, LEAN, 8);
      const along = (LEAN[8] - LEAN[0]) * dr + (LEAN[9] - LEAN[1]) * dg + (LEAN[10] - LEAN[2]) * db + (LEAN[11] - LEAN[3]) * da;
      if (along > dd) return false;
    }
  }
  return true;
}
const LEAN = new Float64Array(12);

/**
 * The image with each mix of two palette colours beside a thin stroke replaced by the one it holds more of
 * (RGBA bytes, a new array), or null when the image is not flat art (see the file's header). `check` is
 * called between passes (Progress.checkAbort: a pass over 16 megapixels takes a few tens of milliseconds).
 */
export function keyBlends(data: Uint8Array, w: number, h: number, check: () => void = () => {}): Uint8Array | null {
  const n = w * h;
  if (n < 16) return null;
  // Pixels as words (a copy when the bytes are not aligned; null on a big-endian machine). Signed: V8
  // compares them as 32-bit integers (unsigned ones past 2³¹, every opaque pixel, as doubles).
  const words = pixelWords(data) ?? pixelWords(data.slice());
  if (words === null) return null;
  const px = new Int32Array(words.buffer, words.byteOffset, n);
  // Quick test: flat art repeats its pixels along both axes.
  if (repeatShare(px, w, h) < FLAT_SHARE) return null;
  check();
  const inside = new Uint8Array(n);
  const table = colourTable(px, w, h, inside);
  if (table === null) return null;
  check();
  const cands = candidates(table);
  let palette = paletteOf(table, cands);
  if (palette.length < 2) return null;
  let keys = keyColours(table, palette);
  if (keys.explained < EXPLAINED * n) return null;
  // (Not flat art is told before the neighbours are counted: on a photo that pass costs most.)
  if (rescueLoneColours(px, w, h, table, cands)) {
    palette = paletteOf(table, cands);
    keys = keyColours(table, palette);
    if (keys.explained < EXPLAINED * n) return null;
  }
  check();
  return writeKeyed(px, w, h, inside, table.index, keys, table.counts);
}
