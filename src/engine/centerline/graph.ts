/**
 * The skeleton as a graph, and its strokes. Nodes are junctions (clusters of touching skeleton pixels that
 * join three or more branches; a cluster counts as one node at its centroid) and line ends; edges are the
 * pixel chains between them; rings without any node are closed edges of their own. Short spurs (a branch
 * from a junction to a line end, shorter than the limit) are thinning noise and go. Then, at each node, the
 * two edge ends that continue each other most straightly are paired (both ends at a node of two; at a
 * crossing the two straight lines, at a T the bar), and the strokes are the chains of paired edges: a
 * crossing gives two strokes through one point, not four stubs, and every stroke ends exactly on the node
 * where it meets another, so nothing is left open at T and X joints.
 */
import { IntBuffer } from '../buffers.js';
import { POPCOUNT, neighbourMask, type Grid } from './grid.js';

export interface SkeletonOptions {
  /** Spurs shorter than this (px) are removed; 0: automatic (3/4 of the line width at the junction, plus 2 px). */
  spurLength: number;
  check: () => void;
}

/** A stroke: pixel centres (x, y pairs, in image pixels) and the padded indices of its skeleton pixels. */
export interface Stroke {
  points: number[];
  closed: boolean;
  /** Skeleton pixels along it (for its width and colour). */
  pixels: number[];
}

interface Edge {
  a: number; // node at the start, -1 for a ring
  b: number; // node at the end, -1 for a ring
  from: number; // pixel slice [from, to) in the shared buffer
  to: number;
  alive: boolean;
}

const DX = [0, 1, 1, 1, 0, -1, -1, -1];
const DY = [-1, -1, 0, 1, 1, 1, 0, -1];

/** Pairs edge ends at nodes with a cosine of the angle between them below this (about 127°). */
const STRAIGHT_COS = -0.6;

