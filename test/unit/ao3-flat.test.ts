import { expect } from 'chai';
import { readText } from '../../src/read/context.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../../src/diagnostics.js';
import type { Block, Meta, Story } from '../../src/model.js';
import { defaultOptions } from '../../src/options.js';
import { ao3Flat, restoreUnderscores, splitFlatParagraphs } from '../../src/read/formats/ao3/flat.js';
import { fixture, seedsDir } from '../helpers/paths.js';

const NB = '\u00a0 ';
const input = (text: string, path = 'x.txt') => ({ path, text, encoding: 'utf-8' });
const read = (text: string) => readText(ao3Flat, input(text), defaultOptions());
const readFixture = (name: string) => read(readFileSync(fixture('ao3-flat', name), 'utf8'));
const text = (b: Block): string => (b.kind === 'p' || b.kind === 'heading' ? b.content.map((c) => (typeof c === 'string' ? c : '')).join('') : b.kind);
const texts = (bs: Block[] | undefined) => (bs ?? []).map(text);
const paragraphs = (s: Story) => s.chapters.flatMap((c) => c.sections.flatMap((x) => x.blocks)).filter((b) => b.kind === 'p');
const allText = (s: Story) => JSON.stringify({ ...s, meta: { ...s.meta, sourceUrl: undefined } });

// A small flattened work: the preface, title and byline, then `body`.
const PREFACE = 'Posted originally on the Archive of Our Own at https://archiveofourown.org/works/5. Rating: General Audiences Archive Warning: No Archive Warnings Apply Fandom: Original_Work Stats: Published: 2022-05-05 Words: 90 ****** Tide Tables ****** by Nell_Marsh';
const FEEDBACK = 'Please drop by the Archive and comment to let the author know if you enjoyed their work!';
const work = (body: string) => `${PREFACE} ${body} ${FEEDBACK}`;
const P = (...sentences: string[]) => sentences.join(NB);

describe('ao3-flat: paragraph recovery', () => {
  const cases: [string, string, string[]][] = [
    ['sentences joined by a no-break space stay together', P('One.', 'Two.') + ' Three.', ['One. Two.', 'Three.']],
    ['a plain space after a sentence end breaks', 'He ran. She stayed! Then? What', ['He ran.', 'She stayed!', 'Then?', 'What']],
    ['a closing quote then a lowercase word continues', '“Lex!” he said. “Come back.” Clark did.', ['“Lex!” he said.', '“Come back.”', 'Clark did.']],
    ['a quote closed after a comma continues', '“Focus, Lex,” Clark says. Lex does.', ['“Focus, Lex,” Clark says.', 'Lex does.']],
    ['a stammer inside a quotation continues', '“That’s… That’s great.” He grinned.', ['“That’s… That’s great.”', 'He grinned.']],
    ['a new quotation after an unclosed one breaks', 'She said, “Wait. “Wait,” he echoed.', ['She said, “Wait.', '“Wait,” he echoed.']],
    ['abbreviations and initials do not end sentences', 'Mr. Pell met J. Smith. Dr. Vance left.', ['Mr. Pell met J. Smith.', 'Dr. Vance left.']],
    ['a lowercase word after a full stop continues', 'It was late. and then it was early.', ['It was late. and then it was early.']],
    ['a plain space then stray no-break spaces break', `He nodded. \u00a0 I was right.`, ['He nodded.', 'I was right.']],
    ['two no-break spaces after a sentence break', `The ocean.\u00a0\u00a0 And then.`, ['The ocean.', 'And then.']],
    ['no sentence end, no break', 'Some fall in love I shatter - Magnetic Fields', ['Some fall in love I shatter - Magnetic Fields']],
    ['a newline always breaks', 'one line\nanother line', ['one line', 'another line']],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      expect(splitFlatParagraphs(input)).to.deep.equal(expected);
    });
  }
});

describe('ao3-flat: underscores', () => {
  const cases: [string, string][] = [
    ['Clark_Kent/Lex_Luthor', 'Clark Kent/Lex Luthor'],
    ['drop_by_the_archive', 'drop by the archive'],
    ['Harbour_Lights_(TV)', 'Harbour Lights (TV)'],
    ['she was _really_ tired', 'she was _really_ tired'],
    ['(_quietly_) and _x_.', '(_quietly_) and _x_.'],
    ['_Day_One_', '_Day One_'],
  ];
  for (const [input, expected] of cases) {
    it(`${input} → ${expected}`, () => {
      expect(restoreUnderscores(input)).to.equal(expected);
    });
  }
});

