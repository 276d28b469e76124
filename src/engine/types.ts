/**
 * The types that pass between the engine's stages (docs/engine.md draws the pipeline), each with the layout
 * of its flat arrays. Stages import these from here, not from one another.
 */
import type { IntBuffer } from './buffers.js';

/** An RGBA image: 4 bytes per pixel, row-major, straight (not premultiplied) alpha. */
export interface RgbaImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

/** What a trace produced, for callers that want more than the SVG text (the web page, the service). */
export interface TraceResult {
  svg: string;
  width: number;
  height: number;
  /** Number of `<path>` elements written. */
  pathCount: number;
  /** True when the image was drawn pixel for pixel as pixel art (option `pixelArt`, pixel-art.ts). */
  pixelArt: boolean;
}

/**
 * Stage 1 → stage 2 (clustering.ts → merge.ts): one label per pixel, row-major; -1 for a transparent pixel,
 * else 0 … count − 1, regions numbered in raster order of their first pixel.
 */
export interface RegionLabels {
  label: Int32Array;
  count: number;
  /** One int per pixel stage 1 no longer needs (any content): stage 2 links its pixel lists through it. */
  scratch: Int32Array;
}

/** Stage 2 → layers (merge.ts → clustering.ts): the merge tree over stage-1 regions. */
export interface MergeTree {
  /** Merge-tree parent of each stage-1 region (-1 for roots). */
  parent: Int32Array;
  /** Layers (stage-1 regions that deepened, and roots) in the order they were made: smallest first, roots last. */
  layerOrder: number[];
  /** Every stage-1 region once, in the order it merged away (or became a root): parents come after children. */
  order: Int32Array;
  /**
   * Memory the merge no longer needs, handed on so that later stages do not fault in fresh pages (costly on
   * large images): at least 2 ints per stage-1 region (the layer pass's cluster owners), and two arrays of one
   * int per pixel (the sorted contour candidates; the contour stamps). Any content.
   */
  spareRegions: Int32Array;
  sparePixels: [Int32Array, Int32Array];
}

/** One output layer: a set of pixels given without copying them, and its fill. */
export interface Layer {
  /** The layer's pixels are those with lo <= key[p] < lo + len (LayerSet.key). */
  lo: number;
  len: number;
  /**
   * Pixels to scan for the starts of the layer's contours, in raster order: a superset of them (pixels whose
   * upper neighbour is in another stage-1 cluster), a slice of one array shared by all layers.
   */
  pixels: Int32Array;
  r: number;
  g: number;
  b: number;
  /** Number of pixels of the layer (for progress weighting). */
  area: number;
}

/** Layers → contours (clustering.ts or binary.ts → trace.ts or mosaic.ts). */
export interface LayerSet {
  /**
   * One key per pixel, row-major; -1 (or any negative) for pixels in no layer. Stacked: a layer and every
   * layer drawn over it are one contiguous key range. Cutout and binary: one key per layer (len 1).
   */
  key: Int32Array;
  width: number;
  height: number;
  /** In painting order: background first. */
  layers: Layer[];
  /** One int per pixel the layers no longer need, for the contour stamps: any values of −1 or more. */
  scratch?: Int32Array;
  /**
   * Binary mode: each pixel's luminance over white (0–255), what the threshold compared; the sub-pixel edges
   * measure coverage on it (subpixel.ts).
   */
  luma?: Float32Array;
  /**
   * Binary mode: the lattice corners (index y · (width + 1) + x, ascending) where two pixels of ink touching
   * only diagonally are not connected, the background passing between them (binary.ts opensAt).
   */
  openCorners?: Int32Array;
  /** Binary mode, drawn images (not toned: binary.ts withHairlines): see InkLevel. */
  inkLevel?: InkLevel;
}

/**
 * The ink level of a drawn image in binary mode: `ink` is the luminance of its most inked pixel (the darkest;
 * the lightest when `invert`), NaN until first asked for. A thin stroke whose most inked pixel near holds less
 * than PURE_INK of that ink has no pure pixel to measure its cover against (a 1 px line split half and half
 * between two rows, its own pixels all mixes): it is measured against the image's ink (subpixel.ts
 * inkReference), or it was drawn 1.75 px thick.
 */
export interface InkLevel {
  /** The threshold (luminance): a region's pixel on the background's side of it is a joined hairline's. */
  threshold: number;
  invert: boolean;
  ink: number;
  /** Background pixels joined to the ink: split hairlines' and ridges' (binary.ts withHairlines). */
  joined: number;
}

/** The region a contour walk follows: pixel p is inside when `(key[p] - lo) >>> 0 < len` (a Layer's range). */
export interface RegionMask {
  key: Int32Array;
  width: number;
  height: number;
  lo: number;
  len: number;
  /** Pixels of the region that touch only diagonally are connected (8-connectivity; binary mode's ink). */
  diagonal?: boolean;
  /** With `diagonal`: the lattice corners where they are not (LayerSet.openCorners). */
  openCorners?: Int32Array;
}

/**
 * Contours → simplification (contours.ts → simplify.ts): every contour of one region, on the pixel-corner
 * lattice (point (x, y) is the top-left corner of pixel (x, y)). Outer boundaries run clockwise, holes
 * counter-clockwise (y down); only the corners are listed (a vertex where the direction changes), without
 * repeating the first at the end.
 */
export interface Contours {
  /** Vertices of all contours one after another, as x, y pairs: contour i is vertices [vertexStart(i), vertexEnd(i)). */
  readonly points: IntBuffer;
  readonly count: number;
  vertexStart(i: number): number;
  vertexEnd(i: number): number;
}

/**
 * A closed pixel outline or an open chain on the lattice: n vertices as x0, y0, x1, y1, … (integers), no
 * repeated closing vertex.
 */
export type LatticePolygon = Int32Array;

/**
 * A polygon after staircase removal or simplification: n vertices as x0, y0, x1, y1, … (half-pixel
 * coordinates appear), no repeated closing vertex. Usually the first 2n numbers of a FloatBuffer.
 */
export type Polygon = Float64Array;

/**
 * A chain of cubic Béziers: the start point x, y, then 6 numbers per cubic (c1x, c1y, c2x, c2y, x, y), each
 * cubic starting where the previous one ends. Closed: the last cubic ends at the start point.
 */
export type Spline = Float64Array;

/** Fitting → document (trace.ts, mosaic.ts or centerline → svg.ts): one `<path>`, its data and fill. */
export interface PathEntry {
  d: string;
  fill: string;
  /** Stroked path (centerline): its colour and width; `fill` is then "none". */
  stroke?: string;
  strokeWidth?: number;
}
