/** The formatting torture page end to end: CLI build → EPUB → EPUBCheck, and every construct's markup in the chapters. */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { openEpub } from '../helpers/epub.js';
import { describeMessages, epubcheck, requireEpubcheck } from '../helpers/epubcheck.js';
import { fixture } from '../helpers/paths.js';

interface Report {
  books: { output: string; title: string; warnings: { code: string; message: string }[] }[];
  failures: { input: string; error: string }[];
}

// Each construct of the page and the markup it must become in the book's chapter files.
const CONSTRUCTS: [string, RegExp][] = [
  ['<em>/<i>/<cite> → em', /<em>eleven<\/em>[\s\S]*<em>turned<\/em>[\s\S]*<em>The Horologist’s Almanac<\/em>/],
  ['<strong>/<b> → strong', /<strong>brass<\/strong>[\s\S]*<strong>once more<\/strong>/],
  ['<s>/<del>/<strike> → s', /<s>four shillings<\/s>, was struck through; the new one, <s>five<\/s> <s>six<\/s>/],
  ['<u>/<ins> → u', /<u>underlined<\/u> by someone with a <u>heavy<\/u>/],
  ['<sub>', /H<sub>2<\/sub>O/],
  ['<sup>', /3<sup>rd<\/sup>/],
  ['font-variant: small-caps → span.smallcaps', /<span class="smallcaps">Lower Ward<\/span>/],
  ['<code>/<kbd> → code', /<code>wind --all<\/code>[\s\S]*<code>Enter<\/code>/],
  ['<ruby>', /<ruby>時計<rp>\(<\/rp><rt>とけい<\/rt><rp>\)<\/rp><\/ruby>/],
  ['italic and bold spans', /<em>customer<\/em> had left a <strong>parcel<\/strong>/],
  ['http link kept', /<a href="https:\/\/example\.org\/guild\/rules" class="external">the guild’s site<\/a>/],
  ['mailto link kept', /<a href="mailto:ledger@example\.org" class="external">the ledger office<\/a>/],
  ['links inside the site are their text', /Her own notes were on the next page and at the top\./],
  ['AO3-style note references', /counted twice\.<a epub:type="noteref" role="doc-noteref" class="noteref" id="fn1-ref" href="#fn1">1<\/a>/],
  ['Word-style note reference', /every one of them\.<a epub:type="noteref" role="doc-noteref" class="noteref" id="fn3-ref" href="#fn3">3<\/a>/],
  ['epub:type noteref to an aside', /touched them\.<a epub:type="noteref" role="doc-noteref" class="noteref" id="fn4-ref" href="#fn4">4<\/a>/],
  ['footnotes with back-links', /<aside epub:type="footnote" role="doc-footnote" class="footnote" id="fn2">\n<p class="footnote-number"><a href="#fn2-ref" role="doc-backlink">2\.<\/a><\/p>\n<p>The cat <em>always<\/em> counted one more\.<\/p>/],
  ['a missing note stays its text', /in the almanac too\.<sup>9<\/sup>/],
  ['heading inside a chapter', /<h2 class="subheading">The Inventory<\/h2>/],
  ['nested ordered and unordered lists', /<ol><li><p>Mainsprings<\/p>\n<ul><li>steel, tempered<\/li><li>brass, for show<\/li><\/ul><\/li><li><p>Escapements<\/p>\n<ol start="3"><li>anchor<\/li><li>verge<\/li><\/ol><\/li><li>Pendulums<\/li><\/ol>/],
  ['simple table with header row, spans and caption', /<table><caption>Repairs this week<\/caption><tbody><tr><th>Clock<\/th><th>Owner<\/th><th>Fault<\/th><\/tr><tr><td>Long-case<\/td><td>Mrs Orrin<\/td><td rowspan="2">runs slow<\/td><\/tr>[\s\S]*<td colspan="2">Total<\/td>/],
  ['complex table flattened', /<p>Left face: stopped\.<\/p>\n<p>Glass cracked\.<\/p>\n<p>Right face: running\.<\/p>/],
  ['blockquote', /<blockquote><p>Dear Ada,<\/p>\n<p>The clock in the tower/],
  ['pre, spacing kept', /<pre>gear A {2}turns {2}gear B\n {2}gear B {2}turns {2}the hands<\/pre>/],
  ['centred paragraph', /<p class="center">In memory of the tower clock<\/p>/],
  ['right-aligned paragraph', /<p class="right">A\. Quist, clockmaker<\/p>/],
  ['<br> line breaks inside one <p>', /<p>She answered on the back of an invoice:<br\/>I will come on the first coach, [^<]*<br\/>Keep the tower door/],
  ['scene breaks', /<hr class="scene-break"\/>\n<p>That night[\s\S]*<hr class="scene-break"\/>\n<p>In the morning/],
];

describe('the formatting torture page end to end', () => {
  let tmp: string;
  let report: Report;
  let code: number;
  let stderr: string;
  let chapters: Record<string, string>;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'fic2epub-torture-'));
    const r = await runCli(['build', fixture('golden', 'torture-html', 'input.html'), '--out', tmp, '--json', '--cover', 'none']);
    code = r.code;
    stderr = r.stderr;
    report = JSON.parse(r.stdout) as Report;
    chapters = {};
    if (report.books[0]) {
      const epub = await openEpub(readFileSync(report.books[0].output));
      for (const name of epub.names.filter((n) => /\/c\d+\.xhtml$/.test(n)).sort()) chapters[name] = await epub.text(name);
    }
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('builds one book of two chapters', () => {
    expect(code, stderr).to.equal(0);
    expect(report.failures).to.deep.equal([]);
    expect(report.books.map((b) => b.title)).to.deep.equal(["The Clockmaker's Ledger"]);
    expect(Object.keys(chapters)).to.have.length(2);
  });

  for (const [name, markup] of CONSTRUCTS) {
    it(`keeps ${name}`, () => {
      expect(Object.values(chapters).join('\n')).to.match(markup);
    });
  }

  it('shows each note once, in the chapter that refers to it, without the page\'s back-link arrows', () => {
    const all = Object.values(chapters).join('\n');
    for (const note of ['Once by Ada', 'always</em> counted one more', 'Ninety-one, if you count', 'He had, but only to wind them']) {
      expect(all.split(note).length - 1, note).to.equal(1);
    }
    expect(all).not.to.include('↩');
    expect(all).not.to.include('[1]');
    const [one, two] = Object.values(chapters);
    expect((one!.match(/epub:type="footnote"/g) ?? []).length).to.equal(2);
    expect((two!.match(/epub:type="footnote"/g) ?? []).length).to.equal(2);
  });

  it('reports what the book could not carry (fid-*)', () => {
    const warnings = report.books[0]!.warnings;
    expect(warnings.map((w) => w.code)).to.deep.equal(['fid-001', 'fid-002', 'fid-003', 'fid-004', 'fid-005', 'fid-006', 'fid-008']);
    expect(warnings.find((w) => w.code === 'fid-004')!.message).to.match(/^2 links /);
  });

  it('passes EPUBCheck with no errors and no warnings', async function () {
    await requireEpubcheck(this);
    const r = await epubcheck(report.books[0]!.output);
    expect(r.fatal + r.errors + r.warnings, describeMessages(r)).to.equal(0);
  });
});
