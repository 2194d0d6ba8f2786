/** The language guess: franc-min's answer (and whole ranking) on thousands of samples. */
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { franc, francAll } from 'franc-min';
import { data } from 'franc-min/data.js';
import { expressions } from 'franc-min/expressions.js';
import { builtIndex, guessLanguage, packIndexes, rankLanguages, unpackIndexes, UNDETERMINED, type TrigramIndex } from '../../src/read/language-guess.js';
import { haveSeeds, repoRoot, seedsDir } from '../helpers/paths.js';

const TEXT_FILES = new Set(['.txt', '.html', '.xhtml', '.md', '.opf', '.json']);

function textFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...textFiles(path));
    else if (TEXT_FILES.has(extname(name))) out.push(path);
  }
  return out;
}

/** Pieces of a text as a caller samples them: its start, a later stretch, and its markup-free text. */
function slices(text: string): string[] {
  const plain = text.replace(/<[^>]*>/g, ' ');
  return [text.slice(0, 1000), text.slice(1000, 2000), plain.slice(0, 1000), plain.slice(0, 3000)].filter((s) => s.length > 0);
}

/** A repeatable random number in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LENGTHS = [5, 12, 19, 20, 21, 35, 60, 120, 300, 1000, 2047, 2048, 2049, 2600];
const NOISE = ' ,.!?;:\'"-()0123456789\n\t…«»“”';

/** Words made from a language's own trigrams, the better-ranked more often, with capitals, digits and punctuation. */
function wordSalad(model: string[], length: number, next: () => number): string {
  let out = '';
  while (out.length < length) {
    const rank = Math.floor(model.length * next() * next());
    let word = model[rank]!.trim().replace(/ /g, '');
    if (next() < 0.5) word += model[Math.floor(model.length * next())]!.trim().replace(/ /g, '');
    if (next() < 0.1) word = word.toUpperCase();
    else if (next() < 0.2) word = word.charAt(0).toUpperCase() + word.slice(1);
    out += word + (next() < 0.15 ? NOISE[Math.floor(NOISE.length * next())]! : '') + ' ';
  }
  return out.slice(0, length);
}

/** Code units anywhere in the BMP (lone surrogates included) or astral pairs: noise in every script. */
function unicodeNoise(length: number, next: () => number): string {
  let out = '';
  while (out.length < length) {
    const r = next();
    if (r < 0.1) out += ' ';
    else if (r < 0.15) out += String.fromCodePoint(0x10000 + Math.floor(next() * 0x20000));
    else out += String.fromCharCode(Math.floor(next() * 0x10000));
  }
  return out;
}

/** Blocks of single-language scripts and emoji, to mix into samples. */
const SCRIPT_BLOCKS: [number, number][] = [
  [0x0e01, 0x0e4e], [0xac00, 0xd7a3], [0x3041, 0x3096], [0x30a1, 0x30fa], [0x4e00, 0x9fff], [0x0391, 0x03c9],
  [0x05d0, 0x05ea], [0x0985, 0x09b9], [0x0c05, 0x0c39], [0x1f600, 0x1f64f], [0x20000, 0x2a6df], [0x0400, 0x04ff],
];

function blockText(length: number, next: () => number): string {
  const [from, to] = SCRIPT_BLOCKS[Math.floor(next() * SCRIPT_BLOCKS.length)]!;
  let out = '';
  while (out.length < length) out += next() < 0.15 ? ' ' : String.fromCodePoint(from + Math.floor(next() * (to - from + 1)));
  return out;
}

/** Letters of Latin, Cyrillic, Arabic and Devanagari that franc-min's models hardly use. */
const RARE_BLOCKS: [number, number][] = [[0x0180, 0x024f], [0x1e00, 0x1e5f], [0x0500, 0x052f], [0x0750, 0x077f], [0xa8e0, 0xa8ff]];

