import { expect } from 'chai';
import type { Block } from '../../src/model.js';
import { isSceneBreakLine, linesToBody, sceneBreakGap, sourceLines } from '../../src/read/body.js';
import { decodeEntities } from '../../src/read/decode.js';
import { parseByline, parseHeaderLine, partMarkerLine, sameTitle, splitPartMarker, titleAndByline } from '../../src/read/header.js';
import { emptyMeta } from '../../src/read/story.js';
import { findVoices, readTextStory, scanHeader, type HeaderItem } from '../../src/read/structure.js';

const kinds = (blocks: Block[]): string[] => blocks.map((b) => (b.kind === 'p' ? `p:${b.content.join('')}` : b.kind));
const body = (lines: string[]): string[] => linesToBody(lines).chapters.flatMap((c) => c.sections.flatMap((s) => kinds(s.blocks)));
/** Paragraphs "A".."F" separated by `seps` (blank-line counts, or a separator line). */
const spaced = (seps: (number | string)[]): string[] => {
  const out = ['Alpha one.'];
  seps.forEach((s, i) => {
    if (typeof s === 'number') out.push(...Array<string>(s).fill(''));
    else out.push('', s, '');
    out.push(`Para ${i + 2}.`);
  });
  return out;
};

describe('structure: scene breaks judged against the text\'s own spacing', () => {
  const gapTable: [string, number[], number][] = [
    ['single blank lines between paragraphs: two are a break', [1, 1, 1, 2, 1, 1], 2],
    ['double blank lines between paragraphs: only three or more are a break', [2, 2, 2, 3, 2, 2], 3],
    ['one paragraph a line: a lone blank line is not a break, two are', [0, 0, 0, 1, 0, 0, 2], 2],
    ['triple spacing throughout: four are a break', [3, 3, 3, 3, 4], 4],
    ['spacing too mixed to judge: no blank-line breaks', [1, 2, 1, 2, 1, 2], Infinity],
    ['no gaps at all', [], Infinity],
    ['three paragraphs, one gap wider: the narrower is the usual one', [1, 2], 2],
  ];
  for (const [name, gaps, want] of gapTable) it(`sceneBreakGap: ${name}`, () => expect(sceneBreakGap(gaps)).to.equal(want));

  const bodyTable: [string, (number | string)[], string[]][] = [
    ['a double blank line in a single-spaced text is a break', [1, 1, 2, 1, 1], ['p', 'p', 'p', 'break', 'p', 'p', 'p']],
    ['a double blank line in a double-spaced text is not', [2, 2, 2, 2, 2], ['p', 'p', 'p', 'p', 'p', 'p']],
    ['a triple blank line in a double-spaced text is', [2, 2, 3, 2, 2], ['p', 'p', 'p', 'break', 'p', 'p', 'p']],
    ['an empty spacer line alone is never a break', [0, 0, 1, 0, 0], ['p', 'p', 'p', 'p', 'p', 'p']],
    ['"* * *" is a break whatever the spacing', [1, '* * *', 1, 1, 1], ['p', 'p', 'break', 'p', 'p', 'p', 'p']],
    ['"~~~" is a break', [2, 2, '~~~', 2, 2], ['p', 'p', 'p', 'break', 'p', 'p', 'p']],
    ['"o0o" is a break', [1, 'o0o', 1, 1, 1], ['p', 'p', 'break', 'p', 'p', 'p', 'p']],
    ['"———" is a break', [1, 1, '———', 1, 1], ['p', 'p', 'p', 'break', 'p', 'p', 'p']],
    ['a centred "#" is a break', [1, 1, '                    #', 1, 1], ['p', 'p', 'p', 'break', 'p', 'p', 'p']],
  ];
  for (const [name, seps, want] of bodyTable) {
    it(name, () => expect(body(spaced(seps)).map((k) => k.replace(/:.*/, ''))).to.deep.equal(want));
  }

  const separators: [string, boolean][] = [
    ['o0o', true], ['-o0o-', true], ['O0O', true], ['#', true], ['        #', true], ['———', true], ['~~~', true],
    ['000', false], ['oOo', false], ['Oh.', false], ['#1', false],
  ];
  for (const [line, want] of separators) it(`"${line}" ${want ? 'is' : 'is not'} a separator line`, () => expect(isSceneBreakLine(line)).to.equal(want));
});

