/**
 * The red error box at the top and the status line under the figures. An error names its source, so that it
 * is cleared when that same thing later succeeds (a retried server trace, the next good trace or file).
 */
import { byId } from './dom.js';

/** What an error is about; success of the same source clears it. */
export type ErrorSource = 'input' | 'trace' | 'server' | 'export' | 'page';

export class StatusArea {
  private readonly box = byId('error');
  private readonly text = byId('error-text');
  private readonly line = byId('status');
  private source: ErrorSource | undefined;

  constructor() {
    byId('error-close').addEventListener('click', () => this.clearError());
  }

  showError(message: string, source: ErrorSource): void {
    this.text.textContent = message;
    this.box.hidden = false;
    this.box.dataset.source = source;
    this.source = source;
  }

  /** Clears the error box; with sources, only when the error shown came from one of them. */
  clearError(...sources: ErrorSource[]): void {
    if (sources.length > 0 && (this.source === undefined || !sources.includes(this.source))) return;
    this.box.hidden = true;
    this.text.textContent = '';
    delete this.box.dataset.source;
    this.source = undefined;
  }

  setStatus(message: string): void {
    this.line.textContent = message;
  }
}
