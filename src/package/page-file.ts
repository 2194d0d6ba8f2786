/**
 * A planned page as its file in the archive: the whole XHTML document, and (for batch workers,
 * which compress their stories' pages so the main thread only assembles the book) that
 * document written and deflated ahead of packaging.
 */
import type { PageInfo, PlannedPage } from '../render/book.js';
import { renderDocument } from '../render/xhtml.js';
import { CSS_FILE } from './opf.js';
import type { Target } from './writer.js';
import { zipEntry, type ZipEntry } from './zip.js';

/** Where the package document, navigation, stylesheet and pages live in the archive. */
export const PAGE_FOLDER = 'OEBPS';

/** A page already written and compressed (by a batch worker): its archive entry, written for `target`. */
export interface PackedPage extends PageInfo {
  kind: 'packed';
  /** The writer it was written for; none: kept byte for byte from the book being updated. */
  target?: Target;
  entry: ZipEntry;
}

/** A page of a book being packaged: still markup, or already packed. */
export type BookPage = PlannedPage | PackedPage;

/** A page's whole XHTML document. */
export function renderPage(p: PlannedPage): string {
  return renderDocument({ title: p.title, lang: p.lang, bodyType: p.bodyType, stylesheet: CSS_FILE, body: p.body });
}

/** The page with its document written (by `writer`, default the plain EPUB page) and compressed
 * for the archive, its markup dropped: what a batch worker hands back. */
export function packPage(p: PlannedPage, writer: { target: Target; page(p: PlannedPage): string } = { target: 'epub', page: renderPage }): PackedPage {
  const { kind: _kind, body: _body, ...info } = p;
  return { ...info, kind: 'packed', target: writer.target, entry: zipEntry(`${PAGE_FOLDER}/${p.filename}`, writer.page(p)) };
}
