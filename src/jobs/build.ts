/**
 * Building as a whole job, for any front end: stories (files, or bytes with a name) into one
 * book each or one anthology, placed where the output plan says, in a batch that an AbortSignal
 * cancels. Pieces of one story are joined, and a story's (or anthology's) book already at its
 * path is updated in place (src/update/). What happens is told through events; nothing here prints.
 */
import { dirname, join } from 'node:path';
import { runJobs, runsInThisThread, type Job, type Volume } from '../batch.js';
import { warning, type Diagnostic } from '../diagnostics.js';
import { buildEpub, defaultBuildContext, joinStories, orderStories, readStory, readStoryBytes, updateAnthology, updateEpub, type BuildContext } from '../index.js';
import { wordsFor } from '../render/locales.js';
import { splitStory } from '../render/volumes.js';
import { pieceKey, wholeStory, type JoinInput } from '../update/join.js';
import type { Meta, Story } from '../model.js';
import type { ExistingBook } from '../update/existing.js';
import { anthologyIdentifier, storyIdentifier } from '../update/identity.js';
import type { UpdateOptions, UpdateReport } from '../update/update.js';
import type { MetaOverrides, Options } from '../options.js';
import { templatePath } from '../package/naming.js';
import { assembleAnthology, type AnthologySettings, type AnthologyStory } from './anthology.js';
import { readdir } from '../fs-async.js';
import { decideTarget, ensureFolder, existingBookAt, OutputError, placeBook, previewPlace, type OutputPlan, type Placed } from './target.js';

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
  /** Join pieces of one story (chapter pages, "Part n/m" posts) into one book (default: yes). */
  join?: boolean;
  /** How a book already at its path is updated (default: chapters the inputs lack are kept, nothing marked). */
  update?: UpdateOptions;
  /** Decide and report everything; write nothing. */
  dryRun?: boolean;
  /** Bytes of memory lone pieces of stories may hold their story and book in until the batch
   * ends (default 64 MiB); past it a lone piece is read and built again at the end. */
  holdLonePieces?: number;
}

/** A book written. */
export interface WrittenBook {
  /** Its path, or `-` for standard output. */
  output: string;
  inputs: string[];
  title: string;
  diagnostics: Diagnostic[];
  /** When the book already there was updated: its chapters added, changed, kept and removed. */
  update?: UpdateReport;
  /** Nothing was written (`dryRun`). */
  dryRun?: true;
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
  // Covers drawn here start loading their renderer now, while the first story is read (an EPUB may bring its own cover).
  if (options.cover === 'auto' && (anthology || runsInThisThread(req.stories.length)) && req.stories.some((s) => !/\.epub$/i.test(s.path))) ctx.prepare?.();
  const update: UpdateOptions = req.update ?? { prune: false, markNew: false, updateLog: false };
  const dry = req.dryRun ? { dryRun: true as const } : {};
  const taken = new Set<string>();
  const targetFor = (m: { title?: string; authors: string[]; fandoms?: string[]; series?: Meta['series']; volume?: number; language?: string }, template: string): string | undefined => {
    // A volume goes beside the name asked for ("one, Vol. 2.epub"), unless the name has the title (which names the volume).
    const vol = m.volume !== undefined && (plan.kind === 'file' || !(req.name ?? template).includes('{title}')) ? `, ${wordsFor(m.language).volume(m.volume)}` : '';
    const path = plan.kind === 'file' ? plan.path : plan.kind === 'folder' ? bookTarget(plan.dir, req.name ?? template, m, req.extension) : undefined;
    return path && vol ? path.replace(/(\.kepub\.epub|\.[^./\\]*)?$/i, (ext) => `${vol}${ext}`) : path;
  };
  /** The book at `target` when decideTarget says it is to be updated (the same story's or anthology's book). */
  const toUpdate = async (target: string | undefined, identifier: string): Promise<ExistingBook | undefined> => {
    if (target === undefined || taken.has(target.toLowerCase())) return undefined;
    const found = await existingBookAt(target).catch(() => undefined);
    return found?.book && decideTarget(found.target, { identifier }, { force: req.force === true }) === 'update' ? found.book : undefined;
  };
  const anthologyTarget = anthology ? targetFor({ title: anthology.title, authors: anthology.editors }, '{title}') : undefined;
  // An anthology's own book already there: its new stories are read whole, to be matched against it.
  const anthologyBook = anthology ? await toUpdate(anthologyTarget, anthologyIdentifier(anthology)) : undefined;
  // Books go into a folder with no book in it yet: none can be updated (only a file that appears
  // meanwhile), so a book's story need not come back with it.
  const lean = !anthology && plan.kind === 'folder' && !(await mayHoldBooks(plan.dir, req.name ?? '{author} - {title}', req.extension ?? '.epub'));
  // An anthology's stories are numbered by their place in the input (their pages' file names).
  const jobs: Job[] = req.stories.map((input, i) => {
    const jobOptions = { ...options, overrides: { ...input.overrides, ...options.overrides } };
    const from = input.bytes ? { bytes: input.bytes } : {};
    if (anthologyBook) return { kind: 'story', path: input.path, options: jobOptions, ...from };
    return anthology ? { kind: 'part', path: input.path, options: jobOptions, n: i + 1, ...from } : { kind: 'book', path: input.path, options: jobOptions, ...from, ...(lean ? { lean } : {}) };
  });
  const control = { temps: req.temps, ...(signal ? { signal } : {}) };
  /** Put a book where the plan says; what happens to an existing file is decideTarget's call. */
  const place = async (target: string | undefined, bytes: Uint8Array, identifier: string): Promise<Placed> => {
    if (req.dryRun) return target === undefined ? { path: '-', decision: 'write' } : previewPlace(target, { identifier }, { force: req.force === true, taken });
    if (target === undefined) {
      if (!req.writeStdout) throw new OutputError('standard output cannot take a book here');
      await req.writeStdout(bytes);
      return { path: '-', decision: 'write' };
    }
    await ensureFolder(dirname(target));
    return placeBook(target, bytes, { identifier }, { force: req.force === true, taken }, control);
  };
  const errorOf = (e: unknown): BuildFailure['error'] => (e instanceof Error ? e.message.split('\n')[0]! : String(e));
  const stackOf = (e: unknown): { stack?: string } => (e instanceof Error && !(e instanceof OutputError) && e.name !== 'InputError' && e.stack ? { stack: e.stack } : {});

