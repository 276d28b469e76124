/**
 * The page: picks/drops/pastes an image, decodes it, and traces it live in a Web Worker with the controls
 * generated from the engine's option table; exports the SVG; optionally traces through a vtracer service.
 */
import { OPTION_SPECS, PRESETS, PRESET_NAMES, DEFAULTS } from '../../src/engine/options.js';
import { buildControls } from './controls.js';
import type { OptionValues } from './controls.js';
import { decodeImage, formatBytes, InputError, toDataUrl, MAX_FILE_BYTES, MAX_PIXELS } from './decode.js';
import type { DecodedImage } from './decode.js';
import { TraceClient } from './trace-client.js';
import type { TraceOutcome } from './trace-client.js';
import { Viewer } from './viewer.js';
import type { ViewMode } from './viewer.js';
import { traceOnServer, cancelJob, defaultBaseUrl } from './server.js';
import type { ServerSettings, Job } from './server.js';

/** Delay between the last change of a control and the new trace. */
const DEBOUNCE_MS = 150;
const CUSTOM = 'custom';
const PRESET_HELP: Record<string, string> = {
  bw: 'black and white',
  poster: 'flat colours, logos, art',
  photo: 'photographs',
  custom: 'your own values',
};

// Resolved while this classic script runs, so that the worker is found next to main.js wherever the page lives.
const scriptUrl = (document.currentScript as HTMLScriptElement | null)?.src || location.href;

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`The page is missing #${id}`);
  return node as T;
}

// ---------------------------------------------------------------- errors and status

const errorBox = byId('error');
const errorText = byId('error-text');
const statusLine = byId('status');

function showError(message: string): void {
  errorText.textContent = message;
  errorBox.hidden = false;
}
function clearError(): void {
  errorBox.hidden = true;
  errorText.textContent = '';
}
function setStatus(message: string): void {
  statusLine.textContent = message;
}

window.addEventListener('error', (event) => {
  showError(`Unexpected error: ${event.message || 'unknown'}. The page keeps working; try again or reload.`);
});
window.addEventListener('unhandledrejection', (event) => {
  const reason = event.reason instanceof Error ? event.reason.message : String(event.reason);
  showError(`Unexpected error: ${reason}.`);
});
byId('error-close').addEventListener('click', clearError);

