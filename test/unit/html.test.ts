/** The shared HTML module: sanitizer, markup → blocks, title/meta helpers, header and chapters. */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readStoryBytes } from '../../src/index.js';
import type { Block, Footnote, Inline } from '../../src/model.js';
import { emptyMeta } from '../../src/read/story.js';
import { htmlBlocks } from '../../src/read/html/blocks.js';
import { takeFootnotes } from '../../src/read/html/notes.js';
import { metaContent, parseHtmlPage, stripSiteSuffix } from '../../src/read/html/parse.js';
import { newTally, sanitizeStoryHtml, unsafeDiagnostic } from '../../src/read/html/sanitize.js';
import { splitChapters, takeEndMarks, takeHeader } from '../../src/read/structure.js';
import { kinds, texts } from '../helpers/html-fixtures.js';
import { repoRoot } from '../helpers/paths.js';

/** Blocks from a fragment of story markup. */
function blocks(html: string, levels?: Map<Block, number>): Block[] {
  const page = parseHtmlPage(`<!DOCTYPE html><html><body><div id="s">${html}</div></body></html>`);
  try {
    return htmlBlocks(page.document.getElementById('s'), newTally(), levels ? { headingLevels: levels } : {});
  } finally {
    page.close();
  }
}

const LONG = 'This line is long enough to be prose rather than verse, running on past sixty characters';

