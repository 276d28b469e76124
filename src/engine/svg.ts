/**
 * Compact SVG path data. Coordinates are first rounded to `precision` decimals in integer units
 * (value × 10^precision), and relative offsets are computed between rounded positions, so relative
 * commands never accumulate rounding drift. From level 1 numbers are written without redundant
 * characters: no leading zero (`.5`), no trailing zeros, no separator before `-` or before a `.` that
 * cannot belong to the previous number; repeated command letters are implied.
 */

export function formatScaled(v: number, precision: number, scale: number): string {
  if (precision === 0) return String(v);
  const neg = v < 0;
  const a = neg ? -v : v;
  const ip = Math.floor(a / scale);
  let fp = a - ip * scale;
  if (fp === 0) return neg ? '-' + ip : String(ip);
  let digits = precision;
  while (fp % 10 === 0) {
    fp /= 10;
    digits--;
  }
  let fs = String(fp);
  while (fs.length < digits) fs = '0' + fs;
  return (neg ? '-' : '') + (ip === 0 ? '' : String(ip)) + '.' + fs;
}

/**
 * Writes path data at an `optimize` level: 0 absolute commands, letters repeated, plain numbers;
 * 1 each command relative or absolute, whichever is shorter, compact numbers, repeated letters implied;
 * 2 also the shorthands h/v (axis-aligned lines) and s (smooth cubics whose first handle mirrors the
 * previous one).
 */
export class PathWriter {
  private readonly scale: number;
  private parts: string[] = [];
  private cur = '';
  /** Current point, subpath start and the previous cubic's second handle, in scaled integer units. */
  private x = 0;
  private y = 0;
  private sx = 0;
  private sy = 0;
  private hx = 0;
  private hy = 0;
  private lastCmd = '';
  private lastHasDot = false;
  private started = false;
  private readonly args: number[] = [];

  constructor(private readonly precision: number, private readonly level = 1) {
    this.scale = 10 ** precision;
  }

  private q(v: number): number {
    return Math.round(v * this.scale);
  }

  private fmt(v: number): string {
    if (this.level === 0) {
      const s = formatScaled(v, this.precision, this.scale);
      return s.charCodeAt(0) === 46 ? '0' + s : s.startsWith('-.') ? '-0' + s.slice(1) : s;
    }
    return formatScaled(v, this.precision, this.scale);
  }

  /** Length of the numbers as they would be written (separators approximated by one per number). */
  private cost(values: number[], from: number, to: number, dx: number, dy: number): number {
    let len = 0;
    for (let i = from; i < to; i++) len += formatScaled(values[i] - ((i - from) % 2 === 0 ? dx : dy), this.precision, this.scale).length + 1;
    return len;
  }

  private emit(letter: string, values: number[]): void {
    const implied = this.level > 0 && (letter === this.lastCmd
      || (letter === 'L' && this.lastCmd === 'M') || (letter === 'l' && this.lastCmd === 'm'));
    if (!implied) this.cur += letter;
    this.lastCmd = letter;
    for (const v of values) {
      const s = this.fmt(v);
      if (this.cur.length > 0) {
        const last = this.cur.charCodeAt(this.cur.length - 1);
        const afterLetter = last >= 65; // command letters are the only characters >= 'A' here
        const needs = this.level === 0
          ? !afterLetter
          : !afterLetter && !(s.charCodeAt(0) === 45 || (s.charCodeAt(0) === 46 && this.lastHasDot));
        if (needs) this.cur += ' ';
      }
      this.cur += s;
      this.lastHasDot = s.indexOf('.') >= 0;
    }
  }

  /** Emits a command with absolute values (x, y pairs), relative if that is shorter (level ≥ 1). */
  private command(abs: string, values: number[]): void {
    if (this.level === 0) {
      this.emit(abs, values);
      return;
    }
    const relCost = this.cost(values, 0, values.length, this.x, this.y);
    const absCost = this.cost(values, 0, values.length, 0, 0);
    if (relCost <= absCost) {
      for (let i = 0; i < values.length; i++) values[i] -= i % 2 === 0 ? this.x : this.y;
      this.emit(abs.toLowerCase(), values);
    } else {
      this.emit(abs, values);
    }
  }

