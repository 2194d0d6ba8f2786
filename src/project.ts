/**
 * Anthology project files (`anthology.yaml`): the title, editors, description, cover, style,
 * order and the ordered list of stories with per-story overrides, so a collection can be
 * rebuilt exactly.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { createRequire } from 'node:module';
import { InputError } from './diagnostics.js';

// yaml loads only when a metadata or project file is read.
const parse = (text: string): unknown => (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text);
import type { MetaOverrides } from './options.js';
import { overridesFromObject } from './read/meta-file.js';
import { TARGETS, type Target } from './package/writer.js';

/** One story of a project: its file and the overrides for it. */
export interface ProjectStory {
  path: string;
  overrides: MetaOverrides;
}

/** A parsed project file. */
export interface Project {
  title: string;
  editors: string[];
  description?: string;
  cover?: string;
  style?: string;
  order?: AnthologyOrder;
  /** What the book is made for (`--target`). */
  target?: Target;
  stories: ProjectStory[];
}

/** How anthology stories are ordered. */
export type AnthologyOrder = 'input' | 'title' | 'author' | 'date';
export const ORDERS: readonly AnthologyOrder[] = ['input', 'title', 'author', 'date'];

/** True when the file looks like a project file: YAML with a `stories:` list. */
export function isProjectFile(path: string, text?: string): boolean {
  if (!/\.ya?ml$/i.test(path) || /\.meta\.ya?ml$/i.test(path)) return false;
  try {
    return /^stories\s*:/m.test(text ?? readFileSync(path, 'utf8'));
  } catch {
    return false;
  }
}

function list(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => String(x).trim()).filter(Boolean);
}

/** Read a project file; story paths are resolved against the file's folder. */
export function readProject(path: string): Project {
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError('meta-005', `${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new InputError('meta-005', `${path}: expected a mapping with title and stories`);
  const d = doc as Record<string, unknown>;
  const known = new Set(['title', 'editor', 'editors', 'description', 'cover', 'style', 'order', 'target', 'stories']);
  const unknown = Object.keys(d).filter((k) => !known.has(k));
  if (unknown.length) throw new InputError('meta-005', `${path}: unknown field(s) ${unknown.join(', ')}`);
  if (typeof d.title !== 'string' || !d.title.trim()) throw new InputError('meta-005', `${path}: the project needs a title`);
  if (!Array.isArray(d.stories) || d.stories.length === 0) throw new InputError('meta-005', `${path}: the project needs a list of stories`);
  const base = dirname(path);
  const resolveIn = (p: string): string => (isAbsolute(p) ? p : join(base, p));
  const stories = d.stories.map((entry, i): ProjectStory => {
    if (typeof entry === 'string') return { path: resolveIn(entry), overrides: {} };
    if (!entry || typeof entry !== 'object') throw new InputError('meta-005', `${path}: story ${i + 1} must be a file name or a mapping with file:`);
    const { file, path: p, ...rest } = entry as Record<string, unknown>;
    const f = file ?? p;
    if (typeof f !== 'string') throw new InputError('meta-005', `${path}: story ${i + 1} has no file:`);
    return { path: resolveIn(f), overrides: overridesFromObject(rest, `${path} (story ${i + 1})`) };
  });
  const order = d.order === undefined ? undefined : String(d.order);
  if (order !== undefined && !ORDERS.includes(order as AnthologyOrder)) throw new InputError('meta-005', `${path}: order must be one of ${ORDERS.join(', ')}`);
  const target = d.target === undefined ? undefined : String(d.target);
  if (target !== undefined && !TARGETS.includes(target as Target)) throw new InputError('meta-005', `${path}: target must be one of ${TARGETS.join(', ')}`);
  return {
    title: d.title.trim(),
    editors: list(d.editors ?? d.editor),
    ...(typeof d.description === 'string' ? { description: d.description } : {}),
    ...(typeof d.cover === 'string' ? { cover: d.cover === 'auto' || d.cover === 'none' ? d.cover : resolveIn(d.cover) } : {}),
    ...(typeof d.style === 'string' ? { style: /\.css$/i.test(d.style) ? resolveIn(d.style) : d.style } : {}),
    ...(order ? { order: order as AnthologyOrder } : {}),
    ...(target ? { target: target as Target } : {}),
    stories,
  };
}