describe('html: markup → blocks', () => {
  const cases: [string, string, Block[]][] = [
    ['paragraphs with emphasis', '<p>She <em>ran</em>, <b>fast</b>.</p><p>Then <i>stopped</i>.</p>',
      [{ kind: 'p', content: ['She ', { kind: 'em', content: ['ran'] }, ', ', { kind: 'strong', content: ['fast'] }, '.'] }, { kind: 'p', content: ['Then ', { kind: 'em', content: ['stopped'] }, '.'] }]],
    ['whitespace folded across emphasis', '<p>  a \n <em> b </em>  c </p>', [{ kind: 'p', content: ['a ', { kind: 'em', content: ['b '] }, 'c'] }]],
    ['u is underline; styled spans are emphasis', '<p><u>u</u> <span style="font-style: italic">i</span> <span style="font-weight:700">b</span></p>',
      [{ kind: 'p', content: [{ kind: 'underline', content: ['u'] }, ' ', { kind: 'em', content: ['i'] }, ' ', { kind: 'strong', content: ['b'] }] }]],
    ['<br><br> inside a <p> splits it', '<p>One.<br><br>Two.</p>', [{ kind: 'p', content: ['One.'] }, { kind: 'p', content: ['Two.'] }]],
    ['short <br> lines are verse', '<p>Row the boat<br>row it slow<br>row it home</p>', [{ kind: 'verse', lines: [['Row the boat'], ['row it slow'], ['row it home']] }]],
    ['emphasis across a <br> continues on the next line', '<p><em>one line<br>two line</em></p>', [{ kind: 'verse', lines: [[{ kind: 'em', content: ['one line'] }], [{ kind: 'em', content: ['two line'] }]] }]],
    ['long <br> lines in a <p> are one paragraph with its line breaks', `<p>${LONG} one.<br>${LONG} two.</p>`, [{ kind: 'p', content: [`${LONG} one.`, { kind: 'br' }, `${LONG} two.`] }]],
    ['long <br> lines in a container with no <p>s are paragraphs', `<div>${LONG} one.<br>${LONG} two.</div>`, [{ kind: 'p', content: [`${LONG} one.`] }, { kind: 'p', content: [`${LONG} two.`] }]],
    ['a dialogue exchange is not verse', '<p>“Hi.”<br>“Hello.”<br>“Bye.”</p>', [{ kind: 'p', content: ['“Hi.”', { kind: 'br' }, '“Hello.”', { kind: 'br' }, '“Bye.”'] }]],
    ['a dialogue exchange in a container with no <p>s is paragraphs', '<div>“Hi.”<br>“Hello.”<br>“Bye.”</div>', [{ kind: 'p', content: ['“Hi.”'] }, { kind: 'p', content: ['“Hello.”'] }, { kind: 'p', content: ['“Bye.”'] }]],
    ['text in a div: <br><br> paragraphs, a wider gap is a break', '<div>A.<br><br>B.<br><br>C.<br><br><br>D.<br><br>E.</div>',
      [{ kind: 'p', content: ['A.'] }, { kind: 'p', content: ['B.'] }, { kind: 'p', content: ['C.'] }, { kind: 'break' }, { kind: 'p', content: ['D.'] }, { kind: 'p', content: ['E.'] }]],
    ['<hr> and separator lines are breaks', '<p>A.</p><hr><p>B.</p><p>o-o-o-o-o</p><p>C.</p><center>~~~</center><p>D.</p><p>###</p><p>E.</p>',
      [{ kind: 'p', content: ['A.'] }, { kind: 'break' }, { kind: 'p', content: ['B.'] }, { kind: 'break' }, { kind: 'p', content: ['C.'] }, { kind: 'break' }, { kind: 'p', content: ['D.'] }, { kind: 'break' }, { kind: 'p', content: ['E.'] }]],
    ['centred o/x runs and lone symbols are breaks only when centred', '<p>A.</p><p align="center">xXx</p><p>B.</p><p style="text-align:center">*</p><p>C.</p><p>xXx</p>',
      [{ kind: 'p', content: ['A.'] }, { kind: 'break' }, { kind: 'p', content: ['B.'] }, { kind: 'break' }, { kind: 'p', content: ['C.'] }, { kind: 'p', content: ['xXx'] }]],
    ['a rare empty paragraph is a break', '<p>A.</p><p>B.</p><p>&nbsp;</p><p>C.</p><p>D.</p><p>E.</p>',
      [{ kind: 'p', content: ['A.'] }, { kind: 'p', content: ['B.'] }, { kind: 'break' }, { kind: 'p', content: ['C.'] }, { kind: 'p', content: ['D.'] }, { kind: 'p', content: ['E.'] }]],
    ['empty paragraphs between every paragraph are spacing; doubled ones are breaks', '<p>A.</p><p>&nbsp;</p><p>B.</p><p>&nbsp;</p><p>C.</p><p>&nbsp;</p><p>&nbsp;</p><p>D.</p><p><br></p><p>E.</p>',
      [{ kind: 'p', content: ['A.'] }, { kind: 'p', content: ['B.'] }, { kind: 'p', content: ['C.'] }, { kind: 'break' }, { kind: 'p', content: ['D.'] }, { kind: 'p', content: ['E.'] }]],
    ['a centred line is kept centred', '<p align="center">For M.</p><p>A.</p><p>B.</p><p>C.</p>',
      [{ kind: 'p', content: ['For M.'], align: 'center' }, { kind: 'p', content: ['A.'] }, { kind: 'p', content: ['B.'] }, { kind: 'p', content: ['C.'] }]],
    ['a page centred throughout is not', '<center><p>A.</p><p>B.</p><p>C.</p><p>D.</p></center>',
      [{ kind: 'p', content: ['A.'] }, { kind: 'p', content: ['B.'] }, { kind: 'p', content: ['C.'] }, { kind: 'p', content: ['D.'] }]],
    ['blockquote is a quote', '<blockquote><p>Dear B,</p><p>No.</p></blockquote>', [{ kind: 'quote', blocks: [{ kind: 'p', content: ['Dear B,'] }, { kind: 'p', content: ['No.'] }] }]],
    ['headings; a separator heading is a break', '<h3>Later</h3><p>A.</p><h4>* * *</h4><p>B.</p>',
      [{ kind: 'heading', content: ['Later'] }, { kind: 'p', content: ['A.'] }, { kind: 'break' }, { kind: 'p', content: ['B.'] }]],
    ['lists are lists; ordered ones keep their start', '<ul><li>eggs</li><li>milk</li></ul><ol start="3"><li>stir</li><li>bake</li></ol>',
      [{ kind: 'list', ordered: false, items: [[{ kind: 'p', content: ['eggs'] }], [{ kind: 'p', content: ['milk'] }]] }, { kind: 'list', ordered: true, start: 3, items: [[{ kind: 'p', content: ['stir'] }], [{ kind: 'p', content: ['bake'] }]] }]],
    ['pre keeps its lines and their indentation', '<pre>  one\n  two</pre>', [{ kind: 'pre', text: '  one\n  two' }]],
    ['images become their alt text, or nothing', '<p>Look: <img src="http://example.invalid/a.png" alt="a map"><img src="b.png" alt=""><img src="c.png"></p>', [{ kind: 'p', content: ['Look: [a map]'] }]],
    ['script links become their text; web links stay links', '<p><a href="javascript:go()">click</a> and <a href="https://example.invalid/">read</a></p>', [{ kind: 'p', content: ['click and ', { kind: 'link', href: 'https://example.invalid/', content: ['read'] }] }]],
    ['an inline element around blocks is transparent', '<span><p>A.</p><p>B.</p></span>', [{ kind: 'p', content: ['A.'] }, { kind: 'p', content: ['B.'] }]],
    ['scripts, styles, frames, objects, forms, selects and their content are gone', '<p>A.<script>evil()</script><style>p{}</style></p><iframe>frame words</iframe><object>object words</object><embed src="x"><form><input value="v"><textarea>typed</textarea><select><option>choice</option></select><button>press</button></form><noscript>no script</noscript><svg><text>svg words</text></svg><p>B.</p>',
      [{ kind: 'p', content: ['A.'] }, { kind: 'p', content: ['B.'] }]],
  ];
  for (const [name, html, expected] of cases) {
    it(name, () => {
      expect(blocks(html)).to.deep.equal(expected);
    });
  }
  it('records heading levels for chapter detection', () => {
    const levels = new Map<Block, number>();
    const bs = blocks('<h2>One</h2><p>a</p><h3>Two</h3>', levels);
    expect(bs.filter((b) => b.kind === 'heading').map((b) => levels.get(b))).to.deep.equal([2, 3]);
  });
});

