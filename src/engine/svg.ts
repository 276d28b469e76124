/**
 * Compact SVG path data. Coordinates are first rounded to `precision` decimals in integer units
 * (value × 10^precision), and relative offsets are computed between rounded positions, so relative
 * commands never accumulate rounding drift. Numbers are written without redundant characters:
 * no leading zero (`.5`), no trailing zeros, no separator before `-` or before a `.` that cannot
 * belong to the previous number; repeated command letters are implied.
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

export class PathWriter {
  private readonly scale: number;
  private parts: string[] = [];
  private cur = '';
  /** Current point and subpath start, in scaled integer units. */
  private x = 0;
  private y = 0;
  private sx = 0;
  private sy = 0;
  private lastCmd = '';
  private lastHasDot = false;
  private started = false;

  constructor(private readonly precision: number, private readonly relative = true) {
    this.scale = 10 ** precision;
  }

  private q(v: number): number {
    return Math.round(v * this.scale);
  }

  private num(v: number): void {
    const s = formatScaled(v, this.precision, this.scale);
    const c = s.charCodeAt(0);
    // '-' (45) always separates; '.' (46) separates only after a number that already has a dot.
    if (this.cur.length > 0) {
      const last = this.cur.charCodeAt(this.cur.length - 1);
      const afterLetter = last >= 65; // command letters are the only characters >= 'A' here
      if (!afterLetter && !(c === 45 || (c === 46 && this.lastHasDot))) this.cur += ' ';
    }
    this.cur += s;
    this.lastHasDot = s.indexOf('.') >= 0;
  }

  private cmd(letter: string): void {
    // After M, further pairs mean L; after m they mean l. Repeating the same letter is implied.
    const implied = letter === this.lastCmd
      || (letter === 'L' && this.lastCmd === 'M')
      || (letter === 'l' && this.lastCmd === 'm');
    if (!implied) {
      this.cur += letter;
    }
    this.lastCmd = letter === 'M' ? 'M' : letter === 'm' ? 'm' : letter;
  }

  moveTo(fx: number, fy: number): void {
    const x = this.q(fx), y = this.q(fy);
    if (this.started && this.relative) {
      const rel = formatScaled(x - this.x, this.precision, this.scale).length + formatScaled(y - this.y, this.precision, this.scale).length;
      const abs = formatScaled(x, this.precision, this.scale).length + formatScaled(y, this.precision, this.scale).length;
      if (rel < abs) {
        this.cmd('m');
        this.num(x - this.x);
        this.num(y - this.y);
      } else {
        this.cmd('M');
        this.num(x);
        this.num(y);
      }
    } else {
      this.cmd('M');
      this.num(x);
      this.num(y);
    }
    // A moveto's implicit continuation is lineto; track it as such.
    this.started = true;
    this.x = this.sx = x;
    this.y = this.sy = y;
  }

  lineTo(fx: number, fy: number): void {
    const x = this.q(fx), y = this.q(fy);
    if (x === this.x && y === this.y) return;
    if (!this.relative) {
      this.cmd('L');
      this.num(x);
      this.num(y);
    } else if (y === this.y) {
      this.cmd('h');
      this.num(x - this.x);
    } else if (x === this.x) {
      this.cmd('v');
      this.num(y - this.y);
    } else {
      this.cmd(this.lastCmd === 'm' ? 'm' : 'l');
      this.num(x - this.x);
      this.num(y - this.y);
    }
    this.x = x;
    this.y = y;
  }

  cubicTo(f1x: number, f1y: number, f2x: number, f2y: number, fx: number, fy: number): void {
    const x1 = this.q(f1x), y1 = this.q(f1y), x2 = this.q(f2x), y2 = this.q(f2y), x = this.q(fx), y = this.q(fy);
    if (!this.relative) {
      this.cmd('C');
      this.num(x1); this.num(y1); this.num(x2); this.num(y2); this.num(x); this.num(y);
    } else {
      this.cmd('c');
      this.num(x1 - this.x); this.num(y1 - this.y); this.num(x2 - this.x); this.num(y2 - this.y);
      this.num(x - this.x); this.num(y - this.y);
    }
    this.x = x;
    this.y = y;
  }

  close(): void {
    this.cur += this.relative ? 'z' : 'Z';
    this.lastCmd = 'z';
    this.x = this.sx;
    this.y = this.sy;
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

export function svgDocument(width: number, height: number, paths: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n`
    + paths.join('') + '</svg>\n';
}
