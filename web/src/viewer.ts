/**
 * Zoom and pan shared by the two panes (original and SVG), in side-by-side or split view. Wheel zooms around
 * the cursor, dragging pans, two fingers pinch; the viewports also take the keyboard: + and - zoom,
 * 0 fits, 1 shows pixels 1:1, arrow keys pan (Shift for larger steps).
 */
export type ViewMode = 'side' | 'split';

const MIN_SCALE = 0.02;
const MAX_SCALE = 64;
const KEY_ZOOM = 1.25;

export class Viewer {
  scale = 1;
  x = 0;
  y = 0;
  private width = 0;
  private height = 0;
  /** While true, resizing the window refits the image. Cleared by any zoom or pan. */
  private fitted = true;
  mode: ViewMode = 'side';
  private readonly pointers = new Map<number, { x: number; y: number }>();

  constructor(
    private readonly root: HTMLElement,
    private readonly viewports: readonly HTMLElement[],
    private readonly stages: readonly HTMLElement[],
    private readonly onChange: (scale: number) => void,
  ) {
    for (const viewport of viewports) this.attach(viewport);
    const observer = new ResizeObserver(() => { if (this.fitted) this.fit(); });
    for (const viewport of viewports) observer.observe(viewport);
  }

  setImageSize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    for (const stage of this.stages) {
      stage.style.width = `${width}px`;
      stage.style.height = `${height}px`;
    }
    this.fit();
  }

  /** The viewport that is laid out (the SVG pane's: in split view it covers the original's). */
  private box(): DOMRect {
    const visible = this.viewports.find((v) => v.clientWidth > 0) ?? this.viewports[0]!;
    return visible.getBoundingClientRect();
  }

  fit(): void {
    const box = this.box();
    if (!this.width || !this.height || !box.width || !box.height) return;
    const scale = Math.min(box.width / this.width, box.height / this.height) * 0.96;
    this.scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
    this.x = (box.width - this.width * this.scale) / 2;
    this.y = (box.height - this.height * this.scale) / 2;
    this.fitted = true;
    this.apply();
  }

  /** Zooms by a factor around a point given in viewport coordinates (default: the centre). */
  zoomBy(factor: number, cx?: number, cy?: number): void {
    const box = this.box();
    const px = cx ?? box.width / 2;
    const py = cy ?? box.height / 2;
    const next = Math.min(MAX_SCALE, Math.max(MIN_SCALE, this.scale * factor));
    const k = next / this.scale;
    this.x = px - (px - this.x) * k;
    this.y = py - (py - this.y) * k;
    this.scale = next;
    this.fitted = false;
    this.apply();
  }

  /** One image pixel per CSS pixel, keeping the centre of the view in place. */
  actualSize(): void {
    this.zoomBy(1 / this.scale);
  }

  panBy(dx: number, dy: number): void {
    this.x += dx;
    this.y += dy;
    this.fitted = false;
    this.apply();
  }

  setMode(mode: ViewMode): void {
    this.mode = mode;
    this.root.classList.toggle('is-split', mode === 'split');
    this.root.classList.toggle('is-side', mode === 'side');
    // The panes change size: keep the image fitted if it was, else keep the zoom.
    requestAnimationFrame(() => { if (this.fitted) this.fit(); else this.apply(); });
  }

  /** Position of the divider in split view, in percent of the width from the left. */
  setSplit(percent: number): void {
    this.root.style.setProperty('--split', `${Math.min(100, Math.max(0, percent))}%`);
  }

  private apply(): void {
    const transform = `translate(${this.x}px, ${this.y}px) scale(${this.scale})`;
    for (const stage of this.stages) stage.style.transform = transform;
    this.root.classList.toggle('is-magnified', this.scale > 2);
    this.onChange(this.scale);
  }

  private attach(viewport: HTMLElement): void {
    viewport.addEventListener('wheel', (event) => {
      event.preventDefault();
      const unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1;
      const rect = viewport.getBoundingClientRect();
      this.zoomBy(Math.exp(-event.deltaY * unit * 0.0015), event.clientX - rect.left, event.clientY - rect.top);
    }, { passive: false });

    viewport.addEventListener('pointerdown', (event) => {
      if (event.pointerType === 'mouse' && event.button !== 0) return;
      viewport.setPointerCapture(event.pointerId);
      this.pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      viewport.classList.add('is-dragging');
    });
    viewport.addEventListener('pointermove', (event) => {
      const last = this.pointers.get(event.pointerId);
      if (!last) return;
      const others = [...this.pointers].filter(([id]) => id !== event.pointerId).map(([, p]) => p);
      if (others.length === 1) {
        // Pinch: zoom by the change of distance between the two fingers, around their midpoint.
        const other = others[0]!;
        const before = Math.hypot(last.x - other.x, last.y - other.y);
        const after = Math.hypot(event.clientX - other.x, event.clientY - other.y);
        const rect = viewport.getBoundingClientRect();
        if (before > 0) {
          this.zoomBy(after / before, (event.clientX + other.x) / 2 - rect.left, (event.clientY + other.y) / 2 - rect.top);
        }
      } else if (others.length === 0) {
        this.panBy(event.clientX - last.x, event.clientY - last.y);
      }
      this.pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    });
    const release = (event: PointerEvent) => {
      this.pointers.delete(event.pointerId);
      if (this.pointers.size === 0) viewport.classList.remove('is-dragging');
    };
    viewport.addEventListener('pointerup', release);
    viewport.addEventListener('pointercancel', release);
    viewport.addEventListener('dblclick', (event) => {
      const rect = viewport.getBoundingClientRect();
      this.zoomBy(event.shiftKey ? 0.5 : 2, event.clientX - rect.left, event.clientY - rect.top);
    });

    viewport.addEventListener('keydown', (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const step = event.shiftKey ? 200 : 40;
      const actions: Record<string, () => void> = {
        '+': () => this.zoomBy(KEY_ZOOM),
        '=': () => this.zoomBy(KEY_ZOOM),
        '-': () => this.zoomBy(1 / KEY_ZOOM),
        '_': () => this.zoomBy(1 / KEY_ZOOM),
        '0': () => this.fit(),
        '1': () => this.actualSize(),
        ArrowLeft: () => this.panBy(step, 0),
        ArrowRight: () => this.panBy(-step, 0),
        ArrowUp: () => this.panBy(0, step),
        ArrowDown: () => this.panBy(0, -step),
      };
      const action = actions[event.key];
      if (action) {
        event.preventDefault();
        action();
      }
    });
  }
}
