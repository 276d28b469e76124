/**
 * Sub-pixel edge placement: where, inside the pixels on each side of a boundary, the true edge lies.
 *
 * An anti-aliased edge pixel is a coverage-weighted mix of the colours on its two sides,
 * v = a·inside + (1 − a)·outside. Projecting v onto the segment outside → inside gives its coverage a.
 * Across a unit edge of the pixel boundary, with the inside pixel p and the outside pixel q, the true edge
 * crosses the line p → q at (a_p + a_q − 1) pixels beyond the lattice edge (exact for a straight edge that
 * crosses no other pixel on that line: a 1-D edge, any 45° edge, and any edge along the lattice direction
 * within 45°). The reference colours are those one pixel further in and out, when they are on the right side
 * (pure colours for an edge narrower than a pixel), else p and q themselves (in colour, q also when it lies
 * farther from the inside reference than the pixel one out and than p: that one may be a third shape's edge);
 * where that pixel is off the image (a shape leaving it through the frame), the pixel along the frame, on that
 * side, whose colour differs most from the other side's. An edge on the frame itself has no q: p alone says how much of it
 * the region covers (a round end touching the frame leaves a sliver of what lies beyond it in the frame
 * pixels under it), against the colour found along the frame outside the region, when that colour is what
 * moving the edge inward would show (`showsBeneath`). In black and white, a stroke one pixel thick
 * (strokeAcross) is read against the most inked pixel of the region within INK_REACH, and its pixel's shortfall
 * goes to one of its two edges: p itself is no pure reference there; nor is the pixel further in of a stroke
 * two pixels thick when it is a mix too, read against the same.
 *
 * Colours are compared premultiplied (r·a, g·a, b·a, a), so an edge against transparency (alpha coverage)
 * and an edge between two opaque colours are the same computation.
 *
 * Input: a closed contour on the pixel-corner lattice (its corner vertices, the region on the right, as
 * `traceContours` writes it). Output: a polygon of sub-pixel points, one per unit edge, at the edge
 * midpoint moved along the outward normal by its offset, plus each corner between two runs longer than
 * a pixel (moved by both runs' offsets: the intersection of the two shifted edges).
 */
import type { FloatBuffer } from './buffers.js';
import { DX, DY, LEFT_X, LEFT_Y, RIGHT_X, RIGHT_Y, directionOf } from './lattice.js';
import { isAncestor, mayOverlap, type PaintOrder } from './paint-order.js';
import type { InkLevel } from './types.js';

/** The image and the region whose boundary is placed: pixel p is inside when (key[p] − lo) >>> 0 < len. */
export interface EdgeField {
  data: Uint8Array;
  width: number;
  height: number;
  key: Int32Array;
  lo: number;
  len: number;
  /**
   * Binary mode: the region is "luminance over white below the threshold", so coverage is measured on
   * that luminance (LayerSet.luma: a transparent pixel is white) instead of on premultiplied colour.
   */
  luma?: Float32Array;
  /**
   * Binary mode, a drawn image with one threshold (not adaptive): how far (px, outward) the ink's contour lies
   * inside the true edge on average (inkShift). A pixel is ink when its cover reaches (white − threshold) /
   * (white − ink) of full: one half for black ink at the default threshold, 0.75 for #555, whose contour then
   * lies a quarter pixel inside the edge, its offsets running from −0.5 to +1 px rather than ±0.75. The limits
   * edgeOffset and coverageSamples put on offsets are centred on it (off-centre, a grey hexagon's slanted sides
   * came out in steps: their staircase's lone unit edges clamped at half a pixel).
   */
  inkShift?: number;
  /** Binary mode, drawn images: the image's ink level, for thin strokes without a pure pixel (types.ts InkLevel). */
  inkLevel?: InkLevel;
  /**
   * Stacked colour layers: their painting order and the region's painting index, to tell which neighbours
   * it may overlap (paint-order.ts).
   */
  paint?: { order: PaintOrder; rank: number };
}

/**
 * 1 when the region may overlap the layer drawing the pixel outside the unit edge leaving (x, y) in
 * direction d (paint-order.ts mayOverlap), else 0 (also off the image).
 */
function overAt(f: EdgeField, x: number, y: number, d: number): number {
  const ox = x + LEFT_X[d], oy = y + LEFT_Y[d];
  const p = f.paint;
  if (p === undefined || ox < 0 || oy < 0 || ox >= f.width || oy >= f.height) return 0;
  return mayOverlap(p.order, p.rank, f.lo, f.len, f.key[oy * f.width + ox]) ? 1 : 0;
}

/** Below this squared distance (premultiplied 0–255 units) the two sides are too alike to tell coverage. */
const MIN_CONTRAST2 = 40 * 40;
/** A pixel farther than this fraction (0.6) of the contrast from the line between the two sides is a third colour. */
const MAX_RESIDUAL_INV2 = 1 / (0.6 * 0.6);
/** An offset beyond this is not a plain two-pixel edge (noise, a thin feature): trust it only this far. */
const MAX_OFFSET = 0.75;
/**
 * The most a lone unit edge (a run of one between two turns) is moved: past half a pixel its sample overtook
 * the next one at a corner rounded within a pixel or two (a 2 px rounded rectangle's corner came out as a
 * zig-zag), and a 15° bar's cap corner was placed off its side lines.
 */
