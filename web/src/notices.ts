/**
 * Advice shown above the preview, each under its own key so that it can be replaced or withdrawn: settings
 * carried over from the previous image, a trace that collapsed into a few shapes, what the image looks like.
 * A notice may offer one action (a button that applies the advice).
 */
import { byId } from './dom.js';

export type NoticeKey = 'carried' | 'collapsed' | 'suggestion';

export interface NoticeAction {
  label: string;
  run(): void;
}

export class Notices {
  private readonly host = byId('notices');
  private readonly items = new Map<NoticeKey, HTMLElement>();

  show(key: NoticeKey, text: string, action?: NoticeAction): void {
    const item = document.createElement('div');
    item.className = 'notice';
    item.dataset.notice = key;
    const p = document.createElement('p');
    p.textContent = text;
    item.append(p);
    if (action) {
      const button = Object.assign(document.createElement('button'), { type: 'button', className: 'button small', textContent: action.label });
      button.addEventListener('click', () => { this.clear(key); action.run(); });
      item.append(button);
    }
    const close = Object.assign(document.createElement('button'), { type: 'button', className: 'button small quiet', textContent: '×', title: 'Dismiss' });
    close.setAttribute('aria-label', 'Dismiss this notice');
    close.addEventListener('click', () => this.clear(key));
    item.append(close);
    const old = this.items.get(key);
    if (old) old.replaceWith(item);
    else this.host.append(item);
    this.items.set(key, item);
  }

  clear(key: NoticeKey): void {
    this.items.get(key)?.remove();
    this.items.delete(key);
  }

  has(key: NoticeKey): boolean {
    return this.items.has(key);
  }
}
