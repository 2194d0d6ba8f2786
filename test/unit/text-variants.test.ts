/**
 * Hand-made variants of each text format (other header spellings, CRLF, tabs, no blank line after
 * the header, notes before it, a byline under the title), read the way the CLI reads them:
 * bytes → decode → detect → read. Every text here is original.
 */
import { expect } from 'chai';
import { readText as readWithFormat } from '../../src/read/context.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import type { Block, Story } from '../../src/model.js';
import { decode } from '../../src/read/decode.js';
import { detectFormat } from '../../src/read/detect.js';

const P = [
  'The gulls had been arguing since dawn, and Maren had given up trying to sleep through it.',
  'She dressed in the dark and went down to the jetty, where the boats knocked together like old friends.',
  'Nobody else was awake. The lamp at the end of the pier still burned, though it was no longer needed.',
  'By noon the fog had lifted, and she could see the island for the first time in a week.',
  '"You\'re back," said Tobin, not looking up from his nets.',
  '"I never left," she said, which was almost true.',
];

interface Read {
  format: string;
  story: Story;
  diagnostics: Diagnostic[];
}

function readText(text: string, crlf = false): Read {
  const bytes = Buffer.from(crlf ? text.replace(/\n/g, '\r\n') : text, 'utf8');
  const decoded = decode(bytes, 'x.txt');
  const input = { path: 'x.txt', text: decoded.text, encoding: decoded.encoding };
  const format = detectFormat(input).format;
  if (format.input !== 'text') throw new Error(`${format.name} is no text format`);
  const r = readWithFormat(format, input);
  return { format: format.name, ...r };
}

const kinds = (blocks: Block[]): string[] => blocks.map((b) => (b.kind === 'p' ? (b.content.join('').slice(0, 12)) : b.kind));
const bodyOf = (story: Story): string[] => story.chapters.flatMap((c) => c.sections.flatMap((s) => kinds(s.blocks)));
const texts = (blocks: Block[] | undefined): string[] => (blocks ?? []).map((b) => (b.kind === 'p' ? b.content.join('') : b.kind));

describe('text format variants: journal posts', () => {
  it('reads CRLF, "TITLE:"/"Author(s):"/"Rating - PG" spellings, "Summary:" over its value and no blank line after the header', () => {
    const r = readText(`Maren (marenwrites) wrote,\nMaren\n\nTITLE: The Fog Lifts\nAuthor(s): Maren Holt\nPairing(s): Maren/Tobin\nRating - PG\nSummary:\nA harbour, a fog, and a woman who never quite left.\n${P[0]}\n\n${P[1]}\n\n\n${P[2]}\n\n${P[3]}\n\nTags: harbour, fog\n  • Post a new comment\nPrevious post\n`, true);
    expect(r.format).to.equal('journal');
    const m = r.story.meta;
    expect([m.title, m.authors, m.relationships, m.rating, m.tags]).to.deep.equal(['The Fog Lifts', ['Maren Holt'], ['Maren/Tobin'], 'PG', ['harbour', 'fog']]);
    expect(texts(m.summary)).to.deep.equal(['A harbour, a fog, and a woman who never quite left.']);
    expect(bodyOf(r.story)).to.deep.equal([P[0]!.slice(0, 12), P[1]!.slice(0, 12), 'break', P[2]!.slice(0, 12), P[3]!.slice(0, 12)]);
    expect(r.diagnostics.map((d) => d.code)).to.deep.equal([]);
  });

  it('keeps notes above the header as notes and drops the title and byline above it', () => {
    const r = readText(`Written for the autumn exchange. Thanks to Ros for the beta read!\n\nThe Fog Lifts\nby Maren Holt\n\n**Title:** The Fog Lifts\n**Rating:** G\n**Fandom:** Original Work\n\n${P[0]}\n\no0o\n\n${P[1]}\n`);
    const m = r.story.meta;
    expect([m.title, m.authors, m.rating, m.fandoms]).to.deep.equal(['The Fog Lifts', ['Maren Holt'], 'G', ['Original Work']]);
    expect(texts(m.notes)).to.deep.equal(['Written for the autumn exchange. Thanks to Ros for the beta read!']);
    expect(bodyOf(r.story)).to.deep.equal([P[0]!.slice(0, 12), 'break', P[1]!.slice(0, 12)]);
  });

  it('reads tab-separated fields, tab-indented paragraphs and a centred "#" break', () => {
    const r = readText(`Title:\tThe Fog Lifts\nAuthor:\tMaren Holt\nRating:\tPG-13\n\n\t${P[0]}\n\t${P[1]}\n\n                    #\n\n\t${P[2]}\n\nThe End\nTags: original\n`);
    expect(r.format).to.equal('journal');
    expect([r.story.meta.title, r.story.meta.rating]).to.deep.equal(['The Fog Lifts', 'PG-13']);
    expect(bodyOf(r.story)).to.deep.equal([P[0]!.slice(0, 12), P[1]!.slice(0, 12), 'break', P[2]!.slice(0, 12)]);
    expect(texts(r.story.end)).to.deep.equal(['The End']);
  });

  it('splits a part marker off the Title field and drops the title and byline repeated under the header', () => {
    const r = readText(`Oct 3, 2010 11:02\n\nTitle: The Fog Lifts (1/2)\nAuthor: Maren Holt\nRating: G\nDisclaimer: all mine, every gull of\nit, and the fog too.\n\nThe Fog Lifts\nby Maren Holt\n\n${P[0]}\n\n${P[1]}\n`);
    const m = r.story.meta;
    expect([m.title, m.series, m.published, m.disclaimer]).to.deep.equal(['The Fog Lifts', { name: 'The Fog Lifts', index: 1, total: 2 }, '2010-10-03', 'all mine, every gull of it, and the fog too.']);
    expect(r.story.chapters.map((c) => c.title)).to.deep.equal(['Part 1']);
    expect(bodyOf(r.story)).to.deep.equal([P[0]!.slice(0, 12), P[1]!.slice(0, 12)]);
  });
});

