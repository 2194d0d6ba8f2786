/** What a command takes in: story files (folders, quoted globs, project files) and the flags that become options. */
import { readdir, realpath, stat } from '../fs-async.js';
import { extname, isAbsolute, join, resolve } from 'node:path';
import { defaultOptions, type MetaOverrides, type Options } from '../options.js';
import type { Target } from '../package/writer.js';
import { isProjectFile, readProject, type Project } from '../project.js';
import { storyExtensions } from '../read/formats/index.js';
import { errorMessage, type Failure } from './report.js';

// What a folder scan takes: every ending some format reads (the registry's declarations).
const STORY_EXTENSIONS = new Set(storyExtensions());

const GLOB_CHARS = /[*?[\]{}]/;

/** The name a story read from standard input goes by. */
export const STDIN_NAME = 'stdin';

/** A story input and the overrides that come with it (from a project file). */
export interface StoryInput {
  path: string;
  overrides: MetaOverrides;
  /** Read from standard input (`-`): its bytes. */
  bytes?: Uint8Array;
}

/** Files inside folders that were not taken: hidden ones, and others by extension. */
export interface Skipped {
  hidden: number;
  byExtension: Map<string, number>;
}

/** "3 files in folders skipped (2 not story files: .pdf, .png; 1 hidden)", or '' when none was. */
export function skippedNote(skipped: Skipped): string {
  const other = [...skipped.byExtension.values()].reduce((a, b) => a + b, 0);
  const total = other + skipped.hidden;
  if (!total) return '';
  const why = [...(other ? [`${other} not story files: ${[...skipped.byExtension.keys()].sort().join(', ')}`] : []), ...(skipped.hidden ? [`${skipped.hidden} hidden`] : [])];
  return `${total} ${total === 1 ? 'file' : 'files'} in folders skipped (${why.join('; ')})`;
}

/** Story files in a folder and every folder below it (sorted); hidden entries and other files are counted in `skipped`. */
async function storyFilesIn(dir: string, skipped: Skipped, seenDirs = new Set<string>()): Promise<string[]> {
  // A link back up the tree must not loop.
  const real = await realpath(dir).catch(() => dir);
  if (seenDirs.has(real)) return [];
  seenDirs.add(real);
  const out: string[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = join(dir, e.name);
    if (e.name.startsWith('.')) {
      skipped.hidden++;
      continue;
    }
    const isDir = e.isDirectory() || (e.isSymbolicLink() && (await stat(p).then((s) => s.isDirectory(), () => false)));
    if (isDir) out.push(...(await storyFilesIn(p, skipped, seenDirs)));
    else if (STORY_EXTENSIONS.has(extname(e.name).toLowerCase())) out.push(p);
    // Metadata and project files belong to their stories; they are read with them.
    else if (!/\.ya?ml$/i.test(e.name)) {
      const ext = extname(e.name).toLowerCase() || '(no extension)';
      skipped.byExtension.set(ext, (skipped.byExtension.get(ext) ?? 0) + 1);
    }
  }
  return out;
}

/** Standard input as bytes; refused when it is a terminal (nothing was piped in). */
export async function readStandardInput(deps: { stdin?: () => Promise<Uint8Array>; stdinIsTTY?: boolean }): Promise<Uint8Array> {
  if (deps.stdinIsTTY) throw new Error('"-" reads a story from standard input, but nothing was piped in (try: fic2epub build - < story.txt)');
  if (!deps.stdin) throw new Error('standard input cannot be read here');
  return deps.stdin();
}

/**
 * Expand inputs: folders to the story files inside them and below (sorted), quoted shell globs
 * to their matches (sorted), project files to their stories, `-` to standard input; duplicates
 * dropped, first one kept. Inputs that give no story are added to `failures`.
 */
export async function expandInputs(inputs: string[], failures: Failure[], deps: { stdin?: () => Promise<Uint8Array>; stdinIsTTY?: boolean } = {}): Promise<{ stories: StoryInput[]; project?: Project; skipped: Skipped }> {
  const out: StoryInput[] = [];
  const seen = new Set<string>();
  const skipped: Skipped = { hidden: 0, byExtension: new Map() };
  let project: Project | undefined;
  const add = (p: string, overrides: MetaOverrides = {}): void => {
    const key = resolve(p);
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ path: p, overrides });
    }
  };
  for (const input of inputs) {
    if (input === '-') {
      if (seen.has('\0stdin')) continue;
      seen.add('\0stdin');
      try {
        out.push({ path: STDIN_NAME, overrides: {}, bytes: await readStandardInput(deps) });
      } catch (e) {
        failures.push({ input: STDIN_NAME, error: errorMessage(e, false) });
      }
      continue;
    }
    if (/^(?:https?|ftp):\/\//i.test(input) || /^www\.[^/\s]+\.[a-z]{2,}/i.test(input)) {
      failures.push({ input, error: 'URLs are never fetched: save the page in your browser (File > Save Page As) and give the file' });
      continue;
    }
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
      const files = await storyFilesIn(input, skipped);
      if (files.length === 0) failures.push({ input, error: `the folder holds no story files (${[...STORY_EXTENSIONS].join(', ')}), not even in its subfolders` });
      for (const f of files) add(f);
    } else if (isProjectFile(input)) {
      try {
        project = readProject(input);
        for (const s of project.stories) add(s.path, s.overrides);
      } catch (e) {
        failures.push({ input, error: errorMessage(e, false) });
      }
    } else add(input);
  }
  return { stories: out, ...(project ? { project } : {}), skipped };
}

/** The flags that set book options, as yargs parsed them. */
export interface OptionFlags {
  title?: string;
  author?: string[];
  series?: string;
  seriesIndex?: number;
  lang?: string;
  cover?: string;
  style?: string;
  images?: boolean;
  frontMatter?: Options['frontMatter'];
  target?: Target;
  splitWords?: number;
  splitChapters?: number;
}

const positive = (n: number | undefined): n is number => n !== undefined && Number.isFinite(n) && n > 0;

/** Options from flags (the cover and style resolved already) and the environment
 * (SOURCE_DATE_EPOCH) over the defaults. */
export function optionsFrom(a: Omit<OptionFlags, 'cover' | 'style'> & Partial<Pick<Options, 'cover' | 'style'>>, env: Record<string, string | undefined>): Options {
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
    frontMatter: a.frontMatter ?? defaults.frontMatter,
    target: a.target ?? defaults.target,
    ...(positive(a.splitWords) || positive(a.splitChapters) ? { split: { ...(positive(a.splitWords) ? { words: a.splitWords } : {}), ...(positive(a.splitChapters) ? { chapters: a.splitChapters } : {}) } } : {}),
    ...(epoch !== undefined && Number.isFinite(epoch) ? { sourceDateEpoch: epoch } : {}),
  };
}
