/**
 * The padded pixel grid the centerline stages share: a (w + 2) × (h + 2) byte grid with a one-pixel empty
 * border, so neighbour lookups never test bounds. Neighbours are numbered clockwise from north: N NE E SE S
 * SW W NW (bit i of an 8-bit neighbourhood mask is neighbour i).
 */
export interface Grid {
  /** Padded width and height. */
  W: number;
  H: number;
  /** Offsets of the 8 neighbours in the padded grid. */
  nb: Int32Array;
}

export function makeGrid(w: number, h: number): Grid {
  const W = w + 2;
  return { W, H: h + 2, nb: Int32Array.from([-W, -W + 1, 1, W + 1, W, W - 1, -1, -W - 1]) };
}

/** The 8-bit neighbourhood mask of padded index p (bit i set when neighbour i is set). */
export function neighbourMask(g: Uint8Array, nb: Int32Array, p: number): number {
  let m = 0;
  for (let i = 0; i < 8; i++) if (g[p + nb[i]] !== 0) m |= 1 << i;
  return m;
}

/**
 * For each neighbourhood mask: how many 8-connected groups the set neighbours form among themselves
 * (neighbours i and i+1 around the ring always touch; N and E also touch across an empty NE corner, and
 * likewise E–S, S–W, W–N). That is the number of branches a skeleton pixel joins: 1 at an end, 2 along a
 * line, 3 or more at a junction, and 1 with two or more set neighbours for a pixel the skeleton can lose.
 */
export const GROUPS: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let m = 0; m < 256; m++) {
    const parent = [0, 1, 2, 3, 4, 5, 6, 7];
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
    const join = (a: number, b: number): void => { parent[find(a)] = find(b); };
    const on = (i: number): boolean => (m & (1 << (i & 7))) !== 0;
    for (let i = 0; i < 8; i++) {
      if (on(i) && on(i + 1)) join(i, (i + 1) & 7);
      if ((i & 1) === 0 && on(i) && on(i + 2)) join(i, (i + 2) & 7); // two 4-neighbours meet diagonally
    }
    const roots = new Set<number>();
    for (let i = 0; i < 8; i++) if (on(i)) roots.add(find(i));
    table[m] = roots.size;
  }
  return table;
})();

/** Number of set bits of each mask. */
export const POPCOUNT: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let m = 1; m < 256; m++) t[m] = (m & 1) + t[m >> 1];
  return t;
})();
