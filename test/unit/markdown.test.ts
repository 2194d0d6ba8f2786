import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { Block, Story } from '../../src/model.js';
import { readStoryBytes } from '../../src/index.js';
import { detectFormat } from '../../src/read/detect.js';
import { inlineText, markdown } from '../../src/read/formats/markdown.js';
import { fixture } from '../helpers/paths.js';

const input = (text: string, path = 'x.md') => ({ path, text, encoding: 'utf-8' });
const readMd = (text: string, path = 'x.md') => markdown.read(input(text, path), {} as never);
const show = (b: Block): string => {
  switch (b.kind) {
    case 'p': return `p:${b.content.join('')}`;
    case 'heading': return `h:${b.content.join('')}`;
    case 'quote': return `quote(${b.blocks.map(show).join('|')})`;
    case 'verse': return `verse(${b.lines.map((l) => l.join('')).join('/')})`;
    case 'break': return 'break';
    case 'figure': return `figure:${b.image}`;
    default: return b.kind;
  }
};
const chapters = (story: Story): [string | undefined, string[]][] => story.chapters.map((c) => [c.title, c.sections.flatMap((s) => s.blocks.map(show))]);

describe('markdown reader', () => {
  describe('front matter and a body with raw HTML cruft', () => {
    const path = fixture('markdown', 'front-matter.md');
    const text = readFileSync(path, 'utf8');
    const { story, diagnostics } = readMd(text, path);

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
        "p:By the end of the week she had copied eleven maps of the river valley, and every one of them was *slightly* different from the last. The river moved. Not much — a finger's width here, a bend there — but it moved.",
      ]);
      expect(two![0]).to.equal('quote(p:The map is not the territory. The territory, however, reads the map.)');
      expect(two!.filter((b) => b === 'break')).to.have.length(1);
      expect(story.end.map(show)).to.deep.equal(['p:*The End*']);
    });
    it('leaves no HTML, comment, link target or front matter in the text', () => {
      const all = JSON.stringify(story);
      for (const cruft of ['<br', '<!--', 'originally posted', 'https://example.com', 'permalink', 'layout', '](', '---']) expect(all).not.to.include(cruft);
    });
    it('leaves emphasis markers to the emphasis transform, which makes em and strong of them', async () => {
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
    it('reads quotes (with lazy lines), lists, fenced blocks and hard breaks', () => {
      const { story } = readMd('> Quoted line\nlazy continuation.\n>\n> Second quoted paragraph.\n\n- Hola - dijo.\n* bullet\n1. First\n\n```\nline one\nline two\n```\n\nRoses are red,  \nviolets are blue,  \nsugar is sweet.\n');
      expect(chapters(story)[0]![1]).to.deep.equal([
        'quote(p:Quoted line lazy continuation.|p:Second quoted paragraph.)',
        'p:- Hola - dijo.', 'p:• bullet', 'p:1. First',
        'verse(line one/line two)',
        'verse(Roses are red,/violets are blue,/sugar is sweet.)',
      ]);
    });
    it('turns <br> into paragraph edges and drops comments, template tags and reference definitions', () => {
      const { story } = readMd('One.<br>Two.<br/><br/>\nThree<!-- hidden\nnote --> continues.\n\n{% include note.html %}\n{: .fancy}\n\nSee [the pot][1].\n\n[1]: https://example.org/pot\n');
      expect(chapters(story)[0]![1]).to.deep.equal(['p:One.', 'p:Two.', 'p:Three continues.', 'p:See the pot.']);
    });
    it('reads a body without blank lines with the plain-text rules, one line per paragraph', () => {
      const lines = ['She poured the tea and said nothing at all.', 'He waited by the window.', 'The rain went on.', 'Nobody came.', 'She poured another cup.', 'He sat down.', 'The end of the day came.'];
      const { story } = readMd(`${lines.join('\n')}\n`);
      expect(chapters(story)[0]![1]).to.deep.equal(lines.map((l) => `p:${l}`));
    });
  });

  describe('inlines', () => {
    const cases: [string, string][] = [
      ['a [link](https://x.org "t") b', 'a link b'],
      ['![alt](pic.png) text', 'text'],
      ['![](pic.png) x', 'x'],
      ['a [sic] b, [a] [b](u)', 'a [sic] b, [a] b'],
      ['see [Tea](https://en.wikipedia.org/wiki/Tea_(drink)) now', 'see Tea now'],
      ['[ref link][r1] and more', 'ref link and more'],
      ['<https://x.org/a>', 'https://x.org/a'],
      ['`code` span', 'code span'],
      ['<i>it</i> and <strong>bold</strong>', '*it* and **bold**'],
      ['<span class="x">plain</span>', 'plain'],
      ['***both***', '**_both_**'],
      ['a \\*literal\\* star', 'a *literal* star'],
      ['fish &amp; chips &mdash; &#8220;ok&#8221;', 'fish & chips — “ok”'],
    ];
    for (const [md, want] of cases) it(`"${md}" → "${want}"`, () => expect(inlineText(md)).to.equal(want));
  });
});
