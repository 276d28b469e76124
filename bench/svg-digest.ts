/**
 * `node --import tsx bench/svg-digest.ts [--save FILE | --compare FILE]`: a SHA-256 of the SVG of every
 * reference case (each fixture and corpus image × presets poster, photo, bw × stacked/cutout × the curve
 * modes, plus a few parameter variations), for refactors that must not change the output. Save the digests
 * before the change, compare after: the cases that differ are listed and the exit code is 1.
 * The engine is deterministic, so any difference is a change of behaviour (not noise).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { traceRgba } from '../src/engine/index.js';
import type { TraceOptions } from '../src/engine/index.js';
import { loadRgba } from '../test/support/fidelity.js';
import { FIXTURES_DIR, corpusDir, corpusImages, fixtureImages } from '../test/support/fixtures.js';

const VARIANTS: Array<[string, TraceOptions]> = [
  ['poster', { preset: 'poster' }],
  ['photo', { preset: 'photo' }],
  ['bw', { preset: 'bw' }],
  ['poster-cutout', { preset: 'poster', hierarchical: 'cutout' }],
  ['photo-cutout', { preset: 'photo', hierarchical: 'cutout' }],
  ['poster-polygon', { preset: 'poster', mode: 'polygon' }],
  ['poster-pixel', { preset: 'poster', mode: 'pixel' }],
  ['cutout-polygon', { preset: 'poster', hierarchical: 'cutout', mode: 'polygon' }],
  ['defaults-speckle0', { filterSpeckle: 0, layerDifference: 0 }],
  ['poster-colours', { preset: 'poster', maxColors: 6, optimize: 2 }],
  ['bw-adaptive', { preset: 'bw', adaptive: true, simplify: 0 }],
];

const args = process.argv.slice(2);
const mode = args[0];
const file = args[1];
if ((mode !== undefined && mode !== '--save' && mode !== '--compare') || (mode !== undefined && !file)) {
  console.error('usage: bench/svg-digest.ts [--save FILE | --compare FILE]');
  process.exit(2);
}

const images: string[] = fixtureImages().map((f) => join(FIXTURES_DIR, f));
const corpus = corpusDir();
if (corpus) images.push(...corpusImages().map((f) => join(corpus, f)));

const digests: Record<string, string> = {};
for (const path of images) {
  const image = await loadRgba(path);
  const name = (path.startsWith(FIXTURES_DIR) ? 'fixtures/' : 'corpus/') + path.slice(path.lastIndexOf('/') + 1);
  for (const [variant, options] of VARIANTS) {
    const svg = traceRgba(image, options);
    digests[`${name} ${variant}`] = createHash('sha256').update(svg).digest('hex').slice(0, 16);
  }
}

if (mode === '--save') {
  writeFileSync(file!, JSON.stringify(digests, null, 1) + '\n');
  console.log(`${Object.keys(digests).length} cases saved to ${file}`);
} else if (mode === '--compare') {
  const before = JSON.parse(readFileSync(file!, 'utf8')) as Record<string, string>;
  const differ = Object.keys(digests).filter((k) => before[k] !== digests[k]);
  const missing = Object.keys(before).filter((k) => !(k in digests));
  for (const k of differ) console.log(`differs: ${k}`);
  for (const k of missing) console.log(`missing: ${k}`);
  console.log(`${Object.keys(digests).length} cases, ${differ.length} differ, ${missing.length} missing`);
  process.exit(differ.length + missing.length > 0 ? 1 : 0);
} else {
  for (const [k, v] of Object.entries(digests)) console.log(`${v}  ${k}`);
}
