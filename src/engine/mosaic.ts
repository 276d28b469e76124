/**
 * Seam-free cutout ("mosaic"). Instead of fitting each region's outline on its own (neighbours then fit
 * their common border differently and hairline gaps show), the borders themselves are traced once:
 *
 * 1. On the pixel-corner lattice, an edge between two pixels of different regions (or a region and the
 *    outside: transparency or the image border) is a boundary edge. A corner where three or more boundary
 *    edges meet is a junction.
 * 2. Boundary edges link up into chains: from junction to junction, or closed loops without junctions.
 *    Each chain separates exactly two regions.
 * 3. Each chain is fitted once, its end points (junctions) pinned: placed at sub-pixel positions and fitted
 *    as a shape by the stacked layers' fitter (fit-outline.ts), or simplified to a polygon.
 * 4. Each region's outline is assembled from its chains, taken forwards or reversed so that the region is
 *    always on the right: both neighbours use the very same curve, so no gap can open between them.
 *    Where the neighbour is painted later, the region reaches under it by TRAP_WIDTH (trap.ts), so that
 *    anti-aliasing blends the later region's edge with the colour beneath, not the background (except in
 *    pixel mode, whose borders run along pixel edges).
 */
import type { Layer, LayerSet, PathEntry, Spline } from './types.js';
import { DX, DY, LEFT_X, LEFT_Y, RIGHT_X, RIGHT_Y, nextDirection } from './lattice.js';
import { EVERY_64, EVERY_256, type Progress } from './progress.js';
import type { TraceParameters } from './options.js';
import { IntBuffer, FloatBuffer, withCapacity } from './buffers.js';
import { limitPenalties } from './simplify.js';
import { subpixelOutline, type EdgeField } from './subpixel.js';
import { OutlineFitter } from './fit-outline.js';
import { PathWriter, hexColor } from './svg.js';
import { TRAP_WIDTH, Trapper } from './trap.js';
import type { Workspace } from './memory.js';

/**
 * Progress within the stage: chains from junctions up to JUNCTION_PASS, closed loops up to LOOP_PASS, their
 * fitting up to FIT_PASS, then the regions' outlines.
 */
const JUNCTION_PASS = 0.2, LOOP_PASS = 0.3, FIT_PASS = 0.8;


interface Chain {
  /** Region on the right and on the left when walking forwards (-1: outside). */
  right: number;
  left: number;
  closed: boolean;
  /** Start corner and direction of the first edge; end corner and direction of the last edge. */
  sx: number; sy: number; sd: number;
  ex: number; ey: number; ed: number;
  /**
   * Fitted geometry: a Spline when `cubic` (start point, then 6 numbers per cubic), else a polyline (start
   * point, then x, y per segment). A closed chain's geometry ends where it starts.
   */
  geom: Spline | Float64Array;
  cubic: boolean;
  /** While the chains are collected: geom holds their sub-pixel samples, and whether they are aliased. */
  aliased: boolean;
  /** geom is final (pixel mode, or a chain too short to fit: its lattice polyline). */
  done: boolean;
  /** Every edge lies on the image's border (the outside beyond it is the canvas's edge, not transparency). */
  frame: boolean;
}

/**
 * The region of each pixel (outside the image: -1), and which lattice edges are boundaries, precomputed:
 * hb for horizontal edges (w per row, h + 1 rows), vb for vertical ones (w + 1 per row, h rows).
 */