describe('ao3-flat: sniff', () => {
  it('is sure of a flattened download', () => {
    for (const name of ['two-voices.txt', 'chapters.txt', 'script.txt']) {
      expect(ao3Flat.sniff(input(readFileSync(fixture('ao3-flat', name), 'utf8'))), name).to.be.at.least(0.9);
    }
  });
  it('is sure of the preface sequence without the "Posted originally" line', () => {
    expect(ao3Flat.sniff(input(work('Body text.').replace(/^.*?(?=Rating:)/, '')))).to.be.at.least(0.9);
  });
  it('declines a download that kept its lines, and other text', () => {
    expect(ao3Flat.sniff(input(work('x').replace(/ (?=Rating|Archive|Fandom|Stats)/g, '\n') + '\n\nText.\n'.repeat(400)))).to.be.below(0.5);
    expect(ao3Flat.sniff(input('Title: Tea\nAuthor: Ann\n\nShe poured the tea.\n'))).to.equal(0);
    expect(ao3Flat.sniff(input(''))).to.equal(0);
  });
});

describe('ao3-flat: a work in parts told in two voices (two-voices.txt)', () => {
  let story: Story;
  let diagnostics: Diagnostic[];
  let m: Meta;
  before(() => {
    ({ story, diagnostics } = readFixture('two-voices.txt'));
    m = story.meta;
  });

  it('reads every preface field', () => {
    expect(m.sourceUrl).to.equal('https://archiveofourown.org/works/99001');
    expect(m.rating).to.equal('Teen And Up Audiences');
    expect(m.warnings).to.deep.equal(['No Archive Warnings Apply']);
    expect(m.category).to.deep.equal(['F/F', 'Gen']);
    expect(m.fandoms).to.deep.equal(['Harbour Lights (TV)']);
    expect(m.relationships).to.deep.equal(['Mira Vance/Odile Sarr']);
    expect(m.characters).to.deep.equal(['Mira Vance', 'Odile Sarr', 'Inspector Pell']);
    expect(m.tags).to.deep.equal(['Lighthouses', 'Storms', 'Alternating Points of View']);
    expect(m.language).to.equal('en');
    expect(m.series).to.deep.equal({ name: "The Keeper's Logs", index: 2 });
    expect(m.published).to.equal('2021-01-05');
    expect(m.updated).to.equal('2021-02-10');
    expect(m.statedWords).to.equal(812);
    // A finished work's chapter count says nothing the chapters do not (one AO3 policy).
    expect(m.extra).to.deep.equal({ Collections: 'Winter Tales 2021' });
  });
  it('reads title, authors, summary, notes and end notes', () => {
    expect(m.title).to.equal('Two Lamps');
    expect(m.authors).to.deep.equal(['Wren Tallow', 'Ash Quill', 'Bo']);
    expect(texts(m.summary)).to.deep.equal(['Two keepers trade one lamp across a stormy week.']);
    expect(texts(m.notes)).to.deep.equal(['Written for a friend who loves _really_ bad weather.']);
    expect(texts(m.endNotes)).to.deep.equal(['Thanks for reading!', 'The north point is made up.']);
    expect(story.front).to.deep.equal([]);
    expect(story.source.format).to.equal('ao3-flat');
  });
  it('makes each part a chapter titled by its heading', () => {
    expect(story.chapters.map((c) => c.title)).to.deep.equal(['Night One', 'Night Two', 'Afterwards']);
  });
  it('splits each part into its voices, labels removed', () => {
    expect(story.chapters.map((c) => c.sections.map((s) => s.voice))).to.deep.equal([['Mira', 'Odile'], ['Mira', 'Odile'], ['Mira', 'Odile']]);
    expect(story.chapters.map((c) => c.sections.map((s) => s.blocks.length))).to.deep.equal([[3, 3], [2, 3], [2, 2]]);
    const first = story.chapters[0]!.sections;
    expect(text(first[0]!.blocks[0]!)).to.match(/^The storm came in sideways/);
    expect(text(first[1]!.blocks[0]!)).to.match(/^Odile waited at the foot/);
    expect(diagnostics.find((d) => d.code === 'struct-002')?.message).to.include('Mira, Odile');
  });
  it('recovers the paragraphs and says so', () => {
    const ps = paragraphs(story).map(text);
    expect(ps).to.have.length(15);
    expect(ps).to.include('“Mira!” she called from the yard, and I pretended not to hear her. The lamp needed me more than Odile did, or so I told myself.');
    expect(ps).to.include('“Hold the rail,” Mira said from somewhere above. Odile climbed anyway, muttering, and at the top Mira was sitting cross-legged beside the lens with her hair full of salt.');
    expect(ps.some((p) => p.startsWith('Odile waited') && p.includes('Mr. Pell had left'))).to.equal(true);
    expect(ps.join('\n')).not.to.include('\u00a0');
    const d = diagnostics.find((x) => x.code === 'struct-001');
    expect(d?.severity).to.equal('warning');
    expect(d?.message).to.include('15 paragraphs');
  });
  it('keeps emphasis markers for the emphasis transform', () => {
    const all = paragraphs(story).map(text).join('\n');
    expect(all).to.include('It was *almost* peaceful.');
    expect(all).to.include('rule one was _never_ to climb');
  });
  it('removes site boilerplate and joined link texts', () => {
    const all = allText(story);
    for (const s of ['drop_by', 'drop by the', 'Archive_of_Our_Own', 'Posted originally', '******', '***', 'Night_One', 'See the end of the work', 'Mira_Vance', 'Mira:', 'Odile:']) {
      expect(all, s).not.to.include(s);
    }
  });
});

