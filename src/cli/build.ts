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
import type { Meta } from '../model.js';
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
  const { planOutput, ensureFolder, placeBook } = await import('../jobs/target.js');
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

  const [{ runJobs }, { defaultBuildContext }] = await Promise.all([import('../batch.js'), import('../index.js')]);
  // Books built on this thread have their covers drawn on libuv's pool meanwhile; batch workers draw their own.
  const ctx: BuildContext = defaultBuildContext();
  // An anthology's stories are numbered by their place in the input (their pages' file names).
  const jobs: Job[] = inputs.map((input, i) => {
    const jobOptions = { ...options, overrides: { ...input.overrides, ...options.overrides } };
    const from = input.bytes ? { bytes: input.bytes } : {};
    return anthology ? { kind: 'part', path: input.path, options: jobOptions, n: i + 1, ...from } : { kind: 'book', path: input.path, options: jobOptions, ...from };
  });
  const bar = await progress(jobs.length, { quiet: a.quiet || a.json, tty });
  let handled = 0;
  const fail = (input: string, r: { error: string; stack?: string }): void => {
    const msg = a.debug && r.stack ? r.stack : r.error;
    failures.push({ input, error: msg });
    say('error', `${input}: ${msg}`);
  };
  const taken = new Set<string>();
  const control = { temps: deps.temps, ...(signal ? { signal } : {}) };
  /** Put a book where the plan says; the decision on an existing file is the library's (decideTarget). */
  const place = async (target: string | undefined, bytes: Uint8Array, identifier: string): Promise<Placed> => {
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
    await runJobs(
      jobs,
      (i, r) => {
        handled++;
        bar.tick(jobs[i]!.path);
        if (!r.ok) fail(jobs[i]!.path, r);
        else if (r.kind === 'part') read.push({ input: jobs[i]!.path, meta: r.meta, part: r.part, diagnostics: r.diagnostics });
      },
      ctx,
      undefined,
      signal,
    );
    bar.stop();
    const target = plan.kind === 'file' ? plan.path : plan.kind === 'folder' ? bookTarget(plan.dir, a.name ?? '{title}', { title: anthology.title, authors: anthology.editors }) : undefined;
    const label = target ?? '-';
    if (read.length && !signal?.aborted) {
      try {
        const { assembleAnthology } = await import('../jobs/anthology.js');
        const { built, stories } = await assembleAnthology(anthology, read, options, ctx);
        const placed = await place(target, built.bytes, built.plan.meta.identifier);
        const diags = [...stories.flatMap((r) => r.diagnostics), ...built.diagnostics, ...placedNote(placed)];
        books.push({ output: placed.path, inputs: stories.map((r) => r.input), title: anthology.title, warnings: warningsOf(diags) });
        for (const r of stories) for (const w of warningsOf(r.diagnostics)) say('warning', `${r.input}: ${w.message} [${w.code}]`);
        for (const w of warningsOf([...built.diagnostics, ...placedNote(placed)])) say('warning', `${placed.path}: ${w.message} [${w.code}]`);
      } catch (e) {
        if (!signal?.aborted) fail(label, { error: errorMessage(e, a.debug) });
      }
    }
  } else {
    await runJobs(
      jobs,
      async (i, r) => {
        const input = jobs[i]!.path;
        handled++;
        bar.tick(input);
        if (!r.ok) return fail(input, r);
        if (r.kind !== 'book') return;
        const target = plan.kind === 'file' ? plan.path : plan.kind === 'folder' ? bookTarget(plan.dir, a.name ?? '{author} - {title}', r.meta) : undefined;
        try {
          const placed = await place(target, r.bytes, r.identifier);
          const diags = [...r.diagnostics, ...placedNote(placed)];
          books.push({ output: placed.path, inputs: [input], title: r.meta.title ?? '', warnings: warningsOf(diags) });
          for (const w of warningsOf(diags)) say('warning', `${input}: ${w.message} [${w.code}]`);
        } catch (e) {
          if (!signal?.aborted) fail(input, { error: errorMessage(e, a.debug) });
        }
      },
      ctx,
      undefined,
      signal,
    );
    bar.stop();
  }

  const interrupted = signal?.aborted === true;
  const checked = books.filter((b) => b.output !== '-');
  const checkNote = a.check && !interrupted ? await checkBooks(checked, deps.env.FIC2EPUB_EPUBCHECK_JAR, say) : '';
  const notes = [skippedNote(skipped), interrupted ? `interrupted: ${jobs.length - handled} of ${jobs.length} not built` : ''].filter(Boolean);
  finalReport(books, failures, `${checkNote}${notes.map((n) => `; ${n}`).join('')}`, a, deps, interrupted);
  if (interrupted) return EXIT.interrupted;
  return failures.length ? EXIT.someFailed : EXIT.ok;
}
