/**
 * Stage 2 of colour clustering: hierarchical merging of stage-1 regions.
 *
 * THE MERGE RULE (every phase below applies exactly this; test/engine/merge.test.ts restates it plainly and
 * compares the trees on random images):
 *   repeat until no region is live:
 *     k ← the live region of smallest area, ties to the lowest index;
 *     t ← among k's live 4-neighbours, the one whose floor-average colour is nearest to k's (L1 over RGB),
 *         ties to the lowest index (`candidateKey`: the least distance · INDEX_SPAN + index);
 *     no t: k is a root (or an island in transparency) and a layer;
 *     else k first becomes a layer ("deepens") when distance(k, t) > layerDifference, filterSpeckle² < area(k)
 *         < all pixels, and k is not thread-like (skipped when filterSpeckle is 0, when k holds pixels
 *         blend keying changed, or when k stands alone, `standsAlone`: a thin line, not a fringe); or
 *         (keepDots, a small feature) when 3 ≤ area(k) ≤ filterSpeckle², k covers 0.4 of its bounding box
 *         or more (when k holds blend-keyed pixels, a glyph's dot or curve too thin for a pure pixel:
 *         2 ≤ area(k), 1 ≤ area(k) in keyed flat art, and any cover), distance(k, t) > 2 · layerDifference, k stands alone
 *         (or, in keyed flat art, area(k) ≤ 16 and k is not thread-like) and k's edge is anti-aliased (isSoftEdged)
 *         or k fills its box exactly, 3 px or more each way; then t absorbs k.
 *     k stands alone when its live neighbours' colours span at most a quarter of distance(k, t) (t its only
 *         neighbour, or one colour), or, in keyed flat art, by its sides (`islandBySides`) or when its luma is
 *         48 above all of theirs (from 3 px), or, thread-like and in the graph phase, when half its pixels'
 *         colours are no mix of any two of theirs (`offEveryFringe`: a shadow band), or, from 10 px (6 px in
 *         keyed flat art), when it lies outside the box of their colours by more than that quarter and
 *         4 · layerDifference (lighter or darker than all).
 * A deepened region is drawn on its own, over its parent; the parent's fill stays the average of the pixels
 * that remain visible (computed later, in clustering.ts).
 *
 * Cost stays near-linear on any input (the upstream rescans every cluster at every area level, which is
 * super-linear on noisy photos). Two phases:
 * - regions of up to SMALL_AREA pixels (most of them on noisy input) merge first, one sweep in index order
 *   per area (the queue's order, without a queue); they find their neighbours from their own pixels through
 *   a per-pixel map to the live region, no graph needed (`mergeSingles` for area 1, `mergeSmall` above);
 * - the regions still live (a tenth of the stage-1 regions on a noisy photo) get a region adjacency graph:
 *   neighbour lists start contiguous, are spliced in O(1) on merge and resolved lazily through a union-find;
 *   a bucket queue orders these merges by area (`mergeLarge`).
 * Between sweeps, once most regions have merged, the records of the live ones are compacted in place (in
 * index order, so the tie-break by lowest index is unchanged) and the per-pixel map renumbered: the later
 * sweeps and the graph then walk a dense array that stays in cache instead of one record in ten of a large
 * one. Each record keeps its stage-1 index (REC_ORIG); the merge tree is a dense array over stage-1 indices.
 * Pixel lists are linked lists spliced on merge. The merger also records the order in which regions merge
 * away (parents after their children).
 */
import { EVERY_1K, EVERY_64K, EVERY_256K, EVERY_1M, rowsPerTick, type Progress } from './progress.js';
import { MergeQueue } from './merge-queue.js';
import { IntBuffer, grownCopy } from './buffers.js';
import type { Workspace } from './memory.js';
import type { MergeTree } from './types.js';
import { isSolidBlock } from './binary.js';

/*
 * Region records: REC_INTS = 12 ints (48 bytes) per region, over one buffer seen two ways: `rec` (Int32Array)
 * and `sums` (Float64Array, same memory). Record k starts at rec[k · REC_INTS] = sums[k · REC_INTS / 2].
 * Compacted in place as regions merge away, so a record index is not a stage-1 index (REC_ORIG is).
 *
 *   ints 0–5  REC_SUM (doubles 0–2)  red, green, blue sums of every pixel the region covers
 *   int  6    REC_AREA               pixels covered; 0 once merged away
 *   int  7    REC_ORIG               stage-1 index of the region
 *   int  8, 9 REC_FIRST, REC_LAST    first and last pixel of its pixel list (linked through `nextPixel`)
 *   int  10   REC_AVG                packed floor-average colour (0xRRGGBB) until the graph phase, which
 *             = REC_HEAD             takes the slot over for the head of the region's adjacency list
 *   int  11   REC_TAIL               tail of the adjacency list (graph phase)
 *
 * In the graph phase the fields its neighbour walks touch move to a dense side array, SIDE_INTS = 4 ints
 * (16 bytes) per record, which stays in cache: union-find parent, visit stamp, the average (moved from
 * REC_AVG) and the merge-tree parent (record index + 1, 0 for none).
 */
const REC_INTS = 12;
const REC_SUM = 0; // in doubles
const REC_AREA = 6, REC_ORIG = 7, REC_FIRST = 8, REC_LAST = 9, REC_AVG = 10;
const REC_HEAD = REC_AVG, REC_TAIL = 11;
const SIDE_INTS = 4, SIDE_UF = 0, SIDE_MARK = 1, SIDE_AVG = 2, SIDE_PARENT = 3;

/**
 * Compact the records between sweeps once the live regions are at most this share of them, and there are
 * more than one per COMPACT_PIXELS pixels (renumbering the per-pixel map costs a pass over the pixels: worth
 * it for the many small regions of noisy photos, not for flat art).
 */
const COMPACT_BELOW = 0.5, COMPACT_PIXELS = 16;

/** Above every region index (distances times this plus an index stay exact in a double). */
const INDEX_SPAN = 2 ** 31;

/** Regions up to this area find their neighbours from their pixels; larger ones through the graph. */
const SMALL_AREA = 12;

/**
 * Small features (keepDots): an island (its live 4-neighbours all one colour, beside how far it stands out
 * from them: ONE_COLOUR; a white dot on the border of a red and a dark red) of FEATURE_AREA px or more,
 * below the speckle area, covering FEATURE_FILL of its bounding box or more, with an anti-aliased edge
 * (isSoftEdged) or hard-edged and filling its box exactly, 3 px or more each way (binary.ts isSolidBlock: a
 * pixel-aligned square of an icon), still becomes a layer when it differs from its surroundings by more than FEATURE_CONTRAST
 * times the layer difference: a dot, a freckle or a nostril of an icon, not the noise of a photo (the 96 px
 * dog's four small freckles, 5–8 px, merged away at filterSpeckle 4). Islands cannot be the fringe between
 * two colours that the speckle and thread gates remove; the fill keeps out slivers, such as the broken
 * highlights left on a photo traced at a coarse colour precision; the soft edge keeps out the specks of a
 * hard-edged image, where nothing tells a dot from dust (a thresholded photo at poster: 257 → 640 paths
 * without it).
 */
const FEATURE_AREA = 3, FEATURE_CONTRAST = 2, FEATURE_FILL = 0.4;
/**
 * In keyed flat art a small feature of at most this many pixels (the speckle area at the default filterSpeckle)
 * stands alone when it is a block, three pixels thick somewhere (not thread-like): no anti-aliased fringe is.
 * A chip's pins, 3 × 3 px of one grey between its dark body and the white round it at 96 px, merged into the
 * body, drawn as dark teeth (no colour test takes them: their grey lies between the two). Larger regions are
 * left to the speckle filter (without this bound a 512 px apple's leaf stayed at filterSpeckle 128).
 */
