/**
 * Options: presets as documented (../shared/docs/algorithm.md), explicit options override a preset,
 * validation errors name the option, the accepted range and the value, unknown options are rejected,
 * and bad image buffers throw ImageDataError.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULTS, ImageDataError, OPTION_SPECS, OptionError, PRESETS, PRESET_NAMES, traceRgba, traceRgbaDetailed,
  validateOptions,
} from '../../src/engine/index.js';
import type { EnumSpec, RgbaImage, TraceParameters } from '../../src/engine/index.js';
import { scene } from '../support/images.js';

/** The presets table of algorithm.md (and §1.3 of vtracer-reference.md, pathPrecision 2). */
const DOC_DEFAULTS = {
  colorMode: 'color', hierarchical: 'stacked', mode: 'spline', filterSpeckle: 4, colorPrecision: 6, layerDifference: 16,
  cornerThreshold: 60, lengthThreshold: 4, maxIterations: 10, spliceThreshold: 45, pathPrecision: 2,
} as const;
type DocParams = { -readonly [K in keyof typeof DOC_DEFAULTS]: TraceParameters[K] };
const DOC_PRESETS: Record<string, DocParams> = {
  bw: { ...DOC_DEFAULTS, colorMode: 'binary' },
  poster: { ...DOC_DEFAULTS, colorPrecision: 8 },
  photo: { ...DOC_DEFAULTS, filterSpeckle: 10, colorPrecision: 8, layerDifference: 48, cornerThreshold: 180 },
};
const DOC_KEYS = Object.keys(DOC_DEFAULTS) as Array<keyof DocParams>;

/** The documented parameters of a resolved set. */
function documented(p: TraceParameters): DocParams {
  return Object.fromEntries(DOC_KEYS.map((k) => [k, p[k]])) as DocParams;
}
/** The parameters beyond the upstream table (our additions), which presets must leave at their defaults. */
function extras(p: TraceParameters): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p).filter(([k]) => !(DOC_KEYS as string[]).includes(k)));
}
const SPEC_DEFAULTS = Object.fromEntries(OPTION_SPECS.map((s) => [s.name, s.default]));

const sc = scene(48, 32);

describe('presets', () => {
  test('defaults match the table; every option of the spec table has its default', () => {
    assert.deepEqual(documented(DEFAULTS), DOC_DEFAULTS);
    assert.deepEqual(documented(validateOptions({})), DOC_DEFAULTS);
    assert.deepEqual({ ...DEFAULTS }, SPEC_DEFAULTS);
    assert.deepEqual(validateOptions({}), SPEC_DEFAULTS);
  });

  test('presets match the table', () => {
    assert.deepEqual([...PRESET_NAMES].sort(), ['bw', 'photo', 'poster']);
    for (const name of PRESET_NAMES) {
      assert.deepEqual(documented(PRESETS[name]), DOC_PRESETS[name], `preset ${name}`);
      assert.deepEqual(documented(validateOptions({ preset: name })), DOC_PRESETS[name], `validateOptions preset ${name}`);
      assert.deepEqual(extras(validateOptions({ preset: name })), extras(DEFAULTS), `preset ${name} changes an option beyond the table`);
    }
  });

  test('explicit options override the preset, the rest comes from it', () => {
    assert.deepEqual(validateOptions({ preset: 'photo', filterSpeckle: 2, mode: 'polygon' }),
      { ...DEFAULTS, ...DOC_PRESETS.photo!, filterSpeckle: 2, mode: 'polygon' });
    assert.deepEqual(validateOptions({ preset: 'bw', colorMode: 'color' }), { ...DEFAULTS, ...DOC_PRESETS.bw!, colorMode: 'color' });
  });

  test('the trace honours overrides: preset + override equals the same values given explicitly', () => {
    const viaPreset = traceRgba(sc, { preset: 'photo', cornerThreshold: 60, filterSpeckle: 2 });
    const explicit = traceRgba(sc, { ...DOC_PRESETS.photo!, cornerThreshold: 60, filterSpeckle: 2 });
    assert.equal(viaPreset, explicit);
    assert.notEqual(viaPreset, traceRgba(sc, { preset: 'photo' }), 'the override had no effect');
    assert.equal(traceRgba(sc, { preset: 'poster' }), traceRgba(sc, { ...DOC_PRESETS.poster! }));
    assert.equal(traceRgba(sc), traceRgba(sc, { ...DOC_DEFAULTS }));
  });
});

