/**
 * Round tips (round-tips.ts, outline.ts stage 2″): the round caps and joins of strokes a few pixels wide are
 * traced round, and sharp ends and inner corners stay sharp.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceRgba } from '../../src/engine/index.js';
import { renderSvg, svgPaths, xorAtScale } from '../support/fidelity.js';
import { splineOf, splinePoints } from '../support/splines.js';

/** A black drawing on white, traced in black and white; points along every subpath of its outline. */
function tracePoints(w: number, h: number, body: string): { d: string; points: Array<[number, number]> } {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${body}</svg>`;
  const traced = traceRgba({ data: renderSvg(svg, w, h), width: w, height: h }, { preset: 'bw', pathPrecision: 3 });
  const d = svgPaths(traced).map((p) => p.d).join('');
  const points: Array<[number, number]> = [];
  for (const sub of d.split(/(?=M)/)) { const s = splineOf(sub); points.push(...splinePoints(s, s.length, 40)); }
  return { d, points };
}

/** Largest |distance − r| from (cx, cy) of the points beyond a cap (past its centre along `axis`, a unit vector). */
function capError(points: Array<[number, number]>, cx: number, cy: number, r: number, ax: number, ay: number): number {
  let worst = 0, seen = 0;
  for (const [x, y] of points) {
    const along = (x - cx) * ax + (y - cy) * ay;
    if (along < 0.05 || Math.hypot(x - cx, y - cy) > 2 * r) continue;
    seen++;
    worst = Math.max(worst, Math.abs(Math.hypot(x - cx, y - cy) - r));
  }
  assert.ok(seen > 10, `too few outline points on the cap round (${cx}, ${cy}): ${seen}`);
  return worst;
}

test('a 4 px stroke\'s round caps are traced round (a check mark at 48 px), its inner corner stays sharp', () => {
  // The check of a line icon: (40, 12) – (18, 34) – (8, 24), 4 px wide, round caps and joins.
  const { d, points } = tracePoints(48, 48, '<polyline points="40 12 18 34 8 24" fill="none" stroke="#000" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/>');
  const s = Math.SQRT1_2;
  // Each cap: a half circle of radius 2 round the line's end (before: a flared hook up to 1 px off it).
  const right = capError(points, 40, 12, 2, s, -s), left = capError(points, 8, 24, 2, -s, -s);
  assert.ok(right < 0.25 && left < 0.25, `caps off their half circles by ${right.toFixed(2)} / ${left.toFixed(2)} px: ${d}`);
  // The inner side of the join: a right angle at (18, 34 − 2√2).
  const inner = Math.min(...points.map(([x, y]) => Math.hypot(x - 18, y - (34 - 2 * Math.SQRT2))));
  assert.ok(inner < 0.3, `inner corner rounded off by ${inner.toFixed(2)} px: ${d}`);
});

test('square ends stay square: a 45° bar 8 px wide keeps the corners of its ends', () => {
  // A 45° bar from (24, 72) to (72, 24), 8 px wide, square ends: corners at the ends ± 4 px across.
  const { d, points } = tracePoints(96, 96, '<line x1="24" y1="72" x2="72" y2="24" stroke="#000" stroke-width="8"/>');
  const s = Math.SQRT1_2;
  for (const [ex, ey] of [[24, 72], [72, 24]] as const) {
    for (const side of [-1, 1]) {
      const cx = ex + side * 4 * s, cy = ey + side * 4 * s;
      const near = Math.min(...points.map(([x, y]) => Math.hypot(x - cx, y - cy)));
      assert.ok(near < 0.35, `corner (${cx.toFixed(2)}, ${cy.toFixed(2)}) rounded off by ${near.toFixed(2)} px: ${d}`);
    }
  }
});

test('a 2.7 px stroke\'s round caps (a check mark at 32 px) are half circles, its butt-capped twin keeps square ends', () => {
  // Too thin for the circle window (its cap's few samples scatter by 0.15 px round a radius of 1.33): the
  // cap model between two straight sides takes over.
  const pts = (cap: string) => tracePoints(32, 32, `<polyline points="26.67 8 12 22.67 5.33 16" fill="none" stroke="#000" stroke-width="2.67" stroke-linecap="${cap}" stroke-linejoin="round"/>`);
  const round = pts('round');
  const s = Math.SQRT1_2;
  const right = capError(round.points, 26.67, 8, 1.335, s, -s), left = capError(round.points, 5.33, 16, 1.335, -s, -s);
  assert.ok(right < 0.2 && left < 0.2, `caps off their half circles by ${right.toFixed(2)} / ${left.toFixed(2)} px: ${round.d}`);
  // Butt caps: the end's corners, 1.335 px either side of the end point across the line, stay corners.
  const butt = pts('butt');
  for (const [ex, ey, ux, uy] of [[26.67, 8, s, -s], [5.33, 16, -s, -s]] as const) {
    for (const side of [-1, 1]) {
      const cx = ex - side * 1.335 * uy, cy = ey + side * 1.335 * ux;
      const near = Math.min(...butt.points.map(([x, y]) => Math.hypot(x - cx, y - cy)));
      assert.ok(near < 0.35, `butt end corner (${cx.toFixed(2)}, ${cy.toFixed(2)}) rounded off by ${near.toFixed(2)} px: ${butt.d}`);
    }
  }
});

test('a plus sign\'s four round caps are half circles (a 48 px line icon: sides of 4 px before the junction)', () => {
  // The knot the corner finder puts on a cap is not always at its middle: the sides are looked for past it.
  const { d, points } = tracePoints(48, 48, '<path d="M24 16v16M16 24h16" fill="none" stroke="#000" stroke-width="4" stroke-linecap="round"/>');
  for (const [cx, cy, ax, ay] of [[24, 16, 0, -1], [24, 32, 0, 1], [16, 24, -1, 0], [32, 24, 1, 0]] as const) {
    const off = capError(points, cx, cy, 2, ax, ay);
    assert.ok(off < 0.25, `cap at (${cx}, ${cy}) off its half circle by ${off.toFixed(2)} px: ${d}`);
  }
});

test('the round caps of a curved stroke ending after 2 px of straight (a user icon\'s shoulders at 48 px)', () => {
  // Each foot's cap has one side straight for 2 px only before the curve: read over its first 2.5 px, as long
  // as the other side is a long straight one.
  const { d, points } = tracePoints(48, 48, '<path d="M8 42v-2a16 16 0 0 1 32 0v2" fill="none" stroke="#000" stroke-width="4" stroke-linecap="round"/>');
  for (const cx of [8, 40]) {
    const off = capError(points, cx, 42, 2, 0, 1);
    assert.ok(off < 0.25, `cap at (${cx}, 42) off its half circle by ${off.toFixed(2)} px: ${d}`);
  }
});

test('a bent stroke\'s round caps are half circles between its two arcs (a sound wave, a refresh arrow at 48 px)', async () => {
  // A band 6 px wide along an arc of radius 14 px, with round caps, at 4 placements. Its caps turn as bends, and
  // one cubic each side of them, spanning cap and arc, bulged: xor 1.42 to 2.37 % of its ink at 8×. A cap is now
  // the half circle about the middle of the two arcs' circles (fitted about one centre), ending where it
  // shares their tangents: 0.64 to 1.03 %.
  for (const [dx, dy] of [[0, 0], [0.3, 0.4], [0.5, 0.5], [0.2, 0.7]] as const) {
    const cx = 24 + dx, cy = 30 + dy, r = 14, rad = (d: number): number => (d * Math.PI) / 180;
    const d = `M${cx + r * Math.cos(rad(215))} ${cy + r * Math.sin(rad(215))}A${r} ${r} 0 0 1 ${cx + r * Math.cos(rad(325))} ${cy + r * Math.sin(rad(325))}`;
    const body = `<path d="${d}" stroke="#000" stroke-width="6" stroke-linecap="round" fill="none"/>`;
    const small = `<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48">${body}</svg>`;
    const svg = traceRgba({ data: renderSvg(small, 48, 48), width: 48, height: 48 }, { preset: 'bw' });
    const xor = xorAtScale(small, svg, 48, 48, 8);
    assert.ok(xor < 0.012, `placement (${dx}, ${dy}): xor ${(100 * xor).toFixed(2)} %: ${svg}`);
  }
});