const BLOCK_AREA = 16;
/**
 * A small feature holding blend-keyed pixels counts from 2 px and this fill: none, flat art has no broken
 * highlights (at 0.25, binary.ts DOT_FILL's, a 48 px icon's keyed steam strokes, diagonal chains filling a
 * tenth of their box, merged away).
 */
const KEYED_FEATURE_FILL = 0;
/** A pixel whose coverage between a dot and its surroundings lies in (FEATURE_MIX, 1 − FEATURE_MIX) is a mix. */
const FEATURE_MIX = 0.15;
/**
 * A region of OUTSIDE_AREA px or more lighter or darker than all round it (standsAlone) by at least
 * OUTSIDE_LAYERS times the layer difference in some channel is no fringe. Smaller excesses are the seams
 * anti-aliasing leaves between two shapes drawn edge to edge (a rainbow's bands, 20–35 off), and smaller
 * regions the dots of a seam that shows a shape beneath (the 512 px rainbow's purple between red and orange,
 * 2–8 px each: kept, its SVG grew from 2.9 to 6.8 kB).
 */
const OUTSIDE_LAYERS = 4, OUTSIDE_AREA = 10;
/**
 * OUTSIDE_AREA in keyed flat art, where blend keying has already given a seam's mixed pixels to one side: a
 * 48 px Papirus "avogadro" icon's 6 px of white between a yellow ball, an orange orbit and a grey letter
 * merged into the ball, drawn as a teardrop. (At 4 px the 512 px rainbow's seams kept dots of the purple
 * beneath: 2.7 → 3.2 kB for +0.2 dB; at 6 px, 2.8 kB.)
 */
const KEYED_OUTSIDE_AREA = 6;
/**
 * In keyed flat art a region of FEATURE_AREA px or more whose luma lies this far (0–255) above all round it
 * stands alone at any size: what lies beneath showing through a small gap, or a highlight. A 48 px Papirus
 * "icloud-photos" icon's white centre, 3–4 px among eight petals of as many colours, merged away. (Darker
 * too: a handle's 0.2-opacity shadow band came out as a dark grey bar, ocrfeeder 48 px −0.14 dB; a seam's
 * purple between a rainbow's bands is neither, its luma between theirs.)
 */
const KEYED_LIGHTER = 48;
/**
 * The island tests (thread-like regions, small features: standsAlone) take a region's neighbours for one
 * colour when their averages span (colourSpan: the sum of the red, green and blue ranges) at most this share
 * of the region's distance to the nearest of them: a thin ring on a flat colour (a 1 px "0" on a 96 px icon's
 * card) has that colour outside and inside (the card's average, drifting with what merged into it, 10–22 off
 * its hole's), while a fringe's two colours lie at least twice its distance to the nearer apart.
 */
const ONE_COLOUR = 0.25;
/**
 * A small region whose sides touch one colour for this share or more is an island (isIsland): the 48 px
 * Papirus "qjackctl" plug's dark stripes, 6 × 1 px across the light grey plug, touch the background with
 * their two ends only (2 sides of 14), and were merged away.
 */
const ISLAND_SHARE = 0.8;
/**
 * ISLAND_SHARE for a region whose colour lies between those of its neighbours (it could be a mix of them), but
 * outside the box of the ones alike to the neighbour it touches most: a 96 px "gaphor" icon's light stripes
 * across its green boxes, 91–94 % of their sides on the green (the rest: the white at their two ends and the
 * box's anti-aliased edge). At 80 %, slivers of a 96 px rainbow's seams, mixes of the two bands beside them
 * that touch the second band along a fifth of their sides, stayed (−2.0 dB).
 */
const MIX_ISLAND_SHARE = 0.9;
/** isIsland's distinct neighbours (up to 16; a small region has few) and the sides touching each. */
const ISLAND_NEIGHBOURS = new Int32Array(16), ISLAND_SIDES = new Int32Array(16);

export interface MergeParams {
  filterSpeckle: number;
  layerDifference: number;
  /** Small features (see FEATURE_AREA) become layers below the speckle area; default true. */
  keepDots?: boolean;
  /**
   * Keyed flat art (blend-keying.ts): the true pixels, which isSoftEdged reads (the keyed ones have hard
   * edges). A region holding keyed pixels (a thin stroke's mixes) is no anti-aliased fringe: it may deepen
   * although it is thread-like.
   */
  unkeyed?: Uint8Array;
}

/**
 * The merge rule's choice between candidate targets, as one number: distance · INDEX_SPAN + index. The least
 * key is the nearest colour with ties to the lower index; NO_TARGET when there is no candidate.
 */
function candidateKey(distance: number, index: number): number {
  return distance * INDEX_SPAN + index;
}
const NO_TARGET = Infinity;
/** The distance of a key's target. */
function keyDistance(key: number): number {
  return Math.floor(key / INDEX_SPAN);
}
/** The target (record index) of a key, or -1 for NO_TARGET. */
function keyTarget(key: number): number {
  return key === NO_TARGET ? -1 : key - keyDistance(key) * INDEX_SPAN;
}

function newRecords(count: number, ws: Workspace): { sums: Float64Array; rec: Int32Array } {
  const sums = ws.float64(Math.max(1, count) * (REC_INTS >> 1));
  return { sums, rec: new Int32Array(sums.buffer, sums.byteOffset, sums.length * 2) };
}

function packAverage(sums: Float64Array, sumAt: number, area: number): number {
  return (Math.floor(sums[sumAt + REC_SUM] / area) << 16) | (Math.floor(sums[sumAt + REC_SUM + 1] / area) << 8) | Math.floor(sums[sumAt + REC_SUM + 2] / area);
}

/** L1 distance between two packed colours. */
function colorDistance(a: number, b: number): number {
  return Math.abs((a >> 16) - (b >> 16)) + Math.abs(((a >> 8) & 255) - ((b >> 8) & 255)) + Math.abs((a & 255) - (b & 255));
}

/**
 * The least and greatest red, green and blue of the colours widenSpan has seen since SPAN was reset to
 * EMPTY_SPAN, then their least and greatest luma (Rec. 601, ×1000).
 */
const SPAN = new Int32Array(8);
/**
 * offEveryFringe: a colour lies off the mixes of two others when it is farther from the segment between them
 * than FRINGE_OFF of its length and FRINGE_OFF_MIN (RGB distance), for every two of at most FRINGE_NEIGHBOURS
 * neighbours; a region is of such a colour when FRINGE_PIXEL_SHARE of its true pixels are. A 20 % black
 * shadow between an orange drop and white lies 0.22 of their distance off it, between a blue box and white
 * 0.096; the mixes of a fringe lie within a few levels of it (0.15 lost the blue box's shadow; a 0.75 px shadow
 * band under a white bar on red, no pixel of it pure, is a mix of white and the shadow and now stands alone
 * too, in a colour neither: 1.7 dB worse on one held-out icon at 48 px, against 38 better).
 */
const FRINGE_NEIGHBOURS = 6, FRINGE_OFF = 0.08, FRINGE_OFF_MIN = 24, FRINGE_PIXEL_SHARE = 0.5;
const EMPTY_SPAN = Int32Array.of(255, 0, 255, 0, 255, 0, 255000, 0);
/** offEveryFringe's segments: per segment its start (r, g, b), direction (r, g, b), squared length, squared limit. */
const SEGMENT_NUMBERS = 8;
const SEGMENTS = new Float64Array(SEGMENT_NUMBERS * (FRINGE_NEIGHBOURS * (FRINGE_NEIGHBOURS - 1)) / 2);

