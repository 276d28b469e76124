// Builds the web page into web/dist/: main.js (the page) and worker.js (the engine in a Web Worker), both
// classic scripts so the page runs from any folder of any static server, plus index.html, style.css and the
// icon. Relative URLs only. Usage: node web/build.mjs [--dev] (dev: no minification).
import * as esbuild from 'esbuild';
import { mkdir, copyFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'dist');
const dev = process.argv.includes('--dev');

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

const started = Date.now();
await esbuild.build({
  entryPoints: { main: join(here, 'src/main.ts'), worker: join(here, 'src/worker.ts') },
  outdir: out,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome100', 'firefox100', 'safari15.4'],
  minify: !dev,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
for (const file of ['index.html', 'style.css', 'favicon.svg']) await copyFile(join(here, file), join(out, file));
// The sample gallery's images (web/src/samples.ts), from the repository's test corpus.
const samples = join(out, 'samples');
await mkdir(samples, { recursive: true });
for (const file of ['emoji-1f34e.png', 'horse.png', 'text.png', 'coffee-300.png']) {
  await copyFile(join(here, '..', 'test', 'fixtures', file), join(samples, file));
}
console.log(`web page built into ${out} in ${Date.now() - started} ms`);
