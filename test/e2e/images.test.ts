/**
 * Pictures beside a saved page: only with --images, only files inside the page's folder, only
 * real PNG/JPEG/GIF bytes; everything else stays its alt text. Built books pass EPUBCheck.
 */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { readStory } from '../../src/index.js';
import { defaultOptions } from '../../src/options.js';
import { imageType } from '../../src/read/images.js';
import { besideInput } from '../../src/read/resources.js';
import { runCli } from '../helpers/cli.js';
import { openEpub } from '../helpers/epub.js';
import { describeMessages, epubcheck, requireEpubcheck } from '../helpers/epubcheck.js';

// A 1×1 GIF (the smallest valid one) and a small PNG drawn here, so no binary fixture is needed.
const GIF = Buffer.from('47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b', 'hex');
const png = (): Buffer => Buffer.from(new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="#246"/></svg>').render().asPng());

interface Report {
  books: { output: string }[];
  failures: unknown[];
}

describe('pictures beside a saved page (--images)', function () {
  this.timeout(120_000);
  let tmp: string;
  let page: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'fic2epub-images-'));
    const dir = join(tmp, 'saved');
    mkdirSync(join(dir, 'art'), { recursive: true });
    writeFileSync(join(dir, 'art', 'lighthouse.png'), png());
    writeFileSync(join(dir, 'rule.gif'), GIF);
    writeFileSync(join(dir, 'fake.png'), 'not a picture at all');
    writeFileSync(join(tmp, 'outside.png'), png());
    symlinkSync(join(tmp, 'outside.png'), join(dir, 'link.png'));
    page = join(dir, 'story.html');
    writeFileSync(page, `<!DOCTYPE html><html><head><title>The Lamp Room</title><meta name="author" content="Wren Halloway"></head><body>
<h1>The Lamp Room</h1>
<p>The keeper drew the lamp room on the back of the log.</p>
<p><img src="art/lighthouse.png" alt="A pencil sketch of the lamp room"></p>
<p>She drew it again the next night, <img src="art/lighthouse.png" alt="the same sketch"> the same as before.</p>
<p><img src="rule.gif" alt=""></p>
<p><img src="../outside.png" alt="outside the folder"> <img src="link.png" alt="a link out of the folder"> <img src="fake.png" alt="a text file named like a picture"> <img src="/etc/hostname" alt="an absolute path"> <img src="http://127.0.0.1:9/x.png" alt="a remote picture"> <img src="data:image/png;base64,iVBORw0KGgo=" alt="a data URL"></p>
<p>In the morning the drawing was all that was left of the night.</p>
</body></html>`);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('recognises pictures by their bytes, not their names', () => {
    expect(imageType(png())).to.equal('image/png');
    expect(imageType(GIF)).to.equal('image/gif');
    expect(imageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).to.equal('image/jpeg');
    expect(imageType(Buffer.from('not a picture'))).to.equal(undefined);
  });

  it('resolves only relative paths inside the page\'s folder', () => {
    const dir = join(tmp, 'saved');
    expect(besideInput(dir, 'art/lighthouse.png')).to.match(/lighthouse\.png$/);
    expect(besideInput(dir, 'art/lighthouse.png?v=2#x')).to.match(/lighthouse\.png$/);
    expect(besideInput(dir, 'art%2Flighthouse.png')).to.match(/lighthouse\.png$/);
    for (const bad of ['../outside.png', 'art/../../outside.png', '%2e%2e/outside.png', 'link.png', '/etc/hostname', '\\\\server\\x.png', '//evil.example/x.png', 'http://evil.example/x.png', 'file:///etc/passwd', 'data:image/png;base64,AAAA', 'C:/x.png', 'missing.png', 'art', '']) {
      expect(besideInput(dir, bad), bad).to.equal(undefined);
    }
  });

  it('without --images, every picture is its alt text and the book holds no image files', async () => {
    const out = join(tmp, 'plain');
    const r = await runCli(['build', page, '--out', out, '--json', '--cover', 'none']);
    expect(r.code, r.stderr).to.equal(0);
    const book = (JSON.parse(r.stdout) as Report).books[0]!;
    const epub = await openEpub(readFileSync(book.output));
    expect(epub.names.filter((n) => /\.(png|gif|jpe?g)$/.test(n))).to.deep.equal([]);
    const ch = await epub.text('OEBPS/c001.xhtml');
    expect(ch).to.include('A pencil sketch of the lamp room');
    expect(ch).not.to.include('<img');
  });

  describe('with --images', () => {
    let opf: string;
    let chapter: string;
    let names: string[];
    let output: string;
    before(async () => {
      const out = join(tmp, 'pictures');
      const r = await runCli(['build', page, '--images', '--out', out, '--json', '--cover', 'none']);
      expect(r.code, r.stderr).to.equal(0);
      const book = (JSON.parse(r.stdout) as Report).books[0]!;
      output = book.output;
      const epub = await openEpub(readFileSync(book.output));
      names = epub.names;
      opf = await epub.text('OEBPS/content.opf');
      chapter = await epub.text('OEBPS/c001.xhtml');
    });

    it('stores each allowed picture once, named by its content, and lists it in the manifest', () => {
      const images = names.filter((n) => n.startsWith('OEBPS/images/'));
      expect(images).to.have.length(2);
      expect(images.some((n) => /^OEBPS\/images\/img-[0-9a-f]{16}\.png$/.test(n))).to.equal(true);
      expect(images.some((n) => /^OEBPS\/images\/img-[0-9a-f]{16}\.gif$/.test(n))).to.equal(true);
      for (const n of images) expect(opf).to.include(`href="${n.slice('OEBPS/'.length)}"`);
      expect(opf).to.match(/media-type="image\/png"/);
      expect(opf).to.match(/media-type="image\/gif"/);
    });

    it('shows them as figures with their alt text, in reading order', () => {
      const figures = [...chapter.matchAll(/<figure class="illustration"><img src="images\/(img-[0-9a-f]+\.(?:png|gif))" alt="([^"]*)"\/><\/figure>/g)].map((m) => m[2]);
      expect(figures).to.deep.equal(['A pencil sketch of the lamp room', 'the same sketch', '']);
      expect(chapter.indexOf('She drew it again the next night,')).to.be.lessThan(chapter.indexOf('alt="the same sketch"'));
      expect(chapter.indexOf('alt="the same sketch"')).to.be.lessThan(chapter.indexOf('the same as before.'));
    });

    it('keeps refused pictures as alt text', () => {
      for (const alt of ['outside the folder', 'a link out of the folder', 'a text file named like a picture', 'an absolute path', 'a remote picture', 'a data URL']) expect(chapter).to.include(alt);
      expect(chapter).not.to.match(/127\.0\.0\.1|data:|etc\/hostname|outside\.png|fake\.png|link\.png/);
      expect(names.filter((n) => /\.(png|gif|jpe?g)$/.test(n))).to.have.length(2);
    });

    it('says how many pictures were left out (fid-001)', async () => {
      const r = await readStory(page, { ...defaultOptions(), images: true });
      const d = r.diagnostics.find((x) => x.code === 'fid-001');
      expect(d?.message).to.equal('6 pictures left out (alternative text kept)');
      expect(r.story.images?.map((i) => i.mediaType)).to.deep.equal(['image/png', 'image/gif']);
    });

    it('does not claim alternative text when a picture has none (the decorative rule)', () => {
      expect(opf).to.include('<meta property="schema:accessMode">visual</meta>');
      expect(opf).not.to.include('alternativeText');
    });

    it('passes EPUBCheck with no errors and no warnings', async function () {
      await requireEpubcheck(this);
      const r = await epubcheck(output);
      expect(r.fatal + r.errors + r.warnings, describeMessages(r)).to.equal(0);
    });
  });
});