/**
 * Whether colour (r, g, b) lies farther than its limit (FRINGE_OFF of the length, and FRINGE_OFF_MIN) from each
 * of the first `count` segments in SEGMENTS.
 */
function offSegments(r: number, g: number, b: number, count: number): boolean {
  for (let s = 0, o = 0; s < count; s++, o += SEGMENT_NUMBERS) {
    const ar = SEGMENTS[o], ag = SEGMENTS[o + 1], ab = SEGMENTS[o + 2];
    const vr = SEGMENTS[o + 3], vg = SEGMENTS[o + 4], vb = SEGMENTS[o + 5], vv = SEGMENTS[o + 6];
    const t = vv > 0 ? Math.min(1, Math.max(0, ((r - ar) * vr + (g - ag) * vg + (b - ab) * vb) / vv)) : 0;
    const dr = r - ar - t * vr, dg = g - ag - t * vg, db = b - ab - t * vb;
    if (dr * dr + dg * dg + db * db <= SEGMENTS[o + 7]) return false;
  }
  return true;
}

/** Scratch: SPAN kept across islandBySides. */
const ALL_SPAN = new Int32Array(8);

function widenSpan(c: number): void {
  const r = c >> 16, g = (c >> 8) & 255, b = c & 255;
  if (r < SPAN[0]) SPAN[0] = r;
  if (r > SPAN[1]) SPAN[1] = r;
  if (g < SPAN[2]) SPAN[2] = g;
  if (g > SPAN[3]) SPAN[3] = g;
  if (b < SPAN[4]) SPAN[4] = b;
  if (b > SPAN[5]) SPAN[5] = b;
  const l = 299 * r + 587 * g + 114 * b;
  if (l < SPAN[6]) SPAN[6] = l;
  if (l > SPAN[7]) SPAN[7] = l;
}

/** How far (luma, 0–255) colour c lies above the lumas of those colours (≤ 0 when not lighter than all). */
function lighterThan(c: number): number {
  return (299 * (c >> 16) + 587 * ((c >> 8) & 255) + 114 * (c & 255) - SPAN[7]) / 1000;
}

/** The span of those colours: the sum of their red, green and blue ranges (at least any two's L1 distance). */
function colourSpan(): number {
  return SPAN[1] - SPAN[0] + SPAN[3] - SPAN[2] + SPAN[5] - SPAN[4];
}

/** How far colour c lies outside the box of those colours: its largest excess over a channel's range (≤ 0 inside). */
function outsideSpan(c: number): number {
  const r = c >> 16, g = (c >> 8) & 255, b = c & 255;
  return Math.max(SPAN[0] - r, r - SPAN[1], SPAN[2] - g, g - SPAN[3], SPAN[4] - b, b - SPAN[5]);
}

/**
 * The region (`region`, per pixel) of pixel p's 4-neighbour in direction dir (0 left, 1 right, 2 up, 3 down),
 * −1 off the image; x is p's column, w the image's width, n its pixel count.
 */
function neighbourRegion(region: Int32Array, p: number, x: number, w: number, n: number, dir: number): number {
  return dir === 0 ? (x > 0 ? region[p - 1] : -1) : dir === 1 ? (x + 1 < w ? region[p + 1] : -1)
    : dir === 2 ? (p >= w ? region[p - w] : -1) : (p + w < n ? region[p + w] : -1);
}

/** Union-find root with path halving (compact regions, over their side array). */
function find(side: Int32Array, c: number): number {
  let parent = side[c * SIDE_INTS + SIDE_UF];
  while (parent !== c) {
    const grand = side[parent * SIDE_INTS + SIDE_UF];
    side[c * SIDE_INTS + SIDE_UF] = grand;
    c = grand;
    parent = side[c * SIDE_INTS + SIDE_UF];
  }
  return c;
}

/**
 * Merges region k into t: sums, area, pixel list. Returns t's new average (packed); the caller stores it and
 * t's new area is rec[t·REC_INTS + REC_AREA].
 */
function absorb(sums: Float64Array, rec: Int32Array, nextPixel: Int32Array, k: number, t: number): number {
  const kRec = k * REC_INTS, tRec = t * REC_INTS, kSum = kRec >> 1, tSum = tRec >> 1;
  const tArea = rec[tRec + REC_AREA] + rec[kRec + REC_AREA];
  rec[tRec + REC_AREA] = tArea;
  sums[tSum + REC_SUM] += sums[kSum + REC_SUM]; sums[tSum + REC_SUM + 1] += sums[kSum + REC_SUM + 1]; sums[tSum + REC_SUM + 2] += sums[kSum + REC_SUM + 2];
  nextPixel[rec[tRec + REC_LAST]] = rec[kRec + REC_FIRST];
  rec[tRec + REC_LAST] = rec[kRec + REC_LAST];
  return packAverage(sums, tSum, tArea);
}

/**
 * A region is thread-like when every pixel lies on its perimeter (has a 4-neighbour outside the region,
 * the image border counting as outside): it is nowhere more than two pixels thick. Stops at the first
 * interior pixel. `label` holds, per pixel, a region of the same record set as `rec`; for compact
 * regions it is resolved through the union-find in side, the stage-1 map holds live regions already (side null).
 */
function threadLike(rec: Int32Array, side: Int32Array | null, label: Int32Array, nextPixel: Int32Array, w: number, n: number, k: number, area: number): boolean {
  let boundary = 0;
  for (let p = rec[k * REC_INTS + REC_FIRST]; p >= 0; p = nextPixel[p]) {
    const x = p % w;
    if (x !== 0 && x + 1 !== w && p >= w && p + w < n) {
      let l = label[p - 1], r = label[p + 1], u = label[p - w], d = label[p + w];
      if (l >= 0 && r >= 0 && u >= 0 && d >= 0) {
        if (side !== null) { l = find(side, l); r = find(side, r); u = find(side, u); d = find(side, d); }
        if (l === k && r === k && u === k && d === k) return false;
      }
    }
    boundary++;
  }
  return boundary >= area;
}

export class RegionMerger {
  /** Output layers in the order they were made (smallest first, roots last). */
  private readonly layerOrder: number[] = [];
  private neighbours = new Int32Array(64);
  private neighbourCount = 0;
  /** Stage-1 records, kept to the end: they hold the merge tree. */
  private readonly sums: Float64Array;
  private readonly rec: Int32Array;
  /** Next pixel of the same region (linked lists, spliced on merge). */
  private readonly nextPixel: Int32Array;
  private readonly n: number;
  private live: number;
  /** Records in use (live or merged since the last compaction): indices 0 … records − 1. */
  private recordsInUse: number;
  /** Merge-tree parent of each stage-1 region (-1: a root). */
  private readonly parent: Int32Array;
  /** Old record index → new one, during a compaction. */
  private readonly renumber: Int32Array;
  /** Stage-1 regions in the order they are merged (see MergeTree.order), `ordered` so far. */
  private readonly order: Int32Array;
  private ordered = 0;
  /**
   * The live region covering each pixel (-1 transparent) while small regions merge: a merged region's few
   * pixels are relabelled, so neighbours are found without union-find chains through scattered records.
   * The graph phase turns it into its per-pixel compact labels.
   */
  private readonly region: Int32Array;
  private processed = 0;
  private minArea = 0;
  private keepDots = true;
  private deepenDiff = 0;
  private unkeyed: Uint8Array | null = null;

