import { expect } from 'chai';
import type { Chapter, Story } from '../../src/model.js';
import { splitStory, volumeRuns } from '../../src/render/volumes.js';
import { planStory } from '../../src/render/book.js';
import { storyIdentifier } from '../../src/update/identity.js';
import { blocksText, countWords, storyBlocks } from '../../src/text.js';

const words = (n: number, tag: string): string => Array.from({ length: n }, (_, i) => `${tag}${i}`).join(' ');
const chapter = (n: number, tag: string, title?: string, note?: string): Chapter => ({
  ...(title ? { title } : {}),
  sections: [{ blocks: [{ kind: 'p', content: note ? [words(n, tag), { kind: 'noteref', id: note }] : [words(n, tag)] }] }],
});

function story(chapters: Chapter[]): Story {
  return {
    meta: { title: 'Tide', authors: ['Ann'], fandoms: ['Sea'], relationships: [], characters: [], warnings: [], category: [], tags: [], extra: {}, language: 'en', series: { name: 'Waters', index: 2 }, statedWords: 999, endNotes: [{ kind: 'p', content: ['Thanks.'] }] },
    front: [{ kind: 'p', content: ['Epigraph.'] }], end: [{ kind: 'p', content: ['The End'] }],
    source: { path: 'x.txt', format: 'plain-text', score: 1, encoding: 'utf-8' },
    chapters,
    footnotes: [{ id: 'a', blocks: [{ kind: 'p', content: ['Note a.'] }] }, { id: 'b', blocks: [{ kind: 'p', content: ['Note b.'] }] }, { id: 'c', blocks: [{ kind: 'p', content: ['Never referred to.'] }] }],
  };
}

describe('volumes', () => {
  const chapters = [chapter(40, 'a', undefined, 'a'), chapter(40, 'b'), chapter(40, 'c', 'Storm'), chapter(100, 'd', undefined, 'b'), chapter(10, 'e')];

  it('cuts at chapter boundaries by words (a chapter over the limit is a volume alone) or by chapters', () => {
    expect(volumeRuns(chapters, { words: 80 }).map((r) => r.length)).to.deep.equal([2, 1, 1, 1]);
    expect(volumeRuns(chapters, { words: 130 }).map((r) => r.length)).to.deep.equal([3, 2]);
    expect(volumeRuns(chapters, { chapters: 2 }).map((r) => r.length)).to.deep.equal([2, 2, 1]);
    expect(volumeRuns(chapters, { words: 1000, chapters: 4 }).map((r) => r.length)).to.deep.equal([4, 1]);
  });

  it('each volume is a story: "Vol. n" in its title, a series entry n of count, its own words; front, end and notes where they belong', () => {
    const whole = story(chapters);
    const vols = splitStory(whole, { words: 130 });
    expect(vols.map((v) => v.meta.title)).to.deep.equal(['Tide, Vol. 1', 'Tide, Vol. 2']);
    expect(vols.map((v) => v.meta.series)).to.deep.equal([{ name: 'Tide', index: 1, total: 2 }, { name: 'Tide', index: 2, total: 2 }]);
    expect(vols[0]!.meta.extra.Series).to.equal('Waters, part 2');
    expect(vols.map((v) => v.meta.statedWords)).to.deep.equal([undefined, undefined]);
    expect(vols.map((v) => v.front.length)).to.deep.equal([1, 0]);
    expect(vols.map((v) => v.end.length)).to.deep.equal([0, 1]);
    expect(vols.map((v) => !!v.meta.endNotes)).to.deep.equal([false, true]);
    expect(vols.map((v) => v.footnotes!.map((n) => n.id))).to.deep.equal([['a'], ['b', 'c']]);
    // Untitled chapters keep their number in the whole story.
    expect(vols.map((v) => v.chapters.map((c) => c.title))).to.deep.equal([['Chapter 1', 'Chapter 2', 'Storm'], ['Chapter 4', 'Chapter 5']]);
    // No word lost or repeated, in order.
    expect(vols.map((v) => blocksText(storyBlocks(v))).join('\n')).to.equal(blocksText(storyBlocks(whole)));
    expect(vols.reduce((n, v) => n + v.meta.countedWords!, 0)).to.equal(countWords(blocksText(storyBlocks(whole))));
  });

  it('a story that fits in one volume is left whole', () => {
    const whole = story(chapters);
    expect(splitStory(whole, { words: 10_000 })).to.deep.equal([whole]);
    expect(splitStory(whole, {})).to.deep.equal([whole]);
  });

  it('a volume plans into a book with its information page, series and library chapters', () => {
    const [, v2] = splitStory(story(chapters), { chapters: 3 });
    const plan = planStory(v2!, { css: '' });
    expect(plan.meta.title).to.equal('Tide, Vol. 2');
    expect(plan.meta.series).to.deep.equal({ name: 'Tide', index: 2 });
    expect(plan.meta.library?.chapters).to.equal(2);
    expect(plan.pages.map((p) => p.id)).to.include.members(['title', 'info', 'c001', 'c002', 'endnotes']);
    expect(plan.pages.find((p) => p.id === 'title')!.body.xml).to.contain('Tide, part 2 of 2');
  });

  it('gives each volume its own identifier, the same on every build, even when the story names its address', () => {
    const whole = story(chapters);
    const addressed = { ...whole, meta: { ...whole.meta, sourceUrl: 'https://example.org/works/7' } };
    const ids = splitStory(addressed, { chapters: 2 }).map(storyIdentifier);
    expect(new Set(ids).size).to.equal(3);
    expect(ids).to.not.include(storyIdentifier(addressed));
    expect(splitStory(addressed, { chapters: 2 }).map(storyIdentifier)).to.deep.equal(ids);
  });
});
