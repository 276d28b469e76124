/**
 * Cut ends (cut-ends.ts, round-tips.ts's third test): two corners closer than the corner scale, joined by a
 * short straight edge, are two corners, not one placed where the sides beyond them meet (a spike).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceRgba } from '../../src/engine/index.js';
import { WHITE, pathSegments, renderSvg, svgPaths } from '../support/fidelity.js';
import { caseSize, rasterAt, selectCases } from '../../bench/shapes/cases.js';
import { inkMask, strayInk } from '../../bench/shapes/metrics.js';

/** A small "Z" of 2.2 px bars: each bar's end meets the diagonal at 35° on one side and at 90° on the other. */
const Z: [number, number][] = [[2, 2], [12, 2], [12, 4.2], [5.2, 13.8], [12, 13.8], [12, 16], [2, 16], [2, 13.8], [8.8, 4.2], [2, 4.2]];

function insidePolygon(poly: [number, number][], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i]!, [xj, yj] = poly[j]!;
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function distanceToPolygon(poly: [number, number][], x: number, y: number): number {
  let best = Infinity;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [ax, ay] = poly[j]!, [bx, by] = poly[i]!;
    const ex = bx - ax, ey = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * ex + (y - ay) * ey) / (ex * ex + ey * ey)));
    best = Math.min(best, Math.hypot(x - ax - t * ex, y - ay - t * ey));
  }
  return best;
}

test('a small Z\'s bar ends keep their two corners each, and no knot lies outside the letter', () => {
  const W = 14, H = 18;
  const points = Z.map(([x, y]) => `${x},${y}`).join(' ');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><polygon points="${points}" fill="#111"/></svg>`;
  const traced = traceRgba({ data: renderSvg(svg, W, H), width: W, height: H }, { preset: 'bw' });
  const paths = svgPaths(traced);
  assert.equal(paths.length, 1);
  const ends = pathSegments(paths[0]!.d).map((s) => [s.x1, s.y1] as [number, number]);
  for (const [x, y] of ends) {
    const out = insidePolygon(Z, x, y) ? 0 : distanceToPolygon(Z, x, y);
    assert.ok(out < 0.6, `knot (${x.toFixed(2)}, ${y.toFixed(2)}) lies ${out.toFixed(2)} px outside the Z`);
  }
  // Each bar's end is a short edge between two corners: both are knots. (Placed as one, the end came out as a
  // single knot 0.31 px off the outer corner and a curve past the inner one, its nearest knot 0.35 px away.)
  for (const [cx, cy, within] of [[12, 2, 0.15], [2, 16, 0.15], [12, 4.2, 0.3], [2, 13.8, 0.3]] as const) {
    const near = Math.min(...ends.map(([x, y]) => Math.hypot(x - cx, y - cy)));
    assert.ok(near < within, `corner (${cx}, ${cy}): nearest knot ${near.toFixed(2)} px away`);
  }
});

test('no cut along the frame: the 48 px apple silhouette\'s stem, cut by the top of the image, keeps its side', () => {
  // A run of samples along the frame (placed by the frame pixels' coverage, 0.13 px in) passed for a cut
  // between the stem's two sides, and the stem's right side was drawn 1.5 px out to meet the frame.
  const c = selectCases(['emoji-1f34e-black'])[0]!;
  const { width, height } = caseSize(c, 768);
  const truth = inkMask(renderSvg(c.svg, width, height, WHITE));
  const traced = inkMask(renderSvg(traceRgba(rasterAt(c, 48), { preset: 'bw' }), width, height, WHITE));
  const k = 768 / 48;
  const stray = strayInk(truth, traced, width, height, 2 * k) / k;
  assert.ok(stray < 0.7, `traced ink ${stray.toFixed(2)} px from the apple`);
});