describe('text format variants: journal chrome', () => {
  it('drops a long-form timestamp, "Entry tags:", "( 3 comments — Leave a comment )" and entry navigation', () => {
    const r = readText(`Maren (marenwrites) wrote,\nMaren\n\nFriday, October 31st, 2008 at 11:02 pm\n\nThe Lamp\n\nTitle: The Lamp\nRating: G\n\n${P[0]}\n\nEntry tags: fic, lamps\n( 3 comments — Leave a comment )\nPrevious Entry | Next Entry\nTell a Friend\n`);
    const m = r.story.meta;
    expect([m.title, m.published, m.tags, m.authors]).to.deep.equal(['The Lamp', '2008-10-31', ['fic', 'lamps'], ['Maren']]);
    expect(bodyOf(r.story)).to.deep.equal([P[0]!.slice(0, 12)]);
    expect(r.diagnostics.map((d) => d.code)).to.deep.equal(['meta-007']);
  });
});

describe('text format variants: plain text', () => {
  it('reads a centred title over "by" and the author on separate lines', () => {
    const r = readText(`                          The Fog Lifts\n                               by\n                           Maren Holt\n\n${P[0]}\n\n${P[1]}\n\n* * *\n\n${P[2]}\n`);
    expect(r.format).to.equal('plain-text');
    expect([r.story.meta.title, r.story.meta.authors]).to.deep.equal(['The Fog Lifts', ['Maren Holt']]);
    expect(bodyOf(r.story)).to.deep.equal([P[0]!.slice(0, 12), P[1]!.slice(0, 12), 'break', P[2]!.slice(0, 12)]);
  });

  it('reads "TITLE / by / Author" spaced with blank lines in a double-spaced text, where only wider gaps break', () => {
    const r = readText(`THE FOG LIFTS\n\n\nby\n\n\nMaren Holt\n\n\n${P[0]}\n\n\n${P[1]}\n\n\n\n${P[2]}\n\n\n${P[3]}\n`);
    expect([r.story.meta.title, r.story.meta.authors]).to.deep.equal(['THE FOG LIFTS', ['Maren Holt']]);
    expect(bodyOf(r.story)).to.deep.equal([P[0]!.slice(0, 12), P[1]!.slice(0, 12), 'break', P[2]!.slice(0, 12), P[3]!.slice(0, 12)]);
  });

  it('reads a short line alone above the prose as the title, but not a chapter heading or a sentence', () => {
    expect(readText(`The Fog Lifts\n\n${P[0]}\n\n${P[1]}\n`).story.meta.title).to.equal('The Fog Lifts');
    const chapter = readText(`Chapter One\n\n${P[0]}\n\n${P[1]}\n`).story;
    expect([chapter.meta.title, chapter.chapters.map((c) => c.title)]).to.deep.equal([undefined, ['Chapter One']]);
    const sentence = readText(`It rained.\n\n${P[0]}\n\n${P[1]}\n`).story;
    expect([sentence.meta.title, bodyOf(sentence)[0]]).to.deep.equal([undefined, 'It rained.']);
  });

  it('reads a tab-centred title alone over one-line paragraphs', () => {
    const r = readText(`\t\t\tThe Fog Lifts\n\n${P[0]}\n${P[1]}\n${P[2]}\n`);
    expect(r.story.meta.title).to.equal('The Fog Lifts');
    expect(bodyOf(r.story)).to.deep.equal([P[0]!.slice(0, 12), P[1]!.slice(0, 12), P[2]!.slice(0, 12)]);
  });

  it('reads "Title / by Author" in CRLF with a double blank line as the only scene break', () => {
    const r = readText(`The Fog Lifts\nby Maren Holt\n\n${P[0]}\n\n${P[1]}\n\n\n${P[2]}\n\n${P[3]}\n`, true);
    expect([r.story.meta.title, r.story.meta.authors]).to.deep.equal(['The Fog Lifts', ['Maren Holt']]);
    expect(bodyOf(r.story)).to.deep.equal([P[0]!.slice(0, 12), P[1]!.slice(0, 12), 'break', P[2]!.slice(0, 12), P[3]!.slice(0, 12)]);
  });
});

