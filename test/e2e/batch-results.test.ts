/**
 * What batch workers send back: into a folder that holds no book yet, a book comes back without
 * its story (only its metadata), since nothing there can be updated. A book of the same story
 * that appears in the folder while the batch runs is still updated, from the story read again,
 * exactly as when it was there from the start.
 */
import { expect } from 'chai';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBooks, type BuildOutcome } from '../../src/jobs/build.js';
import { defaultOptions } from '../../src/options.js';

const options = { ...defaultOptions(), cover: 'none' as const, sourceDateEpoch: 1_600_000_000 };
const story = (i: number, ending: string): string => `Title: Harbour ${i}\nAuthor: Ida Brandt\n\nThe ferry left at ${i} o'clock.\n\n${ending}\n`;

describe('batch results', function () {
  this.timeout(300_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fic2epub-batch-results-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('updates a book of the same story that appears while the batch runs, as one there from the start', async () => {
    // Ten stories (a batch for worker threads); the book of story 6 exists in an older version.
    mkdirSync(join(dir, 'old'));
    writeFileSync(join(dir, 'old', 'story-06.txt'), story(6, 'Nobody waited on the pier.'));
    const stories = Array.from({ length: 10 }, (_, i) => {
      const path = join(dir, `story-${String(i).padStart(2, '0')}.txt`);
      writeFileSync(path, story(i, 'Someone waited on the pier.'));
      return { path, overrides: {} };
    });
    const build = (out: string, events = {}): Promise<BuildOutcome> => buildBooks({ stories, options, output: { kind: 'folder', dir: join(dir, out) }, temps: new Set() }, events);
    const old = await buildBooks({ stories: [{ path: join(dir, 'old', 'story-06.txt'), overrides: {} }], options, output: { kind: 'folder', dir: join(dir, 'old') }, temps: new Set() });
    const oldBook = old.books[0]!.output;

    mkdirSync(join(dir, 'there'));
    copyFileSync(oldBook, join(dir, 'there', 'Ida Brandt - Harbour 6.epub'));
    const there = await build('there');
    // Into an empty folder; the old book is put in place as the first story's book is.
    let placed = false;
    const appeared = await build('appeared', {
      onProgress: () => {
        if (placed) return;
        mkdirSync(join(dir, 'appeared'));
        copyFileSync(oldBook, join(dir, 'appeared', 'Ida Brandt - Harbour 6.epub'));
        placed = true;
      },
    });

    for (const outcome of [there, appeared]) {
      expect(outcome.failures).to.deep.equal([]);
      expect(outcome.books).to.have.length(10);
      expect(outcome.books[6]!.update?.changed, 'story 6 updated').to.have.length(1);
      expect(outcome.books.filter((b) => b.update)).to.have.length(1);
    }
    const names = readdirSync(join(dir, 'there')).sort();
    expect(readdirSync(join(dir, 'appeared')).sort()).to.deep.equal(names);
    for (const n of names) expect(readFileSync(join(dir, 'appeared', n)).equals(readFileSync(join(dir, 'there', n))), n).to.equal(true);
  });
});
