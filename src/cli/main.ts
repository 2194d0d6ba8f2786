/**
 * The command line: commands (build, inspect, codes), their flags and help, and the exit code.
 * `main(argv, deps)` returns the exit code; only the CLI (src/cli/) writes to the terminal. One
 * file per job: inputs (files and flags), build, inspect, report (what is printed), output (book
 * files).
 *
 * Flags are parsed by Node's own `util.parseArgs` from the table below, which also writes the
 * help: a command-line framework (yargs, used before) cost a sixth of a one-story build's
 * start-up to load and run, for three commands.
 */
import { parseArgs } from 'node:util';
import { DIAGNOSTIC_CODES } from '../diagnostics.js';
import { ORDERS, type AnthologyOrder } from '../project.js';
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

/** One flag: how it is parsed and what its help says. */
interface Flag {
  type: 'string' | 'boolean' | 'number';
  describe: string;
  short?: string;
  /** Repeatable: every value is kept. */
  multiple?: boolean;
  /** The values allowed. */
  choices?: readonly string[];
  /** Shown in the help. */
  default?: string | boolean;
}

const OVERRIDE_FLAGS: Record<string, Flag> = {
  title: { type: 'string', describe: 'Set the title (beats the source and the .meta.yaml file)' },
  author: { type: 'string', multiple: true, describe: 'Set the author; repeat for several' },
  series: { type: 'string', describe: 'Set the series name' },
  'series-index': { type: 'number', describe: 'Set the position in the series' },
  lang: { type: 'string', describe: 'Set the language (BCP 47, e.g. en, de, pt-BR)' },
};

const HELP_FLAG: Record<string, Flag> = { help: { type: 'boolean', short: 'h', describe: 'Show help' } };

/** A command: its arguments, flags, help and what it runs. */
interface Command {
  usage: string;
  describe: string;
  /** Positional arguments: name, help, and whether it takes several. */
  positional?: { name: string; describe: string; variadic: boolean };
  flags: Record<string, Flag>;
  examples: [string, string][];
  run: (positionals: string[], values: Values, deps: Deps) => Promise<number>;
}

type Values = Record<string, string | boolean | number | string[] | undefined>;

const COMMANDS: Record<string, Command> = {
  build: {
    usage: 'build <inputs..>',
    describe: 'Build one EPUB per story, or one anthology',
    positional: { name: 'inputs', describe: 'Story files or folders of them', variadic: true },
    flags: {
      out: { type: 'string', short: 'o', describe: 'Output folder (one book per story; default: current folder) or, with --anthology, the .epub file' },
      anthology: { type: 'string', describe: 'Bind every story into one book with this title' },
      editor: { type: 'string', multiple: true, describe: 'Anthology editor; repeat for several' },
      description: { type: 'string', describe: 'Anthology description' },
      order: { type: 'string', choices: ORDERS, describe: 'Anthology story order (default: input order)' },
      name: { type: 'string', default: '{author} - {title}', describe: 'File name template: {title} {author} {fandom} {series} {index}' },
      ...OVERRIDE_FLAGS,
      cover: { type: 'string', describe: 'auto (generated, the default), none, or a PNG file' },
      style: { type: 'string', describe: 'Built-in style (default, classic) or a CSS file' },
      images: { type: 'boolean', default: false, describe: 'Take pictures that sit beside a saved HTML page (PNG, JPEG, GIF) into the book; never fetched from the network' },
      check: { type: 'boolean', default: false, describe: 'Run EPUBCheck on every book written (needs Java and EPUBCheck)' },
      json: { type: 'boolean', default: false, describe: 'Print the report as JSON on stdout' },
      quiet: { type: 'boolean', short: 'q', default: false, describe: 'Print errors only' },
      debug: { type: 'boolean', default: false, describe: 'Show stack traces for unexpected errors' },
      ...HELP_FLAG,
    },
    examples: [
      ['fic2epub build story.txt --out books/', 'one EPUB in books/'],
      ['fic2epub build saved/ --out books/ --json', 'every story in saved/, report as JSON'],
      ['fic2epub build a.txt b.html --anthology "Summer Fics" --order title --out summer.epub', 'one anthology, stories by title'],
      ['fic2epub build anthology.yaml --out summer.epub', 'an anthology from a project file'],
      ['fic2epub build "saved/*.html" --name "{fandom} - {title}" --check', 'a quoted glob, names from metadata, validated'],
    ],
    run: async (inputs, v, deps) => {
      return runBuild(
        {
          inputs, out: str(v.out), anthology: str(v.anthology), editor: list(v.editor), description: str(v.description), order: str(v.order) as AnthologyOrder | undefined,
          check: v.check === true, name: str(v.name) ?? '{author} - {title}', json: v.json === true, quiet: v.quiet === true, debug: v.debug === true,
          ...overrides(v), cover: str(v.cover), style: str(v.style), images: v.images === true,
        },
        deps,
      );
    },
  },
  inspect: {
    usage: 'inspect <file>',
    describe: 'Show what fic2epub reads from a story: format, metadata, outline, warnings',
    positional: { name: 'file', describe: 'A story file', variadic: false },
    flags: { ...OVERRIDE_FLAGS, json: { type: 'boolean', default: false, describe: 'Print JSON' }, debug: { type: 'boolean', default: false, describe: 'Show stack traces' }, ...HELP_FLAG },
    examples: [['fic2epub inspect story.txt', 'see the detected format, metadata and chapters']],
    run: async ([file], v, deps) => {
      return runInspect({ file: file!, json: v.json === true, debug: v.debug === true, ...overrides(v) }, deps);
    },
  },
  codes: {
    usage: 'codes',
    describe: 'List the warning and error codes with their meaning',
    flags: HELP_FLAG,
    examples: [],
    run: async (_p, _v, deps) => {
      deps.stdout(`${Object.entries(DIAGNOSTIC_CODES).map(([k, v]) => `${k}  ${v}`).join('\n')}\n`);
      return EXIT.ok;
    },
  },
};

