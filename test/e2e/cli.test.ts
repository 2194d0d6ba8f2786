/** The command line end to end: builds, reports, exit codes, failures that do not stop a batch. */
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { openEpub } from '../helpers/epub.js';
import { describeMessages, epubcheck, requireEpubcheck } from '../helpers/epubcheck.js';
import { fixture, repoRoot } from '../helpers/paths.js';

describe('CLI', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'fic2epub-cli-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  const journal = fixture('golden', 'journal', 'input.txt');
  const print = fixture('golden', 'print-page', 'input.txt');

  it('prints help for every command, with examples', async () => {
    for (const args of [['--help'], ['build', '--help'], ['inspect', '--help']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).to.equal(0);
      expect(r.stdout).to.include('fic2epub');
    }
    expect((await runCli(['build', '--help'])).stdout).to.include('Examples:');
  });

  it('exits 2 on bad usage with one clear line', async () => {
    for (const args of [[], ['build'], ['frobnicate'], ['build', 'x.txt', '--no-such-flag']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).to.equal(2);
      expect(r.stderr).to.match(/^error: /);
      expect(r.stderr).not.to.match(/\n\s+at /);
    }
  });

  it('builds one EPUB per story and reports JSON', async () => {
    const out = join(tmp, 'books');
    const r = await runCli(['build', journal, print, '--out', out, '--json', '--cover', 'none']);
    expect(r.code, r.stderr).to.equal(0);
    const report = JSON.parse(r.stdout) as { books: { output: string; inputs: string[]; title: string; warnings: { code: string; message: string }[] }[]; failures: unknown[] };
    expect(report.failures).to.deep.equal([]);
    expect(report.books.map((b) => b.title)).to.deep.equal(['Salt and Iron', 'Untitled']);
    expect(report.books[0]!.output).to.equal(join(out, 'Pell Ashby - Salt and Iron.epub'));
    expect(report.books[1]!.warnings.map((w) => w.code)).to.include('meta-001');
    expect(readdirSync(out).sort()).to.deep.equal(['Pell Ashby - Salt and Iron.epub', 'quill - Untitled.epub']);
    expect(r.stderr).to.include('2 books written');
  });

  it('applies --title and --author', async () => {
    const r = await runCli(['build', print, '--out', tmp, '--title', 'Kettle', '--author', 'A. Quill', '--json', '--cover', 'none']);
    expect(r.code).to.equal(0);
    const book = await openEpub(readFileSync(join(tmp, 'A. Quill - Kettle.epub')));
    const opf = await book.text('OEBPS/content.opf');
    expect(opf).to.include('<dc:title id="dctitle">Kettle</dc:title>');
    expect(opf).to.include('>A. Quill</dc:creator>');
  });

  it('keeps building when some inputs fail, and exits 1', async () => {
    const empty = join(tmp, 'empty.txt');
    writeFileSync(empty, '');
    const r = await runCli(['build', journal, empty, join(tmp, 'missing.txt'), '--out', join(tmp, 'o'), '--json', '--cover', 'none']);
    expect(r.code).to.equal(1);
    const report = JSON.parse(r.stdout) as { books: unknown[]; failures: { input: string; error: string }[] };
    expect(report.books).to.have.length(1);
    expect(report.failures.map((f) => f.input)).to.deep.equal([join(tmp, 'missing.txt'), empty]);
    for (const f of report.failures) expect(f.error).to.match(/^[^\n]+$/);
    expect(r.stderr).to.include(`error: ${empty}: the file is empty`);
  });

  it('reads folders (sorted, story files only) and drops duplicates', async () => {
    const dir = join(tmp, 'in');
    mkdirSync(dir);
    writeFileSync(join(dir, 'b.txt'), readFileSync(print));
    writeFileSync(join(dir, 'a.txt'), readFileSync(journal));
    writeFileSync(join(dir, 'notes.pdf'), 'x');
    const r = await runCli(['build', dir, join(dir, 'a.txt'), '--out', join(tmp, 'o'), '--json', '--cover', 'none']);
    expect(r.code, r.stderr).to.equal(0);
    const report = JSON.parse(r.stdout) as { books: { inputs: string[] }[] };
    expect(report.books.map((b) => b.inputs[0])).to.deep.equal([join(dir, 'a.txt'), join(dir, 'b.txt')]);
  });

  it('builds an anthology that passes EPUBCheck', async function () {
    const out = join(tmp, 'anth.epub');
    const r = await runCli(['build', journal, print, '--anthology', 'Small Hours', '--editor', 'Ed Itor', '--out', out, '--json']);
    expect(r.code, r.stderr).to.equal(0);
    const report = JSON.parse(r.stdout) as { books: { output: string; inputs: string[]; title: string }[] };
    expect(report.books).to.have.length(1);
    expect(report.books[0]!.inputs).to.have.length(2);
    expect(report.books[0]!.title).to.equal('Small Hours');
    await requireEpubcheck(this);
    const check = await epubcheck(out);
    expect(check.errors + check.fatal + check.warnings, describeMessages(check)).to.equal(0);
  });

  it('inspects a story: format, metadata, outline, warnings', async () => {
    const r = await runCli(['inspect', journal]);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.include('format: journal');
    expect(r.stdout).to.include('title: Salt and Iron');
    expect(r.stdout).to.include('- Part 1: 3 paragraphs, 1 scene breaks');
    expect(r.stdout).to.include('[meta-003]');
    const j = await runCli(['inspect', journal, '--json', '--title', 'Other']);
    const report = JSON.parse(j.stdout) as { format: string; meta: { title: string }; chapters: { title: string }[] };
    expect(report.meta.title).to.equal('Other');
    expect(report.chapters.map((c) => c.title)).to.deep.equal(['Part 1', 'Epilogue']);
  });

  it('lists the diagnostic codes', async () => {
    const r = await runCli(['codes']);
    expect(r.stdout).to.match(/^read-001 {2}/m);
  });

  it('builds the bundled examples (npm start) into valid books', async function () {
    const out = join(tmp, 'examples');
    const r = await runCli(['build', join(repoRoot, 'examples'), '--out', out, '--json']);
    expect(r.code, r.stderr).to.equal(0);
    const report = JSON.parse(r.stdout) as { books: { output: string; title: string }[] };
    // Every sample has a real title (the print page's from its file name).
    expect(report.books.map((b) => b.title).filter((t) => t === 'Untitled')).to.deep.equal([]);
    expect(report.books.length).to.equal(readdirSync(join(repoRoot, 'examples')).filter((f) => /\.(txt|html?|md)$/.test(f)).length);
    await requireEpubcheck(this);
    for (const b of report.books) {
      expect(existsSync(b.output)).to.equal(true);
      const check = await epubcheck(b.output);
      expect(check.errors + check.fatal + check.warnings, `${b.output}\n${describeMessages(check)}`).to.equal(0);
    }
  });
});
