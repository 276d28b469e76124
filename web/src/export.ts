/**
 * Downloads (named after the input, with the colour edits): SVG; PDF, EPS and DXF converted from that SVG in
 * the browser by the library's own writers (src/engine/formats); PNG at a chosen width rendered by the
 * browser. Copy SVG uses the clipboard API, or a hidden text area on plain HTTP.
 */
import { exportVector, FORMAT_MIME_TYPES } from '../../src/engine/formats/index.js';
import type { OutputFormat } from '../../src/engine/formats/index.js';
import { formatBytes } from './decode.js';
import { byId, saveBlob } from './dom.js';
import { shownSvg } from './palette-panel.js';
import type { PageState } from './state.js';
import type { StatusArea } from './status.js';

export function svgName(state: PageState): string {
  return `${state.image?.baseName ?? 'image'}.svg`;
}

/** Largest PNG side the page renders (a canvas of 8192² is 256 MB of pixels). */
export const MAX_PNG_SIDE = 8192;

/** Renders an SVG text to a PNG of the given width (height in proportion). */
export async function svgToPng(svg: string, width: number, aspect: number): Promise<Blob> {
  const height = Math.max(1, Math.round(width * aspect));
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = Object.assign(document.createElement('canvas'), { width, height });
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser has no 2D canvas');
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) => {
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas could not be encoded as PNG'))), 'image/png');
    });
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function setupExport(state: PageState, status: StatusArea): void {
  const downloadButton = byId<HTMLButtonElement>('download');
  const copyButton = byId<HTMLButtonElement>('copy');
  const format = byId<HTMLSelectElement>('format');
  const pngOptions = byId('png-options');
  const pngWidth = byId<HTMLInputElement>('png-width');
  const chosen = () => format.value as OutputFormat;
  format.addEventListener('change', () => {
    downloadButton.textContent = `Download ${chosen().toUpperCase()}`;
    pngOptions.hidden = chosen() !== 'png';
  });

  /** The file of the chosen format, or undefined after reporting why not. */
  async function render(svg: string, kind: OutputFormat): Promise<{ blob: Blob; name: string; detail: string } | undefined> {
    const base = state.image?.baseName ?? 'image';
    const result = state.result!;
    if (kind === 'png') {
      const typed = pngWidth.value.trim() === '' ? result.width : Number(pngWidth.value);
      if (!Number.isInteger(typed) || typed < 1 || typed > MAX_PNG_SIDE) {
        status.showError(`PNG width: expected a whole number of pixels from 1 to ${MAX_PNG_SIDE}, got “${pngWidth.value}”.`, 'export');
        return undefined;
      }
      const blob = await svgToPng(svg, typed, result.height / result.width);
      return { blob, name: `${base}-${typed}.png`, detail: `${typed}×${Math.round(typed * result.height / result.width)}, ` };
    }
    const bytes = exportVector(svg, kind);
    return { blob: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: FORMAT_MIME_TYPES[kind] }), name: `${base}.${kind}`, detail: '' };
  }

  downloadButton.addEventListener('click', async () => {
    const svg = shownSvg(state);
    if (svg === undefined) return;
    try {
      const file = await render(svg, chosen());
      if (!file) return;
      saveBlob(file.blob, file.name);
      status.clearError('export');
      status.setStatus(`Saved ${file.name} (${file.detail}${formatBytes(file.blob.size)}).`);
    } catch (err) {
      status.showError(`Could not write the ${chosen().toUpperCase()} file: ${err instanceof Error ? err.message : String(err)}.`, 'export');
    }
  });
  copyButton.addEventListener('click', async () => {
    const text = shownSvg(state);
    if (text === undefined) return;
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard API');
      await navigator.clipboard.writeText(text);
      status.clearError('export');
      status.setStatus(`Copied the SVG (${formatBytes(text.length)}) to the clipboard.`);
    } catch {
      // Fallback for pages that are not a secure context.
      const area = Object.assign(document.createElement('textarea'), { value: text, readOnly: true });
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.append(area);
      area.select();
      const ok = document.execCommand('copy');
      area.remove();
      copyButton.focus();
      if (ok) status.setStatus(`Copied the SVG (${formatBytes(text.length)}) to the clipboard.`);
      else status.showError('The browser refused to copy to the clipboard; use "Download SVG" instead.', 'export');
    }
  });
}
