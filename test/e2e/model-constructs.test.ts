/**
 * Every construct of the document model in one book, built and packaged without a reader:
 * EPUBCheck must find nothing, and Ace no accessibility violation. Readers' own torture files test
 * that they produce these constructs; this test holds the renderer to the contract for all of them.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Inline, Story } from '../../src/model.js';
import { buildEpub, defaultOptions } from '../../src/index.js';
import { emptyStory, para } from '../../src/read/story.js';
import { ace, requireAce } from '../helpers/ace.js';
import { describeMessages, epubcheck, requireEpubcheck } from '../helpers/epubcheck.js';

function everything(): Story {
  const s = emptyStory('all.txt', 'test');
  s.meta = {
    ...s.meta, title: 'Every Construct', authors: ['Ann Author'], language: 'en',
    summary: [{ kind: 'p', content: ['A summary with a note', { kind: 'noteref', id: 'n2' }, '.'] }],
  };
  const inline: Inline[] = [
    'Plain, ', { kind: 'em', content: ['em'] }, ', ', { kind: 'strong', content: ['strong'] }, ', ', { kind: 'strike', content: ['struck'] }, ', ',
    { kind: 'underline', content: ['underlined'] }, ', H', { kind: 'sub', content: ['2'] }, 'O, E=mc', { kind: 'sup', content: ['2'] }, ', ',
    { kind: 'smallcaps', content: ['small caps'] }, ', ', { kind: 'code', text: 'code()' }, ', ', { kind: 'link', href: 'https://example.org/', content: ['a link'] },
    ', ', { kind: 'ruby', base: '漢字', text: 'かんじ' }, ' and a note', { kind: 'noteref', id: 'n1' }, '.',
  ];
  s.chapters = [
    {
      title: 'One',
      sections: [{
        blocks: [
          { kind: 'p', content: [...inline] },
          { kind: 'p', content: ['Dear you,', { kind: 'br' }, 'a letter line.'] },
          { kind: 'p', content: ['Centred.'], align: 'center' },
          { kind: 'p', content: ['Signed, right.'], align: 'right' },
          { kind: 'heading', content: ['A heading inside'] },
          { kind: 'quote', blocks: [para('Quoted.')] },
          { kind: 'verse', lines: [['A line of verse,'], ['another line.']] },
          { kind: 'list', ordered: true, start: 3, items: [[para('three')], [para('four'), { kind: 'list', ordered: false, items: [[para('nested')]] }]] },
          { kind: 'table', caption: ['A table'], rows: [[{ header: true, content: ['Head'] }, { header: true, content: ['Other'] }], [{ header: false, content: ['cell'] }, { header: false, content: ['cell'] }]] },
          { kind: 'pre', text: 'pre  formatted\n  text' },
          { kind: 'note', label: "Author's note", blocks: [para('A note inside the text.')] },
          { kind: 'break' },
          para('After the break.'),
        ],
      }],
    },
    { title: 'Two', sections: [{ voice: 'Ada', blocks: [{ kind: 'p', content: ['Again', { kind: 'noteref', id: 'n1' }, '.'] }] }, { voice: 'Wren', blocks: [para('Wren.')] }] },
  ];
  s.footnotes = [{ id: 'n1', blocks: [para('The first note.')] }, { id: 'n2', blocks: [para('The second note.')] }];
  return s;
}

describe('every model construct in one book', () => {
  let dir: string;
  let file: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fic2epub-constructs-'));
    file = join(dir, 'all.epub');
    const built = await buildEpub(everything(), { ...defaultOptions(), cover: 'none' });
    writeFileSync(file, built.bytes);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('passes EPUBCheck with no errors and no warnings', async function () {
    await requireEpubcheck(this);
    const r = await epubcheck(file);
    expect(r.messages, describeMessages(r)).to.deep.equal([]);
  });

  it('has no accessibility violations (Ace by DAISY)', async function () {
    requireAce(this);
    expect(await ace(file)).to.deep.equal([]);
  });
});