describe('text format variants: plain text with notes and chapters', () => {
  it('takes a lone note field at the top as a note, then the title block, then chapters and the end mark', () => {
    const r = readText(`Author's note: this one is for Ros, who asked for gulls.\n\nThe Gull Wars\nby Maren Holt\n\nChapter 1: Dawn\n\n${P[0]}\n\n${P[1]}\n\nChapter 2: Noon\n\n${P[3]}\n\n~Fin~\n`);
    const m = r.story.meta;
    expect([m.title, m.authors, texts(m.notes)]).to.deep.equal(['The Gull Wars', ['Maren Holt'], ['this one is for Ros, who asked for gulls.']]);
    expect(r.story.chapters.map((c) => c.title)).to.deep.equal(['Chapter 1: Dawn', 'Chapter 2: Noon']);
    expect(texts(r.story.end)).to.deep.equal(['~Fin~']);
  });
});

describe('text format variants: print pages', () => {
  it('joins a disclaimer wrapped over two lines and reads the title and byline under it', () => {
    const r = readText(`Printer Friendly Version\n\nDisclaimer: These characters belong to nobody but the sea; this story is written\nfor fun and not for profit.\n\nThe Fog Lifts\nby Maren Holt\n\n${P[0]}\n\n${P[1]}\n\n\n${P[2]}\n`);
    expect(r.format).to.equal('print-page');
    const m = r.story.meta;
    expect([m.title, m.authors, m.disclaimer]).to.deep.equal(['The Fog Lifts', ['Maren Holt'], 'These characters belong to nobody but the sea; this story is written for fun and not for profit.']);
    expect(bodyOf(r.story)).to.deep.equal([P[0]!.slice(0, 12), P[1]!.slice(0, 12), 'break', P[2]!.slice(0, 12)]);
  });

  it('reads a CRLF page with tab-indented paragraphs and a centred "#"', () => {
    const r = readText(`printprint this story!\n\nby Maren Holt\n\n\t${P[0]}\n\n\t${P[1]}\n\n\t\t\t#\n\n\t${P[2]}\n`, true);
    expect(r.story.meta.authors).to.deep.equal(['Maren Holt']);
    expect(bodyOf(r.story)).to.deep.equal([P[0]!.slice(0, 12), P[1]!.slice(0, 12), 'break', P[2]!.slice(0, 12)]);
  });
});

