import { expect } from 'chai';
import type { Block, Inline } from '../../src/model.js';
import { markAuthorNotes } from '../../src/read/author-notes.js';
import { para } from '../../src/read/story.js';
import { blockText } from '../../src/text.js';

const STORY = 'She poured the tea and waited for the storm to pass over the harbour.';

/** Blocks as a compact string: `p` for story paragraphs, `N(k)` for a note holding k blocks. */
function shape(blocks: Block[]): string {
  return blocks.map((b) => (b.kind === 'note' ? `N(${b.blocks.length})` : b.kind)).join(' ');
}

const CASES: [string, string[], string][] = [
  ['A/N at the top', ['A/N: For my sister.', STORY, STORY, STORY], 'N(1) p p p'],
  ['bracketed author\'s note mid-chapter', [STORY, STORY, "(Author's note: yes, that is a real lighthouse.)", STORY, STORY, STORY], 'p p N(1) p p p'],
  ['A/N without a colon before a capital', [STORY, STORY, STORY, 'A/N Thanks for reading!'], 'p p p N(1)'],
  ['a closing note takes the short tail with it', [STORY, STORY, STORY, STORY, 'Notes: written for the exchange.', 'Thanks to my beta.', 'Comments welcome.'], 'p p p p N(3)'],
  ['bare "Note:" at the edge only', ['Note: set after season two.', STORY, STORY, 'Note: back at five, it said.', STORY, STORY, STORY, STORY], 'N(1) p p p p p p p'],
  ['a story word that starts like a label is story', ['Another day began.', 'Notes were everywhere.', STORY, 'Annie: hello.'], 'p p p p'],
  ['"N/A" needs its colon', ['N/A answers nothing.', STORY, STORY], 'p p p'],
  ['a note at the top never swallows the story after it', ['A/N: short one.', STORY, STORY], 'N(1) p p'],
  ['Spanish and German labels', ['Nota de la autora: gracias.', STORY, STORY, STORY, 'Anmerkung der Autorin: danke.'], 'N(1) p p p N(1)'],
];

describe('author\'s notes in the story text', () => {
  for (const [name, texts, expected] of CASES) {
    it(name, () => {
      const blocks = texts.map(para);
      const r = markAuthorNotes(blocks);
      expect(shape(r.blocks)).to.equal(expected);
      // No word moves or goes: the text in order is the same.
      expect(r.blocks.map(blockText).join('\n')).to.equal(texts.join('\n'));
    });
  }
});

describe("author's notes: labels behind styling, space and other leaves", () => {
  const p = (...content: Inline[]): Block => ({ kind: 'p', content });
  const CASES_STYLED: [string, Block, boolean][] = [
    ['a label in bold after a line break and a note reference', p({ kind: 'br' }, { kind: 'noteref', id: 'n1' }, { kind: 'strong', content: [' ', { kind: 'em', content: ['\u00a0A/N:'] }] }, ' thanks'), true],
    ['a bracket in code, the label after it', p({ kind: 'code', text: ' (' }, "Author's note: yes.)"), true],
    ['a ruby base that starts a story word', p({ kind: 'ruby', base: 'Notebook', text: 'x' }, ': A/N'), false],
    ['a story word in italics', p({ kind: 'em', content: ['  Another'] }, ' day.'), false],
  ];
  for (const [name, block, note] of CASES_STYLED) {
    it(name, () => {
      expect(markAuthorNotes([block, para(STORY), para(STORY)]).found).to.equal(note ? 1 : 0);
    });
  }
});
