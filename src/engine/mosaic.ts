/**
 * Seam-free cutout ("mosaic"). Instead of fitting each region's outline on its own (neighbours then fit
 * their common border differently and hairline gaps show), the borders themselves are traced once:
 *
 * 1. On the pixel-corner lattice, an edge between two pixels of different regions (or a region and the
 *    outside: transparency or the image border) is a boundary edge. A corner where three or more boundary
 *    edges meet is a junction.
 * 2. Boundary edges link up into chains: from junction to junction, or closed loops without junctions.
 *    Each chain separates exactly two regions.
 * 3. Each chain is simplified and fitted once, its end points (junctions) pinned.
 * 4. Each region's outline is assembled from its chains, taken forwards or reversed so that the region is
 *    always on the right: both neighbours use the very same curve, so no gap can open between them.
 */
import type { Layer, LayerSet, PathEntry, Spline } from './types.js';
import { DX, DY, LEFT_X, LEFT_Y, RIGHT_X, RIGHT_Y, nextDirection } from './lattice.js';
import { EVERY_64, EVERY_256, type Progress } from './progress.js';
import type { TraceParameters } from './options.js';
import { IntBuffer, FloatBuffer } from './buffers.js';
import { removeStaircase, limitPenalties } from './simplify.js';
import { polygonToSpline, SplineWorkspace, splineParamsOf, type SplineParams } from './smooth.js';
import { PathWriter, hexColor } from './svg.js';
import type { Workspace } from './memory.js';

/** Progress within the stage: chains from junctions up to JUNCTION_PASS, closed loops up to LOOP_PASS, then outlines. */
const JUNCTION_PASS = 0.4, LOOP_PASS = 0.5;


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
  set: LayerSet, params: TraceParameters, progress: Progress, ws: Workspace, onPath?: (path: PathEntry) => void,
): PathEntry[] {
  const { key, width: w, height: h, layers } = set;
  const map = new RegionMap(key, w, h, ws);
  const visited = ws.uint8(w * (h + 1) + (w + 1) * h, 0);
  const chains: Chain[] = [];
  const fitter = new ChainFitter(params, () => progress.checkAbort());
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
    const fitted = fitter.fit(vertices.data, vertices.length >> 1, closedLoop);
    chains.push({ right, left, closed: closedLoop, sx, sy, sd, ex: cx, ey: cy, ed: dir, geom: fitted.geom, cubic: fitted.cubic });
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

  const used = new Uint8Array(2 * chains.length);
  const paths: PathEntry[] = [];
  const writer = new PathWriter(params.pathPrecision, params.optimize);
  layers.forEach((layer: Layer, li: number) => {
    const region = layer.lo;
    const own = byRegion.get(region) ?? [];
    writer.reset();
    for (const first of own) {
      if (used[first]) continue;
      let oc = first;
      let started = false;
      for (let guard = 0; guard <= own.length; guard++) {
        used[oc] = 1;
        const c = chains[oc >> 1];
        const reversed = (oc & 1) === 1;
        emitChain(writer, c, reversed, !started);
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
    progress.update(LOOP_PASS + (1 - LOOP_PASS) * (li + 1) / layers.length);
  });
  return paths;
}

/** The 4-connected walker's choice at a corner: region on the right, diagonal pixels not connected. */
function turnAt(map: RegionMap, region: number, cx: number, cy: number, d: number): number {
  return nextDirection(d, map.left(cx, cy, d) === region, map.right(cx, cy, d) === region);
}

/** Appends an oriented chain to the path (moving to its start first when it opens a subpath). */
function emitChain(writer: PathWriter, c: Chain, reversed: boolean, first: boolean): void {
  const g = c.geom;
  const step = c.cubic ? 6 : 2;
  const segments = (g.length - 2) / step;
  if (!reversed) {
    if (first) writer.moveTo(g[0], g[1]);
    for (let s = 0, o = 2; s < segments; s++, o += step) {
      if (c.cubic) writer.cubicTo(g[o], g[o + 1], g[o + 2], g[o + 3], g[o + 4], g[o + 5]);
      else writer.lineTo(g[o], g[o + 1]);
    }
    return;
  }
  const end = g.length - 2;
  if (first) writer.moveTo(g[end], g[end + 1]);
  for (let s = segments - 1; s >= 0; s--) {
    const o = 2 + s * step; // segment s runs from the point before o to g[o + step - 2]
    const px = g[o - 2], py = g[o - 1];
    if (c.cubic) writer.cubicTo(g[o + 2], g[o + 3], g[o], g[o + 1], px, py);
    else writer.lineTo(px, py);
  }
}

/** Simplifies and fits one chain according to the curve mode. */
class ChainFitter {
  private readonly stair = new FloatBuffer(1024);
  private readonly simple = new FloatBuffer(1024);
  private readonly spline = new FloatBuffer(1024);
  private readonly ws = new SplineWorkspace();
  private readonly mode: string;
  private readonly splineParams: SplineParams;

  constructor(params: TraceParameters, check?: () => void) {
    this.mode = params.mode === 'none' ? 'pixel' : params.mode;
    this.splineParams = splineParamsOf(params, check);
  }

  /** `n` vertices; a closed loop's geometry ends where it starts. */
  fit(v: Int32Array, n: number, closed: boolean): { geom: Float64Array; cubic: boolean } {
    if (this.mode === 'pixel' || (closed && n < 3) || (!closed && n < 2)) {
      return { geom: polyline(Float64Array.from(v.subarray(0, 2 * n)), n, closed), cubic: false };
    }
    removeStaircase(v, 0, n, this.stair, closed);
    limitPenalties(this.stair.data, this.stair.length >> 1, this.simple, 1, closed);
    const m = this.simple.length >> 1;
    if (this.mode === 'polygon' || (closed && m < 3)) {
      return { geom: polyline(this.simple.data, m, closed), cubic: false };
    }
    polygonToSpline(this.simple.data, m, this.splineParams, this.ws, this.spline, closed);
    return { geom: this.spline.data.slice(0, this.spline.length), cubic: true };
  }
}

/** A polyline as geometry: its points, plus the start again when closed. */
function polyline(src: Float64Array, n: number, closed: boolean): Float64Array {
  const out = new Float64Array(2 * (closed ? n + 1 : n));
  out.set(src.subarray(0, 2 * n));
  if (closed) {
    out[2 * n] = src[0];
    out[2 * n + 1] = src[1];
  }
  return out;
}