  constructor(
    private readonly data: Uint8Array,
    /** Stage-1 label per pixel (-1 transparent), numbered in raster order of each region's first pixel. */
    label: Int32Array,
    private readonly regionCount: number,
    private readonly w: number,
    h: number,
    private readonly progress: Progress,
    /** n ints of scratch (any content) for the pixel lists. */
    nextPixel: Int32Array,
    private readonly ws: Workspace,
  ) {
    const n = w * h;
    this.n = n;
    this.live = regionCount;
    this.recordsInUse = regionCount;
    this.parent = ws.int32(regionCount, -1);
    this.renumber = ws.int32(regionCount);
    this.order = ws.int32(regionCount);
    // Each record is set up at its region's first pixel below.
    const { sums, rec } = newRecords(regionCount, ws);
    this.sums = sums;
    this.rec = rec;
    this.nextPixel = nextPixel;
    const region = ws.int32(n);
    this.region = region;
    // One pass over the pixels: a region's record is set up at its first pixel (labels are numbered in
    // raster order of first pixels, so that is when the label equals the number of regions seen so far).
    // Further pixels of a run of one region build up in locals, added to its record when the run ends.
    let seen = 0;
    let runRegion = -1, runCount = 0, runR = 0, runG = 0, runB = 0, runLast = -1;
    const tickRows = rowsPerTick(w);
    for (let p = 0, y = 0, x = 0; p < n; p++) {
      if (x === 0 && y % tickRows === 0) progress.update(y / h);
      if (++x === w) { x = 0; y++; }
      const c = label[p];
      region[p] = c;
      if (c < 0) continue;
      const i = 4 * p;
      nextPixel[p] = -1;
      if (c !== runRegion) {
        if (runCount > 0) this.addRun(runRegion, runCount, runR, runG, runB, runLast);
        runRegion = c;
        runCount = runR = runG = runB = 0;
        const cRec = c * REC_INTS;
        if (c === seen) {
          seen++;
          const cSum = cRec >> 1;
          rec[cRec + REC_AREA] = 1;
          sums[cSum + REC_SUM] = data[i]; sums[cSum + REC_SUM + 1] = data[i + 1]; sums[cSum + REC_SUM + 2] = data[i + 2];
          rec[cRec + REC_ORIG] = c;
          rec[cRec + REC_FIRST] = p;
          rec[cRec + REC_LAST] = p;
          rec[cRec + REC_AVG] = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
          runLast = p;
          continue;
        }
        runLast = rec[cRec + REC_LAST];
      }
      nextPixel[runLast] = p;
      runLast = p;
      runCount++;
      runR += data[i]; runG += data[i + 1]; runB += data[i + 2];
    }
    if (runCount > 0) this.addRun(runRegion, runCount, runR, runG, runB, runLast);
  }

  /** Adds a run of pixels (count, colour sums, last pixel; already linked) to region c's record. */
  private addRun(c: number, count: number, r: number, g: number, b: number, last: number): void {
    const { sums, rec } = this;
    const cRec = c * REC_INTS, cSum = cRec >> 1;
    rec[cRec + REC_AREA] += count;
    sums[cSum + REC_SUM] += r; sums[cSum + REC_SUM + 1] += g; sums[cSum + REC_SUM + 2] += b;
    rec[cRec + REC_LAST] = last;
  }

  run(params: MergeParams): MergeTree {
    const { sums, rec, regionCount, progress } = this;
    this.minArea = params.filterSpeckle * params.filterSpeckle;
    this.deepenDiff = params.layerDifference;
    this.keepDots = params.keepDots !== false;
    this.unkeyed = params.unkeyed ?? null;
    for (let c = 0, kRec = 0; c < regionCount; c++, kRec += REC_INTS) {
      if ((c & EVERY_64K) === 0) progress.checkAbort();
      const area = rec[kRec + REC_AREA];
      if (area > 1) rec[kRec + REC_AVG] = packAverage(sums, kRec >> 1, area);
    }
    // Areas 1 to SMALL_AREA without a queue: the regions of area a when their turn comes are exactly those
    // that had it when the smaller areas were done (areas only grow, and a region that absorbs one of area a
    // reaches at least 2a), so one sweep in index order per area merges them in the queue's order.
    this.mergeSingles();
    if (this.worthCompacting()) this.compact(true);
    for (let a = 2; a <= SMALL_AREA && this.live > 0; a++) {
      const inUse = this.recordsInUse;
      for (let k = 0, kRec = 0; k < inUse; k++, kRec += REC_INTS) {
        if ((k & EVERY_64K) === 0) progress.checkAbort();
        if (rec[kRec + REC_AREA] === a) this.mergeSmall(k, a);
      }
      if (a < SMALL_AREA && this.worthCompacting()) this.compact(true);
    }
    if (this.live > 0) {
      // The graph phase needs every record live; the map is renumbered by its own pixel scan.
      this.compact(false);
      this.mergeLarge();
    }
    return this.tree();
  }

  private worthCompacting(): boolean {
    return this.live <= COMPACT_BELOW * this.recordsInUse && this.recordsInUse * COMPACT_PIXELS > this.n;
  }

  /**
   * Moves the live records to the front, keeping their order; with `relabel`, the per-pixel map follows
   * (else `renumber` is left for the caller to apply).
   */
  private compact(relabel: boolean): void {
    const { rec, renumber, region, progress } = this;
    const inUse = this.recordsInUse;
    let to = 0;
    for (let from = 0, fromAt = 0; from < inUse; from++, fromAt += REC_INTS) {
      if ((from & EVERY_256K) === 0) progress.checkAbort();
      if (rec[fromAt + REC_AREA] === 0) continue;
      if (from !== to) {
        const toAt = to * REC_INTS;
        for (let field = 0; field < REC_INTS; field++) rec[toAt + field] = rec[fromAt + field];
      }
      renumber[from] = to++;
    }
    this.recordsInUse = to;
    if (!relabel) return;
    const n = this.n;
    for (let p = 0; p < n; p++) {
      if ((p & EVERY_1M) === 0) progress.checkAbort();
      const r = region[p];
      if (r >= 0) region[p] = renumber[r];
    }
  }

