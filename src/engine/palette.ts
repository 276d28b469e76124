/**
 * Colour limits: a palette chosen by area-weighted median cut in OKLab (`maxColors`), or given (`palette`),
 * and snapping of layer colours to their nearest palette entry in OKLab, a space where Euclidean distance
 * follows perceived difference.
 */

function toLinear(c: number): number {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
}

function fromLinear(v: number): number {
  const c = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
  return Math.max(0, Math.min(255, Math.round(c * 255)));
}

/** sRGB (0..255) to OKLab, written into out[o..o+2]. */
export function rgbToOklab(r: number, g: number, b: number, out: Float64Array, o: number): void {
  const lr = toLinear(r), lg = toLinear(g), lb = toLinear(b);
  const l = Math.cbrt(0.4122214708 * lr + 0.5363325363 * lg + 0.0514459929 * lb);
  const m = Math.cbrt(0.2119034982 * lr + 0.6806995451 * lg + 0.1073969566 * lb);
  const s = Math.cbrt(0.0883024619 * lr + 0.2817188376 * lg + 0.6299787005 * lb);
  out[o] = 0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s;
  out[o + 1] = 1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s;
  out[o + 2] = 0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s;
}

/** OKLab to packed sRGB (r << 16 | g << 8 | b). */
export function oklabToRgb(L: number, a: number, b: number): number {
  const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (L - 0.0894841775 * a - 1.2914855480 * b) ** 3;
  const r = fromLinear(4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s);
  const g = fromLinear(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s);
  const bl = fromLinear(-0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s);
  return (r << 16) | (g << 8) | bl;
}

/**
 * Area-weighted median cut: colours (OKLab triples) with weights are split, box by box, along the axis of
 * largest weighted spread at the weighted median, until `maxColors` boxes; each box gives its weighted
 * mean. Returns packed sRGB colours.
 */
export function medianCut(lab: Float64Array, weight: Float64Array, count: number, maxColors: number): number[] {
  const idx = new Int32Array(count);
  for (let i = 0; i < count; i++) idx[i] = i;
  type Box = { from: number; to: number; score: number; axis: number };
  const boxes: Box[] = [];
  const measure = (from: number, to: number): Box => {
    let best = -1, axis = 0;
    for (let a = 0; a < 3; a++) {
      let w = 0, mean = 0;
      for (let i = from; i < to; i++) { w += weight[idx[i]]; mean += weight[idx[i]] * lab[3 * idx[i] + a]; }
      if (w <= 0) continue;
      mean /= w;
      let v = 0;
      for (let i = from; i < to; i++) { const d = lab[3 * idx[i] + a] - mean; v += weight[idx[i]] * d * d; }
      if (v > best) { best = v; axis = a; }
    }
    return { from, to, score: to - from > 1 ? best : -1, axis };
  };
  boxes.push(measure(0, count));
  while (boxes.length < maxColors) {
    let bi = -1;
    for (let i = 0; i < boxes.length; i++) if (boxes[i].score > 0 && (bi < 0 || boxes[i].score > boxes[bi].score)) bi = i;
    if (bi < 0) break;
    const box = boxes[bi];
    const slice = Array.from(idx.subarray(box.from, box.to)).sort((p, q) => lab[3 * p + box.axis] - lab[3 * q + box.axis]);
    idx.set(slice, box.from);
    let total = 0;
    for (const i of slice) total += weight[i];
    let acc = 0, cut = box.from + 1;
    for (let i = box.from; i < box.to - 1; i++) {
      acc += weight[idx[i]];
      cut = i + 1;
      if (acc >= total / 2) break;
    }
    boxes.splice(bi, 1, measure(box.from, cut), measure(cut, box.to));
  }
  return boxes.map((box) => {
    let w = 0, L = 0, A = 0, B = 0;
    for (let i = box.from; i < box.to; i++) {
      const j = idx[i], wj = weight[j] || 1e-9;
      w += wj; L += wj * lab[3 * j]; A += wj * lab[3 * j + 1]; B += wj * lab[3 * j + 2];
    }
    return oklabToRgb(L / w, A / w, B / w);
  });
}

/** Index of the palette colour (packed sRGB) nearest in OKLab to the given OKLab colour. */
export function nearestColor(paletteLab: Float64Array, size: number, L: number, a: number, b: number): number {
  let best = 0, bestD = Infinity;
  for (let i = 0; i < size; i++) {
    const dl = paletteLab[3 * i] - L, da = paletteLab[3 * i + 1] - a, db = paletteLab[3 * i + 2] - b;
    const d = dl * dl + da * da + db * db;
    if (d < bestD) { bestD = d; best = i; }
  }
  return best;
}

export function parseHexColor(hex: string): number {
  return parseInt(hex.slice(1), 16);
}

/**
 * Snaps colours (packed sRGB, with weights) to a palette: the given one, or one of at most `maxColors`
 * colours made by median cut. Returns the snapped packed colours, or null when there is no limit.
 */
export function limitColors(colors: number[], weights: number[], maxColors: number, palette: readonly string[]): number[] | null {
  if (palette.length === 0 && (maxColors <= 0 || new Set(colors).size <= maxColors)) return null;
  const n = colors.length;
  const lab = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) rgbToOklab(colors[i] >> 16, (colors[i] >> 8) & 255, colors[i] & 255, lab, 3 * i);
  const chosen = palette.length > 0 ? palette.map(parseHexColor) : medianCut(lab, Float64Array.from(weights), n, maxColors);
  const plab = new Float64Array(3 * chosen.length);
  chosen.forEach((c, i) => rgbToOklab(c >> 16, (c >> 8) & 255, c & 255, plab, 3 * i));
  const out: number[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = chosen[nearestColor(plab, chosen.length, lab[3 * i], lab[3 * i + 1], lab[3 * i + 2])];
  return out;
}