describe('text format variants: mail', () => {
  const hdr = (subject: string, extra = '') => `From: Maren Holt <maren@example.org>\nSubject: ${subject}\nDate: Tue, 5 Oct 2004 09:00:00 +0000\nMessage-ID: <fog1@example.org>\n${extra}\n`;

  it('reads an HTML-only post whose references include invalid code points', () => {
    const r = readText(`${hdr('FIC: The Fog Lifts [PG]', 'Content-Type: text/html; charset=utf-8\n')}<html><body><p>She waited &mdash; &#x110000; &#0; &amp; then left.</p><p>${P[1]}</p><hr><p>${P[2]}</p></body></html>\n`);
    expect(r.format).to.equal('mail');
    expect([r.story.meta.title, r.story.meta.rating]).to.deep.equal(['The Fog Lifts', 'PG']);
    const first = r.story.chapters[0]!.sections[0]!.blocks[0]!;
    expect(texts([first])[0]).to.equal('She waited — \ufffd \ufffd & then left.');
    expect(bodyOf(r.story).slice(1)).to.deep.equal([P[1]!.slice(0, 12), 'break', P[2]!.slice(0, 12)]);
  });

  it('reads a story header with a wrapped summary and no blank line before the story', () => {
    const r = readText(`${hdr('FIC: The Fog Lifts (1/1)')}Title: The Fog Lifts\nAuthor: Maren Holt\nRating: PG\nSummary: A harbour, a fog, and a woman who\nnever quite left.\n${P[0]}\n\n${P[1]}\n\n--\nMaren\n`);
    const m = r.story.meta;
    expect([m.title, m.authors, m.rating]).to.deep.equal(['The Fog Lifts', ['Maren Holt'], 'PG']);
    expect(texts(m.summary)).to.deep.equal(['A harbour, a fog, and a woman who never quite left.']);
    expect(bodyOf(r.story)).to.deep.equal([P[0]!.slice(0, 12), P[1]!.slice(0, 12)]);
  });

  it('reads a CRLF reply-prefixed, list-tagged subject with two markers for one part', () => {
    const r = readText(`${hdr('Re: [harbourfic] NEW: The Fog Lifts, Part Two (2/2)')}The Fog Lifts\nby Maren Holt\n\nPart 2/2\n\n${P[0]}\n\n${P[1]}\n\n\n${P[2]}\n\nThe End\n`, true);
    const m = r.story.meta;
    expect([m.title, m.authors, m.series]).to.deep.equal(['The Fog Lifts', ['Maren Holt'], { name: 'The Fog Lifts', index: 2, total: 2 }]);
    expect(r.story.chapters.map((c) => c.title)).to.deep.equal(['Part 2']);
    expect(bodyOf(r.story)).to.deep.equal([P[0]!.slice(0, 12), P[1]!.slice(0, 12), 'break', P[2]!.slice(0, 12)]);
    expect(texts(r.story.end)).to.deep.equal(['The End']);
  });

  it('reads a title block ("TITLE / by Name") under list fields', () => {
    const post = `Path: news.example.org!not-for-mail\nFrom: ann@example.org (Ann Bell)\nNewsgroups: alt.fan.harbour\nSubject: NEW: Low Tide 1/2 [PG-13]\nDate: 3 Mar 2001 10:15:00 -0500\nMessage-ID: <lowtide1@example.org>\n\nArchive: yes, anywhere\nFeedback: please!\n\n   LOW TIDE\n   by Ann Bell\n\n   ${P[0]}\n\n                              * * *\n\n   ${P[1]}\n\n   To be continued in part 2.\n\n--\nAnn Bell * ann@example.org\n`;
    const r = readText(post);
    const m = r.story.meta;
    expect([m.title, m.authors, m.rating, m.series, m.extra]).to.deep.equal(['Low Tide', ['Ann Bell'], 'PG-13', { name: 'Low Tide', index: 1, total: 2 }, { Archive: 'yes, anywhere', Feedback: 'please!' }]);
    expect(bodyOf(r.story)).to.deep.equal([P[0]!.slice(0, 12), 'break', P[1]!.slice(0, 12), 'To be contin']);
    expect(r.diagnostics.map((d) => d.code)).not.to.include('meta-008');
  });

  it('gives the line of a value it could not understand', () => {
    const r = readText(`${hdr('FIC: Salt')}Title: Salt\nWord count: many\nRating: G\n\n${P[0]}\n`);
    expect(r.diagnostics.filter((d) => d.code === 'meta-004').map((d) => d.line)).to.deep.equal([7]);
  });
});