const STEP_OFFSET = 0.5;

/** The coverage of the inside pixel that edgeOffset last read (NaN when it returned before reading it). */
const INSIDE_COVER = new Float64Array(1);

/** Offset (pixels, along the outward normal) of the true edge from the unit edge leaving (x, y) in direction d. */
export function edgeOffset(f: EdgeField, x: number, y: number, d: number): number {
  INSIDE_COVER[0] = NaN;
  const { width: w, height: h } = f;
  const ix = x + RIGHT_X[d], iy = y + RIGHT_Y[d];
  const ox = x + LEFT_X[d], oy = y + LEFT_Y[d];
  if (ix < 0 || iy < 0 || ix >= w || iy >= h) return 0;
  const onFrame = ox < 0 || oy < 0 || ox >= w || oy >= h;
  const nx = DY[d], ny = -DX[d];
  const p = iy * w + ix;
  // The pixel across the edge; on the image's frame there is none (−1).
  const q = onFrame ? -1 : oy * w + ox;
  // Reference colours one pixel further along the normal, when still on the right side.
  let pin = p;
  const ix2 = ix - nx, iy2 = iy - ny;
  if (ix2 >= 0 && iy2 >= 0 && ix2 < w && iy2 < h) {
    const r = iy2 * w + ix2;
    if (((f.key[r] - f.lo) >>> 0) < f.len) pin = r;
  } else if (onFrame) return 0;
  else pin = alongFrame(f, ix, iy, DX[d], DY[d], true, q);
  let pout = q;
  if (onFrame) {
    // An edge on the frame: pixel p may still be a mix of the region and what lies between it and the frame
    // (a shape whose round end just touches the frame), the colour found along the frame outside the region.
    pout = alongFrame(f, ix, iy, DX[d], DY[d], false, pin);
    if (pout === p || !showsBeneath(f, pout)) return 0;
  } else {
    const ox2 = ox + nx, oy2 = oy + ny;
    if (ox2 >= 0 && oy2 >= 0 && ox2 < w && oy2 < h) {
      const r = oy2 * w + ox2;
      if (((f.key[r] - f.lo) >>> 0) >= f.len) pout = r;
    } else pout = alongFrame(f, ox, oy, DX[d], DY[d], false, pin);
    if (pin === p && pout === q) return 0;
  }
  const data = f.data;
  const L = f.luma;
  if (L !== undefined) {
    let li = L[pin];
    const lq = L[pout];
    // A stroke one pixel thick along the normal (strokeAcross): p is no pure reference; the most inked pixel of
    // the region nearby stands for full cover. Its own shortfall then lies at one of its two edges, not both.
    const thin = pin === p && q >= 0 && strokeAcross(f, ix, iy, d, 1);
    if (thin) li = inkReference(f, L, ix, iy, lq, li);
    // A stroke two pixels thick along the normal whose inner pixel is a mix too (a serif stem 1.6 px wide over
    // two columns 0.8 covered): read against itself, that pixel counted as full and the stem came out 2 px wide.
    // (Only where the ink level is known, the shape test before it: it is read over the whole image when first
    // asked for.)
    else if (pin !== p && q >= 0 && f.inkLevel !== undefined && strokeAcross(f, ix, iy, d, 2) && !isPureInk(f, L, li)) li = inkReference(f, L, ix, iy, lq, li);
    const dl = lq - li;
    if (dl * dl < MIN_CONTRAST2) return 0;
    const shift = f.inkShift ?? 0;
    const ap = clamp01((lq - L[p]) / dl);
    const aq = q < 0 ? 0 : clamp01((lq - L[q]) / dl);
    INSIDE_COVER[0] = ap;
    if (thin) {
      // A contiguous stroke covering q (this side) and b (the pixel beyond p) cannot leave p short: p's
      // shortfall goes to the side whose outer pixel is less covered, shared in that proportion (half each
      // when neither is). A 1.24 px stem over a 0.74 and a 0.5 covered pixel: its sides at −0.26 and +0.5.
      const ab = clamp01((lq - L[iy2 * w + ix2]) / dl);
      const share = ab + aq > 0 ? ab / (ab + aq) : 0.5;
      return clampOffset(aq - (1 - ap) * share - shift) + shift;
    }
    return clampOffset(ap + aq - 1 - shift) + shift;
  }
  // The pixel one further out may be a third shape's mixed edge (a bar 2 px from another): the pixel across,
  // when farther from the inside reference than both it and the inside pixel, is the purer outside.
  if (q >= 0 && pout !== q) {
    const dq = premultipliedDistance2(data, pin, q);
    if (dq > premultipliedDistance2(data, pin, pout) && dq > premultipliedDistance2(data, pin, p)) pout = q;
  }
  const ai = data[4 * pin + 3], ao = data[4 * pout + 3];
  // Premultiplied reference colours (×255) and their difference.
  const ir = data[4 * pin] * ai, ig = data[4 * pin + 1] * ai, ib = data[4 * pin + 2] * ai, ia = ai * 255;
  const or = data[4 * pout] * ao, og = data[4 * pout + 1] * ao, ob = data[4 * pout + 2] * ao, oa = ao * 255;
  const dr = ir - or, dg = ig - og, db = ib - ob, da = ia - oa;
  const dd = dr * dr + dg * dg + db * db + da * da;
  if (dd < MIN_CONTRAST2 * 255 * 255) return 0;
  const ap = coverage(data, p, or, og, ob, oa, dr, dg, db, da, dd);
  const aq = q < 0 ? 0 : coverage(data, q, or, og, ob, oa, dr, dg, db, da, dd);
  if (ap < 0 || aq < 0) return 0;
  INSIDE_COVER[0] = ap;
  return clampOffset(ap + aq - 1);
}

