/**
 * `fic2epub build`: arguments to the library's jobs (batch, anthology, placing books), and what
 * is printed. Usage problems (a bad name template, style or cover, one file for several books)
 * are found before any book is built.
 */
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Job } from '../batch.js';
import { warning, type Diagnostic } from '../diagnostics.js';
import type { BuildContext } from '../index.js';
import type { AnthologyStory } from '../jobs/anthology.js';
import { OutputError, type OutputPlan, type Placed } from '../jobs/target.js';
import type { Meta, Story } from '../model.js';
import type { ExistingBook } from '../update/existing.js';
import type { UpdateOptions } from '../update/update.js';
import { templatePath, templateProblem } from '../package/naming.js';
import type { AnthologyOrder } from '../project.js';
import { expandInputs, optionsFrom, skippedNote, type OptionFlags } from './inputs.js';
import type { Deps } from './main.js';
import { checkBooks, errorMessage, EXIT, finalReport, progress, sayer, warningsOf, type BookReport, type Failure } from './report.js';

/** The build command's flags. */
export interface BuildArgs extends OptionFlags {
  inputs: string[];
  out?: string;
  anthology?: string;
  editor?: string[];
  description?: string;
  order?: AnthologyOrder;
  /** The file name template; default "{author} - {title}" (an anthology: "{title}"). */
  name?: string;
  force?: boolean;
  json: boolean;
  quiet: boolean;
  debug: boolean;
  check: boolean;
  /** Join inputs that are pieces of one story into one book (`--no-join`: one book per input). */
  join?: boolean;
  /** Drop chapters of an updated book that the inputs no longer hold. */
  prune?: boolean;
  markNew?: boolean;
  updateLog?: boolean;
  /** Say what would be written and updated; write nothing. */
  dryRun?: boolean;
}

/** Where a book goes inside a folder, from the name template and its metadata. */
function bookTarget(dir: string, template: string, m: { title?: string; authors: string[]; fandoms?: string[]; series?: Meta['series'] }): string {
  const values = { title: m.title, author: m.authors.join(', '), fandom: m.fandoms?.[0], series: m.series?.name, index: m.series?.index !== undefined ? String(m.series.index) : undefined };
  return join(dir, ...templatePath(template, values));
}

/** The built-in style names, as a list for a message. */
async function builtInStyles(): Promise<string> {
  const { findAssetDir } = await import('../assets.js');
  const { readdirSync } = await import('node:fs');
  return readdirSync(join(findAssetDir('styles'), 'themes'))
    .filter((f) => f.endsWith('.css'))
    .map((f) => f.slice(0, -4))
    .sort()
    .join(', ');
}

/** The cover flag's file: refused (a usage problem) when missing or neither PNG nor JPEG. */
async function coverProblem(cover: string): Promise<string | undefined> {
  if (cover === 'auto' || cover === 'none') return undefined;
  const s = await stat(cover).catch(() => undefined);
  if (!s) return `the cover file ${cover} does not exist (give a PNG or JPEG file, auto or none)`;
  if (!s.isFile()) return `the cover ${cover} is not a file (give a PNG or JPEG file, auto or none)`;
  const { readFile } = await import('node:fs/promises');
  const { coverImageKind } = await import('../index.js');
  const head = await readFile(cover).catch(() => undefined);
  if (!head) return `the cover file ${cover} cannot be read`;
  if (!coverImageKind(head)) return `the cover ${cover} is not a PNG or JPEG image`;
  return undefined;
}

