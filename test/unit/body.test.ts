import { expect } from 'chai';
import { chapterHeading, isEndMark, isSceneBreakLine, linesToBody, paragraphMode } from '../../src/read/body.js';
import type { Block } from '../../src/model.js';

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
