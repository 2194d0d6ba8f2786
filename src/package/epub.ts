/**
 * The EPUB writer: a book plan → its files (`files.ts`) → a ZIP (`zip.ts`) with every entry
 * dated from the book, so the same book gives the same bytes. Kobo's and Kindle's writers are
 * built on `epubFiles` with their own page documents and package tweaks.
 *
 * Why no packaging library: the contract needs our own package document (content identifier,
 * the story's date, nested navigation, cover-image property, accessibility metadata, nothing
 * invented), so the EPUB library used before was left to write nothing but `mimetype`;
 * its constructor still cost ~45 ms of every start and its unused parts needed stand-ins in the
 * bundle. It remains the benchmark's bare-packaging baseline (bench/bare-packaging.ts).
 */
import { coverImageName, type BookPlan, type PlannedPage } from '../render/book.js';
import { navBody } from '../render/pages.js';
import { IMAGE_FOLDER, renderDocument } from '../render/xhtml.js';
import { zipFiles, type FileMap } from './files.js';
import { CSS_FILE, NAV_FILE, NCX_FILE, renderNcx, renderOpf } from './opf.js';
import { PAGE_FOLDER, renderPage, type BookPage } from './page-file.js';
import type { Target, Writer } from './writer.js';
import { writerFor } from './writers.js';

const MIMETYPE = 'application/epub+zip';

const CONTAINER =
  '<?xml version="1.0" encoding="utf-8"?>\n<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>\n';

/** How a writer built on the EPUB writer writes what differs. */
export interface EpubVariant {
  target: Target;
  /** A page's document. */
  page(p: PlannedPage): string;
  /** The navigation document's body markup turned into this writer's document. */
  navDocument(plan: BookPlan<BookPage>): string;
  /** Extra CSS after the book's own. */
  css?: string;
}

/** The navigation document as the plain EPUB writer writes it. */
export function navDocument(plan: BookPlan<BookPage>): string {
  const { contents, landmarks } = plan.labels;
  return renderDocument({ title: contents, lang: plan.meta.language, bodyType: 'frontmatter', stylesheet: CSS_FILE, body: navBody(contents, plan.nav, plan.landmarks, landmarks) });
}

/**
 * A planned book's files in a fixed order: `mimetype` first and stored, then the container,
 * package document, NCX, navigation, stylesheet and pages (deflated), the pictures (stored:
 * already compressed), and the cover image last, so a cover still being drawn is awaited only
 * once every page is compressed.
 */
export function epubFiles(plan: BookPlan<BookPage>, v: EpubVariant): FileMap {
  const files: FileMap = [
    { path: 'mimetype', content: MIMETYPE, store: true },
    { path: 'META-INF/container.xml', content: CONTAINER },
    { path: `${PAGE_FOLDER}/content.opf`, content: renderOpf(plan) },
    { path: `${PAGE_FOLDER}/${NCX_FILE}`, content: renderNcx(plan) },
    { path: `${PAGE_FOLDER}/${NAV_FILE}`, content: v.navDocument(plan) },
    { path: `${PAGE_FOLDER}/${CSS_FILE}`, content: v.css ? `${plan.css}\n${v.css}` : plan.css },
    ...plan.pages.map((p) => {
      const path = `${PAGE_FOLDER}/${p.filename}`;
      if (p.kind === 'markup') return { path, content: v.page(p) };
      if (p.target !== undefined && p.target !== v.target) throw new Error(`page ${p.filename} was written for ${p.target}, not ${v.target}`);
      return { path, packed: p.entry };
    }),
    ...plan.images.map((img) => ({ path: `${PAGE_FOLDER}/${IMAGE_FOLDER}/${img.name}`, content: img.data, store: true })),
  ];
  if (plan.cover) files.push({ path: `${PAGE_FOLDER}/${coverImageName(plan.cover.jpeg)}`, pending: plan.cover.png, store: true });
  return files;
}

/** The plain EPUB 3 writer. */
export const epubWriter: Writer = {
  target: 'epub',
  extension: '.epub',
  page: renderPage,
  files: (plan) => ({ files: epubFiles(plan, { target: 'epub', page: renderPage, navDocument }), diagnostics: [] }),
};

/** Package a planned book into EPUB bytes for `target` (default: plain EPUB). */
export async function packageEpub(plan: BookPlan<BookPage>, target: Target = 'epub'): Promise<Buffer> {
  return zipFiles(writerFor(target).files(plan).files, new Date(plan.meta.modified));
}