/** Whether pixel (x, y) is on the image and in f's region. */
function insideAt(f: EdgeField, x: number, y: number): boolean {
  return x >= 0 && y >= 0 && x < f.width && y < f.height && ((f.key[y * f.width + x] - f.lo) >>> 0) < f.len;
}

/**
 * Whether inside pixel (x, y), at the unit edge leaving it in direction d, is the edge of a stroke `thickness`
 * pixels thick (1 or 2; the pixels between inside the region): the pixel that far in against the outward normal
 * lies outside the region, and the region goes on past (x, y) both ways along the edge (straight on or a pixel
 * aside: a curved stroke). A tip (a wedge's point, a corner) does not go on, and its pixels are thin because
 * they are partly covered, not because a stroke is.
 */
function strokeAcross(f: EdgeField, x: number, y: number, d: number, thickness: number): boolean {
  const nx = DY[d], ny = -DX[d], tx = DX[d], ty = DY[d];
  const bx = x - thickness * nx, by = y - thickness * ny;
  if (bx < 0 || by < 0 || bx >= f.width || by >= f.height || insideAt(f, bx, by)) return false;
  return goesOn(f, x, y, tx, ty, nx, ny) && goesOn(f, x, y, -tx, -ty, nx, ny);
}

/** Whether the region holds a pixel one step from (x, y) along (tx, ty), straight on or a pixel aside (±(nx, ny)). */
function goesOn(f: EdgeField, x: number, y: number, tx: number, ty: number, nx: number, ny: number): boolean {
  return insideAt(f, x + tx, y + ty) || insideAt(f, x + tx + nx, y + ty + ny) || insideAt(f, x + tx - nx, y + ty - ny);
}

/**
 * The luminance of the image's most inked pixel (the darkest, the lightest when `invert`), read on every other
 * pixel (a checkerboard: any stroke two pixels wide has a pixel on it, and the read costs half).
 */
export function mostInked(L: Float32Array, w: number, invert: boolean): number {
  // The darkest as the least of −luma when inverted: one comparison per pixel read; full ink ends the scan.
  const sign = invert ? -1 : 1, full = invert ? -255 : 0;
  let least = Infinity;
  const h = L.length / w;
  for (let y = 0; y < h && least > full; y++) {
    for (let p = y * w + (y & 1), end = y * w + w; p < end; p += 2) {
      const l = sign * L[p];
      if (l < least) least = l;
    }
  }
  return least === Infinity ? (invert ? 0 : 255) : sign * least;
}

/**
 * EdgeField.inkShift for a drawn black-and-white image: (background − threshold) / (background − ink) − 1/2, the
 * background white (black when inverted) and the ink the image's most inked pixel (measured here when not yet,
 * a scan that stops at full ink); 0 below INK_SHIFT_FLOOR (black ink at the default threshold: 0.002; #111's 0.034
 * cost bench:text's black text 0.04 dB of median PSNR), at most
 * INK_SHIFT_MAX either way (a pale ink near the threshold is mostly anti-aliasing's).
 */
export function inkShift(level: InkLevel, luma: Float32Array, width: number): number {
  if (Number.isNaN(level.ink)) level.ink = mostInked(luma, width, level.invert);
  const background = level.invert ? 0 : 255;
  const contrast = background - level.ink;
  if (Math.abs(contrast) < 1) return 0;
  const shift = (background - level.threshold) / contrast - 0.5;
  if (Math.abs(shift) < INK_SHIFT_FLOOR || flatInkShare(level, luma, width) < FLAT_INK_SHARE) return 0;
  return Math.max(-INK_SHIFT_MAX, Math.min(INK_SHIFT_MAX, shift));
}
const INK_SHIFT_FLOOR = 0.05, INK_SHIFT_MAX = 0.35;
/**
 * The share of an image's ink (pixels past the threshold, every INK_STRIDE-th of every INK_STRIDE-th row) within
 * FLAT_INK levels of its most inked pixel, which must be FLAT_INK_SHARE or more for inkShift: one flat ink (a grey
 * logo), not shades of a colour thresholded (a red apple's, whose darkest red says nothing of its lighter edges:
 * shifted by it, its outline's bytes grew by half).
 */
