/**
 * Simple measures of an image, for advice (does it look like a scan of text or line art? how colourful is
 * it?) and for the preview's backdrop (light art on transparency needs a dark one). Computed on a sample of
 * at most about 65,000 pixels, so it costs a few milliseconds whatever the size.
 */
export interface ImageStats {
  /** Distinct colours among the opaque pixels, counted with 5 bits per channel (at most 32,768). */
  colours: number;
  /** Share of opaque pixels whose channels differ by less than 24 (greys, black, white). */
  grey: number;
  /** Share of opaque pixels that are nearly black or nearly white (luma below 64 or above 192). */
  extremes: number;
  /** Share of pixels that are mostly transparent (alpha below 128). */
  transparent: number;
  /** Mean luma (0 to 1) of the opaque pixels; 0 when there are none. */
  meanLuma: number;
}

export function imageStats(data: Uint8ClampedArray, width: number, height: number): ImageStats {
  const total = width * height;
  const stride = Math.max(1, Math.floor(total / 65_536));
  const seen = new Uint8Array(32_768);
  let colours = 0, opaque = 0, grey = 0, extremes = 0, transparent = 0, sample = 0, luma = 0;
  for (let p = 0; p < total; p += stride) {
    sample += 1;
    const i = p * 4;
    const r = data[i]!, g = data[i + 1]!, b = data[i + 2]!, a = data[i + 3]!;
    if (a < 128) { transparent += 1; continue; }
    opaque += 1;
    const key = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
    if (!seen[key]) { seen[key] = 1; colours += 1; }
    if (Math.max(r, g, b) - Math.min(r, g, b) < 24) grey += 1;
    const y = 0.299 * r + 0.587 * g + 0.114 * b;
    if (y < 64 || y > 192) extremes += 1;
    luma += y / 255;
  }
  return {
    colours,
    grey: opaque ? grey / opaque : 0,
    extremes: opaque ? extremes / opaque : 0,
    transparent: sample ? transparent / sample : 0,
    meanLuma: opaque ? luma / opaque : 0,
  };
}

export interface Suggestion {
  text: string;
  preset: 'bw' | 'poster' | 'photo';
  /** Parameters to set on top of the preset. */
  values: Record<string, string | number | boolean>;
}

/** What the image looks like and the settings that suit it, or undefined when nothing stands out. */
export function suggest(stats: ImageStats): Suggestion | undefined {
  if (stats.grey > 0.95 && stats.extremes > 0.9) {
    return {
      text: 'This looks like black-and-white art (nearly every pixel black or white): try the bw preset.',
      preset: 'bw',
      values: {},
    };
  }
  if (stats.grey > 0.95) {
    return {
      text: 'This looks like a greyscale scan (nearly every pixel grey). If it is text or a drawing, try bw with the '
        + 'adaptive threshold, which copes with uneven lighting and paper tone.',
      preset: 'bw',
      values: { adaptive: true },
    };
  }
  if (stats.colours > 1000) {
    return {
      text: `This looks like a photograph (${stats.colours.toLocaleString('en')} distinct colours): try the photo preset, `
        + 'or limit Max colours for a poster look.',
      preset: 'photo',
      values: {},
    };
  }
  return undefined;
}