/** A page's footnotes taken out, then the blocks of its `#s` element, and the fidelity counts. */
function readPage(body: string): { blocks: Block[]; footnotes: Footnote[]; losses: Partial<Record<string, number>> } {
  const page = parseHtmlPage(`<!DOCTYPE html><html><body>${body}</body></html>`);
  try {
    const tally = newTally();
    takeFootnotes(page.document, tally);
    const bs = htmlBlocks(page.document.getElementById('s'), tally);
    return { blocks: bs, footnotes: tally.footnotes, losses: tally.losses.counts };
  } finally {
    page.close();
  }
}

const p = (...content: Inline[]): Block => ({ kind: 'p', content });

describe('html: the formatting a page shows is kept', () => {
  const cases: [string, string, Block[]][] = [
    ['strike: s, del, strike', '<p><s>a</s> <del>b</del> <strike>c</strike></p>', [p({ kind: 'strike', content: ['a'] }, ' ', { kind: 'strike', content: ['b'] }, ' ', { kind: 'strike', content: ['c'] })]],
    ['underline: u, ins, an underlined span', '<p><u>a</u> <ins>b</ins> <span style="text-decoration: underline">c</span></p>', [p({ kind: 'underline', content: ['a'] }, ' ', { kind: 'underline', content: ['b'] }, ' ', { kind: 'underline', content: ['c'] })]],
    ['sub and sup', '<p>H<sub>2</sub>O, 1<sup>st</sup></p>', [p('H', { kind: 'sub', content: ['2'] }, 'O, 1', { kind: 'sup', content: ['st'] })]],
    ['small caps from a style', '<p><span style="font-variant: small-caps">Ann Bell</span> <span style="font-variant-caps:all-small-caps">ok</span></p>', [p({ kind: 'smallcaps', content: ['Ann Bell'] }, ' ', { kind: 'smallcaps', content: ['ok'] })]],
    ['one span, several styles', '<p><span style="font-style:italic;font-weight:bold">both</span></p>', [p({ kind: 'em', content: [{ kind: 'strong', content: ['both'] }] })]],
    ['code, kbd, tt, samp are code (their markup dropped)', '<p><code>ls  -l</code> <kbd>Ctrl</kbd> <tt>x</tt> <samp>ok <b>now</b></samp></p>', [p({ kind: 'code', text: 'ls -l' }, ' ', { kind: 'code', text: 'Ctrl' }, ' ', { kind: 'code', text: 'x' }, ' ', { kind: 'code', text: 'ok now' })]],
    ['ruby with its reading, fallback parentheses dropped', '<p><ruby>漢<rp>(</rp><rt>かん</rt><rp>)</rp>字<rt>じ</rt></ruby>です</p>', [p({ kind: 'ruby', base: '漢', text: 'かん' }, { kind: 'ruby', base: '字', text: 'じ' }, 'です')]],
    ['http, https and mailto links keep their address', '<p><a href="http://a.example/">a</a> <a href="https://b.example/x?y=1">b</a> <a href="mailto:c@example.org">c</a></p>',
      [p({ kind: 'link', href: 'http://a.example/', content: ['a'] }, ' ', { kind: 'link', href: 'https://b.example/x?y=1', content: ['b'] }, ' ', { kind: 'link', href: 'mailto:c@example.org', content: ['c'] })]],
    ['a styled link', '<p><a href="https://a.example/"><em>read</em> on</a></p>', [p({ kind: 'link', href: 'https://a.example/', content: [{ kind: 'em', content: ['read'] }, ' on'] })]],
    ['links to the saving machine or its local network are their text', '<p><a href="http://127.0.0.1:8080/a">a</a> <a href="http://localhost/b">b</a> <a href="https://192.168.1.4/c">c</a> <a href="http://[::1]/d">d</a> <a href="http://printer.local/e">e</a> <a href="http://10.0.0.1/">f</a></p>', [p('a b c d e f')]],
    ['links into the page or site, and data/ftp/file links, are their text', '<p><a href="/works/2">a</a> <a href="page2.html">b</a> <a href="#top">c</a> <a href="ftp://x.example/">d</a> <a href="data:text/html,x">e</a></p>', [p('a b c d e')]],
    ['<br> in a <p> breaks a line; styles run across it', '<p>Dear Ann,<br><em>it rained<br>all week</em>, and the roof held up better than we had any right to expect.</p>',
      [p('Dear Ann,', { kind: 'br' }, { kind: 'em', content: ['it rained', { kind: 'br' }, 'all week'] }, ', and the roof held up better than we had any right to expect.')]],
    ['a <p> of one-<br> prose lines holding most of the text is a container', `<p>${LONG} one.<br>${LONG} two.<br>${LONG} three.<br>${LONG} four.</p><p>End.</p>`,
      [p(`${LONG} one.`), p(`${LONG} two.`), p(`${LONG} three.`), p(`${LONG} four.`), p('End.')]],
    ['right and centred alignment, from align or text-align', '<p align="right">Yours, Ann</p><p style="text-align: right">Monday</p><p style="text-align:center">For B.</p><p>A.</p><p>B.</p>',
      [{ kind: 'p', content: ['Yours, Ann'], align: 'right' }, { kind: 'p', content: ['Monday'], align: 'right' }, { kind: 'p', content: ['For B.'], align: 'center' }, p('A.'), p('B.')]],
    ['nested lists, an item of several blocks', '<ol start="2"><li>one<ul><li>a</li><li>b</li></ul></li><li><p>two</p><p>more</p></li></ol>',
      [{ kind: 'list', ordered: true, start: 2, items: [[p('one'), { kind: 'list', ordered: false, items: [[p('a')], [p('b')]] }], [p('two'), p('more')]] }]],
    ['a simple table: header cells, spans, caption, a cell\'s one paragraph', '<table><caption>Tea <em>list</em></caption><thead><tr><th>Kind</th><th>Cups</th></tr></thead><tbody><tr><td colspan="2"><p>none</p></td></tr><tr><td rowspan="2">green</td><td>2<br>or 3</td></tr></tbody></table>',
      [{ kind: 'table', caption: ['Tea ', { kind: 'em', content: ['list'] }], rows: [
        [{ header: true, content: ['Kind'] }, { header: true, content: ['Cups'] }],
        [{ header: false, content: ['none'], colspan: 2 }],
        [{ header: false, content: ['green'], rowspan: 2 }, { header: false, content: ['2', { kind: 'br' }, 'or 3'] }]] }]],
    ['a one-cell layout table is read through', '<table><tr><td><p>A.</p><p>B.</p></td></tr></table>', [p('A.'), p('B.')]],
    ['a table with blocks in its cells is flattened, tables inside it too', '<table><tr><td><p>A.</p><p>B.</p></td><td><table><tr><td>C.</td><td>D.</td></tr></table></td></tr></table>', [p('A.'), p('B.'), p('C.'), p('D.')]],
    ['pre keeps spacing and line ends, drops its styling', '<pre>\nname:  <b>Ann</b>\n  cups: 2\n\n</pre>', [{ kind: 'pre', text: 'name:  Ann\n  cups: 2' }]],
    ['a blockquote of lines with no <p>s', '<blockquote>Dear B,<br><br>No.</blockquote>', [{ kind: 'quote', blocks: [p('Dear B,'), p('No.')] }]],
  ];
  for (const [name, html, expected] of cases) {
    it(name, () => {
      expect(blocks(html)).to.deep.equal(expected);
    });
  }

  const losses: [string, string, Partial<Record<string, number>>][] = [
    ['links inside the site (fid-004)', '<div id="s"><p><a href="/a">a</a> <a href="#b">b</a> <a href="https://x.example/">c</a></p></div>', { 'fid-004': 2 }],
    ['a footnote reference with no note (fid-005)', '<div id="s"><p>A.<sup><a href="#fn4">4</a></sup> B.<a href="#note-2">[2]</a></p></div>', { 'fid-005': 2 }],
    ['a flattened table (fid-003), once for its inner table too', '<div id="s"><table><tr><td><p>A.</p><p>B.</p></td><td><table><tr><td>C.</td><td>D.</td></tr></table></td></tr></table></div>', { 'fid-003': 1 }],
    ['styling in pre (fid-006)', '<div id="s"><pre>a <i>b</i> <span style="font-weight:bold">c</span></pre></div>', { 'fid-006': 2 }],
    ['colours, fonts, sizes (fid-002)', '<div id="s"><p><font color="red">a</font> <span style="font-size: 20px">b</span> <span style="font-style: italic">c</span></p></div>', { 'fid-002': 2 }],
    ['embedded media, counted once each (fid-008)', '<div id="s"><p>A.</p><video><source src="a.mp4"><track src="a.vtt"></video><object><embed src="x"></object><svg><circle/></svg></div>', { 'fid-008': 3 }],
  ];
  for (const [name, html, expected] of losses) {
    it(`counts ${name}`, () => {
      expect(readPage(html).losses).to.deep.equal(expected);
    });
  }
});

