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
  /** `azw3`: also convert each book with calibre's ebook-convert (the EPUB is kept). */
  format?: 'epub' | 'azw3';
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
  const options = optionsFrom({ ...a, cover: a.cover ?? project?.cover, style: a.style ?? project?.style, target: a.target ?? project?.target ?? (a.format === 'azw3' ? 'kindle' : undefined) }, deps.env);
  const { writerFor } = await import('../package/writers.js');
  const extension = writerFor(options.target).extension;
  if (options.style !== 'default') {
    try {
      (await import('../assets.js')).loadCss(options.style);
    } catch (e) {
      deps.stderr(`error: ${errorMessage(e, false)}`);
      return EXIT.usage;
    }
  }
  const [{ runJobs }, { defaultBuildContext }] = await Promise.all([import('../batch.js'), import('../index.js')]);
  // Books built on this thread have their covers drawn on libuv's pool meanwhile; batch workers draw their own.
  const ctx: BuildContext = defaultBuildContext();
  // An anthology's stories are numbered by their place in the input (their pages' file names).
  const jobs: Job[] = inputs.map((input, i) => {
    const jobOptions = { ...options, overrides: { ...input.overrides, ...options.overrides } };
    return anthology !== undefined ? { kind: 'part', path: input.path, options: jobOptions, n: i + 1 } : { kind: 'book', path: input.path, options: jobOptions };
  });
  const bar = await progress(jobs.length, { quiet: a.quiet || a.json, tty });
  const fail = (input: string, r: { error: string; stack?: string }): void => {
    const msg = a.debug && r.stack ? r.stack : r.error;
    failures.push({ input, error: msg });
    say('error', `${input}: ${msg}`);
  };

  if (anthology !== undefined) {
    const read: ReadPart[] = [];
    await runJobs(
      jobs,
      (i, r) => {
        bar.tick(jobs[i]!.path);
        if (!r.ok) fail(jobs[i]!.path, r);
        else if (r.kind === 'part') read.push({ input: jobs[i]!.path, meta: r.meta, part: r.part, diagnostics: r.diagnostics });
      },
      ctx,
    );
    bar.stop();
    const out = a.out ?? safeFileName(anthology, extension);
    const stories = orderStories(read, a.order ?? project?.order ?? 'input');
    if (stories.length) {
      try {
        const { buildAnthologyParts } = await import('../index.js');
        await mkdir(dirname(resolve(out)), { recursive: true });
        const editors = a.editor ?? project?.editors ?? [];
        const description = a.description ?? project?.description;
        const built = await buildAnthologyParts({ title: anthology, editors, ...(description ? { description } : {}) }, stories.map((r) => r.part), options, ctx);
        await writeAtomic(out, built.bytes, deps.temps, deps.interrupted);
        const diags = [...stories.flatMap((r) => r.diagnostics), ...built.diagnostics];
        books.push({ output: out, inputs: stories.map((r) => r.input), title: anthology, warnings: warningsOf(diags) });
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
      await runJobs(
        jobs,
        async (i, r) => {
          const input = jobs[i]!.path;
          bar.tick(input);
          if (!r.ok) return fail(input, r);
          if (r.kind !== 'book') return;
          const volumes = r.volumes ?? [{ meta: r.meta, bytes: r.bytes }];
          try {
            for (const v of volumes) {
              const out = bookPath(dir, a.name, v.meta, taken, extension);
              await writeAtomic(out, v.bytes, deps.temps, deps.interrupted);
              books.push({ output: out, inputs: [input], title: v.meta.title ?? '', warnings: warningsOf(r.diagnostics) });
            }
            for (const w of warningsOf(r.diagnostics)) say('warning', `${input}: ${w.message} [${w.code}]`);
          } catch (e) {
            fail(input, { error: errorMessage(e, a.debug) });
          }
        },
        ctx,
      );
    }
    bar.stop();
  }

  if (a.format === 'azw3') await convertBooks(books, say, a.quiet || a.json ? () => {} : deps.stderr);
  const checkNote = a.check ? await checkBooks(books, deps.env.FIC2EPUB_EPUBCHECK_JAR, say) : '';
  finalReport(books, failures, checkNote, a, deps);
  return failures.length ? EXIT.someFailed : EXIT.ok;
}

/** AZW3 beside each book, through calibre's ebook-convert; without calibre, one line says so. */
async function convertBooks(books: BookReport[], say: (kind: 'error' | 'warning', message: string) => void, note: (s: string) => void): Promise<void> {
  const { convertToAzw3 } = await import('../package/azw3.js');
  for (const b of books) {
    const azw3 = b.output.replace(/\.epub$/i, '') + '.azw3';
    const problems = await convertToAzw3(b.output, azw3);
    for (const d of problems) say('warning', `${d.message} [${d.code}]`);
    // Without ebook-convert no other book converts either: one line is enough.
    if (problems.some((d) => /not installed/.test(d.message))) return;
    if (!problems.length) note(`${azw3}: written (AZW3 by calibre's ebook-convert)`);
  }
}
