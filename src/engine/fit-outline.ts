/**
 * One outline fitter for the stacked layers (trace.ts): from a closed contour on the pixel-corner lattice
 * to path data, by curve mode.
 * - pixel (and none): the lattice polygon itself, the exact pixel staircase;
 * - polygon: the sub-pixel edge (subpixel.ts) simplified to straight segments (simplify.ts);
 * - spline: the sub-pixel edge fitted as a shape (outline.ts): runs between corners as few cubics as the
 *   tolerance allows, lines where straight, sharp corners where the edges meet.
 */
import type { TraceParameters } from './options.js';
import { FloatBuffer, withCapacity } from './buffers.js';
import { limitPenalties } from './simplify.js';
import { blockCoverage, pixelCoverage, subpixelOutline, type EdgeField } from './subpixel.js';
import { fitOutline, OutlineWorkspace, ANTIALIASED_NOISE, KNOTS_FROM, LONG_FIT, type OutlineParams } from './outline.js';
import type { PathWriter } from './svg.js';
import { ellipseOfMoments, fitEllipse, momentEllipse, sampleError, type Ellipse } from './ellipse.js';
import { fitRoundedRect, pushRoundedRect, type RoundedRect } from './rounded-rect.js';
import { excessTurning, jitter, smoothSamples } from './roughness.js';
import { onImageCorner, onlyTouchesFrame, touchesFrame } from './sampled.js';
import { crispEdges } from './crisp.js';
import { boundsOf, signedArea2, REFINE_ALWAYS } from './bezier.js';
import { overlapNeighbours } from './paint-order.js';

/**
 * Grain (roughness.ts): an outline whose excess turning is below GRAIN_FROM (rad/px) is drawn art and fitted
 * as it is; from there to GRAIN_FULL (a thresholded photo or scan) it is treated more and more as grain:
 * smoothed, fitted to a looser tolerance, with fewer corners. Measured on bench:shapes and the corpus: clean
 * shapes, glyphs and emoji at 48–192 px stay below 0.23 on 9 outlines in 10, a photo's outlines are above 0.27.
 */
const GRAIN_FROM = 0.25;
const GRAIN_FULL = 0.45;
/** Smoothing rounds ([1 2 1] / 4) at full grain. */
const GRAIN_SMOOTHING = 2;
/** Most tolerance (px) added at full grain: a coarse `simplify` is not made coarser still. */
const GRAIN_EXTRA_TOLERANCE = 0.5;
/** From this grain on, every other smoothed sample is fitted (binary mode). */
const GRAIN_DECIMATE_FROM = 0.5;
/**
 * From this grain on, in black and white, a cubic already within tolerance gets GRAIN_REFINE Newton rounds on
 * its parameters instead of REFINE_ALWAYS: smoothed grain is not accurate enough for the rounds to show
 * (same-foreground SSIM moves by at most −0.002) and they cost 5 % of a photo's trace. (Colour layers of a
 * photo lose up to 0.002 SSIM that way.)
 */
const GRAIN_REFINE_FROM = 0.5;
const GRAIN_REFINE = 1;
/**
 * At full grain, a stacked colour layer's edge is moved this far (px) over a neighbour it may overlap
 * (paint-order.ts), to close the seams the looser fit leaves (the launch photos at poster: +0.0012 to
 * +0.0018 SSIM; 0.5 px cost the corpus coffee photo 0.0003).
 */
const GRAIN_OVERLAP = 0.3;
/** Outlines of at most this many samples are not measured: too few turns to tell grain from shape. */
const TINY_OUTLINE = 8;

/** 0 (drawn art) … 1 (grain) from an outline's excess turning. */
function grainOf(excess: number): number {
  return Math.min(1, Math.max(0, (excess - GRAIN_FROM) / (GRAIN_FULL - GRAIN_FROM)));
}

/** An outline is written as an ellipse when all its samples are this close to one (px, at most the tolerance). */
const ELLIPSE_TOLERANCE = 0.3;

