/**
 * Checks made before any tracing: an input must be a regular file (opening a FIFO would wait for a writer
 * for ever, a device never ends), and the output folder must take a file, so that a batch does not trace
 * everything to fail at the end with the name of a temporary file.
 */
import { lstat, mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname, join } from 'node:path';

function kind(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isDirectory()) return 'a directory';
  return 'not a file';
}

/** Why `path` cannot be traced as a file (one line naming it), or null when it is a regular file or missing (reported when read). */
export async function notRegularFile(path: string): Promise<string | null> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (error) {
    const link = await lstat(path).catch(() => null);
    if (link?.isSymbolicLink()) return `${JSON.stringify(path)}: a symbolic link to nothing (dangling); skipped`;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return info.isFile() ? null : `${JSON.stringify(path)} is ${kind(info)}, not a regular file; refused`;
}

/** Creates `dir` if needed and writes, then removes, a small file in it; throws an error naming `dir`. */
export async function checkOutputFolder(dir: string): Promise<void> {
  const probe = join(dir, `.vtracer-write-check-${process.pid}`);
  try {
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      // A recursive mkdir under a read-only or unwritable parent may say only ENOENT: probe the nearest
      // existing parent for the real cause.
      let parent = dirname(dir);
      while (parent !== dirname(parent) && !(await stat(parent).catch(() => null))) parent = dirname(parent);
      const test = join(parent, `.vtracer-write-check-${process.pid}`);
      await writeFile(test, '');
      await unlink(test);
      throw error;
    }
    await writeFile(probe, '');
    await unlink(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied'
      : code === 'EROFS' ? 'read-only file system'
        : code === 'ENOSPC' || code === 'EDQUOT' ? 'no space left on the device'
          : code === 'ENOTDIR' || code === 'EEXIST' ? 'it (or a parent) exists and is not a folder'
            : (error as Error).message;
    throw new Error(`cannot write to the output folder ${JSON.stringify(dir)}: ${reason}`);
  }
}
