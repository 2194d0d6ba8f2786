/** A folder scan takes exactly the files some reader claims, by the registry's declarations. */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandInputs } from '../../src/cli/inputs.js';
import type { Failure } from '../../src/cli/report.js';
import { FORMATS } from '../../src/read/formats/index.js';

describe('folder scan', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fic2epub-scan-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('picks up one file of every extension a reader claims, and nothing else', async () => {
    const claimed = [...new Set(FORMATS.flatMap((f) => f.extensions))];
    expect(claimed).to.include.members(['.mdown', '.eml', '.mbox']);
    const want = claimed.map((e, i) => `story-${i}${i % 2 ? e.toUpperCase() : e}`);
    for (const name of [...want, 'cover.png', 'notes.json', '.hidden.txt']) writeFileSync(join(dir, name), 'Title: T\n\nText.\n');
    const failures: Failure[] = [];
    const { stories } = await expandInputs([dir], failures);
    expect(failures).to.deep.equal([]);
    expect(stories.map((s) => s.path).sort()).to.deep.equal(want.map((n) => join(dir, n)).sort());
  });
});
