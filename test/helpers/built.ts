/** Build one input with the CLI into a book that must pass EPUBCheck, and open it for checks. */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { runCli } from './cli.js';
import { openEpub, type OpenEpub } from './epub.js';
import { describeMessages, epubcheck } from './epubcheck.js';

/** A built book's parts that end-to-end checks look at. */
export interface BuiltBook {
  book: OpenEpub;
  /** The package document. */
  opf: string;
  /** The chapter files (`c001.xhtml` …), sorted. */
  chapterFiles: string[];
  /** Their markup, joined. */
  chapters: string;
  /** The markup of every XHTML, OPF and NCX file, joined. */
  everything: string;
}

/**
 * `fic2epub build FILE --out DIR --json --cover none`: exactly one book and no failure, with no
 * EPUBCheck error or warning (call `requireEpubcheck` first). Returns the book, opened.
 */
export async function buildOneValid(file: string, dir: string): Promise<BuiltBook> {
  const r = await runCli(['build', file, '--out', dir, '--json', '--cover', 'none']);
  expect(r.code, r.stderr).to.equal(0);
  const report = JSON.parse(r.stdout) as { books: { output: string }[]; failures: unknown[] };
  expect(report.failures).to.deep.equal([]);
  expect(report.books).to.have.length(1);
  const out = report.books[0]!.output;
  const check = await epubcheck(out);
  expect(check.errors + check.fatal + check.warnings, describeMessages(check)).to.equal(0);
  const book = await openEpub(readFileSync(out));
  const chapterFiles = book.names.filter((n) => /\/c\d+\.xhtml$/.test(n)).sort();
  const texts = async (names: string[]): Promise<string> => (await Promise.all(names.map((n) => book.text(n)))).join('\n');
  return {
    book,
    opf: await book.text('OEBPS/content.opf'),
    chapterFiles,
    chapters: await texts(chapterFiles),
    everything: await texts(book.names.filter((n) => /\.(?:xhtml|opf|ncx)$/.test(n))),
  };
}
