/**
 * Fidelity measurement shared by the engine tests and the benchmark: render an SVG to RGBA with resvg,
 * composite an RGBA image on a background, compare two images (PSNR, SSIM), load an image file as RGBA,
 * and count what an SVG contains. Dependency-light on purpose: @resvg/resvg-js and sharp only.
 *
 * Conventions: every image is RGBA, 4 bytes per pixel, row-major, straight alpha. `psnr` and `ssim` ignore
 * the alpha channel, so compare opaque images (composite transparent input on a background first).
 */
import { Resvg } from '@resvg/resvg-js';
import sharp from 'sharp';
import { inkMask, xorError } from '../../bench/shapes/metrics.js';

export interface RgbaBuffer {
  data: Uint8Array;
  width: number;
  height: number;
}

/** An RGB colour: `[r, g, b]` 0–255, or a CSS colour string such as `#ff00ff` (hex only). */
export type Background = readonly [number, number, number] | string;

export const WHITE: readonly [number, number, number] = [255, 255, 255];
export const MAGENTA: readonly [number, number, number] = [255, 0, 255];

function toRgb(bg: Background): [number, number, number] {
  if (typeof bg !== 'string') return [bg[0], bg[1], bg[2]];
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(bg.trim());
  if (!m) throw new Error(`background must be [r,g,b] or #rrggbb, got ${bg}`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

/**
 * Renders an SVG to RGBA at exactly `width` × `height` pixels. The SVG is scaled to the requested width
 * (resvg's fitTo); its aspect ratio must give the requested height, else this throws. With a background
 * (default white) the result is opaque; pass `null` for a transparent canvas (alpha = coverage).
 * Throws if resvg cannot parse the SVG.
 */
export function renderSvg(svg: string, width: number, height: number, background: Background | null = WHITE): Uint8Array {
  const opts: ConstructorParameters<typeof Resvg>[1] = {
    fitTo: { mode: 'width', value: width },
    font: { loadSystemFonts: false },
    logLevel: 'off',
    shapeRendering: 2,
  };
  if (background !== null) {
    const [r, g, b] = toRgb(background);
    opts.background = `rgb(${r},${g},${b})`;
  }
  const rendered = new Resvg(svg, opts).render();
  if (rendered.width !== width || rendered.height !== height) {
    throw new Error(`SVG rendered at ${rendered.width}×${rendered.height}, expected ${width}×${height}`);
  }
  const px = rendered.pixels;
  return new Uint8Array(px.buffer, px.byteOffset, px.byteLength);
}

/**
 * The xor error (bench/shapes/metrics.ts: pixels whose one-half threshold disagrees, as a share of the first's
 * ink) of two SVGs of a width × height image, both rendered at `scale`×: how far a trace lies from its truth,
 * or from another trace, at a size where sub-pixel differences show.
 */
export function xorAtScale(a: string, b: string, width: number, height: number, scale: number): number {
  return xorError(inkMask(renderSvg(a, scale * width, scale * height)), inkMask(renderSvg(b, scale * width, scale * height)));
}

/** Composites a straight-alpha RGBA buffer over an opaque background colour (default white). */
export function compositeOnWhite(rgba: Uint8Array, background: Background = WHITE): Uint8Array {
  return compositeOn(rgba, background);
}

/** Same as compositeOnWhite with an explicit background. Output alpha is 255 everywhere. */
export function compositeOn(rgba: Uint8Array, background: Background): Uint8Array {
  const [br, bg, bb] = toRgb(background);
  const out = new Uint8Array(rgba.length);
  for (let i = 0; i < rgba.length; i += 4) {
    const a = rgba[i + 3]!;
    const ia = 255 - a;
    out[i] = Math.round((rgba[i]! * a + br * ia) / 255);
    out[i + 1] = Math.round((rgba[i + 1]! * a + bg * ia) / 255);
    out[i + 2] = Math.round((rgba[i + 2]! * a + bb * ia) / 255);
    out[i + 3] = 255;
  }
  return out;
}

function checkSameSize(a: Uint8Array, b: Uint8Array): void {
  if (a.length !== b.length || a.length % 4 !== 0) {
    throw new Error(`images differ in size (${a.length} vs ${b.length} bytes) or are not RGBA`);
  }
}

/**
 * Peak signal-to-noise ratio in dB over the R, G and B channels (mean squared error over all three,
 * peak 255; alpha ignored). Identical images give Infinity.
 */
export function psnr(a: Uint8Array, b: Uint8Array): number {
  checkSameSize(a, b);
  let sum = 0;
  for (let i = 0; i < a.length; i += 4) {
    const dr = a[i]! - b[i]!;
    const dg = a[i + 1]! - b[i + 1]!;
    const db = a[i + 2]! - b[i + 2]!;
    sum += dr * dr + dg * dg + db * db;
  }
  const mse = sum / ((a.length / 4) * 3);
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

/** BT.601 luma (0–255, float) of every pixel of an RGBA buffer; alpha ignored. */
export function luma(rgba: Uint8Array): Float32Array {
  const n = rgba.length >> 2;
  const out = new Float32Array(n);
  for (let p = 0, i = 0; p < n; p++, i += 4) out[p] = 0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!;
  return out;
}

const SSIM_SIGMA = 1.5;
const SSIM_RADIUS = 5; // 11×11 window
const SSIM_C1 = (0.01 * 255) ** 2;
const SSIM_C2 = (0.03 * 255) ** 2;

/**
 * Separable Gaussian blur; near the border the window is truncated and renormalised. Both passes run along
 * rows (the vertical one accumulates whole rows), and the interior skips the truncation bookkeeping: SSIM at
 * 768² runs several of these per comparison.
 */
function gaussianBlur(src: Float32Array, width: number, height: number, kernel: Float32Array): Float32Array {
  const r = (kernel.length - 1) >> 1;
  let full = 0;
  for (let k = 0; k < kernel.length; k++) full += kernel[k]!;
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  const edge = (row: number, x: number) => {
    let s = 0, w = 0;
    const k0 = Math.max(-r, -x), k1 = Math.min(r, width - 1 - x);
    for (let k = k0; k <= k1; k++) {
      const kw = kernel[k + r]!;
      s += kw * src[row + x + k]!;
      w += kw;
    }
    tmp[row + x] = s / w;
  };
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const inner0 = Math.min(r, width), inner1 = Math.max(inner0, width - r);
    for (let x = 0; x < inner0; x++) edge(row, x);
    for (let x = inner0; x < inner1; x++) {
      // The kernel is symmetric: pair the taps either side of the centre.
      const c = row + x;
      let s = kernel[r]! * src[c]!;
      for (let k = 1; k <= r; k++) s += kernel[r + k]! * (src[c - k]! + src[c + k]!);
      tmp[c] = s / full;
    }
    for (let x = inner1; x < width; x++) edge(row, x);
  }
  const acc = new Float64Array(width);
  for (let y = 0; y < height; y++) {
    const k0 = Math.max(-r, -y), k1 = Math.min(r, height - 1 - y);
    const row = y * width;
    let w = 0;
    if (k0 === -r && k1 === r) {
      w = full;
      const kc = kernel[r]!;
      for (let x = 0; x < width; x++) acc[x] = kc * tmp[row + x]!;
      for (let k = 1; k <= r; k++) {
        const kw = kernel[r + k]!;
        const above = row - k * width, below = row + k * width;
        for (let x = 0; x < width; x++) acc[x] += kw * (tmp[above + x]! + tmp[below + x]!);
      }
    } else {
      acc.fill(0);
      for (let k = k0; k <= k1; k++) {
        const kw = kernel[k + r]!;
        w += kw;
        const from = (y + k) * width;
        for (let x = 0; x < width; x++) acc[x] += kw * tmp[from + x]!;
      }
    }
    for (let x = 0; x < width; x++) out[row + x] = acc[x]! / w;
  }
  return out;
}

function ssimKernel(): Float32Array {
  const kernel = new Float32Array(2 * SSIM_RADIUS + 1);
  for (let k = -SSIM_RADIUS; k <= SSIM_RADIUS; k++) kernel[k + SSIM_RADIUS] = Math.exp(-(k * k) / (2 * SSIM_SIGMA * SSIM_SIGMA));
  return kernel;
}

/** One side of an SSIM comparison, blurred once: compare it with many images by `ssimAgainst`. */
export interface SsimReference {
  width: number;
  height: number;
  luma: Float32Array;
  mean: Float32Array;
  /** Blurred square of the luma. */
  meanSquare: Float32Array;
}

/** Precomputes the reference side of `ssim` (its luma, local mean and local mean square). */
export function ssimReference(rgba: Uint8Array, width: number): SsimReference {
  const n = rgba.length >> 2;
  if (rgba.length % 4 !== 0) throw new Error('image is not RGBA');
  if (!Number.isInteger(width) || width <= 0 || n % width !== 0) throw new Error(`bad width ${width} for ${n} pixels`);
  const height = n / width;
  const kernel = ssimKernel();
  const x = luma(rgba);
  const xx = new Float32Array(n);
  for (let i = 0; i < n; i++) xx[i] = x[i]! * x[i]!;
  return { width, height, luma: x, mean: gaussianBlur(x, width, height, kernel), meanSquare: gaussianBlur(xx, width, height, kernel) };
}

/** SSIM of an image against a precomputed reference (same definition and result as `ssim(ref, b, width)`). */
export function ssimAgainst(ref: SsimReference, b: Uint8Array): number {
  const n = ref.width * ref.height;
  if (b.length !== n * 4) throw new Error(`images differ in size (${n * 4} vs ${b.length} bytes) or are not RGBA`);
  if (n === 0) return 1;
  const { width, height } = ref;
  const kernel = ssimKernel();
  const x = ref.luma, y = luma(b);
  const yy = new Float32Array(n), xy = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    yy[i] = y[i]! * y[i]!;
    xy[i] = x[i]! * y[i]!;
  }
  const mx = ref.mean, sxx = ref.meanSquare;
  const my = gaussianBlur(y, width, height, kernel);
  const syy = gaussianBlur(yy, width, height, kernel);
  const sxy = gaussianBlur(xy, width, height, kernel);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const ux = mx[i]!, uy = my[i]!;
    const vx = Math.max(0, sxx[i]! - ux * ux);
    const vy = Math.max(0, syy[i]! - uy * uy);
    const cxy = sxy[i]! - ux * uy;
    total += ((2 * ux * uy + SSIM_C1) * (2 * cxy + SSIM_C2)) / ((ux * ux + uy * uy + SSIM_C1) * (vx + vy + SSIM_C2));
  }
  return total / n;
}

