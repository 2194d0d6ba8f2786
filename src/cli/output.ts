/** Where books go: their file names, and writes that leave a whole book or nothing. */
import { rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Meta } from '../model.js';
import { fillTemplate, safeFileName, uniqueName } from '../package/naming.js';

/**
 * Write bytes to `path` atomically: a temporary file beside it, then a rename. The temporary
 * file is in `temps` from before it is created until it is renamed or removed. Once
 * `interrupted()` (the user interrupted the run), no new file is started.
 */
export async function writeAtomic(path: string, bytes: Uint8Array, temps: Set<string>, interrupted: () => boolean = () => false): Promise<void> {
  if (interrupted()) throw new Error('interrupted');
  const tmp = join(dirname(path), `.${process.pid}-${Date.now().toString(36)}.fic2epub.tmp`);
  temps.add(tmp);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  } finally {
    temps.delete(tmp);
  }
}

/**
 * A story's book file in `dir`: the name template filled from its metadata, made safe for every
 * file system, numbered when already `taken` (which it is added to).
 */
export function bookPath(dir: string, template: string, m: Meta, taken: Set<string>, ext = '.epub'): string {
  const values = { title: m.title, author: m.authors.join(', '), fandom: m.fandoms[0], series: m.series?.name, index: m.series?.index !== undefined ? String(m.series.index) : undefined };
  return join(dir, uniqueName(safeFileName(fillTemplate(template, values) || 'book', ext), taken, ext));
}
