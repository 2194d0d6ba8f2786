/**
 * Stories → a book plan: every page's XHTML body, the nested navigation, landmarks and the
 * package metadata. Packaging turns the plan into an EPUB; nothing here touches a zip.
 */
import type { Anthology, Block, Figure, Footnote, Meta, Story, StoryImage } from '../model.js';
import { anthologyIdentifier, storyIdentifier } from '../update/identity.js';
import { blocksText, noteRefIds, storyWordCount } from '../text.js';
import { visitStoryBlocks } from '../walk.js';
import {
  anthologyTitlePage, contentsPage, coverPage, endNotesPage, infoPage, titlePage,
} from './pages.js';
import type { ContentsEntry, Landmark, NavEntry } from './pages.js';
import { wordsFor, type Words } from './locales.js';
import { anthologyLibraryMeta, storyLibraryMeta, type LibraryMeta } from './library.js';
import { footnoteLinks, renderChapter, voiceId, type ChapterNotes } from './xhtml.js';
import type { Xml } from './xml.js';

/** What planning knows of a page of the book besides its markup: enough for the manifest and the spine. */
export interface PageInfo {
  /** Manifest id; also the file's base name. */
  id: string;
  filename: string;
  /** The document's `<title>`. */
  title: string;
  lang: string;
  bodyType?: string;
}

/** One XHTML file of the book with its body still to be written into a document. (A batch
 * worker hands pages over already written and compressed: src/package/page-file.ts.) */
export interface PlannedPage extends PageInfo {
  kind: 'markup';
  body: Xml;
}

/** A creator of the book. */
export interface Creator {
  name: string;
  role: 'aut' | 'edt';
}

/** Package metadata of the output contract. */
export interface PackageMeta {
  identifier: string;
  title: string;
  creators: Creator[];
  language: string;
  date?: string;
  /** `dcterms:modified`, `YYYY-MM-DDThh:mm:ssZ`. */
  modified: string;
  description?: string;
  subjects: string[];
  source?: string;
  series?: { name: string; index?: number };
  accessibilitySummary: string;
  /** Fandoms, relationships, characters, tags, rating, status, words … as structured fields. */
  library?: LibraryMeta;
}

/** Everything packaging needs; its pages are `P` (planned here, or already packed by a worker). */
export interface BookPlan<P extends PageInfo = PlannedPage> {
  meta: PackageMeta;
  pages: P[];
  nav: NavEntry[];
  landmarks: Landmark[];
  /** The navigation document's interface words, in the book's language. */
  labels: { contents: string; landmarks: string };
  /** Where the navigation document sits in the spine: after this page, read in order or not. */
  navPlacement: { after: string; linear: boolean };
  css: string;
  /** The cover: its PNG, awaited only when the archive's last entry is written (it may still be
   * drawn while the pages are compressed). */
  cover?: { png: Promise<Uint8Array>; alt: string; /** A user's JPEG cover; absent: PNG. */ jpeg?: true };
  /** Story pictures (only with `--images`), each once, in `images/`. */
  images: StoryImage[];
  /** Whether every picture, cover included, has alternative text. */
  imagesDescribed: boolean;
}

/** Inputs to planning that are not in the model. */
export interface PlanContext {
  css: string;
  /** The cover's PNG, drawn or still being drawn; none: a book without a cover. */
  cover?: Promise<Uint8Array>;
  /** The cover is a user's JPEG, not a PNG. */
  coverIsJpeg?: boolean;
  /** Seconds since the epoch, when no story states a date. */
  sourceDateEpoch?: number;
  /** `dcterms:modified` of the book being updated: the new one is never earlier. */
  notBefore?: string;
  /** Which front-matter pages a story gets (default: all). */
  frontMatter?: FrontMatter;
}

/**
 * Where a story's chapters go when its book is updated, in reading order: a chapter of the
 * story (by its index) under a given file id, its page kept verbatim from the existing book when
 * it is unchanged; or a page of the existing book the story no longer holds, kept as it was.
 */
export type ChapterSlot<K extends PageInfo> =
  | { kind: 'chapter'; index: number; id: string; verbatim?: K; mark?: string }
  | { kind: 'kept'; page: K; nav: NavEntry };

/** A story's front matter: title and information pages (`all`), the title page only, or none. */
export type FrontMatter = 'all' | 'title' | 'none';
export const FRONT_MATTER: readonly FrontMatter[] = ['all', 'title', 'none'];

/** Every figure block of a story, wherever blocks live (lists, notes, quotes and footnotes too). */
function storyFigures(story: Story): Figure[] {
  const out: Figure[] = [];
  visitStoryBlocks(story, (b) => {
    if (b.kind === 'figure') out.push(b);
  });
  return out;
}

