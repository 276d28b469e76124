/**
 * The images of `npm run bench:unseen`, made deterministically (seeded PRNG, fixed fonts, sharp's JPEG
 * encoder at a fixed quality): kinds of image outside the corpus on which the same-size comparison with
 * the Rust VTracer was once lost (issue 18):
 *
 *   - rocket: a launch photo: night-to-dusk sky gradient, a thin rocket, a white-yellow exhaust with a soft
 *     glow, billowing smoke from several octaves of value noise lit by the flame, sensor noise, JPEG q80;
 *   - page: a photographed text page: DejaVu Serif/Sans text on paper, slightly rotated, uneven lighting
 *     (gradient and vignette), a slight blur, noise, JPEG q80;
 *   - wheel: colour-wheel graphics: a continuous HSV disc, and a segmented wheel (hue sectors × saturation rings);
 *   - scan: a text scan for the bw preset: black text on white, slight blur, scanner noise.
 */
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import sharp from 'sharp';
import type { RgbaBuffer } from '../../test/support/fidelity.js';
import { mulberry32 } from '../../test/support/images.js';

export interface UnseenImage {
  name: string;
  kind: 'rocket' | 'page' | 'wheel' | 'scan';
  image: RgbaBuffer;
}

const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
const FONTS = ['DejaVuSerif.ttf', 'DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => `${FONT_DIR}/${f}`);

// ------------------------------------------------------------------------------------------- helpers

/** A float RGB canvas (0–255 per channel), converted to RGBA bytes at the end. */
class Canvas {
  readonly px: Float32Array;
  constructor(readonly width: number, readonly height: number) {
    this.px = new Float32Array(width * height * 3);
  }
  toRgba(): RgbaBuffer {
    const n = this.width * this.height;
    const data = new Uint8Array(n * 4);
    for (let p = 0; p < n; p++) {
      for (let c = 0; c < 3; c++) data[p * 4 + c] = clamp255(this.px[p * 3 + c]!);
      data[p * 4 + 3] = 255;
    }
    return { data, width: this.width, height: this.height };
  }
}

const clamp255 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));
const smoothstep = (a: number, b: number, x: number) => {
  const t = Math.min(1, Math.max(0, (x - a) / (b - a)));
  return t * t * (3 - 2 * t);
};
const mix = (a: number, b: number, t: number) => a + (b - a) * t;

/** Gaussian samples (Box–Muller) from a uniform PRNG. */
function gaussian(rnd: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

/** Value noise: random values on an integer lattice, smoothly interpolated; several octaves summed (0..1). */
function valueNoise(seed: number): (x: number, y: number, octaves: number) => number {
  const size = 256;
  const rnd = mulberry32(seed);
  const table = new Float32Array(size * size);
  for (let i = 0; i < table.length; i++) table[i] = rnd();
  const at = (ix: number, iy: number) => table[(((iy % size) + size) % size) * size + (((ix % size) + size) % size)]!;
  const one = (x: number, y: number) => {
    const ix = Math.floor(x), iy = Math.floor(y);
    const fx = x - ix, fy = y - iy;
    const sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy);
    return mix(mix(at(ix, iy), at(ix + 1, iy), sx), mix(at(ix, iy + 1), at(ix + 1, iy + 1), sx), sy);
  };
  return (x, y, octaves) => {
    let sum = 0, amp = 1, norm = 0, f = 1;
    for (let o = 0; o < octaves; o++) {
      sum += amp * one(x * f + o * 17.3, y * f + o * 9.1);
      norm += amp;
      amp *= 0.5;
      f *= 2;
    }
    return sum / norm;
  };
}

/** Adds Gaussian sensor noise of standard deviation `sigma` to R, G and B. */
function addNoise(img: RgbaBuffer, sigma: number, seed: number): RgbaBuffer {
  const g = gaussian(mulberry32(seed));
  const d = new Uint8Array(img.data);
  for (let i = 0; i < d.length; i += 4) for (let c = 0; c < 3; c++) d[i + c] = clamp255(d[i + c]! + sigma * g());
  return { data: d, width: img.width, height: img.height };
}

