/**
 * A batch's memory does not grow with the number of stories: the peak of this thread's heap and
 * external memory (book bytes come back from the workers as external buffers), measured after a
 * collection as each book is placed, is about the same for 8 stories and for 64. Each book
 * carries a half-megabyte cover image, so a book kept after it is written shows.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { buildBooks } from '../../src/jobs/build.js';
import { defaultOptions, type CoverImage } from '../../src/options.js';
import { encodePng } from '../../src/render/png.js';
import { journalPart } from '../fixtures/living/shapes.js';
import { readFileSync } from 'node:fs';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A PNG of noise (it does not compress): `side`² pixels, about 4·side² bytes. */
function noisePng(side: number): Uint8Array {
  const px = new Uint8Array(side * side * 4);
  let s = 1;
  for (let i = 0; i < px.length; i++) px[i] = i % 4 === 3 ? 255 : (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24;
  return encodePng(px, side, side);
}

/** Build `n` short stories as one book each; the peak of heap + external memory while they are placed. */
async function peakMemory(dir: string, n: number, cover: CoverImage): Promise<{ peak: number; books: number }> {
  const stories = Array.from({ length: n }, (_, i) => {
    const path = join(dir, `${n}-${i}.txt`);
    writeFileSync(path, `Title: Tide Tables ${i}\nAuthor: Orla Finch\n\n${'The tide came in over the flats and the birds lifted all at once. '.repeat(40)}\n`);
    return { path, overrides: {} };
  });
  let peak = 0;
  const outcome = await buildBooks(
    { stories, options: { ...defaultOptions(), cover, sourceDateEpoch: 1_600_000_000 }, output: { kind: 'folder', dir: join(dir, `out-${n}`) }, temps: new Set() },
    {
      onBook: () => {
        gc();
        const m = process.memoryUsage();
        peak = Math.max(peak, m.heapUsed + m.external);
      },
    },
  );
  expect(outcome.failures).to.deep.equal([]);
  return { peak, books: outcome.books.length };
}

describe('batch memory', function () {
  this.timeout(300_000);

  it('peaks about as high for 64 stories as for 8 (one book each, in worker threads)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fic2epub-batch-memory-'));
    try {
      const cover: CoverImage = { bytes: noisePng(360), mediaType: 'image/png' };
      await peakMemory(dir, 8, cover); // warm-up: modules loaded, workers' code compiled once
      const small = await peakMemory(dir, 8, cover);
      const big = await peakMemory(dir, 64, cover);
      expect([small.books, big.books]).to.deep.equal([8, 64]);
      // Keeping every book would add 56 × 0.5 MB to the larger batch's peak.
      expect(big.peak / small.peak, `${(small.peak / 2 ** 20).toFixed(1)} → ${(big.peak / 2 ** 20).toFixed(1)} MiB`).to.be.below(1.25);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('places lone pieces of stories the same whether held until the end or read and built again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fic2epub-batch-lone-'));
    try {
      const stories = Array.from({ length: 12 }, (_, i) => {
        const path = join(dir, `${String(i).padStart(2, '0')}.txt`);
        writeFileSync(path, i % 3 === 0 ? journalPart(`Lone Tide ${i}`, 'Orla', 2, 2, [`The second half of tide ${i} came in late.`]) : `Title: Harbour ${i}\nAuthor: Ida\n\nThe ferry left at ${i} o'clock.\n`);
        return { path, overrides: {} };
      });
      const run = async (hold: number, out: string): Promise<[string[], Buffer[]]> => {
        const o = await buildBooks({ stories, options: { ...defaultOptions(), cover: 'none', sourceDateEpoch: 1_600_000_000 }, output: { kind: 'folder', dir: join(dir, out) }, temps: new Set(), holdLonePieces: hold });
        expect(o.failures).to.deep.equal([]);
        return [o.books.map((b) => b.inputs.join('+')), o.books.map((b) => readFileSync(b.output))];
      };
      const [heldOrder, heldBooks] = await run(64 * 2 ** 20, 'held');
      const [againOrder, againBooks] = await run(0, 'again');
      // Every story placed once; the lone pieces after the others (they wait for company), in input order.
      const lone = stories.filter((_, i) => i % 3 === 0).map((s) => s.path);
      expect(heldOrder).to.deep.equal([...stories.map((s) => s.path).filter((p) => !lone.includes(p)), ...lone]);
      expect(againOrder).to.deep.equal(heldOrder);
      heldBooks.forEach((b, k) => expect(b.equals(againBooks[k]!), heldOrder[k]).to.equal(true));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
