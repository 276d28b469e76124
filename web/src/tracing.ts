/**
 * Live tracing: a change schedules a run after a short quiet time, the worker traces, and the result lands in
 * the SVG pane with its figures (time, paths, size).
 */
import type { ControlSet } from './controls.js';
import { formatBytes } from './decode.js';
import { byId } from './dom.js';
import { applyRecolour } from './recolour.js';
import type { PageState } from './state.js';
import type { StatusArea } from './status.js';
import { TraceClient } from './trace-client.js';
import type { TraceOutcome } from './trace-client.js';

/** Delay between the last change of a control and the new trace. */
const DEBOUNCE_MS = 150;
/** Images from this many pixels up are drawn progressively while they are traced. */
const PROGRESSIVE_PIXELS = 1_000_000;
const SVG_NS = 'http://www.w3.org/2000/svg';

export interface Tracing {
  /** Traces the current image after `delay` ms of quiet (a newer call restarts the wait). */
  schedule(delay?: number): void;
  /** Cancels a run in flight (e.g. for an image being replaced). */
  cancel(): void;
  /** Empties the preview and the figures (a new image is coming). */
  clear(): void;
  /** Shows the current result again (after a colour edit), without tracing. */
  redraw(): void;
}

export function setupTracing(
  state: PageState, controls: ControlSet, status: StatusArea, workerUrl: URL,
  hooks: { onRun(): void; onResult(outcome: TraceOutcome): void },
): Tracing {
  const preview = byId('preview');
  const progress = byId<HTMLProgressElement>('progress');
  const statTime = byId('stat-time');
  const statPaths = byId('stat-paths');
  const statSize = byId('stat-size');
  // Download, copy, PNG: only with a result.
  const resultButtons = [...document.querySelectorAll<HTMLButtonElement>('.needs-result')];
  const views = byId('views');
  let debounce: ReturnType<typeof setTimeout> | undefined;
  /** The partial drawing of the run in flight, if any. */
  let partial: SVGSVGElement | undefined;

  const client = new TraceClient(workerUrl, {
    onProgress: (fraction) => { progress.value = fraction; },
    onPaths: (paths) => drawPartial(paths),
    onResult: (outcome) => showResult(outcome),
    onError: (message) => {
      progress.value = 0;
      views.removeAttribute('aria-busy');
      status.setStatus('Tracing failed.');
      status.showError(message, 'trace');
    },
  });

  function schedule(delay = DEBOUNCE_MS): void {
    clearTimeout(debounce);
    if (!state.image) return;
    debounce = setTimeout(runTrace, delay);
  }

  function runTrace(): void {
    const image = state.image;
    if (!image) return;
    progress.value = 0;
    status.setStatus(`Tracing ${image.name}…`);
    views.setAttribute('aria-busy', 'true');
    partial = undefined;
    views.dataset.partialBatches = '0';
    hooks.onRun();
    client.start(image, controls.values());
  }

  /**
   * Progressive drawing on large images: the shapes of the run in flight are drawn as the worker sends
   * them, bottom layer first, and the result replaces them. Small images keep the previous result until
   * the new one (they are traced too fast for a partial drawing to help, and it would flicker).
   */
  function drawPartial(paths: { d: string; fill: string }[]): void {
    const image = state.image;
    if (!image || image.width * image.height < PROGRESSIVE_PIXELS) return;
    if (!partial) {
      partial = document.createElementNS(SVG_NS, 'svg');
      partial.setAttribute('viewBox', `0 0 ${image.width} ${image.height}`);
      partial.setAttribute('width', '100%');
      partial.setAttribute('height', '100%');
      partial.classList.add('is-partial');
      preview.replaceChildren(partial);
    }
    for (const p of paths) {
      const path = document.createElementNS(SVG_NS, 'path');
      path.setAttribute('d', p.d);
      path.setAttribute('fill', state.recolour.get(p.fill) ?? p.fill);
      partial.append(path);
    }
    views.dataset.partialBatches = String(Number(views.dataset.partialBatches ?? 0) + 1);
  }

  /** Puts an SVG text in the preview; false when the browser cannot parse it. */
  function display(text: string, width: number, height: number): boolean {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const root = doc.documentElement;
    if (root.nodeName !== 'svg' || doc.getElementsByTagName('parsererror').length > 0) {
      status.showError('The engine produced an SVG that the browser cannot parse (please report this image).', 'trace');
      return false;
    }
    const svg = document.importNode(root, true) as unknown as SVGSVGElement;
    svg.setAttribute('width', '100%');
    svg.setAttribute('height', '100%');
    if (!svg.hasAttribute('viewBox')) svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    preview.replaceChildren(svg);
    return true;
  }

  function showResult(outcome: TraceOutcome): void {
    if (!display(applyRecolour(outcome.svg, state.recolour), outcome.width, outcome.height)) return;
    state.result = outcome;
    state.renders += 1;
    // How runs were cancelled (shared flag or terminating the worker), for the curious and the tests.
    views.dataset.cancelMode = client.canSoftCancel ? 'flag' : 'terminate';
    views.dataset.workersStarted = String(client.workersStarted);
    views.dataset.cancelled = String(client.cancelled);
    preview.dataset.run = String(state.renders);
    preview.dataset.paths = String(outcome.pathCount);
    views.removeAttribute('aria-busy');
    progress.value = 1;
    const size = new TextEncoder().encode(outcome.svg).length;
    statTime.textContent = `${Math.round(outcome.traceMs)} ms`;
    statTime.title = `${Math.round(outcome.wallMs)} ms from the change to the result`;
    statPaths.textContent = String(outcome.pathCount);
    statSize.textContent = formatBytes(size);
    for (const button of resultButtons) button.disabled = false;
    // A good trace answers an earlier failed trace or refused file: that error is over.
    status.clearError('trace', 'input');
    hooks.onResult(outcome);
    // Pixel art is drawn as squares whatever the curve mode and speckle filter say: tell why.
    const pixelArt = outcome.pixelArt ? ' Pixel art: drawn pixel for pixel (set "Pixel art" to off to trace it as a drawing).' : '';
    status.setStatus(`Traced ${state.image?.name ?? 'the image'} in ${Math.round(outcome.traceMs)} ms: ${outcome.pathCount} paths, ${formatBytes(size)}.${pixelArt}`);
  }

  function clear(): void {
    state.result = undefined;
    partial = undefined;
    preview.replaceChildren();
    delete preview.dataset.run;
    statTime.textContent = statPaths.textContent = statSize.textContent = '–';
    for (const button of resultButtons) button.disabled = true;
  }

  function redraw(): void {
    const result = state.result;
    if (result) display(applyRecolour(result.svg, state.recolour), result.width, result.height);
  }

  return { schedule, cancel: () => client.cancel(), clear, redraw };
}
