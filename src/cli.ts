/**
 * The command line: yargs commands (build, inspect), flags → options, the report, exit codes.
 * `main(argv, deps)` returns the exit code; only this module writes to the terminal.
 */
import { mkdir, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import yargs from 'yargs';
import type { CheckMessage } from './check.js';
import { DIAGNOSTIC_CODES, InputError, type Diagnostic } from './diagnostics.js';
import type { Meta, Story } from './model.js';
import { defaultOptions, type MetaOverrides, type Options } from './options.js';
import { fillTemplate, safeFileName, uniqueName } from './package/naming.js';
import type { StoryPart } from './render/book.js';
import { isProjectFile, ORDERS, readProject, type AnthologyOrder, type Project } from './project.js';
import { inlineText, blocksText } from './text.js';

/** What main needs from the outside world (tests pass their own). */
export interface Deps {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: Record<string, string | undefined>;
  /** Temporary files being written; removed by the caller on SIGINT. */
  temps: Set<string>;
  /** Whether stderr is a terminal (progress bar, colours). */
  stderrIsTTY?: boolean;
}

/** Exit codes of the output contract. */
export const EXIT = { ok: 0, someFailed: 1, usage: 2 } as const;

const STORY_EXTENSIONS = new Set(['.txt', '.html', '.htm', '.xhtml', '.md', '.markdown', '.text']);

interface BookReport {
  output: string;
  inputs: string[];
  title: string;
  warnings: { code: string; message: string }[];
  /** With --check: EPUBCheck's findings, or why it could not run. */
  check?: { available: true; fatal: number; errors: number; warnings: number; messages: CheckMessage[] } | { available: false; reason: string };
}
interface Failure {
  input: string;
  error: string;
}

/** A story input and the overrides that come with it (from a project file). */
export interface StoryInput {
  path: string;
  overrides: MetaOverrides;
}

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * Expand inputs: folders to the story files inside (sorted), quoted shell globs to their
 * matches (sorted), project files to their stories; duplicates dropped, first one kept.
 */
export async function expandInputs(inputs: string[], failures: Failure[]): Promise<{ stories: StoryInput[]; project?: Project }> {
  const out: StoryInput[] = [];
  const seen = new Set<string>();
  let project: Project | undefined;
  const add = (p: string, overrides: MetaOverrides = {}): void => {
    const key = resolve(p);
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ path: p, overrides });
    }
  };
  for (const input of inputs) {
    let st;
    try {
      st = await stat(input);
    } catch {
      if (GLOB_CHARS.test(input)) {
        const { glob } = await import('tinyglobby');
        const matches = (await glob(input, { onlyFiles: true, expandDirectories: false, absolute: isAbsolute(input) })).filter((m) => STORY_EXTENSIONS.has(extname(m).toLowerCase())).sort();
        if (matches.length === 0) failures.push({ input, error: 'the pattern matches no story files' });
        for (const m of matches) add(m);
      } else failures.push({ input, error: 'no such file or folder' });
      continue;
    }
    if (st.isDirectory()) {
      const names = (await readdir(input)).filter((n) => STORY_EXTENSIONS.has(extname(n).toLowerCase()) && !n.startsWith('.')).sort();
      if (names.length === 0) failures.push({ input, error: 'the folder holds no story files (.txt, .html, .htm, .xhtml, .md)' });
      for (const n of names) add(join(input, n));
    } else if (isProjectFile(input)) {
      try {
        project = readProject(input);
        for (const s of project.stories) add(s.path, s.overrides);
      } catch (e) {
        failures.push({ input, error: errorMessage(e, false) });
      }
    } else add(input);
  }
  return { stories: out, ...(project ? { project } : {}) };
}

let writesStopped = false;

/** After an interrupt: no new file is started (writes already under way finish or clean up). */
export function stopWrites(): void {
  writesStopped = true;
}

/** Write bytes to `path` atomically: a temporary file beside it, then a rename. The temporary
 * file is in `temps` from before it is created until it is renamed or removed. */
export async function writeAtomic(path: string, bytes: Uint8Array, temps: Set<string>): Promise<void> {
  if (writesStopped) throw new Error('interrupted');
  const tmp = join(dirname(path), `.${process.pid}-${Date.now().toString(36)}.fic2epub.tmp`);
  temps.add(tmp);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  } finally {
    temps.delete(tmp);
  }
}

function warningsOf(diags: Diagnostic[]): { code: string; message: string }[] {
  return diags.filter((d) => d.severity !== 'info').map((d) => ({ code: d.code, message: d.message }));
}

