/** The preset radio group and the parameter controls generated from the engine's option table. */
import { OPTION_SPECS, PRESETS, PRESET_NAMES, DEFAULTS } from '../../src/engine/options.js';
import { buildControls } from './controls.js';
import type { ControlSet, OptionValues } from './controls.js';
import { byId } from './dom.js';
import { CUSTOM } from './state.js';
import type { PageState } from './state.js';

const PRESET_HELP: Record<string, string> = {
  bw: 'black and white',
  poster: 'flat colours, logos, art',
  photo: 'photographs',
  custom: 'your own values',
};

export interface Settings {
  controls: ControlSet;
  /** Selects a preset and sets the controls to its values (no trace scheduled). */
  choosePreset(name: string): void;
}

/** @param onChange called after any change of the preset or of a parameter. */
export function setupSettings(state: PageState, onChange: () => void): Settings {
  const presetList = byId('preset-list');
  presetList.setAttribute('role', 'radiogroup');
  presetList.setAttribute('aria-describedby', 'preset-help');
  const presetInputs = new Map<string, HTMLInputElement>();
  for (const name of [...PRESET_NAMES, CUSTOM]) {
    const input = Object.assign(document.createElement('input'), { type: 'radio', name: 'preset', value: name, checked: name === state.preset });
    const label = document.createElement('label');
    label.title = PRESET_HELP[name] ?? name;
    label.append(input, ` ${name}`);
    presetList.append(label);
    presetInputs.set(name, input);
    input.addEventListener('change', () => {
      if (!input.checked) return;
      choosePreset(name);
      onChange();
    });
  }

  const controls = buildControls(byId('controls'), OPTION_SPECS, () => {
    if (state.preset !== CUSTOM) selectPreset(CUSTOM);
    onChange();
  });
  controls.set(PRESETS[state.preset as keyof typeof PRESETS]);

  function selectPreset(name: string): void {
    state.preset = name;
    const input = presetInputs.get(name);
    if (input) input.checked = true;
  }
  function choosePreset(name: string): void {
    selectPreset(name);
    const values = (PRESETS as Record<string, OptionValues>)[name];
    if (values) controls.set(values);
  }
  byId('reset').addEventListener('click', () => {
    controls.set(DEFAULTS as unknown as OptionValues);
    selectPreset(CUSTOM);
    onChange();
  });

  return { controls, choosePreset };
}
