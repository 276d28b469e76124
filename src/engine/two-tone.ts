/**
 * Two-tone images in colour mode: one ink colour on one background (a blue logo on white, white text on teal,
 * a one-colour icon on transparency), every other pixel a mix of the two along its anti-aliased edges.
 * Such an image holds exactly what a black-and-white one holds: each pixel's share of ink. twoTone reads it
 * as a grey image of that share; trace.ts (twoTonePaths) traces that on the binary path (binary.ts: the
 * threshold at half cover, split hairlines and ridges joined, the ink level of thin strokes) and paints the
 * ink in its colour, so that a blue line of small serif text traces as a black one does. It does so only when
 * the binary path joined strokes under a pixel wide, which colour keying breaks into pieces; otherwise both
 * paths read the same pixels and the colour path runs.
 *
 * Not two-tone: photos, scans and JPEGs (pixels off the line between the two colours), gradients between two
 * colours (mixes whose four neighbours are mixes too), a third colour on that line drawn flat or as lines
 * within the ink (a grey shadow, light grey rings on a dark grey card, on white), images where either colour
 * has few pure pixels.
 */

/** What traceRgbaDetailed needs to trace a two-tone image on the binary path. */
export interface TwoTone {
  /** RGBA bytes: black ink over white, each pixel's grey its share of the ink colour (alpha 255). */
  grey: Uint8Array;
  /** The ink colour. */
  ink: readonly [number, number, number];
  /** The background colour, or null: transparent. */
  background: readonly [number, number, number] | null;
  /**
   * Whether the two colours are exact (no noise: drawn, not a JPEG): then an outline's wiggles are drawn, as
   * in keyed flat art, and none is smoothed as a photo's grain (fit-outline.ts).
   */
  flat: boolean;
}

/** The two colours must differ by this much (RGB distance): closer ones are one shape's shading. */
const MIN_CONTRAST = 64;
/** A pixel this far (RGB distance) from the segment between the two colours is a third colour. */
const OFF_LINE = 20;
/** Share of the pixels that may be third colours (a few stray ones: a watermark's speck, noise). */
const OFF_SHARE = 0.002;
/** A pixel this near (RGB distance) either colour is that colour (noise); the others on the line are mixes. */
const PURE_NEAR = 12;
/** Alpha: a pixel this transparent or this opaque is background or ink (noise); the others are mixes. */
const ALPHA_PURE = 16;
/** Gradients: mixes whose four neighbours are mixes too, at most this share of the mixes. */
const DEEP_MIX_SHARE = 0.25;
/** A flat mix: its colour within this many levels per channel of its four 4-neighbours'. */
const FLAT_LEVELS = 2;
/** Flat mixes allowed (a few: two edges' mixes meeting at one level by chance). */
const FLAT_MIN = 3, FLAT_SHARE = 0.01;
/** Flat: this share of the two colours' pixels exactly so. */
const EXACT_SHARE = 0.9;
/** A neighbour nearer the background: lighter in the grey image by this much. */
const LIGHTER_BY = 8;
/** Mixes with no neighbour nearer the background allowed (a small counter closing up, the odd corner). */
const WITHIN_MIN = 4, WITHIN_SHARE = 0.03;
/** Either colour needs this many pure pixels at least. */
const MIN_PURE = 16;
/** A bin holding this many pixels can be the ink's, past the most frequent one (12 px text has few pure pixels). */
const FARTHEST_MIN = 4;
/** How far a bin's centre may lie from a colour in it (RGB distance: 4 levels off in each channel, and rounding). */
const BIN_REACH = 8;
/** Alpha: a pixel this opaque must be the ink's colour (fainter ones carry too little of it to say). */
const ALPHA_CHECKED = 96;

/** Colours are counted on every `step`-th pixel, at least this many of them (all of a small image's). */
const SAMPLES = 16384;
/** More mixes than this share of the sampled pixels: a photo, a scan or a gradient, not edges. */
const MAX_MIX_SHARE = 0.5;

/** The colour histogram (5 bits per channel), reused: the engine is synchronous. */
const BINS = new Uint32Array(32768);

/** The histogram bin of colour (r, g, b): 5 bits per channel. */
function binOf(r: number, g: number, b: number): number {
  return ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
}

/** The centre of bin `bin`'s range in the channel stored `shift` bits up (10: red, 5: green, 0: blue). */
function binCentre(bin: number, shift: number): number {
  return (((bin >> shift) & 31) << 3) + 4;
}

/**
 * The two-tone reading of an image, or null when it is not one. The colours are read on a sample of the
 * pixels, and a sample decides most images that are not two-tone; a full pass then checks every pixel.
 */
