/**
 * Blend keying (blend-keying.ts): in flat art, a thin stroke's anti-aliased pixels are keyed to the colour
 * they hold more of, so that small coloured text is traced in its own colour and keeps its glyphs, while an
 * edge between two areas of flat colour, and any photo, is left as it is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { traceRgba } from '../../src/engine/index.js';
import { keyBlends } from '../../src/engine/blend-keying.js';
import { parsePathData, renderSvg, svgPaths, xorAtScale } from '../support/fidelity.js';
import { withNoise, solid } from '../support/images.js';

const BLUE = '#1d4ed8';
const serif = readFileSync(new URL('../fixtures/wordmark-serif.svg', import.meta.url), 'utf8').replace('fill="#111"', `fill="${BLUE}"`);

/** The packed pixel (x, y) of an RGBA buffer, as [r, g, b, a]. */
function pixel(data: Uint8Array, w: number, x: number, y: number): number[] {
  return Array.from(data.subarray(4 * (y * w + x), 4 * (y * w + x) + 4));
}

test('a 1 px line between two pure colours is keyed to the colour each pixel holds more of; a wide edge and a lone pale line are not', () => {
  // White, with a blue band 10 px wide (its left edge a 30 % mix column), a stroke of a 60 % blue column with
  // a 30 % column beside it (its fringe), and a lone 1 px line of 30 % blue at x = 7.
  const w = 24, h = 12;
  const data = new Uint8Array(4 * w * h).fill(255);
  const mix = (a: number): number[] => [Math.round(255 + a * (29 - 255)), Math.round(255 + a * (78 - 255)), Math.round(255 + a * (216 - 255)), 255];
  for (let y = 0; y < h; y++) {
    data.set(mix(0.6), 4 * (y * w + 3));
    data.set(mix(0.3), 4 * (y * w + 4));
    data.set(mix(0.3), 4 * (y * w + 7));
    data.set(mix(0.3), 4 * (y * w + 11));
    for (let x = 12; x < 22; x++) data.set(mix(1), 4 * (y * w + x));
  }
  const keyed = keyBlends(data, w, h);
  assert.ok(keyed, 'flat art');
  assert.deepEqual(pixel(keyed, w, 3, 5), [29, 78, 216, 255], 'the 60 % line is blue');
  assert.deepEqual(pixel(keyed, w, 4, 5), [255, 255, 255, 255], 'its 30 % fringe is white');
  // A ridge: nothing beside it holds more blue. Keyed to white it was erased; it is left to the clustering.
  assert.deepEqual(pixel(keyed, w, 7, 5), mix(0.3), 'the lone 30 % line is left as it is');
  assert.deepEqual(pixel(keyed, w, 11, 5), mix(0.3), 'the band\'s edge, between two areas, is left to the clustering');
});

test('a 1 px light grey line on dark grey stays; a dark line\'s half pixels on light grey are keyed to it', () => {
  // The 96 px Papirus "clawsker" icon: light grey digits (#a7a7a7, one pixel wide, a half-covered #7b7b7b
  // column beside) on a dark grey card (#4f4f4f), on white. On the grey axis they lie between the card and
  // white, and were keyed to the card: the digits were gone. Here a grey nearer the card (#909090, half
  // #707070), which is always keyed to it, and the icon's own grey (#a7a7a7, halfway: "okteta" has it too,
  // its digits were keyed to white and drawn as white hairlines). And "qjackctl": a dark band (#4f4f4f, 1 px)
  // on light grey (#b7b7b7) with a half row (#838383), which must still be keyed to the band.
  const w = 32, h = 24;
  const image = (...areas: number[][]): Uint8Array => {
    const data = new Uint8Array(4 * w * h).fill(255);
    for (const [x0, y0, x1, y1, v] of areas) for (let y = y0!; y < y1!; y++) for (let x = x0!; x < x1!; x++) data.set([v!, v!, v!, 255], 4 * (y * w + x));
    return data;
  };
  const card = keyBlends(image([2, 2, 30, 22, 0x4f], [6, 5, 7, 19, 0x90], [7, 5, 8, 19, 0x70]), w, h);
  assert.ok(card, 'flat art');
  assert.deepEqual(pixel(card, w, 6, 10), [0x90, 0x90, 0x90, 255], 'the light grey line');
  assert.deepEqual(pixel(card, w, 7, 10), [0x4f, 0x4f, 0x4f, 255], 'its half-covered column, keyed to the card');
  const half = keyBlends(image([2, 2, 30, 22, 0x4f], [6, 5, 7, 19, 0xa7], [7, 5, 8, 19, 0x7b], [12, 5, 13, 19, 0xa7], [13, 5, 14, 19, 0x7b]), w, h);
  assert.ok(half, 'flat art');
  assert.deepEqual(pixel(half, w, 6, 10), [0xa7, 0xa7, 0xa7, 255], 'the halfway grey line stays');
  assert.deepEqual(pixel(half, w, 13, 10), [0x4f, 0x4f, 0x4f, 255], 'its half-covered column, keyed to the card');
  const jack = keyBlends(image([2, 2, 30, 10, 0x4f], [2, 12, 30, 22, 0xb7], [2, 16, 30, 17, 0x83], [2, 17, 30, 18, 0x4f]), w, h);
  assert.ok(jack, 'flat art');
  assert.deepEqual(pixel(jack, w, 12, 16), [0x4f, 0x4f, 0x4f, 255], 'the dark band\'s half row');
});