class RegionMap {
  readonly hb: Uint8Array;
  readonly vb: Uint8Array;
  constructor(readonly key: Int32Array, readonly w: number, readonly h: number, ws: Workspace) {
    // Every entry of both is written below.
    this.hb = ws.uint8(w * (h + 1));
    this.vb = ws.uint8((w + 1) * h);
    for (let y = 0; y <= h; y++) {
      for (let x = 0; x < w; x++) {
        const above = y > 0 ? key[(y - 1) * w + x] : -1;
        const below = y < h ? key[y * w + x] : -1;
        this.hb[y * w + x] = above !== below ? 1 : 0;
      }
    }
    for (let y = 0; y < h; y++) {
      for (let x = 0; x <= w; x++) {
        const left = x > 0 ? key[y * w + x - 1] : -1;
        const right = x < w ? key[y * w + x] : -1;
        this.vb[y * (w + 1) + x] = left !== right ? 1 : 0;
      }
    }
  }
  at(x: number, y: number): number {
    return x >= 0 && y >= 0 && x < this.w && y < this.h ? this.key[y * this.w + x] : -1;
  }
  /** Region on the right / left of the unit edge leaving corner (x, y) in direction d. */
  right(x: number, y: number, d: number): number {
    return this.at(x + RIGHT_X[d], y + RIGHT_Y[d]);
  }
  left(x: number, y: number, d: number): number {
    return this.at(x + LEFT_X[d], y + LEFT_Y[d]);
  }
  isBoundary(x: number, y: number, d: number): boolean {
    switch (d) {
      case 0: return x < this.w && this.hb[y * this.w + x] === 1;
      case 2: return x > 0 && this.hb[y * this.w + x - 1] === 1;
      case 1: return y < this.h && this.vb[y * (this.w + 1) + x] === 1;
      default: return y > 0 && this.vb[(y - 1) * (this.w + 1) + x] === 1;
    }
  }
  degree(x: number, y: number): number {
    const w = this.w;
    return (x < w ? this.hb[y * w + x] : 0) + (x > 0 ? this.hb[y * w + x - 1] : 0)
      + (y < this.h ? this.vb[y * (w + 1) + x] : 0) + (y > 0 ? this.vb[(y - 1) * (w + 1) + x] : 0);
  }
}

/** Undirected edge index: horizontal edges first ((w) × (h + 1)), then vertical ((w + 1) × h). */
function edgeIndex(w: number, h: number, x: number, y: number, d: number): number {
  switch (d) {
    case 0: return y * w + x;
    case 2: return y * w + x - 1;
    case 1: return w * (h + 1) + y * (w + 1) + x;
    default: return w * (h + 1) + (y - 1) * (w + 1) + x;
  }
}