  if (anthology) {
    const read: AnthologyStory[] = [];
    const whole: { input: string; meta: Meta; story: Story; diagnostics: Diagnostic[] }[] = [];
    await runJobs(
      jobs,
      (i, r) => {
        handled++;
        events.onProgress?.(jobs[i]!.path);
        if (!r.ok) fail({ input: jobs[i]!.path, error: r.error, ...(r.stack ? { stack: r.stack } : {}) });
        // Each story's diagnostics name it, so the anthology's list says where each came from.
        else if (r.kind === 'part') read.push({ input: jobs[i]!.path, meta: r.meta, part: r.part, diagnostics: r.diagnostics.map((d) => (d.input ? d : { ...d, input: jobs[i]!.path })) });
        else if (r.kind === 'story') whole.push({ input: jobs[i]!.path, meta: r.meta, story: r.story, diagnostics: r.diagnostics.map((d) => (d.input ? d : { ...d, input: jobs[i]!.path })) });
      },
      ctx,
      undefined,
      signal,
    );
    const target = anthologyTarget;
    if (anthologyBook && whole.length && !signal?.aborted) {
      try {
        const stories = orderStories(whole, anthology.order);
        const info = { title: anthology.title, editors: anthology.editors, ...(anthology.description ? { description: anthology.description } : {}) };
        const built = await updateAnthology({ ...info, stories: stories.map((r) => r.story) }, anthologyBook, update, options, ctx);
        if (!built) throw new Error(`${target} changed while it was read`);
        const placed = await place(target, built.bytes, built.plan.meta.identifier);
        wrote({ output: placed.path, inputs: stories.map((r) => r.input), title: anthology.title, diagnostics: [...stories.flatMap((r) => r.diagnostics), ...built.diagnostics, ...placedNote(placed)], update: built.update, ...dry });
      } catch (e) {
        if (!signal?.aborted) fail({ input: target ?? '-', error: errorOf(e), ...stackOf(e) });
      }
    } else if (read.length && !signal?.aborted) {
      try {
        const { built, stories } = await assembleAnthology(anthology, read, options, ctx);
        const placed = await place(target, built.bytes, built.plan.meta.identifier);
        wrote({ output: placed.path, inputs: stories.map((r) => r.input), title: anthology.title, diagnostics: [...stories.flatMap((r) => r.diagnostics), ...built.diagnostics, ...placedNote(placed)], ...dry });
      } catch (e) {
        if (!signal?.aborted) fail({ input: target ?? '-', error: errorOf(e), ...stackOf(e) });
      }
    }
  } else {
    // A job's book (none for a piece waiting to be joined: it is made again) and its options, until the book is placed.
    const built = new Map<string, { bytes?: Uint8Array; identifier?: string; options: Options; volumes?: Volume[] }>();
    /** Place one book: `prebuilt` (its job's bytes), or (joined, or the update of its book already there) built here. */
    // (`read` is the story, or how to read it again when its job sent back only its metadata.)
    const deliverBook = async (inputs: string[], meta: Meta, read: Story | (() => Promise<Story>), readDiagnostics: Diagnostic[], options: Options, prebuilt?: { bytes: Uint8Array; identifier: string }): Promise<void> => {
      if (signal?.aborted) return;
      try {
        const story = async (): Promise<Story> => (typeof read === 'function' ? read() : read);
        const identifier = prebuilt?.identifier ?? storyIdentifier(await story());
        const target = targetFor(meta, '{author} - {title}');
        let bytes: Uint8Array | undefined = prebuilt?.bytes;
        let diagnostics = readDiagnostics;
        let report: UpdateReport | undefined;
        // The same story's book already at the target: updated in place, not numbered.
        const existing = await toUpdate(target, identifier);
        const updated = existing ? await updateEpub(await story(), existing, update, options, ctx) : undefined;
        if (updated) {
          bytes = updated.bytes;
          report = updated.update;
          diagnostics = [...diagnostics, ...updated.diagnostics];
        }
        if (!bytes) {
          const fresh = await buildEpub(await story(), options, ctx);
          bytes = fresh.bytes;
          diagnostics = [...diagnostics, ...fresh.diagnostics];
        }
        const placed = await place(target, bytes, identifier);
        // An update builds the book again: what its first build said (a cover it could not draw) is said once.
        wrote({ output: placed.path, inputs, title: meta.title ?? '', diagnostics: distinct([...diagnostics, ...placedNote(placed)]), ...(report ? { update: report } : {}), ...dry });
      } catch (e) {
        if (!signal?.aborted) fail({ input: inputs.join(', '), error: errorOf(e), ...stackOf(e) });
      }
    };
    /** Place a story's book, or each of its volumes when `options.split` cuts it (the story's own warnings go with the first). */
    const deliver = async (b: { inputs: string[]; diagnostics: Diagnostic[] } & ({ story: Story } | { meta: Meta; job: number })): Promise<void> => {
      const job = built.get(b.inputs[0]!)!;
      // Nothing of a book is kept once it is placed: the batch's memory does not grow with its size.
      for (const input of b.inputs) built.delete(input);
      const single = b.inputs.length === 1;
      const volumes: Volume[] | undefined = single ? job.volumes : undefined;
      if (volumes) {
        for (const [n, v] of volumes.entries()) await deliverBook(b.inputs, v.story.meta, v.story, [...(n === 0 ? b.diagnostics : []), ...v.diagnostics], job.options, v);
        return;
      }
      const prebuilt = single && job.bytes ? { bytes: job.bytes, identifier: job.identifier! } : undefined;
      // A story that came back without its book (a lean job's) is read again only if it must be.
      if (!('story' in b)) return deliverBook(b.inputs, b.meta, async () => (await readAgain(b.job, b.diagnostics)).story, b.diagnostics, job.options, prebuilt);
      // A joined story (or a piece whose book is made here) is cut here, once whole.
      const cut = !prebuilt && job.options.split ? splitStory(b.story, job.options.split) : [b.story];
      if (cut.length > 1) {
        for (const [n, v] of cut.entries()) await deliverBook(b.inputs, v.meta, v, n === 0 ? b.diagnostics : [], job.options);
        return;
      }
      await deliverBook(b.inputs, b.story.meta, b.story, b.diagnostics, job.options, prebuilt);
    };
    // Pieces of one story (chapter pages, "Part n/m" posts) wait for each other, to be joined,
    // until their story is whole or the batch ends; every other book is placed as soon as it is
    // built. A piece alone keeps only its key and warnings, so a batch of many stories' odd parts
    // stays flat: it is read again when another piece of its story comes, or its book made again
    // at the end; with company, its story is kept.
    // Up to a budget, a lone piece keeps its story and book after all, so the common small batch
    // reads and builds nothing twice; past it, pieces keep only their key.
    const LONE_BUDGET = req.holdLonePieces ?? 64 * 1024 * 1024;
    let loneHeld = 0;
    const waiting: { job: number; key: string; diagnostics: Diagnostic[]; piece?: JoinInput; held?: number }[] = [];
    const leave = (w: (typeof waiting)[number]): void => {
      waiting.splice(waiting.indexOf(w), 1);
      loneHeld -= w.held ?? 0;
    };
    const readAgain = async (job: number, diagnostics: Diagnostic[]): Promise<JoinInput> => {
      const j = jobs[job]!;
      const r = await (j.bytes ? readStoryBytes(j.path, j.bytes, j.options) : readStory(j.path, j.options));
      return { input: j.path, story: r.story, diagnostics };
    };
    await runJobs(
      jobs,
      async (i, r) => {
        const input = jobs[i]!.path;
        handled++;
        events.onProgress?.(input);
        if (!r.ok) return fail({ input, error: r.error, ...(r.stack ? { stack: r.stack } : {}) });
        if (r.kind !== 'book') return;
        built.set(input, { bytes: r.bytes, identifier: r.identifier, options: jobs[i]!.options, ...(r.volumes ? { volumes: r.volumes } : {}) });
        if (!r.story) return deliver({ inputs: [input], meta: r.meta, job: i, diagnostics: r.diagnostics });
        if (req.join === false || !r.story.meta.installment) return deliver({ inputs: [input], story: r.story, diagnostics: r.diagnostics });
        const piece = { input, story: r.story, diagnostics: r.diagnostics };
        const key = pieceKey(r.story);
        const others = waiting.filter((w) => w.key === key);
        for (const w of [...others]) {
          try {
            w.piece ??= await readAgain(w.job, w.diagnostics);
          } catch (e) {
            // Read once, but not again (changed or gone meanwhile): that piece fails, this one goes on.
            leave(w);
            others.splice(others.indexOf(w), 1);
            fail({ input: jobs[w.job]!.path, error: errorOf(e), ...stackOf(e) });
          }
        }
        const whole = wholeStory([...others.map((w) => w.piece!), piece], piece);
        if (whole) {
          for (const w of others) if (whole.includes(w.piece!)) leave(w);
          for (const b of joinStories(whole)) await deliver(b);
          return;
        }
        // The story in memory is taken as a few times its compressed book.
        const cost = 4 * (r.bytes.length + (r.volumes ?? []).reduce((n, v) => n + v.bytes.length, 0));
        if (!others.length && loneHeld + cost <= LONE_BUDGET) {
          loneHeld += cost;
          waiting.push({ job: i, key, diagnostics: r.diagnostics, piece, held: cost });
          return;
        }
        built.set(input, { options: jobs[i]!.options });
        waiting.push({ job: i, key, diagnostics: r.diagnostics, ...(others.length ? { piece } : {}) });
      },
      ctx,
      undefined,
      signal,
    );
    // The batch's end: pieces with company are joined, a lone piece held within the budget is
    // placed as built, another lone piece's book is made again (on the workers); books are placed
    // in the order of their first input, as they came.
    const jobOf = new Map(jobs.map((j, k) => [j.path, k]));
    const joined = joinStories(waiting.flatMap((w) => (w.piece ? [w.piece] : [])));
    let next = 0;
    const deliverJoinedUpTo = async (job: number): Promise<void> => {
      while (next < joined.length && Math.min(...joined[next]!.inputs.map((i) => jobOf.get(i)!)) < job) await deliver(joined[next++]!);
    };
    const lone = waiting.filter((w) => !w.piece);
    await runJobs(
      lone.map((w) => jobs[w.job]!),
      async (k, r) => {
        const input = jobs[lone[k]!.job]!.path;
        await deliverJoinedUpTo(lone[k]!.job);
        if (!r.ok) return fail({ input, error: r.error, ...(r.stack ? { stack: r.stack } : {}) });
        if (r.kind !== 'book') return;
        built.set(input, { bytes: r.bytes, identifier: r.identifier, options: jobs[lone[k]!.job]!.options, ...(r.volumes ? { volumes: r.volumes } : {}) });
        await deliver(r.story ? { inputs: [input], story: r.story, diagnostics: r.diagnostics } : { inputs: [input], meta: r.meta, job: lone[k]!.job, diagnostics: r.diagnostics });
      },
      ctx,
      undefined,
      signal,
    );
    await deliverJoinedUpTo(Infinity);
  }
  return { books, failures, handled, interrupted: signal?.aborted === true };
}

/**
 * Whether a book may already be where the name `template` puts books in `dir`: a name ending in
 * `ext` there, or (a template with folders) anything at all there.
 */
async function mayHoldBooks(dir: string, template: string, ext: string): Promise<boolean> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
  if (/[/\\]/.test(template)) return names.length > 0;
  const tail = ext.toLowerCase();
  return names.some((n) => n.toLowerCase().endsWith(tail));
}

/** The diagnostics with repeats (same code, message, input and line) left out, in order. */
function distinct(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}\n${d.message}\n${d.input ?? ''}\n${d.line ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
