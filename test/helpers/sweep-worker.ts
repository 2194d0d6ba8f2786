/**
 * One sweep case at a time, in a worker thread with a heap limit (so a case that would exhaust
 * memory kills this worker, not the test run): the CLI's `build`, then the library's
 * readStoryBytes + buildEpub, on the same bytes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { main } from '../../src/cli/main.js';
import { InputError } from '../../src/diagnostics.js';
import { buildEpub, defaultOptions, readStoryBytes } from '../../src/index.js';

export interface SweepCase {
  index: number;
  dir: string;
  file: string;
  bytes: Uint8Array;
  cover: boolean;
  /** Run the CLI as this executable (the bundle) in a child process, not in this thread. */
  bundle?: string;
  /** The child process's time limit (the pool's own limit cannot stop a synchronous spawn). */
  timeoutMs?: number;
}

export interface SweepRun {
  index: number;
  cli: { code: number; stderr: string; books: string[]; failures: { error: string; stack?: string }[] };
  /** Files left beside the input and in the output folder (the input itself not counted). */
  left: string[];
  lib: { ok: true; bytes: number } | { ok: false; code?: string; error: string; stack?: string };
}

const listAll = (dir: string, prefix = ''): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? listAll(join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`]));

async function run(c: SweepCase): Promise<SweepRun> {
  mkdirSync(c.dir, { recursive: true });
  const input = join(c.dir, c.file);
  writeFileSync(input, c.bytes);
  let stdout = '';
  let stderr = '';
  const args = ['build', input, '--out', join(c.dir, 'out'), '--cover', c.cover ? 'auto' : 'none', '--json', '--debug'];
  let code: number;
  if (c.bundle) {
    const child = spawnSync(process.execPath, ['--max-old-space-size=1024', c.bundle, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: c.timeoutMs ?? 60_000 });
    if ((child.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') throw new Error(`timeout: over ${c.timeoutMs ?? 60_000} ms`);
    stdout = child.stdout;
    stderr = child.stderr + (child.signal ? `\nkilled by ${child.signal}\n    at the child process\n` : '');
    code = child.status ?? -1;
  } else {
    code = await main(args, {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += `${s}\n`),
      env: {},
      temps: new Set(),
      stdinIsTTY: true,
      version: '0.0.0-sweep',
    });
  }
  let report: { books?: { output: string }[]; failures?: { error: string; stack?: string }[] } = {};
  try {
    report = JSON.parse(stdout) as typeof report;
  } catch {
    /* no report: the outcome says so */
  }
  const left = listAll(c.dir).filter((n) => n !== c.file);
  let lib: SweepRun['lib'];
  try {
    const read = await readStoryBytes(input, c.bytes, { ...defaultOptions(), cover: 'none' });
    const built = await buildEpub(read.story, { ...defaultOptions(), cover: 'none' });
    lib = { ok: true, bytes: built.bytes.length };
  } catch (e) {
    const err = e as Error;
    lib = e instanceof InputError ? { ok: false, code: e.code, error: e.message } : { ok: false, error: String(err?.message ?? e), stack: String(err?.stack ?? '') };
  }
  return { index: c.index, cli: { code, stderr, books: (report.books ?? []).map((b) => b.output), failures: report.failures ?? [] }, left, lib };
}

parentPort?.on('message', (c: SweepCase) => {
  run(c).then(
    (r) => parentPort!.postMessage(r),
    (e: Error) => parentPort!.postMessage({ index: c.index, thrown: String(e?.stack ?? e) }),
  );
});
