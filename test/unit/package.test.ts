import { expect } from 'chai';
import type { Story } from '../../src/model.js';
import { packageEpub } from '../../src/package/epub.js';
import { modifiedDate, planAnthology, planStory } from '../../src/render/book.js';
import { emptyStory, para } from '../../src/read/story.js';
import { openEpub } from '../helpers/epub.js';

function sample(title: string, voices = false): Story {
  const s = emptyStory(`${title}.txt`, 'test');
  s.meta = { ...s.meta, title, authors: ['Ann Author'], fandoms: ['Original Work'], tags: ['tea'], language: 'en', published: '2020-02-03', summary: [para('A short summary.')], series: { name: 'Teacups', index: 2, total: 3 }, sourceUrl: 'https://example.org/s/1' };
  s.chapters = [
    { title: 'One', sections: voices ? [{ voice: 'Ada', blocks: [para('Ada speaks.')] }, { voice: 'Wren', blocks: [para('Wren answers.'), { kind: 'break' }, para('Later.')] }] : [{ blocks: [para('Hello & <welcome>.')] }] },
    { title: 'Two', sections: [{ blocks: [para('Goodbye.')] }] },
  ];
  s.end = [para('The End')];
  return s;
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('packaging', () => {
  it('writes mimetype first, stored, and fixed entry dates', async () => {
    const bytes = await packageEpub(planStory(sample('Tea'), { css: 'p{}' }));
    expect(bytes.subarray(30, 38).toString()).to.equal('mimetype');
    expect(bytes.readUInt16LE(8), 'stored').to.equal(0);
    const book = await openEpub(bytes);
    expect(await book.text('mimetype')).to.equal('application/epub+zip');
    for (const f of Object.values(book.zip.files)) expect(f.date.getUTCFullYear()).to.equal(2020);
  });

  it('is byte-identical for the same input, different for different input', async () => {
    const a = await packageEpub(planStory(sample('Tea'), { css: 'p{}' }));
    const b = await packageEpub(planStory(sample('Tea'), { css: 'p{}' }));
    const c = await packageEpub(planStory(sample('Coffee'), { css: 'p{}' }));
    expect(a.equals(b)).to.equal(true);
    expect(a.equals(c)).to.equal(false);
  });

  it('puts a cover still being drawn in last, after every page, the same bytes as a cover known from the start', async () => {
    const known = await packageEpub(planStory(sample('Tea'), { css: 'p{}', cover: Promise.resolve(PNG) }));
    let draw!: (png: Uint8Array) => void;
    const later = new Promise<Uint8Array>((resolve) => (draw = resolve));
    const plan = planStory(sample('Tea'), { css: 'p{}', cover: later });
    // Every page is written and compressed before the packager waits for the cover: it asks
    // for the pages' documents first, the cover's bytes only then.
    let asked = 0;
    const pages = plan.pages.map((p) => ({ ...p, get body() { asked++; return p.body; } }));
    const packaging = packageEpub({ ...plan, pages });
    expect(asked, 'pages written before the cover arrives').to.equal(plan.pages.length);
    draw(PNG);
    const pending = await packaging;
    expect(pending.equals(known)).to.equal(true);
    const names = Object.keys((await openEpub(pending)).zip.files).filter((n) => !n.endsWith('/'));
    expect(names.at(-1)).to.equal('OEBPS/cover.png');
  });

  it("writes only the book's own files, in a fixed order", async () => {
    const book = await openEpub(await packageEpub(planStory(sample('Tea'), { css: 'p{}', cover: Promise.resolve(PNG) })));
    expect(book.names).to.deep.equal([
      'mimetype', 'META-INF/container.xml', 'OEBPS/content.opf', 'OEBPS/toc.ncx', 'OEBPS/nav.xhtml', 'OEBPS/style.css',
      'OEBPS/cover.xhtml', 'OEBPS/title.xhtml', 'OEBPS/info.xhtml', 'OEBPS/c001.xhtml', 'OEBPS/c002.xhtml', 'OEBPS/cover.png',
    ]);
  });

  it('writes the metadata of the contract and nothing invented', async () => {
    const book = await openEpub(await packageEpub(planStory(sample('Tea'), { css: 'p{}', cover: Promise.resolve(PNG) })));
    const opf = await book.text('OEBPS/content.opf');
    expect(opf).to.match(/<dc:identifier id="bookid">urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}<\/dc:identifier>/);
    expect(opf).to.include('<dc:title id="dctitle">Tea</dc:title>');
    expect(opf).to.include('<dc:creator id="creator1">Ann Author</dc:creator>');
    expect(opf).to.include('<meta refines="#creator1" property="role" scheme="marc:relators">aut</meta>');
    expect(opf).to.include('<dc:language>en</dc:language>');
    expect(opf).to.include('<dc:date>2020-02-03</dc:date>');
    expect(opf).to.include('<meta property="dcterms:modified">2020-02-03T00:00:00Z</meta>');
    expect(opf).to.include('<dc:description>A short summary.</dc:description>');
    expect(opf).to.include('<dc:subject>Original Work</dc:subject>');
    expect(opf).to.include('<dc:source>https://example.org/s/1</dc:source>');
    expect(opf).to.include('<meta refines="#series" property="group-position">2</meta>');
    expect(opf).to.include('<meta name="calibre:series" content="Teacups"/>');
    expect(opf).to.include('properties="cover-image"');
    expect(opf).to.include('<meta name="cover" content="cover-image"/>');
    for (const p of ['accessMode', 'accessModeSufficient', 'accessibilityFeature', 'accessibilityHazard', 'accessibilitySummary']) expect(opf).to.include(`property="schema:${p}"`);
    expect(opf).to.include('<meta property="schema:accessibilityFeature">alternativeText</meta>');
    const noCover = await (await openEpub(await packageEpub(planStory(sample('Tea'), { css: 'p{}' })))).text('OEBPS/content.opf');
    expect(noCover).not.to.include('alternativeText');
    expect(noCover).not.to.include('>visual<');
    expect(opf).not.to.match(/anonymous|rights|publisher/i);
    expect(book.names.some((n) => /\s/.test(n)), 'no spaces in file names').to.equal(false);
  });

  it('renders chapters with escaped text, end mark and voices, and nests the navigation', async () => {
    const book = await openEpub(await packageEpub(planStory(sample('Tea', true), { css: 'p{}' })));
    const ch1 = await book.text('OEBPS/c001.xhtml');
    expect(ch1.startsWith('<?xml version="1.0" encoding="utf-8"?>')).to.equal(true);
    expect(ch1).to.include('<section epub:type="chapter" role="doc-chapter" class="chapter" id="c001">');
    expect(ch1).to.include('<section class="voice" aria-label="Ada" id="c001-v1"><h2 class="voice-label">Ada</h2>');
    expect(ch1).to.include('<hr class="scene-break"/>');
    const ch2 = await book.text('OEBPS/c002.xhtml');
    expect(ch2).to.include('<p class="end-mark">The End</p>');
    const nav = await book.text('OEBPS/nav.xhtml');
    expect(nav).to.include('<li><a href="c001.xhtml">One</a><ol><li><a href="c001.xhtml#c001-v1">Ada</a></li>\n<li><a href="c001.xhtml#c001-v2">Wren</a></li></ol></li>');
    expect(nav).to.include('epub:type="landmarks"');
    const ncx = await book.text('OEBPS/toc.ncx');
    expect(ncx).to.include('<meta name="dtb:depth" content="2"/>');
    const escaped = await openEpub(await packageEpub(planStory(sample('Tea'), { css: 'p{}' })));
    expect(await escaped.text('OEBPS/c001.xhtml')).to.include('Hello &amp; &lt;welcome&gt;.');
  });

  it('binds an anthology with story → chapter → voice navigation', async () => {
    const plan = planAnthology({ title: 'Cups', editors: ['Ed'], stories: [sample('Tea', true), sample('Coffee')] }, { css: '' });
    const book = await openEpub(await packageEpub(plan));
    const nav = await book.text('OEBPS/nav.xhtml');
    expect(nav).to.include('<a href="s001-title.xhtml">Tea by Ann Author</a><ol><li><a href="s001-c001.xhtml">One</a><ol><li><a href="s001-c001.xhtml#s001-c001-v1">Ada</a>');
    expect(nav).to.include('<a href="s002-title.xhtml">Coffee by Ann Author</a>');
    const opf = await book.text('OEBPS/content.opf');
    expect(opf).to.include('<dc:title id="dctitle">Cups</dc:title>');
    expect(opf).to.include('>edt</meta>');
    expect(await book.text('OEBPS/s001-c001.xhtml')).to.include('<h2 class="chapter-title">One</h2>');
    expect(await book.text('OEBPS/contents.xhtml')).to.include('<span class="contents-author">by Ann Author</span>');
  });

  it('dates the book from the story, SOURCE_DATE_EPOCH, or a fixed epoch', () => {
    expect(modifiedDate(['2001-02-03', '2005-06-07'])).to.equal('2005-06-07T00:00:00Z');
    expect(modifiedDate([undefined], 86400)).to.equal('1970-01-02T00:00:00Z');
    expect(modifiedDate([])).to.equal('2000-01-01T00:00:00Z');
  });
});
