/**
 * Property tests of the engine (fast-check, bounded runs on small images):
 * - any RGBA buffer with any valid options (drawn from OPTION_SPECS, with or without a preset) traces to a
 *   well-formed SVG: strict XML, width/height/viewBox of the image, path data made of commands and finite
 *   numbers, `#rrggbb` fills; resvg (a strict parser) renders it; never a throw;
 * - any invalid option value is an OptionError naming that option (and nothing else is thrown);
 * - any malformed image argument is an ImageDataError;
 * and the edge images by name: 1×1, lines, fully transparent, one colour, a palette of every pixel different.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Resvg } from '@resvg/resvg-js';
import {
  ImageDataError, OPTION_SPECS, OptionError, PRESET_NAMES, VtracerError, traceRgbaDetailed, type TraceOptions,
} from '../../src/engine/index.js';
import { mulberry32 } from '../support/images.js';
import { alpha, byte, invalidValue, validOptionsArb } from '../support/option-arbitraries.js';

const RUNS = Number(process.env.VTRACER_FUZZ_RUNS ?? 200);

// ---- a strict check of the SVG the engine writes

const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;
const PATH_DATA = /^(?:[MmLlHhVvCcSsQqTtAaZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[\s,]+)*$/;

/** Well-formed XML (balanced elements, quoted attributes, no stray `<` or `&`), checked with a small tokenizer. */
function assertWellFormedXml(svg: string): Array<{ name: string; attrs: Record<string, string> }> {
  const elements: Array<{ name: string; attrs: Record<string, string> }> = [];
  const stack: string[] = [];
  let i = 0;
  const text = svg.replace(/^<\?xml[^>]*\?>\s*/, '');
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = lt < 0 ? text.slice(i) : text.slice(i, lt);
    assert.ok(!/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(chunk), `stray & in text ${JSON.stringify(chunk)}`);
    if (stack.length === 0) assert.equal(chunk.trim(), '', `text outside the root: ${JSON.stringify(chunk.slice(0, 40))}`);
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt);
      assert.ok(end > 0, 'unterminated comment');
      i = end + 3;
      continue;
    }
    const gt = text.indexOf('>', lt);
    assert.ok(gt > 0, 'unterminated tag');
    const tag = text.slice(lt + 1, gt);
    assert.ok(!tag.includes('<'), `'<' inside a tag: ${tag.slice(0, 60)}`);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      assert.equal(stack.pop(), name, `closing </${name}> does not match`);
    } else {
      const selfClosing = tag.endsWith('/');
      const body = selfClosing ? tag.slice(0, -1) : tag;
      const m = /^([^\s/>]+)([\s\S]*)$/.exec(body);
      assert.ok(m && NAME.test(m[1]!), `bad element name in <${tag.slice(0, 40)}>`);
      const attrs: Record<string, string> = {};
      let rest = m![2]!;
      const attrRe = /^\s+([A-Za-z_:][A-Za-z0-9_.:-]*)="([^"<&]*)"/;
      for (;;) {
        const a = attrRe.exec(rest);
        if (!a) break;
        assert.ok(!(a[1]! in attrs), `duplicate attribute ${a[1]}`);
        attrs[a[1]!] = a[2]!;
        rest = rest.slice(a[0].length);
      }
      assert.equal(rest.trim(), '', `unparsed attribute text in <${m![1]}>: ${JSON.stringify(rest.slice(0, 40))}`);
      if (stack.length === 0) assert.equal(elements.length, 0, 'more than one root element');
      elements.push({ name: m![1]!, attrs });
      if (!selfClosing) stack.push(m![1]!);
    }
    i = gt + 1;
  }
  assert.deepEqual(stack, [], 'unclosed elements');
  return elements;
}

