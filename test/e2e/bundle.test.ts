/**
 * The installed executable is an esbuild bundle of the CLI (scripts/bundle.mjs): it must build
 * the same bytes as the library, must not load what only some inputs or no input needs, and
 * holds no packaging library (src/package/ writes the EPUB itself). It runs from a V8 code cache
 * beside the bundle (scripts/bin-loader.cjs), which must never change what it does.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../helpers/cli.js';
import { binPath, fixture } from '../helpers/paths.js';

const run = promisify(execFile);

// Prints every CommonJS module the process loaded (`require.cache`; Node puts CommonJS packages
// imported from ES modules there too) to the file named by LOADED_REPORT, at exit.
const REPORTER = `process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_REPORT, Object.keys(require.cache).join('\\n')));\n`;

// Packaging libraries: ZIP writers and EPUB generators (what src/package/ does without).
const PACKAGERS = ['epub-gen-memory', 'epub-gen', 'jszip', 'yazl', 'archiver', 'adm-zip', 'fflate', 'pako', 'zip-stream'];
const packagerPath = new RegExp(`[\\\\/]node_modules[\\\\/](${PACKAGERS.join('|')})[\\\\/]`);

describe('the executable (bundle)', function () {
  this.timeout(120_000);
  let tmp: string;
  before(function () {
    if (!existsSync(binPath)) throw new Error(`${binPath} is missing: run npm run build`);
    tmp = mkdtempSync(join(tmpdir(), 'fic2epub-bundle-'));
  });
  after(() => {
    rmSync(tmp, { recursive: true, force: true });
    // The caches these tests leave hold what building the fixtures compiled: the next run writes its own.
    for (const c of readdirSync(dirname(binPath)).filter((n) => n.endsWith('.cache'))) rmSync(join(dirname(binPath), c));
  });

  it('builds the same bytes as the library, from text and from HTML, one book each and an anthology', async () => {
    const inputs = [fixture('golden', 'journal', 'input.txt'), fixture('ao3-html', 'download.html'), fixture('mail', 'usenet-post.txt')];
    await run(process.execPath, [binPath, 'build', ...inputs, '--out', join(tmp, 'exe'), '--quiet']);
    await run(process.execPath, [binPath, 'build', ...inputs, '--anthology', 'Three', '--out', join(tmp, 'exe', 'three.epub'), '--quiet']);
    const lib = await runCli(['build', ...inputs, '--out', join(tmp, 'lib'), '--quiet']);
    const libAnthology = await runCli(['build', ...inputs, '--anthology', 'Three', '--out', join(tmp, 'lib', 'three.epub'), '--quiet']);
    expect([lib.code, libAnthology.code]).to.deep.equal([0, 0]);
    const names = readdirSync(join(tmp, 'lib')).sort();
    expect(names).to.have.length(4);
    expect(readdirSync(join(tmp, 'exe')).sort()).to.deep.equal(names);
    for (const n of names) expect(readFileSync(join(tmp, 'exe', n)).equals(readFileSync(join(tmp, 'lib', n))), n).to.equal(true);
  });

  it('holds no packaging library: no bundled module comes from one', () => {
    // esbuild marks each bundled module with a "// node_modules/<package>/<file>" comment.
    const bundled = new Set<string>();
    for (const f of readdirSync(dirname(binPath)).filter((n) => n.endsWith('.js'))) {
      for (const m of readFileSync(join(dirname(binPath), f), 'utf8').matchAll(/^\/\/ \S*node_modules\/((?:@[^/\s]+\/)?[^/\s]+)\//gm)) bundled.add(m[1]!);
    }
    expect(bundled.size, 'the marks the check relies on').to.be.above(3);
    expect([...bundled].filter((p) => PACKAGERS.includes(p))).to.deep.equal([]);
  });

  it('loads no packaging library, and the HTML parser only for a page, never for a text story', async () => {
    const reporter = join(tmp, 'reporter.cjs');
    writeFileSync(reporter, REPORTER);
    const loaded = async (input: string, name: string, anthology?: string): Promise<string[]> => {
      const report = join(tmp, `${name}.loaded`);
      const out = anthology ? ['--anthology', anthology, '--out', join(tmp, name, 'book.epub')] : ['--out', join(tmp, name)];
      await run(process.execPath, ['--require', reporter, binPath, 'build', input, ...out, '--quiet'], { env: { ...process.env, LOADED_REPORT: report } });
      expect(readdirSync(join(tmp, name)).filter((n) => n.endsWith('.epub'))).to.have.length(1);
      return readFileSync(report, 'utf8').split('\n');
    };
    const htmlOnly = /[\\/]node_modules[\\/](jsdom|parse5|css-select|css-what|sanitize-html|htmlparser2|dom-serializer|domutils)[\\/]/;
    const parse5 = /[\\/]node_modules[\\/]parse5[\\/]/;
    // A page is read with parse5 alone: jsdom and sanitize-html (and its htmlparser2) stay unloaded.
    const unused = /[\\/]node_modules[\\/](jsdom|sanitize-html|htmlparser2)[\\/]/;
    const text = await loaded(fixture('golden', 'journal', 'input.txt'), 'text');
    expect(text, 'the report lists what was required').to.include(reporter);
    expect(text.filter((m) => packagerPath.test(m) || htmlOnly.test(m))).to.deep.equal([]);
    // The report sees what the main thread loads (where the book is packaged): parse5, for a saved page.
    const page = await loaded(fixture('ao3-html', 'download.html'), 'page');
    expect(page.some((m) => parse5.test(m))).to.equal(true);
    expect(page.filter((m) => unused.test(m))).to.deep.equal([]);
    expect(page.filter((m) => packagerPath.test(m))).to.deep.equal([]);
    const anthology = await loaded(fixture('golden', 'journal', 'input.txt'), 'anthology', 'One');
    expect(anthology.filter((m) => packagerPath.test(m))).to.deep.equal([]);
  });

  it("loads none of Node's own modules that a quiet one-story build does not use (tty and net, assert, fs/promises, crypto)", async () => {
    const reporter = join(tmp, 'builtins.cjs');
    // Node's own modules are listed in process.moduleLoadList ("NativeModule tty").
    writeFileSync(reporter, `process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_REPORT, process.moduleLoadList.join('\\n')));\n`);
    const report = join(tmp, 'builtins.loaded');
    await run(process.execPath, ['--require', reporter, binPath, 'build', fixture('golden', 'journal', 'input.txt'), '--out', join(tmp, 'builtins'), '--quiet'], { env: { ...process.env, LOADED_REPORT: report } });
    expect(readdirSync(join(tmp, 'builtins')).filter((n) => n.endsWith('.epub'))).to.have.length(1);
    const loaded = readFileSync(report, 'utf8').split('\n');
    expect(loaded, 'the report lists what was loaded').to.include('NativeModule zlib');
    expect(loaded.filter((m) => /^NativeModule (tty|net|assert|fs\/promises|crypto)$/.test(m))).to.deep.equal([]);
  });

  it('prints the same help as the library (yargs measures it with the deferred string-width)', async () => {
    for (const args of [['--help'], ['build', '--help']]) {
      const exe = await run(process.execPath, [binPath, ...args]);
      const lib = await runCli(args);
      expect(exe.stdout, args.join(' ')).to.equal(lib.stdout);
    }
    // Columns laid out by width: the flags, then their descriptions after padding.
    expect((await run(process.execPath, [binPath, 'build', '--help'])).stdout).to.match(/\n {2}-o, --out {2,}Output folder/);
  });

  it('leaves a code cache beside the bundle and runs from it, the same books; a corrupt cache is refused and replaced', async () => {
    const dir = dirname(binPath);
    const caches = (): string[] => readdirSync(dir).filter((n) => n.endsWith('.cache'));
    for (const c of caches()) rmSync(join(dir, c));
    const story = fixture('golden', 'journal', 'input.txt');
    const build = async (name: string): Promise<Buffer> => {
      await run(process.execPath, [binPath, 'build', story, '--out', join(tmp, name), '--quiet']);
      const [book] = readdirSync(join(tmp, name));
      return readFileSync(join(tmp, name, book!));
    };
    const first = await build('cold');
    expect(caches(), 'written by the first run').to.have.length(1);
    const cache = join(dir, caches()[0]!);
    const made = statSync(cache).mtimeMs;
    expect((await build('warm')).equals(first), 'the same book from the cache').to.equal(true);
    expect(statSync(cache).mtimeMs, 'an accepted cache is not written again').to.equal(made);
    writeFileSync(cache, 'not a code cache');
    expect((await build('corrupt')).equals(first), 'the same book past a corrupt cache').to.equal(true);
    expect(readFileSync(cache, 'utf8'), 'replaced').to.not.equal('not a code cache');
    expect(caches()).to.have.length(1);
  });

  it('replaces a cache left by a run that built nothing with the first build\'s, which a later small run keeps', async () => {
    const dir = dirname(binPath);
    const cache = (): { name: string; size: number; made: number } | undefined => {
      const [name] = readdirSync(dir).filter((n) => n.endsWith('.cache'));
      return name === undefined ? undefined : { name, size: statSync(join(dir, name)).size, made: statSync(join(dir, name)).mtimeMs };
    };
    for (const n of readdirSync(dir).filter((f) => f.endsWith('.cache'))) rmSync(join(dir, n));
    await run(process.execPath, [binPath, '--version']);
    const small = cache();
    expect(small, 'written by --version when there was none').to.not.equal(undefined);
    const story = fixture('golden', 'journal', 'input.txt');
    await run(process.execPath, [binPath, 'build', story, '--out', join(tmp, 'reach-none'), '--quiet', '--cover', 'none']);
    const built = cache()!;
    expect(built.name).to.equal(small!.name);
    expect(built.size, 'a build compiles more than --version').to.be.above(small!.size);
    await run(process.execPath, [binPath, 'build', story, '--out', join(tmp, 'reach-cover'), '--quiet']);
    const withCover = cache()!;
    expect(withCover.size, 'a build with a cover compiles the cover code too').to.be.above(built.size);
    await run(process.execPath, [binPath, '--help']);
    await run(process.execPath, [binPath, 'build', story, '--out', join(tmp, 'reach-again'), '--quiet', '--cover', 'none']);
    expect(cache(), 'kept by runs that compile less').to.deep.equal(withCover);
  });

  it('never runs a cache made for other bundle code, even of the same length', async () => {
    // A copy of the executable whose bundle is edited after a run: the edit must show.
    const copy = join(tmp, 'copy');
    rmSync(copy, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(copy);
    for (const f of ['fic2epub.js', 'cli.js', 'package.json']) copyFileSync(join(dirname(binPath), f), join(copy, f));
    const version = async (): Promise<string> => (await run(process.execPath, [join(copy, 'fic2epub.js'), '--version'])).stdout.trim();
    expect(await version(), 'no package.json with a version above the copy').to.equal('unknown');
    expect(readdirSync(copy).filter((n) => n.endsWith('.cache'))).to.have.length(1);
    const cli = join(copy, 'cli.js');
    const before = statSync(cli);
    const code = readFileSync(cli, 'utf8');
    const edited = code.replaceAll('"unknown"', '"UNKNOWN"');
    expect(edited, 'the edit').to.not.equal(code);
    writeFileSync(cli, edited);
    // Even with the bundle's time put back, the length the same: only the content differs.
    utimesSync(cli, before.atime, before.mtime);
    expect(statSync(cli).size).to.equal(before.size);
    expect(await version()).to.equal('UNKNOWN');
  });

  it('exits at once with its code when a build stops before it starts or fails', async () => {
    // A usage error, a bad style or a missing story ends the run early; nothing started for the
    // build (a worker, a cover being drawn) may hold the process.
    const exitCode = (args: string[]): Promise<number | null> =>
      new Promise((done, fail) => {
        const child = execFile(process.execPath, [binPath, ...args], { timeout: 20_000 }, () => undefined);
        child.on('error', fail);
        child.on('exit', (code, signal) => (signal ? fail(new Error(`${args.join(' ')}: killed by ${signal} (it hung)`)) : done(code)));
      });
    expect(await exitCode(['build'])).to.equal(2);
    expect(await exitCode(['build', fixture('golden', 'journal', 'input.txt'), '--style', 'no-such-style', '--out', join(tmp, 'none')])).to.equal(2);
    expect(await exitCode(['build', join(tmp, 'no-such-story.txt'), '--out', join(tmp, 'none')])).to.equal(1);
  });
});
