/**
 * Reduced outlines cut into subpaths (a move and what follows it), for writers that store one entity per
 * subpath (DXF). A subpath closed with Z gets an explicit last line back to its start when it does not end
 * there, so every closed subpath ends where it began.
 */
import { CLOSE, CUBIC, LINE, MOVE, type Outline } from './path-data.js';

export interface Subpath {
  closed: boolean;
  /** Start point, then per segment: 2 numbers for a line, 6 for a cubic (see `kinds`). */
  coords: number[];
  kinds: number[];
}

export function splitSubpaths(outline: Outline): Subpath[] {
  const out: Subpath[] = [];
  const { ops, coords } = outline;
  let cur: Subpath | null = null;
  let x = 0, y = 0, sx = 0, sy = 0;
  let k = 0;
  const begin = (px: number, py: number): Subpath => {
    const sp: Subpath = { closed: false, coords: [px, py], kinds: [] };
    out.push(sp);
    return sp;
  };
  for (const op of ops) {
    if (op === MOVE) {
      x = sx = coords[k++]; y = sy = coords[k++];
      cur = begin(x, y);
    } else if (op === CLOSE) {
      if (cur !== null && !cur.closed) {
        if (x !== sx || y !== sy) { cur.kinds.push(LINE); cur.coords.push(sx, sy); }
        cur.closed = true;
      }
      x = sx; y = sy;
    } else {
      if (cur === null || cur.closed) cur = begin(x, y); // drawing on after Z starts again at the subpath start
      const n = op === CUBIC ? 6 : 2;
      cur.kinds.push(op);
      for (let i = 0; i < n; i++) cur.coords.push(coords[k + i]);
      x = coords[k + n - 2]; y = coords[k + n - 1];
      k += n;
    }
  }
  return out.filter((sp) => sp.kinds.length > 0);
}
