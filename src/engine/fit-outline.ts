/**
 * One outline fitter for the stacked layers (trace.ts): from a closed contour on the pixel-corner lattice
 * to path data, by curve mode.
 * - pixel (and none): the lattice polygon itself, the exact pixel staircase;
 * - polygon: the sub-pixel edge (subpixel.ts) simplified to straight segments (simplify.ts);
 * - spline: the sub-pixel edge fitted as a shape (outline.ts): runs between corners as few cubics as the
 *   tolerance allows, lines where straight, sharp corners where the edges meet.
 */
import type { TraceParameters } from './options.js';
import { FloatBuffer } from './buffers.js';
import { limitPenalties } from './simplify.js';
import { subpixelOutline, type EdgeField } from './subpixel.js';
import { fitClosedOutline, OutlineWorkspace, type OutlineParams } from './outline.js';
import type { PathWriter } from './svg.js';
import { fitEllipse } from './ellipse.js';

/** An outline is written as an ellipse when all its samples are this close to one (px, at most the tolerance). */
const ELLIPSE_TOLERANCE = 0.3;

/** Finest fitting tolerance (px), used when `simplify` is 0. */
const MIN_TOLERANCE = 0.2;

/** The shape fitter's parameters from the trace parameters (see the option table for their meaning). */
export function outlineParamsOf(params: TraceParameters, check?: () => void): OutlineParams {
  const deg = Math.PI / 180;
  return {
    cornerAngle: params.cornerThreshold * deg,
    // A piece may turn twice the splice threshold: the default (45°) then allows quarter circles, which one
    // cubic draws within 0.03 % of the radius.
    maxTurn: 2 * params.spliceThreshold * deg,
    tolerance: Math.max(MIN_TOLERANCE, params.simplify),
    maxDepth: params.maxIterations,
    scale: params.lengthThreshold / 2,
    check,
  };
}

export class OutlineFitter {
  private readonly mode: 'pixel' | 'polygon' | 'spline';
  private readonly samples = new FloatBuffer(1024);
  private readonly simple = new FloatBuffer(1024);
  private readonly curves = new FloatBuffer(1024);
  private readonly ws = new OutlineWorkspace();
  private readonly params: OutlineParams;

  constructor(params: TraceParameters, check?: () => void) {
    this.mode = params.mode === 'none' ? 'pixel' : params.mode;
    this.params = outlineParamsOf(params, check);
  }

  /** Writes the closed lattice contour `from`..`to` of `pts` (corner vertices) as one subpath. */
  fitContour(pts: Int32Array, from: number, to: number, field: EdgeField, writer: PathWriter): void {
    if (to - from < 3) return;
    if (this.mode === 'pixel') {
      writer.moveTo(pts[2 * from], pts[2 * from + 1]);
      for (let v = from + 1; v < to; v++) writer.lineTo(pts[2 * v], pts[2 * v + 1]);
      writer.close();
      return;
    }
    subpixelOutline(pts, from, to, field, this.samples);
    const n = this.samples.length >> 1;
    if (n < 3) return;
    if (this.mode === 'polygon') {
      limitPenalties(this.samples.data, n, this.simple);
      const m = this.simple.length >> 1;
      if (m < 3) return;
      const poly = this.simple.data;
      writer.moveTo(poly[0], poly[1]);
      for (let v = 1; v < m; v++) writer.lineTo(poly[2 * v], poly[2 * v + 1]);
      writer.close();
      return;
    }
    if (this.writeEllipse(this.samples.data, n, writer)) return;
    fitClosedOutline(this.samples.data, n, this.params, this.ws, this.curves);
    const s = this.curves.data;
    if (this.curves.length < 8) return;
    writer.moveTo(s[0], s[1]);
    for (let o = 2; o + 6 <= this.curves.length; o += 6) writer.cubicTo(s[o], s[o + 1], s[o + 2], s[o + 3], s[o + 4], s[o + 5]);
    writer.close();
  }

  /** Writes the outline as two half-ellipse arcs if its samples lie on an ellipse; false otherwise. */
  private writeEllipse(pts: Float64Array, n: number, writer: PathWriter): boolean {
    const e = fitEllipse(pts, n);
    if (!e || e.maxError > Math.min(ELLIPSE_TOLERANCE, this.params.tolerance) || Math.min(e.rx, e.ry) < 1) return false;
    // Same turning sense as the contour (outer outlines clockwise on screen, holes counter-clockwise).
    let area2 = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) area2 += pts[2 * j] * pts[2 * i + 1] - pts[2 * i] * pts[2 * j + 1];
    const sweep = area2 > 0 ? 1 : 0;
    const co = Math.cos(e.angle), si = Math.sin(e.angle);
    const deg = (e.angle * 180) / Math.PI;
    writer.moveTo(e.cx + e.rx * co, e.cy + e.rx * si);
    writer.arcTo(e.rx, e.ry, deg, 0, sweep, e.cx - e.rx * co, e.cy - e.rx * si);
    writer.arcTo(e.rx, e.ry, deg, 0, sweep, e.cx + e.rx * co, e.cy + e.rx * si);
    writer.close();
    return true;
  }
}
