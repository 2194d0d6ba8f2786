/** What a command takes in: story files (folders, quoted globs, project files) and the flags that become options. */
import { readdir, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, resolve } from 'node:path';
import { defaultOptions, type MetaOverrides, type Options } from '../options.js';
import type { Target } from '../package/writer.js';
import { isProjectFile, readProject, type Project } from '../project.js';
import { storyExtensions } from '../read/formats/index.js';
import { errorMessage, type Failure } from './report.js';

// What a folder scan takes: every ending some format reads (the registry's declarations).
const STORY_EXTENSIONS = new Set(storyExtensions());

const GLOB_CHARS = /[*?[\]{}]/;

/** A story input and the overrides that come with it (from a project file). */
export interface StoryInput {
  path: string;
  overrides: MetaOverrides;
}

/**
 * Expand inputs: folders to the story files inside (sorted), quoted shell globs to their
 * matches (sorted), project files to their stories; duplicates dropped, first one kept. Inputs
 * that give no story are added to `failures`.
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
      if (names.length === 0) failures.push({ input, error: `the folder holds no story files (${[...STORY_EXTENSIONS].join(', ')})` });
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
  target?: Target;
  splitWords?: number;
  splitChapters?: number;
}

const positive = (n: number | undefined): n is number => n !== undefined && Number.isFinite(n) && n > 0;

/** Options from flags and the environment (SOURCE_DATE_EPOCH) over the defaults. */
export function optionsFrom(a: OptionFlags, env: Record<string, string | undefined>): Options {
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
    target: a.target ?? defaults.target,
    ...(positive(a.splitWords) || positive(a.splitChapters) ? { split: { ...(positive(a.splitWords) ? { words: a.splitWords } : {}), ...(positive(a.splitChapters) ? { chapters: a.splitChapters } : {}) } } : {}),
    ...(epoch !== undefined && Number.isFinite(epoch) ? { sourceDateEpoch: epoch } : {}),
  };
}