function errorMessage(e: unknown, debug: boolean): string {
  if (debug && e instanceof Error && !(e instanceof InputError)) return e.stack ?? e.message;
  return e instanceof Error ? e.message.split('\n')[0]! : String(e);
}

interface BuildArgs {
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
  title?: string;
  author?: string[];
  series?: string;
  seriesIndex?: number;
  lang?: string;
  cover?: string;
  style?: string;
  images?: boolean;
}

function optionsFrom(a: Pick<BuildArgs, 'title' | 'author' | 'series' | 'seriesIndex' | 'lang' | 'cover' | 'style' | 'images'>, env: Deps['env']): Options {
  const overrides: MetaOverrides = {};
  if (a.title) overrides.title = a.title;
  if (a.author?.length) overrides.authors = a.author;
  if (a.series) overrides.series = { name: a.series, ...(a.seriesIndex !== undefined ? { index: a.seriesIndex } : {}) };
  if (a.lang) overrides.language = a.lang;
  const epoch = env.SOURCE_DATE_EPOCH !== undefined ? Number(env.SOURCE_DATE_EPOCH) : undefined;
  const defaults = defaultOptions();
  return {
    ...defaults,
    overrides,
    cover: a.cover ?? defaults.cover,
    style: a.style ?? defaults.style,
    images: a.images ?? defaults.images,
    ...(epoch !== undefined && Number.isFinite(epoch) ? { sourceDateEpoch: epoch } : {}),
  };
}

