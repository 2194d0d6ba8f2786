import { expect } from 'chai';
import fc from 'fast-check';
import type { Inline, Story } from '../../src/model.js';
import { inlineText } from '../../src/text.js';
import {
  applyEdits,
  closingQuoteAfterDash,
  closingQuoteHugsEllipsis,
  doubleQuotes,
  ellipses,
  emDashes,
  foldSpaces,
  singleQuotes,
  trimEnds,
  typesetInlines,
  typesetStory,
  typesetText,
  type TypographyRule,
} from '../../src/transform/typography.js';
import { charAt, isWhitespace } from '../../src/transform/chars.js';

/** Applies one rule to a plain string. */
function applyRule(rule: TypographyRule, text: string): string {
  return applyEdits([text], rule(text))[0]!;
}

/** The letters and digits of a text, in order. */
function wordChars(text: string): string {
  return (text.match(/[\p{L}\p{N}]/gu) ?? []).join('');
}

/** The text of an inline tree. */
function plain(content: Inline[]): string {
  return inlineText(content);
}

/** A small deterministic PRNG (mulberry32), so the big inputs are the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('typography', () => {
  describe('typesetText: [input, expected]', () => {
    const cases: [string, string][] = [
      // Double quotes.
      ['"Hello," he said.', '“Hello,” he said.'],
      ['He said, "Go away."', 'He said, “Go away.”'],
      ['("Maybe")', '(“Maybe”)'],
      ['A "scare-quoted" word', 'A “scare-quoted” word'],
      ['She shouted--"Stop!"', 'She shouted—“Stop!”'],
      // Single quotes and apostrophes.
      ["don't", 'don’t'],
      ["Lex's car", 'Lex’s car'],
      ["back in the '90s", 'back in the ’90s'],
      ["rock 'n' roll", 'rock ’n’ roll'],
      ["'Hello,' she said.", '‘Hello,’ she said.'],
      ['"\'Tis late," he said.', '“’Tis late,” he said.'],
      ["\"She said 'no' twice.\"", '“She said ‘no’ twice.”'],
      ["\"He said 'no'\"", '“He said ‘no’”'],
      ["the boys' room", 'the boys’ room'],
      ["goin' home", 'goin’ home'],
      ["'em all", '’em all'],
      ["l'été", 'l’été'],
      // Dashes.
      ['wait -- what', 'wait—what'],
      ['wait--what', 'wait—what'],
      ['ages ago---a lifetime', 'ages ago—a lifetime'],
      ['Your--  Lex', 'Your—Lex'],
      ['a well-known fact', 'a well-known fact'],
      ['left - right', 'left - right'],
      ['----------', '----------'],
      ['a --> b', 'a --> b'],
      // Dash then a wrong-way opening quote: a closing quote.
      ['“That -- “ Clark said', '“That—” Clark said'],
      ['“But -- “', '“But—”'],
      ['"That -- " Clark said', '“That—” Clark said'],
      ['"But --"', '“But—”'],
      ['"I just -- It just -- " He stopped.', '“I just—It just—” He stopped.'],
      // Ellipses.
      ['Well...', 'Well…'],
      ['and the next . . . You had', 'and the next … You had'],
      ['wait . . .', 'wait …'],
      ['I. . . no', 'I… no'],
      ['It ended. . . .', 'It ended….'],
      ['"Lex ... " Clark said', '“Lex …” Clark said'],
      ['"If I were you ... "', '“If I were you …”'],
      ['"I\'m ... I\'m sorry," he said.', '“I’m … I’m sorry,” he said.'],
      ['J. R. R. Tolkien', 'J. R. R. Tolkien'],
      // Spaces.
      ['two  spaces,\tone tab', 'two spaces, one tab'],
      ['  indented and trailing \u00a0', 'indented and trailing'],
      ['a\u00a0\u00a0b', 'a b'],
      ['Mr.\u00a0Kent', 'Mr.\u00a0Kent'],
      ['hard\nwrapped', 'hard wrapped'],
      // Already curly: kept.
      ['“Hello,” he said. ‘Fine.’', '“Hello,” he said. ‘Fine.’'],
      ['don’t', 'don’t'],
      // Nothing to do.
      ['', ''],
      ['Plain words only', 'Plain words only'],
    ];
    for (const [input, expected] of cases) {
      it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
        expect(typesetText(input)).to.equal(expected);
      });
    }
  });

  describe('each rule on its own: [input, expected]', () => {
    const cases: [TypographyRule, string, string][] = [
      [foldSpaces, 'a  b\t\tc', 'a b c'],
      [foldSpaces, 'a\tb', 'a b'],
      [emDashes, 'a -- b', 'a—b'],
      [emDashes, 'a ---- b', 'a ---- b'],
      [emDashes, 'a -- -- b', 'a——b'],
      [ellipses, 'a.... b', 'a…. b'],
      [ellipses, 'a.. b', 'a.. b'],
      [doubleQuotes, '"a"', '“a”'],
      [doubleQuotes, '" a', '” a'],
      [singleQuotes, "'a'", '‘a’'],
      [closingQuoteAfterDash, 'x— “ y', 'x—” y'],
      [closingQuoteAfterDash, 'x—“y', 'x—“y'],
      [closingQuoteHugsEllipsis, 'a … ” b', 'a …” b'],
      [closingQuoteHugsEllipsis, 'a … ’em', 'a … ’em'],
      [trimEnds, '  a  ', 'a'],
      [trimEnds, '   ', ''],
    ];
    for (const [rule, input, expected] of cases) {
      it(`${rule.name}: ${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
        expect(applyRule(rule, input)).to.equal(expected);
      });
    }
  });

  describe('applyEdits', () => {
    it('maps an edit spanning pieces onto the piece it starts in', () => {
      expect(applyEdits(['ab ', ' cd'], [{ start: 2, end: 4, replacement: ' ' }])).to.deep.equal(['ab ', 'cd']);
    });
    it('keeps the number of pieces, even empty ones', () => {
      expect(applyEdits(['', 'a', ''], [{ start: 0, end: 1, replacement: 'b' }])).to.deep.equal(['', 'b', '']);
    });
    it('puts an insertion at the very end into the last piece', () => {
      expect(applyEdits(['a', 'b'], [{ start: 2, end: 2, replacement: '!' }])).to.deep.equal(['a', 'b!']);
    });
  });

  describe('typesetInlines across emphasis boundaries', () => {
    const cases: [Inline[], Inline[]][] = [
      // The quote before an em opens; the one after it closes.
      [['He said, "', { kind: 'em', content: ['Stop'] }, '" quietly.'], ['He said, “', { kind: 'em', content: ['Stop'] }, '” quietly.']],
      // An em ending with a quote.
      [[{ kind: 'em', content: ['"Go'] }, '" now'], [{ kind: 'em', content: ['“Go'] }, '” now']],
      // An apostrophe after an em.
      [[{ kind: 'em', content: ['Lex'] }, "'s"], [{ kind: 'em', content: ['Lex'] }, '’s']],
      // Spaces folded across a boundary; an em left empty is dropped.
      [['a ', { kind: 'em', content: ['  '] }, ' b'], ['a ', 'b']],
      // Trimming reaches inside emphasis at the ends.
      [[{ kind: 'strong', content: ['  Bold '] }, ' text  '], [{ kind: 'strong', content: ['Bold '] }, 'text']],
      // Dashes across a boundary.
      [['wait -', '- what'], ['wait—', 'what']],
    ];
    for (const [input, expected] of cases) {
      it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
        expect(typesetInlines(input)).to.deep.equal(expected);
      });
    }
    it('does not mutate its input', () => {
      const input: Inline[] = ['"a ', { kind: 'em', content: ['b"'] }];
      const copy = structuredClone(input);
      typesetInlines(input);
      expect(input).to.deep.equal(copy);
    });
  });

  describe('languages', () => {
    it('only folds and trims spaces for Japanese', () => {
      expect(typesetInlines(['  「こんにちは」  "x" -- ... '], 'ja')).to.deep.equal(['「こんにちは」 "x" -- ...']);
    });
    it('treats zh-Hant and ko-KR as CJK', () => {
      expect(typesetInlines(['"a"'], 'zh-Hant')).to.deep.equal(['"a"']);
      expect(typesetInlines(['"a"'], 'ko-KR')).to.deep.equal(['"a"']);
    });
    it('uses the full rules for en-GB and when no language is given', () => {
      expect(typesetInlines(['"a"'], 'en-GB')).to.deep.equal(['“a”']);
      expect(typesetInlines(['"a"'])).to.deep.equal(['“a”']);
    });
  });

  describe('typesetStory', () => {
    const story = (language?: string): Story => ({
      meta: {
        title: '"Title"',
        authors: ['A'],
        fandoms: [],
        relationships: [],
        characters: [],
        warnings: [],
        category: [],
        tags: [],
        extra: {},
        summary: [{ kind: 'p', content: ['"Sum"'] }],
        notes: [{ kind: 'p', content: ["it's"] }],
        endNotes: [{ kind: 'p', content: ['end...'] }],
        ...(language === undefined ? {} : { language }),
      },
      front: [{ kind: 'quote', blocks: [{ kind: 'p', content: ['"Epigraph"'] }] }],
      chapters: [
        {
          title: "Lex's Day",
          sections: [
            { voice: 'Lex', blocks: [{ kind: 'p', content: ['"Hi," he said.'], align: 'center' }, { kind: 'break' }] },
            { blocks: [{ kind: 'heading', content: ['A -- B'] }, { kind: 'verse', lines: [['  "Line"  '], ["don't"]] }] },
          ],
          notes: [{ kind: 'p', content: ['note--'] }],
        },
      ],
      end: [{ kind: 'p', content: ['"The End"'] }],
      source: { path: 'x.txt', format: 'text', score: 1, encoding: 'utf-8' },
    });

    it('typesets every block of story text, notes and summaries, and chapter titles', () => {
      const out = typesetStory(story());
      expect(out.meta.title).to.equal('"Title"');
      expect(out.meta.summary).to.deep.equal([{ kind: 'p', content: ['“Sum”'] }]);
      expect(out.meta.notes).to.deep.equal([{ kind: 'p', content: ['it’s'] }]);
      expect(out.meta.endNotes).to.deep.equal([{ kind: 'p', content: ['end…'] }]);
      expect(out.front).to.deep.equal([{ kind: 'quote', blocks: [{ kind: 'p', content: ['“Epigraph”'] }] }]);
      const chapter = out.chapters[0]!;
      expect(chapter.title).to.equal('Lex’s Day');
      expect(chapter.sections).to.deep.equal([
        { voice: 'Lex', blocks: [{ kind: 'p', content: ['“Hi,” he said.'], align: 'center' }, { kind: 'break' }] },
        { blocks: [{ kind: 'heading', content: ['A—B'] }, { kind: 'verse', lines: [['“Line”'], ['don’t']] }] },
      ]);
      expect(chapter.notes).to.deep.equal([{ kind: 'p', content: ['note—'] }]);
      expect(chapter).not.to.have.property('summary');
      expect(out.end).to.deep.equal([{ kind: 'p', content: ['“The End”'] }]);
    });

    it('does not mutate the story', () => {
      const input = story();
      const copy = structuredClone(input);
      typesetStory(input);
      expect(input).to.deep.equal(copy);
    });

    it('uses meta.language: Japanese only has its spaces tidied', () => {
      const out = typesetStory(story('ja'));
      expect(out.meta.summary).to.deep.equal([{ kind: 'p', content: ['"Sum"'] }]);
      expect(out.chapters[0]!.sections[1]!.blocks[1]).to.deep.equal({ kind: 'verse', lines: [['"Line"'], ["don't"]] });
    });
  });

  describe('properties', () => {
    const alphabet = ['a', 'B', 'é', '7', ' ', '  ', '\t', '\r', '\u00a0', '"', "'", '“', '”', '‘', '’', '-', '--', '.', '...', '. . .', ',', '(', '—', '\n', 'n', 's', '9'];
    const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }).map((parts) => parts.join(''));
    const inline: fc.Arbitrary<Inline> = fc.oneof(
      text,
      text.map((t): Inline => ({ kind: 'em', content: [t] })),
      fc.tuple(text, text).map(([a, b]): Inline => ({ kind: 'strong', content: [a, { kind: 'em', content: [b] }] })),
    );

    it('never changes, adds or removes a letter or digit', () => {
      fc.assert(
        fc.property(fc.array(inline, { maxLength: 6 }), (content) => {
          expect(wordChars(plain(typesetInlines(content)))).to.equal(wordChars(plain(content)));
        }),
        { numRuns: 2000 },
      );
    });

    it('keeps the number of quotation marks (straight or curly)', () => {
      const quotes = (s: string): number => (s.match(/["'“”‘’]/g) ?? []).length;
      fc.assert(
        fc.property(text, (t) => {
          expect(quotes(typesetText(t))).to.equal(quotes(t));
        }),
        { numRuns: 2000 },
      );
    });

    // Reference forms of the rules that find their characters with indexOf or a regular
    // expression: a plain scan over every character, as the rules were first written.
    const lineSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\u00a0';
    const foldable = (c: string | undefined): boolean => lineSpace(c) || c === '\n' || c === '\r';
    const reference: Record<string, TypographyRule> = {
      foldSpaces: (t) => {
        const edits = [];
        for (let i = 0; i < t.length; i++) {
          if (!foldable(t[i])) continue;
          let end = i + 1;
          while (end < t.length && foldable(t[end])) end++;
          if (end - i > 1 || !(t[i] === ' ' || t[i] === '\u00a0')) edits.push({ start: i, end, replacement: ' ' });
          i = end - 1;
        }
        return edits;
      },
      emDashes: (t) => {
        const edits = [];
        let lastEnd = 0;
        for (let i = 0; i < t.length; i++) {
          if (t[i] !== '-') continue;
          let end = i + 1;
          while (end < t.length && t[end] === '-') end++;
          if ((end - i === 2 || end - i === 3) && t[i - 1] !== '<' && t[end] !== '>') {
            let start = i;
            while (start > lastEnd && lineSpace(t[start - 1])) start--;
            let stop = end;
            while (stop < t.length && lineSpace(t[stop])) stop++;
            edits.push({ start, end: stop, replacement: '—' });
            lastEnd = stop;
          }
          i = end - 1;
        }
        return edits;
      },
      closingQuoteAfterDash: (t) => {
        const edits = [];
        let lastEnd = 0;
        for (let i = 0; i < t.length; i++) {
          if (t[i] !== '“' && t[i] !== '"') continue;
          if (i + 1 < t.length && !isWhitespace(charAt(t, i + 1))) continue;
          let start = i;
          while (start > lastEnd && lineSpace(t[start - 1])) start--;
          if (start === 0 || !'-–—―‒'.includes(t[start - 1]!)) continue;
          edits.push({ start, end: i + 1, replacement: '”' });
          lastEnd = i + 1;
        }
        return edits;
      },
      closingQuoteHugsEllipsis: (t) => {
        const edits = [];
        for (let i = 1; i < t.length; i++) {
          if ((t[i] !== '”' && t[i] !== '’') || !lineSpace(t[i - 1])) continue;
          if (i + 1 < t.length && !isWhitespace(charAt(t, i + 1))) continue;
          let start = i - 1;
          while (start > 0 && lineSpace(t[start - 1])) start--;
          if (start > 0 && t[start - 1] === '…') edits.push({ start, end: i, replacement: '' });
        }
        return edits;
      },
    };
    const rules: Record<string, TypographyRule> = { foldSpaces, emDashes, closingQuoteAfterDash, closingQuoteHugsEllipsis };

    it('makes exactly the edits of a plain character-by-character scan', () => {
      for (const [name, rule] of Object.entries(rules)) {
        fc.assert(
          fc.property(fc.oneof(text, text.map((t) => typesetText(t))), (t) => {
            expect(rule(t), `${name} on ${JSON.stringify(t)}`).to.deep.equal(reference[name]!(t));
          }),
          { numRuns: 3000 },
        );
      }
    });

    it('is idempotent on its own output', () => {
      fc.assert(
        fc.property(text, (t) => {
          const once = typesetText(t);
          expect(typesetText(once)).to.equal(once);
        }),
        { numRuns: 2000 },
      );
    });
  });

  describe('large inputs', () => {
    it('completes on 1 MB of quotes, dashes, dots and spaces, keeping every letter', () => {
      const next = random(42);
      const pieces = ['a', 'b', ' ', ' ', '"', "'", '-', '.', '“', '\t', 'Z'];
      let input = '';
      for (let i = 0; i < 1 << 20; i++) input += pieces[Math.floor(next() * pieces.length)];
      const out = typesetText(input);
      expect(wordChars(out)).to.equal(wordChars(input));
    });

    it('completes on 1 MB split across many emphasis nodes', () => {
      const chunk = '"It\'s -- " he said . . . ';
      const content: Inline[] = [];
      for (let size = 0; size < 1 << 20; size += chunk.length * 2) content.push(chunk, { kind: 'em', content: [chunk] });
      const out = typesetInlines(content);
      expect(wordChars(plain(out))).to.equal(wordChars(plain(content)));
    });
  });
});
