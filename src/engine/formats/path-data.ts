/**
 * SVG path data (every command of SVG 1.1: M L H V C S Q T A Z, absolute and relative, implicit repeats,
 * compact numbers such as `-.5.5` and arc flags written without separators) reduced to absolute moves,
 * lines, cubics and closes. The PDF, EPS and DXF writers draw from this reduced form only, so whatever
 * commands the SVG writer uses, every format can draw them: quadratics become the cubics they are, and
 * elliptical arcs become cubics of at most 90° each (error below 3·10⁻⁴ of the radius).
 */

export const MOVE = 0, LINE = 1, CUBIC = 2, CLOSE = 3;

/** Reduced path: `ops` holds MOVE/LINE/CUBIC/CLOSE; `coords` 2 numbers per MOVE/LINE, 6 per CUBIC, 0 per CLOSE. */
export interface Outline {
  ops: number[];
  coords: number[];
}

export class PathDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PathDataError';
  }
}

const ARG_COUNT: Record<string, number> = { m: 2, l: 2, h: 1, v: 1, c: 6, s: 4, q: 4, t: 2, a: 7, z: 0 };

/** Reads the numbers of path data; arc flags (one digit, 0 or 1) are read as single characters. */
class Scanner {
  pos = 0;
  constructor(private readonly s: string) {}

  skipSeparators(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 32 || c === 44 || c === 9 || c === 10 || c === 13 || c === 12) this.pos++;
      else break;
    }
  }

  number(): number {
    this.skipSeparators();
    const s = this.s;
    const start = this.pos;
    let i = start;
    if (s[i] === '+' || s[i] === '-') i++;
    let digits = 0;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) { i++; digits++; }
    if (s[i] === '.') {
      i++;
      while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) { i++; digits++; }
    }
    if (digits === 0) throw new PathDataError(`path data: expected a number at offset ${start}, got ${JSON.stringify(s.slice(start, start + 10))}`);
    if (s[i] === 'e' || s[i] === 'E') {
      let j = i + 1;
      if (s[j] === '+' || s[j] === '-') j++;
      if (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) {
        while (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
        i = j;
      }
    }
    this.pos = i;
    return Number(s.slice(start, i));
  }

  flag(): number {
    this.skipSeparators();
    const c = this.s[this.pos];
    if (c !== '0' && c !== '1') throw new PathDataError(`path data: expected an arc flag (0 or 1) at offset ${this.pos}, got ${JSON.stringify(c ?? 'end')}`);
    this.pos++;
    return c === '1' ? 1 : 0;
  }
}

/** Parses path data into the reduced form. Throws PathDataError on malformed data. */
export function parsePathData(d: string): Outline {
  const ops: number[] = [];
  const coords: number[] = [];
  const sc = new Scanner(d);
  let x = 0, y = 0, sx = 0, sy = 0;
  // Reflection points of S (previous cubic's second handle) and T (previous quadratic's control).
  let cx = 0, cy = 0, qx = 0, qy = 0;
  let prev = '';
  let cmd = '';
  const a = new Float64Array(7);
  for (;;) {
    sc.skipSeparators();
    if (sc.pos >= d.length) break;
    const ch = d[sc.pos];
    if (/[a-zA-Z]/.test(ch)) {
      if (!(ch.toLowerCase() in ARG_COUNT)) throw new PathDataError(`path data: unknown command ${JSON.stringify(ch)} at offset ${sc.pos}`);
      cmd = ch;
      sc.pos++;
    } else if (cmd === '' || cmd === 'z' || cmd === 'Z') {
      throw new PathDataError(`path data: expected a command letter at offset ${sc.pos}, got ${JSON.stringify(ch)}`);
    }
    const lower = cmd.toLowerCase();
    const rel = cmd !== cmd.toUpperCase();
    if (lower === 'z') {
      ops.push(CLOSE);
      x = sx; y = sy;
      prev = 'z';
      continue;
    }
    const n = ARG_COUNT[lower];
    for (let i = 0; i < n; i++) a[i] = lower === 'a' && (i === 3 || i === 4) ? sc.flag() : sc.number();
    const ox = rel ? x : 0, oy = rel ? y : 0;
    switch (lower) {
      case 'm':
        x = a[0] + ox; y = a[1] + oy; sx = x; sy = y;
        ops.push(MOVE); coords.push(x, y);
        cmd = rel ? 'l' : 'L'; // further pairs are lines
        break;
      case 'l':
        x = a[0] + ox; y = a[1] + oy;
        ops.push(LINE); coords.push(x, y);
        break;
      case 'h':
        x = a[0] + ox;
        ops.push(LINE); coords.push(x, y);
        break;
      case 'v':
        y = a[0] + oy;
        ops.push(LINE); coords.push(x, y);
        break;
      case 'c':
      case 's': {
        let x1: number, y1: number, k = 0;
        if (lower === 'c') { x1 = a[0] + ox; y1 = a[1] + oy; k = 2; } else if (prev === 'c') { x1 = 2 * x - cx; y1 = 2 * y - cy; } else { x1 = x; y1 = y; }
        cx = a[k] + ox; cy = a[k + 1] + oy;
        x = a[k + 2] + ox; y = a[k + 3] + oy;
        ops.push(CUBIC); coords.push(x1, y1, cx, cy, x, y);
        prev = 'c';
        continue;
      }
      case 'q':
      case 't': {
        if (lower === 'q') { qx = a[0] + ox; qy = a[1] + oy; } else if (prev === 'q') { qx = 2 * x - qx; qy = 2 * y - qy; } else { qx = x; qy = y; }
        const ex = a[lower === 'q' ? 2 : 0] + ox, ey = a[lower === 'q' ? 3 : 1] + oy;
        ops.push(CUBIC);
        coords.push(x + (2 / 3) * (qx - x), y + (2 / 3) * (qy - y), ex + (2 / 3) * (qx - ex), ey + (2 / 3) * (qy - ey), ex, ey);
        x = ex; y = ey;
        prev = 'q';
        continue;
      }
      case 'a': {
        const ex = a[5] + ox, ey = a[6] + oy;
        arcToCubics(x, y, a[0], a[1], a[2], a[3] === 1, a[4] === 1, ex, ey, ops, coords);
        x = ex; y = ey;
        break;
      }
    }
    prev = lower;
  }
  if (ops.length > 0 && ops[0] !== MOVE) throw new PathDataError('path data must start with a move (M or m)');
  return { ops, coords };
}

