import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ImageDataError, OptionError, TraceAbortedError, traceRgbaDetailed } from '../../src/engine/index.js';
import type { RgbaImage } from '../../src/engine/index.js';
import { DecodeError, decodeImage } from '../../src/io/decode.js';
import { PoolClosedError, TracePool, WorkerCrashError, traceMany } from '../../src/parallel/index.js';
import type { TraceManyResult } from '../../src/parallel/index.js';

const HORSE = fileURLToPath(new URL('../fixtures/horse.png', import.meta.url));
const EMOJI = fileURLToPath(new URL('../fixtures/emoji-1f34e.png', import.meta.url));
const CRASHING_WORKER = new URL('./crashing-worker.ts', import.meta.url);

/** Uniform noise: many tiny regions, so the trace is long (seconds at 800×800). */
function noise(width: number, height: number, seed = 1): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  let s = seed;
  for (let i = 0; i < data.length; i += 4) {
    for (let c = 0; c < 3; c++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      data[i + c] = s >>> 24;
    }
    data[i + 3] = 255;
  }
  return { data, width, height };
}

let dir: string;
let bad: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vtracer-pool-'));
  bad = join(dir, 'renamed.png');
  await writeFile(bad, 'just text\n');
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('TracePool', () => {
  test('traces on workers, in parallel, with the same result as traceRgbaDetailed in-process', async () => {
    const pool = new TracePool({ size: 2 });
    try {
      const small = noise(120, 90, 7);
      const tasks = [{ input: HORSE }, { input: await readFile(EMOJI) }, { rgba: small }, { input: EMOJI }];
      const options = { preset: 'poster' as const, filterSpeckle: 6 };
      let maxRunning = 0;
      const results = await Promise.all(tasks.map((task) => pool.run(task, {
        ...options,
        onStart: () => {
          maxRunning = Math.max(maxRunning, pool.stats().running);
        },
      })));
      assert.equal(maxRunning, 2, 'two tasks ran at the same time, never more');
      const expected = [
        traceRgbaDetailed(await decodeImage(HORSE), options),
        traceRgbaDetailed(await decodeImage(EMOJI), options),
        traceRgbaDetailed(small, options),
      ];
      assert.deepEqual(results[0], expected[0]);
      assert.deepEqual(results[1], expected[1]);
      assert.deepEqual(results[2], expected[2]);
      assert.deepEqual(results[3], expected[1]);
      assert.ok(results[0].pathCount > 0 && results[0].svg.startsWith('<svg'));
      assert.equal(pool.stats().completed, 4);
      assert.equal(pool.stats().workers, 2);
    } finally {
      await pool.close();
    }
  });

  test('forwards progress: non-decreasing, several steps, ending at 1', async () => {
    const pool = new TracePool({ size: 1 });
    try {
      const seen: number[] = [];
      const result = await pool.run({ rgba: noise(300, 300, 3) }, { onProgress: (f) => seen.push(f) });
      assert.ok(result.pathCount > 0);
      assert.ok(seen.length >= 3, `only ${seen.length} progress calls`);
      for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1], `progress went back: ${seen}`);
      assert.equal(seen.at(-1), 1);
      assert.ok(seen.every((f) => f >= 0 && f <= 1));
    } finally {
      await pool.close();
    }
  });

  test('an AbortSignal stops a long trace promptly, and the worker is kept', async () => {
    // abortGraceMs is long: if the worker were only freed by being killed, `restarts` would show it.
    const pool = new TracePool({ size: 1, abortGraceMs: 60_000 });
    try {
      const controller = new AbortController();
      let abortedAt = 0;
      const started = performance.now();
      const running = pool.run({ rgba: noise(800, 800, 11) }, {
        signal: controller.signal,
        onProgress: (f) => {
          if (f > 0.05 && abortedAt === 0) {
            abortedAt = performance.now();
            controller.abort();
          }
        },
      });
      await assert.rejects(running, (e: unknown) => e instanceof TraceAbortedError && e.code === 'ABORTED' && e.name === 'AbortError');
      assert.ok(abortedAt > 0, 'progress was reported before the abort');
      // The worker reports back as soon as the engine notices the flag: wait for it to be idle.
      const deadline = performance.now() + 10_000;
      while (pool.stats().running > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const stoppedAfter = performance.now() - abortedAt;
      assert.equal(pool.stats().running, 0, 'the worker stopped tracing');
      // Untouched, this trace runs for seconds (about 3 s in-process on a fast machine); aborted, it stops in tens of ms.
      assert.ok(stoppedAfter < 1000, `the trace took ${stoppedAfter} ms to stop`);
      assert.equal(pool.stats().restarts, 0, 'the worker was not killed');
      assert.equal(pool.stats().workers, 1);
      // and it still works
      const next = await pool.run({ input: HORSE });
      assert.equal(next.width, 400);
      assert.ok(performance.now() - started < 20_000);
    } finally {
      await pool.close();
    }
  });

  test('an abort drops a queued task, and an already aborted signal rejects at once', async () => {
    const pool = new TracePool({ size: 1 });
    try {
      const first = pool.run({ rgba: noise(200, 200) });
      const controller = new AbortController();
      let started = false;
      const queued = pool.run({ input: HORSE }, { signal: controller.signal, onStart: () => { started = true; } });
      controller.abort();
      await assert.rejects(queued, TraceAbortedError);
      await first;
      assert.equal(started, false, 'the queued task never reached a worker');
      await assert.rejects(pool.run({ input: HORSE }, { signal: AbortSignal.abort() }), TraceAbortedError);
    } finally {
      await pool.close();
    }
  });

  test('many tasks on one signal: one listener on it (no leak warning), and its abort stops them all', async () => {
    const pool = new TracePool({ size: 1 });
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => { warnings.push(w); };
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const done = await Promise.allSettled(Array.from({ length: 30 }, () => pool.run({ input: HORSE }, { signal: controller.signal })));
      assert.ok(done.every((d) => d.status === 'fulfilled'), 'all 30 traced');
      const running = pool.run({ rgba: noise(600, 600) }, { signal: controller.signal });
      const queued = Array.from({ length: 30 }, () => pool.run({ input: HORSE }, { signal: controller.signal }));
      controller.abort();
      for (const r of [running, ...queued]) await assert.rejects(r, TraceAbortedError);
      // A warning is emitted on the next tick: let it come if it would.
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(warnings.map((w) => w.name), []);
      // The pool still works, with a fresh signal.
      assert.match((await pool.run({ input: HORSE }, { signal: new AbortController().signal })).svg, /^<svg/);
    } finally {
      process.off('warning', onWarning);
      await pool.close();
    }
  });

  test('errors keep their class, code and details across the thread boundary', async () => {
    const pool = new TracePool({ size: 2 });
    try {
      await assert.rejects(pool.run({ input: join(dir, 'missing.png') }), (e: unknown) => {
        assert.ok(e instanceof DecodeError);
        assert.equal(e.code, 'FILE_NOT_FOUND');
        assert.match(e.message, /^cannot read ".*missing\.png": no such file$/);
        return true;
      });
      await assert.rejects(pool.run({ input: bad }), (e: unknown) => e instanceof DecodeError && e.code === 'UNSUPPORTED_IMAGE');
      await assert.rejects(pool.run({ rgba: { data: new Uint8Array(10), width: 4, height: 4 } }), ImageDataError);
      await assert.rejects(pool.run({ input: HORSE }, { colorPrecision: 9 }), (e: unknown) => {
        assert.ok(e instanceof OptionError);
        assert.equal(e.option, 'colorPrecision');
        assert.equal(e.expected, 'an integer from 1 to 8');
        assert.equal(e.message, 'colorPrecision must be an integer from 1 to 8, got 9');
        return true;
      });
      // Pixel limit of the pool, applied by the worker's decoder.
      const limited = new TracePool({ size: 1, limitInputPixels: 1000 });
      await assert.rejects(limited.run({ input: HORSE }), (e: unknown) => e instanceof DecodeError && e.code === 'IMAGE_TOO_LARGE');
      await limited.close();
    } finally {
      await pool.close();
    }
  });

  test('a crashing worker fails only its own task and is replaced', async () => {
    const pool = new TracePool({ size: 1, workerUrl: CRASHING_WORKER });
    try {
      const results = await Promise.allSettled([
        pool.run({ input: HORSE }),
        pool.run({ input: 'CRASH:exit' }),
        pool.run({ input: HORSE }),
        pool.run({ input: 'CRASH:throw' }),
        pool.run({ input: EMOJI }),
      ]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
      const crash1 = (results[1] as PromiseRejectedResult).reason;
      const crash2 = (results[3] as PromiseRejectedResult).reason;
      assert.ok(crash1 instanceof WorkerCrashError && crash1.code === 'WORKER_CRASHED');
      assert.match(crash1.message, /exit code 3/);
      assert.ok(crash2 instanceof WorkerCrashError);
      assert.match(crash2.message, /boom in the worker/);
      assert.equal(pool.stats().restarts, 2);
    } finally {
      await pool.close();
    }
  });

  test('a crash does not disturb tasks running on other workers', async () => {
    const pool = new TracePool({ size: 2, workerUrl: CRASHING_WORKER });
    try {
      const long = pool.run({ rgba: noise(300, 300, 5) });
      const crash = pool.run({ input: 'CRASH:throw' });
      await assert.rejects(crash, WorkerCrashError);
      assert.ok((await long).pathCount > 0);
    } finally {
      await pool.close();
    }
  });

  test('close() rejects pending tasks, and later runs', async () => {
    const pool = new TracePool({ size: 1 });
    const running = pool.run({ rgba: noise(400, 400) });
    const queued = pool.run({ input: HORSE });
    const rejected = [assert.rejects(running, PoolClosedError), assert.rejects(queued, PoolClosedError)];
    await new Promise((r) => setTimeout(r, 50));
    await pool.close();
    await Promise.all(rejected);
    await assert.rejects(pool.run({ input: HORSE }), PoolClosedError);
  });

  test('an idle pool does not keep the process alive', () => {
    const entry = new URL('../../src/parallel/index.ts', import.meta.url).href;
    const script = `import { TracePool } from ${JSON.stringify(entry)};
      const pool = new TracePool({ size: 1 });
      const r = await pool.run({ input: ${JSON.stringify(HORSE)} });
      console.log('traced', r.width);`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8', timeout: 30_000,
    });
    assert.equal(child.error, undefined, 'the process ended by itself');
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout.trim(), 'traced 400');
  });

  test('bad pool options are OptionErrors', () => {
    assert.throws(() => new TracePool({ size: 0 }), { name: 'OptionError', option: 'size' });
    assert.throws(() => new TracePool({ limitInputPixels: -5 }), { name: 'OptionError', option: 'limitInputPixels' });
    assert.throws(() => new TracePool({ size: 1.5 }), { name: 'OptionError', option: 'size', message: /an integer of at least 1, got 1\.5/ });
    // A negative, NaN or endless grace would kill an aborted trace's worker at once (Node fires such timers now).
    for (const bad of [-1, Number.NaN, Infinity, 2 ** 31, '5000']) {
      assert.throws(() => new TracePool({ abortGraceMs: bad as number }),
        { name: 'OptionError', option: 'abortGraceMs', message: /a number from 0 to 2147483647/ }, `abortGraceMs ${String(bad)}`);
    }
    const pool = new TracePool({ size: 1, abortGraceMs: 0, limitInputPixels: 0 });
    assert.equal(pool.size, 1);
    void pool.close();
  });
});

