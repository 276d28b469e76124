/**
 * The page: picks/drops/pastes an image, decodes it, and traces it live in a Web Worker with the controls
 * generated from the engine's option table; exports the SVG; optionally traces through a vtracer service.
 * This file wires the modules together around one state object (state.ts).
 */
import { formatBytes, MAX_FILE_BYTES, MAX_PIXELS } from './decode.js';
import type { DecodedImage } from './decode.js';
import { byId } from './dom.js';
import { setupExport } from './export.js';
import { setupAdvice } from './advice.js';
import { imageStats } from './image-stats.js';
import type { ImageStats } from './image-stats.js';
import { describeImage, setupInput } from './input.js';
import { setupServerPanel } from './server-panel.js';
import { setupSettings } from './settings.js';
import { CUSTOM, initialState } from './state.js';
import { StatusArea } from './status.js';
import { setupTracing } from './tracing.js';
import { setupBackdrop, setupDivider, setupViewer, trackPreviewHeight } from './view-controls.js';
import { setupHistory } from './history-panel.js';
import { setupGallery } from './gallery.js';
import { setupPalettePanel, shownSvg } from './palette-panel.js';

// Resolved while this classic script runs, so that the worker is found next to main.js wherever the page lives.
const scriptUrl = (document.currentScript as HTMLScriptElement | null)?.src || location.href;

const status = new StatusArea();

window.addEventListener('error', (event) => {
  status.showError(`Unexpected error: ${event.message || 'unknown'}. The page keeps working; try again or reload.`, 'page');
});
window.addEventListener('unhandledrejection', (event) => {
  const reason = event.reason instanceof Error ? event.reason.message : String(event.reason);
  status.showError(`Unexpected error: ${reason}.`, 'page');
});

function main(): void {
  const state = initialState();
  byId('limits').textContent = `PNG, JPEG, WebP or GIF; up to ${formatBytes(MAX_FILE_BYTES)} and `
    + `${Math.floor(MAX_PIXELS / 1e6)} megapixels. Files stay on this device.`;

  const settings = setupSettings(state, () => {
    if (state.preset !== CUSTOM) advice.presetChosen();
    tracing.schedule();
  });
  const advice = setupAdvice(state, settings, () => tracing.schedule(0));
  const viewer = setupViewer();
  setupBackdrop();
  setupDivider(viewer);
  trackPreviewHeight();
  const views = byId('views');
  let stats: ImageStats | undefined;

  const tracing = setupTracing(state, settings.controls, status, new URL('worker.js', scriptUrl), {
    onRun: () => history.record(),
    onResult: (outcome) => {
      advice.traced(outcome, stats);
      palette.refresh();
      history.addResult(shownSvg(state) ?? outcome.svg, outcome.pathCount);
    },
  });
  /** After a colour edit: redraw without tracing, and make it a step of the history. */
  const recoloured = () => { tracing.redraw(); palette.refresh(); history.record(); };
  const palette = setupPalettePanel(state, recoloured, (colours) => {
    // The engine snaps every fill to the locked palette: the edits are in it now.
    state.recolour.clear();
    settings.apply({ palette: colours });
    tracing.schedule(0);
  });
  const history = setupHistory(state, settings, () => {
    tracing.redraw();
    palette.refresh();
    tracing.schedule(0);
  });
  const canvas = byId<HTMLCanvasElement>('original');

  let fromSample = false;
  const input = setupInput(status, () => state.image, (decoded: DecodedImage) => {
    tracing.cancel(); // a run for the previous image must not land on this one
    const previous = state.image;
    state.image = decoded;
    state.recolour.clear();
    history.clearResults();
    stats = imageStats(decoded.data, decoded.width, decoded.height);
    tracing.clear();
    palette.refresh();
    canvas.width = decoded.width;
    canvas.height = decoded.height;
    canvas.getContext('2d')?.putImageData(new ImageData(decoded.data, decoded.width, decoded.height), 0, 0);
    views.classList.add('has-image');
    // Light art on transparency reads better on a dark backdrop; everything else on a light one.
    views.dataset.autoBackdrop = stats.transparent > 0.2 && stats.meanLuma > 0.75 ? 'dark' : 'light';
    viewer.setImageSize(decoded.width, decoded.height);
    const info = byId('file-info');
    info.textContent = describeImage(decoded);
    info.hidden = false;
    advice.imageLoaded(previous, decoded, stats, fromSample);
    fromSample = false;
    tracing.schedule(0);
  });
  setupGallery(async (sample) => {
    try {
      const response = await fetch(new URL(`samples/${sample.file}`, scriptUrl));
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const blob = await response.blob();
      // The sample's own settings, chosen for it: not "carried over" from the previous image.
      settings.choosePreset(sample.preset, sample.values);
      fromSample = true;
      await input.load(blob, sample.file);
    } catch (err) {
      status.showError(`Could not load the sample ${sample.file}: ${err instanceof Error ? err.message : String(err)}.`, 'input');
    }
  });
  setupExport(state, status);
  setupServerPanel(state, settings.controls, status);

  document.documentElement.dataset.ready = 'true';
}

try {
  main();
} catch (err) {
  status.showError(`The page could not start: ${err instanceof Error ? err.message : String(err)}`, 'page');
}