/**
 * The same for an aliased outline: its samples, at the middles of the staircase's steps, miss a true
 * ellipse by up to 0.56 px (drawn circles and ellipses of 24 to 96 px radius, thresholded at one half),
 * while the nearest other shape measured (a glyph's counter) misses its best ellipse by 0.73 px.
 */
const ALIASED_ELLIPSE_TOLERANCE = 0.6;

/**
 * Sample noise (px) of an aliased outline: its samples are only known within half a pixel (the standard
 * deviation of a uniform ±½ px error).
 */
const ALIASED_NOISE = 0.29;

/**
 * Outlines whose samples jitter this much (roughness.ts `jitter`, px) are fitted with jitter-robust splits
 * (and smoothed first when long, JITTER_SMOOTH_SAMPLES):
 * above the 0.10 px of clean anti-aliased outlines, below the 0.22 px of the corpus logo's uneven rim.
 */
const JITTER_FROM = 0.16;
/** Outlines of at most this many samples are not measured for jitter. */
const JITTER_MIN_SAMPLES = 40;
/**
 * A jittery outline of this many samples or more is smoothed (JITTER_SMOOTHING rounds of [1 2 1] / 4) before
 * it is fitted: along so long an outline the jitter is uneven anti-aliasing, whose steps the fit would
 * otherwise follow as lumps (the corpus logo's rim, 2 100 samples, wobbled by 0.14 px at the median, 0.06
 * smoothed; the 384 px rainbow +0.72 dB, −26 % bytes). A shorter one's jitter comes from its own small
 * features and corners (the 48 px shapes, up to 183 samples, lose up to 2 dB when smoothed). One round: a
 * second one made the rim rounder still but cost the logo 0.7 dB at simplify 2 (its long textured outlines).
 */
const JITTER_SMOOTH_SAMPLES = 200;
const JITTER_SMOOTHING = 1;

/**
 * A dot at most SMALL_DOT_EXTENT px across is an ellipse when within SMALL_DOT_TOLERANCE px of one (or twice
 * the fitting tolerance, if less): its few samples scatter by about 0.3 px (a handful of unit edges, their
 * coverage read from quantized anti-aliasing), and drawn as a shape it came out square (one of the 48 px dog's
 * freckles, 0.315 px from its ellipse, beside its twin at 0.284). (An aliased outline has its own, larger
 * tolerance.) SMALL_DOT_SAMPLES bounds the samples so that only small outlines are measured.
 */
const SMALL_DOT_EXTENT = 4;
const SMALL_DOT_TOLERANCE = 0.4;
const SMALL_DOT_SAMPLES = 24;
/**
 * A dot with fewer samples than the ellipse fit needs (ellipse.ts MIN_SAMPLES), at most TINY_DOT_EXTENT px
 * across, is the ellipse of the area and moments of its ink (inkEllipse) or outline (momentEllipse) when its
 * samples lie within TINY_DOT_TOLERANCE px of it: a 2 × 1 px sliver is too long for that.
 */
const TINY_DOT_SAMPLES = 10, TINY_DOT_EXTENT = 3, TINY_DOT_TOLERANCE = 0.5;
/** Below this RGB distance between a dot's fill and its parent's, its pixels' coverage is not read (inkEllipse). */
const INK_CONTRAST = 40;

/** Scratch bounding box for extentOf. */
const BOX = new Float64Array(4);

/** The larger side of the samples' bounding box. */
function extentOf(pts: Float64Array, n: number): number {
  boundsOf(pts, 0, n, BOX);
  return Math.max(BOX[2] - BOX[0], BOX[3] - BOX[1]);
}