test('a plus of bars 4.5 px wide with round ends keeps half-circle caps (a 48 px cross badge), in colour and in bw', async () => {
  // Each arm's sides run 3.75 px from its cap into a concave corner. The cap was taken for a round lobe, on a
  // circle fitted over a window that reached 1.4 px down the sides: 0.2 px too wide, its ends low on the sides,
  // and the cap bulged past the arm (xor 2.8 to 4.5 % of the ink at 8×; 0.5 to 1.6 % now). A convex corner whose
  // own pixel is not quite covered no longer puts its sample on the lattice corner (0.3–0.5 px off the cap).
  const { inkMask, xorError } = await import('../../bench/shapes/metrics.js');
  for (const [fg, bg, preset] of [['#db4539', '#e4e4e4', 'poster'], ['#000', '#fff', 'bw']] as const) {
    for (const d of [0, 0.25, 0.5, 0.75]) {
      const bars = `<rect x="${9.75 + d}" y="${3.75 + d}" width="4.5" height="16.5" rx="2.25" fill="${fg}"/><rect x="${3.75 + d}" y="${9.75 + d}" width="16.5" height="4.5" rx="2.25" fill="${fg}"/>`;
      const small = `<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24"><rect width="24" height="24" fill="${bg}"/>${bars}</svg>`;
      const svg = traceRgba({ data: renderSvg(small, 24, 24), width: 24, height: 24 }, { preset });
      const big = (s: string): string => s.replace(/width="24" height="24"( viewBox="0 0 24 24")?/, 'width="192" height="192" viewBox="0 0 24 24"');
      const ink = (rgba: Uint8Array): Uint8Array => { const g = new Uint8Array(rgba.length); for (let p = 0; p < rgba.length; p += 4) { const v = rgba[p + 1]! < 0x90 ? 0 : 255; g[p] = g[p + 1] = g[p + 2] = v; g[p + 3] = 255; } return g; };
      const xor = xorError(inkMask(ink(renderSvg(big(small), 192, 192))), inkMask(ink(renderSvg(big(svg), 192, 192))));
      assert.ok(xor < 0.02, `${preset}, offset ${d}: xor ${(100 * xor).toFixed(2)} %: ${svg}`);
    }
  }
});

