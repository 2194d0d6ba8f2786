/** The renderer: every inline and block kind of the model, and where footnotes are shown. */
import { expect } from 'chai';
import type { Block, Inline, Story } from '../../src/model.js';
import { planStory } from '../../src/render/book.js';
import { renderBlocks, renderInlines } from '../../src/render/xhtml.js';
import { emptyStory, para } from '../../src/read/story.js';

const INLINES: [string, Inline[], string][] = [
  ['text is escaped', ['a < b & c'], 'a &lt; b &amp; c'],
  ['em and strong', [{ kind: 'em', content: ['a'] }, { kind: 'strong', content: ['b'] }], '<em>a</em><strong>b</strong>'],
  ['strike and underline', [{ kind: 'strike', content: ['a'] }, { kind: 'underline', content: ['b'] }], '<s>a</s><u>b</u>'],
  ['sub and sup', ['H', { kind: 'sub', content: ['2'] }, 'O x', { kind: 'sup', content: ['2'] }], 'H<sub>2</sub>O x<sup>2</sup>'],
  ['small caps', [{ kind: 'smallcaps', content: ['Death'] }], '<span class="smallcaps">Death</span>'],
  ['code keeps its text', [{ kind: 'code', text: 'x < "y"' }], '<code>x &lt; "y"</code>'],
  ['an external link', [{ kind: 'link', href: 'https://example.org/?a=1&b=2', content: ['here'] }], '<a href="https://example.org/?a=1&amp;b=2" class="external">here</a>'],
  ['a link without an address is its text', [{ kind: 'link', content: ['there'] }], 'there'],
  ['a line break', ['a', { kind: 'br' }, 'b'], 'a<br/>b'],
  ['ruby', [{ kind: 'ruby', base: '漢字', text: 'かんじ' }], '<ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>'],
  ['nesting', [{ kind: 'em', content: ['a ', { kind: 'strong', content: ['b'] }] }], '<em>a <strong>b</strong></em>'],
  ['a note reference with no note context is dropped', ['a', { kind: 'noteref', id: '1' }], 'a'],
];

const BLOCKS: [string, Block[], string][] = [
  ['centred and right-aligned paragraphs', [{ kind: 'p', content: ['a'], align: 'center' }, { kind: 'p', content: ['b'], align: 'right' }], '<p class="center">a</p>\n<p class="right">b</p>'],
  ['a stanza is one paragraph with line breaks', [{ kind: 'verse', lines: [['one'], ['two']] }], '<p class="verse">one<br/>two</p>'],
  ['an ordered list from 3, nested unordered', [{ kind: 'list', ordered: true, start: 3, items: [[para('a')], [para('b'), { kind: 'list', ordered: false, items: [[para('c')]] }]] }],
    '<ol start="3"><li>a</li><li><p>b</p>\n<ul><li>c</li></ul></li></ol>'],
  ['an ordered list from 1 states no start', [{ kind: 'list', ordered: true, start: 1, items: [[para('a')]] }], '<ol><li>a</li></ol>'],
  ['a table with a caption, header cells and spans', [{ kind: 'table', caption: ['Tides'], rows: [[{ header: true, content: ['Day'] }, { header: true, content: ['High'] }], [{ header: false, content: ['Mon'], rowspan: 2 }, { header: false, content: ['6:00'], colspan: 1 }]] }],
    '<table><caption>Tides</caption><tbody><tr><th>Day</th><th>High</th></tr><tr><td rowspan="2">Mon</td><td>6:00</td></tr></tbody></table>'],
  ['preformatted text keeps spacing', [{ kind: 'pre', text: 'a  b\n  c <d>' }], '<pre>a  b\n  c &lt;d&gt;</pre>'],
  ['an author\'s note is set apart under its label', [{ kind: 'note', label: "Author's note", blocks: [para('Thanks.')] }], '<aside class="author-note" aria-label="Author\'s note"><p class="note-label">Author\'s note</p>\n<p>Thanks.</p></aside>'],
  ['quote, heading and break', [{ kind: 'quote', blocks: [para('q')] }, { kind: 'heading', content: ['H'] }, { kind: 'break' }], '<blockquote><p>q</p></blockquote>\n<h3 class="subheading">H</h3>\n<hr class="scene-break"/>'],
];

