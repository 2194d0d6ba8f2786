import { expect } from 'chai';
import type { Block, Chapter } from '../../src/model.js';
import { para } from '../../src/read/story.js';
import { detectVoicesInChapters, splitVoices, storyVoices, voiceLabel } from '../../src/read/voices.js';

// A paragraph of `n` words about invented characters.
const words = (n: number, seed = 'the kettle sang while the rain kept on') =>
  Array.from({ length: n }, (_, i) => seed.split(' ')[i % seed.split(' ').length]).join(' ') + '.';
const text = (b: Block) => (b.kind === 'p' ? b.content.join('') : b.kind);
const chapter = (blocks: Block[], title?: string): Chapter => ({ ...(title ? { title } : {}), sections: [{ blocks }] });

// Two narrators taking long turns: the shape voice sections have.
function voiced(names: string[], turns = 1, paras = 3): Block[] {
  const out: Block[] = [];
  for (let t = 0; t < turns; t++) {
    for (const name of names) {
      out.push(para(`${name}: ${words(30)}`));
      for (let i = 1; i < paras; i++) out.push(para(words(30, 'and then the lamp went out again')));
    }
  }
  return out;
}

// Script-style dialogue: many short labelled lines.
function script(names: string[], lines = 12): Block[] {
  return Array.from({ length: lines }, (_, i) => para(`${names[i % names.length]}: Where were you at midnight, then?`));
}

describe('voice labels', () => {
  const cases: [string, string | undefined][] = [
    ['Lex: The car is coming.', 'Lex'],
    ['Lois Lane: I wrote it down.', 'Lois Lane'],
    ['HOST: Good evening.', 'HOST'],
    ['Odile:', 'Odile'],
    ['Note: this is a radio play.', undefined],
    ['Summary: two keepers.', undefined],
    ['lex: lowercase is not a name.', undefined],
    ['One Two Three Four: too long a name.', undefined],
    ['“Mira: come here,” she said.', undefined],
    ['The time was 10: late.', undefined],
  ];
  for (const [input, name] of cases) {
    it(`${JSON.stringify(input)} → ${name ?? 'no label'}`, () => {
      expect(voiceLabel(para(input))?.name).to.equal(name);
    });
  }
  it('only reads paragraphs', () => {
    expect(voiceLabel({ kind: 'heading', content: ['Lex: heading'] })).to.equal(undefined);
  });
});

describe('splitVoices', () => {
  it('splits alternating narrators into voiced sections and removes the labels', () => {
    const sections = splitVoices(voiced(['Mira', 'Odile'], 2));
    expect(sections.map((s) => s.voice)).to.deep.equal(['Mira', 'Odile', 'Mira', 'Odile']);
    expect(sections.every((s) => s.blocks.length === 3)).to.equal(true);
    expect(text(sections[0]!.blocks[0]!)).to.match(/^the kettle sang/);
  });
  it('keeps blocks before the first label as an unvoiced section', () => {
    const sections = splitVoices([para('A word before the voices begin, set in the harbour.'), ...voiced(['Mira', 'Odile'])]);
    expect(sections.map((s) => s.voice)).to.deep.equal([undefined, 'Mira', 'Odile']);
  });
  it('drops a scene break just before a new voice', () => {
    const blocks = voiced(['Mira', 'Odile']);
    blocks.splice(3, 0, { kind: 'break' });
    const sections = splitVoices(blocks);
    expect(sections[0]!.blocks.map((b) => b.kind)).to.deep.equal(['p', 'p', 'p']);
  });
  it('drops a label that stands alone in its paragraph', () => {
    const sections = splitVoices([para('Mira:'), para(words(40)), para('Odile:'), para(words(40))]);
    expect(sections.map((s) => [s.voice, s.blocks.length])).to.deep.equal([['Mira', 1], ['Odile', 1]]);
  });
  it('leaves script-style dialogue alone (many short lines)', () => {
    const blocks = script(['JOHN', 'MARY']);
    expect(splitVoices(blocks)).to.deep.equal([{ blocks }]);
  });
  it('leaves one label alone', () => {
    const blocks = [para(`Mira: ${words(80)}`), para(words(80))];
    expect(splitVoices(blocks)).to.deep.equal([{ blocks }]);
  });
  it('leaves labels that do not come round in a cycle alone', () => {
    const blocks = [...voiced(['Mira']), ...voiced(['Mira']), ...voiced(['Odile'])];
    expect(splitVoices(blocks)).to.have.length(1);
  });
  it('leaves more than four narrators alone', () => {
    expect(splitVoices(voiced(['Ann', 'Bea', 'Cy', 'Dot', 'Eve']))).to.have.length(1);
  });
  it('leaves sections too short to be turns alone', () => {
    expect(splitVoices([para('Mira: Yes.'), para('Odile: No.')])).to.have.length(1);
  });
});

