/**
 * Every parameter has an observable effect on real and synthetic images: speckle filtering, curve modes,
 * path precision, colour precision and gradient step, the smoothing thresholds, cutout vs stacked
 * layering and binary mode.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { traceRgba } from '../../src/engine/index.js';
import type { TraceOptions } from '../../src/engine/index.js';
import {
  compositeOnWhite, loadRgba, luma, parsePathData, pathNumberLiterals, pathSegments, renderSvg, svgPaths, svgStats,
} from '../support/fidelity.js';
import type { RgbaBuffer } from '../support/fidelity.js';
import { fixturePath } from '../support/fixtures.js';
import { BLACK, TRANSPARENT, WHITE, crop, fillRect, scene, setPixel, solid } from '../support/images.js';
import { pathOverlap, segmentCounts, stackedGaps, translateOf } from '../support/svg-checks.js';
import { splineOf, tangentBreaks } from '../support/splines.js';

const astro = await loadRgba(fixturePath('astronaut-256'));
const emoji = await loadRgba(fixturePath('emoji-1f34e'));
const logo = await loadRgba(fixturePath('logo'));
const horse = await loadRgba(fixturePath('horse'));
/** A 96×96 detail of the photo (face and suit), small enough to render each path alone. */
const astroCrop = crop(astro, 64, 32, 96, 96);

const paths = (img: RgbaBuffer, options: TraceOptions) => svgStats(traceRgba(img, options)).paths;
const CURVE_LETTERS = /[CcSsQqTtAa]/;

/** Luma of the rendered pixel (x, y). */
function lumaAt(rendered: Uint8Array, width: number, x: number, y: number): number {
  const i = (y * width + x) * 4;
  return 0.299 * rendered[i]! + 0.587 * rendered[i + 1]! + 0.114 * rendered[i + 2]!;
}

describe('filterSpeckle', () => {
  test('a larger filterSpeckle gives fewer paths on a photo', (t) => {
    const counts = [0, 2, 4, 8, 16].map((filterSpeckle) => paths(astro, { preset: 'poster', filterSpeckle }));
    t.diagnostic(`paths at filterSpeckle 0, 2, 4, 8, 16: ${counts.join(', ')}`);
    for (let i = 1; i < counts.length; i++) {
      assert.ok(counts[i]! < counts[i - 1]!, `paths did not decrease: ${counts.join(', ')}`);
    }
  });

  test('on flat art too: filterSpeckle 128 merges the apple emoji\'s leaf and stem, which small-feature rules keep at 4', (t) => {
    // The emoji is keyed flat art, where small blocks stand alone as features (merge.ts BLOCK_AREA): only up to
    // 16 px, so a large filterSpeckle still merges what is larger.
    const counts = [4, 128].map((filterSpeckle) => paths(emoji, { preset: 'poster', filterSpeckle }));
    t.diagnostic(`paths at filterSpeckle 4, 128: ${counts.join(', ')}`);
    assert.ok(counts[1]! < counts[0]!, `paths did not decrease: ${counts.join(', ')}`);
  });

  /** White 80×40, black 3×3 squares (area 9) on the left, black 8×8 squares (area 64) on the right. */
  function specks(): { img: RgbaBuffer; small: Array<[number, number]>; big: Array<[number, number]> } {
    const img = solid(80, 40, WHITE);
    const small: Array<[number, number]> = [], big: Array<[number, number]> = [];
    for (const [x, y] of [[5, 5], [20, 8], [8, 25], [24, 28]] as const) { fillRect(img, x, y, 3, 3, BLACK); small.push([x + 1, y + 1]); }
    for (const [x, y] of [[45, 6], [62, 22]] as const) { fillRect(img, x, y, 8, 8, BLACK); big.push([x + 4, y + 4]); }
    return { img, small, big };
  }

  for (const preset of ['poster', 'bw'] as const) {
    test(`${preset}: filterSpeckle 4 (area 16) removes 3×3 specks and keeps 8×8 squares; 2 keeps both (keepDots off)`, () => {
      const { img, small, big } = specks();
      const kept = renderSvg(traceRgba(img, { preset, filterSpeckle: 2, keepDots: false }), img.width, img.height);
      const filtered = renderSvg(traceRgba(img, { preset, filterSpeckle: 4, keepDots: false }), img.width, img.height);
      for (const [x, y] of small) {
        assert.ok(lumaAt(kept, img.width, x, y) < 128, `3×3 speck at ${x},${y} missing at filterSpeckle 2 (luma ${lumaAt(kept, img.width, x, y).toFixed(0)})`);
        assert.ok(lumaAt(filtered, img.width, x, y) > 200, `3×3 speck at ${x},${y} still drawn at filterSpeckle 4 (luma ${lumaAt(filtered, img.width, x, y).toFixed(0)})`);
      }
      for (const [x, y] of big) {
        assert.ok(lumaAt(filtered, img.width, x, y) < 60, `8×8 square at ${x},${y} lost at filterSpeckle 4`);
      }
    });
  }
});

