/**
 * The seed stories (../shared/seeds) converted to EPUB as readers do (`ebook-convert x.txt
 * x.epub`, `pandoc x.txt -o x.epub`) and built: each book reads as the saved text itself does.
 * Skips cleanly without the seeds, and a converter's books without that converter.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../helpers/cli.js';
import { markupText, openEpub } from '../helpers/epub.js';
import { describeMessages, epubcheck, requireEpubcheck } from '../helpers/epubcheck.js';
import { haveSeeds, seedsDir } from '../helpers/paths.js';

const run = promisify(execFile);

/** What the checks compare of a built book. */
interface Seen {
  path: string;
  title: string;
  creators: string[];
  toc: string[];
  paragraphs: number;
  breaks: number;
  /** Italic and bold runs in the chapters. */
  emphasis: number;
  words: string[];
  /** All the book's text (package, navigation, pages). */
  all: string;
}

const words = (s: string): string[] => s.toLowerCase().replace(/[’'‘]/g, '').match(/[\p{L}\p{N}]+/gu) ?? [];

async function build(input: string, out: string): Promise<Seen> {
  const r = await runCli(['build', input, '--out', out, '--json']);
  expect(r.code, r.stderr).to.equal(0);
  const path = (JSON.parse(r.stdout) as { books: { output: string }[] }).books[0]!.output;
  const book = await openEpub(readFileSync(path));
  const opf = await book.text('OEBPS/content.opf');
  const nav = await book.text('OEBPS/nav.xhtml');
  const toc = /<nav[^>]*epub:type="toc"[^>]*>([\s\S]*?)<\/nav>/.exec(nav)![1]!;
  let chapters = '';
  let all = '';
  for (const n of book.names.sort()) {
    if (!/\.(xhtml|opf|ncx)$/.test(n)) continue;
    const x = await book.text(n);
    all += `${markupText(x)}\n`;
    if (x.includes('epub:type="chapter"')) chapters += x;
  }
  return {
    path,
    title: markupText(/<dc:title[^>]*>([^<]*)</.exec(opf)![1]!),
    creators: [...opf.matchAll(/<dc:creator[^>]*>([^<]*)</g)].map((m) => markupText(m[1]!)),
    toc: [...toc.matchAll(/<a href="[^"]*">([^<]*)<\/a>/g)].map((m) => markupText(m[1]!)),
    paragraphs: (chapters.match(/<p[\s>]/g) ?? []).length,
    breaks: (chapters.match(/<hr class="scene-break"\/>/g) ?? []).length,
    emphasis: (chapters.match(/<(?:em|strong)>/g) ?? []).length,
    words: words(markupText(chapters)),
    all,
  };
}

/** Whether a converter runs here. */
async function have(tool: string): Promise<boolean> {
  try {
    await run(tool, ['--version'], { timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

const CONVERTERS: Record<string, (txt: string, epub: string) => Promise<unknown>> = {
  calibre: (txt, epub) => run('ebook-convert', [txt, epub], { timeout: 300_000, env: { ...process.env, CALIBRE_DISABLE_CHECK_UPDATES: '1' } }),
  pandoc: (txt, epub) => run('pandoc', [txt, '-o', epub], { timeout: 120_000 }),
};

describe('seed stories converted by calibre and pandoc (../shared/seeds)', function () {
  const files = haveSeeds() ? readdirSync(seedsDir).filter((f) => f.endsWith('.txt')).sort() : [];
  const expected = haveSeeds() ? (JSON.parse(readFileSync(join(seedsDir, 'expected.json'), 'utf8')) as { seeds: Record<string, { mustNotAppear: string[] }> }).seeds : {};
  let work: string;
  const texts = new Map<string, Seen>();
  const books = new Map<string, Seen>();

  before(async function () {
    if (!haveSeeds()) {
      console.log(`      [skipped: no seeds at ${seedsDir}]`);
      this.skip();
    }
    work = mkdtempSync(join(tmpdir(), 'fic2epub-converted-seeds-'));
    for (const f of files) {
      const txt = join(work, f);
      copyFileSync(join(seedsDir, f), txt);
      texts.set(f, await build(txt, join(work, 'out', f)));
      for (const [name, convert] of Object.entries(CONVERTERS)) {
        if (!(await have(name === 'calibre' ? 'ebook-convert' : name))) continue;
        const epub = join(work, `${f.replace(/\.txt$/, '')}.${name}.epub`);
        await convert(txt, epub);
        books.set(`${f} ${name}`, await build(epub, join(work, 'out', `${f}.${name}`)));
      }
    }
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const f of files) {
    for (const name of Object.keys(CONVERTERS)) {
      describe(`${f} by ${name}`, () => {
        let book: Seen;
        let text: Seen;
        beforeEach(function () {
          if (!books.has(`${f} ${name}`)) {
            console.log(`      [skipped: ${name} is not installed]`);
            this.skip();
          }
          book = books.get(`${f} ${name}`)!;
          text = texts.get(f)!;
        });

        it('has the text\'s title, authors and chapters', () => {
          expect([book.title, book.creators, book.toc]).to.deep.equal([text.title, text.creators, text.toc]);
        });

        it('has every word of the text\'s chapters, in order, and no more, and its italics and bold', () => {
          expect(book.words.join(' ')).to.equal(text.words.join(' '));
          expect(book.emphasis).to.equal(text.emphasis);
        });

        it('has the text\'s paragraphs and scene breaks, but for what the converter cannot tell apart', () => {
          // calibre's two spaces are a join or a break; pandoc joins the lines of a block.
          expect(book.paragraphs).to.be.within(text.paragraphs - 1, text.paragraphs + 1);
          // Both converters drop the runs of blank lines that alone mark a break.
          const source = readFileSync(join(seedsDir, f), 'utf8');
          const blankRuns = (source.match(/\n[ \t]*\n[ \t]*\n(?:[ \t]*\n)*/g) ?? []).length;
          expect(book.breaks).to.be.within(Math.max(0, text.breaks - blankRuns), text.breaks);
        });

        it('holds none of the strings that must not appear', () => {
          for (const s of expected[f]!.mustNotAppear) expect(book.all, s).not.to.include(s);
        });

        it('passes EPUBCheck with no errors and no warnings', async function () {
          await requireEpubcheck(this);
          const r = await epubcheck(book.path);
          expect(r.errors + r.fatal, describeMessages(r)).to.equal(0);
          expect(r.warnings, describeMessages(r)).to.equal(0);
        });
      });
    }
  }
});