export function mosaicPaths(
  set: LayerSet, data: Uint8Array, flatArt: boolean, params: TraceParameters, progress: Progress, ws: Workspace,
  onPath?: (path: PathEntry) => void,
): PathEntry[] {
  const { key, width: w, height: h, layers } = set;
  const map = new RegionMap(key, w, h, ws);
  const visited = ws.uint8(w * (h + 1) + (w + 1) * h, 0);
  const chains: Chain[] = [];
  const fitter = new ChainFitter(params, data, key, w, h, flatArt, () => progress.checkAbort());
  const vertices = new IntBuffer(256);

  // Walks a chain from corner (x, y) leaving in direction d, until a junction (or back to the start).
  const trace = (x: number, y: number, d: number, closedLoop: boolean): void => {
    const right = map.right(x, y, d), left = map.left(x, y, d);
    vertices.clear();
    vertices.push2(x, y);
    const sx = x, sy = y, sd = d;
    let cx = x, cy = y, dir = d;
    for (;;) {
      visited[edgeIndex(w, h, cx, cy, dir)] = 1;
      cx += DX[dir];
      cy += DY[dir];
      if (closedLoop ? (cx === sx && cy === sy) : map.degree(cx, cy) !== 2) break;
      // Pass-through corner: continue along the other boundary edge (not the one we came back by).
      let next = -1;
      for (let k = 0; k < 4; k++) {
        if (k === ((dir + 2) & 3)) continue;
        if (map.isBoundary(cx, cy, k)) { next = k; break; }
      }
      if (next !== dir) vertices.push2(cx, cy);
      dir = next;
    }
    if (closedLoop) {
      // Drop the start vertex when the loop passes straight through it.
      if (dir === sd && vertices.length > 2) {
        vertices.data.copyWithin(0, 2, vertices.length);
        vertices.length -= 2;
      }
    } else {
      vertices.push2(cx, cy);
    }
    const n = vertices.length >> 1;
    let frame = right < 0 || left < 0;
    for (let i = 0; frame && i < n; i++) {
      // Consecutive vertices on one border line (a closed loop also from its last vertex to its first).
      const j = i + 1 < n ? i + 1 : closedLoop ? 0 : -1;
      if (j < 0) break;
      const ax = vertices.data[2 * i], ay = vertices.data[2 * i + 1], bx = vertices.data[2 * j], by = vertices.data[2 * j + 1];
      frame = (ax === bx && (ax === 0 || ax === w)) || (ay === by && (ay === 0 || ay === h));
    }
    let geom: Float64Array;
    let aliased = false;
    const done = fitter.mode === 'pixel' || (closedLoop && n < 3) || (!closedLoop && n < 2);
    if (done) geom = polyline(vertices.data, n, closedLoop);
    else ({ samples: geom, aliased } = fitter.sample(vertices.data, n, closedLoop, right, left));
    chains.push({ right, left, closed: closedLoop, sx, sy, sd, ex: cx, ey: cy, ed: dir, geom, cubic: false, aliased, done, frame });
  };

  // Chains from every junction, then the loops that touch none; each pass updates progress (which also checks
  // for an abort) every 64 rows, and checks again every 256 chains (a row can hold many).
  for (let y = 0; y <= h; y++) {
    if ((y & EVERY_64) === 0) progress.update(JUNCTION_PASS * y / (h + 1));
    for (let x = 0; x <= w; x++) {
      if (map.degree(x, y) < 3) continue;
      for (let d = 0; d < 4; d++) {
        if (map.isBoundary(x, y, d) && !visited[edgeIndex(w, h, x, y, d)]) {
          trace(x, y, d, false);
          if ((chains.length & EVERY_256) === 0) progress.checkAbort();
        }
      }
    }
  }
  for (let y = 0; y <= h; y++) {
    if ((y & EVERY_64) === 0) progress.update(JUNCTION_PASS + (LOOP_PASS - JUNCTION_PASS) * y / (h + 1));
    for (let x = 0; x < w; x++) {
      if (map.hb[y * w + x] === 1 && !visited[y * w + x]) {
        trace(x, y, 0, true);
        if ((chains.length & EVERY_256) === 0) progress.checkAbort();
      }
    }
  }

  fitChains(chains, fitter, w, h, progress);

  // Oriented chains per region: 2c = chain c forwards (its right region), 2c + 1 = reversed (its left one).
  // A region's outline continues, at a chain's end corner, with the chain that leaves that corner in the
  // direction the 4-connected walk would take (region on the right).
  const startOf = new Map<number, number>();
  const cornerKey = (x: number, y: number, d: number): number => (y * (w + 1) + x) * 4 + d;
  const byRegion = new Map<number, number[]>();
  chains.forEach((c, i) => {
    if (c.right >= 0) {
      if (!c.closed) startOf.set(cornerKey(c.sx, c.sy, c.sd), 2 * i);
      let list = byRegion.get(c.right);
      if (!list) byRegion.set(c.right, (list = []));
      list.push(2 * i);
    }
    if (c.left >= 0) {
      // Reversed, the chain leaves its end corner going back along its last edge.
      if (!c.closed) startOf.set(cornerKey(c.ex, c.ey, (c.ed + 2) & 3), 2 * i + 1);
      let list = byRegion.get(c.left);
      if (!list) byRegion.set(c.left, (list = []));
      list.push(2 * i + 1);
    }
  });

  // Painting order of each region (its layer's index), for trapping (trap.ts): a region's border with a
  // region painted after it reaches TRAP_WIDTH under that region, and its border along the image's edge
  // reaches TRAP_WIDTH beyond it (the fitted border may stray inside; the canvas clips the rest). Not in
  // pixel mode, nor with `trap: false` (shapes exactly disjoint, for cutting).
  let regions = 0;
  for (const layer of layers) regions = Math.max(regions, layer.lo + 1);
  const paintedAt = new Int32Array(regions);
  layers.forEach((layer, li) => { paintedAt[layer.lo] = li; });
  const trapper = new Trapper();
  const trapped = params.trap && fitter.mode !== 'pixel';

  const used = new Uint8Array(2 * chains.length);
  const paths: PathEntry[] = [];
  const writer = new PathWriter(params.pathPrecision, params.optimize);
  layers.forEach((layer: Layer, li: number) => {
    const region = layer.lo;
    const own = byRegion.get(region) ?? [];
    writer.reset();
    for (let k = 0; k < own.length; k++) {
      // One region can hold thousands of loops (a background around many islands, each trapped).
      if ((k & EVERY_256) === EVERY_256) progress.checkAbort();
      const first = own[k];
      if (used[first]) continue;
      let oc = first;
      let started = false;
      for (let guard = 0; guard <= own.length; guard++) {
        used[oc] = 1;
        const c = chains[oc >> 1];
        const reversed = (oc & 1) === 1;
        const beyond = reversed ? c.right : c.left;
        if (trapped && (beyond < 0 ? c.frame : paintedAt[beyond] > li)) {
          emitGeometry(writer, trapper.offset(c.geom, c.cubic, c.closed, reversed, TRAP_WIDTH), c.cubic, false, !started);
        } else {
          emitGeometry(writer, c.geom, c.cubic, reversed, !started);
        }
        started = true;
        if (c.closed) break;
        // End corner and arrival direction of this oriented chain.
        const x = reversed ? c.sx : c.ex, y = reversed ? c.sy : c.ey;
        const arrival = reversed ? (c.sd + 2) & 3 : c.ed;
        const next = startOf.get(cornerKey(x, y, turnAt(map, region, x, y, arrival)));
        if (next === undefined || next === first) break;
        oc = next;
      }
      writer.close();
    }
    if (!writer.empty) {
      const entry = { d: writer.toString(), fill: hexColor(layer.r, layer.g, layer.b) };
      paths.push(entry);
      onPath?.(entry);
    }
    progress.update(FIT_PASS + (1 - FIT_PASS) * (li + 1) / layers.length);
  });
  return paths;
}