describe('ao3-flat: a multi-chapter work without voices (chapters.txt)', () => {
  let story: Story;
  let m: Meta;
  before(() => {
    ({ story } = readFixture('chapters.txt'));
    m = story.meta;
  });

  it('reads the preface, the "Completed" date and the chapter count', () => {
    expect(m.title).to.equal('Salt Roads');
    expect(m.authors).to.deep.equal(['Pellam Reed']);
    expect(m.sourceUrl).to.equal('https://archiveofourown.org/works/77002');
    expect(m.warnings).to.deep.equal(['No Archive Warnings Apply']);
    expect(m.characters).to.deep.equal(['Tam Hollis', "The Courier's Mule"]);
    expect(m.tags).to.deep.equal(['Deserts', 'Found Family']);
    expect(m.language).to.equal('de');
    expect(m.published).to.equal('2020-03-01');
    expect(m.updated).to.equal('2020-04-15');
    expect(m.statedWords).to.equal(1204);
    expect(m.extra).to.deep.equal({ Completed: '2020-04-15' });
    expect(m.relationships).to.deep.equal([]);
    expect(m.series).to.equal(undefined);
  });
  it('ends the work notes at "Chapter 1" and keeps the work end notes', () => {
    expect(texts(m.summary)).to.deep.equal(['A courier crosses the salt flats with a letter she must not read.']);
    expect(texts(m.notes)).to.deep.equal(['My first posted work.']);
    expect(texts(m.endNotes)).to.deep.equal(['Thank you for reading!', 'More roads soon.']);
  });
  it('reads the chapter headings, chapter notes and chapter end notes', () => {
    expect(story.chapters.map((c) => c.title)).to.deep.equal(['Chapter 1: The Flats', 'Chapter 2', 'Chapter 3: Home Again']);
    const [one, two] = story.chapters;
    expect(texts(one!.notes)).to.deep.equal(['Short and quiet to start.']);
    expect(texts(one!.endNotes)).to.deep.equal(['The mule is based on a real mule.']);
    expect(two!.notes).to.equal(undefined);
  });
  it('keeps "***" inside a chapter as a scene break and splits no voices', () => {
    expect(story.chapters[0]!.sections[0]!.blocks.map((b) => b.kind)).to.deep.equal(['p', 'p', 'break', 'p']);
    expect(story.chapters.every((c) => c.sections.length === 1 && c.sections[0]!.voice === undefined)).to.equal(true);
    expect(text(story.chapters[1]!.sections[0]!.blocks[0]!)).to.equal('Tam woke to the sound of bells. A caravan was passing a mile off, strung out like beads on a thread.');
    expect(texts(story.chapters[2]!.sections[0]!.blocks).pop()).to.equal('The clerk who took it from her never looked up. “Next,” he said, and that was the end of it.');
  });
  it('removes the boilerplate variant', () => {
    expect(allText(story)).not.to.match(/drop by the Archive|Chapter Text|Chapter Notes|End Notes|Original_Work/);
  });
});

