/**
 * `fic2epub build`: arguments to the library's jobs (batch, anthology, placing books), and what
 * is printed. Usage problems (a bad name template, style or cover, one file for several books)
 * are found before any book is built.
 */
import { stat } from '../fs-async.js';
import { join } from 'node:path';
import { OutputError, type OutputPlan } from '../jobs/target.js';
import { templateProblem } from '../package/naming.js';
import type { Options } from '../options.js';
import type { AnthologyOrder } from '../project.js';
import { userFiles, type ResolveResource } from '../read/resources.js';
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
  /** `azw3`: also convert each book with calibre's ebook-convert (the EPUB is kept). */
  format?: 'epub' | 'azw3';
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

/** The cover flag's value as the book's cover, or the usage problem with it: a file missing, not
 * a file, unreadable, or neither PNG nor JPEG. */
async function userCover(cover: string, files: ResolveResource): Promise<{ cover: Options['cover'] } | { problem: string }> {
  if (cover === 'auto' || cover === 'none') return { cover };
  const s = await stat(cover).catch(() => undefined);
  if (!s) return { problem: `the cover file ${cover} does not exist (give a PNG or JPEG file, auto or none)` };
  if (!s.isFile()) return { problem: `the cover ${cover} is not a file (give a PNG or JPEG file, auto or none)` };
  const { resolveCover } = await import('../user-assets.js');
  try {
    return { cover: resolveCover(cover, files) };
  } catch (e) {
    return { problem: errorMessage(e, false) };
  }
}

/** Run `build`; returns the exit code. */
export async function runBuild(a: BuildArgs, deps: Deps): Promise<number> {
  const failures: Failure[] = [];
  const books: BookReport[] = [];
  const tty = (): boolean => deps.stderrIsTTY === true;
  const signal = deps.signal;
  const say = sayer(deps.stderr, { quiet: a.quiet, tty });
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
  // The user's cover and stylesheet are read here, once, and the library builds with their bytes.
  const files = userFiles('.');
  let style: Options['style'] = a.style ?? project?.style ?? 'default';
  try {
    if (style !== 'default') style = (await import('../user-assets.js')).resolveStyle(style, files);
  } catch (e) {
    return usage(`${errorMessage(e, false)}; the built-in styles are ${await builtInStyles()} (or give a .css file)`);
  }
  const cover = await userCover(a.cover ?? project?.cover ?? 'auto', files);
  if ('problem' in cover) return usage(cover.problem);
  const options = optionsFrom({ ...a, cover: cover.cover, style, target: a.target ?? project?.target ?? (a.format === 'azw3' ? 'kindle' : undefined) }, deps.env);
  const { writerFor } = await import('../package/writers.js');
  const extension = writerFor(options.target).extension;

  let plan: OutputPlan;
  const { planOutput, ensureFolder } = await import('../jobs/target.js');
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

  const bar = await progress(inputs.length, { quiet: a.quiet || a.json, tty });
  const { buildBooks } = await import('../jobs/build.js');
  const outcome = await buildBooks(
    {
      stories: inputs, options, ...(anthology ? { anthology } : {}), output: plan, ...(a.name !== undefined ? { name: a.name } : {}), force: a.force === true, extension,
      temps: deps.temps, ...(signal ? { signal } : {}), ...(deps.stdoutBytes ? { writeStdout: deps.stdoutBytes } : {}),
      join: a.join !== false, update: { prune: a.prune === true, markNew: a.markNew === true, updateLog: a.updateLog === true }, dryRun: a.dryRun === true,
    },
    {
      onProgress: (input) => bar.tick(input),
      onFailure: (f) => {
        const msg = a.debug && f.stack ? f.stack : f.error;
        failures.push({ input: f.input, error: msg });
        say('error', `${f.input}: ${msg}`);
      },
      onBook: (b) => {
        books.push({ output: b.output, inputs: b.inputs, title: b.title, warnings: warningsOf(b.diagnostics), ...(b.update ? { update: b.update } : {}), ...(b.dryRun ? { dryRun: true as const } : {}) });
        // A book of one story: its warnings are the story's; an anthology's name the story they came from.
        const single = b.inputs.length === 1 && !anthology;
        for (const d of b.diagnostics) if (d.severity !== 'info') say('warning', `${single ? b.inputs[0] : (d.input ?? b.output)}: ${d.message} [${d.code}]`);
      },
    },
  );
  bar.stop();
  // The report lists books in input order (a joined book where its first piece was given).
  const at = new Map(inputs.map((input, i) => [input.path, i]));
  const firstGiven = (b: BookReport): number => Math.min(...b.inputs.map((i) => at.get(i) ?? Infinity));
  books.sort((x, y) => firstGiven(x) - firstGiven(y));
  const interrupted = outcome.interrupted;
  if (a.format === 'azw3' && !interrupted && !a.dryRun) await convertBooks(books.filter((b) => b.output !== '-'), say, a.quiet || a.json ? () => {} : deps.stderr);
  const checked = books.filter((b) => b.output !== '-');
  const checkNote = a.check && !interrupted ? await checkBooks(checked, deps.env.FIC2EPUB_EPUBCHECK_JAR, say) : '';
  const notes = [skippedNote(skipped), interrupted ? `interrupted: ${inputs.length - outcome.handled} of ${inputs.length} not built` : ''].filter(Boolean);
  finalReport(books, failures, `${checkNote}${notes.map((n) => `; ${n}`).join('')}`, a, deps, interrupted);
  if (interrupted) return EXIT.interrupted;
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
