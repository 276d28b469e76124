/**
 * Builds one labelled control per entry of the engine's option table (OPTION_SPECS): a select for enums, a
 * slider with a number box for numbers, a checkbox for booleans, a text box of `#rrggbb` colours for palettes,
 * each with its range, default and one-line description. An option added to the table later shows up here
 * without touching the page.
 */
import type { OptionSpec, NumberSpec } from '../../src/engine/options.js';

export type OptionValue = string | number | boolean | string[];
export type OptionValues = Record<string, OptionValue>;

export interface ControlSet {
  values(): OptionValues;
  /** Sets controls from values (missing names keep their value); fires no change event. */
  set(values: Readonly<Record<string, unknown>>): void;
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

const HEX = /^#[0-9a-fA-F]{6}$/;

/** Parses a palette typed as colours separated by commas or spaces; undefined if any entry is not #rrggbb. */
export function parsePalette(text: string, maxLength: number): string[] | undefined {
  const items = text.split(/[\s,;]+/).map((t) => t.trim()).filter((t) => t.length > 0);
  if (items.length > maxLength || items.some((t) => !HEX.test(t))) return undefined;
  return items.map((t) => t.toLowerCase());
}

/**
 * @param onChange called after the user changed a control (value already normalised). `final` is false while
 * a slider is being dragged or a number is being typed, true when the change is committed.
 */
export function buildControls(
  container: HTMLElement,
  specs: readonly OptionSpec[],
  onChange: (name: string, value: OptionValue, final: boolean) => void,
): ControlSet {
  const setters = new Map<string, (value: unknown) => void>();
  const getters = new Map<string, () => OptionValue>();

  for (const spec of specs) {
    const id = `opt-${spec.name}`;
    const helpId = `${id}-help`;
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
    const help = el('p', { id: helpId, className: 'control-help' }, spec.description + '. ', el('span', { className: 'control-range' }, range));

    if (spec.kind === 'enum') {
      const select = el('select', { id, name: spec.name });
      select.setAttribute('aria-describedby', helpId);
      for (const value of spec.values) select.append(el('option', { value, textContent: value }));
      select.value = spec.default;
      select.addEventListener('change', () => onChange(spec.name, select.value, true));
      setters.set(spec.name, (v) => { if (typeof v === 'string' && spec.values.includes(v)) select.value = v; });
      getters.set(spec.name, () => select.value);
      wrap.append(label, el('div', { className: 'control-input' }, select), help);
    } else if (spec.kind === 'boolean') {
      const box = el('input', { type: 'checkbox', id, name: spec.name, checked: spec.default });
      box.setAttribute('aria-describedby', helpId);
      box.addEventListener('change', () => {
        wrap.classList.toggle('is-default', box.checked === spec.default);
        onChange(spec.name, box.checked, true);
      });
      setters.set(spec.name, (v) => { if (typeof v === 'boolean') box.checked = v; });
      getters.set(spec.name, () => box.checked);
      wrap.append(label, el('div', { className: 'control-input' }, box), help);
    } else if (spec.kind === 'palette') {
      const text = el('input', { type: 'text', id, name: spec.name, placeholder: '#000000, #ffffff', spellcheck: false });
      text.setAttribute('aria-describedby', helpId);
      let current: string[] = [...spec.default];
      text.addEventListener('change', () => {
        const parsed = parsePalette(text.value, spec.maxLength);
        text.setAttribute('aria-invalid', parsed ? 'false' : 'true');
        if (!parsed) return;
        current = parsed;
        onChange(spec.name, current, true);
      });
      setters.set(spec.name, (v) => {
        if (Array.isArray(v) && v.every((c) => typeof c === 'string' && HEX.test(c))) {
          current = v.map((c: string) => c.toLowerCase());
          text.value = current.join(', ');
          text.setAttribute('aria-invalid', 'false');
        }
      });
      getters.set(spec.name, () => current);
      wrap.append(label, el('div', { className: 'control-input' }, text), help);
    } else {
      const attrs = { min: String(spec.min), max: String(spec.max), step: String(spec.step) };
      const slider = el('input', { type: 'range', ...attrs });
      slider.id = `${id}-range`;
      slider.setAttribute('aria-label', `${spec.label} slider`);
      slider.setAttribute('aria-describedby', helpId);
      const box = el('input', { type: 'number', id, name: spec.name, ...attrs, inputMode: spec.kind === 'integer' ? 'numeric' : 'decimal' });
      box.setAttribute('aria-describedby', helpId);
      let current = spec.default;
      const show = (value: number, except?: HTMLInputElement) => {
        current = value;
        if (except !== slider) slider.value = String(value);
        if (except !== box) box.value = formatValue(spec, value);
        wrap.classList.toggle('is-default', value === spec.default);
      };
      show(spec.default);
      slider.addEventListener('input', () => {
        const v = normalise(spec, Number(slider.value));
        if (v !== undefined) { show(v, slider); onChange(spec.name, v, false); }
      });
      slider.addEventListener('change', () => onChange(spec.name, current, true));
      box.addEventListener('input', () => {
        // While typing, only act on values that are already complete and in range.
        const raw = box.value.trim() === '' ? NaN : Number(box.value);
        if (Number.isFinite(raw) && raw >= spec.min && raw <= spec.max) {
          const v = normalise(spec, raw);
          if (v !== undefined && v !== current) { show(v, box); onChange(spec.name, v, false); }
        }
      });
      box.addEventListener('change', () => {
        const v = normalise(spec, box.value.trim() === '' ? NaN : Number(box.value));
        show(v ?? current);
        onChange(spec.name, current, true);
      });
      setters.set(spec.name, (v) => {
        const n = typeof v === 'number' ? normalise(spec, v) : undefined;
        if (n !== undefined) show(n);
      });
      getters.set(spec.name, () => current);
      wrap.append(label, el('div', { className: 'control-input' }, slider, box), help);
    }
    container.append(wrap);
  }

  return {
    values: () => Object.fromEntries([...getters].map(([name, get]) => [name, get()])),
    set: (values) => {
      for (const [name, value] of Object.entries(values)) setters.get(name)?.(value);
    },
  };
}
