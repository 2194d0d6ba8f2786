/**
 * The library API: read a story from a file, build one EPUB per story, or one anthology.
 * Nothing here prints; problems come back as diagnostics or InputError.
 */
import { readFile } from 'node:fs/promises';
import { loadCss } from './assets.js';
import { type Diagnostic, InputError } from './diagnostics.js';
import type { Anthology, Story } from './model.js';
import { defaultOptions, type Options } from './options.js';
import { packageEpub } from './package/epub.js';
import { decode } from './read/decode.js';
import { detectFormat, type Detection } from './read/detect.js';
import { finalizeStory, mergeOverrides } from './read/finalize.js';
import { metaFileFor, readMetaFile } from './read/meta-file.js';
import { planAnthology, planStory, type BookPlan } from './render/book.js';
import { transformStory } from './transform/index.js';

export type { Anthology, Story } from './model.js';
export type { Diagnostic } from './diagnostics.js';
export { defaultOptions, type Options } from './options.js';

/** A story read from an input, with what was guessed along the way. */
export interface ReadOutcome {
  story: Story;
  diagnostics: Diagnostic[];
  detection: Detection;
}

/**
 * Read a story from bytes: decode, detect the format, read, transform (emphasis, typography),
 * then apply overrides and placeholders. `fileOverrides` come from a metadata file beside the
 * input; `options.overrides` (flags) beat them.
 */
export async function readStoryBytes(path: string, bytes: Uint8Array, options: Options = defaultOptions(), fileOverrides = {}): Promise<ReadOutcome> {
  const decoded = decode(bytes, path);
  const input = { path, text: decoded.text, encoding: decoded.encoding };
  const detection = detectFormat(input);
  const read = detection.format.read(input, options);
  const story: Story = { ...read.story, source: { ...read.story.source, score: detection.score } };
  const hasText = story.chapters.some((c) => c.sections.some((s) => s.blocks.some((b) => b.kind !== 'break')));
  if (!hasText) throw new InputError('read-007', 'no story text was found');
  const transformed = transformStory(story, options);
  const fin = await finalizeStory(transformed, mergeOverrides(fileOverrides, options.overrides), options);
  return { story: fin.story, diagnostics: [...decoded.diagnostics, ...read.diagnostics, ...fin.diagnostics], detection };
}

/** Read a story from a file, with its metadata file when one sits beside it. */
export async function readStory(path: string, options: Options = defaultOptions()): Promise<ReadOutcome> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.code === 'EACCES' ? 'permission denied' : err.message;
    throw new InputError('read-003', why);
  }
  const metaFile = metaFileFor(path);
  const fileOverrides = metaFile ? readMetaFile(metaFile) : {};
  return readStoryBytes(path, bytes, options, fileOverrides);
}

async function coverFor(title: string, authors: string[], subtitle: string | undefined, series: string | undefined, options: Options): Promise<Uint8Array | undefined> {
  if (options.cover === 'none') return undefined;
  if (options.cover !== 'auto') return new Uint8Array(await readFile(options.cover));
  const { renderCover } = await import('./render/cover.js');
  return renderCover({ title, authors, ...(subtitle ? { subtitle } : {}), ...(series ? { series } : {}) });
}

/** A built book: its bytes and the plan it was packaged from. */
export interface Built {
  bytes: Buffer;
  plan: BookPlan;
}

/** Build one EPUB from one story. */
export async function buildEpub(story: Story, options: Options = defaultOptions()): Promise<Built> {
  const m = story.meta;
  const cover = await coverFor(m.title ?? options.placeholderTitle, m.authors, m.fandoms.join(', ') || undefined, m.series ? `${m.series.name}${m.series.index ? `, part ${m.series.index}` : ''}` : undefined, options);
  const plan = planStory(story, { css: loadCss(options.style), ...(cover ? { cover } : {}), ...(options.sourceDateEpoch !== undefined ? { sourceDateEpoch: options.sourceDateEpoch } : {}) });
  return { bytes: await packageEpub(plan), plan };
}

/** Build one EPUB holding every story of an anthology. */
export async function buildAnthology(anthology: Anthology, options: Options = defaultOptions()): Promise<Built> {
  const n = anthology.stories.length;
  const cover = await coverFor(anthology.title, anthology.editors, `${n} ${n === 1 ? 'story' : 'stories'}`, undefined, options);
  const plan = planAnthology(anthology, { css: loadCss(options.style), ...(cover ? { cover } : {}), ...(options.sourceDateEpoch !== undefined ? { sourceDateEpoch: options.sourceDateEpoch } : {}) });
  return { bytes: await packageEpub(plan), plan };
}
