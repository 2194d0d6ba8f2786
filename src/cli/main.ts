/**
 * The command line: yargs commands (build, inspect, serve, codes) and the exit code. `main(argv, deps)`
 * returns the exit code; only the CLI (src/cli/) writes to the terminal. One file per job:
 * inputs (files and flags), build, inspect, report (what is printed), output (book files).
 */
import { createRequire } from 'node:module';
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
  /** Aborted when the user interrupts the run: no new book is started, the summary is printed. */
  signal?: AbortSignal;
  /** Whether stderr is a terminal (progress bar, colours). */
  stderrIsTTY?: boolean;
  /** A book written to standard output (`-o -`). */
  stdoutBytes?: (bytes: Uint8Array) => Promise<void>;
  /** Standard input, read whole (`build -`, `inspect -`). */
  stdin?: () => Promise<Uint8Array>;
  /** Whether standard input is a terminal (then nothing was piped in). */
  stdinIsTTY?: boolean;
  /** The program's version, for --version. */
  version?: string;
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

/** Every long flag of every command, for "did you mean". */
const KNOWN_FLAGS = [
  'out', 'anthology', 'editor', 'description', 'order', 'name', 'force', 'title', 'author', 'series', 'series-index', 'lang', 'cover', 'style',
  'images', 'front-matter', 'target', 'format', 'split-words', 'split-chapters', 'check', 'json', 'quiet', 'debug', 'help', 'version',
];

