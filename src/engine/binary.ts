/**
 * Binary mode: a pixel is foreground when its luminance, composited on white, is below `binaryThreshold`
 * (a transparent pixel is background; an anti-aliased edge pixel counts by its coverage), or, with
 * `adaptive`, when it is `adaptiveOffset` percent darker than the mean of its neighbourhood (Bradley and
 * Roth's integral-image method, for unevenly lit scans). `invert` swaps foreground and background.
 * Foreground pixels form 8-connected components (pixels touching at a corner belong together, as in
 * Potrace); components smaller than filterSpeckle² pixels are dropped
 * (and holes that small are filled when the outlines are written, trace.ts), but for distinct dots
 * (keepDots, isDistinctDot).
 * Each kept component becomes one black layer. No limit on the number of components.
 */
import type { InkLevel, LayerSet, Layer } from './types.js';
import { STAGE_SLICES, rowsPerTick, type Progress } from './progress.js';
import { unionMin, findRoot } from './union-find.js';
import { lumaPlane, pixelAt, pixelWords, pixelWordsAlways } from './image.js';
import type { Workspace } from './memory.js';

export interface BinaryParams {
  filterSpeckle: number;
  /** Keep distinct dots below the speckle area (see isDistinctDot); not with adaptive. Default true. */
  keepDots?: boolean;
  binaryThreshold: number;
  invert: boolean;
  adaptive: boolean;
  adaptiveWindow: number;
  adaptiveOffset: number;
}

/**
 * Adaptive threshold on the luminance L: fg[p] = 1 for a foreground pixel, 0 otherwise.
 */
function adaptiveThreshold(w: number, h: number, params: BinaryParams, fg: Uint8Array, L: Float32Array, progress: Progress, ws: Workspace): void {
  const invert = params.invert;
  // Integral image of luminance (Float64: sums reach 255 × pixels); row 0 and column 0 stay zero.
  const W1 = w + 1;
  const S = ws.float64(W1 * (h + 1), 0);
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += L[y * w + x];
      S[(y + 1) * W1 + x + 1] = S[y * W1 + x + 1] + row;
    }
  }
  const win = params.adaptiveWindow > 0 ? params.adaptiveWindow : Math.max(3, Math.round(Math.min(w, h) / 8));
  const half = win >> 1;
  const factor = 1 - params.adaptiveOffset / 100;
  const tickRows = rowsPerTick(w);
  for (let y = 0; y < h; y++) {
    if (y % tickRows === 0) progress.update(y / h);
    const y0 = Math.max(0, y - half), y1 = Math.min(h, y + half + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - half), x1 = Math.min(w, x + half + 1);
      const sum = S[y1 * W1 + x1] - S[y0 * W1 + x1] - S[y1 * W1 + x0] + S[y0 * W1 + x0];
      const mean = sum / ((x1 - x0) * (y1 - y0));
      const p = y * w + x;
      fg[p] = (L[p] < mean * factor) !== invert ? 1 : 0;
    }
  }
}

/**
 * Foreground runs, row by row: run i covers pixels x0[i] ≤ x < x1[i] of its row; the runs of row y are
 * rowStart[y] ≤ i < rowStart[y + 1], left to right, so run indices follow raster order.
 */
interface Runs {
  x0: Int32Array;
  x1: Int32Array;
  rowStart: Int32Array;
  count: number;
}

/** Room for the runs of any w × h image: at most one run per two pixels of a row, rounded up. */
function newRuns(w: number, h: number, ws: Workspace): Runs {
  const capacity = ((w + 1) >> 1) * h;
  return { x0: ws.int32(capacity), x1: ws.int32(capacity), rowStart: new Int32Array(h + 1), count: 0 };
}

/** One unit of the threshold's integer luma (lumaOverWhite × 255000), in luma. */
const LUMA_UNIT = 1 / 255000;

/** Pixel word px's luminance over white as the threshold's integer (lumaOverWhite × 255000). */
function scaledLuma(px: number): number {
  const a = px >>> 24;
  return a * (299 * (px & 255) + 587 * ((px >>> 8) & 255) + 114 * ((px >>> 16) & 255)) + (255 - a) * 255000;
}

/** The largest integer luma (scaledLuma of an opaque white pixel). */
const SCALED_WHITE = 255 * 255000;

