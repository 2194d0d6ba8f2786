import { expect } from 'chai';
import { readText } from '../../src/read/context.js';
import { readStoryBytes } from '../../src/index.js';
import { ffnDate, ffnHtml, splitGenres } from '../../src/read/formats/ffn-html.js';
import { detectFormat } from '../../src/read/detect.js';
import { defaultOptions } from '../../src/options.js';
import type { Meta, Story } from '../../src/model.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import type { TextInput } from '../../src/read/format.js';
import { cruftIn, htmlInput, kinds, texts } from '../helpers/html-fixtures.js';

describe('ffn-html reader', () => {
  let input: TextInput;
  let story: Story;
  let diagnostics: Diagnostic[];
  let m: Meta;
  before(() => {
    input = htmlInput('ffn-html', 'story.html');
    ({ story, diagnostics } = readText(ffnHtml, input, defaultOptions()));
    m = story.meta;
  });

  it('is chosen for a saved story page', () => {
    const d = detectFormat(input);
    expect(d.format.name).to.equal('ffn-html');
    expect(d.score).to.be.greaterThan(0.97);
  });
  it('reads the profile: title, author, summary, fandom, source', () => {
    expect(m.title).to.equal('Paper Cranes');
    expect(m.authors).to.deep.equal(['Juniper Lark']);
    expect(texts(m.summary!)).to.deep.equal(['Marisol folds a thousand cranes for luck. Bea counts them. Neither of them talks about the oven.']);
    expect(m.fandoms).to.deep.equal(['Kitchen Witches']);
    expect(m.sourceUrl).to.equal('https://www.fanfiction.net/s/13572468/');
  });
  it('reads the grey line: rating, language, genres, pairing, characters, dates, status', () => {
    expect(m.rating).to.equal('T');
    expect(m.language).to.equal('English');
    expect(m.tags).to.deep.equal(['Hurt/Comfort', 'Friendship']);
    expect(m.relationships).to.deep.equal(['Marisol V./Bea O.']);
    expect(m.characters).to.deep.equal(['Marisol V.', 'Bea O.', 'Old Tomas']);
    expect(m.published).to.equal('2020-02-01');
    expect(m.updated).to.equal('2020-03-01');
    expect(m.extra).to.deep.equal({ Status: 'Complete', 'Words in all chapters': '2,140' });
    // The whole story's count is not this page's: kept as text, not as the stated count.
    expect(m.statedWords).to.equal(undefined);
    expect(m.disclaimer).to.equal('Kitchen Witches belongs to people who are not me.');
  });
  it('reads the chapter: title from the menu, paragraphs, breaks, emphasis', () => {
    expect(story.chapters).to.have.length(1);
    const ch = story.chapters[0]!;
    expect(ch.title).to.equal('Folding');
    const blocks = ch.sections[0]!.blocks;
    expect(kinds(blocks)).to.deep.equal(['p', 'p', 'p', 'break', 'p', 'break', 'p', 'p']);
    expect(blocks[0]).to.deep.equal({ kind: 'p', content: [{ kind: 'strong', content: ['A/N:'] }, ' Thank you for the lovely reviews!'] });
    expect(blocks[1]).to.deep.equal({ kind: 'p', content: ["The second hundred cranes were harder than the first. Marisol's fingers had learned the folds, but her ", { kind: 'em', content: ['patience'] }, ' had not.'] });
    // An underlined span is emphasis.
    expect(blocks[2]).to.deep.equal({ kind: 'p', content: ['"Again," said Bea, sliding another square of paper across the table. "Valley fold. ', { kind: 'underline', content: ['Gently'] }, '."'] });
  });
  it('warns that the page is one chapter of three (read-009) and notes what it removed', () => {
    expect(diagnostics.map((d) => d.code)).to.deep.equal(['read-009', 'read-008', 'fid-001']);
    expect(diagnostics[0]!.message).to.include('chapter 2 of 3');
  });
  it('keeps no menus, forms, reviews, share widgets, banners or footers', async () => {
    const full = await readStoryBytes(input.path, Buffer.from(input.text));
    expect(cruftIn(full.story, ['Follow/Fav', 'Prev', 'Next', 'Reviews', 'Favs', 'Follows', 'search-box-text', 'review-box-text', 'Post Review', 'Reviewer42', 'MORE PLEASE', 'Terms of Service', 'bird site', 'Login', 'Sign Up', 'Creasing', 'Flight', 'fictionratings', 'Accept all', 'for ads'])).to.deep.equal([]);
  });
  it('takes the title from <title> without the site suffix when the profile is missing', () => {
    const r = readText(ffnHtml, { path: 'x.html', encoding: 'utf-8', text: '<html><head><title>Quiet Hours Chapter 3: Dusk, a Star Trek: The Next Generation fanfic | FanFiction</title></head><body><div id="storytext"><p>Text.</p></div></body></html>' }, defaultOptions());
    expect(r.story.meta.title).to.equal('Quiet Hours');
  });
  it('splits genres, keeping Hurt/Comfort whole', () => {
    expect(splitGenres('Romance/Drama')).to.deep.equal(['Romance', 'Drama']);
    expect(splitGenres('Hurt/Comfort/Angst')).to.deep.equal(['Hurt/Comfort', 'Angst']);
    expect(splitGenres('Harry P., Hermione G.')).to.equal(undefined);
  });
  it("reads FFN's dates: M/D/YYYY and 'Mon D, YYYY'", () => {
    expect(ffnDate('1/2/2010')).to.equal('2010-01-02');
    expect(ffnDate('12/21/2011')).to.equal('2011-12-21');
    expect(ffnDate('Jan 2, 2010')).to.equal('2010-01-02');
    expect(ffnDate('Jan 2')).to.equal(undefined);
    expect(ffnDate('5h ago')).to.equal(undefined);
  });
});
