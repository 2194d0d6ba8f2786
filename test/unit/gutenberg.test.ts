/** Project Gutenberg plain text: licence header and footer, fields, title block, contents, chapters. */
import { expect } from 'chai';
import { readText } from '../../src/read/context.js';
import { readFileSync } from 'node:fs';
import type { Story } from '../../src/model.js';
import { defaultOptions } from '../../src/options.js';
import { gutenberg } from '../../src/read/formats/gutenberg.js';
import type { ReadResult } from '../../src/read/context.js';
import { blocksText } from '../../src/text.js';
import { fixture } from '../helpers/paths.js';

const read = (text: string): ReadResult => readText(gutenberg, { path: 'pg.txt', text, encoding: 'utf-8' }, defaultOptions());
const sniff = (text: string): number => gutenberg.sniff({ path: 'pg.txt', text, encoding: 'utf-8' });
const allText = (s: Story): string => s.chapters.map((c) => `${c.title ?? ''}\n${c.sections.map((x) => blocksText(x.blocks)).join('\n')}`).join('\n');

const PARA = 'The miller counted the sacks twice over before he would let the cart\nleave the yard, and even then he walked beside it as far as the bridge,\nlooking back at the mill as if it might follow him down the lane.';

/** A Gutenberg file around `body`, with the header `fields` and `marker` as its start line. */
function book(body: string, fields = 'Title: The Mill Road\n\nAuthor: Jonah Fell\n\nRelease date: May 5, 2023 [eBook #70001]\n\nLanguage: English', marker = '*** START OF THE PROJECT GUTENBERG EBOOK THE MILL ROAD ***'): string {
  return `The Project Gutenberg eBook of The Mill Road\n\nThis ebook is for the use of anyone anywhere at no cost and with almost\nno restrictions whatsoever, under the terms of the License.\n\n${fields}\n\n\n${marker}\n\n\n${body}\n\n\n*** END OF THE PROJECT GUTENBERG EBOOK THE MILL ROAD ***\n\nSection 1. General Terms of Use and Redistributing this License.\n`;
}

