import { expect } from 'chai';
import fc from 'fast-check';
import type { Inline, Story } from '../../src/model.js';
import { hasInlines, inlineText } from '../../src/text.js';
import { canClose, canOpen, emphasisStory, parseEmphasis } from '../../src/transform/emphasis.js';
import { transformStory, type TransformReport } from '../../src/transform/index.js';
import { typesetStory } from '../../src/transform/typography.js';
import { defaultOptions } from '../../src/options.js';

const em = (...content: Inline[]): Inline => ({ kind: 'em', content });
const strong = (...content: Inline[]): Inline => ({ kind: 'strong', content });

/** The text of an inline tree. */
function plain(content: Inline[]): string {
  return inlineText(content);
}

/** How many emphasis nodes a tree holds. */
function countNodes(content: Inline[]): number {
  return content.reduce<number>((n, item) => (hasInlines(item) ? n + 1 + countNodes(item.content) : n), 0);
}

/** Whether `output` is `input` with only marker characters deleted; returns how many were. */
function deletedMarkers(input: string, output: string): number | undefined {
  let j = 0;
  let deleted = 0;
  for (let i = 0; i < input.length; i++) {
    if (j < output.length && input[i] === output[j]) j++;
    else if ('*_/'.includes(input[i]!)) deleted++;
    else return undefined;
  }
  return j === output.length ? deleted : undefined;
}

