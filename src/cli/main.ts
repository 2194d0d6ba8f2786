/**
 * The command line: yargs commands (build, inspect, codes) and the exit code. `main(argv, deps)`
 * returns the exit code; only the CLI (src/cli/) writes to the terminal. One file per job:
 * inputs (files and flags), build, inspect, report (what is printed), output (book files).
 */
import yargs from 'yargs';
import { DIAGNOSTIC_CODES } from '../diagnostics.js';
import { TARGETS } from '../package/writer.js';
import { ORDERS } from '../project.js';
import { runBuild } from './build.js';
import { runInspect } from './inspect.js';
import { EXIT } from './report.js';

export { EXIT } from './report.js';

/** What main needs from the outside world (tests pass their own). */
export interface Deps {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: Record<string, string | undefined>;
  /** Temporary files being written; removed by the caller on SIGINT. */
  temps: Set<string>;
  /** True once the user interrupted the run: no new book file is started. */
  interrupted?: () => boolean;
  /** Whether stderr is a terminal (progress bar, colours). */
  stderrIsTTY?: boolean;
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
            'split-words': { type: 'number', describe: 'Split a story longer than this many words into volumes, at chapter boundaries' },
            'split-chapters': { type: 'number', describe: 'Split a story into volumes of at most this many chapters' },
            format: { choices: ['epub', 'azw3'] as const, describe: 'azw3: also convert each book for Kindle with calibre\'s ebook-convert (implies --target kindle)' },
            target: { choices: TARGETS, describe: 'What the book is made for: epub (any reader, the default), kobo (a .kepub.epub), kindle (Send to Kindle)' },
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
            seriesIndex: args['series-index'], lang: args.lang, cover: args.cover, style: args.style, images: args.images, target: args.target, format: args.format, splitWords: args['split-words'], splitChapters: args['split-chapters'],
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
