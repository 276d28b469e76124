/**
 * Exact Euclidean distance transform (Felzenszwalb and Huttenlocher's lower envelope of parabolas, one pass
 * over columns then one over rows: linear in the pixel count). For each ink pixel of the padded grid, the
 * squared distance from its centre to the nearest background pixel's centre; the stroke width at a skeleton
 * pixel follows from it.
 */
import type { Grid } from './grid.js';

const INF = 1e20;

/** 1-D squared distance transform of f[0..n) into d, with scratch v (int) and z (n + 1 floats). */
function transform1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -INF;
  z[1] = INF;
  for (let q = 1; q < n; q++) {
    let s: number;
    for (;;) {
      const r = v[k];
      s = ((f[q] + q * q) - (f[r] + r * r)) / (2 * q - 2 * r);
      if (s <= z[k] && k > 0) k--;
      else break;
    }
    if (s <= z[k]) { // k === 0 and the new parabola is lower everywhere
      v[0] = q;
      z[0] = -INF;
      z[1] = INF;
      continue;
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = INF;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const r = v[k];
    d[q] = (q - r) * (q - r) + f[r];
  }
}

/** Squared distances (Float32, 0 on background) for the ink pixels (`ink[p] !== 0`) of the padded grid. */
export function squaredDistances(ink: Uint8Array, grid: Grid, out: Float32Array): void {
  const { W, H } = grid;
  const n = Math.max(W, H);
  const f = new Float64Array(n), d = new Float64Array(n), z = new Float64Array(n + 1);
  const v = new Int32Array(n);
  const col = new Float64Array(W * H);
  for (let x = 0; x < W; x++) {
    for (let y = 0; y < H; y++) f[y] = ink[y * W + x] !== 0 ? INF : 0;
    transform1d(f, H, d, v, z);
    for (let y = 0; y < H; y++) col[y * W + x] = d[y];
  }
  for (let y = 0; y < H; y++) {
    const row = y * W;
    for (let x = 0; x < W; x++) f[x] = col[row + x];
    transform1d(f, W, d, v, z);
    for (let x = 0; x < W; x++) out[row + x] = d[x];
  }
}