test('a photo-like image (noise) is not keyed', () => {
  const img = withNoise(solid(64, 64, [120, 140, 160, 255]), 8, 1);
  assert.equal(keyBlends(img.data, img.width, img.height), null);
});

test('small blue serif text at poster: every glyph in the text\'s colour, within 36 % (16 px) and 64 % (12 px) xor at 8×', () => {
  // Unkeyed, its strokes (1.2 px at 16 px, no pixel of pure blue) were clustered into pale layers of their
  // mixes, and half the line was lost: 92.4 % xor; keyed, 28.5 %. At 12 px, the curves' keyed pieces under
  // the speckle area count as dots from a quarter of their box: 68.7 → 59.7 %.
  for (const [size, bound] of [[16, 0.36], [12, 0.64]] as const) {
    const W = (200 * size) / 16, H = (24 * size) / 16, S = 8;
    const image = { data: renderSvg(serif, W, H), width: W, height: H };
    const svg = traceRgba(image, { preset: 'poster' });
    const xor = xorAtScale(serif, svg, W, H, S);
    assert.ok(xor < bound, `${size} px: xor ${(100 * xor).toFixed(1)} %`);
    const fills = new Set(svgPaths(svg).map((p) => p.fill));
    assert.deepEqual([...fills].sort(), [BLUE, '#ffffff'], `${size} px: fills ${[...fills].join(', ')}`);
  }
});

test('a dot too small to have a pure pixel stays, drawn round: the ellipse of its ink\'s area and moments', () => {
  // A 1.9 px blue dot beside a blue square (the palette's blue), on white.
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24"><rect x="14" y="4" width="6" height="6" fill="#1d4ed8"/>'
    + '<circle cx="7" cy="16.5" r="0.95" fill="#1d4ed8"/></svg>';
  const image = { data: renderSvg(svg, 24, 24), width: 24, height: 24 };
  const out = traceRgba(image, { preset: 'poster' });
  // The dot: two elliptic arcs, round (7, 16.5), about as large as the true one (r 0.95).
  const dot = svgPaths(out).filter((p) => p.fill === BLUE).map((p) => p.d).find((d) => /a/.test(d));
  assert.ok(dot, `no blue arc in ${out}`);
  const [move, arc] = parsePathData(dot);
  assert.equal(arc!.letter, 'a', dot);
  // The first arc runs across the ellipse: its chord's midpoint is the centre.
  const cx = move!.args[0]! + arc!.args[5]! / 2, cy = move!.args[1]! + arc!.args[6]! / 2;
  assert.ok(Math.hypot(cx - 7, cy - 16.5) < 0.3, `centre (${cx}, ${cy}): ${dot}`);
  // Round, from its ink: its two keyed pixels' outline alone gave a 2:1 ellipse.
  const [ra, rb] = [arc!.args[0]!, arc!.args[1]!];
  for (const r of [ra, rb]) assert.ok(r > 0.75 && r < 1.15, `radius ${r}: ${dot}`);
  assert.ok(Math.max(ra, rb) / Math.min(ra, rb) < 1.3, `round: radii ${ra}, ${rb}`);
});

