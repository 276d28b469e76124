/**
 * The pipeline: validate, build layers (colour clustering or binary threshold), then for each layer walk
 * its contours, fit them according to `mode` (fit-outline.ts), and write one `<path>` per layer. docs/engine.md numbers
 * the stages and shows what passes between them (types.ts) and which buffers each one reuses.
 */
import { validateOptions, type TraceOptions, type TraceParameters } from './options.js';
import { checkImage } from './image.js';
import { pixelArtParameters } from './pixel-art.js';
import { EVERY_64, Progress, STAGE_SLICES } from './progress.js';
import { clusterColors } from './clustering.js';
import { DOT_FILL, binaryLayers, isDistinctDot, isSoftEdged, isSolidBlock } from './binary.js';
import { mosaicPaths } from './mosaic.js';
import { keyBlends } from './blend-keying.js';
import { ContourSet, traceContours } from './contours.js';
import { OutlineFitter } from './fit-outline.js';
import { boundsOf, signedArea2 } from './bezier.js';
import { inkShift, type EdgeField } from './subpixel.js';
import { paintOrderOf } from './paint-order.js';
import { claimFrameSlivers } from './frame-slivers.js';
import { PathWriter, hexColor, svgDocument } from './svg.js';
import { centerlinePaths } from './centerline/index.js';
import { twoTone, type TwoTone } from './two-tone.js';
import { Workspace } from './memory.js';
import type { LayerSet, PathEntry, RgbaImage, TraceResult } from './types.js';

/** Traces an RGBA image to SVG text. Synchronous and pure: safe in worker threads and browsers. */
export function traceRgba(image: RgbaImage, options: TraceOptions = {}): string {
  return traceRgbaDetailed(image, options).svg;
}

export function traceRgbaDetailed(image: RgbaImage, options: TraceOptions = {}): TraceResult {
  const requested = validateOptions(options);
  const data = checkImage(image);
  const { width: w, height: h } = image;
  // Pixel art is drawn pixel for pixel (pixel-art.ts): its own parameters from here on.
  const params = pixelArtParameters(requested, data, w, h);
  const pixelArt = params !== requested;
  const progress = new Progress(options.onProgress, options.signal);
  const ws = new Workspace();
  let paths: PathEntry[];
  try {
    const centerline = params.drawStyle === 'centerline';
    // One ink colour on one background: traced on the binary path, then painted (two-tone.ts).
    const duo = params.colorMode === 'color' && !centerline && !pixelArt && params.hierarchical === 'stacked'
      && (params.mode === 'spline' || params.mode === 'polygon') && params.palette.length === 0 && params.maxColors !== 1
      ? twoTone(data, w, h) : null;
    paths = (duo && twoTonePaths(duo, w, h, params, progress, ws, options.onPath))
      ?? layerPaths(data, w, h, params, pixelArt, progress, ws, options.onPath);
  } finally {
    ws.release();
  }
  progress.finish();
  const svg = svgDocument(w, h, paths, params.scale, params.optimize >= 2);
  return { svg, width: w, height: h, pathCount: paths.length, pixelArt };
}

/** The layers' paths by the colour path or the binary one, as the options say (stages 0′ to 9). */
function layerPaths(
  data: Uint8Array, w: number, h: number, params: TraceParameters, pixelArt: boolean, progress: Progress, ws: Workspace,
  onPath?: (path: PathEntry) => void,
): PathEntry[] {
  const centerline = params.drawStyle === 'centerline';
  // Flat art: a thin stroke's anti-aliased pixels keyed to the colour they hold more of (blend-keying.ts);
  // the layers are built from the keyed copy, the sub-pixel edges read the true pixels.
  // (Not pixel art: its pixels are all meant, a shade of its ramp between two colours too.)
  const keyed = params.colorMode === 'color' && !centerline && !pixelArt ? keyBlends(data, w, h, () => progress.checkAbort()) : null;
  const layerSet = params.colorMode === 'binary'
    ? binaryLayers(data, w, h, params, progress, ws)
    : clusterColors(keyed ?? data, w, h, {
      colorPrecision: params.colorPrecision,
      layerDifference: params.layerDifference,
      filterSpeckle: params.filterSpeckle,
      keepDots: params.keepDots,
      // Centerline wants each pixel's own colour region (disjoint layers), whatever the layering.
      cutout: params.hierarchical === 'cutout' || centerline,
      maxColors: params.maxColors,
      palette: params.palette,
      unkeyed: keyed !== null ? data : undefined,
    }, progress, ws);

  const pathsSlice: readonly [number, number] = params.colorMode === 'binary' ? STAGE_SLICES.binaryPaths : STAGE_SLICES.colorPaths;
  progress.stage(...pathsSlice);
  return centerline
    ? centerlinePaths(data, layerSet, params, progress, ws, onPath)
    : params.colorMode === 'color' && params.hierarchical === 'cutout'
      ? mosaicPaths(layerSet, data, keyed !== null, params, progress, ws, onPath)
      : writeLayers(layerSet, data, keyed !== null, params, progress, ws, onPath);
}

