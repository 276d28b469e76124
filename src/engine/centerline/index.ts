/**
 * Centerline tracing (drawStyle `centerline`): one stroke along the middle of each line instead of two
 * outlines around it. Ink (binary threshold, or every colour but the background's) → distance transform
 * (line widths) → thinning → skeleton graph and strokes → curve fitting → open paths with `stroke`,
 * `fill="none"` and the measured width. Every stage is linear in the pixel count.
 */
import type { TraceParameters } from '../options.js';
import type { Progress } from '../progress.js';
import type { Workspace } from '../memory.js';
import type { LayerSet, PathEntry } from '../types.js';
import { PathWriter, hexColor } from '../svg.js';

import { aliasedOutlineParams } from '../fit-outline.js';
import { makeGrid } from './grid.js';
import { squaredDistances } from './distance.js';
import { thin } from './thin.js';
import { skeletonStrokes } from './graph.js';
import { StrokeFitter } from './fit.js';

/** Largest channel difference from the background layer's colour for a layer to count as paper too. */
const PAPER_TOLERANCE = 24;

/**
 * The layer a colour trace treats as paper: the one with the most pixels on the image border, unless
 * transparency holds more of the border (then every colour is ink). -1: none.
 */
function backgroundLayer(set: LayerSet): number {
  const { key, width: w, height: h, layers } = set;
  const counts = new Float64Array(layers.length);
  let transparent = 0;
  const owner = new Map<number, number>();
  layers.forEach((l, i) => { for (let k = l.lo; k < l.lo + l.len; k++) owner.set(k, i); });
  const visit = (p: number): void => {
    const k = key[p];
    const i = k < 0 ? undefined : owner.get(k);
    if (i === undefined) transparent++;
    else counts[i]++;
  };
  for (let x = 0; x < w; x++) { visit(x); if (h > 1) visit((h - 1) * w + x); }
  for (let y = 1; y < h - 1; y++) { visit(y * w); if (w > 1) visit(y * w + w - 1); }
  let best = -1;
  for (let i = 0; i < layers.length; i++) if (best < 0 || counts[i] > counts[best]) best = i;
  return best >= 0 && counts[best] > transparent ? best : -1;
}

/**
 * Colour input: anti-aliased edge pixels (between a line's colour and the paper's) form layers of their own
 * and would thicken the lines unevenly. Like the binary threshold at half contrast, a pixel stays ink only
 * when it differs from the paper by at least half the most any pixel of its 3×3 neighbourhood does.
 */
function dropFaintEdges(data: Uint8Array, w: number, h: number, g: Uint8Array, W: number, paper: { r: number; g: number; b: number }): void {
  const contrast = new Float32Array(w * h);
  for (let p = 0, i = 0; p < w * h; p++, i += 4) {
    // Composited over the paper: a transparent pixel shows the paper.
    const a = data[i + 3] / 255;
    const dr = a * (data[i] - paper.r), dg = a * (data[i + 1] - paper.g), db = a * (data[i + 2] - paper.b);
    contrast[p] = dr * dr + dg * dg + db * db;
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const q = (y + 1) * W + x + 1;
      if (g[q] === 0) continue;
      let max = 0;
      for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
        for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) max = Math.max(max, contrast[yy * w + xx]);
      }
      if (contrast[y * w + x] < 0.25 * max) g[q] = 0; // squared distances: half the distance
    }
  }
}

/** Strokes of the ink of a layer set (binary: every layer is ink; colour: all but the background). */
export function centerlinePaths(
  data: Uint8Array, set: LayerSet, params: TraceParameters, progress: Progress, ws: Workspace,
  onPath?: (path: PathEntry) => void,
): PathEntry[] {
  const { key, width: w, height: h, layers } = set;
  const grid = makeGrid(w, h);
  const { W, H } = grid;
  const g = ws.uint8(W * H, 0);
  const skip = params.colorMode === 'binary' ? -1 : backgroundLayer(set);
  // Paper: the background layer and every other region of its colour (the lines cut the paper into many).
  let maxKey = 0;
  for (const l of layers) maxKey = Math.max(maxKey, l.lo + l.len);
  const paper = new Uint8Array(maxKey);
  if (skip >= 0) {
    const bg = layers[skip];
    for (const l of layers) {
      if (Math.max(Math.abs(l.r - bg.r), Math.abs(l.g - bg.g), Math.abs(l.b - bg.b)) <= PAPER_TOLERANCE) paper.fill(1, l.lo, l.lo + l.len);
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const k = key[y * w + x];
      if (k >= 0 && paper[k] === 0) g[(y + 1) * W + x + 1] = 1;
    }
  }
  if (skip >= 0) dropFaintEdges(data, w, h, g, W, layers[skip]);
  progress.update(0.1);
  const dist2 = ws.float32(W * H);
  squaredDistances(g, grid, dist2);
  progress.update(0.3);
  const check = (): void => progress.checkAbort();
  thin(g, grid, check);
  progress.update(0.6);
  const strokes = skeletonStrokes(g, grid, dist2, { spurLength: params.spurLength, check });
  progress.update(0.8);

  const mode = params.mode === 'none' ? 'pixel' : params.mode;
  const fitter = new StrokeFitter(mode, aliasedOutlineParams(params, check));
  const writer = new PathWriter(params.pathPrecision, params.optimize);
  const paths: PathEntry[] = [];
  const radii: number[] = [];
  for (let i = 0; i < strokes.length; i++) {
    if ((i & 63) === 63) progress.checkAbort();
    const s = strokes[i];
    writer.reset();
    fitter.write(s.points, s.closed, writer);
    if (writer.empty) continue;
    let width = params.strokeWidth;
    if (width === 0) {
      // Median distance to the paper along the stroke: a line W pixels wide has (W + 1)/2 at its middle when
      // W is odd, W/2 when even; 2r − 1/2 is within half a pixel of W for both.
      radii.length = 0;
      for (const p of s.pixels) radii.push(Math.sqrt(dist2[p]));
      radii.sort((a, b) => a - b);
      const r = radii.length > 0 ? radii[radii.length >> 1] : 1;
      width = Math.max(1, Math.round((2 * r - 0.5) * 10) / 10);
    }
    let color = '#000000';
    if (params.colorMode !== 'binary' && s.pixels.length > 0) {
      let r = 0, gg = 0, b = 0;
      for (const p of s.pixels) {
        const i4 = ((Math.floor(p / W) - 1) * w + (p % W) - 1) * 4;
        r += data[i4]; gg += data[i4 + 1]; b += data[i4 + 2];
      }
      const n = s.pixels.length;
      color = hexColor(Math.round(r / n), Math.round(gg / n), Math.round(b / n));
    }
    const path: PathEntry = { d: writer.toString(), fill: 'none', stroke: color, strokeWidth: width };
    paths.push(path);
    onPath?.(path);
  }
  return paths;
}
