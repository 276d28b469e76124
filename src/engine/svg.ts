/**
 * Compact SVG path data. Coordinates are first rounded to `precision` decimals in integer units
 * (value × 10^precision), and relative offsets are computed between rounded positions, so relative
 * commands never accumulate rounding drift. From level 1 numbers are written without redundant
 * characters: no leading zero (`.5`), no trailing zeros, no separator before `-` or before a `.` that
 * cannot belong to the previous number; repeated command letters are implied; a line that goes straight on
 * from the previous one extends it; a cubic with the handles of a circular arc (circle.ts) is written as an
 * arc, and arcs that go on along the same circle as one.
 */
import type { PathEntry } from './types.js';
import { arcOfCubic } from './circle.js';
import { ARC_CENTRE, arcCentre } from './formats/path-data.js';

const MINUS = 45, DOT = 46, SPACE = 32, ZERO = 48;

/** An arc command turns at most this much (radians, 150°) or at least a full turn less it (see arcPiece). */
const ARC_SPLIT_FROM = (5 * Math.PI) / 6;

/**
 * Near a half turn the centre an arc command implies is ill-conditioned (a half circle's is where its
 * rounded radius fits its chord, off by up to half a pixel either way): such an arc is written as two halves.
 */
function splitArc(turn: number): boolean {
  const abs = Math.abs(turn);
  return abs > ARC_SPLIT_FROM && abs < 2 * Math.PI - ARC_SPLIT_FROM;
}

/**
 * How far (scaled units: a unit of the last decimal) an arc command may draw from the true circle (at a
 * quarter, half and three quarters of its way); else the cubic is written, whose rounding moves it less (at
 * 0 decimals a 1 px radius arc could land 4 px off).
 */
const ARC_WRITE_SLACK = 0.75;

/**
 * The runtime's UTF-8 decoder when it has one (Node, browsers, workers: a native copy, 20× faster than
 * building the string from char codes), else null. The engine uses no runtime API it cannot do without.
 */
const ASCII: { decode(bytes: Uint8Array): string } | null = (() => {
  const Decoder = (globalThis as { TextDecoder?: new () => { decode(bytes: Uint8Array): string } }).TextDecoder;
  return Decoder ? new Decoder() : null;
})();

/**
 * Writes path data at an `optimize` level: 0 absolute commands, letters repeated, plain numbers;
 * 1 each command relative or absolute, whichever is shorter, compact numbers, repeated letters implied,
 * straight cubics written as lines; 2 also the shorthands h/v (axis-aligned lines) and s (smooth cubics whose
 * first handle mirrors the previous one). Digits go straight into a byte buffer: no intermediate strings per number.
 */
export class PathWriter {
  private readonly scale: number;
  private buf = new Uint8Array(4096);
  private len = 0;
  /** Current point, subpath start and the previous cubic's second handle, in scaled integer units. */
  private x = 0;
  private y = 0;
  private sx = 0;
  private sy = 0;
  private hx = 0;
  private hy = 0;
  private lastCmd = 0;
  private lastHasDot = false;
  private started = false;
  /**
   * When the last command written was a line: the buffer length before it and the state it started from
   * (lastCmd, lastHasDot, x, y, hx, hy), so that a collinear line after it can replace it by one line.
   * lineMark is −1 otherwise.
   */
  private lineMark = -1;
  private readonly lineState = new Float64Array(6);
  /**
   * Likewise when the last command was an arc written from a cubic (cubicTo): the buffer length before it,
   * the state it started from, and its circle (centre x, y, radius, turn so far, start point as given);
   * arcMark is −1 otherwise.
   */
  private arcMark = -1;
  private readonly arcState = new Float64Array(6);
  private readonly arcCircle = new Float64Array(6);
  private readonly found = new Float64Array(4);
  /** The circle a renderer draws for an arc command being checked (arcCentre). */
  private readonly drawn = new Float64Array(ARC_CENTRE);
  /** The current point as given (unrounded), to recognise arcs from the exact handles. */
  private fx = 0;
  private fy = 0;
  private fsx = 0;
  private fsy = 0;
  private readonly args = new Float64Array(6);
  private readonly digits = new Uint8Array(24);