/** Run `build`; returns the exit code. */
export async function runBuild(a: BuildArgs, deps: Deps): Promise<number> {
  const failures: Failure[] = [];
  const books: BookReport[] = [];
  const tty = deps.stderrIsTTY === true;
  const signal = deps.signal;
  const say = await sayer(deps.stderr, { quiet: a.quiet, tty });
  const usage = (s: string): number => {
    deps.stderr(`error: ${s}\nRun "fic2epub build --help" for usage.`);
    return EXIT.usage;
  };
  const badTemplate = a.name !== undefined ? templateProblem(a.name) : undefined;
  if (badTemplate) return usage(badTemplate);
  if (a.out === '-' && a.json) return usage('--json and -o - would both write to standard output; give --out a file or folder, or leave out --json');

  const { stories: inputs, project, skipped } = await expandInputs(a.inputs, failures, deps);
  for (const f of failures) say('error', `${f.input}: ${f.error}`);
  const { anthologySettings } = await import('../jobs/anthology.js');
  // Flags beat the project file.
  const anthology = anthologySettings({ title: a.anthology, editors: a.editor, description: a.description, order: a.order }, project);
  const options = optionsFrom({ ...a, cover: a.cover ?? project?.cover, style: a.style ?? project?.style }, deps.env);
  if (options.style !== 'default') {
    try {
      (await import('../assets.js')).loadCss(options.style);
    } catch (e) {
      return usage(`${errorMessage(e, false)}; the built-in styles are ${await builtInStyles()} (or give a .css file)`);
    }
  }
  const badCover = await coverProblem(options.cover);
  if (badCover) return usage(badCover);

  let plan: OutputPlan;
  const { planOutput, ensureFolder, placeBook, previewPlace, existingBookAt, decideTarget } = await import('../jobs/target.js');
  // A problem with where books go fails every input with one line, said once.
  const outputFailed = (e: unknown): void => {
    const why = errorMessage(e, false);
    say('error', why);
    for (const i of inputs) failures.push({ input: i.path, error: why });
    inputs.length = 0;
  };
  try {
    plan = await planOutput(a.out, anthology ? 1 : inputs.length);
  } catch (e) {
    if (e instanceof OutputError && e.usage) return usage(e.message);
    outputFailed(e);
    plan = { kind: 'folder', dir: '.' };
  }
  if (plan.kind === 'folder' && inputs.length) await ensureFolder(plan.dir).catch(outputFailed);

  const [{ runJobs }, lib] = await Promise.all([import('../batch.js'), import('../index.js')]);
  // Books built on this thread have their covers drawn on libuv's pool meanwhile; batch workers draw their own.
  const ctx: BuildContext = lib.defaultBuildContext();
  const update: UpdateOptions = { prune: a.prune === true, markNew: a.markNew === true, updateLog: a.updateLog === true };
  const taken = new Set<string>();
  /** The book at `target` when the decision there is to update it (the same story's or anthology's book). */
  const toUpdate = async (target: string | undefined, identifier: string): Promise<ExistingBook | undefined> => {
    if (target === undefined || plan.kind === 'stdout' || taken.has(target.toLowerCase())) return undefined;
    const found = await existingBookAt(target);
    return found?.book && decideTarget(found.target, { identifier }, { force: a.force === true }) === 'update' ? found.book : undefined;
  };
  const anthologyTarget = anthology ? (plan.kind === 'file' ? plan.path : plan.kind === 'folder' ? bookTarget(plan.dir, a.name ?? '{title}', { title: anthology.title, authors: anthology.editors }) : undefined) : undefined;
  // An anthology's own book already there: its stories are read whole, to be matched against it.
  const anthologyBook = anthology ? await toUpdate(anthologyTarget, lib.anthologyIdentifier(anthology)).catch(() => undefined) : undefined;
  // An anthology's stories are numbered by their place in the input (their pages' file names).
  const jobs: Job[] = inputs.map((input, i) => {
    const jobOptions = { ...options, overrides: { ...input.overrides, ...options.overrides } };
    const from = input.bytes ? { bytes: input.bytes } : {};
    if (anthology && anthologyBook) return { kind: 'story', path: input.path, options: jobOptions, ...from };
    return anthology ? { kind: 'part', path: input.path, options: jobOptions, n: i + 1, ...from } : { kind: 'book', path: input.path, options: jobOptions, ...from };
  });
  const bar = await progress(jobs.length, { quiet: a.quiet || a.json, tty });
  let handled = 0;
  const fail = (input: string, r: { error: string; stack?: string }): void => {
    const msg = a.debug && r.stack ? r.stack : r.error;
    failures.push({ input, error: msg });
    say('error', `${input}: ${msg}`);
  };
  const control = { temps: deps.temps, ...(signal ? { signal } : {}) };
  /** Put a book where the plan says; the decision on an existing file is the library's (decideTarget). */
  const place = async (target: string | undefined, bytes: Uint8Array, identifier: string): Promise<Placed> => {
    if (a.dryRun) return target === undefined || plan.kind === 'stdout' ? { path: '-', decision: 'write' } : previewPlace(target, { identifier }, { force: a.force === true, taken });
    if (plan.kind === 'stdout' || target === undefined) {
      if (!deps.stdoutBytes) throw new OutputError('standard output cannot take a book here');
      await deps.stdoutBytes(bytes);
      return { path: '-', decision: 'write' };
    }
    await ensureFolder(dirname(target));
    return placeBook(target, bytes, { identifier }, { force: a.force === true, taken }, control);
  };
  const placedNote = (p: Placed): Diagnostic[] =>
    p.decision === 'number' && p.kept ? [warning('build-002', `${p.kept} already exists and was kept; this book was written to ${p.path} (--force replaces it)`)] : [];

  if (anthology) {
    const read: AnthologyStory[] = [];
    const readStories: { input: string; meta: Meta; story: Story; diagnostics: Diagnostic[] }[] = [];
    await runJobs(
      jobs,
      (i, r) => {
        handled++;
        bar.tick(jobs[i]!.path);
        if (!r.ok) fail(jobs[i]!.path, r);
        else if (r.kind === 'part') read.push({ input: jobs[i]!.path, meta: r.meta, part: r.part, diagnostics: r.diagnostics });
        else if (r.kind === 'story') readStories.push({ input: jobs[i]!.path, meta: r.meta, story: r.story, diagnostics: r.diagnostics });
      },
      ctx,
      undefined,
      signal,
    );
    bar.stop();
    const target = anthologyTarget;
    const label = target ?? '-';
    if (anthologyBook && readStories.length && !signal?.aborted) {
      try {
        const stories = lib.orderStories(readStories, anthology.order);
        const info = { title: anthology.title, editors: anthology.editors, ...(anthology.description ? { description: anthology.description } : {}) };
        const built = (await lib.updateAnthology({ ...info, stories: stories.map((r) => r.story) }, anthologyBook, update, options, ctx))!;
        const placed = await place(target, built.bytes, built.plan.meta.identifier);
        const diags = [...stories.flatMap((r) => r.diagnostics), ...built.diagnostics, ...placedNote(placed)];
        books.push({ output: placed.path, inputs: stories.map((r) => r.input), title: anthology.title, warnings: warningsOf(diags), update: built.update, ...(a.dryRun ? { dryRun: true as const } : {}) });
        for (const r of stories) for (const w of warningsOf(r.diagnostics)) say('warning', `${r.input}: ${w.message} [${w.code}]`);
        for (const w of warningsOf([...built.diagnostics, ...placedNote(placed)])) say('warning', `${placed.path}: ${w.message} [${w.code}]`);
      } catch (e) {
        if (!signal?.aborted) fail(label, { error: errorMessage(e, a.debug) });
      }
    } else if (read.length && !signal?.aborted) {
      try {
        const { assembleAnthology } = await import('../jobs/anthology.js');
        const { built, stories } = await assembleAnthology(anthology, read, options, ctx);
        const placed = await place(target, built.bytes, built.plan.meta.identifier);
        const diags = [...stories.flatMap((r) => r.diagnostics), ...built.diagnostics, ...placedNote(placed)];
        books.push({ output: placed.path, inputs: stories.map((r) => r.input), title: anthology.title, warnings: warningsOf(diags), ...(a.dryRun ? { dryRun: true as const } : {}) });
        for (const r of stories) for (const w of warningsOf(r.diagnostics)) say('warning', `${r.input}: ${w.message} [${w.code}]`);
        for (const w of warningsOf([...built.diagnostics, ...placedNote(placed)])) say('warning', `${placed.path}: ${w.message} [${w.code}]`);
      } catch (e) {
        if (!signal?.aborted) fail(label, { error: errorMessage(e, a.debug) });
      }
    }
  } else {
    const built = new Map<string, { bytes: Uint8Array; identifier: string; options: Job['options'] }>();
    /** Place one book: its job's bytes, or (joined, or the update of its book already there) built here. */
    const deliver = async (b: { inputs: string[]; story: Story; diagnostics: Diagnostic[] }): Promise<void> => {
      if (signal?.aborted) return;
      const first = b.inputs[0]!;
      const label = b.inputs.length === 1 ? first : b.inputs.join(', ');
      const target = plan.kind === 'file' ? plan.path : plan.kind === 'folder' ? bookTarget(plan.dir, a.name ?? '{author} - {title}', b.story.meta) : undefined;
      try {
        const job = built.get(first)!;
        const identifier = b.inputs.length === 1 ? job.identifier : lib.storyIdentifier(b.story);
        let bytes: Uint8Array | undefined = b.inputs.length === 1 ? job.bytes : undefined;
        let diags = b.diagnostics;
        let report: BookReport['update'];
        // The same story's book already at the target: updated in place, not numbered.
        const existing = await toUpdate(target, identifier);
        if (existing) {
          const u = await lib.updateEpub(b.story, existing, update, job.options, ctx);
          if (u) {
            bytes = u.bytes;
            report = u.update;
            diags = [...diags, ...u.diagnostics];
          }
        }
        if (!bytes) {
          const j = await lib.buildEpub(b.story, job.options, ctx);
          bytes = j.bytes;
          diags = [...diags, ...j.diagnostics];
        }
        const placed = await place(target, bytes, identifier);
        diags = [...diags, ...placedNote(placed)];
        books.push({ output: placed.path, inputs: b.inputs, title: b.story.meta.title ?? '', warnings: warningsOf(diags), ...(report ? { update: report } : {}), ...(a.dryRun ? { dryRun: true as const } : {}) });
        for (const d of diags) if (d.severity !== 'info') say('warning', `${b.inputs.length === 1 ? first : (d.input ?? placed.path)}: ${d.message} [${d.code}]`);
      } catch (e) {
        if (!signal?.aborted) fail(label, { error: errorMessage(e, a.debug) });
      }
    };
    // Pieces of one story (chapter pages, "Part n/m" posts) wait for each other, to be joined
    // (unless --no-join); every other book is placed as soon as it is built.
    const pieces: { input: string; story: Story; diagnostics: Diagnostic[] }[] = [];
    await runJobs(
      jobs,
      async (i, r) => {
        const input = jobs[i]!.path;
        handled++;
        bar.tick(input);
        if (!r.ok) return fail(input, r);
        if (r.kind !== 'book') return;
        built.set(input, { bytes: r.bytes, identifier: r.identifier, options: jobs[i]!.options });
        if (a.join !== false && r.story.meta.installment) pieces.push({ input, story: r.story, diagnostics: r.diagnostics });
        else await deliver({ inputs: [input], story: r.story, diagnostics: r.diagnostics });
      },
      ctx,
      undefined,
      signal,
    );
    bar.stop();
    for (const b of lib.joinStories(pieces)) await deliver(b);
    // The report lists books in input order (a joined book where its first piece was given).
    const at = new Map(jobs.map((j, i) => [j.path, i]));
    const firstGiven = (b: BookReport): number => Math.min(...b.inputs.map((i) => at.get(i) ?? Infinity));
    books.sort((x, y) => firstGiven(x) - firstGiven(y));
  }

  const interrupted = signal?.aborted === true;
  const checked = books.filter((b) => b.output !== '-');
  const checkNote = a.check && !interrupted ? await checkBooks(checked, deps.env.FIC2EPUB_EPUBCHECK_JAR, say) : '';
  const notes = [skippedNote(skipped), interrupted ? `interrupted: ${jobs.length - handled} of ${jobs.length} not built` : ''].filter(Boolean);
  finalReport(books, failures, `${checkNote}${notes.map((n) => `; ${n}`).join('')}`, a, deps, interrupted);
  if (interrupted) return EXIT.interrupted;
  return failures.length ? EXIT.someFailed : EXIT.ok;
}