function generatedSamples(): string[] {
  const next = random(23);
  const models: string[][] = [];
  for (const script of Object.keys(data)) for (const language of Object.keys(data[script]!)) models.push(data[script]![language]!.split('|'));
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)]!;
  const samples: string[] = [];
  for (const model of models) for (const length of LENGTHS) samples.push(wordSalad(model, length, next));
  for (let i = 0; i < 800; i++) {
    // Two languages (often of one script), in any proportion: the near-ties.
    const a = wordSalad(pick(models), Math.floor(next() * 400) + 10, next);
    const b = wordSalad(pick(models), Math.floor(next() * 400) + 10, next);
    samples.push(next() < 0.5 ? a + b : `${a} ${blockText(Math.floor(next() * 300), next)} ${b}`);
  }
  for (let i = 0; i < 300; i++) samples.push(unicodeNoise(pick(LENGTHS), next));
  for (let i = 0; i < 300; i++) samples.push(blockText(pick(LENGTHS), next));
  for (let i = 0; i < 300; i++) {
    // Rare letters of the multi-language scripts, which no model lists: every language (nearly) as far, so ties decide.
    const [from, to] = pick(RARE_BLOCKS);
    let s = i % 3 === 0 ? wordSalad(pick(models), 4, next) : '';
    while (s.length < 20 + i) s += next() < 0.2 ? ' ' : String.fromCharCode(from + Math.floor(next() * (to - from + 1)));
    samples.push(s);
  }
  samples.push(
    '', ' ', '          ', '1234567890'.repeat(5), '!!!???...'.repeat(8), '\n\n\t\t'.repeat(10), '😀😀😀😀😀😀😀😀😀😀😀',
    'ΟΔΟΣ.ΑΛΛΑ ΟΔΟΣ ΚΑΙ ΠΟΛΙΣ. Σ Σ ΣΑΣ ΣΑΣ', 'İSTANBUL İÇİN İKİ İNSAN İŞTE', 'STRAẞE GROẞ FUẞ ẞ', 'ǅ ǈ ǋ ǲ ﬁ ﬂ ﬀ ſ',
    '\ud800\ud800\udc00\udc00abcdefghijklmnopqrstuvwxyz', 'a\u0301e\u0301i\u0301o\u0301u\u0301 '.repeat(6), '|||abc|def|ghi|||'.repeat(4),
  );
  return samples;
}

function repositorySamples(): string[] {
  const samples: string[] = [];
  for (const dir of ['examples', join('test', 'fixtures')]) {
    for (const path of textFiles(join(repoRoot, dir))) samples.push(...slices(readFileSync(path, 'utf8')));
  }
  return samples;
}

function seedSamples(): string[] {
  const samples: string[] = [];
  for (const name of readdirSync(seedsDir).filter((n) => n.endsWith('.txt')).sort()) {
    const text = readFileSync(join(seedsDir, name), 'utf8');
    samples.push(...slices(text), text.slice(text.indexOf('\n\n') + 2).slice(0, 1000));
  }
  return samples;
}

/** The samples (each with a minimum length) where a guess or ranking (either way measured) differs from franc-min's. */
function differences(samples: string[]): string[] {
  const out: string[] = [];
  samples.forEach((sample, i) => {
    const minLength = [20, 10, 0, 20][i % 4]!;
    const expected = francAll(sample, { minLength }).map((t) => t[0]).join();
    const expectedGuess = franc(sample, { minLength });
    for (const measure of ['scan', 'index'] as const) {
      const ranking = rankLanguages(sample, minLength, measure).join();
      const guess = guessLanguage(sample, minLength, measure);
      if (ranking !== expected || guess !== expectedGuess) {
        out.push(`${JSON.stringify(sample.slice(0, 80))} (min ${minLength}, ${measure}): ${guess} / ${ranking.slice(0, 40)} ≠ ${expected.slice(0, 40)}`);
      }
    }
  });
  return out;
}