interface ReadStory {
  input: string;
  meta: Meta;
  part: StoryPart;
  diagnostics: Diagnostic[];
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

/** A progress bar on stderr for long batches on a terminal; a no-op elsewhere. */
async function progress(total: number, deps: Deps, quiet: boolean): Promise<{ tick: (label: string) => void; stop: () => void }> {
  if (quiet || !deps.stderrIsTTY || total <= 3) return { tick: () => undefined, stop: () => undefined };
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar({ format: '{bar} {value}/{total} {label}', stream: process.stderr, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, { label: '' });
  return { tick: (label) => bar.increment(1, { label: label.slice(-40) }), stop: () => bar.stop() };
}

async function runBuild(a: BuildArgs, deps: Deps): Promise<number> {
  try {
    return await buildBooks(a, deps);
  } finally {
    coverThread?.stopCoverThread();
  }
}

/** The cover thread's module, once a build has loaded it: runBuild stops the thread at the end. */
let coverThread: typeof import('./render/cover-thread.js') | undefined;

async function buildBooks(a: BuildArgs, deps: Deps): Promise<number> {
  const failures: Failure[] = [];
  const books: BookReport[] = [];
  const colour = deps.stderrIsTTY ? await import('picocolors').then((m) => m.default) : undefined;
  const say = (kind: 'error' | 'warning', s: string): void => {
    if (a.quiet && kind !== 'error') return;
    const label = colour ? (kind === 'error' ? colour.red(kind) : colour.yellow(kind)) : kind;
    deps.stderr(`${label}: ${s}`);
  };
  const { stories: inputs, project } = await expandInputs(a.inputs, failures);
  for (const f of failures) say('error', `${f.input}: ${f.error}`);
  // Flags beat the project file.
  const anthology = a.anthology ?? project?.title;
  const options = optionsFrom({ ...a, cover: a.cover ?? project?.cover, style: a.style ?? project?.style }, deps.env);
  if (options.style !== 'default') {
    try {
      (await import('./assets.js')).loadCss(options.style);
    } catch (e) {
      deps.stderr(`error: ${errorMessage(e, false)}`);
      return EXIT.usage;
    }
  }
  const { runJobs, runsInThisThread } = await import('./batch.js');
  // Books built on this thread have their cover drawn on a second one (render/cover-thread.ts).
  // The executable may have started it already on a guess; a build without use for it stops it.
  coverThread = await import('./render/cover-thread.js');
  if (options.cover === 'auto' && inputs.length > 0 && (anthology !== undefined || runsInThisThread(inputs.length))) coverThread.startCoverThread();
  else coverThread.stopCoverThread();
  // An anthology's stories are numbered by their place in the input (their pages' file names).
  const jobs = inputs.map((input, i) => ({
    path: input.path,
    options: { ...options, overrides: { ...input.overrides, ...options.overrides } },
    build: anthology === undefined,
    ...(anthology !== undefined ? { part: i + 1 } : {}),
  }));
  const bar = await progress(jobs.length, deps, a.quiet || a.json);
  const fail = (input: string, r: { error: string; stack?: string }): void => {
    const msg = a.debug && r.stack ? r.stack : r.error;
    failures.push({ input, error: msg });
    say('error', `${input}: ${msg}`);
  };

  if (anthology !== undefined) {
    const read: ReadStory[] = [];
    await runJobs(jobs, (i, r) => {
      bar.tick(jobs[i]!.path);
      if (r.ok) read.push({ input: jobs[i]!.path, meta: r.meta, part: r.part!, diagnostics: r.diagnostics });
      else fail(jobs[i]!.path, r);
    });
    bar.stop();
    const out = a.out ?? safeFileName(anthology);
    const stories = orderStories(read, a.order ?? project?.order ?? 'input');
    if (stories.length) {
      try {
        const { buildAnthologyParts } = await import('./index.js');
        await mkdir(dirname(resolve(out)), { recursive: true });
        const editors = a.editor ?? project?.editors ?? [];
        const description = a.description ?? project?.description;
        const built = await buildAnthologyParts({ title: anthology, editors, ...(description ? { description } : {}) }, stories.map((r) => r.part), options);
        await writeAtomic(out, built.bytes, deps.temps);
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
      await runJobs(jobs, async (i, r) => {
        const input = jobs[i]!.path;
        bar.tick(input);
        if (!r.ok) return fail(input, r);
        const m = r.meta;
        const values = { title: m.title, author: m.authors.join(', '), fandom: m.fandoms[0], series: m.series?.name, index: m.series?.index !== undefined ? String(m.series.index) : undefined };
        const out = join(dir, uniqueName(safeFileName(fillTemplate(a.name, values) || 'book'), taken));
        try {
          await writeAtomic(out, r.bytes!, deps.temps);
          books.push({ output: out, inputs: [input], title: m.title ?? '', warnings: warningsOf(r.diagnostics) });
          for (const w of warningsOf(r.diagnostics)) say('warning', `${input}: ${w.message} [${w.code}]`);
        } catch (e) {
          fail(input, { error: errorMessage(e, a.debug) });
        }
      });
    }
    bar.stop();
  }

  let checkNote = '';
  if (a.check && books.length) {
    const { epubcheck, epubcheckUnavailable } = await import('./check.js');
    const why = await epubcheckUnavailable(deps.env.FIC2EPUB_EPUBCHECK_JAR);
    if (why) {
      checkNote = `; not checked: ${why}`;
      for (const b of books) b.check = { available: false, reason: why };
    } else {
      let problems = 0;
      for (const b of books) {
        const r = await epubcheck(b.output, deps.env.FIC2EPUB_EPUBCHECK_JAR);
        b.check = { available: true, ...r };
        problems += r.fatal + r.errors + r.warnings;
        for (const m of r.messages) say(m.severity === 'WARNING' ? 'warning' : 'error', `${b.output}: EPUBCheck ${m.id}: ${m.message}${m.location ? ` (${m.location})` : ''}`);
      }
      checkNote = `; EPUBCheck: ${problems === 0 ? 'all valid' : `${problems} ${problems === 1 ? 'problem' : 'problems'}`}`;
    }
  }

  if (a.json) deps.stdout(`${JSON.stringify({ books, failures }, null, 2)}\n`);
  const warnings = books.reduce((n, b) => n + b.warnings.length, 0);
  if (!a.quiet) {
    deps.stderr(`${books.length} ${books.length === 1 ? 'book' : 'books'} written, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}, ${failures.length} ${failures.length === 1 ? 'failure' : 'failures'}${checkNote}`);
    if (!a.json) for (const b of books) deps.stdout(`${b.output}\n`);
  } else if (checkNote && !a.json) deps.stderr(checkNote.slice(2));
  return failures.length ? EXIT.someFailed : EXIT.ok;
}

interface InspectArgs {
  file: string;
  json: boolean;
  debug: boolean;
  title?: string;
  author?: string[];
  series?: string;
  seriesIndex?: number;
  lang?: string;
}

function outline(story: Story): { title?: string; voices: string[]; paragraphs: number; sceneBreaks: number }[] {
  return story.chapters.map((c) => {
    const blocks = c.sections.flatMap((s) => s.blocks);
    return {
      ...(c.title !== undefined ? { title: c.title } : {}),
      voices: c.sections.map((s) => s.voice).filter((v): v is string => !!v),
      paragraphs: blocks.filter((b) => b.kind === 'p').length,
      sceneBreaks: blocks.filter((b) => b.kind === 'break').length,
    };
  });
}

async function runInspect(a: InspectArgs, deps: Deps): Promise<number> {
  const { readStory } = await import('./index.js');
  const options = optionsFrom({ ...a, cover: 'none', style: 'default' }, deps.env);
  try {
    const r = await readStory(a.file, options);
    const m = r.story.meta;
    const report = {
      input: a.file,
      format: r.detection.format.name,
      score: r.detection.score,
      scores: r.detection.scores,
      encoding: r.story.source.encoding,
      meta: { ...m, summary: m.summary ? blocksText(m.summary) : undefined, notes: m.notes ? blocksText(m.notes) : undefined, endNotes: m.endNotes ? blocksText(m.endNotes) : undefined },
      chapters: outline(r.story),
      end: r.story.end.map((b) => (b.kind === 'p' ? inlineText(b.content) : b.kind)),
      diagnostics: r.diagnostics,
    };
    if (a.json) {
      deps.stdout(`${JSON.stringify(report, null, 2)}\n`);
      return EXIT.ok;
    }
    const lines: string[] = [];
    lines.push(`${a.file}`, `  format: ${report.format} (score ${report.score.toFixed(2)}; ${report.scores.map((s) => `${s.name} ${s.score.toFixed(2)}`).join(', ')})`, `  encoding: ${report.encoding}`);
    const show = (k: string, v: unknown): void => {
      if (v === undefined || (Array.isArray(v) && v.length === 0) || v === '') return;
      lines.push(`  ${k}: ${Array.isArray(v) ? v.join('; ') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
    };
    show('title', m.title); show('authors', m.authors); show('fandoms', m.fandoms); show('relationships', m.relationships);
    show('characters', m.characters); show('rating', m.rating); show('warnings', m.warnings); show('category', m.category);
    show('tags', m.tags); show('series', m.series); show('published', m.published); show('updated', m.updated);
    show('language', m.language); show('stated words', m.statedWords); show('source', m.sourceUrl);
    show('summary', report.meta.summary); show('notes', report.meta.notes); show('disclaimer', m.disclaimer);
    for (const [k, v] of Object.entries(m.extra)) show(k, v);
    lines.push(`  chapters: ${report.chapters.length}`);
    for (const c of report.chapters) lines.push(`    - ${c.title ?? '(untitled)'}: ${c.paragraphs} paragraphs, ${c.sceneBreaks} scene breaks${c.voices.length ? `; voices ${c.voices.join(', ')}` : ''}`);
    if (report.end.length) lines.push(`  end: ${report.end.join(' / ')}`);
    for (const d of r.diagnostics) lines.push(`  ${d.severity}: ${d.message} [${d.code}]`);
    deps.stdout(`${lines.join('\n')}\n`);
    return EXIT.ok;
  } catch (e) {
    deps.stderr(`error: ${a.file}: ${errorMessage(e, a.debug)}`);
    return EXIT.someFailed;
  }
}

const OVERRIDE_FLAGS = {
  title: { type: 'string', describe: 'Set the title (beats the source and the .meta.yaml file)' },
  author: { type: 'string', array: true, describe: 'Set the author; repeat for several' },
  series: { type: 'string', describe: 'Set the series name' },
  'series-index': { type: 'number', describe: 'Set the position in the series' },
  lang: { type: 'string', describe: 'Set the language (BCP 47, e.g. en, de, pt-BR)' },
} as const;

/**
 * yargs lays out the whole help text (cliui, string-width's grapheme segmenter) every time a
 * command's handler runs, in case an async handler later asks for help: a quarter of a simple
 * build's start-up. Our handlers never show help, so that cache is skipped. The hook is internal
 * to yargs; when it is missing, nothing changes but the speed.
 */
function skipHelpCache(parser: unknown): void {
  const internal = (parser as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } }).getInternalMethods?.();
  const usage = internal?.getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

/** Bad usage: unknown flags, missing arguments. */
class UsageError extends Error {}

/** Run the CLI with `argv` (without node and script). Returns the exit code. */
export async function main(argv: string[], deps: Deps): Promise<number> {
  let code: number = EXIT.ok;
  let usageError: string | undefined;
  const parser = yargs(argv)
    .scriptName('fic2epub')
    .usage('$0 <command> [options]\n\nCompile saved fan fiction (text or HTML) into EPUB 3 books.')
    .command(
      'build <inputs..>',
      'Build one EPUB per story, or one anthology',
      (y) =>
        y
          .positional('inputs', { type: 'string', array: true, describe: 'Story files or folders of them', demandOption: true })
          .options({
            out: { alias: 'o', type: 'string', describe: 'Output folder (one book per story; default: current folder) or, with --anthology, the .epub file' },
            anthology: { type: 'string', describe: 'Bind every story into one book with this title' },
            editor: { type: 'string', array: true, describe: 'Anthology editor; repeat for several' },
            description: { type: 'string', describe: 'Anthology description' },
            order: { choices: ORDERS, describe: 'Anthology story order (default: input order)' },
            name: { type: 'string', default: '{author} - {title}', describe: 'File name template: {title} {author} {fandom} {series} {index}' },
            ...OVERRIDE_FLAGS,
            cover: { type: 'string', describe: 'auto (generated, the default), none, or a PNG file' },
            style: { type: 'string', describe: 'Built-in style (default, classic) or a CSS file' },
            images: { type: 'boolean', default: false, describe: 'Take pictures that sit beside a saved HTML page (PNG, JPEG, GIF) into the book; never fetched from the network' },
            check: { type: 'boolean', default: false, describe: 'Run EPUBCheck on every book written (needs Java and EPUBCheck)' },
            json: { type: 'boolean', default: false, describe: 'Print the report as JSON on stdout' },
            quiet: { alias: 'q', type: 'boolean', default: false, describe: 'Print errors only' },
            debug: { type: 'boolean', default: false, describe: 'Show stack traces for unexpected errors' },
          })
          .example('$0 build story.txt --out books/', 'one EPUB in books/')
          .example('$0 build saved/ --out books/ --json', 'every story in saved/, report as JSON')
          .example('$0 build a.txt b.html --anthology "Summer Fics" --order title --out summer.epub', 'one anthology, stories by title')
          .example('$0 build anthology.yaml --out summer.epub', 'an anthology from a project file')
          .example('$0 build "saved/*.html" --name "{fandom} - {title}" --check', 'a quoted glob, names from metadata, validated'),
      async (args) => {
        code = await runBuild(
          {
            inputs: (args.inputs as string[]).map(String), out: args.out, anthology: args.anthology, editor: args.editor, description: args.description, order: args.order, check: args.check,
            name: args.name, json: args.json, quiet: args.quiet, debug: args.debug, title: args.title, author: args.author, series: args.series,
            seriesIndex: args['series-index'], lang: args.lang, cover: args.cover, style: args.style, images: args.images,
          },
          deps,
        );
      },
    )
    .command(
      'inspect <file>',
      'Show what fic2epub reads from a story: format, metadata, outline, warnings',
      (y) =>
        y
          .positional('file', { type: 'string', demandOption: true, describe: 'A story file' })
          .options({ ...OVERRIDE_FLAGS, json: { type: 'boolean', default: false, describe: 'Print JSON' }, debug: { type: 'boolean', default: false, describe: 'Show stack traces' } })
          .example('$0 inspect story.txt', 'see the detected format, metadata and chapters'),
      async (args) => {
        code = await runInspect({ file: String(args.file), json: args.json, debug: args.debug, title: args.title, author: args.author, series: args.series, seriesIndex: args['series-index'], lang: args.lang }, deps);
      },
    )
    .command('codes', 'List the warning and error codes with their meaning', {}, () => {
      deps.stdout(`${Object.entries(DIAGNOSTIC_CODES).map(([k, v]) => `${k}  ${v}`).join('\n')}\n`);
    })
    .demandCommand(1, 'Give a command: build, inspect or codes')
    .strict()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((msg, err) => {
      // Throwing stops yargs before any command handler runs.
      throw err ?? new UsageError(msg);
    })
    .exitProcess(false);
  skipHelpCache(parser);
  let output = '';
  try {
    output = await new Promise<string>((resolveOut, reject) => {
      parser.parseAsync(argv, {}, (err, _argv, out) => (err ? reject(err) : resolveOut(out))).catch(reject);
    });
  } catch (e) {
    if (!(e instanceof UsageError) && !(e instanceof Error && e.name === 'YError')) throw e;
    usageError = e.message;
  }
  if (usageError !== undefined) {
    deps.stderr(`error: ${usageError}\nRun "fic2epub --help" for usage.`);
    return EXIT.usage;
  }
  if (output) deps.stdout(`${output}\n`);
  return code;
}
