import { expect } from 'chai';
import { readText } from '../../src/read/context.js';
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../../src/diagnostics.js';
import type { Block, Story } from '../../src/model.js';
import { detectFormat } from '../../src/read/detect.js';
import { decodeEncodedWords, mail, parseSender, parseSubject } from '../../src/read/formats/mail.js';
import { parseDate } from '../../src/read/header.js';
import { fixture } from '../helpers/paths.js';
import { wrap } from '../helpers/wrap.js';

const input = (text: string, path = 'x.txt') => ({ path, text, encoding: 'utf-8' });
const readMail = (text: string) => readText(mail, input(text));
const texts = (blocks: Block[]): string[] => blocks.map((b) => (b.kind === 'p' ? b.content.join('') : b.kind));
const chapterTexts = (story: Story): string[][] => story.chapters.map((c) => c.sections.flatMap((s) => texts(s.blocks)));
const allParagraphs = (story: Story): string[] => chapterTexts(story).flat().filter((t) => t !== 'break');

const headers = (subject: string, from = '"Ann Bell" <ann@example.org>', extra = ''): string =>
  `From: ${from}\nSubject: ${subject}\nDate: Sat, 3 Mar 2001 10:00:00 -0500\nMessage-ID: <${subject.length}.${from.length}@example.org>\n${extra}\n`;
const longPara = 'She poured the tea and waited for the storm to pass over the harbour, counting the boats as they came in one by one under the grey sky.';

