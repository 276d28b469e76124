/**
 * Shared set-up of the browser tests of the web page (web/): starts a real `vtracer serve` on a free port with
 * a temporary data folder and a key made by the CLI, and Debian's Chromium driven by playwright-core.
 * `usePage()` registers the before/after hooks of a test file and returns the handle its tests use.
 *
 * Chromium is installed by scripts/chromium.sh when /usr/bin/chromium is missing (root, apt-get).
 * VTRACER_WEB_URL=http://host:port/ runs the page tests against an already running page instead (the server
 * tests are then skipped unless VTRACER_WEB_KEY and VTRACER_WEB_SECRET are set too).
 */
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type Server } from '../server/helpers.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'web');
export const IMAGE = join(ROOT, 'test', 'fixtures', 'emoji-1f34e.png');
export const fixture = (name: string): string => join(ROOT, 'test', 'fixtures', name);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
  '--no-first-run', '--disable-component-update', '--disable-sync',
];

export interface Opened { context: BrowserContext; page: Page; errors: string[] }
export interface OpenOptions {
  viewport?: { width: number; height: number };
  /** Serve every response with COOP + COEP (a cross-origin isolated page). */
  isolated?: boolean;
  colorScheme?: 'light' | 'dark';
}

export interface WebHarness {
  /** The page's URL (ends with /). */
  readonly baseUrl: string;
  /** A key made with `vtracer keys create`, when the tests started their own service. */
  readonly credentials: { apiKey: string; apiSecret: string } | undefined;
  open(options?: OpenOptions): Promise<Opened>;
}

async function waitForHealth(server: Server | undefined, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (server && server.proc.exitCode !== null) break;
    try {
      const response = await fetch(url);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`vtracer serve did not become healthy at ${url} (${last}); its output:\n${server?.logs.join('\n').slice(-4000)}`);
}

function ensureBuilt(): void {
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  }
  if (!existsSync(join(ROOT, 'web', 'dist', 'index.html')) || !existsSync(join(ROOT, 'web', 'dist', 'worker.js'))) {
    execFileSync(process.execPath, ['web/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  }
}

export function usePage(): WebHarness {
  let browser: Browser;
  let server: Server | undefined;
  let dataDir: string | undefined;
  const harness = {
    baseUrl: '',
    credentials: undefined as { apiKey: string; apiSecret: string } | undefined,
    async open(options: OpenOptions = {}): Promise<Opened> {
      const context = await browser.newContext({
        viewport: options.viewport ?? { width: 1280, height: 860 }, acceptDownloads: true, colorScheme: options.colorScheme ?? 'light',
      });
      const page = await context.newPage();
      if (options.isolated) {
        await page.route('**/*', async (route) => {
          const response = await route.fetch();
          await route.fulfill({
            response,
            headers: { ...response.headers(), 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' },
          });
        });
      }
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
      page.on('console', (msg) => { if (msg.type() === 'error') errors.push(`console: ${msg.text()}`); });
      await page.goto(harness.baseUrl);
      await page.waitForSelector('html[data-ready="true"]', { timeout: 15_000 });
      return { context, page, errors };
    },
  };

  before(async () => {
    if (!existsSync(CHROMIUM)) {
      execFileSync('bash', [join(ROOT, 'scripts', 'chromium.sh')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], timeout: 15 * 60_000 });
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    if (process.env.VTRACER_WEB_URL) {
      harness.baseUrl = process.env.VTRACER_WEB_URL;
      if (process.env.VTRACER_WEB_KEY && process.env.VTRACER_WEB_SECRET) {
        harness.credentials = { apiKey: process.env.VTRACER_WEB_KEY, apiSecret: process.env.VTRACER_WEB_SECRET };
      }
    } else {
      ensureBuilt();
      dataDir = mkdtempSync(join(tmpdir(), 'vtracer-web-test-'));
      // On a port the OS picks (a port probed free here could be taken by a test file running at the same time).
      server = await startServer(dataDir, [], 30_000);
      harness.baseUrl = `${server.url}/`;
      await waitForHealth(server, `${harness.baseUrl}healthz`, 30_000);
      const out = execFileSync(process.execPath, ['bin/vtracer.js', 'keys', 'create', '--name', 'web-test', '--json', '--data', dataDir], {
        cwd: ROOT, encoding: 'utf8',
      });
      const created = JSON.parse(out.trim().split('\n').filter((l) => l.startsWith('{')).pop() ?? out) as { apiKey: string; apiSecret: string };
      assert.ok(created.apiKey && created.apiSecret, `keys create printed ${out}`);
      harness.credentials = created;
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
  });

  after(async () => {
    await browser?.close();
    if (server) {
      await Promise.race([server.stop('SIGTERM'), new Promise((r) => setTimeout(r, 5000))]);
      if (server.proc.exitCode === null && server.proc.signalCode === null) server.proc.kill('SIGKILL');
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return harness;
}

/** Waits until the preview shows a trace newer than `afterRun` and returns its run number and path count. */
export async function waitForTrace(page: Page, afterRun = 0): Promise<{ run: number; paths: number; attrPaths: number }> {
  await page.waitForFunction((n) => Number(document.getElementById('preview')?.dataset.run ?? 0) > n, afterRun, { timeout: 30_000 });
  return page.evaluate(() => {
    const preview = document.getElementById('preview')!;
    return {
      run: Number(preview.dataset.run),
      paths: preview.querySelectorAll('svg path').length,
      attrPaths: Number(preview.dataset.paths),
    };
  });
}

/** The run number shown now (0 before the first result). */
export async function currentRun(page: Page): Promise<number> {
  return page.evaluate(() => Number(document.getElementById('preview')?.dataset.run ?? 0));
}

export async function upload(page: Page, file = IMAGE): Promise<{ run: number; paths: number; attrPaths: number }> {
  const before = await currentRun(page);
  await page.setInputFiles('#file', file);
  return waitForTrace(page, before);
}