test('a flat grey between black and white is a colour, not a mix: small grey areas three pixels wide stay grey', () => {
  // White 24 × 16, a black bar, and two 3 × 8 areas of #777 and #b3b3b3 (each between black and white, six
  // pixels inside an area of its own): a 48 px icon's shading. With eight inside pixels needed, both were keyed
  // to black or white.
  const w = 24, h = 16;
  const data = new Uint8Array(4 * w * h).fill(255);
  const paint = (x0: number, y0: number, x1: number, y1: number, v: number) => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data.set([v, v, v, 255], 4 * (y * w + x));
  };
  paint(2, 2, 22, 4, 0x30);
  paint(4, 6, 7, 14, 0x77);
  paint(12, 6, 15, 14, 0xb3);
  // A red bar, and a thin stroke of 80 % red, so that something is keyed (else keyBlends returns null).
  for (let y = 12; y < 16; y++) for (let x = 16; x < 24; x++) data.set([220, 30, 30, 255], 4 * (y * w + x));
  for (let y = 5; y < 11; y++) data.set([Math.round(255 + 0.8 * (220 - 255)), Math.round(255 + 0.8 * (30 - 255)), Math.round(255 + 0.8 * (30 - 255)), 255], 4 * (y * w + 19));
  const keyed = keyBlends(data, w, h);
  assert.ok(keyed, 'flat art with a thin stroke');
  assert.deepEqual(pixel(keyed, w, 5, 10), [0x77, 0x77, 0x77, 255], 'the #777 area');
  assert.deepEqual(pixel(keyed, w, 13, 10), [0xb3, 0xb3, 0xb3, 255], 'the #b3b3b3 area');
  assert.deepEqual(pixel(keyed, w, 19, 8), [220, 30, 30, 255], 'the thin stroke keyed to red');
});

test('a flat colour between two others that touches neither is a colour: pale green bars on grey stay pale green', () => {
  // Grey 32 × 24 with a green and a white area, and two pale green bars 2 px tall on the grey (#8ff0a4 lies
  // within tolerance of the segment from #33d17a to white). As a mix, each bar was keyed half to green and
  // half to white (the 48 px Papirus marker icon's highlighted lines). A thin stroke of 80 % green on the
  // white keeps the image keyed.
  const w = 32, h = 24;
  const data = new Uint8Array(4 * w * h);
  const paint = (x0: number, y0: number, x1: number, y1: number, c: number[]) => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data.set([...c, 255], 4 * (y * w + x));
  };
  paint(0, 0, w, h, [0xc2, 0xc2, 0xc2]);
  paint(0, 0, 10, 10, [0x33, 0xd1, 0x7a]);
  paint(22, 0, 32, 10, [255, 255, 255]);
  paint(4, 14, 28, 16, [0x8f, 0xf0, 0xa4]);
  paint(4, 19, 28, 21, [0x8f, 0xf0, 0xa4]);
  paint(26, 2, 27, 8, [Math.round(255 + 0.8 * (0x33 - 255)), Math.round(255 + 0.8 * (0xd1 - 255)), Math.round(255 + 0.8 * (0x7a - 255))]);
  const keyed = keyBlends(data, w, h);
  assert.ok(keyed, 'flat art with a thin stroke');
  for (const [x, y] of [[10, 14], [10, 15], [20, 19], [20, 20]] as const) {
    assert.deepEqual(pixel(keyed, w, x, y), [0x8f, 0xf0, 0xa4, 255], `bar pixel (${x}, ${y})`);
  }
  assert.deepEqual(pixel(keyed, w, 26, 5), [0x33, 0xd1, 0x7a, 255], 'the thin stroke keyed to green');
});

/** A jack plug, as the 48 px Papirus "qjackctl" icon: light grey plug with two dark stripes, dark body. */
const JACK = '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48">'
  + '<rect x="21" y="6" width="6" height="15" fill="#b7b7b7"/>'
  + '<rect x="21" y="14.25" width="6" height="0.75" fill="#4f4f4f"/><rect x="21" y="17.25" width="6" height="0.75" fill="#4f4f4f"/>'
  + '<rect x="16.5" y="21" width="15" height="24" rx="1.7" fill="#4f4f4f"/></svg>';

