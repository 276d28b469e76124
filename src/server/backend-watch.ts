/**
 * A worker of the distributed mode is useless without Redis and PostgreSQL. This watch checks both every few
 * seconds (with a short timeout each: a dead server must not hang the check) and calls `onLost` once either
 * has been unreachable for longer than `timeoutMs`, so that the process can log and exit non-zero and a
 * supervisor (systemd, Kubernetes) restarts it, instead of a worker waiting for ever.
 */
export interface BackendCheck {
  name: string;
  /** Resolves when the backend answers; rejects (or never settles) when it does not. */
  probe(): Promise<unknown>;
}

export class BackendWatch {
  private timer?: NodeJS.Timeout;
  private readonly downSince = new Map<string, number>();
  private lost = false;

  constructor(private readonly options: {
    checks: BackendCheck[];
    timeoutMs: number;
    intervalMs?: number;
    probeTimeoutMs?: number;
    onLost(names: string[], seconds: number): void;
    log?: { warn(o: object, m: string): void; info(o: object, m: string): void };
  }) {}

  start(): void {
    const every = this.options.intervalMs ?? Math.min(5000, Math.max(250, this.options.timeoutMs / 4));
    this.timer = setInterval(() => void this.check(), every);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async check(): Promise<void> {
    const now = Date.now();
    const probeTimeout = this.options.probeTimeoutMs ?? 3000;
    await Promise.all(this.options.checks.map(async (c) => {
      const ok = await Promise.race([
        c.probe().then(() => true, () => false),
        new Promise<boolean>((r) => setTimeout(() => r(false), probeTimeout).unref()),
      ]);
      if (ok) {
        if (this.downSince.has(c.name)) this.options.log?.info({ backend: c.name }, 'backend reachable again');
        this.downSince.delete(c.name);
      } else if (!this.downSince.has(c.name)) {
        this.downSince.set(c.name, now);
        this.options.log?.warn({ backend: c.name, exitAfterSeconds: this.options.timeoutMs / 1000 }, 'backend unreachable');
      }
    }));
    const expired = [...this.downSince].filter(([, since]) => Date.now() - since >= this.options.timeoutMs);
    if (expired.length > 0 && !this.lost) {
      this.lost = true;
      this.stop();
      const seconds = Math.round((Date.now() - Math.min(...expired.map(([, s]) => s))) / 1000);
      this.options.onLost(expired.map(([n]) => n), seconds);
    }
  }
}