function flatInkShare(level: InkLevel, luma: Float32Array, width: number): number {
  const sign = level.invert ? -1 : 1, t = sign * level.threshold, ink = sign * level.ink;
  let all = 0, flat = 0;
  for (let y = 0, h = luma.length / width; y < h; y += INK_STRIDE) {
    for (let p = y * width, end = p + width; p < end; p += INK_STRIDE) {
      const l = sign * luma[p];
      if (l >= t) continue;
      all++;
      if (l - ink <= FLAT_INK) flat++;
    }
  }
  return all > 0 ? flat / all : 0;
}
const INK_STRIDE = 4, FLAT_INK = 8, FLAT_INK_SHARE = 0.5;

/** A thin stroke's most inked pixel near holding less than this share of the image's ink is a mix (inkReference, InkLevel). */
const PURE_INK = 0.8;

/** Half the side of the window inkReference searches. */
const INK_REACH = 2;

/**
 * The luma of the region's pixel within INK_REACH of (x, y) farthest from the outside luma `lq` on the ink's
 * side, `li` when none is farther: full cover for a thin stroke, whose own pixels are all mixed. (Measured
 * against itself, a stroke pixel 0.74 covered counted as full, and its half-covered neighbour as 0.68: a
 * 1.24 px serif stem was drawn 1.7 px wide.)
 */
function inkReference(f: EdgeField, L: Float32Array, x: number, y: number, lq: number, li: number): number {
  const { width: w, height: h, key, lo, len } = f;
  const sign = li < lq ? -1 : 1;
  let best = li;
  for (let yy = Math.max(0, y - INK_REACH); yy <= Math.min(h - 1, y + INK_REACH); yy++) {
    for (let xx = Math.max(0, x - INK_REACH); xx <= Math.min(w - 1, x + INK_REACH); xx++) {
      const r = yy * w + xx;
      if (((key[r] - lo) >>> 0) < len && sign * (L[r] - best) > 0) best = L[r];
    }
  }
  // No pure ink near, only mixes (a 1 px line split between two rows, or a joined hairline): the image's ink.
  if (f.inkLevel !== undefined && !isPureInk(f, L, best)) best = f.inkLevel.ink;
  return best;
}

/** Whether luma l holds PURE_INK of the image's ink or more (true when the image's ink is not known). */
function isPureInk(f: EdgeField, L: Float32Array, l: number): boolean {
  const level = f.inkLevel;
  if (level === undefined) return true;
  if (Number.isNaN(level.ink)) level.ink = mostInked(L, f.width, level.invert);
  return level.invert ? l >= PURE_INK * level.ink : 255 - l >= PURE_INK * (255 - level.ink);
}

/** Squared distance of pixels a and b, premultiplied (×255, as edgeOffset compares colours). */
function premultipliedDistance2(data: Uint8Array, a: number, b: number): number {
  const aa = data[4 * a + 3], ba = data[4 * b + 3];
  const dr = data[4 * a] * aa - data[4 * b] * ba, dg = data[4 * a + 1] * aa - data[4 * b + 1] * ba;
  const db = data[4 * a + 2] * aa - data[4 * b + 2] * ba, da = (aa - ba) * 255;
  return dr * dr + dg * dg + db * db + da * da;
}

/**
 * Whether moving the region's frame edge inward would show the colour of pixel r (outside the region): in
 * binary mode (one shape over the background) always; among stacked layers when r's layer is drawn beneath
 * the region (an ancestor); never in the cutout mosaic (there nothing lies beneath a region).
 */
function showsBeneath(f: EdgeField, r: number): boolean {
  if (f.luma !== undefined) return true;
  return f.paint !== undefined && isAncestor(f.paint.order, f.key[r], f.lo, f.len);
}

/** How far (px) along the frame a reference colour is looked for when the one across the edge is off the image. */
const FRAME_REACH = 8;

/**
 * A reference pixel for pixel (x, y) whose neighbour across the edge lies off the image (the pixel touches
 * the frame, and a shape leaves the image through it): the pixel up to FRAME_REACH px from it along the edge
 * (direction ±(tx, ty)), on the same side (inside the region when `inside`), whose colour differs most from
 * pixel `other`'s; (x, y) itself when there is none. The colour across an edge changes little along it.
 */
function alongFrame(f: EdgeField, x: number, y: number, tx: number, ty: number, inside: boolean, other: number): number {
  const { width: w, height: h, data, luma } = f;
  const self = y * w + x;
  let best = self, bestDiff = -1;
  for (let k = -FRAME_REACH; k <= FRAME_REACH; k++) {
    if (k === 0) continue;
    const cx = x + k * tx, cy = y + k * ty;
    if (cx < 0 || cy < 0 || cx >= w || cy >= h) continue;
    const r = cy * w + cx;
    if ((((f.key[r] - f.lo) >>> 0) < f.len) !== inside) continue;
    let diff: number;
    if (luma !== undefined) diff = Math.abs(luma[r] - luma[other]);
    else {
      const ar = data[4 * r + 3], ao = data[4 * other + 3];
      const dr = data[4 * r] * ar - data[4 * other] * ao, dg = data[4 * r + 1] * ar - data[4 * other + 1] * ao;
      const db = data[4 * r + 2] * ar - data[4 * other + 2] * ao, da = (ar - ao) * 255;
      diff = dr * dr + dg * dg + db * db + da * da;
    }
    if (diff > bestDiff) {
      bestDiff = diff;
      best = r;
    }
  }
  return best;
}

