import { expect } from 'chai';
import fc from 'fast-check';
import type { Block, Inline, Story } from '../../src/model.js';
import { countWords, groupThousands, inlineText, storyWordCount, WORD } from '../../src/text.js';

const byRegex = (s: string): number => (s.match(WORD) ?? []).length;

describe('text', () => {
  describe('countWords', () => {
    it('counts words joined by apostrophes and hyphens as one', () => {
      expect(countWords("It's a well-known rock’n’roll fact")).to.equal(5);
      expect(countWords('a--b - c \'d e\' 3-4')).to.equal(6);
      expect(countWords('')).to.equal(0);
      expect(countWords('... — !!')).to.equal(0);
    });
    it('counts letters of every script, digits and astral letters', () => {
      expect(countWords('Zoë naïve déjà-vu Ελλάδα Москва 東京 𝐀𝐁𝐂 42')).to.equal(8);
    });
    it('agrees with the regular expression on arbitrary text, surrogates and joiners included', () => {
      const pieces = fc.constantFrom('a', 'Z', '9', 'é', 'ß', 'Ж', '東', '𝐀', '😀', "'", '’', '-', '--', ' ', '\n', '.', '\uD800', '\uDC00', '\u0301', '_');
      fc.assert(fc.property(fc.array(pieces, { maxLength: 60 }).map((a) => a.join('')), (s) => countWords(s) === byRegex(s)), { numRuns: 3000 });
      fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (s) => countWords(s) === byRegex(s)), { numRuns: 1000 });
    });
    it('agrees with the regular expression on every general punctuation unit (filled in the table up front)', () => {
      for (let c = 0x2000; c < 0x2070; c++) {
        const s = `a${String.fromCharCode(c)}b ${String.fromCharCode(c)} x`;
        expect(countWords(s), c.toString(16)).to.equal(byRegex(s));
      }
    });
  });

  describe('storyWordCount', () => {
    const story = (blocks: Block[]): Story => ({
      meta: { authors: [], fandoms: [], relationships: [], characters: [], warnings: [], category: [], tags: [], extra: {} },
      front: [],
      chapters: [{ sections: [{ blocks }] }],
      end: [],
      source: { path: 'x.txt', format: 'text', score: 1, encoding: 'utf-8' },
    });
    it('counts a paragraph leaf by leaf as its joined text is counted (words across styling, surrogate pairs split between leaves)', () => {
      const text = fc.constantFrom('a', 'Zö', '9', '𝐀', '\uD835', '\uDC00', "'", '’', '-', ' ', '.', '');
      const leaf: fc.Arbitrary<Inline> = fc.oneof(
        text,
        text.map((t): Inline => ({ kind: 'code', text: t })),
        text.map((t): Inline => ({ kind: 'ruby', base: t, text: 'r' })),
        fc.constant<Inline>({ kind: 'br' }),
        fc.constant<Inline>({ kind: 'noteref', id: 'n' }),
      );
      const styled = fc.array(leaf, { maxLength: 5 }).map((content): Inline => ({ kind: 'em', content }));
      const content = fc.array(fc.oneof(leaf, styled), { maxLength: 8 });
      fc.assert(fc.property(content, (c) => storyWordCount(story([{ kind: 'p', content: c }, { kind: 'heading', content: c }])) === 2 * countWords(inlineText(c))), { numRuns: 3000 });
    });
  });

  describe('groupThousands', () => {
    it('writes what toLocaleString("en-US") writes for whole numbers', () => {
      expect(groupThousands(0)).to.equal('0');
      expect(groupThousands(999)).to.equal('999');
      expect(groupThousands(1000)).to.equal('1,000');
      expect(groupThousands(-1234567)).to.equal('-1,234,567');
      fc.assert(fc.property(fc.maxSafeInteger(), (n) => groupThousands(n) === n.toLocaleString('en-US')), { numRuns: 2000 });
    });
  });
});
