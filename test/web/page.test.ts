/**
 * Browser tests of the web page (web/): Debian's Chromium driven by playwright-core against a real
 * `vtracer serve` (set up by harness.ts). They upload a corpus image, wait for the live preview, move a
 * control, download and copy the SVG, exercise zoom, errors and the narrow layout, and trace through the
 * service with a key made by the CLI. Screenshots go to test-artifacts/web/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { Resvg } from '@resvg/resvg-js';
import sharp from 'sharp';
import { ARTIFACTS, IMAGE, ROOT, usePage, waitForTrace, upload } from './harness.js';

const web = usePage();
const open = (viewport?: { width: number; height: number }, isolated = false) => web.open({ viewport, isolated });
const uploadEmoji = (page: Page) => upload(page);

test('traces a dropped-in image live in the browser, and moving filterSpeckle changes the paths', async (t) => {
  const { context, page, errors } = await open();
  try {
    // One control per option of the engine's table, each labelled.
    const labels = await page.$$eval('.control label', (nodes) => nodes.map((n) => (n as HTMLLabelElement).htmlFor));
    assert.ok(labels.includes('opt-filterSpeckle') && labels.length >= 11, `controls: ${labels.join(', ')}`);

    const started = Date.now();
    const first = await uploadEmoji(page);
    const wall = Date.now() - started;
    assert.ok(first.paths > 0, 'the preview holds <path> elements');
    assert.equal(first.paths, first.attrPaths, 'pathCount matches the <path> elements shown');
    const time = await page.textContent('#stat-time');
    t.diagnostic(`512×512 emoji: engine time in the worker ${time}, upload to preview ${wall} ms, ${first.paths} paths, ${await page.textContent('#stat-size')}`);
    assert.match((await page.textContent('#status')) ?? '', /Traced emoji-1f34e\.png in \d+ ms/);

    // Move filterSpeckle (typed in its number box; the slider follows) and wait for the new trace.
    await page.fill('#opt-filterSpeckle', '128');
    await page.press('#opt-filterSpeckle', 'Tab');
    const second = await waitForTrace(page, first.run);
    assert.equal(await page.inputValue('#opt-filterSpeckle-range'), '128');
    assert.ok(await page.isChecked('input[name=preset][value=custom]'), 'changing a control selects the custom preset');
    assert.notEqual(second.paths, first.paths, `filterSpeckle 128 should change the number of paths (${first.paths})`);

    // The slider with the keyboard: Home goes to 0.
    await page.focus('#opt-filterSpeckle-range');
    await page.keyboard.press('Home');
    const third = await waitForTrace(page, second.run);
    assert.equal(await page.inputValue('#opt-filterSpeckle'), '0');
    assert.notEqual(third.paths, second.paths);

    // A preset sets the controls back.
    await page.check('input[name=preset][value=bw]');
    await waitForTrace(page, third.run);
    assert.equal(await page.inputValue('#opt-colorMode'), 'binary');

    await page.screenshot({ path: join(ARTIFACTS, 'page.png') });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('rapid changes cancel the previous run and the last one wins', async () => {
  const { context, page, errors } = await open();
  try {
    const first = await uploadEmoji(page);
    for (const value of ['10', '20', '30', '2']) {
      await page.fill('#opt-filterSpeckle', value);
      await page.waitForTimeout(40);
    }
    await page.fill('#opt-colorPrecision', '3');
    let shown = await waitForTrace(page, first.run);
    // Let any straggler land and the last change's run finish (on a loaded machine it may still be running
    // after 1 s); the last values must be what is shown. The paths and their count are read in one evaluate,
    // so a run landing in between cannot make them disagree.
    await page.waitForTimeout(1000);
    await page.waitForFunction(() => !document.getElementById('views')!.hasAttribute('aria-busy'), undefined, { timeout: 30_000 });
    shown = await waitForTrace(page, shown.run - 1);
    assert.equal(shown.paths, shown.attrPaths);
    assert.equal(await page.inputValue('#opt-filterSpeckle'), '2');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

/** Changes filterSpeckle while runs of a slower image are in flight, then returns how they were cancelled. */
async function changeDuringRuns(page: Page): Promise<{ mode: string; workers: number; cancelled: number; final: string }> {
  await page.setInputFiles('#file', { name: 'astronaut-1024.png', mimeType: 'image/png', buffer: await slowImage() });
  const first = await waitForTrace(page);
  for (const value of ['5', '6', '7']) {
    await page.fill('#opt-filterSpeckle', value);
    await page.waitForTimeout(DEBOUNCE_PLUS); // the debounce fires and the run starts; the next change cancels it
  }
  await page.fill('#opt-filterSpeckle', '8');
  await page.waitForFunction(() => !document.getElementById('views')!.hasAttribute('aria-busy'), undefined, { timeout: 30_000 });
  await waitForTrace(page, first.run);
  return page.evaluate(() => {
    const views = document.getElementById('views')!;
    return {
      mode: views.dataset.cancelMode ?? '',
      workers: Number(views.dataset.workersStarted),
      cancelled: Number(views.dataset.cancelled),
      final: (document.getElementById('opt-filterSpeckle') as HTMLInputElement).value,
    };
  });
}
const DEBOUNCE_PLUS = 190;
let slow: Buffer | undefined;
/** A photo large enough (1024×1024) that its trace takes well over the debounce delay. */
async function slowImage(): Promise<Buffer> {
  slow ??= await sharp(join(ROOT, 'test', 'fixtures', 'astronaut-256.png')).resize(1024, 1024, { kernel: 'nearest' }).png().toBuffer();
  return slow;
}