  /**
   * The area-1 sweep (mergeSmall's choices, specialised for the bulk of a noisy photo's regions): a single
   * pixel's neighbours are the regions of its four neighbour pixels, its column follows from the sweep's
   * row (first pixels rise with the index), and it is never thread-like, so it becomes a layer only when
   * filterSpeckle is 0.
   */
  private mergeSingles(): void {
    const { sums, rec, region, nextPixel, parent, layerOrder, order, w, n, progress } = this;
    const inUse = this.recordsInUse;
    let ordered = this.ordered;
    const layersOfOne = this.minArea === 0 && n > 1;
    const onePixelDots = this.unkeyed !== null && this.keepDots;
    const diff = this.deepenDiff;
    let live = this.live;
    let rowStart = 0;
    for (let k = 0, kRec = 0; k < inUse; k++, kRec += REC_INTS) {
      if ((k & EVERY_64K) === 0) {
        progress.checkAbort();
        progress.update((this.processed + k) / this.regionCount);
      }
      if (rec[kRec + REC_AREA] !== 1) continue;
      const p = rec[kRec + REC_FIRST];
      while (p - rowStart >= w) rowStart += w;
      const x = p - rowStart;
      const kColor = rec[kRec + REC_AVG];
      let best = NO_TARGET;
      if (live > 1) {
        // MUST MATCH mostSimilarAround (the merge rule's choice, for one pixel): the least candidateKey over
        // the four sides, without branches (on noise the comparisons are coin flips a branch predictor cannot
        // learn). Written out here because a shared helper measured 7–10 % slower on noise (V8 stops
        // inlining it); candidateKey is written out too, as distance · INDEX_SPAN + index.
        const left = x > 0 ? region[p - 1] : -1;
        const right = x + 1 < w ? region[p + 1] : -1;
        const up = p >= w ? region[p - w] : -1;
        const down = p + w < n ? region[p + w] : -1;
        best = Math.min(
          left < 0 ? NO_TARGET : colorDistance(kColor, rec[left * REC_INTS + REC_AVG]) * INDEX_SPAN + left,
          right < 0 ? NO_TARGET : colorDistance(kColor, rec[right * REC_INTS + REC_AVG]) * INDEX_SPAN + right,
          up < 0 ? NO_TARGET : colorDistance(kColor, rec[up * REC_INTS + REC_AVG]) * INDEX_SPAN + up,
          down < 0 ? NO_TARGET : colorDistance(kColor, rec[down * REC_INTS + REC_AVG]) * INDEX_SPAN + down,
        );
      }
      const t = keyTarget(best);
      live--;
      const orig = rec[kRec + REC_ORIG];
      order[ordered++] = orig;
      if (t < 0) {
        layerOrder.push(orig);
        rec[kRec + REC_AREA] = 0;
        continue;
      }
      // deepens(), for one pixel: never thread-like, and above filterSpeckle² only when that is 0; in keyed flat
      // art, a small feature when keyed (a star a pixel across in a night sky: its pixel keyed white from its
      // mix, the mixes round it keyed to the sky; the 48 px Papirus "naver-whale" lost its stars).
      if (layersOfOne && keyDistance(best) > diff) layerOrder.push(orig);
      else if (onePixelDots && this.deepens(k, 1, keyDistance(best), rec[t * REC_INTS + REC_AVG], null, region)) layerOrder.push(orig);
      region[p] = t;
      const tRec = t * REC_INTS;
      rec[tRec + REC_AVG] = absorb(sums, rec, nextPixel, k, t);
      rec[kRec + REC_AREA] = 0;
      parent[orig] = rec[tRec + REC_ORIG];
    }
    this.processed += this.live - live;
    this.live = live;
    this.ordered = ordered;
  }

  /** Merges region k (a record index), of area kArea ≤ SMALL_AREA, finding its neighbours from its pixels. */
  private mergeSmall(k: number, kArea: number): void {
    const { sums, rec, region, nextPixel } = this;
    const kRec = k * REC_INTS;
    const orig = rec[kRec + REC_ORIG];
    this.order[this.ordered++] = orig;
    if ((++this.processed & EVERY_1K) === 0) this.progress.update(this.processed / this.regionCount);
    const best = this.live > 1 ? this.mostSimilarAround(k) : NO_TARGET;
    const t = keyTarget(best);
    this.live--;
    if (t < 0) {
      // The root of everything, or an island surrounded by transparency: always drawn.
      this.layerOrder.push(orig);
      rec[kRec + REC_AREA] = 0;
      return;
    }
    if (this.deepens(k, kArea, keyDistance(best), rec[t * REC_INTS + REC_AVG], null, region)) this.layerOrder.push(orig);
    for (let p = rec[kRec + REC_FIRST]; p >= 0; p = nextPixel[p]) region[p] = t;
    const tRec = t * REC_INTS;
    rec[tRec + REC_AVG] = absorb(sums, rec, nextPixel, k, t);
    rec[kRec + REC_AREA] = 0;
    this.parent[orig] = rec[tRec + REC_ORIG];
  }

  /**
   * The merge rule's choice among the live regions 4-adjacent to k's pixels: the least candidateKey, or
   * NO_TARGET. A neighbour met several times cannot change the choice, so there are no visit stamps nor a
   * neighbour list.
   */
  private mostSimilarAround(k: number): number {
    const { rec, region, nextPixel, w, n } = this;
    const kColor = rec[k * REC_INTS + REC_AVG];
    let best = NO_TARGET;
    for (let p = rec[k * REC_INTS + REC_FIRST]; p >= 0; p = nextPixel[p]) {
      const x = p % w;
      // Each side's candidateKey (written out: this loop is hot), or NO_TARGET (outside, transparent, k itself).
      const left = x > 0 ? region[p - 1] : -1;
      const right = x + 1 < w ? region[p + 1] : -1;
      const up = p >= w ? region[p - w] : -1;
      const down = p + w < n ? region[p + w] : -1;
      best = Math.min(best,
        left < 0 || left === k ? NO_TARGET : colorDistance(kColor, rec[left * REC_INTS + REC_AVG]) * INDEX_SPAN + left,
        right < 0 || right === k ? NO_TARGET : colorDistance(kColor, rec[right * REC_INTS + REC_AVG]) * INDEX_SPAN + right,
        up < 0 || up === k ? NO_TARGET : colorDistance(kColor, rec[up * REC_INTS + REC_AVG]) * INDEX_SPAN + up,
        down < 0 || down === k ? NO_TARGET : colorDistance(kColor, rec[down * REC_INTS + REC_AVG]) * INDEX_SPAN + down);
    }
    return best;
  }

  /**
   * The merge rule's choice among the graph phase's resolved neighbours (`neighbours`, averages in `side`):
   * the least candidateKey, or NO_TARGET.
   */
  private mostSimilar(kColor: number, side: Int32Array): number {
    const neighbours = this.neighbours;
    let best = NO_TARGET;
    for (let i = 0; i < this.neighbourCount; i++) {
      const c = neighbours[i];
      best = Math.min(best, candidateKey(colorDistance(kColor, side[c * SIDE_INTS + SIDE_AVG]), c));
    }
    return best;
  }

  /**
   * The rule's "deepens": region k (area kArea) becomes a layer of its own before merging, when it is different
   * enough from its chosen target (`distance`), big enough, and not thread-like (a region everywhere at most
   * two pixels thick has every pixel on its perimeter: the anti-aliased fringe between two colours), unless
   * it stands alone (standsAlone: all round it one colour, or lighter or darker than all; a fringe lies between
   * two: a thin line on a flat colour, such as the 2 px white bars of a 48 px chat bubble icon, was merged
   * away, and a thin ring, its outside and its hole one colour, as the 1 px digits "0" of a 96 px icon); or
   * when it is a small feature
   * (FEATURE_AREA; tColor: the target's packed average). `label` and `side` as threadLike takes them.
   */
  private deepens(k: number, kArea: number, distance: number, tColor: number, side: Int32Array | null, label: Int32Array): boolean {
    const minArea = this.minArea;
    if (kArea <= minArea) {
      // A small feature: an island (all round it one colour, beside how far it stands out: ONE_COLOUR) of at
      // least FEATURE_AREA px, filling FEATURE_FILL of its box, that stands out from all round it; a piece of a
      // stroke keyed from its mixes (a small glyph's dot or curve, an icon's thin curl) from 2 px and
      // KEYED_FEATURE_FILL, in keyed flat art from 1 px (mergeSingles: a star a pixel across in a night sky).
      if (!this.keepDots || kArea < (this.unkeyed !== null ? 1 : 2) || distance <= FEATURE_CONTRAST * this.deepenDiff) return false;
      const keyed = this.holdsKeyedMix(k);
      if (!keyed && kArea < FEATURE_AREA) return false;
      // In keyed flat art a small block (BLOCK_AREA) stands alone too: it is no fringe, whose mixes keying gave
      // to one side (see BLOCK_AREA).
      if (!this.standsAlone(k, kArea, distance, side, false)
        && !(this.unkeyed !== null && kArea <= BLOCK_AREA && !threadLike(this.rec, side, label, this.nextPixel, this.w, this.n, k, kArea))) return false;
      return this.fillsBox(k, kArea, keyed ? KEYED_FEATURE_FILL : FEATURE_FILL)
        && (this.isSoftEdged(k, tColor) || isSolidBlock(kArea, this.boxWidth, this.boxHeight));
    }
    return distance > this.deepenDiff && kArea < this.n
      && (minArea === 0 || !threadLike(this.rec, side, label, this.nextPixel, this.w, this.n, k, kArea) || this.holdsKeyedMix(k)
        || this.standsAlone(k, kArea, distance, side, true));
  }

