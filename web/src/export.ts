/** Download SVG (named after the input) and Copy SVG (clipboard API, or a hidden text area on plain HTTP). */
import { formatBytes } from './decode.js';
import { byId, saveText } from './dom.js';
import type { PageState } from './state.js';
import type { StatusArea } from './status.js';

export function svgName(state: PageState): string {
  return `${state.image?.baseName ?? 'image'}.svg`;
}

export function setupExport(state: PageState, status: StatusArea): void {
  const downloadButton = byId<HTMLButtonElement>('download');
  const copyButton = byId<HTMLButtonElement>('copy');
  downloadButton.addEventListener('click', () => {
    if (!state.result) return;
    saveText(state.result.svg, svgName(state));
    status.setStatus(`Saved ${svgName(state)}.`);
  });
  copyButton.addEventListener('click', async () => {
    if (!state.result) return;
    const text = state.result.svg;
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
