/**
 * The command line: yargs commands (build, inspect), flags → options, the report, exit codes.
 * `main(argv, deps)` returns the exit code; only this module writes to the terminal.
 */
import { mkdir, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import yargs from 'yargs';
import { DIAGNOSTIC_CODES, InputError, type Diagnostic } from './diagnostics.js';
import type { Story } from './model.js';
import { defaultOptions, type MetaOverrides, type Options } from './options.js';
import { fillTemplate, safeFileName, uniqueName } from './package/naming.js';
import { inlineText, blocksText } from './text.js';

/** What main needs from the outside world (tests pass their own). */
export interface Deps {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: Record<string, string | undefined>;
  /** Temporary files being written; removed by the caller on SIGINT. */
  temps: Set<string>;
}

/** Exit codes of the output contract. */
export const EXIT = { ok: 0, someFailed: 1, usage: 2 } as const;

const STORY_EXTENSIONS = new Set(['.txt', '.html', '.htm', '.xhtml', '.md', '.markdown', '.text']);

interface BookReport {
  output: string;
  inputs: string[];
  title: string;
  warnings: { code: string; message: string }[];
}
interface Failure {
  input: string;
  error: string;
}

/** Expand folders to the story files inside (sorted), keep files, drop duplicates. */
export async function expandInputs(inputs: string[], failures: Failure[]): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (p: string): void => {
    const key = resolve(p);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(p);
    }
  };
  for (const input of inputs) {
    let st;
    try {
      st = await stat(input);
    } catch {
      failures.push({ input, error: 'no such file or folder' });
      continue;
    }
    if (st.isDirectory()) {
      const names = (await readdir(input)).filter((n) => STORY_EXTENSIONS.has(extname(n).toLowerCase()) && !n.startsWith('.')).sort();
      if (names.length === 0) failures.push({ input, error: 'the folder holds no story files (.txt, .html, .htm, .xhtml, .md)' });
      for (const n of names) add(join(input, n));
    } else add(input);
  }
  return out;
}

/** Write bytes to `path` atomically: a temporary file beside it, then a rename. */
export async function writeAtomic(path: string, bytes: Uint8Array, temps: Set<string>): Promise<void> {
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
  name: string;
  json: boolean;
  quiet: boolean;
  debug: boolean;
  title?: string;
  author?: string[];
  series?: string;
  seriesIndex?: number;
  lang?: string;
  cover: string;
  style: string;
}

function optionsFrom(a: Pick<BuildArgs, 'title' | 'author' | 'series' | 'seriesIndex' | 'lang' | 'cover' | 'style'>, env: Deps['env']): Options {
  const overrides: MetaOverrides = {};
  if (a.title) overrides.title = a.title;
  if (a.author?.length) overrides.authors = a.author;
  if (a.series) overrides.series = { name: a.series, ...(a.seriesIndex !== undefined ? { index: a.seriesIndex } : {}) };
  if (a.lang) overrides.language = a.lang;
  const epoch = env.SOURCE_DATE_EPOCH !== undefined ? Number(env.SOURCE_DATE_EPOCH) : undefined;
  return {
    ...defaultOptions(),
    overrides,
    cover: a.cover,
    style: a.style,
    ...(epoch !== undefined && Number.isFinite(epoch) ? { sourceDateEpoch: epoch } : {}),
  };
}

