/** Wires the viewer (shared zoom and pan of the two panes) to the toolbar: zoom buttons, view mode, divider. */
import { byId } from './dom.js';
import { Viewer } from './viewer.js';
import type { ViewMode } from './viewer.js';

export function setupViewer(): Viewer {
  const views = byId('views');
  const zoomLevel = byId('zoom-level');
  const viewer = new Viewer(
    views,
    [byId('viewport-original'), byId('viewport-svg')],
    [...views.querySelectorAll<HTMLElement>('.stage')],
    (scale) => { zoomLevel.textContent = `${scale >= 10 ? Math.round(scale * 100) : +(scale * 100).toFixed(scale < 0.1 ? 1 : 0)}%`; },
  );
  byId('zoom-in').addEventListener('click', () => viewer.zoomBy(1.25));
  byId('zoom-out').addEventListener('click', () => viewer.zoomBy(0.8));
  byId('zoom-fit').addEventListener('click', () => viewer.fit());
  byId('zoom-1').addEventListener('click', () => viewer.actualSize());
  const splitControl = byId('split-control');
  const split = byId<HTMLInputElement>('split');
  split.addEventListener('input', () => viewer.setSplit(Number(split.value)));
  viewer.setSplit(Number(split.value));
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name=view]')) {
    radio.addEventListener('change', () => {
      if (!radio.checked) return;
      viewer.setMode(radio.value as ViewMode);
      splitControl.hidden = radio.value !== 'split';
    });
  }
  return viewer;
}

/** The checkerboard behind the panes: auto (light, or dark for light art on transparency), light or dark. */
export function setupBackdrop(): void {
  const views = byId('views');
  const select = byId<HTMLSelectElement>('backdrop');
  select.addEventListener('change', () => { views.dataset.backdrop = select.value; });
}

/**
 * On narrow screens the preview sticks to the top: its height becomes the page's scroll padding, so that a
 * control scrolled or tabbed into view is not hidden under it.
 */
export function trackPreviewHeight(): void {
  const preview = byId('preview-area');
  const root = document.documentElement;
  new ResizeObserver(() => {
    root.style.setProperty('--preview-height', `${Math.ceil(preview.getBoundingClientRect().height)}px`);
  }).observe(preview);
}

/** Split view: the divider on the image itself can be dragged; the toolbar slider follows (and still works). */
export function setupDivider(viewer: Viewer): void {
  const views = byId('views');
  const divider = byId('divider');
  const split = byId<HTMLInputElement>('split');
  const moveTo = (clientX: number) => {
    const box = views.getBoundingClientRect();
    const percent = Math.round(Math.min(100, Math.max(0, ((clientX - box.left) / box.width) * 100)));
    split.value = String(percent);
    viewer.setSplit(percent);
  };
  divider.addEventListener('pointerdown', (event) => {
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    event.preventDefault();
    divider.setPointerCapture(event.pointerId);
    divider.classList.add('is-dragging');
  });
  divider.addEventListener('pointermove', (event) => {
    if (divider.hasPointerCapture(event.pointerId)) moveTo(event.clientX);
  });
  const release = (event: PointerEvent) => {
    if (divider.hasPointerCapture(event.pointerId)) divider.releasePointerCapture(event.pointerId);
    divider.classList.remove('is-dragging');
  };
  divider.addEventListener('pointerup', release);
  divider.addEventListener('pointercancel', release);
}
