/**
 * A book worth keeping: reproducible bytes, accessibility (Ace by DAISY), metadata that calibre
 * reads back. Runs on the seed stories when present, else on the bundled examples.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../helpers/cli.js';
import { ace, requireAce } from '../helpers/ace.js';
import { binPath, haveSeeds, repoRoot, seedsDir } from '../helpers/paths.js';

const run = promisify(execFile);

function inputs(): string[] {
  const dir = haveSeeds() ? seedsDir : join(repoRoot, 'examples');
  return readdirSync(dir).filter((f) => /\.(txt|html?|md)$/.test(f)).sort().map((f) => join(dir, f));
}

async function build(out: string, extra: string[] = []): Promise<string[]> {
  const r = await runCli(['build', ...inputs(), '--out', out, '--json', ...extra]);
  expect(r.code, r.stderr).to.equal(0);
  return (JSON.parse(r.stdout) as { books: { output: string }[] }).books.map((b) => b.output);
}

describe('book quality', () => {
  let tmp: string;
  let books: string[];
  let anthology: string;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'fic2epub-quality-'));
    books = await build(join(tmp, 'a'));
    anthology = join(tmp, 'anthology.epub');
    const r = await runCli(['build', ...inputs(), '--anthology', 'Collected', '--out', anthology]);
    expect(r.code, r.stderr).to.equal(0);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('gives byte-identical books when built twice', async () => {
    const again = await build(join(tmp, 'b'));
    expect(again.length).to.equal(books.length);
    books.forEach((b, i) => expect(readFileSync(b).equals(readFileSync(again[i]!)), b).to.equal(true));
    const anth2 = join(tmp, 'anthology2.epub');
    await runCli(['build', ...inputs(), '--anthology', 'Collected', '--out', anth2]);
    expect(readFileSync(anthology).equals(readFileSync(anth2))).to.equal(true);
  });

  it('gives the same bytes in every time zone', async () => {
    const input = join(repoRoot, 'test', 'fixtures', 'golden', 'journal', 'input.txt');
    const bytes: Buffer[] = [];
    for (const tz of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
      const out = join(tmp, `tz-${tz.replace('/', '-')}`);
      await run(process.execPath, [binPath, 'build', input, '--out', out, '--quiet'], { env: { ...process.env, TZ: tz } });
      bytes.push(readFileSync(join(out, readdirSync(out)[0]!)));
    }
    expect(bytes[0]!.equals(bytes[1]!)).to.equal(true);
    expect(bytes[0]!.equals(bytes[2]!)).to.equal(true);
  });

  it('changes bytes when SOURCE_DATE_EPOCH changes a dateless book', async () => {
    const r1 = await runCli(['build', join(repoRoot, 'test', 'fixtures', 'golden', 'print-page', 'input.txt'), '--out', join(tmp, 'e1'), '--json', '--cover', 'none'], { SOURCE_DATE_EPOCH: '1000000000' });
    const r2 = await runCli(['build', join(repoRoot, 'test', 'fixtures', 'golden', 'print-page', 'input.txt'), '--out', join(tmp, 'e2'), '--json', '--cover', 'none'], { SOURCE_DATE_EPOCH: '1100000000' });
    const [b1, b2] = [r1, r2].map((r) => readFileSync((JSON.parse(r.stdout) as { books: { output: string }[] }).books[0]!.output));
    expect(b1!.equals(b2!)).to.equal(false);
  });

  it('has no accessibility violations of any impact (Ace by DAISY)', async function () {
    requireAce(this);
    for (const b of [...books, anthology]) {
      const v = await ace(b);
      expect(v, `${b}: ${v.map((x) => `${x.impact} ${x.rule} in ${x.document}`).join('; ')}`).to.deep.equal([]);
    }
  });

  it('has metadata that calibre reads back and converts to AZW3 (when calibre is installed)', async function () {
    try {
      await run('ebook-meta', ['--version']);
    } catch {
      console.log('      [skipped: calibre (ebook-meta) is not installed]');
      this.skip();
    }
    const r = await runCli(['build', join(repoRoot, 'test', 'fixtures', 'golden', 'journal', 'input.txt'), '--out', join(tmp, 'calibre'), '--json']);
    const book = (JSON.parse(r.stdout) as { books: { output: string }[] }).books[0]!.output;
    const { stdout } = await run('ebook-meta', [book]);
    expect(stdout).to.match(/^Title\s*: Salt and Iron$/m);
    expect(stdout).to.match(/^Author\(s\)\s*: Pell Ashby/m);
    expect(stdout).to.match(/^Series\s*: Salt and Iron #1$/m);
    expect(stdout).to.match(/^Tags\s*: .*Original Work/m);
    expect(stdout).to.match(/^Published\s*: 2019-06-05/m);
    const azw3 = join(tmp, 'calibre', 'book.azw3');
    await run('ebook-convert', [book, azw3], { maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
    expect(readFileSync(azw3).length).to.be.greaterThan(1000);
    for (const b of books) expect((await run('ebook-meta', [b])).stdout).to.match(/^Title\s*:/m);
  });
});
