/**
 * The library API: read a story from a file, build one EPUB per story, or one anthology.
 * Nothing here prints; problems come back as diagnostics or InputError.
 */
import { readFileSync } from 'node:fs';
import { coverTemplateFile, loadCss } from './assets.js';
import { coverImageKind } from './user-assets.js';
import { type Diagnostic, InputError, warning } from './diagnostics.js';
import type { Anthology, Meta, Story } from './model.js';
import { defaultOptions, type CoverImage, type Options } from './options.js';
import { closeTally, readContext, readWith } from './read/context.js';
import { detectInput, type Detection } from './read/detect.js';
import { filesBeside, type ResolveResource } from './read/resources.js';
import { finalizeStory, mergeOverrides, settleMeta } from './read/finalize.js';
import { binaryFormat, gatePage } from './read/gate.js';
import { metaFileFor, readMetaFile } from './read/meta-file.js';
import { markAuthorNotesInChapters } from './read/author-notes.js';
import { readAsText } from './read/read-as-text.js';
import { detectVoicesInChapters, storyVoices } from './read/voices.js';
import { zipFiles } from './package/files.js';
import { writerFor } from './package/writers.js';
import type { BookPage } from './package/page-file.js';
import { planAnthologyParts, planStory, storyPart, type AnthologyInfo, type BookPlan, type PlanContext, type StoryPart } from './render/book.js';
import type { CoverRenderer, CoverSpec } from './render/cover.js';
import { wordsFor } from './render/locales.js';
import { transformStory } from './transform/index.js';
import type { ExistingBook } from './update/existing.js';
import { anthologyIdentifier, storyIdentifier } from './update/identity.js';
import { planAnthologyUpdate, planStoryUpdate, storiesAfterUpdate, type UpdateOptions, type UpdateReport } from './update/update.js';

export type { Anthology, Story } from './model.js';
export type { Diagnostic } from './diagnostics.js';
export { defaultOptions, type CoverImage, type Options, type StyleSheet } from './options.js';
export { coverImage, coverImageKind, resolveCover, resolveStyle } from './user-assets.js';
export { anthologySettings, assembleAnthology, orderStories, type AnthologyRequest, type AnthologySettings, type AnthologyStory } from './jobs/anthology.js';
export { inspectStory, type InspectReport } from './jobs/inspect.js';
export { buildBooks, type BuildEvents, type BuildOutcome, type BuildRequest, type StorySource, type WrittenBook } from './jobs/build.js';
export { decideTarget, placeBook, planOutput, type NewBook, type OutputPlan, type Placed, type TargetDecision } from './jobs/target.js';
export { runJobs, type Job, type JobResult } from './batch.js';
export { EpubcheckPool, epubcheck } from './check.js';
export { readExistingBook, type ExistingBook } from './update/existing.js';
export { joinStories, type JoinInput, type Joined } from './update/join.js';
export type { UpdateOptions, UpdateReport } from './update/update.js';
export { anthologyIdentifier, storyIdentifier } from './update/identity.js';

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

/** Whether the chapters hold anything but scene breaks. */
const hasText = (chapters: Story['chapters']): boolean => chapters.some((c) => c.sections.some((s) => s.blocks.some((b) => b.kind !== 'break')));

/**
 * Read a story from bytes: detect the format (decoding text formats' input), read it in a
 * reading context, transform (emphasis where markers remain, typography), then apply overrides
 * and placeholders. `fileOverrides` come from a metadata file beside the input;
 * `options.overrides` (flags) beat them. `resources` hands over what the story names
 * (pictures): by default files beside `path`.
 */
