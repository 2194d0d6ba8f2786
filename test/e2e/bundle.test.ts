/**
 * The installed executable is an esbuild bundle of the CLI (scripts/bundle.mjs): it must build
 * the same bytes as the library, and must not load what only some inputs or no input needs.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../helpers/cli.js';
import { binPath, fixture } from '../helpers/paths.js';

const run = promisify(execFile);

// Prints every CommonJS module the process loaded (Node puts CommonJS packages imported from
// ES modules in the same cache) to the file named by LOADED_REPORT, at exit.
const REPORTER = `process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_REPORT, Object.keys(require('node:module')._cache).join('\\n')));\n`;

describe('the executable (bundle)', function () {
  this.timeout(120_000);
  let tmp: string;
  before(function () {
    if (!existsSync(binPath)) throw new Error(`${binPath} is missing: run npm run build`);
    tmp = mkdtempSync(join(tmpdir(), 'fic2epub-bundle-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

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

  it("loads neither jsdom for a text story nor the parts of epub-gen-memory it never uses; jsdom for a page", async () => {
    const reporter = join(tmp, 'reporter.cjs');
    writeFileSync(reporter, REPORTER);
    const loaded = async (input: string, name: string): Promise<string[]> => {
      const report = join(tmp, `${name}.loaded`);
      await run(process.execPath, ['--require', reporter, binPath, 'build', input, '--out', join(tmp, name), '--quiet'], { env: { ...process.env, LOADED_REPORT: report } });
      expect(readdirSync(join(tmp, name))).to.have.length(1);
      return readFileSync(report, 'utf8').split('\n');
    };
    // Never used: epub-gen-memory's fetching, templates and chapter naming, and its CSS selector
    // engine. Its HTML parser (htmlparser2 and its DOM helpers) is sanitize-html's too, so only a
    // text story must not load it.
    const unused = /[\\/]node_modules[\\/](node-fetch|abort-controller|css-select|ejs|slugify)[\\/]/;
    const htmlOnly = /[\\/]node_modules[\\/](jsdom|htmlparser2|dom-serializer|domutils)[\\/]/;
    const jsdom = /[\\/]node_modules[\\/]jsdom[\\/]/;
    const text = await loaded(fixture('golden', 'journal', 'input.txt'), 'text');
    expect(text.filter((m) => unused.test(m) || htmlOnly.test(m))).to.deep.equal([]);
    // The report sees what this thread loads (the packager is loaded here): jsdom, for a saved page.
    const page = await loaded(fixture('ao3-html', 'download.html'), 'page');
    expect(page.some((m) => jsdom.test(m))).to.equal(true);
    expect(page.filter((m) => unused.test(m))).to.deep.equal([]);
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

  it('exits at once when a build stops before it starts (the cover thread started on a guess never holds it)', async () => {
    // `build` starts the cover thread before the CLI is loaded; a usage error or a bad style
    // ends the run before the build could stop it. Each must exit with its code, not hang.
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
