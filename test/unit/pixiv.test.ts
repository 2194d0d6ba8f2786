/** pixiv novel markup: pages, chapters, ruby, links, jumps and pictures. */
import { expect } from 'chai';
import { readText } from '../../src/read/context.js';
import { readFileSync } from 'node:fs';
import type { Inline, Story } from '../../src/model.js';
import { defaultOptions } from '../../src/options.js';
import { newLosses } from '../../src/read/fidelity.js';
import { pixiv, pixivInlines } from '../../src/read/formats/pixiv.js';
import type { ReadResult } from '../../src/read/context.js';
import { fixture } from '../helpers/paths.js';

const read = (text: string): ReadResult => readText(pixiv, { path: 'p.txt', text, encoding: 'utf-8' }, defaultOptions());
const sniff = (text: string): number => pixiv.sniff({ path: 'p.txt', text, encoding: 'utf-8' });
const kinds = (s: Story): string[][] => s.chapters.map((c) => c.sections.flatMap((x) => x.blocks.map((b) => b.kind)));

describe('pixiv format', () => {
  describe('sniff', () => {
    const CASES: [string, string, number][] = [
      ['chapters and pages', '[chapter:One]\nText.\n[newpage]\n[chapter:Two]\nMore.\n', 0.95],
      ['ruby and a page break', '雨が[[rb:降 > ふ]]る。\n[newpage]\n晴れた。\n', 0.95],
      ['one page break', 'Text.\n[newpage]\nMore.\n', 0.7],
      ['square brackets in prose', 'She wrote [sic] and [redacted] in the margin.\n', 0],
      ['a link-like tag without its arrow', 'See [[jumpuri:nothing]] here.\n', 0],
    ];
    for (const [name, text, score] of CASES) it(`${name} → ${score}`, () => expect(sniff(text)).to.equal(score));
  });

  describe('inline tags', () => {
    const TABLE: [string, Inline[], string[]][] = [
      ['[[rb:漢字 > かんじ]]を読む', [{ kind: 'ruby', base: '漢字', text: 'かんじ' }, 'を読む'], []],
      ['a [[rb:word>reading]] b', ['a ', { kind: 'ruby', base: 'word', text: 'reading' }, ' b'], []],
      ['see [[jumpuri:the map > https://example.org/map]].', ['see ', { kind: 'link', href: 'https://example.org/map', content: ['the map'] }, '.'], []],
      ['see [[jumpuri:the map > javascript:alert(1)]].', ['see the map.'], ['fid-004']],
      ['go [jump:3] on', ['go  on'], ['fid-007']],
      ['pic [pixivimage:123-1] here [uploadedimage:9]', ['pic  here '], ['fid-001']],
      ['plain [text] stays', ['plain [text] stays'], []],
    ];
    for (const [text, want, lost] of TABLE) {
      it(text, () => {
        const losses = newLosses();
        expect(pixivInlines(text, losses)).to.deep.equal(want);
        expect(Object.keys(losses.counts)).to.deep.equal(lost);
      });
    }
  });

  describe('the golden fixture (Japanese, with chapters)', () => {
    let r: ReadResult;
    before(() => {
      r = read(readFileSync(fixture('golden', 'pixiv', 'input.txt'), 'utf8'));
    });
    it('reads the header', () => {
      expect(r.story.meta.title).to.equal('灯台守の夜');
      expect(r.story.meta.authors).to.deep.equal(['水野しずく']);
    });
    it('makes a chapter of each [chapter:] and one break of [newpage] + [chapter:]', () => {
      expect(r.story.chapters.map((c) => c.title)).to.deep.equal(['第一章　嵐の前', '第二章　光', 'あとがき']);
      expect(kinds(r.story)).to.deep.equal([['p', 'p', 'p', 'p'], ['p', 'p', 'p', 'p'], ['p']]);
    });
    it('makes ruby and links, and counts what it drops', () => {
      const first = r.story.chapters[0]!.sections[0]!.blocks[0]!;
      expect(first).to.deep.equal({ kind: 'p', content: ['その夜、', { kind: 'ruby', base: '灯台守', text: 'とうだいもり' }, 'の老人はいつもより早く階段を上った。'] });
      const last = r.story.chapters[2]!.sections[0]!.blocks[0]!;
      expect(last.kind === 'p' && last.content[1]).to.deep.equal({ kind: 'link', href: 'https://example.org/lighthouses', content: ['こちらの記事'] });
      expect(r.diagnostics.map((d) => d.code)).to.deep.equal(['fid-001', 'fid-007']);
    });
  });

  describe('a work without chapters', () => {
    let r: ReadResult;
    before(() => {
      r = read(readFileSync(fixture('pixiv', 'night-ferry.txt'), 'utf8'));
    });
    it('takes the title and byline', () => {
      expect([r.story.meta.title, r.story.meta.authors]).to.deep.equal(['The Night Ferry', ['Rowan Hale']]);
    });
    it('makes a page break a scene break in one chapter', () => {
      expect(kinds(r.story)).to.deep.equal([['p', 'p', 'p', 'p', 'break', 'p', 'p', 'p', 'p']]);
    });
  });

  it('keeps an end mark of an earlier page where it stood', () => {
    const r = read('[chapter:One]\nShe left.\nThe End\n[newpage]\n[chapter:Two]\nShe came back.\nThe End\n');
    expect(kinds(r.story)).to.deep.equal([['p', 'p'], ['p']]);
    expect(r.story.end).to.have.length(1);
  });

  it('leaves an empty chapter tag untitled', () => {
    const r = read('[chapter:One]\nShe left.\n[newpage]\n[chapter:]\nShe came back.\n');
    expect(r.story.chapters.map((c) => c.title)).to.deep.equal(['One', undefined]);
  });

  it('makes a page break before the first chapter tag no empty chapter', () => {
    const r = read('[newpage]\n[chapter:One]\nShe left.\n[newpage]\n[chapter:Two]\nShe came back.\n');
    expect(r.story.chapters.map((c) => c.title)).to.deep.equal(['One', 'Two']);
  });
});
