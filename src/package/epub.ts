/**
 * Packaging with epub-gen-memory. Its defaults are not enough (random identifier, the current
 * time, a flat TOC, no cover-image property, a "anonymous" publisher and rights it invents), so
 * a subclass of its EPub writes our own package document, NCX, navigation and page wrappers,
 * while it still normalises every story page's markup, writes the cover and builds the zip.
 * Zip entries get fixed dates so the same book gives the same bytes.
 */
import { EPub } from 'epub-gen-memory';
import type { BookPlan } from '../render/book.js';
import { navBody } from '../render/pages.js';
import { renderDocument } from '../render/xhtml.js';
import { COVER_IMAGE, CSS_FILE, NAV_FILE, NCX_FILE, renderOpf, renderNcx } from './opf.js';

const CONTAINER =
  '<?xml version="1.0" encoding="utf-8"?>\n<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>\n';

class PlannedEPub extends EPub {
  private readonly plan: BookPlan;
  /** Index into epub-gen-memory's normalised content for each untrusted page. */
  private readonly normalisedIndex: Map<string, number>;

  constructor(plan: BookPlan) {
    const untrusted = plan.pages.filter((p) => !p.trusted);
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
      untrusted.map((p) => ({ title: p.title, content: p.body.xml, filename: p.filename, excludeFromToc: true })),
    );
    this.plan = plan;
    this.uuid = plan.meta.identifier;
    this.normalisedIndex = new Map(untrusted.map((p, i) => [p.id, i]));
    if (this.images.length) throw new Error('internal: page markup must not reference images');
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
      const i = this.normalisedIndex.get(page.id);
      const body = i === undefined ? page.body : { xml: this.content[i]!.content };
      oebps.file(page.filename, renderDocument({ title: page.title, lang: page.lang, bodyType: page.bodyType, stylesheet: CSS_FILE, body }));
    }
  }

  /** Render, fix every entry's date, and zip (mimetype first and stored). */
  async build(modified: Date): Promise<Buffer> {
    await this.render();
    for (const f of Object.values(this.zip.files)) f.date = modified;
    return this.zip.generateAsync({ type: 'nodebuffer', mimeType: 'application/epub+zip', compression: 'DEFLATE', compressionOptions: { level: 6 } });
  }
}

/** Package a planned book into EPUB bytes. */
export async function packageEpub(plan: BookPlan): Promise<Buffer> {
  return new PlannedEPub(plan).build(new Date(plan.meta.modified));
}