/** The pictures a story's figures show (each once), and whether all have alt text. */
function pictures(story: Story): { images: StoryImage[]; imagesDescribed: boolean } {
  const images = new Map<string, StoryImage>();
  let described = true;
  const own = new Map((story.images ?? []).map((i) => [i.name, i]));
  for (const f of storyFigures(story)) {
    const image = own.get(f.image);
    if (!image) throw new Error(`story "${story.meta.title ?? story.source.path}" shows a picture it does not hold (${f.image})`);
    images.set(image.name, image);
    if (f.alt === '') described = false;
  }
  return { images: [...images.values()], imagesDescribed: described };
}

/** The cover image's file name: cover.png, or cover.jpg for a user's JPEG. */
export const coverImageName = (jpeg?: boolean): string => (jpeg ? 'cover.jpg' : 'cover.png');
const A11Y_SUMMARY =
  'Text-only book: every chapter is a structured section with a heading, scene breaks are marked, and a nested table of contents links every chapter and voice section.';

function pad(n: number, w = 3): string {
  return String(n).padStart(w, '0');
}

/** `dcterms:modified` from a story date, SOURCE_DATE_EPOCH, or the fixed epoch 2000-01-01; never
 * earlier than `notBefore` (the book being updated). */
export function modifiedDate(dates: (string | undefined)[], sourceDateEpoch?: number, notBefore?: string): string {
  const stated = dates.filter((d): d is string => !!d).sort().pop();
  const epoch = sourceDateEpoch !== undefined ? sourceDateEpoch * 1000 : Date.UTC(2000, 0, 1);
  const own = stated ? `${stated}T00:00:00Z` : new Date(epoch).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return notBefore && notBefore > own ? notBefore : own;
}

/** A page to render. */
function page(p: Omit<PlannedPage, 'kind'>): PlannedPage {
  return { kind: 'markup', ...p };
}

function uniq(values: string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter(Boolean))];
}

/** The title and authors a story is shown with (placeholders already applied upstream). */
function shown(story: Story): { title: string; authors: string[] } {
  return { title: story.meta.title ?? 'Untitled', authors: story.meta.authors };
}

interface StoryPages<K extends PageInfo> {
  pages: (PlannedPage | K)[];
  nav: NavEntry[];
  /** The title page, or the first chapter when there is none. */
  titleHref: string;
  hasTitlePage: boolean;
  /** The id of the story's last front-matter page, when it has one. */
  lastFront?: string;
  firstChapterHref?: string;
}

/** The fallback title of chapter `n` in language `lang` (BCP 47; English when not in the table). */
export function chapterLabel(n: number, lang: string): string {
  return wordsFor(lang).chapter(n);
}

/** The blocks a chapter's file shows (its text, notes and summary). */
function chapterBlocks(ch: { sections: { blocks: Block[] }[]; summary?: Block[]; notes?: Block[]; endNotes?: Block[] }): Block[] {
  return [...(ch.summary ?? []), ...(ch.notes ?? []), ...ch.sections.flatMap((s) => s.blocks), ...(ch.endNotes ?? [])];
}

/**
 * Where each footnote of a story is shown: in the chapter file that first refers to it (so a
 * reading system can show it as a pop-up), else after the last chapter. Returns, per chapter
 * file, the notes it shows, and a `NoteLinks` maker for any file of the story.
 */
/** The footnotes each file shows, numbered, grouped once (not searched for each of a story's files). */
function shownByFile(notes: Footnote[], home: Map<string, string>, referenced: Set<string>): Map<string, ChapterNotes['shown']> {
  const byFile = new Map<string, ChapterNotes['shown']>();
  notes.forEach((n, i) => {
    const file = home.get(n.id)!;
    const list = byFile.get(file) ?? [];
    list.push({ n: i + 1, blocks: n.blocks, referenced: referenced.has(n.id) });
    byFile.set(file, list);
  });
  return byFile;
}

function placeFootnotes(story: Story, files: string[], blocksOf: Block[][]): { shownIn: (file: string) => ChapterNotes['shown']; linksFor: (file: string) => ChapterNotes['links'] } {
  const notes = story.footnotes ?? [];
  const order = notes.map((n) => n.id);
  // A note's home is the file of its first reference, where its back-link can point. Without
  // notes no reference links anywhere: the story's text is not walked for them.
  const home = new Map<string, string>();
  if (notes.length) blocksOf.forEach((blocks, i) => {
    for (const id of noteRefIds(blocks)) if (!home.has(id)) home.set(id, files[i]!);
  });
  const referenced = new Set(home.keys());
  const last = files[files.length - 1]!;
  for (const id of order) if (!home.has(id)) home.set(id, last);
  let shown: Map<string, ChapterNotes['shown']> | undefined;
  return {
    shownIn: (file) => (shown ??= shownByFile(notes, home, referenced)).get(file) ?? [],
    linksFor: (file) => footnoteLinks(order, (id) => home.get(id), file),
  };
}