describe('html: footnotes', () => {
  it('AO3: superscript references to a list of notes with ↩ back-links', () => {
    const r = readPage('<div id="s"><p>Tea.<sup><a href="#fn1" id="fnref1">1</a></sup> Cake.<sup><a href="#fn2" id="fnref2">2</a></sup> More tea.<sup><a href="#fn1">1</a></sup></p></div>'
      + '<div class="end notes"><p>Notes:</p><blockquote id="e"><ol><li id="fn1"><p>Green. <a href="#fnref1">↩</a></p></li><li id="fn2"><p>Lemon <em>drizzle</em>. <a href="#fnref2">↩</a></p></li></ol></blockquote></div>');
    expect(r.blocks).to.deep.equal([p('Tea.', { kind: 'noteref', id: 'fn1' }, ' Cake.', { kind: 'noteref', id: 'fn2' }, ' More tea.', { kind: 'noteref', id: 'fn1' })]);
    expect(r.footnotes).to.deep.equal([{ id: 'fn1', blocks: [p('Green.')] }, { id: 'fn2', blocks: [p('Lemon ', { kind: 'em', content: ['drizzle'] }, '.')] }]);
    expect(r.losses).to.deep.equal({});
  });
  it('Word and WordPress: [1] references to named anchors in div#ftn1, the [1] back-link dropped', () => {
    const r = readPage('<div id="s"><p>Tea.<a href="#_ftn1" name="_ftnref1" title=""><span class="MsoFootnoteReference">[1]</span></a></p></div>'
      + '<div style="mso-element:footnote-list"><hr align="left" size="1" width="33%"><div style="mso-element:footnote" id="ftn1"><p class="MsoFootnoteText"><a href="#_ftnref1" name="_ftn1" title="">[1]</a> Green, <i>always</i>.</p></div></div>');
    expect(r.blocks).to.deep.equal([p('Tea.', { kind: 'noteref', id: '_ftn1' })]);
    expect(r.footnotes).to.deep.equal([{ id: '_ftn1', blocks: [p('Green, ', { kind: 'em', content: ['always'] }, '.')] }]);
  });
  it('EPUB-style asides and generic note ids; the notes leave the text', () => {
    const r = readPage('<div id="s"><p>A.<a epub:type="noteref" href="#a1">*</a> B.<sup><a href="#note-b">b</a></sup></p><aside epub:type="footnote" id="a1"><p>Star.</p></aside><p id="note-b">Bee.</p><p>C.</p></div>');
    expect(r.blocks).to.deep.equal([p('A.', { kind: 'noteref', id: 'a1' }, ' B.', { kind: 'noteref', id: 'note-b' }), p('C.')]);
    expect(r.footnotes.map((f) => [f.id, texts(f.blocks)])).to.deep.equal([['a1', ['Star.']], ['note-b', ['Bee.']]]);
  });
  it('a note whose text starts with its number: the number and a "back to top" link go', () => {
    const r = readPage('<div id="s"><p>Tea.<sup><a href="#n1">1</a></sup> Cake.<a href="#n2">[2]</a></p><hr><p id="n1">1. Green tea. <a href="#top">Back to top</a></p><p id="n2">[2] Lemon.</p></div>');
    expect(r.blocks).to.deep.equal([p('Tea.', { kind: 'noteref', id: 'n1' }, ' Cake.', { kind: 'noteref', id: 'n2' }), { kind: 'break' }]);
    expect(r.footnotes).to.deep.equal([{ id: 'n1', blocks: [p('Green tea.')] }, { id: 'n2', blocks: [p('Lemon.')] }]);
  });
  it('notes at the end of the text go with their label and rule', () => {
    const r = readPage('<div id="s"><p>Tea.<sup><a href="#fn1">1</a></sup></p><p>Cake.</p><hr><p><b>Notes:</b></p><ol><li id="fn1">Green.</li></ol></div>');
    expect(r.blocks).to.deep.equal([p('Tea.', { kind: 'noteref', id: 'fn1' }), p('Cake.'), { kind: 'break' }]);
    expect(r.footnotes).to.deep.equal([{ id: 'fn1', blocks: [p('Green.')] }]);
  });
  it('two chapters numbering their notes from 1 each get their own note', () => {
    const r = readPage('<div id="s"><p>One.<sup><a href="#fn1">1</a></sup></p><ol><li id="fn1">First chapter note.</li></ol><p>Two.<sup><a href="#fn1">1</a></sup></p><ol><li id="fn1">Second chapter note.</li></ol></div>');
    expect(r.blocks).to.deep.equal([p('One.', { kind: 'noteref', id: 'fn1' }), p('Two.', { kind: 'noteref', id: 'fn1-2' })]);
    expect(r.footnotes.map((f) => [f.id, texts(f.blocks)])).to.deep.equal([['fn1', ['First chapter note.']], ['fn1-2', ['Second chapter note.']]]);
  });
  it('a link to a heading or a paragraph of the story is no footnote', () => {
    const r = readPage('<div id="s"><h2 id="ch2">Part two</h2><p id="p1">See <a href="#ch2">part 2</a>, or<sup><a href="#p1">1</a></sup>.</p></div>');
    expect(r.footnotes).to.deep.equal([]);
    expect(texts(r.blocks)).to.deep.equal(['Part two', 'See part 2, or1.']);
    expect(r.losses).to.deep.equal({ 'fid-004': 1, 'fid-005': 1 });
  });
});