export async function readStoryBytes(path: string, bytes: Uint8Array, options: Options = defaultOptions(), fileOverrides = {}, hooks: ReadHooks = {}, resources: ResolveResource = filesBeside(path)): Promise<ReadOutcome> {
  const binary = binaryFormat(bytes, path);
  if (binary) throw new InputError('read-002', binary);
  // A book reader may find a saved text inside (a converted journal post): the text formats read it.
  const ctx = readContext(path, options, resources, readAsText);
  const { detection, input } = detectInput(path, bytes, ctx);
  // A gate, login or error page saved in the story's place fails here, before any format reads it.
  const gate = 'text' in input ? gatePage(input.text) : undefined;
  if (gate) throw new InputError('read-010', gate);
  let story = await readWith(detection.format, input, ctx);
  if (detection.score <= 0.1) ctx.info('read-006', `no source format was recognised; read as ${detection.format.name}`);
  story = { ...story, source: { ...story.source, score: detection.score } };
  // The cover needs only the settled metadata, which what follows does not change: it starts drawing now (unless the story will fail for want of text).
  const overrides = mergeOverrides(fileOverrides, options.overrides);
  const settled = settleMeta(story, overrides, options);
  if (hasText(story.chapters)) hooks.onMetaSettled?.(settled.meta);
  // Author's notes in the text ("A/N: …") are set apart in place, before voices are looked for.
  const noted = markAuthorNotesInChapters(story.chapters);
  if (noted.found) {
    story = { ...story, chapters: noted.chapters };
    ctx.info('struct-004', `${noted.found} author's ${noted.found === 1 ? 'note' : 'notes'} in the story text set apart`);
  }
  // Narrator voices ("Lex:" / "Clark:" parts) are a structure of the story, not of its site.
  if (!story.chapters.some((c) => c.sections.some((s) => s.voice))) {
    story = { ...story, chapters: detectVoicesInChapters(story.chapters) };
    const voices = storyVoices(story.chapters);
    if (voices.length) ctx.info('struct-002', `voice sections found: ${voices.join(', ')}`);
  }
  if (!hasText(story.chapters)) throw new InputError('read-007', 'no story text was found');
  // Metadata first: typography depends on the language.
  const fin = await finalizeStory(story, overrides, options, undefined, settled);
  const read = ctx.diagnostics.length;
  const transformed = transformStory(fin.story, options, { inlineMarkers: detection.format.inlineMarkers || fin.story.source.inlineMarkers === true }, ctx);
  closeTally(ctx);
  // What the transforms said comes after the metadata's messages (it is about the text as finished).
  return { story: transformed, diagnostics: [...ctx.diagnostics.slice(0, read), ...fin.diagnostics, ...ctx.diagnostics.slice(read)], detection };
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

/**
 * What a build runs with besides its options: how generated covers are drawn. Callers pass
 * their own (a batch worker draws on its own thread); nothing is read from module state.
 */
export interface BuildContext {
  /** Draws generated covers. Default: `coverRenderer()`, on libuv's pool. */
  drawCover: CoverRenderer;
  /** Start loading the renderer now, so the first cover is drawn as soon as it is asked for. */
  prepare?: () => void;
}

/** The default context: covers drawn on libuv's pool while this thread goes on, by one renderer
 * (loaded on first use) for every book built with this context. Once loaded, a cover is handed
 * to the pool within the `drawCover` call. */
export function defaultBuildContext(): BuildContext {
  let renderer: Promise<CoverRenderer> | undefined;
  let ready: CoverRenderer | undefined;
  const load = (): Promise<CoverRenderer> => (renderer ??= import('./render/cover-draw.js').then((m) => (ready = m.coverRenderer())));
  return { drawCover: async (spec, opts) => (ready ?? (await load()))(spec, opts), prepare: () => void load().catch(() => undefined) };
}

/** The user's cover picture, checked against its stated type (read at once: the plan names its type). */
function userCoverBytes(cover: CoverImage): { bytes: Promise<Uint8Array>; jpeg: boolean } {
  const kind = coverImageKind(cover.bytes);
  if (!kind || `image/${kind}` !== cover.mediaType) return { bytes: Promise.reject(new Error(`the cover is not a ${cover.mediaType === 'image/jpeg' ? 'JPEG' : 'PNG'} image`)), jpeg: false };
  return { bytes: Promise.resolve(cover.bytes), jpeg: kind === 'jpeg' };
}

/** A generated cover that could not be drawn: the book is built again without one (build-001). */
class CoverNotDrawn extends Error {}

/** A book's cover on its way: its PNG (none: the book has no cover), and what was said about it. */
export interface PendingCover {
  png?: Promise<Uint8Array>;
  /** The cover is the user's JPEG (its bytes in `png`). */
  jpeg?: boolean;
  diagnostics: Diagnostic[];
}

/**
 * Start a book's cover: none, the user's picture, or a generated one drawn by `ctx.drawCover`.
 * Whether the book has a cover is known at once, so it is planned once; a theme that cannot be
 * drawn leaves the book without a cover and says so (build-001). The PNG is awaited only when
 * the book is packaged: a user's picture that is not what it says it is fails the book; a
 * renderer that fails leaves the book without a cover (build-001), as an undrawable theme does.
 */
function startCover(spec: CoverSpec, options: Options, ctx: BuildContext): PendingCover {
  if (options.cover === 'none') return { diagnostics: [] };
  let png: Promise<Uint8Array>;
  let jpeg = false;
  if (options.cover !== 'auto') ({ bytes: png, jpeg } = userCoverBytes(options.cover));
  else {
    try {
      coverTemplateFile(options.coverTheme);
    } catch (e) {
      return { diagnostics: [warning('build-001', `the cover could not be rendered (${(e as Error).message}); the book has no cover`)] };
    }
    png = ctx.drawCover(spec, { theme: options.coverTheme }).catch((e: unknown) => {
      throw new CoverNotDrawn(`the cover could not be rendered (${e instanceof Error ? e.message : String(e)})`);
    });
  }
  // Awaited when the book is packaged; if the story fails before that, its cover's failure is not news.
  png.catch(() => undefined);
  return { png, ...(jpeg ? { jpeg } : {}), diagnostics: [] };
}

/** A built book: its bytes, the plan it was packaged from, and what went wrong on the way. */
export interface Built {
  bytes: Buffer;
  plan: BookPlan<BookPage>;
  diagnostics: Diagnostic[];
}

/**
 * Start the cover of a story's own book. Its title, authors, fandoms and series are all it
 * needs, so it can start as soon as those are settled (`ReadHooks.onMetaSettled`) and draw
 * while the rest of the story is read.
 */
export function startStoryCover(m: Meta, options: Options, ctx: BuildContext = defaultBuildContext()): PendingCover {
  return startCover(
    {
      title: m.title ?? options.placeholderTitle,
      authors: [...m.authors],
      ...(m.fandoms.length ? { subtitle: m.fandoms.join(', ') } : {}),
      ...(m.series ? { series: `${m.series.name}${m.series.index ? `, part ${m.series.index}` : ''}` } : {}),
    },
    options,
    ctx,
  );
}

/** Build one EPUB from one story, with its cover started earlier or now. */
export async function buildEpub(story: Story, options: Options = defaultOptions(), ctx: BuildContext = defaultBuildContext(), cover: PendingCover = startStoryCover(story.meta, options, ctx)): Promise<Built> {
  // A book read from an EPUB keeps its own cover (a PNG; the book's covers are PNG) over a generated one.
  const own = options.cover === 'auto' && story.cover?.mediaType === 'image/png' ? { png: Promise.resolve(story.cover.data), diagnostics: [] } : undefined;
  return packageBook(own ?? cover, options, (plan) => planStory(story, plan));
}

/** A story's books: one, or its volumes when `options.split` cuts it (each with its own cover). */
export async function buildVolumes(story: Story, options: Options = defaultOptions(), ctx: BuildContext = defaultBuildContext(), cover?: PendingCover): Promise<{ story: Story; built: Built }[]> {
  const { splitStory } = await import('./render/volumes.js');
  const volumes = options.split ? splitStory(story, options.split) : [story];
  if (volumes.length === 1) return [{ story, built: await buildEpub(story, options, ctx, cover) }];
  const out: { story: Story; built: Built }[] = [];
  for (const v of volumes) out.push({ story: v, built: await buildEpub(v, options, ctx) });
  return out;
}

/** Build one EPUB holding every story of an anthology. */
export async function buildAnthology(anthology: Anthology, options: Options = defaultOptions(), ctx: BuildContext = defaultBuildContext()): Promise<Built> {
  const { stories, ...info } = anthology;
  const lang = info.language ?? stories[0]?.meta.language ?? 'en';
  return buildAnthologyParts(info, stories.map((s, i) => storyPart(s, i + 1, lang, options.frontMatter)), options, ctx);
}

/** Build an anthology from its stories' parts (see `storyPart`; pages planned or already packed), in the order given. */
export async function buildAnthologyParts(info: AnthologyInfo, parts: StoryPart<BookPage>[], options: Options = defaultOptions(), ctx: BuildContext = defaultBuildContext()): Promise<Built> {
  const n = parts.length;
  // "12 stories" in the anthology's language, as its title page says it.
  const cover = startCover({ title: info.title, authors: info.editors, subtitle: wordsFor(info.language ?? parts[0]?.meta.language).stories(n) }, options, ctx);
  return packageBook(cover, options, (plan) => planAnthologyParts(info, parts, plan));
}

/** Plan the book once (with its cover's place when it has one) and package it; the cover's PNG
 * goes into the archive last, so it is drawn while the pages are compressed. A generated cover
 * that fails to draw costs one more plan, without it: the book is still built (build-001). */
async function packageBook(cover: PendingCover, options: Options, plan: (ctx: PlanContext) => BookPlan<BookPage>): Promise<Built> {
  const base: PlanContext = {
    css: loadCss(options.style),
    ...(options.frontMatter !== 'all' ? { frontMatter: options.frontMatter } : {}),
    ...(options.sourceDateEpoch !== undefined ? { sourceDateEpoch: options.sourceDateEpoch } : {}),
  };
  const writer = writerFor(options.target ?? 'epub');
  // The writer turns the plan into files, then the files become the archive.
  const write = async (p: BookPlan<BookPage>): Promise<{ bytes: Buffer; diagnostics: Diagnostic[] }> => {
    const { files, diagnostics } = writer.files(p);
    const bytes = await zipFiles(files, new Date(p.meta.modified));
    return { bytes, diagnostics: [...diagnostics, ...(writer.checkBytes?.(bytes) ?? [])] };
  };
  const planned = plan(cover.png ? { ...base, cover: cover.png, ...(cover.jpeg ? { coverIsJpeg: true } : {}) } : base);
  try {
    const w = await write(planned);
    return { bytes: w.bytes, plan: planned, diagnostics: [...cover.diagnostics, ...w.diagnostics] };
  } catch (e) {
    if (!(e instanceof CoverNotDrawn)) throw e;
    const bare = plan(base);
    const w = await write(bare);
    return { bytes: w.bytes, plan: bare, diagnostics: [...cover.diagnostics, warning('build-001', `${e.message}; the book has no cover`), ...w.diagnostics] };
  }
}

/** A book updated in place: what it holds now, and what the update did to its chapters. */
export interface Updated extends Built {
  update: UpdateReport;
}

/** Whether `book` is this story's own book (the same identity), so it may be updated. */
export function isStoryBook(story: Story, book: ExistingBook): boolean {
  return !book.anthology && storyIdentifier(story) === book.identifier;
}

/** Whether `book` is this anthology's own book. */
export function isAnthologyBook(info: AnthologyInfo, book: ExistingBook): boolean {
  return book.anthology && anthologyIdentifier(info) === book.identifier;
}

/**
 * Update a story's existing book (read by `readExistingBook`) with the story as read now;
 * undefined when the book is not this story's (it must then never be overwritten).
 */
export async function updateEpub(story: Story, book: ExistingBook, update: UpdateOptions, options: Options = defaultOptions(), ctx: BuildContext = defaultBuildContext(), cover: PendingCover = startStoryCover(story.meta, options, ctx)): Promise<Updated | undefined> {
  if (!isStoryBook(story, book)) return undefined;
  let report: UpdateReport = { added: [], changed: [], kept: [], removed: [] };
  const built = await packageBook(cover, options, (pc) => {
    const r = planStoryUpdate(story, book, pc, update)!;
    report = r.report;
    return r.plan;
  });
  return { ...built, update: report };
}

/** Add stories to (or update them in) an anthology's existing book; undefined when it is another book. */
export async function updateAnthology(anthology: Anthology, book: ExistingBook, update: UpdateOptions, options: Options = defaultOptions(), ctx: BuildContext = defaultBuildContext()): Promise<Updated | undefined> {
  const { stories: _stories, ...info } = anthology;
  if (!isAnthologyBook(info, book)) return undefined;
  let report: UpdateReport = { added: [], changed: [], kept: [], removed: [] };
  const count = storiesAfterUpdate(anthology, book);
  const cover = startCover({ title: info.title, authors: info.editors, subtitle: wordsFor(info.language ?? anthology.stories[0]?.meta.language).stories(count) }, options, ctx);
  const built = await packageBook(cover, options, (pc) => {
    const r = planAnthologyUpdate(anthology, book, pc, update)!;
    report = r.report;
    return r.plan;
  });
  return { ...built, update: report };
}
