/**
 * Updating a book in place: a story's new chapters matched against the chapters of its existing
 * book by content and position (never by count). Unchanged chapters keep their file, ids and
 * bytes; edited ones are written again under their old file; new ones get the next free file;
 * chapters the new input lacks are kept (or, pruned, dropped). The result is a plan like any
 * other, so packaging is the same and the same inputs onto the same book give the same bytes.
 */
import type { Anthology, StoryImage, Story } from '../model.js';
import type { BookPage, PackedPage } from '../package/page-file.js';
import { zipEntry } from '../package/zip.js';
import { PAGE_FOLDER } from '../package/page-file.js';
import { planAnthologyParts, planStory, storyLabel, storyPart, type BookPlan, type ChapterSlot, type PlanContext, type PlannedPage, type StoryPart } from '../render/book.js';
import type { NavEntry } from '../render/pages.js';
import { LOCALES, wordsFor } from '../render/locales.js';
import { el, lines, raw } from '../render/xml.js';
import { countWords, storyWordCount } from '../text.js';
import { anthologyIdentifier } from './identity.js';
import { bodyText, type ExistingBook, type ExistingPage, type ExistingStory } from './existing.js';

/** What an update did to a book's chapters, by their labels in the navigation. */
export interface UpdateReport {
  added: string[];
  changed: string[];
  kept: string[];
  removed: string[];
}

/** How an update treats what the new input does not say. */
export interface UpdateOptions {
  /** Drop chapters the new input does not hold (default: keep them). */
  prune: boolean;
  /** Mark chapters this update added, in the navigation. */
  markNew: boolean;
  /** Keep a page listing what each update changed (once a book has one, it stays). */
  updateLog: boolean;
}

const CHAPTER_ID = /^(?:s\d{3}-)?c(\d{3})$/;

/** The whole existing page as a packed page: its bytes untouched. */
function verbatim(p: ExistingPage): PackedPage {
  return { kind: 'packed', id: p.id, filename: p.filename, title: p.title, lang: p.lang, ...(p.bodyType ? { bodyType: p.bodyType } : {}), entry: zipEntry(`${PAGE_FOLDER}/${p.filename}`, p.bytes) };
}

// A mark in any language is taken off (the book's language may have changed since).
const NEW_MARKS = [...new Set(Object.values(LOCALES).map((w) => ` ${w.newMark}`))];
const unmarked = (label: string): string => {
  const mark = NEW_MARKS.find((m) => label.endsWith(m));
  return mark ? label.slice(0, -mark.length) : label;
};
const words = (text: string): Set<string> => new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean));

/** Share of words two texts have in common (Jaccard): an edited chapter keeps most of them. */
function similarity(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  let both = 0;
  for (const w of x) if (y.has(w)) both++;
  return both / Math.max(1, x.size + y.size - both);
}

/** Below this share of common words, a chapter at the same place is another chapter, not an edit. */
const SAME_CHAPTER = 0.3;

/** A chapter of the new story as planned: its label and the text a reader reads. */
interface NewChapter {
  label: string;
  text: string;
}

/**
 * Match a story's new chapters (in order) to the chapters of its existing book and lay out the
 * updated book's chapters. Anchors: identical text, in order. Between anchors, a new chapter
 * pairs with an old one of the same title or mostly the same words (an edit). Unpaired new
 * chapters are added after the old ones of their stretch; unpaired old ones are kept or pruned.
 */