/** The smallest integer luma whose luma, as stored (float32), is `luma` or more (SCALED_WHITE + 1 when none). */
function firstScaledAtLeast(luma: number): number {
  let a = 0, b = SCALED_WHITE + 1;
  while (a < b) {
    const m = (a + b) >>> 1;
    if (Math.fround(m * LUMA_UNIT) >= luma) b = m;
    else a = m + 1;
  }
  return a;
}

/**
 * Background pixels in the luminance band [lo, hi) found by thresholdRuns, in raster order (the hairline search's
 * candidates, withHairlines): the first pixels.length of them, `count` in all.
 */
interface BandPixels {
  lo: number;
  hi: number;
  pixels: Int32Array;
  count: number;
}

/**
 * Room for an eighth of the pixels in the band list (a drawn image has a few per cent there; one with more is
 * searched by a scan of every pixel instead, withHairlines), at least 4096.
 */
function bandCapacity(n: number): number {
  return Math.min(n, Math.max(4096, n >> 3));
}

/**
 * The fixed threshold, a·L + (255 − a)·255 < t·255 in integers (luma weights scaled by 1000), straight into
 * runs: the test itself has no branch (a photo's foreground is too irregular to predict), only a change
 * between foreground and background does. Each pixel's luma goes into `luma` on the way (for the sub-pixel
 * edges, which would otherwise compute it four times per unit edge). With `band`, the pixels whose luma lies in
 * its range are listed too (a drawn image has few, so the branch is predictable; a toned one is not asked).
 */
function thresholdRuns(
  data: Uint8Array, w: number, h: number, params: BinaryParams, luma: Float32Array, progress: Progress, ws: Workspace, band: BandPixels | null,
): Runs {
  const runs = newRuns(w, h, ws);
  const { x0, x1, rowStart } = runs;
  const limit = params.binaryThreshold * 255 * 1000;
  const words = pixelWordsAlways(data);
  const flip = params.invert ? 1 : 0;
  const tickRows = rowsPerTick(w);
  // The band as a range of the integer luma (the same pixels as its luma range, compared as float32), one
  // unsigned comparison per pixel; empty without a band.
  const bandFrom = band === null ? 0 : firstScaledAtLeast(band.lo);
  const bandSpan = band === null ? 0 : firstScaledAtLeast(band.hi) - bandFrom;
  const listed = band?.pixels, capacity = listed?.length ?? 0;
  let found = 0;
  let r = 0;
  for (let y = 0; y < h; y++) {
    if (y % tickRows === 0) progress.update(y / h);
    rowStart[y] = r;
    const row = y * w;
    let before = 0;
    for (let x = 0; x < w; x++) {
      const v = scaledLuma(words[row + x]);
      luma[row + x] = v * LUMA_UNIT;
      if ((v - bandFrom) >>> 0 < bandSpan) {
        if (found < capacity) listed![found] = row + x;
        found++;
      }
      const f = ((v - limit) >>> 31) ^ flip;
      if (f !== before) {
        if (f !== 0) x0[r] = x;
        else x1[r++] = x;
        before = f;
      }
    }
    if (before !== 0) x1[r++] = w;
  }
  rowStart[h] = r;
  runs.count = r;
  if (band !== null) band.count = found;
  return runs;
}

/** The runs of a foreground mask (fg[p] = 1). */
function maskRuns(fg: Uint8Array, w: number, h: number, ws: Workspace): Runs {
  const runs = newRuns(w, h, ws);
  const { x0, x1, rowStart } = runs;
  let r = 0;
  for (let y = 0; y < h; y++) {
    rowStart[y] = r;
    const row = y * w;
    let x = 0;
    while (x < w) {
      while (x < w && fg[row + x] === 0) x++;
      if (x === w) break;
      x0[r] = x;
      while (x < w && fg[row + x] !== 0) x++;
      x1[r++] = x;
    }
  }
  rowStart[h] = r;
  runs.count = r;
  return runs;
}

/**
 * Hairlines split between two pixels: a line under a pixel wide that straddles a pixel boundary leaves each of
 * the two pixels across it short of the threshold (a 20 px serif "o", its top 1 px thick, read 0.50 and 0.50
 * in one column: its ring was cut there and the counter leaked out in a notch). Two pixels side by side along
 * a row or a column, both background, each holding HAIRLINE_SHARE of the threshold's ink or more and together
 * HAIRLINE_PAIR of it, with the pixels beyond them on either side clear (at most HAIRLINE_CLEAR of it: a line,
 * not a soft edge or a photo's shading), hold a line's ink: the more inked of the two becomes ink. Its edges are
 * placed by coverage (subpixel.ts reads a stroke one pixel thick against the ink nearby), so the line keeps its
 * width. At 0.6 and 1.6 the 16 px serif "2" and "3" stayed in pieces (a column of 0.25 and 0.50 of #111 ink
 * in the "2"'s arc, 0.75 of a line: the threshold's ink is 0.53 of it).
 */
