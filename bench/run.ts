/**
 * `npm run bench`: fic2epub against pandoc (`pandoc -f markdown -t epub3`, when installed) and
 * against bare epub-gen-memory packaging, all measured in this run on this machine, as whole
 * processes. Prints medians, min–max, ratios, fic2epub's peak RSS and, for each target, whether
 * this run met it (information, never a pass/fail of the command):
 *   (a) one story: fic2epub's time minus `node -e 0` (Node's own start, measured alongside) at
 *       most pandoc's time — our own work no slower than pandoc's whole run;
 *   (b) one anthology of every story: at most 0.05× pandoc, under 512 MiB peak RSS;
 *   (c) every story its own book, one call: at most 0.1× pandoc (one process per story);
 *   (d) one AO3 download of 2 MB (`bench/ao3-page.ts`): at most 0.1× pandoc (`-f html`);
 *   (e) the same shape at 20 MB: under 512 MiB peak RSS (no pandoc);
 *   (f) 10,000 stories, one book each: under 512 MiB peak RSS, and its time per story against
 *       (c)'s (growth: 1.0 is flat; no pandoc).
 *
 * Corpus: the seed stories in ../shared/seeds repeated with distinct titles to 1,000 stories
 * (the bundled examples when the seeds are absent), written to .bench/corpus.
 * Environment: BENCH_STORIES (default 1000), BENCH_RUNS (default 5 for one story, 3 for batches),
 * BENCH_PANDOC_RUNS (default 1 for batches: pandoc takes minutes), BENCH_ROWS (which rows, default
 * "abcdef"), BENCH_PAGE_MB (default 2) and BENCH_BIG_PAGE_MB (default 20) for (d) and (e),
 * BENCH_BIG_STORIES (default 10000) for (f), BENCH_BIN (the fic2epub bundle to measure, default
 * this checkout's: another build can be measured with this run's bench).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ao3Page } from './ao3-page.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const work = join(root, '.bench');
const corpus = join(work, 'corpus');
const STORIES = Number(process.env.BENCH_STORIES ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 0);
const PANDOC_RUNS = Number(process.env.BENCH_PANDOC_RUNS ?? 1);
const ROWS = process.env.BENCH_ROWS ?? 'abcdef';
const PAGE_MB = Number(process.env.BENCH_PAGE_MB ?? 2);
const BIG_PAGE_MB = Number(process.env.BENCH_BIG_PAGE_MB ?? 20);
const BIG_STORIES = Number(process.env.BENCH_BIG_STORIES ?? 10000);
const bin = resolve(process.env.BENCH_BIN ?? join(root, 'dist', 'bundle', 'fic2epub.js'));
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface Run {
  seconds: number;
  /** User + system CPU seconds (with GNU time): what a loaded machine inflates least. */
  cpu?: number;
  rssMiB?: number;
}

/** CPU seconds of the runs timed under each label, for the CPU table. */
const cpuByLabel = new Map<string, number[]>();

/** Run a command as a whole process; wall time and (with GNU time) CPU time and peak RSS, its
 * CPU time kept under `label`. */