export function layoutChapters(fresh: NewChapter[], old: ExistingStory, options: UpdateOptions, lang?: string): { slots: ChapterSlot<PackedPage>[]; report: UpdateReport } {
  const olds = old.chapters;
  const oldLabel = (p: ExistingPage): string => unmarked(old.nav.get(p.filename)?.label ?? p.title);
  // (A page title is "Chapter (Story)" where the navigation has "Chapter": both sides use the same source.)
  const pair: (number | undefined)[] = fresh.map(() => undefined);
  const same: boolean[] = fresh.map(() => false);
  let from = 0;
  fresh.forEach((c, i) => {
    const j = olds.findIndex((o, k) => k >= from && o.text === c.text);
    if (j >= 0) {
      pair[i] = j;
      same[i] = true;
      from = j + 1;
    }
  });
  // Between anchors: edits, in order.
  let lowOld = 0;
  fresh.forEach((c, i) => {
    if (pair[i] !== undefined) {
      lowOld = pair[i]! + 1;
      return;
    }
    const nextAnchor = pair.slice(i + 1).find((p) => p !== undefined) ?? olds.length;
    const taken = new Set(pair.filter((p) => p !== undefined));
    for (let k = lowOld; k < nextAnchor; k++) {
      if (taken.has(k)) continue;
      if (oldLabel(olds[k]!) === c.label || similarity(olds[k]!.text, c.text) >= SAME_CHAPTER) {
        pair[i] = k;
        lowOld = k + 1;
        break;
      }
    }
  });
  const report: UpdateReport = { added: [], changed: [], kept: [], removed: [] };
  const slots: ChapterSlot<PackedPage>[] = [];
  const paired = new Set(pair.filter((p): p is number => p !== undefined));
  let next = Math.max(0, ...olds.map((o) => Number(CHAPTER_ID.exec(o.id)?.[1] ?? 0))) + 1;
  let at = 0;
  const flushOld = (until: number): void => {
    for (; at < until; at++) {
      if (paired.has(at)) continue;
      const o = olds[at]!;
      const nav: NavEntry = old.nav.get(o.filename) ?? { label: o.title, href: o.filename, children: [] };
      if (options.prune) report.removed.push(oldLabel(o));
      else {
        slots.push({ kind: 'kept', page: verbatim(o), nav: { ...nav, label: unmarked(nav.label) } });
        report.kept.push(oldLabel(o));
      }
    }
  };
  fresh.forEach((c, i) => {
    const j = pair[i];
    if (j !== undefined) {
      flushOld(j);
      at = Math.max(at, j + 1);
      const o = olds[j]!;
      if (same[i]) {
        slots.push({ kind: 'chapter', index: i, id: o.id, verbatim: verbatim(o) });
        report.kept.push(c.label);
      } else {
        slots.push({ kind: 'chapter', index: i, id: o.id });
        report.changed.push(c.label);
      }
      return;
    }
    flushOld(pair.slice(i + 1).find((p) => p !== undefined) ?? olds.length);
    slots.push({ kind: 'chapter', index: i, id: `${old.prefix}c${String(next++).padStart(3, '0')}`, ...(options.markNew ? { mark: wordsFor(lang).newMark } : {}) });
    report.added.push(c.label);
  });
  flushOld(olds.length);
  return { slots, report };
}

/** The new story's chapters as planned (labels from the navigation entries linking them, else
 * their page titles: an anthology lists a one-chapter story once, by the story). */
function freshChapters(pages: PlannedPage[], nav: NavEntry[]): NewChapter[] {
  const labels = new Map(nav.map((n) => [n.href, n.label]));
  return pages.filter((p) => CHAPTER_ID.test(p.id)).map((p) => ({ label: labels.get(p.filename) ?? p.title, text: bodyText(`<body>${p.body.xml}</body>`) }));
}

/** Pictures of the existing book that kept pages still show. */
function keptImages(book: ExistingBook, pages: BookPage[]): StoryImage[] {
  const kept = pages.filter((p): p is PackedPage => p.kind === 'packed');
  if (!kept.length) return [];
  const texts = kept.map((p) => Buffer.from(book.stories.flatMap((s) => s.pages).find((x) => x.id === p.id)?.bytes ?? []).toString('utf8'));
  return book.images.filter((img) => texts.some((t) => t.includes(`images/${img.name}`)));
}

/** The update-log page: this update first, then earlier ones as they were written. */
function updateLogPage(book: ExistingBook, report: UpdateReport, date: string, lang: string): PlannedPage {
  const w = wordsFor(lang);
  const changed = report.added.length + report.changed.length + report.removed.length > 0;
  // An update that changed nothing adds no line: rebuilding from the same inputs changes nothing.
  const items = [...(changed ? [el('li', {}, w.updateLine(date.slice(0, 10), report.added, report.changed, report.removed))] : []), ...book.updateLog.map(raw)];
  const body = el('section', { class: 'update-log', 'epub:type': 'appendix', role: 'doc-appendix' }, el('h1', {}, w.updates), '\n', items.length ? el('ol', { reversed: 'reversed' }, lines(items)) : el('p', {}, w.noChangesYet));
  return { kind: 'markup', id: 'updates', filename: 'updates.xhtml', title: w.updates, lang, bodyType: 'backmatter', body };
}

function withLog<P extends BookPage>(plan: BookPlan<P | PlannedPage>, book: ExistingBook, report: UpdateReport, options: UpdateOptions): BookPlan<P | PlannedPage> {
  if (!options.updateLog && !book.updateLog.length) return plan;
  return { ...plan, pages: [...plan.pages, updateLogPage(book, report, plan.meta.modified, plan.meta.language)] };
}

/** The story with the words of the chapters kept from its book counted too (the information
 * page counts the book's words, not only the new input's). */
function withKeptWords(story: Story, slots: ChapterSlot<PackedPage>[], old: ExistingStory): Story {
  const kept = slots.filter((s) => s.kind === 'kept').map((s) => old.chapters.find((c) => c.id === s.page.id)?.text ?? '');
  if (!kept.length) return story;
  return { ...story, meta: { ...story.meta, countedWords: (story.meta.countedWords ?? storyWordCount(story)) + kept.reduce((n, t) => n + countWords(t), 0) } };
}