const HAIRLINE_SHARE = 0.4, HAIRLINE_PAIR = 1.4, HAIRLINE_CLEAR = 0.4;

/**
 * Above this share of its pixels in the hairline band (hairlineBand), an image is toned (a photo, a scan on
 * grey paper, a logo with grey areas: 18–20 % for the corpus photos and logo, 67 % for its photographed page)
 * and is not searched: the band is its shading, not a line's split ink (lines of text at 12–32 px: 2.2–4.7 %,
 * icons and emoji up to 3.6 %, the rainbow emoji's bands 11.6 %).
 */
const HAIRLINE_TONED = 0.06;
/**
 * A ridge (isRidge): a background pixel holding this share of the threshold's ink or more, between clear
 * pixels (HAIRLINE_CLEAR) across a line that goes on along it: a stroke under a pixel wide, which no pixel
 * of thresholds into ink (a diagonal hairline's pixels hold 0.3–0.45 of full cover each).
 */
const RIDGE_SHARE = 0.5;
/** Every TONED_STRIDE-th pixel of every TONED_STRIDE-th row is read for the share. */
const TONED_STRIDE = 4;

/**
 * The luminance range [lo, hi) of hairline candidates: background pixels holding half of HAIRLINE_PAIR of the
 * threshold's ink or more (ink: the distance from white, from black when inverted), as the more inked pixel
 * of a pair does.
 */
function hairlineBand(params: BinaryParams): [number, number] {
  const t = params.binaryThreshold, share = HAIRLINE_PAIR / 2;
  return params.invert ? [share * t, t] : [t, 255 - share * (255 - t)];
}

/**
 * The luminance range [lo, hi) of ridge candidates (isRidge), which holds the pair band (hairlineBand): the
 * pixels thresholdRuns lists for withHairlines.
 */
function ridgeBand(params: BinaryParams): [number, number] {
  const t = params.binaryThreshold, inkT = params.invert ? t : 255 - t;
  return params.invert ? [RIDGE_SHARE * inkT, t] : [t, 255 - RIDGE_SHARE * inkT];
}

/**
 * Whether the image is toned: more than HAIRLINE_TONED of a sparse grid of its pixels (every TONED_STRIDE-th of
 * every TONED_STRIDE-th row) lie in the hairline band (hairlineBand). Read from the pixels, before the
 * threshold's pass (which lists the hairline candidates of an image that is not), and left as soon as the
 * count is past the share (a photo: after a third of the grid or so).
 */
function isToned(data: Uint8Array, w: number, h: number, params: BinaryParams): boolean {
  const [lo, hi] = hairlineBand(params);
  const from = firstScaledAtLeast(lo), span = firstScaledAtLeast(hi) - from;
  const words = pixelWords(data);
  const most = HAIRLINE_TONED * Math.ceil(h / TONED_STRIDE) * Math.ceil(w / TONED_STRIDE);
  let inBand = 0;
  for (let y = 0; y < h; y += TONED_STRIDE) {
    for (let p = y * w, end = p + w; p < end; p += TONED_STRIDE) {
      if ((scaledLuma(pixelAt(words, data, p)) - from) >>> 0 < span) inBand++;
    }
    if (inBand > most) return true;
  }
  return false;
}

/**
 * The runs with the pixels hairlines add (see HAIRLINE_SHARE), `runs` itself when there are none; and the
 * image's ink level (InkLevel). `band`: the pixels in the ridge band (ridgeBand), as thresholdRuns listed them.
 */