/** The file ids of a story's chapters in a new book: `c001`, `c002` … after the story's prefix. */
export function chapterIds(count: number, prefix = ''): string[] {
  return Array.from({ length: Math.max(count, 1) }, (_, i) => `${prefix}c${pad(i + 1)}`);
}

/** The pages of one story: title page, information page, chapters (in `slots` order when the
 * book is updated), end notes. */
function storyPages<K extends PageInfo = never>(story: Story, prefix: string, level: number, lang: string, front: FrontMatter = 'all', slots?: ChapterSlot<K>[]): StoryPages<K> {
  const { title, authors } = shown(story);
  const w = wordsFor(lang);
  const pages: (PlannedPage | K)[] = [];
  const nav: NavEntry[] = [];
  let first: string | undefined;
  const chapters = story.chapters.length ? story.chapters : [{ sections: [{ blocks: [] }] }];
  const order: ChapterSlot<K>[] = slots ?? chapterIds(chapters.length, prefix).map((id, index) => ({ kind: 'chapter', index, id }));
  const ids: string[] = [];
  for (const s of order) if (s.kind === 'chapter') ids[s.index] = s.id;
  const files = ids.map((id) => `${id}.xhtml`);
  const withFront = chapters.map((ch, i) => (i === 0 && story.front.length ? { ...ch, sections: [{ blocks: story.front }, ...ch.sections] } : ch));
  const notes = placeFootnotes(story, files, withFront.map(chapterBlocks));
  if (front !== 'none') pages.push(page({ id: `${prefix}title`, filename: `${prefix}title.xhtml`, title, lang, bodyType: 'frontmatter', body: titlePage(story.meta, title, authors, w) }));
  if (front === 'all') pages.push(page({ id: `${prefix}info`, filename: `${prefix}info.xhtml`, title: w.infoPageTitle(title), lang, bodyType: 'frontmatter', body: infoPage(story, authors, notes.linksFor(`${prefix}info.xhtml`), w) }));
  const lastFront = pages.at(-1)?.id;
  for (const slot of order) {
    if (slot.kind === 'kept') {
      pages.push(slot.page);
      nav.push(slot.nav);
      first ??= slot.page.filename;
      continue;
    }
    const i = slot.index;
    const ch = chapters[i]!;
    const id = ids[i]!;
    const filename = files[i]!;
    const fallbackTitle = chapters.length === 1 ? title : w.chapter(i + 1);
    const label = ch.title ?? fallbackTitle;
    if (slot.verbatim) pages.push(slot.verbatim);
    else {
      const isLast = i === chapters.length - 1;
      const body = renderChapter(withFront[i]!, { id, level, fallbackTitle }, isLast ? story.end : [], { links: notes.linksFor(filename), shown: notes.shownIn(filename), label: w.footnotes });
      pages.push(page({ id, filename, title: label === title ? title : `${label} (${title})`, lang, bodyType: 'bodymatter', body }));
    }
    let v = 0;
    const voices: NavEntry[] = ch.sections.filter((s) => s.voice).map((s) => ({ label: s.voice!, href: `${filename}#${voiceId(id, ++v)}`, children: [] }));
    nav.push({ label: slot.mark ? `${label} ${slot.mark}` : label, href: filename, children: voices });
    first ??= filename;
  }
  if (story.meta.endNotes?.length) {
    pages.push(page({ id: `${prefix}endnotes`, filename: `${prefix}endnotes.xhtml`, title: w.endNotesPageTitle(title), lang, bodyType: 'backmatter', body: endNotesPage(story.meta.endNotes, notes.linksFor(`${prefix}endnotes.xhtml`), w) }));
  }
  const hasTitlePage = front !== 'none';
  return { pages, nav, titleHref: hasTitlePage ? `${prefix}title.xhtml` : files[0]!, hasTitlePage, ...(lastFront ? { lastFront } : {}), firstChapterHref: first };
}