export function twoTone(data: Uint8Array, w: number, h: number): TwoTone | null {
  const n = w * h;
  if (n < 4) return null;
  // An odd step, so that the samples do not fall in the same few columns.
  const step = n <= SAMPLES ? 1 : Math.floor(n / SAMPLES) | 1;
  let transparent = 0, partial = 0;
  // The sampled opaque pixels' colours at 5 bits per channel.
  const bins = BINS.fill(0);
  for (let p = 0; p < n; p += step) {
    const i = 4 * p, a = data[i + 3];
    if (a === 255) bins[binOf(data[i], data[i + 1], data[i + 2])]++;
    else if (a === 0) transparent++;
    else partial++;
  }
  return transparent + partial > 0 ? alphaTwoTone(data, w, h, bins, transparent, step) : opaqueTwoTone(data, w, h, bins, step);
}

/** The most frequent bin, skipping those within `minDistance` of colour `away` (bin centres). */
function topBin(bins: Uint32Array, away: readonly number[] | null, minDistance: number): number {
  let best = -1, bestCount = 0;
  for (let b = 0; b < 32768; b++) {
    const c = bins[b];
    if (c <= bestCount) continue;
    if (away) {
      const dr = binCentre(b, 10) - away[0], dg = binCentre(b, 5) - away[1], db = binCentre(b, 0) - away[2];
      if (dr * dr + dg * dg + db * db < minDistance * minDistance) continue;
    }
    best = b;
    bestCount = c;
  }
  return best;
}

/**
 * The bin farthest from colour `from` along the line through colour `to` (its centre within a bin's reach of
 * that line) holding FARTHEST_MIN pixels or more: in thin text the ink's mixes with the background can
 * outnumber its pure pixels, and the most frequent colour past the background is such a mix.
 */
function farthestAlong(bins: Uint32Array, from: readonly number[], to: readonly number[]): number {
  const ur = to[0] - from[0], ug = to[1] - from[1], ub = to[2] - from[2];
  const len = Math.hypot(ur, ug, ub);
  // The bins on the line holding enough pixels, and how far along it each lies.
  const onLine: number[] = [], along: number[] = [];
  let farthest = -Infinity;
  for (let b = 0; b < 32768; b++) {
    if (bins[b] < FARTHEST_MIN) continue;
    const er = binCentre(b, 10) - from[0], eg = binCentre(b, 5) - from[1], eb = binCentre(b, 0) - from[2];
    const a = (er * ur + eg * ug + eb * ub) / len;
    if (er * er + eg * eg + eb * eb - a * a > BIN_REACH * BIN_REACH) continue;
    onLine.push(b);
    along.push(a);
    if (a > farthest) farthest = a;
  }
  // The ink is the most frequent bin at the far end (a bin's reach of it): not a mix, nor a rare stray.
  let best = -1;
  for (let k = 0; k < onLine.length; k++) {
    if (along[k] >= farthest - 2 * BIN_REACH && (best < 0 || bins[onLine[k]] > bins[best])) best = onLine[k];
  }
  return best;
}

/** The most frequent exact colour among the sampled opaque pixels of bin `bin`, as [r, g, b]. */
function modeIn(data: Uint8Array, n: number, bin: number, step: number): [number, number, number] {
  const counts = new Uint32Array(512);
  for (let p = 0; p < n; p += step) {
    const i = 4 * p;
    if (data[i + 3] !== 255) continue;
    const r = data[i], g = data[i + 1], b = data[i + 2];
    if (binOf(r, g, b) !== bin) continue;
    counts[((r & 7) << 6) | ((g & 7) << 3) | (b & 7)]++;
  }
  let best = 0;
  for (let k = 1; k < 512; k++) if (counts[k] > counts[best]) best = k;
  return [((bin >> 10) << 3) | (best >> 6), (((bin >> 5) & 31) << 3) | ((best >> 3) & 7), ((bin & 31) << 3) | (best & 7)];
}

/** The segment from colour `a` to `a` + (dr, dg, db), which classify reads each pixel against. */
interface Segment { a: readonly number[]; dr: number; dg: number; db: number; len2: number }

function segment(A: readonly number[], B: readonly number[]): Segment {
  const dr = B[0] - A[0], dg = B[1] - A[1], db = B[2] - A[2];
  return { a: A, dr, dg, db, len2: dr * dr + dg * dg + db * db };
}

/** classify's kinds (the low two bits) and flags. */
const PURE_A = 0, PURE_B = 1, MIX = 2, KIND = 3, OFF = 4, EXACT = 8;
/** classify's other result: the pixel's share of the segment's far colour (its projection, clamped to 0–1). */
const SHARE = new Float64Array(1);

