/** Getting an image in: the file picker, dropping a file anywhere on the page, pasting one. */
import { decodeImage, formatBytes, InputError } from './decode.js';
import type { DecodedImage } from './decode.js';
import { byId } from './dom.js';
import type { StatusArea } from './status.js';

/**
 * @param onImage called with each image that decoded; a file that does not is reported and the previous
 * image stays.
 */
export function setupInput(
  status: StatusArea, current: () => DecodedImage | undefined, onImage: (image: DecodedImage) => void,
): { load(blob: Blob, name: string): Promise<void> } {
  async function load(blob: Blob, name: string): Promise<void> {
    status.clearError('input');
    status.setStatus(`Reading ${name}…`);
    let decoded: DecodedImage;
    try {
      decoded = await decodeImage(blob, name);
    } catch (err) {
      const message = err instanceof InputError ? err.message : `Could not open ${name}: ${err instanceof Error ? err.message : String(err)}`;
      status.showError(message, 'input');
      const previous = current();
      status.setStatus(previous ? `Kept ${previous.name}.` : 'Choose an image to start.');
      return;
    }
    onImage(decoded);
  }

  const fileInput = byId<HTMLInputElement>('file');
  byId('pick').addEventListener('click', () => fileInput.click());
  byId('pick-empty').addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) void load(file, file.name);
    fileInput.value = '';
  });

  const dropzone = byId('dropzone');
  let dragDepth = 0;
  document.addEventListener('dragenter', (event) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    dragDepth += 1;
    dropzone.classList.add('is-over');
  });
  document.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) dropzone.classList.remove('is-over');
  });
  document.addEventListener('dragover', (event) => {
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  });
  document.addEventListener('drop', (event) => {
    event.preventDefault();
    dragDepth = 0;
    dropzone.classList.remove('is-over');
    const file = event.dataTransfer?.files[0];
    if (file) void load(file, file.name);
    else status.showError('Drop an image file (PNG, JPEG, WebP or GIF); links and text cannot be traced.', 'input');
  });
  document.addEventListener('paste', (event) => {
    const data = event.clipboardData;
    if (!data) return;
    const file = [...data.files].find((f) => f.type.startsWith('image/'))
      ?? [...data.items].find((item) => item.kind === 'file' && item.type.startsWith('image/'))?.getAsFile();
    const target = event.target as HTMLElement | null;
    if (!file) {
      if (!target?.closest('input, textarea, select')) status.showError('The clipboard holds no image to paste.', 'input');
      return;
    }
    event.preventDefault();
    const ext = file.type.split('/')[1]?.replace('jpeg', 'jpg') ?? 'png';
    const name = file.name && file.name !== 'image.png' ? file.name : `pasted-image.${ext}`;
    void load(file, name);
  });
  return { load };
}

/** The line under the drop zone: name, kind, size in pixels and bytes. */
export function describeImage(image: DecodedImage): string {
  return `${image.name}: ${image.kind.toUpperCase()}, ${image.width}×${image.height}, ${formatBytes(image.bytes)}`;
}
