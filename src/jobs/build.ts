/**
 * Building as a whole job, for any front end: stories (files, or bytes with a name) into one
 * book each or one anthology, placed where the output plan says, in a batch that an AbortSignal
 * cancels. What happens is told through events; nothing here prints.
 */
import { dirname, join } from 'node:path';
import { runJobs, type Job } from '../batch.js';
import { warning, type Diagnostic } from '../diagnostics.js';
import { defaultBuildContext, type BuildContext } from '../index.js';
import type { Meta } from '../model.js';
import type { MetaOverrides, Options } from '../options.js';
import { templatePath } from '../package/naming.js';
import { assembleAnthology, type AnthologySettings, type AnthologyStory } from './anthology.js';
import { ensureFolder, OutputError, placeBook, type OutputPlan, type Placed } from './target.js';

/** One story to build: its file, or its bytes with the name it goes by (`stdin`). */
export interface StorySource {
  path: string;
  overrides: MetaOverrides;
  bytes?: Uint8Array;
}

/** What to build and where. */
export interface BuildRequest {
  stories: StorySource[];
  options: Options;
  /** Bind every story into this anthology; otherwise one book per story. */
  anthology?: AnthologySettings;
  output: OutputPlan;
  /** File name template inside a folder; default "{author} - {title}" (an anthology: "{title}"). */
  name?: string;
  /** Replace files already at a book's path. */
  force?: boolean;
  /** The book files' extension inside a folder (default .epub; a Kobo or Kindle writer has its own). */
  extension?: string;
  /** Temporary files being written (the caller removes what is left on an interrupt). */
  temps: Set<string>;
  signal?: AbortSignal;
  /** Where a book for standard output goes. */
  writeStdout?: (bytes: Uint8Array) => Promise<void>;
  ctx?: BuildContext;
}

/** A book written. */
export interface WrittenBook {
  /** Its path, or `-` for standard output. */
  output: string;
  inputs: string[];
  title: string;
  diagnostics: Diagnostic[];
}

/** An input (or an anthology) that gave no book. */
export interface BuildFailure {
  input: string;
  error: string;
  stack?: string;
}

/** What a caller hears while the job runs. */
export interface BuildEvents {
  /** A story was read (or failed). */
  onProgress?: (input: string) => void;
  onBook?: (book: WrittenBook) => void;
  onFailure?: (failure: BuildFailure) => void;
}

/** What the job did. */
export interface BuildOutcome {
  books: WrittenBook[];
  failures: BuildFailure[];
  /** Stories read (or failed) before the end or the interrupt. */
  handled: number;
  interrupted: boolean;
}

/** Where a book goes inside a folder, from the name template and its metadata. */
export function bookTarget(dir: string, template: string, m: { title?: string; authors: string[]; fandoms?: string[]; series?: Meta['series'] }, ext = '.epub'): string {
  const values = { title: m.title, author: m.authors.join(', '), fandom: m.fandoms?.[0], series: m.series?.name, index: m.series?.index !== undefined ? String(m.series.index) : undefined };
  return join(dir, ...templatePath(template, values, ext));
}

/** The warning for a book numbered around a file that was kept. */
function placedNote(p: Placed): Diagnostic[] {
  return p.decision === 'number' && p.kept ? [warning('build-002', `${p.kept} already exists and was kept; this book was written to ${p.path} (--force replaces it)`)] : [];
}