describe('shared defaults cannot be changed through a result', () => {
  // The defect this guards against: DEFAULTS, PRESETS and every validateOptions result shared one palette
  // array, so one caller's push snapped every later default trace to that colour.
  test('pushing onto a resolved palette changes neither later results, the defaults, the presets nor the spec', () => {
    const before = traceRgba(sc);
    validateOptions({}).palette.push('#00ff00');
    validateOptions({ preset: 'poster' }).palette.push('#00ff00');
    assert.deepEqual(validateOptions({}).palette, []);
    assert.deepEqual(validateOptions({ preset: 'poster' }).palette, []);
    assert.deepEqual(DEFAULTS.palette, []);
    for (const name of PRESET_NAMES) assert.deepEqual(PRESETS[name].palette, [], `preset ${name}`);
    assert.deepEqual(OPTION_SPECS.find((s) => s.name === 'palette')!.default, []);
    const after = traceRgba(sc);
    assert.equal(after, before);
    assert.ok(!after.includes('#00ff00'), 'a default trace snapped to the pushed colour');
  });

  test('the defaults, the presets and the spec table are frozen all the way down', () => {
    assert.throws(() => (DEFAULTS.palette as string[]).push('#00ff00'), TypeError);
    assert.throws(() => (PRESETS.photo.palette as string[]).push('#00ff00'), TypeError);
    assert.throws(() => { (DEFAULTS as TraceParameters).filterSpeckle = 1; }, TypeError);
    const mode = OPTION_SPECS.find((s) => s.name === 'mode')!;
    assert.throws(() => { (mode as { default: unknown }).default = 'pixel'; }, TypeError);
    assert.throws(() => ((mode as EnumSpec).values as unknown as string[]).push('curvy'), TypeError);
    assert.equal(validateOptions({}).mode, 'spline');
  });

  test('a palette given by the caller is copied: changing it afterwards does not change the result', () => {
    const mine = ['#112233'];
    const params = validateOptions({ palette: mine });
    mine.push('#445566');
    assert.deepEqual(params.palette, ['#112233']);
  });
});

describe('validation errors', () => {
  test('the documented example message', () => {
    assert.throws(() => validateOptions({ colorPrecision: 9 }), (e: unknown) => {
      assert.ok(e instanceof OptionError, 'not an OptionError');
      assert.equal(e.message, 'colorPrecision must be an integer from 1 to 8, got 9');
      assert.equal(e.option, 'colorPrecision');
      assert.equal(e.code, 'INVALID_OPTION');
      return true;
    });
  });

  const shown = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : String(value));

  for (const spec of OPTION_SPECS) {
    let bad: unknown[];
    let good: unknown[];
    let range: string[];
    switch (spec.kind) {
      case 'enum':
        bad = ['nope', 1, null, spec.values[0]!.toUpperCase()];
        good = [...spec.values];
        range = spec.values.map((v) => `"${v}"`);
        break;
      case 'boolean':
        bad = ['true', 1, 0, null];
        good = [true, false];
        range = ['true or false'];
        break;
      case 'palette':
        bad = ['#ff0000', 5, null];
        good = [[], ['#ff0000', '#00FF00']];
        range = ['#rrggbb'];
        break;
      default:
        bad = [spec.min - 1, spec.max + 1, Number.NaN, Infinity, String(spec.default), null,
          ...(spec.kind === 'integer' ? [spec.min + 0.5] : [])];
        good = [spec.min, spec.max];
        range = [`from ${spec.min} to ${spec.max}`];
    }
    test(`${spec.name}: out-of-range and wrong-type values are rejected with the option, range and value`, () => {
      for (const value of bad) {
        for (const call of [() => validateOptions({ [spec.name]: value }), () => traceRgba(sc, { [spec.name]: value } as never)]) {
          assert.throws(call, (e: unknown) => {
            assert.ok(e instanceof OptionError, `${spec.name}=${String(value)}: not an OptionError: ${String(e)}`);
            assert.equal(e.option, spec.name);
            assert.ok(e.message.startsWith(`${spec.name} must be `), e.message);
            for (const r of range) assert.ok(e.message.includes(r), `message lacks ${r}: ${e.message}`);
            if (value === null || typeof value !== 'object') {
              assert.ok(e.message.endsWith(`got ${shown(value)}`), `message lacks the value ${shown(value)}: ${e.message}`);
            }
            return true;
          });
        }
      }
    });

    test(`${spec.name}: the limits of the range are accepted`, () => {
      for (const value of good) {
        const expected = Array.isArray(value) ? value.map((c: string) => c.toLowerCase()) : value;
        assert.deepEqual(validateOptions({ [spec.name]: value })[spec.name], expected);
      }
    });
  }

  test('palette: a bad colour in the list is named with its index and value', () => {
    assert.throws(() => validateOptions({ palette: ['#000000', 'red'] }), (e: unknown) =>
      e instanceof OptionError && e.option === 'palette' && /palette\[1\]/.test(e.message) && e.message.includes('#rrggbb')
      && e.message.endsWith('got "red"'));
  });

  test('unknown options are rejected, naming the option', () => {
    for (const key of ['colour_mode', 'color_precision', 'speckle', 'pathprecision']) {
      for (const call of [() => validateOptions({ [key]: 1 }), () => traceRgba(sc, { [key]: 1 } as never)]) {
        assert.throws(call, (e: unknown) => e instanceof OptionError && e.option === key && e.message.includes(key));
      }
    }
  });

  test('a bad preset is rejected, naming the presets', () => {
    assert.throws(() => traceRgba(sc, { preset: 'poser' as never }), (e: unknown) =>
      e instanceof OptionError && e.option === 'preset' && /"bw"/.test(e.message) && /"poster"/.test(e.message) && /got "poser"/.test(e.message));
  });

  test('onProgress and signal of the wrong type are rejected', () => {
    assert.throws(() => traceRgba(sc, { onProgress: 5 as never }), (e: unknown) => e instanceof OptionError && e.option === 'onProgress');
    assert.throws(() => traceRgba(sc, { signal: {} as never }), (e: unknown) => e instanceof OptionError && e.option === 'signal');
  });
});

