import { expect } from 'chai';
import { chapterHeading, isEndMark, isSceneBreakLine, linesToBody, paragraphMode } from '../../src/read/body.js';
import type { Block } from '../../src/model.js';
import { wrap } from '../helpers/wrap.js';

const kinds = (blocks: Block[]): string[] => blocks.map((b) => (b.kind === 'p' ? `p:${b.content.join('')}` : b.kind));

describe('body rules', () => {
  const breaks = ['***', '* * *', '----------------------------', 'o-o-o-o-o', '~~~', '###', '   * * *   ', 'x x x', '⁂', '. . .', '<><><>'];
  for (const b of breaks) it(`"${b}" is a scene break`, () => expect(isSceneBreakLine(b)).to.equal(true));
  const notBreaks = ['xxx', 'ooo', '...', 'Hello', '* note', '-- said he'];
  for (const b of notBreaks) it(`"${b}" is not a scene break`, () => expect(isSceneBreakLine(b)).to.equal(false));

  it('recognises chapter headings', () => {
    for (const h of ['Epilogue', 'Prologue', 'Chapter 3', 'Chapter Twelve: Home', 'Part 2/2', 'Part II', '## Chapter 4 ##']) expect(chapterHeading(h), h).to.be.a('string');
    for (const h of ['Part of me wanted to stay.', 'Chapter and verse, he said, and laughed at his own joke for a long time.', 'Epilogues are hard.']) expect(chapterHeading(h), h).to.equal(undefined);
  });

  it('recognises end marks', () => {
    for (const e of ['The End', 'the end.', '~Fin~', 'END', 'To be continued...', 'TBC']) expect(isEndMark(e), e).to.equal(true);
    for (const e of ['The end of the world came on a Tuesday.', 'Fine.']) expect(isEndMark(e), e).to.equal(false);
  });

  it('takes each line as a paragraph when lines are long', () => {
    const body = linesToBody(['A long first paragraph that goes on.', 'Second one.', '', 'Third one.']);
    expect(kinds(body.chapters[0]!.sections[0]!.blocks)).to.deep.equal(['p:A long first paragraph that goes on.', 'p:Second one.', 'p:Third one.']);
  });

  it('makes wide blank gaps scene breaks when single blank lines separate paragraphs', () => {
    const body = linesToBody(['One.', '', 'Two.', '', '', 'Three.', '', 'Four.']);
    expect(kinds(body.chapters[0]!.sections[0]!.blocks)).to.deep.equal(['p:One.', 'p:Two.', 'break', 'p:Three.', 'p:Four.']);
  });

  it('joins hard-wrapped lines and splits on blank lines or indentation', () => {
    const lines = [
      'The first paragraph is wrapped at a narrow column so that it',
      'runs over several lines of text that all belong together in',
      'one paragraph, as old mailing list posts used to be written.',
      '    An indented line starts the second paragraph, which is also',
      'wrapped across more than one line of the file for the test.',
      '',
      'And a blank line starts the third paragraph of the story here',
      'which ends on this line.',
    ];
    expect(paragraphMode(lines)).to.equal('wrapped');
    const ps = linesToBody(lines).chapters[0]!.sections[0]!.blocks;
    expect(ps).to.have.length(3);
    expect(kinds(ps)[0]).to.equal('p:The first paragraph is wrapped at a narrow column so that it runs over several lines of text that all belong together in one paragraph, as old mailing list posts used to be written.');
  });

  it('starts chapters at headings and keeps the end mark apart', () => {
    const body = linesToBody(['Text one.', '', 'Epilogue', '', 'Text two.', '', 'The End'], { firstChapterTitle: 'Part 1' });
    expect(body.chapters.map((c) => c.title)).to.deep.equal(['Part 1', 'Epilogue']);
    expect(kinds(body.end)).to.deep.equal(['p:The End']);
  });

  it('drops scene breaks at chapter edges and doubled breaks', () => {
    const body = linesToBody(['***', 'One.', '***', '* * *', 'Two.', '***']);
    expect(kinds(body.chapters[0]!.sections[0]!.blocks)).to.deep.equal(['p:One.', 'break', 'p:Two.']);
  });
});

