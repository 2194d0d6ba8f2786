/**
 * The web app's thin adapters over the library (src/index.ts): an upload read into the story
 * report the page shows, books built from uploads with the page's choices, a cover preview and
 * the zip of several books. No reading or building of its own; nothing here touches the disk.
 */
import { readdirSync } from 'node:fs';
import { findAssetDir, loadCss } from '../assets.js';
import { DIAGNOSTIC_CODES, InputError, type Diagnostic } from '../diagnostics.js';
import { buildAnthology, buildEpub, coverImage, defaultBuildContext, defaultOptions, readStoryBytes, startStoryCover, type BuildContext, type CoverImage, type Options } from '../index.js';
import type { Meta, Story } from '../model.js';
import type { MetaOverrides } from '../options.js';
import { fillTemplate, safeFileName, uniqueName } from '../package/naming.js';
import { renderPage } from '../package/page-file.js';
import { writeZip, zipEntry } from '../package/zip.js';
import { TARGETS, type Target } from '../package/writer.js';
import { writerFor } from '../package/writers.js';
import { FORMATS, storyExtensions } from '../read/formats/index.js';
import { noResources } from '../read/resources.js';
import { planStory } from '../render/book.js';
import { blocksText, storyWordCount } from '../text.js';
import { outline, type OutlineChapter } from '../jobs/inspect.js';

/** A diagnostic as the page shows it: the code's meaning in plain words, then what was found. */
export interface Notice {
  code: string;
  severity: Diagnostic['severity'];
  meaning: string;
  message: string;
}


/** What the page shows of a story it was given: what `inspect` shows, plus a chapter's page. */
export interface StoryReport {
  name: string;
  format: string;
  /** What kind of file that format is, in a line. */
  formatDescription: string;
  meta: {
    title?: string;
    authors: string[];
    fandoms: string[];
    relationships: string[];
    characters: string[];
    rating?: string;
    warnings: string[];
    category: string[];
    tags: string[];
    summary?: string;
    language?: string;
    series?: { name: string; index?: number };
    published?: string;
    updated?: string;
  };
  words: number;
  outline: OutlineChapter[];
  notices: Notice[];
  /** Set when the upload is a book already (an EPUB): what building it again does. */
  existingBook?: { update: false; note: string };
  /** One chapter's page as an HTML document styled with the book's own stylesheet. */
  preview: { chapter: number; chapters: number; html: string };
}

/** The page's choices for a build. */
export interface BuildJob {
  kind: 'books' | 'anthology';
  /** Per story, in the order of the uploaded files: the user's corrections. */
  stories: MetaOverrides[];
  anthology?: { title: string; editors: string[]; description?: string };
  /** A built-in style name. */
  style: string;
  /** What the books are made for (epub, kobo, kindle). */
  target: Target;
  /** Generated, none, or the uploaded PNG. */
  cover: 'generated' | 'none' | 'upload';
}

/** An uploaded file. */
export interface Upload {
  name: string;
  bytes: Uint8Array;
}

/** A built book ready to download. */
export interface BuiltBook {
  fileName: string;
  bytes: Buffer;
  notices: Notice[];
}

/** How far a build has come: stories read, books built, or the anthology being bound. */
export interface BuildProgress {
  step: 'read' | 'build' | 'bind';
  done: number;
  total: number;
}

/** A request the user got wrong (a bad choice, a file that is no PNG): answered 400 with its message. */
export class JobError extends Error {}

/** The built-in styles (styles/themes/*.css), by name. */
export function builtInStyles(): string[] {
  return readdirSync(`${findAssetDir('styles')}/themes`)
    .filter((f) => f.endsWith('.css'))
    .map((f) => f.slice(0, -4))
    .sort();
}

/** The stylesheet a book with this built-in style carries. */
export function bookCss(style: string): string {
  return loadCss(style);
}

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

function startsWith(bytes: Uint8Array, sig: number[]): boolean {
  return sig.every((b, i) => bytes[i] === b);
}

/** The uploaded cover picture as the book's cover: a PNG or a JPEG, told by its bytes. */
function uploadedCover(bytes: Uint8Array | undefined): CoverImage {
  try {
    return coverImage(bytes ?? new Uint8Array(0), 'upload');
  } catch {
    throw new JobError('the cover image must be a PNG or JPEG file');
  }
}