  constructor(private readonly precision: number, private readonly level = 1) {
    this.scale = 10 ** precision;
  }

  /** Starts a new path, keeping the buffer. */
  reset(): void {
    this.len = 0;
    this.lineMark = -1;
    this.arcMark = -1;
    this.lastCmd = 0;
    this.lastHasDot = false;
    this.started = false;
    this.x = this.y = this.sx = this.sy = this.hx = this.hy = 0;
  }

  private q(v: number): number {
    return Math.round(v * this.scale);
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.len + extra));
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }

  /** Characters needed for a scaled value at level ≥ 1 (plus one for a possible separator). */
  private numLength(v: number): number {
    let n = 1;
    if (v < 0) { n++; v = -v; }
    const ip = Math.floor(v / this.scale);
    // Digit loops on int32 values (below 10⁸ and the image size): integer arithmetic, not floating modulo.
    let fp = (v - ip * this.scale) | 0;
    if (fp !== 0) {
      let d = this.precision;
      while (fp % 10 === 0) { fp = (fp / 10) | 0; d--; }
      n += 1 + d;
    }
    if (ip !== 0 || fp === 0) n += ip < 10 ? 1 : ip < 100 ? 2 : ip < 1000 ? 3 : ip < 10000 ? 4 : String(ip).length;
    return n;
  }

  /** Writes a scaled value with the separator it needs. */
  private num(v: number): void {
    this.ensure(32);
    const buf = this.buf;
    const neg = v < 0;
    if (neg) v = -v;
    const ip = Math.floor(v / this.scale);
    let fp = (v - ip * this.scale) | 0;
    let fracDigits = 0;
    if (fp !== 0) {
      fracDigits = this.precision;
      while (fp % 10 === 0) { fp = (fp / 10) | 0; fracDigits--; }
    }
    const leadingDot = fp !== 0 && ip === 0 && this.level > 0;
    // Separator: never after a command letter; at level ≥ 1 not before '-' nor before a '.' that cannot
    // belong to the previous number.
    if (this.len > 0 && buf[this.len - 1] < 65) {
      if (this.level === 0 || !(neg || (leadingDot && this.lastHasDot))) buf[this.len++] = SPACE;
    }
    if (neg) buf[this.len++] = MINUS;
    if (!leadingDot) {
      let i = ip | 0, k = 0;
      do { this.digits[k++] = ZERO + (i % 10); i = (i / 10) | 0; } while (i > 0);
      while (k > 0) buf[this.len++] = this.digits[--k];
    }
    if (fracDigits > 0) {
      buf[this.len++] = DOT;
      let f = fp;
      for (let k = fracDigits - 1; k >= 0; k--) { buf[this.len + k] = ZERO + (f % 10); f = (f / 10) | 0; }
      this.len += fracDigits;
    }
    this.lastHasDot = fracDigits > 0;
  }

  private letter(code: number): void {
    const implied = this.level > 0 && (code === this.lastCmd
      || (code === 76 /* L */ && this.lastCmd === 77 /* M */) || (code === 108 /* l */ && this.lastCmd === 109 /* m */));
    if (!implied) {
      this.ensure(1);
      this.buf[this.len++] = code;
    }
    this.lastCmd = code;
  }

  /** Emits a command with absolute values (x, y pairs), relative if that is shorter (level ≥ 1). */
  private command(absCode: number, count: number): void {
    const args = this.args;
    if (this.level > 0) {
      let rel = 0, abs = 0;
      for (let i = 0; i < count; i++) rel += this.numLength(args[i] - ((i & 1) === 0 ? this.x : this.y));
      // Relative wins ties, so the absolute lengths are summed only until they reach the relative total.
      for (let i = 0; i < count && abs < rel; i++) abs += this.numLength(args[i]);
      if (rel <= abs) {
        for (let i = 0; i < count; i++) args[i] -= (i & 1) === 0 ? this.x : this.y;
        absCode += 32; // lower case: relative
      }
    }
    this.letter(absCode);
    for (let i = 0; i < count; i++) this.num(args[i]);
  }

  moveTo(fx: number, fy: number): void {
    this.lineMark = -1;
    this.arcMark = -1;
    this.fx = this.fsx = fx;
    this.fy = this.fsy = fy;
    const x = this.q(fx), y = this.q(fy);
    this.args[0] = x;
    this.args[1] = y;
    if (this.started) this.command(77, 2);
    else {
      this.letter(77);
      this.num(x);
      this.num(y);
    }
    this.started = true;
    this.x = this.sx = this.hx = x;
    this.y = this.sy = this.hy = y;
  }

  lineTo(fx: number, fy: number): void {
    this.arcMark = -1;
    this.fx = fx;
    this.fy = fy;
    const x = this.q(fx), y = this.q(fy);
    if (x === this.x && y === this.y) return;
    if (this.level === 0) {
      this.writeLine(x, y);
      return;
    }
    const st = this.lineState;
    if (this.lineMark >= 0) {
      // The previous command was a line from (st[2], st[3]) to here: when this one goes on in the same
      // direction exactly (in written units), both become one line from its start.
      const ax = this.x - st[2], ay = this.y - st[3], bx = x - this.x, by = y - this.y;
      if (ax * by - ay * bx === 0 && ax * bx + ay * by > 0) {
        this.len = this.lineMark;
        this.lastCmd = st[0]; this.lastHasDot = st[1] !== 0;
        this.x = st[2]; this.y = st[3]; this.hx = st[4]; this.hy = st[5];
      }
    }
    this.lineMark = this.len;
    st[0] = this.lastCmd; st[1] = this.lastHasDot ? 1 : 0;
    st[2] = this.x; st[3] = this.y; st[4] = this.hx; st[5] = this.hy;
    this.writeLine(x, y);
  }

  private writeLine(x: number, y: number): void {
    if (this.level >= 2 && (y === this.y || x === this.x)) {
      const horizontal = y === this.y;
      const to = horizontal ? x : y, from = horizontal ? this.x : this.y;
      const relative = this.numLength(to - from) <= this.numLength(to);
      this.letter((horizontal ? 72 : 86) + (relative ? 32 : 0)); // H/V, h/v
      this.num(relative ? to - from : to);
    } else {
      this.args[0] = x;
      this.args[1] = y;
      this.command(76, 2);
    }
    this.x = this.hx = x;
    this.y = this.hy = y;
  }

  cubicTo(f1x: number, f1y: number, f2x: number, f2y: number, fx: number, fy: number): void {
    const x1 = this.q(f1x), y1 = this.q(f1y), x2 = this.q(f2x), y2 = this.q(f2y), x = this.q(fx), y = this.q(fy);
    // A cubic that rounds to a point (two knots on one sample: a fitted piece of no length) draws nothing.
    if (this.level >= 1 && x === this.x && y === this.y && x1 === x && y1 === y && x2 === x && y2 === y) return;
    if (this.level >= 1 && this.straight(x1, y1, x2, y2, x, y)) {
      this.lineTo(fx, fy);
      return;
    }
    this.lineMark = -1;
    if (this.level >= 1 && arcOfCubic(this.fx, this.fy, f1x, f1y, f2x, f2y, fx, fy, this.found) && this.arcPiece(fx, fy)) return;
    this.arcMark = -1;
    this.fx = fx;
    this.fy = fy;
    const last = this.lastCmd | 32;
    const smooth = this.level >= 2 && (last === 99 /* c */ || last === 115 /* s */)
      && x1 === 2 * this.x - this.hx && y1 === 2 * this.y - this.hy;
    const args = this.args;
    if (smooth) {
      args[0] = x2; args[1] = y2; args[2] = x; args[3] = y;
      this.command(83, 4);
    } else {
      args[0] = x1; args[1] = y1; args[2] = x2; args[3] = y2; args[4] = x; args[5] = y;
      this.command(67, 6);
    }
    this.hx = x2;
    this.hy = y2;
    this.x = x;
    this.y = y;
  }

  /**
   * Half an ellipse, from the current point at one end of its first axis (radius frx, rotated `rotation`
   * degrees) to the other end (fx, fy), turning the way `sweep` says; its radii written so that a renderer
   * centres it on the chord whatever the rounding.
   */
  halfEllipseTo(frx: number, fry: number, rotation: number, sweep: number, fx: number, fy: number): void {
    this.lineMark = -1;
    this.arcMark = -1;
    this.writeArc(frx, fry, rotation, 0, sweep, fx, fy, true);
  }

  /**
   * A cubic recognised as a piece of a circle (this.found): written as an arc, or, when the last command was
   * an arc on the same circle turning the same way, that arc rewritten to end here (a full turn excepted).
   * False (nothing written) when rounding would move the arc a renderer draws off the circle by more than
   * ARC_WRITE_SLACK: the caller writes the cubic instead.
   */
  private arcPiece(fx: number, fy: number): boolean {
    const f = this.found, c = this.arcCircle, st = this.arcState;
    const near = 1e-6 * (f[2] + 1);
    if (this.arcMark >= 0 && Math.abs(f[0] - c[0]) <= near && Math.abs(f[1] - c[1]) <= near && Math.abs(f[2] - c[2]) <= near
      && f[3] * c[3] > 0 && Math.abs(c[3] + f[3]) < 2 * Math.PI - 1e-3
      && this.arcWritable(st[2], st[3], c[4], c[5], c[3] + f[3], fx, fy)) {
      c[3] += f[3];
      this.len = this.arcMark;
      this.lastCmd = st[0]; this.lastHasDot = st[1] !== 0;
      this.x = st[2]; this.y = st[3]; this.hx = st[4]; this.hy = st[5];
    } else {
      c[0] = f[0]; c[1] = f[1]; c[2] = f[2]; c[3] = f[3];
      c[4] = this.fx; c[5] = this.fy;
      if (!this.arcWritable(this.x, this.y, c[4], c[5], f[3], fx, fy)) {
        this.arcMark = -1;
        return false;
      }
      this.arcMark = this.len;
      st[0] = this.lastCmd; st[1] = this.lastHasDot ? 1 : 0;
      st[2] = this.x; st[3] = this.y; st[4] = this.hx; st[5] = this.hy;
    }
    const turn = c[3];
    // Positive turns run clockwise on screen: SVG's sweep flag 1.
    const sweep = turn > 0 ? 1 : 0;
    if (splitArc(turn)) {
      const a = Math.atan2(c[5] - c[1], c[4] - c[0]) + turn / 2;
      this.writeArc(c[2], c[2], 0, 0, sweep, c[0] + c[2] * Math.cos(a), c[1] + c[2] * Math.sin(a));
      this.writeArc(c[2], c[2], 0, 0, sweep, fx, fy);
    } else {
      this.writeArc(c[2], c[2], 0, Math.abs(turn) > Math.PI ? 1 : 0, sweep, fx, fy);
    }
    return true;
  }

  /**
   * Whether the arc of this.arcCircle's circle (c[0..2]) from the written point (sx, sy) (scaled units; (fsx,
   * fsy) as given) turning `turn` to (fx, fy), written as arcPiece would write it, is drawn within
   * ARC_WRITE_SLACK of that circle: each command's radius and ends are rounded, and a renderer puts the
   * centre where they fit.
   */
  private arcWritable(sx: number, sy: number, fsx: number, fsy: number, turn: number, fx: number, fy: number): boolean {
    const c = this.arcCircle;
    const ex = this.q(fx), ey = this.q(fy);
    if (!splitArc(turn)) return this.arcCentreFits(sx, sy, ex, ey, Math.abs(turn) > Math.PI, turn > 0);
    const a = Math.atan2(fsy - c[1], fsx - c[0]) + turn / 2;
    const mx = this.q(c[0] + c[2] * Math.cos(a)), my = this.q(c[1] + c[2] * Math.sin(a));
    return this.arcCentreFits(sx, sy, mx, my, false, turn > 0) && this.arcCentreFits(mx, my, ex, ey, false, turn > 0);
  }

  /**
   * The circle a renderer draws for a circular arc command from (x1, y1) to (x2, y2) (scaled units) with
   * this.arcCircle's radius rounded (its centre where that radius fits the ends, SVG 1.1 implementation
   * notes F.6.5–6): true when its arc stays within ARC_WRITE_SLACK of this.arcCircle.
   */
  private arcCentreFits(x1: number, y1: number, x2: number, y2: number, large: boolean, sweep: boolean): boolean {
    const c = this.arcCircle, s = this.scale, drawn = this.drawn;
    const r = this.q(c[2]);
    if (!arcCentre(x1, y1, r, r, 0, large, sweep, x2, y2, drawn)) return false;
    // Points a quarter, half and three quarters along the drawn arc, against the true circle (its ends are
    // the rounded ends, as a cubic's are).
    const tx = c[0] * s, ty = c[1] * s, tr = c[2] * s;
    for (let q = 1; q <= 3; q++) {
      const a = drawn[4] + (drawn[5] * q) / 4;
      const px = drawn[0] + drawn[2] * Math.cos(a), py = drawn[1] + drawn[2] * Math.sin(a);
      if (Math.abs(Math.sqrt((px - tx) ** 2 + (py - ty) ** 2) - tr) > ARC_WRITE_SLACK) return false;
    }
    return true;
  }

  /**
   * Elliptic arc (SVG `A`): radii, x-axis rotation in degrees, the large-arc and sweep flags (0 or 1), end
   * point, written relative when shorter (level ≥ 1) like every other command; `half`: see halfEllipseTo.
   */
  private writeArc(frx: number, fry: number, rotation: number, largeArc: number, sweep: number, fx: number, fy: number, half = false): void {
    this.fx = fx;
    this.fy = fy;
    const x = this.q(fx), y = this.q(fy);
    let code = 65; // A
    let ex = x, ey = y;
    if (this.level > 0 && this.numLength(x - this.x) + this.numLength(y - this.y) <= this.numLength(x) + this.numLength(y)) {
      code = 97; // a
      ex = x - this.x;
      ey = y - this.y;
    }
    this.letter(code);
    let rx = this.q(frx), ry = this.q(fry);
    if (half) {
      // A half ellipse's chord is its axis: written radii at most half the written chord make a renderer
      // scale them up to fit it exactly, centred on its middle (radii a hair too long would move the centre
      // off it, up to half a pixel either way). ry shrinks in proportion, so that it scales back.
      const h = Math.sqrt((x - this.x) ** 2 + (y - this.y) ** 2) / 2;
      if (rx > h) {
        const fitted = Math.floor(h);
        ry = Math.round((fry * this.scale * fitted) / (frx * this.scale));
        rx = fitted;
      }
    }
    this.num(rx);
    this.num(ry);
    // Equal radii as written: a circle, which no rotation changes.
    this.num(rx === ry ? 0 : this.q(rotation));
    this.num(largeArc ? this.scale : 0);
    this.num(sweep ? this.scale : 0);
    this.num(ex);
    this.num(ey);
    this.x = this.hx = x;
    this.y = this.hy = y;
  }

  /**
   * True when both handles lie on the chord, between its ends (within 0.75 of a unit of the last decimal,
   * what rounding both coordinates of a handle can move it):
   * the cubic is then a straight segment and a line draws the same thing.
   */
  private straight(x1: number, y1: number, x2: number, y2: number, x: number, y: number): boolean {
    const dx = x - this.x, dy = y - this.y;
    const len2 = dx * dx + dy * dy;
    if (len2 === 0) return false;
    // (distance ≤ 1.5)² × len2: a handle at a third of the true chord is rounded on both axes (up to 0.71
    // of a unit off), and so are the chord's ends it is measured against (up to 0.71 more).
    const limit = 2.25 * len2;
    const ax = x1 - this.x, ay = y1 - this.y, bx = x2 - this.x, by = y2 - this.y;
    const c1 = ax * dy - ay * dx, c2 = bx * dy - by * dx;
    if (c1 * c1 > limit || c2 * c2 > limit) return false;
    const d1 = ax * dx + ay * dy, d2 = bx * dx + by * dy;
    return d1 >= 0 && d1 <= len2 && d2 >= 0 && d2 <= len2;
  }

  close(): void {
    this.lineMark = -1;
    this.arcMark = -1;
    this.fx = this.fsx;
    this.fy = this.fsy;
    this.ensure(1);
    this.buf[this.len++] = this.level === 0 ? 90 : 122; // Z, z
    this.lastCmd = 122;
    this.x = this.hx = this.sx;
    this.y = this.hy = this.sy;
  }

  /** True when nothing was drawn. */
  get empty(): boolean {
    return !this.started;
  }

  /** The path data (ASCII bytes). */
  toString(): string {
    if (ASCII !== null) return ASCII.decode(this.buf.subarray(0, this.len));
    let out = '';
    for (let i = 0; i < this.len; i += 8192) {
      out += String.fromCharCode.apply(null, this.buf.subarray(i, Math.min(this.len, i + 8192)) as unknown as number[]);
    }
    return out;
  }
}

