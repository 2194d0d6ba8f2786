/**
 * The library API: read a story from a file, build one EPUB per story, or one anthology.
 * Nothing here prints; problems come back as diagnostics or InputError.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadCss } from './assets.js';
import { type Diagnostic, InputError, info, warning } from './diagnostics.js';
import type { Anthology, Meta, Story } from './model.js';
import { defaultOptions, type Options } from './options.js';
import { decode } from './read/decode.js';
import { detectFormat, type Detection } from './read/detect.js';
import { finalizeStory, mergeOverrides } from './read/finalize.js';
import { metaFileFor, readMetaFile } from './read/meta-file.js';
import { markAuthorNotesInChapters } from './read/author-notes.js';
import { detectVoicesInChapters, storyVoices } from './read/voices.js';
import { planAnthologyParts, planStory, storyPart, type AnthologyInfo, type BookPlan, type PlanContext, type StoryPart } from './render/book.js';
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

/** What a caller can hear about while a story is read. */
export interface ReadHooks {
  /** The title, authors, fandoms and series are final (the rest of the story is still being read). */
  onMetaSettled?: (meta: Meta) => void;
}

/**
 * Read a story from bytes: decode, detect the format, read, transform (emphasis, typography),
 * then apply overrides and placeholders. `fileOverrides` come from a metadata file beside the
 * input; `options.overrides` (flags) beat them.
 */
export async function readStoryBytes(path: string, bytes: Uint8Array, options: Options = defaultOptions(), fileOverrides = {}, hooks: ReadHooks = {}): Promise<ReadOutcome> {
  const decoded = decode(bytes, path);
  const input = { path, text: decoded.text, encoding: decoded.encoding };
  const detection = detectFormat(input);
  const read = detection.format.read(input, options);
  if (detection.score <= 0.1) read.diagnostics.push(info('read-006', `no source format was recognised; read as ${detection.format.name}`, path));
  let story: Story = { ...read.story, source: { ...read.story.source, score: detection.score } };
  // Author's notes in the text ("A/N: …") are set apart in place, before voices are looked for.
  const noted = markAuthorNotesInChapters(story.chapters);
  if (noted.found) {
    story = { ...story, chapters: noted.chapters };
    read.diagnostics.push(info('struct-004', `${noted.found} author's ${noted.found === 1 ? 'note' : 'notes'} in the story text set apart`, path));
  }
  // Narrator voices ("Lex:" / "Clark:" parts) are a structure of the story, not of its site.
  if (!story.chapters.some((c) => c.sections.some((s) => s.voice))) {
    story = { ...story, chapters: detectVoicesInChapters(story.chapters) };
    const voices = storyVoices(story.chapters);
    if (voices.length) read.diagnostics.push(info('struct-002', `voice sections found: ${voices.join(', ')}`, path));
  }
  const hasText = story.chapters.some((c) => c.sections.some((s) => s.blocks.some((b) => b.kind !== 'break')));
  if (!hasText) throw new InputError('read-007', 'no story text was found');
  // Metadata first: typography depends on the language.
  const fin = await finalizeStory(story, mergeOverrides(fileOverrides, options.overrides), options, hooks.onMetaSettled);
  const transformed = transformStory(fin.story, options);
  return { story: transformed, diagnostics: [...decoded.diagnostics, ...read.diagnostics, ...fin.diagnostics], detection };
}

/**
 * Read a story from a file, with its metadata file when one sits beside it. The file is read
 * synchronously: a story is small, and in a batch worker an asynchronous read left the core idle
 * for its round trips through the thread pool (~1 ms a story, 8 % of the worker's time).
 */
export async function readStory(path: string, options: Options = defaultOptions(), hooks: ReadHooks = {}): Promise<ReadOutcome> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.code === 'EACCES' ? 'permission denied' : err.message;
    throw new InputError('read-003', why);
  }
  const metaFile = metaFileFor(path);
  const fileOverrides = metaFile ? readMetaFile(metaFile) : {};
  return readStoryBytes(path, bytes, options, fileOverrides, hooks);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The cover's PNG bytes: none, the user's file (must be a PNG), or a generated one. A generated
 * cover that fails to render leaves the book without a cover and says so (build-001). */
async function coverFor(spec: { title: string; authors: string[]; subtitle?: string; series?: string }, options: Options, diagnostics: Diagnostic[]): Promise<Uint8Array | undefined> {
  if (options.cover === 'none') return undefined;
  if (options.cover !== 'auto') {
    const bytes = new Uint8Array(await readFile(options.cover));
    if (!PNG_SIGNATURE.every((b, i) => bytes[i] === b)) throw new Error(`the cover ${options.cover} is not a PNG image`);
    return bytes;
  }
  try {
    const onThread = (await import('./render/cover-thread.js')).renderCoverOnThread(spec, { theme: options.coverTheme });
    if (onThread) return await onThread;
    const { renderCover } = await import('./render/cover.js');
    return await renderCover(spec, { theme: options.coverTheme });
  } catch (e) {
    diagnostics.push(warning('build-001', `the cover could not be rendered (${(e as Error).message}); the book has no cover`));
    return undefined;
  }
}

