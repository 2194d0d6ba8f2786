import { expect } from 'chai';
import { renderCover, type CoverSpec } from '../../src/render/cover.js';
import { startCoverThread, type CoverThread } from '../../src/render/cover-thread.js';

const SPEC: CoverSpec = { title: 'The Salt Ledger', authors: ['Wren', 'Ash'], subtitle: 'Original Work', series: 'Tides, part 2' };

describe('cover thread', function () {
  this.timeout(60_000);
  let thread: CoverThread | undefined;
  afterEach(() => thread?.stop());

  it('rejects covers asked for before it is stopped, and every cover after', async () => {
    thread = startCoverThread();
    const before = thread.render(SPEC, { width: 120, height: 192 });
    thread.stop();
    for (const p of [before, thread.render(SPEC)]) {
      await p.then(
        () => expect.fail('no cover arrives from a stopped thread'),
        (e: unknown) => expect(String(e)).to.match(/stopped/),
      );
    }
  });
  it('draws the same bytes as drawing on this thread, at the default size and another', async () => {
    thread = startCoverThread();
    for (const opts of [{}, { width: 300, height: 480 }]) {
      const [there, here] = await Promise.all([thread.render(SPEC, opts), renderCover(SPEC, opts)]);
      expect(Buffer.from(there).equals(Buffer.from(here)), JSON.stringify(opts)).to.equal(true);
    }
  });
  it('answers several requests in order and reports a failure as a rejection', async () => {
    thread = startCoverThread();
    const titles = ['One', 'Two', 'Three'];
    const pngs = await Promise.all(titles.map((title) => thread!.render({ title, authors: [] }, { width: 80, height: 128 })));
    for (const [i, png] of pngs.entries()) expect(Buffer.from(png).equals(Buffer.from(await renderCover({ title: titles[i]!, authors: [] }, { width: 80, height: 128 })))).to.equal(true);
    let error: unknown;
    await thread.render(SPEC, { theme: 'no-such-theme' }).catch((e: unknown) => (error = e));
    expect(String(error)).to.match(/unknown cover theme/);
  });
  it('keeps two threads apart: stopping one leaves the other drawing', async () => {
    thread = startCoverThread();
    const other = startCoverThread();
    other.stop();
    const png = await thread.render(SPEC, { width: 80, height: 128 });
    expect(Buffer.from(png).equals(Buffer.from(await renderCover(SPEC, { width: 80, height: 128 })))).to.equal(true);
  });
});