describe('html: sanitizer', () => {
  it('keeps only the allow-list, with no URLs, handlers or styles', () => {
    const out = sanitizeStoryHtml('<p align="center" style="color:red;background:url(http://x.invalid/a)" onclick="x()">A<a href="javascript:x()" onmouseover="y()">b</a><img src="file:///etc/passwd" alt="pic" onerror="z()"></p><link rel="stylesheet" href="http://x.invalid/s.css"><meta http-equiv="refresh" content="0;url=http://x.invalid/"><base href="http://x.invalid/">');
    expect(out).to.equal('<p align="center">A<a>b</a><img alt="pic" /></p>');
  });
  it('counts what it removes (read-008)', () => {
    const page = parseHtmlPage('<div id="s"><script>a()</script><iframe src="http://x.invalid/"></iframe><form><input></form><p onclick="x()" style="background:url(http://x.invalid/)"><a href="javascript:y()">l</a><img src="a.png" alt="a"></p></div>');
    const tally = newTally();
    htmlBlocks(page.document.getElementById('s'), tally);
    page.close();
    const { losses, footnotes, ...counts } = tally;
    expect(counts).to.deep.equal({ scripts: 1, styles: 0, frames: 0, forms: 2, handlers: 1, scriptUrls: 1, cssUrls: 1, images: 1 });
    expect(footnotes).to.deep.equal([]);
    // The frame is embedded media (fid-008), the background a dropped style (fid-002); the picture is counted when the page is done (fid-001).
    expect(losses.counts).to.deep.equal({ 'fid-008': 1, 'fid-002': 1 });
    expect(unsafeDiagnostic(tally)?.message).to.equal('removed from the story text: 1 script, 2 form controls, 1 event handler, 1 script URL, 1 CSS url()');
    expect(unsafeDiagnostic(newTally())).to.equal(undefined);
  });
});

