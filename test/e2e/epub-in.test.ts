/** EPUBs from each producer (test/fixtures/epub, made as make.mjs says) re-dressed end to end
 * through the CLI and checked by EPUBCheck: metadata, chapters, pictures, footnotes, and none of
 * the producer's own pages in the story text; then an anthology of three of them and a saved page. */
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { readStory } from '../../src/index.js';
import { blocksText } from '../../src/text.js';
import { buildOneValid } from '../helpers/built.js';
import { runCli } from '../helpers/cli.js';
import { markupText, openEpub } from '../helpers/epub.js';
import { describeMessages, epubcheck, requireEpubcheck } from '../helpers/epubcheck.js';
import { fixture } from '../helpers/paths.js';

interface Case {
  producer: string;
  file: string;
  opf: string[];
  chapters: string[];
  /** Markup that must appear in the chapters. */
  present: string[];
  /** Text of the producer's pages that must not be in the chapters. */
  absentFromChapters: string[];
  /** Text that must be on the information page (metadata read from the producer's pages). */
  info: string[];
  pictures: number;
}

const CASES: Case[] = [
  {
    producer: 'AO3 (calibre from the Archive\'s HTML download)',
    file: 'ao3.epub',
    opf: ['>The Orchard Clock</dc:title>', '>wrenfield</dc:creator>', '<dc:language>en</dc:language>', '<dc:source>https://archiveofourown.org/works/7700112</dc:source>', '>Seasons at Hollow Farm</meta>', '<dc:subject>Ines &amp; Bram</dc:subject>'],
    chapters: ['Chapter 1: Windfall', 'Chapter 2: First Frost'],
    present: ['It ticked. It ticked <em>backwards</em>', '<li>Ines blamed the clock.</li>', 'epub:type="noteref"'],
    absentFromChapters: ['Posted originally', 'Rating:', 'Chapter Summary', 'Chapter Notes', 'See the end of the chapter', 'drop by the Archive', 'Preface', 'Afterword', 'Fanworks'],
    info: ['General Audiences', 'No Archive Warnings Apply', 'Found Family', 'The clock in the orchard runs backwards', 'For the autumn swap', 'Apples, and a clock that should not be there', 'Part two will follow the spring fair'],
    pictures: 0,
  },
  {
    producer: 'calibre (EPUB 3, title page, inline contents, split file)',
    file: 'calibre.epub',
    opf: ['>Lantern Weather</dc:title>', '>Ottilie Brask</dc:creator>', '>Harbour Lights</meta>', '<meta refines="#series" property="group-position">4</meta>', '<dc:subject>Lanterns</dc:subject>'],
    chapters: ['Part the First', 'Part the Second'],
    present: ['Then she went back out to the quay', 'the last boat came in under a sky the colour of slate'],
    absentFromChapters: ['Table of Contents'],
    info: ['The lanterns go out, and come back.'],
    pictures: 0,
  },
  {
    producer: 'pandoc (EPUB 3, title page, footnote, table, picture, a <br> that is not XML)',
    file: 'pandoc.epub',
    opf: ['>The Salt Road</dc:title>', '>Marisol Ketteridge</dc:creator>', '<dc:language>en-GB</dc:language>', '>Coast Roads</meta>', '<dc:source>https://example.org/stories/salt-road</dc:source>'],
    chapters: ['The Inn at Marrow Cross', 'The Coast'],
    present: ['<th>Room</th>', 'They took the stable.<br/>The loft had <em>opinions</em>', 'alt="A cart on a coast road"', 'epub:type="noteref"', 'She answered to Meg'],
    absentFromChapters: ['2023-04-18'],
    info: ['Two couriers, one cart'],
    pictures: 1,
  },
  {
    producer: 'calibre from a saved text, with its defaults ("Unknown", the file\'s name as the title, a cover drawn from both)',
    file: 'saved-story.epub',
    opf: ['>The Ferryman’s Ledger</dc:title>', '>Maren Quill</dc:creator>', '<dc:subject>Original Work</dc:subject>'],
    chapters: ['The Ferryman’s Ledger'],
    present: ['The ferry left at six', 'without paying at all'],
    absentFromChapters: ['Title:', 'Author:', 'Rating:', 'Word Count', 'saved_story_0417', 'Unknown', 'Tags:', 'Post a new comment', 'default userpic'],
    info: ['General Audiences', 'A ferry, a ledger, and one fare that will not add up.', 'ferries, ledgers'],
    pictures: 0,
  },
  {
    producer: 'pandoc from a saved text (no title, the conversion date, the header joined into one paragraph)',
    file: 'saved-story-pandoc.epub',
    opf: ['>The Ferryman’s Ledger</dc:title>', '>Maren Quill</dc:creator>', '<dc:subject>Original Work</dc:subject>'],
    chapters: ['The Ferryman’s Ledger'],
    present: ['The ferry left at six', 'without paying at all'],
    absentFromChapters: ['Title:', 'Author:', 'Rating:', 'Word Count', 'Untitled', 'Tags:', 'Post a new comment', 'default userpic'],
    info: ['General Audiences', 'A ferry, a ledger, and one fare that will not add up.', 'ferries, ledgers'],
    pictures: 0,
  },
  ...(['pandoc', 'calibre'] as const).map((by) => ({
    producer: `${by} from a saved journal post (poster line, emphasis, a dashed line with text under it, the page's links under the last line)`,
    file: `journal-${by}.epub`,
    opf: ['>The Salt Clock</dc:title>', '>Ines Marlow</dc:creator>', '<dc:subject>Original Work</dc:subject>'],
    chapters: ['The Salt Clock'],
    present: ['the funnel was <em>empty</em>', 'moving <em>backwards</em>', '<strong>eleven hours younger</strong>', '<hr class="scene-break"/>'],
    absentFromChapters: ['wrote,', 'inesmarlow', 'Title:', 'Previous post', 'post_0512', '----', '*', 'Untitled'],
    info: ['General Audiences', 'A clock that runs on salt'],
    pictures: 0,
  })),
  ...(['pandoc', 'calibre'] as const).map((by) => ({
    producer: `${by} from the Archive's one-line download (its paragraphs in its no-break spaces)`,
    file: `flat-${by}.epub`,
    opf: ['>Two Lamps</dc:title>', '>Wren Tallow</dc:creator>', '<dc:subject>Harbour Lights (TV)</dc:subject>'],
    chapters: ['Night One', 'Night Two', 'Afterwards'],
    present: ['It was <em>almost</em> peaceful.</p>'],
    absentFromChapters: ['Archive_of_Our_Own', 'Night_One', 'Posted originally', 'ao3_flat_99001', '*'],
    info: ['Teen And Up Audiences', 'Two keepers trade one lamp'],
    pictures: 0,
  })),
  {
    producer: 'FanFicFare (EPUB 2, title, contents and log pages)',
    file: 'fanficfare.epub',
    opf: ['>Nine Bells</dc:title>', '>Hollis Vane</dc:creator>', '<dc:source>https://www.fanfiction.example/s/5550123/1/</dc:source>', '>Bellhouse</meta>', '<dc:subject>Agnes Thorpe</dc:subject>'],
    chapters: ['The First Bell', 'The Ninth Bell'],
    present: ['Agnes rang the first bell at six', '[the tenor bell]'],
    absentFromChapters: ['Table of Contents', 'Update Log', 'Packaged', 'Category:', 'log_entry'],
    info: ['K+', 'Bells &amp; Towers', 'A bell-ringer counts to nine'],
    pictures: 0,
  },
  {
    producer: 'WebToEpub (EPUB 3, information page, noteref/aside, cover)',
    file: 'webtoepub.epub',
    opf: ['>The Glass Ferry</dc:title>', '>Tamsin Oakhurst</dc:creator>', '<dc:source>https://novels.example/book/glass-ferry/</dc:source>'],
    chapters: ['Chapter 1: The Landing', 'Chapter 2: The Far Shore'],
    present: ['alt="the far shore at dusk"', 'epub:type="noteref"', 'Looking down was said to be bad luck'],
    absentFromChapters: ['Information', 'Table of Contents URL'],
    info: ['A ferry made of glass crosses a lake'],
    pictures: 1,
  },
];

