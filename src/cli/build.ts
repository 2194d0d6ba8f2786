/** `fic2epub build`: stories → one book each, or one anthology; cover thread, batches, the report. */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Job } from '../batch.js';
import type { Diagnostic } from '../diagnostics.js';
import type { BuildContext } from '../index.js';
import type { Meta } from '../model.js';
import { safeFileName } from '../package/naming.js';
import type { PackedPage } from '../package/page-file.js';
import type { AnthologyOrder } from '../project.js';
import type { StoryPart } from '../render/book.js';
import { expandInputs, optionsFrom, type OptionFlags } from './inputs.js';
import type { Deps } from './main.js';
import { bookPath, writeAtomic } from './output.js';
import { freeName, probeTarget } from './target.js';
import type { Story } from '../model.js';
import type { UpdateOptions } from '../update/update.js';
import { checkBooks, errorMessage, EXIT, finalReport, progress, sayer, warningsOf, type BookReport, type Failure } from './report.js';

/** The build command's flags. */
export interface BuildArgs extends OptionFlags {
  inputs: string[];
  out?: string;
  anthology?: string;
  editor?: string[];
  description?: string;
  order?: AnthologyOrder;
  name: string;
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

/** Sort anthology stories; the sort is stable, so ties keep input order. */
export function orderStories<T extends { meta: Meta }>(items: T[], order: AnthologyOrder): T[] {
  const key = (x: T): string => {
    const m = x.meta;
    if (order === 'title') return (m.title ?? '').toLocaleLowerCase();
    if (order === 'author') return (m.authors[0] ?? '').toLocaleLowerCase();
    if (order === 'date') return m.published ?? m.updated ?? '9999';
    return '';
  };
  return order === 'input' ? items : [...items].sort((a, b) => key(a).localeCompare(key(b)));
}

interface ReadPart {
  input: string;
  meta: Meta;
  part: StoryPart<PackedPage>;
  diagnostics: Diagnostic[];
}

/** Run `build`; returns the exit code. */
export async function runBuild(a: BuildArgs, deps: Deps): Promise<number> {
  const failures: Failure[] = [];
  const books: BookReport[] = [];
  const tty = deps.stderrIsTTY === true;
  const say = await sayer(deps.stderr, { quiet: a.quiet, tty });
  const { stories: inputs, project } = await expandInputs(a.inputs, failures);
  for (const f of failures) say('error', `${f.input}: ${f.error}`);
  // Flags beat the project file.
  const anthology = a.anthology ?? project?.title;
  const options = optionsFrom({ ...a, cover: a.cover ?? project?.cover, style: a.style ?? project?.style }, deps.env);
  if (options.style !== 'default') {
    try {
      (await import('../assets.js')).loadCss(options.style);
    } catch (e) {
      deps.stderr(`error: ${errorMessage(e, false)}`);
      return EXIT.usage;
    }
  }
  const [{ runJobs }, lib] = await Promise.all([import('../batch.js'), import('../index.js')]);
  const { defaultBuildContext } = lib;
  const update: UpdateOptions = { prune: a.prune === true, markNew: a.markNew === true, updateLog: a.updateLog === true };
  const write = async (out: string, bytes: Uint8Array): Promise<void> => {
    if (!a.dryRun) await writeAtomic(out, bytes, deps.temps, deps.interrupted);
  };
  // An anthology's book already there: updated in place when it is this anthology's, else a new name.
  let anthologyOut = anthology !== undefined ? (a.out ?? safeFileName(anthology)) : '';
  let anthologyBook: import('../update/existing.js').ExistingBook | undefined;
  if (anthology !== undefined) {
    const probe = await probeTarget(anthologyOut);
    const editorsNow = a.editor ?? project?.editors ?? [];
    if (probe.exists && probe.book && lib.isAnthologyBook({ title: anthology, editors: editorsNow }, probe.book)) anthologyBook = probe.book;
    else if (probe.exists) anthologyOut = await freeName(anthologyOut, new Set());
  }
  // Books built on this thread have their covers drawn on libuv's pool meanwhile; batch workers draw their own.
  const ctx: BuildContext = defaultBuildContext();
  // An anthology's stories are numbered by their place in the input (their pages' file names).
  const jobs: Job[] = inputs.map((input, i) => {
    const jobOptions = { ...options, overrides: { ...input.overrides, ...options.overrides } };
    if (anthology !== undefined) return anthologyBook ? { kind: 'story', path: input.path, options: jobOptions } : { kind: 'part', path: input.path, options: jobOptions, n: i + 1 };
    return { kind: 'book', path: input.path, options: jobOptions };
  });
  const bar = await progress(jobs.length, { quiet: a.quiet || a.json, tty });
  const fail = (input: string, r: { error: string; stack?: string }): void => {
    const msg = a.debug && r.stack ? r.stack : r.error;
    failures.push({ input, error: msg });
    say('error', `${input}: ${msg}`);
  };

  if (anthology !== undefined) {
    const read: ReadPart[] = [];
    const readStories: { input: string; meta: Meta; story: Story; diagnostics: Diagnostic[] }[] = [];
    await runJobs(
      jobs,
      (i, r) => {
        bar.tick(jobs[i]!.path);
        if (!r.ok) fail(jobs[i]!.path, r);
        else if (r.kind === 'part') read.push({ input: jobs[i]!.path, meta: r.meta, part: r.part, diagnostics: r.diagnostics });
        else if (r.kind === 'story') readStories.push({ input: jobs[i]!.path, meta: r.meta, story: r.story, diagnostics: r.diagnostics });
      },
      ctx,
    );
    bar.stop();
    const out = anthologyOut;
    const stories = orderStories(read, a.order ?? project?.order ?? 'input');
    if (anthologyBook && readStories.length) {
      try {
        const added = orderStories(readStories, a.order ?? project?.order ?? 'input');
        const editors = a.editor ?? project?.editors ?? [];
        const description = a.description ?? project?.description;
        const built = await lib.updateAnthology({ title: anthology, editors, ...(description ? { description } : {}), stories: added.map((r) => r.story) }, anthologyBook, update, options, ctx);
        if (!built) throw new Error('the existing anthology changed while it was read');
        await write(out, built.bytes);
        const diags = [...added.flatMap((r) => r.diagnostics), ...built.diagnostics];
        books.push({ output: out, inputs: added.map((r) => r.input), title: anthology, warnings: warningsOf(diags), update: built.update, ...(a.dryRun ? { dryRun: true as const } : {}) });
        for (const w of warningsOf(diags)) say('warning', `${out}: ${w.message} [${w.code}]`);
      } catch (e) {
        fail(out, { error: errorMessage(e, a.debug) });
      }
    } else if (stories.length) {
      try {
        const { buildAnthologyParts } = await import('../index.js');
        await mkdir(dirname(resolve(out)), { recursive: true });
        const editors = a.editor ?? project?.editors ?? [];
        const description = a.description ?? project?.description;
        const built = await buildAnthologyParts({ title: anthology, editors, ...(description ? { description } : {}) }, stories.map((r) => r.part), options, ctx);
        await write(out, built.bytes);
        const diags = [...stories.flatMap((r) => r.diagnostics), ...built.diagnostics];
        books.push({ output: out, inputs: stories.map((r) => r.input), title: anthology, warnings: warningsOf(diags), ...(a.dryRun ? { dryRun: true as const } : {}) });
        for (const r of stories) for (const w of warningsOf(r.diagnostics)) say('warning', `${r.input}: ${w.message} [${w.code}]`);
        for (const w of warningsOf(built.diagnostics)) say('warning', `${out}: ${w.message} [${w.code}]`);
      } catch (e) {
        fail(out, { error: errorMessage(e, a.debug) });
      }
    }
  } else {
    const dir = a.out ?? '.';
    const taken = new Set<string>();
    let dirError: string | undefined;
    if (jobs.length) {
      try {
        await mkdir(dir, { recursive: true });
      } catch (e) {
        dirError = `cannot create the output folder: ${errorMessage(e, false)}`;
        say('error', `${dir}: ${dirError}`);
      }
    }
    if (dirError) for (const j of jobs) failures.push({ input: j.path, error: dirError });
    else {
      const built = new Map<string, { bytes: Uint8Array; options: typeof options }>();
      const read: { input: string; story: Story; diagnostics: Diagnostic[] }[] = [];
      await runJobs(
        jobs,
        (i, r) => {
          const input = jobs[i]!.path;
          bar.tick(input);
          if (!r.ok) return fail(input, r);
          if (r.kind !== 'book') return;
          built.set(input, { bytes: r.bytes, options: jobs[i]!.options });
          read.push({ input, story: r.story, diagnostics: r.diagnostics });
        },
        ctx,
      );
      bar.stop();
      const books_ = a.join === false ? read.map((r) => ({ inputs: [r.input], story: r.story, diagnostics: r.diagnostics })) : lib.joinStories(read);
      for (const b of books_) {
        const first = b.inputs[0]!;
        let out = bookPath(dir, a.name, b.story.meta, taken);
        try {
          const jobOptions = built.get(first)!.options;
          const probe = await probeTarget(out);
          let bytes: Uint8Array | undefined;
          let diags = b.diagnostics;
          let report: BookReport['update'];
          if (probe.exists && probe.book && lib.isStoryBook(b.story, probe.book)) {
            const u = (await lib.updateEpub(b.story, probe.book, update, jobOptions, ctx))!;
            bytes = u.bytes;
            report = u.update;
            diags = [...diags, ...u.diagnostics];
          } else if (probe.exists) out = await freeName(out, taken);
          // A book of one input was built by its job; a joined one is built here.
          if (!bytes && b.inputs.length === 1) bytes = built.get(first)!.bytes;
          if (!bytes) {
            const j = await lib.buildEpub(b.story, jobOptions, ctx);
            bytes = j.bytes;
            diags = [...diags, ...j.diagnostics];
          }
          await write(out, bytes);
          books.push({ output: out, inputs: b.inputs, title: b.story.meta.title ?? '', warnings: warningsOf(diags), ...(report ? { update: report } : {}), ...(a.dryRun ? { dryRun: true as const } : {}) });
          for (const d of diags) if (d.severity !== 'info') say('warning', `${b.inputs.length === 1 ? first : (d.input ?? out)}: ${d.message} [${d.code}]`);
        } catch (e) {
          fail(first, { error: errorMessage(e, a.debug) });
        }
      }
    }
    bar.stop();
  }

  const checkNote = a.check ? await checkBooks(books, deps.env.FIC2EPUB_EPUBCHECK_JAR, say) : '';
  finalReport(books, failures, checkNote, a, deps);
  return failures.length ? EXIT.someFailed : EXIT.ok;
}
