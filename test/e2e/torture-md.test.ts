/**
 * The Markdown formatting torture file end to end: CLI build → EPUB → EPUBCheck, every construct
 * the reader maps present in the chapter files as its markup, and the fidelity report in --json.
 */
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

// Each construct of the torture file and the markup it must become in the chapter files.
const MARKUP: [string, RegExp][] = [
  ['emphasis', /<em>dull<\/em>/],
  ['strong', /<strong>proud<\/strong>/],
  ['strikethrough', /<s>trimmed<\/s>/],
  ['inline code', /<code>LAMP-ID<\/code>/],
  ['external link', /<a href="https:\/\/example\.org\/notices\/lamps" class="external">the council notice<\/a>/],
  ['hard line breaks inside a paragraph', /<p>[^<]*stood:<br\/>CLOSED FOR INVENTORY<br\/>and under it/],
  ['ordered list starting at 3', /<ol start="3"><li>The glass<\/li>/],
  ['unordered list nested in an ordered one', /<li><p>The wick[^<]*<\/p>\s*<ul><li>the cotton<\/li>/],
  ['ordered list nested in an unordered one', /<li><p>the brass collar<\/p>\s*<ol><li>its screw<\/li>/],
  ['table with a header row', /<table><tbody><tr><th>Lamp<\/th><th>Street side<\/th><th>Last lit<\/th><\/tr><tr><td>7<\/td>/],
  ['block quote with a nested quote between its paragraphs', /<blockquote><p>The inspector[^<]*<\/p>\s*<blockquote><p>Lamps do not light themselves[^<]*<\/p><\/blockquote>\s*<p>She read it twice\.<\/p><\/blockquote>/],
  ['fenced code', /<pre>LAMP-ID {3}STATUS\n7 {9}dark\n9 {9}lit \(no key\)<\/pre>/],
  ['note reference', /<a epub:type="noteref" role="doc-noteref" class="noteref" id="fn1-ref" href="#fn1">1<\/a>/],
  ['footnote', /<aside epub:type="footnote" role="doc-footnote" class="footnote" id="fn1">/],
  ['footnote back-link', /<a href="#fn1-ref" role="doc-backlink">1\.<\/a>/],
  ['underline', /<u>lit without a key<\/u>/],
  ['subscript', /H<sub>2<\/sub>O/],
  ['superscript', /1<sup>st<\/sup>/],
  ['small caps', /<span class="smallcaps">Small Capitals<\/span>/],
  ['scene break', /<hr class="scene-break"\/>/],
  ['end mark keeping its emphasis', /<p class="end-mark"><em>The End<\/em><\/p>/],
];

describe('Markdown torture file end to end', function () {
  this.timeout(300_000);
  let tmp: string;
  let report: Report;
  let code: number;
  let stderr: string;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'fic2epub-torture-md-'));
    const r = await runCli(['build', fixture('golden', 'torture-md', 'input.md'), '--out', tmp, '--json', '--cover', 'none']);
    code = r.code;
    stderr = r.stderr;
    report = JSON.parse(r.stdout) as Report;
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('builds one book that passes EPUBCheck with no errors and no warnings', async function () {
    expect(code, stderr).to.equal(0);
    expect(report.failures).to.deep.equal([]);
    expect(report.books.map((b) => b.title)).to.deep.equal(["The Lamplighter's Inventory"]);
    await requireEpubcheck(this);
    const check = await epubcheck(report.books[0]!.output);
    expect(check.errors + check.fatal + check.warnings, describeMessages(check)).to.equal(0);
  });

  it('has two chapters holding every construct as its markup', async () => {
    const book = await openEpub(readFileSync(report.books[0]!.output));
    const files = book.names.filter((n) => /\/c\d+\.xhtml$/.test(n)).sort();
    expect(files, book.names.join(', ')).to.have.length(2);
    const texts = await Promise.all(files.map((f) => book.text(f)));
    expect(texts[0]).to.include('>Chapter 1: The Count</h1>');
    expect(texts[1]).to.include('>Chapter 2: The Answer</h1>');
    const chapters = texts.join('\n');
    for (const [what, markup] of MARKUP) expect(chapters, what).to.match(markup);
    // The footnote referred to twice is shown once, and both references point at it.
    expect(chapters.match(/href="#fn1"/g), 'references to note 1').to.have.length(2);
    expect(chapters.match(/id="fn1"/g), 'note 1').to.have.length(1);
    // The picture and the relative link leave their text, never their addresses.
    expect(chapters).to.include('<p>A sketch of the lamp at number nine</p>');
    expect(chapters).to.include('or, less usefully, the back page)');
    for (const gone of ['<img', 'lamp-nine.png', 'back-page.html', '[^', '](']) expect(chapters, gone).not.to.include(gone);
  });

  it('reports the picture and the relative link in the fidelity warnings', () => {
    const warnings = report.books[0]!.warnings;
    const fid = warnings.filter((w) => w.code.startsWith('fid-'));
    expect(fid.map((w) => w.code)).to.deep.equal(['fid-001', 'fid-004']);
    expect(fid[0]!.message).to.include('lamp-nine.png');
    expect(fid[1]!.message).to.include('../manual/back-page.html');
  });
});
