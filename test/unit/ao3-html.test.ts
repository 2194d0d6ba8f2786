import { expect } from 'chai';
import { readText } from '../../src/read/context.js';
import { readStoryBytes } from '../../src/index.js';
import { ao3Html } from '../../src/read/formats/ao3/html.js';
import { detectFormat } from '../../src/read/detect.js';
import { defaultOptions } from '../../src/options.js';
import type { Meta, Story } from '../../src/model.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import type { TextInput } from '../../src/read/format.js';
import { cruftIn, htmlInput, kinds, texts } from '../helpers/html-fixtures.js';

describe('ao3-html reader', () => {
  describe('the "Download → HTML" file', () => {
    let input: TextInput;
    let story: Story;
    let diagnostics: Diagnostic[];
    let m: Meta;
    before(() => {
      input = htmlInput('ao3-html', 'download.html');
      ({ story, diagnostics } = readText(ao3Html, input, defaultOptions()));
      m = story.meta;
    });

    it('is chosen for the download', () => {
      const d = detectFormat(input);
      expect(d.format.name).to.equal('ao3-html');
      expect(d.score).to.be.greaterThan(0.97);
    });
    it('reads title, authors and source', () => {
      expect(m.title).to.equal('The Lighthouse Ledger');
      expect(m.authors).to.deep.equal(['marrowquill', 'Fenn']);
      expect(m.sourceUrl).to.equal('https://archiveofourown.org/works/4815162');
    });
    it('reads every field of the tag list', () => {
      expect(m.rating).to.equal('Teen And Up Audiences');
      expect(m.warnings).to.deep.equal(['No Archive Warnings Apply']);
      expect(m.category).to.deep.equal(['F/F', 'Gen']);
      expect(m.fandoms).to.deep.equal(['Original Work']);
      expect(m.relationships).to.deep.equal(['Odile Varga/Tamsin Reyes']);
      expect(m.characters).to.deep.equal(['Odile Varga', 'Tamsin Reyes', 'The Harbourmaster']);
      expect(m.tags).to.deep.equal(['Lighthouses', 'Slow Burn', 'Storms']);
      expect(m.language).to.equal('en'); // one AO3 policy: a language tag, as the text download gives
      expect(m.series).to.deep.equal({ name: 'Lamps Along the Coast', index: 2 });
      expect(m.published).to.equal('2021-03-14');
      expect(m.updated).to.equal('2021-04-02');
      expect(m.statedWords).to.equal(190);
      expect(m.extra).to.deep.equal({ Collections: 'Small Fandom Fest 2021', Chapters: '2/3' });
    });
    it('reads summary, notes and end notes, with emphasis, without the archive boilerplate', () => {
      expect(m.summary).to.deep.equal([{ kind: 'p', content: ['Odile keeps the light. Tamsin keeps the ', { kind: 'em', content: ['books'] }, '. The storm keeps neither.'] }]);
      expect(texts(m.notes!)).to.deep.equal(['Written for the fest. Thanks to my beta for every comma.']);
      expect(texts(m.endNotes!)).to.deep.equal(['Part three is coming when the weather turns.']);
    });
    it('reads chapters with their own summary, notes and end notes', () => {
      expect(story.chapters.map((c) => c.title)).to.deep.equal(['Chapter 1: Low Tide', 'Chapter 2: The Ledger']);
      const [one, two] = story.chapters;
      expect(texts(one!.summary!)).to.deep.equal(['In which the lamp goes out.']);
      expect(one!.notes).to.deep.equal([{ kind: 'p', content: ['Odile is ', { kind: 'strong', content: ['not'] }, ' a morning person.'] }]);
      expect(texts(one!.endNotes!)).to.deep.equal(['The lamp room is based on one I visited once.']);
      expect(two!.summary).to.equal(undefined);
      expect(two!.notes).to.equal(undefined);
    });
    it('reads paragraphs, breaks (<hr>, centred "* * *", a lone empty paragraph), quotes, verse and emphasis', () => {
      const one = story.chapters[0]!.sections[0]!.blocks;
      expect(kinds(one)).to.deep.equal(['p', 'p', 'p', 'p', 'break', 'p', 'quote', 'p', 'break', 'p']);
      expect(one[0]).to.deep.equal({ kind: 'p', content: ['The lamp went out at a quarter past two, and Odile Varga said a word her grandmother would have ', { kind: 'em', content: ['hated'] }, '.'] });
      expect(texts(one)[3]).to.equal('[a sketch of the lamp room]');
      expect(texts(one)[6]).to.equal('Dear Keeper, the ledger says you owe the harbour forty-one gallons of oil. | Kindly settle it.');
      expect(one[9]).to.deep.equal({ kind: 'p', content: ['They counted together, ', { kind: 'em', content: ['out loud'] }, ', until the numbers stopped meaning anything.'] });
      const two = story.chapters[1]!.sections[0]!.blocks;
      expect(kinds(two)).to.deep.equal(['p', 'verse', 'break', 'p', 'p']);
      const verse = two[1]!;
      expect(verse.kind === 'verse' && verse.lines[1]).to.deep.equal([{ kind: 'em', content: ['Row the lamp and row the light,'] }]);
      expect(texts(two)[3]).to.equal('In the morning the ledger was soaked through, every number a blue smear. Odile laughed until she had to sit down on the wet stairs.');
      expect(story.end).to.deep.equal([{ kind: 'p', content: ['The End'] }]);
    });
    it('notes what it removed (read-008), and keeps no cruft anywhere', async () => {
      expect(diagnostics.map((d) => d.code)).to.deep.equal(['read-008', 'fid-001', 'fid-002', 'fid-008']);
      expect(diagnostics[0]!.message).to.match(/1 script, 3 form controls, 3 event handlers, 2 script URLs, 1 CSS url\(\)$/);
      expect(diagnostics.slice(1).map((d) => d.message)).to.deep.equal(['2 pictures left out (alternative text kept)', '1 styling mark dropped (colour, font, size or position): p', '1 embedded media element left out: iframe']);
      const full = await readStoryBytes(input.path, Buffer.from(input.text));
      expect(full.detection.format.name).to.equal('ao3-html');
      expect(cruftIn(full.story, ['Please drop by', 'Posted originally', 'See the end of', 'Preface', 'Afterword', 'Chapter Summary', 'Chapter Notes', 'Chapter End Notes', 'End Notes', 'We use', 'Accept', 'secret comment'])).to.deep.equal([]);
    });
  });

  describe('a saved work page', () => {
    let input: TextInput;
    let story: Story;
    let m: Meta;
    before(() => {
      input = htmlInput('ao3-html', 'work-page.html');
      ({ story } = readText(ao3Html, input, defaultOptions()));
      m = story.meta;
    });

    it('is chosen for the work page', () => {
      expect(detectFormat(input).format.name).to.equal('ao3-html');
    });
    it('reads the work meta list, preface and chapters', () => {
      expect(m.title).to.equal('Field Notes on Bees');
      expect(m.authors).to.deep.equal(['apiarist']);
      expect(m.rating).to.equal('General Audiences');
      expect(m.warnings).to.deep.equal(['Creator Chose Not To Use Archive Warnings']);
      expect(m.fandoms).to.deep.equal(['Original Work']);
      expect(m.characters).to.deep.equal(['Dora Finch']);
      expect(m.tags).to.deep.equal(['Bees', 'Fluff']);
      expect(m.language).to.equal('en');
      expect(m.series).to.deep.equal({ name: 'Small Wings', index: 1 });
      expect(m.published).to.equal('2020-06-01');
      expect(m.statedWords).to.equal(60);
      expect(m.sourceUrl).to.equal('https://archiveofourown.org/works/1234567');
      expect(texts(m.summary!)).to.deep.equal(['Dora counts bees.']);
      expect(texts(m.notes!)).to.deep.equal(['For my grandmother.']);
      expect(texts(m.endNotes!)).to.deep.equal(['Thanks for reading.']);
      expect(story.chapters.map((c) => c.title)).to.deep.equal(['Chapter 1: Morning', 'Chapter 2: Evening']);
      expect(texts(story.chapters[0]!.notes!)).to.deep.equal(['The first chapter.']);
      expect(texts(story.chapters[0]!.endNotes!)).to.deep.equal(['More bees soon.']);
      expect(texts(story.chapters[0]!.sections[0]!.blocks)).to.deep.equal(['Forty-two bees before breakfast.', 'Dora wrote it down.']);
      expect(texts(story.chapters[1]!.sections[0]!.blocks)).to.deep.equal(['At dusk they all went home.']);
      expect(cruftIn(story, ['Chapter Text', 'Kudos', 'Comments', 'Share', 'Entire Work', 'kudos-text', 'reader-comment'])).to.deep.equal([]);
    });
  });

  describe('footnotes and end-note links', () => {
    // A download whose chapters link footnotes to their end notes, each numbering from 1, with the archive's jump links.
    const page = `<!DOCTYPE html><html><head><title>Salt Jar - Ann - Original Work [Archive of Our Own]</title></head><body>
<div id="preface"><p class="message"><b>Salt Jar</b><br/>Posted originally on the Archive of Our Own at <a href="https://archiveofourown.org/works/99">https://archiveofourown.org/works/99</a>.</p>
<div class="meta"><h1>Salt Jar</h1><div class="byline">by <a rel="author" href="https://archiveofourown.org/users/Ann">Ann</a></div>
<p>Notes</p><blockquote class="userstuff"><p>For the pantry.</p></blockquote><div class="endnote-link">See the end of the work for more <a href="#endnotes">notes</a></div></div></div>
<div id="chapters" class="userstuff">
<div class="meta group"><h2 class="heading">Chapter 1: Salt</h2><p>Chapter Notes</p><blockquote class="userstuff"><p>Short one.</p></blockquote><div class="endnote-link">See the end of the chapter for <a href="#endnotes1">more notes</a></div></div>
<div class="userstuff"><p>She filled the jar to the brim.<sup><a href="#fn1" id="fnref1" rel="footnote">1</a></sup> It never emptied.</p></div>
<div id="endnotes1" class="meta"><p>Chapter End Notes</p><blockquote class="userstuff"><ol class="footnotes"><li id="fn1"><p>Sea salt, from the north shore. <a href="#fnref1">↩</a></p></li></ol></blockquote></div>
<div class="meta group"><h2 class="heading">Chapter 2: Pepper</h2></div>
<div class="userstuff"><p>The pepper came later.<sup><a href="#fn1" id="fnref1">1</a></sup></p></div>
<div id="endnotes2" class="meta"><p>Chapter End Notes</p><blockquote class="userstuff"><p>Last chapter next week.</p><ol><li id="fn1"><p>Black, cracked. <a href="#fnref1">↩</a></p></li></ol></blockquote></div>
</div>
<div id="afterword"><div id="endnotes"><p>End Notes</p><blockquote class="userstuff"><p>Thank you for reading.</p></blockquote></div></div>
</body></html>`;
    let story: Story;
    let codes: string[];
    before(() => {
      const r = readText(ao3Html, { path: 'salt.html', text: page, encoding: 'utf-8' }, defaultOptions());
      story = r.story;
      codes = r.diagnostics.map((d) => d.code);
    });
    it('turns each chapter\'s footnote links into note references to their own notes', () => {
      expect(story.chapters[0]!.sections[0]!.blocks).to.deep.equal([{ kind: 'p', content: ['She filled the jar to the brim.', { kind: 'noteref', id: 'fn1' }, ' It never emptied.'] }]);
      expect(story.chapters[1]!.sections[0]!.blocks).to.deep.equal([{ kind: 'p', content: ['The pepper came later.', { kind: 'noteref', id: 'fn1-2' }] }]);
      expect(story.footnotes).to.deep.equal([
        { id: 'fn1', blocks: [{ kind: 'p', content: ['Sea salt, from the north shore.'] }] },
        { id: 'fn1-2', blocks: [{ kind: 'p', content: ['Black, cracked.'] }] },
      ]);
    });
    it('takes the notes out of the end notes, keeping the rest', () => {
      expect(story.chapters[0]!.endNotes).to.equal(undefined);
      expect(texts(story.chapters[1]!.endNotes!)).to.deep.equal(['Last chapter next week.']);
      expect(texts(story.meta.endNotes!)).to.deep.equal(['Thank you for reading.']);
    });
    // The jump links sit outside the notes and chapters the reader reads: none may reach the book.
    it('keeps none of the archive\'s jump links, and counts nothing lost', () => {
      expect(JSON.stringify(story)).not.to.match(/See the end|more notes/);
      expect(codes.filter((c) => c.startsWith('fid-'))).to.deep.equal([]);
    });
  });
});