/**
 * Mean structural similarity (Wang et al. 2004) on BT.601 luma: Gaussian window σ = 1.5 truncated at
 * 11×11, K1 = 0.01, K2 = 0.03, L = 255, averaged over every pixel (the window is truncated and renormalised
 * at the border, so images smaller than the window work). 1 means identical. Needs the width because the
 * buffers are flat.
 */
export function ssim(a: Uint8Array, b: Uint8Array, width: number): number {
  checkSameSize(a, b);
  if (a.length === 0) return 1;
  return ssimAgainst(ssimReference(a, width), b);
}

/** Decodes any image sharp reads into straight-alpha RGBA (grey and RGB inputs get alpha 255). */
export async function loadRgba(path: string): Promise<RgbaBuffer> {
  const { data, info } = await sharp(path).toColourspace('srgb').ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 4) throw new Error(`${path}: decoded to ${info.channels} channels, expected 4`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** One `<path>` element of an SVG: its `d`, its fill (lower case, as written) and all its attributes. */
export interface SvgPathElement {
  d: string;
  fill: string | undefined;
  attributes: Record<string, string>;
  /** The element's source text. */
  source: string;
}

const ATTR_RE = /([A-Za-z_:][-\w:.]*)\s*=\s*("([^"]*)"|'([^']*)')/g;