/** Levenshtein distance, for suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length]!;
}

/** The known flag closest to `flag`, when it is close enough to be a typo. */
export function suggestFlag(flag: string): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of KNOWN_FLAGS) {
    const d = distance(flag.toLowerCase(), k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== undefined && bestD <= Math.min(3, Math.max(1, Math.floor(flag.length / 2))) ? best : undefined;
}

/** yargs' messages in plain words, with a suggestion for a mistyped flag. */
function plainUsage(msg: string, argv: string[]): string {
  if (/^Not enough non-option arguments/.test(msg)) {
    if (argv[0] === 'inspect') return 'give one story file to inspect (or - for standard input)';
    if (argv[0] === 'build') return 'give at least one story file or folder to build (or - for standard input)';
    return 'give a command: build, inspect or codes';
  }
  const unknown = /^Unknown arguments?: (.*)$/.exec(msg);
  if (unknown) {
    const names = unknown[1]!.split(', ').map((s) => s.trim());
    return names
      .map((n) => {
        const flag = n.replace(/^-+/, '');
        const tip = suggestFlag(flag);
        return `unknown option ${n.length === 1 ? '-' : '--'}${flag}${tip ? ` (did you mean --${tip}?)` : ''}`;
      })
      .join('; ');
  }
  const choice = /^Invalid values:\s*Argument: (\S+), Given: (.*), Choices: (.*)$/s.exec(msg);
  if (choice) return `--${choice[1]} cannot be ${choice[2]!.trim()}; use one of ${choice[3]!.trim()}`;
  return msg.replace(/^Did you mean (\S+)\?$/, 'unknown command; did you mean $1?');
}

// tty loads when asked (it brings net with it, ~1 ms).
const isatty = (fd: number): boolean => (createRequire(import.meta.url)('node:tty') as typeof import('node:tty')).isatty(fd);

/** Flags that take a value (so a `-` after them is that value, not standard input). */
const VALUE_FLAGS = new Set(['-o', '--out', '--anthology', '--editor', '--description', '--order', '--name', '--title', '--author', '--series', '--series-index', '--lang', '--cover', '--style']);

/** yargs drops a lone `-` argument; it stands for standard input, so it is passed on as this. */
export const STDIN_ARG = '\u0000stdin';

/** Whether yargs may print its help for these arguments: `--help`, or `-h` alone or among short flags. */
const mayShowHelp = (argv: string[]): boolean => argv.some((a) => a === '--help' || /^-[^-]*h/.test(a));

/** Run the CLI with `argv` (without node and script). Returns the exit code. */
export async function main(rawArgv: string[], deps: Deps): Promise<number> {
  const argv = rawArgv.map((a, i) => (a === '-' && !VALUE_FLAGS.has(rawArgv[i - 1] ?? '') ? STDIN_ARG : a));
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
          .positional('inputs', { type: 'string', array: true, describe: 'Story files, folders of them (searched below too), or - for standard input', demandOption: true })
          .options({
            out: { alias: 'o', type: 'string', describe: 'Output folder (default: the current folder), a book file ending in .epub (one story or an anthology), or - for standard output' },
            anthology: { type: 'string', describe: 'Bind every story into one book with this title' },
            editor: { type: 'string', array: true, describe: 'Anthology editor; repeat for several' },
            description: { type: 'string', describe: 'Anthology description' },
            order: { choices: ORDERS, describe: 'Anthology story order (default: input order)' },
            name: { type: 'string', describe: 'File name template (default "{author} - {title}"; an anthology "{title}"): {title} {author} {fandom} {series} {index} (the part number in its series); a / makes subfolders inside --out' },
            force: { type: 'boolean', default: false, describe: 'Replace a file already at a book\'s path (without it the existing file is kept and the new book numbered)' },
            ...OVERRIDE_FLAGS,
            cover: { type: 'string', describe: 'auto (generated, the default), none, or a PNG or JPEG file' },
            style: { type: 'string', describe: 'Built-in style (default, classic) or a CSS file' },
            'split-words': { type: 'number', describe: 'Split a story longer than this many words into volumes, at chapter boundaries' },
            'split-chapters': { type: 'number', describe: 'Split a story into volumes of at most this many chapters' },
            format: { choices: ['epub', 'azw3'] as const, describe: 'azw3: also convert each book for Kindle with calibre\'s ebook-convert (implies --target kindle)' },
            target: { choices: TARGETS, describe: 'What the book is made for: epub (any reader, the default), kobo (a .kepub.epub), kindle (Send to Kindle)' },
            images: { type: 'boolean', default: false, describe: 'Take pictures that sit beside a saved HTML page (PNG, JPEG, GIF) into the book; never fetched from the network' },
            'front-matter': { choices: ['all', 'title', 'none'] as const, describe: 'Pages before the story: title and information pages (all, the default), the title page only, or none' },
            check: { type: 'boolean', default: false, describe: 'Run EPUBCheck on every book written (needs Java and EPUBCheck)' },
            join: { type: 'boolean', default: true, describe: 'Join inputs that are chapters or parts of one story into one book (--no-join: one book per input)' },
            prune: { type: 'boolean', default: false, describe: "When updating a story's book, drop chapters the inputs no longer hold" },
            'mark-new': { type: 'boolean', default: false, describe: 'When updating, mark the chapters added in the table of contents' },
            'update-log': { type: 'boolean', default: false, describe: 'When updating, keep a page listing what each update changed' },
            'dry-run': { type: 'boolean', default: false, describe: 'Say which books would be written or updated, and how; write nothing' },
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
            inputs: (args.inputs as string[]).map((i) => (i === STDIN_ARG ? '-' : String(i))), out: args.out, anthology: args.anthology, editor: args.editor, description: args.description, order: args.order, check: args.check,
            name: args.name, force: args.force, json: args.json, quiet: args.quiet, debug: args.debug, title: args.title, author: args.author, series: args.series,
            seriesIndex: args['series-index'], lang: args.lang, cover: args.cover, style: args.style, images: args.images, frontMatter: args['front-matter'], target: args.target, format: args.format,
            splitWords: args['split-words'], splitChapters: args['split-chapters'],
            join: args.join, prune: args.prune, markNew: args['mark-new'], updateLog: args['update-log'], dryRun: args['dry-run'],
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
          .positional('file', { type: 'string', demandOption: true, describe: 'A story file, or - for standard input' })
          .options({ ...OVERRIDE_FLAGS, json: { type: 'boolean', default: false, describe: 'Print JSON' }, debug: { type: 'boolean', default: false, describe: 'Show stack traces' } })
          .example('$0 inspect story.txt', 'see the detected format, metadata and chapters'),
      async (args) => {
        code = await runInspect({ file: args.file === STDIN_ARG ? '-' : String(args.file), json: args.json, debug: args.debug, title: args.title, author: args.author, series: args.series, seriesIndex: args['series-index'], lang: args.lang }, deps);
      },
    )
    .command(
      'serve',
      'Start the local web app: drop stories in your browser, fix what was read, get the books',
      (y) => y.options({ port: { type: 'number', default: 0, describe: 'Port on 127.0.0.1 (default: a free one)' }, open: { type: 'boolean', default: true, describe: 'Open the page in the desktop browser' } }),
      async (args) => {
        await (await import('../serve/index.js')).runServe({ port: args.port, open: args.open }, { stdout: deps.stdout, env: deps.env });
      },
    )
    .command('codes', 'List the warning and error codes with their meaning', { json: { type: 'boolean', default: false, describe: 'Print JSON: {code: meaning}' } }, (args) => {
      deps.stdout(args.json ? `${JSON.stringify(DIAGNOSTIC_CODES, null, 2)}\n` : `${Object.entries(DIAGNOSTIC_CODES).map(([k, v]) => `${k}  ${v}`).join('\n')}\n`);
    })
    .demandCommand(1, 'give a command: build, inspect, serve or codes')
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(deps.version ?? 'unknown')
    // Only help is wrapped, so only a run that may print it asks the terminal (loading tty costs ~1 ms),
    // and asks the descriptor first: opening the stdout stream costs a run that prints nothing there.
    .wrap(mayShowHelp(argv) ? Math.min(100, (isatty(1) && process.stdout.columns) || 100) : 100)
    .fail((msg, err) => {
      // Throwing stops yargs before any command handler runs.
      throw err ?? new UsageError(plainUsage(msg, argv));
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