/** An upload's name as the library sees it: the base name only, so no name a page sends can point anywhere on the server's disk. */
export function uploadName(name: string): string {
  return name.split(/[\\/]/).pop()!.replace(/^\.+/, '') || 'upload';
}

/** Whether the library reads EPUB books (a format of its registry). */
function readsBooks(): boolean {
  return FORMATS.some((f) => f.name === 'epub');
}

/** The targets a writer exists for. */
export function availableTargets(): Target[] {
  return TARGETS.filter((t) => {
    try {
      writerFor(t);
      return true;
    } catch {
      return false;
    }
  });
}

/** What this version of the library can do, for the page to offer. */
export function features(): { epubInput: boolean; update: boolean; targets: string[]; extensions: string[] } {
  return { epubInput: readsBooks(), update: false, targets: availableTargets(), extensions: storyExtensions() };
}

/** Read one upload with the user's corrections. An EPUB is refused with a plain sentence while the library cannot read books. */
export async function readUpload(up: Upload, overrides: MetaOverrides, options: Options): Promise<{ story: Story; diagnostics: Diagnostic[]; format: string; formatDescription: string }> {
  if (!readsBooks() && startsWith(up.bytes, ZIP_SIGNATURE)) throw new InputError('read-002', 'this is an EPUB or ZIP file; this version of fic2epub reads saved stories (text, HTML, Markdown), not books');
  // An upload has no surroundings: nothing beside it is read from the server's disk.
  const r = await readStoryBytes(uploadName(up.name), up.bytes, { ...options, overrides: { ...options.overrides, ...overrides } }, {}, {}, noResources);
  return { story: r.story, diagnostics: r.diagnostics, format: r.detection.format.name, formatDescription: r.detection.format.description };
}

/** A diagnostic in plain words. */
export function notice(d: Diagnostic): Notice {
  return { code: d.code, severity: d.severity, meaning: DIAGNOSTIC_CODES[d.code] ?? '', message: d.message };
}

/** An error as one line for the page: the library's own message, never a stack. */
export function errorLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}


/** The margin a reading system gives a page, which the book's own stylesheet leaves to it. */
const PREVIEW_MARGIN = 'body { padding: 1em 1.5em; }';

/** Every stylesheet a preview frame may hold inline (the page's policy allows exactly these). */
export function previewStyles(): string[] {
  return [PREVIEW_MARGIN, ...builtInStyles().map(bookCss)];
}

/** A book page as an HTML document for a sandboxed frame: its stylesheet link replaced by the book's CSS inline. */
function previewDocument(xhtml: string, css: string): string {
  return xhtml.replace(/^<\?xml[^>]*>\s*/, '').replace(/<link[^>]*rel="stylesheet"[^>]*\/>/, () => `<style>${css}</style><style>${PREVIEW_MARGIN}</style>`);
}

/** The report the page shows for one upload; `chapter` (1-based) picks the previewed page. */
export async function storyReport(up: Upload, overrides: MetaOverrides, style: string, chapter: number): Promise<StoryReport> {
  const options: Options = { ...defaultOptions(), cover: 'none', style };
  const { story, diagnostics, format, formatDescription } = await readUpload(up, overrides, options);
  const m = story.meta;
  const css = bookCss(style);
  const chapters = planStory(story, { css }).pages.filter((p) => p.bodyType === 'bodymatter');
  const n = Math.min(Math.max(1, Math.trunc(chapter) || 1), chapters.length);
  return {
    name: up.name,
    format,
    formatDescription,
    meta: {
      ...(m.title !== undefined ? { title: m.title } : {}),
      authors: m.authors, fandoms: m.fandoms, relationships: m.relationships, characters: m.characters,
      ...(m.rating ? { rating: m.rating } : {}),
      warnings: m.warnings, category: m.category, tags: m.tags,
      ...(m.summary?.length ? { summary: blocksText(m.summary) } : {}),
      ...(m.language ? { language: m.language } : {}),
      ...(m.series ? { series: { name: m.series.name, ...(m.series.index !== undefined ? { index: m.series.index } : {}) } } : {}),
      ...(m.published ? { published: m.published } : {}),
      ...(m.updated ? { updated: m.updated } : {}),
    },
    words: m.countedWords ?? storyWordCount(story),
    outline: outline(story),
    notices: diagnostics.map(notice),
    ...(format === 'epub' ? { existingBook: { update: false as const, note: 'This is a book already. fic2epub reads its text and details and re-dresses it: a new book with its own pages, cover and style.' } } : {}),
    preview: { chapter: n, chapters: chapters.length, html: chapters[n - 1] ? previewDocument(renderPage(chapters[n - 1]!), css) : '' },
  };
}