test('a change during a run cancels it: by terminating the worker, or with a shared flag when isolated', async (t) => {
  const plain = await open();
  try {
    const result = await changeDuringRuns(plain.page);
    t.diagnostic(`not isolated: ${JSON.stringify(result)}`);
    assert.equal(result.mode, 'terminate');
    assert.equal(result.final, '8');
    assert.ok(result.cancelled >= 1, 'at least one run was cancelled');
    assert.equal(result.workers, 1 + result.cancelled, 'each cancel terminated the worker and started a new one');
    assert.deepEqual(plain.errors, []);
  } finally {
    await plain.context.close();
  }

  // The same page made cross-origin isolated (COOP + COEP on every response): cancelling flips a shared flag
  // and the engine stops at its next check, so the worker is kept.
  const isolated = await open(undefined, true);
  try {
    assert.equal(await isolated.page.evaluate(() => crossOriginIsolated), true);
    const result = await changeDuringRuns(isolated.page);
    t.diagnostic(`isolated: ${JSON.stringify(result)}`);
    assert.equal(result.mode, 'flag');
    assert.equal(result.final, '8');
    assert.ok(result.cancelled >= 1, 'at least one run was cancelled');
    // The engine honours the flag within the grace period (else the page terminates the worker anyway).
    assert.ok(result.workers < 1 + result.cancelled, `the worker was kept at least once (${JSON.stringify(result)})`);
    assert.deepEqual(isolated.errors, []);
  } finally {
    await isolated.context.close();
  }
});