describe('mail reader', () => {
  describe('a Usenet post with full headers and a boxed signature', () => {
    let text: string;
    let story: Story;
    let diagnostics: Diagnostic[];
    before(() => {
      text = readFileSync(fixture('mail', 'usenet-post.txt'), 'utf8');
      ({ story, diagnostics } = readMail(text));
    });

    it('is detected with high confidence', () => {
      const d = detectFormat(input(text));
      expect(d.format.name).to.equal('mail');
      expect(d.score).to.be.at.least(0.9);
    });
    it("takes the story's own header block over the Subject and From lines", () => {
      const m = story.meta;
      expect(m.title).to.equal("The Keeper's Almanac");
      expect(m.authors).to.deep.equal(['Wren Halloway']);
      expect(m.rating).to.equal('PG');
      expect(texts(m.summary!)).to.deep.equal(['Every lighthouse keeper writes in the almanac. Not every keeper expects an answer.']);
      expect(m.disclaimer).to.equal('The lighthouse and everyone in it are mine; the sea belongs to nobody.');
      expect(m.published).to.equal('1998-10-14');
      expect(diagnostics.map((d) => d.code)).to.deep.equal([]);
    });
    it('joins the hard-wrapped, indented paragraphs and keeps the centred scene break', () => {
      expect(story.chapters).to.have.length(1);
      const blocks = chapterTexts(story)[0]!;
      expect(blocks.map((b) => (b === 'break' ? 'break' : 'p'))).to.deep.equal(['p', 'p', 'p', 'p', 'break', 'p', 'p', 'p']);
      expect(blocks[0]).to.match(/^Tobias had kept the light at Grey Ness for eleven winters before he noticed/);
      expect(blocks[0]).to.match(/_I remember that one too\._$/);
      for (const p of allParagraphs(story)) expect(p).not.to.include('\n');
    });
    it('leaves no header, signature box or address anywhere', () => {
      const all = JSON.stringify(story);
      for (const cruft of ['Path:', 'news.quill', 'Newsgroups', 'Message-ID', 'X-Trace', 'Forte', 'Xref', 'Organization', 'quill.example', '+---', '|  ', 'The tide goes out']) expect(all).not.to.include(cruft);
    });
  });

  describe('a digest holding three parts of one story', () => {
    let text: string;
    let story: Story;
    let diagnostics: Diagnostic[];
    before(() => {
      text = readFileSync(fixture('mail', 'thread-digest.txt'), 'utf8');
      ({ story, diagnostics } = readMail(text));
    });

    it('is detected although the headers are not at the top', () => {
      expect(detectFormat(input(text)).format.name).to.equal('mail');
    });
    it('makes one chapter per part, in order, metadata from the first', () => {
      expect(story.chapters.map((c) => c.title)).to.deep.equal(['Part 1', 'Part 2', 'Part 3']);
      const m = story.meta;
      expect(m.title).to.equal('Salt Roads');
      expect(m.authors).to.deep.equal(['Ines Marlow']);
      expect(m.rating).to.equal('G');
      expect(texts(m.summary!)).to.deep.equal(['Three roads lead out of Penhallow. Only one of them comes back.']);
      expect(texts(m.notes!)).to.deep.equal(['Written for the spring ficathon. Thanks to Dee for the read.']);
      expect(m.published).to.equal('2004-03-01');
      expect(m.series).to.equal(undefined);
      expect(story.end).to.deep.equal([{ kind: 'p', content: ['THE END'] }]);
      expect(diagnostics).to.deep.equal([]);
    });
    it('undoes >From escaping and drops quoted reply, repeated title, byline and signatures', () => {
      const paras = allParagraphs(story);
      expect(paras.some((p) => p.includes('seven, and had not come back by any of them. From the top of the harbour wall'))).to.equal(true);
      expect(paras.some((p) => p.includes('to read. From the wall, Nell watched it all the way in.'))).to.equal(true);
      expect(chapterTexts(story)[1]![0]).to.match(/^Nell's mother had taken/);
      expect(chapterTexts(story)[2]![0]).to.match(/^On the first warm day of April/);
      const all = JSON.stringify(story);
      for (const cruft of ['>From', 'Part two tomorrow', 'wrote:', 'by Ines', 'salt and paper', '~ines', 'Today', 'Message: ', 'mailing list', 'Digest', '-----', '*****', 'harbourfic']) expect(all).not.to.include(cruft);
    });
  });

  describe('subjects', () => {
    const cases: [string, Partial<ReturnType<typeof parseSubject>>][] = [
      ['Re: [harbourfic] FIC: Salt Roads (2/3)', { title: 'Salt Roads', part: { index: 2, total: 3 }, reply: true }],
      ["NEW: The Keeper's Almanac [PG]", { title: "The Keeper's Almanac", rating: 'PG', reply: false }],
      ['[riverfic] NEW: Lock Keeper, Part 1/2', { title: 'Lock Keeper', part: { index: 1, total: 2 } }],
      ['FIC: Lock Keeper - Part Two', { title: 'Lock Keeper', part: { index: 2 } }],
      ['NEW FIC: Seven Days (3 of 7) [PG-13; angst]', { title: 'Seven Days', part: { index: 3, total: 7 }, rating: 'PG-13' }],
      ['[list] Re: FIC: Seven Days 7/7', { title: 'Seven Days', part: { index: 7, total: 7 }, reply: true }],
      ['AW: Re: FIC: "Quoted Title" (2/2)', { title: 'Quoted Title', part: { index: 2, total: 2 } }],
      ['FIC: Seven Days, Chapter 4: The Bridge', { title: 'Seven Days', part: { index: 4 }, partTitle: 'The Bridge' }],
      ['=?UTF-8?Q?Caf=C3=A9_Noir_=281/2=29?=', { title: 'Café Noir', part: { index: 1, total: 2 } }],
      ['Part of Me (R)', { title: 'Part of Me', rating: 'R' }],
      ['2001: A Harbour Odyssey', { title: '2001: A Harbour Odyssey' }],
    ];
    for (const [subject, want] of cases) it(`reads "${subject}"`, () => expect(parseSubject(subject)).to.deep.include(want));
    it('reports no part when there is none', () => expect(parseSubject('FIC: Salt').part).to.equal(undefined));
  });

  describe('senders and dates', () => {
    it('takes the name without the address', () => {
      expect(parseSender('"Jo Bell" <jo@x.org>')).to.deep.equal({ name: 'Jo Bell', handle: false });
      expect(parseSender('Jo Bell <jo@x.org>')).to.deep.equal({ name: 'Jo Bell', handle: false });
      expect(parseSender('jo@x.org (Jo Bell)')).to.deep.equal({ name: 'Jo Bell', handle: false });
      expect(parseSender('"Jo Bell via harbourfic" <harbourfic@lists.x.org>')).to.deep.equal({ name: 'Jo Bell', handle: false });
      expect(parseSender('=?ISO-8859-1?Q?Jos=E9_Bell?= <jo@x.org>')).to.deep.equal({ name: 'José Bell', handle: false });
      expect(parseSender('jbell@x.org')).to.deep.equal({ name: 'jbell', handle: true });
      expect(parseSender('<jbell@x.org>')).to.deep.equal({ name: 'jbell', handle: true });
    });
    it('parses mail, news and mbox dates', () => {
      expect(parseDate('Sat, 3 Mar 2001 10:15:00 -0500')).to.equal('2001-03-03');
      expect(parseDate('14 Oct 98 21:07:33 GMT')).to.equal('1998-10-14');
      expect(parseDate('Sat Mar  3 10:15:00 2001')).to.equal('2001-03-03');
      expect(parseDate('whenever')).to.equal(undefined);
    });
    it('decodes encoded words', () => {
      expect(decodeEncodedWords('=?utf-8?B?Q2Fmw6k=?= =?utf-8?Q?_Noir?=')).to.equal('Café Noir');
    });
  });

  describe('what every kind of post needs', () => {
    it('takes the sender as author when no author is stated, and says so', () => {
      const { story, diagnostics } = readMail(`${headers('FIC: Salt (1/1)', 'ann@example.org (Ann Bell)')}${longPara}\n`);
      expect(story.meta.authors).to.deep.equal(['Ann Bell']);
      expect(story.meta.title).to.equal('Salt');
      expect(story.chapters.map((c) => c.title)).to.deep.equal([undefined]);
      expect(diagnostics.map((d) => [d.code, d.severity])).to.deep.equal([['meta-008', 'info']]);
    });

    it('a lone part is a series entry and a part chapter, and says the rest is missing', () => {
      const { story, diagnostics } = readMail(`${headers('FIC: Salt (2/3)')}Salt (2/3)\nby Ann Bell\n\n${longPara}\n`);
      expect(story.meta.series).to.deep.equal({ name: 'Salt', index: 2, total: 3 });
      expect(story.chapters.map((c) => c.title)).to.deep.equal(['Part 2']);
      expect(allParagraphs(story)).to.deep.equal([longPara]);
      expect(diagnostics.map((d) => d.code)).to.include('read-009');
    });

    it('keeps chapter headings inside one post; a bare "Part 2" line is a marker only in a numbered post', () => {
      const whole = readMail(`${headers('FIC: Salt')}Chapter 1\n\n${longPara}\n\nChapter 2\n\nMore. ${longPara}\n`).story;
      expect(whole.chapters.map((c) => c.title)).to.deep.equal(['Chapter 1', 'Chapter 2']);
      const parts = readMail(`${headers('FIC: Salt')}Part 1\n\n${longPara}\n\nPart 2\n\nMore. ${longPara}\n`).story;
      expect(parts.chapters.map((c) => c.title)).to.deep.equal(['Part 1', 'Part 2']);
      const numbered = readMail(`${headers('FIC: Salt (2/2)')}Part 2\n\n${longPara}\n\nChapter 3\n\nMore.\n`).story;
      expect(numbered.chapters.map((c) => c.title)).to.deep.equal(['Part 2', 'Chapter 3']);
      expect(chapterTexts(numbered)[0]).to.deep.equal([longPara]);
    });

    it('orders parts by number, not by position, and keeps the part subtitle', () => {
      const parts = [3, 1, 2].map((n) => `${headers(`FIC: Salt (${n}/3)${n === 2 ? ': The Crossing' : ''}`)}Part ${n} text. ${longPara}\n`).join('\n');
      const { story } = readMail(parts);
      expect(story.chapters.map((c) => c.title)).to.deep.equal(['Part 1', 'Part 2: The Crossing', 'Part 3']);
      expect(allParagraphs(story).map((p) => p.slice(0, 6))).to.deep.equal(['Part 1', 'Part 2', 'Part 3']);
    });

    it('in a thread, drops replies (also those quoting a part under its subject) and other posts', () => {
      const thread = [
        `${headers('FIC: Salt (1/2)')}${longPara}\n`,
        `${headers('Re: FIC: Salt (1/2)', 'Bo <bo@example.org>')}In article <1@example.org>,\n  ann@example.org (Ann Bell) wrote:\n> ${longPara}\n\nLovely!\n`,
        `${headers('FIC: Salt (2/2)')}Second part. ${longPara}\n`,
        `${headers('Meeting next week', 'Cy <cy@example.org>')}${longPara}\n`,
      ].join('\n');
      const { story, diagnostics } = readMail(thread);
      expect(story.chapters.map((c) => c.title)).to.deep.equal(['Part 1', 'Part 2']);
      expect(JSON.stringify(story)).not.to.include('Lovely');
      const left = diagnostics.find((d) => d.code === 'struct-003');
      expect(left?.severity).to.equal('warning');
      expect(left?.message).to.match(/left out 2 messages/);
    });

    it('drops a reply quote with a two-line attribution at the start of a part', () => {
      const { story } = readMail(`${headers('Re: FIC: Salt (2/2)')}In article <1@example.org>,\n  ann@example.org (Ann Bell) wrote:\n> The end of part one.\n>\n> More.\n\n${longPara}\n`);
      expect(allParagraphs(story)).to.deep.equal([longPara]);
    });

    it('keeps an email quoted inside the story as story text', () => {
      const body = `${longPara}\n\nFrom: Lex\nSubject: Tonight\nDate: Friday\n\nDon't be late.\n\n${longPara}\n`;
      const { story, diagnostics } = readMail(`${headers('FIC: Letters')}${body}`);
      const all = allParagraphs(story).join(' ');
      expect(all).to.include("Don't be late.");
      expect(all).to.include('Subject: Tonight');
      expect(diagnostics.map((d) => d.code)).not.to.include('struct-003');
    });

    const signatures: [string, string][] = [
      ['"-- " delimiter', '-- \nAnn Bell * ann@example.org\nhttp://example.org/~ann/\n'],
      ['bare "--" delimiter', '--\nAnn\n'],
      ['"=" box with contact lines', '==========================================\n Ann Bell  *  ann@example.org\n Stories: http://example.org/fic/\n==========================================\n'],
      ['"*" framed box', '******************************\n*  Ann Bell                  *\n*  "Tea fixes most things."  *\n******************************\n'],
      ['"+---+" box', '+--------------------------+\n| Ann Bell                 |\n| ann@example.org          |\n+--------------------------+\n'],
      ['list footer', '_______________________________________________\nteafic mailing list\nteafic@lists.example.org\nhttp://lists.example.org/mailman/listinfo/teafic\n'],
      ['Yahoo! Groups footer', 'Yahoo! Groups Links\nTo unsubscribe from this group, send an email to:\nteafic-unsubscribe@yahoogroups.com\n'],
      ['quoted original under the reply', '-----Original Message-----\nFrom: Bo\nSent: Friday\nSubject: tea\n\nWhat about tea?\n'],
    ];
    for (const [name, sig] of signatures) {
      it(`removes a ${name}`, () => {
        const { story } = readMail(`${headers('FIC: Tea')}${longPara}\n\nThe End\n\n${sig}`);
        expect(allParagraphs(story)).to.deep.equal([longPara]);
        expect(story.end).to.deep.equal([{ kind: 'p', content: ['The End'] }]);
      });
    }

    it('keeps a scene break and a last short scene at the end of a message', () => {
      const { story } = readMail(`${headers('FIC: Tea')}${longPara}\n\n=====\n\nShe slept.\n`);
      expect(chapterTexts(story)[0]).to.deep.equal([longPara, 'break', 'She slept.']);
    });

    it('decodes quoted-printable and picks the text part of a multipart message', () => {
      const qp = `${headers('FIC: Caf=C3=A9', 'Ann <ann@example.org>', 'MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary="b1"\n')}This is a multi-part message in MIME format.\n\n--b1\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nThe caf=C3=A9 was closed =E2=80=94 of course it was. She waited anyway, wa=\ntching the rain.\n\n--b1\nContent-Type: text/html; charset=utf-8\n\n<p>HTML copy</p>\n\n--b1--\n`;
      const { story } = readMail(qp);
      expect(allParagraphs(story)).to.deep.equal(['The café was closed — of course it was. She waited anyway, watching the rain.']);
    });

    it('reads an HTML-only part through the HTML layer: real emphasis, its header block, no markup or scripts', () => {
      const html = `${headers('FIC: Lanterns', 'Ann <ann@example.org>', 'MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n')}<html><body><p><b>Title:</b> Lanterns<br><b>Rating:</b> G</p><p>She lit the <i>last</i> lantern &amp; waited.<script>steal()</script></p><p>The <em>ferry</em> was late.</p></body></html>\n`;
      const { story, diagnostics } = readMail(html);
      const blocks = story.chapters.flatMap((c) => c.sections.flatMap((s) => s.blocks));
      expect(blocks).to.deep.equal([
        { kind: 'p', content: ['She lit the ', { kind: 'em', content: ['last'] }, ' lantern & waited.'] },
        { kind: 'p', content: ['The ', { kind: 'em', content: ['ferry'] }, ' was late.'] },
      ]);
      expect([story.meta.title, story.meta.rating]).to.deep.equal(['Lanterns', 'G']);
      expect(diagnostics.map((d) => d.code)).to.include('read-008');
    });

    it('reads an mbox: From_ lines separate messages, >From lines are unescaped', () => {
      const mbox = [
        `From ann@example.org Sat Mar  3 10:00:00 2001\n${headers('FIC: Tea (1/2)')}First part.\n>From the window she watched.\n>>From here.\nShe left.\n`,
        `From ann@example.org Sun Mar  4 10:00:00 2001\n${headers('FIC: Tea (2/2)')}Second part.\n`,
      ].join('\n');
      const { story } = readMail(mbox);
      expect(chapterTexts(story)).to.deep.equal([['First part.', 'From the window she watched.', '>From here.', 'She left.'], ['Second part.']]);
    });

    it('reads an RFC 1153 digest: the digest post and its table of contents are not story', () => {
      const digest = [
        'From: teafic-request@lists.example.org\nSubject: teafic Digest V3 #41\nDate: Sun, 4 Mar 2001 06:00:00 -0500\nMessage-ID: <digest.41@lists.example.org>\n',
        "teafic Digest            Sunday, March 4 2001       Volume 03 : Number 041\n\nToday's Topics:\n  FIC: Steeped (1/2)        [Ann Bell <ann@example.org>]\n  FIC: Steeped (2/2)        [Ann Bell <ann@example.org>]\n",
        '-'.repeat(70) + '\n\nDate: Sat, 3 Mar 2001 10:00:00 -0500\nFrom: Ann Bell <ann@example.org>\nSubject: FIC: Steeped (1/2)\n\nShe poured the tea.\n',
        '-'.repeat(30) + '\n\nDate: Sat, 3 Mar 2001 11:00:00 -0500\nFrom: Ann Bell <ann@example.org>\nSubject: FIC: Steeped (2/2)\n\nHe drank it.\n',
        '-'.repeat(30) + '\n\nEnd of teafic Digest V3 #41\n' + '*'.repeat(27) + '\n',
      ].join('\n');
      expect(mail.sniff(input(digest))).to.be.at.least(0.9);
      const { story, diagnostics } = readMail(digest);
      expect(story.meta.title).to.equal('Steeped');
      expect(story.meta.authors).to.deep.equal(['Ann Bell']);
      expect(chapterTexts(story)).to.deep.equal([['She poured the tea.'], ['He drank it.']]);
      expect(diagnostics.map((d) => d.code)).to.deep.equal(['meta-008']);
    });

    it('joins hard-wrapped paragraphs at any usual width', () => {
      const paras = [longPara, `"Tea," she said. ${longPara}`, 'Short one.', `${longPara} ${longPara}`];
      for (const width of [60, 66, 72, 76, 80]) {
        const blankSeparated = paras.map((p) => wrap(p, width).join('\n')).join('\n\n');
        expect(allParagraphs(readMail(`${headers('FIC: Tea')}${blankSeparated}\n`).story), `blank lines, width ${width}`).to.deep.equal(paras);
        const indented = paras.flatMap((p) => wrap(p, width, '    ')).join('\n');
        expect(allParagraphs(readMail(`${headers('FIC: Tea')}${indented}\n`).story), `indents, width ${width}`).to.deep.equal(paras);
      }
    });
  });

  describe('what is not mail', () => {
    it('scores 0 for journal posts, plain text and Markdown', () => {
      for (const f of [fixture('golden', 'journal', 'input.txt'), fixture('golden', 'hard-wrapped', 'input.txt'), fixture('markdown', 'front-matter.md')]) {
        expect(mail.sniff(input(readFileSync(f, 'utf8'), f)), f).to.equal(0);
      }
      expect(mail.sniff(input('Title: Tea\nAuthor: Ann\n\nFrom: Lex\nSubject: Tonight\n\nText.\n'))).to.equal(0);
    });
  });
});
