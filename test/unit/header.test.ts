import { expect } from 'chai';
import { applyField, fieldFor, parseDate, parseHeaderLine, parsePartMarker, parseWordCount, splitAuthors, splitList, titleAndByline } from '../../src/read/header.js';
import { emptyMeta } from '../../src/read/story.js';

describe('header fields', () => {
  const aliases: [string, string][] = [
    ['Title', 'title'], ['Author', 'authors'], ['Writer', 'authors'], ['Author(s)', 'authors'], ['Fandom', 'fandoms'],
    ['Pairing', 'relationships'], ['Character/Pairing', 'relationships'], ['Relationships', 'relationships'],
    ['Characters', 'characters'], ['Rating', 'rating'], ['Rating/Warnings', 'ratingWarnings'], ['Warning(s)', 'warnings'],
    ['Archive Warning', 'warnings'], ['Category', 'category'], ['Tags', 'tags'], ['Additional Tags', 'tags'], ['Summary', 'summary'],
    ["Author's Notes", 'notes'], ['A/N', 'notes'], ['Disclaimer', 'disclaimer'], ['Date Written', 'published'],
    ['Word Count', 'statedWords'], ['Words', 'statedWords'], ['Series', 'series'], ['Challenge/Prompt', 'extra'], ['Based on', 'extra'],
  ];
  for (const [key, target] of aliases) it(`maps "${key}" to ${target}`, () => expect(fieldFor(key)?.target).to.equal(target));

  it('does not take dialogue or unknown keys for fields', () => {
    expect(parseHeaderLine('Lex: I told you so.')).to.equal(undefined);
    expect(parseHeaderLine('He said: no')).to.equal(undefined);
    expect(parseHeaderLine('Title: Salt')).to.deep.include({ key: 'Title', value: 'Salt' });
  });

  it('parses dates in the common forms', () => {
    expect(parseDate('31 July 2017')).to.equal('2017-07-31');
    expect(parseDate('July 31, 2017')).to.equal('2017-07-31');
    expect(parseDate('Oct 24, 2008 23:18')).to.equal('2008-10-24');
    expect(parseDate('2009-12-29')).to.equal('2009-12-29');
    expect(parseDate('Tuesday, March 3rd, 2015')).to.equal('2015-03-03');
    expect(parseDate('03/04/2005')).to.equal(undefined);
    expect(parseDate('someday')).to.equal(undefined);
  });

  it('parses word counts', () => {
    expect(parseWordCount('1,210')).to.equal(1210);
    expect(parseWordCount('758')).to.equal(758);
    expect(parseWordCount('about 5 000 words')).to.equal(5000);
    expect(parseWordCount('lots')).to.equal(undefined);
  });

  it('parses part markers', () => {
    expect(parsePartMarker('Part 2/2')).to.deep.equal({ index: 2, total: 2 });
    expect(parsePartMarker('One Step Behind Part 1 of 3')).to.deep.equal({ index: 1, total: 3 });
    expect(parsePartMarker('(3/5)')).to.deep.equal({ index: 3, total: 5 });
    expect(parsePartMarker('Part of me')).to.equal(undefined);
  });

  it('splits lists outside parentheses and authors on and/&', () => {
    expect(splitList('CLex (Clark/Lex), Chloe; Lois')).to.deep.equal(['CLex (Clark/Lex)', 'Chloe', 'Lois']);
    expect(splitList('A (x, y), B')).to.deep.equal(['A (x, y)', 'B']);
    expect(splitAuthors('Ann, Bo and Cy')).to.deep.equal(['Ann', 'Bo', 'Cy']);
    expect(splitAuthors('Kat Lee (katleept)')).to.deep.equal(['Kat Lee']);
  });

  it('splits "Rating/Warnings: PG-13/T - Future AU"', () => {
    const m = emptyMeta();
    applyField(m, parseHeaderLine('Rating/Warnings: PG-13/T - Future AU')!);
    expect(m.rating).to.equal('PG-13/T');
    expect(m.warnings).to.deep.equal(['Future AU']);
  });

  it('keeps unknown-format values in extra instead of losing them', () => {
    const m = emptyMeta();
    expect(applyField(m, parseHeaderLine('Date: the summer of my discontent')!)).to.equal(false);
    expect(m.extra['Date']).to.equal('the summer of my discontent');
  });

  it('finds a title and byline at the top', () => {
    expect(titleAndByline(['', '   The Night Train', '   by J. Okafor', '', 'Text.'])).to.deep.equal({ title: 'The Night Train', authors: ['J. Okafor'], next: 3 });
    expect(titleAndByline(['by mako', '', 'Text.'])).to.deep.equal({ authors: ['mako'], next: 1 });
    expect(titleAndByline(['It was a dark night.', 'by the sea'])).to.deep.equal({ authors: [], next: 0 });
  });
});
