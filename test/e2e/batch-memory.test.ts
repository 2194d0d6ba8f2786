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
});