test('a mix on two segments of the grey axis is keyed by the one whose colours lie beside it: the body\'s half-pixel sides stay dark', () => {
  // The body's sides are half-covered columns (#a7a7a7): on the segment from the plug's #b7b7b7 to the body's
  // #4f4f4f as well as on the one from #4f4f4f to white. Keyed by the first, they were drawn in the plug's
  // light grey, far above them: two light grey bars beside the body (24.5 dB, 27.8 now).
  const image = { data: renderSvg(JACK, 48, 48), width: 48, height: 48 };
  const keyed = keyBlends(image.data, 48, 48);
  assert.ok(keyed, 'flat art');
  assert.notDeepEqual(pixel(keyed, 48, 16, 30), [0xb7, 0xb7, 0xb7, 255], 'the side column is not keyed to the plug');
  const svg = traceRgba(image, { preset: 'poster' });
  const S = 8;
  const big = renderSvg(svg, 48 * S, 48 * S);
  // Just outside the body's side (x < 16.5), halfway down: white, not grey.
  for (const x of [16.1, 31.9]) {
    const at = pixel(big, 48 * S, Math.round(x * S), 30 * S);
    assert.ok(at[0]! > 230, `beside the body at x = ${x}: ${at}`);
  }
});

test('a small dark stripe across a light bar, touching the background only at its two ends, stays', () => {
  // The plug's stripes (6 × 0.75 px, no pure pixel: keyed to the dark) touch white with 2 of their 14 sides:
  // not all round them one colour, so they merged away as specks under the speckle area.
  const image = { data: renderSvg(JACK, 48, 48), width: 48, height: 48 };
  const svg = traceRgba(image, { preset: 'poster' });
  const S = 8;
  const big = renderSvg(svg, 48 * S, 48 * S);
  for (const y of [14.6, 17.6]) {
    const at = pixel(big, 48 * S, 24 * S, Math.round(y * S));
    assert.ok(at[0]! < 0x80, `the stripe at y = ${y}: ${at}`);
  }
});

test('stars a pixel across in a night sky are kept, white, where their ink is', () => {
  // The 48 px Papirus "naver-whale": a star is one pixel 80 % white with three mixes round it (30, 30 and 6 %),
  // on a navy sky, a white square elsewhere. Keyed, the star is a one-pixel region of white, and the merge let
  // every one-pixel region go; it now keeps one in keyed flat art as a small feature.
  const w = 24, h = 24;
  const data = new Uint8Array(4 * w * h);
  const set = (x: number, y: number, rgb: number[]): void => data.set([...rgb, 255], 4 * (y * w + x));
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) set(x, y, [0x00, 0x1e, 0x55]);
  for (let y = 16; y < 22; y++) for (let x = 16; x < 22; x++) set(x, y, [255, 255, 255]);
  const stars = [[6, 6], [12, 4], [5, 14]] as const;
  for (const [sx, sy] of stars) {
    set(sx, sy, [0x50, 0x65, 0x8a]); set(sx + 1, sy, [0xcf, 0xd4, 0xdf]);
    set(sx, sy + 1, [0x10, 0x2c, 0x60]); set(sx + 1, sy + 1, [0x50, 0x65, 0x8a]);
  }
  const svg = traceRgba({ data, width: w, height: h }, { preset: 'poster' });
  const dots = svgPaths(svg).filter((p) => p.fill === '#ffffff').flatMap((p) => p.d.split(/(?=M)/)).map((d) => parsePathData(d))
    .filter((cmds) => cmds.some((c) => c.letter === 'A' || c.letter === 'a'));
  for (const [sx, sy] of stars) {
    // The ink's centroid: (sx + 1.25, sy + 0.75). An arc's chord across a dot has it at its midpoint.
    const hit = dots.some(([m, a]) => a !== undefined && Math.hypot(m!.args[0]! + (a.letter === 'a' ? a.args[5]! / 2 : (a.args[5]! - m!.args[0]!) / 2) - sx - 1.25,
      m!.args[1]! + (a.letter === 'a' ? a.args[6]! / 2 : (a.args[6]! - m!.args[1]!) / 2) - sy - 0.75) < 0.4);
    assert.ok(hit, `no white dot at the star (${sx}, ${sy}): ${svg}`);
  }
});