function withHairlines(runs: Runs, luma: Float32Array, w: number, h: number, params: BinaryParams, ws: Workspace, band: BandPixels): [Runs, InkLevel] {
  const t = params.binaryThreshold, inv = params.invert;
  // Ink as a luminance distance from white (from black, inverted): sign · luma + base; and the threshold's ink.
  const sign = inv ? 1 : -1, base = inv ? 0 : 255;
  const inkT = inv ? t : 255 - t;
  const HL: HairlineLimits = { luma, sign, base, inkT, minInk: HAIRLINE_SHARE * inkT, pairInk: HAIRLINE_PAIR * inkT, clearInk: HAIRLINE_CLEAR * inkT, inv };
  const [lo, hi] = hairlineBand(params);
  // The ridge band's pixels inside the frame, in raster order (so the extra pixels come sorted, each once):
  // each is tested for a ridge, and for a split hairline when in the pair band.
  const wideLo = inv ? HL.minInk : t, wideHi = inv ? t : 255 - HL.minInk;
  const inWide = (q: number): boolean => luma[q] >= wideLo && luma[q] < wideHi;
  const clear = HL.clearInk;
  const extra: number[] = [];
  const test = (p: number, x: number, y: number, l: number): void => {
    // A split hairline's pixel (needs a clear pixel beside it along its axis). Pairs were first searched from
    // one checkerboard's pixels holding a partner's ink (minInk) and their 4-neighbours inside the frame;
    // a pixel off that checkerboard is still only taken when such a neighbour leads to it.
    const pair = l >= lo && l < hi
      && (sign * luma[p - 1] + base <= clear || sign * luma[p + 1] + base <= clear || sign * luma[p - w] + base <= clear || sign * luma[p + w] + base <= clear)
      && (splitLine(HL, p, 1, w, x + 1 < w - 1, x - 1 > 0) || splitLine(HL, p, w, 1, y + 1 < h - 1, y - 1 > 0))
      && (((x + y) & 1) === 1
        || (x > 1 && inWide(p - 1)) || (x < w - 2 && inWide(p + 1)) || (y > 1 && inWide(p - w)) || (y < h - 2 && inWide(p + w)));
    // A ridge: a line under a pixel wide, across a pixel or diagonally.
    if (pair || isRidge(HL, p, 1, w) || isRidge(HL, p, w, 1) || isRidge(HL, p, w + 1, w - 1) || isRidge(HL, p, w - 1, w + 1)) extra.push(p);
  };
  if (band.count <= band.pixels.length) {
    for (let k = 0, listed = band.pixels; k < band.count; k++) {
      const p = listed[k], y = (p / w) | 0, x = p - y * w;
      if (x >= 1 && x < w - 1 && y >= 1 && y < h - 1) test(p, x, y, luma[p]);
    }
  } else {
    // More band pixels than the list holds: every pixel inside the frame is read (the same pixels, in order).
    for (let y = 1; y < h - 1; y++) {
      for (let x = 1, p = y * w + 1; x < w - 1; x++, p++) {
        const l = luma[p];
        if (l >= band.lo && l < band.hi) test(p, x, y, l);
      }
    }
  }
  // (Its ink is measured when a thin stroke first needs it: subpixel.ts inkReference.)
  const level: InkLevel = { threshold: t, invert: inv, ink: NaN, joined: extra.length };
  if (extra.length === 0) return [runs, level];
  // The extra pixels merged into each row's runs (both in order along the row).
  const out = newRuns(w, h, ws);
  let r = 0, e = 0;
  for (let y = 0; y < h; y++) {
    out.rowStart[y] = r;
    const rowEnd = (y + 1) * w;
    let i = runs.rowStart[y];
    const iEnd = runs.rowStart[y + 1];
    while (i < iEnd || (e < extra.length && extra[e] < rowEnd)) {
      let a: number, b: number;
      if (i < iEnd && !(e < extra.length && extra[e] < rowEnd && extra[e] - y * w < runs.x0[i])) { a = runs.x0[i]; b = runs.x1[i]; i++; }
      else { a = extra[e] - y * w; b = a + 1; e++; }
      if (r > out.rowStart[y] && out.x1[r - 1] >= a) { if (b > out.x1[r - 1]) out.x1[r - 1] = b; }
      else { out.x0[r] = a; out.x1[r] = b; r++; }
    }
  }
  out.rowStart[h] = r;
  out.count = r;
  return [out, level];
}

interface HairlineLimits {
  luma: Float32Array; sign: number; base: number; inkT: number; minInk: number; pairInk: number; clearInk: number; inv: boolean;
}

/**
 * Whether background pixel p (not on the image's frame) and its neighbour after or before it along `step`
 * are a split hairline (see HAIRLINE_SHARE) in which p holds the more ink (the one before it, on a tie): the
 * line runs along `across`. `roomAfter` / `roomBefore`: the pixel two steps that way is on the image.
 */
