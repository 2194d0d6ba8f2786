/**
 * Packaging with epub-gen-memory. Its defaults are not enough (random identifier, the current
 * time, a flat TOC, no cover-image property, a "anonymous" publisher and rights it invents), so
 * a subclass of its EPub writes our own package document, NCX, navigation and pages, while it
 * validates the options, writes the cover and builds the zip. Zip entries get fixed dates so the
 * same book gives the same bytes.
 *
 * Pages are not handed to its chapter normaliser: our markup is built by an escaping builder
 * (well-formed by construction, property-tested), holds no images it would fetch, and the
 * normaliser overflows the stack on a paragraph with ~100,000 inline elements.
 */
import { EPub } from 'epub-gen-memory';
import { zipSync, type Zippable } from 'fflate';
import type { BookPlan } from '../render/book.js';
import { navBody } from '../render/pages.js';
import { renderDocument } from '../render/xhtml.js';
import { COVER_IMAGE, CSS_FILE, NAV_FILE, NCX_FILE, renderOpf, renderNcx } from './opf.js';

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
        ...(plan.cover ? { cover: new File([new Uint8Array(plan.cover.png)], COVER_IMAGE, { type: 'image/png' }) } : {}),
      },
      [],
    );
    this.plan = plan;
    this.uuid = plan.meta.identifier;
  }

  /** Write every file ourselves, in a fixed order, from the plan. */
  protected override async generateTemplateFiles(): Promise<void> {
    const plan = this.plan;
    this.zip.folder('META-INF')!.file('container.xml', CONTAINER);
    const oebps = this.zip.folder('OEBPS')!;
    oebps.file('content.opf', renderOpf(plan));
    oebps.file(NCX_FILE, renderNcx(plan));
    oebps.file(
      NAV_FILE,
      renderDocument({ title: 'Contents', lang: plan.meta.language, bodyType: 'frontmatter', stylesheet: CSS_FILE, body: navBody('Contents', plan.nav, plan.landmarks) }),
    );
    oebps.file(CSS_FILE, plan.css);
    for (const page of plan.pages) {
      oebps.file(page.filename, renderDocument({ title: page.title, lang: page.lang, bodyType: page.bodyType, stylesheet: CSS_FILE, body: page.body }));
    }
  }

  /**
   * Render, then zip with fflate (several times faster than JSZip's pako): entries in the order
   * written, `mimetype` first and stored, images stored (already compressed), fixed dates.
   */
  async build(modified: Date): Promise<Buffer> {
    await this.render();
    const entries: Zippable = {};
    // fflate writes DOS times from local date fields: shift so they hold the UTC time in every time zone.
    const mtime = new Date(modified.getTime() + modified.getTimezoneOffset() * 60_000);
    for (const [name, file] of Object.entries(this.zip.files)) {
      if (file.dir) continue;
      const data = await file.async('uint8array');
      const stored = name === 'mimetype' || /\.(png|jpe?g|gif|webp)$/i.test(name);
      entries[name] = [data, { level: stored ? 0 : 6, mtime }];
    }
    const zip = zipSync(entries);
    // A Buffer over the zip's own memory (not Node's shared pool), so it can be transferred between threads.
    return Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  }
}

/** Package a planned book into EPUB bytes. */
export async function packageEpub(plan: BookPlan): Promise<Buffer> {
  return new PlannedEPub(plan).build(new Date(plan.meta.modified));
}