function coverPlan(png: Promise<Uint8Array> | undefined, alt: string, lang: string, jpeg?: boolean): { page?: PlannedPage; cover?: BookPlan['cover'] } {
  if (!png) return {};
  return {
    page: page({ id: 'cover', filename: 'cover.xhtml', title: wordsFor(lang).cover, lang, bodyType: 'cover', body: coverPage(coverImageName(jpeg), alt) }),
    cover: { png, alt, ...(jpeg ? { jpeg: true as const } : {}) },
  };
}

function landmarks(coverPage: PageInfo | undefined, titleHref: string | undefined, startHref: string | undefined, w: Words): Landmark[] {
  return [
    ...(coverPage ? [{ type: 'cover' as const, href: coverPage.filename, label: w.cover }] : []),
    ...(titleHref ? [{ type: 'titlepage' as const, href: titleHref, label: w.titlePage }] : []),
    { type: 'toc', href: 'nav.xhtml#toc', label: w.contents },
    ...(startHref ? [{ type: 'bodymatter' as const, href: startHref, label: w.startOfText }] : []),
  ];
}

function labels(w: Words): BookPlan['labels'] {
  return { contents: w.contents, landmarks: w.landmarks };
}

/** Plan a book holding one story; when its book is updated, its chapters in `slots` order. */
export function planStory<K extends PageInfo = never>(story: Story, ctx: PlanContext, slots?: ChapterSlot<K>[]): BookPlan<PlannedPage | K> {
  const lang = story.meta.language ?? 'en';
  const { title, authors } = shown(story);
  const w = wordsFor(lang);
  const sp = storyPages(story, '', 1, lang, ctx.frontMatter, slots);
  const { page: cover, cover: coverData } = coverPlan(ctx.cover, w.coverOf(title, authors.length ? w.joinNames(authors) : undefined), lang, ctx.coverIsJpeg);
  const pages = cover ? [cover, ...sp.pages] : sp.pages;
  const m = story.meta;
  const metaNoId: Omit<PackageMeta, 'identifier'> = {
    title,
    creators: authors.map((name) => ({ name, role: 'aut' as const })),
    language: lang,
    ...(m.published ? { date: m.published } : {}),
    modified: modifiedDate([m.published, m.updated], ctx.sourceDateEpoch, ctx.notBefore),
    ...(m.summary?.length ? { description: blocksText(m.summary) } : {}),
    subjects: uniq([...m.fandoms, ...m.relationships, ...m.characters, ...m.tags]),
    ...(m.sourceUrl ? { source: m.sourceUrl } : {}),
    ...(m.series ? { series: { name: m.series.name, ...(m.series.index !== undefined ? { index: m.series.index } : {}) } } : {}),
    accessibilitySummary: A11Y_SUMMARY,
    library: storyLibraryMeta(m, { words: m.countedWords ?? storyWordCount(story), chapters: story.chapters.length }),
  };
  return {
    meta: { identifier: storyIdentifier(story), ...metaNoId },
    pages,
    nav: sp.nav,
    landmarks: landmarks(cover, sp.hasTitlePage ? sp.titleHref : undefined, sp.firstChapterHref, w),
    labels: labels(w),
    // A visible contents page after the front matter, for stories with several chapters.
    navPlacement: { after: sp.lastFront ?? cover?.id ?? '', linear: sp.nav.length > 1 },
    css: ctx.css,
    ...(coverData ? { cover: coverData } : {}),
    ...pictures(story),
  };
}

/**
 * One story of an anthology, planned on its own: its pages (files `s<NNN>-…`, NNN its place in
 * the input, so a batch worker can plan it before the order of the book is known), its
 * navigation and what the anthology's contents page, package metadata and pictures need.
 */
export interface StoryPart<P extends PageInfo = PlannedPage> {
  pages: P[];
  /** The navigation entry of the story: "Title by Author" linking its title page, its chapters beneath. */
  nav: NavEntry;
  contents: ContentsEntry;
  meta: Pick<Meta, 'authors' | 'language' | 'published' | 'updated' | 'fandoms' | 'relationships' | 'characters' | 'tags' | 'warnings' | 'category'>;
  images: StoryImage[];
  imagesDescribed: boolean;
}

/** The file-name prefix of story number `n` of an anthology. */
export function storyPrefix(n: number): string {
  return `s${pad(n)}-`;
}

/** How an anthology's navigation names a story: "Title by Author" in the story's language. */
export function storyLabel(story: Story, fallbackLang = 'en'): string {
  const { title, authors } = shown(story);
  const w = wordsFor(story.meta.language ?? fallbackLang);
  return authors.length ? `${title} ${w.by(w.joinNames(authors))}` : title;
}

/** Plan story number `n` (1-based, its place in the input) as part of an anthology; when the
 * anthology is updated, its chapters in `slots` order. */
