/**
 * Every stage must be linear in its input: no quadratic string building or tree walks, no
 * backtracking regular expressions. Each case times a stage on an input of size n and on one of
 * size 8n (best of three runs each, after a warm-up; the smallest growth of up to three tries)
 * and checks how the time
 * grows: linear work grows about 8×, n·log n about 9×, quadratic work 64×. The bound is on the
 * growth, never on a time, so it holds on a slow or busy machine.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEpub, defaultOptions, readStoryBytes, type Options } from '../../src/index.js';
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

// A chapter of the Archive's one-page download: heading, styled paragraphs, a centred break, a
// footnote with its back-link. The page holds as many chapters as make it `chars` long.
const CHAPTER = (c: number): string => `<div class="meta group"><h2 class="heading">Chapter ${c}</h2></div>
<div class="userstuff">
${'<p>The keeper wrote the count <em>twice</em>, and it came out <strong>different</strong> each time.</p>\n<p>“Again,” she said, and he began again from the lamp room down.</p>\n'.repeat(20)}<p style="text-align: center;">* * *</p>
<p>The tally would not come right.<sup><a href="#fn${c}" id="ref${c}">1</a></sup></p>
<ol><li id="fn${c}"><p>Boats were counted by the dozen. <a href="#ref${c}">↩</a></p></li></ol>
</div>
`;

function htmlPage(chars: number): string {
  const head = '<!DOCTYPE html><html><head><title>The Count - Tester [Archive of Our Own]</title></head><body><div id="preface"><div class="meta"><h1>The Count</h1><div class="byline">by <a rel="author" href="https://archiveofourown.org/users/Tester">Tester</a></div></div></div><div id="chapters" class="userstuff">';
  const chapters: string[] = [];
  for (let c = 1, size = head.length; size < chars; c++) {
    chapters.push(CHAPTER(c));
    size += chapters[chapters.length - 1]!.length;
  }
  return `${head}${chapters.join('')}</div></body></html>`;
}

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

  it('reads a saved page (an AO3 download of many chapters) in linear time', async () => {
    const g = await growth((n) => {
      const input = Buffer.from(htmlPage(n / 4)); // a quarter: a page costs more per character than plain text
      return bestAsync(() => readStoryBytes('page.html', input));
    });
    expect(g, `8× input took ${g.toFixed(1)}× as long`).to.be.below(GROWTH_LIMIT);
  });

  it('builds a book from a saved page (read, render, package) in linear time', async () => {
    const options: Options = { ...defaultOptions(), cover: 'none' };
    const g = await growth((n) => {
      const input = Buffer.from(htmlPage(n / 4));
      return bestAsync(async () => buildEpub((await readStoryBytes('page.html', input, options)).story, options));
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

/**
 * Peak memory (the process's maximum resident set) of one whole build of a page of `chars`
 * characters in a process of its own.
 */
function buildPeak(dir: string, chars: number): number {
  const page = join(dir, `page-${chars}.html`);
  writeFileSync(page, htmlPage(chars));
  const index = new URL('../../src/index.js', import.meta.url).href;
  const script = `const { buildEpub, defaultOptions, readStory } = await import(${JSON.stringify(index)});
const options = { ...defaultOptions(), cover: 'none' };
await buildEpub((await readStory(${JSON.stringify(page)}, options)).story, options);
// VmHWM is this process's own high-water mark: maxRSS keeps the parent's at the fork on Linux.
const { readFileSync } = await import('node:fs');
let peak;
try { peak = Number(/VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1]); } catch { peak = process.resourceUsage().maxRSS; }
process.stdout.write(String(peak));`;
  // A fixed collection schedule: the peak follows what the build holds, not when V8 chose to collect.
  const run = spawnSync(process.execPath, ['--predictable-gc-schedule', '--input-type=module', '-e', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return Number(run.stdout) * 1024;
}

describe('memory in input size', function () {
  this.timeout(300_000);

  // Holding the page's text a few times over (parsed tree, model, pages, archive) grows ~8× for
  // 8× the page; a copy per chapter or per paragraph of the whole text would grow far faster.
  it('builds a saved page of 8× the size in at most ~12× the memory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'f2e-memory-'));
    try {
      // What a one-chapter page takes (Node, the loaded modules, the heap's floor) is no cost of the page.
      const floor = buildPeak(dir, 2_000);
      const small = buildPeak(dir, 1_000_000) - floor;
      const large = buildPeak(dir, 8_000_000) - floor;
      const ratio = large / small;
      expect(small, `the 1 MB page costs some memory (floor ${(floor / 2 ** 20).toFixed(0)} MiB, 1 MB ${((small + floor) / 2 ** 20).toFixed(0)} MiB)`).to.be.above(0);
      expect(ratio, `8× page took ${ratio.toFixed(1)}× the memory (${(small / 2 ** 20).toFixed(0)} → ${(large / 2 ** 20).toFixed(0)} MiB)`).to.be.below(12);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