describe('ao3-flat: script-style dialogue (script.txt)', () => {
  let story: Story;
  let diagnostics: Diagnostic[];
  before(() => ({ story, diagnostics } = readFixture('script.txt')));
  it('does not take speaker lines for voices', () => {
    expect(story.chapters).to.have.length(1);
    expect(story.chapters[0]!.sections).to.have.length(1);
    expect(story.chapters[0]!.sections[0]!.voice).to.equal(undefined);
    expect(diagnostics.map((d) => d.code)).not.to.include('struct-002');
  });
  it('keeps every line as a paragraph, labels and the note included', () => {
    const ps = paragraphs(story).map(text);
    expect(ps).to.have.length(10);
    expect(ps[0]).to.equal('Note: this is written as a radio play, so it is mostly dialogue.');
    expect(ps[1]).to.equal('HOST: Good evening, insomniacs, and welcome back. We have a caller.');
    expect(ps[7]).to.equal('HOST: Why?');
  });
  it('ends the summary at the "Work Text:" marker', () => {
    expect(texts(story.meta.summary)).to.deep.equal(['A late-night radio show takes one call too many.']);
  });
});

describe('ao3-flat: where the story starts', () => {
  it('starts right after the byline when there is no summary or notes', () => {
    const { story } = read(work(`Prologue ${P('The tide came in.', 'Nell counted gulls.')} The tide went out.`));
    expect(story.meta.authors).to.deep.equal(['Nell Marsh']);
    expect(story.chapters.map((c) => c.title)).to.deep.equal(['Prologue']);
    expect(texts(story.chapters[0]!.sections[0]!.blocks)).to.deep.equal(['The tide came in. Nell counted gulls.', 'The tide went out.']);
  });
  it('takes unmarked notes to be one paragraph, and says it guessed', () => {
    const { story, diagnostics } = read(work(`Summary Gulls and tides. Notes For Ada. ${P('The tide came in.', 'Nell counted gulls.')} It rained.`));
    expect(texts(story.meta.summary)).to.deep.equal(['Gulls and tides.']);
    expect(texts(story.meta.notes)).to.deep.equal(['For Ada.']);
    expect(paragraphs(story).map(text)).to.deep.equal(['The tide came in. Nell counted gulls.', 'It rained.']);
    expect(diagnostics.filter((d) => d.code === 'struct-001').map((d) => d.message).join(' ')).to.include('notes end');
  });
  it('ends notes at the heading before the first voice label, in a single-part work', () => {
    const turn = (name: string, what: string) => `${name}: ${P(`I watched the ${what} all morning from the harbour wall.`, `Nobody came to take the ${what} away, and by noon I had stopped expecting anyone.`)}`;
    const body = `Notes Thanks to my beta. Lyrics: sea, sea, sea - A_Song Harbour_Day ${turn('Nell', 'boats')} ${turn('Ivo', 'gulls')} ${turn('Nell', 'nets')} ${turn('Ivo', 'tide')}`;
    const { story } = read(work(body));
    expect(texts(story.meta.notes)).to.deep.equal(['Thanks to my beta.', 'Lyrics: sea, sea, sea - A Song']);
    expect(story.chapters.map((c) => c.title)).to.deep.equal(['Harbour Day']);
    expect(story.chapters[0]!.sections.map((s) => s.voice)).to.deep.equal(['Nell', 'Ivo', 'Nell', 'Ivo']);
  });
  it('keeps "***" as a scene break when the parts have no headings', () => {
    const { story } = read(work(`${P('The tide came in.', 'Nell waited.')} *** ${P('The tide went out.', 'Nell left.')}`));
    expect(story.chapters).to.have.length(1);
    expect(story.chapters[0]!.title).to.equal(undefined);
    expect(story.chapters[0]!.sections[0]!.blocks.map((b) => b.kind)).to.deep.equal(['p', 'break', 'p']);
  });
  it('does not invent metadata', () => {
    const { story } = read(work('The tide came in.'));
    const m = story.meta;
    expect([m.language, m.series, m.updated, m.summary, m.notes, m.endNotes, m.disclaimer]).to.deep.equal([undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
    expect([m.relationships, m.characters, m.tags, m.category]).to.deep.equal([[], [], [], []]);
    expect(m.extra).to.deep.equal({});
  });
});

describe('ao3-flat: a 1 MB line', () => {
  it('reads in one pass and recovers every paragraph', function () {
    const parts: string[] = [];
    const perPart = 40;
    let expected = 0;
    for (let k = 1; parts.join(' ').length < 1_000_000; k++) {
      const paras: string[] = [];
      for (let i = 0; i < perPart; i++) {
        const label = i === 0 ? 'Nell: ' : i === perPart / 2 ? 'Ivo: ' : '';
        paras.push(label + P(`The boat number ${k} came in at ${i} bells.`, '“Rope!” she called, and the gulls lifted off the wall.', 'Nobody answered.'));
      }
      expected += perPart;
      parts.push(`Day_${k} ${paras.join(' ')}`);
    }
    const { story } = read(work(parts.join(' *** ')));
    expect(story.chapters).to.have.length(parts.length);
    expect(paragraphs(story)).to.have.length(expected);
    expect(story.chapters[1]!.title).to.equal('Day 2');
    expect(story.chapters[1]!.sections.map((s) => s.voice)).to.deep.equal(['Nell', 'Ivo']);
  });
});

describe('ao3-flat: the seed download', () => {
  const seed = join(seedsDir, '002_56c2c10ae953014b.txt');
  let story: Story | undefined;
  before(function () {
    if (!existsSync(seed)) this.skip();
    story = readText(ao3Flat, input(readFileSync(seed, 'utf8'), seed), defaultOptions()).story;
  });

  it('is sniffed as ao3-flat', function () {
    expect(ao3Flat.sniff(input(readFileSync(seed, 'utf8')))).to.be.at.least(0.9);
  });
  it('reads the metadata', () => {
    const m = story!.meta;
    expect(m.title).to.equal('I Shatter');
    expect(m.authors).to.deep.equal(['Slinkling']);
    expect(m.rating).to.equal('Explicit');
    expect(m.warnings).to.deep.equal(['Underage']);
    expect(m.category).to.deep.equal(['M/M']);
    expect(m.fandoms).to.deep.equal(['Smallville']);
    expect(m.relationships).to.deep.equal(['Clark Kent/Lex Luthor']);
    expect(m.characters).to.deep.equal(['Clark Kent', 'Lex Luthor', 'Toby']);
    expect(m.tags).to.deep.equal(['Angst', 'episode-related']);
    expect(m.statedWords).to.equal(7641);
    expect(m.published).to.equal('2009-12-29');
    expect(m.sourceUrl).to.equal('https://archiveofourown.org/works/41063');
    expect(m.series).to.equal(undefined);
    expect(texts(m.summary)).to.deep.equal(['What if Clark wasn\'t such a coward at the end of "Shattered"?']);
    expect(texts(m.notes)[0]).to.match(/^This will make a lot more sense if you've seen the relevant Smallville episode/);
    const notes = texts(m.notes).join(' ');
    expect(notes).to.include('Bang – there was you');
    expect(notes).to.match(/I shatter\s+-\s+Magnetic Fields$/);
    expect(story!.front).to.deep.equal([]);
  });
  it('has five chapters, each in the voices Lex then Clark', () => {
    expect(story!.chapters.map((c) => c.title)).to.deep.equal(['Day One', 'Day Two', 'Day Three', 'Day Four', 'Later']);
    for (const c of story!.chapters) expect(c.sections.map((s) => s.voice), c.title).to.deep.equal(['Lex', 'Clark']);
  });
  it('recovers about 256 paragraphs, from the first words to the last', () => {
    const ps = paragraphs(story!).map(text);
    expect(ps.length).to.be.within(231, 281);
    expect(ps[0]).to.match(/^The car is speeding towards me/);
    expect(ps[ps.length - 1]).to.match(/with a whoosh and a breeze he was gone\.$/);
  });
  it('keeps no site cruft', () => {
    const all = allText(story!);
    for (const s of ['drop_by_the_archive', 'Day_One', 'Clark_Kent', 'Archive_of_Our_Own', 'Posted originally on the', '******', 'drop by the archive']) expect(all, s).not.to.include(s);
  });
});
