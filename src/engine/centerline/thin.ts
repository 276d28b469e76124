/**
 * Thinning of an ink mask to a one-pixel skeleton, in time linear in the pixel count:
 * 1. Zhang–Suen's two sub-iterations, testing only candidates (boundary pixels at first, then the ink
 *    neighbours of the pixels just removed), so each pixel is tested a bounded number of times;
 * 2. a cleanup that removes every pixel the skeleton does not need: one with two or more neighbours that
 *    all form a single group (a staircase corner or a leftover of a thick spot). Removing it keeps the
 *    skeleton connected, and it leaves lines exactly 8-connected, one pixel wide.
 */
import { IntBuffer } from '../buffers.js';
import { GROUPS, POPCOUNT, neighbourMask, type Grid } from './grid.js';

/** Thins `g` (1 = ink, padded grid) in place. `check` is called now and then (cancellation). */
export function thin(g: Uint8Array, grid: Grid, check: () => void): void {
  const { W, H, nb } = grid;
  const stamp = new Int32Array(W * H);
  let round = 1;
  let cand = new IntBuffer(1024);
  for (let y = 1; y < H - 1; y++) {
    for (let x = 1; x < W - 1; x++) {
      const p = y * W + x;
      if (g[p] !== 0 && (g[p - W] === 0 || g[p + W] === 0 || g[p - 1] === 0 || g[p + 1] === 0)) cand.push(p);
    }
  }
  const removed = new IntBuffer(1024);
  let next = new IntBuffer(1024);
  while (cand.length > 0) {
    check();
    removed.clear();
    for (let step = 0; step < 2; step++) {
      const from = removed.length;
      for (let i = 0; i < cand.length; i++) {
        const p = cand.data[i];
        if (g[p] === 0) continue;
        const m = neighbourMask(g, nb, p);
        const b = POPCOUNT[m];
        if (b < 2 || b > 6) continue;
        // A: 0→1 transitions around the ring must be exactly one.
        let a = 0;
        for (let k = 0; k < 8; k++) if ((m & (1 << k)) === 0 && (m & (1 << ((k + 1) & 7))) !== 0) a++;
        if (a !== 1) continue;
        const n = m & 1, e = m & 4, s = m & 16, w = m & 64;
        if (step === 0 ? (n && e && s) || (e && s && w) : (n && e && w) || (n && s && w)) continue;
        removed.push(p);
      }
      for (let i = from; i < removed.length; i++) g[removed.data[i]] = 0;
    }
    // Next candidates: ink neighbours of what was removed, each once.
    round++;
    next.clear();
    for (let i = 0; i < removed.length; i++) {
      const p = removed.data[i];
      for (let k = 0; k < 8; k++) {
        const q = p + nb[k];
        if (g[q] !== 0 && stamp[q] !== round) {
          stamp[q] = round;
          next.push(q);
        }
      }
    }
    const t = cand;
    cand = next;
    next = t;
  }
  // Cleanup: a raster pass, re-examining the neighbours of each removed pixel through a queue.
  const queue = new IntBuffer(1024);
  const removable = (p: number): boolean => {
    const m = neighbourMask(g, nb, p);
    return POPCOUNT[m] >= 2 && GROUPS[m] === 1;
  };
  const drop = (p: number): void => {
    g[p] = 0;
    for (let k = 0; k < 8; k++) if (g[p + nb[k]] !== 0) queue.push(p + nb[k]);
  };
  for (let p = W; p < W * (H - 1); p++) if (g[p] !== 0 && removable(p)) drop(p);
  while (queue.length > 0) {
    const p = queue.data[--queue.length];
    if (g[p] !== 0 && removable(p)) drop(p);
  }
}
