/**
 * Binary mode: a pixel is foreground when its luminance, composited on white, is below one half
 * (a transparent pixel is background; an anti-aliased edge pixel counts by its coverage). Foreground
 * pixels form 4-connected components; components smaller than filterSpeckle² pixels are dropped. Each
 * kept component becomes one black layer. No limit on the number of components.
 */
import type { LayerSet, Layer } from './clustering.js';
import type { Progress } from './progress.js';
import { unionMin } from './union-find.js';

export function binaryLayers(data: Uint8Array, w: number, h: number, filterSpeckle: number, progress: Progress): LayerSet {
  const n = w * h;
  progress.stage(0, 0.3);
  const parent = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    const i = 4 * p;
    const a = data[i + 3];
    // Rec. 601 luma in 0..255, then "over white": a·L + (255 − a)·255, compared at 128·255.
    const lum = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
    parent[p] = a * lum + (255 - a) * 255 < 128 * 255 ? p : -1;
  }
  const rowsPerTick = Math.max(1, (65536 / w) | 0);
  for (let y = 0; y < h; y++) {
    if (y % rowsPerTick === 0) progress.update(y / h);
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const p = row + x;
      if (parent[p] < 0) continue;
      if (x > 0 && parent[p - 1] >= 0) unionMin(parent, p, p - 1);
      if (y > 0 && parent[p - w] >= 0) unionMin(parent, p, p - w);
    }
  }
  // Flatten (parents never point forward), count sizes per root.
  const size = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    const q = parent[p];
    if (q < 0) continue;
    const r = parent[q];
    parent[p] = r;
    size[r]++;
  }
  // Kept components numbered in raster order of their first pixel; `parent` becomes the key.
  const minSize = filterSpeckle * filterSpeckle;
  const compStart: number[] = [0];
  let count = 0;
  for (let p = 0; p < n; p++) {
    const r = parent[p];
    if (r < 0) continue;
    if (r === p) {
      if (size[p] >= minSize) {
        compStart.push(compStart[count] + size[p]);
        size[p] = count++;
        parent[p] = size[p];
      } else {
        size[p] = -1;
        parent[p] = -1;
      }
    } else {
      parent[p] = size[r];
    }
  }
  const key = parent;
  const sorted = new Int32Array(compStart[count]);
  const cursor = Int32Array.from(compStart);
  for (let p = 0; p < n; p++) {
    const c = key[p];
    if (c >= 0) sorted[cursor[c]++] = p;
  }
  const layers: Layer[] = [];
  for (let c = 0; c < count; c++) {
    const pixels = sorted.subarray(compStart[c], compStart[c + 1]);
    layers.push({ lo: c, len: 1, pixels, r: 0, g: 0, b: 0, area: pixels.length });
  }
  return { key, width: w, height: h, layers };
}
