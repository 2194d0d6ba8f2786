/**
 * A metadata file beside a story (`story.meta.yaml`, `.meta.yml` or `.meta.json`) that sets or
 * overrides any field. Parsed with the `yaml` package (JSON is YAML too).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { createRequire } from 'node:module';
import { InputError } from '../diagnostics.js';

// yaml loads only when a metadata or project file is read.
const parse = (text: string): unknown => (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text);
import type { MetaOverrides } from '../options.js';

/** The metadata file for `input`, if one exists beside it. */
export function metaFileFor(input: string): string | undefined {
  const base = basename(input, extname(input));
  for (const ext of ['.meta.yaml', '.meta.yml', '.meta.json']) {
    const p = join(dirname(input), base + ext);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function strings(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map((x) => String(x).trim()).filter(Boolean);
  return String(v).split(/\s*[,;]\s*/).filter(Boolean);
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).trim() || undefined;
}

/** Turn a parsed metadata object into overrides; unknown keys are an error (typos matter). */
export function overridesFromObject(obj: unknown, source: string): MetaOverrides {
  if (obj === null || obj === undefined) return {};
  if (typeof obj !== 'object' || Array.isArray(obj)) throw new InputError('meta-005', `${source}: expected a mapping of field: value`);
  const o = obj as Record<string, unknown>;
  const known = new Set(['title', 'author', 'authors', 'fandom', 'fandoms', 'relationship', 'relationships', 'pairing', 'pairings', 'character', 'characters', 'rating', 'warning', 'warnings', 'tag', 'tags', 'summary', 'series', 'series_index', 'series-index', 'language', 'lang', 'date', 'published']);
  const unknown = Object.keys(o).filter((k) => !known.has(k.toLowerCase()));
  if (unknown.length) throw new InputError('meta-005', `${source}: unknown field(s) ${unknown.join(', ')}`);
  const get = (...keys: string[]): unknown => keys.map((k) => o[k]).find((v) => v !== undefined);
  const out: MetaOverrides = {};
  const set = <K extends keyof MetaOverrides>(k: K, v: MetaOverrides[K] | undefined): void => {
    if (v !== undefined) out[k] = v;
  };
  set('title', str(get('title')));
  set('authors', strings(get('authors', 'author')));
  set('fandoms', strings(get('fandoms', 'fandom')));
  set('relationships', strings(get('relationships', 'relationship', 'pairings', 'pairing')));
  set('characters', strings(get('characters', 'character')));
  set('rating', str(get('rating')));
  set('warnings', strings(get('warnings', 'warning')));
  set('tags', strings(get('tags', 'tag')));
  set('summary', str(get('summary')));
  set('language', str(get('language', 'lang')));
  set('published', str(get('published', 'date')));
  const series = str(get('series'));
  const index = get('series_index', 'series-index');
  if (series) {
    const n = index === undefined ? undefined : Number(index);
    if (n !== undefined && !Number.isFinite(n)) throw new InputError('meta-005', `${source}: series_index must be a number`);
    out.series = { name: series, ...(n !== undefined ? { index: n } : {}) };
  }
  return out;
}

// A line `key: value` whose value is words of letters and digits (the first starting with a
// letter), one space apart: a string in YAML unless it is one of these words.
const PLAIN_LINE = /^([A-Za-z][A-Za-z_-]*): ([A-Za-z][A-Za-z0-9]*(?: [A-Za-z0-9]+)*)$/;
const YAML_WORDS = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL']);

/**
 * A metadata file's text parsed as YAML. Lines of plain `key: words` (what most such files
 * are) are read here, to the same mapping: the YAML parser cost ~0.5 ms a file in a batch,
 * a tenth of a seed-sized story's whole build. Anything else goes to the parser.
 */
export function parseMetaText(text: string): unknown {
  const out: Record<string, string> = {};
  let fields = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const m = PLAIN_LINE.exec(line);
    if (!m || YAML_WORDS.has(m[1]!) || YAML_WORDS.has(m[2]!) || Object.hasOwn(out, m[1]!)) return parse(text);
    out[m[1]!] = m[2]!;
    fields++;
  }
  return fields ? out : parse(text);
}

/** Read and parse a metadata file. Throws InputError with the file name on any problem. */
export function readMetaFile(path: string): MetaOverrides {
  let parsed: unknown;
  try {
    parsed = parseMetaText(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError('meta-005', `${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  return overridesFromObject(parsed, path);
}