export function skeletonStrokes(g: Uint8Array, grid: Grid, dist2: Float32Array, o: SkeletonOptions): Stroke[] {
  const { W, H, nb } = grid;
  const size = W * H;
  // A line an even number of pixels wide has a flat ridge two pixels across; its middle lies between them.
  // So a skeleton pixel's point moves half a pixel towards its non-skeleton neighbours as far from the paper.
  // (Computed on the thinned skeleton, before any classification changes it.)
  const px = new Float32Array(size), py = new Float32Array(size);
  for (let p = W; p < size - W; p++) {
    if (g[p] === 0) continue;
    let sx = 0, sy = 0;
    const d = dist2[p];
    for (let k = 0; k < 8; k++) {
      const q = p + nb[k];
      if (g[q] === 0 && dist2[q] >= d && d > 0) { sx += DX[k]; sy += DY[k]; }
    }
    const l = Math.hypot(sx, sy);
    px[p] = p % W - 0.5 + (l > 0 ? (0.5 * sx) / l : 0);
    py[p] = Math.floor(p / W) - 0.5 + (l > 0 ? (0.5 * sy) / l : 0);
  }
  const centre = (p: number, out: number[]): void => { out.push(px[p], py[p]); };
  // 1. Classify: node[p] = node id for junction and end pixels, -1 for path pixels; isolated pixels dropped.
  const node = new Int32Array(size).fill(-1);
  const nodeX: number[] = [], nodeY: number[] = [], nodeR: number[] = [], nodeEnd: boolean[] = [];
  const stack = new IntBuffer(64);
  for (let p = W; p < size - W; p++) {
    if (g[p] === 0 || node[p] >= 0) continue;
    // After thinning's cleanup a line pixel has exactly two neighbours (any other pixel with two would have
    // been removed): one neighbour is a line end, three or more a junction.
    const links = POPCOUNT[neighbourMask(g, nb, p)];
    if (links === 0) { g[p] = 0; continue; }
    if (links === 2) continue;
    const id = nodeX.length;
    if (links === 1) {
      node[p] = id;
      nodeX.push(px[p]); nodeY.push(py[p]); nodeR.push(Math.sqrt(dist2[p])); nodeEnd.push(true);
      continue;
    }
    // A junction cluster: every touching junction pixel, by a flood fill.
    let sx = 0, sy = 0, count = 0, r2 = 0;
    node[p] = id;
    stack.clear();
    stack.push(p);
    while (stack.length > 0) {
      const q = stack.data[--stack.length];
      sx += px[q]; sy += py[q]; count++;
      if (dist2[q] > r2) r2 = dist2[q];
      for (let k = 0; k < 8; k++) {
        const t = q + nb[k];
        if (g[t] !== 0 && node[t] < 0 && POPCOUNT[neighbourMask(g, nb, t)] >= 3) {
          node[t] = id;
          stack.push(t);
        }
      }
    }
    nodeX.push(sx / count); nodeY.push(sy / count); nodeR.push(Math.sqrt(r2)); nodeEnd.push(false);
  }
  o.check();

  // 2. Edges: walk from every node pixel into each untaken branch.
  const visited = new Uint8Array(size);
  const pix = new IntBuffer(1024);
  const edges: Edge[] = [];
  const direct = new Set<number>();
  const walk = (s: number, first: number, prev: number): void => {
    const from = pix.length;
    visited[first] = 1;
    pix.push(first);
    let cur = first;
    let end = -1;
    for (;;) {
      let next = -1, next4 = false;
      end = -1;
      for (let k = 0; k < 8; k++) {
        const q = cur + nb[k];
        if (g[q] === 0 || q === prev) continue;
        const id = node[q];
        if (id >= 0) {
          if (id === s && pix.length - from < 3) continue; // still leaving the start node
          end = id;
          break;
        }
        if (visited[q] === 0 && (next < 0 || ((k & 1) === 0 && !next4))) { next = q; next4 = (k & 1) === 0; }
      }
      if (end >= 0 || next < 0) break;
      visited[next] = 1;
      pix.push(next);
      prev = cur;
      cur = next;
    }
    edges.push({ a: s, b: end, from, to: pix.length, alive: true });
  };
  for (let p = W; p < size - W; p++) {
    const s = node[p];
    if (s < 0) continue;
    for (let k = 0; k < 8; k++) {
      const q = p + nb[k];
      if (g[q] === 0) continue;
      const t = node[q];
      if (t >= 0) {
        // Two nodes touching (a two-pixel line, a line end beside a junction): an edge without pixels.
        if (t > s && !direct.has(s * nodeX.length + t)) {
          direct.add(s * nodeX.length + t);
          edges.push({ a: s, b: t, from: pix.length, to: pix.length, alive: true });
        }
      } else if (visited[q] === 0) walk(s, q, p);
    }
  }
  o.check();
  // Rings: path pixels no walk reached.
  for (let p = W; p < size - W; p++) if (g[p] !== 0 && node[p] < 0 && visited[p] === 0) walk(-1, p, -1);

  // 3. Spurs: a branch from a junction to a line end, shorter than the limit.
  const degree = new Int32Array(nodeX.length);
  for (const e of edges) { if (e.a >= 0) degree[e.a]++; if (e.b >= 0) degree[e.b]++; }
  for (const e of edges) {
    if (e.a < 0 || e.b < 0) continue;
    const endA = nodeEnd[e.a] && degree[e.a] === 1, endB = nodeEnd[e.b] && degree[e.b] === 1;
    if (endA === endB) continue; // both ends free (a separate line) or both junctions
    const junction = endA ? e.b : e.a;
    if (degree[junction] < 3) continue;
    const limit = o.spurLength > 0 ? o.spurLength : 1.5 * nodeR[junction] + 2;
    if (e.to - e.from + 1 < limit) {
      e.alive = false;
      degree[e.a]--;
      degree[e.b]--;
    }
  }
  // 4. Crossings at a shallow angle thin into two junctions joined by a short bridge: contract such bridges,
  // so the crossing becomes one node where the two lines can be paired straight through.
  const root = nodeX.map((_, i) => i);
  const find = (i: number): number => { while (root[i] !== i) i = root[i] = root[root[i]]; return i; };
  for (const e of edges) {
    if (!e.alive || e.a < 0 || e.b < 0 || e.a === e.b || nodeEnd[e.a] || nodeEnd[e.b]) continue;
    const a = find(e.a), b = find(e.b);
    if (a === b || e.to - e.from > 3 * (nodeR[a] + nodeR[b])) continue;
    e.alive = false;
    // The merged node sits between the two; its radius is the larger.
    nodeX[a] = (nodeX[a] + nodeX[b]) / 2; nodeY[a] = (nodeY[a] + nodeY[b]) / 2;
    nodeR[a] = Math.max(nodeR[a], nodeR[b]);
    root[b] = a;
  }
  const live = edges.filter((e) => e.alive);
  for (const e of live) { if (e.a >= 0) e.a = find(e.a); if (e.b >= 0) e.b = find(e.b); }

  // 5. Pair edge ends at each node (end id = 2·edge + side; side 0 is the edge's start `a`).
  const ends: number[][] = nodeX.map(() => []);
  live.forEach((e, i) => { if (e.a >= 0) ends[e.a].push(2 * i); if (e.b >= 0) ends[e.b].push(2 * i + 1); });
  const pair = new Int32Array(2 * live.length).fill(-1);
  const dir = (end: number, n: number): [number, number] => {
    const e = live[end >> 1];
    const len = e.to - e.from;
    const reach = Math.min(len - 1, Math.max(3, Math.round(2 * nodeR[n])));
    let x: number, y: number;
    if (len === 0) {
      const other = (end & 1) === 0 ? e.b : e.a;
      if (other < 0) return [0, 0];
      x = nodeX[other]; y = nodeY[other];
    } else {
      const p = pix.data[(end & 1) === 0 ? e.from + reach : e.to - 1 - reach];
      x = px[p]; y = py[p];
    }
    const dx = x - nodeX[n], dy = y - nodeY[n];
    const l = Math.hypot(dx, dy) || 1;
    return [dx / l, dy / l];
  };
  for (let n = 0; n < ends.length; n++) {
    const list = ends[n];
    if (list.length === 2) { pair[list[0]] = list[1]; pair[list[1]] = list[0]; continue; }
    if (list.length < 3) continue;
    const dirs = list.map((end) => dir(end, n));
    const candidates: [number, number, number][] = [];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const c = dirs[i][0] * dirs[j][0] + dirs[i][1] * dirs[j][1];
        if (c < STRAIGHT_COS) candidates.push([c, i, j]);
      }
    }
    candidates.sort((u, v) => u[0] - v[0]);
    for (const [, i, j] of candidates) {
      if (pair[list[i]] >= 0 || pair[list[j]] >= 0) continue;
      pair[list[i]] = list[j];
      pair[list[j]] = list[i];
    }
  }
  o.check();

  // 6. Chains of paired edges.
  const used = new Uint8Array(live.length);
  const strokes: Stroke[] = [];
  for (let start = 0; start < live.length; start++) {
    if (used[start]) continue;
    const e0 = live[start];
    if (e0.a < 0 && e0.b < 0) {
      // A ring without nodes: closed through its own pixels.
      used[start] = 1;
      const s: Stroke = { points: [], closed: true, pixels: [] };
      for (let i = e0.from; i < e0.to; i++) { centre(pix.data[i], s.points); s.pixels.push(pix.data[i]); }
      strokes.push(s);
      continue;
    }
    // Walk back to an unpaired end (or around a cycle back to this edge).
    let e = start, side = 0, closed = false;
    for (let guard = 0; guard <= live.length; guard++) {
      const p = pair[2 * e + side];
      if (p < 0) break;
      const e2 = p >> 1;
      if (e2 === start) { closed = true; side = 0; e = start; break; }
      e = e2;
      side = 1 - (p & 1);
    }
    // Walk forward from end (e, side): through e to its other end, then into the paired edge.
    const s: Stroke = { points: [], closed, pixels: [] };
    let enterSide = side;
    for (let guard = 0; guard <= live.length; guard++) {
      if (used[e]) break;
      used[e] = 1;
      const ed = live[e];
      const n0 = enterSide === 0 ? ed.a : ed.b, n1 = enterSide === 0 ? ed.b : ed.a;
      if (s.points.length === 0 && n0 >= 0) s.points.push(nodeX[n0], nodeY[n0]);
      if (enterSide === 0) for (let i = ed.from; i < ed.to; i++) { centre(pix.data[i], s.points); s.pixels.push(pix.data[i]); }
      else for (let i = ed.to - 1; i >= ed.from; i--) { centre(pix.data[i], s.points); s.pixels.push(pix.data[i]); }
      if (n1 >= 0) s.points.push(nodeX[n1], nodeY[n1]);
      const p = pair[2 * e + (1 - enterSide)];
      if (p < 0) break;
      e = p >> 1;
      enterSide = p & 1;
    }
    if (closed && s.points.length >= 4) {
      // The walk came back to its first node: drop the repeated point.
      const n = s.points.length;
      if (s.points[0] === s.points[n - 2] && s.points[1] === s.points[n - 1]) s.points.length -= 2;
    }
    if (s.points.length >= 4) strokes.push(s);
  }
  return strokes;
}