function assertTracedSvg(svg: string, width: number, height: number, scale = 1, pathCount?: number): void {
  const elements = assertWellFormedXml(svg);
  const root = elements[0]!;
  assert.equal(root.name, 'svg');
  assert.equal(root.attrs.xmlns, 'http://www.w3.org/2000/svg');
  const w = Number(root.attrs.width), h = Number(root.attrs.height);
  assert.ok(Number.isFinite(w) && w > 0 && Number.isFinite(h) && h > 0, `width/height ${root.attrs.width}×${root.attrs.height}`);
  assert.ok(Math.abs(w - width * scale) <= 0.01 * Math.max(1, width * scale), `width ${w} for ${width} × ${scale}`);
  assert.ok(Math.abs(h - height * scale) <= 0.01 * Math.max(1, height * scale), `height ${h} for ${height} × ${scale}`);
  assert.deepEqual((root.attrs.viewBox ?? '').trim().split(/[\s,]+/).map(Number), [0, 0, width, height], `viewBox ${root.attrs.viewBox}`);
  const paths = elements.filter((e) => e.name === 'path');
  if (pathCount !== undefined) assert.equal(paths.length, pathCount, 'pathCount is the number of <path> elements');
  for (const e of elements.slice(1)) assert.ok(e.name === 'path' || e.name === 'g', `unexpected element <${e.name}>`);
  for (const e of elements) {
    // Centerline strokes: fill="none" with a stroke colour and a positive width.
    if (e.attrs.stroke !== undefined) {
      assert.equal(e.attrs.fill, 'none', 'a stroked path is not filled');
      assert.match(e.attrs.stroke, /^#[0-9a-f]{6}$/, 'stroke');
      assert.ok(Number(e.attrs['stroke-width']) > 0, `stroke-width ${e.attrs['stroke-width']}`);
    } else if (e.attrs.fill !== undefined) assert.match(e.attrs.fill, /^#[0-9a-f]{6}$/, 'fill');
  }
  for (const p of paths) {
    const d = p.attrs.d ?? '';
    assert.ok(d.length > 0, 'empty path data');
    assert.match(d, PATH_DATA, `path data ${d.slice(0, 80)}`);
    assert.match(d, /^\s*[Mm]/, 'path data starts with a moveto');
    assert.ok(p.attrs.fill !== undefined || elements.some((g) => g.name === 'g' && g.attrs.fill), 'a path without a fill');
  }
  // resvg parses XML strictly (roxmltree) and the SVG structure: it must accept and render the document.
  const rendered = new Resvg(svg, { fitTo: { mode: 'width', value: width }, font: { loadSystemFonts: false } }).render();
  assert.ok(rendered.width >= 1 && rendered.height >= 1);
}

// ---- arbitraries

/** Small images: a few colours laid out in blocks, with optional per-pixel noise (so regions of every size). */
const imageArb = fc.record({
  width: fc.integer({ min: 1, max: 20 }),
  height: fc.integer({ min: 1, max: 20 }),
  colors: fc.array(fc.tuple(byte, byte, byte, alpha), { minLength: 1, maxLength: 6 }),
  block: fc.integer({ min: 1, max: 8 }),
  noise: fc.constantFrom(0, 0, 0.1, 1),
  seed: fc.integer(),
}).map(({ width, height, colors, block, noise, seed }) => {
  const rand = mulberry32(seed);
  const cells = new Map<string, number>();
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const cell = `${Math.floor(x / block)},${Math.floor(y / block)}`;
      if (!cells.has(cell)) cells.set(cell, Math.floor(rand() * colors.length));
      const c = rand() < noise ? colors[Math.floor(rand() * colors.length)]! : colors[cells.get(cell)!]!;
      data.set(c, (y * width + x) * 4);
    }
  }
  return { data, width, height };
});