/**
 * A two-tone image's paths, or null when its strokes are all a pixel wide or more: the background (when
 * opaque) as one rectangle, then the binary path's outlines of its ink share, painted in the ink colour. The
 * colour options hold for the binary ones they share (speckle, corners, curves); the threshold is half cover.
 * The binary path is taken only for its handling of strokes under a pixel wide (binary.ts withHairlines:
 * MIN_JOINED pixels joined or more), which colour keying breaks into pieces (a 16 px serif line); elsewhere
 * both read the same pixels, and the colour path, whose merging of a lone mix pixel at a concave corner
 * places it better (a small X), is kept.
 */
function twoTonePaths(
  duo: TwoTone, w: number, h: number, params: TraceParameters, progress: Progress, ws: Workspace,
  onPath?: (path: PathEntry) => void,
): PathEntry[] | null {
  const binary: TraceParameters = { ...params, colorMode: 'binary', binaryThreshold: 128, invert: false, adaptive: false };
  const layerSet = binaryLayers(duo.grey, w, h, binary, progress, ws, MIN_JOINED);
  if (!layerSet) return null;
  const paths: PathEntry[] = [];
  if (duo.background) {
    const [r, g, b] = duo.background;
    const entry = { d: `M0 0H${w}V${h}H0z`, fill: hexColor(r, g, b) };
    paths.push(entry);
    onPath?.(entry);
  }
  progress.stage(...STAGE_SLICES.binaryPaths);
  const fill = hexColor(duo.ink[0], duo.ink[1], duo.ink[2]);
  for (const entry of writeLayers(layerSet, duo.grey, duo.flat, binary, progress, ws)) {
    const painted = { d: entry.d, fill };
    paths.push(painted);
    onPath?.(painted);
  }
  return paths;
}

/**
 * Pixels of sub-pixel strokes a two-tone image needs for the binary path (twoTonePaths): lines of bold text
 * join 0–1, of regular serif text at 12–20 px 4–28.
 */
const MIN_JOINED = 3;

/** Outlines of this many vertices or more report progress before they are fitted (they take a while). */
const LONG_OUTLINE = 1024;

/** True when lattice contour from..to is a hole (counter-clockwise on screen) enclosing fewer than `limit` pixels. */
function isSmallHole(pts: Int32Array, from: number, to: number, limit: number): boolean {
  const a2 = signedArea2(pts, from, to);
  return a2 < 0 && -a2 < 2 * limit;
}

/** Scratch bounding box for isDistinctHole. */
const HOLE_BOX = new Float64Array(4);

/**
 * Whether small hole from..to (a lattice contour of the layer keyed `layer`) is a dot by binary.ts's rule
 * (keepDots): its pixels (in its bounding box, not the layer's: a hole that small holds no other hole) against
 * its bounding box and the threshold. A hole's pixels are background: light, unless `invert`.
 */
function isDistinctHole(
  pts: Int32Array, from: number, to: number, key: Int32Array, layer: number, luma: Float32Array, w: number, threshold: number, invert: boolean,
): boolean {
  boundsOf(pts, from, to, HOLE_BOX);
  const x0 = HOLE_BOX[0], y0 = HOLE_BOX[1], x1 = HOLE_BOX[2], y1 = HOLE_BOX[3];
  const box = (x1 - x0) * (y1 - y0);
  if (-signedArea2(pts, from, to) < 2 * DOT_FILL * box) return false;
  let count = 0, sum = 0;
  for (let y = y0; y < y1; y++) {
    for (let p = y * w + x0, end = y * w + x1; p < end; p++) {
      if (key[p] !== layer) { count++; sum += luma[p]; }
    }
  }
  return count > 0 && isDistinctDot(count, box, sum / count, threshold, invert)
    && (isSoftEdged(luma, w, x0, y0, x1, y1) || isSolidBlock(count, x1 - x0, y1 - y0));
}