describe('keepDots', () => {
  /** A 3×3 dot of colour c at (x, y) with an anti-aliased rim: the 12 pixels beside its sides half c, half white. */
  function softDot(img: RgbaBuffer, x: number, y: number, c: readonly number[]): void {
    const half = [0, 1, 2].map((ch) => Math.round((c[ch]! + 255) / 2)).concat(255) as unknown as typeof BLACK;
    fillRect(img, x, y - 1, 3, 1, half); fillRect(img, x, y + 3, 3, 1, half);
    fillRect(img, x - 1, y, 1, 3, half); fillRect(img, x + 3, y, 1, 3, half);
    fillRect(img, x, y, 3, 3, c as typeof BLACK);
  }

  /**
   * White 60×30: anti-aliased 3×3 dots, black (far from white) and light grey (225: 90 from white in L1 over
   * RGB, under twice the gradient step 48 of the photo preset); hard-edged black specks of 8 px (a 3×3 square
   * less a corner: dust, as in a 1-bit scan); 1×2 black specks (2 px); hard-edged black 3×3 squares (a
   * pixel-aligned dot of an icon or of pixel art).
   */
  function dots(): { img: RgbaBuffer; black: Array<[number, number]>; grey: Array<[number, number]>; tiny: Array<[number, number]> } {
    const img = solid(60, 30, WHITE);
    const black: Array<[number, number]> = [], grey: Array<[number, number]> = [], tiny: Array<[number, number]> = [];
    for (const [x, y] of [[4, 4], [16, 20]] as const) { softDot(img, x, y, BLACK); black.push([x + 1, y + 1]); }
    for (const [x, y] of [[26, 6], [14, 10]] as const) { softDot(img, x, y, [225, 225, 225, 255]); grey.push([x + 1, y + 1]); }
    for (const [x, y] of [[34, 20], [40, 4]] as const) {
      fillRect(img, x, y, 3, 3, BLACK);
      setPixel(img, x + 2, y, WHITE);
      tiny.push([x + 1, y + 1]);
    }
    for (const [x, y] of [[48, 8], [54, 20]] as const) { fillRect(img, x, y, 1, 2, BLACK); tiny.push([x, y]); }
    for (const [x, y] of [[46, 14], [26, 22]] as const) { fillRect(img, x, y, 3, 3, BLACK); black.push([x + 1, y + 1]); }
    return { img, black, grey, tiny };
  }

  test('on (the default): an anti-aliased 3×3 dot and a hard-edged 3×3 square stay below the speckle size; a faint dot, hard-edged dust and a 2-px speck merge; off: all merge', () => {
    const { img, black, grey, tiny } = dots();
    const on = renderSvg(traceRgba(img, { preset: 'photo', keepDots: true }), img.width, img.height);
    const off = renderSvg(traceRgba(img, { preset: 'photo', keepDots: false }), img.width, img.height);
    for (const [x, y] of black) {
      assert.ok(lumaAt(on, img.width, x, y) < 60, `black 3×3 dot at ${x},${y} lost with keepDots (luma ${lumaAt(on, img.width, x, y).toFixed(0)})`);
      assert.ok(lumaAt(off, img.width, x, y) > 240, `black 3×3 dot at ${x},${y} kept without keepDots`);
    }
    for (const [x, y] of [...grey, ...tiny]) {
      assert.ok(lumaAt(on, img.width, x, y) > 240, `faint, hard-edged or 2-px dot at ${x},${y} kept (luma ${lumaAt(on, img.width, x, y).toFixed(0)})`);
    }
  });

  test('bw: an anti-aliased 3×3 speck, a clear 3×3 hole and hard-edged 3×3 squares stay below the speckle size; a grey speck near the threshold and hard-edged dust go; off: all go', () => {
    // White 60×30: anti-aliased black 3×3 specks, anti-aliased grey (luma 100, 28 below the threshold) ones,
    // hard-edged dust (a 3×3 square less a corner), a black 12×12 square with an anti-aliased white 3×3 hole,
    // a hard-edged black 3×3 square, and a black 10×10 square with a hard-edged white 3×3 hole (an Adwaita
    // film strip's holes at 48 px were filled).
    const img = solid(60, 30, WHITE);
    softDot(img, 4, 4, BLACK);
    softDot(img, 14, 20, BLACK);
    softDot(img, 24, 4, [100, 100, 100, 255]);
    softDot(img, 24, 20, [100, 100, 100, 255]);
    fillRect(img, 32, 12, 3, 3, BLACK);
    setPixel(img, 34, 14, WHITE);
    fillRect(img, 40, 8, 12, 12, BLACK);
    fillRect(img, 43, 12, 5, 3, [100, 100, 100, 255]);
    fillRect(img, 44, 11, 3, 5, [100, 100, 100, 255]);
    fillRect(img, 44, 12, 3, 3, WHITE);
    fillRect(img, 54, 22, 3, 3, BLACK);
    fillRect(img, 2, 14, 10, 10, BLACK);
    fillRect(img, 5, 17, 3, 3, WHITE);
    const on = renderSvg(traceRgba(img, { preset: 'bw' }), img.width, img.height);
    const off = renderSvg(traceRgba(img, { preset: 'bw', keepDots: false }), img.width, img.height);
    for (const [x, y] of [[5, 5], [15, 21], [55, 23]] as const) {
      assert.ok(lumaAt(on, img.width, x, y) < 60, `black speck at ${x},${y} lost (luma ${lumaAt(on, img.width, x, y).toFixed(0)})`);
      assert.ok(lumaAt(off, img.width, x, y) > 240, `black speck at ${x},${y} kept without keepDots`);
    }
    for (const [x, y] of [[25, 5], [25, 21], [33, 13]] as const) assert.ok(lumaAt(on, img.width, x, y) > 240, `grey speck or dust at ${x},${y} kept`);
    for (const [x, y] of [[45, 13], [6, 18]] as const) {
      assert.ok(lumaAt(on, img.width, x, y) > 200, `white hole at ${x},${y} filled (luma ${lumaAt(on, img.width, x, y).toFixed(0)})`);
      assert.ok(lumaAt(off, img.width, x, y) < 60, `white hole at ${x},${y} open without keepDots`);
    }
  });

  test('bw: a short thin stem (1.4 × 7 px, a 16 px serif "i"\'s) stays below the speckle size: its darkest pixels are far beyond the threshold', () => {
    // Its columns are 55 % and 85 % covered (luma 115 and 38): the mean, 77, lies 51 below the threshold, short of
    // the 64 a dot needs; the darkest pixel lies 89 below. It was dropped as a speck.
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20"><rect width="30" height="20" fill="#fff"/><rect x="10.45" y="6" width="1.4" height="7" fill="#000"/></svg>';
    const img = { data: renderSvg(svg, 30, 20), width: 30, height: 20 };
    const on = renderSvg(traceRgba(img, { preset: 'bw' }), 30, 20);
    assert.ok(lumaAt(on, 30, 11, 9) < 100, `the stem is gone (luma ${lumaAt(on, 30, 11, 9).toFixed(0)})`);
  });

  test('bw: a small thin "f" (a 1 px stem with a crossbar, 14 px in a 5 × 10 box) stays below the speckle size', () => {
    // It fills 0.28 of its bounding box: a dot needed 0.4 (the 16 px serif line lost its "f": 15 px in 4 × 11).
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20"><rect width="30" height="20" fill="#fff"/>'
      + '<path d="M10.05 4h0.9v10h-0.9z" fill="#000"/><path d="M8.5 6.05h4v0.9h-4z" fill="#000"/></svg>';
    const img = { data: renderSvg(svg, 30, 20), width: 30, height: 20 };
    const on = renderSvg(traceRgba(img, { preset: 'bw' }), 30, 20);
    assert.ok(lumaAt(on, 30, 10, 11) < 100, `the stem is gone (luma ${lumaAt(on, 30, 10, 11).toFixed(0)})`);
  });

  test('a dot touching two colours is not an island: it merges (the fringe rule stands)', () => {
    // A black 3×3 dot (anti-aliased) straddling the border of a white and a mid-grey half: two neighbours.
    const img = solid(40, 20, WHITE);
    fillRect(img, 20, 0, 20, 20, [128, 128, 128, 255]);
    softDot(img, 19, 8, BLACK);
    const out = renderSvg(traceRgba(img, { preset: 'photo', keepDots: true }), img.width, img.height);
    assert.ok(lumaAt(out, img.width, 20, 9) > 100, `dot between two colours kept (luma ${lumaAt(out, img.width, 20, 9).toFixed(0)})`);
  });
});

