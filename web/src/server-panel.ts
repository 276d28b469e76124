/**
 * The "Trace on the server" panel: base URL, key and secret (kept in this tab's sessionStorage), a job with
 * its progress, the SVG downloaded from the asset's URL, and Cancel.
 */
import type { ControlSet } from './controls.js';
import { formatBytes, toDataUrl } from './decode.js';
import { byId, saveText } from './dom.js';
import { traceOnServer, cancelJob, defaultBaseUrl } from './server.js';
import type { ServerSettings, Job } from './server.js';
import type { PageState } from './state.js';
import type { StatusArea } from './status.js';

interface ServerRun { controller: AbortController; jobId?: string; settings: ServerSettings }

export function setupServerPanel(state: PageState, controls: ControlSet, status: StatusArea): void {
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

  let serverRun: ServerRun | undefined;
  byId<HTMLFormElement>('server-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (serverRun) return;
    const current = state.image;
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
        { dataUrl, presetName: state.preset, parameters: controls.values() },
        (job: Job) => {
          run.jobId = job.jobId;
          serverProgress.value = job.progress ?? 0;
          serverStatus.textContent = `Job ${job.jobId}: ${job.status}${job.progress ? `, ${Math.round(job.progress * 100)}%` : ''}`;
        },
        run.controller.signal,
      );
      serverProgress.value = 1;
      status.clearError('server');
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
        status.showError(`Trace on the server failed: ${message}`, 'server');
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
}
