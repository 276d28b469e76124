/**
 * Union-find over an Int32Array of parents, where the smaller index always becomes the root. Parents then
 * never point forward, which lets callers flatten every set in one forward pass afterwards.
 */
export function findRoot(parent: Int32Array, p: number): number {
  while (parent[p] !== p) {
    const g = parent[parent[p]];
    parent[p] = g;
    p = g;
  }
  return p;
}

export function unionMin(parent: Int32Array, a: number, b: number): void {
  let ra = findRoot(parent, a);
  let rb = findRoot(parent, b);
  if (ra === rb) return;
  if (ra > rb) {
    const t = ra;
    ra = rb;
    rb = t;
  }
  parent[rb] = ra;
}

/**
 * Turns a parent array (negative = no set) into dense labels 0..count-1, numbered in order of each set's
 * first index. Returns the number of sets; `parent` holds the labels afterwards. One forward pass: parents
 * never point forward, so an entry's parent has already been turned into its set's label.
 */
export function relabelSets(parent: Int32Array): number {
  const n = parent.length;
  let count = 0;
  for (let p = 0; p < n; p++) {
    const q = parent[p];
    if (q < 0) continue;
    parent[p] = q === p ? count++ : parent[q];
  }
  return count;
}
