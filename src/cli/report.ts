/** What the CLI tells the user: warnings and errors on stderr, the progress bar, the summary line, the JSON report. */
import { createRequire } from 'node:module';
import type { Colors } from 'picocolors/types.js';
import type { CheckMessage } from '../check.js';
import { InputError, type Diagnostic } from '../diagnostics.js';

/** Exit codes of the output contract. */
export const EXIT = { ok: 0, someFailed: 1, usage: 2, interrupted: 130 } as const;

/** One book written, as the JSON report shows it. */
export interface BookReport {
  output: string;
  inputs: string[];
  title: string;
  warnings: { code: string; message: string }[];
  /** When an existing book of the same story was updated: its chapters added, changed, kept and removed. */
  update?: { added: string[]; changed: string[]; kept: string[]; removed: string[] };
  /** With --dry-run: nothing was written. */
  dryRun?: true;
  /** With --check: EPUBCheck's findings, or why it could not run. */
  check?: { available: true; fatal: number; errors: number; warnings: number; messages: CheckMessage[] } | { available: false; reason: string };
}

/** One input that gave no book, and why. */
export interface Failure {
  input: string;
  error: string;
}

/** The warnings of a report (info diagnostics are not shown). */
export function warningsOf(diags: Diagnostic[]): { code: string; message: string }[] {
  return diags.filter((d) => d.severity !== 'info').map((d) => ({ code: d.code, message: d.message }));
}

/** An error as one line; with `debug`, an unexpected error's stack. */
export function errorMessage(e: unknown, debug: boolean): string {
  if (debug && e instanceof Error && !(e instanceof InputError)) return e.stack ?? e.message;
  return e instanceof Error ? e.message.split('\n')[0]! : String(e);
}

/** Writes warnings and errors to stderr: labelled, coloured on a terminal, warnings dropped when quiet. */
export type Say = (kind: 'error' | 'warning', s: string) => void;

/**
 * A `Say` writing to `stderr`. Whether it is a terminal (`tty`) is asked, and the colours loaded,
 * when the first line is said: asking loads Node's tty module, which a build that says nothing
 * never needs.
 */
export function sayer(stderr: (s: string) => void, opts: { quiet: boolean; tty: () => boolean }): Say {
  let colour: Colors | undefined | null = null;
  return (kind, s) => {
    if (opts.quiet && kind !== 'error') return;
    if (colour === null) colour = opts.tty() ? (createRequire(import.meta.url)('picocolors') as Colors) : undefined;
    const label = colour ? (kind === 'error' ? colour.red(kind) : colour.yellow(kind)) : kind;
    stderr(`${label}: ${s}`);
  };
}

/** A progress bar. */
export interface Progress {
  tick: (label: string) => void;
  stop: () => void;
}

/** A progress bar on stderr for long batches on a terminal; a no-op elsewhere. */
export async function progress(total: number, opts: { quiet: boolean; tty: () => boolean }): Promise<Progress> {
  if (opts.quiet || total <= 3 || !opts.tty()) return { tick: () => undefined, stop: () => undefined };
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar({ format: '{bar} {value}/{total} {label}', stream: process.stderr, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, { label: '' });
  return { tick: (label) => bar.increment(1, { label: label.slice(-40) }), stop: () => bar.stop() };
}

/** `--check`: run EPUBCheck on every book, recording its findings in the report; returns the note for the summary line. */
export async function checkBooks(books: BookReport[], jar: string | undefined, say: Say): Promise<string> {
  if (!books.length) return '';
  const { EpubcheckPool, epubcheckJar, epubcheckUnavailable } = await import('../check.js');
  const why = await epubcheckUnavailable(jar);
  if (why) {
    for (const b of books) b.check = { available: false, reason: why };
    return `; not checked: ${why}`;
  }
  let problems = 0;
  // One JVM per core, each checking its share of the books.
  const pool = new EpubcheckPool(jar ?? epubcheckJar());
  const results = await pool.checkAll(books.map((b) => b.output)).finally(() => pool.close());
  for (const [i, b] of books.entries()) {
    const r = results[i]!;
    b.check = { available: true, ...r };
    problems += r.fatal + r.errors + r.warnings;
    for (const m of r.messages) say(m.severity === 'WARNING' ? 'warning' : 'error', `${b.output}: EPUBCheck ${m.id}: ${m.message}${m.location ? ` (${m.location})` : ''}`);
  }
  return `; EPUBCheck: ${problems === 0 ? 'all valid' : `${problems} ${problems === 1 ? 'problem' : 'problems'}`}`;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The end of a build: the JSON report on stdout, or the summary line on stderr and the books' paths on stdout. */
export function finalReport(books: BookReport[], failures: Failure[], checkNote: string, a: { json: boolean; quiet: boolean }, out: { stdout: (s: string) => void; stderr: (s: string) => void }, interrupted = false): void {
  if (a.json) out.stdout(`${JSON.stringify({ books, failures, ...(interrupted ? { interrupted } : {}) }, null, 2)}\n`);
  const warnings = books.reduce((n, b) => n + b.warnings.length, 0);
  if (!a.quiet) {
    for (const b of books) {
      const u = b.update;
      if (u) out.stderr(`${b.output}: ${b.dryRun ? 'would update' : 'updated'}: ${[['added', u.added], ['changed', u.changed], ['kept', u.kept], ['removed', u.removed]].map(([k, l]) => `${l!.length} ${k as string}${l!.length ? ` (${(l as string[]).join(', ')})` : ''}`).join(', ')}`);
    }
    const dry = books.some((b) => b.dryRun);
    out.stderr(`${plural(books.length, 'book', 'books')} ${dry ? 'to write (dry run: nothing written)' : 'written'}, ${plural(warnings, 'warning', 'warnings')}, ${plural(failures.length, 'failure', 'failures')}${checkNote}`);
    // A book written to standard output is not followed by its name there.
    if (!a.json) for (const b of books) if (b.output !== '-') out.stdout(`${b.output}\n`);
  } else if (checkNote && !a.json) out.stderr(checkNote.slice(2));
}
