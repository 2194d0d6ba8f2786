/**
 * The text path's quick paths (a string search before a regex, one string handled without the
 * leaf machinery, one class scan before the exact cleaning) give exactly what the general paths
 * and the regular expressions they stand for give.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import type { Inline } from '../../src/model.js';
import { cleanText } from '../../src/read/decode.js';
import { isSceneBreakLine, linesToBody, mayOpenSceneBreak, sourceLines } from '../../src/read/body.js';
import { firstNonSpace, lineText, type Seg } from '../../src/read/html/inline.js';
import { gatePage } from '../../src/read/gate.js';
import { FORMATS } from '../../src/read/formats/index.js';
import type { TextFormat } from '../../src/read/format.js';
import { parseEmphasis } from '../../src/transform/emphasis.js';
import { closingQuoteAfterDash, foldSpaces, typesetInlines } from '../../src/transform/typography.js';
import { escapeText } from '../../src/render/xml.js';
import { titleKey } from '../../src/read/header.js';
import { CHROME_PATTERNS, isPageChrome } from '../../src/read/chrome.js';
import { isNumberChar, isWordChar } from '../../src/transform/chars.js';
import { looksLikeVoiceName, voiceLabel } from '../../src/read/voices.js';

const text = (pieces: string[], maxLength = 60): fc.Arbitrary<string> => fc.array(fc.constantFrom(...pieces), { maxLength }).map((cs) => cs.join(''));
const format = (name: string): TextFormat => FORMATS.find((f): f is TextFormat => f.name === name && f.input === 'text')!;

// What cleanText's exact regexes do, applied to every text (the quick path skips them when no unit can need them).
function cleanByRegex(t: string): { text: string; removed: number } {
  let removed = 0;
  const count = (): string => {
    removed++;
    return '';
  };
  const out = t
    .replace(/\r\n?/g, '\n')
    .replace(/^\uFEFF/, '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, count)
    .replace(/[\uD83F\uD87F\uD8BF\uD8FF\uD93F\uD97F\uD9BF\uD9FF\uDA3F\uDA7F\uDABF\uDAFF\uDB3F\uDB7F\uDBBF\uDBFF][\uDFFE\uDFFF]/g, count);
  return { text: out, removed };
}

describe('quick paths of the text path', () => {
  it('a line whose first character cannot open a separator is no scene break', () => {
    const piece = fc.constantFrom('*', ' * ', '~', '#', '-', '—', 'o', 'O', 'x', '0', '.', '§', '⁂', '★', 'a', 'Z', '9', '’', '"', '\u00a0', '\t', '\u2003', '');
    const seg = fc.oneof(
      fc.array(piece, { maxLength: 4 }).map((p): Seg => ({ text: p.join(''), marks: [] })),
      fc.constantFrom<Seg>({ atom: { kind: 'noteref', id: 'n' }, marks: [] }, { atom: { kind: 'code', text: ' * ' }, marks: [] }, { atom: { kind: 'ruby', base: 'o', text: 'r' }, marks: [] }),
    );
    let breaks = 0;
    fc.assert(fc.property(fc.array(seg, { maxLength: 6 }), (segs) => {
      const text = lineText(segs);
      if (isSceneBreakLine(text)) breaks++;
      return !isSceneBreakLine(text) || mayOpenSceneBreak(firstNonSpace(segs));
    }), { numRuns: 5000 });
    expect(breaks).to.be.greaterThan(50);
  });

  it('cleanText removes what the exact regexes remove, with or without suspect units', () => {
    const units = ['a', ' ', '\n', '\r', '\t', '\u0000', '\u0007', '\u0085', '\uFDD0', '\uFFFE', '\uFEFF', '\uD800', '\uDC00', '😀', '\u{1FFFF}', '’', 'é'];
    fc.assert(fc.property(text(units), (t) => {
      expect(cleanText(t)).to.deep.equal(cleanByRegex(t));
    }), { numRuns: 500 });
    expect(cleanText('plain text, “quoted”\r\n').removed).to.equal(0);
  });

  it('foldSpaces makes the edits of its regex', () => {
    const byRegex = (t: string): { start: number; end: number; replacement: string }[] =>
      [...t.matchAll(/[ \t\u00a0\n\r]{2,}|[\t\n\r]/g)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, replacement: ' ' }));
    fc.assert(fc.property(text([' ', '  ', '\t', '\u00a0', '\n', '\r', 'a', '.']), (t) => {
      expect(foldSpaces(t)).to.deep.equal(byRegex(t));
    }), { numRuns: 500 });
  });

  it('closingQuoteAfterDash finds the quotes its regex found', () => {
    // The rule as a regex walk over the quotes, as it was written first.
    const byRegex = (t: string): { start: number; end: number; replacement: string }[] => {
      const edits: { start: number; end: number; replacement: string }[] = [];
      let lastEnd = 0;
      for (const m of t.matchAll(/[“"]/g)) {
        const i = m.index!;
        if (i + 1 < t.length && !/\s/u.test(String.fromCodePoint(t.codePointAt(i + 1)!))) continue;
        let start = i;
        while (start > lastEnd && /[ \t\u00a0]/.test(t[start - 1]!)) start--;
        if (start === 0 || !/[-–—―‒]/.test(t[start - 1]!)) continue;
        edits.push({ start, end: i + 1, replacement: '”' });
        lastEnd = i + 1;
      }
      return edits;
    };
    fc.assert(fc.property(text(['a', ' ', '\t', '"', '“', '-', '—', '–', '\n']), (t) => {
      expect(closingQuoteAfterDash(t)).to.deep.equal(byRegex(t));
    }), { numRuns: 500 });
  });

  it('a paragraph of one string is typeset and parsed for emphasis as the general path does it', () => {
    const pieces = ['a', 'B', ' ', '  ', '\t', '*', '**', '_', '/', '//', '"', "'", '--', '...', '. . .', '—', '…', '” ', '“'];
    // An empty styled run adds no leaf and is dropped: the general path over the same text.
    const general = (s: string): Inline[] => [s, { kind: 'em', content: [] }];
    fc.assert(
      fc.property(text(pieces), (s) => {
        expect(typesetInlines([s])).to.deep.equal(typesetInlines(general(s)));
        expect(parseEmphasis([s])).to.deep.equal(parseEmphasis(general(s)));
      }),
      { numRuns: 500 },
    );
  });

  it('a marker of each kind is still paired in one string', () => {
    expect(parseEmphasis(['a //word// b'])).to.deep.equal(['a ', { kind: 'em', content: ['word'] }, ' b']);
    expect(parseEmphasis(['a *word* b'])).to.deep.equal(['a ', { kind: 'em', content: ['word'] }, ' b']);
    expect(parseEmphasis(['a __word__ b'])).to.deep.equal(['a ', { kind: 'strong', content: ['word'] }, ' b']);
    expect(parseEmphasis(['no markers here'])).to.deep.equal(['no markers here']);
    expect(parseEmphasis([''])).to.deep.equal([]);
  });

  it('paragraph spacing folds as /[^\\S\\u3000]+/ folds it, ideographic spaces kept', () => {
    const spaces = [' ', '  ', '\t', '\u00a0', '\u2003', '\u3000', '\f', ' \t'];
    const line = fc.tuple(text([...spaces, 'a', 'b'], 20), fc.constantFrom('a', 'b'), text([...spaces, 'a', 'b'], 20)).map((p) => p.join(''));
    fc.assert(
      fc.property(line, (l) => {
        const p = linesToBody([l], { mode: 'line' }).chapters[0]!.sections[0]!.blocks[0]!;
        expect(p).to.deep.equal({ kind: 'p', content: [l.replace(/[^\S\u3000]+/g, ' ').trim()] });
      }),
      { numRuns: 300 },
    );
  });

  it('splits lines at any line end', () => {
    expect(sourceLines('a\r\nb\rc\nd').map((l) => l.text)).to.deep.equal(['a', 'b', 'c', 'd']);
    expect(sourceLines('a\n\nb').map((l) => l.text)).to.deep.equal(['a', '', 'b']);
  });

  it('escapeText escapes as its regex does', () => {
    fc.assert(fc.property(text(['a', '&', '<', '>', '"', '’']), (t) => {
      expect(escapeText(t)).to.equal(t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    }));
  });

  it('names a gate page by each of its sure markers, on a page too long for the short ones', () => {
    const prose = `<p>${'The rain kept on all night, and nobody came to the door. '.repeat(80)}</p>`;
    const markers: [string, RegExp][] = [
      ['This work could have adult content. If you proceed you have agreed', /adult-content notice/],
      ['<a href="/works/1?view_adult=true">Yes, Continue</a>', /adult-content notice/],
      ['<script src="/cdn-cgi/challenge-platform/h/b/orchestrate"></script>', /Cloudflare/],
      ['<div id="cf-chl-widget"></div>', /Cloudflare/],
      ['<title>Attention Required! | Cloudflare</title>', /Cloudflare/],
      ['Checking your browser before accessing the site', /Cloudflare/],
      ['This work is only available to registered users of the Archive.', /login page/],
    ];
    for (const [marker, what] of markers) expect(gatePage(`<html><body>${marker}${prose}</body></html>`), marker).to.match(what);
    expect(gatePage(`<html><body>${prose}</body></html>`)).to.equal(undefined);
  });

  it('the CJK novel sniff says no to Western punctuation and yes to Chinese chapters', () => {
    const western = `Title: Night\n\n“Wait—” she said… ‘Fine.’ ${'The lamp burned low. '.repeat(50)}\n`;
    expect(format('cjk-novel').sniff({ path: 'a.txt', text: western, encoding: 'utf-8' })).to.equal(0);
    const chinese = ['书名：夜行', '作者：林', '', '第一章 出发', '他走了很远的路。', '第二章 山', '山很高。', '第三章 回家', '他回家了。'].join('\n');
    expect(format('cjk-novel').sniff({ path: 'a.txt', text: chinese, encoding: 'utf-8' })).to.be.greaterThan(0.5);
  });

  it('the Markdown sniff needs two clear features and blank-line paragraphs', () => {
    const sniff = (t: string): number => format('markdown').sniff({ path: 'story.txt', text: t, encoding: 'utf-8' });
    const paragraphs = '\n\nOne.\n\nTwo.\n\nThree.\n\nFour.\n';
    expect(sniff(`# A heading\n\nSee [the map](https://example.org/map).${paragraphs}`)).to.equal(0.2);
    expect(sniff(`Some **bold** words.${paragraphs}`)).to.equal(0);
    expect(sniff(`# A heading\n\nSome **bold** words.${paragraphs}`)).to.equal(0.2);
    expect(sniff(`Before.\nHeading\n===\n\n> A quote here${paragraphs}`)).to.equal(0.2);
    expect(sniff(`Heading\n=======\n\n> A quote here${paragraphs}`)).to.equal(0);
    expect(sniff('# A heading\n\nSee [the map](https://example.org/map).\nno blank paragraphs')).to.equal(0);
  });

  it('titleKey gives ASCII titles the key of its decomposition and Unicode classes', () => {
    const byRegex = (t: string): string => t.toLowerCase().normalize('NFKD').replace(/[^\p{L}\p{N}]+/gu, '');
    const ascii = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));
    fc.assert(fc.property(text([...ascii, '“', '”', '—', '…', '\u2032', '\u2044'], 40), (t) => {
      expect(titleKey(t)).to.equal(byRegex(t));
    }), { numRuns: 1000 });
    // Every ASCII and general punctuation unit once, and the general path beside it.
    const punctuation = Array.from({ length: 0x70 }, (_, c) => String.fromCharCode(0x2000 + c));
    for (const t of [ascii.join(''), punctuation.join(''), `“Don’t—go…” ${punctuation.join('A')}`]) expect(titleKey(t)).to.equal(byRegex(t));
    expect(titleKey('Café — Part Two')).to.equal('cafeparttwo');
  });

  it('voiceLabel finds the labels its pattern finds, the colon looked for first', () => {
    const LABEL = /^(\p{Lu}[\p{L}\p{M}'’.-]{0,30}(?: \p{Lu}[\p{L}\p{M}'’.-]{0,30}){0,2}):(?:[ \u00a0\t]+|$)/u;
    const byRegex = (t: string): string | undefined => {
      const m = LABEL.exec(t);
      return m && looksLikeVoiceName(m[1]!) ? m[1] : undefined;
    };
    const long = (n: number): string => `${'X'}${'𝒜'.repeat(n)}`;
    const pieces = ['A', 'Lex', 'Lois Lane', ' ', ':', ': ', ':\t', 'a', 'É', 'é', '’', '.', '-', '𝒜', '𝐀', long(29), long(30), long(31), 'Note', '\u00a0', 'x y'];
    fc.assert(fc.property(text(pieces, 12), (t) => {
      expect(voiceLabel({ kind: 'p', content: [t] })?.name).to.equal(byRegex(t));
    }), { numRuns: 2000 });
    // The longest label there is: three names of 31 code points outside the Basic Multilingual Plane.
    const longest = [1, 2, 3].map(() => `𝐀${'𝒜'.repeat(30)}`).join(' ');
    expect(voiceLabel({ kind: 'p', content: [`${longest}: text`] })?.name).to.equal(longest);
    expect(voiceLabel({ kind: 'p', content: [`${longest}𝒜: text`] })).to.equal(undefined);
  });

  it('isWordChar and isNumberChar answer ASCII as the Unicode classes do', () => {
    const chars = [...Array.from({ length: 0x800 }, (_, c) => String.fromCharCode(c)), '', '𝐀', '𝟙', '\u0301', '٣', '²'];
    for (const c of chars) {
      expect(isWordChar(c), JSON.stringify(c)).to.equal(/[\p{L}\p{N}\p{M}]/u.test(c));
      expect(isNumberChar(c), JSON.stringify(c)).to.equal(/\p{N}/u.test(c));
    }
  });

  it('isPageChrome answers as its patterns one by one', () => {
    expect(CHROME_PATTERNS.every((re) => re.flags === 'i'), 'every pattern is case-blind only, as the joined one').to.equal(true);
    const lines = ['Post a new comment', 'Anonymous comments are disabled in this journal', 'Up', 'reply', '12 comments', 'Comments (3)', 'Current Mood: tired',
      'mood: ok', '( 4 comments — Leave a comment )', '« Previous Entry | Share | Next Entry »', 'Tell a Friend', 'Posted by Ann at 9:02 PM', 'Home', 'Next post'];
    const pieces = [...lines, ' ', 'x', '•', '\uFFFD', '-', ':', 'post', 'up ', 'the end', '9:02', 'at'];
    const byPatterns = (line: string): boolean => CHROME_PATTERNS.some((re) => re.test(line.replace(/^[\s•·*\-–\uFFFD]+/, '').trim()));
    for (const l of lines) expect(isPageChrome(l), l).to.equal(true);
    fc.assert(fc.property(text(pieces, 4), (t) => {
      expect(isPageChrome(t), t).to.equal(byPatterns(t));
    }), { numRuns: 3000 });
  });
});
