import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { InputError } from '../../src/diagnostics.js';
import { readStoryBytes } from '../../src/index.js';
import type { Block, Story } from '../../src/model.js';
import { pictureSize } from '../../src/read/formats/epub/cover.js';
import { resolveHref } from '../../src/read/formats/epub/package.js';
import { descriptionBlocks } from '../../src/read/formats/epub/metadata.js';
import { sortAo3Subjects } from '../../src/read/formats/epub/producers.js';
import { isStandInAuthor, isStandInTitle, takeTrailingPageChrome } from '../../src/read/formats/epub/stand-ins.js';
import { fillEmptyFields, labelStarts, splitJoinedHeader, storyAsText, withBookMeta } from '../../src/read/saved-text.js';
import { refuseDtd } from '../../src/read/formats/epub/xml.js';
import { emptyMeta, emptyStory } from '../../src/read/story.js';
import { blocksText } from '../../src/text.js';
import { CONTAINER, epub2, ncxOf, xhtml } from '../helpers/make-epub.js';
import { fixture } from '../helpers/paths.js';
import { rawZip } from '../helpers/raw-zip.js';

const P = (s: string): string => `<p>${s} ${'The tide came in over the flats and the gulls went quiet. '.repeat(4)}</p>`;
const META = '<dc:title>Flats</dc:title><dc:creator opf:role="aut" opf:file-as="Bell, Ann">Ann Bell</dc:creator><dc:creator opf:role="trl">Cy Dunn</dc:creator><dc:language>en</dc:language><dc:identifier id="uid">urn:isbn:000</dc:identifier>';

async function read(bytes: Uint8Array): Promise<Story> {
  return (await readStoryBytes('x.epub', bytes)).story;
}

const chapterTexts = (s: Story): string[] => s.chapters.map((c) => blocksText(c.sections[0]!.blocks));

