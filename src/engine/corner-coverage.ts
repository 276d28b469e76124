/**
 * Sharp or round? A corner's pixels decide.
 *
 * Anti-aliasing rounds a sharp corner's samples, so a bend whose side lines meet close to it may be a sharp
 * corner or a small round join: the samples alone cannot tell, and the turn measured from the sides scatters
 * by a degree or two round the corner angle (a regular hexagon's 60° corners at 48 px measured 58.4°–60.9°,
 * half of them drawn round). The pixels round the corner can: each pixel's coverage is the area of the shape
 * inside it, and a round join of radius r turning θ leaves out r²·(tan(θ/2) − θ/2) px² of a convex corner
 * (adds it to a concave one). Both shapes are rasterized over a small block round the meeting point, by
 * point sampling, and compared with the pixels where the two differ.
 *
 * Geometry: the side lines meet at M; the outline arrives along a and leaves along b (unit vectors); the
 * region lies on the right of its outline (screen axes, y down), so the corner is convex when the outline
 * turns right, cross(a, b) > 0. The round join leaves each line at distance t from M, its centre C.
 */

/** Pixels on each side of the meeting point's pixel in the block compared. */
const BLOCK_REACH = 3;
const BLOCK = 2 * BLOCK_REACH + 1;
/** Point samples per pixel side. */
const SUB = 8;
/** Pixels whose two predicted coverages differ by less than this are left out (the sides themselves). */
const MIN_PIXEL_DIFFERENCE = 0.02;
/**
 * Below this difference (px²) between the two shapes' areas in the block, the pixels cannot tell them apart
 * (a line placed 0.05 px off moves a few pixels' coverage by as much): undecided.
 */
const MIN_AREA_DIFFERENCE = 0.25;

/** Scratch: measured coverage of the block. */
const measured = new Float64Array(BLOCK * BLOCK);

/** Reads the region's coverage of a size × size block of pixels from (px0, py0), row by row (subpixel.ts blockCoverage). */
export type BlockCoverage = (px0: number, py0: number, size: number, out: Float64Array) => boolean;

/**
 * +1 when the pixels round the corner at (mx, my) are closer to a sharp corner, −1 when closer to the round
 * join (centre (cx, cy), radius r, leaving the lines at t from the corner), 0 when they cannot tell.
 */
export function sharpByCoverage(
  mx: number, my: number, ax: number, ay: number, bx: number, by: number,
  r: number, t: number, cx: number, cy: number, coverage: BlockCoverage,
): number {
  const px0 = Math.floor(mx) - BLOCK_REACH, py0 = Math.floor(my) - BLOCK_REACH;
  if (!coverage(px0, py0, BLOCK, measured)) return 0;
  const convex = ax * by - ay * bx > 0;
  // The join's ends, and the orientation of its sector seen from the centre.
  const t1x = mx - t * ax - cx, t1y = my - t * ay - cy;
  const t2x = mx + t * bx - cx, t2y = my + t * by - cy;
  const sector = t1x * t2y - t1y * t2x > 0 ? 1 : -1;
  const r2 = r * r;
  let sumSharp = 0, sumRound = 0, sumMeasured = 0;
  for (let j = 0; j < BLOCK; j++) {
    for (let i = 0; i < BLOCK; i++) {
      const m = measured[j * BLOCK + i];
      if (m !== m) continue;
      let sharp = 0, round = 0;
      for (let v = 0; v < SUB; v++) {
        const y = py0 + j + (v + 0.5) / SUB;
        for (let u = 0; u < SUB; u++) {
          const x = px0 + i + (u + 0.5) / SUB;
          const rx = x - mx, ry = y - my;
          const s1 = ax * ry - ay * rx > 0, s2 = bx * ry - by * rx > 0;
          const inSharp = convex ? s1 && s2 : s1 || s2;
          // In the cap between the lines' meeting point and the join: outside the circle, within its sector,
          // on the side of the corner the join cuts off (inside the region for a convex corner, outside for
          // a concave one).
          const ox = x - cx, oy = y - cy;
          const inCap = inSharp === convex && ox * ox + oy * oy > r2
            && (t1x * oy - t1y * ox) * sector >= 0 && (ox * t2y - oy * t2x) * sector >= 0;
          if (inSharp) sharp++;
          if (inSharp !== inCap) round++;
        }
      }
      const s = sharp / (SUB * SUB), f = round / (SUB * SUB);
      if (Math.abs(s - f) < MIN_PIXEL_DIFFERENCE) continue;
      sumSharp += s; sumRound += f; sumMeasured += m;
    }
  }
  if (Math.abs(sumSharp - sumRound) < MIN_AREA_DIFFERENCE) return 0;
  return Math.abs(sumMeasured - sumSharp) < Math.abs(sumMeasured - sumRound) ? 1 : -1;
}
