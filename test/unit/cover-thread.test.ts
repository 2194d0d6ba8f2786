import { expect } from 'chai';
import { renderCover, type CoverSpec } from '../../src/render/cover.js';
import { coverThreadLikely, renderCoverOnThread, startCoverThread, stopCoverThread } from '../../src/render/cover-thread.js';

const SPEC: CoverSpec = { title: 'The Salt Ledger', authors: ['Wren', 'Ash'], subtitle: 'Original Work', series: 'Tides, part 2' };

describe('cover thread', function () {
  this.timeout(60_000);
  afterEach(() => stopCoverThread());

  it('is not used until started, and not after it is stopped', () => {
    expect(renderCoverOnThread(SPEC)).to.equal(undefined);
    startCoverThread();
    const p = renderCoverOnThread(SPEC, { width: 120, height: 192 });
    expect(p).to.be.instanceOf(Promise);
    stopCoverThread();
    expect(renderCoverOnThread(SPEC)).to.equal(undefined);
    return p!.then(
      () => expect.fail('a cover asked for before the stop must not arrive after it'),
      (e: unknown) => expect(String(e)).to.match(/stopped/),
    );
  });
  it('draws the same bytes as drawing on this thread, at the default size and another', async () => {
    startCoverThread();
    for (const opts of [{}, { width: 300, height: 480 }]) {
      const [there, here] = await Promise.all([renderCoverOnThread(SPEC, opts)!, renderCover(SPEC, opts)]);
      expect(Buffer.from(there).equals(Buffer.from(here)), JSON.stringify(opts)).to.equal(true);
    }
  });
  it('answers several requests in order and reports a failure as a rejection', async () => {
    startCoverThread();
    const titles = ['One', 'Two', 'Three'];
    const pngs = await Promise.all(titles.map((title) => renderCoverOnThread({ title, authors: [] }, { width: 80, height: 128 })!));
    for (const [i, png] of pngs.entries()) expect(Buffer.from(png).equals(Buffer.from(await renderCover({ title: titles[i]!, authors: [] }, { width: 80, height: 128 })))).to.equal(true);
    let error: unknown;
    await renderCoverOnThread(SPEC, { theme: 'no-such-theme' })!.catch((e: unknown) => (error = e));
    expect(String(error)).to.match(/unknown cover theme/);
  });
  it('is guessed needed for builds with generated covers, the default, and only those', () => {
    for (const argv of [['build', 's.txt'], ['build', 'a.txt', 'b.txt', '--out', 'x'], ['build', 's.txt', '--cover', 'auto'], ['build', 's.txt', '--cover=auto'], ['build', '--', '--cover', 'x.png']]) {
      expect(coverThreadLikely(argv), argv.join(' ')).to.equal(true);
    }
    for (const argv of [[], ['inspect', 's.txt'], ['codes'], ['build', '--help'], ['build', 's.txt', '-h'], ['build', 's.txt', '--cover', 'none'], ['build', 's.txt', '--cover=none'], ['build', 's.txt', '--cover', 'mine.png'], ['build', 's.txt', '--no-cover'], ['--version']]) {
      expect(coverThreadLikely(argv), argv.join(' ')).to.equal(false);
    }
  });
});
