/** The library API's own seams: hearing of settled metadata while a story is read, and a cover started early. */
import { expect } from 'chai';
import type { Meta } from '../../src/model.js';
import { buildEpub, defaultBuildContext, readStoryBytes, startStoryCover, type BuildContext } from '../../src/index.js';
import { coverLayout, type CoverSpec } from '../../src/render/cover.js';
import { coverBands } from '../../src/render/cover-draw.js';
import { defaultOptions } from '../../src/options.js';
import { loadResvg } from '../../src/render/resvg.js';
import { openEpub } from '../helpers/epub.js';

const TEXT = 'Title: The Lamplighter\nAuthor: Ivo\nFandom: Original Work\nSeries: Night Shifts (Part 2)\n\n' + 'He lit the lamps along the quay one by one and counted the ships. '.repeat(20) + '\n';
const OPTIONS = { ...defaultOptions(), sourceDateEpoch: 1_600_000_000 };

describe('library API', function () {
  this.timeout(30_000);

  it('says once, while reading, that the title, authors, fandoms and series are settled', async () => {
    const seen: Meta[] = [];
    const r = await readStoryBytes('lamp.txt', Buffer.from(TEXT), { ...OPTIONS, overrides: { title: 'Lamps' } }, {}, { onMetaSettled: (m) => seen.push(structuredClone(m)) });
    expect(seen).to.have.length(1);
    const [early] = seen;
    const m = r.story.meta;
    expect([early!.title, early!.authors, early!.fandoms, early!.series]).to.deep.equal([m.title, m.authors, m.fandoms, m.series]);
    expect(early!.title).to.equal('Lamps'); // overrides are applied by then
    expect(early!.countedWords, 'heard before the words are counted').to.equal(undefined);
  });

  it('builds the same bytes with a cover started from the settled metadata as with one started after reading', async () => {
    let cover: ReturnType<typeof startStoryCover> | undefined;
    const r = await readStoryBytes('lamp.txt', Buffer.from(TEXT), OPTIONS, {}, { onMetaSettled: (m) => void (cover = startStoryCover(m, OPTIONS)) });
    expect(cover).to.not.equal(undefined);
    const early = await buildEpub(r.story, OPTIONS, defaultBuildContext(), cover);
    const late = await buildEpub(r.story, OPTIONS);
    expect((await early.plan.cover!.png).length).to.be.above(1000);
    expect(early.bytes.equals(late.bytes)).to.equal(true);
  });

  it('draws covers with the renderer of the build context, from the settled metadata', async () => {
    const specs: CoverSpec[] = [];
    const own = await defaultBuildContext().drawCover({ title: 'Other', authors: [] }, { width: 64, height: 102 });
    const ctx: BuildContext = { drawCover: async (spec) => (specs.push(spec), own) };
    const r = await readStoryBytes('lamp.txt', Buffer.from(TEXT), OPTIONS);
    const built = await buildEpub(r.story, OPTIONS, ctx);
    expect(specs).to.have.length(1);
    expect(specs[0]).to.include({ title: 'The Lamplighter', subtitle: 'Original Work' });
    expect(specs[0]!.authors).to.deep.equal(['Ivo']);
    expect(specs[0]!.series).to.match(/^Night Shifts/);
    expect(Buffer.from(await built.plan.cover!.png).equals(Buffer.from(own))).to.equal(true);
  });

  it('hands a cover to resvg within the drawCover call once the renderer is loaded, also from the settled-metadata hook', async () => {
    const resvg = await loadResvg();
    const original = resvg.renderAsync;
    let calls = 0;
    resvg.renderAsync = (...args) => (calls++, original(...args));
    try {
      const ctx = defaultBuildContext();
      ctx.prepare!();
      const size = { width: 64, height: 102 };
      await ctx.drawCover({ title: 'First', authors: [] }, size);
      calls = 0;
      const second = { title: 'Second', authors: ['Someone'] };
      const drawing = ctx.drawCover(second, size);
      // Its bands not drawn before, and its ground unless a cover of its palette was.
      expect(calls, 'handed over before the caller goes on').to.be.within(1, coverBands(coverLayout(second, size)).length + 1);
      await drawing;
      calls = 0;
      await ctx.drawCover(second, size);
      expect(calls, 'the same cover again: every band and the ground kept').to.equal(0);
      // Started from the settled metadata, the drawing is under way when the hook returns, while the story is still being read.
      let handedInHook = -1;
      calls = 0;
      // A title no other test draws: a cover drawn before would be kept, with nothing left to draw.
      const options = { ...OPTIONS, overrides: { title: 'Lamps Lit in the Hook' } };
      await readStoryBytes('lamp.txt', Buffer.from(TEXT), options, {}, {
        onMetaSettled: (m) => {
          startStoryCover(m, options, ctx).png?.catch(() => undefined);
          handedInHook = calls;
        },
      });
      expect(handedInHook, 'drawings handed over in the hook').to.be.above(0);
    } finally {
      resvg.renderAsync = original;
    }
  });

  it('builds the book without a cover when its renderer fails (build-001), and plans no cover for a theme it cannot draw', async () => {
    const r = await readStoryBytes('lamp.txt', Buffer.from(TEXT), OPTIONS);
    const broken: BuildContext = { drawCover: () => Promise.reject(new Error('no renderer here')) };
    const failed = await buildEpub(r.story, OPTIONS, broken);
    expect(failed.plan.cover).to.equal(undefined);
    expect(failed.plan.pages.some((p) => p.id === 'cover')).to.equal(false);
    expect(failed.diagnostics.map((d) => `${d.code} ${d.message}`)).to.deep.equal(['build-001 the cover could not be rendered (no renderer here); the book has no cover']);
    const book = await openEpub(failed.bytes);
    expect(book.names.some((n) => /cover/.test(n))).to.equal(false);
    const noTheme = await buildEpub(r.story, { ...OPTIONS, coverTheme: 'no-such-theme' }, broken);
    expect(noTheme.plan.cover).to.equal(undefined);
    expect(noTheme.diagnostics.map((d) => d.code)).to.deep.equal(['build-001']);
  });
});
