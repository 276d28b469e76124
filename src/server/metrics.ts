/** Prometheus metrics (one registry per app, so that tests and several apps in a process do not collide). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobQueue, JobStatus, Store } from './store/types.js';

export class Metrics {
  readonly registry = new Registry();
  readonly jobsFinished: Counter<'status'>;
  readonly traceDuration: Histogram<'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(deps: { store: Store; queue: JobQueue }, options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'vtracer_process_' });
    this.jobsFinished = new Counter({
      name: 'vtracer_jobs_finished_total', help: 'Trace jobs finished by this process, by final status',
      labelNames: ['status'], registers,
    });
    this.traceDuration = new Histogram({
      name: 'vtracer_trace_duration_seconds', help: 'Time from a job starting on a worker to its end',
      labelNames: ['status'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120], registers,
    });
    this.httpDuration = new Histogram({
      name: 'vtracer_http_request_duration_seconds', help: 'HTTP request durations',
      labelNames: ['method', 'route', 'status_code'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5], registers,
    });
    new Gauge({
      name: 'vtracer_jobs', help: 'Jobs in the store, by status', labelNames: ['status'], registers,
      async collect() {
        const counts = await deps.store.countJobsByStatus();
        for (const [status, n] of Object.entries(counts) as [JobStatus, number][]) this.set({ status }, n);
      },
    });
    new Gauge({
      name: 'vtracer_queue_depth', help: 'Trace jobs waiting for a worker', registers,
      async collect() {
        this.set((await deps.queue.depth()).queued);
      },
    });
    new Gauge({
      name: 'vtracer_jobs_running', help: 'Trace jobs running in this process', registers,
      async collect() {
        this.set((await deps.queue.depth()).running);
      },
    });
  }

  /** A gauge read when scraped. */
  gauge(name: string, help: string, read: () => number | Promise<number>): void {
    new Gauge({ name, help, registers: [this.registry], async collect() { this.set(await read()); } });
  }
}

/** Where the queue reports job ends (the metrics, or nothing). */
export interface JobObserver {
  jobFinished(status: 'success' | 'failure' | 'canceled' | 'requeued', seconds: number): void;
}

export function metricsObserver(metrics: Metrics): JobObserver {
  return {
    jobFinished(status, seconds) {
      if (status !== 'requeued') metrics.jobsFinished.inc({ status });
      metrics.traceDuration.observe({ status }, seconds);
    },
  };
}
