/**
 * Never lose a book: existing files kept across runs, --out as a file or a folder, devices,
 * FIFOs and links written through, standard input and output, gate pages refused, interrupts
 * that report what was written, EPUBCheck for a batch in one JVM per core.
 */
import { expect } from 'chai';
import JSZip from 'jszip';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { interruptAfterFirstBook, runCli } from '../helpers/cli.js';
import { openEpub } from '../helpers/epub.js';
import { describeMessages, epubcheck, requireEpubcheck } from '../helpers/epubcheck.js';
import { binPath, fixture } from '../helpers/paths.js';

interface Report {
  books: { output: string; inputs: string[]; title: string; warnings: { code: string; message: string }[]; check?: { available: boolean; errors?: number } }[];
  failures: { input: string; error: string }[];
  interrupted?: boolean;
}
const report = (s: string): Report => JSON.parse(s) as Report;

/** A story with its own title and no author (so two of them name the same file). */
const untitled = (words: string): string => `${`${words} `.repeat(40)}\n\nThe end came quietly.\n`;

describe('CLI output: never lose a book', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'fic2epub-out-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  const journal = fixture('golden', 'journal', 'input.txt');
  const print = fixture('golden', 'print-page', 'input.txt');

  it('names the volumes of a story cut in several beside the file asked for, none numbered as if in the way', async () => {
    const story = join(tmp, 'long.txt');
    writeFileSync(story, `Title: Long Haul\nAuthor: Pell\n\n${[1, 2, 3].map((n) => `Chapter ${n}\n\n${untitled(`Chapter ${n} words.`)}`).join('\n')}`);
    const r = await runCli(['build', story, '--out', join(tmp, 'one.epub'), '--split-chapters', '1', '--cover', 'none', '--json']);
    expect(r.code, r.stderr).to.equal(0);
    expect(readdirSync(tmp).filter((f) => f.endsWith('.epub')).sort()).to.deep.equal(['one, Vol. 1.epub', 'one, Vol. 2.epub', 'one, Vol. 3.epub']);
    expect(report(r.stdout).books.flatMap((b) => b.warnings.map((w) => w.code))).not.to.include('build-002');
  });

  it('keeps a file from an earlier run and numbers the new book (build-002); --force replaces it', async () => {
    const a = join(tmp, 'a', 'part.txt');
    const b = join(tmp, 'b', 'part.txt');
    mkdirSync(join(tmp, 'a'));
    mkdirSync(join(tmp, 'b'));
    writeFileSync(a, `Title: Part\n\n${untitled('First story words.')}`);
    writeFileSync(b, `Title: Part\n\n${untitled('Second story, other words.')}`);
    const out = join(tmp, 'books');
    const first = await runCli(['build', a, '--out', out, '--cover', 'none', '--json']);
    expect(first.code, first.stderr).to.equal(0);
    const kept = readFileSync(join(out, 'Part.epub'));
    const second = await runCli(['build', b, '--out', out, '--cover', 'none', '--json']);
    expect(second.code, second.stderr).to.equal(0);
    expect(readdirSync(out).sort()).to.deep.equal(['Part (2).epub', 'Part.epub']);
    expect(readFileSync(join(out, 'Part.epub')).equals(kept), 'the first book is untouched').to.equal(true);
    const book = report(second.stdout).books[0]!;
    expect(book.output).to.equal(join(out, 'Part (2).epub'));
    expect(book.warnings.map((w) => w.code)).to.include('build-002');
    expect(second.stderr).to.match(/Part\.epub already exists and was kept; this book was written to .*Part \(2\)\.epub .*\[build-002\]/);
    const forced = await runCli(['build', b, '--out', out, '--cover', 'none', '--json', '--force']);
    expect(forced.code).to.equal(0);
    expect(readdirSync(out).sort()).to.deep.equal(['Part (2).epub', 'Part.epub']);
    expect(readFileSync(join(out, 'Part.epub')).equals(readFileSync(join(out, 'Part (2).epub')))).to.equal(true);
    expect(report(forced.stdout).books[0]!.warnings.map((w) => w.code)).not.to.include('build-002');
  });

  it('--out book.epub with one story writes that file; with several it is one usage error', async () => {
    const file = join(tmp, 'mine', 'mybook.epub');
    const r = await runCli(['build', journal, '--out', file, '--cover', 'none', '--json']);
    expect(r.code, r.stderr).to.equal(0);
    expect(statSync(file).isFile()).to.equal(true);
    expect(report(r.stdout).books[0]!.output).to.equal(file);
    await openEpub(readFileSync(file));
    const two = await runCli(['build', journal, print, '--out', join(tmp, 'two.epub'), '--cover', 'none']);
    expect(two.code).to.equal(2);
    expect(two.stderr).to.match(/^error: --out .*two\.epub names one file, but 2 stories were given/);
    expect(existsSync(join(tmp, 'two.epub'))).to.equal(false);
  });

  it('--anthology with --out folder/ writes the book inside the folder, named by its title', async () => {
    const dir = join(tmp, 'books');
    mkdirSync(dir);
    const r = await runCli(['build', journal, print, '--anthology', 'Small Hours', '--out', `${dir}/`, '--cover', 'none', '--json']);
    expect(r.code, r.stderr).to.equal(0);
    expect(readdirSync(dir)).to.deep.equal(['Small Hours.epub']);
    const fresh = await runCli(['build', journal, print, '--anthology', 'Small Hours', '--out', join(tmp, 'new-folder'), '--cover', 'none', '--json']);
    expect(fresh.code, fresh.stderr).to.equal(0);
    expect(readdirSync(join(tmp, 'new-folder'))).to.deep.equal(['Small Hours.epub']);
  });

  it('a dangling link, a file in the path or a missing folder gives one clear line, no errno', async () => {
    const link = join(tmp, 'reader');
    symlinkSync(join(tmp, 'unplugged', 'KOBO'), link);
    for (const out of [link, `${link}/`, join(link, 'book.epub')]) {
      const r = await runCli(['build', journal, '--out', out, '--cover', 'none']);
      expect(r.code, out).to.equal(1);
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
      expect(errors, out).to.have.length(1);
      expect(errors[0]).to.match(/is a link to .*KOBO, which does not exist \(is the device connected\?\)/);
      expect(r.stderr).not.to.match(/\bE[A-Z]{3,}\b|rename|\.tmp/);
    }
    const file = join(tmp, 'plain-file');
    writeFileSync(file, 'x');
    const r = await runCli(['build', journal, '--out', join(file, 'book.epub'), '--cover', 'none']);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/^error: cannot write .*plain-file\/book\.epub: part of the path is a file, not a folder$/m);
    expect(r.stderr).not.to.match(/\bE[A-Z]{3,}\b/);
  });

  it('writes through /dev/null, a FIFO and a link instead of renaming over them', async function () {
    const dn = await runCli(['build', journal, '--out', '/dev/null', '--cover', 'none', '--json']);
    expect(dn.code, dn.stderr).to.equal(0);
    expect(statSync('/dev/null').isCharacterDevice()).to.equal(true);
    expect(report(dn.stdout).books[0]!.output).to.equal('/dev/null');

    const fifo = join(tmp, 'pipe');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      this.skip();
    }
    const received = new Promise<Buffer>((done) => {
      const cat = spawn('cat', [fifo]);
      const chunks: Buffer[] = [];
      cat.stdout.on('data', (c: Buffer) => chunks.push(c));
      cat.on('close', () => done(Buffer.concat(chunks)));
    });
    const viaFifo = await runCli(['build', journal, '--out', fifo, '--cover', 'none']);
    expect(viaFifo.code, viaFifo.stderr).to.equal(0);
    expect(lstatSync(fifo).isFIFO()).to.equal(true);
    const bytes = await received;
    expect(bytes.subarray(0, 2).toString()).to.equal('PK');
    await openEpub(bytes);

    const real = join(tmp, 'real.epub');
    writeFileSync(real, 'old');
    const link = join(tmp, 'link.epub');
    symlinkSync(real, link);
    const kept = await runCli(['build', journal, '--out', link, '--cover', 'none', '--json']);
    expect(kept.code).to.equal(0);
    expect(readFileSync(real, 'utf8')).to.equal('old');
    expect(report(kept.stdout).books[0]!.output).to.equal(join(tmp, 'real (2).epub'));
    const forced = await runCli(['build', journal, '--out', link, '--cover', 'none', '--force']);
    expect(forced.code).to.equal(0);
    expect(lstatSync(link).isSymbolicLink(), 'the link is still a link').to.equal(true);
    expect(readlinkSync(link)).to.equal(real);
    expect(readFileSync(real).subarray(0, 2).toString()).to.equal('PK');
  });

  it('-o - writes one book to standard output; several books or --json with it are one usage error', async () => {
    const r = await runCli(['build', journal, '-o', '-', '--cover', 'none']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('');
    expect(existsSync('-')).to.equal(false);
    const book = await openEpub(r.stdoutBytes);
    expect(await book.text('OEBPS/content.opf')).to.include('Salt and Iron');
    const two = await runCli(['build', journal, print, '-o', '-', '--cover', 'none']);
    expect(two.code).to.equal(2);
    expect(two.stderr).to.match(/^error: -o - writes one book to standard output, but 2 stories were given/);
    expect(two.stdoutBytes.length).to.equal(0);
    const json = await runCli(['build', journal, '-o', '-', '--json']);
    expect(json.code).to.equal(2);
  });

  it('build - and inspect - read standard input, the format told by the content', async () => {
    const bytes = readFileSync(journal);
    const r = await runCli(['build', '-', '--out', tmp, '--cover', 'none', '--json'], {}, { stdin: bytes });
    expect(r.code, r.stderr).to.equal(0);
    const b = report(r.stdout).books[0]!;
    expect(b.inputs).to.deep.equal(['stdin']);
    expect(b.title).to.equal('Salt and Iron');
    const i = await runCli(['inspect', '-', '--json'], {}, { stdin: bytes });
    expect(i.code, i.stderr).to.equal(0);
    const ins = JSON.parse(i.stdout) as { input: string; format: string; meta: { title: string } };
    expect(ins.input).to.equal('stdin');
    expect(ins.format).to.equal('journal');
    const html = await runCli(['inspect', '-', '--json'], {}, { stdin: readFileSync(fixture('gate', 'ao3-adult.html')) });
    expect(html.code).to.equal(1);
    const tty = await runCli(['build', '-', '--out', tmp]);
    expect(tty.code).to.equal(1);
    expect(tty.stderr).to.match(/^error: stdin: "-" reads a story from standard input, but nothing was piped in/m);
  });

  it('refuses gate, challenge, login and error pages with one line saying what to save instead', async () => {
    const cases: [string, RegExp][] = [
      ['ao3-adult.html', /adult-content notice, not a story: choose "Yes, Continue"/],
      ['cloudflare.html', /Cloudflare bot check \("Just a moment\.\.\."\), not a story: wait/],
      ['ao3-login.html', /Archive of Our Own's login page .*: log in/],
      ['ffn-not-found.html', /FanFiction\.Net's "Story Not Found" page, not a story/],
      ['wattpad-login.html', /login page \("log in to continue"\), not a story/],
      ['not-found.html', /an error page \("page not found"\), not a story/],
    ];
    for (const [name, expected] of cases) {
      const r = await runCli(['build', fixture('gate', name), '--out', tmp, '--cover', 'none', '--json']);
      expect(r.code, name).to.equal(1);
      const rep = report(r.stdout);
      expect(rep.books, name).to.deep.equal([]);
      expect(rep.failures[0]!.error, name).to.match(expected);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('error:')), name).to.have.length(1);
    }
    expect(readdirSync(tmp)).to.deep.equal([]);
  });

  it('on SIGINT prints the summary and the --json report of what was written, leaves no temporary file, exits 130', async function () {
    this.timeout(180_000);
    const dir = join(tmp, 'in');
    mkdirSync(dir);
    const story = readFileSync(journal, 'utf8');
    // Whole stories (the fixture's "Part 1/2" line dropped): a piece of a story waits for the rest of the batch, to be joined.
    for (let i = 0; i < 40; i++) writeFileSync(join(dir, `s${String(i).padStart(3, '0')}.txt`), story.replace('Part 1/2\n', '').replace('Salt and Iron', `Salt and Iron ${i}`).replace(/\n\n"Hold/, `\n\n${'Filler words to make the story longer. '.repeat(2500)}\n\n"Hold`));
    const out = join(tmp, 'out');
    const child = spawn(process.execPath, [binPath, 'build', dir, '--out', out, '--json', '--cover', 'none'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const status = await interruptAfterFirstBook(child, out);
    expect(status, stderr).to.equal(130);
    const rep = report(stdout);
    expect(rep.interrupted).to.equal(true);
    const files = readdirSync(out);
    expect(files.filter((f) => !f.endsWith('.epub')), 'temporary files left').to.deep.equal([]);
    expect(rep.books.map((b) => b.output).sort()).to.deep.equal(files.map((f) => join(out, f)).sort());
    expect(files.length).to.be.greaterThan(0).and.lessThan(40);
    expect(stderr).to.match(new RegExp(`^${files.length} books? written, .*; interrupted: \\d+ of 40 not built$`, 'm'));
  });

  it('--check checks a batch in one JVM per core, not one per book', async function () {
    this.timeout(300_000);
    await requireEpubcheck(this);
    // A `java` in front of the real one that logs each start.
    const bin = join(tmp, 'bin');
    mkdirSync(bin);
    const log = join(tmp, 'java.log');
    const realJava = execFileSync('sh', ['-c', 'command -v java']).toString().trim();
    writeFileSync(join(bin, 'java'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${realJava}' "$@"\n`);
    chmodSync(join(bin, 'java'), 0o755);
    const dir = join(tmp, 'in');
    mkdirSync(dir);
    const story = readFileSync(journal, 'utf8');
    for (let i = 0; i < 6; i++) writeFileSync(join(dir, `s${i}.txt`), story.replace('Salt and Iron', `Salt and Iron ${i}`));
    const out = join(tmp, 'out');
    const stdout = execFileSync(process.execPath, [binPath, 'build', dir, '--out', out, '--check', '--json', '--cover', 'none'], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } }).toString();
    const rep = report(stdout);
    expect(rep.books).to.have.length(6);
    for (const b of rep.books) expect(b.check, b.output).to.include({ available: true, errors: 0 });
    const checks = readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('epubcheck'));
    // One JVM per core at most (today's code started one per book: 6).
    expect(checks.length, checks.join('\n')).to.be.at.least(1).and.at.most(Math.min(availableParallelism(), 5));
  });

  it('the test helper checks through the same pool: valid books pass, a broken one is reported', async function () {
    await requireEpubcheck(this);
    const broken = new JSZip();
    broken.file('mimetype', 'application/epub+zip', { compression: 'STORE' });
    const bad = join(tmp, 'broken.epub');
    writeFileSync(bad, await broken.generateAsync({ type: 'nodebuffer' }));
    const badCheck = await epubcheck(bad);
    expect(badCheck.fatal + badCheck.errors, describeMessages(badCheck)).to.be.greaterThan(0);
    const r = await runCli(['build', journal, print, '--out', tmp, '--json']);
    for (const b of report(r.stdout).books) {
      const check = await epubcheck(b.output);
      expect(check.errors + check.fatal + check.warnings, describeMessages(check)).to.equal(0);
    }
  });
});
