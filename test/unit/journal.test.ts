import { expect } from 'chai';
import { readText } from '../../src/read/context.js';
import { readFileSync } from 'node:fs';
import type { Story } from '../../src/model.js';
import { journal } from '../../src/read/formats/journal.js';
import { detectFormat } from '../../src/read/detect.js';
import { fixture } from '../helpers/paths.js';

const input = (text: string) => ({ path: 'x.txt', text, encoding: 'utf-8' });

describe('journal reader', () => {
  let text: string;
  let story: Story;
  before(() => {
    text = readFileSync(fixture('golden', 'journal', 'input.txt'), 'utf8');
    ({ story } = readText(journal, input(text)));
  });

  it('is chosen for a post with a header block', () => {
    expect(detectFormat(input(text)).format.name).to.equal('journal');
  });
  it('reads the header block', () => {
    const m = story.meta;
    expect(m.title).to.equal('Salt and Iron');
    expect(m.authors).to.deep.equal(['Pell Ashby']);
    expect(m.fandoms).to.deep.equal(['Original Work']);
    expect(m.relationships).to.deep.equal(['Mags/Ione']);
    expect(m.rating).to.equal('PG');
    expect(m.warnings).to.deep.equal(['mild peril']);
    expect(m.statedWords).to.equal(1020);
    expect(m.published).to.equal('2019-06-05');
    expect(m.extra['Based on']).to.equal('a prompt from the harbour challenge by Artist: someone kind');
    expect(m.disclaimer).to.equal('Mine, all mine.');
    expect(m.notes?.map((b) => (b.kind === 'p' ? b.content.join('') : ''))).to.deep.equal(['Thanks to my patient beta, who fixed every comma.']);
    expect(m.summary).to.have.length(1);
    expect(m.tags).to.deep.equal(['original: smugglers']);
    expect(m.series).to.deep.equal({ name: 'Salt and Iron', index: 1, total: 2 });
  });
  it('reads the body: chapters, scene break, end mark, no cruft', () => {
    expect(story.chapters.map((c) => c.title)).to.deep.equal(['Part 1', 'Epilogue']);
    expect(story.chapters[0]!.sections[0]!.blocks.map((b) => b.kind)).to.deep.equal(['p', 'p', 'break', 'p']);
    expect(story.end).to.deep.equal([{ kind: 'p', content: ['The End'] }]);
    const all = JSON.stringify(story);
    for (const cruft of ['Post a new comment', 'default userpic', 'Previous post', 'IP address', 'pellashby']) expect(all).not.to.include(cruft);
  });
  it('takes the poster as author only when no author is stated', () => {
    const r = readText(journal, input('Jo Bell (jobell) wrote,\nJo Bell\n\nTitle: X\nRating: G\n\nText here.\n'));
    expect(r.story.meta.authors).to.deep.equal(['Jo Bell']);
    expect(r.diagnostics.map((d) => d.code)).to.deep.equal(['meta-007']);
  });
});
