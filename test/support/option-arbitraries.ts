/**
 * fast-check arbitraries of trace options drawn from OPTION_SPECS: valid values (bounds, defaults, anything
 * in range), and values each spec must refuse (out of range, wrong type, "4" for 4, bad colours...). Shared by
 * the engine and API property tests.
 */
import fc from 'fast-check';
import { OPTION_SPECS, PRESET_NAMES, type OptionSpec, type TraceOptions } from '../../src/engine/index.js';

export const byte = fc.integer({ min: 0, max: 255 });
export const alpha = fc.oneof(fc.constantFrom(0, 1, 127, 128, 254, 255), byte);
export const hexColor = fc.tuple(byte, byte, byte).map(([r, g, b]) => `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`);

export function validValue(spec: OptionSpec): fc.Arbitrary<unknown> {
  switch (spec.kind) {
    case 'enum': return fc.constantFrom(...spec.values);
    case 'boolean': return fc.boolean();
    case 'palette': return fc.array(fc.tuple(hexColor, fc.boolean()).map(([c, upper]) => (upper ? c.toUpperCase() : c)), { maxLength: 6 });
    case 'integer': return fc.oneof(fc.constantFrom(spec.min, spec.max, spec.default), fc.integer({ min: spec.min, max: spec.max }));
    default: return fc.oneof(fc.constantFrom(spec.min, spec.max, spec.default), fc.double({ min: spec.min, max: spec.max, noNaN: true }));
  }
}

export const validOptionsArb: fc.Arbitrary<TraceOptions> = fc.record({
  preset: fc.option(fc.constantFrom(...PRESET_NAMES), { nil: undefined }),
  values: fc.record(Object.fromEntries(OPTION_SPECS.map((s) => [s.name, fc.option(validValue(s), { nil: undefined, freq: 2 })]))),
}).map(({ preset, values }) => {
  const options: Record<string, unknown> = {};
  if (preset !== undefined) options.preset = preset;
  for (const [k, v] of Object.entries(values)) if (v !== undefined) options[k] = v;
  return options as TraceOptions;
});

/** Values that every spec of this kind must refuse. */
export function invalidValue(spec: OptionSpec): fc.Arbitrary<unknown> {
  const foreign = fc.oneof(fc.constant(null), fc.constant({}), fc.constant([]), fc.constant(Number.NaN), fc.string({ maxLength: 8 }));
  switch (spec.kind) {
    case 'enum':
      return fc.oneof(fc.string({ maxLength: 10 }).filter((s) => !spec.values.includes(s)), fc.integer(), fc.boolean(), fc.constant(null),
        fc.constantFrom(...spec.values).map((v) => v.toUpperCase()).filter((v) => !spec.values.includes(v)));
    case 'boolean':
      return fc.oneof(fc.constantFrom('true', 'false', 0, 1, null, [], {}), fc.string({ maxLength: 5 }));
    case 'palette':
      return fc.oneof(
        hexColor, // a string, not a list
        fc.array(hexColor, { minLength: 1, maxLength: 3 }).chain((list) =>
          fc.tuple(fc.integer({ min: 0, max: list.length }), fc.constantFrom('red', '#fff', '#12345g', '', 7, null, '#1234567'))
            .map(([at, bad]) => [...list.slice(0, at), bad, ...list.slice(at)])),
        fc.constant(Array.from({ length: spec.maxLength + 1 }, () => '#000000')),
        fc.constant(42),
      );
    default: {
      const outside = fc.oneof(
        // (-0 is below an excluded 0 for fast-check, but equal to it: a valid value.)
        fc.double({ min: -1e9, max: spec.min, noNaN: true, maxExcluded: true }).filter((v) => v < spec.min),
        fc.double({ min: spec.max, max: 1e9, noNaN: true, minExcluded: true }),
        fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN),
        fc.integer({ min: Math.ceil(spec.min), max: Math.floor(spec.max) }).map(String), // "4" is not 4
        foreign,
      );
      return spec.kind === 'integer'
        ? fc.oneof(outside, fc.integer({ min: spec.min, max: Math.max(spec.min, spec.max - 1) }).map((n) => n + 0.5))
        : outside;
    }
  }
}