test('a flat band of a colour between white and a far dark grey is no mix of them: a shadow row stays its grey', () => {
  // A blue card with a 1 px shadow row (#cccccc, 0.75 white and 0.25 of the icon's dark grey) and its
  // half-covered row below; the dark grey lies far off. Keyed to white, the shadow was lost.
  const w = 40, h = 30;
  const data = new Uint8Array(4 * w * h).fill(255);
  const area = (x0: number, y0: number, x1: number, y1: number, c: number): void => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data.set([c >> 16, (c >> 8) & 255, c & 255, 255], 4 * (y * w + x));
  };
  area(2, 2, 8, 8, 0x333333);
  area(10, 4, 34, 12, 0x3949ab);
  area(10, 12, 34, 13, 0xcccccc);
  area(10, 13, 34, 14, 0xe5e5e5);
  // A thin grey line (60 % and 30 % columns, no pure pixel), keyed: the image is keyed flat art.
  area(2, 16, 3, 28, 0x858585);
  area(3, 16, 4, 28, 0xc2c2c2);
  const keyed = keyBlends(data, w, h);
  assert.ok(keyed, 'flat art');
  assert.deepEqual(pixel(keyed, w, 20, 12), [0xcc, 0xcc, 0xcc, 255], 'the shadow row');
  assert.deepEqual(pixel(keyed, w, 2, 20), [0x33, 0x33, 0x33, 255], 'the thin line, keyed to its dark grey');
});

test('colour: a 1.5 px shadow band under a box is drawn grey though a dark grey elsewhere makes its grey a mix', () => {
  // As a Papirus icon at 96 px: the shadow's pure row, then a row half shadow and half white. Its grey lies
  // between white and the dark grey square: it was keyed to white, and the band, kept apart, merged away as
  // its average lay on the blue–white segment (its lower row pulls it there).
  const W = 96;
  const body = '<rect x="4" y="4" width="10" height="10" fill="#333"/><path d="M82 20 90 60" stroke="#333" stroke-width="1.2"/>'
    + '<circle cx="48" cy="78" r="10" fill="#3949ab"/><rect x="20" y="31.5" width="56" height="30" fill="#000" opacity="0.2"/>'
    + '<rect x="20" y="30" width="56" height="30" fill="#3949ab"/>';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${W}"><rect width="100%" height="100%" fill="#fff"/>${body}</svg>`;
  const traced = traceRgba({ data: renderSvg(svg, W, W), width: W, height: W }, { preset: 'poster' });
  const S = 8, big = renderSvg(traced.replace(`width="${W}" height="${W}"`, `width="${W * S}" height="${W * S}"`), W * S, W * S);
  for (const x of [24, 30, 36, 42, 48, 54, 60, 66, 72]) {
    const [r, g, b] = pixel(big, W * S, x * S, Math.round(60.6 * S));
    assert.ok(Math.abs(r! - 204) < 20 && Math.abs(g! - 204) < 20 && Math.abs(b! - 204) < 20, `band at x = ${x} drawn rgb(${r}, ${g}, ${b}): ${traced}`);
  }
});

test('colour: a highlight and white bars on a card are not keyed to the card\'s pale fold far off (no pale frames)', () => {
  // A card with a folded corner in a pale tint of its colour, a 20 % white highlight along its top and white
  // bars at half-pixel edges. The highlight's and the bar ends' mixes lie between white and the fold as well
  // as between white and the card: keyed to the fold, which lies nowhere near them, they drew pale frames round
  // the bars (rms 21 over the bars at 8×).
  const W = 96, S = 8;
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 64 64"><rect width="64" height="64" fill="#fff"/>'
    + '<rect x="12" y="8" width="40" height="50" rx="2.5" opacity="0.2"/>'
    + '<path d="M14.5 7H37L52 22V54.5A2.5 2.5 0 0 1 49.5 57H14.5A2.5 2.5 0 0 1 12 54.5V9.5A2.5 2.5 0 0 1 14.5 7z" fill="#528ff5"/>'
    + '<path d="M14.5 7H37V8H14.5A2.5 2.5 0 0 0 12 10.5V9.5A2.5 2.5 0 0 1 14.5 7z" fill="#fff" opacity="0.2"/>'
    + '<path d="M37 7V19.5A2.5 2.5 0 0 0 39.5 22H52z" fill="#a5c5f9"/><path d="M21 29h22v3H21zM21 35h22v3H21zM21 41h22v3H21zM21 47h16v3H21z" fill="#fff"/></svg>';
  const traced = traceRgba({ data: renderSvg(svg, W, W), width: W, height: W }, { preset: 'poster' });
  const truth = renderSvg(svg.replace('width="96" height="96"', `width="${W * S}" height="${W * S}"`), W * S, W * S);
  const big = renderSvg(traced.replace(`width="${W}" height="${W}"`, `width="${W * S}" height="${W * S}"`), W * S, W * S);
  let se = 0, n = 0;
  for (let y = 42 * S; y < 77 * S; y++) {
    for (let x = 30 * S; x < 66 * S; x++) {
      const p = 4 * (y * W * S + x);
      for (let j = 0; j < 3; j++) { se += (big[p + j]! - truth[p + j]!) ** 2; n++; }
    }
  }
  const rms = Math.sqrt(se / n);
  assert.ok(rms < 5, `rms ${rms.toFixed(2)} over the bars: ${traced}`);
});

