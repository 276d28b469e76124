/**
 * The colours of the result as swatches (10, 11 of issue 16): each fill with its number of shapes; hovering a
 * shape in the SVG highlights it and its swatch and tells its colour and size; a swatch's colour can be
 * changed (every shape of it follows), several can be merged into one, the palette can be locked (set as the
 * `palette` option and re-traced) and exported as a GIMP palette.
 */
import { byId, saveText } from './dom.js';
import { applyRecolour, fillUses, gimpPalette } from './recolour.js';
import type { FillUse } from './recolour.js';
import type { PageState } from './state.js';

export interface PalettePanel {
  /** Rebuilds the swatches from the result shown (after a trace or a colour edit). */
  refresh(): void;
}

interface Row { colour: string; originals: string[]; shapes: number; paths: number }

/**
 * @param onEdit called after the recolour map changed (the preview is redrawn and a history step recorded).
 * @param onLock called with the palette to trace with.
 */
export function setupPalettePanel(
  state: PageState,
  onEdit: () => void,
  onLock: (palette: string[]) => void,
): PalettePanel {
  const panel = byId('colours');
  const list = byId('swatches');
  const info = byId('shape-info');
  const preview = byId('preview');
  const mergeButton = byId<HTMLButtonElement>('colours-merge');
  let rows: Row[] = [];
  let originals: FillUse[] = [];
  let parsedFor: string | undefined;

  const displayed = (colour: string) => state.recolour.get(colour) ?? colour;
  const selected = () => [...list.querySelectorAll<HTMLInputElement>('input[type=checkbox]:checked')].map((box) => rows[Number(box.dataset.row)]!);

  function highlight(colour: string | undefined): void {
    for (const path of preview.querySelectorAll('path')) {
      const fill = path.closest('[fill]')?.getAttribute('fill')?.toLowerCase();
      path.classList.toggle('is-highlighted', colour !== undefined && fill === colour);
    }
    for (const item of list.children) (item as HTMLElement).classList.toggle('is-highlighted', (item as HTMLElement).dataset.colour === colour);
  }

  function refresh(): void {
    const result = state.result;
    panel.hidden = !result;
    if (!result) { rows = []; list.replaceChildren(); return; }
    if (parsedFor !== result.svg) {
      // Uses are counted on the traced SVG, by traced colour; rows group the traced colours by what they show now.
      originals = fillUses(new DOMParser().parseFromString(result.svg, 'image/svg+xml'));
      parsedFor = result.svg;
    }
    const byShown = new Map<string, Row>();
    for (const use of originals) {
      const colour = displayed(use.colour);
      const row = byShown.get(colour) ?? { colour, originals: [], shapes: 0, paths: 0 };
      row.originals.push(use.colour);
      row.shapes += use.shapes;
      row.paths += use.paths;
      byShown.set(colour, row);
    }
    rows = [...byShown.values()].sort((a, b) => b.shapes - a.shapes);
    list.replaceChildren(...rows.map((row, i) => {
      const item = document.createElement('li');
      item.className = 'swatch';
      item.dataset.colour = row.colour;
      const picker = Object.assign(document.createElement('input'), { type: 'color', value: row.colour, title: `Change ${row.colour}` });
      picker.setAttribute('aria-label', `Colour ${row.colour} (${row.shapes} shapes): change`);
      picker.addEventListener('change', () => {
        for (const from of row.originals) state.recolour.set(from, picker.value.toLowerCase());
        onEdit();
      });
      const pick = Object.assign(document.createElement('input'), { type: 'checkbox' });
      pick.dataset.row = String(i);
      pick.setAttribute('aria-label', `Select ${row.colour} to merge`);
      pick.addEventListener('change', () => { mergeButton.disabled = selected().length < 2; });
      const text = document.createElement('span');
      text.className = 'swatch-text';
      text.textContent = `${row.colour} · ${row.shapes} shape${row.shapes === 1 ? '' : 's'}`;
      item.append(pick, picker, text);
      item.addEventListener('mouseenter', () => highlight(row.colour));
      item.addEventListener('mouseleave', () => highlight(undefined));
      return item;
    }));
    mergeButton.disabled = true;
    byId('colours-count').textContent = `${rows.length} colour${rows.length === 1 ? '' : 's'}`;
  }

  // Hover a shape: highlight it and its colour, and tell its colour and size.
  preview.addEventListener('pointermove', (event) => {
    const path = (event.target as Element | null)?.closest?.('path');
    if (!path) { info.textContent = ''; highlight(undefined); return; }
    const colour = (path.closest('[fill]')?.getAttribute('fill') ?? '').toLowerCase();
    const row = rows.find((r) => r.colour === colour);
    const box = (path as SVGGraphicsElement).getBBox();
    const shapes = (path.getAttribute('d')?.match(/[Mm]/g) ?? []).length;
    info.textContent = `${colour}: this path ${Math.round(box.width)}×${Math.round(box.height)} px (${shapes} shape${shapes === 1 ? '' : 's'}); `
      + `${row?.shapes ?? shapes} shapes of this colour in all`;
    highlight(colour);
    path.classList.add('is-hovered');
    path.addEventListener('pointerleave', () => path.classList.remove('is-hovered'), { once: true });
  });
  preview.addEventListener('pointerleave', () => { info.textContent = ''; highlight(undefined); });

  mergeButton.addEventListener('click', () => {
    const chosen = selected();
    if (chosen.length < 2) return;
    const into = chosen[0]!.colour;
    for (const row of chosen) for (const from of row.originals) state.recolour.set(from, into);
    onEdit();
  });
  byId('colours-reset').addEventListener('click', () => {
    if (state.recolour.size === 0) return;
    state.recolour.clear();
    onEdit();
  });
  byId('colours-lock').addEventListener('click', () => {
    if (rows.length > 0) onLock(rows.map((r) => r.colour));
  });
  byId('colours-export').addEventListener('click', () => {
    if (!state.result) return;
    const name = `${state.image?.baseName ?? 'image'}-palette.gpl`;
    saveText(gimpPalette(state.image?.baseName ?? 'vtracer', rows.map((r) => r.colour)), name, 'text/plain');
  });

  return { refresh };
}

/** The SVG as shown and exported: the traced one with the colour edits applied. */
export function shownSvg(state: PageState): string | undefined {
  return state.result ? applyRecolour(state.result.svg, state.recolour) : undefined;
}