/** The generated cover of a story with this metadata, small, as the book would show it; `ctx` draws it. */
export async function coverPreview(meta: Pick<Meta, 'title' | 'authors' | 'fandoms' | 'series'>, ctx: BuildContext = defaultBuildContext()): Promise<Uint8Array> {
  const draw = ctx.drawCover;
  const full: Meta = { relationships: [], characters: [], warnings: [], category: [], tags: [], extra: {}, ...meta };
  const cover = startStoryCover(full, { ...defaultOptions(), cover: 'auto' }, { drawCover: (spec, opts) => draw(spec, { ...opts, width: 300, height: 480 }) });
  if (!cover.png) throw new JobError(cover.diagnostics[0]?.message ?? 'no cover could be drawn');
  return cover.png;
}

function bookName(m: Meta, taken: Set<string>, extension: string): string {
  return uniqueName(safeFileName(fillTemplate('{author} - {title}', { title: m.title, author: m.authors.join(', ') }) || 'book', extension), taken, extension);
}

/**
 * Build what the page asked for from its uploads, in their order: one book per story or one
 * anthology. `signal` stops between stories when the page gives up (the user cancelled);
 * `drawing` draws generated covers (the server keeps one renderer for all its requests).
 */
export async function buildJob(
  job: BuildJob, uploads: Upload[], coverUpload: Uint8Array | undefined, signal: AbortSignal, sourceDateEpoch?: number, drawing: BuildContext = defaultBuildContext(),
  onProgress: (p: BuildProgress) => void = () => undefined,
): Promise<BuiltBook[]> {
  if (!builtInStyles().includes(job.style)) throw new JobError(`unknown style "${job.style}"`);
  if (!availableTargets().includes(job.target)) throw new JobError(`unknown target "${job.target}"`);
  const extension = writerFor(job.target).extension;
  const options: Options = { ...defaultOptions(), style: job.style, target: job.target, cover: job.cover === 'generated' ? 'auto' : job.cover === 'none' ? 'none' : uploadedCover(coverUpload), ...(sourceDateEpoch !== undefined ? { sourceDateEpoch } : {}) };
  const read: { story: Story; diagnostics: Diagnostic[] }[] = [];
  for (const [i, up] of uploads.entries()) {
    signal.throwIfAborted();
    try {
      read.push(await readUpload(up, job.stories[i] ?? {}, options));
    } catch (e) {
      throw new JobError(`${up.name}: ${errorLine(e)}`);
    }
    onProgress({ step: 'read', done: i + 1, total: uploads.length });
  }
  signal.throwIfAborted();
  const taken = new Set<string>();
  if (job.kind === 'anthology') {
    const a = job.anthology;
    if (!a?.title.trim()) throw new JobError('an anthology needs a title');
    onProgress({ step: 'bind', done: 0, total: 1 });
    const built = await buildAnthology({ title: a.title.trim(), editors: a.editors.map((e) => e.trim()).filter(Boolean), ...(a.description?.trim() ? { description: a.description.trim() } : {}), stories: read.map((r) => r.story) }, options, drawing);
    return [{ fileName: uniqueName(safeFileName(a.title.trim(), extension), taken, extension), bytes: built.bytes, notices: [...read.flatMap((r) => r.diagnostics), ...built.diagnostics].map(notice) }];
  }
  const books: BuiltBook[] = [];
  for (const r of read) {
    signal.throwIfAborted();
    const built = await buildEpub(r.story, options, drawing);
    books.push({ fileName: bookName(r.story.meta, taken, extension), bytes: built.bytes, notices: [...r.diagnostics, ...built.diagnostics].map(notice) });
    onProgress({ step: 'build', done: books.length, total: read.length });
  }
  return books;
}

/** Several books as one ZIP (stored: an EPUB is already compressed), named uniquely, dated 2000-01-01 so the same books give the same bytes. */
export function zipBooks(books: Upload[]): Buffer {
  const taken = new Set<string>();
  return writeZip(books.map((b) => zipEntry(uniqueName(safeFileName(b.name.replace(/\.epub$/i, '')), taken), b.bytes, true)), new Date(Date.UTC(2000, 0, 1)));
}