/**
 * A rounded rectangle's corners have at least this radius (px): anti-aliasing pulls a sharp right angle's tip
 * in by up to 0.65 px over the sine of 45° (outline.ts TIP_SHIFT_SINE), as a round corner of 2.2 px would
 * (a 192 px 45° bar, 7.7 px wide, fitted one of radius 1.1 within 0.3 px), and sharp corners are outline.ts's
 * to keep sharp. (Rectangles 3–20 px wide turned 0–30° fit radii of 0.8 px at most; drawn radii of 1.5 px and
 * more are found within 0.2 px.)
 */
const ROUNDED_RECT_MIN_RADIUS = 2.2;
/**
 * Smaller round corners, from SMALL_ROUND_RADIUS px, when the rounded rectangle fits within SMALL_ROUND_ERROR px:
 * sharp rectangles 3–20 px wide fit radii under 0.9 px, rounded ones of 1 px at most 1.3 px, and the 192 px
 * 45° bar 1.49 px but only within 0.29 px; drawn radii of 1.5 px fit 1.3–1.8 px, mostly within 0.25 px (a
 * 48 px icon's 6 px bars with 1.5 px corners came out as blobs with one corner round and one square; at 0.2 px a
 * 12 × 6 bar turned 30°, fitted within 0.235 px, still did).
 */
const SMALL_ROUND_RADIUS = 1.4, SMALL_ROUND_ERROR = 0.25;
/**
 * An outline accepted as an ellipse is a box instead when a box fits it this much closer (its largest
 * distance). Only an ellipse missing a sample by BOX_CHECK_FROM px or more is checked: one closer cannot be
 * beaten by half of that in a way that shows (and each check costs a fit).
 */
const BOX_OVER_ELLIPSE = 0.5, BOX_CHECK_FROM = 0.15;
/** A rounded rectangle's first guess farther than this (px) from a sample is not refined. */
const ROUNDED_RECT_QUICK_LIMIT = 0.75;

/** Samples in the quick ellipse test of a long outline. */
const QUICK_SAMPLES = 24;

/** Finest fitting tolerance (px), used when `simplify` is 0. */
const MIN_TOLERANCE = 0.2;

/** The shape fitter's parameters from the trace parameters (see the option table for their meaning). */
export function outlineParamsOf(params: TraceParameters, check?: (fraction: number) => void): OutlineParams {
  const deg = Math.PI / 180;
  return {
    cornerAngle: params.cornerThreshold * deg,
    // A piece may turn twice the splice threshold: the default (45°) then allows quarter circles, which one
    // cubic draws within 0.03 % of the radius.
    maxTurn: 2 * params.spliceThreshold * deg,
    tolerance: Math.max(MIN_TOLERANCE, params.simplify),
    maxDepth: params.maxIterations,
    scale: params.lengthThreshold / 2,
    // Every field set, in one order, so that all parameter objects share one shape (the fitter's hot loops
    // read them).
    noise: ANTIALIASED_NOISE,
    refine: REFINE_ALWAYS,
    check,
    stretches: true,
    arcs: true,
    jittery: false,
    relax: true,
    splitPointed: true,
    trimUTurns: true,
    frameWidth: 0,
    frameHeight: 0,
  };
}

/** The shape fitter's parameters for samples known only within half a pixel (an aliased outline, a stroke's pixel centres). */
export function aliasedOutlineParams(params: TraceParameters, check?: (fraction: number) => void): OutlineParams {
  const p = outlineParamsOf(params, check);
  return { ...p, scale: 2 * p.scale, noise: ALIASED_NOISE };
}

