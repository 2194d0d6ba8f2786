/**
 * Anthology assembly as a whole job: settings from flags over the project file, the stories'
 * order, and the book built from the stories' parts. Any front end (the CLI, the web app) calls
 * this; nothing here prints or writes files.
 */
import type { Diagnostic } from '../diagnostics.js';
import { buildAnthologyParts, defaultBuildContext, type BuildContext, type Built } from '../index.js';
import type { Meta } from '../model.js';
import type { Options } from '../options.js';
import type { PackedPage } from '../package/page-file.js';
import type { AnthologyOrder, Project } from '../project.js';
import type { StoryPart } from '../render/book.js';

/** What the caller asks for; unset fields come from the project file. */
export interface AnthologyRequest {
  title?: string;
  editors?: string[];
  description?: string;
  order?: AnthologyOrder;
}

/** An anthology's settled settings. */
export interface AnthologySettings {
  title: string;
  editors: string[];
  description?: string;
  order: AnthologyOrder;
}

/** The anthology's settings (the request beats the project file), or undefined when neither asks for one. */
export function anthologySettings(request: AnthologyRequest, project?: Project): AnthologySettings | undefined {
  const title = request.title ?? project?.title;
  if (title === undefined) return undefined;
  const description = request.description ?? project?.description;
  return { title, editors: request.editors ?? project?.editors ?? [], ...(description ? { description } : {}), order: request.order ?? project?.order ?? 'input' };
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

/** One story read for an anthology: where it came from, its metadata, its planned part. */
export interface AnthologyStory {
  input: string;
  meta: Meta;
  part: StoryPart<PackedPage>;
  diagnostics: Diagnostic[];
}

/** Bind the stories (in the settings' order) into one book. */
export async function assembleAnthology(settings: AnthologySettings, stories: AnthologyStory[], options: Options, ctx: BuildContext = defaultBuildContext()): Promise<{ built: Built; stories: AnthologyStory[] }> {
  const ordered = orderStories(stories, settings.order);
  const info = { title: settings.title, editors: settings.editors, ...(settings.description ? { description: settings.description } : {}) };
  const built = await buildAnthologyParts(info, ordered.map((s) => s.part), options, ctx);
  return { built, stories: ordered };
}
