/**
 * Runs the robustness sweep: each variant through the CLI and the library in worker threads with
 * a heap limit and a time limit, then every book written through EPUBCheck (one pool of JVMs),
 * and the words of each readable variant compared with its source's. Run directly
 * (`node dist/test/helpers/sweep-run.js [--all] [--bundle]`) it prints the table of damage ×
 * outcome; `--bundle` runs the CLI as the executable (dist/bundle/fic2epub.js), one process a case.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EpubcheckPool, epubcheckJar, epubcheckUnavailable } from '../../src/check.js';
import { markupText, openEpub } from './epub.js';
import { binPath } from './paths.js';
import { seeded, sweepVariants, type Variant } from './sweep.js';
import type { SweepCase, SweepRun } from './sweep-worker.js';

export type Outcome = 'built' | 'refused' | 'crash' | 'timeout' | 'out of memory' | 'half-written' | 'odd exit' | 'CLI ≠ library' | 'EPUBCheck' | 'lost words' | 'U+FFFD';

export interface CaseResult {
  variant: Variant;
  outcome: Outcome;
  detail: string;
}

export interface SweepOptions {
  /** Every variant (else a fixed-seed sample: every made variant and every damage, a few sources each). */
  all?: boolean;
  timeoutMs?: number;
  heapMb?: number;
  workers?: number;
  /** Run EPUBCheck on the books (when it is installed). */
  check?: boolean;
  /** Run the CLI as this executable in a child process per case (else `main` in the worker). */
  bundle?: string;
}

const WORKER = fileURLToPath(new URL('./sweep-worker.js', import.meta.url));

/** The variants a run sweeps: all, or every made one and per damage the sources a seeded shuffle picks first (with their "as saved" baselines). */
export async function pickVariants(all: boolean, perDamage = 3): Promise<Variant[]> {
  const every = await sweepVariants();
  if (all) return every;
  const rand = seeded(0xc0ffee);
  const byDamage = new Map<string, Variant[]>();
  for (const v of every) byDamage.set(v.damage, [...(byDamage.get(v.damage) ?? []), v]);
  const keep = new Set<Variant>();
  for (const v of every) if (v.name.startsWith('made ~ ')) keep.add(v);
  for (const [damage, vs] of byDamage) {
    if (damage === 'as saved') continue;
    const shuffled = vs.map((v) => [rand(), v] as const).sort((a, b) => a[0] - b[0]).map(([, v]) => v);
    for (const v of shuffled.filter((x) => !keep.has(x)).slice(0, perDamage)) keep.add(v);
  }
  const sources = new Set([...keep].filter((v) => v.keepsWords).map((v) => v.keepsWords));
  return every.filter((v) => keep.has(v) || (v.damage === 'as saved' && sources.has(v.name.split(' ~ ')[0]!)));
}

