/**
 * Whole rounded rectangles (rounded-rect.ts; fit-outline.ts draws a closed outline as one when it lies on
 * one): the fit on exact samples, and traces of rasterized shapes against their true geometry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceRgba } from '../../src/engine/index.js';
import { fitRoundedRect } from '../../src/engine/rounded-rect.js';
import { parsePathData, renderSvg, svgPaths } from '../support/fidelity.js';
import { splineOf, splinePoints } from '../support/splines.js';

/** Signed distance from (x, y) to a rounded rectangle centred at (cx, cy), half sides hw, hh, radius r, turned `deg`. */
function roundedRectDistance(x: number, y: number, cx: number, cy: number, hw: number, hh: number, r: number, deg: number): number {
  const a = (deg * Math.PI) / 180, co = Math.cos(a), si = Math.sin(a);
  const u = (x - cx) * co + (y - cy) * si, v = -(x - cx) * si + (y - cy) * co;
  const qx = Math.abs(u) - hw + r, qy = Math.abs(v) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/** `count` points along the rounded rectangle's outline (by walking its sides and quarter circles), flat. */
function roundedRectSamples(cx: number, cy: number, hw: number, hh: number, r: number, deg: number, count: number): Float64Array {
  const a = (deg * Math.PI) / 180, co = Math.cos(a), si = Math.sin(a);
  const sides = [2 * (hh - r), 2 * (hw - r), 2 * (hh - r), 2 * (hw - r)];
  const arc = (Math.PI / 2) * r;
  const perimeter = sides.reduce((s, l) => s + l, 0) + 4 * arc;
  const out = new Float64Array(2 * count);
  for (let i = 0; i < count; i++) {
    let t = (i / count) * perimeter, u = 0, v = 0;
    // Sides right, bottom, left, top (clockwise on screen), each followed by its corner.
    const corner = [[1, 1], [-1, 1], [-1, -1], [1, -1]] as const;
    for (let k = 0; k < 4; k++) {
      const [su, sv] = corner[k]!;
      if (t <= sides[k]!) {
        const s = -sides[k]! / 2 + t;
        if (k % 2 === 0) { u = su * hw; v = su * s; } else { u = -sv * s; v = sv * hh; }
        break;
      }
      t -= sides[k]!;
      if (t <= arc || k === 3) {
        const start = k === 0 ? 0 : k === 1 ? Math.PI / 2 : k === 2 ? Math.PI : -Math.PI / 2;
        const ang = start + Math.min(t, arc) / r;
        u = su * (hw - r) + r * Math.cos(ang);
        v = sv * (hh - r) + r * Math.sin(ang);
        break;
      }
      t -= arc;
    }
    out[2 * i] = cx + u * co - v * si;
    out[2 * i + 1] = cy + u * si + v * co;
  }
  return out;
}

test('fitRoundedRect: exact samples of a turned rounded rectangle give back its centre, sides, radius and angle', () => {
  const pts = roundedRectSamples(40.3, 30.7, 20, 12, 5, 20, 200);
  for (let i = 0; i < pts.length; i += 2) {
    assert.ok(Math.abs(roundedRectDistance(pts[i]!, pts[i + 1]!, 40.3, 30.7, 20, 12, 5, 20)) < 1e-9, 'test samples off their shape');
  }
  const rr = fitRoundedRect(pts, 200, 0.3, 1.5);
  assert.ok(rr, 'no rounded rectangle found');
  assert.ok(Math.abs(rr.cx - 40.3) < 0.02 && Math.abs(rr.cy - 30.7) < 0.02, `centre ${rr.cx}, ${rr.cy}`);
  assert.ok(Math.abs(rr.hw - 20) < 0.02 && Math.abs(rr.hh - 12) < 0.02, `half sides ${rr.hw}, ${rr.hh}`);
  assert.ok(Math.abs(rr.r - 5) < 0.05, `radius ${rr.r}`);
  // The angle of the first axis, modulo a half turn.
  const turned = ((((rr.angle * 180) / Math.PI - 20) % 180) + 270) % 180 - 90;
  assert.ok(Math.abs(turned) < 0.1, `angle ${(rr.angle * 180) / Math.PI}°`);
  assert.ok(rr.maxError < 0.02, `max error ${rr.maxError}`);
});

test('fitRoundedRect: an ellipse is no rounded rectangle; a sharp rectangle fits one of radius 0', () => {
  const n = 120, ellipse = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const t = (2 * Math.PI * i) / n;
    ellipse[2 * i] = 50 + 30 * Math.cos(t);
    ellipse[2 * i + 1] = 40 + 18 * Math.sin(t);
  }
  assert.equal(fitRoundedRect(ellipse, n, 0.3, 1.5), null);
  const sharp = fitRoundedRect(roundedRectSamples(30, 30, 15, 6, 0, -8, 150), 150, 0.3, 1.5);
  assert.ok(sharp && sharp.r < 0.05, `sharp rectangle: radius ${sharp?.r}`);
});

