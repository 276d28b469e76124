/**
 * Room on the data folder's disk for what must still be written when it is full. A reserve file is kept in
 * the folder; when a write the service cannot do without (a job's outcome, a delete that frees space) fails
 * for lack of space, the reserve is given up and the write tried again, so that jobs end with a reason and
 * clients can free space instead of everything staying stuck. The reserve is taken again once the disk has
 * room. Disk pressure (free space under the reserve's size, or the reserve given up) is reported by
 * `/healthz` and `/metrics`.
 */
import { open, statfs, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { storageFailure } from './errors.js';

export const RESERVE_FILE = 'disk-reserve';

export interface DiskStatus {
  /** Bytes free for the service (statfs bavail × bsize). */
  freeBytes: number;
  /** Size of the reserve file currently held (0 once given up). */
  reserveBytes: number;
  /** Free space is under the reserve's size, or the reserve had to be given up. */
  pressure: boolean;
}

export class DiskGuard {
  private held = 0;
  private released = false;
  private lastLog = 0;

  log?: { warn(o: object, m: string): void; info(o: object, m: string): void };

  constructor(readonly dir: string, readonly reserveBytes: number) {}

  /** Takes the reserve when there is room for it (at start, and again after it was given up). */
  async prepare(): Promise<void> {
    if (this.reserveBytes <= 0 || this.held > 0) return;
    const file = join(this.dir, RESERVE_FILE);
    const free = await this.freeBytes();
    // Keep as much room again beside it, so that taking it back does not itself fill the disk.
    if (free < 2 * this.reserveBytes) return;
    try {
      const fh = await open(file, 'w', 0o600);
      try {
        await fh.writeFile(Buffer.alloc(this.reserveBytes));
        await fh.sync();
      } finally {
        await fh.close();
      }
      this.held = this.reserveBytes;
      if (this.released) this.log?.info({ bytes: this.held }, 'disk: space is back; the reserve is taken again');
      this.released = false;
    } catch (err) {
      await unlink(file).catch(() => {});
      if (!storageFailure(err)) throw err;
    }
  }

  /**
   * Runs `write`; when it fails for lack of space, gives up the reserve (if held) and runs it once more.
   * For the writes that must happen on a full disk: outcomes of jobs, deletes.
   */
  async withRoom<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (!storageFailure(err) || !(await this.release())) throw err;
      return write();
    }
  }

  /**
   * Throws ENOSPC while the reserve is given up: the room it left is for outcomes and deletes, not for new
   * files (the blob store calls this before each write).
   */
  checkRoom(): void {
    if (this.released) {
      throw Object.assign(new Error('no space left on the device (the disk reserve is in use)'), { code: 'ENOSPC' });
    }
  }

  /** Gives up the reserve; false when none was held. */
  async release(): Promise<boolean> {
    if (this.held === 0) return false;
    await unlink(join(this.dir, RESERVE_FILE)).catch(() => {});
    this.log?.warn({ bytes: this.held }, 'disk: full; the reserve was given up to record job outcomes and deletes');
    this.held = 0;
    this.released = true;
    return true;
  }

  async status(): Promise<DiskStatus> {
    const freeBytes = await this.freeBytes();
    if (this.released && freeBytes >= 2 * this.reserveBytes) await this.prepare().catch(() => {});
    const pressure = this.released || (this.reserveBytes > 0 && freeBytes < this.reserveBytes);
    if (pressure && Date.now() - this.lastLog > 60_000) {
      this.lastLog = Date.now();
      this.log?.warn({ freeBytes, reserveBytes: this.held }, 'disk: under pressure');
    }
    return { freeBytes, reserveBytes: this.held, pressure };
  }

  private async freeBytes(): Promise<number> {
    const s = await statfs(this.dir);
    return s.bavail * s.bsize;
  }
}