test('a small plus with round ends at 48 px: its arms end round, not in spikes (a squeezed tip goes)', () => {
  // My drawing: a white plus of 3 px strokes with round caps, arms 4 px from its centre, on a dark tile with an
  // orange bar (flat art). Each arm runs 1.5 px from its cap into the notches: too short for the cap models.
  const W = 48, S = 8, cx = 24.75, cy = 20.25, a = 4;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48"><rect width="48" height="48" fill="#3d3d3d"/><rect x="4" y="32" width="40" height="10" rx="2" fill="#f08a24"/><path d="M${cx - a} ${cy}H${cx + a}M${cx} ${cy - a}V${cy + a}" stroke="#fff" stroke-width="3" stroke-linecap="round"/></svg>`;
  const traced = traceRgba({ data: renderSvg(svg, W, W), width: W, height: W }, { preset: 'poster' });
  const truth = renderSvg(svg.replace('width="48" height="48"', `width="${W * S}" height="${W * S}"`), W * S, W * S);
  const big = renderSvg(traced.replace(`width="${W}" height="${W}"`, `width="${W * S}" height="${W * S}"`), W * S, W * S);
  let se = 0, count = 0;
  for (let y = Math.floor((cy - a - 3) * S); y < (cy + a + 3) * S; y++) {
    for (let x = Math.floor((cx - a - 3) * S); x < (cx + a + 3) * S; x++) {
      const q = 4 * (y * W * S + x);
      for (let c = 0; c < 3; c++) { const e = big[q + c]! - truth[q + c]!; se += e * e; }
      count += 3;
    }
  }
  // Sharp knots on the caps' middles drew flat ends with a spike (rms 20.1 at 8×); smooth over them, 16.1.
  const rms = Math.sqrt(se / count);
  assert.ok(rms < 18, `rms ${rms.toFixed(2)} over the plus at 8×: ${traced}`);
});

test('a serif 1.25 px thick keeps its square end (a stem\'s top serif in 24 px text), not a curl', () => {
  // A stem 2.75 px wide with a serif reaching 1.9 px left of it, 1.25 px thick: DejaVu Serif's "u" at 24 px.
  const { d, points } = tracePoints(40, 30, '<path d="M26.25 14H31V26H28.15V15.25H26.25Z" fill="#000"/>');
  const nearest = (cx: number, cy: number): number => Math.min(...points.map(([x, y]) => Math.hypot(x - cx, y - cy)));
  // Both corners of the serif's end are drawn (one sharp knot there was drawn as a curl, the lower corner
  // cut 0.5 px and the underside bent down into the stem).
  const upper = nearest(26.25, 14), lower = nearest(26.25, 15.25);
  assert.ok(upper < 0.15 && lower < 0.15, `end corners ${upper.toFixed(2)} / ${lower.toFixed(2)} px from the outline: ${d}`);
  // The underside stays on its line up to the stem (within 0.15 px of y = 15.25 from the end to 0.5 px before it).
  const under = points.filter(([x, y]) => x > 26.5 && x < 27.65 && y > 14.6);
  assert.ok(under.length > 3 && under.every(([, y]) => Math.abs(y - 15.25) < 0.15), `underside: ${under.map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`).join(' ')}`);
});