test('downloads the SVG named after the input and copies it to the clipboard', async () => {
  const { context, page, errors } = await open();
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(web.baseUrl).origin });
    const traced = await uploadEmoji(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    assert.equal(download.suggestedFilename(), 'emoji-1f34e.svg');
    const file = await download.path();
    assert.ok(file);
    const svg = readFileSync(file, 'utf8');
    const rendered = new Resvg(svg, { font: { loadSystemFonts: false } }).render();
    assert.equal(rendered.width, 512);
    assert.equal(rendered.height, 512);
    assert.equal((svg.match(/<path\b/g) ?? []).length, traced.paths);
    // The browser's own parser agrees.
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return { root: doc.documentElement.nodeName, errors: doc.getElementsByTagName('parsererror').length };
    }, svg);
    assert.deepEqual(parsed, { root: 'svg', errors: 0 });

    await page.click('#copy');
    await page.waitForFunction(() => /Copied the SVG/.test(document.getElementById('status')?.textContent ?? ''));
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, svg);
    assert.ok(await page.isHidden('#error'));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('zoom and pan with buttons and keys, split view', async () => {
  const { context, page, errors } = await open();
  try {
    await uploadEmoji(page);
    const zoom = () => page.textContent('#zoom-level');
    const fitted = await zoom();
    await page.click('#zoom-in');
    assert.notEqual(await zoom(), fitted);
    await page.focus('#viewport-svg');
    await page.keyboard.press('1');
    assert.equal(await zoom(), '100%');
    await page.keyboard.press('+');
    assert.equal(await zoom(), '125%');
    const before = await page.$eval('#viewport-svg .stage', (el) => (el as HTMLElement).style.transform);
    await page.keyboard.press('ArrowLeft');
    const moved = await page.$eval('#viewport-svg .stage', (el) => (el as HTMLElement).style.transform);
    assert.notEqual(moved, before);
    // Both panes move together.
    assert.equal(await page.$eval('#viewport-original .stage', (el) => (el as HTMLElement).style.transform), moved);
    // Wheel zooms around the cursor.
    const box = (await page.locator('#viewport-svg').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await page.waitForFunction((z) => document.getElementById('zoom-level')?.textContent !== z, '125%');
    await page.keyboard.press('0');
    assert.equal(await zoom(), fitted);

    await page.check('input[name=view][value=split]');
    assert.ok(await page.isVisible('#split'));
    await page.fill('#split', '30');
    assert.equal(await page.$eval('#views', (el) => (el as HTMLElement).style.getPropertyValue('--split')), '30%');
    await page.screenshot({ path: join(ARTIFACTS, 'split.png') });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('shows errors in the page for undecodable and too large files', async () => {
  const { context, page } = await open();
  try {
    await page.setInputFiles('#file', { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('this is not an image') });
    await page.waitForSelector('#error:not([hidden])');
    assert.match((await page.textContent('#error-text')) ?? '', /notes\.png is not a PNG, JPEG, WebP or GIF image/);
    await page.click('#error-close');

    const truncated = readFileSync(IMAGE).subarray(0, 200);
    await page.setInputFiles('#file', { name: 'cut.png', mimeType: 'image/png', buffer: truncated });
    await page.waitForSelector('#error:not([hidden])');
    assert.match((await page.textContent('#error-text')) ?? '', /cut\.png looks like a PNG file but could not be decoded/);

    // Dropped, built in the page (faster than sending 20 MB through the protocol).
    await page.evaluate(async (png) => {
      const bytes = new Uint8Array(20_000_001);
      bytes.set(png);
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'huge.png', { type: 'image/png' }));
      document.getElementById('dropzone')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, [...readFileSync(IMAGE).subarray(0, 64)]);
    await page.waitForFunction(() => /huge\.png is 20\.0 MB/.test(document.getElementById('error-text')?.textContent ?? ''));
    assert.match((await page.textContent('#error-text')) ?? '', /accepts files up to 20\.0 MB/);

    // A PNG header announcing 5000×5000 pixels is refused before decoding.
    const big = Buffer.from(readFileSync(IMAGE).subarray(0, 64));
    big.writeUInt32BE(5000, 16);
    big.writeUInt32BE(5000, 20);
    await page.setInputFiles('#file', { name: 'big.png', mimeType: 'image/png', buffer: big });
    await page.waitForFunction(() => /big\.png is 5000×5000 pixels/.test(document.getElementById('error-text')?.textContent ?? ''));

    // The page still works after errors.
    const traced = await uploadEmoji(page);
    assert.ok(traced.paths > 0);
    assert.ok(await page.isHidden('#error'));
  } finally {
    await context.close();
  }
});

test('paste and drop an image; a worker that fails to load is reported in the page', async () => {
  const { context, page, errors } = await open();
  try {
    const png = [...readFileSync(IMAGE)];
    // Paste (e.g. a screenshot from the clipboard): a nameless image gets a name of its own.
    await page.evaluate((bytes) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], 'image.png', { type: 'image/png' }));
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
    }, png);
    const pasted = await waitForTrace(page);
    assert.ok(pasted.paths > 0);
    assert.match((await page.textContent('#file-info')) ?? '', /^pasted-image\.png: PNG, 512×512/);
    // Drop, on the drop zone.
    await page.evaluate((bytes) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], 'dropped apple.png', { type: 'image/png' }));
      document.getElementById('dropzone')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, png);
    // The pasted image's run is still shown until the dropped file is decoded: wait for a newer run.
    await waitForTrace(page, pasted.run);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    assert.equal(download.suggestedFilename(), 'dropped apple.svg');
    assert.equal(await page.$eval('#progress', (el) => (el as HTMLProgressElement).value), 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }

  const broken = await open();
  try {
    await broken.page.route('**/worker.js', (route) => route.fulfill({ status: 404, body: 'missing' }));
    await broken.page.setInputFiles('#file', IMAGE);
    await broken.page.waitForSelector('#error:not([hidden])');
    assert.match((await broken.page.textContent('#error-text')) ?? '', /tracing worker failed/);
    assert.equal(await broken.page.textContent('#status'), 'Tracing failed.');
  } finally {
    await broken.context.close();
  }
});

