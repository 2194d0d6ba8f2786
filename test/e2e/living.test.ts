/**
 * Living books end to end: whole cycles of a story growing (re-downloads, chapter pages one at a
 * time, parts in any order, an anthology growing). After every step the book passes EPUBCheck,
 * keeps its identifier, and its unchanged chapters keep their files, ids and bytes.
 */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { openEpub, type OpenEpub } from '../helpers/epub.js';
import { describeMessages, epubcheck, requireEpubcheck } from '../helpers/epubcheck.js';
import { ao3Download, ffnChapterPage, journalPart, type FicChapter } from '../fixtures/living/shapes.js';

interface Report {
  books: { output: string; inputs: string[]; title: string; warnings: { code: string; message: string }[]; update?: { added: string[]; changed: string[]; kept: string[]; removed: string[] } }[];
  failures: unknown[];
}

async function build(args: string[]): Promise<Report> {
  const r = await runCli(['build', ...args, '--json', '--cover', 'none']);
  expect(r.code, r.stderr).to.equal(0);
  return JSON.parse(r.stdout) as Report;
}

async function checked(path: string): Promise<OpenEpub> {
  const c = await epubcheck(path);
  expect(c.errors + c.fatal + c.warnings, describeMessages(c)).to.equal(0);
  return openEpub(readFileSync(path));
}

const identifier = async (b: OpenEpub): Promise<string> => /<dc:identifier id="bookid">([^<]+)</.exec(await b.text('OEBPS/content.opf'))![1]!;
const spine = async (b: OpenEpub): Promise<string[]> => [...(await b.text('OEBPS/content.opf')).matchAll(/<itemref idref="([^"]+)"/g)].map((m) => m[1]!).filter((id) => /c\d{3}$/.test(id));
const bytesOf = async (b: OpenEpub, name: string): Promise<Uint8Array> => b.zip.file(`OEBPS/${name}`)!.async('uint8array');

const ch = (title: string, ...paragraphs: string[]): FicChapter => ({ title, paragraphs });
const ONE = ch('Low Water', 'The kettle on the lightship had a dent shaped like a thumbprint.', 'Maren filled it anyway, and listened to the fog horn count the hours.');
const TWO = ch('Signal Flags', 'Every morning Ilse ran a new word up the mast in flags.', 'Most mornings the word was a complaint about the coffee.');
const TWO_EDITED = ch('Signal Flags', 'Every morning Ilse ran a new word up the mast in flags.', 'Most mornings the word was a complaint about the coffee, spelled wrong on purpose.');
const THREE = ch('Relief Crew', 'The relief boat came a week late and brought the wrong tea.', 'Nobody on the lightship minded as much as they said.');