  /**
   * Whether region k's edge is anti-aliased: among its pixels and their 4-neighbours, one lies between its
   * core (its pixel farthest from tColor, its surroundings' packed average) and tColor, at a coverage in
   * (FEATURE_MIX, 1 − FEATURE_MIX). A speck of a hard-edged image (a 1-bit scan, a thresholded photo) has
   * only the two colours round it. The core is read from the keyed pixels, the mixes from the true ones: a
   * stroke with no pixel of its own colour (a 0.75 px stripe) has its keyed colour for core, and its own
   * pixels are the mixes (read from the true pixels alone, its core was a mix and nothing lay between).
   */
  private isSoftEdged(k: number, tColor: number): boolean {
    const { rec, nextPixel, w, n } = this;
    const data = this.unkeyed ?? this.data, core = this.data;
    const tr = tColor >> 16, tg = (tColor >> 8) & 255, tb = tColor & 255;
    let dr = 0, dg = 0, db = 0, dd = 0;
    for (let p = rec[k * REC_INTS + REC_FIRST]; p >= 0; p = nextPixel[p]) {
      const er = core[4 * p] - tr, eg = core[4 * p + 1] - tg, eb = core[4 * p + 2] - tb;
      const e = er * er + eg * eg + eb * eb;
      if (e > dd) { dd = e; dr = er; dg = eg; db = eb; }
    }
    if (dd === 0) return false;
    const mixed = (q: number): boolean => {
      const a = ((data[4 * q] - tr) * dr + (data[4 * q + 1] - tg) * dg + (data[4 * q + 2] - tb) * db) / dd;
      return a > FEATURE_MIX && a < 1 - FEATURE_MIX;
    };
    for (let p = rec[k * REC_INTS + REC_FIRST]; p >= 0; p = nextPixel[p]) {
      const x = p % w;
      if (mixed(p) || (x > 0 && mixed(p - 1)) || (x + 1 < w && mixed(p + 1)) || (p >= w && mixed(p - w)) || (p + w < n && mixed(p + w))) return true;
    }
    return false;
  }

  /**
   * Whether region k holds a pixel that blend keying changed (MergeParams.unkeyed): a stroke too thin to have
   * a pixel of its own colour, which is thread-like, and no fringe.
   */
  private holdsKeyedMix(k: number): boolean {
    const { unkeyed, data, rec, nextPixel } = this;
    if (unkeyed === null) return false;
    for (let p = rec[k * REC_INTS + REC_FIRST]; p >= 0; p = nextPixel[p]) {
      if (data[4 * p] !== unkeyed[4 * p] || data[4 * p + 1] !== unkeyed[4 * p + 1] || data[4 * p + 2] !== unkeyed[4 * p + 2]) return true;
    }
    return false;
  }

  /** The bounding box fillsBox measured last. */
  private boxWidth = 0;
  private boxHeight = 0;

