/** The red error box at the top and the status line under the figures. */
import { byId } from './dom.js';

export class StatusArea {
  private readonly box = byId('error');
  private readonly text = byId('error-text');
  private readonly line = byId('status');

  constructor() {
    byId('error-close').addEventListener('click', () => this.clearError());
  }

  showError(message: string): void {
    this.text.textContent = message;
    this.box.hidden = false;
  }

  clearError(): void {
    this.box.hidden = true;
    this.text.textContent = '';
  }

  setStatus(message: string): void {
    this.line.textContent = message;
  }
}
