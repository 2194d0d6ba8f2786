/** One metadata policy for every AO3 reader (the HTML download or work page, the text download). */
import { expect } from 'chai';
import { applyAo3Field, statPairs } from '../../src/read/formats/ao3/meta.js';
import { emptyMeta } from '../../src/read/story.js';

describe('AO3 preface policy', () => {
  it('takes the first series and keeps the others as text', () => {
    const m = emptyMeta();
    expect(applyAo3Field(m, 'Series', 'Part 2 of Salt Roads, Part 1 of Harbour Stories')).to.equal(undefined);
    expect(m.series).to.deep.equal({ name: 'Salt Roads', index: 2 });
    expect(m.extra).to.deep.equal({ 'Other series': 'Part 1 of Harbour Stories' });
    const odd = emptyMeta();
    expect(applyAo3Field(odd, 'Series', 'Salt Roads')).to.match(/not "Part N of NAME"/);
    expect(odd.extra).to.deep.equal({ Series: 'Salt Roads' });
  });

  it('reads the stats: dates, words, an unfinished chapter count; daily counters are no part of the book', () => {
    const m = emptyMeta();
    applyAo3Field(m, 'Stats', 'Published: 2020-03-01 Updated: 2020-04-15 Words: 1,204 Chapters: 2/? Comments: 4 Kudos: 31 Bookmarks: 2 Hits: 880');
    expect([m.published, m.updated, m.statedWords]).to.deep.equal(['2020-03-01', '2020-04-15', 1204]);
    expect(m.extra).to.deep.equal({ Chapters: '2/?' });
    const done = emptyMeta();
    applyAo3Field(done, 'Stats', 'Published: 2020-03-01 Completed: 2020-04-15 Words: 900 Chapters: 3/3');
    expect([done.updated, done.extra]).to.deep.equal(['2020-04-15', { Completed: '2020-04-15' }]);
  });

  it('splits the stats line into its labels', () => {
    expect(statPairs('Published: 2020-03-01 Words: 1,204 Chapters: 1/1')).to.deep.equal([['Published', '2020-03-01'], ['Words', '1,204'], ['Chapters', '1/1']]);
  });

  it('gives a language tag, list fields once each, and says what it could not read', () => {
    const m = emptyMeta();
    applyAo3Field(m, 'Language', 'Deutsch');
    applyAo3Field(m, 'Additional Tags', 'Deserts, Found Family');
    applyAo3Field(m, 'Freeform', 'x', ['Found Family', 'Mules']);
    expect([m.language, m.tags]).to.deep.equal(['de', ['Deserts', 'Found Family', 'Mules']]);
    expect(applyAo3Field(m, 'Words', 'many')).to.match(/word count "many"/);
    expect(applyAo3Field(m, 'Published', 'someday')).to.match(/published date "someday"/);
  });
});
