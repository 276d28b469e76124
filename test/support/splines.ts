/**
 * Traced outlines as Splines (the engine's form: start point, 6 numbers per cubic) and points along them,
 * to measure a trace against a known curve.
 */
import { CUBIC, LINE, MOVE, parsePathData } from '../../src/engine/formats/path-data.js';

/** Points along a Spline (start point, 6 numbers per cubic), `per` per cubic. */
export function splinePoints(s: Float64Array, length: number, per = 40): Array<[number, number]> {
  const pts: Array<[number, number]> = [];
  for (let o = 2; o + 6 <= length; o += 6) {
    const x0 = s[o - 2]!, y0 = s[o - 1]!;
    for (let k = 0; k < per; k++) {
      const t = k / per, u = 1 - t;
      pts.push([
        u * u * u * x0 + 3 * t * u * u * s[o]! + 3 * t * t * u * s[o + 2]! + t * t * t * s[o + 4]!,
        u * u * u * y0 + 3 * t * u * u * s[o + 1]! + 3 * t * t * u * s[o + 3]! + t * t * t * s[o + 5]!,
      ]);
    }
  }
  return pts;
}

/** Path data of one closed subpath of lines and cubics as a Spline (lines as cubics). */
export function splineOf(d: string): Float64Array {
  const { ops, coords } = parsePathData(d);
  const s: number[] = [];
  let k = 0;
  for (const op of ops) {
    if (op === MOVE) { s.push(coords[k]!, coords[k + 1]!); k += 2; }
    else if (op === LINE) {
      const x0 = s[s.length - 2]!, y0 = s[s.length - 1]!, x1 = coords[k]!, y1 = coords[k + 1]!;
      s.push(x0 + (x1 - x0) / 3, y0 + (y1 - y0) / 3, x0 + (2 * (x1 - x0)) / 3, y0 + (2 * (y1 - y0)) / 3, x1, y1);
      k += 2;
    } else if (op === CUBIC) { s.push(...coords.slice(k, k + 6)); k += 6; }
  }
  // A close back to the start.
  const x0 = s[s.length - 2]!, y0 = s[s.length - 1]!, x1 = s[0]!, y1 = s[1]!;
  if (x0 !== x1 || y0 !== y1) s.push(x0 + (x1 - x0) / 3, y0 + (y1 - y0) / 3, x0 + (2 * (x1 - x0)) / 3, y0 + (2 * (y1 - y0)) / 3, x1, y1);
  return Float64Array.from(s);
}

/** Joints of a closed Spline where the direction turns by more than `degrees` (its corners). */
export function tangentBreaks(s: Float64Array, degrees: number): number {
  const m = (s.length - 2) / 6;
  const dir = (x: number, y: number, ax: number, ay: number, bx: number, by: number): [number, number] | null => {
    for (const [px, py] of [[ax, ay], [bx, by]] as const) {
      const l = Math.hypot(px - x, py - y);
      if (l > 1e-9) return [(px - x) / l, (py - y) / l];
    }
    return null;
  };
  const starts: Array<[number, number] | null> = [], ends: Array<[number, number] | null> = [];
  for (let i = 0; i < m; i++) {
    const o = 2 + 6 * i;
    const x0 = s[o - 2]!, y0 = s[o - 1]!, x3 = s[o + 4]!, y3 = s[o + 5]!;
    starts.push(dir(x0, y0, s[o]!, s[o + 1]!, s[o + 2]!, s[o + 3]!));
    const back = dir(x3, y3, s[o + 2]!, s[o + 3]!, s[o]!, s[o + 1]!);
    ends.push(back ? [-back[0], -back[1]] : null);
  }
  const limit = Math.cos((degrees * Math.PI) / 180);
  let breaks = 0;
  for (let i = 0; i < m; i++) {
    const a = ends[(i + m - 1) % m], b = starts[i];
    if (a && b && a[0] * b[0] + a[1] * b[1] < limit) breaks++;
  }
  return breaks;
}