describe('mode', () => {
  for (const [name, img] of [['emoji', emoji], ['astronaut', astroCrop]] as const) {
    test(`polygon: no curve commands (${name})`, () => {
      const svg = traceRgba(img, { preset: 'poster', mode: 'polygon' });
      const ps = svgPaths(svg);
      assert.ok(ps.length > 0, 'no paths');
      for (const p of ps) {
        assert.ok(!CURVE_LETTERS.test(p.d), `curve command in polygon mode: ${p.d.slice(0, 120)}`);
      }
      assert.ok(segmentCounts(svg).lines > ps.length * 2, 'polygon output has almost no segments');
    });

    for (const mode of ['pixel', 'none'] as const) {
      test(`${mode}: only axis-aligned segments on integer pixel corners (${name})`, () => {
        const svg = traceRgba(img, { preset: 'poster', mode });
        const ps = svgPaths(svg);
        assert.ok(ps.length > 0, 'no paths');
        let segments = 0;
        for (const p of ps) {
          assert.ok(!CURVE_LETTERS.test(p.d), `curve command in ${mode} mode`);
          const [tx, ty] = translateOf(p.attributes.transform);
          for (const s of pathSegments(p.d, tx, ty)) {
            segments++;
            assert.ok(s.x0 === s.x1 || s.y0 === s.y1, `diagonal segment (${s.x0},${s.y0})→(${s.x1},${s.y1}) in ${mode} mode`);
            assert.ok(Number.isInteger(s.x1) && Number.isInteger(s.y1), `vertex (${s.x1},${s.y1}) is not a pixel corner`);
          }
        }
        assert.ok(segments >= ps.length * 4, `only ${segments} segments`);
      });
    }
  }

  test('pixel and none give the same output; spline differs from polygon', () => {
    assert.equal(traceRgba(emoji, { mode: 'pixel' }), traceRgba(emoji, { mode: 'none' }));
    assert.notEqual(traceRgba(emoji, { mode: 'spline' }), traceRgba(emoji, { mode: 'polygon' }));
    assert.ok(CURVE_LETTERS.test(traceRgba(emoji, { mode: 'spline' })), 'spline mode wrote no curve');
  });
});