function timed(cmd: string, args: string[], label?: string): Promise<Run> {
  return new Promise((done, fail) => {
    const argv = TIME ? ['-f', '%U %S %M', cmd, ...args] : args;
    const start = process.hrtime.bigint();
    const child = spawn(TIME ?? cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', fail);
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      // A run that failed an input (exit 1) timed less than the work: no figure from it.
      if (code !== 0) return fail(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.slice(-500)}`));
      const [user, sys, kb] = TIME ? (err.trim().split('\n').pop() ?? '').split(' ').map(Number) : [];
      const run: Run = { seconds, ...(Number.isFinite(kb) ? { rssMiB: kb! / 1024, cpu: user! + sys! } : {}) };
      if (label && run.cpu !== undefined) cpuByLabel.set(label, [...(cpuByLabel.get(label) ?? []), run.cpu]);
      done(run);
    });
  });
}

/** Run jobs with at most `n` at once (pandoc per story, two at a time). */
async function pool(jobs: (() => Promise<unknown>)[], n: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < jobs.length) await jobs[next++]!();
  }));
}

function stats(xs: number[]): { median: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]! };
}

function fmt(xs: number[], unit = 's'): string {
  const { median, min, max } = stats(xs);
  return `${median.toFixed(2)} ${unit} (${min.toFixed(2)}–${max.toFixed(2)}, n=${xs.length})`;
}

/** Write the corpus: every source story repeated with a distinct title. */
function makeCorpus(count = STORIES, dir_ = corpus): string[] {
  const seeds = join(root, '..', 'shared', 'seeds');
  const fromSeeds = existsSync(join(seeds, 'expected.json'));
  const dir = fromSeeds ? seeds : join(root, 'examples');
  const sources = readdirSync(dir).filter((f) => /\.(txt|md|html?)$/.test(f)).sort().map((f) => join(dir, f));
  rmSync(dir_, { recursive: true, force: true });
  mkdirSync(dir_, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const src = sources[i % sources.length]!;
    const text = readFileSync(src, 'utf8');
    const n = String(i + 1).padStart(count > 9999 ? 5 : 4, '0');
    const name = join(dir_, `story-${n}.txt`);
    // A distinct title: rename a stated title, else state one in a metadata file beside the story.
    const renamed = text.replace(/^(Title:\s*)(.+)$/m, `$1$2 ${n}`).replace(/\*{6} (.+?) \*{6}/, `****** $1 ${n} ******`);
    writeFileSync(name, renamed);
    if (renamed === text) writeFileSync(join(dir_, `story-${n}.meta.yaml`), `title: Story ${n}\n`);
    files.push(name);
  }
  const bytes = files.reduce((t, f) => t + readFileSync(f).length, 0);
  console.log(`corpus: ${files.length} stories from ${fromSeeds ? 'the shared seeds' : 'examples/'}, ${(bytes / 1e6).toFixed(1)} MB in ${dir_}`);
  return files;
}

function version(cmd: string, args: string[]): string | undefined {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : undefined;
}

async function main(): Promise<void> {
  const pandoc = version('pandoc', ['--version']);
  console.log(`fic2epub: ${bin}`);
  console.log(`load: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min) at start`);
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}; ${pandoc ?? 'pandoc not installed (apt-get install pandoc)'}`);
  if (!TIME) console.log('peak RSS: /usr/bin/time not installed (apt-get install time), not measured');
  mkdirSync(work, { recursive: true });
  const files = ROWS.match(/[abc]/) ? makeCorpus() : [];
  const out = join(work, 'out');
  const one = files[0]!;
  const rows: string[] = [];
  // Each row is printed as soon as it is measured (a full run takes many minutes), and again with the others at the end.
  const addRow = (row: string): void => {
    console.log(row);
    rows.push(row);
  };
  const rss: string[] = [];
  const targets: string[] = [];

  // (a) one story, whole process; Node's own start-up and pandoc measured in the same rounds.
  if (ROWS.includes('a')) {
    const n = RUNS || 5;
    const f: number[] = [];
    const p: number[] = [];
    const bare: number[] = [];
    let peak = 0;
    for (let i = 0; i < n; i++) {
      rmSync(out, { recursive: true, force: true });
      const r = await timed(process.execPath, [bin, 'build', one, '--out', out, '--quiet'], '(a) fic2epub');
      f.push(r.seconds);
      peak = Math.max(peak, r.rssMiB ?? 0);
      bare.push((await timed(process.execPath, ['-e', '0'], '(a) node -e 0')).seconds);
      if (pandoc) p.push((await timed('pandoc', ['-f', 'markdown', '-t', 'epub3', one, '-o', join(work, 'pandoc-one.epub')], '(a) pandoc')).seconds);
    }
    const own = stats(f).median - stats(bare).median;
    addRow(`(a) one story          fic2epub ${fmt(f)}   node -e 0 ${fmt(bare)}   fic2epub − node -e 0 ${own.toFixed(2)} s${pandoc ? `   pandoc ${fmt(p)}   (fic2epub − node -e 0) / pandoc ${(own / stats(p).median).toFixed(2)}` : ''}`);
    if (pandoc) targets.push(`(a) fic2epub − node -e 0 ≤ pandoc: ${own.toFixed(2)} s vs ${stats(p).median.toFixed(2)} s → ${own <= stats(p).median ? 'met' : 'NOT met'}`);
    if (peak) rss.push(`(a) ${peak.toFixed(0)} MiB`);
  }

  // (b) one anthology of every story, and bare epub-gen-memory packaging of the same files.
  if (ROWS.includes('b')) {
    const n = RUNS || 3;
    const f: number[] = [];
    const bare: number[] = [];
    let peak = 0;
    for (let i = 0; i < n; i++) {
      // A fresh build each run: a book already there would be updated in place, which is other work.
      rmSync(join(work, 'anthology.epub'), { recursive: true, force: true });
      const r = await timed(process.execPath, [bin, 'build', corpus, '--anthology', 'Bench Anthology', '--out', join(work, 'anthology.epub'), '--quiet'], '(b) fic2epub');
      f.push(r.seconds);
      peak = Math.max(peak, r.rssMiB ?? 0);
      bare.push((await timed(process.execPath, [join(root, 'dist', 'bench', 'bare-packaging.js'), join(work, 'bare.epub'), ...files])).seconds);
    }
    const p: number[] = [];
    if (pandoc) for (let i = 0; i < PANDOC_RUNS; i++) p.push((await timed('pandoc', ['-f', 'markdown', '-t', 'epub3', ...files, '-o', join(work, 'pandoc-anthology.epub')], '(b) pandoc')).seconds);
    addRow(`(b) ${files.length}-story anthology fic2epub ${fmt(f)}   bare epub-gen-memory ${fmt(bare)}   ratio to bare ${(stats(f).median / stats(bare).median).toFixed(2)}${pandoc ? `   pandoc ${fmt(p)}   ratio ${(stats(f).median / stats(p).median).toFixed(3)}` : ''}`);
    if (pandoc) {
      const ratio = stats(f).median / stats(p).median;
      targets.push(`(b) anthology ≤ 0.05× pandoc: ${ratio.toFixed(3)}× → ${ratio <= 0.05 ? 'met' : 'NOT met'}`);
    }
    if (peak) {
      rss.push(`(b) ${peak.toFixed(0)} MiB`);
      targets.push(`(b) anthology peak RSS < 512 MiB: ${peak.toFixed(0)} MiB → ${peak < 512 ? 'met' : 'NOT met'}`);
    }
  }

  let perStory: number | undefined;
  // (c) every story as its own book, one call (covers included); pandoc one process per story, two at a time.
  if (ROWS.includes('c')) {
    const n = RUNS || 3;
    const f: number[] = [];
    let peak = 0;
    for (let i = 0; i < n; i++) {
      rmSync(out, { recursive: true, force: true });
      const r = await timed(process.execPath, [bin, 'build', corpus, '--out', out, '--quiet'], '(c) fic2epub');
      f.push(r.seconds);
      peak = Math.max(peak, r.rssMiB ?? 0);
    }
    const p: number[] = [];
    if (pandoc) {
      for (let i = 0; i < PANDOC_RUNS; i++) {
        const pout = join(work, 'pandoc-each');
        rmSync(pout, { recursive: true, force: true });
        mkdirSync(pout, { recursive: true });
        const start = process.hrtime.bigint();
        await pool(files.map((file, k) => () => timed('pandoc', ['-f', 'markdown', '-t', 'epub3', file, '-o', join(pout, `${k}.epub`)])), 2);
        p.push(Number(process.hrtime.bigint() - start) / 1e9);
      }
    }
    // The same without covers: what the covers cost (pandoc makes none).
    const bare: number[] = [];
    for (let i = 0; i < n; i++) {
      rmSync(out, { recursive: true, force: true });
      bare.push((await timed(process.execPath, [bin, 'build', corpus, '--out', out, '--quiet', '--cover', 'none'], '(c) fic2epub, no covers')).seconds);
    }
    addRow(`(c) ${files.length} books, one each   fic2epub ${fmt(f)}${pandoc ? `   pandoc ${fmt(p)}   ratio ${(stats(f).median / stats(p).median).toFixed(3)}` : ''}   (without covers: ${fmt(bare)})`);
    if (pandoc) {
      const ratio = stats(f).median / stats(p).median;
      targets.push(`(c) ${files.length} books ≤ 0.1× pandoc: ${ratio.toFixed(3)}× → ${ratio <= 0.1 ? 'met' : 'NOT met'}`);
    }
    if (peak) rss.push(`(c) ${peak.toFixed(0)} MiB`);
    perStory = stats(f).median / files.length;
  }

  // (d) one long work as the Archive's single-page download; pandoc reads the same page.
  if (ROWS.includes('d')) {
    const page = join(work, `ao3-${PAGE_MB}mb.html`);
    writeFileSync(page, ao3Page(PAGE_MB * 1e6));
    const n = RUNS || 3;
    const f: number[] = [];
    const p: number[] = [];
    let peak = 0;
    let pandocPeak = 0;
    for (let i = 0; i < n; i++) {
      rmSync(join(work, 'ao3.epub'), { recursive: true, force: true });
      const r = await timed(process.execPath, [bin, 'build', page, '--out', join(work, 'ao3.epub'), '--quiet'], '(d) fic2epub');
      f.push(r.seconds);
      peak = Math.max(peak, r.rssMiB ?? 0);
      if (pandoc && i < Math.max(PANDOC_RUNS, 1)) {
        const q = await timed('pandoc', ['-f', 'html', '-t', 'epub3', page, '-o', join(work, 'pandoc-ao3.epub')], '(d) pandoc');
        p.push(q.seconds);
        pandocPeak = Math.max(pandocPeak, q.rssMiB ?? 0);
      }
    }
    const ratio = pandoc ? stats(f).median / stats(p).median : NaN;
    addRow(`(d) AO3 download, ${PAGE_MB} MB   fic2epub ${fmt(f)}${pandoc ? `   pandoc ${fmt(p)}   ratio ${ratio.toFixed(3)}` : ''}`);
    if (pandoc) targets.push(`(d) ${PAGE_MB} MB page ≤ 0.1× pandoc: ${ratio.toFixed(3)}× → ${ratio <= 0.1 ? 'met' : 'NOT met'}`);
    if (peak) rss.push(`(d) ${peak.toFixed(0)} MiB${pandocPeak ? ` (pandoc ${pandocPeak.toFixed(0)} MiB)` : ''}`);
  }

  // (e) the same shape, ten times the size: memory must not grow with the page.
  if (ROWS.includes('e')) {
    const page = join(work, `ao3-${BIG_PAGE_MB}mb.html`);
    writeFileSync(page, ao3Page(BIG_PAGE_MB * 1e6));
    const n = Math.min(RUNS || 1, 3);
    const f: number[] = [];
    let peak = 0;
    for (let i = 0; i < n; i++) {
      rmSync(join(work, 'ao3-big.epub'), { recursive: true, force: true });
      const r = await timed(process.execPath, [bin, 'build', page, '--out', join(work, 'ao3-big.epub'), '--quiet'], '(e) fic2epub');
      f.push(r.seconds);
      peak = Math.max(peak, r.rssMiB ?? 0);
    }
    addRow(`(e) AO3 download, ${BIG_PAGE_MB} MB  fic2epub ${fmt(f)}`);
    if (peak) {
      rss.push(`(e) ${peak.toFixed(0)} MiB`);
      targets.push(`(e) ${BIG_PAGE_MB} MB page peak RSS < 512 MiB: ${peak.toFixed(0)} MiB → ${peak < 512 ? 'met' : 'NOT met'}`);
    }
  }

  // (f) a batch ten times (c)'s, one book each: time per story and memory must stay flat.
  if (ROWS.includes('f') && BIG_STORIES > 0) {
    const bigCorpus = join(work, 'corpus-big');
    makeCorpus(BIG_STORIES, bigCorpus);
    const f: number[] = [];
    let peak = 0;
    for (let i = 0; i < Math.min(RUNS || 1, 3); i++) {
      rmSync(out, { recursive: true, force: true });
      const r = await timed(process.execPath, [bin, 'build', bigCorpus, '--out', out, '--quiet'], '(f) fic2epub');
      f.push(r.seconds);
      peak = Math.max(peak, r.rssMiB ?? 0);
    }
    rmSync(out, { recursive: true, force: true });
    const each = stats(f).median / BIG_STORIES;
    addRow(`(f) ${BIG_STORIES} books, one each fic2epub ${fmt(f)}   ${(each * 1000).toFixed(2)} ms a story${perStory ? `, ${(each / perStory).toFixed(2)}× (c)'s` : ''}`);
    if (peak) {
      rss.push(`(f) ${peak.toFixed(0)} MiB`);
      targets.push(`(f) ${BIG_STORIES}-story batch peak RSS < 512 MiB: ${peak.toFixed(0)} MiB → ${peak < 512 ? 'met' : 'NOT met'}`);
    }
  }

  console.log('\nwall time, median (min–max):');
  for (const r of rows) console.log(r);
  if (rss.length) console.log(`fic2epub peak RSS (largest process): ${rss.join(', ')}`);
  if (cpuByLabel.size) {
    // pandoc's per-story runs in (c) are many processes and are not summed here.
    console.log('\nCPU time (user + system), median (min–max); a loaded machine inflates it less than wall time:');
    for (const [label, xs] of cpuByLabel) console.log(`${label} ${fmt(xs)}`);
  }
  if (targets.length) {
    console.log('\ntargets, this run:');
    for (const t of targets) console.log(t);
  }
  console.log(`load: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min) at end`);
}

await main();
