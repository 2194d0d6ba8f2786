/** Every build flag, the metadata file and the anthology project file, through the CLI. */
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { openEpub } from '../helpers/epub.js';
import { epubcheckUnavailable } from '../../src/check.js';
import { fixture, haveSeeds, seedsDir } from '../helpers/paths.js';

const journal = fixture('golden', 'journal', 'input.txt');
const print = fixture('golden', 'print-page', 'input.txt');
const wrapped = fixture('golden', 'hard-wrapped', 'input.txt');

async function opf(path: string): Promise<string> {
  return (await openEpub(readFileSync(path))).text('OEBPS/content.opf');
}

function report(stdout: string): { books: { output: string; inputs: string[]; title: string; check?: { available: boolean; errors?: number; warnings?: number; reason?: string } }[]; failures: { input: string; error: string }[] } {
  return JSON.parse(stdout) as ReturnType<typeof report>;
}

describe('CLI flags', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'fic2epub-flags-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('seed 003 with --title Couch --name "{author} - {title}" writes "mako - Couch.epub"', async function () {
    if (!haveSeeds()) this.skip();
    const r = await runCli(['build', join(seedsDir, '003_0fce398bfe668819.txt'), '--title', 'Couch', '--name', '{author} - {title}', '--out', tmp, '--cover', 'none']);
    expect(r.code, r.stderr).to.equal(0);
    expect(readdirSync(tmp)).to.deep.equal(['mako - Couch.epub']);
    expect(await opf(join(tmp, 'mako - Couch.epub'))).to.include('<dc:title id="dctitle">Couch</dc:title>');
  });

  it('applies a .meta.yaml beside the story: title, series and tags; flags beat it', async () => {
    const dir = join(tmp, 'in');
    mkdirSync(dir);
    writeFileSync(join(dir, 'kettle.txt'), readFileSync(print));
    writeFileSync(join(dir, 'kettle.meta.yaml'), 'title: The Red Kettle\nseries: Kitchen Tales\nseries_index: 3\ntags: [domestic, fluff]\nauthors: Quill\n');
    let r = await runCli(['build', dir, '--out', join(tmp, 'a'), '--json', '--cover', 'none']);
    expect(r.code, r.stderr).to.equal(0);
    const book = report(r.stdout).books[0]!;
    expect(book.title).to.equal('The Red Kettle');
    const o = await opf(book.output);
    expect(o).to.include('<dc:title id="dctitle">The Red Kettle</dc:title>');
    expect(o).to.include('<meta property="belongs-to-collection" id="series">Kitchen Tales</meta>');
    expect(o).to.include('<meta refines="#series" property="group-position">3</meta>');
    expect(o).to.include('<dc:subject>domestic</dc:subject>');
    expect(o).to.include('<dc:subject>fluff</dc:subject>');
    expect(o).to.include('>Quill</dc:creator>');
    r = await runCli(['build', dir, '--out', join(tmp, 'b'), '--json', '--cover', 'none', '--title', 'Flag Title', '--series', 'Flag Series', '--series-index', '7', '--lang', 'de']);
    const o2 = await opf(report(r.stdout).books[0]!.output);
    expect(o2).to.include('<dc:title id="dctitle">Flag Title</dc:title>');
    expect(o2).to.include('id="series">Flag Series</meta>');
    expect(o2).to.include('group-position">7</meta>');
    expect(o2).to.include('<dc:language>de</dc:language>');
  });

  it('rejects a metadata file with an unknown field as a clear failure', async () => {
    const dir = join(tmp, 'in');
    mkdirSync(dir);
    writeFileSync(join(dir, 's.txt'), readFileSync(print));
    writeFileSync(join(dir, 's.meta.yaml'), 'titel: typo\n');
    const r = await runCli(['build', join(dir, 's.txt'), '--out', tmp, '--json']);
    expect(r.code).to.equal(1);
    expect(report(r.stdout).failures[0]!.error).to.match(/unknown field\(s\) titel/);
  });

  it('names files from a template and numbers collisions', async () => {
    const r = await runCli(['build', journal, print, wrapped, '--out', tmp, '--name', 'book', '--json', '--cover', 'none']);
    expect(r.code).to.equal(0);
    expect(readdirSync(tmp).sort()).to.deep.equal(['book (2).epub', 'book (3).epub', 'book.epub']);
    const r2 = await runCli(['build', journal, '--out', join(tmp, 'x'), '--name', '{series} {index} - {fandom} - {title}', '--json', '--cover', 'none']);
    expect(report(r2.stdout).books[0]!.output).to.equal(join(tmp, 'x', 'Salt and Iron 1 - Original Work - Salt and Iron.epub'));
  });

  it('expands quoted globs', async () => {
    const dir = join(tmp, 'g');
    mkdirSync(dir);
    writeFileSync(join(dir, 'one.txt'), readFileSync(print));
    writeFileSync(join(dir, 'two.txt'), readFileSync(wrapped));
    writeFileSync(join(dir, 'skip.pdf'), 'x');
    const r = await runCli(['build', `${dir}/*`, '--out', join(tmp, 'o'), '--json', '--cover', 'none']);
    expect(r.code, r.stderr).to.equal(0);
    expect(report(r.stdout).books.map((b) => b.inputs[0])).to.deep.equal([join(dir, 'one.txt'), join(dir, 'two.txt')]);
    const none = await runCli(['build', `${dir}/*.html`, '--out', join(tmp, 'o2'), '--json']);
    expect(none.code).to.equal(1);
    expect(report(none.stdout).failures[0]!.error).to.equal('the pattern matches no story files');
  });

  it('orders anthology stories by title, author or date', async () => {
    const base = ['build', journal, print, wrapped, '--anthology', 'Set', '--json', '--cover', 'none'];
    const titles = async (order: string): Promise<string[]> => {
      const out = join(tmp, `${order}.epub`);
      const r = await runCli([...base, '--order', order, '--out', out]);
      expect(r.code, r.stderr).to.equal(0);
      const nav = await (await openEpub(readFileSync(out))).text('OEBPS/nav.xhtml');
      return [...nav.matchAll(/<a href="s\d{3}-title\.xhtml">([^<]*)<\/a>/g)].map((m) => m[1]!.replace(/ by .*/, ''));
    };
    expect(await titles('input')).to.deep.equal(['Salt and Iron', 'Untitled', 'A Map of Small Rivers']);
    expect(await titles('title')).to.deep.equal(['A Map of Small Rivers', 'Salt and Iron', 'Untitled']);
    expect(await titles('author')).to.deep.equal(['A Map of Small Rivers', 'Salt and Iron', 'Untitled']);
    expect(await titles('date')).to.deep.equal(['Salt and Iron', 'Untitled', 'A Map of Small Rivers']);
    const bad = await runCli([...base, '--order', 'random', '--out', join(tmp, 'x.epub')]);
    expect(bad.code).to.equal(2);
  });

  it('builds an anthology from a project file with per-story overrides', async () => {
    const dir = join(tmp, 'proj');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.txt'), readFileSync(print));
    writeFileSync(join(dir, 'b.txt'), readFileSync(journal));
    writeFileSync(
      join(dir, 'anthology.yaml'),
      'title: Kitchen Stories\neditor: Ed Itor\ndescription: Small domestic tales.\ncover: none\nstories:\n  - file: b.txt\n  - file: a.txt\n    title: The Kettle\n    authors: [Quill]\n',
    );
    const out = join(tmp, 'k.epub');
    const r = await runCli(['build', join(dir, 'anthology.yaml'), '--out', out, '--json']);
    expect(r.code, r.stderr).to.equal(0);
    const rep = report(r.stdout);
    expect(rep.books[0]!.title).to.equal('Kitchen Stories');
    expect(rep.books[0]!.inputs).to.deep.equal([join(dir, 'b.txt'), join(dir, 'a.txt')]);
    const book = await openEpub(readFileSync(out));
    const o = await book.text('OEBPS/content.opf');
    expect(o).to.include('<dc:title id="dctitle">Kitchen Stories</dc:title>');
    expect(o).to.include('<dc:description>Small domestic tales.</dc:description>');
    expect(o).to.include('>Ed Itor</dc:creator>');
    expect(o).to.include('>Quill</dc:creator>');
    expect(o).not.to.include('cover-image');
    expect(await book.text('OEBPS/nav.xhtml')).to.include('<a href="s002-title.xhtml">The Kettle by Quill</a>');
    writeFileSync(join(dir, 'bad.yaml'), 'title: X\nstories: [a.txt]\ncolour: red\n');
    const bad = await runCli(['build', join(dir, 'bad.yaml'), '--out', join(tmp, 'bad.epub'), '--json']);
    expect(bad.code).to.equal(1);
    expect(report(bad.stdout).failures[0]!.error).to.match(/unknown field\(s\) colour/);
  });

  it('uses a built-in style or a CSS file, and refuses an unknown one', async () => {
    const css = join(tmp, 'mine.css');
    writeFileSync(css, 'p { text-indent: 3em; }');
    for (const style of ['classic', css]) {
      const r = await runCli(['build', print, '--out', join(tmp, 's'), '--style', style, '--json', '--cover', 'none']);
      expect(r.code, r.stderr).to.equal(0);
      const sheet = await (await openEpub(readFileSync(report(r.stdout).books[0]!.output))).text('OEBPS/style.css');
      expect(sheet).to.include(style === css ? 'text-indent: 3em' : 'theme: classic');
    }
    const bad = await runCli(['build', print, '--out', join(tmp, 's'), '--style', 'no-such-style']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('style not found: no-such-style');
  });

  it('takes a PNG cover file, or none; a file that is no picture is one usage error before any book', async () => {
    const png = join(tmp, 'c.png');
    // The smallest valid PNG: 1×1 transparent pixel.
    writeFileSync(png, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'));
    const r = await runCli(['build', print, '--out', join(tmp, 'c'), '--cover', png, '--json']);
    expect(r.code, r.stderr).to.equal(0);
    const book = await openEpub(readFileSync(report(r.stdout).books[0]!.output));
    expect((await book.zip.file('OEBPS/cover.png')!.async('nodebuffer')).equals(readFileSync(png))).to.equal(true);
    const notPng = join(tmp, 'c.txt');
    writeFileSync(notPng, 'hello');
    const bad = await runCli(['build', print, '--out', join(tmp, 'd'), '--cover', notPng, '--json']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/^error: the cover .*c\.txt is not a PNG or JPEG image$/m);
    expect(existsSync(join(tmp, 'd'))).to.equal(false);
  });

  it('--quiet prints errors only; the summary line counts books, warnings and failures', async () => {
    const q = await runCli(['build', print, join(tmp, 'missing.txt'), '--out', tmp, '--quiet', '--cover', 'none']);
    expect(q.code).to.equal(1);
    expect(q.stderr.trim().split('\n')).to.deep.equal([`error: ${join(tmp, 'missing.txt')}: no such file or folder`]);
    expect(q.stdout).to.equal('');
    const loud = await runCli(['build', print, join(tmp, 'missing.txt'), '--out', tmp, '--cover', 'none']);
    expect(loud.stderr).to.match(/^warning: .*\[meta-001\]$/m);
    expect(loud.stderr).to.match(/^1 book written, \d+ warnings?, 1 failure$/m);
    expect(loud.stderr).not.to.match(/\x1b\[/);
  });

  it('--check runs EPUBCheck or says clearly that it is unavailable', async () => {
    const r = await runCli(['build', print, '--out', tmp, '--check', '--json', '--cover', 'none']);
    expect(r.code, r.stderr).to.equal(0);
    const check = report(r.stdout).books[0]!.check!;
    const why = await epubcheckUnavailable();
    if (why) {
      expect(check).to.deep.equal({ available: false, reason: why });
      expect(r.stderr).to.include(`not checked: ${why}`);
    } else {
      expect(check).to.include({ available: true, errors: 0, warnings: 0 });
      expect(r.stderr).to.include('EPUBCheck: all valid');
    }
    const missing = await runCli(['build', print, '--out', join(tmp, 'm'), '--check', '--json', '--cover', 'none'], { FIC2EPUB_EPUBCHECK_JAR: join(tmp, 'nope.jar') });
    expect(report(missing.stdout).books[0]!.check).to.deep.equal({ available: false, reason: `EPUBCheck is not installed (${join(tmp, 'nope.jar')} is missing; apt-get install epubcheck)` });
  });
});
