/**
 * Kobo kepubs of every seed story (and the Japanese golden input, for ruby): every paragraph's
 * text in koboSpans exactly once, span ids unique, wrappers on every page, file names clean,
 * navigation in spine order, the cover declared both ways, EPUBCheck clean; calibre reads it.
 */
import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { calibre, haveCalibre } from '../helpers/calibre.js';
import { runCli } from '../helpers/cli.js';
import { openEpub } from '../helpers/epub.js';
import { describeMessages, epubcheck, requireEpubcheck } from '../helpers/epubcheck.js';
import { koboPageProblems } from '../helpers/kobo.js';
import { fixture, haveSeeds, seedsDir } from '../helpers/paths.js';

const inputs = [...(haveSeeds() ? readdirSync(seedsDir).filter((f) => f.endsWith('.txt')).sort().map((f) => join(seedsDir, f)) : []), fixture('golden', 'aozora', 'input.txt')];

describe('kobo target: a kepub of each seed', function () {
  this.timeout(600_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'fic2epub-kobo-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  if (!haveSeeds()) it('seeds are not beside the repository', function () { this.skip(); });

  for (const [i, input] of inputs.entries()) {
    it(basename(input), async function () {
      await requireEpubcheck(this);
      // The first with a generated cover (declared both ways), the others without, to save time.
      const out = join(dir, String(i));
      const r = await runCli(['build', input, '--out', out, '--json', '--target', 'kobo', ...(i === 0 ? [] : ['--cover', 'none'])]);
      expect(r.code, r.stderr).to.equal(0);
      const file = (JSON.parse(r.stdout) as { books: { output: string }[] }).books[0]!.output;
      expect(file).to.match(/\.kepub\.epub$/);
      const check = await epubcheck(file);
      expect(check.errors + check.fatal + check.warnings, describeMessages(check)).to.equal(0);
      const book = await openEpub(readFileSync(file));
      for (const name of book.names) expect(name, 'clean internal name').to.match(/^[A-Za-z0-9._/-]+$/);
      const pages = book.names.filter((n) => n.endsWith('.xhtml'));
      const problems = (await Promise.all(pages.map(async (n) => koboPageProblems(n, await book.text(n))))).flat();
      expect(problems).to.deep.equal([]);
      const chapters = await Promise.all(pages.filter((n) => /\/c\d+\.xhtml$/.test(n)).map((n) => book.text(n)));
      expect(chapters.join('').match(/class="koboSpan"/g)?.length ?? 0).to.be.greaterThan(10);
      // Navigation in spine order.
      const opf = await book.text('OEBPS/content.opf');
      const files = Object.fromEntries([...opf.matchAll(/<item id="([^"]+)" href="([^"]+)"/g)].map((m) => [m[1]!, m[2]!]));
      const spine = [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((m) => files[m[1]!]!);
      const nav = await book.text('OEBPS/nav.xhtml');
      const tocPart = nav.slice(nav.indexOf('<nav'), nav.indexOf('</nav>'));
      const positions = [...tocPart.matchAll(/href="([^"#]+)/g)].map((m) => spine.indexOf(m[1]!));
      expect(positions.every((p) => p >= 0)).to.equal(true);
      expect(positions).to.deep.equal([...positions].sort((a, b) => a - b));
      if (i === 0) {
        expect(opf).to.match(/<item id="cover-image" href="cover.png" media-type="image\/png" properties="cover-image">/);
        expect(opf).to.contain('<meta name="cover" content="cover-image"/>');
      }
      if (await haveCalibre()) {
        const meta = await calibre('ebook-meta', [file]);
        const title = opf.match(/<dc:title[^>]*>([^<]*)</)![1]!;
        expect(meta).to.match(new RegExp(`^Title\\s*: ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
      }
    });
  }
});