/** Optional Gaussian blur, then a JPEG round trip through sharp (4:2:0 chroma, like most cameras). */
async function camera(img: RgbaBuffer, blur: number, quality: number | null): Promise<RgbaBuffer> {
  let pipeline = sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 4 } });
  if (blur > 0) pipeline = pipeline.blur(blur);
  let buf: Buffer = await pipeline.removeAlpha().png().toBuffer();
  if (quality !== null) buf = await sharp(buf).jpeg({ quality, chromaSubsampling: '4:2:0' }).toBuffer();
  const { data, info } = await sharp(buf).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

function renderText(svg: string): RgbaBuffer {
  const r = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: FONTS, defaultFontFamily: 'DejaVu Serif' },
    logLevel: 'off',
  }).render();
  const px = r.pixels;
  return { data: new Uint8Array(px.buffer, px.byteOffset, px.byteLength), width: r.width, height: r.height };
}

const WORDS = ('the of and a to in is was that for it as with be on not he by are this at from or have an they which one you had '
  + 'vector outline pixel image curve spline launch engine orbit paper light colour shape trace edge stage layer photo signal '
  + 'measure compare reference quality fidelity structure window sample noise filter region corner').split(' ');

/** Lines of pseudo-text that fill about `chars` characters each. */
function textLines(rnd: () => number, count: number, chars: number): string[] {
  const lines: string[] = [];
  for (let l = 0; l < count; l++) {
    let line = '';
    while (line.length < chars) line += (line ? ' ' : '') + WORDS[Math.floor(rnd() * WORDS.length)]!;
    lines.push(l % 7 === 0 ? line[0]!.toUpperCase() + line.slice(1) : line);
  }
  return lines;
}