/** A junction moves at most this far (px) from its lattice corner. */
const MAX_JUNCTION_SHIFT = 0.75;

/**
 * Moves each junction to the mean of the samples next to it on the chains that meet there (within
 * MAX_JUNCTION_SHIFT of its lattice corner, and along the image's edge for a junction on it), so that the
 * chains reach it along their sub-pixel edges rather than bending to the pixel corner; then fits every chain
 * (pixel mode: already polylines).
 */
function fitChains(chains: Chain[], fitter: ChainFitter, w: number, h: number, progress: Progress): void {
  const sums = new Map<number, number>();
  const sx: number[] = [], sy: number[] = [], count: number[] = [];
  const slot = (x: number, y: number): number => {
    const k = y * (w + 1) + x;
    let s = sums.get(k);
    if (s === undefined) { s = count.length; sums.set(k, s); sx.push(0); sy.push(0); count.push(0); }
    return s;
  };
  const open = (c: Chain) => !c.done && !c.closed && c.geom.length >= 6;
  for (const c of chains) {
    if (!open(c)) continue;
    const g = c.geom, m = g.length >> 1;
    let s = slot(c.sx, c.sy);
    sx[s] += g[2]; sy[s] += g[3]; count[s]++;
    s = slot(c.ex, c.ey);
    sx[s] += g[2 * m - 4]; sy[s] += g[2 * m - 3]; count[s]++;
  }
  const moveEnd = (g: Float64Array, o: number, x: number, y: number): void => {
    const s = sums.get(y * (w + 1) + x)!;
    let mx = sx[s] / count[s] - x, my = sy[s] / count[s] - y;
    // A junction on the image's edge slides along it, never off it.
    if (x === 0 || x === w) mx = 0;
    if (y === 0 || y === h) my = 0;
    const d = Math.sqrt(mx * mx + my * my);
    if (d > MAX_JUNCTION_SHIFT) { mx *= MAX_JUNCTION_SHIFT / d; my *= MAX_JUNCTION_SHIFT / d; }
    g[o] = x + mx; g[o + 1] = y + my;
  };
  for (let i = 0; i < chains.length; i++) {
    // Progress (which checks for an abort) every 64 chains: a photo has hundreds of thousands.
    if ((i & EVERY_64) === 0) progress.update(LOOP_PASS + ((FIT_PASS - LOOP_PASS) * i) / chains.length);
    const c = chains[i];
    if (c.done) continue;
    if (open(c)) {
      moveEnd(c.geom, 0, c.sx, c.sy);
      moveEnd(c.geom, c.geom.length - 2, c.ex, c.ey);
    }
    const fitted = fitter.fit(c.geom, c.closed, c.aliased);
    c.geom = fitted.geom;
    c.cubic = fitted.cubic;
  }
}

/** The 4-connected walker's choice at a corner: region on the right, diagonal pixels not connected. */
function turnAt(map: RegionMap, region: number, cx: number, cy: number, d: number): number {
  return nextDirection(d, map.left(cx, cy, d) === region, map.right(cx, cy, d) === region);
}

/**
 * Appends chain geometry, forwards or reversed, to the path: moving to its start when it opens a subpath,
 * else joining it with a straight segment where the previous chain ended elsewhere (either is trapped; the
 * writer drops a segment of length zero).
 */
