/** Aozora Bunko: Shift_JIS, head lines, legend and colophon, ruby and ［＃］ annotations. */
import { expect } from 'chai';
import { readText } from '../../src/read/context.js';
import { readFileSync } from 'node:fs';
import type { Inline, Story } from '../../src/model.js';
import { defaultOptions } from '../../src/options.js';
import { decode } from '../../src/read/decode.js';
import { newLosses } from '../../src/read/fidelity.js';
import { aozora, readLine, wrapLast } from '../../src/read/formats/aozora.js';
import type { ReadResult } from '../../src/read/context.js';
import { blocksText } from '../../src/text.js';
import { fixture } from '../helpers/paths.js';

const read = (text: string): ReadResult => readText(aozora, { path: 'a.txt', text, encoding: 'shift_jis' }, defaultOptions());
const sniff = (text: string): number => aozora.sniff({ path: 'a.txt', text, encoding: 'utf-8' });
const readFixture = (...parts: string[]): ReadResult => {
  const d = decode(readFileSync(fixture(...parts)));
  return readText(aozora, { path: parts.join('/'), text: d.text, encoding: d.encoding }, defaultOptions());
};
const storyText = (s: Story): string => s.chapters.map((c) => `${c.title ?? ''}\n${c.sections.map((x) => blocksText(x.blocks)).join('\n')}`).join('\n');