export class OutlineFitter {
  private readonly mode: 'pixel' | 'polygon' | 'spline';
  private readonly samples = new FloatBuffer(1024);
  private readonly simple = new FloatBuffer(1024);
  private readonly curves = new FloatBuffer(1024);
  /** Per sample, 1 where the region may overlap the layer across its edge (paint-order.ts), for fitContour's outline. */
  private readonly over = new FloatBuffer(1024);
  private readonly ws = new OutlineWorkspace();
  private readonly params: OutlineParams;
  /** For aliased outlines (subpixel.ts): corners and edges measured over twice the span, samples ±½ px. */
  private readonly aliasedParams: OutlineParams;
  /** Reused for each grainy outline's parameters (grainParams). */
  private readonly grainy: OutlineParams;
  private readonly jitteryParams: OutlineParams;
  private tmp = new Float64Array(1024);
  /** The pixels behind the outline being fitted (fitContour), for the corners' coverage check. */
  private field: EdgeField | null = null;
  private readonly probe = (x: number, y: number): number => pixelCoverage(this.field!, x, y);
  private readonly blockProbe = (px0: number, py0: number, size: number, out: Float64Array): boolean => blockCoverage(this.field!, px0, py0, size, out);
  private readonly binary: boolean;
  /** The image's size (setFrame), 0 when not set. */
  private frameWidth = 0;
  private frameHeight = 0;

  /**
   * `check` as in OutlineParams: called now and then inside a long outline with the share of it done.
   * `flatArt`: the image is flat art whose blends were keyed (blend-keying.ts): no grain on anti-aliased outlines.
   */
  constructor(params: TraceParameters, check?: (fraction: number) => void, private readonly flatArt = false) {
    this.mode = params.mode === 'none' ? 'pixel' : params.mode;
    this.params = outlineParamsOf(params, check);
    this.aliasedParams = aliasedOutlineParams(params, check);
    this.grainy = { ...this.params };
    this.jitteryParams = { ...this.params, jittery: true };
    this.binary = params.colorMode === 'binary';
  }

  /**
   * The image's size: no rounded rectangle is drawn along its frame, and with `exits`, outlines get knots where
   * they leave it at an angle (OutlineParams.frameWidth).
   */
  setFrame(width: number, height: number, exits = true): void {
    this.frameWidth = width;
    this.frameHeight = height;
    if (!exits) return;
    for (const p of [this.params, this.aliasedParams, this.jitteryParams]) {
      p.frameWidth = width;
      p.frameHeight = height;
    }
  }

  /** Writes the closed lattice contour `from`..`to` of `pts` (corner vertices) as one subpath. */
  fitContour(pts: Int32Array, from: number, to: number, field: EdgeField, writer: PathWriter): void {
    if (to - from < 3) return;
    if (this.mode === 'pixel') {
      writer.moveTo(pts[2 * from], pts[2 * from + 1]);
      for (let v = from + 1; v < to; v++) writer.lineTo(pts[2 * v], pts[2 * v + 1]);
      writer.close();
      return;
    }
    const aliased = subpixelOutline(pts, from, to, field, this.samples, true, field.paint ? this.over : undefined);
    this.field = field;
    this.ws.coverage = this.probe;
    this.ws.blockCoverage = this.blockProbe;
    const n = this.samples.length >> 1;
    if (n < 3) return;
    if (this.mode === 'polygon') {
      limitPenalties(this.samples.data, n, this.simple);
      const m = this.simple.length >> 1;
      if (m < 3) return;
      const poly = this.simple.data;
      writer.moveTo(poly[0], poly[1]);
      for (let v = 1; v < m; v++) writer.lineTo(poly[2 * v], poly[2 * v + 1]);
      writer.close();
      return;
    }
    const e = this.fitShape(n, true, aliased, field.paint ? this.over.data : null);
    if (e) {
      writeEllipse(e, ellipseSweep(this.samples.data, n), writer);
      return;
    }
    const s = this.curves.data;
    if (this.curves.length < 8) return;
    writer.moveTo(s[0], s[1]);
    for (let o = 2; o + 6 <= this.curves.length; o += 6) writer.cubicTo(s[o], s[o + 1], s[o + 2], s[o + 3], s[o + 4], s[o + 5]);
    writer.close();
  }