describe('EPUB in (reader)', () => {
  it('tells a converter\'s stand-ins from a stated title or author', () => {
    for (const t of [undefined, 'Untitled', 'UNKNOWN', 'saved_story_0417', '003_0fce398bfe668819', 'fic-12345', 'story.2']) expect(isStandInTitle(t), String(t)).to.equal(true);
    for (const t of ['Ghosts', '1984', 'The Salt Road', 'Out_of_Time Again', 'Nine Bells']) expect(isStandInTitle(t), t).to.equal(false);
    for (const a of ['Unknown', 'unknown author', 'Unbekannt', '未知']) expect(isStandInAuthor(a), a).to.equal(true);
    for (const a of ['Anonymous', 'Ann Bell', 'unknownauthor42']) expect(isStandInAuthor(a), a).to.equal(false);
  });

  it('finds the known field labels of a header joined into one paragraph, and no others', () => {
    const joined = 'Title: Low Flats Author: Ann Bell Character/Pairing: Rook/Wren Warning(s): None Word Count: 900 Challenge: week 3: Mud Flats: a prompt';
    const at = labelStarts(joined);
    expect(at.map((i) => joined.slice(i, joined.indexOf(':', i)))).to.deep.equal(['Title', 'Author', 'Character/Pairing', 'Warning(s)', 'Word Count', 'Challenge']);
    expect(labelStarts('She said: no. Then, later: yes.')).to.deep.equal([]);
    expect(labelStarts('Marked: Rating: low')).to.deep.equal([8]);
  });

  it('splits a header paragraph pandoc joined back into one paragraph a field', () => {
    const title = { kind: 'p' as const, content: ['Low Flats'] };
    const joined = { kind: 'p' as const, content: ['Title: Low Flats Author: Ann Bell Rating: Teen Summary: Mud, and a boat: stuck.'] };
    const story = { kind: 'p' as const, content: ['Rating: the tide came in. Author: nobody. Title: none.'] };
    const split = splitJoinedHeader([title, joined, story]);
    expect(split.map((b) => blocksText([b]))).to.deep.equal(['Low Flats', 'Title: Low Flats', 'Author: Ann Bell', 'Rating: Teen', 'Summary: Mud, and a boat: stuck.', 'Rating: the tide came in. Author: nobody. Title: none.']);
    // A paragraph that does not open with a label, or has fewer than three, is left alone.
    const prose = [{ kind: 'p' as const, content: ['Then Title: X Author: Y Rating: Z'] }, { kind: 'p' as const, content: ['Title: X Author: Y'] }];
    expect(splitJoinedHeader(prose)).to.equal(prose);
  });

  it('fills only the fields that say nothing, and says which', () => {
    const target = { ...emptyMeta(), title: 'Low Flats', rating: 'Teen' };
    const source = { ...emptyMeta(), title: 'Other', authors: ['Ann Bell'], rating: 'Mature', tags: ['boats'], disclaimer: 'Mine.' };
    expect(fillEmptyFields(target, source, ['title', 'authors', 'rating', 'tags', 'fandoms'])).to.deep.equal(['authors', 'tags']);
    expect([target.title, target.authors, target.rating, target.tags, target.disclaimer]).to.deep.equal(['Low Flats', ['Ann Bell'], 'Teen', ['boats'], undefined]);
    const merged = withBookMeta({ ...emptyMeta(), title: 'Read Again', extra: { Beta: 'x' } }, { ...emptyMeta(), language: 'en', disclaimer: 'Mine.', extra: { Beta: 'y', Art: 'z' } });
    expect([merged.title, merged.language, merged.disclaimer, merged.extra]).to.deep.equal(['Read Again', 'en', 'Mine.', { Beta: 'x', Art: 'z' }]);
  });

  it('puts a converted saved text back together as the text it was', () => {
    const p = (...content: (string | { kind: 'em'; content: string[] })[]): Block => ({ kind: 'p', content } as Block);
    const book = (...blocks: Block[]): Story => ({ ...emptyStory('x.epub', 'epub'), chapters: [{ sections: [{ blocks }] }] });
    // One paragraph a header line, a continuation line between two fields; the end pandoc joined.
    const text = storyAsText(book(p('Low Flats'), p('Title: Low Flats'), p('Based on: a song'), p('by Artist: someone'), p('Rating: Teen'), p('The tide came in over the flats.'), { kind: 'break' }, p('The End Tags: boats, tides • Post a new comment')));
    expect(text).to.equal('Low Flats\n\nTitle: Low Flats\nBased on: a song\nby Artist: someone\nRating: Teen\n\nThe tide came in over the flats.\n\n* * *\n\nThe End\n\nTags: boats, tides\n• Post a new comment');
    // A story line after the last field is story, not a continuation.
    expect(storyAsText(book(p('Title: Low Flats'), p('Author: Ann'), p('She rowed.'), p('He did not.')))).to.equal('Title: Low Flats\nAuthor: Ann\n\nShe rowed.\n\nHe did not.');
    // Emphasis goes back as the markers the text formats read; a link would be lost: no text.
    expect(storyAsText(book(p('She ', { kind: 'em', content: ['rowed'] }, '.'), p('He did not.')))).to.equal('She *rowed*.\n\nHe did not.');
    expect(storyAsText(book(p('She ', { kind: 'em', content: ['rowed'] }, ' all day.')))).to.equal('She *rowed* all day.');
    expect(storyAsText(book({ kind: 'p', content: ['She ', { kind: 'link', href: 'https://example.org/', content: ['rowed'] }] }, p('He did not.')))).to.equal(undefined);
  });

  it('takes a converted journal page\'s tags line and comment form off the end of its story', () => {
    const story = (...blocks: Block[]): Story => ({ ...emptyStory('x.epub', 'epub'), chapters: [{ sections: [{ blocks: [{ kind: 'p', content: ['They rowed home.'] }, ...blocks] }] }] });
    // pandoc: the end mark, the tags and the first line of the form joined; the rest one block.
    const joined = story({ kind: 'p', content: ['The End Tags: boats: rowing, tides • Post a new comment'] }, { kind: 'pre', text: 'Anonymous comments are disabled in this journal\n\ndefault userpic' });
    expect(takeTrailingPageChrome(joined)).to.equal(2);
    expect(blocksText(joined.chapters[0]!.sections[0]!.blocks)).to.equal('They rowed home.\nThe End');
    expect(joined.meta.tags).to.deep.equal(['boats: rowing', 'tides']);
    // calibre: a paragraph a line, the bullet mis-decoded.
    const lines = story({ kind: 'p', content: ['Tags: boats'] }, { kind: 'p', content: ['\uFFFD Post a new comment'] }, { kind: 'p', content: ['Your IP address will be recorded'] });
    expect(takeTrailingPageChrome(lines)).to.equal(3);
    expect(lines.meta.tags).to.deep.equal(['boats']);
    // A last paragraph of story that only mentions tags stays.
    const prose = story({ kind: 'p', content: ['She wrote on the crate, in a hand nobody could read, Tags: none'] });
    expect(takeTrailingPageChrome(prose)).to.equal(0);
    expect(prose.chapters[0]!.sections[0]!.blocks).to.have.length(2);
  });

  it('reads again as text a book whose whole story is one flat paragraph (a converted one-line download)', async () => {
    const flat = readFileSync(fixture('golden', 'ao3-flat', 'input.txt'), 'utf8').trim();
    const escaped = flat.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const meta = '<dc:title>ao3_flat_99001</dc:title><dc:creator opf:role="aut">Unknown</dc:creator><dc:language>en</dc:language><dc:identifier id="uid">x</dc:identifier>';
    const s = await read(epub2(meta, [['a.xhtml', xhtml('A', `<p>${escaped}</p>`)]], [], ncxOf([])));
    expect(s.meta.title).to.equal('Two Lamps');
    expect(s.meta.authors).to.include('Wren Tallow');
    expect(s.meta.fandoms).to.deep.equal(['Harbour Lights (TV)']);
    expect(s.chapters.length).to.be.above(1);
    const paragraphs = s.chapters.flatMap((c) => c.sections.flatMap((x) => x.blocks.filter((b) => b.kind === 'p')));
    expect(paragraphs.length).to.be.above(10);
    // A long story that is truly one paragraph, in no format a text reader claims, stays one.
    const prose = `<p>${'She walked the long way round the harbour, past the nets and the closed cafe and the boats asleep on their ropes, and thought about nothing much. '.repeat(20)}</p>`;
    const one = await read(epub2(META, [['a.xhtml', xhtml('A', prose)]], [], ncxOf([])));
    expect(one.meta.title).to.equal('Flats');
    expect(one.chapters.flatMap((c) => c.sections.flatMap((x) => x.blocks))).to.have.length(1);
  });

  it('reads a converted journal post again as the journal post it was, when its package states nothing', async () => {
    const meta = '<dc:title>post_0417</dc:title><dc:creator opf:role="aut">Unknown</dc:creator><dc:language>en</dc:language><dc:identifier id="uid">x</dc:identifier>';
    const lines = ['Ann Bell (annbell) wrote,', 'Ann Bell', 'Low Flats', 'Title: Low Flats', 'Author: Ann Bell', 'Rating: Teen', 'Based on: a song', 'by the harbour band', 'Fandom: Original Work', ...['One.', 'Two.', 'Three.'].map((w) => `${w} The tide came in over the flats and the gulls went quiet.`), 'The End', 'Tags: boats, tides', 'Post a new comment', 'default userpic'];
    const s = await read(epub2(meta, [['a.xhtml', xhtml('A', lines.map((l) => `<p>${l}</p>`).join(''))]], [], ncxOf([])));
    expect([s.meta.title, s.meta.authors, s.meta.rating, s.meta.fandoms, s.meta.tags]).to.deep.equal(['Low Flats', ['Ann Bell'], 'Teen', ['Original Work'], ['boats', 'tides']]);
    const text = s.chapters.map((c) => blocksText(c.sections[0]!.blocks)).join('\n');
    for (const gone of ['(annbell) wrote', 'Title:', 'by the harbour band', 'Post a new comment', 'Tags:']) expect(text).to.not.include(gone);
    expect(text).to.include('Three. The tide came in');
    // A package that states its title and author is read as the book it is.
    const stated = await read(epub2(META, [['a.xhtml', xhtml('A', lines.map((l) => `<p>${l}</p>`).join(''))]], [], ncxOf([])));
    expect(stated.meta.title).to.equal('Flats');
  });

  it('reads a header pandoc joined into one paragraph at the top of a converted text', async () => {
    const meta = '<dc:title>saved_story_0417</dc:title><dc:language>en</dc:language><dc:identifier id="uid">x</dc:identifier>';
    const body = `<p>Low Flats</p><p>Title: Low Flats Author: Ann Bell Rating: Teen Fandom: Original Work</p>${P('One.')}${P('Two.')}`;
    const s = await read(epub2(meta, [['a.xhtml', xhtml('A', body)]], [], ncxOf([])));
    expect([s.meta.title, s.meta.authors, s.meta.rating, s.meta.fandoms]).to.deep.equal(['Low Flats', ['Ann Bell'], 'Teen', ['Original Work']]);
    expect(blocksText(s.chapters[0]!.sections[0]!.blocks)).to.not.include('Author:');
  });

  it('reads the story\'s header at the top of a converted text into what the package left to stand-ins', async () => {
    const meta = '<dc:title>saved_story_0417</dc:title><dc:creator opf:role="aut">Unknown</dc:creator><dc:language>en</dc:language><dc:identifier id="uid">x</dc:identifier>';
    const body = `<p>Title: Low Flats</p><p>Author: Ann Bell</p><p>Rating: Teen</p><p>Fandom: Original Work</p>${P('One.')}${P('Two.')}`;
    const s = await read(epub2(meta, [['a.xhtml', xhtml('A', body)]], [], ncxOf([])));
    expect(s.meta.title).to.equal('Low Flats');
    expect(s.meta.authors).to.deep.equal(['Ann Bell']);
    expect(s.meta.rating).to.equal('Teen');
    expect(s.meta.fandoms).to.deep.equal(['Original Work']);
    expect(chapterTexts(s)[0]).to.match(/^One\./);
  });

  it('keeps a stated title and author over the header\'s, and still takes the header out of the text', async () => {
    const body = `<p>Title: Another Name</p><p>Author: Someone Else</p><p>Rating: Teen</p>${P('One.')}`;
    const s = await read(epub2(META, [['a.xhtml', xhtml('A', body)]], [], ncxOf([])));
    expect(s.meta.title).to.equal('Flats');
    expect(s.meta.authors).to.deep.equal(['Ann Bell']);
    expect(s.meta.rating).to.equal('Teen');
    expect(chapterTexts(s)[0]).to.match(/^One\./);
  });

  it('takes neither a conversion timestamp as the publication date nor a "C" locale as the language', async () => {
    const meta = '<dc:title>Flats</dc:title><dc:language>C</dc:language><dc:date>2026-12-06T05:28:34Z</dc:date><meta property="dcterms:modified">2026-12-06T05:28:34Z</meta><dc:identifier id="uid">x</dc:identifier>';
    const s = await read(epub2(meta, [['a.xhtml', xhtml('A', P('One.'))]], [], ncxOf([])));
    expect(s.meta.published).to.equal(undefined);
    expect(s.meta.language).to.equal('en');
    const dated = await read(epub2(meta.replace('<dc:date>2026-12-06T05:28:34Z', '<dc:date>2019-03-02'), [['a.xhtml', xhtml('A', P('One.'))]], [], ncxOf([])));
    expect(dated.meta.published).to.equal('2019-03-02');
  });

  it('resolves hrefs inside the book and refuses those that leave it', () => {
    expect(resolveHref('OEBPS/content.opf', 'Text/ch%201.xhtml#n2')).to.deep.equal({ name: 'OEBPS/Text/ch 1.xhtml', fragment: 'n2' });
    expect(resolveHref('OEBPS/Text/a.xhtml', '../Images/b.png')).to.deep.equal({ name: 'OEBPS/Images/b.png' });
    expect(resolveHref('a.xhtml', '../../../etc/passwd')).to.deep.equal({ name: 'etc/passwd' });
    expect(resolveHref('a.xhtml', 'https://example.org/')).to.equal(undefined);
    expect(resolveHref('a.xhtml', '//example.org/x')).to.equal(undefined);
  });

  it('refuses DOCTYPEs with an internal subset and entity declarations, not plain ones', () => {
    expect(() => refuseDtd('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>', 'a.opf')).to.throw(InputError, /declares entities in a DTD in "a.opf"/);
    expect(() => refuseDtd('<!DOCTYPE x SYSTEM "x.dtd" [ ]><x/>', 'a.opf')).to.throw(InputError);
    expect(() => refuseDtd('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd"><html/>', 'a.xhtml')).not.to.throw();
  });

  it('reads titles from the NCX, drops a heading that repeats one, and takes an untitled chapter\'s heading', async () => {
    const s = await read(epub2(META, [['a.xhtml', xhtml('A', `<h2>The Flats</h2>${P('One.')}`)], ['b.xhtml', xhtml('B', `<h2>Low Water</h2>${P('Two.')}`)]], [], ncxOf([['The Flats', 'a.xhtml']])));
    expect(s.chapters.map((c) => c.title)).to.deep.equal(['The Flats']);
    expect(chapterTexts(s)[0]).to.match(/^One\. /).and.include('Low Water').and.include('Two.');
    const untitled = await read(epub2(META, [['a.xhtml', xhtml('A', `<h2>The Flats</h2>${P('One.')}`)], ['b.xhtml', xhtml('B', `<h2>Low Water</h2>${P('Two.')}`)]]));
    expect(untitled.chapters.map((c) => c.title)).to.deep.equal(['The Flats', 'Low Water']);
  });

  it('cuts a book in one file where its contents point into it', async () => {
    const body = `<p>Front matter line.</p><div id="c1"><h2>Ebb</h2>${P('One.')}</div><h2 id="c2">Flow</h2>${P('Two.')}<section><h2 id="c3">Slack</h2>${P('Three.')}</section>`;
    const s = await read(epub2(META, [['all.xhtml', xhtml('All', body)]], [], ncxOf([['Ebb', 'all.xhtml#c1'], ['Flow', 'all.xhtml#c2'], ['Slack', 'all.xhtml#c3']])));
    // What comes before the first place the contents name stays, as an untitled chapter.
    expect(s.chapters.map((c) => c.title)).to.deep.equal([undefined, 'Ebb', 'Flow', 'Slack']);
    expect(chapterTexts(s).map((t) => t.slice(0, 6))).to.deep.equal(['Front ', 'One. T', 'Two. T', 'Three.']);
  });

  it('joins calibre\'s split files back into one chapter when no contents list them', async () => {
    const s = await read(epub2(META, [['story_split_000.html', xhtml('A', `<h1>Part One</h1>${P('One.')}`)], ['story_split_001.html', xhtml('A', P('Still one.'))], ['other.html', xhtml('B', `<h1>Part Two</h1>${P('Two.')}`)]]));
    expect(s.chapters.map((c) => c.title)).to.deep.equal(['Part One', 'Part Two']);
    expect(chapterTexts(s)[0]).to.include('Still one.');
  });

  it('reads the package metadata: creators by role, identifier, dates, HTML description as text, series', async () => {
    const meta = `${META}<dc:date opf:event="publication">2020-02-03</dc:date><dc:date opf:event="modification">2020-05-06T10:00:00Z</dc:date><dc:description>&lt;p&gt;Sea &lt;b&gt;and&lt;/b&gt; sky.&lt;/p&gt;&lt;p&gt;More.&lt;/p&gt;</dc:description><dc:subject>Tides</dc:subject><dc:source>https://example.org/flats</dc:source><meta name="calibre:series" content="Coasts"/><meta name="calibre:series_index" content="2.0"/>`;
    const s = await read(epub2(meta, [['a.xhtml', xhtml('A', P('One.'))]]));
    expect(s.meta.title).to.equal('Flats');
    expect(s.meta.authors).to.deep.equal(['Ann Bell']);
    expect(s.meta.extra['Translator']).to.equal('Cy Dunn');
    expect(s.meta.published).to.equal('2020-02-03');
    expect(s.meta.updated).to.equal('2020-05-06');
    expect(s.meta.summary!.map((b) => blocksText([b]))).to.deep.equal(['Sea and sky.', 'More.']);
    expect(s.meta.tags).to.deep.equal(['Tides']);
    expect(s.meta.sourceUrl).to.equal('https://example.org/flats');
    expect(s.meta.series).to.deep.equal({ name: 'Coasts', index: 2 });
    expect(s.source.identifier).to.equal('urn:isbn:000');
    expect(s.source.format).to.equal('epub');
  });

  it('reads description text without markup as paragraphs, escaping nothing into markup', () => {
    const blocks = descriptionBlocks('First <not a tag.\n\nSecond & last.');
    expect(blocks!.map((b) => blocksText([b]))).to.deep.equal(['First <not a tag.', 'Second & last.']);
  });

  it('sorts the Archive\'s flattened subjects back into fields', () => {
    const meta = emptyMeta();
    sortAo3Subjects(['Fanworks', 'Mature', 'Graphic Depictions Of Violence', 'M/M', 'Harry Potter - J. K. Rowling', 'Draco Malfoy/Harry Potter', 'Ron & Hermione', 'Alternate Universe - Coffee Shops & Cafés', 'Angst'], meta);
    expect(meta.rating).to.equal('Mature');
    expect(meta.warnings).to.deep.equal(['Graphic Depictions Of Violence']);
    expect(meta.category).to.deep.equal(['M/M']);
    expect(meta.relationships).to.deep.equal(['Draco Malfoy/Harry Potter', 'Ron & Hermione']);
    expect(meta.tags).to.deep.equal(['Harry Potter - J. K. Rowling', 'Alternate Universe - Coffee Shops & Cafés', 'Angst']);
  });

  it('follows EPUB 2 back-and-forth footnotes across files', async () => {
    const s = await read(
      epub2(META, [
        ['a.xhtml', xhtml('A', `<h1>One</h1><p>The gulls went quiet.<a href="notes.xhtml#n1" id="r1"><sup>1</sup></a> ${'More water. '.repeat(20)}</p>`)],
        ['notes.xhtml', xhtml('Notes', '<h1>Notes</h1><p id="n1"><a href="a.xhtml#r1">1</a> Herring gulls, mostly.</p>')],
      ], [], ncxOf([['One', 'a.xhtml'], ['Notes', 'notes.xhtml']])),
    );
    expect(s.footnotes?.map((f) => blocksText(f.blocks))).to.deep.equal(['Herring gulls, mostly.']);
    expect(s.chapters.map((c) => c.title)).to.deep.equal(['One']);
  });

  it('keeps pictures from the archive (PNG by its bytes) and drops a picture-only cover page', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d5a0fd0000000049454e44ae426082', 'hex');
    const s = await read(epub2(META, [['cover.xhtml', xhtml('Cover', '<div><img src="img/p.png" alt="cover"/></div>')], ['a.xhtml', xhtml('A', `<h1>One</h1>${P('One.')}<p><img src="img/p.png" alt="a gull"/></p>`)]], [{ name: 'OEBPS/img/p.png', data: png, store: true }]));
    expect(s.chapters).to.have.length(1);
    expect(s.images).to.have.length(1);
    expect(s.chapters[0]!.sections[0]!.blocks.some((b) => b.kind === 'figure' && b.alt === 'a gull')).to.equal(true);
    expect(s.cover?.mediaType).to.equal('image/png');
  });

  it('reads a JPEG\'s and a GIF\'s size from their headers', () => {
    const jpeg = Buffer.from('ffd8ffe000104a46494600010101006400640000ffc0001108003c002803012200021101031101', 'hex');
    expect(pictureSize(jpeg)).to.deep.equal({ width: 40, height: 60 });
    expect(pictureSize(Buffer.from('474946383961280030000000', 'hex'))).to.deep.equal({ width: 40, height: 48 });
    expect(pictureSize(Buffer.from('not a picture'))).to.equal(undefined);
  });

  it('reads a content document that is not XML through the HTML parser', async () => {
    const s = await read(epub2(META, [['a.xhtml', `<html><body><h1>One</h1><p>Line one<br>line two &nbsp;here.</p>${P('One.')}</body></html>`]]));
    expect(chapterTexts(s)[0]).to.include('line two');
  });

  it('refuses a package document that is not XML, and a spine with nothing in the archive', async () => {
    const bad = rawZip([{ name: 'mimetype', data: 'application/epub+zip', store: true }, { name: 'META-INF/container.xml', data: CONTAINER }, { name: 'OEBPS/content.opf', data: '<package><metadata>' }]);
    expect(await readStoryBytes('x.epub', bad).catch((e: Error) => e.message)).to.match(/package file "OEBPS\/content.opf" that is not well-formed XML/);
    const empty = epub2(META, []);
    expect(await readStoryBytes('x.epub', empty).catch((e: Error) => e.message)).to.match(/its spine names no content document/);
  });
});