/** A small deterministic PRNG (mulberry32), so the big input is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('emphasis', () => {
  describe('parseEmphasis on one string: [input, expected]', () => {
    const cases: [string, Inline[]][] = [
      // The three italic spellings and two bold ones.
      ['I had *been* there.', ['I had ', em('been'), ' there.']],
      ['It was _very_ late.', ['It was ', em('very'), ' late.']],
      ['//Thank you. It was lovely.//', [em('Thank you. It was lovely.')]],
      ['She **shouted** it.', ['She ', strong('shouted'), ' it.']],
      ['A __bold__ move.', ['A ', strong('bold'), ' move.']],
      // Several words, punctuation after the closer, quotes and brackets before the opener.
      ['*not at all*, he said', [em('not at all'), ', he said']],
      ['"*Run*," she said.', ['"', em('Run'), '," she said.']],
      ['(//aside//)', ['(', em('aside'), ')']],
      ['*one* and *two*', [em('one'), ' and ', em('two')]],
      ['_*both*_', [em(em('both'))]],
      ['**bold with *italic* inside**', [strong('bold with ', em('italic'), ' inside')]],
      ['*Lex*’s car', [em('Lex'), '’s car']],
      // Left alone.
      ['snake_case', ['snake_case']],
      ['file_name_here', ['file_name_here']],
      ['2*3*4', ['2*3*4']],
      ['see http://example.com/a//b now', ['see http://example.com/a//b now']],
      ['a // b // c', ['a // b // c']],
      ['*', ['*']],
      ['a * b * c', ['a * b * c']],
      ['* * *', ['* * *']],
      ['*~*~*', ['*~*~*']],
      ['***', ['***']],
      ['*unclosed and _also', ['*unclosed and _also']],
      ['*been*s', ['*been*s']],
      // Unmatched or crossing markers stay text.
      ['I *really* do *', ['I ', em('really'), ' do *']],
      ['*a _b* c_', [em('a _b'), ' c_']],
      ['**half*', ['**half*']],
    ];
    for (const [input, expected] of cases) {
      it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
        expect(parseEmphasis([input])).to.deep.equal(expected);
      });
    }
  });

  describe('rules', () => {
    const opens: [string, string, boolean][] = [
      ['', 'a', true],
      [' ', 'a', true],
      ['(', 'a', true],
      ['“', 'a', true],
      ['e', 'c', false],
      [':', 'e', false],
      [' ', ' ', false],
    ];
    for (const [before, after, expected] of opens) {
      it(`canOpen(${JSON.stringify(before)}, ${JSON.stringify(after)}) is ${expected}`, () => {
        expect(canOpen(before, after)).to.equal(expected);
      });
    }
    const closes: [string, string, boolean][] = [
      ['a', '', true],
      ['a', ' ', true],
      ['.', '', true],
      ['a', ',', true],
      ['a', 'b', false],
      [' ', '', false],
    ];
    for (const [before, after, expected] of closes) {
      it(`canClose(${JSON.stringify(before)}, ${JSON.stringify(after)}) is ${expected}`, () => {
        expect(canClose(before, after)).to.equal(expected);
      });
    }
  });

  describe('parseEmphasis on inline trees', () => {
    const cases: [Inline[], Inline[]][] = [
      // Markers inside existing emphasis are parsed too.
      [[em('a *b* c')], [em('a ', em('b'), ' c')]],
      // Neighbouring inlines are context: a word char before the marker stops it opening.
      [[em('word'), '*not* this'], [em('word'), '*not* this']],
      // (Adjacent strings come out merged.)
      [['Lex', '_said_'], ['Lex_said_']],
      // Markers never pair across an emphasis node.
      [['*a ', em('b'), ' c*'], ['*a ', em('b'), ' c*']],
    ];
    for (const [input, expected] of cases) {
      it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
        expect(parseEmphasis(input)).to.deep.equal(expected);
      });
    }
    it('does not mutate its input', () => {
      const input: Inline[] = ['*a*', em('_b_')];
      const copy = structuredClone(input);
      parseEmphasis(input);
      expect(input).to.deep.equal(copy);
    });
  });

  describe('emphasisStory', () => {
    const story = (): Story => ({
      meta: {
        title: '*Title*',
        authors: ['A'],
        fandoms: [],
        relationships: [],
        characters: [],
        warnings: [],
        category: [],
        tags: [],
        extra: {},
        summary: [{ kind: 'p', content: ['*sum*'] }],
        notes: [{ kind: 'p', content: ['_note_'] }],
        endNotes: [{ kind: 'p', content: ['//end//'] }],
      },
      front: [{ kind: 'quote', blocks: [{ kind: 'p', content: ['*epigraph*'] }] }],
      chapters: [
        {
          title: '*Chapter*',
          sections: [
            { voice: 'Lex', blocks: [{ kind: 'p', content: ['a *b*'], align: 'center' }, { kind: 'break' }] },
            { blocks: [{ kind: 'heading', content: ['**H**'] }, { kind: 'verse', lines: [['*x*'], ['y']] }] },
          ],
          summary: [{ kind: 'p', content: ['*cs*'] }],
          endNotes: [{ kind: 'p', content: ['*ce*'] }],
        },
      ],
      end: [{ kind: 'p', content: ['*The End*'] }],
      source: { path: 'x.txt', format: 'text', score: 1, encoding: 'utf-8' },
    });

    it('parses every paragraph, heading, verse line, quote, note and summary', () => {
      const out = emphasisStory(story());
      expect(out.meta.title).to.equal('*Title*');
      expect(out.meta.summary).to.deep.equal([{ kind: 'p', content: [em('sum')] }]);
      expect(out.meta.notes).to.deep.equal([{ kind: 'p', content: [em('note')] }]);
      expect(out.meta.endNotes).to.deep.equal([{ kind: 'p', content: [em('end')] }]);
      expect(out.front).to.deep.equal([{ kind: 'quote', blocks: [{ kind: 'p', content: [em('epigraph')] }] }]);
      expect(out.chapters).to.deep.equal([
        {
          title: '*Chapter*',
          sections: [
            { voice: 'Lex', blocks: [{ kind: 'p', content: ['a ', em('b')], align: 'center' }, { kind: 'break' }] },
            { blocks: [{ kind: 'heading', content: [strong('H')] }, { kind: 'verse', lines: [[em('x')], ['y']] }] },
          ],
          summary: [{ kind: 'p', content: [em('cs')] }],
          endNotes: [{ kind: 'p', content: [em('ce')] }],
        },
      ]);
      expect(out.end).to.deep.equal([{ kind: 'p', content: [em('The End')] }]);
    });

    it('in one walk with typography, the same story (and the same fid-009 tally) as the two passes one after the other', () => {
      const input = story();
      input.chapters[0]!.sections[1]!.blocks.push({ kind: 'p', content: ['"*sigh -- so', em(' it \'goes\'... '), '"'] }, { kind: 'table', caption: ['"cap"'], rows: [[{ header: false, content: ['*c* "d"'] }]] });
      const told = (): { lost: unknown[]; report: TransformReport } => {
        const lost: unknown[] = [];
        return { lost, report: { message: () => undefined, info: () => undefined, lose: (...a: unknown[]) => void lost.push(a) } };
      };
      const one = told();
      const two = told();
      const walked = transformStory(input, { ...defaultOptions(), typography: true }, { inlineMarkers: true }, one.report);
      expect(walked).to.deep.equal(typesetStory(emphasisStory(input, two.report)));
      expect(one.lost).to.deep.equal(two.lost).and.to.have.length(1);
      expect(walked.chapters[0]!.title).to.equal('*Chapter*');
    });

    it('returns a new story and does not mutate the input', () => {
      const input = story();
      const copy = structuredClone(input);
      const out = emphasisStory(input);
      expect(input).to.deep.equal(copy);
      expect(out).not.to.equal(input);
      expect(out.chapters[0]).not.to.equal(input.chapters[0]);
    });

    describe('markers with no closing mark (fid-009)', () => {
      /** The unpaired markers `parseEmphasis` tells of in one paragraph, as the text from each. */
      const unpaired = (text: string): string[] => {
        const seen: string[] = [];
        parseEmphasis([text], (t, start) => seen.push(t.slice(start)));
        return seen;
      };

      it('tells of a marker that opens a word and finds no closing mark', () => {
        expect(unpaired('She *sighed and went on.')).to.deep.equal(['*sighed and went on.']);
        expect(unpaired('_maybe not, he said')).to.deep.equal(['_maybe not, he said']);
        expect(unpaired('//Dear diary,')).to.deep.equal(['//Dear diary,']);
        // An opener left behind by a later pair is as unpaired as one at the end.
        expect(unpaired('*a _b_ c')).to.deep.equal(['*a _b_ c']);
      });

      it('says nothing of pairs, decoration, arithmetic, names, addresses or a lone star', () => {
        for (const text of ['a *b* c', '**bold** and __bold__', '*~*~*', '2*3*4', 'snake_case_name', 'http://example.com', 'a // b', 'footnote* here', '* * *', 'x *', '*!*']) {
          expect(unpaired(text), text).to.deep.equal([]);
        }
      });

      it('counts them in the report over the whole story, with short examples, and leaves the text as it was', () => {
        const s = story();
        s.chapters[0]!.sections[1]!.blocks.push({ kind: 'p', content: ['*The rain kept on against the glass all night long'] }, { kind: 'p', content: ['all night.*'] });
        s.meta.summary = [{ kind: 'p', content: ['_sum'] }];
        const lost: [string, number | undefined, string | undefined][] = [];
        const out = emphasisStory(s, { lose: (code, n, example) => void lost.push([code, n, example]) });
        expect(lost).to.deep.equal([
          ['fid-009', 1, '"_sum"'],
          ['fid-009', 1, '"*The rain kept on against…"'],
        ]);
        expect(out).to.deep.equal(emphasisStory(s), 'the report changes nothing in the story');
      });
    });
  });

  describe('text is kept', () => {
    it('output text is the input minus the consumed markers (exact)', () => {
      const input = 'x *a* _b_ **c** __d__ //e// snake_case 2*3 *';
      const out = parseEmphasis([input]);
      expect(plain(out)).to.equal('x a b c d e snake_case 2*3 *');
      expect(deletedMarkers(input, plain(out))).to.equal(2 + 2 + 4 + 4 + 4);
    });

    it('only ever deletes marker characters, two to four per emphasis node (property)', () => {
      const piece = fc.constantFrom('a', 'b', ' ', '*', '**', '_', '__', '/', '//', '.', '"', '(', '1');
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
          const input = parts.join('');
          const out = parseEmphasis([input]);
          const deleted = deletedMarkers(input, plain(out));
          const nodes = countNodes(out);
          expect(deleted).to.be.a('number');
          expect(deleted).to.be.within(2 * nodes, 4 * nodes);
        }),
        { numRuns: 3000 },
      );
    });
  });

  describe('large inputs', () => {
    it('completes on 1 MB of random *, _, /, letters and spaces; only markers are removed', () => {
      const next = random(7);
      const pieces = ['*', '_', '/', 'a', 'b', 'c', ' ', ' '];
      let input = '';
      for (let i = 0; i < 1 << 20; i++) input += pieces[Math.floor(next() * pieces.length)];
      const out = parseEmphasis([input]);
      const text = plain(out);
      const deleted = deletedMarkers(input, text);
      expect(deleted).to.be.a('number');
      expect(text.length).to.equal(input.length - deleted!);
      const nodes = countNodes(out);
      expect(nodes).to.be.greaterThan(0);
      expect(deleted).to.be.within(2 * nodes, 4 * nodes);
    });

    it('completes on 1 MB of openers that never close', () => {
      const input = ' *a _b //c **d __e'.repeat(1 << 16);
      expect(plain(parseEmphasis([input]))).to.equal(input);
    });
  });
});
