/**
 * Download SVG (named after the input, with the colour edits), Copy SVG (clipboard API, or a hidden text area
 * on plain HTTP), and PNG at a chosen width rendered by the browser from that same SVG.
 */
import { formatBytes } from './decode.js';
import { byId, saveBlob, saveText } from './dom.js';
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
  const pngButton = byId<HTMLButtonElement>('download-png');
  const pngWidth = byId<HTMLInputElement>('png-width');
  downloadButton.addEventListener('click', () => {
    const svg = shownSvg(state);
    if (svg === undefined) return;
    saveText(svg, svgName(state));
    status.setStatus(`Saved ${svgName(state)}.`);
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
  pngButton.addEventListener('click', async () => {
    const svg = shownSvg(state);
    const result = state.result;
    if (svg === undefined || !result) return;
    const typed = pngWidth.value.trim() === '' ? result.width : Number(pngWidth.value);
    if (!Number.isInteger(typed) || typed < 1 || typed > MAX_PNG_SIDE) {
      status.showError(`PNG width: expected a whole number of pixels from 1 to ${MAX_PNG_SIDE}, got “${pngWidth.value}”.`, 'export');
      return;
    }
    const name = `${state.image?.baseName ?? 'image'}-${typed}.png`;
    try {
      const blob = await svgToPng(svg, typed, result.height / result.width);
      saveBlob(blob, name);
      status.clearError('export');
      status.setStatus(`Saved ${name} (${typed}×${Math.round(typed * result.height / result.width)}, ${formatBytes(blob.size)}).`);
    } catch (err) {
      status.showError(`Could not render the PNG: ${err instanceof Error ? err.message : String(err)}.`, 'export');
    }
  });
}