describe('structure: title blocks at the top of plain text', () => {
  const table: [string, string[], { title?: string; authors: string[] }][] = [
    ['a centred title', ['                     The Fog Lifts', '', 'The gulls had been arguing since dawn, and nobody could sleep', 'through it, not even the dog.'], { title: 'The Fog Lifts', authors: [] }],
    ['a title deep-indented with tabs over one-line paragraphs', ['\t\t\tThe Fog Lifts', '', 'The gulls had been arguing since dawn.', 'Nobody slept.'], { title: 'The Fog Lifts', authors: [] }],
    ['Title / by Author', ['The Fog Lifts', 'by Maren Holt', '', 'Text.'], { title: 'The Fog Lifts', authors: ['Maren Holt'] }],
    ['Title / by / Author on three lines', ['The Fog Lifts', 'by', 'Maren Holt', '', 'Text.'], { title: 'The Fog Lifts', authors: ['Maren Holt'] }],
    ['TITLE, blank, by, blank, Author', ['THE FOG LIFTS', '', 'by', '', 'Maren Holt', '', 'Text.'], { title: 'THE FOG LIFTS', authors: ['Maren Holt'] }],
    ['a question for a title over a byline', ['Who Keeps the Light?', 'by Maren Holt', '', 'Text.'], { title: 'Who Keeps the Light?', authors: ['Maren Holt'] }],
    ['"written by:" with an initial', ['The Fog Lifts', 'Written by: M. Holt', '', 'Text.'], { title: 'The Fog Lifts', authors: ['M. Holt'] }],
  ];
  for (const [name, lines, want] of table) {
    it(name, () => {
      const got = titleAndByline(lines);
      expect({ title: got.title, authors: got.authors }).to.deep.equal({ title: want.title, authors: want.authors });
    });
  }
  const none: [string, string[]][] = [
    ['a story that opens with "By the time"', ['By the time she arrived, the lamps were lit.', 'She sat down.']],
    ['an indented first line of a wrapped paragraph', ['\tNobody in the village could agree on where the river began. The', 'miller said the hills, and the priest said the spring behind the', 'chapel.']],
    ['a sentence over "by the sea"', ['It was a dark night.', 'by the sea']],
  ];
  for (const [name, lines] of none) it(`takes nothing from ${name}`, () => expect(titleAndByline(lines)).to.deep.equal({ authors: [], next: 0 }));
  it('reads bylines, not sentences', () => {
    expect(parseByline('by Ann Bell and Jo Orr')).to.deep.equal(['Ann Bell', 'Jo Orr']);
    expect(parseByline('By the time we left, it was dark.')).to.equal(undefined);
    expect(parseByline('by noon')).to.equal(undefined);
  });
});

describe('structure: part markers and titles', () => {
  const table: [string, ReturnType<typeof splitPartMarker>][] = [
    ['One Step Behind Part 2/2', { title: 'One Step Behind', part: { index: 2, total: 2 } }],
    ['The Long Road (2/3): The Crossing', { title: 'The Long Road', part: { index: 2, total: 3 }, partTitle: 'The Crossing' }],
    ['The Long Road, Part Two (2/2)', { title: 'The Long Road', part: { index: 2, total: 2 } }],
    ['Salt [Part 1 of 3]', { title: 'Salt', part: { index: 1, total: 3 } }],
    ['Salt, Chapter III', { title: 'Salt', part: { index: 3 } }],
    ['Part 2/3', { title: '', part: { index: 2, total: 3 } }],
    ['No Marker Here', { title: 'No Marker Here' }],
  ];
  for (const [text, want] of table) it(`splits "${text}"`, () => expect(splitPartMarker(text)).to.deep.equal(want));
  it('takes a line for a marker only when it is one', () => {
    expect(partMarkerLine('Part 2 of 3')).to.deep.equal({ index: 2, total: 3 });
    expect(partMarkerLine('(2/3)')).to.deep.equal({ index: 2, total: 3 });
    expect(partMarkerLine('Part Two')).to.equal(undefined);
    expect(partMarkerLine('Part Two', true)).to.deep.equal({ index: 2 });
    expect(partMarkerLine('Chapter One')).to.equal(undefined);
  });
  it('compares titles without case, accents or punctuation', () => {
    expect(sameTitle('Café Noir!', 'cafe noir')).to.equal(true);
    expect(sameTitle('', '')).to.equal(false);
    expect(sameTitle('Salt', 'Salt II')).to.equal(false);
  });
});

describe('structure: header lines in other spellings', () => {
  const table: [string, string, string][] = [
    ['**Title:** The Fog Lifts', 'Title', 'The Fog Lifts'],
    ['Rating - PG', 'Rating', 'PG'],
    ['Title:\tThe Fog Lifts', 'Title', 'The Fog Lifts'],
    ['Author(s): Maren Holt', 'Author(s)', 'Maren Holt'],
    ['TITLE: The Fog Lifts', 'TITLE', 'The Fog Lifts'],
    ['Pairing :: Maren/Tobin', 'Pairing', 'Maren/Tobin'],
  ];
  for (const [line, key, value] of table) it(`reads "${line}"`, () => expect(parseHeaderLine(line)).to.deep.include({ key, value }));
  it('keeps emphasis that closes a value', () => expect(parseHeaderLine('Summary: Lex is *sad*')?.value).to.equal('Lex is *sad*'));
  it('does not read dialogue with a dash as a field', () => expect(parseHeaderLine('Maren - come here!')).to.equal(undefined));
});