function clampOffset(o: number, limit = MAX_OFFSET): number {
  return o > limit ? limit : o < -limit ? -limit : o;
}

function clamp01(t: number): number {
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

/**
 * Coverage of pixel p by the inside colour: its projection onto outside → inside, clamped to [0, 1].
 * A pixel far from that segment is not a mix of the two sides (a third colour): −1, "no evidence".
 */
function coverage(
  data: Uint8Array, p: number, or: number, og: number, ob: number, oa: number,
  dr: number, dg: number, db: number, da: number, dd: number,
): number {
  const a = data[4 * p + 3];
  const vr = data[4 * p] * a - or, vg = data[4 * p + 1] * a - og, vb = data[4 * p + 2] * a - ob, va = a * 255 - oa;
  const t = (vr * dr + vg * dg + vb * db + va * da) / dd;
  const er = vr - t * dr, eg = vg - t * dg, eb = vb - t * db, ea = va - t * da;
  if ((er * er + eg * eg + eb * eb + ea * ea) * MAX_RESIDUAL_INV2 > dd) return -1;
  return clamp01(t);
}

/** Below this |offset| (px) an edge carries no sub-pixel evidence. */
const NO_EVIDENCE = 0.02;

/**
 * True when no unit edge of the contour has a measurable offset: a hard-edged (aliased) outline, as in a
 * 1-bit scan or a thresholded image, where the pixels only say the edge is within half a pixel of the lattice.
 */
function isAliased(pts: Int32Array, from: number, to: number, f: EdgeField, closed: boolean): boolean {
  const n = to - from;
  const edges = closed ? n : n - 1;
  for (let i = 0; i < edges; i++) {
    const b = from + i, c = from + ((i + 1) % n);
    const bx = pts[2 * b], by = pts[2 * b + 1];
    const len = Math.abs(pts[2 * c] - bx) + Math.abs(pts[2 * c + 1] - by);
    const d = directionOf(pts[2 * c] - bx, pts[2 * c + 1] - by);
    for (let k = 0; k < len; k++) {
      const o = edgeOffset(f, bx + k * DX[d], by + k * DY[d], d);
      if (o > NO_EVIDENCE || o < -NO_EVIDENCE) return false;
    }
  }
  return true;
}

/**
 * Length of edge i of the contour (vertex i to i + 1, cyclic when closed), or 0 past an open chain's ends:
 * "unknown", so that its first and last edges are neither risers nor corners.
 */
function edgeLength(pts: Int32Array, from: number, n: number, i: number, closed: boolean): number {
  if (!closed && (i < 0 || i >= n - 1)) return 0;
  const b = from + ((i + n) % n), c = from + ((i + 1 + n) % n);
  return Math.abs(pts[2 * c] - pts[2 * b]) + Math.abs(pts[2 * c + 1] - pts[2 * b + 1]);
}

/**
 * Whether unit edge i is a riser of a staircase shallower than about 34° from its runs: the runs two before and
 * two after it go the same ways as the ones beside it, and the four average 1.5 px or more (30°: runs of 2, 2, 1;
 * 45°: 1, with a 2 now and then). Skipping a riser beside a single step at any slope (from a shift of 0.2) took
 * bench:shapes' 45° bar in #666 at 48 px from 2.37 to 6.82 % xor; for shallow ones only, 2.37 stays, and the
 * grey cases' median xor at 48 / 96 px is #444 1.01 / 0.42 %, #555 1.14 / 0.41 %, #666 1.46 / 0.60 % (1.23 / 0.41,
 * 1.48 / 0.64, 2.08 / 0.88 before the ink shift).
 */
function shallowStair(pts: Int32Array, from: number, n: number, i: number, closed: boolean): boolean {
  if (edgeDirection(pts, from, n, i - 3) !== edgeDirection(pts, from, n, i - 1) || edgeDirection(pts, from, n, i + 3) !== edgeDirection(pts, from, n, i + 1)) return false;
  if (edgeLength(pts, from, n, i - 2, closed) !== 1 || edgeLength(pts, from, n, i + 2, closed) !== 1) return false;
  const sum = edgeLength(pts, from, n, i - 3, closed) + edgeLength(pts, from, n, i - 1, closed) + edgeLength(pts, from, n, i + 1, closed) + edgeLength(pts, from, n, i + 3, closed);
  return sum >= 6;
}

/** Direction of edge i (cyclic index). */
function edgeDirection(pts: Int32Array, from: number, n: number, i: number): number {
  const b = from + ((i + n) % n), c = from + ((i + 1 + n) % n);
  return directionOf(pts[2 * c] - pts[2 * b], pts[2 * c + 1] - pts[2 * b + 1]);
}

/**
 * Sub-pixel samples of a lattice contour (vertices `from`..`to` of `pts`, the region of `f` on the right),
 * appended to `out` after clearing it; true when the contour is aliased. Closed: a polygon. Open (a border
 * between two junctions, the cutout mosaic): its two end vertices are the first and last samples, pinned.
 *
 * One sample per unit edge, at its midpoint moved along the outward normal by its offset, plus each corner
 * between two runs longer than a pixel (moved by both runs' offsets: the intersection of the two shifted
 * edges). A single step between two longer runs going the same way (the riser of a shallow slope) gives no
 * point: across it the edge spans more than two pixels, so its offset says little, and the runs on both
 * sides place the line.
 *
 * An aliased contour (no anti-aliasing anywhere along it) is sampled as a digital curve instead: each unit
 * step at its midpoint (where the true edge crosses it, for a straight edge), a run of two at its middle, a
 * longer run along its inner unit edges, and no lattice corners. The true edge is only known within half a
 * pixel there, and the lattice corners of a staircase are the one place it surely is not.
 *
 * `over` (closed outlines of stacked layers), when given, gets one number per sample after clearing it: 1
 * where the region may overlap the layer across that sample's edge (paint-order.ts mayOverlap), else 0.
 */
export function subpixelOutline(
  pts: Int32Array, from: number, to: number, f: EdgeField, out: FloatBuffer, closed = true, over?: FloatBuffer,
): boolean {
  out.clear();
  over?.clear();
  const n = to - from;
  const aliased = isAliased(pts, from, to, f, closed);
  if (!closed) out.push2(pts[2 * from], pts[2 * from + 1]);
  if (aliased) digitalSamples(pts, from, n, f, closed, out, over);
  else coverageSamples(pts, from, n, f, closed, out, over);
  if (!closed) out.push2(pts[2 * (to - 1)], pts[2 * (to - 1) + 1]);
  return aliased;
}

/** The samples of an anti-aliased contour (see subpixelOutline). */
function coverageSamples(pts: Int32Array, from: number, n: number, f: EdgeField, closed: boolean, out: FloatBuffer, over?: FloatBuffer): void {
  const edges = closed ? n : n - 1;
  const shift = f.luma !== undefined ? f.inkShift ?? 0 : 0;
  for (let i = 0; i < edges; i++) {
    const b = from + i;
    const c = from + ((i + 1) % n);
    const bx = pts[2 * b], by = pts[2 * b + 1];
    const cx = pts[2 * c], cy = pts[2 * c + 1];
    const len = Math.abs(cx - bx) + Math.abs(cy - by);
    const prevLen = edgeLength(pts, from, n, i - 1, closed);
    const nextLen = edgeLength(pts, from, n, i + 1, closed);
    const d = directionOf(cx - bx, cy - by);
    const nx = DY[d], ny = -DX[d];
    // The riser of a staircase (the runs before and after go the same way), not the cap of a thin feature; with
    // a grey ink's contour shifted inward, also one beside a single step of a shallow staircase (a 30° side's
    // runs of 2, 2, 1), whose offset, read across a slant that spans three pixels there, fell short of its
    // neighbours' and zig-zagged: a 30° bar in #444 was 29 segments, in #555 44, four now.
    if (len === 1 && (prevLen > 1 && nextLen > 1 || (shift > 0 && (prevLen > 1 || nextLen > 1) && shallowStair(pts, from, n, i, closed)))
      && edgeDirection(pts, from, n, i - 1) === edgeDirection(pts, from, n, i + 1)) continue;
    let o = 0;
    for (let k = 0; k < len; k++) {
      const x = bx + k * DX[d], y = by + k * DY[d];
      o = edgeOffset(f, x, y, d);
      // A lone unit edge is a step of the staircase: the true edge crosses it at a slant (at a rounded corner,
      // steeply), where an offset measured straight across overshoots; trust it only within half a pixel.
      if (len === 1) o = clampOffset(o - shift, STEP_OFFSET) + shift;
      out.push2(x + DX[d] / 2 + o * nx, y + DY[d] / 2 + o * ny);
      over?.push(overAt(f, x, y, d));
    }
    if (len > 1 && nextLen > 1) {
      // A corner between two long runs: the two shifted edges meet here, when the corner is sharp.
      const d2 = edgeDirection(pts, from, n, i + 1);
      const a1 = INSIDE_COVER[0];
      const o2 = edgeOffset(f, cx, cy, d2);
      const a2 = INSIDE_COVER[0];
      const convex = o > 0 && o2 > 0 && DX[d2] === -DY[d] && DY[d2] === DX[d];
      // The corner pixel's own shortfall (read against both edges' references; NaN when unread).
      const missing = 1 - (a1 + a2) / 2;
      if (convex && missing > CUT_FROM) {
        // A convex corner whose own pixel is not fully covered is cut off inside it (a round cap's end, on the
        // lattice corner its neighbours' slight cover put a sample 0.3–0.5 px off the circle): the sample goes
        // to the middle of a 45° cut across the two shifted edges that leaves that pixel uncovered by as much.
        const cut = (o + o2 + Math.sqrt(2 * missing)) / 2;
        out.push2(cx + o * nx + o2 * DY[d2] - cut * (nx + DY[d2]), cy + o * ny - o2 * DX[d2] - cut * (ny - DX[d2]));
      } else {
        // A convex corner with both edges shifted outward: the diagonal pixel says how round it is (cornerShare).
        const k = convex ? cornerShare(f, cx + (nx + DY[d2]) / 2, cy + (ny - DX[d2]) / 2, o * o2) : 1;
        out.push2(cx + k * (o * nx + o2 * DY[d2]), cy + k * (o * ny - o2 * DX[d2]));
      }
      over?.push(overAt(f, cx - DX[d], cy - DY[d], d));
    }
  }
}

/**
 * Below this share of its pixel (o · o2, both edges shifted outward) a convex corner is not checked: its
 * sample moves 0.1 px at most whatever the diagonal pixel says.
 */
const CORNER_CHECK_FROM = 0.005;
/**
 * A convex corner (both edges shifted outward) whose own pixel lacks more than this of full cover is cut inside
 * that pixel (coverageSamples); below it, the shortfall is anti-aliasing's rounding or noise.
 */
const CUT_FROM = 0.03;

/**
 * How far (0–1) towards where its two shifted edges meet a convex corner's sample goes: both edges shifted
 * outward by o and o2 leave the diagonal pixel (centre x, y) covered o · o2 (`sharp`) when the corner is
 * sharp, less when it is round. Scaled by k, the corner's part of that pixel shrinks by k², so k is the root of
 * the share found. (A pixel-aligned 3 px stroke's round cap, its end in two runs of two pixels, had its
 * corner sample 0.4 px off its circle, on the square's corner: the cap came out flat.)
 */
function cornerShare(f: EdgeField, x: number, y: number, sharp: number): number {
  if (sharp < CORNER_CHECK_FROM) return 1;
  const c = pixelCoverage(f, x, y);
  return c >= sharp ? 1 : Math.sqrt(c / sharp);
}

/** The samples of an aliased contour (see subpixelOutline). */
function digitalSamples(pts: Int32Array, from: number, n: number, f: EdgeField, closed: boolean, out: FloatBuffer, over?: FloatBuffer): void {
  const edges = closed ? n : n - 1;
  for (let i = 0; i < edges; i++) {
    const b = from + i, c = from + ((i + 1) % n);
    const bx = pts[2 * b], by = pts[2 * b + 1];
    const len = Math.abs(pts[2 * c] - bx) + Math.abs(pts[2 * c + 1] - by);
    const prevLen = edgeLength(pts, from, n, i - 1, closed);
    const nextLen = edgeLength(pts, from, n, i + 1, closed);
    const d = directionOf(pts[2 * c] - bx, pts[2 * c + 1] - by);
    // A run's unit edges next to a step are not on the true edge (it is already leaving the run there).
    const first = len > 1 && prevLen === 1 ? 1 : 0;
    const last = len > 1 && nextLen === 1 ? len - 1 : len;
    if (first >= last) {
      out.push2(bx + (len * DX[d]) / 2, by + (len * DY[d]) / 2);
      const k = len >> 1;
      over?.push(overAt(f, bx + k * DX[d], by + k * DY[d], d));
    }
    for (let k = first; k < last; k++) {
      out.push2(bx + (k + 0.5) * DX[d], by + (k + 0.5) * DY[d]);
      over?.push(overAt(f, bx + k * DX[d], by + k * DY[d], d));
    }
    // A corner between two runs longer than a step is a corner of the shape.
    if (len > 1 && nextLen > 1) {
      out.push2(pts[2 * c], pts[2 * c + 1]);
      over?.push(overAt(f, pts[2 * c] - DX[d], pts[2 * c + 1] - DY[d], d));
    }
  }
}

/**
 * The coverage (0–1) of f's region in each pixel of the size × size block whose top-left pixel is (px0, py0),
 * row by row into `out` (NaN off the image): each pixel's colour projected from the mean of the block's pure
 * outside pixels (all four neighbours outside too) to the mean of its pure inside ones, unlike pixelCoverage
 * inside the region as well (where the outside holds several colours, their mean stands for them). False when
 * the block has no pure pixel on one side or no contrast.
 */
export function blockCoverage(f: EdgeField, px0: number, py0: number, size: number, out: Float64Array): boolean {
  const { data, width: w, height: h } = f;
  pureSums(f, px0, py0, px0 + size - 1, py0 + size - 1);
  const ni = PURE[3], no = PURE[7];
  if (ni === 0 || no === 0) return false;
  const ir = PURE[0] / ni, ig = PURE[1] / ni, ib = PURE[2] / ni, or = PURE[4] / no, og = PURE[5] / no, ob = PURE[6] / no;
  const dr = ir - or, dg = ig - og, db = ib - ob, dd = dr * dr + dg * dg + db * db;
  if (dd < MIN_CONTRAST2) return false;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const x = px0 + i, y = py0 + j;
      if (x < 0 || y < 0 || x >= w || y >= h) { out[j * size + i] = NaN; continue; }
      const q = 4 * (y * w + x);
      out[j * size + i] = clamp01(((data[q] - or) * dr + (data[q + 1] - og) * dg + (data[q + 2] - ob) * db) / dd);
    }
  }
  return true;
}

