/**
 * The writer seam: a writer turns a book plan into the files of one kind of book (pandoc's
 * writers as peers). The EPUB writer is the base; Kobo's kepub and the Kindle-safe EPUB are
 * peers that change how pages are written and what the package says.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { BookPlan, PlannedPage } from '../render/book.js';
import type { FileMap } from './files.js';
import type { BookPage } from './page-file.js';

/** What a book is made for: any EPUB reader, Kobo's own renderer, or Send to Kindle. */
export type Target = 'epub' | 'kobo' | 'kindle';
export const TARGETS: readonly Target[] = ['epub', 'kobo', 'kindle'];

/** A writer: the files of a book from its plan, and the checks on the finished bytes. */
export interface Writer {
  target: Target;
  /** How the book's file name ends (`.epub`, `.kepub.epub`). */
  extension: string;
  /** A planned page's whole document, as this writer writes it (batch workers call this). */
  page(p: PlannedPage): string;
  /** The book's files in archive order, and what the writer had to change or tell. */
  files(plan: BookPlan<BookPage>): { files: FileMap; diagnostics: Diagnostic[] };
  /** What is wrong with the finished book for its target (its size for Kindle's mail). */
  checkBytes?(bytes: Uint8Array): Diagnostic[];
}
