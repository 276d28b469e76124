/**
 * Event-loop stall of `await trace(photo)`: the longest time the main thread's event loop could not run while
 * the trace was in flight (perf_hooks' monitorEventLoopDelay, 1 ms resolution), with the default (a worker of
 * the shared pool) and with `thread: 'main'`. Issue 15's target: under 10 ms by default.
 *
 *   npm run bench:stall -- [--image coffee.png] [--runs 5] [--preset photo]
 *
 * Two figures per mode: the longest delay of the loop (which on a loaded machine also counts the time the
 * OS did not schedule the thread: compare with the idle wait's), and the main thread's busy time in all
 * (eventLoopUtilization's active time), an upper bound of any stall our code causes. The first run includes
 * the worker's start; the figures are the worst of the later runs (and the first one separately).
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { trace, type PresetName } from '../src/index.js';
import { corpusDir, fixturePath } from '../test/support/fixtures.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const imageName = arg('image', 'coffee.png');
const runs = Number(arg('runs', '5'));
const preset = arg('preset', 'photo') as PresetName;
const corpus = corpusDir();
const image = corpus && existsSync(join(corpus, imageName)) ? join(corpus, imageName) : fixturePath('coffee-300.png');

/** The same measurement around an idle wait: the machine's own scheduling noise, the floor of the figures. */
async function idle(ms: number): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  await new Promise((resolve) => setTimeout(resolve, ms + 20));
  histogram.disable();
  return histogram.max / 1e6;
}

/** One traced image: the longest loop delay (the busy time here includes the 1 ms sampling timer's). */
async function measure(thread: 'worker' | 'main'): Promise<{ stallMs: number; wallMs: number; busyMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const elu = performance.eventLoopUtilization();
  const start = performance.now();
  await trace(image, { preset }, { thread });
  const wallMs = performance.now() - start;
  const busyMs = performance.eventLoopUtilization(elu).active;
  // A blocked loop is recorded when the sampling timer next fires: let it fire before reading.
  await new Promise((resolve) => setTimeout(resolve, 20));
  histogram.disable();
  // The histogram holds the delay beyond the 1 ms sampling interval, in nanoseconds.
  return { stallMs: histogram.max / 1e6, wallMs, busyMs };
}

/** One traced image, no sampling timer: the main thread's busy time in all, an upper bound of any stall. */
async function busyOnly(thread: 'worker' | 'main'): Promise<number> {
  const elu = performance.eventLoopUtilization();
  await trace(image, { preset }, { thread });
  return performance.eventLoopUtilization(elu).active;
}

console.log(`image ${image}, preset ${preset}, ${runs} runs each, Node ${process.version}`);
for (const thread of ['worker', 'main'] as const) {
  const first = await measure(thread);
  const later: { stallMs: number; wallMs: number; busyMs: number }[] = [];
  for (let i = 1; i < runs; i++) later.push(await measure(thread));
  const worst = Math.max(...later.map((r) => r.stallMs));
  const wall = later.map((r) => r.wallMs).sort((a, b) => a - b)[later.length >> 1]!;
  if (thread === 'worker') console.log(`idle wait of the same length: max delay ${(await idle(wall)).toFixed(1)} ms (the machine's noise floor)`);
  let busy = 0;
  for (let i = 1; i < runs; i++) busy = Math.max(busy, await busyOnly(thread));
  console.log(`thread ${thread.padEnd(6)}  max stall ${worst.toFixed(1)} ms (first run ${first.stallMs.toFixed(1)} ms)  `
    + `main thread busy ${busy.toFixed(1)} ms in all (first run ${first.busyMs.toFixed(1)} ms)  median wall ${wall.toFixed(0)} ms`);
}
