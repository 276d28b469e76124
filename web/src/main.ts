/**
 * The page: picks/drops/pastes an image, decodes it, and traces it live in a Web Worker with the controls
 * generated from the engine's option table; exports the SVG; optionally traces through a vtracer service.
 * This file wires the modules together around one state object (state.ts).
 */
import { formatBytes, MAX_FILE_BYTES, MAX_PIXELS } from './decode.js';
import type { DecodedImage } from './decode.js';
import { byId } from './dom.js';
import { setupExport } from './export.js';
import { describeImage, setupInput } from './input.js';
import { setupServerPanel } from './server-panel.js';
import { setupSettings } from './settings.js';
import { initialState } from './state.js';
import { StatusArea } from './status.js';
import { setupTracing } from './tracing.js';
import { setupViewer } from './view-controls.js';

// Resolved while this classic script runs, so that the worker is found next to main.js wherever the page lives.
const scriptUrl = (document.currentScript as HTMLScriptElement | null)?.src || location.href;

const status = new StatusArea();

window.addEventListener('error', (event) => {
  status.showError(`Unexpected error: ${event.message || 'unknown'}. The page keeps working; try again or reload.`);
});
window.addEventListener('unhandledrejection', (event) => {
  const reason = event.reason instanceof Error ? event.reason.message : String(event.reason);
  status.showError(`Unexpected error: ${reason}.`);
});

function main(): void {
  const state = initialState();
  byId('limits').textContent = `PNG, JPEG, WebP or GIF; up to ${formatBytes(MAX_FILE_BYTES)} and `
    + `${Math.floor(MAX_PIXELS / 1e6)} megapixels. Files stay on this device.`;

  const settings = setupSettings(state, () => tracing.schedule());
  const viewer = setupViewer();
  const tracing = setupTracing(state, settings.controls, status, new URL('worker.js', scriptUrl));
  const canvas = byId<HTMLCanvasElement>('original');

  setupInput(status, () => state.image, (decoded: DecodedImage) => {
    tracing.cancel(); // a run for the previous image must not land on this one
    state.image = decoded;
    tracing.clear();
    canvas.width = decoded.width;
    canvas.height = decoded.height;
    canvas.getContext('2d')?.putImageData(new ImageData(decoded.data, decoded.width, decoded.height), 0, 0);
    byId('views').classList.add('has-image');
    viewer.setImageSize(decoded.width, decoded.height);
    const info = byId('file-info');
    info.textContent = describeImage(decoded);
    info.hidden = false;
    tracing.schedule(0);
  });
  setupExport(state, status);
  setupServerPanel(state, settings.controls, status);

  document.documentElement.dataset.ready = 'true';
}

try {
  main();
} catch (err) {
  status.showError(`The page could not start: ${err instanceof Error ? err.message : String(err)}`);
}