  /** Whether region k's kArea pixels cover at least `fill` of their bounding box (a dot, not a sliver). */
  private fillsBox(k: number, kArea: number, fill: number): boolean {
    const { rec, nextPixel, w } = this;
    let x0 = w, x1 = 0, y0 = this.n, y1 = 0;
    for (let p = rec[k * REC_INTS + REC_FIRST]; p >= 0; p = nextPixel[p]) {
      const x = p % w, y = (p - x) / w;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    this.boxWidth = x1 - x0 + 1;
    this.boxHeight = y1 - y0 + 1;
    return kArea >= fill * (this.boxWidth * this.boxHeight); // (the box first: 0.4 · 7 · 5 is not 14 in floating point)
  }

  /**
   * Whether the live regions 4-adjacent to small region k's pixels (pixel-sweep phase) are one colour: their
   * averages span at most `spread` (colourSpan; a single region spans 0), or, in keyed flat art, k is an
   * island by its sides (islandBySides; `thin` as there). Leaves the span of all of them in SPAN.
   */
  private isIsland(k: number, spread: number, thin: boolean): boolean {
    const { rec, region, nextPixel, w, n } = this;
    SPAN.set(EMPTY_SPAN);
    for (let p = rec[k * REC_INTS + REC_FIRST]; p >= 0; p = nextPixel[p]) {
      const x = p % w;
      for (let side = 0; side < 4; side++) {
        const q = neighbourRegion(region, p, x, w, n, side);
        if (q < 0 || q === k) continue;
        widenSpan(rec[q * REC_INTS + REC_AVG]);
      }
    }
    if (colourSpan() <= spread) return true;
    return this.unkeyed !== null && this.islandBySides(k, rec[k * REC_INTS + REC_AVG], spread, null, thin);
  }

  /**
   * Keyed flat art: whether region k (average kColor) is an island by its pixels' sides that touch another
   * region: k's colour lies farther than `spread` outside the box of the colours of the neighbours within
   * `spread` of the one it touches most, and those hold ISLAND_SHARE of its sides when k's colour lies outside
   * the box of all its neighbours' too (no fringe: a fringe's mixes lie between its two colours; a stripe
   * across a bar touches the background at its two ends only), or MIX_ISLAND_SHARE when not and k is `thin`
   * (thread-like and above the speckle area: the background's colour may put a stripe's between it and the
   * bar's; below the speckle area, keepDots keeps dots, not every patch the speckle filter would take: at
   * filterSpeckle 128 a 72 px apple's stem and leaf stayed). `side`: the graph phase's records (the
   * per-pixel map resolved through its union-find), null in the pixel sweep. Leaves SPAN as it found it (the
   * span of all the neighbours, which the caller's later tests read).
   */
  private islandBySides(k: number, kColor: number, spread: number, side: Int32Array | null, thin: boolean): boolean {
    const { rec, region, nextPixel, w, n } = this;
    // On entry SPAN holds the box of all the neighbours' colours.
    const outsideAll = outsideSpan(kColor) > spread;
    ALL_SPAN.set(SPAN);
    ISLAND_SIDES.fill(0);
    let count = 0, sides = 0;
    for (let p = rec[k * REC_INTS + REC_FIRST]; p >= 0; p = nextPixel[p]) {
      const x = p % w;
      for (let dir = 0; dir < 4; dir++) {
        let q = neighbourRegion(region, p, x, w, n, dir);
        if (q < 0) continue;
        if (side !== null) q = find(side, q);
        if (q === k) continue;
        sides++;
        let i = 0;
        while (i < count && ISLAND_NEIGHBOURS[i] !== q) i++;
        if (i === count && count < ISLAND_NEIGHBOURS.length) ISLAND_NEIGHBOURS[count++] = q;
        if (i < count) ISLAND_SIDES[i]++;
      }
    }
    if (count === 0) return false;
    const avg = (r: number): number => (side !== null ? side[r * SIDE_INTS + SIDE_AVG] : rec[r * REC_INTS + REC_AVG]);
    let most = 0;
    for (let i = 1; i < count; i++) if (ISLAND_SIDES[i] > ISLAND_SIDES[most]) most = i;
    const main = avg(ISLAND_NEIGHBOURS[most]);
    let alike = 0;
    SPAN.set(EMPTY_SPAN);
    for (let i = 0; i < count; i++) {
      const c = avg(ISLAND_NEIGHBOURS[i]);
      if (colorDistance(main, c) > spread) continue;
      alike += ISLAND_SIDES[i];
      widenSpan(c);
    }
    const island = outsideSpan(kColor) > spread && (outsideAll ? alike >= ISLAND_SHARE * sides : thin && alike >= MIX_ISLAND_SHARE * sides);
    SPAN.set(ALL_SPAN);
    return island;
  }

  /**
   * Whether region k (kArea px, at `distance` from the nearest of its live neighbours) is no fringe between
   * them: they are one colour beside that distance (their span at most ONE_COLOUR of it), or, in keyed flat
   * art, k is an island by its sides (islandBySides; in the graph phase only when k is `thin`: thread-like,
   * above the speckle area; or of a colour no two of them mix into, offEveryFringe, when `thin` in the graph
   * phase) or lighter than all of them (KEYED_LIGHTER), or, from OUTSIDE_AREA px
   * (KEYED_OUTSIDE_AREA in keyed flat art), k's colour lies
   * outside the box of theirs in some channel by more than that and OUTSIDE_LAYERS layer differences (lighter
   * or darker than all: a white blade tip between a grey ground and a dark handle; a fringe's mixes lie
   * between its two colours). `side`: the graph phase's sides, null in the pixel sweep.
   */
  private standsAlone(k: number, kArea: number, distance: number, side: Int32Array | null, thin: boolean): boolean {
    const margin = ONE_COLOUR * distance;
    if (side !== null ? this.neighboursOneColour(side, margin) : this.isIsland(k, margin, thin)) return true;
    if (thin && side !== null && this.unkeyed !== null && this.islandBySides(k, side[k * SIDE_INTS + SIDE_AVG], margin, side, true)) return true;
    // In keyed flat art, a thin region of a colour no two of its neighbours mix into is a band of its own (a 1.5
    // px shadow or highlight under a shape's edge), not the fringe between two: their mixes were keyed away.
    if (thin && side !== null && this.unkeyed !== null && this.offEveryFringe(k, side)) return true;
    if (side !== null && this.neighbourCount === 0) return false;
    const c = side !== null ? side[k * SIDE_INTS + SIDE_AVG] : this.rec[k * REC_INTS + REC_AVG];
    if (this.unkeyed !== null && kArea >= FEATURE_AREA && lighterThan(c) > KEYED_LIGHTER) return true;
    if (kArea < (this.unkeyed !== null ? KEYED_OUTSIDE_AREA : OUTSIDE_AREA)) return false;
    return outsideSpan(c) > Math.max(margin, OUTSIDE_LAYERS * this.deepenDiff);
  }

  /**
   * Whether FRINGE_PIXEL_SHARE of region k's true pixels lie off the line between every two of the graph
   * phase's resolved neighbours (2 to FRINGE_NEIGHBOURS of them; offSegments).
   */
  private offEveryFringe(k: number, side: Int32Array): boolean {
    const m = this.neighbourCount;
    if (m < 2 || m > FRINGE_NEIGHBOURS) return false;
    // Its pixels, not its average: a region holding two fringes' mixes, each on its own segment (the ring round
    // a gap between two dark blocks under a blue band: dark and yellow mixes on its sides, blue and yellow ones
    // on top), has an average off every segment; and a 1.5 px shadow band's average is pulled onto the segment
    // between the shape and the background by its lower row, half shadow and half background, while its pure
    // row lies off it (a 20 % shadow under a blue box: 21 levels off, under FRINGE_OFF_MIN).
    // The segments between every two neighbours, once for all the region's pixels (offSegments).
    let segments = 0;
    for (let i = 0; i < m; i++) {
      const a = side[this.neighbours[i] * SIDE_INTS + SIDE_AVG];
      for (let j = i + 1; j < m; j++) {
        const e = side[this.neighbours[j] * SIDE_INTS + SIDE_AVG];
        const o = SEGMENT_NUMBERS * segments++;
        const ar = a >> 16 & 255, ag = a >> 8 & 255, ab = a & 255;
        const vr = (e >> 16 & 255) - ar, vg = (e >> 8 & 255) - ag, vb = (e & 255) - ab;
        const vv = vr * vr + vg * vg + vb * vb;
        const limit = Math.max(FRINGE_OFF * Math.sqrt(vv), FRINGE_OFF_MIN);
        SEGMENTS[o] = ar; SEGMENTS[o + 1] = ag; SEGMENTS[o + 2] = ab;
        SEGMENTS[o + 3] = vr; SEGMENTS[o + 4] = vg; SEGMENTS[o + 5] = vb;
        SEGMENTS[o + 6] = vv; SEGMENTS[o + 7] = limit * limit;
      }
    }
    const { rec, nextPixel } = this;
    const data = this.unkeyed ?? this.data;
    let off = 0, all = 0;
    for (let p = rec[k * REC_INTS + REC_FIRST]; p >= 0; p = nextPixel[p]) {
      all++;
      if (offSegments(data[4 * p], data[4 * p + 1], data[4 * p + 2], segments)) off++;
    }
    return off >= FRINGE_PIXEL_SHARE * all;
  }

  /** Whether the graph phase's resolved neighbours (`neighbours`, averages in `side`) span at most `spread` (colourSpan). */
  private neighboursOneColour(side: Int32Array, spread: number): boolean {
    if (this.neighbourCount === 0) return false;
    SPAN.set(EMPTY_SPAN);
    for (let i = 0; i < this.neighbourCount; i++) widenSpan(side[this.neighbours[i] * SIDE_INTS + SIDE_AVG]);
    return colourSpan() <= spread;
  }

  private pushNeighbour(t: number): void {
    if (this.neighbourCount === this.neighbours.length) this.neighbours = grownCopy(this.neighbours, this.neighbourCount * 2);
    this.neighbours[this.neighbourCount++] = t;
  }

  /**
   * The graph phase, over the compacted records (all live): each pixel gets its region's record index (the
   * graph's pixel scan applies the last renumbering), and the regions an adjacency graph.
   */
  private mergeLarge(): void {
    const { sums, rec, w, n, progress, nextPixel, parent } = this;
    progress.checkAbort();
    const inUse = this.recordsInUse;
    const side = this.ws.int32(inUse * SIDE_INTS);
    for (let k = 0, kRec = 0; k < inUse; k++, kRec += REC_INTS) {
      if ((k & EVERY_256K) === 0) progress.checkAbort();
      side[k * SIDE_INTS + SIDE_UF] = k;
      side[k * SIDE_INTS + SIDE_MARK] = -1;
      side[k * SIDE_INTS + SIDE_AVG] = rec[kRec + REC_AVG];
      side[k * SIDE_INTS + SIDE_PARENT] = 0;
      rec[kRec + REC_HEAD] = -1;
      rec[kRec + REC_TAIL] = -1;
    }
    // The per-pixel map, renumbered to the compacted records by the graph's pixel scan.
    const labels = this.region;
    const graph = new AdjacencyGraph(rec, inUse, labels, w, n / w, progress, this.renumber, this.ws);

    const queue = new MergeQueue(2 * inUse + 16, this.ws);
    for (let k = 0; k < inUse; k++) {
      if ((k & EVERY_256K) === 0) progress.checkAbort();
      queue.push(rec[k * REC_INTS + REC_AREA], k);
    }
    let live = inUse;
    while (queue.pop()) {
      const k = queue.id;
      const kArea = queue.area;
      const kRec = k * REC_INTS;
      if (side[k * SIDE_INTS + SIDE_UF] !== k || rec[kRec + REC_AREA] !== kArea) continue;
      if ((++this.processed & EVERY_1K) === 0) progress.update(this.processed / this.regionCount);
      const orig = rec[kRec + REC_ORIG];
      this.order[this.ordered++] = orig;

      // Resolve k's neighbour list: live neighbours, each once; the list is compacted in place.
      let newHead = -1, newTail = -1;
      this.neighbourCount = 0;
      if (live > 1) {
        const nodes = graph.nodes;
        let node = rec[kRec + REC_HEAD];
        let walked = 0;
        while (node >= 0) {
          if ((++walked & EVERY_64K) === 0) progress.checkAbort();
          const following = nodes[2 * node + 1];
          const t = find(side, nodes[2 * node]);
          if (t !== k && side[t * SIDE_INTS + SIDE_MARK] !== k) {
            side[t * SIDE_INTS + SIDE_MARK] = k;
            nodes[2 * node] = t;
            this.pushNeighbour(t);
            if (newTail < 0) newHead = node; else nodes[2 * newTail + 1] = node;
            newTail = node;
          }
          node = following;
        }
        if (newTail >= 0) nodes[2 * newTail + 1] = -1;
      }
      live--;
      if (this.neighbourCount === 0) {
        this.layerOrder.push(orig);
        continue;
      }
      const best = this.mostSimilar(side[k * SIDE_INTS + SIDE_AVG], side);
      const t = keyTarget(best);
      if (this.deepens(k, kArea, keyDistance(best), side[t * SIDE_INTS + SIDE_AVG], side, labels)) this.layerOrder.push(orig);
      side[k * SIDE_INTS + SIDE_PARENT] = t + 1; // the merge-tree parent, written in record order at the end
      side[t * SIDE_INTS + SIDE_AVG] = absorb(sums, rec, nextPixel, k, t);
      side[k * SIDE_INTS + SIDE_UF] = t;
      const tArea = rec[t * REC_INTS + REC_AREA];
      if (newHead >= 0) {
        const tRec = t * REC_INTS;
        if (rec[tRec + REC_TAIL] < 0) rec[tRec + REC_HEAD] = newHead; else graph.nodes[2 * rec[tRec + REC_TAIL] + 1] = newHead;
        rec[tRec + REC_TAIL] = newTail;
      }
      queue.push(tArea, t);
    }
    for (let k = 0; k < inUse; k++) {
      const up = side[k * SIDE_INTS + SIDE_PARENT];
      if (up > 0) parent[rec[k * REC_INTS + REC_ORIG]] = rec[(up - 1) * REC_INTS + REC_ORIG];
    }
  }

  /** The merge tree, and the memory the merge no longer needs (the records: 12 ints per stage-1 region). */
  private tree(): MergeTree {
    this.progress.checkAbort();
    return {
      parent: this.parent, layerOrder: this.layerOrder, order: this.order,
      // REUSE: handed on to the layer pass (clustering.ts), which takes them over.
      spareRegions: this.rec, sparePixels: [this.nextPixel, this.region],
    };
  }
}

/**
 * Region adjacency graph over compact regions: nodes are (target, next) pairs in one Int32Array, each
 * region's list threaded through REC_HEAD/REC_TAIL. The lists start out contiguous (counted, then filled) and
 * without repeats, so walking one reads memory in order; merges splice lists, which keeps
 * runs contiguous.
 * An edge between the same two regions as the pair just above (horizontal pairs) or just left (vertical
 * pairs) is not added again, so a long shared boundary makes few nodes.
 */
class AdjacencyGraph {
  readonly nodes: Int32Array;

