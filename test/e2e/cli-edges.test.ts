/** The CLI's rough edges and first impressions: names, covers, messages, folders, inspect, front matter, samples. */
import { expect } from 'chai';
import JSZip from 'jszip';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import iconv from 'iconv-lite';
import { runCli } from '../helpers/cli.js';
import { openEpub } from '../helpers/epub.js';
import { describeMessages, epubcheck, requireEpubcheck } from '../helpers/epubcheck.js';
import { fixture } from '../helpers/paths.js';

interface Report {
  books: { output: string; inputs: string[]; title: string; warnings: { code: string; message: string }[] }[];
  failures: { input: string; error: string }[];
}
const report = (s: string): Report => JSON.parse(s) as Report;

/** An 8×12 JPEG (written by Java's ImageIO for this test). */
const JPEG = '/9j/4AAQSkZJRgABAgAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjL/wAARCAAMAAgDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDnKKKK948Q/9k=';

const prose = 'The lamp burned low while the rain went on against the shutters. '.repeat(12);

describe('CLI edges', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'fic2epub-edges-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  const journal = fixture('golden', 'journal', 'input.txt');
  const print = fixture('golden', 'print-page', 'input.txt');

  describe('name templates', () => {
    it('"{title}.epub" does not double the extension', async () => {
      const r = await runCli(['build', journal, '--out', tmp, '--name', '{title}.epub', '--cover', 'none', '--json']);
      expect(r.code, r.stderr).to.equal(0);
      expect(readdirSync(tmp)).to.deep.equal(['Salt and Iron.epub']);
    });

    it('an unknown placeholder is a usage error listing the valid ones', async () => {
      const r = await runCli(['build', journal, '--out', tmp, '--name', '{titel} - {autor}']);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/^error: unknown placeholders \{titel\}, \{autor\} in --name; use \{title\} \{author\} \{fandom\} \{series\} \{index\}$/m);
      expect(readdirSync(tmp)).to.deep.equal([]);
    });

    it('an empty placeholder leaves no empty brackets or dangling separators', async () => {
      const r = await runCli(['build', print, '--title', 'Kettle', '--out', tmp, '--name', '{series} - {title} ({fandom}) [{index}]', '--cover', 'none']);
      expect(r.code, r.stderr).to.equal(0);
      expect(readdirSync(tmp)).to.deep.equal(['Kettle.epub']);
    });

    it('a / in the template makes subfolders inside --out, never from a value and never outside', async () => {
      const r = await runCli(['build', journal, '--out', tmp, '--name', '{author}/{series}/{title}', '--cover', 'none']);
      expect(r.code, r.stderr).to.equal(0);
      expect(existsSync(join(tmp, 'Pell Ashby', 'Salt and Iron', 'Salt and Iron.epub'))).to.equal(true);
      const slash = await runCli(['build', journal, '--title', 'Either/Or', '--out', join(tmp, 's'), '--name', '{title}', '--cover', 'none']);
      expect(slash.code).to.equal(0);
      expect(readdirSync(join(tmp, 's'))).to.deep.equal(['Either Or.epub']);
      const climb = await runCli(['build', journal, '--out', join(tmp, 'c'), '--name', '../../{title}', '--cover', 'none', '--json']);
      expect(climb.code, climb.stderr).to.equal(0);
      const out = report(climb.stdout).books[0]!.output;
      expect(relative(join(tmp, 'c'), out)).to.equal('Salt and Iron.epub');
    });

    it('documents every placeholder, {index} included, in --help', async () => {
      const r = await runCli(['build', '--help']);
      expect(r.stdout).to.match(/\{index\} \(the part number in its series\)/);
      expect(r.stdout).to.include('--force');
      expect(r.stdout).to.include('--front-matter');
    });
  });

  describe('covers', () => {
    it('accepts a JPEG cover, stored as image/jpeg, EPUBCheck-clean', async function () {
      const jpg = join(tmp, 'c.jpg');
      writeFileSync(jpg, Buffer.from(JPEG, 'base64'));
      const r = await runCli(['build', journal, '--out', join(tmp, 'o'), '--cover', jpg, '--json']);
      expect(r.code, r.stderr).to.equal(0);
      const path = report(r.stdout).books[0]!.output;
      const book = await openEpub(readFileSync(path));
      expect((await book.zip.file('OEBPS/cover.jpg')!.async('nodebuffer')).equals(readFileSync(jpg))).to.equal(true);
      expect(await book.text('OEBPS/content.opf')).to.match(/<item id="cover-image" href="cover\.jpg" media-type="image\/jpeg" properties="cover-image">/);
      await requireEpubcheck(this);
      const check = await epubcheck(path);
      expect(check.errors + check.fatal + check.warnings, describeMessages(check)).to.equal(0);
    });

    it('a missing cover file is one usage error before any book', async () => {
      const r = await runCli(['build', journal, print, '--out', join(tmp, 'o'), '--cover', join(tmp, 'nope.png')]);
      expect(r.code).to.equal(2);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('error:'))).to.deep.equal([`error: the cover file ${join(tmp, 'nope.png')} does not exist (give a PNG or JPEG file, auto or none)`]);
      expect(r.stderr).not.to.match(/ENOENT/);
      expect(existsSync(join(tmp, 'o'))).to.equal(false);
    });

    it('a cover that is a folder, or a CSS file that is missing, is one usage error before any book', async () => {
      const folder = await runCli(['build', journal, '--out', join(tmp, 'o'), '--cover', tmp]);
      expect(folder.code).to.equal(2);
      expect(folder.stderr.split('\n').filter((l) => l.startsWith('error:'))).to.deep.equal([`error: the cover ${tmp} is not a file (give a PNG or JPEG file, auto or none)`]);
      const css = await runCli(['build', journal, '--out', join(tmp, 'o'), '--style', join(tmp, 'gone.css')]);
      expect(css.code).to.equal(2);
      expect(css.stderr.split('\n').filter((l) => l.startsWith('error:'))).to.deep.equal([`error: style not found: ${join(tmp, 'gone.css')}; the built-in styles are classic, default (or give a .css file)`]);
      expect(existsSync(join(tmp, 'o'))).to.equal(false);
    });

    it("a project file's cover and style are read beside it, and named so when missing", async () => {
      mkdirSync(join(tmp, 'p', 'art'), { recursive: true });
      writeFileSync(join(tmp, 'p', 'a.txt'), `Title: Lamp\nAuthor: Ivo\n\n${prose}\n`);
      writeFileSync(join(tmp, 'p', 'art', 'c.jpg'), Buffer.from(JPEG, 'base64'));
      writeFileSync(join(tmp, 'p', 'mine.css'), 'p { text-indent: 2em; }');
      writeFileSync(join(tmp, 'p', 'book.yaml'), 'title: Lamps\ncover: art/c.jpg\nstyle: mine.css\nstories:\n  - a.txt\n');
      const r = await runCli(['build', join(tmp, 'p', 'book.yaml'), '--out', join(tmp, 'o.epub'), '--json']);
      expect(r.code, r.stderr).to.equal(0);
      const book = await openEpub(readFileSync(join(tmp, 'o.epub')));
      expect((await book.zip.file('OEBPS/cover.jpg')!.async('nodebuffer')).equals(Buffer.from(JPEG, 'base64'))).to.equal(true);
      expect(await book.text('OEBPS/style.css')).to.include(`/* theme: ${join(tmp, 'p', 'mine.css')} */\np { text-indent: 2em; }`);
      writeFileSync(join(tmp, 'p', 'book.yaml'), 'title: Lamps\ncover: art/gone.png\nstories:\n  - a.txt\n');
      const gone = await runCli(['build', join(tmp, 'p', 'book.yaml'), '--out', join(tmp, 'o2.epub')]);
      expect(gone.code).to.equal(2);
      expect(gone.stderr.split('\n').filter((l) => l.startsWith('error:'))).to.deep.equal([`error: the cover file ${join(tmp, 'p', 'art', 'gone.png')} does not exist (give a PNG or JPEG file, auto or none)`]);
    });
  });

  describe('messages', () => {
    it('--version prints the version', async () => {
      const r = await runCli(['--version']);
      expect(r.code).to.equal(0);
      expect(r.stdout.trim()).to.equal('0.0.0-test');
    });

    it('codes --json prints every code and its meaning', async () => {
      const r = await runCli(['codes', '--json']);
      expect(r.code).to.equal(0);
      const codes = JSON.parse(r.stdout) as Record<string, string>;
      expect(codes['read-010']).to.match(/gate|notice/i);
      expect(codes['build-002']).to.match(/kept/);
    });

    it('suggests the command or flag meant, in plain words', async () => {
      const cmd = await runCli(['biuld', 'x.txt']);
      expect(cmd.code).to.equal(2);
      expect(cmd.stderr).to.match(/did you mean build\?/);
      const flag = await runCli(['build', journal, '--ouput', tmp]);
      expect(flag.code).to.equal(2);
      expect(flag.stderr).to.match(/^error: unknown option --ouput \(did you mean --out\?\)$/m);
      const none = await runCli(['build']);
      expect(none.stderr).to.match(/^error: give at least one story file or folder to build/m);
      expect(none.stderr).not.to.match(/non-option/);
      const inspect = await runCli(['inspect']);
      expect(inspect.stderr).to.match(/^error: give one story file to inspect/m);
    });

    it('a --style error lists the built-in styles', async () => {
      const r = await runCli(['build', journal, '--out', tmp, '--style', 'fancy']);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/^error: style not found: fancy; the built-in styles are classic, default \(or give a \.css file\)$/m);
    });

    it('a URL is never fetched: the message says to save the page', async () => {
      const r = await runCli(['build', 'https://archiveofourown.org/works/12345', '--out', tmp, '--json']);
      expect(r.code).to.equal(1);
      expect(report(r.stdout).failures[0]!.error).to.equal('URLs are never fetched: save the page in your browser (File > Save Page As) and give the file');
    });

    it('names Word, PDF, OpenDocument, RTF, Kindle and ZIP files instead of calling them binary', async () => {
      const docx = new JSZip();
      docx.file('[Content_Types].xml', '<Types/>');
      docx.file('word/document.xml', '<w:document/>');
      const odt = new JSZip();
      odt.file('mimetype', 'application/vnd.oasis.opendocument.text', { compression: 'STORE' });
      const zip = new JSZip();
      zip.file('story.txt', 'text');
      const mobi = Buffer.alloc(100);
      mobi.write('BOOKMOBI', 60, 'latin1');
      const files: [string, Buffer, RegExp][] = [
        ['a.docx', await docx.generateAsync({ type: 'nodebuffer' }), /Word document \(\.docx\)/],
        ['a.odt', await odt.generateAsync({ type: 'nodebuffer' }), /OpenDocument/],
        ['a.zip', await zip.generateAsync({ type: 'nodebuffer' }), /ZIP archive.*unpack/],
        ['a.pdf', Buffer.from('%PDF-1.7\n%\xe2\xe3\n1 0 obj\n'), /PDF document/],
        ['a.rtf', Buffer.from('{\\rtf1\\ansi Tea}'), /RTF document/],
        ['a.mobi', mobi, /Kindle book/],
      ];
      for (const [name, bytes, what] of files) {
        writeFileSync(join(tmp, name), bytes);
        const r = await runCli(['build', join(tmp, name), '--out', join(tmp, 'o'), '--json']);
        expect(r.code, name).to.equal(1);
        const error = report(r.stdout).failures[0]!.error;
        expect(error, name).to.match(what);
        expect(error, name).not.to.match(/binary/);
      }
    });
  });

  it('searches folders below their top level and says how many files were skipped and why', async () => {
    const dir = join(tmp, 'in');
    mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
    writeFileSync(join(dir, 'a.txt'), readFileSync(journal));
    writeFileSync(join(dir, 'sub', 'deeper', 'b.txt'), readFileSync(print));
    writeFileSync(join(dir, 'sub', 'notes.pdf'), 'x');
    writeFileSync(join(dir, 'cover.png'), 'x');
    writeFileSync(join(dir, '.hidden.txt'), 'x');
    writeFileSync(join(dir, 'a.meta.yaml'), 'title: Salt and Iron\n');
    const r = await runCli(['build', dir, '--out', join(tmp, 'o'), '--json', '--cover', 'none']);
    expect(r.code, r.stderr).to.equal(0);
    expect(report(r.stdout).books.map((b) => relative(dir, b.inputs[0]!))).to.deep.equal(['a.txt', join('sub', 'deeper', 'b.txt')]);
    expect(r.stderr).to.match(/^2 books written, .*; 3 files in folders skipped \(2 not story files: \.pdf, \.png; 1 hidden\)$/m);
  });

  describe('inspect', () => {
    it('prints the series as "Name, part N" and indents multi-line notes', async () => {
      const story = join(tmp, 'kettle.txt');
      writeFileSync(story, `Title: Kettle\nAuthor: Ann\n\n${prose}\n`);
      writeFileSync(join(tmp, 'kettle.meta.yaml'), 'series: Teatime\nseries_index: 3\n');
      const r = await runCli(['inspect', story]);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/^ {2}series: Teatime, part 3$/m);
      expect(r.stdout).not.to.match(/"name"/);
      // The Archive's end notes here are two paragraphs: the second is indented under the label.
      const notes = await runCli(['inspect', fixture('golden', 'ao3-flat', 'input.txt')]);
      expect(notes.stdout).to.match(/^ {2}end notes: Thanks for reading!\n {4}The north point is made up\.$/m);
      for (const line of notes.stdout.split('\n').slice(1)) expect(line, 'every line indented').to.match(/^(?: {2}\S| {4}|$)/);
    });

    it('does not say the encoding was guessed for a page that declares its charset', async () => {
      const page = join(tmp, 'cafe.html');
      writeFileSync(page, iconv.encode(`<!DOCTYPE html><html><head><meta charset="windows-1252"><title>Café</title></head><body><h1>Café</h1><p>${prose} “Déjà vu,” she said.</p></body></html>`, 'windows-1252'));
      const r = await runCli(['inspect', page, '--json']);
      expect(r.code, r.stderr).to.equal(0);
      const rep = JSON.parse(r.stdout) as { encoding: string; diagnostics: { code: string }[] };
      expect(rep.encoding).to.equal('windows-1252');
      expect(rep.diagnostics.map((d) => d.code)).not.to.include('read-004');
      const undeclared = join(tmp, 'plain.txt');
      writeFileSync(undeclared, iconv.encode(`Title: Café\nAuthor: Ann\n\n${prose} “Déjà vu,” she said.\n`, 'windows-1252'));
      const u = JSON.parse((await runCli(['inspect', undeclared, '--json'])).stdout) as { diagnostics: { code: string }[] };
      expect(u.diagnostics.map((d) => d.code)).to.include('read-004');
    });
  });

  describe('first impressions', () => {
    it('a story with no author has no dc:creator (with a warning); a file name that reads as a title is used', async () => {
      const couch = join(tmp, 'couch.txt');
      writeFileSync(couch, `${prose}\n`);
      const r = await runCli(['build', couch, '--out', join(tmp, 'o'), '--json', '--cover', 'none']);
      expect(r.code, r.stderr).to.equal(0);
      const b = report(r.stdout).books[0]!;
      expect(b.title).to.equal('Couch');
      expect(b.output).to.equal(join(tmp, 'o', 'Couch.epub'));
      expect(b.warnings.map((w) => w.code)).to.include.members(['meta-002', 'meta-010']);
      const opf = await (await openEpub(readFileSync(b.output))).text('OEBPS/content.opf');
      expect(opf).not.to.include('dc:creator');
      expect(opf).not.to.include('Anonymous');
      const junk = join(tmp, 'chapter_03_final(2).txt');
      writeFileSync(junk, `${prose}\n`);
      const j = await runCli(['build', junk, '--out', join(tmp, 'j'), '--json', '--cover', 'none']);
      expect(report(j.stdout).books[0]!.title).to.equal('Untitled');
      expect(report(j.stdout).books[0]!.warnings.map((w) => w.code)).to.include('meta-001');
    });

    it('--front-matter title drops the information page; none drops the title page too; books stay valid', async function () {
      const pagesOf = async (front: string): Promise<{ files: string[]; path: string }> => {
        const r = await runCli(['build', journal, '--out', join(tmp, front), '--front-matter', front, '--json']);
        expect(r.code, r.stderr).to.equal(0);
        const path = report(r.stdout).books[0]!.output;
        const book = await openEpub(readFileSync(path));
        return { files: Object.keys(book.zip.files).filter((f) => f.endsWith('.xhtml')), path };
      };
      const all = await pagesOf('all');
      expect(all.files).to.include.members(['OEBPS/title.xhtml', 'OEBPS/info.xhtml']);
      const title = await pagesOf('title');
      expect(title.files).to.include('OEBPS/title.xhtml');
      expect(title.files).not.to.include('OEBPS/info.xhtml');
      const none = await pagesOf('none');
      expect(none.files).not.to.include.members(['OEBPS/title.xhtml']);
      expect(none.files).not.to.include('OEBPS/info.xhtml');
      await requireEpubcheck(this);
      for (const b of [title, none]) {
        const check = await epubcheck(b.path);
        expect(check.errors + check.fatal + check.warnings, `${b.path}\n${describeMessages(check)}`).to.equal(0);
      }
    });

    it("an anthology's contents list a one-chapter story once", async () => {
      const one = join(tmp, 'one.txt');
      writeFileSync(one, `Title: Single Cup\nAuthor: Ann\n\n${prose}\n`);
      const out = join(tmp, 'a.epub');
      const r = await runCli(['build', one, journal, '--anthology', 'Pair', '--out', out, '--cover', 'none']);
      expect(r.code, r.stderr).to.equal(0);
      const nav = await (await openEpub(readFileSync(out))).text('OEBPS/nav.xhtml');
      const toc = nav.slice(nav.indexOf('<nav epub:type="toc"'), nav.indexOf('</nav>'));
      expect(toc.match(/Single Cup/g)).to.have.length(1);
      expect(toc).to.include('Epilogue');
    });
  });
});