function writeLayers(
  set: LayerSet, data: Uint8Array, keyed: boolean, params: TraceParameters, progress: Progress, ws: Workspace,
  onPath?: (path: PathEntry) => void,
): PathEntry[] {
  const { key, width: w, height: h, layers } = set;
  // REUSE: the contour stamps go into the layer set's spare per-pixel array when it has one (colour: the
  // merge's region map; binary labels runs, not pixels, and has none: a zeroed array). Stamps are −2, −3, …:
  // never a value the scratch (−1 or more) or a zeroed array already holds.
  const seen = set.scratch && set.scratch.length >= w * h ? set.scratch : ws.int32(w * h, 0);
  const contours = new ContourSet();
  let totalArea = 0;
  for (const layer of layers) totalArea += layer.area;
  // Progress moves through a layer by its outlines' vertices (one huge outline can hold most of the work),
  // and through one long outline as the fitter reports it: the stage fraction at the current outline's
  // start and the share that outline carries.
  let outlineStart = 0, outlineShare = 0;
  const fitter = new OutlineFitter(params, (fraction) => progress.update(outlineStart + fraction * outlineShare), keyed);
  // Outlines get knots where the image's frame cuts their shapes (OutlineParams.frameWidth).
  fitter.setFrame(w, h);
  let doneArea = 0;
  const paths: PathEntry[] = [];
  const check = (): void => progress.checkAbort();
  const writer = new PathWriter(params.pathPrecision, params.optimize);
  // Binary mode: holes smaller than the speckle area are filled, as specks are dropped (Potrace's turdsize
  // does both): a thresholded photo is riddled with one-pixel holes, each an outline of its own. (Whatever
  // lies inside such a hole is another component, drawn after this one.) Colour layers keep every hole:
  // what shows through is painted below them.
  const minHole = params.colorMode === 'binary' ? params.filterSpeckle * params.filterSpeckle : 0;
  // keepDots: a small hole that is a clear dot stays open (binary.ts's rule, as for the components).
  const holeDots = params.keepDots && !params.adaptive && set.luma ? set.luma : null;
  // Stacked colour layers: which neighbours each may overlap (paint-order.ts).
  const order = params.colorMode === 'color' ? paintOrderOf(layers) : null;
  if (order) claimFrameSlivers(set, data, order.fill);

  // A grey ink's contour lies inside its true edge (subpixel.ts inkShift); measured once, for a drawn image
  // with one threshold.
  const shift = set.luma !== undefined && set.inkLevel !== undefined && !params.adaptive ? inkShift(set.inkLevel, set.luma, w) : 0;
  for (let li = 0; li < layers.length; li++) {
    const layer = layers[li];
    contours.clear();
    progress.checkAbort();
    traceContours({ key, width: w, height: h, lo: layer.lo, len: layer.len, diagonal: params.colorMode === 'binary' || keyed, openCorners: set.openCorners }, layer.pixels, seen, -2 - li, contours, check);
    progress.checkAbort();
    writer.reset();
    const field: EdgeField = {
      data, width: w, height: h, key, lo: layer.lo, len: layer.len, luma: set.luma, inkLevel: set.inkLevel,
      inkShift: shift,
      paint: order ? { order, rank: li } : undefined,
    };
    const pts = contours.points.data;
    const count = contours.count;
    const layerShare = totalArea > 0 ? layer.area / totalArea : 0;
    const vertexShare = layerShare / Math.max(1, contours.points.length >> 1);
    let doneVertices = 0;
    for (let c = 0; c < count; c++) {
      const from = contours.vertexStart(c), to = contours.vertexEnd(c);
      outlineStart = (totalArea > 0 ? doneArea / totalArea : 0) + doneVertices * vertexShare;
      outlineShare = (to - from) * vertexShare;
      doneVertices += to - from;
      if ((c & EVERY_64) === EVERY_64 || to - from >= LONG_OUTLINE) progress.update(outlineStart);
      if (minHole > 0 && isSmallHole(pts, from, to, minHole)
        && !(holeDots && isDistinctHole(pts, from, to, key, layer.lo, holeDots, w, params.binaryThreshold, params.invert))) continue;
      fitter.fitContour(pts, from, to, field, writer);
    }
    if (!writer.empty) {
      const entry = { d: writer.toString(), fill: hexColor(layer.r, layer.g, layer.b) };
      paths.push(entry);
      onPath?.(entry);
    }
    doneArea += layer.area;
    progress.update(totalArea > 0 ? doneArea / totalArea : 1);
  }
  return paths;
}