describe('traceMany', () => {
  test('results in input order; a failure does not stop the rest', async () => {
    const done: TraceManyResult[] = [];
    const progress: number[] = [];
    const inputs = [HORSE, bad, await readFile(EMOJI), { rgba: noise(60, 40) }, join(dir, 'missing.png')];
    const results = await traceMany(inputs, {
      jobs: 2, mode: 'polygon', onFileDone: (r) => done.push(r), onProgress: (f) => progress.push(f),
    });
    assert.deepEqual(results.map((r) => r.ok), [true, false, true, true, false]);
    assert.deepEqual(results.map((r) => r.index), [0, 1, 2, 3, 4]);
    assert.equal(results[0].input, HORSE);
    assert.equal(done.length, 5);
    const horse = results[0];
    assert.ok(horse.ok);
    assert.equal(horse.svg, traceRgbaDetailed(await decodeImage(HORSE), { mode: 'polygon' }).svg);
    const failure = results[1];
    assert.ok(!failure.ok && failure.error instanceof DecodeError && failure.error.code === 'UNSUPPORTED_IMAGE');
    const missing = results[4];
    assert.ok(!missing.ok && missing.error instanceof DecodeError && missing.error.code === 'FILE_NOT_FOUND');
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i] >= progress[i - 1]);
    assert.equal(progress.at(-1), 1);
  });

  test('a bad option rejects the whole call; an empty list gives no results', async () => {
    await assert.rejects(traceMany([HORSE], { filterSpeckle: -1 }), { name: 'OptionError', option: 'filterSpeckle' });
    await assert.rejects(traceMany([HORSE], { jobs: 0 }), { name: 'OptionError', option: 'jobs' });
    assert.deepEqual(await traceMany([]), []);
  });

  test('runs on a given pool and leaves it open', async () => {
    const pool = new TracePool({ size: 1 });
    try {
      const [a] = await traceMany([HORSE], { pool });
      assert.ok(a.ok);
      assert.equal((await pool.run({ input: HORSE })).svg, a.svg);
    } finally {
      await pool.close();
    }
  });
});

describe('TracePool worker recycling', () => {
  test('recycleAbovePixels: a worker that traced a larger image is replaced (counted apart from crashes); smaller ones keep theirs', async () => {
    const pool = new TracePool({ size: 1, recycleAbovePixels: 1000 });
    try {
      const small = await pool.run({ rgba: noise(20, 20, 3) });
      assert.equal(small.width, 20);
      assert.deepEqual([pool.stats().recycled, pool.stats().workers], [0, 1]);
      const large = await pool.run({ rgba: noise(40, 40, 4) });
      assert.equal(large.svg, traceRgbaDetailed(noise(40, 40, 4)).svg, 'the result of the recycled worker is whole');
      for (let i = 0; i < 100 && pool.stats().recycled === 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(pool.stats().recycled, 1);
      assert.equal(pool.stats().restarts, 0, 'a recycle is not a crash');
      assert.equal((await pool.run({ rgba: noise(20, 20, 5) })).width, 20, 'a fresh worker takes the next task');
      assert.throws(() => new TracePool({ recycleAbovePixels: -1 }), OptionError);
    } finally {
      await pool.close();
    }
  });
});
