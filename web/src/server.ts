/**
 * "Trace on the server": the Scenario-compatible API of `vtracer serve` (see docs/api.md). Sends the image as
 * a data URL to POST /generate/custom/model_visioncortex-vtracer, polls GET /jobs/{id}, then reads
 * GET /assets/{id} and fetches the SVG from the asset's signed URL (which needs no Authorization header).
 */

export const MODEL_ID = 'model_visioncortex-vtracer';

export interface ServerSettings {
  /** e.g. `http://127.0.0.1:3000/v1` (no trailing slash needed). */
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
}

export interface Job {
  jobId: string;
  status: string;
  progress?: number;
  error?: string;
  metadata?: { assetIds?: string[] };
}

export interface ServerResult {
  job: Job;
  assetId: string;
  /** The asset's URL, absolute. */
  url: string;
  /** The SVG text, when the browser could fetch it (same origin or CORS allowed). */
  svg: string | undefined;
}

/** An HTTP error from the service, with the server's `reason` when it sent one. */
export class ServiceError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'ServiceError';
  }
}

const FINISHED = new Set(['success', 'failure', 'canceled', 'cancelled']);
const POLL_MS = 400;
/** Give up polling after this long (the job goes on on the server). */
const POLL_LIMIT_MS = 15 * 60 * 1000;

export function defaultBaseUrl(): string {
  return location.protocol === 'http:' || location.protocol === 'https:'
    ? `${location.origin}/v1`
    : 'http://127.0.0.1:3000/v1';
}

function endpoint(settings: ServerSettings, path: string): string {
  return `${settings.baseUrl.trim().replace(/\/+$/, '')}${path}`;
}

function authHeader(settings: ServerSettings): string {
  // btoa only takes Latin-1: encode as UTF-8 first so that any key or secret works.
  const bytes = new TextEncoder().encode(`${settings.apiKey.trim()}:${settings.apiSecret.trim()}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

async function call<T>(settings: ServerSettings, method: string, path: string, body: unknown, signal: AbortSignal): Promise<T> {
  const url = endpoint(settings, path);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        Authorization: authHeader(settings),
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      credentials: 'omit',
    });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new ServiceError(`Could not reach ${url}: ${err instanceof Error ? err.message : String(err)}. `
      + 'Check the base URL (a different origin must allow this page through CORS).');
  }
  const text = await response.text();
  let json: unknown;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  if (!response.ok) {
    const payload = (json ?? {}) as { reason?: unknown; message?: unknown; error?: unknown };
    const reason = [payload.reason, payload.message, payload.error].find((v) => typeof v === 'string' && v) as string | undefined;
    const hint = response.status === 401 ? ' Check the API key and secret.' : '';
    const retry = response.status === 429 && response.headers.get('Retry-After')
      ? ` Retry after ${response.headers.get('Retry-After')} s.` : '';
    throw new ServiceError(
      `${method} ${path} failed: HTTP ${response.status}${reason ? `: ${reason}` : text && !json ? `: ${text.slice(0, 200)}` : ''}.${hint}${retry}`,
      response.status,
    );
  }
  if (json === undefined) throw new ServiceError(`${method} ${path}: the server answered ${response.status} without JSON.`);
  return json as T;
}

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve, reject) => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
});

export interface ServerTraceRequest {
  dataUrl: string;
  /** `bw`, `poster`, `photo` or `custom`. */
  presetName: string;
  /** Sent only with the `custom` preset (the service ignores them with a named preset). */
  parameters: Record<string, string | number | boolean | string[]>;
}

export async function traceOnServer(
  settings: ServerSettings,
  request: ServerTraceRequest,
  onJob: (job: Job) => void,
  signal: AbortSignal,
): Promise<ServerResult> {
  const body: Record<string, unknown> = { image: request.dataUrl, presetName: request.presetName };
  if (request.presetName === 'custom') Object.assign(body, request.parameters);
  const created = await call<{ job?: Job }>(settings, 'POST', `/generate/custom/${MODEL_ID}`, body, signal);
  let job = created.job;
  if (!job || typeof job.jobId !== 'string') throw new ServiceError('The server answered without a job id.');
  onJob(job);
  const started = Date.now();
  while (!FINISHED.has(job.status)) {
    if (Date.now() - started > POLL_LIMIT_MS) {
      throw new ServiceError(`Job ${job.jobId} is still ${job.status} after ${POLL_LIMIT_MS / 60000} minutes; stopped waiting.`);
    }
    await sleep(POLL_MS, signal);
    job = (await call<{ job: Job }>(settings, 'GET', `/jobs/${encodeURIComponent(job.jobId)}`, undefined, signal)).job;
    onJob(job);
  }
  if (job.status !== 'success') {
    throw new ServiceError(`Job ${job.jobId} ended with status ${job.status}${job.error ? `: ${job.error}` : ''}.`);
  }
  const assetId = job.metadata?.assetIds?.[0];
  if (!assetId) throw new ServiceError(`Job ${job.jobId} succeeded but lists no asset.`);
  const { asset } = await call<{ asset: { id: string; url: string } }>(settings, 'GET', `/assets/${encodeURIComponent(assetId)}`, undefined, signal);
  if (!asset || typeof asset.url !== 'string') throw new ServiceError(`Asset ${assetId} has no URL.`);
  const url = new URL(asset.url, endpoint(settings, '/')).href;
  let svg: string | undefined;
  try {
    const response = await fetch(url, { signal, credentials: 'omit' });
    if (!response.ok) throw new ServiceError(`GET ${url} failed: HTTP ${response.status}.`, response.status);
    svg = await response.text();
  } catch (err) {
    if (signal.aborted || err instanceof ServiceError) throw err;
    svg = undefined; // cross-origin without CORS: the page offers the link instead
  }
  return { job, assetId, url, svg };
}

/** Asks the service to cancel a job (best effort). */
export async function cancelJob(settings: ServerSettings, jobId: string): Promise<void> {
  const controller = new AbortController();
  await call(settings, 'POST', `/jobs/${encodeURIComponent(jobId)}/action`, { action: 'cancel' }, controller.signal);
}
