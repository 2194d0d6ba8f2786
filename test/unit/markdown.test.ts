import { expect } from 'chai';
import { readText } from '../../src/read/context.js';
import { readFileSync } from 'node:fs';
import type { Block, Inline, Story } from '../../src/model.js';
import { readStoryBytes } from '../../src/index.js';
import { detectFormat } from '../../src/read/detect.js';
import { markdown } from '../../src/read/formats/markdown/index.js';
import { fixture } from '../helpers/paths.js';

const input = (text: string, path = 'x.md') => ({ path, text, encoding: 'utf-8' });
const readMd = (text: string, path = 'x.md') => readText(markdown, input(text, path));
// Inline content written back in a Markdown-like notation, so expectations read like the input.
const ins = (content: Inline[]): string => content.map(inl).join('');
const inl = (c: Inline): string => {
  if (typeof c === 'string') return c;
  switch (c.kind) {
    case 'em': return `*${ins(c.content)}*`;
    case 'strong': return `**${ins(c.content)}**`;
    case 'strike': return `~~${ins(c.content)}~~`;
    case 'code': return `\`${c.text}\``;
    case 'link': return `[${ins(c.content)}](${c.href})`;
    case 'br': return '↵';
    case 'noteref': return `[^${c.id}]`;
    case 'ruby': return `${c.base}(${c.text})`;
    default: return `<${c.kind}>${ins(c.content)}</${c.kind}>`;
  }
};
const show = (b: Block): string => {
  switch (b.kind) {
    case 'p': return `p:${ins(b.content)}`;
    case 'heading': return `h:${ins(b.content)}`;
    case 'quote': return `quote(${b.blocks.map(show).join('|')})`;
    case 'verse': return `verse(${b.lines.map(ins).join('/')})`;
    case 'break': return 'break';
    case 'figure': return `figure:${b.image}`;
    case 'list': return `${b.ordered ? `ol${b.start ?? ''}` : 'ul'}[${b.items.map((item) => item.map(show).join('+')).join('; ')}]`;
    case 'table': return `table(${b.rows.map((r) => r.map((c) => `${c.header ? 'th' : 'td'}:${ins(c.content)}`).join(',')).join(' / ')})`;
    case 'pre': return `pre:${b.text}`;
    default: return b.kind;
  }
};
const chapters = (story: Story): [string | undefined, string[]][] => story.chapters.map((c) => [c.title, c.sections.flatMap((s) => s.blocks.map(show))]);

