/**
 * A planned book as EPUB bytes: the container, package document, NCX, navigation, stylesheet,
 * pages, pictures and cover, each written from the plan and compressed with Node's zlib, then
 * framed by src/package/zip.ts with every entry dated from the book, so the same book gives the
 * same bytes.
 *
 * Why no packaging library: the contract needs our own package document (content identifier,
 * the story's date, nested navigation, cover-image property, accessibility metadata, nothing
 * invented), so the EPUB library used before was left to write nothing but `mimetype`;
 * its constructor still cost ~45 ms of every start and its unused parts needed stand-ins in the
 * bundle. It remains the benchmark's bare-packaging baseline (bench/bare-packaging.ts).
 */
import { coverImageName, type BookPlan } from '../render/book.js';
import { navBody } from '../render/pages.js';
import { IMAGE_FOLDER, renderDocument } from '../render/xhtml.js';
import { CSS_FILE, NAV_FILE, NCX_FILE, renderNcx, renderOpf } from './opf.js';
import { pageEntry, PAGE_FOLDER, type BookPage } from './page-file.js';
import { writeZip, zipEntry, type ZipEntry } from './zip.js';

const MIMETYPE = 'application/epub+zip';

const CONTAINER =
  '<?xml version="1.0" encoding="utf-8"?>\n<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>\n';

/**
 * Package a planned book into EPUB bytes. Entries go in a fixed order: `mimetype` first and
 * stored, then the container, package document, NCX, navigation, stylesheet and pages
 * (deflated), the pictures (stored: already compressed), and the cover image last, so a cover
 * still being drawn (`plan.cover.png`) is awaited only once every page is compressed.
 */
export async function packageEpub(plan: BookPlan<BookPage>): Promise<Buffer> {
  const entries: ZipEntry[] = [
    zipEntry('mimetype', MIMETYPE, true),
    zipEntry('META-INF/container.xml', CONTAINER),
    zipEntry(`${PAGE_FOLDER}/content.opf`, renderOpf(plan)),
    zipEntry(`${PAGE_FOLDER}/${NCX_FILE}`, renderNcx(plan)),
    zipEntry(
      `${PAGE_FOLDER}/${NAV_FILE}`,
      renderDocument({ title: 'Contents', lang: plan.meta.language, bodyType: 'frontmatter', stylesheet: CSS_FILE, body: navBody('Contents', plan.nav, plan.landmarks) }),
    ),
    zipEntry(`${PAGE_FOLDER}/${CSS_FILE}`, plan.css),
    ...plan.pages.map(pageEntry),
    ...plan.images.map((img) => zipEntry(`${PAGE_FOLDER}/${IMAGE_FOLDER}/${img.name}`, img.data, true)),
  ];
  if (plan.cover) entries.push(zipEntry(`${PAGE_FOLDER}/${coverImageName(plan.cover.jpeg)}`, await plan.cover.png, true));
  return writeZip(entries, new Date(plan.meta.modified));
}