function splitLine(L: HairlineLimits, p: number, step: number, across: number, roomAfter: boolean, roomBefore: boolean): boolean {
  const { luma, sign, base, inkT, minInk, pairInk, clearInk, inv } = L;
  const a = sign * luma[p] + base;
  if (a < minInk) return false;
  for (let dir = -1; dir <= 1; dir += 2) {
    const s = dir * step, q = p + s;
    const b = sign * luma[q] + base;
    // The partner: background too, inked, with p the more inked; together a line's ink.
    if (b < minInk || (inv ? b >= inkT : b > inkT) || a + b < pairInk || b > a || (b === a && dir < 0)) continue;
    // Clear beyond both (off the image counts as clear).
    if (sign * luma[p - s] + base > clearInk) continue;
    if ((dir > 0 ? roomAfter : roomBefore) && sign * luma[q + s] + base > clearInk) continue;
    // The line goes on along `across` both ways: the pairs beside hold ink (not the top row of a round cap,
    // whose partial pixels lie along its edge).
    if (sign * (luma[p - across] + luma[q - across]) + 2 * base < inkT || sign * (luma[p + across] + luma[q + across]) + 2 * base < inkT) continue;
    return true;
  }
  return false;
}

/**
 * Whether background pixel p (not on the image's frame) is the ridge of a line under a pixel wide running
 * along `along`: clear on both sides `across` it, and inked on both sides along it (the line goes on: not
 * its end, nor a lone speck).
 */
function isRidge(L: HairlineLimits, p: number, across: number, along: number): boolean {
  const { luma, sign, base, minInk, clearInk } = L;
  return sign * luma[p - across] + base <= clearInk && sign * luma[p + across] + base <= clearInk
    && sign * luma[p - along] + base >= minInk && sign * luma[p + along] + base >= minInk;
}

/**
 * Dots (keepDots): a component or a hole below the speckle area is kept when it has DOT_AREA px or more,
 * covers DOT_FILL of its bounding box or more, lies DOT_MARGIN or more beyond the threshold in luminance (a
 * component: its darkest pixel, the lightest if inverted; a hole: its mean; a solid dot or a clear hole, not a
 * speck of noise near the threshold), and its edge is anti-aliased (isSoftEdged). As merge.ts's small
 * features: the 96 px apple silhouette's gap between stem, leaf and fruit (6 px, white) was filled. A thin
 * stroke's piece counts by its darkest pixel, as its mean is pulled towards the threshold by its
 * anti-aliased sides (the 1.3 px stem of a 16 px serif "i" was dropped). DOT_FILL is low enough for a thin
 * glyph's piece (that line's "f", a 1 px stem and its crossbar, fills 0.34 of its box; at 0.4 it went), and
 * the darkness and the anti-aliasing keep a photo's slivers out. A photo has few such dots (coffee: at most 3
 * holes, one speck). DOT_AREA is two pixels: a 16 px serif "i" has a dot 1.6 px across, two pixels past the
 * threshold (at three it went, and the "i" read as a dotless "ı"). In a drawn image (not toned) a dot may be
 * one pixel, DOT_MARGIN past the threshold: a star a pixel across on a night sky.
 */
export const DOT_AREA = 2, DOT_FILL = 0.25, DOT_MARGIN = 64;
/**
 * The margin for a component of a drawn image (not toned: withHairlines), where nothing near the threshold is
 * a photo's noise: at 12 px a serif glyph's pieces are under the speckle area and its strokes' cores only
 * 40–60 levels past the threshold (the "o" of "brown", the comma and half the "3" went). At 16 the same as 32;
 * a component's (not a hole's) margin only.
 */
const DRAWN_DOT_MARGIN = 32;
/** See isSoftEdged. */
const DOT_MIX = 0.15;

/**
 * For each component root with DOT_AREA ≤ size < minSize: 1 when it is a dot by that rule, else 0 (per run
 * index; entries of other runs are undefined). The small components get compact records (bounding box and
 * extreme luminance); only their pixels are read. `drawn`: the image is drawn (DRAWN_DOT_MARGIN).
 */