describe('detectVoicesInChapters', () => {
  it('splits every chapter when the same voices recur across the story', () => {
    const chapters = ['Day One', 'Day Two', 'Later'].map((t) => chapter(voiced(['Lex', 'Clark']), t));
    const out = detectVoicesInChapters(chapters);
    expect(out.map((c) => c.sections.map((s) => s.voice))).to.deep.equal([['Lex', 'Clark'], ['Lex', 'Clark'], ['Lex', 'Clark']]);
    expect(out.map((c) => c.title)).to.deep.equal(['Day One', 'Day Two', 'Later']);
    expect(storyVoices(out)).to.deep.equal(['Lex', 'Clark']);
  });
  it('gives a chapter told in only one of the voices a single voiced section', () => {
    const chapters = [chapter(voiced(['Lex', 'Clark'])), chapter(voiced(['Clark', 'Lex'])), chapter(voiced(['Lex']))];
    const out = detectVoicesInChapters(chapters);
    expect(out[2]!.sections.map((s) => s.voice)).to.deep.equal(['Lex']);
  });
  it('does not change its input', () => {
    const chapters = [chapter(voiced(['Lex', 'Clark']))];
    const before = JSON.stringify(chapters);
    detectVoicesInChapters(chapters);
    expect(JSON.stringify(chapters)).to.equal(before);
  });
  it('needs the pattern in more than one chapter of a longer story', () => {
    const plain = () => chapter([para(words(60)), para(words(60))]);
    const chapters = [chapter(voiced(['Lex', 'Clark'])), plain(), plain(), plain()];
    expect(detectVoicesInChapters(chapters)).to.equal(chapters);
  });
  it('ignores a lone "Note:" line', () => {
    const chapters = [chapter([para('Note: I wrote this on a train.'), para(words(80)), para(words(80))]), chapter([para(words(80))])];
    expect(detectVoicesInChapters(chapters)).to.equal(chapters);
  });
  it('ignores script-style dialogue, even across chapters', () => {
    const chapters = [chapter(script(['JOHN', 'MARY'])), chapter(script(['JOHN', 'MARY'], 20))];
    expect(detectVoicesInChapters(chapters)).to.equal(chapters);
  });
  it('ignores chapters whose voices do not recur (a different pair each chapter)', () => {
    const chapters = [chapter(voiced(['Ann', 'Bea'])), chapter(voiced(['Cy', 'Dot'])), chapter(voiced(['Eve', 'Fay']))];
    expect(detectVoicesInChapters(chapters)).to.equal(chapters);
  });
  it('leaves chapters that already have sections alone', () => {
    const ready: Chapter = { sections: [{ voice: 'Lex', blocks: [para(words(40))] }, { blocks: [para('Lex: hi')] }] };
    const out = detectVoicesInChapters([chapter(voiced(['Lex', 'Clark'])), chapter(voiced(['Lex', 'Clark'])), ready]);
    expect(out[2]).to.equal(ready);
  });
});