const svgOf = (w: number, h: number, body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${body}</svg>`;

/** The trace (bw) of one black shape on white, and points along its outline. */
function traceShape(w: number, h: number, body: string): { d: string; points: Array<[number, number]> } {
  const data = renderSvg(svgOf(w, h, body), w, h);
  const svg = traceRgba({ data, width: w, height: h }, { preset: 'bw', pathPrecision: 3 });
  const paths = svgPaths(svg);
  assert.equal(paths.length, 1, `one path expected: ${svg}`);
  const d = paths[0]!.d;
  const points: Array<[number, number]> = [];
  for (const sub of d.split(/(?=[Mm])/)) { const sp = splineOf(sub); points.push(...splinePoints(sp, sp.length, 40)); }
  return { d, points };
}

test('traced: an eye-sized stadium and a turned rounded rectangle are drawn as lines and arcs on their true outline', () => {
  // The 96 px dog emoji's eye (a stadium 10.7 × 16 px: half circles joined by straight sides), and a button.
  const cases = [
    { w: 32, h: 32, cx: 16.2, cy: 15.7, hw: 8, hh: 5.35, r: 5.35, deg: 90 },
    { w: 64, h: 48, cx: 32.3, cy: 24.1, hw: 22, hh: 13, r: 6, deg: 12 },
  ];
  for (const c of cases) {
    const body = `<rect x="${c.cx - c.hw}" y="${c.cy - c.hh}" width="${2 * c.hw}" height="${2 * c.hh}" rx="${c.r}" transform="rotate(${c.deg} ${c.cx} ${c.cy})"/>`;
    const { d, points } = traceShape(c.w, c.h, body);
    assert.match(d, /^M[^CcSsQqTt]*$/, `only lines and arcs expected: ${d}`);
    const arcs = parsePathData(d).filter((c) => c.letter === 'A' || c.letter === 'a').reduce((s, c) => s + c.args.length / 7, 0);
    assert.equal(arcs, 4, `four corners drawn as arcs: ${d}`);
    let worst = 0;
    for (const [x, y] of points) worst = Math.max(worst, Math.abs(roundedRectDistance(x, y, c.cx, c.cy, c.hw, c.hh, c.r, c.deg)));
    assert.ok(worst < 0.15, `${JSON.stringify(c)}: ${worst.toFixed(3)} px off the true outline: ${d}`);
  }
});

test('traced: a sharp rectangle keeps its corners, and a rounded one cut by the frame keeps the frame\'s', () => {
  const bar = traceShape(48, 48, '<rect x="20" y="6" width="8" height="36" transform="rotate(7 24 24)"/>');
  assert.doesNotMatch(bar.d, /[Aa]/, `a sharp bar drawn with arcs: ${bar.d}`);
  // Cut by the left edge of the image: its corners there are where the frame cuts it, (0, 12) and (0, 40).
  const cut = traceShape(48, 48, '<rect x="-10" y="12" width="40" height="28" rx="6"/>');
  for (const [fx, fy] of [[0, 12], [0, 40]] as const) {
    const near = Math.min(...cut.points.map(([x, y]) => Math.hypot(x - fx, y - fy)));
    assert.ok(near < 0.1, `frame corner (${fx}, ${fy}) rounded off by ${near.toFixed(2)} px: ${cut.d}`);
  }
});

test('a small box with sharp corners is not taken for an ellipse (a line icon\'s 4 × 6 px door)', () => {
  // Its staircase corners lie within the hard-edged ellipse tolerance (0.6 px) of an ellipse, but exactly on a box.
  for (const [x, y] of [[22, 29], [22.5, 29.5]] as const) {
    const { d, points } = traceShape(48, 48, `<path fill-rule="evenodd" d="M12 20h24v20H12z M${x} ${y}h4v6h-4z"/>`);
    assert.doesNotMatch(d, /[Aa]/, `drawn with arcs: ${d}`);
    for (const [cx, cy] of [[x, y], [x + 4, y], [x + 4, y + 6], [x, y + 6]] as const) {
      const near = Math.min(...points.map(([px, py]) => Math.hypot(px - cx, py - cy)));
      assert.ok(near < 0.3, `hole corner (${cx}, ${cy}) rounded off by ${near.toFixed(2)} px: ${d}`);
    }
  }
});
