/** Blob bytes as files under a folder: written to a temp name in the same folder, fsynced, then renamed. */
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve, sep } from 'node:path';
import type { BlobStore } from '../store/types.js';

/** Keys are a few segments of safe characters; nothing else ever reaches the file system. */
const KEY_RE = /^[A-Za-z0-9_-]{1,100}(\/[A-Za-z0-9_-]{1,100}){0,4}\/?$/;

export class FsBlobStore implements BlobStore {
  readonly root: string;

  /** `beforeWrite` may refuse a write by throwing (the disk guard, while its reserve is in use). */
  constructor(root: string, private readonly beforeWrite: () => void = () => {}) {
    this.root = resolve(root);
  }

  private path(key: string): string {
    if (!KEY_RE.test(key)) throw new Error(`invalid blob key ${JSON.stringify(key)}`);
    const p = resolve(this.root, key);
    if (!p.startsWith(this.root + sep)) throw new Error(`invalid blob key ${JSON.stringify(key)}`);
    return p;
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    const target = this.path(key);
    this.beforeWrite();
    await mkdir(dirname(target), { recursive: true });
    const temp = join(dirname(target), `.tmp-${randomBytes(8).toString('hex')}`);
    const fh = await open(temp, 'w', 0o600);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } catch (err) {
      await fh.close();
      await unlink(temp).catch(() => {});
      throw err;
    }
    await fh.close();
    await rename(temp, target);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async deletePrefix(prefix: string): Promise<void> {
    if (!prefix.endsWith('/')) throw new Error('deletePrefix needs a prefix ending in /');
    await rm(this.path(prefix.slice(0, -1)), { recursive: true, force: true });
  }

  /**
   * Removes temporary files left by writes a crash interrupted (never visible under a key). Call at start,
   * when no write is running; `olderThanMs` spares writes of another process that might still be going on.
   * Returns how many were removed.
   */
  async sweepTemporaryFiles(olderThanMs = 60_000): Promise<number> {
    let removed = 0;
    const walk = async (dir: string, depth: number): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory() && depth < 6) await walk(path, depth + 1);
        else if (entry.isFile() && entry.name.startsWith('.tmp-')) {
          const info = await stat(path).catch(() => null);
          if (info && Date.now() - info.mtimeMs > olderThanMs) {
            await unlink(path).catch(() => {});
            removed++;
          }
        }
      }
    };
    await walk(this.root, 0);
    return removed;
  }
}
