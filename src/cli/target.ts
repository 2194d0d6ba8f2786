/** What to do with a book's target file when one is already there: update it when it is the
 * same story's (or anthology's) book, else pick a free numbered name beside it. */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ExistingBook } from '../update/existing.js';
import { uniqueName } from '../package/naming.js';

/** The target as found: absent, or a regular file and, when fic2epub wrote it, the book in it. */
export async function probeTarget(path: string): Promise<{ exists: false } | { exists: true; book?: ExistingBook }> {
  const st = await stat(path).catch(() => undefined);
  if (!st) return { exists: false };
  if (!st.isFile()) return { exists: true };
  const { readExistingBook } = await import('../update/existing.js');
  return { exists: true, book: await readExistingBook(new Uint8Array(await readFile(path))) };
}

/** A name beside `path` that no file has yet: "x (2).epub", "x (3).epub" … */
export async function freeName(path: string, taken: Set<string>): Promise<string> {
  const dir = dirname(path);
  taken.add(basename(path).toLowerCase());
  for (;;) {
    const candidate = join(dir, uniqueName(basename(path), taken));
    if (!(await stat(candidate).catch(() => undefined))) return candidate;
  }
}