export function hexColor(r: number, g: number, b: number): string {
  return '#' + ((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1);
}

/** Formats a length attribute (width/height) compactly. */
function lengthAttr(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}

/**
 * The document: `width`/`height` (the image size times `scale`) and a `viewBox` in pixel units, so the SVG
 * scales cleanly in a page. Consecutive paths of one paint are grouped under one `<g>` when `group` is set.
 * Stroked paths (centerline tracing) get `fill="none"`, their stroke colour and width, and round caps and joins.
 */
export function svgDocument(width: number, height: number, paths: PathEntry[], scale = 1, group = false): string {
  const head = `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${lengthAttr(width * scale)}" height="${lengthAttr(height * scale)}" viewBox="0 0 ${width} ${height}">\n`;
  const parts: string[] = [head];
  for (let i = 0; i < paths.length;) {
    const paint = paintOf(paths[i]);
    let j = i + 1;
    if (group) while (j < paths.length && paintOf(paths[j]) === paint) j++;
    if (j - i > 1) {
      parts.push(`<g ${paint}>\n`);
      for (let k = i; k < j; k++) parts.push(`<path d="${paths[k].d}"/>\n`);
      parts.push('</g>\n');
    } else {
      parts.push(`<path d="${paths[i].d}" ${paint}/>\n`);
    }
    i = j;
  }
  parts.push('</svg>\n');
  return parts.join('');
}

function paintOf(p: PathEntry): string {
  if (p.stroke === undefined) return `fill="${p.fill}"`;
  // Widths are written to 1/1000 px; a positive width never becomes 0 (which would hide the stroke).
  const width = Math.max(0.001, Math.round((p.strokeWidth ?? 1) * 1000) / 1000);
  return `fill="none" stroke="${p.stroke}" stroke-width="${width}" stroke-linecap="round" stroke-linejoin="round"`;
}
