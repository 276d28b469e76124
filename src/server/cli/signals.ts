/** Graceful shutdown of a long-running command: SIGTERM/SIGINT close once; a second signal exits at once. */
interface Log {
  info: (o: object, m: string) => void;
  warn: (o: object, m: string) => void;
  error: (o: object, m: string) => void;
}

/**
 * `deadlineMs` (0: none) bounds the whole close: past it (a backend that does not answer), the process logs
 * and exits 1 anyway.
 */
export function closeOnSignals(log: Log, close: () => Promise<void>, deadlineMs = 0): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'signal received');
    if (deadlineMs > 0) {
      setTimeout(() => {
        log.error({ seconds: deadlineMs / 1000 }, 'shutdown did not finish in time (a backend does not answer): exiting');
        process.exit(1);
      }, deadlineMs).unref();
    }
    close().then(() => process.exit(0), (err) => {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
