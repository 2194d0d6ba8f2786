/**
 * Every stage must be linear in its input: no quadratic string building, no backtracking regular
 * expressions. Each case times a stage on an input of size n and on one of size 8n (best of three
 * runs each, after a warm-up; the smallest growth of up to three tries) and checks how the time
 * grows: linear work grows about 8×, n·log n about 9×, quadratic work 64×. The bound is on the
 * growth, never on a time, so it holds on a slow or busy machine.
 */
import { expect } from 'chai';
import { readStoryBytes } from '../../src/index.js';
import { splitFlatParagraphs } from '../../src/read/formats/ao3/flat.js';
import { parseEmphasis } from '../../src/transform/emphasis.js';
import { typesetText } from '../../src/transform/typography.js';

const GROWTH_LIMIT = 32;

function best(fn: () => unknown): number {
  fn(); // warm-up: compiled code and a grown heap, so the first size is not timed cold
  let min = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    fn();
    min = Math.min(min, Number(process.hrtime.bigint() - t));
  }
  return min;
}

async function bestAsync(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  let min = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    await fn();
    min = Math.min(min, Number(process.hrtime.bigint() - t));
  }
  return min;
}

/**
 * How much longer 8× the input takes: the smallest of up to three measurements, so one burst of
 * load from other processes does not fail the test; a quadratic stage is slow every time.
 */
async function growth(time: (n: number) => Promise<number>): Promise<number> {
  let min = Infinity;
  for (let attempt = 0; attempt < 3 && min >= GROWTH_LIMIT; attempt++) {
    const large = await time(8 * N);
    min = Math.min(min, large / (await time(N)));
  }
  return min;
}

/** Repeat `unit` until the text is at least `chars` long. */
function sized(unit: string, chars: number): string {
  return unit.repeat(Math.ceil(chars / unit.length));
}

const N = 250_000;

// A flattened AO3 download: sentences joined by a no-break space plus a space inside a paragraph,
// one plain space between paragraphs, dialogue that continues after a closing quote.
const FLAT = 'She kept the lamp lit.\u00a0 “Who counts to forty?” she asked him.\u00a0 He did not answer. “Nobody,” said the keeper, and laughed. ';
const TYPO = 'She said "no" -- and then... it\'s "fine," he said. . . ';
const EMPH = 'She was *very* sure, and _he_ was //not//, or *maybe* he was ';

describe('linear time in input size', function () {
  this.timeout(120_000);

  it('recovers flattened paragraphs in linear time', async () => {
    const g = await growth(async (n) => {
      const input = sized(FLAT, n);
      return best(() => splitFlatParagraphs(input));
    });
    expect(g, `8× input took ${g.toFixed(1)}× as long`).to.be.below(GROWTH_LIMIT);
  });

  it('sets typography in linear time', async () => {
    const g = await growth(async (n) => {
      const input = sized(TYPO, n);
      return best(() => typesetText(input));
    });
    expect(g, `8× input took ${g.toFixed(1)}× as long`).to.be.below(GROWTH_LIMIT);
  });

  it('parses emphasis marks in linear time', async () => {
    const g = await growth(async (n) => {
      const input = sized(EMPH, n);
      return best(() => parseEmphasis([input]));
    });
    expect(g, `8× input took ${g.toFixed(1)}× as long`).to.be.below(GROWTH_LIMIT);
  });

  it('reads a story that is one long line in linear time', async () => {
    const bytes = (n: number) => Buffer.from(`Title: Long\nAuthor: Tester\n\n${sized(TYPO, n)}\n`);
    const g = await growth((n) => {
      const input = bytes(n);
      return bestAsync(() => readStoryBytes('long.txt', input));
    });
    expect(g, `8× input took ${g.toFixed(1)}× as long`).to.be.below(GROWTH_LIMIT);
  });

  it('reads a hard-wrapped story of many short lines in linear time', async () => {
    const para = 'The rain came in over the harbour wall and the keeper\nwatched it from the lamp room, counting the boats as\nthey came home one by one before the dark.\n\n';
    const bytes = (n: number) => Buffer.from(`Title: Wrapped\nAuthor: Tester\n\n${sized(para, n)}`);
    const g = await growth((n) => {
      const input = bytes(n);
      return bestAsync(() => readStoryBytes('wrapped.txt', input));
    });
    expect(g, `8× input took ${g.toFixed(1)}× as long`).to.be.below(GROWTH_LIMIT);
  });
});