function parseAttributes(text: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of text.matchAll(ATTR_RE)) attrs[m[1]!] = m[3] ?? m[4] ?? '';
  return attrs;
}

/** Every `<path .../>` (or `<path ...></path>`) element, in document order. */
export function svgPaths(svg: string): SvgPathElement[] {
  const out: SvgPathElement[] = [];
  for (const m of svg.matchAll(/<path\b([^>]*?)\/?>/g)) {
    const attributes = parseAttributes(m[1]!);
    out.push({ d: attributes.d ?? '', fill: attributes.fill?.toLowerCase(), attributes, source: m[0] });
  }
  return out;
}

/** The attributes of the root `<svg>` element (throws if there is none). */
export function svgRootAttributes(svg: string): Record<string, string> {
  const m = /<svg\b([^>]*)>/.exec(svg);
  if (!m) throw new Error('no <svg> element');
  return parseAttributes(m[1]!);
}

/** A path-data command with its numeric arguments (implicit repeats are kept in one command). */
export interface PathCommand {
  letter: string;
  args: number[];
}

const PATH_TOKEN_RE = /[MmLlHhVvCcSsQqTtAaZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g;

/** Tokenises SVG path data (compact forms like `1.5.5` and `1-2` included; no arc flag compaction). */
export function parsePathData(d: string): PathCommand[] {
  const out: PathCommand[] = [];
  let current: PathCommand | undefined;
  for (const m of d.matchAll(PATH_TOKEN_RE)) {
    const tok = m[0];
    if (/^[A-Za-z]$/.test(tok)) {
      current = { letter: tok, args: [] };
      out.push(current);
    } else {
      if (!current) throw new Error(`path data starts with a number: ${d.slice(0, 40)}`);
      current.args.push(Number(tok));
    }
  }
  return out;
}

/** The number literals of path data, as written (to check decimals). */
export function pathNumberLiterals(d: string): string[] {
  return [...d.matchAll(PATH_TOKEN_RE)].map((m) => m[0]).filter((t) => !/^[A-Za-z]$/.test(t));
}

/** A straight or curved segment of a path in absolute coordinates. */
export interface Segment {
  kind: 'line' | 'curve';
  x0: number; y0: number; x1: number; y1: number;
}

const ARG_COUNT: Record<string, number> = { m: 2, l: 2, h: 1, v: 1, c: 6, s: 4, q: 4, t: 2, a: 7, z: 0 };

/**
 * Walks path data into absolute segments (lines for M-implied L, L, H, V and Z; curves for C, S, Q, T, A).
 * `dx`/`dy` is an offset added to every point (e.g. a `translate` transform).
 */
export function pathSegments(d: string, dx = 0, dy = 0): Segment[] {
  const segs: Segment[] = [];
  let x = 0, y = 0, sx = 0, sy = 0;
  for (const { letter, args } of parsePathData(d)) {
    const lower = letter.toLowerCase();
    const rel = letter === lower;
    const n = ARG_COUNT[lower]!;
    if (lower === 'z') {
      if (x !== sx || y !== sy) segs.push({ kind: 'line', x0: x + dx, y0: y + dy, x1: sx + dx, y1: sy + dy });
      x = sx; y = sy;
      continue;
    }
    if (args.length === 0 || args.length % n !== 0) throw new Error(`command ${letter} has ${args.length} arguments`);
    for (let i = 0; i < args.length; i += n) {
      const a = args.slice(i, i + n);
      let nx = x, ny = y;
      let kind: Segment['kind'] = 'line';
      switch (lower) {
        case 'm': case 'l': case 't':
          nx = rel ? x + a[0]! : a[0]!; ny = rel ? y + a[1]! : a[1]!;
          if (lower === 't') kind = 'curve';
          break;
        case 'h': nx = rel ? x + a[0]! : a[0]!; break;
        case 'v': ny = rel ? y + a[0]! : a[0]!; break;
        case 'c': nx = rel ? x + a[4]! : a[4]!; ny = rel ? y + a[5]! : a[5]!; kind = 'curve'; break;
        case 's': case 'q': nx = rel ? x + a[2]! : a[2]!; ny = rel ? y + a[3]! : a[3]!; kind = 'curve'; break;
        case 'a': nx = rel ? x + a[5]! : a[5]!; ny = rel ? y + a[6]! : a[6]!; kind = 'curve'; break;
      }
      if (lower === 'm' && i === 0) {
        sx = nx; sy = ny;
      } else {
        segs.push({ kind, x0: x + dx, y0: y + dy, x1: nx + dx, y1: ny + dy });
      }
      x = nx; y = ny;
    }
  }
  return segs;
}

export interface SvgStats {
  /** Number of `<path>` elements. */
  paths: number;
  /** UTF-8 size of the whole document. */
  bytes: number;
  /** Count of path-data commands by letter as written (`{ M: 3, c: 120, Z: 3 }`); implicit repeats not counted. */
  commands: Record<string, number>;
  /** Distinct fill values, lower case. */
  fills: number;
  /** Number of subpaths (move-to commands). */
  subpaths: number;
}

/** Counts what an SVG contains. */
export function svgStats(svg: string): SvgStats {
  const paths = svgPaths(svg);
  const commands: Record<string, number> = {};
  const fills = new Set<string>();
  let subpaths = 0;
  for (const p of paths) {
    if (p.fill !== undefined) fills.add(p.fill);
    for (const m of p.d.matchAll(/[MmLlHhVvCcSsQqTtAaZz]/g)) {
      const l = m[0];
      commands[l] = (commands[l] ?? 0) + 1;
      if (l === 'M' || l === 'm') subpaths++;
    }
  }
  return { paths: paths.length, bytes: Buffer.byteLength(svg, 'utf8'), commands, fills: fills.size, subpaths };
}

/** Fidelity of an SVG against an RGBA image, both composited on white. */
export interface Fidelity {
  psnr: number;
  ssim: number;
}

/** Renders `svg` at the image size on white and compares it with the image composited on white. */
export function measureFidelity(svg: string, image: RgbaBuffer, reference?: Uint8Array): Fidelity {
  const ref = reference ?? compositeOnWhite(image.data);
  const rendered = renderSvg(svg, image.width, image.height, WHITE);
  return { psnr: psnr(rendered, ref), ssim: ssim(rendered, ref, image.width) };
}
