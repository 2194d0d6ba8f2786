import { expect } from 'chai';
import type { Meta, Story } from '../../src/model.js';
import { calibreColumnJson, CALIBRE_COLUMNS, statusText } from '../../src/package/library-meta.js';
import { renderOpf } from '../../src/package/opf.js';
import { planStory } from '../../src/render/book.js';
import { storyStatus } from '../../src/render/library.js';

function meta(extra: Record<string, string> = {}): Meta {
  return {
    title: 'Tide', authors: ['Ann'], fandoms: ['Harbour (TV)'], relationships: ['A/B', 'B & C'], characters: ['A', 'B'], rating: 'Mature',
    warnings: ['No Archive Warnings Apply'], category: ['F/M', 'Gen'], tags: ['Boats', 'Rain'], extra, published: '2020-01-02', updated: '2020-03-04', language: 'en',
  };
}

function story(m: Meta, chapters = 2): Story {
  return {
    meta: m, front: [], end: [], source: { path: 'x.txt', format: 'plain-text', score: 1, encoding: 'utf-8' },
    chapters: Array.from({ length: chapters }, (_, i) => ({ sections: [{ blocks: [{ kind: 'p' as const, content: [`Word ${i} and more.`] }] }] })),
  };
}

describe('library metadata', () => {
  const cases: [string, Record<string, string>, number, ReturnType<typeof storyStatus>][] = [
    ['Archive, unfinished', { Chapters: '3/10' }, 3, { complete: false, chapters: 3, total: 10 }],
    ['Archive, planned total unknown', { Chapters: '3/?' }, 3, { complete: false, chapters: 3 }],
    ['Archive, finished', { Chapters: '4/4' }, 4, { complete: true, chapters: 4, total: 4 }],
    ['Archive, completed on a date', { Completed: '2021-02-10' }, 3, { complete: true, chapters: 3, total: 3 }],
    ['FanFiction.Net, complete', { Status: 'Complete' }, 5, { complete: true, chapters: 5, total: 5 }],
    ['FanFiction.Net, in progress', { Status: 'In-Progress' }, 2, { complete: false, chapters: 2 }],
    ['nothing stated', {}, 2, undefined],
  ];
  for (const [name, extra, n, expected] of cases) {
    it(`status: ${name}`, () => expect(storyStatus(meta(extra), n)).to.deep.equal(expected));
  }

  it('status text: complete, or n of m chapters', () => {
    const lib = (s: ReturnType<typeof storyStatus>) => ({ fandoms: [], relationships: [], characters: [], tags: [], warnings: [], category: [], ...(s ? { status: s } : {}) });
    expect(statusText(lib({ complete: true, chapters: 4, total: 4 }))).to.equal('Complete');
    expect(statusText(lib({ complete: false, chapters: 3, total: 10 }))).to.equal('In progress (3 of 10 chapters)');
    expect(statusText(lib(undefined))).to.equal(undefined);
  });

  it('the package keeps fandoms, relationships, characters and tags apart, with a declared prefix, and the flat subjects stay', () => {
    const opf = renderOpf(planStory(story(meta({ Chapters: '2/5' })), { css: '' }));
    expect(opf).to.match(/<package [^>]*prefix="fic2epub: https:\/\/[^"]+"/);
    const props = (p: string): string[] => [...opf.matchAll(new RegExp(`<meta property="fic2epub:${p}">([^<]*)</meta>`, 'g'))].map((m) => m[1]!);
    expect(props('fandom')).to.deep.equal(['Harbour (TV)']);
    expect(props('relationship')).to.deep.equal(['A/B', 'B &amp; C']);
    expect(props('character')).to.deep.equal(['A', 'B']);
    expect(props('freeform')).to.deep.equal(['Boats', 'Rain']);
    expect(props('rating')).to.deep.equal(['Mature']);
    expect(props('warning')).to.deep.equal(['No Archive Warnings Apply']);
    expect(props('category')).to.deep.equal(['F/M', 'Gen']);
    expect(props('status')).to.deep.equal(['in-progress']);
    expect(props('chapters-posted')).to.deep.equal(['2']);
    expect(props('chapters-planned')).to.deep.equal(['5']);
    expect(props('chapters')).to.deep.equal(['2']);
    expect(Number(props('words')[0])).to.be.greaterThan(0);
    expect(props('published')).to.deep.equal(['2020-01-02']);
    expect(props('updated')).to.deep.equal(['2020-03-04']);
    expect([...opf.matchAll(/<dc:subject>([^<]*)<\/dc:subject>/g)].map((m) => m[1])).to.deep.equal(['Harbour (TV)', 'A/B', 'B &amp; C', 'A', 'B', 'Boats', 'Rain']);
  });

  it("calibre's custom-column form: one meta per column, JSON calibre reads (value, type, list separators)", () => {
    const opf = renderOpf(planStory(story(meta({ Chapters: '2/5' })), { css: '' }));
    const unescape = (s: string): string => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const cols = Object.fromEntries([...opf.matchAll(/<meta name="calibre:user_metadata:(#\w+)" content="([^"]*)"\/>/g)].map((m) => [m[1]!, JSON.parse(unescape(m[2]!)) as Record<string, unknown>]));
    expect(Object.keys(cols)).to.deep.equal(CALIBRE_COLUMNS.map((c) => `#${c.label}`));
    expect(cols['#relationships']!['#value#']).to.deep.equal(['A/B', 'B & C']);
    expect(cols['#relationships']!.is_multiple).to.equal('|');
    expect(cols['#relationships']!.is_multiple2).to.deep.equal({ cache_to_list: '|', list_to_ui: ', ', ui_to_list: ',' });
    expect(cols['#ficrating']).to.include({ datatype: 'text', '#value#': 'Mature', is_multiple: null });
    expect(cols['#status']!['#value#']).to.equal('In progress (2 of 5 chapters)');
    expect(cols['#chapters']).to.include({ datatype: 'int', '#value#': 2 });
    expect(cols['#published']!['#value#']).to.deep.equal({ __class__: 'datetime.datetime', __value__: '2020-01-02T00:00:00+00:00' });
    for (const c of Object.values(cols)) expect(c).to.include.keys('name', 'label', 'datatype', 'is_multiple', 'is_multiple2', '#value#', '#extra#');
  });

  it('writes keys sorted, so the same book gives the same bytes', () => {
    const json = calibreColumnJson(CALIBRE_COLUMNS[0]!, ['x']);
    const keys = [...json.matchAll(/"([^"]+)": /g)].map((m) => m[1]!).filter((k) => !['cache_to_list', 'list_to_ui', 'ui_to_list', 'description'].includes(k));
    expect(keys).to.deep.equal([...keys].sort());
  });

  it('writes every column the same around its value, whatever the value (quotes, control characters, lists)', () => {
    for (const c of CALIBRE_COLUMNS) {
      const values = c.datatype === 'int' ? [0, 12345] : c.datatype === 'datetime' ? ['2020-01-02', '1999-12-31'] : ['a "quoted" \u0000value\u0000 ünï', ['x', 'y, z']];
      const parsed = values.map((v) => JSON.parse(calibreColumnJson(c, v)) as Record<string, unknown>);
      parsed.forEach((p, i) => {
        const v = values[i]!;
        expect(p['#value#'], c.label).to.deep.equal(c.datatype === 'datetime' ? { __class__: 'datetime.datetime', __value__: `${String(v)}T00:00:00+00:00` } : v);
        expect({ ...p, '#value#': null }, c.label).to.deep.equal({ ...parsed[0], '#value#': null });
        expect(p).to.include({ label: c.label, name: c.name, datatype: c.datatype });
      });
    }
  });

  it('no library fields when nothing is known: only words and chapters', () => {
    const bare: Meta = { authors: [], fandoms: [], relationships: [], characters: [], warnings: [], category: [], tags: [], extra: {} };
    const opf = renderOpf(planStory(story(bare, 1), { css: '' }));
    expect([...opf.matchAll(/property="fic2epub:([\w-]+)"/g)].map((m) => m[1])).to.deep.equal(['words', 'chapters']);
    expect([...opf.matchAll(/calibre:user_metadata:(#\w+)/g)].map((m) => m[1])).to.deep.equal(['#words', '#chapters']);
  });
});