/** A story's book updated: undefined when the existing book is another story's. */
export function planStoryUpdate(story: Story, book: ExistingBook, ctx: PlanContext, options: UpdateOptions): { plan: BookPlan<BookPage>; report: UpdateReport } | undefined {
  const draft = planStory(story, ctx);
  if (book.anthology || draft.meta.identifier !== book.identifier) return undefined;
  const old = book.stories.find((s) => s.prefix === '');
  if (!old) return undefined;
  const { slots, report } = layoutChapters(freshChapters(draft.pages, draft.nav), old, options, draft.meta.language);
  const plan = planStory(withKeptWords(story, slots, old), { ...ctx, ...(book.modified ? { notBefore: book.modified } : {}) }, slots);
  const images = keptImages(book, plan.pages);
  const merged = images.length ? { ...plan, images: [...new Map([...images, ...plan.images].map((i) => [i.name, i])).values()] } : plan;
  return { plan: withLog(merged, book, report, options), report };
}

/** A story kept from the existing anthology as it was: its pages' bytes, navigation and contents entry. */
function keptStory(s: ExistingStory): StoryPart<PackedPage> {
  const found = s.entry ?? { label: s.pages[0]?.title ?? '', href: s.pages[0]?.filename ?? '', children: [] };
  // A mark says what the last update added; it does not outlive the next one.
  const entry = { ...found, label: unmarked(found.label), children: found.children.map((c) => ({ ...c, label: unmarked(c.label) })) };
  return {
    pages: s.pages.map(verbatim),
    nav: entry,
    contents: { title: entry.label, href: entry.href, authors: [], ...(s.contentsEntry ? { raw: raw(s.contentsEntry) } : {}) },
    meta: { authors: [], fandoms: [], relationships: [], characters: [], tags: [], warnings: [], category: [] },
    images: [],
    imagesDescribed: true,
  };
}

/**
 * An anthology updated: its stories kept in their order, each new story that is one of them (the
 * same title and authors) updated in place, the others appended. Undefined when the existing
 * book is another anthology (or no anthology).
 */
export function planAnthologyUpdate(a: Anthology, book: ExistingBook, ctx: PlanContext, options: UpdateOptions): { plan: BookPlan<BookPage>; report: UpdateReport } | undefined {
  const { stories, ...info } = a;
  if (!book.anthology || anthologyIdentifier(info) !== book.identifier) return undefined;
  const lang = info.language ?? stories[0]?.meta.language ?? 'en';
  const report: UpdateReport = { added: [], changed: [], kept: [], removed: [] };
  const front = ctx.frontMatter ?? 'all';
  const byLabel = new Map(book.stories.map((s) => [unmarked(s.entry?.label ?? ''), s]));
  const updated = new Map<string, StoryPart<BookPage>>();
  const appended: StoryPart<BookPage>[] = [];
  let next = Math.max(0, ...book.stories.map((s) => Number(/^s(\d{3})-/.exec(s.prefix)?.[1] ?? 0))) + 1;
  for (const story of stories) {
    const draft = storyPart(story, 1, lang, front);
    const old = byLabel.get(draft.nav.label);
    if (!old || updated.has(old.prefix)) {
      const part = storyPart(story, next++, lang, front);
      appended.push(options.markNew ? { ...part, nav: { ...part.nav, label: `${part.nav.label} ${wordsFor(lang).newMark}` } } : part);
      report.added.push(draft.nav.label);
      continue;
    }
    const n = Number(/^s(\d{3})-/.exec(old.prefix)![1]);
    const fresh = storyPart(story, n, lang, front);
    const laid = layoutChapters(freshChapters(fresh.pages.filter((p): p is PlannedPage => p.kind === 'markup'), fresh.nav.children), old, options, lang);
    const part = storyPart(withKeptWords(story, laid.slots, old), n, lang, front, laid.slots);
    // An unchanged story keeps its title and information pages too (their bytes are the same).
    updated.set(old.prefix, part);
    const name = draft.nav.label;
    for (const [k, list] of Object.entries(laid.report) as [keyof UpdateReport, string[]][]) report[k].push(...list.map((c) => `${name}: ${c}`));
  }
  const parts: StoryPart<BookPage>[] = [...book.stories.map((s) => updated.get(s.prefix) ?? keptStory(s)), ...appended];
  for (const s of book.stories) if (!updated.has(s.prefix)) report.kept.push(unmarked(s.entry?.label ?? s.prefix));
  const plan = planAnthologyParts(info, parts, { ...ctx, ...(book.modified ? { notBefore: book.modified } : {}) }, { authors: book.authors, subjects: book.subjects });
  const images = keptImages(book, plan.pages);
  const merged = images.length ? { ...plan, images: [...new Map([...images, ...plan.images].map((i) => [i.name, i])).values()] } : plan;
  return { plan: withLog(merged, book, report, options), report };
}

/** How many stories an anthology holds once `a`'s stories are added to (or update) its book. */
export function storiesAfterUpdate(a: Anthology, book: ExistingBook): number {
  const there = new Set(book.stories.map((s) => unmarked(s.entry?.label ?? '')));
  const lang = a.language ?? a.stories[0]?.meta.language ?? 'en';
  return book.stories.length + new Set(a.stories.map((s) => storyLabel(s, lang)).filter((l) => !there.has(l))).size;
}