/**
 * How pixel `i` (byte offset) lies on segment s: PURE_A or PURE_B within PURE_NEAR of an end (with EXACT when
 * on it), else MIX; OFF when it lies farther than OFF_LINE from the segment. Its share goes to SHARE[0].
 */
function classify(s: Segment, data: Uint8Array, i: number): number {
  const er = data[i] - s.a[0], eg = data[i + 1] - s.a[1], eb = data[i + 2] - s.a[2];
  let t = (er * s.dr + eg * s.dg + eb * s.db) / s.len2;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  SHARE[0] = t;
  const xr = er - t * s.dr, xg = eg - t * s.dg, xb = eb - t * s.db;
  const off = xr * xr + xg * xg + xb * xb > OFF_LINE * OFF_LINE ? OFF : 0;
  const a2 = er * er + eg * eg + eb * eb;
  if (a2 <= PURE_NEAR * PURE_NEAR) return PURE_A | off | (a2 === 0 ? EXACT : 0);
  const yr = er - s.dr, yg = eg - s.dg, yb = eb - s.db, b2 = yr * yr + yg * yg + yb * yb;
  if (b2 <= PURE_NEAR * PURE_NEAR) return PURE_B | off | (b2 === 0 ? EXACT : 0);
  return MIX | off;
}

function opaqueTwoTone(data: Uint8Array, w: number, h: number, bins: Uint32Array, step: number): TwoTone | null {
  const n = w * h;
  const binA = topBin(bins, null, 0);
  const centreA = [binCentre(binA, 10), binCentre(binA, 5), binCentre(binA, 0)];
  const nearB = topBin(bins, centreA, MIN_CONTRAST);
  if (nearB < 0) return null;
  let A = modeIn(data, n, binA, step);
  const farB = farthestAlong(bins, A, modeIn(data, n, nearB, step));
  let B = modeIn(data, n, farB < 0 ? nearB : farB, step);
  // The background is the colour on more of the frame's pixels; the other one is the ink.
  if (frameCount(data, w, h, B) > frameCount(data, w, h, A)) [A, B] = [B, A];
  const s = segment(A, B);
  if (s.len2 < MIN_CONTRAST * MIN_CONTRAST) return null;
  if (step > 1 && !sampleFits(data, w, h, step, s)) return null;
  // Each pixel's share of ink, its projection on the segment from A to B; a budget of third colours.
  const grey = new Uint8Array(n * 4);
  const mixed = new Uint8Array(n);
  let off = 0, pureA = 0, pureB = 0, exact = 0;
  const offBudget = Math.floor(n * OFF_SHARE);
  for (let p = 0, i = 0; p < n; p++, i += 4) {
    // (The sample saw no transparency; a pixel it skipped may have some.)
    if (data[i + 3] !== 255) return null;
    const k = classify(s, data, i);
    if ((k & OFF) !== 0 && ++off > offBudget) return null;
    const kind = k & KIND;
    if (kind === PURE_A) pureA++;
    else if (kind === PURE_B) pureB++;
    else mixed[p] = 1;
    if ((k & EXACT) !== 0) exact++;
    const v = Math.round(255 * (1 - SHARE[0]));
    grey[i] = v; grey[i + 1] = v; grey[i + 2] = v; grey[i + 3] = 255;
  }
  if (pureA < MIN_PURE || pureB < MIN_PURE || !mixesAreEdges(mixed, data, grey, w, h)) return null;
  return { grey, ink: B, background: A, flat: exact >= EXACT_SHARE * (pureA + pureB) };
}

/**
 * Whether the sampled pixels lie on segment s (few third colours), with mixes a minority and mostly on edges
 * (mixesAreEdges' deep mixes, read round each sampled one).
 */
function sampleFits(data: Uint8Array, w: number, h: number, step: number, s: Segment): boolean {
  const n = w * h;
  const mixAt = (p: number): boolean => (classify(s, data, 4 * p) & KIND) === MIX;
  let samples = 0, off = 0, mixes = 0, deep = 0;
  const offBudget = OFF_SHARE * Math.ceil(n / step);
  for (let p = 0; p < n; p += step) {
    const k = classify(s, data, 4 * p);
    samples++;
    if ((k & OFF) !== 0 && ++off > offBudget) return false;
    if ((k & KIND) !== MIX) continue;
    mixes++;
    const x = p % w;
    if (x > 0 && x < w - 1 && p >= w && p < n - w && mixAt(p - 1) && mixAt(p + 1) && mixAt(p - w) && mixAt(p + w)) deep++;
  }
  return mixes <= MAX_MIX_SHARE * samples && deep <= DEEP_MIX_SHARE * mixes;
}