/**
 * The centre parameterisation of an SVG elliptic arc from (x1, y1) to (x2, y2) (SVG 1.1 implementation notes,
 * F.6.5–6), into `out`: centre x, y, the radii (scaled up when they cannot reach from one end to the other),
 * the start angle and the signed sweep (radians, in the ellipse's own frame). False when the ends coincide or
 * a radius is 0 (no arc: nothing, or a straight line).
 */
export function arcCentre(
  x1: number, y1: number, rxIn: number, ryIn: number, angleDeg: number, large: boolean, sweep: boolean,
  x2: number, y2: number, out: Float64Array,
): boolean {
  if (x1 === x2 && y1 === y2) return false;
  let rx = Math.abs(rxIn), ry = Math.abs(ryIn);
  if (rx === 0 || ry === 0) return false;
  const phi = (angleDeg % 360) * Math.PI / 180;
  const cos = Math.cos(phi), sin = Math.sin(phi);
  const dx = (x1 - x2) / 2, dy = (y1 - y2) / 2;
  const xp = cos * dx + sin * dy, yp = -sin * dx + cos * dy;
  const lambda = (xp * xp) / (rx * rx) + (yp * yp) / (ry * ry);
  if (lambda > 1) { const s = Math.sqrt(lambda); rx *= s; ry *= s; }
  const num = rx * rx * ry * ry - rx * rx * yp * yp - ry * ry * xp * xp;
  const den = rx * rx * yp * yp + ry * ry * xp * xp;
  let coef = Math.sqrt(Math.max(0, num / den));
  if (large === sweep) coef = -coef;
  const cxp = coef * (rx * yp) / ry, cyp = -coef * (ry * xp) / rx;
  const ux = (xp - cxp) / rx, uy = (yp - cyp) / ry, vx = (-xp - cxp) / rx, vy = (-yp - cyp) / ry;
  let delta = Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy);
  if (!sweep && delta > 0) delta -= 2 * Math.PI;
  else if (sweep && delta < 0) delta += 2 * Math.PI;
  out[0] = cos * cxp - sin * cyp + (x1 + x2) / 2;
  out[1] = sin * cxp + cos * cyp + (y1 + y2) / 2;
  out[2] = rx;
  out[3] = ry;
  out[4] = Math.atan2(uy, ux);
  out[5] = delta;
  return true;
}

/** Numbers arcCentre writes. */
export const ARC_CENTRE = 6;
const CENTRE = new Float64Array(ARC_CENTRE);

/**
 * An elliptical arc (SVG endpoint parameterization) as cubics, following the SVG 1.1 implementation notes
 * (F.6.5 and F.6.6: out-of-range radii are scaled up, zero radii give a line).
 */
export function arcToCubics(
  x1: number, y1: number, rxIn: number, ryIn: number, angleDeg: number, large: boolean, sweep: boolean,
  x2: number, y2: number, ops: number[], coords: number[],
): void {
  if (x1 === x2 && y1 === y2) return;
  if (!arcCentre(x1, y1, rxIn, ryIn, angleDeg, large, sweep, x2, y2, CENTRE)) {
    ops.push(LINE); coords.push(x2, y2);
    return;
  }
  const cx = CENTRE[0], cy = CENTRE[1], rx = CENTRE[2], ry = CENTRE[3], theta1 = CENTRE[4], delta = CENTRE[5];
  const phi = (angleDeg % 360) * Math.PI / 180;
  const cos = Math.cos(phi), sin = Math.sin(phi);
  const segments = Math.max(1, Math.ceil(Math.abs(delta) / (Math.PI / 2) - 1e-9));
  const step = delta / segments;
  const k = (4 / 3) * Math.tan(step / 4);
  // Points on the unit circle mapped through the ellipse (radii, rotation, centre).
  const px = (ex: number, ey: number): number => cos * rx * ex - sin * ry * ey + cx;
  const py = (ex: number, ey: number): number => sin * rx * ex + cos * ry * ey + cy;
  let t = theta1;
  for (let i = 0; i < segments; i++) {
    const c0 = Math.cos(t), s0 = Math.sin(t), t1 = t + step, c1 = Math.cos(t1), s1 = Math.sin(t1);
    const last = i === segments - 1;
    ops.push(CUBIC);
    coords.push(
      px(c0 - k * s0, s0 + k * c0), py(c0 - k * s0, s0 + k * c0),
      px(c1 + k * s1, s1 - k * c1), py(c1 + k * s1, s1 - k * c1),
      last ? x2 : px(c1, s1), last ? y2 : py(c1, s1),
    );
    t = t1;
  }
}