/** Run `cases` in a pool of heap-limited workers; a case past its time or heap ends its worker. */
async function runPool(cases: SweepCase[], o: Required<Pick<SweepOptions, 'timeoutMs' | 'heapMb' | 'workers'>>): Promise<Map<number, SweepRun | { index: number; failed: 'timeout' | 'out of memory' | 'worker'; detail: string }>> {
  const results = new Map<number, SweepRun | { index: number; failed: 'timeout' | 'out of memory' | 'worker'; detail: string }>();
  let next = 0;
  const lane = async (): Promise<void> => {
    let worker: Worker | undefined;
    while (next < cases.length) {
      const c = cases[next++]!;
      worker ??= new Worker(WORKER, { resourceLimits: { maxOldGenerationSizeMb: o.heapMb } });
      const w = worker;
      const r = await new Promise<SweepRun | { index: number; failed: 'timeout' | 'out of memory' | 'worker'; detail: string }>((done) => {
        const onMessage = (m: SweepRun & { thrown?: string }): void => settle(m.thrown ? { index: c.index, failed: /^Error: timeout/.test(m.thrown) ? 'timeout' : 'worker', detail: m.thrown.split('\n').slice(0, 3).join(' | ') } : m);
        const onError = (e: Error & { code?: string }): void => settle({ index: c.index, failed: e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out of memory' : 'worker', detail: String(e.message) });
        const settle = (x: SweepRun | { index: number; failed: 'timeout' | 'out of memory' | 'worker'; detail: string }): void => {
          clearTimeout(timer);
          w.off('message', onMessage);
          w.off('error', onError);
          done(x);
        };
        const timer = setTimeout(() => settle({ index: c.index, failed: 'timeout', detail: `over ${o.timeoutMs} ms` }), o.timeoutMs);
        w.on('message', onMessage);
        w.on('error', onError);
        w.postMessage(c);
      });
      if ('failed' in r) {
        await worker.terminate();
        worker = undefined;
      }
      if (process.env.SWEEP_DEBUG) console.error(c.index, 'failed' in r ? r.failed : r.cli.code);
      results.set(c.index, r);
    }
    await worker?.terminate();
  };
  await Promise.all(Array.from({ length: o.workers }, lane));
  return results;
}

/** The distinct words of a book's pages. */
async function bookWords(path: string): Promise<{ words: Set<string>; replacement: number }> {
  const book = await openEpub(readFileSync(path));
  let text = '';
  for (const n of book.names.filter((x) => /\.xhtml$/.test(x))) text += ` ${markupText(await book.text(n))}`;
  return { words: new Set(text.toLowerCase().match(/\p{L}{3,}/gu) ?? []), replacement: (text.match(/\uFFFD/g) ?? []).length };
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim().slice(0, 160);

/** Sweep the variants; one result per variant, in order. */
export async function runSweep(variants: Variant[], opts: SweepOptions = {}): Promise<CaseResult[]> {
  const o = { timeoutMs: opts.timeoutMs ?? 30000, heapMb: opts.heapMb ?? 1024, workers: opts.workers ?? Number(process.env.SWEEP_WORKERS ?? 2) };
  const root = mkdtempSync(join(tmpdir(), 'fic2epub-sweep-'));
  // EPUBCheck's JVMs do not keep the process alive; the sweep must, until it has every verdict.
  const alive = setInterval(() => {}, 1000);
  try {
    const cases: SweepCase[] = variants.map((v, index) => ({ index, dir: join(root, String(index)), file: v.file, bytes: v.bytes, cover: v.cover === true, ...(opts.bundle ? { bundle: opts.bundle, timeoutMs: o.timeoutMs * 0.9 } : {}) }));
    const runs = await runPool(cases, o);
    const check = opts.check !== false && !(await epubcheckUnavailable()) ? new EpubcheckPool(epubcheckJar()) : undefined;
    const results: CaseResult[] = [];
    const baseline = new Map<string, { words: Set<string>; replacement: number }>();
    const judged = await Promise.all(
      variants.map(async (variant, i): Promise<CaseResult> => {
        const r = runs.get(i)!;
        const res = (outcome: Outcome, detail = ''): CaseResult => ({ variant, outcome, detail: oneLine(detail) });
        if ('failed' in r) return res(r.failed === 'worker' ? 'crash' : r.failed, r.detail);
        const stack = r.cli.failures.find((f) => f.stack)?.stack ?? (/\n\s+at /.test(r.cli.stderr) ? r.cli.stderr : undefined);
        if (stack) return res('crash', `CLI: ${stack.split('\n').slice(0, 2).join(' | ')}`);
        if (!r.lib.ok && r.lib.stack) return res('crash', `library: ${r.lib.stack.split('\n').slice(0, 2).join(' | ')}`);
        const errors = r.cli.stderr.split('\n').filter((l) => /^error/.test(l));
        if (r.cli.code === 0 && r.cli.books.length === 1) {
          if (r.left.length !== 1 || !r.left[0]!.startsWith('out/')) return res('half-written', r.left.join(', '));
          if (!r.lib.ok) return res('CLI ≠ library', `library refused: ${r.lib.error}`);
          if (check) {
            const c = await check.check(r.cli.books[0]!);
            if (c.fatal + c.errors + c.warnings) return res('EPUBCheck', c.messages.map((m) => `${m.id} ${m.message}`).join('; '));
          }
          return res('built');
        }
        if (r.cli.code === 1 && r.cli.books.length === 0) {
          if (r.left.length) return res('half-written', r.left.join(', '));
          if (errors.length !== 1) return res('odd exit', `${errors.length} error lines: ${r.cli.stderr}`);
          if (r.lib.ok) return res('CLI ≠ library', `CLI refused, library built: ${errors[0]}`);
          return res('refused', errors[0]!.replace(/^error: \S+: /, ''));
        }
        return res('odd exit', `exit ${r.cli.code}, ${r.cli.books.length} books: ${r.cli.stderr}`);
      }),
    );
    // Words: each readable variant against its source as saved.
    for (let i = 0; i < variants.length; i++) {
      const v = variants[i]!;
      const r = runs.get(i)!;
      if (v.damage === 'as saved' && judged[i]!.outcome === 'built' && !('failed' in r)) baseline.set(v.keepsWords!, await bookWords(r.cli.books[0]!));
    }
    for (let i = 0; i < variants.length; i++) {
      const v = variants[i]!;
      const r = runs.get(i)!;
      let j = judged[i]!;
      const base = v.keepsWords ? baseline.get(v.keepsWords) : undefined;
      if (j.outcome === 'refused' && base && v.damage !== 'as saved') j = { ...j, outcome: 'lost words', detail: `refused, the source builds: ${j.detail}` };
      else if (j.outcome === 'built' && base && !('failed' in r)) {
        const got = await bookWords(r.cli.books[0]!);
        const lost = [...base.words].filter((w) => !got.words.has(w));
        if (lost.length > base.words.size * 0.01) j = { ...j, outcome: 'lost words', detail: `${lost.length}/${base.words.size} words, e.g. ${lost.slice(0, 8).join(' ')}` };
        else if (got.replacement > base.replacement) j = { ...j, outcome: 'U+FFFD', detail: `${got.replacement - base.replacement} replacement characters` };
      } else if (j.outcome === 'built' && !('failed' in r) && /quotes in UTF-8/.test(v.damage)) {
        const got = await bookWords(r.cli.books[0]!);
        if (got.replacement) j = { ...j, outcome: 'U+FFFD', detail: `${got.replacement} replacement characters` };
      }
      results.push(j);
    }
    check?.close();
    return results;
  } finally {
    clearInterval(alive);
    rmSync(root, { recursive: true, force: true });
  }
}

/** The table: damage × outcome counts, one row per damage. */
export function sweepTable(results: CaseResult[]): string {
  const outcomes = [...new Set(results.map((r) => r.outcome))].sort((a, b) => (a === 'built' ? -1 : b === 'built' ? 1 : a === 'refused' ? -1 : b === 'refused' ? 1 : a.localeCompare(b)));
  const rows = new Map<string, Map<string, number>>();
  for (const r of results) {
    const row = rows.get(r.variant.damage) ?? new Map<string, number>();
    row.set(r.outcome, (row.get(r.outcome) ?? 0) + 1);
    rows.set(r.variant.damage, row);
  }
  const width = Math.max(...[...rows.keys()].map((k) => k.length), 6);
  const head = `${'damage'.padEnd(width)} | ${outcomes.map((o) => o.padStart(Math.max(o.length, 4))).join(' | ')}`;
  const lines = [...rows].map(([d, row]) => `${d.padEnd(width)} | ${outcomes.map((o) => String(row.get(o) ?? '').padStart(Math.max(o.length, 4))).join(' | ')}`);
  const total = `${'total'.padEnd(width)} | ${outcomes.map((o) => String(results.filter((r) => r.outcome === o).length).padStart(Math.max(o.length, 4))).join(' | ')}`;
  return [head, '-'.repeat(head.length), ...lines, '-'.repeat(head.length), total].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const all = process.argv.includes('--all');
  const variants = await pickVariants(all);
  const results = await runSweep(variants, process.argv.includes('--bundle') ? { bundle: binPath } : {});
  console.log(sweepTable(results));
  console.log(`\n${results.length} cases`);
  for (const r of results.filter((x) => x.outcome !== 'built' && x.outcome !== 'refused')) console.log(`${r.outcome}: ${r.variant.name}: ${r.detail}`);
  if (process.argv.includes('--refusals')) for (const r of results.filter((x) => x.outcome === 'refused')) console.log(`refused: ${r.variant.name}: ${r.detail}`);
}
