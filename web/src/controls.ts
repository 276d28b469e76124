/**
 * Builds one labelled control per entry of the engine's option table (OPTION_SPECS): a select for enums, a
 * slider with a number box for numbers, a checkbox for booleans, a text box of `#rrggbb` colours for palettes,
 * each with its range, default and one-line description. An option added to the table later shows up here
 * without touching the page. A value that had to be corrected (out of range, not a number, a bad colour) is
 * explained under its control; a control that has no effect with the other values is disabled with the
 * reason; a dot marks values that differ from the selected preset's.
 */
import type { OptionSpec, NumberSpec } from '../../src/engine/options.js';
import { irrelevantBecause } from './relevance.js';

export type OptionValue = string | number | boolean | string[];
export type OptionValues = Record<string, OptionValue>;

export interface ControlSet {
  values(): OptionValues;
  /** Sets controls from values (missing names keep their value); fires no change event. */
  set(values: Readonly<Record<string, unknown>>): void;
  /** The values a dot after a label compares with (the selected preset's). */
  setBaseline(values: Readonly<Record<string, unknown>>): void;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function decimals(step: number): number {
  const text = String(step);
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** Clamps to the range and snaps to the step grid (from min); NaN gives undefined. */
export function normalise(spec: NumberSpec, raw: number): number | undefined {
  if (!Number.isFinite(raw)) return undefined;
  const clamped = Math.min(spec.max, Math.max(spec.min, raw));
  const snapped = spec.min + Math.round((clamped - spec.min) / spec.step) * spec.step;
  const value = Number(Math.min(spec.max, snapped).toFixed(decimals(spec.step)));
  return spec.kind === 'integer' ? Math.round(value) : value;
}

function formatValue(spec: NumberSpec, value: number): string {
  return value.toFixed(spec.kind === 'number' ? decimals(spec.step) : 0);
}

/** Reads a typed number ("2,5" as 2.5); NaN when it is not one. */
function parseNumber(text: string): number {
  const t = text.trim().replace(',', '.');
  return t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? NaN : Number(t);
}

/** Why a typed number was changed, or undefined when it was taken as typed. */
export function correction(spec: NumberSpec, typed: string, kept: number): string | undefined {
  const raw = parseNumber(typed);
  const shown = formatValue(spec, kept);
  if (!Number.isFinite(raw)) return `“${typed.trim()}” is not a number: kept ${shown}.`;
  if (raw > spec.max) return `${typed.trim()} is above the maximum ${formatValue(spec, spec.max)}: set to ${shown}.`;
  if (raw < spec.min) return `${typed.trim()} is below the minimum ${formatValue(spec, spec.min)}: set to ${shown}.`;
  if (Math.abs(raw - kept) > 1e-9) {
    return spec.kind === 'integer'
      ? `${typed.trim()} is not a whole number: rounded to ${shown}.`
      : `${typed.trim()} is not a multiple of ${spec.step}: rounded to ${shown}.`;
  }
  return undefined;
}

const HEX = /^#[0-9a-fA-F]{6}$/;

export type PaletteParse = { colours: string[] } | { error: string };

/** Parses a palette typed as colours separated by commas or spaces, explaining the first problem. */
export function parsePalette(text: string, maxLength: number): PaletteParse {
  const items = text.split(/[\s,;]+/).map((t) => t.trim()).filter((t) => t.length > 0);
  const bad = items.find((t) => !HEX.test(t));
  if (bad !== undefined) return { error: `“${bad}” is not a colour written #rrggbb (six hexadecimal digits, e.g. #ff8800).` };
  if (items.length > maxLength) return { error: `${items.length} colours: at most ${maxLength} are allowed.` };
  return { colours: items.map((t) => t.toLowerCase()) };
}

function sameValue(a: unknown, b: unknown): boolean {
  return Array.isArray(a) && Array.isArray(b) ? a.join(',') === b.join(',') : a === b;
}

/**
 * @param containers `main` for the main parameters, `more` for the rest ("More"); `isMain` picks.
 * @param onChange called after the user changed a control (value already normalised). `final` is false while
 * a slider is being dragged or a number is being typed, true when the change is committed.
 */
export function buildControls(
  containers: { main: HTMLElement; more: HTMLElement; isMain: (name: string) => boolean },
  specs: readonly OptionSpec[],
  onChange: (name: string, value: OptionValue, final: boolean) => void,
): ControlSet {
  const setters = new Map<string, (value: unknown) => void>();
  const getters = new Map<string, () => OptionValue>();
  const wraps = new Map<string, HTMLElement>();
  const inputs = new Map<string, HTMLInputElement[] | HTMLSelectElement[]>();
  const reasons = new Map<string, HTMLElement>();
  let baseline: Readonly<Record<string, unknown>> = Object.fromEntries(specs.map((s) => [s.name, s.default]));

  /** Marks changed values and disables the controls that have no effect. */
  function refresh(): void {
    const values = Object.fromEntries([...getters].map(([name, get]) => [name, get()]));
    for (const [name, wrap] of wraps) {
      wrap.classList.toggle('is-changed', !sameValue(values[name], baseline[name]));
      const reason = irrelevantBecause(name, values);
      wrap.classList.toggle('is-irrelevant', reason !== undefined);
      for (const input of inputs.get(name) ?? []) input.disabled = reason !== undefined;
      reasons.get(name)!.textContent = reason ?? '';
    }
  }
  const changed = (name: string, value: OptionValue, final: boolean) => {
    refresh();
    onChange(name, value, final);
  };

  for (const spec of specs) {
    const id = `opt-${spec.name}`;
    const helpId = `${id}-help`;
    const noteId = `${id}-note`;
    const wrap = el('div', { className: `control control-${spec.kind}` });
    wrap.dataset.option = spec.name;
    const label = el('label', { htmlFor: id, className: 'control-label' }, spec.label);
    const range = spec.kind === 'enum'
      ? `One of ${spec.values.join(', ')}; default ${spec.default}.`
      : spec.kind === 'boolean'
        ? `On or off; default ${spec.default ? 'on' : 'off'}.`
        : spec.kind === 'palette'
          ? `Up to ${spec.maxLength} colours (#ff0000, …); default none.`
          : `${formatValue(spec, spec.min)} to ${formatValue(spec, spec.max)}; default ${formatValue(spec, spec.default)}.`;
    const reason = el('span', { className: 'control-reason' });
    const help = el('p', { id: helpId, className: 'control-help' }, reason, spec.description + '. ', el('span', { className: 'control-range' }, range));
    // Corrections of what was typed, announced politely.
    const note = el('p', { id: noteId, className: 'control-note' });
    note.setAttribute('aria-live', 'polite');
    const describe = (node: HTMLElement) => node.setAttribute('aria-describedby', `${helpId} ${noteId}`);
    const say = (text: string | undefined) => { note.textContent = text ?? ''; };

    if (spec.kind === 'enum') {
      const select = el('select', { id, name: spec.name });
      describe(select);
      for (const value of spec.values) select.append(el('option', { value, textContent: value }));
      select.value = spec.default;
      select.addEventListener('change', () => changed(spec.name, select.value, true));
      setters.set(spec.name, (v) => { if (typeof v === 'string' && spec.values.includes(v)) select.value = v; });
      getters.set(spec.name, () => select.value);
      inputs.set(spec.name, [select]);
      wrap.append(label, el('div', { className: 'control-input' }, select), help, note);
    } else if (spec.kind === 'boolean') {
      const box = el('input', { type: 'checkbox', id, name: spec.name, checked: spec.default });
      describe(box);
      box.addEventListener('change', () => changed(spec.name, box.checked, true));
      setters.set(spec.name, (v) => { if (typeof v === 'boolean') box.checked = v; });
      getters.set(spec.name, () => box.checked);
      inputs.set(spec.name, [box]);
      wrap.append(label, el('div', { className: 'control-input' }, box), help, note);
    } else if (spec.kind === 'palette') {
      const text = el('input', { type: 'text', id, name: spec.name, placeholder: '#000000, #ffffff', spellcheck: false });
      describe(text);
      let current: string[] = [...spec.default];
      text.addEventListener('change', () => {
        const parsed = parsePalette(text.value, spec.maxLength);
        text.setAttribute('aria-invalid', 'colours' in parsed ? 'false' : 'true');
        if (!('colours' in parsed)) {
          say(`${parsed.error} The palette in use stays ${current.length ? current.join(', ') : 'empty'}.`);
          return;
        }
        say(undefined);
        current = parsed.colours;
        changed(spec.name, current, true);
      });
      setters.set(spec.name, (v) => {
        if (Array.isArray(v) && v.every((c) => typeof c === 'string' && HEX.test(c))) {
          current = v.map((c: string) => c.toLowerCase());
          text.value = current.join(', ');
          text.setAttribute('aria-invalid', 'false');
          say(undefined);
        }
      });
      getters.set(spec.name, () => current);
      inputs.set(spec.name, [text]);
      wrap.append(label, el('div', { className: 'control-input' }, text), help, note);
    } else {
      const attrs = { min: String(spec.min), max: String(spec.max), step: String(spec.step) };
      const slider = el('input', { type: 'range', ...attrs });
      slider.id = `${id}-range`;
      slider.setAttribute('aria-label', `${spec.label} slider`);
      describe(slider);
      // A text box rather than type=number: the page sees exactly what was typed and can say what it did with it.
      const box = el('input', { type: 'text', className: 'number-box', id, name: spec.name, inputMode: spec.kind === 'integer' ? 'numeric' : 'decimal', spellcheck: false });
      box.setAttribute('autocomplete', 'off');
      describe(box);
      let current = spec.default;
      const show = (value: number, except?: HTMLInputElement) => {
        current = value;
        if (except !== slider) slider.value = String(value);
        if (except !== box) box.value = formatValue(spec, value);
      };
      show(spec.default);
      slider.addEventListener('input', () => {
        const v = normalise(spec, Number(slider.value));
        if (v !== undefined) { say(undefined); show(v, slider); changed(spec.name, v, false); }
      });
      slider.addEventListener('change', () => changed(spec.name, current, true));
      box.addEventListener('input', () => {
        // While typing, only act on values that are already complete and in range.
        const raw = parseNumber(box.value);
        if (Number.isFinite(raw) && raw >= spec.min && raw <= spec.max) {
          const v = normalise(spec, raw);
          if (v !== undefined && v !== current) { show(v, box); changed(spec.name, v, false); }
        }
      });
      box.addEventListener('change', () => {
        const typed = box.value;
        const v = normalise(spec, parseNumber(typed));
        show(v ?? current);
        say(correction(spec, typed, current));
        changed(spec.name, current, true);
      });
      box.addEventListener('keydown', (event) => {
        if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
        event.preventDefault();
        const step = spec.step * (event.shiftKey ? 10 : 1) * (event.key === 'ArrowUp' ? 1 : -1);
        const v = normalise(spec, current + step);
        if (v !== undefined && v !== current) { say(undefined); show(v); changed(spec.name, v, true); }
      });
      setters.set(spec.name, (v) => {
        const n = typeof v === 'number' ? normalise(spec, v) : undefined;
        if (n !== undefined) { show(n); say(undefined); }
      });
      getters.set(spec.name, () => current);
      inputs.set(spec.name, [slider, box]);
      wrap.append(label, el('div', { className: 'control-input' }, slider, box), help, note);
    }
    wraps.set(spec.name, wrap);
    reasons.set(spec.name, reason);
    (containers.isMain(spec.name) ? containers.main : containers.more).append(wrap);
  }
  refresh();

  return {
    values: () => Object.fromEntries([...getters].map(([name, get]) => [name, get()])),
    set: (values) => {
      for (const [name, value] of Object.entries(values)) setters.get(name)?.(value);
      refresh();
    },
    setBaseline: (values) => {
      baseline = { ...baseline, ...values };
      refresh();
    },
  };
}