async function runBuild(a: BuildArgs, deps: Deps): Promise<number> {
  const { readStory, buildEpub, buildAnthology } = await import('./index.js');
  const options = optionsFrom(a, deps.env);
  const failures: Failure[] = [];
  const books: BookReport[] = [];
  const say = (s: string): void => {
    if (!a.quiet || s.startsWith('error')) deps.stderr(s);
  };
  const inputs = await expandInputs(a.inputs, failures);
  const read: { input: string; story: Story; diagnostics: Diagnostic[] }[] = [];
  for (const input of inputs) {
    try {
      const r = await readStory(input, options);
      read.push({ input, story: r.story, diagnostics: r.diagnostics });
    } catch (e) {
      failures.push({ input, error: errorMessage(e, a.debug) });
    }
  }
  for (const f of failures) say(`error: ${f.input}: ${f.error}`);

  if (a.anthology !== undefined) {
    const out = a.out ?? safeFileName(a.anthology);
    if (read.length) {
      try {
        await mkdir(dirname(resolve(out)), { recursive: true });
        const built = await buildAnthology({ title: a.anthology, editors: a.editor ?? [], ...(a.description ? { description: a.description } : {}), stories: read.map((r) => r.story) }, options);
        await writeAtomic(out, built.bytes, deps.temps);
        const diags = [...read.flatMap((r) => r.diagnostics), ...built.diagnostics];
        books.push({ output: out, inputs: read.map((r) => r.input), title: a.anthology, warnings: warningsOf(diags) });
        for (const r of read) for (const w of warningsOf(r.diagnostics)) say(`warning: ${r.input}: ${w.message} [${w.code}]`);
      } catch (e) {
        failures.push({ input: out, error: errorMessage(e, a.debug) });
        say(`error: ${out}: ${errorMessage(e, a.debug)}`);
      }
    }
  } else {
    const dir = a.out ?? '.';
    const taken = new Set<string>();
    if (read.length) {
      try {
        await mkdir(dir, { recursive: true });
      } catch (e) {
        const msg = `cannot create the output folder: ${errorMessage(e, false)}`;
        for (const r of read) failures.push({ input: r.input, error: msg });
        say(`error: ${dir}: ${msg}`);
        read.length = 0;
      }
    }
    for (const r of read) {
      const m = r.story.meta;
      const name = uniqueName(
        safeFileName(fillTemplate(a.name, { title: m.title, author: m.authors.join(', '), fandom: m.fandoms[0], series: m.series?.name, index: m.series?.index !== undefined ? String(m.series.index) : undefined }) || 'book'),
        taken,
      );
      const out = join(dir, name);
      try {
        const built = await buildEpub(r.story, options);
        await writeAtomic(out, built.bytes, deps.temps);
        const diags = [...r.diagnostics, ...built.diagnostics];
        books.push({ output: out, inputs: [r.input], title: m.title ?? '', warnings: warningsOf(diags) });
        for (const w of warningsOf(diags)) say(`warning: ${r.input}: ${w.message} [${w.code}]`);
      } catch (e) {
        failures.push({ input: r.input, error: errorMessage(e, a.debug) });
        say(`error: ${r.input}: ${errorMessage(e, a.debug)}`);
      }
    }
  }

  if (a.json) deps.stdout(`${JSON.stringify({ books, failures }, null, 2)}\n`);
  const warnings = books.reduce((n, b) => n + b.warnings.length, 0);
  if (!a.quiet) {
    deps.stderr(`${books.length} ${books.length === 1 ? 'book' : 'books'} written, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}, ${failures.length} ${failures.length === 1 ? 'failure' : 'failures'}`);
    if (!a.json) for (const b of books) deps.stdout(`${b.output}\n`);
  }
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
            name: { type: 'string', default: '{author} - {title}', describe: 'File name template: {title} {author} {fandom} {series} {index}' },
            ...OVERRIDE_FLAGS,
            cover: { type: 'string', default: 'auto', describe: 'auto (generated), none, or a PNG file' },
            style: { type: 'string', default: 'default', describe: 'Built-in style (default, classic) or a CSS file' },
            json: { type: 'boolean', default: false, describe: 'Print the report as JSON on stdout' },
            quiet: { alias: 'q', type: 'boolean', default: false, describe: 'Print errors only' },
            debug: { type: 'boolean', default: false, describe: 'Show stack traces for unexpected errors' },
          })
          .example('$0 build story.txt --out books/', 'one EPUB in books/')
          .example('$0 build saved/ --out books/ --json', 'every story in saved/, report as JSON')
          .example('$0 build a.txt b.html --anthology "Summer Fics" --out summer.epub', 'one anthology'),
      async (args) => {
        code = await runBuild(
          {
            inputs: (args.inputs as string[]).map(String), out: args.out, anthology: args.anthology, editor: args.editor, description: args.description,
            name: args.name, json: args.json, quiet: args.quiet, debug: args.debug, title: args.title, author: args.author, series: args.series,
            seriesIndex: args['series-index'], lang: args.lang, cover: args.cover, style: args.style,
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
      if (err) throw err;
      usageError = msg;
    })
    .exitProcess(false);
  const output = await new Promise<string>((resolveOut) => {
    void parser.parseAsync(argv, {}, (_err, _argv, out) => resolveOut(out)).catch(() => resolveOut(''));
  });
  if (usageError !== undefined) {
    deps.stderr(`error: ${usageError}\nRun "fic2epub --help" for usage.`);
    return EXIT.usage;
  }
  if (output) deps.stdout(`${output}\n`);
  return code;
}