function main(): void {
  // -------------------------------------------------------------- state
  let image: DecodedImage | undefined;
  let result: TraceOutcome | undefined;
  let preset = 'poster';
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let renders = 0;

  const preview = byId('preview');
  const progress = byId<HTMLProgressElement>('progress');
  const statTime = byId('stat-time');
  const statPaths = byId('stat-paths');
  const statSize = byId('stat-size');
  const downloadButton = byId<HTMLButtonElement>('download');
  const copyButton = byId<HTMLButtonElement>('copy');
  const views = byId('views');
  const canvas = byId<HTMLCanvasElement>('original');

  byId('limits').textContent = `PNG, JPEG, WebP or GIF; up to ${formatBytes(MAX_FILE_BYTES)} and `
    + `${Math.floor(MAX_PIXELS / 1e6)} megapixels. Files stay on this device.`;

  // -------------------------------------------------------------- controls from the option table
  const presetList = byId('preset-list');
  presetList.setAttribute('role', 'radiogroup');
  presetList.setAttribute('aria-describedby', 'preset-help');
  const presetInputs = new Map<string, HTMLInputElement>();
  for (const name of [...PRESET_NAMES, CUSTOM]) {
    const input = Object.assign(document.createElement('input'), { type: 'radio', name: 'preset', value: name, checked: name === preset });
    const label = document.createElement('label');
    label.title = PRESET_HELP[name] ?? name;
    label.append(input, ` ${name}`);
    presetList.append(label);
    presetInputs.set(name, input);
    input.addEventListener('change', () => { if (input.checked) choosePreset(name); });
  }

  const controls = buildControls(byId('controls'), OPTION_SPECS, () => {
    if (preset !== CUSTOM) selectPreset(CUSTOM);
    schedule();
  });
  controls.set(PRESETS[preset as keyof typeof PRESETS]);

  function selectPreset(name: string): void {
    preset = name;
    const input = presetInputs.get(name);
    if (input) input.checked = true;
  }
  function choosePreset(name: string): void {
    selectPreset(name);
    const values = (PRESETS as Record<string, OptionValues>)[name];
    if (values) controls.set(values);
    schedule();
  }
  byId('reset').addEventListener('click', () => {
    controls.set(DEFAULTS as unknown as OptionValues);
    selectPreset(CUSTOM);
    schedule();
  });

  // -------------------------------------------------------------- viewer
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

  // -------------------------------------------------------------- tracing
  const client = new TraceClient(new URL('worker.js', scriptUrl), {
    onProgress: (fraction) => { progress.value = fraction; },
    onResult: (outcome) => showResult(outcome),
    onError: (message) => {
      progress.value = 0;
      views.removeAttribute('aria-busy');
      setStatus('Tracing failed.');
      showError(message);
    },
  });

  function schedule(delay = DEBOUNCE_MS): void {
    clearTimeout(debounce);
    if (!image) return;
    debounce = setTimeout(runTrace, delay);
  }

  function runTrace(): void {
    if (!image) return;
    progress.value = 0;
    setStatus(`Tracing ${image.name}…`);
    views.setAttribute('aria-busy', 'true');
    client.start(image, controls.values());
  }

  function showResult(outcome: TraceOutcome): void {
    const doc = new DOMParser().parseFromString(outcome.svg, 'image/svg+xml');
    const root = doc.documentElement;
    if (root.nodeName !== 'svg' || doc.getElementsByTagName('parsererror').length > 0) {
      showError('The engine produced an SVG that the browser cannot parse (please report this image).');
      return;
    }
    const svg = document.importNode(root, true) as unknown as SVGSVGElement;
    svg.setAttribute('width', '100%');
    svg.setAttribute('height', '100%');
    if (!svg.hasAttribute('viewBox')) svg.setAttribute('viewBox', `0 0 ${outcome.width} ${outcome.height}`);
    preview.replaceChildren(svg);
    result = outcome;
    renders += 1;
    // How runs were cancelled (shared flag or terminating the worker), for the curious and the tests.
    views.dataset.cancelMode = client.canSoftCancel ? 'flag' : 'terminate';
    views.dataset.workersStarted = String(client.workersStarted);
    views.dataset.cancelled = String(client.cancelled);
    preview.dataset.run = String(renders);
    preview.dataset.paths = String(outcome.pathCount);
    views.removeAttribute('aria-busy');
    progress.value = 1;
    const size = new TextEncoder().encode(outcome.svg).length;
    statTime.textContent = `${Math.round(outcome.traceMs)} ms`;
    statTime.title = `${Math.round(outcome.wallMs)} ms from the change to the result`;
    statPaths.textContent = String(outcome.pathCount);
    statSize.textContent = formatBytes(size);
    downloadButton.disabled = false;
    copyButton.disabled = false;
    setStatus(`Traced ${image?.name ?? 'the image'} in ${Math.round(outcome.traceMs)} ms: ${outcome.pathCount} paths, ${formatBytes(size)}.`);
  }

  // -------------------------------------------------------------- input
  async function load(blob: Blob, name: string): Promise<void> {
    clearError();
    setStatus(`Reading ${name}…`);
    let decoded: DecodedImage;
    try {
      decoded = await decodeImage(blob, name);
    } catch (err) {
      const message = err instanceof InputError ? err.message : `Could not open ${name}: ${err instanceof Error ? err.message : String(err)}`;
      showError(message);
      setStatus(image ? `Kept ${image.name}.` : 'Choose an image to start.');
      return;
    }
    client.cancel(); // a run for the previous image must not land on this one
    image = decoded;
    result = undefined;
    canvas.width = decoded.width;
    canvas.height = decoded.height;
    canvas.getContext('2d')?.putImageData(new ImageData(decoded.data, decoded.width, decoded.height), 0, 0);
    preview.replaceChildren();
    delete preview.dataset.run;
    statTime.textContent = statPaths.textContent = statSize.textContent = '–';
    downloadButton.disabled = copyButton.disabled = true;
    views.classList.add('has-image');
    viewer.setImageSize(decoded.width, decoded.height);
    const info = byId('file-info');
    info.textContent = `${decoded.name}: ${decoded.kind.toUpperCase()}, ${decoded.width}×${decoded.height}, ${formatBytes(decoded.bytes)}`;
    info.hidden = false;
    schedule(0);
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
    else showError('Drop an image file (PNG, JPEG, WebP or GIF); links and text cannot be traced.');
  });
  document.addEventListener('paste', (event) => {
    const data = event.clipboardData;
    if (!data) return;
    const file = [...data.files].find((f) => f.type.startsWith('image/'))
      ?? [...data.items].find((item) => item.kind === 'file' && item.type.startsWith('image/'))?.getAsFile();
    const target = event.target as HTMLElement | null;
    if (!file) {
      if (!target?.closest('input, textarea, select')) showError('The clipboard holds no image to paste.');
      return;
    }
    event.preventDefault();
    const ext = file.type.split('/')[1]?.replace('jpeg', 'jpg') ?? 'png';
    const name = file.name && file.name !== 'image.png' ? file.name : `pasted-image.${ext}`;
    void load(file, name);
  });

  // -------------------------------------------------------------- export
  function svgName(): string {
    return `${image?.baseName ?? 'image'}.svg`;
  }
  function saveText(text: string, name: string): void {
    const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
  downloadButton.addEventListener('click', () => {
    if (!result) return;
    saveText(result.svg, svgName());
    setStatus(`Saved ${svgName()}.`);
  });
  copyButton.addEventListener('click', async () => {
    if (!result) return;
    const text = result.svg;
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard API');
      await navigator.clipboard.writeText(text);
      setStatus(`Copied the SVG (${formatBytes(text.length)}) to the clipboard.`);
    } catch {
      // Fallback for pages that are not a secure context.
      const area = Object.assign(document.createElement('textarea'), { value: text, readOnly: true });
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.append(area);
      area.select();
      const ok = document.execCommand('copy');
      area.remove();
      copyButton.focus();
      if (ok) setStatus(`Copied the SVG (${formatBytes(text.length)}) to the clipboard.`);
      else showError('The browser refused to copy to the clipboard; use "Download SVG" instead.');
    }
  });

  // -------------------------------------------------------------- trace on the server
  const base = byId<HTMLInputElement>('server-base');
  const key = byId<HTMLInputElement>('server-key');
  const secret = byId<HTMLInputElement>('server-secret');
  const serverGo = byId<HTMLButtonElement>('server-go');
  const serverCancel = byId<HTMLButtonElement>('server-cancel');
  const serverProgress = byId<HTMLProgressElement>('server-progress');
  const serverStatus = byId('server-status');
  const serverLink = byId('server-link');
  const serverLinkA = byId<HTMLAnchorElement>('server-link-a');
  const stored: [HTMLInputElement, string][] = [[base, 'vtracer.server.base'], [key, 'vtracer.server.key'], [secret, 'vtracer.server.secret']];
  for (const [input, name] of stored) {
    try { input.value = sessionStorage.getItem(name) ?? ''; } catch { /* storage disabled */ }
    input.addEventListener('input', () => {
      try { sessionStorage.setItem(name, input.value); } catch { /* storage disabled */ }
    });
  }
  if (!base.value) base.value = defaultBaseUrl();

  interface ServerRun { controller: AbortController; jobId?: string; settings: ServerSettings }
  let serverRun: ServerRun | undefined;
  byId<HTMLFormElement>('server-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (serverRun) return;
    const current = image;
    if (!current) { serverStatus.textContent = 'Choose an image first.'; return; }
    const settings: ServerSettings = { baseUrl: base.value, apiKey: key.value, apiSecret: secret.value };
    if (!settings.baseUrl.trim() || !settings.apiKey.trim() || !settings.apiSecret.trim()) {
      serverStatus.textContent = 'Enter the base URL, the API key and the API secret (create a key with `vtracer keys create`).';
      return;
    }
    const run: ServerRun = { controller: new AbortController(), settings };
    serverRun = run;
    serverGo.disabled = true;
    serverCancel.hidden = false;
    serverProgress.hidden = false;
    serverProgress.value = 0;
    serverLink.hidden = true;
    serverStatus.textContent = `Sending ${current.name}…`;
    const started = performance.now();
    try {
      const dataUrl = await toDataUrl(current.blob, current.mimeType);
      const res = await traceOnServer(
        settings,
        { dataUrl, presetName: preset, parameters: controls.values() },
        (job: Job) => {
          run.jobId = job.jobId;
          serverProgress.value = job.progress ?? 0;
          serverStatus.textContent = `Job ${job.jobId}: ${job.status}${job.progress ? `, ${Math.round(job.progress * 100)}%` : ''}`;
        },
        run.controller.signal,
      );
      serverProgress.value = 1;
      serverLinkA.href = res.url;
      serverLink.hidden = false;
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const name = `${current.baseName}.svg`;
      if (res.svg !== undefined) {
        saveText(res.svg, name);
        serverStatus.textContent = `Job ${res.job.jobId} done in ${seconds} s: saved ${name} (${formatBytes(res.svg.length)}), asset ${res.assetId}.`;
      } else {
        serverStatus.textContent = `Job ${res.job.jobId} done in ${seconds} s: open the SVG with the link below (asset ${res.assetId}).`;
      }
    } catch (err) {
      if (run.controller.signal.aborted) {
        serverStatus.textContent = 'Cancelled.';
      } else {
        const message = err instanceof Error ? err.message : String(err);
        serverStatus.textContent = message;
        showError(`Trace on the server failed: ${message}`);
      }
    } finally {
      serverRun = undefined;
      serverGo.disabled = false;
      serverCancel.hidden = true;
    }
  });
  serverCancel.addEventListener('click', () => {
    const run = serverRun;
    if (!run) return;
    run.controller.abort();
    if (run.jobId) cancelJob(run.settings, run.jobId).catch(() => { /* best effort */ });
  });

  document.documentElement.dataset.ready = 'true';
}

try {
  main();
} catch (err) {
  showError(`The page could not start: ${err instanceof Error ? err.message : String(err)}`);
}