describe('markdown reader', () => {
  describe('front matter and a body with raw HTML cruft', () => {
    const path = fixture('markdown', 'front-matter.md');
    let text: string;
    let story: Story;
    let diagnostics: { code: string }[];
    before(() => {
      text = readFileSync(path, 'utf8');
      ({ story, diagnostics } = readMd(text, path));
    });

    it('is detected by its front matter', () => {
      const d = detectFormat(input(text, path));
      expect(d.format.name).to.equal('markdown');
      expect(d.score).to.equal(0.9);
    });
    it('reads the front matter as metadata; categories become tags', () => {
      const m = story.meta;
      expect(m.title).to.equal("The Cartographer's Apprentice");
      expect(m.authors).to.deep.equal(['Sable Okonkwo-Reyes']);
      expect(m.published).to.equal('2019-11-02');
      expect(m.rating).to.equal('General Audiences');
      expect(m.fandoms).to.deep.equal([]);
      expect(m.tags).to.deep.equal(['Original Fiction', 'Short Stories', 'maps', 'apprenticeship', 'found family']);
      expect(m.summary?.map(show)).to.deep.equal(['p:Pim is hired to copy maps. Nobody told her the maps would argue back.']);
      expect(m.extra).to.deep.equal({});
      expect(diagnostics).to.deep.equal([]);
    });
    it('makes chapters of the chapter headings and drops the title heading', () => {
      expect(chapters(story).map(([t]) => t)).to.deep.equal(['Chapter 1: Ink', 'Chapter 2: The Blue Drawer']);
      const [one, two] = chapters(story).map(([, b]) => b);
      expect(one).to.deep.equal([
        "p:Master Oduya's shop smelled of walnut ink and wet paper, and on Pim's first morning it also smelled faintly of the sea, which was strange, because the sea was forty miles away.",
        'p:"Don\'t touch the blue drawer," said Master Oduya, without looking up. "Everything else, you may touch. Not the blue drawer."',
        'p:Pim did not touch the blue drawer. She **wanted** to, which she felt ought to count for something.',
        'break',
        "p:By the end of the week she had copied eleven maps of the river valley, and every one of them was *slightly* different from the last. The river moved. Not much — a finger's width here, a bend there — but it [moved](https://example.com/rivers).",
      ]);
      expect(two![0]).to.equal('quote(p:The map is not the territory. The territory, however, reads the map.)');
      expect(two!.filter((b) => b === 'break')).to.have.length(1);
      expect(story.end.map(show)).to.deep.equal(['p:*The End*']);
    });
    it('leaves no HTML, comment, link syntax or front matter in the text, and keeps the external link as a link', () => {
      const all = JSON.stringify(story);
      for (const cruft of ['<br', '<!--', 'originally posted', 'permalink', 'layout', '](', '---']) expect(all).not.to.include(cruft);
      // The link's address is kept now that the model has links (it was dropped with its markup).
      expect(all).to.include('{"kind":"link","href":"https://example.com/rivers","content":["moved"]}');
    });
    it('gives the built story em and strong for Markdown emphasis', async () => {
      const { story: built } = await readStoryBytes(path, readFileSync(path));
      const first = built.chapters[0]!.sections[0]!.blocks;
      expect(JSON.stringify(first)).to.include('{"kind":"strong","content":["wanted"]}');
      expect(JSON.stringify(first)).to.include('{"kind":"em","content":["slightly"]}');
      expect(JSON.stringify(built.end)).to.include('"kind":"em"');
    });
  });

  describe('sniff', () => {
    it('is 0.9 with front matter, 0.6 for a .md name, 0.2 for clear Markdown, else 0', () => {
      expect(markdown.sniff(input('---\ntitle: Tea\n---\n\nText.\n', 'a.txt'))).to.equal(0.9);
      expect(markdown.sniff(input('Text with *emphasis*.\n', 'a.md'))).to.equal(0.6);
      expect(markdown.sniff(input('# Tea\n\nShe poured **the** tea.\n\nSee [the pot](https://example.org/pot).\n\nThe end.\n', 'a.txt'))).to.equal(0.2);
      expect(markdown.sniff(input('She poured *the* tea.\n\nHe waited.\n\n* * *\n\nThe end.\n', 'a.txt'))).to.equal(0);
      expect(markdown.sniff(input('---\n\nA story that opens with a rule.\n\n---\n', 'a.txt'))).to.equal(0);
    });
    it('does not take other text formats', () => {
      for (const f of [fixture('golden', 'journal', 'input.txt'), fixture('golden', 'hard-wrapped', 'input.txt'), fixture('mail', 'thread-digest.txt'), fixture('mail', 'usenet-post.txt')]) {
        expect(markdown.sniff(input(readFileSync(f, 'utf8'), f)), f).to.equal(0);
      }
    });
  });

  describe('hostile input', function () {
    this.timeout(120_000);
    // Time for 8× the input over time for the input (best of three after a warm-up, smallest of
    // three tries): linear work grows about 8×, quadratic 64×; a bound on growth, not on time.
    const growth = (make: (n: number) => string): number => {
      const best = (text: string): number => {
        readMd(text);
        let min = Infinity;
        for (let i = 0; i < 3; i++) {
          const t = process.hrtime.bigint();
          readMd(text);
          min = Math.min(min, Number(process.hrtime.bigint() - t));
        }
        return min;
      };
      let g = Infinity;
      for (let attempt = 0; attempt < 3 && g >= 32; attempt++) g = Math.min(g, best(make(8000)) / best(make(1000)));
      return g;
    };
    const cases: [string, (n: number) => string][] = [
      // One paragraph: unmatched ], long runs of emphasis marks, nested [, raw tags never closed,
      // snake_case and references the GFM autolink pass looks at.
      ['one paragraph of what parsers find hard', (n) => `x ${'*'.repeat(n / 4)}a${'*'.repeat(n / 4)} ${'a] a_b &amp; <u>x '.repeat(n / 4)}${'['.repeat(n / 4)}y${']'.repeat(n / 4)}`],
      // ("- - x" opens a list in a list item: nesting that grows with the input, not its square.)
      ['deeply nested quotes and lists', (n) => `${'>'.repeat(n / 2)} deep\n\n${'- '.repeat(n / 4)}deep\n\n${'1. '.repeat(n / 6)}deeper\n`],
      ['a story of ordinary paragraphs', (n) => 'She was *very* sure, <i>and</i> [he](https://x.org) was not.[^1]\n\n'.repeat(n / 16) + '[^1]: A note.\n'],
    ];
    for (const [what, make] of cases) {
      it(`reads ${what} in linear time`, () => {
        const g = growth(make);
        expect(g, `8× input took ${g.toFixed(1)}× as long`).to.be.below(32);
      });
    }
  });

  describe('front matter fields', () => {
    it('reads authors lists and objects, fandoms, characters, series, dates, and ignores site settings', () => {
      const { story } = readMd('---\ntitle: "Tea *for* Two"\nauthors:\n  - name: Ann Bell\n  - Bo Quill\nfandom: Original Work\ncharacters: [Ann, Bo]\nrelationship: Ann/Bo\nseries: Tea Time, part 3\nlastmod: 2020-02-01\ndate: 2020-01-02T10:00:00Z\npublished: true\ncategories: "fic, Uncategorized"\nwords: 1,200\nlanguage: English\nbeta: Cy\nlayout: post\ndraft: false\n---\n\nShe poured.\n');
      const m = story.meta;
      expect(m.title).to.equal('Tea *for* Two');
      expect(m.authors).to.deep.equal(['Ann Bell', 'Bo Quill']);
      expect(m.fandoms).to.deep.equal(['Original Work']);
      expect(m.characters).to.deep.equal(['Ann', 'Bo']);
      expect(m.relationships).to.deep.equal(['Ann/Bo']);
      expect(m.series).to.deep.equal({ name: 'Tea Time', index: 3 });
      expect(m.published).to.equal('2020-01-02');
      expect(m.updated).to.equal('2020-02-01');
      expect(m.tags).to.deep.equal(['fic']);
      expect(m.statedWords).to.equal(1200);
      expect(m.language).to.equal('English');
      expect(m.extra).to.deep.equal({ Beta: 'Cy' });
    });
    it('reads a series object', () => {
      expect(readMd('---\ntitle: T\nseries:\n  name: Tea Time\n  part: 2\n  total: 4\n---\n\nText.\n').story.meta.series).to.deep.equal({ name: 'Tea Time', index: 2, total: 4 });
    });
    it('warns about front matter that is not YAML (meta-009) and still reads the story', () => {
      const { story, diagnostics } = readMd('---\ntitle: [Tea\nauthor: Ann\n---\n\nShe poured.\n');
      expect(diagnostics.map((d) => d.code)).to.deep.equal(['meta-009']);
      expect(story.meta.title).to.equal(undefined);
      expect(chapters(story)).to.deep.equal([[undefined, ['p:She poured.']]]);
    });
    it('reads "Title:" lines at the top of a file without front matter', () => {
      const { story } = readMd('Title: Tea\nAuthor: Ann Bell\n\nShe poured.\n');
      expect(story.meta.title).to.equal('Tea');
      expect(story.meta.authors).to.deep.equal(['Ann Bell']);
      expect(chapters(story)).to.deep.equal([[undefined, ['p:She poured.']]]);
    });
  });

  describe('body', () => {
    it('takes a lone top heading and a byline for title and author, several same-level headings for chapters', () => {
      const { story } = readMd('# Harbour Songs\n\nby Mira Tolland\n\n## The Gull\n\nOne.\n\n## The Net\n\nTwo.\n\n### Aside\n\nThree.\n');
      expect(story.meta.title).to.equal('Harbour Songs');
      expect(story.meta.authors).to.deep.equal(['Mira Tolland']);
      expect(chapters(story)).to.deep.equal([['The Gull', ['p:One.']], ['The Net', ['p:Two.', 'h:Aside', 'p:Three.']]]);
    });
    it('keeps a single heading that is not a chapter heading inside the text', () => {
      const { story } = readMd('Intro.\n\n## A Letter\n\nDear Jo.\n');
      expect(chapters(story)).to.deep.equal([[undefined, ['p:Intro.', 'h:A Letter', 'p:Dear Jo.']]]);
    });
    it('takes bold chapter-heading paragraphs for chapters when there are no headings', () => {
      const { story } = readMd('**Chapter 1**\n\nText one.\n\n**Chapter 2**\n\nText two.\n\nEpilogue\n\nText three.\n');
      expect(chapters(story).map(([t]) => t)).to.deep.equal(['Chapter 1', 'Chapter 2', 'Epilogue']);
    });
    it('joins lines of a paragraph; scene breaks in every spelling; setext only for a title-like line', () => {
      const { story } = readMd('One line\nand the next.\n\n***\n\nTwo.\n\n---\n\nThree.\n\n* * *\n\nFour.\n<hr>\nFive.\n\nShe left.\n---\n\nSix.\n\nA Letter\n--------\n\nSeven.\n');
      expect(chapters(story)[0]![1]).to.deep.equal(['p:One line and the next.', 'break', 'p:Two.', 'break', 'p:Three.', 'break', 'p:Four.', 'break', 'p:Five.', 'p:She left.', 'break', 'p:Six.', 'h:A Letter', 'p:Seven.']);
    });
    it('reads quotes (with lazy lines), dialogue dashes, lists, fenced blocks and hard breaks', () => {
      const { story } = readMd('> Quoted line\nlazy continuation.\n>\n> Second quoted paragraph.\n\n- Hola - dijo.\n* bullet\n1. First\n\n```\nline one\nline two\n```\n\nRoses are red,  \nviolets are blue,  \nsugar is sweet.\n');
      // Lists and code were paragraphs and verse before the reader had a Markdown parser.
      expect(chapters(story)[0]![1]).to.deep.equal([
        'quote(p:Quoted line lazy continuation.|p:Second quoted paragraph.)',
        'p:- Hola - dijo.', 'ul[p:bullet]', 'ol[p:First]',
        'pre:line one\nline two',
        'verse(Roses are red,/violets are blue,/sugar is sweet.)',
      ]);
    });
    it('parts paragraphs at doubled <br>s and drops comments, template tags and reference definitions', () => {
      const { story } = readMd('One.<br>Two.<br/><br/>\nThree<!-- hidden\nnote --> continues.\n\n{% include note.html %}\n{: .fancy}\n\nSee [the pot][1].\n\n[1]: https://example.org/pot\n');
      // A single <br> is a line break now (short lines joined by breaks read as a stanza, as in
      // the HTML reader), and a reference link keeps its address.
      expect(chapters(story)[0]![1]).to.deep.equal(['verse(One./Two.)', 'p:Three continues.', 'p:See [the pot](https://example.org/pot).']);
    });
    it('reads a body without blank lines with the plain-text rules, one line per paragraph', () => {
      const lines = ['She poured the tea and said nothing at all.', 'He waited by the window.', 'The rain went on.', 'Nobody came.', 'She poured another cup.', 'He sat down.', 'The end of the day came.'];
      const { story } = readMd(`${lines.join('\n')}\n`);
      expect(chapters(story)[0]![1]).to.deep.equal(lines.map((l) => `p:${l}`));
    });
    it('reads Markdown inlines in a body without blank lines', () => {
      const lines = ['She poured the *hot* tea and said nothing at all.', 'He waited by the [window](https://x.org/w).', 'The rain went on.', 'Nobody came.', 'She poured another cup.', 'He sat down.', 'The end of the day came.'];
      const { story } = readMd(`${lines.join('\n')}\n`);
      expect(chapters(story)[0]![1]!.slice(0, 2)).to.deep.equal(['p:She poured the *hot* tea and said nothing at all.', 'p:He waited by the [window](https://x.org/w).']);
    });
  });

  describe('blocks', () => {
    // [Markdown, the blocks it becomes]
    const cases: [string, string[]][] = [
      ['Lists:\n\n3. three\n4. four\n   - a\n   - b\n     1. deep', ['p:Lists:', 'ol3[p:three; p:four+ul[p:a; p:b+ol[p:deep]]]']],
      ['- loose one\n\n- loose two\n\n  with a second paragraph', ['ul[p:loose one; p:loose two+p:with a second paragraph]']],
      ['- [x] done\n- [ ] to do', ['ul[p:☑ done; p:☐ to do]']],
      ['- apples\n- pears', ['ul[p:apples; p:pears]']],
      ['- ¿Vienes? -preguntó.\n- No.', ['p:- ¿Vienes? -preguntó.', 'p:- No.']],
      ['| A | B |\n| - | -: |\n| *1* | 2 |', ['table(th:A,th:B / td:*1*,td:2)']],
      ['```js\nlet x = 1;\n\nx++;\n```', ['pre:let x = 1;\n\nx++;']],
      ['Text.\n\n    code line\n    second', ['p:Text.', 'pre:code line\nsecond']],
      ['    She opened the door, because there was nothing else to do,\nand the hall was dark.', ['p:She opened the door, because there was nothing else to do, and the hall was dark.']],
      ['> One.\n>\n> > Nested.\n>\n> ## Aside', ['quote(p:One.|quote(p:Nested.)|h:Aside)']],
      ['A line  \nwrapped\nand another\\\nend.', ['p:A line↵wrapped and another↵end.']],
      ['Long hard-broken line one of the letter, which goes on for a good while longer,  \nand long line two, which also goes on well past what a verse line would be.', ['p:Long hard-broken line one of the letter, which goes on for a good while longer,', 'p:and long line two, which also goes on well past what a verse line would be.']],
      ['One.\n\n~*~*~\n\nTwo.\n\n~~~\n\nThree.\n\n~~~\n\nFour.\n\n###\n\nFive.', ['p:One.', 'break', 'p:Two.', 'break', 'p:Three.', 'break', 'p:Four.', 'break', 'p:Five.']],
      ['<div class="story">\n<p>First <i>one</i>.</p>\n<p>Second.</p>\n</div>', ['p:First *one*.', 'p:Second.']],
      ['<pre>tea:  hot\ncups: 2</pre>', ['pre:tea:  hot\ncups: 2']],
      ['~Fin~ and ~~gone~~', ['p:~Fin~ and ~~gone~~']],
    ];
    for (const [md, want] of cases) it(JSON.stringify(md), () => expect(chapters(readMd(md).story).flatMap(([, b]) => b)).to.deep.equal(want));
  });

  describe('inlines', () => {
    // [Markdown, the paragraph it becomes, fid-* codes it raises]
    const cases: [string, string, string[]][] = [
      ['a [link](https://x.org "t") b', 'a [link](https://x.org) b', []],
      ['mail [me](mailto:a@x.org)', 'mail [me](mailto:a@x.org)', []],
      ['see [Tea](https://en.wikipedia.org/wiki/Tea_(drink)) now', 'see [Tea](https://en.wikipedia.org/wiki/Tea_(drink)) now', []],
      ['a [relative](../ch2.html) one and an [anchor](#top)', 'a relative one and an anchor', ['fid-004']],
      ['![alt](pic.png) text', 'alt text', ['fid-001']],
      ['![](pic.png) x', 'x', ['fid-001']],
      ['a [sic] b, [a] [b](u)', 'a [sic] b, [a] b', ['fid-004']],
      ['<https://x.org/a> and www.x.org', '[https://x.org/a](https://x.org/a) and [www.x.org](http://www.x.org)', []],
      ['`code *x*` span', '`code *x*` span', []],
      ['*em* _em_ **strong** __strong__ ~~strike~~ ***both***', '*em* *em* **strong** **strong** ~~strike~~ ***both***', []],
      ['<i>it</i> and <strong>bold</strong> and <del>gone</del>', '*it* and **bold** and ~~gone~~', []],
      ['H<sub>2</sub>O, 1<sup>st</sup>, <u>under</u>, <s>struck</s>, <span style="font-variant: small-caps">Caps</span>', 'H<sub>2</sub>O, 1<sup>st</sup>, <underline>under</underline>, ~~struck~~, <smallcaps>Caps</smallcaps>', []],
      ['a<br>b\nc', 'a↵b c', []],
      ['<a href="https://x.org">x</a> and <a href="/local">y</a>', '[x](https://x.org) and y', ['fid-004']],
      ['see <img src="maps/harbour.png" alt="a map"> here', 'see a map here', ['fid-001']],
      // What an element means is the HTML layer's: a plain span loses nothing, a colour is dropped styling (fid-002).
      ['<span class="x">plain</span> and <font color="red">red</font>', 'plain and red', ['fid-002']],
      ['<u>never closed', 'never closed', ['fid-007']],
      ['*a <u>b* c</u>', '*a b* c', ['fid-007']],
      ['a \\*literal\\* star', 'a *literal* star', []],
      ['fish &amp; chips &mdash; &#8220;ok&#8221;', 'fish & chips — “ok”', []],
      ['a note[^n] twice[^n], a lost one[^x]\n\n[^n]: The note.', 'a note[^n] twice[^n], a lost one[^x]', ['fid-005']],
    ];
    for (const [md, want, codes] of cases) {
      it(`${JSON.stringify(md)} → ${JSON.stringify(want)}`, () => {
        const { story, diagnostics } = readMd(md);
        expect(chapters(story).flatMap(([, b]) => b)).to.deep.equal([`p:${want}`]);
        expect(diagnostics.map((d) => d.code)).to.deep.equal(codes);
      });
    }
    it('keeps footnotes in the order they are first referred to, each once', () => {
      const { story } = readMd('One[^b] two[^a] three[^b].\n\n[^a]: Note *A*.\n[^b]: Note B.\n[^c]: Never referred to.\n');
      expect(story.footnotes?.map((n) => [n.id, n.blocks.map(show)])).to.deep.equal([['b', ['p:Note B.']], ['a', ['p:Note *A*.']], ['c', ['p:Never referred to.']]]);
    });
  });
});