describe('living books: update cycles', function () {
  this.timeout(300000);
  let tmp: string;
  beforeEach(async function () {
    await requireEpubcheck(this);
    tmp = mkdtempSync(join(tmpdir(), 'fic2epub-living-'));
  });
  afterEach(() => tmp && rmSync(tmp, { recursive: true, force: true }));

  it('an Archive download of two chapters, re-downloaded with three and chapter 2 edited, updates in place', async () => {
    const input = join(tmp, 'work.html');
    const out = join(tmp, 'books');
    writeFileSync(input, ao3Download(5550001, 'The Lightship', 'tallowmere', [ONE, TWO], '2022-05-08'));
    const first = await build([input, '--out', out]);
    expect(first.books[0]!.update).to.equal(undefined);
    const path = first.books[0]!.output;
    const v1 = await checked(path);
    expect(await spine(v1)).to.deep.equal(['c001', 'c002']);

    writeFileSync(input, ao3Download(5550001, 'The Lightship', 'tallowmere', [ONE, TWO_EDITED, THREE], '2022-05-20'));
    const second = await build([input, '--out', out]);
    expect(second.books[0]!.output).to.equal(path);
    expect(second.books[0]!.update).to.deep.equal({ added: ['Chapter 3: Relief Crew'], changed: ['Chapter 2: Signal Flags'], kept: ['Chapter 1: Low Water'], removed: [] });
    expect(readdirSync(out)).to.deep.equal([path.slice(out.length + 1)]);
    const v2 = await checked(path);
    expect(await identifier(v2)).to.equal(await identifier(v1));
    expect(await spine(v2)).to.deep.equal(['c001', 'c002', 'c003']);
    expect(await bytesOf(v2, 'c001.xhtml')).to.deep.equal(await bytesOf(v1, 'c001.xhtml'));
    expect(await v2.text('OEBPS/c002.xhtml')).to.include('spelled wrong on purpose').and.include('id="c002"');
    expect(await v2.text('OEBPS/c003.xhtml')).to.include('wrong tea');

    // The same inputs onto the same book: the same bytes.
    const before = readFileSync(path);
    const third = await build([input, '--out', out]);
    expect(third.books[0]!.update).to.deep.equal({ added: [], changed: [], kept: ['Chapter 1: Low Water', 'Chapter 2: Signal Flags', 'Chapter 3: Relief Crew'], removed: [] });
    expect(readFileSync(path).equals(before)).to.equal(true);
  });

  it('marks new chapters and keeps an update log when asked, and the log stays', async () => {
    const input = join(tmp, 'work.html');
    const out = join(tmp, 'books');
    writeFileSync(input, ao3Download(5550001, 'The Lightship', 'tallowmere', [ONE], '2022-05-08'));
    const path = (await build([input, '--out', out])).books[0]!.output;
    writeFileSync(input, ao3Download(5550001, 'The Lightship', 'tallowmere', [ONE, TWO], '2022-05-09'));
    await build([input, '--out', out, '--mark-new', '--update-log']);
    const v2 = await checked(path);
    const nav = await v2.text('OEBPS/nav.xhtml');
    expect(nav).to.include('>Chapter 2: Signal Flags (new)</a>').and.include('>Chapter 1: Low Water</a>');
    expect(await v2.text('OEBPS/updates.xhtml')).to.include('2022-05-09: added: Chapter 2: Signal Flags');
    expect(await v2.text('OEBPS/content.opf')).to.include('<itemref idref="updates"></itemref>');
    writeFileSync(input, ao3Download(5550001, 'The Lightship', 'tallowmere', [ONE, TWO, THREE], '2022-05-10'));
    await build([input, '--out', out]);
    const v3 = await checked(path);
    expect(await v3.text('OEBPS/nav.xhtml')).not.to.include('(new)');
    const log = await v3.text('OEBPS/updates.xhtml');
    expect(log.indexOf('2022-05-10: added: Chapter 3: Relief Crew')).to.be.greaterThan(-1).and.lessThan(log.indexOf('2022-05-09'));
    // Nothing new: nothing logged, the same bytes.
    const before = readFileSync(path);
    await build([input, '--out', out]);
    expect(readFileSync(path).equals(before)).to.equal(true);
  });

  it('FanFiction.Net chapter pages built one at a time grow one book', async () => {
    const out = join(tmp, 'books');
    const menu = ['Slack Tide', 'Anemones', 'Spring Tide'];
    const texts = [
      ['Nell drew the first pool on the back of a bus ticket.', 'Her sister said it looked like a potato.'],
      ['The anemones closed when Nell touched them, every single time.', 'Bea wrote that down as a finding.'],
      ['The spring tide took the map and most of the potato.', 'They started a new one the next morning.'],
    ];
    let path = '';
    let previous: OpenEpub | undefined;
    for (let n = 1; n <= 3; n++) {
      const input = join(tmp, `chapter-${n}.html`);
      writeFileSync(input, ffnChapterPage(7771234, 'Pool Maps', 'Wrenna Hale', menu, n, texts[n - 1]!));
      const r = await build([input, '--out', out]);
      const book = r.books[0]!;
      if (n === 1) {
        path = book.output;
        expect(book.update).to.equal(undefined);
      } else {
        expect(book.output).to.equal(path);
        expect(book.update).to.deep.equal({ added: [menu[n - 1]], changed: [], kept: menu.slice(0, n - 1), removed: [] });
      }
      const now = await checked(path);
      expect(await spine(now)).to.deep.equal(['c001', 'c002', 'c003'].slice(0, n));
      if (previous) {
        expect(await identifier(now)).to.equal(await identifier(previous));
        for (const id of (await spine(previous))) expect(await bytesOf(now, `${id}.xhtml`), id).to.deep.equal(await bytesOf(previous, `${id}.xhtml`));
      }
      previous = now;
    }
    expect(readdirSync(out)).to.have.length(1);
    // The information page counts the words of the whole book, kept chapters too.
    const words = Number(/(\d+) counted/.exec(await previous!.text('OEBPS/info.xhtml'))![1]);
    expect(words).to.be.greaterThan(texts.flat().join(' ').split(/\s+/).length - 1);
    // --prune with only the last page: the others go.
    const pruned = await build([join(tmp, 'chapter-3.html'), '--out', out, '--prune']);
    expect(pruned.books[0]!.update).to.deep.equal({ added: [], changed: [], kept: ['Spring Tide'], removed: ['Slack Tide', 'Anemones'] });
    expect(await spine(await checked(path))).to.deep.equal(['c003']);
  });

  it('"Part 2/2" and "Part 1/2" given in reverse order join in their order, and a second build is an update', async () => {
    const out = join(tmp, 'books');
    const p1 = join(tmp, 'b.txt');
    const p2 = join(tmp, 'a.txt');
    writeFileSync(p1, journalPart('Glass Floats', 'Osk', 1, 2, ['The net came up with three glass floats and a boot.', 'Osk kept the boot.']));
    writeFileSync(p2, journalPart('Glass Floats', 'Osk', 2, 2, ['The floats went on the windowsill in order of greenness.', 'The boot went on the stove.']));
    const r = await build([p2, p1, '--out', out]);
    expect(r.books).to.have.length(1);
    expect(r.books[0]!.inputs).to.deep.equal([p1, p2]);
    expect(r.books[0]!.warnings.map((w) => w.code)).not.to.include('build-003');
    const path = r.books[0]!.output;
    const v1 = await checked(path);
    const c1 = await v1.text('OEBPS/c001.xhtml');
    expect(c1).to.include('three glass floats');
    expect(await v1.text('OEBPS/c002.xhtml')).to.include('order of greenness');
    const again = await build([p1, p2, '--out', out]);
    expect(again.books[0]!.output).to.equal(path);
    expect(again.books[0]!.update).to.deep.equal({ added: [], changed: [], kept: ['Part 1', 'Part 2'], removed: [] });
    const v2 = await checked(path);
    expect(await identifier(v2)).to.equal(await identifier(v1));
    expect(await bytesOf(v2, 'c001.xhtml')).to.deep.equal(await bytesOf(v1, 'c001.xhtml'));
    // --no-join keeps the posts apart.
    const apart = await build([p2, p1, '--out', join(tmp, 'apart'), '--no-join']);
    expect(apart.books).to.have.length(2);
  });

  it('a missing part is named in one warning', async () => {
    const a = join(tmp, 'one.txt');
    const b = join(tmp, 'three.txt');
    writeFileSync(a, journalPart('Net Mending', 'Osk', 1, 4, ['Osk mended the net with green twine.']));
    writeFileSync(b, journalPart('Net Mending', 'Osk', 3, 4, ['The green twine held through the storm.']));
    const r = await build([b, a, '--out', tmp]);
    expect(r.books).to.have.length(1);
    expect(r.books[0]!.warnings.filter((w) => w.code === 'build-003').map((w) => w.message)).to.deep.equal(['parts 2 and 4 of 4 are missing']);
  });

  it('in a batch on the workers, joins pieces far apart, builds a lone piece at the end, and keeps the order of inputs', async () => {
    const dir = join(tmp, 'batch-pieces');
    mkdirSync(dir, { recursive: true });
    const inputs: string[] = [];
    const add = (name: string, text: string): void => {
      inputs.push(join(dir, name));
      writeFileSync(inputs[inputs.length - 1]!, text);
    };
    add('00.txt', journalPart('Tide Pools', 'Osk', 2, 2, ['The crabs had moved house again.']));
    add('01.txt', journalPart('Salt Roads', 'Ida', 2, 3, ['The second road ran along the dunes.']));
    for (let i = 2; i < 10; i++) add(`${String(i).padStart(2, '0')}.txt`, `Title: Harbour Note ${i}\nAuthor: Ida\n\nThe ferry left at ${i} o'clock, as it always did.\n`);
    add('10.txt', journalPart('Tide Pools', 'Osk', 1, 2, ['Osk counted the pools at low tide.']));
    const r = await build([...inputs, '--out', join(dir, 'out')]);
    expect(r.failures).to.deep.equal([]);
    expect(r.books.map((b) => b.inputs)).to.deep.equal([[inputs[10], inputs[0]], [inputs[1]], ...inputs.slice(2, 10).map((i) => [i])]);
    const joined = await openEpub(readFileSync(r.books[0]!.output));
    const pages = await Promise.all(joined.names.filter((n) => n.endsWith('.xhtml')).map((n) => joined.text(n)));
    expect(pages.join('')).to.include('counted the pools').and.include('crabs had moved');
  });

  it('an anthology grown by one story keeps its identity and its stories’ bytes', async () => {
    const a = join(tmp, 'a.txt');
    const b = join(tmp, 'b.txt');
    const c = join(tmp, 'c.txt');
    writeFileSync(a, 'Title: Buoy Light\nAuthor: Ferren\n\nThe buoy light blinked twice for yes.\n');
    writeFileSync(b, 'Title: Harbour Cat\nAuthor: Ludo\n\nThe harbour cat owned three boats and a chandlery.\n');
    writeFileSync(c, 'Title: Tide Tables\nAuthor: Ama\n\nAma learned the tide tables by singing them.\n');
    const path = join(tmp, 'coast.epub');
    const r1 = await build(['--anthology', 'Coast Stories', '--editor', 'Pim', '--out', path, a, b]);
    expect(r1.books[0]!.update).to.equal(undefined);
    const v1 = await checked(path);
    const r2 = await build(['--anthology', 'Coast Stories', '--editor', 'Pim', '--out', path, c, '--mark-new']);
    expect(r2.books[0]!.output).to.equal(path);
    expect(r2.books[0]!.update).to.deep.equal({ added: ['Tide Tables by Ama'], changed: [], kept: ['Buoy Light by Ferren', 'Harbour Cat by Ludo'], removed: [] });
    const v2 = await checked(path);
    expect(await identifier(v2)).to.equal(await identifier(v1));
    for (const f of ['s001-title.xhtml', 's001-c001.xhtml', 's002-c001.xhtml']) expect(await bytesOf(v2, f), f).to.deep.equal(await bytesOf(v1, f));
    expect(await v2.text('OEBPS/s003-c001.xhtml')).to.include('singing them');
    expect(await v2.text('OEBPS/nav.xhtml')).to.include('>Tide Tables by Ama (new)</a>').and.include('>Buoy Light by Ferren</a>');
    const contents = await v2.text('OEBPS/contents.xhtml');
    expect(contents.indexOf('Buoy Light')).to.be.lessThan(contents.indexOf('Tide Tables'));
    // One of its stories edited: updated in place, the others untouched.
    writeFileSync(a, 'Title: Buoy Light\nAuthor: Ferren\n\nThe buoy light blinked twice for yes, and once for maybe.\n');
    const r3 = await build(['--anthology', 'Coast Stories', '--editor', 'Pim', '--out', path, a]);
    expect(r3.books[0]!.update).to.deep.equal({ added: [], changed: ['Buoy Light by Ferren: Buoy Light'], kept: ['Harbour Cat by Ludo', 'Tide Tables by Ama'], removed: [] });
    const v3 = await checked(path);
    expect(await identifier(v3)).to.equal(await identifier(v1));
    expect(await v3.text('OEBPS/s001-c001.xhtml')).to.include('once for maybe');
    expect(await v3.text('OEBPS/nav.xhtml')).not.to.include('(new)');
    for (const f of ['s002-c001.xhtml', 's003-c001.xhtml']) expect(await bytesOf(v3, f), f).to.deep.equal(await bytesOf(v2, f));
  });

  it('never overwrites a different story that has the same file name', async () => {
    const out = join(tmp, 'books');
    const first = join(tmp, 'first.html');
    const second = join(tmp, 'second.html');
    // Same title and author, different works on the Archive.
    writeFileSync(first, ao3Download(5550101, 'Driftwood', 'tallowmere', [ONE], '2022-06-01'));
    writeFileSync(second, ao3Download(5550202, 'Driftwood', 'tallowmere', [THREE], '2022-06-02'));
    const r1 = await build([first, '--out', out]);
    const path = r1.books[0]!.output;
    const before = readFileSync(path);
    const r2 = await build([second, '--out', out]);
    expect(r2.books[0]!.output).not.to.equal(path);
    expect(r2.books[0]!.update).to.equal(undefined);
    expect(readFileSync(path).equals(before)).to.equal(true);
    expect(readdirSync(out)).to.have.length(2);
    // A file that is not a book at all is not touched either.
    writeFileSync(join(out, 'tallowmere - Lonely.epub'), 'not a book');
    const lone = join(tmp, 'lone.html');
    writeFileSync(lone, ao3Download(5550303, 'Lonely', 'tallowmere', [TWO], '2022-06-03'));
    const r3 = await build([lone, '--out', out]);
    expect(r3.books[0]!.output).not.to.equal(join(out, 'tallowmere - Lonely.epub'));
    expect(readFileSync(join(out, 'tallowmere - Lonely.epub'), 'utf8')).to.equal('not a book');
    // The two Driftwoods given together stay two books (different works).
    const both = await build([first, second, '--out', join(tmp, 'both')]);
    expect(both.books).to.have.length(2);
  });

  it('says once that a cover could not be drawn, though an update builds the book again', async () => {
    const dir = join(tmp, 'cover-once');
    mkdirSync(dir);
    const story = join(dir, 'story.txt');
    writeFileSync(story, `Title: 灯台の手紙\nAuthor: 浜田\n\n${'灯台守は毎朝、海に向かって手紙を書いた。返事は一度も来なかった。\n\n'.repeat(12)}`);
    const saved = process.env.FIC2EPUB_NO_SYSTEM_FONTS;
    process.env.FIC2EPUB_NO_SYSTEM_FONTS = '1';
    try {
      for (const round of ['build', 'update']) {
        const r = await runCli(['build', story, '--out', join(dir, 'book.epub'), '--json']);
        expect(r.code, r.stderr).to.equal(0);
        const book = (JSON.parse(r.stdout) as Report).books[0]!;
        expect(book.update !== undefined, round).to.equal(round === 'update');
        expect(book.warnings.filter((w) => w.code === 'build-001'), round).to.have.length(1);
      }
    } finally {
      if (saved === undefined) delete process.env.FIC2EPUB_NO_SYSTEM_FONTS;
      else process.env.FIC2EPUB_NO_SYSTEM_FONTS = saved;
    }
  });

  it('--dry-run reports the update and writes nothing', async () => {
    const input = join(tmp, 'work.html');
    const out = join(tmp, 'books');
    writeFileSync(input, ao3Download(5550001, 'The Lightship', 'tallowmere', [ONE], '2022-05-08'));
    const path = (await build([input, '--out', out])).books[0]!.output;
    const before = readFileSync(path);
    writeFileSync(input, ao3Download(5550001, 'The Lightship', 'tallowmere', [ONE, TWO], '2022-05-09'));
    const r = await runCli(['build', input, '--out', out, '--cover', 'none', '--dry-run']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.include('would update: 1 added (Chapter 2: Signal Flags), 0 changed, 1 kept (Chapter 1: Low Water), 0 removed');
    expect(readFileSync(path).equals(before)).to.equal(true);
    expect(readdirSync(out)).to.have.length(1);
  });
});