test('usable on a narrow screen', async () => {
  const { context, page, errors } = await open({ width: 390, height: 844 });
  try {
    await uploadEmoji(page);
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(widths[0]! <= widths[1]!, `no horizontal scrolling (${widths.join(' > ')})`);
    assert.ok(await page.isVisible('#download'));
    await page.screenshot({ path: join(ARTIFACTS, 'narrow.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

/** Clicks "Trace on the server" and returns the SVG file the page downloads from the asset's URL. */
async function traceOnServer(page: Page): Promise<{ name: string; svg: string }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('#server-go')]);
  return { name: download.suggestedFilename(), svg: readFileSync((await download.path())!, 'utf8') };
}

test('traces on the server with a real key and downloads the asset', async (t) => {
  if (!web.credentials) {
    t.skip('no API key (VTRACER_WEB_URL given without VTRACER_WEB_KEY and VTRACER_WEB_SECRET)');
    return;
  }
  const { context, page, errors } = await open();
  try {
    await uploadEmoji(page);
    await page.click('#server summary');
    assert.equal(await page.inputValue('#server-base'), `${new URL(web.baseUrl).origin}/v1`);

    // Wrong secret: the server's 401 reason is shown.
    await page.fill('#server-key', web.credentials!.apiKey);
    await page.fill('#server-secret', 'wrong-secret');
    await page.click('#server-go');
    await page.waitForSelector('#error:not([hidden])');
    assert.match((await page.textContent('#error-text')) ?? '', /HTTP 401/);
    await page.click('#error-close');

    await page.fill('#server-secret', web.credentials!.apiSecret);
    await page.check('input[name=preset][value=photo]');
    const { name, svg } = await traceOnServer(page);
    assert.equal(name, 'emoji-1f34e.svg');
    const rendered = new Resvg(svg, { font: { loadSystemFonts: false } }).render();
    assert.equal(rendered.width, 512);
    assert.match((await page.textContent('#server-status')) ?? '', /Job job_\S+ done in/);
    assert.ok(await page.isVisible('#server-link'));
    // The key and secret live in sessionStorage only.
    const storage = await page.evaluate(() => ({ session: sessionStorage.getItem('vtracer.server.secret'), local: JSON.stringify(localStorage) }));
    assert.equal(storage.session, web.credentials!.apiSecret);
    assert.ok(!storage.local.includes(web.credentials!.apiSecret));
    await page.screenshot({ path: join(ARTIFACTS, 'server.png') });
    assert.deepEqual(errors.filter((e) => !/401/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('on the server, the custom preset sends the parameters of the controls', async (t) => {
  if (!web.credentials) {
    t.skip('no API key (VTRACER_WEB_URL given without VTRACER_WEB_KEY and VTRACER_WEB_SECRET)');
    return;
  }
  const { context, page, errors } = await open();
  try {
    await uploadEmoji(page);
    // Choosing a parameter switches the page to the custom preset.
    await page.selectOption('#opt-mode', 'polygon');
    assert.ok(await page.isChecked('input[name=preset][value=custom]'));
    await page.click('#server summary');
    await page.fill('#server-key', web.credentials!.apiKey);
    await page.fill('#server-secret', web.credentials!.apiSecret);
    const { svg } = await traceOnServer(page);
    const d = [...svg.matchAll(/ d="([^"]*)"/g)].map((m) => m[1]).join('');
    assert.ok(d.length > 0, 'the server returned paths');
    assert.doesNotMatch(d, /[CcSsQqTtAa]/, 'polygon mode on the server: straight segments only');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