/** SVG of a page: a heading and paragraphs, `rotate` degrees about the centre, on `paper` (or white). */
function pageSvg(w: number, h: number, seed: number, opts: { size: number; family: string; rotate: number; paper: string; ink: string }): string {
  const rnd = mulberry32(seed);
  const lead = opts.size * 1.45;
  const margin = Math.round(w * 0.08);
  const charsPerLine = Math.floor((w - 2 * margin) / (opts.size * 0.6));
  const count = Math.floor((h - 2 * margin - 3 * lead) / lead);
  const lines = textLines(rnd, count, charsPerLine);
  const parts: string[] = [];
  parts.push(`<text x="${margin}" y="${margin + opts.size * 1.6}" font-family="DejaVu Sans" font-weight="bold" font-size="${(opts.size * 1.7).toFixed(1)}">Chapter ${1 + (seed % 9)}: the launch</text>`);
  let y = margin + 3 * lead;
  for (let i = 0; i < lines.length; i++) {
    const paragraphEnd = i % 7 === 6;
    const text = paragraphEnd ? lines[i]!.slice(0, Math.floor(lines[i]!.length * 0.6)) + '.' : lines[i]!;
    parts.push(`<text x="${margin}" y="${y.toFixed(1)}" font-family="${opts.family}" font-size="${opts.size}">${text}</text>`);
    y += paragraphEnd ? lead * 1.6 : lead;
    if (y > h - margin) break;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`
    + `<rect width="${w}" height="${h}" fill="${opts.paper}"/>`
    + `<g fill="${opts.ink}" transform="rotate(${opts.rotate} ${w / 2} ${h / 2})">${parts.join('')}</g></svg>`;
}

// ------------------------------------------------------------------------------------------- kinds

async function rocket(w: number, h: number, seed: number): Promise<RgbaBuffer> {
  const cv = new Canvas(w, h);
  const noise = valueNoise(seed);
  const rnd = mulberry32(seed + 1);
  const cx = w * (0.42 + 0.16 * rnd());
  const bodyTop = h * 0.12, bodyBottom = h * 0.42, bodyHalf = Math.max(3, w * 0.012);
  const flameTop = bodyBottom, flameBottom = h * 0.62;
  const horizon = h * 0.8;
  const smokeScale = 60 / Math.max(w, h) * 4;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      // Sky: deep blue at the top to orange at the horizon; dark ground below.
      const t = smoothstep(0, horizon, y);
      let r = mix(12, 235, t ** 2.2), g = mix(22, 125, t ** 2), b = mix(70, 60, t);
      if (y > horizon) { r = 28 + 10 * noise(x / 9, y / 9, 2); g = 24; b = 22; }
      // Glow of the flame, lighting everything around it.
      const fx = (x - cx) / (w * 0.09), fy = (y - (flameTop + flameBottom) / 2) / (h * 0.16);
      const glow = Math.exp(-(fx * fx + fy * fy));
      // Smoke: fbm density in a widening envelope under the flame.
      const sy = (y - h * 0.5) / (h * 0.35);
      const spread = w * (0.08 + 0.35 * Math.max(0, sy));
      const envelope = smoothstep(-0.1, 0.25, sy) * (1 - smoothstep(1.1, 1.4, sy)) * Math.exp(-(((x - cx) / spread) ** 2));
      const n = noise(x * smokeScale / 16, y * smokeScale / 16, 5);
      const density = smoothstep(0.35, 0.65, n * 0.6 + envelope * 0.7) * smoothstep(0.02, 0.3, envelope);
      const shade = 0.55 + 0.45 * noise(x * smokeScale / 6 + 40, y * smokeScale / 6, 3);
      const lit = Math.min(1, glow * 2.2);
      r = mix(r, mix(150, 255, lit) * shade, density);
      g = mix(g, mix(150, 215, lit) * shade, density);
      b = mix(b, mix(155, 160, lit) * shade, density);
      r += 255 * glow * 0.8; g += 190 * glow * 0.8; b += 90 * glow * 0.6;
      // Exhaust: a bright white-yellow core narrowing downwards.
      if (y > flameTop && y < flameBottom) {
        const u = (y - flameTop) / (flameBottom - flameTop);
        const half = bodyHalf * (1.1 + 1.8 * Math.sin(Math.PI * Math.min(1, u * 1.3)) * (1 - u * 0.5));
        const core = 1 - smoothstep(half * 0.6, half * 1.4, Math.abs(x - cx));
        const fade = 1 - smoothstep(0.6, 1, u);
        r = mix(r, 255, core * fade); g = mix(g, 250, core * fade); b = mix(b, 210, core * fade);
      }
      // Rocket body: light grey, shaded on one side, dark nose cone.
      if (y >= bodyTop - bodyHalf * 4 && y <= bodyBottom) {
        const nose = y < bodyTop ? (y - (bodyTop - bodyHalf * 4)) / (bodyHalf * 4) : 1;
        const half = bodyHalf * nose;
        const cover = Math.min(1, Math.max(0, half + 0.5 - Math.abs(x + 0.5 - cx)));
        if (cover > 0) {
          const side = (x + 0.5 - cx) / bodyHalf;
          const v = y < bodyTop ? 60 : 215 - 70 * Math.max(0, side);
          r = mix(r, v, cover); g = mix(g, v, cover); b = mix(b, v + 5, cover);
        }
      }
      cv.px[i] = r; cv.px[i + 1] = g; cv.px[i + 2] = b;
    }
  }
  return camera(addNoise(cv.toRgba(), 4, seed + 2), 0, 80);
}

async function page(w: number, h: number, seed: number, family: string, size: number, rotate: number): Promise<RgbaBuffer> {
  const flat = renderText(pageSvg(w, h, seed, { size, family, rotate, paper: 'rgb(238,233,222)', ink: 'rgb(28,26,30)' }));
  // Uneven lighting: a gradient across the page and a vignette, as from a lamp to one side.
  const d = flat.data;
  const rnd = mulberry32(seed + 5);
  const lx = rnd() * w, ly = rnd() * h * 0.3;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dist = Math.hypot(x - lx, y - ly) / Math.hypot(w, h);
      const vx = (x / w - 0.5) * 2, vy = (y / h - 0.5) * 2;
      const light = (1.05 - 0.45 * dist) * (1 - 0.18 * (vx * vx + vy * vy) ** 1.5);
      const i = (y * w + x) * 4;
      d[i] = clamp255(d[i]! * light);
      d[i + 1] = clamp255(d[i + 1]! * light * 0.99);
      d[i + 2] = clamp255(d[i + 2]! * light * 0.95);
    }
  }
  return camera(addNoise(flat, 5, seed + 6), 0.7, 80);
}

function hsv(h: number, s: number, v: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + h * 6) % 6;
    return v - v * s * Math.max(0, Math.min(k, 4 - k, 1));
  };
  return [255 * f(5), 255 * f(3), 255 * f(1)];
}

/**
 * An HSV colour wheel on white: continuous (hue by angle, saturation by radius), in 12 sectors × 4 rings with
 * white gaps, or in 36 × 6 touching steps.
 */
function wheel(side: number, style: 'hsv' | 'sectors' | 'steps'): RgbaBuffer {
  const cv = new Canvas(side, side);
  const c = side / 2, R = side * 0.45;
  const ss = 4; // supersampling per axis
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      let r = 0, g = 0, b = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const px = x + (sx + 0.5) / ss - c, py = y + (sy + 0.5) / ss - c;
          const rad = Math.hypot(px, py);
          let col: [number, number, number] = [255, 255, 255];
          if (rad <= R) {
            const ang = (Math.atan2(-py, px) / (2 * Math.PI) + 1) % 1;
            if (style === 'hsv') col = hsv(ang, rad / R, 1);
            else if (style === 'steps') col = hsv(Math.floor(ang * 36) / 36, (1 + Math.floor((rad / R) * 6)) / 6, 1);
            else {
              const sector = Math.floor(ang * 12), ring = Math.floor((rad / R) * 4);
              const gapA = Math.abs(ang * 12 - Math.round(ang * 12)) * (2 * Math.PI * rad / 12);
              const gapR = Math.abs((rad / R) * 4 - Math.round((rad / R) * 4)) * (R / 4);
              if (ring > 0 && gapA > side * 0.004 && gapR > side * 0.004) col = hsv(sector / 12, 0.25 + 0.25 * ring, 1 - 0.08 * ring);
              else if (ring === 0 && rad < R / 4 - side * 0.004) col = [70, 70, 70];
            }
          }
          r += col[0]; g += col[1]; b += col[2];
        }
      }
      const i = (y * side + x) * 3, k = ss * ss;
      cv.px[i] = r / k; cv.px[i + 1] = g / k; cv.px[i + 2] = b / k;
    }
  }
  return cv.toRgba();
}

async function scan(w: number, h: number, seed: number, family: string, size: number): Promise<RgbaBuffer> {
  const flat = renderText(pageSvg(w, h, seed, { size, family, rotate: 0.4, paper: 'rgb(250,250,248)', ink: 'rgb(12,12,12)' }));
  return camera(addNoise(flat, 9, seed + 7), 0.6, 90);
}

/** Every image of the benchmark, in table order. Throws if the DejaVu fonts are missing. */
export async function unseenImages(): Promise<UnseenImage[]> {
  for (const f of FONTS) if (!existsSync(f)) throw new Error(`${f} not found: install Debian's fonts-dejavu-core`);
  return [
    { name: 'rocket-a', kind: 'rocket', image: await rocket(800, 600, 11) },
    { name: 'rocket-b', kind: 'rocket', image: await rocket(600, 900, 23) },
    { name: 'rocket-c', kind: 'rocket', image: await rocket(1000, 700, 37) },
    { name: 'page-serif', kind: 'page', image: await page(700, 900, 3, 'DejaVu Serif', 15, 1.2) },
    { name: 'page-sans', kind: 'page', image: await page(900, 700, 8, 'DejaVu Sans', 13, -0.8) },
    { name: 'page-large', kind: 'page', image: await page(500, 650, 5, 'DejaVu Serif', 22, 2.0) },
    { name: 'wheel-hsv', kind: 'wheel', image: wheel(600, 'hsv') },
    { name: 'wheel-sectors', kind: 'wheel', image: wheel(500, 'sectors') },
    { name: 'wheel-steps', kind: 'wheel', image: wheel(700, 'steps') },
    { name: 'scan-serif', kind: 'scan', image: await scan(900, 1000, 4, 'DejaVu Serif', 22) },
    { name: 'scan-sans', kind: 'scan', image: await scan(700, 800, 9, 'DejaVu Sans', 17) },
  ];
}
