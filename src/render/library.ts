/**
 * What library tools (calibre, reading apps) file a story under, kept apart: fandoms,
 * relationships, characters and freeform tags as separate lists, and rating, warnings,
 * category, status, words, chapters and dates as fields. Only what the story states (or what
 * is counted in the book) is given; nothing is invented.
 */
import type { Meta } from '../model.js';

/** Whether the story is finished, as its source states it. */
export interface StoryStatus {
  complete: boolean;
  /** Chapters posted. */
  chapters: number;
  /** Chapters planned, when the source states it. */
  total?: number;
}

/** The structured metadata of a book (plain data: the package document writes it). */
export interface LibraryMeta {
  fandoms: string[];
  relationships: string[];
  characters: string[];
  /** Freeform tags. */
  tags: string[];
  rating?: string;
  warnings: string[];
  category: string[];
  status?: StoryStatus;
  /** Words counted in this book's story text. */
  words?: number;
  /** Chapters in this book. */
  chapters?: number;
  /** ISO dates. */
  published?: string;
  updated?: string;
}

/**
 * The story's status from what its source stated: "Chapters: 3/10" or "Completed: date" (the
 * Archive), "Status: Complete" or "In-Progress" (FanFiction.Net). Unknown when none is stated.
 */
export function storyStatus(m: Meta, chaptersRead: number): StoryStatus | undefined {
  const stated = Object.entries(m.extra).find(([k]) => /^chapters$/i.test(k))?.[1];
  const counts = stated?.replace(/\s+/g, '').match(/^(\d+)\/(\d+|\?)$/);
  if (counts) {
    const n = Number(counts[1]);
    const total = counts[2] === '?' ? undefined : Number(counts[2]);
    return { complete: total !== undefined && n >= total, chapters: n, ...(total !== undefined ? { total } : {}) };
  }
  // The Archive states a finished work's completion date ("Completed: 2021-02-10").
  if (Object.keys(m.extra).some((k) => /^completed$/i.test(k))) return { complete: true, chapters: chaptersRead, total: chaptersRead };
  const status = Object.entries(m.extra).find(([k]) => /^status$/i.test(k))?.[1];
  if (status && /\bcomplete/i.test(status)) return { complete: true, chapters: chaptersRead, total: chaptersRead };
  if (status && /progress|ongoing|incomplete|hiatus/i.test(status)) return { complete: false, chapters: chaptersRead };
  return undefined;
}

function uniq(values: string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter(Boolean))];
}

/** The library metadata of a story's book. */
export function storyLibraryMeta(m: Meta, counts: { words: number; chapters: number; chaptersRead?: number }): LibraryMeta {
  const status = storyStatus(m, counts.chaptersRead ?? counts.chapters);
  return {
    fandoms: uniq(m.fandoms), relationships: uniq(m.relationships), characters: uniq(m.characters), tags: uniq(m.tags),
    ...(m.rating ? { rating: m.rating } : {}),
    warnings: uniq(m.warnings), category: uniq(m.category),
    ...(status ? { status } : {}),
    words: counts.words, chapters: counts.chapters,
    ...(m.published ? { published: m.published } : {}),
    ...(m.updated ? { updated: m.updated } : {}),
  };
}

/** The library metadata of an anthology: the lists of all its stories (its own fields are not one story's). */
export function anthologyLibraryMeta(metas: Pick<Meta, 'fandoms' | 'relationships' | 'characters' | 'tags' | 'warnings' | 'category'>[]): LibraryMeta {
  const all = (k: 'fandoms' | 'relationships' | 'characters' | 'tags' | 'warnings' | 'category'): string[] => uniq(metas.flatMap((m) => m[k]));
  return { fandoms: all('fandoms'), relationships: all('relationships'), characters: all('characters'), tags: all('tags'), warnings: all('warnings'), category: all('category') };
}
