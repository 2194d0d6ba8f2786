/** Identity from the source, joining pieces of a story, and matching chapters for an update. */
import { expect } from 'chai';
import type { Meta, Story } from '../../src/model.js';
import type { ExistingBook, ExistingPage, ExistingStory } from '../../src/update/existing.js';
import { storyIdentifier, anthologyIdentifier } from '../../src/update/identity.js';
import { joinStories, wholeStory } from '../../src/update/join.js';
import { layoutChapters, storiesAfterUpdate } from '../../src/update/update.js';

const meta = (m: Partial<Meta>): Meta => ({ authors: [], fandoms: [], relationships: [], characters: [], warnings: [], category: [], tags: [], extra: {}, ...m });
const ided = (m: Partial<Meta>, identifier?: string) => ({ meta: meta(m), ...(identifier ? { source: { identifier } } : {}) });
const story = (m: Partial<Meta>, text: string): Story => ({
  meta: meta(m), front: [], end: [], chapters: [{ sections: [{ blocks: [{ kind: 'p', content: [text] }] }] }], source: { path: 'x', format: 'journal', score: 1, encoding: 'utf-8' },
});

describe('living books: identity', () => {
  it('is the same for the same source whatever the text and title, and differs between sources', () => {
    const a = storyIdentifier(ided({ title: 'Tide', authors: ['Ann'], sourceUrl: 'https://archiveofourown.org/works/12' }));
    expect(storyIdentifier(ided({ title: 'Tide (rewrite)', authors: ['Ann'], sourceUrl: 'http://www.archiveofourown.org/works/12/' }))).to.equal(a);
    expect(storyIdentifier(ided({ title: 'Tide', authors: ['Ann'], sourceUrl: 'https://archiveofourown.org/works/13' }))).not.to.equal(a);
    expect(a).to.match(/^urn:uuid:[0-9a-f-]{36}$/);
  });
  it('names a story with neither source nor author by its title and opening words', () => {
    const a = story({ title: 'Part' }, 'First story words.');
    const b = story({ title: 'Part' }, 'Second story, other words.');
    expect(storyIdentifier(a)).not.to.equal(storyIdentifier(b));
    const grown = { ...a, chapters: [...a.chapters, { sections: [{ blocks: [{ kind: 'p' as const, content: ['A later chapter.'] }] }] }] };
    expect(storyIdentifier(grown)).to.equal(storyIdentifier(a));
  });
  it("takes an input EPUB's own identifier first, hashed into fic2epub's namespace", () => {
    const own = storyIdentifier(ided({ title: 'Tide', authors: ['Ann'], sourceUrl: 'https://archiveofourown.org/works/12' }, 'urn:isbn:9780000000000'));
    expect(own).to.equal(storyIdentifier(ided({ title: 'Other', authors: [] }, 'urn:isbn:9780000000000')));
    expect(own).not.to.equal(storyIdentifier(ided({ title: 'Tide', authors: ['Ann'], sourceUrl: 'https://archiveofourown.org/works/12' })));
    expect(own).not.to.include('9780000000000');
  });
  it('falls back on title and first author; parts of a post series share it; an anthology has its own', () => {
    const p1 = storyIdentifier(ided({ title: 'Floats', authors: ['Osk'], sourceUrl: 'https://osk.example/1.html', installment: { index: 1, total: 2, unit: 'part' } }));
    const p2 = storyIdentifier(ided({ title: 'Floats', authors: ['Osk'], sourceUrl: 'https://osk.example/7.html', installment: { index: 2, total: 2, unit: 'part' } }));
    expect(p1).to.equal(p2);
    expect(storyIdentifier(ided({ title: 'Floats', authors: ['Osk'] }))).to.equal(p1);
    expect(storyIdentifier(ided({ title: 'Floats', authors: ['Other'] }))).not.to.equal(p1);
    expect(anthologyIdentifier({ title: 'Floats', editors: ['Osk'] })).not.to.equal(p1);
  });
});