describe('engine properties', () => {
  test(`any small RGBA image with any valid options traces to a well-formed SVG, never a throw (${RUNS} runs)`, () => {
    fc.assert(fc.property(imageArb, validOptionsArb, (image, options) => {
      const result = traceRgbaDetailed(image, options);
      assert.equal(result.width, image.width);
      assert.equal(result.height, image.height);
      assertTracedSvg(result.svg, image.width, image.height, (options.scale as number | undefined) ?? 1, result.pathCount);
    }), { numRuns: RUNS, seed: Number(process.env.VTRACER_FUZZ_SEED ?? 20_240_601) });
  });

  test(`any invalid option value is an OptionError naming the option (${RUNS} runs)`, () => {
    const image = { data: new Uint8Array(4 * 4 * 4).fill(200), width: 4, height: 4 };
    const arb = fc.constantFrom(...OPTION_SPECS).chain((spec) => invalidValue(spec).map((value) => ({ spec, value })));
    fc.assert(fc.property(arb, validOptionsArb, ({ spec, value }, others) => {
      const options = { ...others, [spec.name]: value };
      let thrown: unknown;
      try {
        traceRgbaDetailed(image, options);
      } catch (e) {
        thrown = e;
      }
      assert.ok(thrown instanceof OptionError, `${spec.name}=${String(value)}: expected an OptionError, got ${String(thrown)}`);
      assert.equal(thrown.option, spec.name);
      assert.equal(thrown.code, 'INVALID_OPTION');
      assert.ok(thrown.message.startsWith(spec.name), thrown.message);
      assert.match(thrown.message, /must be|unknown option/);
    }), { numRuns: RUNS, seed: 7 });
  });

  test('unknown options and bad presets are OptionErrors naming them', () => {
    const known = new Set<string>([...OPTION_SPECS.map((s) => s.name), 'preset', 'onProgress', 'signal']);
    const key = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('toString', 'constructor', 'hasOwnProperty', 'valueOf'))
      .filter((k) => !known.has(k) && k !== '__proto__');
    fc.assert(fc.property(key, fc.jsonValue(), (name, value) => {
      assert.throws(() => traceRgbaDetailed({ data: new Uint8Array(4), width: 1, height: 1 }, { [name]: value } as TraceOptions),
        (e: unknown) => e instanceof OptionError && e.option === name && e.message.includes(`unknown option "${name}"`));
    }), { numRuns: 100, seed: 3 });
    // Inherited member names ("toString", "__proto__"...) once passed the preset check and crashed the trace.
    const presetArb = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'));
    fc.assert(fc.property(presetArb.filter((p) => !PRESET_NAMES.includes(p as never)), (preset) => {
      assert.throws(() => traceRgbaDetailed({ data: new Uint8Array(4), width: 1, height: 1 }, { preset } as unknown as TraceOptions),
        (e: unknown) => e instanceof OptionError && e.option === 'preset' && /"poster"/.test(e.message));
    }), { numRuns: 50, seed: 4 });
  });

  test('any malformed image argument is an ImageDataError with the expectation in its message', () => {
    const dim = fc.oneof(fc.constantFrom(0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 40), fc.integer({ min: 1, max: 6 }));
    const data = fc.oneof(
      fc.integer({ min: 0, max: 200 }).map((n) => new Uint8Array(n)),
      fc.constantFrom<unknown>(null, undefined, 'pixels', [0, 0, 0, 255], new Float32Array(4), new Uint16Array(4), {}),
    );
    const bad = fc.oneof(
      fc.record({ data, width: dim, height: dim }).filter((img) =>
        !((img.data instanceof Uint8Array) && Number.isInteger(img.width) && Number.isInteger(img.height)
          && (img.width as number) >= 1 && (img.height as number) >= 1 && img.data.length === (img.width as number) * (img.height as number) * 4)),
      fc.constantFrom<unknown>(null, undefined, 42, 'image.png'),
    );
    fc.assert(fc.property(bad, (image) => {
      assert.throws(() => traceRgbaDetailed(image as never), (e: unknown) =>
        e instanceof ImageDataError && e.code === 'INVALID_IMAGE_DATA' && /image/.test(e.message) && /must|got/.test(e.message));
    }), { numRuns: RUNS, seed: 5 });
  });
});