  /**
   * The cutout mosaic's border between two regions (mosaic.ts), as sub-pixel samples (subpixel.ts, closed or
   * open with its end samples pinned), fitted as a shape: a Spline (start point, 6 numbers per cubic); a loop
   * on an ellipse as four cubics (within 0.03 % of it), so that both regions draw the very same curve.
   */
  fitChain(samples: Float64Array, m: number, closed: boolean, aliased: boolean): Float64Array {
    this.samples.clear();
    for (let i = 0; i < m; i++) this.samples.push2(samples[2 * i], samples[2 * i + 1]);
    // A mosaic border belongs to two regions: no coverage check of its corners, nor crisp-edge test.
    this.ws.coverage = null;
    this.ws.blockCoverage = null;
    this.field = null;
    const e = this.fitShape(m, closed, aliased, null);
    if (e) return ellipseCubics(e, ellipseSweep(this.samples.data, m));
    return this.curves.data.slice(0, this.curves.length);
  }

  /**
   * The shape of this.samples (n of them): the ellipse they lie on, for a closed outline without grain (an
   * ellipse turns one way only, so a grainy outline is never tried), else null with the shape in
   * this.curves: a rounded rectangle when it is one (same conditions), else the outline fitted, after
   * smoothing the samples if grainy. `over`: the samples' overlap flags (subpixelOutline),
   * for a stacked layer's outline; else null.
   */
  private fitShape(n: number, closed: boolean, aliased: boolean, over: Float64Array | null): Ellipse | null {
    // A long outline reports its progress (outline.ts KNOTS_FROM) as its samples are measured and smoothed.
    const tick = n >= LONG_FIT ? this.params.check : undefined;
    tick?.(KNOTS_FROM / 3);
    // In flat art (stage 0′ keyed the image) an anti-aliased outline that wiggles is drawn so (a chip's pins, a
    // glyph's serifs, teeth on a gear): smoothed as grain, with a looser fit, the features went and the shapes
    // round them bulged (the white round a 48 px chip and its badge was fitted 1 px off the badge's circle,
    // showing the chip's grey between). An aliased outline's staircase is still measured as grain.
    let grain = n > TINY_OUTLINE && !(this.flatArt && !aliased) ? grainOf(excessTurning(this.samples.data, n, closed)) : 0;
    // A small drawn shape (a glyph at 16 px) turns as much per pixel as grain; its crisp edges say it is drawn.
    if (grain > 0 && closed && !aliased && this.field !== null && crispEdges(this.field, this.samples.data, n)) grain = 0;
    const e = closed && grain === 0 ? this.ellipseOf(this.samples.data, n, aliased) : null;
    if (e && e.maxError < BOX_CHECK_FROM) return e;
    if (e) {
      // A small box's corners, rounded by anti-aliasing or cut by its staircase, fit an ellipse within its
      // tolerance; they fit a box far better (a 4 × 6 px door in a 48 px line icon was drawn as an ellipse).
      const box = fitRoundedRect(this.samples.data, n, BOX_OVER_ELLIPSE * e.maxError, ROUNDED_RECT_QUICK_LIMIT);
      if (!box) return e;
      if (this.drawRoundedRect(box, n)) return null;
    } else if (closed && grain === 0 && !aliased && this.roundedRectOf(n)) {
      // A rounded rectangle (an eye, a pill, a button) drawn whole: lines and quarter circles.
      return null;
    }
    tick?.((2 * KNOTS_FROM) / 3);
    let params = aliased ? this.aliasedParams : this.params;
    if (grain === 0 && !aliased && n > JITTER_MIN_SAMPLES && jitter(this.samples.data, n, closed) >= JITTER_FROM) {
      params = this.jitteryParams;
      if (n >= JITTER_SMOOTH_SAMPLES) {
        this.tmp = withCapacity(this.tmp, 2 * n);
        smoothSamples(this.samples.data, n, JITTER_SMOOTHING, this.tmp, closed);
      }
    }
    if (grain > 0) {
      this.tmp = withCapacity(this.tmp, 2 * n);
      const rounds = Math.round(GRAIN_SMOOTHING * grain);
      // The image's corners stay: samples on its frame are smoothed along it only, and one on a corner of the
      // image is a sharp knot (a photo's layer under a corner was rounded off there, showing the canvas).
      const corners = closed && this.frameWidth > 0;
      smoothSamples(this.samples.data, n, rounds, this.tmp, closed, corners ? this.frameWidth : 0, corners ? this.frameHeight : 0);
      // Seams between stacked neighbours open where both fits fall short of the boundary: grain's looser fit.
      if (over !== null && closed) overlapNeighbours(this.samples.data, over, n, GRAIN_OVERLAP * grain, rounds, this.tmp);
      params = this.grainParams(grain);
      params.imageWidth = corners ? this.frameWidth : 0;
      params.imageHeight = corners ? this.frameHeight : 0;
      // Smoothed grain has no detail at the pixel scale left: in black and white every other sample carries
      // the shape, at half the fitting cost. (Colour layers of a photo lose up to 0.005 SSIM that way.)
      if (this.binary && grain >= GRAIN_DECIMATE_FROM && n > 8) n = decimate(this.samples.data, n, 2, closed, params.imageWidth ?? 0, params.imageHeight ?? 0);
    }
    tick?.(KNOTS_FROM);
    fitOutline(this.samples.data, n, closed, params, this.ws, this.curves);
    return null;
  }