describe('living books: join', () => {
  it('orders parts by their number and never joins stories that only share a title', () => {
    const part = (n: number, author: string) => ({ input: `${author}${n}`, story: story({ title: 'Floats', authors: [author], installment: { index: n, total: 2, unit: 'part' } }, `text ${n}`), diagnostics: [] });
    const joined = joinStories([part(2, 'Osk'), part(1, 'Ida'), part(1, 'Osk')]);
    expect(joined.map((j) => j.inputs)).to.deep.equal([['Osk1', 'Osk2'], ['Ida1']]);
    expect(joined[0]!.story.chapters.map((c) => c.sections[0]!.blocks[0])).to.deep.equal([{ kind: 'p', content: ['text 1'] }, { kind: 'p', content: ['text 2'] }]);
    expect(joined[1]!.diagnostics).to.deep.equal([]);
  });
  it("renames a later piece's footnotes that collide with an earlier piece's", () => {
    const part = (n: number) => {
      const s = story({ title: 'Floats', authors: ['Osk'], installment: { index: n, total: 2, unit: 'part' } }, `text ${n}`);
      s.chapters[0]!.sections[0]!.blocks = [{ kind: 'p', content: [`text ${n}`, { kind: 'em', content: [{ kind: 'noteref', id: '1' }] }] }];
      return { input: `${n}`, story: { ...s, footnotes: [{ id: '1', blocks: [{ kind: 'p' as const, content: [`note ${n}`] }] }] }, diagnostics: [] };
    };
    const [j] = joinStories([part(2), part(1)]);
    expect(j!.story.footnotes!.map((n) => [n.id, n.blocks[0]])).to.deep.equal([['1', { kind: 'p', content: ['note 1'] }], ['p2-1', { kind: 'p', content: ['note 2'] }]]);
    expect(j!.story.chapters[1]!.sections[0]!.blocks[0]).to.deep.equal({ kind: 'p', content: ['text 2', { kind: 'em', content: [{ kind: 'noteref', id: 'p2-1' }] }] });
  });
  it('knows when the pieces given so far make the whole story', () => {
    const part = (n: number, total?: number) => ({ input: `${n}`, story: story({ title: 'Floats', authors: ['Osk'], installment: { index: n, ...(total ? { total } : {}), unit: 'part' as const } }, 't'), diagnostics: [] });
    const [a, b, c] = [part(2, 3), part(1, 3), part(3, 3)];
    expect(wholeStory([a], a)).to.equal(undefined);
    expect(wholeStory([a, b], b)).to.equal(undefined);
    expect(wholeStory([a, b, c], c)).to.deep.equal([a, b, c]);
    const open = part(1);
    expect(wholeStory([open], open)).to.equal(undefined);
  });
  it('keeps pieces stating different totals apart', () => {
    const part = (n: number, total: number) => ({ input: `${n}/${total}`, story: story({ title: 'Floats', authors: ['Osk'], installment: { index: n, total, unit: 'part' } }, 't'), diagnostics: [] });
    expect(joinStories([part(1, 2), part(2, 3)])).to.have.length(2);
  });
});

describe('living books: matching chapters', () => {
  const page = (id: string, text: string): ExistingPage => ({ id, filename: `${id}.xhtml`, bytes: new Uint8Array([1]), title: id, lang: 'en', text });
  const old: ExistingStory = {
    prefix: '',
    pages: [],
    chapters: [page('c001', 'One the kettle had a dent'), page('c002', 'Two flags went up the mast every morning')],
    nav: new Map([['c001.xhtml', { label: 'One', href: 'c001.xhtml', children: [] }], ['c002.xhtml', { label: 'Two', href: 'c002.xhtml', children: [] }]]),
  };
  const opts = { prune: false, markNew: false, updateLog: false };
  it('keeps the same, replaces the edited under its old file, adds the new after', () => {
    const { slots, report } = layoutChapters([{ label: 'One', text: 'One the kettle had a dent' }, { label: 'Two', text: 'Two flags went up the mast every single morning' }, { label: 'Three', text: 'Three tea' }], old, opts);
    expect(report).to.deep.equal({ added: ['Three'], changed: ['Two'], kept: ['One'], removed: [] });
    expect(slots.map((s) => (s.kind === 'chapter' ? `${s.id}${s.verbatim ? '=' : ''}` : 'kept'))).to.deep.equal(['c001=', 'c002', 'c003']);
  });
  it('keeps chapters the input lacks (before the new ones), or prunes them', () => {
    const only = [{ label: 'Three', text: 'Three tea' }];
    expect(layoutChapters(only, old, opts).report).to.deep.equal({ added: ['Three'], changed: [], kept: ['One', 'Two'], removed: [] });
    expect(layoutChapters(only, old, { ...opts, prune: true }).report).to.deep.equal({ added: ['Three'], changed: [], kept: [], removed: ['One', 'Two'] });
    expect(layoutChapters(only, old, opts).slots.map((s) => s.kind)).to.deep.equal(['kept', 'kept', 'chapter']);
  });
  it('marks a new chapter in the book\'s language, and takes a mark in any language off kept ones', () => {
    const marked: ExistingStory = { ...old, nav: new Map([['c001.xhtml', { label: 'One (neu)', href: 'c001.xhtml', children: [] }], ['c002.xhtml', { label: 'Two （新）', href: 'c002.xhtml', children: [] }]]) };
    const { slots } = layoutChapters([{ label: 'Three', text: 'Three tea' }], marked, { ...opts, markNew: true }, 'de');
    expect(slots.map((s) => (s.kind === 'kept' ? s.nav.label : s.mark))).to.deep.equal(['One', 'Two', '(neu)']);
    const en = layoutChapters([{ label: 'Three', text: 'Three tea' }], old, { ...opts, markNew: true });
    expect(en.slots.map((s) => (s.kind === 'chapter' ? s.mark : undefined))).to.deep.equal([undefined, undefined, '(new)']);
  });
});

describe('living books: an anthology\'s stories after an update', () => {
  it('knows a story it holds by its label in the stories\' language', () => {
    const book = { stories: [{ entry: { label: 'Ebbe von Ann', href: 's001-title.xhtml', children: [] } }] } as unknown as ExistingBook;
    const de = (title: string): Story => story({ title, authors: ['Ann'], language: 'de' }, 'Text');
    expect(storiesAfterUpdate({ title: 'Sammlung', editors: [], stories: [de('Ebbe'), de('Flut')] }, book)).to.equal(2);
  });
});