describe('edge images', () => {
  const modes: TraceOptions[] = [
    {}, { preset: 'photo' }, { preset: 'bw' }, { hierarchical: 'cutout' }, { mode: 'polygon' }, { mode: 'pixel' },
    { colorMode: 'binary', adaptive: true }, { maxColors: 2, optimize: 2 }, { filterSpeckle: 0, layerDifference: 0 },
  ];
  const cases: Array<[string, { data: Uint8Array; width: number; height: number }]> = [];
  const fill = (w: number, h: number, px: (x: number, y: number) => [number, number, number, number]) => {
    const data = new Uint8Array(w * h * 4);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(px(x, y), (y * w + x) * 4);
    return { data, width: w, height: h };
  };
  cases.push(['1×1 opaque', fill(1, 1, () => [10, 200, 30, 255])]);
  cases.push(['1×1 transparent', fill(1, 1, () => [10, 200, 30, 0])]);
  cases.push(['1×300 line', fill(1, 300, (_x, y) => (y % 7 < 3 ? [0, 0, 0, 255] : [255, 255, 255, 255]))]);
  cases.push(['300×1 line', fill(300, 1, (x) => [x % 256, 0, 0, 255])]);
  cases.push(['fully transparent 64×64', fill(64, 64, (x, y) => [x * 4, y * 4, 9, 0])]);
  cases.push(['one colour 64×64', fill(64, 64, () => [18, 52, 86, 255])]);
  cases.push(['half-transparent everywhere 32×32', fill(32, 32, () => [200, 0, 0, 127])]);
  // 4096 pixels, every one a different colour: the largest palette a 64×64 image can have.
  cases.push(['every pixel a different colour 64×64', fill(64, 64, (x, y) => [x * 4, y * 4, (x ^ y) * 4, 255])]);
  cases.push(['checkerboard 1 px 48×48', fill(48, 48, (x, y) => ((x + y) % 2 ? [0, 0, 0, 255] : [255, 255, 255, 255]))]);

  for (const [name, image] of cases) {
    test(`${name}: a well-formed SVG in every mode`, () => {
      for (const options of modes) {
        const result = traceRgbaDetailed(image, options);
        assertTracedSvg(result.svg, image.width, image.height, 1, result.pathCount);
        if (/transparent 64|1×1 transparent/.test(name) && options.colorMode !== 'binary' && options.preset !== 'bw') {
          assert.equal(result.pathCount, 0, `${name} ${JSON.stringify(options)}: nothing to draw`);
        }
        if (name.startsWith('one colour') && !options.adaptive) assert.ok(result.pathCount >= 1, `${JSON.stringify(options)}: the colour is drawn`);
      }
    });
  }

  test('every error the engine throws for bad input is a VtracerError with a stable code', () => {
    const attempts: Array<() => unknown> = [
      () => traceRgbaDetailed({ data: new Uint8Array(3), width: 1, height: 1 }),
      () => traceRgbaDetailed({ data: new Uint8Array(4), width: 1, height: 1 }, { colorPrecision: 0 }),
      () => traceRgbaDetailed({ data: new Uint8Array(4), width: 1, height: 1 }, null as never),
      () => traceRgbaDetailed({ data: new Uint8Array(4), width: 1, height: 1 }, { onProgress: 5 } as never),
      () => traceRgbaDetailed({ data: new Uint8Array(4), width: 1, height: 1 }, { signal: { aborted: 'no' } } as never),
      () => traceRgbaDetailed({ data: new Uint8Array(4), width: 1, height: 1 }, { signal: { aborted: true } }),
    ];
    for (const attempt of attempts) {
      assert.throws(attempt, (e: unknown) => e instanceof VtracerError && typeof e.code === 'string' && e.message.length > 10);
    }
  });
});
