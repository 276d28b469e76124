/**
 * Where test images live: `test/fixtures/` (in-repo copies, always present) and the shared corpus
 * `../shared/corpus` beside the repository (optional; `VTRACER_CORPUS` overrides its location).
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is `test/support/fixtures.ts`). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES_DIR = join(REPO_ROOT, 'test', 'fixtures');

/** Kind of a test image, which decides the fidelity floors and the presets that make sense. */
export type ImageKind = 'emoji' | 'photo' | 'flat' | 'binary' | 'scan';

/** Kinds of the known images by file-name prefix. */
export function imageKind(name: string): ImageKind {
  const base = name.replace(/\.[^.]+$/, '');
  if (base.startsWith('emoji-')) return 'emoji';
  if (base.startsWith('astronaut') || base.startsWith('coffee')) return 'photo';
  if (base.startsWith('horse')) return 'binary';
  if (base.startsWith('text')) return 'scan';
  return 'flat';
}

/** Path of an in-repo fixture; throws if it does not exist. `name` may omit the `.png` extension. */
export function fixturePath(name: string): string {
  const file = /\.[a-z]+$/i.test(name) ? name : `${name}.png`;
  const path = join(FIXTURES_DIR, file);
  if (!existsSync(path)) throw new Error(`no fixture ${file} in ${FIXTURES_DIR}`);
  return path;
}

/** The in-repo fixture images (PNG files), sorted by name. */
export function fixtureImages(): string[] {
  return readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.png')).sort();
}

/** The shared corpus directory, or null when it is not there (the project must work without it). */
export function corpusDir(): string | null {
  const dir = process.env.VTRACER_CORPUS ? resolve(process.env.VTRACER_CORPUS) : resolve(REPO_ROOT, '..', 'shared', 'corpus');
  return existsSync(dir) ? dir : null;
}

/** Raster images of the corpus (png/jpg/webp...), sorted by name; empty if there is no corpus. */
export function corpusImages(): string[] {
  const dir = corpusDir();
  if (!dir) return [];
  return readdirSync(dir).filter((f) => /\.(png|jpe?g|webp|gif|tiff?|bmp)$/i.test(f)).sort();
}

/** Resolves an image by name: the corpus first when asked and present, else the fixtures. */
export function imagePath(name: string, preferCorpus = false): string {
  const dir = corpusDir();
  if (preferCorpus && dir) {
    const file = /\.[a-z]+$/i.test(name) ? name : `${name}.png`;
    const path = join(dir, file);
    if (existsSync(path)) return path;
  }
  return fixturePath(name);
}