/** Pixels on the image's frame whose colour is exactly `c`. */
function frameCount(data: Uint8Array, w: number, h: number, c: readonly number[]): number {
  let count = 0;
  const at = (p: number): void => {
    const i = p * 4;
    if (data[i] === c[0] && data[i + 1] === c[1] && data[i + 2] === c[2]) count++;
  };
  for (let x = 0; x < w; x++) { at(x); if (h > 1) at((h - 1) * w + x); }
  for (let y = 1; y < h - 1; y++) { at(y * w); if (w > 1) at(y * w + w - 1); }
  return count;
}

/**
 * One ink colour on transparency: every pixel opaque enough to tell is the ink's colour, and its share of
 * ink is its alpha.
 */
function alphaTwoTone(data: Uint8Array, w: number, h: number, bins: Uint32Array, transparent: number, step: number): TwoTone | null {
  const binB = topBin(bins, null, 0);
  if (binB < 0 || bins[binB] * step < MIN_PURE || transparent * step < MIN_PURE) return null;
  const n = w * h;
  const B = modeIn(data, n, binB, step);
  const grey = new Uint8Array(n * 4);
  const mixed = new Uint8Array(n);
  let off = 0, pure = 0, exact = 0;
  const offBudget = Math.floor(n * OFF_SHARE);
  for (let p = 0, i = 0; p < n; p++, i += 4) {
    const a = data[i + 3];
    if (a > ALPHA_PURE && a < 255 - ALPHA_PURE) mixed[p] = 1;
    else pure++;
    if (a >= ALPHA_CHECKED) {
      const er = data[i] - B[0], eg = data[i + 1] - B[1], eb = data[i + 2] - B[2];
      const d2 = er * er + eg * eg + eb * eb;
      if (d2 > OFF_LINE * OFF_LINE && ++off > offBudget) return null;
      if (a === 255 && d2 === 0) exact++;
    } else if (a === 0) {
      exact++;
    }
    const v = 255 - a;
    grey[i] = v; grey[i + 1] = v; grey[i + 2] = v; grey[i + 3] = 255;
  }
  return !mixesAreEdges(mixed, data, grey, w, h) ? null : { grey, ink: B, background: null, flat: exact >= EXACT_SHARE * pure };
}

/**
 * Whether the mixes are anti-aliased edges, not a third colour. Not when they form areas: a gradient (many
 * mixes with only mixes round them), or a colour on the line between the two drawn flat (a handle in a tint of
 * the ink, a grey disc's darker shadow: mixes whose four 4-neighbours are of their own colour; an
 * anti-aliased edge has at most three, two along it and the other half of a stroke split between two
 * columns). Nor when they are lines of their own within the ink: a mix with no neighbour nearer the
 * background is a lighter line or dot drawn on the ink (a light grey ring on a dark grey card, on white),
 * where the ink's own thin strokes always have background beside them.
 */
function mixesAreEdges(mixed: Uint8Array, data: Uint8Array, grey: Uint8Array, w: number, h: number): boolean {
  let mixes = 0, deep = 0, flat = 0, within = 0;
  const same = (i: number, j: number): number =>
    Math.abs(data[i] - data[j]) <= FLAT_LEVELS && Math.abs(data[i + 1] - data[j + 1]) <= FLAT_LEVELS
      && Math.abs(data[i + 2] - data[j + 2]) <= FLAT_LEVELS && Math.abs(data[i + 3] - data[j + 3]) <= FLAT_LEVELS ? 1 : 0;
  const W4 = 4 * w;
  for (let y = 1; y < h - 1; y++) {
    for (let p = y * w + 1, end = y * w + w - 1; p < end; p++) {
      if (mixed[p] === 0) continue;
      mixes++;
      const i = 4 * p;
      // (A flat mix's neighbours, of its colour, are mixes too.)
      if (mixed[p - 1] & mixed[p + 1] & mixed[p - w] & mixed[p + w]) {
        deep++;
        if (same(i, i - 4) + same(i, i + 4) + same(i, i - W4) + same(i, i + W4) === 4) flat++;
      }
      // grey is light where the background is: a neighbour nearer the background is lighter.
      const g = grey[i] + LIGHTER_BY;
      if (grey[i - 4] < g && grey[i + 4] < g && grey[i - W4] < g && grey[i + W4] < g
        && grey[i - W4 - 4] < g && grey[i - W4 + 4] < g && grey[i + W4 - 4] < g && grey[i + W4 + 4] < g) within++;
    }
  }
  return deep <= DEEP_MIX_SHARE * mixes && flat <= Math.max(FLAT_MIN, FLAT_SHARE * mixes)
    && within <= Math.max(WITHIN_MIN, WITHIN_SHARE * mixes);
}