function emitGeometry(writer: PathWriter, g: Float64Array, cubic: boolean, reversed: boolean, first: boolean): void {
  const step = cubic ? 6 : 2;
  const segments = (g.length - 2) / step;
  if (!reversed) {
    if (first) writer.moveTo(g[0], g[1]);
    else writer.lineTo(g[0], g[1]);
    for (let s = 0, o = 2; s < segments; s++, o += step) {
      if (cubic) writer.cubicTo(g[o], g[o + 1], g[o + 2], g[o + 3], g[o + 4], g[o + 5]);
      else writer.lineTo(g[o], g[o + 1]);
    }
    return;
  }
  const end = g.length - 2;
  if (first) writer.moveTo(g[end], g[end + 1]);
  else writer.lineTo(g[end], g[end + 1]);
  for (let s = segments - 1; s >= 0; s--) {
    const o = 2 + s * step; // segment s runs from the point before o to g[o + step - 2]
    const px = g[o - 2], py = g[o - 1];
    if (cubic) writer.cubicTo(g[o + 2], g[o + 3], g[o], g[o + 1], px, py);
    else writer.lineTo(px, py);
  }
}

/**
 * Samples and fits the chains according to the curve mode: pixel, the lattice polyline; polygon, the
 * sub-pixel edge (subpixel.ts) simplified to straight segments; spline, the sub-pixel edge fitted as a shape
 * (OutlineFitter.fitChain, the stacked layers' fitter). The edge is placed by the coverage of the region on
 * the chain's right (on its left when the right is the outside: sampled walking the chain backwards, then
 * turned back).
 */
class ChainFitter {
  private readonly samples = new FloatBuffer(1024);
  private readonly simple = new FloatBuffer(1024);
  readonly mode: string;
  private readonly outline: OutlineFitter;
  private reversed = new Int32Array(256);

  constructor(params: TraceParameters, private readonly data: Uint8Array, private readonly key: Int32Array,
    private readonly w: number, private readonly h: number, flatArt: boolean, check?: () => void) {
    this.mode = params.mode === 'none' ? 'pixel' : params.mode;
    this.outline = new OutlineFitter(params, check, flatArt);
    // The frame bounds the shapes (no rounded rectangle along it); the mosaic's chains get no frame exits.
    this.outline.setFrame(w, h, false);
  }

  /** Sub-pixel samples of a chain of `n` lattice vertices, in its own direction; an open chain's ends are its end vertices. */
  sample(v: Int32Array, n: number, closed: boolean, right: number, left: number): { samples: Float64Array; aliased: boolean } {
    const flip = right < 0;
    let pts = v;
    if (flip) {
      this.reversed = withCapacity(this.reversed, 2 * n);
      for (let i = 0; i < n; i++) {
        this.reversed[2 * i] = v[2 * (n - 1 - i)];
        this.reversed[2 * i + 1] = v[2 * (n - 1 - i) + 1];
      }
      pts = this.reversed;
    }
    const field: EdgeField = { data: this.data, width: this.w, height: this.h, key: this.key, lo: flip ? left : right, len: 1 };
    const aliased = subpixelOutline(pts, 0, n, field, this.samples, closed);
    const m = this.samples.length >> 1;
    const samples = new Float64Array(2 * m);
    for (let i = 0; i < m; i++) {
      const j = flip ? m - 1 - i : i;
      samples[2 * i] = this.samples.data[2 * j];
      samples[2 * i + 1] = this.samples.data[2 * j + 1];
    }
    return { samples, aliased };
  }

  /** Fits a chain's samples (polygon or spline mode); a closed loop's geometry ends where it starts. */
  fit(samples: Float64Array, closed: boolean, aliased: boolean): { geom: Float64Array; cubic: boolean } {
    const m = samples.length >> 1;
    if (this.mode === 'polygon' || (closed && m < 3) || m < 2) {
      limitPenalties(samples, m, this.simple, 1, closed);
      return { geom: polyline(this.simple.data, this.simple.length >> 1, closed), cubic: false };
    }
    return { geom: this.outline.fitChain(samples, m, closed, aliased), cubic: true };
  }
}

/** A polyline as geometry: its points, plus the start again when closed. */
function polyline(src: Float64Array | Int32Array, n: number, closed: boolean): Float64Array {
  const out = new Float64Array(2 * (closed ? n + 1 : n));
  out.set(src.subarray(0, 2 * n));
  if (closed) {
    out[2 * n] = src[0];
    out[2 * n + 1] = src[1];
  }
  return out;
}