describe('pathPrecision', () => {
  const numbersOf = (svg: string) => svgPaths(svg).flatMap((p) => {
    const transform = p.attributes.transform ? [...p.attributes.transform.matchAll(/[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g)].map((m) => m[0]) : [];
    return [...pathNumberLiterals(p.d), ...transform];
  });

  test('pathPrecision 0 writes only integers (path data and any translate)', () => {
    for (const img of [emoji, astroCrop]) {
      const literals = numbersOf(traceRgba(img, { preset: 'poster', pathPrecision: 0 }));
      assert.ok(literals.length > 10, `only ${literals.length} numbers`);
      const bad = literals.filter((s) => !/^[-+]?\d+$/.test(s));
      assert.deepEqual(bad.slice(0, 5), [], `non-integers at pathPrecision 0: ${bad.slice(0, 5).join(' ')}`);
    }
  });

  test('pathPrecision 3 writes at most 3 decimals, and some numbers use them', () => {
    const literals = numbersOf(traceRgba(emoji, { preset: 'poster', pathPrecision: 3 }));
    const decimals = literals.map((s) => (/\.(\d*)/.exec(s)?.[1] ?? '').length);
    assert.ok(Math.max(...decimals) <= 3, `a number has ${Math.max(...decimals)} decimals`);
    assert.ok(decimals.some((d) => d > 0), 'no fractional coordinate at all in spline mode');
    assert.ok(literals.every((s) => !/[eE]/.test(s)), 'exponent notation in path data');
  });

  test('parsePathData reads every path (sanity of the checks above)', () => {
    for (const p of svgPaths(traceRgba(emoji, { preset: 'poster' }))) assert.ok(parsePathData(p.d).length > 1, `unparsed path data ${p.d.slice(0, 60)}`);
  });
});

describe('colour clustering', () => {
  test('a larger colorPrecision gives more paths on a photo', (t) => {
    const counts = [3, 5, 8].map((colorPrecision) => paths(astro, { preset: 'poster', colorPrecision }));
    t.diagnostic(`paths at colorPrecision 3, 5, 8: ${counts.join(', ')}`);
    assert.ok(counts[0]! < counts[1]! && counts[1]! < counts[2]!, `paths: ${counts.join(', ')}`);
  });

  test('a smaller layerDifference gives more paths on a photo', (t) => {
    const counts = [128, 48, 8].map((layerDifference) => paths(astro, { preset: 'poster', layerDifference }));
    t.diagnostic(`paths at layerDifference 128, 48, 8: ${counts.join(', ')}`);
    assert.ok(counts[0]! < counts[1]! && counts[1]! < counts[2]!, `paths: ${counts.join(', ')}`);
  });
});

describe('smoothing thresholds', () => {
  const curves = (options: TraceOptions) => segmentCounts(traceRgba(emoji, { preset: 'poster', ...options })).curves;

  test('cornerThreshold changes the output on the emoji', () => {
    const outputs = new Set([0, 60, 180].map((cornerThreshold) => traceRgba(emoji, { preset: 'poster', cornerThreshold })));
    assert.equal(outputs.size, 3, 'cornerThreshold 0, 60 and 180 should give three different SVGs');
  });

  test('cornerThreshold 60 keeps the 90° corners of a square sharp; 180 rounds them', (t) => {
    const img = fillRect(solid(60, 60, WHITE), 10, 10, 40, 40, BLACK);
    // simplify: 0 isolates the smoothing under test (the refit may move the outline by up to its
    // tolerance, which is enough to fill or empty one corner pixel).
    const corners = (cornerThreshold: number) => {
      const r = renderSvg(traceRgba(img, { cornerThreshold, simplify: 0 }), 60, 60);
      return [[10, 10], [49, 10], [10, 49], [49, 49]].map(([x, y]) => lumaAt(r, 60, x!, y!));
    };
    const sharp = corners(60), round = corners(180);
    t.diagnostic(`corner pixel luma at 60: ${sharp.map((v) => v.toFixed(0)).join(' ')}; at 180: ${round.map((v) => v.toFixed(0)).join(' ')}`);
    assert.ok(Math.max(...sharp) < 8, `a corner pixel is not black at cornerThreshold 60: ${sharp.join(' ')}`);
    assert.ok(Math.max(...round) > 8, `no corner was rounded at cornerThreshold 180: ${round.join(' ')}`);
  });

  test('spliceThreshold changes the output; a smaller one cuts a smooth outline into more, shorter pieces', (t) => {
    const [c5, c45, c180] = [5, 45, 180].map((spliceThreshold) => curves({ spliceThreshold }));
    t.diagnostic(`curves on the emoji at splice 5, 45, 180: ${c5}, ${c45}, ${c180}`);
    assert.ok(c5! > c45! && c5! > c180!, `curves on the emoji at splice 5, 45, 180: ${c5}, ${c45}, ${c180}`);
    // A smooth blob without corners (not an ellipse): a piece may turn twice the splice threshold, so the
    // loop is cut into at least 360° / (2 × threshold) pieces (2 at the least).
    const blob = '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><path d="M20 50C20 12 78 8 80 48C81 70 62 90 42 82C30 77 20 68 20 50Z"/></svg>';
    const img = { data: renderSvg(blob, 96, 96), width: 96, height: 96 };
    const pieces = (spliceThreshold: number) => {
      const counts = segmentCounts(traceRgba(img, { preset: 'bw', spliceThreshold }));
      return counts.curves + counts.lines;
    };
    const [p5, p45, p180] = [pieces(5), pieces(45), pieces(180)];
    t.diagnostic(`pieces of the blob at splice 5, 45, 180: ${p5}, ${p45}, ${p180}`);
    assert.ok(p5 >= 36 && p45 >= 4 && p180 >= 2 && p5 > p45 && p45 > p180, `pieces at splice 5, 45, 180: ${p5}, ${p45}, ${p180}`);
  });

  test('lengthThreshold changes the output; a longer one measures turns over more outline, so wider bends become corners', (t) => {
    assert.notEqual(traceRgba(emoji, { lengthThreshold: 3.5 }), traceRgba(emoji, { lengthThreshold: 10 }));
    // A star whose tips are rounded with a 3 px radius (round joins of a 6 px stroke): over ±1.75 px of
    // outline a tip turns about 67°, over ±5 px its whole 144°.
    const at = (r: number, i: number) => [64 + r * Math.cos(-Math.PI / 2 + (i * Math.PI) / 5), 66 + r * Math.sin(-Math.PI / 2 + (i * Math.PI) / 5)];
    const points = [...Array(10).keys()].map((i) => at(i % 2 === 0 ? 50 : 24, i).map((v) => v.toFixed(2)).join(',')).join(' ');
    const star = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128"><polygon points="${points}" stroke="#000" stroke-width="6" stroke-linejoin="round"/></svg>`;
    const img = { data: renderSvg(star, 128, 128), width: 128, height: 128 };
    const corners = (lengthThreshold: number) => tangentBreaks(splineOf(svgPaths(traceRgba(img, { preset: 'bw', lengthThreshold }))[0]!.d), 30);
    const [k35, k10] = [corners(3.5), corners(10)];
    t.diagnostic(`corners (turns over 30°) at length 3.5: ${k35}, 10: ${k10}`);
    assert.ok(k10 > k35, `corners at length 3.5: ${k35}, 10: ${k10}`);
  });

  test('maxIterations changes the output; one round gives fewer curves than ten', (t) => {
    const [c1, c10] = [1, 10].map((maxIterations) => curves({ maxIterations }));
    t.diagnostic(`curves at maxIterations 1: ${c1}, 10: ${c10}`);
    assert.ok(c1! < c10!, `curves at maxIterations 1: ${c1}, 10: ${c10}`);
  });
});

describe('hierarchical', () => {
  const sc = scene();
  const cases: Array<[string, RgbaBuffer, TraceOptions, number]> = [
    // [name, image, options, allowed fraction of pixels fully covered twice]
    ['scene spline', sc, { preset: 'poster' }, 0],
    ['scene polygon', sc, { preset: 'poster', mode: 'polygon' }, 0],
    ['scene pixel', sc, { preset: 'poster', mode: 'pixel' }, 0],
    ['emoji spline', emoji, { preset: 'poster' }, 0],
    ['emoji pixel', emoji, { preset: 'poster', mode: 'pixel' }, 0],
    ['astronaut crop pixel', astroCrop, { preset: 'photo', mode: 'pixel' }, 0],
    // The reference covers 2.2 % of this crop twice (207 px); we allow 0.1 %.
    ['astronaut crop spline', astroCrop, { preset: 'photo' }, 0.001],
  ];
  for (const [name, img, options, allowed] of cases) {
    test(`cutout shapes do not overlap: ${name}`, (t) => {
      const svg = traceRgba(img, { ...options, hierarchical: 'cutout' });
      const r = pathOverlap(svg, img.width, img.height);
      t.diagnostic(`${r.paths} paths, ${r.coveredTwice} px fully covered twice, max alpha sum ${r.maxAlphaSum}`);
      assert.ok(r.paths >= 3, `only ${r.paths} paths`);
      const limit = Math.floor(allowed * img.width * img.height);
      assert.ok(r.coveredTwice <= limit, `${r.coveredTwice} pixels fully covered by two shapes (allowed ${limit})`);
      if (options.mode === 'pixel') assert.ok(r.maxAlphaSum <= 255 + 4, `pixel-mode shapes overlap: alpha sum ${r.maxAlphaSum}`);
    });
  }

  test('cutout cuts holes: the red square of the scene is one path with a hole', () => {
    const ps = svgPaths(traceRgba(sc, { preset: 'poster', hierarchical: 'cutout' }));
    const red = ps.filter((p) => p.fill === '#dc1e1e');
    assert.equal(red.length, 1, `paths filled red: ${red.length}`);
    const subpaths = parsePathData(red[0]!.d).filter((c) => c.letter === 'M' || c.letter === 'm').length;
    assert.equal(subpaths, 2, 'the red square should have an outer boundary and one hole');
  });

  const stackedCases: Array<[string, RgbaBuffer, TraceOptions]> = [
    ['astronaut poster', astro, { preset: 'poster' }],
    ['astronaut photo', astro, { preset: 'photo' }],
    ['logo poster', logo, { preset: 'poster' }],
    ['emoji poster', emoji, { preset: 'poster' }],
    ['scene polygon', sc, { preset: 'poster', mode: 'polygon' }],
  ];
  for (const [name, img, options] of stackedCases) {
    test(`stacked leaves no gaps inside the opaque area: ${name}`, (t) => {
      const svg = traceRgba(img, { ...options, hierarchical: 'stacked' });
      const r = stackedGaps(svg, img, 1);
      t.diagnostic(`${r.checked} opaque px checked, ${r.gaps} show the canvas`);
      assert.ok(r.checked > 1000, 'no opaque area to check');
      assert.equal(r.gaps, 0, `${r.gaps} gap pixels, e.g. ${r.examples.map(([x, y]) => `${x},${y}`).join(' ')}`);
    });
  }
});

describe('binary mode', () => {
  test('filterSpeckle fills holes smaller than its area as it drops specks: a 3×3 hole goes at 4, stays at 2; an 8×8 hole stays (keepDots off)', () => {
    const img = solid(64, 32, WHITE);
    fillRect(img, 4, 4, 24, 24, BLACK);
    fillRect(img, 36, 4, 24, 24, BLACK);
    fillRect(img, 14, 14, 3, 3, WHITE); // small hole
    fillRect(img, 44, 12, 8, 8, WHITE); // large hole
    const kept = renderSvg(traceRgba(img, { preset: 'bw', filterSpeckle: 2, keepDots: false }), img.width, img.height);
    const filled = renderSvg(traceRgba(img, { preset: 'bw', filterSpeckle: 4, keepDots: false }), img.width, img.height);
    assert.ok(lumaAt(kept, img.width, 15, 15) > 200, '3×3 hole filled at filterSpeckle 2');
    assert.ok(lumaAt(filled, img.width, 15, 15) < 60, '3×3 hole still open at filterSpeckle 4');
    assert.ok(lumaAt(filled, img.width, 47, 15) > 200, '8×8 hole filled at filterSpeckle 4');
  });

  test('fills are black only', () => {
    for (const img of [logo, horse, emoji]) {
      const ps = svgPaths(traceRgba(img, { preset: 'bw' }));
      assert.ok(ps.length > 0, 'no black shape in binary mode');
      for (const p of ps) assert.ok(p.fill === '#000000' || p.fill === '#000', `binary fill ${p.fill}`);
    }
  });

  /**
   * Over the pixels whose 5×5 neighbourhood is uniform (away from edges): the share of fully transparent
   * ones rendered light, of opaque light ones (luma > 192) rendered light, and of opaque dark ones
   * (luma < 112, clearly below a mid-grey threshold) rendered dark (luma < 64).
   */
  function binaryRespect(img: RgbaBuffer) {
    const rendered = renderSvg(traceRgba(img, { preset: 'bw' }), img.width, img.height);
    const inputLuma = luma(compositeOnWhite(img.data));
    const outLuma = luma(rendered);
    const count = { transparent: 0, transparentLight: 0, light: 0, lightLight: 0, dark: 0, darkDark: 0 };
    const { width, height, data } = img;
    for (let y = 2; y < height - 2; y++) {
      for (let x = 2; x < width - 2; x++) {
        let allClear = true, allDark = true, allLight = true;
        for (let dy = -2; dy <= 2; dy++) {
          for (let dx = -2; dx <= 2; dx++) {
            const j = (y + dy) * width + x + dx;
            const a = data[j * 4 + 3];
            if (a !== 0) allClear = false;
            if (a !== 255 || inputLuma[j]! >= 112) allDark = false;
            if (a !== 255 || inputLuma[j]! <= 192) allLight = false;
          }
        }
        const out = outLuma[y * width + x]!;
        if (allClear) { count.transparent++; if (out > 200) count.transparentLight++; }
        if (allLight) { count.light++; if (out > 200) count.lightLight++; }
        if (allDark) { count.dark++; if (out < 64) count.darkDark++; }
      }
    }
    const share = (a: number, b: number) => (b === 0 ? 1 : a / b);
    return {
      ...count,
      transparentShare: share(count.transparentLight, count.transparent),
      lightShare: share(count.lightLight, count.light),
      darkShare: share(count.darkDark, count.dark),
    };
  }
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

  /**
   * The logo with its white background made transparent: pixels with every channel ≥ 250 become
   * (0, 0, 0, 0), transparent black, as many encoders store transparency.
   */
  function keyedLogo(): RgbaBuffer {
    const data = new Uint8Array(logo.data);
    for (let i = 0; i < data.length; i += 4) {
      if (data[i]! >= 250 && data[i + 1]! >= 250 && data[i + 2]! >= 250) data.fill(0, i, i + 4);
    }
    return { data, width: logo.width, height: logo.height };
  }

  // The emoji's apple is dark red (luma ≈ 100 < 128): it must come out black; the logo has no large dark area.
  for (const [name, img, hasDark] of [['emoji', emoji, true], ['logo keyed on transparency', keyedLogo(), false]] as const) {
    test(`alpha is respected: the transparent background is not painted black (${name})`, (t) => {
      const r = binaryRespect(img);
      t.diagnostic(`${name}: ${r.transparent} transparent px, ${pct(r.transparentShare)} rendered light; `
        + `dark opaque rendered dark ${pct(r.darkShare)} of ${r.dark}`);
      assert.ok(r.transparent > 10000, `only ${r.transparent} transparent pixels checked`);
      assert.ok(r.transparentShare >= 0.99, `only ${pct(r.transparentShare)} of the transparent background is light`);
      if (hasDark) {
        assert.ok(r.dark > 1000, `only ${r.dark} dark opaque pixels checked`);
        assert.ok(r.darkShare >= 0.99, `dark opaque pixels rendered dark: ${pct(r.darkShare)}`);
      }
    });
  }

  test('the horse silhouette (opaque) is black on a light background', (t) => {
    const r = binaryRespect(horse);
    t.diagnostic(`horse: light kept light ${pct(r.lightShare)} of ${r.light}, dark rendered dark ${pct(r.darkShare)} of ${r.dark}`);
    assert.ok(r.dark > 10000 && r.light > 10000, `too few uniform pixels: ${r.dark} dark, ${r.light} light`);
    assert.ok(r.lightShare >= 0.99, `background rendered light: ${pct(r.lightShare)}`);
    assert.ok(r.darkShare >= 0.99, `silhouette rendered dark: ${pct(r.darkShare)}`);
  });

  test('a fully transparent image gives no black shape; an opaque black square on transparency gives one', () => {
    const clear = solid(40, 30, TRANSPARENT);
    assert.equal(svgStats(traceRgba(clear, { preset: 'bw' })).paths, 0);
    const square = fillRect(solid(40, 30, TRANSPARENT), 10, 8, 16, 12, BLACK);
    const rendered = renderSvg(traceRgba(square, { preset: 'bw' }), 40, 30);
    assert.ok(lumaAt(rendered, 40, 18, 14) < 30, 'square centre not black');
    assert.ok(lumaAt(rendered, 40, 2, 2) > 225 && lumaAt(rendered, 40, 37, 27) > 225, 'transparent corners painted');
  });
});