describe('EPUB in: producers end to end', function () {
  this.timeout(300000);
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'fic2epub-epubin-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  for (const c of CASES) {
    it(`re-dresses a ${c.producer} book into a valid EPUB 3`, async function () {
      await requireEpubcheck(this);
      const { book, opf, chapterFiles, chapters, everything } = await buildOneValid(fixture('epub', c.file), tmp);
      for (const s of c.opf) expect(opf, s).to.include(s);
      expect(opf).to.include('version="3.0"');
      expect(chapterFiles, book.names.join(', ')).to.have.length(c.chapters.length);
      for (const [i, title] of c.chapters.entries()) expect(await book.text(chapterFiles[i]!), title).to.include(`>${title}</h1>`);
      for (const s of c.present) expect(chapters, s).to.include(s);
      for (const s of c.absentFromChapters) expect(markupText(chapters), s).not.to.include(s);
      const info = await book.text('OEBPS/info.xhtml');
      const notes = book.names.includes('OEBPS/endnotes.xhtml') ? await book.text('OEBPS/endnotes.xhtml') : '';
      for (const s of c.info) expect(info + chapters + notes, s).to.include(s);
      expect(book.names.filter((n) => n.startsWith('OEBPS/images/')), 'pictures').to.have.length(c.pictures);
      expect(everything).not.to.match(/<script|onload=|javascript:/i);
    });
  }

  /** The book the CLI makes of an EPUB fixture. */
  const rebuilt = async (file: string): Promise<Awaited<ReturnType<typeof openEpub>>> => {
    const r = await runCli(['build', fixture('epub', file), '--out', tmp, '--json']);
    expect(r.code, r.stderr).to.equal(0);
    return openEpub(readFileSync((JSON.parse(r.stdout) as { books: { output: string }[] }).books[0]!.output));
  };

  it('keeps the input book\'s own PNG cover', async function () {
    await requireEpubcheck(this);
    const book = await rebuilt('webtoepub.epub');
    const cover = await book.zip.file('OEBPS/cover.png')!.async('uint8array');
    const source = await openEpub(readFileSync(fixture('epub', 'webtoepub.epub')));
    expect(Buffer.from(cover).equals(Buffer.from(await source.zip.file('OEBPS/Images/0000_cover.png')!.async('uint8array')))).to.equal(true);
  });

  it('draws its own cover for a book whose cover calibre drew from the file\'s name', async () => {
    const book = await rebuilt('saved-story.epub');
    const png = PNG.sync.read(Buffer.from(await book.zip.file('OEBPS/cover.png')!.async('uint8array')));
    // calibre's drawn cover is a 1200×1600 JPEG; fic2epub's own is a 1200×1920 PNG.
    expect([png.width, png.height]).to.deep.equal([1200, 1920]);
  });

  it('draws the input book\'s own JPEG cover into the PNG cover', async () => {
    const book = await rebuilt('fanficfare.epub');
    const png = PNG.sync.read(Buffer.from(await book.zip.file('OEBPS/cover.png')!.async('uint8array')));
    expect([png.width, png.height]).to.deep.equal([40, 60]);
    const at = (20 * 40 + 30) * 4;
    const [red, green, blue] = [png.data[at]!, png.data[at + 1]!, png.data[at + 2]!];
    expect(Math.abs(red - 51) + Math.abs(green - 102) + Math.abs(blue - 153), `${red},${green},${blue}`).to.be.below(12);
  });

  it('builds the same bytes twice', async () => {
    const built = async (dir: string): Promise<Buffer> => {
      const r = await runCli(['build', fixture('epub', 'ao3.epub'), '--out', join(tmp, dir), '--json', '--cover', 'none']);
      expect(r.code, r.stderr).to.equal(0);
      return readFileSync((JSON.parse(r.stdout) as { books: { output: string }[] }).books[0]!.output);
    };
    expect((await built('a')).equals(await built('b'))).to.equal(true);
  });

  it('inspect shows what was read from an EPUB', async () => {
    const r = await runCli(['inspect', fixture('epub', 'fanficfare.epub')]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('epub');
    expect(r.stdout).to.include('Nine Bells');
    expect(r.stdout).to.include('The Ninth Bell');
    expect(r.stdout).to.include('fanficfare');
  });

  it('a folder scan picks up .epub files', async () => {
    const r = await runCli(['build', fixture('epub'), '--out', tmp, '--json', '--cover', 'none']);
    const report = JSON.parse(r.stdout) as { books: { inputs: string[] }[]; failures: unknown[] };
    // The scan also goes into sources/ (folders are searched below their top level): every .epub is a book.
    const fromEpubs = report.books.filter((b) => b.inputs.some((i) => i.endsWith('.epub')));
    expect(fromEpubs).to.have.length(CASES.length);
    expect(report.failures).to.deep.equal([]);
  });

  it('binds three EPUBs from different producers and a saved page into one valid anthology', async function () {
    await requireEpubcheck(this);
    const inputs = [fixture('epub', 'ao3.epub'), fixture('epub', 'pandoc.epub'), fixture('epub', 'webtoepub.epub'), fixture('generic-html', 'blog-post.html')];
    const out = join(tmp, 'shelf.epub');
    const r = await runCli(['build', ...inputs, '--anthology', 'A Mixed Shelf', '--out', out, '--cover', 'none']);
    expect(r.code, r.stderr).to.equal(0);
    const check = await epubcheck(out);
    expect(check.errors + check.fatal + check.warnings, describeMessages(check)).to.equal(0);
    const book = await openEpub(readFileSync(out));
    // Navigation nested story → chapter.
    const nav = await book.text('OEBPS/nav.xhtml');
    expect(nav).to.match(/<li><a href="s001-title.xhtml">The Orchard Clock by wrenfield<\/a><ol><li><a href="s001-c001.xhtml">Chapter 1: Windfall<\/a><\/li>\s*<li><a href="s001-c002.xhtml">Chapter 2: First Frost<\/a><\/li><\/ol><\/li>/);
    expect(nav).to.match(/s002-title.xhtml">The Salt Road by Marisol Ketteridge<\/a><ol><li><a href="s002-c001.xhtml">The Inn at Marrow Cross/);
    expect(nav).to.match(/s003-title.xhtml">The Glass Ferry by Tamsin Oakhurst<\/a><ol><li><a href="s003-c001.xhtml">Chapter 1: The Landing/);
    expect(nav).to.include('s004-title.xhtml');
    // Each story's own metadata on its own information page.
    expect(await book.text('OEBPS/s001-info.xhtml')).to.include('General Audiences').and.include('Seasons at Hollow Farm');
    expect(await book.text('OEBPS/s002-info.xhtml')).to.include('Two couriers, one cart').and.include('Coast Roads').and.not.include('General Audiences');
    expect(await book.text('OEBPS/s003-info.xhtml')).to.include('A ferry made of glass').and.not.include('Coast Roads');
    // Every story's words, in order.
    for (const [k, input] of inputs.entries()) {
      const { story } = await readStory(input);
      const words = (blocksText(story.chapters.flatMap((c) => c.sections.flatMap((s) => s.blocks))).match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.toLowerCase());
      const prefix = `OEBPS/s${String(k + 1).padStart(3, '0')}-c`;
      const files = book.names.filter((n) => n.startsWith(prefix)).sort();
      const bookWords = (markupText((await Promise.all(files.map((f) => book.text(f)))).join(' ')).match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.toLowerCase());
      let at = 0;
      for (const w of bookWords) if (w === words[at]) at++;
      expect(at, `${input}: ${words.length} words, first missing "${words[at]}"`).to.equal(words.length);
      expect(words.length).to.be.above(40);
    }
  });
});

describe('EPUB in: fixtures are present', () => {
  it('has one EPUB per producer', () => {
    for (const c of CASES) expect(existsSync(fixture('epub', c.file)), c.file).to.equal(true);
  });
});