export function storyPart<K extends PageInfo = never>(story: Story, n: number, fallbackLang = 'en', front: FrontMatter = 'all', slots?: ChapterSlot<K>[]): StoryPart<PlannedPage | K> {
  const lang = story.meta.language ?? fallbackLang;
  const sp = storyPages(story, storyPrefix(n), 2, lang, front, slots);
  const { title, authors } = shown(story);
  const m = story.meta;
  return {
    pages: sp.pages,
    // A story of one chapter is listed once: its chapter is not repeated under it (its voices are).
    nav: { label: storyLabel(story, fallbackLang), href: sp.titleHref, children: sp.nav.length === 1 ? sp.nav[0]!.children : sp.nav },
    contents: { title, href: sp.titleHref, authors, ...(m.rating ? { rating: m.rating } : {}), ...(m.summary ? { summary: m.summary } : {}) },
    meta: {
      authors: m.authors, fandoms: m.fandoms, relationships: m.relationships, characters: m.characters, tags: m.tags, warnings: m.warnings, category: m.category,
      ...(m.language ? { language: m.language } : {}), ...(m.published ? { published: m.published } : {}), ...(m.updated ? { updated: m.updated } : {}),
    },
    ...pictures(story),
  };
}

/** What an anthology is besides its stories. */
export type AnthologyInfo = Omit<Anthology, 'stories'>;

/** Plan one book holding every story of an anthology, navigation nested story → chapter → voice. */
export function planAnthology(a: Anthology, ctx: PlanContext): BookPlan {
  const lang = a.language ?? a.stories[0]?.meta.language ?? 'en';
  const { stories, ...info } = a;
  return planAnthologyParts(info, stories.map((s, i) => storyPart(s, i + 1, lang)), ctx);
}

/** Plan an anthology from its stories' parts, in the order given (their pages planned here or
 * already packed by batch workers). `carried`: creators and subjects of the anthology being
 * updated, kept with its stories. */
export function planAnthologyParts<P extends PageInfo>(a: AnthologyInfo, parts: StoryPart<P>[], ctx: PlanContext, carried?: { authors: string[]; subjects: string[] }): BookPlan<P | PlannedPage> {
  const lang = a.language ?? parts[0]?.meta.language ?? 'en';
  const w = wordsFor(lang);
  const { page: cover, cover: coverData } = coverPlan(ctx.cover, w.coverOf(a.title), lang, ctx.coverIsJpeg);
  const front: PlannedPage[] = [
    ...(cover ? [cover] : []),
    page({ id: 'title', filename: 'title.xhtml', title: a.title, lang, bodyType: 'frontmatter', body: anthologyTitlePage(a, parts.length, w) }),
    page({ id: 'contents', filename: 'contents.xhtml', title: w.contents, lang, bodyType: 'frontmatter', body: contentsPage(parts.map((p) => p.contents), w) }),
  ];
  const allAuthors = uniq([...(carried?.authors ?? []), ...parts.flatMap((p) => p.meta.authors)]);
  const metaNoId: Omit<PackageMeta, 'identifier'> = {
    title: a.title,
    creators: [...a.editors.map((name) => ({ name, role: 'edt' as const })), ...allAuthors.map((name) => ({ name, role: 'aut' as const }))],
    language: lang,
    modified: modifiedDate(parts.flatMap((p) => [p.meta.published, p.meta.updated]), ctx.sourceDateEpoch, ctx.notBefore),
    ...(a.description ? { description: a.description } : {}),
    subjects: uniq([...(carried?.subjects ?? []), ...parts.flatMap((p) => [...p.meta.fandoms, ...p.meta.relationships, ...p.meta.characters, ...p.meta.tags])]),
    accessibilitySummary: A11Y_SUMMARY,
    library: anthologyLibraryMeta(parts.map((p) => p.meta)),
  };
  const all: (P | PlannedPage)[] = [...front, ...parts.flatMap((p) => p.pages)];
  const images = new Map<string, StoryImage>();
  for (const p of parts) for (const img of p.images) images.set(img.name, img);
  return {
    meta: { identifier: anthologyIdentifier(a), ...metaNoId },
    pages: all,
    nav: parts.map((p) => p.nav),
    landmarks: landmarks(cover, 'title.xhtml', parts[0]?.nav.href, w),
    labels: labels(w),
    // The contents page already lists the stories; the navigation document stays out of the reading order.
    navPlacement: { after: 'contents', linear: false },
    css: ctx.css,
    ...(coverData ? { cover: coverData } : {}),
    images: [...images.values()],
    imagesDescribed: parts.every((p) => p.imagesDescribed),
  };
}