describe('html: never fetches what a page names', () => {
  const SENTINEL = '/__test-done';
  let server: Server;
  let hits: string[] = [];
  let base = '';
  before(async () => {
    server = createServer((req, res) => {
      if (req.url !== SENTINEL) hits.push(req.url ?? '');
      res.end('/* nothing */');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('loads no stylesheet, script, image, frame, object, media, refresh or CSS url()', async () => {
    hits = [];
    const html = `<!DOCTYPE html><html><head><title>Fetch Test</title>
      <link rel="stylesheet" href="${base}/link.css"><link rel="preload" href="${base}/preload"><link rel="icon" href="${base}/icon">
      <meta http-equiv="refresh" content="0;url=${base}/refresh"><script src="${base}/script.js"></script>
      <script>fetch('${base}/fetch'); new Image().src = '${base}/image-js';</script>
      <style>@import url(${base}/import.css); body { background: url(${base}/bg.png); }</style></head>
      <body background="${base}/body-bg.png" onload="fetch('${base}/onload')">
      <article><p>She kept the lamp lit all night, and nobody came.</p><p style="background:url(${base}/inline.png)">Then somebody did.</p>
      <img src="${base}/img.png" srcset="${base}/srcset.png 2x" alt="a lamp"><picture><source srcset="${base}/source.webp"></picture>
      <iframe src="${base}/frame"></iframe><object data="${base}/object"></object><embed src="${base}/embed">
      <video src="${base}/video" poster="${base}/poster.png"></video><audio src="${base}/audio"></audio>
      <img src="file:///etc/passwd" alt=""><svg><image href="${base}/svg.png"/></svg></article></body></html>`;
    const r = await readStoryBytes('fetch-test.html', Buffer.from(html));
    // The test's own last request: once it is answered, any request the read sent before it has arrived too.
    await (await fetch(`${base}${SENTINEL}`)).text();
    expect(hits).to.deep.equal([]);
    expect(JSON.stringify(r.story)).not.to.include('127.0.0.1');
    expect(r.story.chapters[0]!.sections[0]!.blocks.map((b) => (b.kind === 'p' ? b.content.join('') : b.kind))).to.deep.equal(['She kept the lamp lit all night, and nobody came.', 'Then somebody did.', '[a lamp]']);
  });
});

describe('html: loading', () => {
  it('a text-only run never loads the HTML parser (parse5, css-select), jsdom or sanitize-html', () => {
    const index = pathToFileURL(join(repoRoot, 'dist', 'src', 'index.js')).href;
    const script = `import { createRequire } from 'node:module';
      const { readStoryBytes } = await import(${JSON.stringify(index)});
      await readStoryBytes('x.txt', Buffer.from('Title: Tea\\nAuthor: Ann\\n\\nShe poured the tea and waited.\\n'));
      const cache = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify(cache.filter((k) => /node_modules[\\\\/](jsdom|sanitize-html|parse5|css-select)[\\\\/]/.test(k)).length));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).to.equal('');
    expect(r.stdout.trim()).to.equal('0');
  });
});

describe('html: titles and meta', () => {
  const cases: [string, string, string[]?][] = [
    ['Paper Cranes, a Kitchen Witches fanfic | FanFiction', 'Paper Cranes'],
    ['Quiet Hours Chapter 3, a Star Trek: The Next Generation fanfic | FanFiction', 'Quiet Hours Chapter 3'],
    ['Night Bus, a romance fiction | FictionPress', 'Night Bus'],
    ['Seven Spoons - Corvina - Original Work [Archive of Our Own]', 'Seven Spoons - Corvina - Original Work'],
    ['Salt on the Windowsill – Moth & Lantern', 'Salt on the Windowsill', ['Moth & Lantern']],
    ['The Night Ferry: thornbury — LiveJournal', 'The Night Ferry: thornbury'],
    ['Dreamwidth: Fic: Kettles', 'Fic: Kettles'],
    ['Plain Title | My Little Blog', 'Plain Title'],
    ['Love - Actually', 'Love - Actually'],
    ['FanFiction', 'FanFiction'],
  ];
  for (const [title, expected, sites] of cases) {
    it(`strips "${title}" to "${expected}"`, () => {
      expect(stripSiteSuffix(title, sites)).to.equal(expected);
    });
  }
  it('reads <meta> by name, property or Dublin Core spelling, case-insensitively', () => {
    const page = parseHtmlPage('<html><head><meta name="dc.Creator" content=" Ann  Bell "><meta property="og:title" content="Tea"><meta name="description" content=""><meta name="DCTERMS.title" content="Tea Time"></head><body></body></html>');
    const doc = page.document;
    expect(metaContent(doc, 'DC.creator')).to.equal('Ann Bell');
    expect(metaContent(doc, 'og:title')).to.equal('Tea');
    expect(metaContent(doc, 'dcterms.title', 'og:title')).to.equal('Tea Time');
    expect(metaContent(doc, 'description')).to.equal(undefined);
    page.close();
  });
});

describe('html: header blocks, chapters, end marks', () => {
  it('reads a header from verse lines and a summary quote, keeping notes above it', () => {
    const meta = emptyMeta();
    const bs = blocks('<p>Happy birthday, Sam!</p><p><b>Title:</b> Tea<br><b>Author:</b> Ann<br><b>Rating:</b> G<br><b>Summary:</b></p><blockquote><p>A cup of tea.</p></blockquote><p>Part 1/2</p><p>The story.</p>');
    const r = takeHeader(bs, meta, 'Tea');
    expect(r.found).to.equal(true);
    expect(r.part).to.deep.equal({ index: 1, total: 2 });
    expect([meta.title, meta.authors, meta.rating]).to.deep.equal(['Tea', ['Ann'], 'G']);
    expect(texts(meta.summary!)).to.deep.equal(['A cup of tea.']);
    expect(texts(meta.notes!)).to.deep.equal(['Happy birthday, Sam!']);
    expect(texts(r.rest)).to.deep.equal(['The story.']);
  });
  it('leaves blocks alone when there is no header', () => {
    const bs = blocks('<p>Title of nothing</p><p>Just a story.</p>');
    expect(takeHeader(bs, emptyMeta(), undefined).rest).to.equal(bs);
  });
  it('splits chapters at chapter-heading paragraphs and takes end marks', () => {
    const bs = blocks('<p>Note first.</p><p><b>Chapter One</b></p><p>A.</p><hr><p>Epilogue</p><p>B.</p><hr><p align="center"><i>~ The End ~</i></p>');
    const chapters = splitChapters(bs);
    expect(chapters.map((c) => [c.title, kinds(c.blocks)])).to.deep.equal([[undefined, ['p']], ['Chapter One', ['p']], ['Epilogue', ['p', 'break', 'p']]]);
    const last = chapters[2]!.blocks;
    expect(takeEndMarks(last)).to.deep.equal([{ kind: 'p', content: ['~ The End ~'] }]);
    expect(kinds(last)).to.deep.equal(['p']);
  });
});

describe('html: a story typed as text inside <pre>', () => {
  const wrapped = (s: string): string => s.replace(/(.{1,60})(?:\s+|$)/g, '$1\n').trimEnd();
  const para1 = 'The ferry left at nine, as it always did, and nobody on the quay thought to wave at it. The captain had stopped expecting them to years ago.';
  const para2 = 'By ten the fog had come in off the water and the lamps along the rail were nothing but smudges. She counted them anyway, out of habit.';

  it('reads hard-wrapped prose in a <pre> that holds the story as paragraphs and scene breaks', () => {
    const b = blocks(`<pre>${wrapped(para1)}\n\n${wrapped(para2)}\n\n* * *\n\n${wrapped(para1)}</pre>`);
    expect(b.map((x) => x.kind)).to.deep.equal(['p', 'p', 'break', 'p']);
    expect(b[0]).to.deep.equal({ kind: 'p', content: [para1] });
  });

  it('keeps a short <pre> beside the story (a chat log, a sign) preformatted', () => {
    const b = blocks(`<p>${para1}</p><p>${para2}</p><p>${para1}</p><pre>ada:  are you there\nwren: yes</pre>`);
    expect(b[b.length - 1]).to.deep.equal({ kind: 'pre', text: 'ada:  are you there\nwren: yes' });
  });

  it('keeps code preformatted, however long', () => {
    const code = Array.from({ length: 40 }, (_, i) => `  const value${i} = compute(${i}, "some argument text here");`).join('\n');
    expect(blocks(`<pre>${code}</pre>`).map((x) => x.kind)).to.deep.equal(['pre']);
  });
});