describe('hard-wrapped text', () => {
  // Original dialogue-heavy prose: short speeches ending in ." beside long narrative paragraphs.
  const PARAS = [
    '"You\'re late," said Marguerite, without looking up from the ledger.',
    '"The ferry was late. I was merely on it."',
    'She turned a page. The lamp hissed, and somewhere below them the tide was knocking at the pilings the way it did every night, patient as a debt collector.',
    '"Sit down, then. You\'ll want to hear this before the others do."',
    '"Is it bad?"',
    '"It\'s numbers. Numbers are never bad. People are bad." She slid the ledger across the table so that he could see the column she had marked with a thumbnail. "Somebody has been paying for rope we never bought."',
    'He looked at it for a long while.',
    '"Rope."',
    '"Four hundred fathoms of it, over two winters. Enough to hang the whole harbour board, if anyone were minded to."',
    'Outside, a gull landed on the sill, considered them both with one yellow eye, and left again without comment.',
  ];

  const paragraphs = (lines: string[]): string[] => linesToBody(lines).chapters.flatMap((c) => c.sections.flatMap((s) => kinds(s.blocks)));
  const expected = PARAS.map((p) => `p:${p}`);

  for (const width of [60, 66, 72, 76, 80]) {
    for (const [style, make] of [
      ['tab indents, no blank lines', (p: string) => wrap(p, width, '\t')],
      ['space indents, no blank lines', (p: string) => wrap(p, width, '   ')],
      ['blank lines', (p: string) => [...wrap(p, width), '']],
    ] as [string, (p: string) => string[]][]) {
      it(`joins paragraphs wrapped at ${width} columns with ${style}`, () => {
        const lines = PARAS.flatMap(make);
        expect(paragraphMode(lines)).to.equal('wrapped');
        expect(paragraphs(lines)).to.deep.equal(expected);
      });
    }
  }

  it('joins a line ending in ." with the rest of its paragraph, and starts a new one at an indent after a short last line', () => {
    const lines = [
      '    "I think you know who signed for it," she said, and closed the book.',
      '"And I think you would rather tell me than the magistrate." She waited',
      'for him to answer, and when he did not, she poured the tea herself.',
      '    "Fine."',
      '    He took the cup. It was too hot to drink, so he held it, and watched',
      'the steam rise between them like a question neither wanted to ask.',
    ];
    expect(paragraphMode(lines)).to.equal('wrapped');
    expect(paragraphs(lines)).to.deep.equal([
      'p:"I think you know who signed for it," she said, and closed the book. "And I think you would rather tell me than the magistrate." She waited for him to answer, and when he did not, she poured the tea herself.',
      'p:"Fine."',
      'p:He took the cup. It was too hot to drink, so he held it, and watched the steam rise between them like a question neither wanted to ask.',
    ]);
  });

  it('finds paragraphs in wrapped text with neither blank lines nor indents by their short last lines', () => {
    const lines = PARAS.flatMap((p) => wrap(p, 72));
    expect(paragraphMode(lines)).to.equal('wrapped');
    const got = paragraphs(lines);
    // A paragraph whose last line is full cannot be told from its neighbour; all others can.
    expect(got.length).to.be.within(PARAS.length - 2, PARAS.length);
    for (const p of got) expect(expected.some((e) => e.includes(p.slice(2, 40)))).to.equal(true);
    expect(got).to.include('p:"Is it bad?"');
    expect(got).to.include('p:"Rope."');
  });

  it('does not take long one-line paragraphs with single newlines for wrapped text', () => {
    expect(paragraphMode(PARAS)).to.equal('line');
    expect(paragraphs(PARAS)).to.deep.equal(expected);
  });

  it('does not take short one-line paragraphs or verse for wrapped text', () => {
    const short = PARAS.filter((p) => p.length < 90);
    expect(paragraphMode(short)).to.equal('line');
    const verse = ['The tide goes out across the bar', 'And leaves the harbour bare,', 'The boats lie down upon their sides', 'With nothing in the air.', 'The tide comes back at evening', 'And lifts them one by one,', 'And no one thanks the water', 'For the work that it has done.'];
    expect(paragraphMode(verse)).to.equal('line');
  });

  it('reads centred scene breaks ("* * *", "###", "---") in wrapped text', () => {
    for (const mark of ['* * *', '###', '---']) {
      const lines = [...wrap(PARAS[2]!, 66, '  '), `                          ${mark}`, ...wrap(PARAS[5]!, 66, '  '), ...wrap(PARAS[8]!, 66, '  ')];
      expect(paragraphMode(lines), mark).to.equal('wrapped');
      expect(paragraphs(lines), mark).to.deep.equal([`p:${PARAS[2]}`, 'break', `p:${PARAS[5]}`, `p:${PARAS[8]}`]);
    }
  });

  it('keeps a centred line apart from the paragraph that follows it', () => {
    const lines = ['                    The Letter', ...wrap(PARAS[2]!, 66), ...wrap(PARAS[9]!, 66, '  ')];
    expect(paragraphs(lines)).to.deep.equal(['p:The Letter', `p:${PARAS[2]}`, `p:${PARAS[9]}`]);
  });
});

describe('ideographic spaces', () => {
  it('keeps a U+3000 inside a paragraph as text (it is not spacing to fold)', () => {
    const body = linesToBody(['「はい」\u3000と彼は言った。', '', '二行目です。']);
    expect(body.chapters[0]!.sections[0]!.blocks[0]).to.deep.equal({ kind: 'p', content: ['「はい」\u3000と彼は言った。'] });
  });
});