describe('the language guess', () => {
  it('answers as franc-min on every repository text (examples, fixtures, golden inputs)', () => {
    const samples = repositorySamples();
    expect(samples.length).to.be.greaterThan(800);
    expect(differences(samples)).to.deep.equal([]);
  });

  it('answers as franc-min on the seeds', function () {
    if (!haveSeeds()) this.skip();
    expect(differences(seedSamples())).to.deep.equal([]);
  });

  it('answers as franc-min, with the same ranking, on thousands of generated samples in every script', () => {
    const samples = generatedSamples();
    expect(samples.length).to.be.greaterThan(2500);
    expect(differences(samples)).to.deep.equal([]);
  });

  const KNOWN: [string, string][] = [
    ['eng', 'The lighthouse keeper climbed the stairs every evening and wound the clock that nobody remembered.'],
    ['deu', 'Der Leuchtturmwärter stieg jeden Abend die Treppe hinauf und zog die Uhr auf, an die sich niemand erinnerte.'],
    ['rus', 'Смотритель маяка каждый вечер поднимался по лестнице и заводил часы, о которых никто не помнил.'],
    ['cmn', '燈塔看守人每天晚上都爬上樓梯，為那座沒有人記得的鐘上發條。'],
    ['kor', '등대지기는 매일 저녁 계단을 올라가 아무도 기억하지 못하는 시계의 태엽을 감았다.'],
    [UNDETERMINED, '1234567890 1234567890 1234567890'],
    [UNDETERMINED, 'Too short.'],
  ];
  for (const [code, text] of KNOWN) {
    it(`${JSON.stringify(text.slice(0, 24))}… → ${code}`, () => {
      expect(guessLanguage(text, 20)).to.equal(code);
    });
  }

  it('ranks the nearest language first and the farthest last', () => {
    const ranking = rankLanguages('The lighthouse keeper climbed the stairs every evening and wound the clock.', 20);
    expect(ranking[0]).to.equal('eng');
    expect(ranking).to.have.length(Object.keys(data.Latin!).length);
    expect(ranking).to.deep.equal(francAll('The lighthouse keeper climbed the stairs every evening and wound the clock.', { minLength: 20 }).map((t) => t[0]));
  });

  it("reads franc-min's script patterns as single code units or surrogate pairs (what one pass over the sample assumes)", () => {
    // The code-unit ranges an escape or a class stands for.
    const ranges = (part: string): [number, number][] =>
      [...part.replace(/^\[|\]$/g, '').matchAll(/(\\u[0-9A-F]{4}|[^\\])(?:-(\\u[0-9A-F]{4}|[^\\]))?/gi)].map((m) => {
        const unit = (s: string): number => (s.length > 1 ? parseInt(s.slice(2), 16) : s.charCodeAt(0));
        return [unit(m[1]!), unit(m[2] ?? m[1]!)];
      });
    const within = (part: string, from: number, to: number): boolean => ranges(part).every(([a, b]) => a >= from && b <= to);
    const clear = (part: string): boolean => ranges(part).every(([a, b]) => b < 0xd800 || a > 0xdfff);
    expect(Object.keys(expressions).length).to.be.at.most(30);
    for (const [script, pattern] of Object.entries(expressions)) {
      expect(pattern.flags, script).to.equal('g');
      for (const alternative of pattern.source.split('|')) {
        const parts = alternative.match(/\[(?:[^\]\\]|\\u[0-9A-F]{4})*\]|\\u[0-9A-F]{4}/gi) ?? [];
        expect(parts.join(''), `${script}: ${alternative}`).to.equal(alternative);
        expect(alternative, script).not.to.include('[^');
        if (parts.length === 1) expect(clear(parts[0]!), `${script}: ${alternative}`).to.equal(true);
        else {
          expect(parts, `${script}: ${alternative}`).to.have.length(2);
          expect(within(parts[0]!, 0xd800, 0xdbff) && within(parts[1]!, 0xdc00, 0xdfff), `${script}: ${alternative}`).to.equal(true);
        }
      }
    }
  });

  describe('the indexes stored with the bundle', () => {
    const bytesOf = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    const same = (a: Readonly<TrigramIndex>, b: Readonly<TrigramIndex>): boolean =>
      a.mask === b.mask && (['heads', 'tails', 'rows', 'rowStart', 'entryLanguage', 'entryRank', 'counts', 'seen'] as const).every((k) => bytesOf(a[k]).equals(bytesOf(b[k])));

    it("read back as the indexes built from franc-min's models, every script, from any offset", () => {
      const packed = packIndexes();
      // A file's bytes may start anywhere in their buffer.
      const shifted = new Uint8Array(packed.length + 1).subarray(1);
      shifted.set(packed);
      for (const bytes of [packed, shifted]) {
        const stored = unpackIndexes(bytes)!;
        expect([...stored.keys()].sort()).to.deep.equal(Object.keys(data).sort());
        for (const name of Object.keys(data)) expect(same(stored.get(name)!, builtIndex(name)!), name).to.equal(true);
      }
    });

    it('are refused when made from other models, cut short or not an index file', () => {
      const packed = packIndexes();
      const length = new DataView(packed.buffer, packed.byteOffset).getUint32(4, true);
      const header = new TextDecoder().decode(packed.subarray(8, 8 + length));
      // The Latin models, one a character longer: that script's index is left out, the others kept.
      const latin = Object.keys(data.Latin!)[0]!;
      const other = header.replace(`"${latin}:${data.Latin![latin]!.length},`, `"${latin}:${data.Latin![latin]!.length + 1},`);
      expect(other).to.not.equal(header);
      const changed = new Uint8Array(packed);
      changed.set(new TextEncoder().encode(other), 8);
      const kept = unpackIndexes(changed)!;
      expect(kept.has('Latin')).to.equal(false);
      expect(kept.size).to.equal(Object.keys(data).length - 1);
      expect(unpackIndexes(packed.subarray(0, packed.length - 4))).to.equal(undefined);
      expect(unpackIndexes(new TextEncoder().encode('not an index file'))).to.equal(undefined);
    });
  });
});
