/**
 * Throughput of worker-thread tracing against one thread: the corpus images (decoded once), each traced
 * `--rounds` times, first one after another in this thread, then through traceMany on a pool of `--jobs`
 * workers (default: the number of cores). Prints images/s of both and the ratio (issue 6: ≥ 1.8× on 2 cores).
 *
 *   npm run bench:parallel -- [--rounds 3] [--repeats 3] [--jobs 2] [--preset poster] [--cli-copies 16]
 *
 * Then the CLI batch as a user runs it: `vtracer <folder> -o <folder> --jobs 1` against `--jobs N` on the
 * images as files (`--cli-copies` copies of each), wall time of the whole command (process start, decoding
 * and writing included), best of `--repeats` (needs the build: `npm run build`; 0 copies skips it).
 *
 * Each measurement is the best of `--repeats` runs after one warm-up run: steady-state throughput, as a
 * batch or a service sees it (a cold worker first faults in its memory and compiles the engine).
 */
import { availableParallelism } from 'node:os';
import { traceRgba, traceMany, TracePool, type PresetName, type RgbaImage } from '../src/index.js';
import { loadRgba } from '../test/support/fidelity.js';
import { corpusDir, fixtureImages, fixturePath } from '../test/support/fixtures.js';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

const repeats = Number(arg('repeats', '3'));

/** Best of `repeats` timings of `run` after one untimed warm-up run (steady-state throughput). */
async function best(run: () => Promise<unknown> | unknown): Promise<number> {
  await run();
  let ms = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    await run();
    ms = Math.min(ms, performance.now() - t);
  }
  return ms;
}

const serialMs = await best(() => { for (const img of work) traceRgba(img, { preset }); });

let failed = 0;
async function poolMs(size: number): Promise<number> {
  const pool = new TracePool({ size });
  try {
    // The warm-up run gives every worker the whole mix (JIT, memory) before the timed runs.
    return await best(async () => {
      const results = await traceMany(work.map((rgba) => ({ rgba })), { preset, pool });
      failed += results.filter((r) => !r.ok).length;
    });
  } finally {
    await pool.close();
  }
}
const oneWorkerMs = await poolMs(1);
const parallelMs = await poolMs(jobs);

const rate = (ms: number) => (work.length / ms) * 1000;
console.log(`${work.length} traces (${images.length} images × ${rounds}), preset ${preset}, ${jobs} workers, ${availableParallelism()} cores, Node ${process.version}; best of ${repeats} runs after a warm-up run`);
console.log(`one thread    : ${serialMs.toFixed(0)} ms, ${rate(serialMs).toFixed(2)} images/s`);
console.log(`traceMany (1) : ${oneWorkerMs.toFixed(0)} ms, ${rate(oneWorkerMs).toFixed(2)} images/s (one worker thread)`);
console.log(`traceMany (${jobs}) : ${parallelMs.toFixed(0)} ms, ${rate(parallelMs).toFixed(2)} images/s${failed ? `, ${failed} FAILED` : ''}`);
console.log(`speed-up      : ${(serialMs / parallelMs).toFixed(2)}× the thread (target ≥ 1.8× on 2 cores), ${(oneWorkerMs / parallelMs).toFixed(2)}× one worker`);

// The CLI batch, whole command timed: files decoded in the workers, SVGs written as they finish.
const copies = Number(arg('cli-copies', '16'));
const cli = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
if (copies > 0 && !existsSync(cli)) {
  console.log('CLI batch     : skipped (dist/ missing: npm run build)');
} else if (copies > 0) {
  const dir = mkdtempSync(join(tmpdir(), 'vt-bench-cli-'));
  try {
    const inputs = join(dir, 'in');
    mkdirSync(inputs);
    for (let c = 0; c < copies; c++) for (const p of paths) copyFileSync(p, join(inputs, `${c}-${basename(p)}`));
    const files = copies * paths.length;
    const cliMs = (j: number): number => {
      let ms = Infinity;
      for (let i = 0; i < repeats; i++) {
        rmSync(join(dir, 'out'), { recursive: true, force: true });
        const t = performance.now();
        const run = spawnSync(process.execPath, [cli, inputs, '-o', join(dir, 'out'), '--jobs', String(j), '--preset', preset, '-q'], { encoding: 'utf8' });
        const elapsed = performance.now() - t;
        if (run.status !== 0) throw new Error(`vtracer --jobs ${j} exited with ${run.status}: ${run.stderr}`);
        const written = readdirSync(join(dir, 'out')).length;
        if (written !== files) throw new Error(`vtracer --jobs ${j} wrote ${written} SVGs for ${files} images`);
        ms = Math.min(ms, elapsed);
      }
      return ms;
    };
    const cliOne = cliMs(1);
    const cliMany = cliMs(jobs);
    const cliRate = (ms: number) => (files / ms) * 1000;
    console.log(`CLI batch     : ${files} files; --jobs 1 ${cliOne.toFixed(0)} ms (${cliRate(cliOne).toFixed(2)} images/s), --jobs ${jobs} ${cliMany.toFixed(0)} ms (${cliRate(cliMany).toFixed(2)} images/s): ${(cliOne / cliMany).toFixed(2)}× (whole command, best of ${repeats})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
