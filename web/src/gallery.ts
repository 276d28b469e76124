/** The sample gallery under the drop zone: a thumbnail button per sample of samples.ts. */
import { byId } from './dom.js';
import { SAMPLES } from './samples.js';
import type { Sample } from './samples.js';

export function setupGallery(choose: (sample: Sample) => void): void {
  const list = byId('gallery');
  for (const sample of SAMPLES) {
    const item = document.createElement('li');
    const button = Object.assign(document.createElement('button'), { type: 'button', title: `${sample.title}. ${sample.credit}` });
    button.dataset.sample = sample.file;
    const img = Object.assign(document.createElement('img'), { src: `samples/${sample.file}`, alt: '', loading: 'lazy' });
    const caption = document.createElement('span');
    caption.textContent = sample.title;
    button.append(img, caption);
    button.addEventListener('click', () => choose(sample));
    item.append(button);
    list.append(item);
  }
}