test('colour: a chip\'s pins, 3 × 3 px of one grey between its dark body and the white, stay grey', () => {
  // Flat art at 96 px: a dark body with grey pins along its top and left (3 px wide, 3 px of each beyond the body),
  // and a white 0.75 px line across the body so that blend keying takes the image for flat art. The pins'
  // grey lies between the body's and the white: no colour test sets them apart from a fringe, and they merged
  // into the body (drawn dark), though a fringe is never three pixels thick.
  const W = 96, S = 8;
  let pins = '';
  for (let k = 0; k < 6; k++) pins += `<rect x="${21 + 10 * k}" y="8" width="3" height="4"/><rect x="8" y="${21 + 10 * k}" width="4" height="3"/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${W}"><rect width="${W}" height="${W}" fill="#fff"/>`
    + `<g fill="#8e8e8e">${pins}</g><rect x="11" y="11" width="72" height="72" rx="4" fill="#4d4d4d"/>`
    + '<rect x="20" y="40.25" width="54" height="0.75" fill="#fff"/></svg>';
  const image = { data: renderSvg(svg, W, W), width: W, height: W };
  assert.ok(keyBlends(image.data, W, W), 'flat art');
  const traced = traceRgba(image, { preset: 'poster' });
  const big = renderSvg(traced.replace(`width="${W}" height="${W}"`, `width="${W * S}" height="${W * S}"`), W * S, W * S);
  for (let k = 0; k < 6; k++) {
    for (const [x, y] of [[22.5 + 10 * k, 9.5], [9.5, 22.5 + 10 * k]] as const) {
      const [r, g, b] = pixel(big, W * S, Math.round(x * S), Math.round(y * S));
      assert.ok(Math.abs(r! - 0x8e) < 12 && Math.abs(g! - 0x8e) < 12 && Math.abs(b! - 0x8e) < 12, `pin at (${x}, ${y}) drawn rgb(${r}, ${g}, ${b})`);
    }
  }
});

test('colour: a slanted 1.5 px shadow band on white is drawn whole where it straddles two rows, not in dashes', () => {
  // A 20 % black band 1.5 px thick, slanting down across white (the shadow under a white ellipse in a Papirus
  // icon, whose own edge is the band), and a dark grey square far off that makes the band's grey a mix of it
  // and white. Where the band lies across two rows, 0.75 in each, neither pixel is whole: both were keyed to
  // white, and only the pieces with a whole pixel were drawn (dashes).
  const W = 96, S = 8;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${W}"><rect width="${W}" height="${W}" fill="#fff"/>`
    + '<rect x="4" y="4" width="12" height="12" fill="#4f4f4f"/><rect x="30" y="10" width="50" height="30" fill="#3949ab"/>'
    + '<path d="M16 60 80 68" stroke="#000" stroke-opacity="0.2" stroke-width="1.5"/></svg>';
  const image = { data: renderSvg(svg, W, W), width: W, height: W };
  assert.ok(keyBlends(image.data, W, W), 'flat art');
  const traced = traceRgba(image, { preset: 'poster' });
  const big = renderSvg(traced.replace(`width="${W}" height="${W}"`, `width="${W * S}" height="${W * S}"`), W * S, W * S);
  const light: string[] = [];
  for (let x = 20; x <= 76; x += 2) {
    const y = 60 + ((x - 16) * 8) / 64;
    const [r] = pixel(big, W * S, x * S, Math.round(y * S));
    if (r! > 225) light.push(`${x}: ${r}`);
  }
  assert.deepEqual(light, [], `the band's centre line is grey all along (light where listed): ${traced}`);
});
