/**
 * Packaging with epub-gen-memory. Its defaults are not enough (random identifier, the current
 * time, a flat TOC, no cover-image property, a "anonymous" publisher and rights it invents), so
 * a subclass of its EPub writes our own package document, NCX, navigation, pages and cover,
 * while it validates the options and writes the `mimetype` entry; src/package/zip.ts writes the
 * archive, every entry with the book's date, so the same book gives the same bytes.
 *
 * Pages are not handed to its chapter normaliser: our markup is built by an escaping builder
 * (well-formed by construction, property-tested), holds no images it would fetch, and the
 * normaliser overflows the stack on a paragraph with ~100,000 inline elements.
 */
import { EPub } from 'epub-gen-memory';
import type { BookPlan } from '../render/book.js';
import { navBody } from '../render/pages.js';
import { IMAGE_FOLDER, renderDocument } from '../render/xhtml.js';
import { COVER_IMAGE, CSS_FILE, NAV_FILE, NCX_FILE, renderOpf, renderNcx } from './opf.js';
import { PAGE_FOLDER, renderPage } from './page-file.js';
import { writeZip, zipEntry, type ZipEntry } from './zip.js';

const CONTAINER =
  '<?xml version="1.0" encoding="utf-8"?>\n<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>\n';

class PlannedEPub extends EPub {
  private readonly plan: BookPlan;

  constructor(plan: BookPlan) {
    super(
      {
        title: plan.meta.title,
        author: plan.meta.creators.map((c) => c.name),
        lang: plan.meta.language,
        css: plan.css,
        version: 3,
        verbose: false,
        prependChapterTitles: false,
      },
      [],
    );
    this.plan = plan;
    this.uuid = plan.meta.identifier;
  }

  /** Our files, compressed, in the order they go into the zip after `mimetype`. */
  private readonly files: ZipEntry[] = [];

  /**
   * Write every file ourselves, in a fixed order, from the plan, straight into archive entries
   * (not into the parent's JSZip and back out). Pages a batch worker already rendered and
   * compressed (`packed`) go in as they are.
   */
  protected override async generateTemplateFiles(): Promise<void> {
    const plan = this.plan;
    const add = (name: string, text: string): void => void this.files.push(zipEntry(name, text));
    add('META-INF/container.xml', CONTAINER);
    add(`${PAGE_FOLDER}/content.opf`, renderOpf(plan));
    add(`${PAGE_FOLDER}/${NCX_FILE}`, renderNcx(plan));
    add(
      `${PAGE_FOLDER}/${NAV_FILE}`,
      renderDocument({ title: 'Contents', lang: plan.meta.language, bodyType: 'frontmatter', stylesheet: CSS_FILE, body: navBody('Contents', plan.nav, plan.landmarks) }),
    );
    add(`${PAGE_FOLDER}/${CSS_FILE}`, plan.css);
    for (const page of plan.pages) {
      if (page.packed) this.files.push(page.packed);
      else if (page.body) add(`${PAGE_FOLDER}/${page.filename}`, renderPage(page, page.body));
      else throw new Error(`page ${page.filename} has neither a body nor a packed document`);
    }
  }

  /**
   * Render, then write the container (src/package/zip.ts): entries in the order written,
   * `mimetype` first and stored, images stored (already compressed), text deflated by zlib, the
   * cover image last: `cover` (the PNG `plan.cover` stands for, when it is still being drawn) is
   * awaited only once every page is written.
   */
  async build(modified: Date, cover?: Promise<Uint8Array>): Promise<Buffer> {
    await this.render();
    const entries: ZipEntry[] = [];
    const put = (name: string, data: Uint8Array | string): void => {
      entries.push(zipEntry(name, data, name === 'mimetype' || /\.(png|jpe?g|gif|webp)$/i.test(name)));
    };
    // mimetype first, then our files, then whatever else the parent wrote (the cover image).
    const parentFiles = Object.entries(this.zip.files).filter(([, f]) => !f.dir);
    const mimetype = parentFiles.find(([name]) => name === 'mimetype');
    if (mimetype) put('mimetype', await mimetype[1].async('uint8array'));
    entries.push(...this.files);
    for (const img of this.plan.images) put(`${PAGE_FOLDER}/${IMAGE_FOLDER}/${img.name}`, img.data);
    for (const [name, file] of parentFiles) if (name !== 'mimetype') put(name, await file.async('uint8array'));
    if (this.plan.cover) put(`${PAGE_FOLDER}/${COVER_IMAGE}`, await (cover ?? this.plan.cover.png));
    return writeZip(entries, modified);
  }
}

/**
 * Package a planned book into EPUB bytes. `cover`: its cover's PNG when that is still being
 * drawn (plan.cover then holds a stand-in), awaited after every page is written and compressed.
 */
export async function packageEpub(plan: BookPlan, cover?: Promise<Uint8Array>): Promise<Buffer> {
  return new PlannedEPub(plan).build(new Date(plan.meta.modified), cover);
}