  moveTo(fx: number, fy: number): void {
    const x = this.q(fx), y = this.q(fy);
    const args = this.args;
    args.length = 0;
    args.push(x, y);
    if (this.started) this.command('M', args); else this.emit('M', args);
    this.started = true;
    this.x = this.sx = this.hx = x;
    this.y = this.sy = this.hy = y;
  }

  lineTo(fx: number, fy: number): void {
    const x = this.q(fx), y = this.q(fy);
    if (x === this.x && y === this.y) return;
    const args = this.args;
    args.length = 0;
    if (this.level >= 2 && y === this.y) {
      const rel = formatScaled(x - this.x, this.precision, this.scale).length;
      const abs = formatScaled(x, this.precision, this.scale).length;
      if (rel <= abs) { args.push(x - this.x); this.emit('h', args); } else { args.push(x); this.emit('H', args); }
    } else if (this.level >= 2 && x === this.x) {
      const rel = formatScaled(y - this.y, this.precision, this.scale).length;
      const abs = formatScaled(y, this.precision, this.scale).length;
      if (rel <= abs) { args.push(y - this.y); this.emit('v', args); } else { args.push(y); this.emit('V', args); }
    } else {
      args.push(x, y);
      this.command('L', args);
    }
    this.x = this.hx = x;
    this.y = this.hy = y;
  }

  cubicTo(f1x: number, f1y: number, f2x: number, f2y: number, fx: number, fy: number): void {
    const x1 = this.q(f1x), y1 = this.q(f1y), x2 = this.q(f2x), y2 = this.q(f2y), x = this.q(fx), y = this.q(fy);
    const args = this.args;
    args.length = 0;
    const smooth = this.level >= 2 && (this.lastCmd === 'c' || this.lastCmd === 'C' || this.lastCmd === 's' || this.lastCmd === 'S')
      && x1 === 2 * this.x - this.hx && y1 === 2 * this.y - this.hy;
    if (smooth) {
      args.push(x2, y2, x, y);
      this.command('S', args);
    } else {
      args.push(x1, y1, x2, y2, x, y);
      this.command('C', args);
    }
    this.hx = x2;
    this.hy = y2;
    this.x = x;
    this.y = y;
  }

  close(): void {
    this.cur += this.level === 0 ? 'Z' : 'z';
    this.lastCmd = 'z';
    this.x = this.hx = this.sx;
    this.y = this.hy = this.sy;
    if (this.cur.length > 4096) {
      this.parts.push(this.cur);
      this.cur = '';
    }
  }

  /** True when nothing was drawn. */
  get empty(): boolean {
    return !this.started;
  }

  toString(): string {
    return this.parts.length ? this.parts.join('') + this.cur : this.cur;
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
 * scales cleanly in a page. Consecutive paths of one colour are grouped under one fill when `group` is set.
 */
export function svgDocument(width: number, height: number, paths: PathEntry[], scale = 1, group = false): string {
  const head = `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${lengthAttr(width * scale)}" height="${lengthAttr(height * scale)}" viewBox="0 0 ${width} ${height}">\n`;
  const parts: string[] = [head];
  for (let i = 0; i < paths.length;) {
    let j = i + 1;
    if (group) while (j < paths.length && paths[j].fill === paths[i].fill) j++;
    if (j - i > 1) {
      parts.push(`<g fill="${paths[i].fill}">\n`);
      for (let k = i; k < j; k++) parts.push(`<path d="${paths[k].d}"/>\n`);
      parts.push('</g>\n');
    } else {
      parts.push(`<path d="${paths[i].d}" fill="${paths[i].fill}"/>\n`);
    }
    i = j;
  }
  parts.push('</svg>\n');
  return parts.join('');
}

export interface PathEntry {
  d: string;
  fill: string;
}