/** Run the job. */
export async function buildBooks(req: BuildRequest, events: BuildEvents = {}): Promise<BuildOutcome> {
  const { options, anthology, output: plan, signal } = req;
  const books: WrittenBook[] = [];
  const failures: BuildFailure[] = [];
  let handled = 0;
  const fail = (f: BuildFailure): void => {
    failures.push(f);
    events.onFailure?.(f);
  };
  const wrote = (b: WrittenBook): void => {
    books.push(b);
    events.onBook?.(b);
  };
  // Books built on this thread have their covers drawn on libuv's pool meanwhile; batch workers draw their own.
  const ctx = req.ctx ?? defaultBuildContext();
  // An anthology's stories are numbered by their place in the input (their pages' file names).
  const jobs: Job[] = req.stories.map((input, i) => {
    const jobOptions = { ...options, overrides: { ...input.overrides, ...options.overrides } };
    const from = input.bytes ? { bytes: input.bytes } : {};
    return anthology ? { kind: 'part', path: input.path, options: jobOptions, n: i + 1, ...from } : { kind: 'book', path: input.path, options: jobOptions, ...from };
  });
  const taken = new Set<string>();
  const control = { temps: req.temps, ...(signal ? { signal } : {}) };
  /** Put a book where the plan says; what happens to an existing file is decideTarget's call. */
  const place = async (target: string | undefined, bytes: Uint8Array, identifier: string): Promise<Placed> => {
    if (target === undefined) {
      if (!req.writeStdout) throw new OutputError('standard output cannot take a book here');
      await req.writeStdout(bytes);
      return { path: '-', decision: 'write' };
    }
    await ensureFolder(dirname(target));
    return placeBook(target, bytes, { identifier }, { force: req.force === true, taken }, control);
  };
  const targetFor = (m: { title?: string; authors: string[]; fandoms?: string[]; series?: Meta['series'] }, template: string): string | undefined =>
    plan.kind === 'file' ? plan.path : plan.kind === 'folder' ? bookTarget(plan.dir, req.name ?? template, m, req.extension) : undefined;
  const errorOf = (e: unknown): BuildFailure['error'] => (e instanceof Error ? e.message.split('\n')[0]! : String(e));
  const stackOf = (e: unknown): { stack?: string } => (e instanceof Error && !(e instanceof OutputError) && e.name !== 'InputError' && e.stack ? { stack: e.stack } : {});

  if (anthology) {
    const read: AnthologyStory[] = [];
    await runJobs(
      jobs,
      (i, r) => {
        handled++;
        events.onProgress?.(jobs[i]!.path);
        if (!r.ok) fail({ input: jobs[i]!.path, error: r.error, ...(r.stack ? { stack: r.stack } : {}) });
        // Each story's diagnostics name it, so the anthology's list says where each came from.
        else if (r.kind === 'part') read.push({ input: jobs[i]!.path, meta: r.meta, part: r.part, diagnostics: r.diagnostics.map((d) => (d.input ? d : { ...d, input: jobs[i]!.path })) });
      },
      ctx,
      undefined,
      signal,
    );
    const target = targetFor({ title: anthology.title, authors: anthology.editors }, '{title}');
    if (read.length && !signal?.aborted) {
      try {
        const { built, stories } = await assembleAnthology(anthology, read, options, ctx);
        const placed = await place(target, built.bytes, built.plan.meta.identifier);
        wrote({ output: placed.path, inputs: stories.map((r) => r.input), title: anthology.title, diagnostics: [...stories.flatMap((r) => r.diagnostics), ...built.diagnostics, ...placedNote(placed)] });
      } catch (e) {
        if (!signal?.aborted) fail({ input: target ?? '-', error: errorOf(e), ...stackOf(e) });
      }
    }
  } else {
    await runJobs(
      jobs,
      async (i, r) => {
        const input = jobs[i]!.path;
        handled++;
        events.onProgress?.(input);
        if (!r.ok) return fail({ input, error: r.error, ...(r.stack ? { stack: r.stack } : {}) });
        if (r.kind !== 'book') return;
        try {
          const placed = await place(targetFor(r.meta, '{author} - {title}'), r.bytes, r.identifier);
          wrote({ output: placed.path, inputs: [input], title: r.meta.title ?? '', diagnostics: [...r.diagnostics, ...placedNote(placed)] });
        } catch (e) {
          if (!signal?.aborted) fail({ input, error: errorOf(e), ...stackOf(e) });
        }
      },
      ctx,
      undefined,
      signal,
    );
  }
  return { books, failures, handled, interrupted: signal?.aborted === true };
}
