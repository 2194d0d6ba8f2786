/**
 * Saved texts that calibre or pandoc made into books (`ebook-convert x.txt x.epub`, `pandoc x.txt
 * -o x.epub`) read as the texts themselves: the same title, authors, chapters, paragraphs,
 * breaks, emphasis and words. Fixtures: test/fixtures/epub/make.mjs.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { readStoryBytes } from '../../src/index.js';
import type { Block, Inline, Story } from '../../src/model.js';
import { markedText, splitJoinedChrome, storyAsText, withNoBreakSpaces } from '../../src/read/saved-text.js';
import { emptyStory } from '../../src/read/story.js';
import { fixture } from '../helpers/paths.js';

async function read(path: string): Promise<Story> {
  return (await readStoryBytes(path, readFileSync(path))).story;
}

/** What a reader sees of a story: all it states and its text, block by block, the converters'
 * typography undone (pandoc and calibre curl quotes; pandoc puts a no-break space after "Mr."). */
function reading(s: Story): unknown {
  const seen = { meta: s.meta, front: s.front, end: s.end, chapters: s.chapters };
  return JSON.parse(JSON.stringify(seen).replace(/\u00a0/g, ' ').replace(/[‘’]/g, "'").replace(/[“”]/g, '\\"')) as unknown;
}

const count = (s: Story, kind: Block['kind']): number => s.chapters.reduce((n, c) => n + c.sections.reduce((m, x) => m + x.blocks.filter((b) => b.kind === kind).length, 0), 0);

describe('saved texts converted to EPUB by calibre and pandoc', () => {
  const cases: [string, string, string[]][] = [
    ['a journal post', fixture('epub', 'sources', 'journal-post.txt'), ['journal-pandoc.epub', 'journal-calibre.epub']],
    ['the Archive\'s one-line download', fixture('golden', 'ao3-flat', 'input.txt'), ['flat-pandoc.epub', 'flat-calibre.epub']],
  ];
  for (const [what, text, books] of cases) {
    for (const book of books) {
      it(`reads ${what} converted by ${book.replace(/^.*-|\.epub$/g, '')} as the text itself`, async () => {
        const want = await read(text);
        const got = await read(fixture('epub', book));
        expect(reading(got)).to.deep.equal(reading(want));
      });
    }
  }

  it('reads the text as intended: the counts the comparison above stands on', async () => {
    const journal = await read(fixture('epub', 'journal-pandoc.epub'));
    expect([journal.meta.title, journal.meta.authors, count(journal, 'p'), count(journal, 'break')]).to.deep.equal(['The Salt Clock', ['Ines Marlow'], 11, 2]);
    const flat = await read(fixture('epub', 'flat-calibre.epub'));
    expect([flat.meta.title, flat.chapters.length, count(flat, 'p')]).to.deep.equal(['Two Lamps', 3, 15]);
  });

  it('writes italics and bold back as the markers the text formats read', () => {
    const em = (...content: Inline[]): Inline => ({ kind: 'em', content });
    const strong = (...content: Inline[]): Inline => ({ kind: 'strong', content });
    expect(markedText(['It was ', em('almost'), ' calm.'])).to.equal('It was *almost* calm.');
    // Spaces at a run's ends stay outside its markers; bold around italics makes no `***` run.
    expect(markedText(['It was', em(' almost '), 'calm, ', strong(em('very'), ' calm'), { kind: 'br' }, 'then'])).to.equal('It was *almost* calm, __*very* calm__\nthen');
    expect(markedText(['a ', { kind: 'link', href: 'https://example.org/', content: ['link'] }])).to.equal(undefined);
  });

  it('puts a one-column table back as the dashed lines and paragraphs pandoc read it from', () => {
    const p = (t: string): Block => ({ kind: 'p', content: [t] });
    const cell = (t: string) => [{ header: false, content: [t] }];
    const story: Story = { ...emptyStory('x.epub', 'epub'), chapters: [{ sections: [{ blocks: [p('Before.'), { kind: 'table', rows: [cell('One.'), cell('Two.')] }, p('After.')] }] }] };
    expect(storyAsText(story)).to.equal(`Before.\n\n${'-'.repeat(20)}\n\nOne.\n\nTwo.\n\n${'-'.repeat(20)}\n\nAfter.`);
    // A table of two columns is a table: no text.
    story.chapters[0]!.sections[0]!.blocks[1] = { kind: 'table', rows: [[...cell('a'), ...cell('b')]] };
    expect(storyAsText(story)).to.equal(undefined);
  });

  it('puts lists and quotations of paragraphs back as the lines pandoc read them from', () => {
    const p = (t: string): Block => ({ kind: 'p', content: [t] });
    const story = (...blocks: Block[]): Story => ({ ...emptyStory('x.epub', 'epub'), chapters: [{ sections: [{ blocks: [p('Before.'), ...blocks] }] }] });
    expect(storyAsText(story({ kind: 'list', ordered: false, items: [[p('salt')], [p('oil')]] }, { kind: 'quote', blocks: [p('Mind it.'), p('Twice.')] }))).to.equal('Before.\n\n- salt\n- oil\n\n> Mind it.\n\n> Twice.');
    expect(storyAsText(story({ kind: 'list', ordered: true, start: 3, items: [[p('three')], [p('four')]] }))).to.equal('Before.\n\n3. three\n4. four');
    // An item of two paragraphs, or a list in a list, would not read back the same: no text.
    expect(storyAsText(story({ kind: 'list', ordered: false, items: [[p('a'), p('b')]] }))).to.equal(undefined);
    expect(storyAsText(story({ kind: 'list', ordered: false, items: [[{ kind: 'list', ordered: false, items: [[p('a')]] }]] }))).to.equal(undefined);
  });

  it('splits a poster line pandoc joined to the name under it', () => {
    const p = (t: string): Block => ({ kind: 'p', content: [t] });
    const story: Story = { ...emptyStory('x.epub', 'epub'), chapters: [{ sections: [{ blocks: [p('Ann Bell (annbell) wrote, Ann Bell'), p('She rowed.'), p('He wrote, and wrote, and nobody read it.')] }] }] };
    expect(storyAsText(story)).to.equal('Ann Bell (annbell) wrote,\nAnn Bell\n\nShe rowed.\n\nHe wrote, and wrote, and nobody read it.');
  });

  it('splits page links pandoc joined to the last line, after a sentence or an end mark only', () => {
    expect(splitJoinedChrome('They rowed home. Previous post Up')).to.equal('They rowed home.\nPrevious post\nUp');
    expect(splitJoinedChrome('The End Previous post Next post')).to.equal('The End\nPrevious post\nNext post');
    expect(splitJoinedChrome('Previous post Up')).to.equal('Previous post\nUp');
    expect(splitJoinedChrome('And then he looked up')).to.equal(undefined);
    expect(splitJoinedChrome('They rowed home.')).to.equal(undefined);
  });

  it('gives back the no-break spaces calibre made plain, only where none is left', () => {
    expect(withNoBreakSpaces('One.  Two. Three.     Four.')).to.equal('One.\u00a0 Two. Three.\u00a0\u00a0\u00a0\u00a0 Four.');
    expect(withNoBreakSpaces('One.\u00a0 Two.  Three.')).to.equal('One.\u00a0 Two.  Three.');
  });
});
