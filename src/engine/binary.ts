/**
 * Binary mode: a pixel is foreground when its luminance, composited on white, is below `binaryThreshold`
 * (a transparent pixel is background; an anti-aliased edge pixel counts by its coverage), or, with
 * `adaptive`, when it is `adaptiveOffset` percent darker than the mean of its neighbourhood (Bradley and
 * Roth's integral-image method, for unevenly lit scans). `invert` swaps foreground and background.
 * Foreground pixels form 4-connected components; components smaller than filterSpeckle² pixels are dropped
 * (and holes that small are filled when the outlines are written, trace.ts).
 * Each kept component becomes one black layer. No limit on the number of components.
 */
import type { LayerSet, Layer } from './types.js';
import { STAGE_SLICES, rowsPerTick, type Progress } from './progress.js';
import { unionMin, findRoot } from './union-find.js';
import { IntBuffer } from './buffers.js';
import { lumaOverWhite, pixelAt, pixelWords } from './image.js';
import type { Workspace } from './memory.js';

export interface BinaryParams {
  filterSpeckle: number;
  binaryThreshold: number;
  invert: boolean;
  adaptive: boolean;
  adaptiveWindow: number;
  adaptiveOffset: number;
}

/** Luminance over white (Rec. 601 luma, composited by alpha), 0..255 per pixel. */
function luminanceOverWhite(data: Uint8Array, n: number, ws: Workspace): Float32Array {
  const L = ws.float32(n);
  for (let p = 0; p < n; p++) L[p] = lumaOverWhite(data, p);
  return L;
}

/**
 * Adaptive threshold: marks foreground pixels in `parent` (p itself) and background ones (-1). (The fixed
 * threshold is applied while labelling, see binaryLayers.)
 */
function adaptiveThreshold(data: Uint8Array, w: number, h: number, params: BinaryParams, parent: Int32Array, ws: Workspace): void {
  const n = w * h;
  const invert = params.invert;
  const L = luminanceOverWhite(data, n, ws);
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
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - half), y1 = Math.min(h, y + half + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - half), x1 = Math.min(w, x + half + 1);
      const sum = S[y1 * W1 + x1] - S[y0 * W1 + x1] - S[y1 * W1 + x0] + S[y0 * W1 + x0];
      const mean = sum / ((x1 - x0) * (y1 - y0));
      const p = y * w + x;
      parent[p] = (L[p] < mean * factor) !== invert ? p : -1;
    }
  }
}

export function binaryLayers(data: Uint8Array, w: number, h: number, params: BinaryParams, progress: Progress, ws: Workspace): LayerSet {
  const filterSpeckle = params.filterSpeckle;
  const n = w * h;
  progress.stage(...STAGE_SLICES.binaryLayers);
  const parent = ws.int32(n); // every entry written by the threshold
  const fixed = !params.adaptive;
  if (!fixed) adaptiveThreshold(data, w, h, params, parent, ws);
  // The fixed threshold, a·L + (255 − a)·255 < t·255 in integers (luma weights scaled by 1000), is applied
  // as each pixel is reached.
  const limit = params.binaryThreshold * 255 * 1000;
  const words = pixelWords(data);
  const invert = params.invert;
  // 4-connected components with a union-find whose roots are each component's first pixel.
  const tickRows = rowsPerTick(w);
  for (let y = 0; y < h; y++) {
    if (y % tickRows === 0) progress.update(y / h);
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const p = row + x;
      if (fixed) {
        const px = pixelAt(words, data, p);
        const a = px >>> 24;
        const v = a * (299 * (px & 255) + 587 * ((px >>> 8) & 255) + 114 * ((px >>> 16) & 255)) + (255 - a) * 255000;
        if ((v < limit) === invert) {
          parent[p] = -1;
          continue;
        }
        parent[p] = p;
      } else if (parent[p] < 0) continue;
      const up = y > 0 && parent[p - w] >= 0;
      if (x > 0 && parent[p - 1] >= 0) {
        // Continue the run: share the left pixel's parent (never a forward pointer), then join upwards.
        parent[p] = parent[p - 1];
        if (up && parent[p - w] !== parent[p]) unionMin(parent, p, p - w);
      } else if (up) {
        parent[p] = findRoot(parent, p - w);
      }
    }
  }
  progress.checkAbort();
  // Flatten (parents never point forward), count sizes per root, list the roots in raster order; a run of
  // one root is counted in a local.
  // Also count each component's contour candidates: pixels whose upper neighbour is not in the component (a
  // contour starts on such a top edge; the contour scan needs to look at no other pixel).
  const size = ws.int32(n, 0);
  const candidates = ws.int32(n, 0);
  const roots = new IntBuffer(256);
  let runRoot = -1, runCount = 0, runCandidates = 0;
  for (let p = 0; p < n; p++) {
    const q = parent[p];
    if (q < 0) continue;
    if (q === p) roots.push(p);
    const r = parent[q];
    parent[p] = r;
    if (r !== runRoot) {
      if (runRoot >= 0) {
        size[runRoot] += runCount;
        candidates[runRoot] += runCandidates;
      }
      runRoot = r;
      runCount = runCandidates = 0;
    }
    runCount++;
    if (p < w || parent[p - w] !== r) runCandidates++;
  }
  if (runRoot >= 0) {
    size[runRoot] += runCount;
    candidates[runRoot] += runCandidates;
  }
  // Kept components numbered in raster order of their first pixel (size[root] becomes the number, or -1).
  const minSize = filterSpeckle * filterSpeckle;
  const compStart: number[] = [0];
  const areas: number[] = [];
  let count = 0;
  for (let i = 0; i < roots.length; i++) {
    const r = roots.data[i];
    if (size[r] >= minSize) {
      compStart.push(compStart[count] + candidates[r]);
      areas.push(size[r]);
      size[r] = count++;
    } else {
      size[r] = -1;
    }
  }
  // Keys and the contour candidates of each component (counting sort), in one pass.
  // REUSE: the union-find parents become the keys, rewritten in place.
  const key = parent;
  const sorted = ws.int32(compStart[count]);
  const cursor = Int32Array.from(compStart);
  let runR = -1, runKey = -1, at = 0;
  for (let p = 0; p < n; p++) {
    const r = parent[p];
    if (r < 0) continue;
    if (r !== runR) {
      if (runKey >= 0) cursor[runKey] = at;
      runR = r;
      runKey = size[r];
      if (runKey >= 0) at = cursor[runKey];
    }
    key[p] = runKey;
    if (runKey >= 0 && (p < w || key[p - w] !== runKey)) sorted[at++] = p;
  }
  if (runKey >= 0) cursor[runKey] = at;
  const layers: Layer[] = [];
  for (let c = 0; c < count; c++) {
    const pixels = sorted.subarray(compStart[c], compStart[c + 1]);
    layers.push({ lo: c, len: 1, pixels, r: 0, g: 0, b: 0, area: areas[c] });
  }
  // REUSE: the component sizes (numbers now, all −1 or more) are handed on for the contour stamps.
  return { key, width: w, height: h, layers, scratch: size };
}