  /** Fit parameters for a grainy outline: up to twice the tolerance (+0.5 px at most), corners halfway to never. */
  private grainParams(grain: number): OutlineParams {
    const p = this.params;
    const g = this.grainy;
    g.tolerance = p.tolerance + grain * Math.min(p.tolerance, GRAIN_EXTRA_TOLERANCE);
    g.cornerAngle = p.cornerAngle + ((Math.PI - p.cornerAngle) * grain) / 2;
    g.refine = this.binary && grain >= GRAIN_REFINE_FROM ? GRAIN_REFINE : p.refine;
    g.stretches = false;
    g.arcs = false;
    g.relax = false;
    g.splitPointed = false;
    g.trimUTurns = false;
    g.frameWidth = g.frameHeight = 0;
    return g;
  }

  /**
   * Whether the samples lie on a rounded rectangle (rounded-rect.ts; within the ellipse's tolerance, corners
   * of ROUNDED_RECT_MIN_RADIUS or more): if so, its lines and arcs are in this.curves.
   */
  private roundedRectOf(n: number): boolean {
    const limit = Math.min(ELLIPSE_TOLERANCE, this.params.tolerance);
    // An outline along the image's frame is cut by it: its corners there are the frame's, sharp.
    // (A stadium whose round end touches the frame, in one or two samples, is whole.)
    if (touchesFrame(this.samples.data, n, 0, n - 1, this.frameWidth, this.frameHeight) && !onlyTouchesFrame(this.samples.data, n, this.frameWidth, this.frameHeight)) return false;
    return this.drawRoundedRect(fitRoundedRect(this.samples.data, n, limit, ROUNDED_RECT_QUICK_LIMIT), n);
  }

  /** Puts rounded rectangle `rr` into this.curves when its corners are round (ROUNDED_RECT_MIN_RADIUS or more). */
  private drawRoundedRect(rr: RoundedRect | null, n: number): boolean {
    if (!rr || rr.r < (rr.maxError <= SMALL_ROUND_ERROR ? SMALL_ROUND_RADIUS : ROUNDED_RECT_MIN_RADIUS)) return false;
    pushRoundedRect(rr, ellipseSweep(this.samples.data, n), this.curves);
    return true;
  }

