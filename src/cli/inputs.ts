/** Batch inputs: files, folders and glob patterns expanded to a list of images, and their output paths. */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { notRegularFile } from './file-checks.js';

/** Extensions picked up from folders and glob matches (an explicitly named file is always tried). */
export const IMAGE_EXTENSIONS = new Set([
  '.png', '.jpg', '.jpeg', '.jfif', '.webp', '.gif', '.tif', '.tiff', '.bmp', '.avif', '.heic', '.heif',
]);

export function isImagePath(path: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(path).toLowerCase());
}

export interface ExpandedInputs {
  /** Image paths, in the order given (folder contents and glob matches sorted), without duplicates. */
  files: string[];
  /** Inputs that yielded nothing: an empty folder, a pattern matching no image. */
  problems: { input: string; message: string }[];
  /** Inputs that are not regular files (FIFOs, devices, dangling links), named or in a folder: failures. */
  refused: { input: string; message: string }[];
}

async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}

export async function isDirectory(path: string): Promise<boolean> {
  return (await statOrNull(path))?.isDirectory() ?? false;
}

/** Whether an input argument names several files (a folder or a glob pattern) rather than one. */
export async function isMultiInput(input: string): Promise<boolean> {
  const info = await statOrNull(input);
  if (info !== null) return info.isDirectory();
  return isDynamicPattern(input);
}

export async function expandInputs(inputs: readonly string[]): Promise<ExpandedInputs> {
  const files: string[] = [];
  const problems: ExpandedInputs['problems'] = [];
  const refused: ExpandedInputs['refused'] = [];
  const seen = new Set<string>();
  const add = (path: string): void => {
    const key = resolve(path);
    if (!seen.has(key)) {
      seen.add(key);
      files.push(path);
    }
  };
  for (const input of inputs) {
    const info = await statOrNull(input);
    if (info?.isDirectory()) {
      const entries = (await readdir(input, { withFileTypes: true })).filter((e) => !e.isDirectory() && isImagePath(e.name));
      const names: string[] = [];
      for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        // Anything but a plain file (a FIFO, a socket, a link to nothing) is refused by name, never skipped silently.
        const why = e.isFile() ? null : await notRegularFile(join(input, e.name));
        if (why) refused.push({ input: join(input, e.name), message: why });
        else names.push(e.name);
      }
      if (names.length === 0 && refused.length === 0) problems.push({ input, message: `no images in folder ${JSON.stringify(input)}` });
      for (const name of names) add(join(input, name));
    } else if (info === null && isDynamicPattern(input)) {
      const matches = (await glob(input, { onlyFiles: true, expandDirectories: false })).filter(isImagePath).sort();
      if (matches.length === 0) problems.push({ input, message: `no images match ${JSON.stringify(input)}` });
      for (const match of matches) add(match);
    } else {
      const why = await notRegularFile(input);
      if (why) refused.push({ input, message: why });
      else add(input); // a file, or a missing path that will be reported when traced
    }
  }
  return { files, problems, refused };
}

/**
 * Output path of each input: `name.svg` (or the extension of the output format) in `outDir` (or beside the
 * input when outDir is null). Inputs that would collide (a.png and a.jpg) keep their extension (a.png.svg,
 * a.jpg.svg); any remaining clash gets a number.
 */
export function planOutputs(files: readonly string[], outDir: string | null, outExt = 'svg'): string[] {
  const suffix = `.${outExt}`;
  const target = (file: string, keepExt: boolean): string => {
    const ext = extname(file);
    const name = keepExt ? basename(file) : basename(file, ext);
    return join(outDir ?? dirname(file), `${name}${suffix}`);
  };
  const count = new Map<string, number>();
  for (const f of files) {
    const t = resolve(target(f, false));
    count.set(t, (count.get(t) ?? 0) + 1);
  }
  const used = new Set<string>();
  return files.map((f) => {
    let out = target(f, (count.get(resolve(target(f, false))) ?? 0) > 1);
    if (used.has(resolve(out))) {
      const stem = out.slice(0, -suffix.length);
      for (let i = 2; used.has(resolve(out)); i++) out = `${stem}-${i}${suffix}`;
    }
    used.add(resolve(out));
    return out;
  });
}
