/**
 * A book as its files, before it is a ZIP: what every writer (EPUB, Kobo, Kindle) hands back,
 * and what batch workers hand back for their stories' pages. `zipFiles` turns it into bytes.
 */
import { writeZip, zipEntry, type ZipEntry } from './zip.js';

/** One file of the book, in archive order: its content, an entry already compressed (a batch
 * worker's page), or content still on its way (a cover being drawn; awaited last). */
export type BookFile =
  | { path: string; content: string | Uint8Array; store?: boolean }
  | { path: string; packed: ZipEntry }
  | { path: string; pending: Promise<Uint8Array>; store?: boolean };

/** The files of a book in the order they go into the archive (`mimetype` first). */
export type FileMap = BookFile[];

/** The archive of a file map, every entry dated `modified`. Pending contents are awaited only
 * once every other entry is compressed, so a cover still being drawn overlaps that work. */
export async function zipFiles(files: FileMap, modified: Date): Promise<Buffer> {
  const entries: (ZipEntry | undefined)[] = files.map((f) => ('packed' in f ? f.packed : 'content' in f ? zipEntry(f.path, f.content, f.store) : undefined));
  for (const [i, f] of files.entries()) if ('pending' in f) entries[i] = zipEntry(f.path, await f.pending, f.store);
  return writeZip(entries as ZipEntry[], modified);
}

/** A file's text (tests, checkers): pending and packed contents are not text. */
export function fileText(f: BookFile): string | undefined {
  if (!('content' in f)) return undefined;
  return typeof f.content === 'string' ? f.content : undefined;
}
