/**
 * The one place where centerline strokes meet the outline curve fitting: a stroke's pixel-centre polyline
 * is simplified (polygon mode, src/engine/simplify.ts) or fitted as a shape by the outlines' fitter
 * (spline mode, src/engine/outline.ts, with the parameters of an aliased outline: pixel centres are only
 * within half a pixel of the true centre line), and goes into the SVG path writer. Open strokes keep their
 * end points exactly (they sit on junctions).
 */
import { FloatBuffer, withCapacity } from '../buffers.js';
import { limitPenalties } from '../simplify.js';
import { fitOutline, OutlineWorkspace, type OutlineParams } from '../outline.js';
import { smoothSamples } from '../roughness.js';
import type { PathWriter } from '../svg.js';

/** Smoothing rounds ([1 2 1] / 4) of a stroke's pixel centres before fitting. */
const STROKE_SMOOTHING = 1;

/** Longest run handed to the simplifier at once: its chord search is quadratic in the run length. */
const PIECE = 256;

export class StrokeFitter {
  private readonly run = new FloatBuffer(1024);
  private readonly piece = new FloatBuffer(256);
  private readonly simple = new FloatBuffer(1024);
  private readonly spline = new FloatBuffer(1024);
  private readonly dense = new FloatBuffer(1024);
  private readonly ws = new OutlineWorkspace();
  private tmp = new Float64Array(1024);

  constructor(private readonly mode: 'spline' | 'polygon' | 'pixel', private readonly params: OutlineParams) {}

  /** Writes one stroke (x, y pairs; closed: the last point joins the first) as a subpath. */
  write(points: ArrayLike<number>, closed: boolean, writer: PathWriter): void {
    const n = points.length >> 1;
    if (n < 2) return;
    if (this.mode === 'pixel' || n < 3) {
      writer.moveTo(points[0], points[1]);
      for (let i = 1; i < n; i++) writer.lineTo(points[2 * i], points[2 * i + 1]);
      if (closed) writer.close();
      return;
    }
    // Points where the chain keeps its direction add nothing: drop them first (a straight run is 2 points).
    const run = this.run;
    run.clear();
    for (let i = 0; i < n; i++) {
      if (i > 0 && i < n - 1) {
        const dx1 = points[2 * i] - points[2 * i - 2], dy1 = points[2 * i + 1] - points[2 * i - 1];
        const dx2 = points[2 * i + 2] - points[2 * i], dy2 = points[2 * i + 3] - points[2 * i + 1];
        if (Math.abs(dx1 * dy2 - dy1 * dx2) < 1e-9 && dx1 * dx2 + dy1 * dy2 > 0) continue;
      }
      run.push2(points[2 * i], points[2 * i + 1]);
    }
    const simple = this.simple;
    simple.clear();
    const m = run.length >> 1;
    if (closed && m >= 4) {
      limitPenalties(run.data, m, simple, 1, true);
    } else {
      // Open (or too short to close): simplified in pieces sharing their end points.
      for (let from = 0; from < m - 1; from += PIECE - 1) {
        const to = Math.min(m, from + PIECE);
        limitPenalties(run.data.subarray(2 * from, 2 * to), to - from, this.piece, 1, false);
        for (let i = from === 0 ? 0 : 2; i < this.piece.length; i++) simple.push(this.piece.data[i]);
      }
    }
    const k = simple.length >> 1;
    const poly = simple.data;
    const isClosed = closed && k >= 3;
    if (this.mode === 'polygon' || k < 3) {
      writer.moveTo(poly[0], poly[1]);
      for (let i = 1; i < k; i++) writer.lineTo(poly[2 * i], poly[2 * i + 1]);
      if (isClosed) writer.close();
      return;
    }
    // The fitter measures turns over arc length: it wants every pixel-centre point, not the simplified ones
    // (a closed stroke repeats no point: its last joins its first).
    const dense = this.dense;
    dense.clear();
    const last = isClosed && points[2 * n - 2] === points[0] && points[2 * n - 1] === points[1] ? n - 1 : n;
    for (let i = 0; i < last; i++) dense.push2(points[2 * i], points[2 * i + 1]);
    // A thinned line steps from pixel to pixel, straight and diagonal: grain of a pixel, smoothed first.
    const count = dense.length >> 1;
    this.tmp = withCapacity(this.tmp, 2 * count);
    smoothSamples(dense.data, count, STROKE_SMOOTHING, this.tmp, isClosed);
    fitOutline(dense.data, count, isClosed, this.params, this.ws, this.spline);
    const s = this.spline.data;
    writer.moveTo(s[0], s[1]);
    for (let o = 2; o + 6 <= this.spline.length; o += 6) writer.cubicTo(s[o], s[o + 1], s[o + 2], s[o + 3], s[o + 4], s[o + 5]);
    if (isClosed) writer.close();
  }
}