describe('aozora format', () => {
  it('is decoded from Shift_JIS', () => {
    const bytes = readFileSync(fixture('golden', 'aozora', 'input.txt'));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).to.throw();
    const d = decode(bytes);
    expect(d.encoding).to.equal('shift_jis');
    expect(d.text.split('\n')[0]).to.equal('星を数える子');
  });

  describe('sniff', () => {
    const CASES: [string, string, number][] = [
      ['the notation legend', '題\n著者\n\n-------\n【テキスト中に現れる記号について】\n', 0.98],
      ['a colophon at the end', '題\n著者\n\n　本文。\n\n底本：「題」出版社\n', 0.9],
      ['ruby and annotations only', '題\n\n　本文《ほんぶん》。［＃改ページ］\n', 0.6],
      ['Japanese prose', '　雨が降っていた。「行こう」と彼は言った。\n', 0],
      ['English prose', 'It rained all night.\n', 0],
    ];
    for (const [name, text, score] of CASES) it(`${name} → ${score}`, () => expect(sniff(text)).to.equal(score));
  });

  describe('a line', () => {
    const TABLE: [string, Inline[], string[]][] = [
      ['　吾輩《わがはい》は猫である。', [{ kind: 'ruby', base: '吾輩', text: 'わがはい' }, 'は猫である。'], []],
      ['名を｜小夜《さよ》といった', ['名を', { kind: 'ruby', base: '小夜', text: 'さよ' }, 'といった'], []],
      ['一番｜獰悪《どうあく》な', ['一番', { kind: 'ruby', base: '獰悪', text: 'どうあく' }, 'な'], []],
      ['ひらがなの々後《あと》', ['ひらがなの', { kind: 'ruby', base: '々後', text: 'あと' }], []],
      ['ロンドン《倫敦》へ', [{ kind: 'ruby', base: 'ロンドン', text: '倫敦' }, 'へ'], []],
      ['《よみ》だけ', ['《よみ》だけ'], ['fid-007']],
      ['静かだった。［＃「静かだった」に傍点］', [{ kind: 'em', content: ['静かだった'] }, '。'], []],
      ['とても［＃「とても」に白ゴマ傍点］', [{ kind: 'em', content: ['とても'] }], []],
      ['強い声［＃「強い声」は太字］', [{ kind: 'strong', content: ['強い声'] }], []],
      ['線の下［＃「線の下」に傍線］', [{ kind: 'underline', content: ['線の下'] }], []],
      ['［＃太字］はっきり［＃太字終わり］と', [{ kind: 'strong', content: ['はっきり'] }, 'と'], []],
      ['［＃傍点］ここ［＃傍点終わり］', [{ kind: 'em', content: ['ここ'] }], []],
      ['星《ほし》の光［＃「星の光」に傍点］', [{ kind: 'em', content: [{ kind: 'ruby', base: '星', text: 'ほし' }, 'の光'] }], []],
      ['大空《おおぞら》［＃「空」に傍点］', [{ kind: 'ruby', base: '大空', text: 'おおぞら' }], ['fid-007']],
      ['なし［＃「ある」に傍点］', ['なし'], ['fid-007']],
      ['※［＃「土＋口」、U+20BB7、12-3］田', ['𠮷田'], []],
      ['※［＃「言＋墟のつくり」、第4水準2-88-74］', ['※'], ['fid-007']],
      ['［＃２字下げ］　段落', ['段落'], []],
      ['［＃ここから２字下げ］', [], []],
      ['［＃ここで字下げ終わり］', [], []],
      ['文［＃「文」は縦中横］', ['文'], ['fid-007']],
      ['［＃挿絵（fig1.png、横200×縦300）入る］', [], ['fid-001']],
    ];
    for (const [line, content, lost] of TABLE) {
      it(line, () => {
        const losses = newLosses();
        expect(readLine(line, losses).content).to.deep.equal(content);
        expect(Object.keys(losses.counts)).to.deep.equal(lost);
      });
    }

    it('says what its annotations make of it', () => {
      const losses = newLosses();
      expect(readLine('［＃改ページ］', losses)).to.include({ pageBreak: true });
      expect(readLine('［＃３字下げ］一［＃「一」は中見出し］', losses)).to.include({ heading: 'medium' });
      expect(readLine('［＃「第一部」は大見出し］', losses)).to.include({ heading: 'large' });
      expect(readLine('［＃５字下げ］夜［＃「夜」は小見出し］', losses)).to.include({ heading: 'small' });
      expect(readLine('［＃大見出し］序［＃大見出し終わり］', losses)).to.include({ heading: 'large' });
      expect(readLine('［＃地付き］（おわり）', losses)).to.include({ align: 'right' });
      expect(readLine('［＃地から２字上げ］記す', losses)).to.include({ align: 'right' });
      expect(losses.counts).to.deep.equal({});
    });

    it('wraps only whole runs', () => {
      const content: Inline[] = ['あい', { kind: 'ruby', base: '上', text: 'うえ' }, 'うえお'];
      expect(wrapLast(content, 'い上う', 'em')).to.equal(true);
      expect(content).to.deep.equal(['あ', { kind: 'em', content: ['い', { kind: 'ruby', base: '上', text: 'うえ' }, 'う'] }, 'えお']);
    });
  });

  describe('the golden fixture', () => {
    let r: ReadResult;
    before(() => {
      r = readFixture('golden', 'aozora', 'input.txt');
    });
    it('reads title and author from the first lines, the edition from the colophon, and says Japanese', () => {
      const m = r.story.meta;
      expect([m.title, m.authors, m.language]).to.deep.equal(['星を数える子', ['白石ゆう'], 'ja']);
      expect(m.extra).to.deep.equal({ 底本: '「星を数える子」架空書房 2001（平成13）年4月1日初版発行' });
    });
    it('makes chapters of the 中見出し after a page break', () => {
      expect(r.story.chapters.map((c) => c.title)).to.deep.equal(['一', '二']);
      expect(r.story.chapters[1]!.sections[0]!.blocks.map((b) => b.kind)).to.deep.equal(['p', 'p', 'heading', 'p', 'p', 'p', 'p']);
    });
    it('leaves out the legend and the colophon', () => {
      const text = storyText(r.story);
      for (const s of ['テキスト中に現れる記号', 'ルビの付く', '入力者注', '底本', '入力：', '青空文庫', '-----']) expect(text).not.to.include(s);
    });
    it('keeps one paragraph a line without its indentation', () => {
      const first = r.story.chapters[0]!.sections[0]!.blocks;
      expect(first).to.have.length(4);
      expect(blocksText([first[2]!])).to.equal('「星はいくつあるの」と小夜は祖母に聞いた。');
    });
    it('counts the note it could not carry', () => {
      expect(r.diagnostics.map((d) => d.message)).to.deep.equal(['1 piece of source markup with no equivalent in the book: ［＃ここに挿絵の説明あり］']);
    });
  });

  describe('a translated work', () => {
    let r: ReadResult;
    before(() => {
      r = readFixture('aozora', 'translated.txt');
    });
    it('reads subtitle, author and translator lines', () => {
      const m = r.story.meta;
      expect([m.title, m.authors]).to.deep.equal(['灯台の鐘', ['エマ・ローウェル']]);
      expect(m.extra).to.deep.equal({ Translator: '青木みどり', Subtitle: '海辺の物語', 底本: '「灯台の鐘」架空出版' });
    });
    it('joins a 大見出し and the 中見出し under it, and reads full-width separators as a scene break', () => {
      expect(r.story.chapters.map((c) => c.title)).to.deep.equal(['第一部　一']);
      expect(r.story.chapters[0]!.sections[0]!.blocks.map((b) => b.kind)).to.deep.equal(['p', 'break', 'p', 'p']);
      expect(r.diagnostics).to.deep.equal([]);
    });
  });

  it('reads a text without legend or colophon, and the title alone', () => {
    const r = read('題名\n\n　本文《ほんぶん》です。\n');
    expect([r.story.meta.title, r.story.meta.authors]).to.deep.equal(['題名', []]);
    expect(storyText(r.story).trim()).to.equal('本文です。');
  });
});
