/** Saved HTML pages end to end: CLI build → EPUB → EPUBCheck, and nothing of the page's cruft inside. */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { openEpub } from '../helpers/epub.js';
import { describeMessages, epubcheck, requireEpubcheck } from '../helpers/epubcheck.js';
import { fixture } from '../helpers/paths.js';

interface Report {
  books: { output: string; inputs: string[]; title: string; warnings: { code: string; message: string }[] }[];
  failures: { input: string; error: string }[];
}

// Each HTML fixture, the title and authors its book must get, and its scene breaks
// (<hr>, centred separator paragraphs and empty spacer paragraphs between story paragraphs).
const CASES: [string[], string, string[], number][] = [
  [['ao3-html', 'download.html'], 'The Lighthouse Ledger', ['marrowquill', 'Fenn'], 3],
  [['ao3-html', 'work-page.html'], 'Field Notes on Bees', ['apiarist'], 0],
  [['ffn-html', 'story.html'], 'Paper Cranes', ['Juniper Lark'], 2],
  [['journal-html', 'dreamwidth.html'], 'The Kettle Society', ['Wren Feather'], 1],
  [['journal-html', 'livejournal.html'], 'The Night Ferry', ['thornbury'], 1],
  [['generic-html', 'blog-post.html'], 'Salt on the Windowsill', ['Hollis Marsh'], 2],
  [['golden', 'ao3-html-page', 'input.html'], 'Seven Spoons', ['Corvina'], 1],
  [['golden', 'ffn-html-page', 'input.html'], 'Snowmelt', ['Pale Heron'], 2],
  [['golden', 'journal-html-page', 'input.html'], 'Borrowed Light', ['Quill Moss'], 0],
  [['golden', 'generic-html-page', 'input.html'], "The Cartographer's Apprentice", ['Ysolde Brandt'], 1],
];

describe('HTML pages end to end', () => {
  let tmp: string;
  let report: Report;
  let code: number;
  let stderr: string;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'fic2epub-html-'));
    const r = await runCli(['build', ...CASES.map(([p]) => fixture(...p)), '--out', tmp, '--json', '--cover', 'none']);
    code = r.code;
    stderr = r.stderr;
    report = JSON.parse(r.stdout) as Report;
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('builds one book per page, each with its title', () => {
    expect(code, stderr).to.equal(0);
    expect(report.failures).to.deep.equal([]);
    const byInput = new Map(report.books.map((b) => [b.inputs[0], b.title]));
    for (const [p, title] of CASES) expect(byInput.get(fixture(...p)), p.join('/')).to.equal(title);
  });

  it('gives each book the authors the page states, whole paragraphs and its scene breaks', async () => {
    for (const [p, title, authors, breaks] of CASES) {
      const book = report.books.find((b) => b.inputs[0] === fixture(...p));
      expect(book, p.join('/')).to.exist;
      const epub = await openEpub(readFileSync(book!.output));
      const opfName = epub.names.find((n) => n.endsWith('.opf'))!;
      const opf = await epub.text(opfName);
      const creators = [...opf.matchAll(/<dc:creator[^>]*>([^<]*)<\/dc:creator>/g)].map((m) => m[1]);
      expect(creators, title).to.deep.equal(authors);
      let hrs = 0;
      for (const name of epub.names.filter((n) => n.endsWith('.xhtml'))) {
        const xhtml = await epub.text(name);
        // These pages' prose has no line breaks: a <br/> outside a stanza would be a hard wrap kept.
        expect(xhtml.replace(/<p class="verse">[\s\S]*?<\/p>/g, ''), `${title}: ${name}`).not.to.match(/<br\b/);
        hrs += (xhtml.match(/<hr class="scene-break"\/>/g) ?? []).length;
      }
      expect(hrs, `${title}: scene breaks`).to.equal(breaks);
    }
  });

  it('puts nothing of the pages\' scripts, frames, forms, images or links in the books', async () => {
    for (const book of report.books) {
      const epub = await openEpub(readFileSync(book.output));
      for (const name of epub.names.filter((n) => /\.(?:x?html|opf|ncx|css)$/.test(n))) {
        const text = await epub.text(name);
        for (const bad of ['evil.example', '<script', '<iframe', '<form', '<img', '<object', '<embed', 'javascript:', 'etc/passwd', 'onclick', 'onload', '127.0.0.1']) {
          expect(text, `${book.title}: ${name} holds ${bad}`).not.to.include(bad);
        }
      }
      // Only the packaged book's own files: no image was downloaded into it.
      expect(epub.names.filter((n) => /\.(?:png|jpe?g|gif|webp|svg)$/i.test(n)), book.title).to.deep.equal([]);
    }
  });

  it('passes EPUBCheck with no errors and no warnings', async function () {
    // One EPUBCheck run (a Java start) per book, ten books: more than one default timeout on a loaded machine.
    this.timeout(600_000);
    await requireEpubcheck(this);
    for (const book of report.books) {
      const r = await epubcheck(book.output);
      expect(r.fatal + r.errors + r.warnings, `${book.title}\n${describeMessages(r)}`).to.equal(0);
    }
  });
});
