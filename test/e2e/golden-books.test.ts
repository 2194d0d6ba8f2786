/**
 * Every golden case is also built into a real book by the CLI and validated with EPUBCheck, so a
 * new format's fixture folder under test/fixtures/golden/ is its end-to-end test as well: adding
 * a format takes one format file, one registry line and one fixture folder.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { describeMessages, epubcheck, requireEpubcheck } from '../helpers/epubcheck.js';
import { fixture } from '../helpers/paths.js';

interface Report {
  books: { output: string; inputs: string[] }[];
  failures: { input: string; error: string }[];
}

/** The input file of each golden case, by case name. */
function goldenInputs(): Map<string, string> {
  const root = fixture('golden');
  const out = new Map<string, string>();
  for (const name of readdirSync(root).sort()) {
    const input = readdirSync(join(root, name)).find((f) => /^input\./.test(f));
    if (input) out.set(name, join(root, name, input));
  }
  return out;
}

/** Whether a case's options.json asks for pictures (`--images`). */
function withImages(input: string): boolean {
  const options = join(input, '..', 'options.json');
  return existsSync(options) && (JSON.parse(readFileSync(options, 'utf8')) as { images?: boolean }).images === true;
}

describe('golden cases as books', () => {
  const cases = goldenInputs();
  let tmp: string;
  let report: Report;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'fic2epub-golden-books-'));
    // Two calls (with and without --images) build them all, each into its own folder-safe name.
    report = { books: [], failures: [] };
    for (const images of [false, true]) {
      const inputs = [...cases.values()].filter((i) => withImages(i) === images);
      if (!inputs.length) continue;
      const r = await runCli(['build', ...inputs, '--out', join(tmp, String(images)), '--json', '--cover', 'none', ...(images ? ['--images'] : [])]);
      expect(r.code, r.stderr).to.equal(0);
      const part = JSON.parse(r.stdout) as Report;
      report.books.push(...part.books);
      report.failures.push(...part.failures);
    }
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('builds a book from every case', () => {
    expect(report.failures).to.deep.equal([]);
    expect(report.books.map((b) => b.inputs[0]).sort()).to.deep.equal([...cases.values()].sort());
  });

  for (const [name, input] of cases) {
    it(`${name}: the book passes EPUBCheck with no errors and no warnings`, async function () {
      await requireEpubcheck(this);
      const book = report.books.find((b) => b.inputs[0] === input)!;
      const r = await epubcheck(book.output);
      expect(r.messages, `${name}\n${describeMessages(r)}`).to.deep.equal([]);
    });
  }
});