function distinctDots(
  runs: Runs, parent: Int32Array, size: Int32Array, minSize: number, luma: Float32Array, w: number, params: BinaryParams, ws: Workspace,
  drawn: boolean,
): Int32Array {
  const { x0, x1, rowStart, count: R } = runs;
  // dot[root]: the component's record number while the runs are walked, then the verdict.
  const dot = ws.int32(R);
  let m = 0;
  const minArea = drawn ? 1 : DOT_AREA;
  for (let i = 0; i < R; i++) if (parent[i] === i) dot[i] = size[i] >= minArea && size[i] < minSize ? m++ : -1;
  const box = new Int32Array(4 * m); // left, right (exclusive), top, bottom per record
  // The extreme luminance towards the ink: the darkest pixel (the lightest, inverted), as −luma when inverted.
  const sign = params.invert ? -1 : 1;
  const extreme = new Float64Array(m).fill(Infinity);
  for (let k = 0; k < m; k++) { box[4 * k] = w; box[4 * k + 1] = -1; box[4 * k + 2] = -1; }
  for (let y = 0, i = 0; i < R; i++) {
    while (rowStart[y + 1] <= i) y++;
    const k = dot[parent[i]];
    if (k < 0) continue;
    const o = 4 * k;
    if (x0[i] < box[o]) box[o] = x0[i];
    if (x1[i] > box[o + 1]) box[o + 1] = x1[i];
    if (box[o + 2] < 0) box[o + 2] = y;
    box[o + 3] = y;
    for (let x = x0[i], row = y * w; x < x1[i]; x++) if (sign * luma[row + x] < extreme[k]) extreme[k] = sign * luma[row + x];
  }
  for (let i = 0; i < R; i++) {
    if (parent[i] !== i) continue;
    const k = dot[i];
    if (k < 0) { dot[i] = 0; continue; }
    const o = 4 * k, area = size[i];
    const bw = box[o + 1] - box[o], bh = box[o + 3] - box[o + 2] + 1;
    // A drawn image's dot of one pixel (a star a pixel across) needs the photo's margin.
    const margin = drawn && area >= DOT_AREA ? DRAWN_DOT_MARGIN : DOT_MARGIN;
    dot[i] = isDistinctDot(area, bw * bh, sign * extreme[k], params.binaryThreshold, !params.invert, margin, minArea)
      && (isSoftEdged(luma, w, box[o], box[o + 2], box[o + 1], box[o + 3] + 1) || isSolidBlock(area, bw, bh)) ? 1 : 0;
  }
  return dot;
}

/**
 * Whether the box [left, right) × [top, bottom) grown by a pixel (within the image) holds a luminance between
 * its extremes, beyond DOT_MIX of their range from each: an anti-aliased edge. Round a speck of a hard-edged
 * image (a 1-bit scan, a thresholded photo) there are only the two extremes, and nothing tells a dot from
 * dust: it goes, as upstream (a thresholded photo kept 4× the paths without this test).
 */
export function isSoftEdged(luma: Float32Array, w: number, left: number, top: number, right: number, bottom: number): boolean {
  const h = luma.length / w;
  const x0 = Math.max(0, left - 1), x1 = Math.min(w, right + 1), y0 = Math.max(0, top - 1), y1 = Math.min(h, bottom + 1);
  let lo = Infinity, hi = -Infinity;
  for (let y = y0; y < y1; y++) {
    for (let p = y * w + x0, end = y * w + x1; p < end; p++) {
      if (luma[p] < lo) lo = luma[p];
      if (luma[p] > hi) hi = luma[p];
    }
  }
  const margin = DOT_MIX * (hi - lo);
  for (let y = y0; y < y1; y++) {
    for (let p = y * w + x0, end = y * w + x1; p < end; p++) {
      if (luma[p] > lo + margin && luma[p] < hi - margin) return true;
    }
  }
  return false;
}

/** Smallest side of a hard-edged dot or hole kept as a feature: see isSolidBlock. */
const BLOCK_SIDE = 3;
/**
 * Whether a hard-edged dot or hole fills its bounding box exactly, BLOCK_SIDE px or more each way: a pixel-aligned
 * square of an icon or of pixel art (Adwaita's film strip holes, 3 × 3 px at 48 px), which a speck of dust
 * or of a thresholded photo seldom is.
 */
export function isSolidBlock(area: number, width: number, height: number): boolean {
  return area === width * height && width >= BLOCK_SIDE && height >= BLOCK_SIDE;
}

/**
 * The dot rule on a component (dark: its pixels are foreground, dark unless inverted) or a hole of `area`
 * pixels, with a bounding box of `box` pixels and a luminance `level` (see DOT_AREA: a component's extreme,
 * a hole's mean).
 */
export function isDistinctDot(
  area: number, box: number, level: number, threshold: number, dark: boolean, margin = DOT_MARGIN, minArea = DOT_AREA,
): boolean {
  return area >= minArea && area >= DOT_FILL * box && (dark ? threshold - level : level - threshold) >= margin;
}