  /**
   * The ellipse the samples lie on (within ELLIPSE_TOLERANCE and the fit tolerance; a small dot within
   * SMALL_DOT_TOLERANCE; an aliased outline within ALIASED_ELLIPSE_TOLERANCE), or null.
   */
  private ellipseOf(pts: Float64Array, n: number, aliased: boolean): Ellipse | null {
    let limit = aliased ? ALIASED_ELLIPSE_TOLERANCE : Math.min(ELLIPSE_TOLERANCE, this.params.tolerance);
    if (!aliased && n <= SMALL_DOT_SAMPLES && extentOf(pts, n) <= SMALL_DOT_EXTENT) {
      limit = Math.max(limit, Math.min(SMALL_DOT_TOLERANCE, 2 * this.params.tolerance));
    }
    // Most outlines (a photo's wiggly regions) are far from any ellipse: a fit to every few samples tells
    // that at a fraction of the cost; only a near miss is fitted in full.
    const stride = Math.floor(n / QUICK_SAMPLES);
    if (stride > 1) {
      const quick = fitEllipse(pts, n, stride);
      if (!quick || quick.maxError > 2 * limit) return null;
    }
    if ((!aliased || !this.binary) && n < TINY_DOT_SAMPLES && extentOf(pts, n) <= TINY_DOT_EXTENT) {
      // A dot of a pixel or two (a 48 px dog's smallest freckles, a small "i"'s dot): too few samples to test a
      // fit; the area and moments of its ink (inkEllipse, stacked colour layers), else of its outline, say how
      // large and round it is (drawn as a shape, it came out a diamond; from its two keyed pixels' outline, a
      // 2:1 ellipse where the freckle is round). In colour also when it reads as aliased: a blend-keyed dot of
      // two pixels has no pixel further in to measure its coverage against. (In black and white, a speck that
      // sharp is a thresholded one.)
      const m = (this.field !== null && !this.binary ? this.inkEllipse(pts, n) : null) ?? momentEllipse(pts, n);
      return m && m.maxError <= TINY_DOT_TOLERANCE ? m : null;
    }
    const e = fitEllipse(pts, n);
    return e && e.maxError <= limit && Math.min(e.rx, e.ry) >= 1 ? e : null;
  }

  /**
   * The ellipse of a tiny dot's ink, from the true pixels round it (stacked colour layers): each pixel's
   * coverage, its colour projected between the fill of the layer the dot is drawn over and the dot's own,
   * weighs the pixel's centre and spread in the moments. A dot keyed from its mixes covers whole
   * pixels (two side by side for a round 1.5 px freckle); its ink says how round it is. Null when the window
   * shows no contrast. `maxError` as sampleError against the samples.
   */
  private inkEllipse(pts: Float64Array, n: number): Ellipse | null {
    const f = this.field!;
    const { data, width: w, height: h } = f;
    // The dot's colour and the colour it is drawn over: its layer's fill and its parent's (stacked layers).
    const paint = f.paint;
    if (paint === undefined) return null;
    const inner = paint.order.fill[f.lo], outer = paint.order.parentFill[paint.rank];
    if (outer < 0) return null;
    const ir = inner >> 16, ig = (inner >> 8) & 255, ib = inner & 255;
    const or = outer >> 16, og = (outer >> 8) & 255, ob = outer & 255;
    boundsOf(pts, 0, n, BOX);
    const x0 = Math.max(0, Math.floor(BOX[0]) - 1), y0 = Math.max(0, Math.floor(BOX[1]) - 1);
    const x1 = Math.min(w - 1, Math.ceil(BOX[2])), y1 = Math.min(h - 1, Math.ceil(BOX[3]));
    const dr = ir - or, dg = ig - og, db = ib - ob, dd = dr * dr + dg * dg + db * db;
    if (dd < INK_CONTRAST * INK_CONTRAST) return null;
    let m0 = 0, mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const q = 4 * (y * w + x);
        const a = Math.min(1, Math.max(0, ((data[q] - or) * dr + (data[q + 1] - og) * dg + (data[q + 2] - ob) * db) / dd));
        const cx = x + 0.5, cy = y + 0.5;
        m0 += a; mx += a * cx; my += a * cy;
        // A pixel's own spread: a unit square's variance, 1/12 along each axis.
        mxx += a * (cx * cx + 1 / 12); myy += a * (cy * cy + 1 / 12); mxy += a * cx * cy;
      }
    }
    if (m0 <= 0) return null;
    const cx = mx / m0, cy = my / m0;
    const e = ellipseOfMoments(m0, cx, cy, mxx / m0 - cx * cx, myy / m0 - cy * cy, mxy / m0 - cx * cy);
    if (e) e.maxError = sampleError(e, pts, n);
    return e;
  }
}

