/** Paths tests need: the repository root and the shared seed stories (when present). */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

/** The repository root (holds package.json). */
export const repoRoot = findRoot();

/** The shared seed stories: FIC2EPUB_SEEDS, else ../shared/seeds beside the repository. */
export const seedsDir = resolve(process.env.FIC2EPUB_SEEDS ?? join(repoRoot, '..', 'shared', 'seeds'));

/** True when the seeds and their expected.json are there. */
export function haveSeeds(): boolean {
  return existsSync(join(seedsDir, 'expected.json'));
}

/** A fixture file under test/fixtures. */
export function fixture(...parts: string[]): string {
  return join(repoRoot, 'test', 'fixtures', ...parts);
}

/** The executable as installed (package.json "bin"): the esbuild bundle of the CLI. */
export const binPath = join(repoRoot, 'dist', 'bundle', 'fic2epub.js');