export function binaryLayers(data: Uint8Array, w: number, h: number, params: BinaryParams, progress: Progress, ws: Workspace): LayerSet;
/** With `minJoined`: null, before the components are labelled, when fewer hairline pixels were joined (two-tone.ts). */
export function binaryLayers(
  data: Uint8Array, w: number, h: number, params: BinaryParams, progress: Progress, ws: Workspace, minJoined: number,
): LayerSet | null;
export function binaryLayers(
  data: Uint8Array, w: number, h: number, params: BinaryParams, progress: Progress, ws: Workspace, minJoined = 0,
): LayerSet | null {
  const n = w * h;
  progress.stage(...STAGE_SLICES.binaryLayers);
  const luma = ws.float32(n);
  let runs: Runs;
  let inkLevel: InkLevel | null = null;
  if (params.adaptive) {
    const fg = ws.uint8(n);
    lumaPlane(data, n, luma);
    adaptiveThreshold(w, h, params, fg, luma, progress, ws);
    runs = maskRuns(fg, w, h, ws);
  } else {
    // A drawn image's pixels in the ridge band are listed on the threshold's pass for the hairline search.
    const [lo, hi] = ridgeBand(params);
    const band: BandPixels | null = isToned(data, w, h, params) ? null : { lo, hi, pixels: ws.int32(bandCapacity(n)), count: 0 };
    runs = thresholdRuns(data, w, h, params, luma, progress, ws, band);
    if (band !== null) [runs, inkLevel] = withHairlines(runs, luma, w, h, params, ws, band);
  }
  if ((inkLevel?.joined ?? 0) < minJoined) return null;
  progress.checkAbort();
  // Components are labelled run by run rather than pixel by pixel: a run of foreground is one union-find
  // node, joined to every run above it that it overlaps or touches at a corner. The roots are each
  // component's first run, so its first pixel in raster order.
  const { x0, x1, rowStart, count: R } = runs;
  const parent = ws.int32(R);
  // The lattice corners where two ink pixels touching diagonally are kept apart (fixed threshold only: the
  // test compares the pixels with it).
  const open: number[] = [];
  const saddles = !params.adaptive;
  // Pixels of each run under a run of the row above (the same component): they start no contour.
  const covered = ws.int32(R);
  for (let y = 0; y < h; y++) {
    let j = y > 0 ? rowStart[y - 1] : 0;
    const jEnd = rowStart[y];
    for (let i = rowStart[y], iEnd = rowStart[y + 1]; i < iEnd; i++) {
      parent[i] = i;
      const a = x0[i], b = x1[i];
      // The runs above that overlap this one or touch it at a corner (8-connected: a hairline or a thin
      // diagonal stroke thresholds into pixels touching at their corners; 4-connected, each was a speck of its
      // own and the speckle filter dropped them all: a 1 px line at 30° or 45° vanished). The last may reach
      // the next run too, so j stays on it.
      while (j < jEnd && x1[j] < a) j++;
      let cov = 0;
      for (let k = j; k < jEnd && x0[k] <= b; k++) {
        const overlap = (x1[k] < b ? x1[k] : b) - (x0[k] > a ? x0[k] : a);
        cov += overlap; // 0 for a run touching at a corner
        // A corner touch the background passes through instead (opensAt).
        if (overlap === 0 && saddles) {
          const cx = x1[k] === a ? a : b;
          if (opensAt(runs, luma, w, h, cx, y, params)) { open.push(y * (w + 1) + cx); continue; }
        }
        if (parent[i] === i) parent[i] = findRoot(parent, k);
        else unionMin(parent, i, k);
      }
      covered[i] = cov;
    }
  }
  // Flatten (parents never point forward), and sum each component's size and contour candidates at its root.
  const size = ws.int32(R, 0);
  const candidates = ws.int32(R, 0);
  for (let i = 0; i < R; i++) {
    const r = parent[parent[i]];
    parent[i] = r;
    const len = x1[i] - x0[i];
    size[r] += len;
    candidates[r] += len - covered[i];
  }
  // Kept components numbered in raster order of their first pixel (size[root] becomes the number, or -1).
  const minSize = params.filterSpeckle * params.filterSpeckle;
  const dots = params.keepDots !== false && !params.adaptive && minSize > 1
    ? distinctDots(runs, parent, size, minSize, luma, w, params, ws, inkLevel !== null) : null;
  const compStart: number[] = [0];
  const areas: number[] = [];
  let count = 0;
  for (let i = 0; i < R; i++) {
    if (parent[i] !== i) continue;
    if (size[i] >= minSize || (dots !== null && dots[i] === 1)) {
      compStart.push(compStart[count] + candidates[i]);
      areas.push(size[i]);
      size[i] = count++;
    } else {
      size[i] = -1;
    }
  }
  progress.checkAbort();
  // Keys, and each component's contour candidates in raster order (a counting sort by component).
  const key = ws.int32(n, -1);
  const sorted = ws.int32(compStart[count]);
  const cursor = Int32Array.from(compStart);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let j = y > 0 ? rowStart[y - 1] : 0;
    const jEnd = rowStart[y];
    for (let i = rowStart[y], iEnd = rowStart[y + 1]; i < iEnd; i++) {
      const c = size[parent[i]];
      if (c < 0) continue;
      const a = x0[i], b = x1[i];
      key.fill(c, row + a, row + b);
      // The run's pixels not under a run of the row above.
      while (j < jEnd && x1[j] <= a) j++;
      let at = cursor[c];
      let x = a;
      for (let k = j; k < jEnd && x0[k] < b; k++) {
        for (const end = x0[k] < b ? x0[k] : b; x < end; x++) sorted[at++] = row + x;
        if (x1[k] > x) x = x1[k];
      }
      for (; x < b; x++) sorted[at++] = row + x;
      cursor[c] = at;
    }
  }
  const layers: Layer[] = [];
  for (let c = 0; c < count; c++) {
    const pixels = sorted.subarray(compStart[c], compStart[c + 1]);
    layers.push({ lo: c, len: 1, pixels, r: 0, g: 0, b: 0, area: areas[c] });
  }
  return { key, width: w, height: h, layers, luma, openCorners: Int32Array.from(open), inkLevel: inkLevel ?? undefined };
}

