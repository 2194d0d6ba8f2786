/** The one "Key: value" scanner: every text format's header fields go through `header.ts`, with
 * the format's own keys passed in as data. */
import { expect } from 'chai';
import { readText } from '../../src/read/context.js';
import { defaultOptions } from '../../src/options.js';
import { scanFields, type FieldAliases } from '../../src/read/header.js';
import { ffnHtml } from '../../src/read/formats/ffn-html.js';
import { gutenberg } from '../../src/read/formats/gutenberg.js';
import { journal } from '../../src/read/formats/journal.js';
import { markdown } from '../../src/read/formats/markdown/index.js';
import type { TextFormat } from '../../src/read/format.js';
import type { Meta } from '../../src/model.js';

const metaOf = (format: TextFormat, text: string, path = 'x.txt'): Meta => readText(format, { path, text, encoding: 'utf-8' }, defaultOptions()).story.meta;

const STORY = 'The kettle sang on the hob while the two of them argued about the map.\n\nNobody won.\n';
const gutenbergBook = (fields: string): string =>
  `The Project Gutenberg eBook of Kettle Song\n\n${fields}\n\nLanguage: English\n\n*** START OF THE PROJECT GUTENBERG EBOOK KETTLE SONG ***\n\n${STORY}\n*** END OF THE PROJECT GUTENBERG EBOOK KETTLE SONG ***\n`;
const ffnPage = (gray: string): string =>
  `<html><head><title>Kettle Song | FanFiction</title></head><body><div id="profile_top"><b class="xcontrast_txt">Kettle Song</b> By: <a href="/u/7/Ada">Ada Quill</a><div class="xcontrast_txt">A kettle.</div><span class="xgray">${gray}</span></div><div id="storytext"><p>The kettle sang.</p></div><p>fanfiction.net</p></body></html>`;

describe('the one header field scanner', () => {
  describe('scanFields', () => {
    it('joins indented continuation lines; a blank line ends a value', () => {
      const { fields, end } = scanFields(['Title: The Long', '   Kettle Song', '', 'Author: Ada Quill', '    second line?', 'Story starts here.']);
      expect(fields.map((f) => [f.rule.target, f.value, f.at])).to.deep.equal([['title', 'The Long Kettle Song', 0], ['authors', 'Ada Quill second line?', 3]]);
      expect(end).to.equal(5);
    });
    it('looks a key up in the format\'s own table first, then the shared one', () => {
      const own: FieldAliases = { 'words': { target: 'drop' }, 'kettle': { target: 'own', label: 'kettle' } };
      const { fields } = scanFields(['Words: 10', 'Kettle: copper', 'Pairing: A/B'], own);
      expect(fields.map((f) => f.rule.target)).to.deep.equal(['drop', 'own', 'relationships']);
      expect(scanFields(['Words: 10', 'Kettle: copper']).fields.map((f) => f.rule.target)).to.deep.equal(['statedWords']);
    });
    it('passes over prose between fields, or stops at it as a metadata block', () => {
      const lines = ['Title: Kettle Song', 'This ebook is for anyone.', 'Author: Ada Quill'];
      expect(scanFields(lines).fields.map((f) => f.value)).to.deep.equal(['Kettle Song', 'Ada Quill']);
      expect(scanFields(lines, undefined, true)).to.deep.include({ end: 1 });
      expect(scanFields(lines, undefined, true).fields.map((f) => f.value)).to.deep.equal(['Kettle Song']);
    });
  });

  describe('one alias, every format', () => {
    // "Written by" is a shared alias of the author field: each format finds it through the scanner.
    it('a Gutenberg header', () => {
      const m = metaOf(gutenberg, gutenbergBook('Title: Kettle Song\n\nWritten by: Ada Quill'));
      expect([m.title, m.authors]).to.deep.equal(['Kettle Song', ['Ada Quill']]);
    });
    it('MultiMarkdown metadata lines', () => {
      const m = metaOf(markdown, `Title: Kettle Song\nWritten by: Ada Quill\nWords: 1,200\n\n${STORY}`, 'x.md');
      expect([m.title, m.authors, m.statedWords]).to.deep.equal(['Kettle Song', ['Ada Quill'], 1200]);
    });
    it('a journal post\'s header block', () => {
      const m = metaOf(journal, `Title: Kettle Song\nWritten by: Ada Quill\nWords: 1,200\n\n${STORY}`);
      expect([m.title, m.authors, m.statedWords]).to.deep.equal(['Kettle Song', ['Ada Quill'], 1200]);
    });
    it('the segments of FanFiction.Net\'s stats line', () => {
      const m = metaOf(ffnHtml, ffnPage('Rated: Fiction T - English - Romance - Words: 1,200 - Favs: 3 - Status: Complete - id: 42'), 'x.html');
      expect([m.rating, m.language, m.tags, m.statedWords, m.extra['Status'], m.sourceUrl]).to.deep.equal(['T', 'English', ['Romance'], 1200, 'Complete', 'https://www.fanfiction.net/s/42/']);
    });
    it('MultiMarkdown metadata values go on over indented lines', () => {
      const m = metaOf(markdown, `Title: Kettle Song\nAuthor: Ada Quill\nSummary: A kettle that sings\n    only on Sundays.\n\n${STORY}`, 'x.md');
      expect(m.summary).to.deep.equal([{ kind: 'p', content: ['A kettle that sings only on Sundays.'] }]);
    });
  });
});
