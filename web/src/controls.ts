/**
 * Builds one labelled control per entry of the engine's option table (OPTION_SPECS): a select for enums, a
 * slider with a number box for numbers, each with its range, default and one-line description. An option
 * added to the table later shows up here without touching the page.
 */
import type { OptionSpec, NumberSpec } from '../../src/engine/options.js';

export type OptionValues = Record<string, string | number>;

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

function formatValue(spec: OptionSpec, value: string | number): string {
  return typeof value === 'number' ? value.toFixed(spec.kind === 'number' ? decimals(spec.step) : 0) : value;
}

/**
 * @param onChange called after the user changed a control (value already normalised). `final` is false while
 * a slider is being dragged or a number is being typed, true when the change is committed.
 */
export function buildControls(
  container: HTMLElement,
  specs: readonly OptionSpec[],
  onChange: (name: string, value: string | number, final: boolean) => void,
): ControlSet {
  const setters = new Map<string, (value: unknown) => void>();
  const getters = new Map<string, () => string | number>();

  for (const spec of specs) {
    const id = `opt-${spec.name}`;
    const helpId = `${id}-help`;
    const wrap = el('div', { className: `control control-${spec.kind}` });
    wrap.dataset.option = spec.name;
    const label = el('label', { htmlFor: id, className: 'control-label' }, spec.label);
    const range = spec.kind === 'enum'
      ? `One of ${spec.values.join(', ')}; default ${spec.default}.`
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