/** How far (luminance, 0–255) from the threshold each of a saddle's four pixels lies for opensAt to read it. */
const SADDLE_CONTRAST = 24;

/**
 * Whether the saddle at lattice corner (cx, cy) (two ink pixels touching only there, two background pixels on
 * the other diagonal) lets the background through rather than joining the ink, as marching squares decides
 * it: the mean of the four pixels (the bilinear surface at the corner) is on the background's side of the
 * threshold. Only for a clear saddle, every pixel SADDLE_CONTRAST or more from the threshold (an anti-aliased
 * edge, not a photo's noise: without this test the coffee photo in bw had 60 paths, not 57, and 8 % more
 * bytes), whose surroundings are mostly ink (inkMajority: a thin dark tip, its pixels as light on average,
 * stays joined). The gap between a 48 px icon and the slash across it is narrower than a pixel, a diagonal
 * chain of light pixels, and the ink closed it.
 */
function opensAt(runs: Runs, luma: Float32Array, w: number, h: number, cx: number, cy: number, params: BinaryParams): boolean {
  const q = cy * w + cx, t = params.binaryThreshold;
  const a = luma[q - w - 1], b = luma[q - w], c = luma[q - 1], d = luma[q];
  if (Math.min(Math.abs(a - t), Math.abs(b - t), Math.abs(c - t), Math.abs(d - t)) < SADDLE_CONTRAST) return false;
  if ((a + b + c + d) / 4 >= t === params.invert) return false;
  return inkMajority(runs, w, h, cx, cy) > 0;
}

/**
 * Half-sides (px) of the squares round a saddle (two ink pixels touching only at a corner, two background
 * pixels at the other), tried in turn until one has more of one than of the other; see inkMajority.
 */
const SADDLE_RADII = [2, 3, 4];

/**
 * Which of ink and background holds the majority round lattice corner (cx, cy): positive for the ink, negative
 * for the background, 0 for a tie at every radius (pixels beyond the image count as background).
 */
function inkMajority(runs: Runs, w: number, h: number, cx: number, cy: number): number {
  const { x0, x1, rowStart } = runs;
  for (const r of SADDLE_RADII) {
    const left = Math.max(0, cx - r), right = Math.min(w, cx + r);
    let ink = 0;
    for (let y = Math.max(0, cy - r), y1 = Math.min(h, cy + r); y < y1; y++) {
      for (let i = rowStart[y], end = rowStart[y + 1]; i < end && x0[i] < right; i++) {
        const a = x0[i] > left ? x0[i] : left, b = x1[i] < right ? x1[i] : right;
        if (b > a) ink += b - a;
      }
    }
    const balance = 2 * ink - 4 * r * r;
    if (balance !== 0) return balance;
  }
  return 0;
}
