/** The one walk over the model: every place blocks and inline content live is visited and mapped. */
import { expect } from 'chai';
import type { Block, Inline, Story } from '../../src/model.js';
import { emptyStory } from '../../src/read/story.js';
import { planStory } from '../../src/render/book.js';
import { blockInlines, blockRuns, mapStory, STORY_TEXT, visitStoryBlocks } from '../../src/walk.js';

const fig = (image: string): Block => ({ kind: 'figure', image, alt: image });
const p = (...content: Inline[]): Block => ({ kind: 'p', content });

/** A story with a picture and a word in every place blocks can live. */
function everywhere(): Story {
  const s = emptyStory('x.html', 'test');
  s.meta.title = 'T';
  s.meta.authors = ['A'];
  s.meta.summary = [p('summary'), fig('summary')];
  s.meta.notes = [fig('notes')];
  s.meta.endNotes = [fig('endnotes')];
  s.front = [{ kind: 'quote', blocks: [fig('front-quote')] }];
  s.chapters = [
    {
      summary: [fig('ch-summary')],
      notes: [fig('ch-notes')],
      sections: [
        {
          blocks: [
            p('one', { kind: 'noteref', id: 'n1' }),
            { kind: 'list', ordered: false, items: [[p('two')], [fig('list-item'), { kind: 'list', ordered: true, items: [[fig('nested-list')]] }]] },
            { kind: 'note', label: 'AN', blocks: [p('three'), fig('author-note')] },
            { kind: 'table', rows: [[{ header: false, content: ['four'] }]] },
            { kind: 'verse', lines: [['five'], ['six']] },
          ],
        },
      ],
      endNotes: [fig('ch-endnotes')],
    },
  ];
  s.end = [fig('end')];
  s.footnotes = [{ id: 'n1', blocks: [p('seven'), fig('footnote')] }];
  s.images = [];
  return s;
}

describe('the model walk', () => {
  it('visits a block in every place, inside lists, notes, quotes and footnotes, in reading order', () => {
    const seen: string[] = [];
    visitStoryBlocks(everywhere(), (b) => b.kind === 'figure' && seen.push(b.image));
    expect(seen).to.deep.equal(['summary', 'notes', 'front-quote', 'ch-summary', 'ch-notes', 'list-item', 'nested-list', 'author-note', 'ch-endnotes', 'end', 'endnotes', 'footnote']);
  });

  it('maps inline content wherever it lives, table cells and verse lines included, without touching the input', () => {
    const story = everywhere();
    const before = JSON.stringify(story);
    const up = mapStory(story, { inlines: (c) => c.map((x) => (typeof x === 'string' ? x.toUpperCase() : x)) });
    expect(JSON.stringify(story)).to.equal(before);
    const texts = blockRuns(up).flatMap((r) => blockInlines(r.blocks)).flat().filter((x): x is string => typeof x === 'string');
    expect(texts).to.deep.equal(['SUMMARY', 'ONE', 'TWO', 'THREE', 'FOUR', 'FIVE', 'SIX', 'SEVEN']);
  });

  it('names the story text (front, sections, end) apart from notes and footnotes', () => {
    expect(blockRuns(everywhere(), STORY_TEXT).map((r) => r.place)).to.deep.equal(['front', 'section', 'end']);
  });

  it('packages the picture of every figure the book shows (a list item, an author\'s note, a footnote)', () => {
    const story = everywhere();
    const names: string[] = [];
    visitStoryBlocks(story, (b) => b.kind === 'figure' && names.push(b.image));
    story.images = names.map((name) => ({ name, mediaType: 'image/png', data: new Uint8Array([name.length]) }));
    const plan = planStory(story, { css: '' });
    expect(plan.images.map((i) => i.name)).to.deep.equal(names);
    // A story that shows a picture it does not hold is refused rather than packaged without it.
    story.images = story.images.filter((i) => i.name !== 'footnote');
    expect(() => planStory(story, { css: '' })).to.throw(/footnote/);
  });
});
