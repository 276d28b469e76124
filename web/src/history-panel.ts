/**
 * Undo and redo of settings and colour edits (buttons, Ctrl+Z, Ctrl+Shift+Z or Ctrl+Y), and a strip of the
 * last few results to compare: each thumbnail puts back the settings that made it.
 */
import type { OptionValues } from './controls.js';
import { formatBytes } from './decode.js';
import { byId } from './dom.js';
import { History } from './history.js';
import type { Settings } from './settings.js';
import type { PageState } from './state.js';

export interface Snapshot {
  preset: string;
  base: string;
  values: OptionValues;
  recolour: [string, string][];
}

const RECENT = 6;
const key = (s: Snapshot) => JSON.stringify(s);

export interface HistoryPanel {
  /** Records the current settings as a step (each trace started, each colour edit). */
  record(): void;
  /** Adds the result shown to the strip of recent results. */
  addResult(svg: string, pathCount: number): void;
  /** Forgets the recent results (a new image). */
  clearResults(): void;
}

/** @param restored called after a snapshot was put back (redraw, re-trace). */
export function setupHistory(state: PageState, settings: Settings, restored: () => void): HistoryPanel {
  const history = new History<Snapshot>((a, b) => key(a) === key(b));
  const undoButton = byId<HTMLButtonElement>('undo');
  const redoButton = byId<HTMLButtonElement>('redo');
  const strip = byId('recent');
  const list = byId('recent-list');
  const recent: { url: string; snapshot: Snapshot; label: string }[] = [];

  const snapshot = (): Snapshot => ({
    preset: state.preset, base: settings.basePreset(), values: settings.controls.values(), recolour: [...state.recolour],
  });
  const update = () => {
    undoButton.disabled = !history.canUndo;
    redoButton.disabled = !history.canRedo;
  };
  function restore(s: Snapshot | undefined): void {
    if (!s) return;
    settings.restore(s.preset, s.base, s.values);
    state.recolour = new Map(s.recolour);
    update();
    restored();
  }
  undoButton.addEventListener('click', () => restore(history.undo()));
  redoButton.addEventListener('click', () => restore(history.redo()));
  document.addEventListener('keydown', (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    // Typing in a text box keeps the browser's own undo of the text.
    const target = event.target as HTMLElement | null;
    if (target?.matches('input[type=text], input[type=url], input[type=password], textarea')) return;
    const k = event.key.toLowerCase();
    if (k === 'z' && !event.shiftKey) { event.preventDefault(); restore(history.undo()); }
    else if ((k === 'z' && event.shiftKey) || k === 'y') { event.preventDefault(); restore(history.redo()); }
  });

  function addResult(svg: string, pathCount: number): void {
    const s = snapshot();
    const last = recent[0];
    if (last && key(last.snapshot) === key(s)) {
      URL.revokeObjectURL(last.url);
      recent.shift();
    }
    const label = `${s.preset} · ${pathCount} paths · ${formatBytes(svg.length)}`;
    recent.unshift({ url: URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' })), snapshot: s, label });
    for (const dropped of recent.splice(RECENT)) URL.revokeObjectURL(dropped.url);
    strip.hidden = false;
    list.replaceChildren(...recent.map((entry, i) => {
      const item = document.createElement('li');
      const button = Object.assign(document.createElement('button'), { type: 'button', className: 'recent-item' });
      const changed = Object.entries(entry.snapshot.values).length;
      const img = Object.assign(document.createElement('img'), { src: entry.url, alt: '' });
      const caption = document.createElement('span');
      caption.textContent = i === 0 ? `now: ${entry.label}` : entry.label;
      button.title = `Put back these settings (${entry.snapshot.preset}, ${changed} parameters)`;
      button.append(img, caption);
      button.addEventListener('click', () => restore(entry.snapshot));
      item.append(button);
      return item;
    }));
  }

  function clearResults(): void {
    for (const entry of recent.splice(0)) URL.revokeObjectURL(entry.url);
    list.replaceChildren();
    strip.hidden = true;
  }

  update();
  return {
    record: () => { history.push(snapshot()); update(); },
    addResult,
    clearResults,
  };
}
