/** Paint operands shared by the PostScript-family writers (PDF and EPS use the same codes). */
import type { Rgb } from './document.js';
import { fixed } from './number.js';

/** An RGB colour as three 0–1 operands. */
export function rgbOperands(c: Rgb): string {
  return `${fixed(c.r / 255, 4)} ${fixed(c.g / 255, 4)} ${fixed(c.b / 255, 4)}`;
}

/** Line cap and join codes of PDF (J, j) and PostScript (setlinecap, setlinejoin). */
export const CAP = { butt: 0, round: 1, square: 2 } as const;
export const JOIN = { miter: 0, round: 1, bevel: 2 } as const;