/** pureSums' result: red, green, blue sums and count of the pure inside pixels, then of the pure outside ones. */
const PURE = new Float64Array(8);

/**
 * Sums into PURE the colours of the pure pixels (all four neighbours on the same side of f's region: a mix
 * of edge pixels would read a thin tip's own pixels as a colour of their own) of the window x0..x1, y0..y1,
 * inside the region and outside it; the window's pixels on the image's border have no four neighbours and
 * are left out.
 */
function pureSums(f: EdgeField, x0: number, y0: number, x1: number, y1: number): void {
  const { data, key, lo, len, width: w, height: h } = f;
  const inL = (r: number): boolean => ((key[r] - lo) >>> 0) < len;
  let ir = 0, ig = 0, ib = 0, ni = 0, or = 0, og = 0, ob = 0, no = 0;
  for (let yy = Math.max(1, y0); yy <= Math.min(h - 2, y1); yy++) {
    for (let xx = Math.max(1, x0); xx <= Math.min(w - 2, x1); xx++) {
      const r = yy * w + xx;
      const a = inL(r);
      if (inL(r - 1) !== a || inL(r + 1) !== a || inL(r - w) !== a || inL(r + w) !== a) continue;
      if (a) { ir += data[4 * r]; ig += data[4 * r + 1]; ib += data[4 * r + 2]; ni++; }
      else { or += data[4 * r]; og += data[4 * r + 1]; ob += data[4 * r + 2]; no++; }
    }
  }
  PURE[0] = ir; PURE[1] = ig; PURE[2] = ib; PURE[3] = ni;
  PURE[4] = or; PURE[5] = og; PURE[6] = ob; PURE[7] = no;
}

