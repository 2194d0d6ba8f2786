/**
 * The executable's batch workers run from a V8 code cache beside the bundle (dist/bundle/worker.js,
 * scripts/worker-loader.cjs), written by a worker after its first jobs; it must never change what
 * they build.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../helpers/cli.js';
import { binPath } from '../helpers/paths.js';

const run = promisify(execFile);

describe('the executable\'s batch workers (code cache)', function () {
  this.timeout(300_000);
  let tmp: string;
  before(function () {
    if (!existsSync(binPath)) throw new Error(`${binPath} is missing: run npm run build`);
    tmp = mkdtempSync(join(tmpdir(), 'fic2epub-worker-cache-'));
  });
  // The cache these tiny stories leave holds less than a real batch compiles; a later batch would keep it.
  const workerCaches = (): string[] => readdirSync(dirname(binPath)).filter((n) => n.startsWith('.worker-') && n.endsWith('.cache'));
  after(() => {
    rmSync(tmp, { recursive: true, force: true });
    for (const c of workerCaches()) rmSync(join(dirname(binPath), c));
  });

  it('leaves a cache for the workers and runs from it, the same books as the library; a corrupt cache is refused and replaced', async () => {
    const dir = dirname(binPath);
    const caches = workerCaches;
    for (const c of caches()) rmSync(join(dir, c));
    // Twelve stories: a batch for worker threads.
    const inputs = join(tmp, 'in');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(inputs);
    for (let i = 0; i < 12; i++) writeFileSync(join(inputs, `tide-${i}.txt`), `Title: Tide ${i}\nAuthor: Orla Finch\n\n${`The water rose ${i} feet over the flats. `.repeat(30)}\n`);
    // Metadata files beside two stories: the workers' own (bundled) YAML parser reads them.
    writeFileSync(join(inputs, 'tide-3.meta.yaml'), 'title: Spring Tide\ntags:\n  - Estuaries\n  - Birds\n');
    writeFileSync(join(inputs, 'tide-9.meta.yaml'), 'fandoms: [Coastlines]\nrating: General Audiences\n');
    const books = async (name: string, viaLibrary = false): Promise<Map<string, Buffer>> => {
      const args = ['build', inputs, '--out', join(tmp, name), '--quiet', '--cover', 'none'];
      if (viaLibrary) expect((await runCli(args)).code).to.equal(0);
      else await run(process.execPath, [binPath, ...args]);
      return new Map(readdirSync(join(tmp, name)).map((n) => [n, readFileSync(join(tmp, name, n))]));
    };
    const same = (a: Map<string, Buffer>, b: Map<string, Buffer>, what: string): void => {
      expect([...a.keys()].sort(), what).to.deep.equal([...b.keys()].sort());
      for (const [n, bytes] of a) expect(bytes.equals(b.get(n)!), `${what}: ${n}`).to.equal(true);
    };
    const library = await books('library', true);
    expect(library.size).to.equal(12);
    expect([...library.keys()].filter((n) => n.includes('Spring Tide')), 'the metadata file was read').to.have.length(1);
    same(await books('cold'), library, 'without a cache');
    expect(caches(), 'written by a worker').to.have.length(1);
    const cache = join(dir, caches()[0]!);
    const made = statSync(cache).mtimeMs;
    same(await books('warm'), library, 'from the cache');
    expect(statSync(cache).mtimeMs, 'an accepted cache is not written again').to.equal(made);
    writeFileSync(cache, 'not a code cache');
    same(await books('corrupt'), library, 'past a corrupt cache');
    expect(readFileSync(cache, 'utf8'), 'replaced').to.not.equal('not a code cache');
    expect(caches()).to.have.length(1);
  });
});