describe('image buffers', () => {
  const cases: Array<[string, unknown]> = [
    ['data one byte short', { data: new Uint8Array(4 * 4 * 4 - 1), width: 4, height: 4 }],
    ['data one pixel too long', { data: new Uint8Array(4 * 4 * 4 + 4), width: 4, height: 4 }],
    ['RGB data (3 bytes per pixel)', { data: new Uint8Array(4 * 4 * 3), width: 4, height: 4 }],
    ['zero width', { data: new Uint8Array(0), width: 0, height: 4 }],
    ['zero height', { data: new Uint8Array(0), width: 4, height: 0 }],
    ['zero size', { data: new Uint8Array(0), width: 0, height: 0 }],
    ['negative width', { data: new Uint8Array(16), width: -2, height: -2 }],
    ['fractional width', { data: new Uint8Array(4 * 4 * 4), width: 2.5, height: 6.4 }],
    ['NaN height', { data: new Uint8Array(16), width: 1, height: Number.NaN }],
    ['a plain array', { data: new Array(16).fill(0), width: 2, height: 2 }],
    ['no data', { width: 2, height: 2 }],
    ['null image', null],
  ];
  for (const [name, image] of cases) {
    test(`${name} throws ImageDataError`, () => {
      for (const fn of [traceRgba, traceRgbaDetailed]) {
        assert.throws(() => fn(image as RgbaImage), (e: unknown) => {
          assert.ok(e instanceof ImageDataError, `${name}: got ${String(e)}`);
          assert.equal(e.code, 'INVALID_IMAGE_DATA');
          assert.ok(e.message.length > 10, 'empty message');
          return true;
        });
      }
    });
  }

  test('Uint8ClampedArray and a Uint8Array view at an offset are accepted and give the same SVG', () => {
    const base = traceRgba(sc);
    assert.equal(traceRgba({ data: new Uint8ClampedArray(sc.data), width: sc.width, height: sc.height }), base);
    const padded = new Uint8Array(sc.data.length + 12);
    padded.set(sc.data, 12);
    assert.equal(traceRgba({ data: padded.subarray(12), width: sc.width, height: sc.height }), base);
  });

  test('the input buffer is not modified', () => {
    const copy = new Uint8Array(sc.data);
    traceRgba(sc, { preset: 'photo' });
    traceRgba(sc, { preset: 'bw' });
    assert.deepEqual(sc.data, copy);
  });
});
