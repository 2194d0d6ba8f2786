/**
 * Hostile and broken input: clear errors, nothing lost, nothing leaked, nothing half-written.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { mkdirSync, statSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { JSDOM } from 'jsdom';
import { readStoryBytes } from '../../src/index.js';
import { packageEpub } from '../../src/package/epub.js';
import { planStory } from '../../src/render/book.js';
import { renderDocument } from '../../src/render/xhtml.js';
import { interruptAfterFirstBook, runCli } from '../helpers/cli.js';
import { openEpub } from '../helpers/epub.js';
import { describeMessages, epubcheck, requireEpubcheck } from '../helpers/epubcheck.js';
import { binPath, fixture } from '../helpers/paths.js';

/** Deterministic pseudo-random bytes (xorshift), so the "binary file" case is the same every run. */
function randomBytes(n: number, seed = 2463534242): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function wellFormed(xhtml: string): void {
  // jsdom's XML parser throws on anything that is not well-formed.
  new JSDOM(xhtml, { contentType: 'application/xhtml+xml' });
}

describe('hostile and broken input', () => {
  let tmp: string;
  let strayBefore: number | undefined;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'fic2epub-hostile-'));
    strayBefore = statSync('/tmp/x.epub', { throwIfNoEntry: false })?.mtimeMs;
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  describe('one batch of good and bad inputs', () => {
    let report: { books: { output: string; inputs: string[]; title: string }[]; failures: { input: string; error: string }[] };
    let code: number;
    let stderr: string;
    const out = (): string => join(tmp, 'out', 'nested', 'new');
    const inputs: Record<string, string> = {};
    // A local listener stands in for the network: every address the hostile page names points at
    // it, so any fetch, preload or DNS-free connection the build made would be counted here.
    let server: Server;
    let connections = 0;
    const SECRET = 'SECRET-7f3a9-never-in-a-book';

    before(async () => {
      server = createServer((sock) => {
        connections++;
        sock.destroy();
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      const port = (server.address() as { port: number }).port;
      const remote = `http://127.0.0.1:${port}`;
      const dir = join(tmp, 'in');
      mkdirSync(join(dir, 'empty-dir'), { recursive: true });
      const w = (name: string, data: string | Uint8Array): string => {
        const p = join(dir, name);
        writeFileSync(p, data);
        return p;
      };
      const body = (title: string, extra = ''): string => `Title: ${title}\nAuthor: Tester\nRating: G\n\n${extra}“It’s only a test,” she said. ${'The rain kept on falling over the quiet town. '.repeat(20)}\n`;
      inputs.good = fixture('golden', 'journal', 'input.txt');
      inputs.empty = w('empty.txt', '');
      inputs.binary = w('binary.txt', randomBytes(4096));
      inputs.missing = join(dir, 'missing.txt');
      inputs.emptyDir = join(dir, 'empty-dir');
      inputs.cp1252 = w('cp1252.txt', iconv.encode(body('Café Story', 'Zoë’s naïve déjà vu — “quoted”. '), 'windows-1252'));
      inputs.utf16 = w('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body('Café Story'), 'utf16le')]));
      inputs.controls = w('controls.txt', body('Controls', 'NUL\u0000 BEL\u0007 lone\uD800 surrogate \uFFFE nonchar \u{10FFFF} end. '));
      inputs.traversal = w('traversal.txt', body('../../../../tmp/x'));
      inputs.slashes = w('slashes.txt', body('a/b\\c:d*e?f"g<h>i|j'));
      inputs.long = w('long.txt', body('T'.repeat(2000)));
      inputs.huge = w('huge.txt', `Title: Huge\nAuthor: Tester\n\n${'She said “no” -- and then... she said *yes*. '.repeat(140_000)}\n`);
      // Files beside the page that it names but the user never allowed: never read into the book.
      const secretFile = w('secret.txt', SECRET);
      w('secret.css', `p { color: red } /* ${SECRET} */`);
      w('secret.png', SECRET);
      inputs.html = w('hostile.html', `<!DOCTYPE html><html><head><title>Hostile Page</title>
<meta name="author" content="Tester">
<link rel="stylesheet" href="${remote}/site.css"><link rel="stylesheet" href="secret.css"><link rel="preload" href="${remote}/font.woff2">
<style>body { background: url(${remote}/bg.png) } @import url("${remote}/more.css");</style>
<script src="${remote}/evil.js"></script><script>fetch('${remote}/inline')</script>
</head><body onload="steal()">
<h1>Hostile Page</h1>
<p>The first paragraph of the story is safe to keep.<script>document.write('injected')</script></p>
<p onclick="steal()" style="position:fixed;background-image:url(${remote}/p.png)">A <a href="javascript:alert(1)">link that runs code</a> and an <a href="${remote}/page">ordinary link</a>.</p>
<p><img src="${remote}/pixel.gif" alt="a remote picture"><img src="file://${secretFile}" alt="a local file"><img src="secret.png" alt="a picture beside the page"></p>
<iframe src="${remote}/frame">frame fallback</iframe><object data="${remote}/obj.swf">object fallback</object><embed src="${remote}/embed.swf">
<form action="${remote}/post" method="post"><input name="q" value="form-value"><button>Send</button></form>
<svg><image href="${remote}/svg.png"/></svg><video src="${remote}/v.mp4" poster="${remote}/poster.png"></video><audio src="${remote}/a.mp3"></audio>
<p>The last paragraph of the story is safe to keep too.</p>
</body></html>`);
      const order = ['good', 'html', 'empty', 'binary', 'missing', 'emptyDir', 'cp1252', 'utf16', 'controls', 'traversal', 'slashes', 'long', 'huge'];
      const r = await runCli(['build', ...order.map((k) => inputs[k]!), '--out', out(), '--json', '--cover', 'none']);
      code = r.code;
      stderr = r.stderr;
      report = JSON.parse(r.stdout) as typeof report;
    });
    after(() => new Promise<void>((done) => server.close(() => done())));

    it('fails the bad inputs with one clear line each and exit status 1', () => {
      expect(code).to.equal(1);
      const failed = Object.fromEntries(report.failures.map((f) => [f.input, f.error]));
      expect(Object.keys(failed).sort()).to.deep.equal([inputs.empty, inputs.binary, inputs.missing, inputs.emptyDir].sort());
      expect(failed[inputs.empty!]).to.equal('the file is empty');
      expect(failed[inputs.binary!]).to.equal('the file is binary, not text');
      expect(failed[inputs.missing!]).to.equal('no such file or folder');
      expect(failed[inputs.emptyDir!]).to.match(/holds no story files/);
      for (const f of report.failures) expect(stderr).to.include(`error: ${f.input}: ${f.error}`);
      expect(stderr).not.to.match(/\n\s+at \S+ \(/);
    });

    it('still builds every good input', () => {
      expect(report.books.map((b) => b.inputs[0]).sort()).to.deep.equal(['good', 'html', 'cp1252', 'utf16', 'controls', 'traversal', 'slashes', 'long', 'huge'].map((k) => inputs[k]!).sort());
    });

    it('decodes windows-1252 and UTF-16 correctly', async () => {
      for (const k of ['cp1252', 'utf16']) {
        const b = report.books.find((x) => x.inputs[0] === inputs[k])!;
        expect(b.title).to.equal('Café Story');
        const book = await openEpub(readFileSync(b.output));
        const ch = await book.text('OEBPS/c001.xhtml');
        expect(ch).to.include('“It’s only a test,” she said.');
        if (k === 'cp1252') expect(ch).to.include('Zoë’s naïve déjà vu — “quoted”.');
      }
    });

    it('keeps the hostile page\'s story and nothing of its scripts, frames, forms or remote and local resources', async () => {
      expect(connections, 'connections to the local listener').to.equal(0);
      const b = report.books.find((x) => x.inputs[0] === inputs.html)!;
      expect(b.title).to.equal('Hostile Page');
      const epub = await openEpub(readFileSync(b.output));
      expect(epub.names.filter((n) => !/\.(?:xhtml|opf|ncx|css|xml)$|^mimetype$/.test(n)), 'files other than the book\'s own').to.deep.equal([]);
      let text = '';
      for (const n of epub.names) text += await epub.text(n);
      expect(text).to.include('The first paragraph of the story is safe to keep.');
      expect(text).to.include('The last paragraph of the story is safe to keep too.');
      expect(text).to.include('link that runs code');
      // An image that is not allowed becomes its alt text.
      for (const alt of ['a remote picture', 'a local file', 'a picture beside the page']) expect(text).to.include(alt);
      for (const bad of [SECRET, '127.0.0.1', 'javascript:', '<script', 'injected', 'steal()', 'onload', 'onclick', '<iframe', '<object', '<embed', '<form', 'form-value', '<img', '<video', '<audio', 'position:fixed', 'url(', 'file://', 'secret.']) {
        expect(text, bad).not.to.include(bad);
      }
    });

    it('removes characters XML forbids', async () => {
      const b = report.books.find((x) => x.inputs[0] === inputs.controls)!;
      const ch = await (await openEpub(readFileSync(b.output))).text('OEBPS/c001.xhtml');
      // A lone surrogate cannot be stored in a UTF-8 file: the writer already made it U+FFFD.
      expect(ch).to.include('NUL BEL lone\uFFFD surrogate nonchar end.');
      expect(ch).not.to.match(/[\u0000-\u0008\uFFFE\uFFFF]/);
      wellFormed(ch);
    });

    it('writes every file inside --out with a safe name of at most 255 bytes', () => {
      const root = resolve(out());
      for (const b of report.books) {
        expect(resolve(b.output).startsWith(root + sep), b.output).to.equal(true);
        expect(Buffer.byteLength(b.output.slice(b.output.lastIndexOf(sep) + 1))).to.be.at.most(255);
      }
      expect(readdirSync(root).length).to.equal(report.books.length);
      // Another program may own /tmp/x.epub: the build must only not have made or touched it.
      expect(statSync('/tmp/x.epub', { throwIfNoEntry: false })?.mtimeMs).to.equal(strayBefore);
      expect(readdirSync(root).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
    });

    it('produces books EPUBCheck accepts, the 6 MB one-line story included', async function () {
      await requireEpubcheck(this);
      for (const b of report.books) {
        const r = await epubcheck(b.output);
        expect(r.errors + r.fatal, `${b.output}\n${describeMessages(r)}`).to.equal(0);
      }
    });
  });

  it('reports an output folder it cannot create as one clear error', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    const r = await runCli(['build', fixture('golden', 'journal', 'input.txt'), '--out', join(file, 'sub'), '--json', '--cover', 'none']);
    expect(r.code).to.equal(1);
    const report = JSON.parse(r.stdout) as { failures: { error: string }[] };
    expect(report.failures[0]!.error).to.match(/^cannot create the output folder: /);
  });

  it('leaves no partial .epub or temporary file when interrupted (SIGINT)', async function () {
    this.timeout(120_000);
    const dir = join(tmp, 'sigint-in');
    mkdirSync(dir);
    const story = readFileSync(fixture('golden', 'journal', 'input.txt'), 'utf8');
    for (let i = 0; i < 60; i++) writeFileSync(join(dir, `s${String(i).padStart(3, '0')}.txt`), story.replace('Salt and Iron', `Salt and Iron ${i}`).replace(/\n\n"Hold/, `\n\n${'A long paragraph of filler text for size. '.repeat(3000)}\n\n"Hold`));
    const out = join(tmp, 'sigint-out');
    const child = spawn(process.execPath, [binPath, 'build', dir, '--out', out, '--quiet'], { stdio: 'ignore' });
    const status = await interruptAfterFirstBook(child, out);
    expect(status).to.equal(130);
    const files = readdirSync(out);
    expect(files.filter((f) => !f.endsWith('.epub')), 'temporary files left').to.deep.equal([]);
    expect(files.length).to.be.lessThan(60);
    for (const f of files) await openEpub(readFileSync(join(out, f)));
  });

  it('renders any string as a story body into well-formed XHTML (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (text) => {
        let read;
        try {
          read = await readStoryBytes('p.txt', Buffer.from(`Title: P\nAuthor: Q\n\n${text}\n`));
        } catch {
          return; // no story text at all is a clean InputError, not a crash
        }
        const plan = planStory(read.story, { css: '' });
        for (const p of plan.pages) wellFormed(renderDocument({ title: p.title, lang: p.lang, bodyType: p.bodyType, body: p.body! }));
      }),
      { numRuns: 200, seed: 42 },
    );
  });

  it('packages a sample of arbitrary bodies that EPUBCheck accepts', async function () {
    await requireEpubcheck(this);
    const samples = fc.sample(fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }), { numRuns: 4, seed: 7 });
    for (const [i, text] of samples.entries()) {
      const read = await readStoryBytes('p.txt', Buffer.from(`Title: P${i}\nAuthor: Q\n\n${text} and some words.\n`));
      const path = join(tmp, `prop-${i}.epub`);
      writeFileSync(path, await packageEpub(planStory(read.story, { css: 'p{}' })));
      const r = await epubcheck(path);
      expect(r.errors + r.fatal + r.warnings, `${JSON.stringify(text)}\n${describeMessages(r)}`).to.equal(0);
    }
  });
});
