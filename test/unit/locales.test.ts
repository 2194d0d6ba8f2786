import { expect } from 'chai';
import { LOCALES, wordsFor, type Words } from '../../src/render/locales.js';
import { planStory } from '../../src/render/book.js';
import { buildAnthology } from '../../src/index.js';
import type { CoverSpec } from '../../src/render/cover.js';
import { encodePng } from '../../src/render/png.js';
import type { Story } from '../../src/model.js';

const REQUIRED = ['en', 'de', 'fr', 'es', 'pt', 'it', 'nl', 'pl', 'ru', 'uk', 'ja', 'ko', 'zh-Hans', 'zh-Hant'];

/** Every value of an entry as text: strings as they are, functions called with sample values. */
function texts(w: Words): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(w)) {
    if (typeof v === 'string') out[k] = v;
    else if (k === 'joinNames') out[k] = (v as Words['joinNames'])(['Ann', 'Bo', 'Cy']);
    else if (k === 'wordCount') out[k] = `${w.wordCount('1,234', '1,200')} / ${w.wordCount('1,234')}`;
    else if (k === 'inProgress') out[k] = `${w.inProgress(3, 7)} / ${w.inProgress(3)}`;
    else if (k === 'seriesPart') out[k] = w.seriesPart('Tide', 2, 5);
    else if (k === 'coverOf') out[k] = w.coverOf('Tide', 'Ann');
    else if (k === 'updateLine') out[k] = w.updateLine('2026-12-06', ['Ann'], ['Bo'], ['Cy']);
    else out[k] = String((v as (x: never) => string)(7 as never));
  }
  return out;
}

describe('interface words (locales)', () => {
  const keys = Object.keys(texts(LOCALES.en!)).sort();

  it('has every required language', () => {
    expect(Object.keys(LOCALES)).to.include.members(REQUIRED);
  });

  for (const lang of Object.keys(LOCALES)) {
    it(`${lang}: every key, each giving text`, () => {
      const t = texts(LOCALES[lang]!);
      expect(Object.keys(t).sort(), lang).to.deep.equal(keys);
      for (const [k, v] of Object.entries(t)) expect(v.trim(), `${lang}.${k}`).to.not.equal('');
      // What varies reaches the text.
      expect(t.chapter, `${lang}.chapter`).to.contain('7');
      expect(t.volume, `${lang}.volume`).to.contain('7');
      expect(t.stories, `${lang}.stories`).to.contain('7');
      expect(t.joinNames, `${lang}.joinNames`).to.match(/Ann.*Bo.*Cy/);
      expect(t.seriesPart, `${lang}.seriesPart`).to.match(/Tide.*2.*5/);
      expect(t.inProgress, `${lang}.inProgress`).to.match(/3.*7/);
      expect(t.by, `${lang}.by`).to.contain('7');
      expect(t.updateLine, `${lang}.updateLine`).to.match(/^2026-12-06.+Ann.+Bo.+Cy$/);
    });
  }

  it('other languages than English are translated (no English left but shared loan words)', () => {
    for (const lang of REQUIRED.filter((l) => l !== 'en')) {
      const w = LOCALES[lang]!;
      expect(w.contents, lang).to.not.equal('Contents');
      expect(w.storyInformation, lang).to.not.equal('Story information');
      expect(w.chapter(2), lang).to.not.equal('Chapter 2');
      expect(w.newMark, lang).to.not.equal('(new)');
      expect(w.noChangesYet, lang).to.not.equal('No changes yet.');
    }
  });

  it('finds the entry for a tag: exact, Chinese by script or region, primary subtag, else English', () => {
    expect(wordsFor('de-AT').contents).to.equal('Inhalt');
    expect(wordsFor('zh-TW').contents).to.equal('目錄');
    expect(wordsFor('zh-Hant-HK').contents).to.equal('目錄');
    expect(wordsFor('zh-CN').contents).to.equal('目录');
    expect(wordsFor('zh').contents).to.equal('目录');
    expect(wordsFor('PT-br').contents).to.equal('Sumário');
    expect(wordsFor('xx').contents).to.equal('Contents');
    expect(wordsFor(undefined).contents).to.equal('Contents');
  });

  it('Slavic plurals: one, few, many', () => {
    expect(['1', '2', '5', '11', '22', '25'].map((n) => wordsFor('ru').stories(Number(n)))).to.deep.equal(['1 история', '2 истории', '5 историй', '11 историй', '22 истории', '25 историй']);
    expect(wordsFor('pl').stories(3)).to.equal('3 opowiadania');
  });

  it('a German story speaks German in its front matter, chapters and navigation', () => {
    const story: Story = {
      meta: { title: 'Ebbe', authors: ['Ann', 'Bo'], fandoms: [], relationships: [], characters: [], warnings: [], category: [], tags: [], extra: {}, language: 'de' },
      front: [], end: [], source: { path: 'x.txt', format: 'plain-text', score: 1, encoding: 'utf-8' },
      chapters: [{ sections: [{ blocks: [{ kind: 'p', content: ['Eins.'] }] }] }, { sections: [{ blocks: [{ kind: 'p', content: ['Zwei.'] }] }] }],
    };
    const plan = planStory(story, { css: '', cover: Promise.resolve(new Uint8Array()) });
    const all = plan.pages.map((p) => p.body.xml).join('\n');
    expect(all).to.contain('Informationen zur Geschichte').and.contain('von Ann und Bo').and.contain('Kapitel 2').and.contain('Wörter');
    expect(all).to.not.match(/Story information|Chapter 2|>by /);
    expect(plan.labels).to.deep.equal({ contents: 'Inhalt', landmarks: 'Orientierungspunkte' });
    expect(plan.landmarks.map((l) => l.label)).to.deep.equal(['Umschlag', 'Titelseite', 'Inhalt', 'Textanfang']);
  });

  it('a German anthology\'s cover counts its stories in German, as its title page does', async () => {
    const story = (title: string): Story => ({
      meta: { title, authors: ['Ann'], fandoms: [], relationships: [], characters: [], warnings: [], category: [], tags: [], extra: {}, language: 'de' },
      front: [], end: [], source: { path: `${title}.txt`, format: 'plain-text', score: 1, encoding: 'utf-8' },
      chapters: [{ sections: [{ blocks: [{ kind: 'p', content: ['Eins.'] }] }] }],
    });
    const specs: CoverSpec[] = [];
    const png = encodePng(new Uint8Array(4 * 4 * 4).fill(255), 4, 4);
    await buildAnthology({ title: 'Sammlung', editors: [], stories: [story('Ebbe'), story('Flut')] }, undefined, { drawCover: async (spec) => (specs.push(spec), png) });
    expect(specs.map((s) => s.subtitle)).to.deep.equal(['2 Geschichten']);
  });
});