/** Half the side of the window in which pixelCoverage looks for pure pixels of both sides. */
const COVERAGE_REACH = 3;

/**
 * The coverage (0–1) of f's region in the pixel under (x, y): 1 in the region, or outside the image, or when
 * the window shows no contrast; else its colour projected from the mean of the pure outside pixels (all four
 * neighbours outside too) of the 7×7 window round it to the mean of the pure inside ones, or, in black and
 * white when the region is too thin to have any there, to its pixel farthest from the outside colour. (Pure
 * pixels: a mix of edge pixels would read a thin tip's own pixels as a colour of their own.)
 */
export function pixelCoverage(f: EdgeField, x: number, y: number): number {
  const { data, key, lo, len, width: w, height: h } = f;
  const px = Math.floor(x), py = Math.floor(y);
  if (px < 0 || py < 0 || px >= w || py >= h) return 1;
  const q = py * w + px;
  const inL = (r: number): boolean => ((key[r] - lo) >>> 0) < len;
  if (inL(q)) return 1;
  const R = COVERAGE_REACH;
  pureSums(f, px - R, py - R, px + R, py + R);
  const ni = PURE[3], no = PURE[7];
  let ir = PURE[0], ig = PURE[1], ib = PURE[2];
  if (no === 0) return 1;
  const or = PURE[4] / no, og = PURE[5] / no, ob = PURE[6] / no;
  if (ni === 0) {
    // In black and white, a feature too thin to have pure pixels (a serif's 1.6 px slab): its pixel farthest
    // from the outside colour stands for it (else a corner moved 2.4 px off the slab's end into white passed
    // as covered). In colour a thin tip stays unknown, so covered: the tips of a star on a dark square, whose
    // pixels mix two colours, stopped short of their apex.
    if (f.luma === undefined) return 1;
    let far = -1;
    for (let yy = Math.max(0, py - R); yy <= Math.min(h - 1, py + R); yy++) {
      for (let xx = Math.max(0, px - R); xx <= Math.min(w - 1, px + R); xx++) {
        const r = yy * w + xx;
        if (!inL(r)) continue;
        const d = (data[4 * r] - or) ** 2 + (data[4 * r + 1] - og) ** 2 + (data[4 * r + 2] - ob) ** 2;
        if (d > far) { far = d; ir = data[4 * r]; ig = data[4 * r + 1]; ib = data[4 * r + 2]; }
      }
    }
    if (far < 0) return 1;
  } else { ir /= ni; ig /= ni; ib /= ni; }
  const dr = ir - or, dg = ig - og, db = ib - ob, dd = dr * dr + dg * dg + db * db;
  if (dd < MIN_CONTRAST2) return 1;
  return clamp01(((data[4 * q] - or) * dr + (data[4 * q + 1] - og) * dg + (data[4 * q + 2] - ob) * db) / dd);
}
