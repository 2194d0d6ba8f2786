/**
 * The web app's server over plain HTTP: it answers only its own address and page, only with the
 * token, within its upload limits, and its API reads and builds with the library.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { binPath } from '../helpers/paths.js';
import { openEpub } from '../helpers/epub.js';
import { TINY_JPEG, TINY_PNG } from '../helpers/pictures.js';
import { openCommand, startServer, type Serving } from '../../src/serve/index.js';
import { buildJob, features } from '../../src/serve/library.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw request, so Host and Origin can be anything. */
function raw(s: Serving, method: string, path: string, headers: Record<string, string> = {}, body?: Uint8Array | string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, method, path, headers: { Host: `127.0.0.1:${s.port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A multipart body, as a browser's FormData sends it. */
async function multipart(fields: Record<string, string>, files: [string, string, Uint8Array | string][]): Promise<{ headers: Record<string, string>; body: Uint8Array }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const [k, name, bytes] of files) form.append(k, new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
  const r = new Request('http://x/', { method: 'POST', body: form });
  return { headers: { 'Content-Type': r.headers.get('content-type')! }, body: new Uint8Array(await r.arrayBuffer()) };
}

const STORY_A = `The Tide Clock

Title: The Tide Clock
Author: Wren Holloway
Fandom: Original Work
Rating: G
Warning(s): None
Word Count: 40

The clock in the harbour office ran on the tides, and nobody had wound it in years.

***

Ines wound it anyway, on the first morning of spring.
`;

const STORY_B = `Salt Letters

Title: Salt Letters
Author: Pell Marsh
Fandom: Original Work
Rating: T

Chapter 1

The first letter came folded into a paper boat.

Chapter 2

The second came in a bottle, and the ink had run.
`;

describe('serve: the web app over HTTP', function () {
  this.timeout(120_000);
  let s: Serving;
  const token = (): Record<string, string> => ({ 'X-Fic2epub-Token': s.token });
  before(async () => {
    s = await startServer({ limits: { fileBytes: 60_000, files: 3, requestBytes: 200_000 }, sourceDateEpoch: 1_700_000_000 });
  });
  after(() => s.close());

  it('listens on 127.0.0.1 only and prints an address with a long random token', () => {
    expect(s.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    expect(s.url).to.contain(s.token);
  });

  it('sets its token as a strict, HttpOnly cookie from the first page load, and refuses the page without it', async () => {
    const first = await raw(s, 'GET', `/?token=${s.token}`);
    expect(first.status).to.equal(303);
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).to.contain(`fic2epub_${s.port}=${s.token}`).and.contain('HttpOnly').and.contain('SameSite=Strict');
    expect((await raw(s, 'GET', '/')).status).to.equal(401);
    expect((await raw(s, 'GET', '/?token=wrong')).status).to.equal(401);
    const page = await raw(s, 'GET', '/', { Cookie: `fic2epub_${s.port}=${s.token}` });
    expect(page.status).to.equal(200);
    expect(page.body.toString()).to.contain('<title>fic2epub</title>');
    // The cookie works for the API too: the page's own requests carry it.
    expect((await raw(s, 'GET', '/api/config', { Cookie: `fic2epub_${s.port}=${s.token}` })).status).to.equal(200);
  });

  it('sends a strict Content-Security-Policy: nothing from elsewhere, no inline script', async () => {
    const page = await raw(s, 'GET', '/app.js');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).to.contain("default-src 'none'").and.contain("script-src 'self';").and.contain("frame-ancestors 'none'");
    expect(csp).not.to.match(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(page.headers['x-content-type-options']).to.equal('nosniff');
  });

  it('refuses an API request without the token, or with a wrong one', async () => {
    const none = await raw(s, 'GET', '/api/config');
    expect(none.status).to.equal(401);
    expect(JSON.parse(none.body.toString()).error).to.match(/token/);
    expect((await raw(s, 'GET', '/api/config', { 'X-Fic2epub-Token': `${s.token.slice(0, -1)}x` })).status).to.equal(401);
    const config = await raw(s, 'GET', '/api/config', token());
    expect(config.status).to.equal(200);
    expect(JSON.parse(config.body.toString())).to.include({ epubInput: features().epubInput }).and.have.property('extensions').that.includes('.txt');
  });

  it("refuses another site's page (a foreign Origin) even with the token", async () => {
    const r = await raw(s, 'POST', '/api/read', { ...token(), Origin: 'http://evil.example' }, 'x');
    expect(r.status).to.equal(403);
    expect(JSON.parse(r.body.toString()).error).to.match(/other sites/);
    expect((await raw(s, 'GET', '/api/config', { ...token(), Origin: `http://127.0.0.1:${s.port + 1}` })).status).to.equal(403);
    expect((await raw(s, 'GET', '/api/config', { ...token(), 'Sec-Fetch-Site': 'cross-site' })).status).to.equal(403);
    expect((await raw(s, 'GET', '/api/config', { ...token(), Origin: `http://localhost:${s.port}` })).status).to.equal(200);
  });

  it('refuses a foreign Host (DNS rebinding), page and API alike', async () => {
    expect((await raw(s, 'GET', '/api/config', { ...token(), Host: 'attacker.example' })).status).to.equal(403);
    expect((await raw(s, 'GET', `/?token=${s.token}`, { Host: `rebind.example:${s.port}` })).status).to.equal(403);
  });

  it('serves only its own assets: no path reaches the disk', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/web/app.js', '/README.md', '/api/../package.json', '/app.js/..%2f..%2fpackage.json']) {
      const r = await raw(s, 'GET', path, token());
      expect(r.status, path).to.be.oneOf([401, 404]);
      expect(r.body.toString(), path).not.to.contain('"devDependencies"');
    }
  });

  it('reads an uploaded story into what the page shows: format, metadata, outline, notices, a styled page', async () => {
    const { headers, body } = await multipart({ style: 'default' }, [['file', 'salt.txt', STORY_B]]);
    const r = await raw(s, 'POST', '/api/read', { ...token(), ...headers }, body);
    expect(r.status).to.equal(200);
    const story = JSON.parse(r.body.toString());
    expect(story.meta.title).to.equal('Salt Letters');
    expect(story.meta.authors).to.deep.equal(['Pell Marsh']);
    expect(story.meta.rating).to.equal('T');
    expect(story.outline).to.have.length(2);
    expect(story.preview.chapters).to.equal(2);
    expect(story.preview.html).to.contain('paper boat').and.contain('<style>').and.not.contain('<link');
    for (const n of story.notices) expect(n.meaning, n.code).to.be.a('string').and.not.equal('');
  });

  it('answers a file it cannot read with one line naming it', async () => {
    const { headers, body } = await multipart({}, [['file', 'broken.txt', new Uint8Array([0, 1, 2, 3, 0, 0, 255, 254, 0, 7])]]);
    const r = await raw(s, 'POST', '/api/read', { ...token(), ...headers }, body);
    expect(r.status).to.equal(422);
    const error = JSON.parse(r.body.toString()).error as string;
    expect(error).to.match(/^broken\.txt: .*binary/);
    expect(error).not.to.contain('\n');
  });

  it('refuses uploads over its limits with a clear message', async () => {
    const big = await multipart({}, [['file', 'huge.txt', 'word '.repeat(15_000)]]);
    const r1 = await raw(s, 'POST', '/api/read', { ...token(), ...big.headers }, big.body);
    expect(r1.status).to.equal(413);
    expect(JSON.parse(r1.body.toString()).error).to.match(/^huge\.txt is too large .*the limit is .* a file/);
    const many = await multipart({ job: '{}' }, [1, 2, 3, 4].map((n) => ['story', `s${n}.txt`, STORY_A] as [string, string, string]));
    const r2 = await raw(s, 'POST', '/api/build', { ...token(), ...many.headers }, many.body);
    expect(r2.status).to.equal(413);
    expect(JSON.parse(r2.body.toString()).error).to.match(/Too many files at once; the limit is 3/);
    const r3 = await raw(s, 'POST', '/api/read', { ...token(), 'Content-Type': 'multipart/form-data; boundary=x' }, 'x'.repeat(300_000));
    expect(r3.status).to.equal(413);
    expect(JSON.parse(r3.body.toString()).error).to.match(/The upload is too large/);
  });

  it('builds an anthology from uploads and corrections, the same bytes each time', async () => {
    const job = { kind: 'anthology', stories: [{}, { title: 'Letters in Salt' }], anthology: { title: 'Harbour Stories', editors: ['Ada Quill'] }, style: 'default', cover: 'none' };
    const send = async (): Promise<Answer> => {
      const { headers, body } = await multipart({ job: JSON.stringify(job) }, [['story', 'tide.txt', STORY_A], ['story', 'salt.txt', STORY_B]]);
      return raw(s, 'POST', '/api/build', { ...token(), ...headers }, body);
    };
    const [a, b] = [await send(), await send()];
    expect(a.status).to.equal(200);
    expect(a.headers['content-type']).to.equal('application/epub+zip');
    expect(a.headers['content-disposition']).to.contain('Harbour Stories.epub');
    expect(a.body.equals(b.body)).to.equal(true);
    const book = await openEpub(a.body);
    const contents = await book.text('OEBPS/contents.xhtml');
    expect(contents.indexOf('The Tide Clock')).to.be.greaterThan(-1).and.lessThan(contents.indexOf('Letters in Salt'));
    expect(book.names.some((n) => n.includes('cover'))).to.equal(false);
  });

  it("takes an uploaded JPEG as the book's cover, over a dropped-in book's own cover too", async () => {
    const job = JSON.stringify({ kind: 'books', cover: 'upload' });
    const up = await multipart({ job }, [['story', 'tide.txt', STORY_A], ['cover', 'my cover.jpg', TINY_JPEG]]);
    const r = await raw(s, 'POST', '/api/build', { ...token(), ...up.headers }, up.body);
    expect(r.status, r.body.toString()).to.equal(200);
    const book = await openEpub(r.body);
    expect((await book.zip.file('OEBPS/cover.jpg')!.async('nodebuffer')).equals(TINY_JPEG)).to.equal(true);
    expect(await book.text('OEBPS/content.opf')).to.match(/<item id="cover-image" href="cover\.jpg" media-type="image\/jpeg" properties="cover-image">/);
    expect(book.names).not.to.include('OEBPS/cover.png');
    if (!features().epubInput) return;
    // A book with its own cover (a PNG), dropped in again with the user's JPEG.
    const first = await multipart({ job }, [['story', 'tide.txt', STORY_A], ['cover', 'c.png', TINY_PNG]]);
    const own = (await raw(s, 'POST', '/api/build', { ...token(), ...first.headers }, first.body)).body;
    expect((await openEpub(own)).names).to.include('OEBPS/cover.png');
    const again = await multipart({ job }, [['story', 'The Tide Clock.epub', own], ['cover', 'c.jpg', TINY_JPEG]]);
    const redressed = await openEpub((await raw(s, 'POST', '/api/build', { ...token(), ...again.headers }, again.body)).body);
    expect((await redressed.zip.file('OEBPS/cover.jpg')!.async('nodebuffer')).equals(TINY_JPEG)).to.equal(true);
    expect(redressed.names).not.to.include('OEBPS/cover.png');
  });

  it('answers a book dropped in: re-dressed when the library reads books, else one plain line', async () => {
    const build = await multipart({ job: JSON.stringify({ kind: 'books', cover: 'none' }) }, [['story', 'tide.txt', STORY_A]]);
    const book = (await raw(s, 'POST', '/api/build', { ...token(), ...build.headers }, build.body)).body;
    const { headers, body } = await multipart({}, [['file', 'The Tide Clock.epub', book]]);
    const r = await raw(s, 'POST', '/api/read', { ...token(), ...headers }, body);
    if (features().epubInput) {
      expect(r.status, r.body.toString()).to.equal(200);
      const story = JSON.parse(r.body.toString());
      expect(story.meta.title).to.equal('The Tide Clock');
      expect(story.existingBook.note).to.match(/re-dresses/);
    } else {
      expect(r.status).to.equal(422);
      expect(JSON.parse(r.body.toString()).error).to.match(/^The Tide Clock\.epub: this is an EPUB/);
    }
  });

  it('refuses a correction that is not what it claims (a language that is no language tag)', async () => {
    const { headers, body } = await multipart({ overrides: JSON.stringify({ language: 'english please' }) }, [['file', 'tide.txt', STORY_A]]);
    const r = await raw(s, 'POST', '/api/read', { ...token(), ...headers }, body);
    expect(r.status).to.equal(400);
    expect(JSON.parse(r.body.toString()).error).to.match(/not a language tag/);
  });

  it('reports a build as it goes when asked (stories read, then binding), then sends the same bytes', async () => {
    const job = { kind: 'anthology', stories: [], anthology: { title: 'Harbour Stories', editors: [] }, style: 'default', cover: 'none' };
    const { headers, body } = await multipart({ job: JSON.stringify(job) }, [['story', 'tide.txt', STORY_A], ['story', 'salt.txt', STORY_B]]);
    const plain = await raw(s, 'POST', '/api/build', { ...token(), ...headers }, body);
    const r = await raw(s, 'POST', '/api/build', { ...token(), ...headers, Accept: 'application/x-fic2epub-progress' }, body);
    expect(r.status).to.equal(200);
    const lines: unknown[] = [];
    let at = 0;
    for (;;) {
      const nl = r.body.indexOf(10, at);
      const line = JSON.parse(r.body.subarray(at, nl).toString()) as Record<string, unknown>;
      lines.push(line);
      at = nl + 1;
      if (line.fileName) break;
    }
    expect(lines.slice(0, 3)).to.deep.equal([{ step: 'read', done: 1, total: 2 }, { step: 'read', done: 2, total: 2 }, { step: 'bind', done: 0, total: 1 }]);
    expect(lines[3]).to.include({ fileName: 'Harbour Stories.epub', type: 'application/epub+zip', size: plain.body.length });
    expect(r.body.subarray(at).equals(plain.body)).to.equal(true);
  });

  it('packs several books into one zip with the project’s writer', async () => {
    const { headers, body } = await multipart({}, [['book', 'a.epub', 'first'], ['book', 'a.epub', 'second']]);
    const r = await raw(s, 'POST', '/api/zip', { ...token(), ...headers }, body);
    expect(r.status).to.equal(200);
    const zip = await openEpub(r.body);
    expect(zip.names).to.deep.equal(['a.epub', 'a (2).epub']);
    expect(await zip.text('a (2).epub')).to.equal('second');
  });

  it('refuses a bad choice with a plain message (an unknown style, a cover that is no PNG or JPEG)', async () => {
    const bad = await multipart({ job: JSON.stringify({ kind: 'books', style: '../../etc/passwd' }) }, [['story', 'tide.txt', STORY_A]]);
    const r1 = await raw(s, 'POST', '/api/build', { ...token(), ...bad.headers }, bad.body);
    expect(r1.status).to.equal(400);
    expect(JSON.parse(r1.body.toString()).error).to.match(/unknown style/);
    const notPng = await multipart({ job: JSON.stringify({ kind: 'books', cover: 'upload' }) }, [['story', 'tide.txt', STORY_A], ['cover', 'c.png', 'GIF89a']]);
    const r2 = await raw(s, 'POST', '/api/build', { ...token(), ...notPng.headers }, notPng.body);
    expect(r2.status).to.equal(400);
    expect(JSON.parse(r2.body.toString()).error).to.match(/must be a PNG or JPEG file/);
    const target = await multipart({ job: JSON.stringify({ kind: 'books', target: 'nook' }) }, [['story', 'tide.txt', STORY_A]]);
    const r3 = await raw(s, 'POST', '/api/build', { ...token(), ...target.headers }, target.body);
    expect(r3.status).to.equal(400);
    expect(JSON.parse(r3.body.toString()).error).to.match(/unknown target "nook"/);
  });

  it('stops a build once the page gives up (the request is aborted)', async () => {
    const ac = new AbortController();
    ac.abort();
    let error: unknown;
    try {
      await buildJob({ kind: 'books', stories: [{}], style: 'default', target: 'epub', cover: 'none' }, [{ name: 'a.txt', bytes: Buffer.from(STORY_A) }], undefined, ac.signal);
    } catch (e) {
      error = e;
    }
    expect((error as Error)?.name).to.equal('AbortError');
  });

  it('`fic2epub serve` (the installed bundle) prints its address with the token, and serves its page from there', async () => {
    const env = { ...process.env };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const child = spawn(process.execPath, [binPath, 'serve', '--no-open'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('\n')) resolve(out);
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const m = /(http:\/\/127\.0\.0\.1:(\d+))\/\?token=([\w-]+)/.exec(line);
      expect(m, line).not.to.equal(null);
      const cli = { port: Number(m![2]), token: m![3]! } as Serving;
      expect((await raw(cli, 'GET', '/api/config', { 'X-Fic2epub-Token': cli.token })).status).to.equal(200);
      expect((await raw(cli, 'GET', '/app.js')).body.toString()).to.contain('/api/read');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('opens a browser only on a desktop, never in CI', () => {
    expect(openCommand('linux', {})).to.equal(undefined);
    expect(openCommand('linux', { DISPLAY: ':0' })?.[0]).to.equal('xdg-open');
    expect(openCommand('linux', { DISPLAY: ':0', CI: 'true' })).to.equal(undefined);
    expect(openCommand('darwin', {})?.[0]).to.equal('open');
  });
});
