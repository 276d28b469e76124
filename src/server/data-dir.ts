/**
 * The embedded service's data folder: checked at start (a folder we can write to, with room for a small
 * file), so that an unwritable, misplaced or full folder stops the service with one clear line instead of
 * failing requests later; and locked while a service runs on it, so that a second `vtracer serve` on the
 * same folder cannot requeue the first one's running jobs or sweep its temporary files.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'serve.lock';

/** A problem with the data folder, as one line naming the folder. */
export class DataDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirError';
  }
}

function why(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EROFS': return 'read-only file system';
    case 'ENOSPC': case 'EDQUOT': return 'no space left on the device';
    case 'EEXIST': case 'ENOTDIR': return 'it exists and is not a folder';
    default: return e instanceof Error ? e.message.split('\n')[0]! : String(err);
  }
}

/**
 * Creates `dir` and the sub-folders (when missing) and writes, flushes and removes a probe file in each.
 * Throws DataDirError naming the folder and the cause.
 */
export function checkDataDir(dir: string, subfolders: readonly string[] = ['blobs']): void {
  for (const folder of [dir, ...subfolders.map((s) => join(dir, s))]) {
    try {
      mkdirSync(folder, { recursive: true });
      if (!statSync(folder).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    } catch (err) {
      throw new DataDirError(`cannot use the data folder ${JSON.stringify(folder)}: ${why(err)}`);
    }
    const probe = join(folder, `.write-check-${process.pid}`);
    try {
      const fd = openSync(probe, 'w', 0o600);
      try {
        writeSync(fd, Buffer.alloc(4096));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      try { unlinkSync(probe); } catch { /* never created */ }
      throw new DataDirError(`cannot write to the data folder ${JSON.stringify(folder)}: ${why(err)}`);
    }
    unlinkSync(probe);
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `serve.lock` in the folder: refused while the process that holds it is alive; taken over from a
 * process that died (kill -9, crash). Returns the release function.
 */
export function lockDataDir(dir: string): () => void {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
        } catch { /* already gone */ }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new DataDirError(`cannot lock the data folder ${JSON.stringify(dir)}: ${why(err)}`);
      }
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(file, 'utf8').trim());
    } catch { /* removed meanwhile: retry */ }
    if (alive(holder)) {
      throw new DataDirError(`the data folder ${JSON.stringify(dir)} is in use by another vtracer service (pid ${holder}); stop it or use another --data folder`);
    }
    try { unlinkSync(file); } catch { /* someone else took it over: retry */ }
  }
  throw new DataDirError(`cannot lock the data folder ${JSON.stringify(dir)}: ${LOCK_FILE} keeps changing`);
}
