/**
 * The shared seed stories, built per story and as one anthology, judged against what a careful
 * human reads off each (../shared/seeds/expected.json) and validated with EPUBCheck.
 * Skips cleanly when the seeds are not beside the repository.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { openEpub, markupText, type OpenEpub } from '../helpers/epub.js';
import { describeMessages, epubcheck, requireEpubcheck } from '../helpers/epubcheck.js';
import { haveSeeds, seedsDir } from '../helpers/paths.js';

interface Expected {
  title: string | null;
  authors: string[] | null;
  fandoms?: string[];
  relationships?: string[];
  characters?: string[];
  rating?: string;
  warnings?: string;
  category?: string;
  tags?: string[];
  statedWordCount?: number;
  date?: string | null;
  source?: string;
  summary?: string | null;
  series?: { name: string; index: number; total: number } | null;
  chapters: string[] | number;
  voices?: string[];
  paragraphs: number;
  paragraphsTolerance?: number;
  sceneBreaks: number;
  bodyStart: string;
  bodyEnd: string;
  mustNotAppear: string[];
  italics?: string[];
  typography?: string[];
  disclaimer?: string;
}

/** Quotes and dashes folded so that typography does not matter when comparing metadata. */
function fold(s: string): string {
  return s.replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();
}

/** Words for the in-order check: letters and digits only, lower case. */
function words(s: string): string[] {
  return (s.toLowerCase().replace(/[’'‘]/g, '').match(/[\p{L}\p{N}]+/gu) ?? []);
}

/** Share of `want` found in `have` in order (greedy with a look-ahead window). */
function inOrderShare(want: string[], have: string[]): number {
  let j = 0;
  let found = 0;
  for (const w of want) {
    const limit = Math.min(have.length, j + 60);
    let k = j;
    while (k < limit && have[k] !== w) k++;
    if (k < limit) {
      found++;
      j = k + 1;
    }
  }
  return want.length ? found / want.length : 1;
}

function all(re: RegExp, s: string): RegExpExecArray[] {
  return [...s.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`))];
}

function opfValues(opf: string, tag: string): string[] {
  return all(new RegExp(`<${tag}[^>]*>([^<]*)</${tag}>`), opf).map((m) => markupText(m[1]!));
}

interface NavItem {
  label: string;
  href: string;
  children: NavItem[];
}

/** Parse the nav document's toc into a tree (our own markup: nested ol/li/a). */
function navTree(nav: string): NavItem[] {
  const toc = /<nav[^>]*epub:type="toc"[^>]*>([\s\S]*?)<\/nav>/.exec(nav)![1]!;
  const root: NavItem[] = [];
  const stack: NavItem[][] = [];
  let current: NavItem[] = root;
  let last: NavItem | undefined;
  for (const m of toc.matchAll(/<ol>|<\/ol>|<a href="([^"]*)">([^<]*)<\/a>/g)) {
    if (m[0] === '<ol>') {
      if (last) {
        stack.push(current);
        current = last.children;
      }
    } else if (m[0] === '</ol>') {
      current = stack.pop() ?? root;
    } else {
      last = { href: m[1]!, label: markupText(m[2]!), children: [] };
      current.push(last);
    }
  }
  return root;
}

async function chapterFiles(book: OpenEpub): Promise<{ name: string; xhtml: string }[]> {
  const out = [];
  for (const name of book.names.filter((n) => n.endsWith('.xhtml')).sort()) {
    const xhtml = await book.text(name);
    if (xhtml.includes('epub:type="chapter"')) out.push({ name, xhtml });
  }
  return out;
}

describe('seed stories (../shared/seeds)', function () {
  const expected: Record<string, Expected> = haveSeeds()
    ? (JSON.parse(readFileSync(join(seedsDir, 'expected.json'), 'utf8')) as { seeds: Record<string, Expected> }).seeds
    : {};
  const files = haveSeeds() ? readdirSync(seedsDir).filter((f) => f.endsWith('.txt')).sort() : [];
  let out: string;
  const books = new Map<string, { path: string; bytes: Buffer; book: OpenEpub; warnings: { code: string }[] }>();

  before(async function () {
    if (!haveSeeds()) {
      console.log(`      [skipped: no seeds at ${seedsDir}]`);
      this.skip();
    }
    out = mkdtempSync(join(tmpdir(), 'fic2epub-seeds-'));
    for (const f of files) {
      const dir = join(out, f);
      const r = await runCli(['build', join(seedsDir, f), '--out', dir, '--json']);
      expect(r.code, r.stderr).to.equal(0);
      const report = JSON.parse(r.stdout) as { books: { output: string; warnings: { code: string }[] }[] };
      const b = report.books[0]!;
      const bytes = readFileSync(b.output);
      books.set(f, { path: b.output, bytes, book: await openEpub(bytes), warnings: b.warnings });
    }
  });

  after(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  for (const f of haveSeeds() ? readdirSync(seedsDir).filter((x) => x.endsWith('.txt')).sort() : []) {
    describe(f, () => {
      it('passes EPUBCheck with no errors and no warnings', async function () {
        await requireEpubcheck(this);
        const r = await epubcheck(books.get(f)!.path);
        expect(r.errors + r.fatal, describeMessages(r)).to.equal(0);
        expect(r.warnings, describeMessages(r)).to.equal(0);
      });

      it('carries the stated metadata in the package', async () => {
        const e = expected[f]!;
        const { book, warnings } = books.get(f)!;
        const opf = await book.text('OEBPS/content.opf');
        const title = opfValues(opf, 'dc:title')[0]!;
        if (e.title) expect(fold(title)).to.equal(fold(e.title));
        else expect(warnings.map((w) => w.code)).to.include('meta-001');
        const creators = opfValues(opf, 'dc:creator');
        if (e.authors) expect(creators).to.deep.equal(e.authors);
        else expect(warnings.map((w) => w.code)).to.include('meta-002');
        const subjects = opfValues(opf, 'dc:subject').map(fold);
        for (const s of [...(e.fandoms ?? []), ...(e.relationships ?? []), ...(e.characters ?? []), ...(e.tags ?? [])]) expect(subjects).to.include(fold(s));
        if (e.date) expect(opfValues(opf, 'dc:date')).to.deep.equal([e.date]);
        else expect(opfValues(opf, 'dc:date')).to.deep.equal([]);
        if (e.summary) expect(fold(opfValues(opf, 'dc:description')[0] ?? '')).to.equal(fold(e.summary));
        else expect(opf).not.to.include('<dc:description');
        if (e.source) expect(opfValues(opf, 'dc:source')).to.deep.equal([e.source]);
        if (e.series) {
          expect(opf).to.include(`<meta property="belongs-to-collection" id="series">${e.series.name}</meta>`);
          expect(opf).to.include(`<meta refines="#series" property="group-position">${e.series.index}</meta>`);
          expect(opf).to.include(`<meta name="calibre:series_index" content="${e.series.index}"/>`);
        } else expect(opf).not.to.include('belongs-to-collection');
        expect(opf).not.to.match(/<dc:publisher|<dc:rights|All rights reserved/i);
      });

      it('shows the preface fields on the story information page', async () => {
        const e = expected[f]!;
        const { book } = books.get(f)!;
        const info = fold(markupText(await book.text('OEBPS/info.xhtml')));
        for (const v of [e.rating, e.warnings, e.category, ...(e.fandoms ?? []), ...(e.relationships ?? [])]) if (v) expect(info).to.include(fold(v));
        if (e.statedWordCount) expect(info).to.include(e.statedWordCount.toLocaleString('en-US'));
        if (e.disclaimer) expect(info).to.include(fold(e.disclaimer).replace(/\.\.\.$/, '').slice(0, 60));
      });

      it('has the expected chapters, voices, paragraphs and scene breaks', async () => {
        const e = expected[f]!;
        const { book } = books.get(f)!;
        const nav = navTree(await book.text('OEBPS/nav.xhtml'));
        const chapters = await chapterFiles(book);
        if (typeof e.chapters === 'number') expect(chapters.length).to.equal(e.chapters);
        else {
          expect(chapters.length).to.equal(e.chapters.length);
          e.chapters.forEach((t, i) => {
            if (!t.startsWith('(')) expect(fold(nav[i]!.label)).to.equal(fold(t));
          });
        }
        if (e.voices) {
          for (const [i, ch] of chapters.entries()) {
            const voices = all(/<section class="voice" aria-label="([^"]*)"/, ch.xhtml).map((m) => m[1]);
            expect(voices, ch.name).to.deep.equal(e.voices);
            expect(nav[i]!.children.map((c) => c.label)).to.deep.equal(e.voices);
          }
        }
        const text = chapters.map((c) => c.xhtml).join('\n');
        const paragraphs = all(/<p[\s>]/, text).length;
        const tol = e.paragraphsTolerance ? Math.round(e.paragraphs * e.paragraphsTolerance) : 2;
        expect(paragraphs).to.be.within(e.paragraphs - tol, e.paragraphs + tol);
        expect(all(/<hr class="scene-break"\/>/, text).length).to.equal(e.sceneBreaks);
        expect(all(/<hr[\s/>]/, text).length, 'hr used only for scene breaks').to.equal(e.sceneBreaks);
      });

      it('keeps every word of the story body, in order', async () => {
        const e = expected[f]!;
        const { book } = books.get(f)!;
        const source = readFileSync(join(seedsDir, f), 'utf8');
        const start = source.indexOf(e.bodyStart);
        const end = source.indexOf(e.bodyEnd, start) + e.bodyEnd.length;
        expect(start).to.be.greaterThan(-1);
        const want = words(source.slice(start, end));
        const have = words(markupText((await chapterFiles(book)).map((c) => c.xhtml).join('\n')));
        expect(inOrderShare(want, have)).to.be.at.least(0.995);
      });

      it('holds none of the strings that must not appear', async () => {
        const e = expected[f]!;
        const { book } = books.get(f)!;
        let text = '';
        for (const n of book.names) if (/\.(xhtml|opf|ncx)$/.test(n)) text += `${markupText(await book.text(n))}\n`;
        for (const s of e.mustNotAppear) expect(text, s).not.to.include(s);
      });

      it('typesets quotes, dashes, ellipses and emphasis', async () => {
        const e = expected[f]!;
        const chapters = (await chapterFiles(books.get(f)!.book)).map((c) => c.xhtml).join('\n');
        const text = markupText(chapters);
        expect(text).not.to.match(/"|--/);
        if (e.typography?.some((t) => /curly/.test(t))) expect(text).to.match(/[“”]/).and.to.match(/’/);
        if (e.typography?.some((t) => /ellipsis/.test(t))) expect(text).to.include('…');
        if (e.typography?.some((t) => /em dash/.test(t))) expect(text).to.include('—');
        for (const it of e.italics ?? []) {
          const m = /^\*(\w+)\*|^\/\/(.+?)\/\//.exec(it);
          if (m) expect(chapters).to.include(`<em>${m[1] ?? m[2]}</em>`);
        }
      });
    });
  }

  describe('as one anthology', () => {
    let anth: { path: string; book: OpenEpub } | undefined;
    before(async function () {
      if (!haveSeeds()) this.skip();
      const path = join(out, 'anthology.epub');
      const r = await runCli(['build', ...files.map((f) => join(seedsDir, f)), '--anthology', 'Seed Stories', '--out', path, '--json']);
      expect(r.code, r.stderr).to.equal(0);
      anth = { path, book: await openEpub(readFileSync(path)) };
    });

    it('passes EPUBCheck with no errors and no warnings', async function () {
      await requireEpubcheck(this);
      const r = await epubcheck(anth!.path);
      expect(r.errors + r.fatal, describeMessages(r)).to.equal(0);
      expect(r.warnings, describeMessages(r)).to.equal(0);
    });

    it('nests navigation story → chapter → voice (a one-chapter story: story → voice)', async () => {
      const nav = navTree(await anth!.book.text('OEBPS/nav.xhtml'));
      expect(nav).to.have.length(files.length);
      files.forEach((f, i) => {
        const e = expected[f]!;
        const n = typeof e.chapters === 'number' ? e.chapters : e.chapters.length;
        if (e.title) expect(fold(nav[i]!.label)).to.include(fold(e.title));
        // A story of one chapter is listed once: its voices (if any) sit right under it.
        if (n === 1) {
          expect(nav[i]!.children.map((c) => c.label), f).to.deep.equal(e.voices ?? []);
          return;
        }
        expect(nav[i]!.children, f).to.have.length(n);
        if (e.voices) for (const ch of nav[i]!.children) expect(ch.children.map((c) => c.label)).to.deep.equal(e.voices);
      });
    });

    it('has its own title, every known author as creator and the union of fandoms as subjects', async () => {
      const opf = await anth!.book.text('OEBPS/content.opf');
      expect(opfValues(opf, 'dc:title')).to.deep.equal(['Seed Stories']);
      const creators = opfValues(opf, 'dc:creator');
      for (const e of Object.values(expected)) for (const a of e.authors ?? []) expect(creators).to.include(a);
      const subjects = opfValues(opf, 'dc:subject');
      for (const e of Object.values(expected)) for (const fd of e.fandoms ?? []) expect(subjects).to.include(fd);
    });
  });
});