describe('gutenberg format', () => {
  describe('sniff', () => {
    const CASES: [string, string, (n: number) => boolean][] = [
      ['the START marker', book(PARA), (n) => n >= 0.95],
      ['the older START OF THIS marker', book(PARA, 'Title: The Mill Road', '*** START OF THIS PROJECT GUTENBERG EBOOK THE MILL ROAD ***'), (n) => n >= 0.95],
      ['the small print', `Title: X\n\n*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*\n\n${PARA}\n`, (n) => n >= 0.95],
      ['"Project Gutenberg" in the first line only', `The Project Gutenberg Etext of The Mill Road\n\n${PARA}\n`, (n) => n >= 0.5 && n < 0.95],
      ['a story that mentions it far down', `Title: Books\nAuthor: Ann\n\n${`${PARA}\n\n`.repeat(8)}She read it on Project Gutenberg.\n`, (n) => n === 0],
      ['plain text', `${PARA}\n`, (n) => n === 0],
    ];
    for (const [name, text, ok] of CASES) it(name, () => expect(ok(sniff(text)), String(sniff(text))).to.equal(true));
  });

  describe('the golden fixture', () => {
    let r: ReadResult;
    before(() => {
      r = read(readFileSync(fixture('golden', 'gutenberg', 'input.txt'), 'utf8'));
    });
    it('takes title, author, release date, language, illustrator and the book address from the header', () => {
      const m = r.story.meta;
      expect(m.title).to.equal('The Lantern at Hollow Ford');
      expect(m.authors).to.deep.equal(['Margaret Ellery Vance']);
      expect(m.published).to.equal('2024-03-03');
      expect(m.language).to.equal('en');
      expect(m.extra).to.deep.equal({ Illustrator: 'Thomas Reddle' });
      expect(m.sourceUrl).to.equal('https://www.gutenberg.org/ebooks/99901');
    });
    it('leaves out the licence, the credits, the title block and the contents', () => {
      const text = allText(r.story);
      for (const s of ['Project Gutenberg', 'License', 'Transcribed by', 'WITH ILLUSTRATIONS', 'CONTENTS', 'MARGARET ELLERY VANCE', 'Section 1']) expect(text).not.to.include(s);
    });
    it('joins each heading with the title line under it', () => {
      expect(r.story.chapters.map((c) => c.title)).to.deep.equal(['CHAPTER I. The Ferryman\'s Lamp', 'CHAPTER II. A Visitor in the Rain', 'CHAPTER III. What the River Kept']);
    });
    it('unwraps the hard-wrapped paragraphs', () => {
      const first = r.story.chapters[0]!.sections[0]!.blocks;
      expect(first).to.have.length(5);
      expect(blocksText([first[0]!])).to.match(/^Nobody at Hollow Ford .* set its clocks by him\.$/);
    });
    it('keeps an illustration caption as text, drops bare marks, and counts both (fid-001)', () => {
      expect(allText(r.story)).to.include('Absalom on the landing with the oil tin.');
      expect(allText(r.story)).not.to.include('[Illustration');
      expect(r.diagnostics.map((d) => [d.code, d.message])).to.deep.equal([['fid-001', '2 pictures left out (alternative text kept): Absalom on the landing with the oil tin.']]);
    });
    it('takes "THE END" as an end mark', () => {
      expect(blocksText(r.story.end)).to.equal('THE END');
    });
  });

  describe('the small-print fixture', () => {
    let r: ReadResult;
    before(() => {
      r = read(readFileSync(fixture('gutenberg', 'small-print.txt'), 'utf8'));
    });
    it('names the book from the first line when no fields do', () => {
      expect(r.story.meta.title).to.equal('Salt and Sixpence');
      expect(r.story.meta.authors).to.deep.equal(['Harriet Penlow']);
      expect(r.story.meta.sourceUrl).to.equal('https://www.gutenberg.org/ebooks/99902');
    });
    it('reads roman numerals alone on their line as chapters', () => {
      expect(r.story.chapters.map((c) => c.title)).to.deep.equal(['I.', 'II.']);
    });
    it('leaves out the small print, the "Produced by" credit, the title repeat and the "End of" line', () => {
      const text = allText(r.story);
      for (const s of ['SMALL PRINT', 'Produced by', 'Harbour Readers', 'SALT AND SIXPENCE', 'Harriet Penlow', 'End of the Project', 'salt10']) expect(text).not.to.include(s);
      expect(text).to.match(/^I\.\nThe sixpence had been in the salt jar/);
    });
  });

  describe('header fields', () => {
    const FIELDS: [string, string, (s: Story) => unknown, unknown][] = [
      ['a release date without a day', 'Title: T\n\nAuthor: A\n\nRelease Date: June, 1998 [EBook #1342]', (s) => [s.meta.published, s.meta.extra['Release date'], s.meta.sourceUrl], [undefined, 'June, 1998', 'https://www.gutenberg.org/ebooks/1342']],
      ['a translator', 'Title: T\n\nAuthor: Anton Pell\n\nTranslator: Vera Lusk', (s) => [s.meta.authors, s.meta.extra], [['Anton Pell'], { Translator: 'Vera Lusk' }]],
      ['a title over two lines', 'Title: The Mill Road\n       and Other Tales\n\nAuthor: A', (s) => s.meta.title, 'The Mill Road and Other Tales'],
      ['a stated language name', 'Title: T\n\nAuthor: A\n\nLanguage: German', (s) => s.meta.language, 'de'],
      ['credits and encoding, which are not kept', 'Title: T\n\nAuthor: A\n\nCharacter set encoding: UTF-8\n\nProduced by: Some Volunteers', (s) => s.meta.extra, {}],
    ];
    for (const [name, fields, get, want] of FIELDS) it(name, () => expect(get(read(book(PARA, fields)).story)).to.deep.equal(want));
  });

  describe('body', () => {
    it('drops the "Produced by" credit and the "End of the Project Gutenberg" line of older files', () => {
      const r = read(book(`Produced by Jo Reed and the Online\nProofreaders Team\n\n\n\n\n${PARA}\n\n${PARA}\n\n\n\nEnd of the Project Gutenberg EBook of The Mill Road, by Jonah Fell`));
      expect(allText(r.story).trim()).to.equal(`${PARA}\n${PARA}`.replace(/\n(?!The)/g, ' '));
    });
    it('skips a frontispiece mark, the title block and a credit paragraph in any order', () => {
      const r = read(book(`[Illustration]\n\n\n   THE MILL ROAD\n\n      BY\n\n   JONAH FELL\n\n\nProduced by Jo Reed\nand friends\n\n\n${PARA}\n\n${PARA}`));
      expect(allText(r.story).trim()).to.equal(`${PARA}\n${PARA}`.replace(/\n(?!The)/g, ' '));
      expect(r.diagnostics.map((d) => d.message)).to.deep.equal(['1 picture left out (alternative text kept)']);
    });
    it('needs two roman numerals before it takes one for a heading', () => {
      const r = read(book(`${PARA}\n\nI\n\n${PARA}`));
      expect(r.story.chapters).to.have.length(1);
      expect(allText(r.story)).to.include('\nI\n');
    });
    it('does not take a one-line first paragraph for a chapter title', () => {
      const r = read(book(`Chapter 1\n\nIt rained.\n\n${PARA}\n\nChapter 2\n\n${PARA}`));
      expect(r.story.chapters.map((c) => c.title)).to.deep.equal(['Chapter 1', 'Chapter 2']);
      expect(blocksText(r.story.chapters[0]!.sections[0]!.blocks.slice(0, 1))).to.equal('It rained.');
    });
    it('joins a heading without punctuation and its title with a colon', () => {
      const r = read(book(`Chapter 1\n\nThe Bridge\n\n${PARA}\n\nChapter 2\n\nThe Mill\n\n${PARA}`));
      expect(r.story.chapters.map((c) => c.title)).to.deep.equal(['Chapter 1: The Bridge', 'Chapter 2: The Mill']);
    });
  });
});
