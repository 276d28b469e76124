/**
 * Throughput of worker-thread tracing against one thread: the corpus images (decoded once), each traced
 * `--rounds` times, first one after another in this thread, then through traceMany on a pool of `--jobs`
 * workers (default: the number of cores). Prints images/s of both and the ratio (issue 6: ≥ 1.8× on 2 cores).
 *
 *   npm run bench:parallel -- [--rounds 3] [--jobs 2] [--preset poster]
 */
import { availableParallelism } from 'node:os';
import { traceRgba, traceMany, TracePool, type PresetName, type RgbaImage } from '../src/index.js';
import { loadRgba } from '../test/support/fidelity.js';
import { corpusDir, fixtureImages, fixturePath } from '../test/support/fixtures.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const rounds = Number(arg('rounds', '3'));
const jobs = Number(arg('jobs', String(availableParallelism())));
const preset = arg('preset', 'poster') as PresetName;

const corpus = corpusDir();
const paths = corpus
  ? readdirSync(corpus).filter((f) => f.endsWith('.png')).map((f) => join(corpus, f))
  : fixtureImages().map((f) => fixturePath(f));
const images: RgbaImage[] = [];
for (const p of paths) images.push(await loadRgba(p));
const work: RgbaImage[] = [];
for (let r = 0; r < rounds; r++) work.push(...images);

// Warm-up of the in-thread engine.
for (const img of images) traceRgba(img, { preset });

let t = performance.now();
for (const img of work) traceRgba(img, { preset });
const serialMs = performance.now() - t;

const pool = new TracePool({ size: jobs });
// Warm-up: every worker loads the engine once.
await traceMany(images.slice(0, jobs).map((rgba) => ({ rgba })), { preset, pool });
t = performance.now();
const results = await traceMany(work.map((rgba) => ({ rgba })), { preset, pool });
const parallelMs = performance.now() - t;
await pool.close();

const failed = results.filter((r) => !r.ok).length;
const serialRate = (work.length / serialMs) * 1000;
const parallelRate = (work.length / parallelMs) * 1000;
console.log(`${work.length} traces (${images.length} images × ${rounds}), preset ${preset}, ${jobs} workers, ${availableParallelism()} cores`);
console.log(`one thread : ${serialMs.toFixed(0)} ms, ${serialRate.toFixed(2)} images/s`);
console.log(`traceMany  : ${parallelMs.toFixed(0)} ms, ${parallelRate.toFixed(2)} images/s${failed ? `, ${failed} FAILED` : ''}`);
console.log(`speed-up   : ${(parallelRate / serialRate).toFixed(2)}× (target ≥ 1.8× on 2 cores)`);
