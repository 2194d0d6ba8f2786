import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Story } from '../../src/model.js';
import { packageEpub } from '../../src/package/epub.js';
import { zipFiles } from '../../src/package/files.js';
import { packPage } from '../../src/package/page-file.js';
import { TARGETS } from '../../src/package/writer.js';
import { writerFor } from '../../src/package/writers.js';
import { readProject } from '../../src/project.js';
import { planStory } from '../../src/render/book.js';
import { openEpub } from '../helpers/epub.js';

const story: Story = {
  meta: { title: 'Tea', authors: ['Ann'], fandoms: [], relationships: [], characters: [], warnings: [], category: [], tags: [], extra: {}, language: 'en' },
  front: [], end: [], source: { path: 'x.txt', format: 'plain-text', score: 1, encoding: 'utf-8' },
  chapters: [{ sections: [{ blocks: [{ kind: 'p', content: ['She poured. He waited.'] }] }] }],
};

describe('targets and the writer seam', () => {
  it('every target has a writer; the kepub says so in its name', () => {
    expect(TARGETS.map((t) => [t, writerFor(t).target, writerFor(t).extension])).to.deep.equal([['epub', 'epub', '.epub'], ['kobo', 'kobo', '.kepub.epub'], ['kindle', 'kindle', '.epub']]);
  });

  it('a writer gives a file map: mimetype first and stored, the cover last and awaited', async () => {
    const plan = planStory(story, { css: 'p{}', cover: Promise.resolve(new Uint8Array([1, 2, 3])) });
    const { files } = writerFor('epub').files(plan);
    expect(files[0]).to.deep.equal({ path: 'mimetype', content: 'application/epub+zip', store: true });
    expect(files[files.length - 1]!.path).to.equal('OEBPS/cover.png');
    expect('pending' in files[files.length - 1]!).to.equal(true);
    expect(await zipFiles(files, new Date(plan.meta.modified))).to.deep.equal(await packageEpub(plan));
  });

  it('the same plan, three writers: only the Kobo pages hold spans', async () => {
    const plan = planStory(story, { css: '' });
    for (const t of TARGETS) {
      const book = await openEpub(await packageEpub(plan, t));
      expect(await book.text('OEBPS/c001.xhtml'), t).to.satisfy((x: string) => x.includes('koboSpan') === (t === 'kobo'));
    }
  });

  it('pages packed for one target are refused by another writer', () => {
    const plan = planStory(story, { css: '' });
    const kobo = { ...plan, pages: plan.pages.map((p) => packPage(p, writerFor('kobo'))) };
    expect(() => writerFor('kobo').files(kobo)).to.not.throw();
    expect(() => writerFor('epub').files(kobo)).to.throw(/written for kobo/);
  });

  it('a project file names its target; an unknown one is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fic2epub-target-'));
    try {
      writeFileSync(join(dir, 'p.yaml'), 'title: Shelf\ntarget: kobo\nstories:\n  - a.txt\n');
      expect(readProject(join(dir, 'p.yaml')).target).to.equal('kobo');
      writeFileSync(join(dir, 'q.yaml'), 'title: Shelf\ntarget: nook\nstories:\n  - a.txt\n');
      expect(() => readProject(join(dir, 'q.yaml'))).to.throw(/target must be one of epub, kobo, kindle/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