const str = (v: Values[string]): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: Values[string]): string[] | undefined => (Array.isArray(v) ? v : undefined);

function overrides(v: Values): { title?: string; author?: string[]; series?: string; seriesIndex?: number; lang?: string } {
  return { title: str(v.title), author: list(v.author), series: str(v.series), seriesIndex: typeof v['series-index'] === 'number' ? v['series-index'] : undefined, lang: str(v.lang) };
}

/** Bad usage: unknown flags or commands, missing or malformed arguments. */
class UsageError extends Error {}

/** Two columns: names padded to one width, then their help. */
function columns(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, text]) => `  ${name.padEnd(width)}  ${text}`.trimEnd());
}

function flagHelp(flags: Record<string, Flag>): string[] {
  return columns(
    Object.entries(flags).map(([name, f]) => {
      const extra = [f.type !== 'string' ? `[${f.type}]` : '', f.multiple ? '[repeatable]' : '', f.choices ? `[${f.choices.join(', ')}]` : '', f.default !== undefined ? `[default: ${JSON.stringify(f.default)}]` : ''].filter(Boolean).join(' ');
      return [`${f.short ? `-${f.short}, ` : '    '}--${name}`, `${f.describe}${extra ? ` ${extra}` : ''}`];
    }),
  );
}

/** The help of the whole program, or of one command. */
export function helpText(command?: string): string {
  const c = command !== undefined ? COMMANDS[command] : undefined;
  if (!c) {
    return [
      'fic2epub <command> [options]', '', 'Compile saved fan fiction (text or HTML) into EPUB 3 books.', '', 'Commands:',
      ...columns(Object.values(COMMANDS).map((x) => [`fic2epub ${x.usage}`, x.describe])), '', 'Options:', ...flagHelp(HELP_FLAG),
    ].join('\n');
  }
  return [
    `fic2epub ${c.usage}`, '', c.describe,
    ...(c.positional ? ['', 'Positionals:', ...columns([[c.positional.name, c.positional.describe]])] : []),
    '', 'Options:', ...flagHelp(c.flags),
    ...(c.examples.length ? ['', 'Examples:', ...columns(c.examples)] : []),
  ].join('\n');
}

/** Parse one command's arguments: flags by the table (`--no-x` sets a boolean false), numbers and choices checked. */
function parseCommand(c: Command, args: string[]): { positionals: string[]; values: Values } {
  const negated: string[] = [];
  const kept = args.filter((a, i) => {
    const name = a.startsWith('--no-') && !args.slice(0, i).includes('--') ? a.slice(5) : undefined;
    if (name !== undefined && c.flags[name]?.type === 'boolean') return void negated.push(name), false;
    return true;
  });
  let parsed;
  try {
    parsed = parseArgs({
      args: kept,
      options: Object.fromEntries(Object.entries(c.flags).map(([name, f]) => [name, { type: f.type === 'boolean' ? 'boolean' : 'string', ...(f.short ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}) }])),
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, ''));
  }
  const values: Values = { ...(parsed.values as Values) };
  for (const name of negated) values[name] = false;
  for (const [name, f] of Object.entries(c.flags)) {
    const v = values[name];
    if (f.type === 'number' && typeof v === 'string') {
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} takes a number, not "${v}"`);
      values[name] = n;
    }
    if (f.choices && typeof v === 'string' && !f.choices.includes(v)) throw new UsageError(`--${name} must be one of ${f.choices.join(', ')}, not "${v}"`);
  }
  return { positionals: parsed.positionals, values };
}

/** Run the CLI with `argv` (without node and script). Returns the exit code. */
export async function main(argv: string[], deps: Deps): Promise<number> {
  const [name, ...rest] = argv;
  const command = name !== undefined ? COMMANDS[name] : undefined;
  try {
    if (name === undefined || name === '--help' || name === '-h') {
      if (name === undefined) throw new UsageError('Give a command: build, inspect or codes');
      deps.stdout(`${helpText()}\n`);
      return EXIT.ok;
    }
    if (!command) throw new UsageError(name.startsWith('-') ? `Unknown option ${name}: give a command first (build, inspect or codes)` : `Unknown command "${name}": give build, inspect or codes`);
    const { positionals, values } = parseCommand(command, rest);
    if (values.help === true) {
      deps.stdout(`${helpText(name)}\n`);
      return EXIT.ok;
    }
    const p = command.positional;
    if (p && positionals.length === 0) throw new UsageError(`Missing ${p.name}: fic2epub ${command.usage}`);
    if (positionals.length > (p ? (p.variadic ? Infinity : 1) : 0)) throw new UsageError(`Unexpected argument "${positionals[p ? 1 : 0]}": fic2epub ${command.usage}`);
    return await command.run(positionals, values, deps);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    deps.stderr(`error: ${e.message}\nRun "fic2epub --help" for usage.`);
    return EXIT.usage;
  }
}