describe('structure: the header scanner', () => {
  const items = (texts: string[]): HeaderItem[] => texts.map((text, i) => ({ text, gap: false, line: i + 1 }));

  it('says at which line it could not understand a value', () => {
    const meta = emptyMeta();
    const scan = scanHeader(items(['Title: Salt', 'Word count: lots', 'Rating: G']), meta, { path: 'x.txt' });
    expect(scan.diagnostics.map((d) => [d.code, d.line])).to.deep.equal([['meta-004', 2]]);
  });

  it('reads a text header through readTextStory with line numbers, a note above and the byline below', () => {
    const text = 'Written for the autumn exchange. Thanks to Ros!\n\nTitle: Salt (1/2)\nWords: some\nRating: G\n\nSalt\nby Ann Bell\n\nThe tide came in.\n\nThe tide went out.\n';
    const meta = emptyMeta();
    const r = readTextStory(sourceLines(text), meta, { path: 'x.txt' });
    expect(meta.title).to.equal('Salt');
    expect(meta.authors).to.deep.equal(['Ann Bell']);
    expect(r.part).to.deep.equal({ index: 1, total: 2 });
    expect(meta.notes?.map((b) => kinds([b])[0])).to.deep.equal(['p:Written for the autumn exchange. Thanks to Ros!']);
    expect(r.diagnostics.map((d) => [d.code, d.line])).to.deep.equal([['meta-004', 4]]);
    expect(r.chapters.flatMap((c) => kinds(c.sections[0]!.blocks))).to.deep.equal(['p:The tide came in.', 'p:The tide went out.']);
  });

  it('ends the header at the story when no blank line follows it, and takes "Summary:" from the line below', () => {
    const text = 'Title: Salt\nAuthor: Ann Bell\nSummary:\nA tide, a boat, and\nno alibi at all.\nThe tide came in.\n\nThe tide went out.\n';
    const meta = emptyMeta();
    const r = readTextStory(sourceLines(text), meta);
    expect(meta.summary?.map((b) => kinds([b])[0])).to.deep.equal(['p:A tide, a boat, and no alibi at all.']);
    expect(r.chapters.flatMap((c) => kinds(c.sections[0]!.blocks))).to.deep.equal(['p:The tide came in.', 'p:The tide went out.']);
  });

  it('keeps free text between fields as a note, not as a wrapped value', () => {
    const meta = emptyMeta();
    readTextStory(sourceLines('Title: Salt\nDisclaimer: Mine.\nThank you, Ros, for the beta!\nSummary: Tides.\n\nStory.\n'), meta);
    expect(meta.disclaimer).to.equal('Mine.');
    expect(meta.notes?.map((b) => kinds([b])[0])).to.deep.equal(['p:Thank you, Ros, for the beta!']);
  });

  it('reads a title block with a part marker and the known title repeated when there is no header', () => {
    const meta = emptyMeta();
    const r = readTextStory(sourceLines('Salt\nby Ann Bell\n\nPart 2/2\n\nSalt\n\nThe tide came in.\n'), meta, { title: 'Salt' });
    expect([meta.authors, r.part, r.header]).to.deep.equal([['Ann Bell'], { index: 2, total: 2 }, false]);
    expect(r.chapters.flatMap((c) => kinds(c.sections[0]!.blocks))).to.deep.equal(['p:The tide came in.']);
  });
});

describe('structure: entities and voices', () => {
  const table: [string, string][] = [
    ['fish &amp; chips &mdash; &#8220;ok&#8221;', 'fish & chips — “ok”'],
    ['bad &#x110000; code point', 'bad \ufffd code point'],
    ['a surrogate &#xD800; alone', 'a surrogate \ufffd alone'],
    ['a control &#1; character', 'a control  character'],
    ['&bogus; stays, &not as a browser reads it', '&bogus; stays, ¬ as a browser reads it'],
  ];
  for (const [input, want] of table) it(`decodes "${input}" without throwing`, () => expect(decodeEntities(input)).to.equal(want));

  it('finds voices and says so', () => {
    const long = (who: string) => ({ kind: 'p' as const, content: [`${who}: ${'The rain kept on falling over the harbour and nobody came to the door. '.repeat(6)}`] });
    const chapter = { sections: [{ blocks: [long('Lex'), long('Clark'), long('Lex'), long('Clark')] }] };
    const r = findVoices([chapter], 'x.txt');
    expect(r.chapters[0]!.sections.map((s) => s.voice)).to.deep.equal(['Lex', 'Clark', 'Lex', 'Clark']);
    expect(r.diagnostics.map((d) => d.code)).to.deep.equal(['struct-002']);
  });
});