  /** `renumber` turns `label` (record indices before the last compaction) into the compacted ones. */
  constructor(rec: Int32Array, regionCount: number, label: Int32Array, w: number, h: number, progress: Progress, renumber: Int32Array, ws: Workspace) {
    // One pass over the pixels counts each region's edges (degree of k in start[k + 1]) and lists where the
    // edges are; the lists are then filled from that list alone (flat art has few boundary pixels).
    const start = ws.int32(regionCount + 1, 0);
    // At most two pairs per pixel.
    const found = AdjacencyGraph.scan(label, w, h, progress, start.subarray(1), renumber, new IntBuffer(ws.int32(2 * w * h + 2)));
    for (let k = 0; k < regionCount; k++) start[k + 1] += start[k];
    const nodes = ws.int32(2 * Math.max(1, start[regionCount]));
    const slot = ws.int32(Math.max(1, regionCount));
    slot.set(start.subarray(0, regionCount));
    const where = found.data;
    for (let i = 0; i < found.length; i++) {
      if ((i & EVERY_256K) === 0) progress.checkAbort();
      const e = where[i];
      const p = e >> 1;
      const a = label[p], b = label[(e & 1) === 0 ? p + 1 : p + w];
      nodes[2 * slot[a]++] = b;
      nodes[2 * slot[b]++] = a;
    }
    // Each list deduplicated in place (a long shared boundary still repeats a pair), then threaded.
    const seen = ws.int32(regionCount, -1);
    for (let k = 0, kRec = 0; k < regionCount; k++, kRec += REC_INTS) {
      if ((k & EVERY_64K) === 0) progress.checkAbort();
      const first = start[k];
      let end = first;
      for (let i = first; i < start[k + 1]; i++) {
        const t = nodes[2 * i];
        if (seen[t] === k) continue;
        seen[t] = k;
        nodes[2 * end] = t;
        nodes[2 * end + 1] = end + 1;
        end++;
      }
      if (end > first) {
        nodes[2 * end - 1] = -1;
        rec[kRec + REC_HEAD] = first;
        rec[kRec + REC_TAIL] = end - 1;
      }
    }
    this.nodes = nodes;
  }

  /**
   * Visits every pair of 4-adjacent pixels of different regions, but the repeats above: counts each region's
   * edges into `count` and returns where they are (pixel × 2, + 1 for the pair with the pixel below).
   */
  private static scan(label: Int32Array, w: number, h: number, progress: Progress, count: Int32Array, renumber: Int32Array, found: IntBuffer): IntBuffer {
    const tickRows = rowsPerTick(w);
    for (let y = -1; y < h; y++) {
      // Row y + 1 renumbered first (the vertical pairs of row y need it).
      if (y + 1 < h) {
        for (let p = (y + 1) * w, end = p + w; p < end; p++) {
          const l = label[p];
          if (l >= 0) label[p] = renumber[l];
        }
      }
      if (y < 0) continue;
      if (y % tickRows === 0) progress.checkAbort();
      const row = y * w;
      for (let x = 0; x + 1 < w; x++) {
        const p = row + x;
        const a = label[p], b = label[p + 1];
        if (a === b || a < 0 || b < 0) continue;
        if (y > 0 && label[p - w] === a && label[p + 1 - w] === b) continue;
        count[a]++; count[b]++;
        found.push(2 * p);
      }
      if (y + 1 === h) break;
      for (let x = 0; x < w; x++) {
        const p = row + x;
        const a = label[p], b = label[p + w];
        if (a === b || a < 0 || b < 0) continue;
        if (x > 0 && label[p - 1] === a && label[p + w - 1] === b) continue;
        count[a]++; count[b]++;
        found.push(2 * p + 1);
      }
    }
    return found;
  }
}
