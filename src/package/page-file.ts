/**
 * A planned page as its file in the archive: the whole XHTML document, and (for batch workers,
 * which compress their stories' pages so the main thread only assembles the book) that
 * document rendered and deflated ahead of packaging.
 */
import type { PlannedPage } from '../render/book.js';
import { renderDocument } from '../render/xhtml.js';
import type { Xml } from '../render/xml.js';
import { CSS_FILE } from './opf.js';
import { zipEntry } from './zip.js';

/** Where the package document, navigation, stylesheet and pages live in the archive. */
export const PAGE_FOLDER = 'OEBPS';

/** A page's whole XHTML document. */
export function renderPage(p: PlannedPage, body: Xml): string {
  return renderDocument({ title: p.title, lang: p.lang, bodyType: p.bodyType, stylesheet: CSS_FILE, body });
}

/** The page with its document rendered and compressed for the archive, body dropped. */
export function packPage(p: PlannedPage): PlannedPage {
  if (!p.body) return p;
  const { body, ...rest } = p;
  return { ...rest, packed: zipEntry(`${PAGE_FOLDER}/${p.filename}`, renderPage(p, body)) };
}