/** Keeps every step-th sample in place (an open chain keeps its last one too); returns the new count. */
function decimate(pts: Float64Array, n: number, step: number, closed: boolean, w = 0, h = 0): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    // Every step-th sample, and any on a corner of a w × h image (w > 0).
    const x = pts[2 * i], y = pts[2 * i + 1];
    if (i % step !== 0 && !(w > 0 && onImageCorner(x, y, w, h))) continue;
    pts[2 * m] = x;
    pts[2 * m + 1] = y;
    m++;
  }
  if (!closed && (n - 1) % step !== 0) {
    pts[2 * m] = pts[2 * n - 2];
    pts[2 * m + 1] = pts[2 * n - 1];
    m++;
  }
  return m;
}

/** 1 when a closed outline turns clockwise on screen (outer outlines), 0 otherwise (holes): the arcs' sweep. */
function ellipseSweep(pts: Float64Array, n: number): number {
  return signedArea2(pts, 0, n) > 0 ? 1 : 0;
}

/**
 * Writes an ellipse as two half-ellipse arcs from the ends of its first axis, turning the way `sweep` says
 * (PathWriter.halfEllipseTo: a half arc's radii are written so that rounding cannot move its centre).
 */
function writeEllipse(e: Ellipse, sweep: number, writer: PathWriter): void {
  const co = Math.cos(e.angle), si = Math.sin(e.angle);
  const deg = (e.angle * 180) / Math.PI;
  writer.moveTo(e.cx + e.rx * co, e.cy + e.rx * si);
  writer.halfEllipseTo(e.rx, e.ry, deg, sweep, e.cx - e.rx * co, e.cy - e.rx * si);
  writer.halfEllipseTo(e.rx, e.ry, deg, sweep, e.cx + e.rx * co, e.cy + e.rx * si);
  writer.close();
}

/** Handle length of a quarter circle of radius 1 drawn as one cubic. */
const KAPPA = 0.5522847498;

/** An ellipse as a Spline of four quarter cubics from the end of its first axis, turning the way `sweep` says. */
function ellipseCubics(e: Ellipse, sweep: number): Float64Array {
  const co = Math.cos(e.angle), si = Math.sin(e.angle);
  const s = sweep === 1 ? 1 : -1;
  // Point and tangent at parameter t (multiples of a quarter turn) in the ellipse's frame, then rotated.
  const at = (u: number, v: number): [number, number] => [e.cx + u * co - v * si, e.cy + u * si + v * co];
  const out = new Float64Array(2 + 24);
  const start = at(e.rx, 0);
  out[0] = start[0]; out[1] = start[1];
  for (let q = 0; q < 4; q++) {
    const a0 = (s * q * Math.PI) / 2, a1 = (s * (q + 1) * Math.PI) / 2;
    const c0 = Math.cos(a0), s0 = Math.sin(a0), c1 = Math.cos(a1), s1 = Math.sin(a1);
    const h1 = at(e.rx * (c0 - s * KAPPA * s0), e.ry * (s0 + s * KAPPA * c0));
    const h2 = at(e.rx * (c1 + s * KAPPA * s1), e.ry * (s1 - s * KAPPA * c1));
    const p = at(e.rx * c1, e.ry * s1);
    out.set([h1[0], h1[1], h2[0], h2[1], p[0], p[1]], 2 + 6 * q);
  }
  return out;
}
