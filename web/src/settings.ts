/**
 * The preset radio group and the parameter controls generated from the engine's option table: the main ones
 * first, the rest under "More parameters". A dot marks values that differ from the selected preset's (or, in
 * custom, from the preset the values came from).
 */
import { OPTION_SPECS, PRESETS, PRESET_NAMES } from '../../src/engine/options.js';
import { buildControls } from './controls.js';
import type { ControlSet, OptionValues } from './controls.js';
import { byId } from './dom.js';
import { MAIN_OPTIONS } from './relevance.js';
import { CUSTOM, DEFAULT_PRESET } from './state.js';
import type { PageState } from './state.js';

const PRESET_HELP: Record<string, string> = {
  bw: 'black and white',
  poster: 'flat colours, logos, art',
  photo: 'photographs',
  custom: 'your own values',
};

export interface Settings {
  controls: ControlSet;
  /** Selects a preset and sets the controls to its values, then `extra` on top (custom when given). */
  choosePreset(name: string, extra?: OptionValues): void;
  /** Sets values as the user would (switching to custom when they differ from the preset's). */
  apply(values: OptionValues): void;
  /** The named preset the values were taken from (the selected one, or the one before custom). */
  basePreset(): string;
  /** The values of a named preset (undefined for custom). */
  presetValues(name: string): OptionValues | undefined;
  /** Puts back a state recorded earlier (undo, redo, a recent result): preset, its base, every value. */
  restore(preset: string, basePreset: string, values: OptionValues): void;
}

/** @param onChange called after any change of the preset or of a parameter. */
export function setupSettings(state: PageState, onChange: () => void): Settings {
  const presetList = byId('preset-list');
  presetList.setAttribute('role', 'radiogroup');
  presetList.setAttribute('aria-describedby', 'preset-help');
  const presetInputs = new Map<string, HTMLInputElement>();
  let base = state.preset;
  for (const name of [...PRESET_NAMES, CUSTOM]) {
    const input = Object.assign(document.createElement('input'), { type: 'radio', name: 'preset', value: name, checked: name === state.preset });
    const label = document.createElement('label');
    label.title = PRESET_HELP[name] ?? name;
    label.append(input, ` ${name}`);
    presetList.append(label);
    presetInputs.set(name, input);
    input.addEventListener('change', () => {
      if (!input.checked) return;
      if (name !== CUSTOM) choosePreset(name);
      else selectPreset(CUSTOM);
      onChange();
    });
  }

  const controls = buildControls(
    { main: byId('controls'), more: byId('controls-more'), isMain: (name) => MAIN_OPTIONS.has(name) },
    OPTION_SPECS,
    () => {
      if (state.preset !== CUSTOM) selectPreset(CUSTOM);
      onChange();
    },
  );
  const presetValues = (name: string) => (PRESETS as Record<string, OptionValues>)[name];
  controls.set(presetValues(state.preset)!);
  controls.setBaseline(presetValues(state.preset)!);

  function selectPreset(name: string): void {
    state.preset = name;
    const input = presetInputs.get(name);
    if (input) input.checked = true;
  }
  function choosePreset(name: string, extra?: OptionValues): void {
    const values = presetValues(name);
    if (!values) return;
    base = name;
    selectPreset(name);
    controls.set(values);
    controls.setBaseline(values);
    if (extra && Object.keys(extra).length > 0) {
      controls.set(extra);
      selectPreset(CUSTOM);
    }
  }
  function apply(values: OptionValues): void {
    controls.set(values);
    const preset = presetValues(base);
    const current = controls.values();
    const same = preset && Object.entries(current).every(([k, v]) => String(v) === String(preset[k]));
    selectPreset(same ? base : CUSTOM);
  }
  const reset = byId('reset');
  reset.textContent = `Reset to defaults (${DEFAULT_PRESET})`;
  reset.addEventListener('click', () => {
    choosePreset(DEFAULT_PRESET);
    onChange();
  });

  function restore(preset: string, basePreset: string, values: OptionValues): void {
    base = basePreset;
    controls.set(values);
    const baseline = presetValues(basePreset);
    if (baseline) controls.setBaseline(baseline);
    selectPreset(preset);
  }

  return { controls, choosePreset, apply, basePreset: () => base, presetValues, restore };
}