/** A built book: its bytes, the plan it was packaged from, and what went wrong on the way. */
export interface Built {
  bytes: Buffer;
  plan: BookPlan;
  diagnostics: Diagnostic[];
}

/** A cover on its way: its PNG (undefined: no cover), and what went wrong making it. */
export interface PendingCover {
  png: Promise<Uint8Array | undefined>;
  diagnostics: Diagnostic[];
}

/**
 * Start the cover of a story's own book. Its title, authors, fandoms and series are all it
 * needs, so it can start as soon as those are settled (`ReadHooks.onMetaSettled`) and draw
 * while the rest of the story is read.
 */
export function startStoryCover(m: Meta, options: Options): PendingCover {
  const diagnostics: Diagnostic[] = [];
  const png = coverFor(
    {
      title: m.title ?? options.placeholderTitle,
      authors: [...m.authors],
      ...(m.fandoms.length ? { subtitle: m.fandoms.join(', ') } : {}),
      ...(m.series ? { series: `${m.series.name}${m.series.index ? `, part ${m.series.index}` : ''}` } : {}),
    },
    options,
    diagnostics,
  );
  // Awaited by buildEpub; if the story fails before that, its cover's failure is not news.
  png.catch(() => undefined);
  return { png, diagnostics };
}

/** Build one EPUB from one story, with its cover started earlier or now. */
export async function buildEpub(story: Story, options: Options = defaultOptions(), cover: PendingCover = startStoryCover(story.meta, options)): Promise<Built> {
  return packageWithCover(cover.png, options, cover.diagnostics, (ctx) => planStory(story, ctx));
}

/** Build one EPUB holding every story of an anthology. */
export async function buildAnthology(anthology: Anthology, options: Options = defaultOptions()): Promise<Built> {
  const { stories, ...info } = anthology;
  const lang = info.language ?? stories[0]?.meta.language ?? 'en';
  return buildAnthologyParts(info, stories.map((s, i) => storyPart(s, i + 1, lang)), options);
}

/** Build an anthology from its stories' parts (see `storyPart`), in the order given. */
export async function buildAnthologyParts(info: AnthologyInfo, parts: StoryPart[], options: Options = defaultOptions()): Promise<Built> {
  const n = parts.length;
  const diagnostics: Diagnostic[] = [];
  const coverDone = coverFor({ title: info.title, authors: info.editors, subtitle: `${n} ${n === 1 ? 'story' : 'stories'}` }, options, diagnostics);
  return packageWithCover(coverDone, options, diagnostics, (ctx) => planAnthologyParts(info, parts, ctx));
}

/** Why a book planned with a cover is planned again: its cover could not be made. */
const NO_COVER = Symbol('no cover');

/**
 * Plan and package while the cover is drawn (on the cover thread, when one runs): the pages are
 * planned with the cover's place kept, rendered and compressed, and the cover's bytes go into the
 * archive last. If no cover comes (it failed; build-001 says why), the book is planned again
 * without one. Meanwhile the packager (epub-gen-memory) loads on this thread.
 */
async function packageWithCover(coverDone: Promise<Uint8Array | undefined>, options: Options, diagnostics: Diagnostic[], plan: (ctx: PlanContext) => BookPlan): Promise<Built> {
  const packager = import('./package/epub.js');
  packager.catch(() => undefined); // awaited below; a load failure must not surface as unhandled meanwhile
  const ctx: PlanContext = { css: loadCss(options.style), ...(options.sourceDateEpoch !== undefined ? { sourceDateEpoch: options.sourceDateEpoch } : {}) };
  if (options.cover !== 'none') {
    const planned = plan({ ...ctx, cover: new Uint8Array(0) });
    const drawn = coverDone.then((png) => png ?? Promise.reject(NO_COVER));
    drawn.catch(() => undefined); // awaited by the packager, which may fail before it gets there
    try {
      const bytes = await (await packager).packageEpub(planned, drawn);
      planned.cover!.png = await drawn;
      return { bytes, plan: planned, diagnostics };
    } catch (e) {
      if (e !== NO_COVER) throw e;
    }
  }
  const planned = plan(ctx);
  return { bytes: await (await packager).packageEpub(planned), plan: planned, diagnostics };
}