describe('render: inline kinds', () => {
  for (const [name, input, expected] of INLINES) it(name, () => expect(renderInlines(input).xml).to.equal(expected));
});

describe('render: block kinds', () => {
  for (const [name, input, expected] of BLOCKS) it(name, () => expect(renderBlocks(input).xml).to.equal(expected));
});

/** Two chapters: note a is referred to from both, b from the second, c from nowhere. */
function notedStory(): Story {
  const s = emptyStory('n.txt', 'test');
  s.meta = { ...s.meta, title: 'Notes', authors: ['Ann'], language: 'en' };
  s.chapters = [
    { title: 'One', sections: [{ blocks: [{ kind: 'p', content: ['First', { kind: 'noteref', id: 'a' }, '.'] }] }] },
    { title: 'Two', sections: [{ blocks: [{ kind: 'p', content: ['Again', { kind: 'noteref', id: 'a' }, ' and', { kind: 'noteref', id: 'b' }, '.'] }] }] },
  ];
  s.footnotes = [{ id: 'a', blocks: [para('Note a.')] }, { id: 'b', blocks: [para('Note b.')] }, { id: 'c', blocks: [para('Note c.')] }];
  return s;
}

describe('render: footnotes', () => {
  let one: string;
  let two: string;
  before(() => {
    const pages = planStory(notedStory(), { css: '' }).pages;
    one = pages.find((p) => p.filename === 'c001.xhtml')!.body!.xml;
    two = pages.find((p) => p.filename === 'c002.xhtml')!.body!.xml;
  });

  it('shows a note in the file that first refers to it, with a back-link to that reference', () => {
    expect(one).to.include('<a epub:type="noteref" role="doc-noteref" class="noteref" id="fn1-ref" href="#fn1">1</a>');
    expect(one).to.include('<aside epub:type="footnote" role="doc-footnote" class="footnote" id="fn1">');
    expect(one).to.include('<a href="#fn1-ref" role="doc-backlink">1.</a>');
    expect(two).not.to.include('id="fn1"');
  });

  it('links a later reference in another file to the note where it is shown, without a second anchor', () => {
    expect(two).to.include('<a epub:type="noteref" role="doc-noteref" class="noteref" href="c001.xhtml#fn1">1</a>');
    expect(two).to.include('id="fn2-ref" href="#fn2">2</a>');
    expect(two).to.include('id="fn2"');
  });

  it('shows a note nobody refers to after the last chapter, without a back-link', () => {
    expect(two).to.match(/<aside [^>]*id="fn3">\n<p class="footnote-number">3\.<\/p>\n<p>Note c\.<\/p>/);
    expect(one).not.to.include('Note c.');
  });

  it('numbers notes by their place in the story, not by their reference order', () => {
    const s = notedStory();
    s.chapters[0]!.sections[0]!.blocks = [{ kind: 'p', content: ['B first', { kind: 'noteref', id: 'b' }, '.'] }];
    const first = planStory(s, { css: '' }).pages.find((p) => p.filename === 'c001.xhtml')!.body!.xml;
    expect(first).to.include('href="#fn2">2</a>');
  });
});

describe('render: chapter labels', () => {
  it('names untitled chapters in the book\'s language, English by default', async () => {
    const { chapterLabel } = await import('../../src/render/book.js');
    expect([chapterLabel(2, 'ja'), chapterLabel(3, 'zh-Hant'), chapterLabel(4, 'de-AT'), chapterLabel(5, 'en'), chapterLabel(6, 'xx')])
      .to.deep.equal(['第2章', '第3章', 'Kapitel 4', 'Chapter 5', 'Chapter 6']);
  });
});
