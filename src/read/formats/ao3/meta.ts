/**
 * The Archive of Our Own's preface fields, read one way for every AO3 reader (the HTML download
 * or work page, the flattened text download): which labels there are, in AO3's order, and what
 * each one puts into the story's metadata.
 */
import type { Meta } from '../../../model.js';
import { parseDate, parseWordCount, splitList } from '../../header.js';
import { languageTagFor } from '../../language.js';

export type Ao3Field =
  | 'rating' | 'warnings' | 'category' | 'fandoms' | 'relationships' | 'characters' | 'tags' | 'language'
  | 'series' | 'collections' | 'stats' | 'published' | 'updated' | 'completed' | 'words' | 'chapters' | 'counter';

/** The preface labels, in the order AO3 writes them (rank); the stats share a rank. */
export const PREFACE_LABELS: readonly [label: string, field: Ao3Field, rank: number][] = [
  ['Rating', 'rating', 1], ['Ratings', 'rating', 1],
  ['Archive Warning', 'warnings', 2], ['Archive Warnings', 'warnings', 2],
  ['Category', 'category', 3], ['Categories', 'category', 3],
  ['Fandom', 'fandoms', 4], ['Fandoms', 'fandoms', 4],
  ['Relationship', 'relationships', 5], ['Relationships', 'relationships', 5],
  ['Character', 'characters', 6], ['Characters', 'characters', 6],
  ['Additional Tags', 'tags', 7], ['Additional Tag', 'tags', 7], ['Freeform', 'tags', 7],
  ['Language', 'language', 8],
  ['Series', 'series', 9],
  ['Collections', 'collections', 10], ['Collection', 'collections', 10],
  ['Stats', 'stats', 11],
  ['Published', 'published', 12], ['Updated', 'updated', 12], ['Completed', 'completed', 12],
  ['Chapters', 'chapters', 12], ['Words', 'words', 12], ['Comments', 'counter', 12], ['Kudos', 'counter', 12],
  ['Bookmarks', 'counter', 12], ['Hits', 'counter', 12],
];

const BY_LABEL = new Map(PREFACE_LABELS.map(([label, field]) => [label.toLowerCase(), field]));

/** The field a preface label names (any case), or undefined for a label AO3 does not write. */
export function ao3Field(label: string): Ao3Field | undefined {
  return BY_LABEL.get(label.trim().toLowerCase());
}

/** The stats line ("Published: 2020-01-02 Updated: … Words: 1,234 Chapters: 2/3 Kudos: 5")
 * as label and value pairs. */
export function statPairs(text: string): [label: string, value: string][] {
  const labels = PREFACE_LABELS.filter(([, , rank]) => rank === 12).map(([l]) => l);
  const re = new RegExp(`\\b(${labels.join('|')}):\\s*(.*?)(?=\\s+(?:${labels.join('|')}):|$)`, 'g');
  return [...text.matchAll(re)].map((m) => [m[1]!, m[2]!.trim()]);
}

/**
 * Store one preface field into `meta` (the first statement of a field wins; list values are
 * added once each). `values` are a list field's items when the page gives them apart (links).
 * Returns what could not be understood, for a meta-004 message; undefined when all was.
 */
export function applyAo3Field(meta: Meta, label: string, value: string, values?: string[]): string | undefined {
  const field = ao3Field(label);
  switch (field) {
    case 'rating':
      if (value) meta.rating ??= value;
      return undefined;
    case 'warnings':
    case 'category':
    case 'fandoms':
    case 'relationships':
    case 'characters':
    case 'tags':
      for (const v of values ?? splitList(value)) if (!meta[field].includes(v)) meta[field].push(v);
      return undefined;
    case 'language':
      if (value) meta.language ??= languageTagFor(value);
      return undefined;
    case 'series': {
      // Several series: the first is the book's series, the others are kept as text.
      const parts = [...value.matchAll(/Part\s+(\d+)\s+of\s+(.+?)(?=,?\s*Part\s+\d+\s+of\s|$)/gi)];
      if (!parts.length) {
        if (value) meta.extra[label] = value;
        return value ? `series "${value}" is not "Part N of NAME"; kept as text` : undefined;
      }
      const [first, ...others] = parts;
      meta.series ??= { name: first![2]!.replace(/[,\s]+$/, '').trim(), index: Number(first![1]) };
      if (others.length) meta.extra['Other series'] = others.map((p) => `Part ${p[1]} of ${p[2]!.replace(/[,\s]+$/, '')}`).join('; ');
      return undefined;
    }
    case 'stats':
      for (const [l, v] of statPairs(value)) {
        const problem = applyAo3Field(meta, l, v);
        if (problem) return problem;
      }
      return undefined;
    case 'published':
    case 'updated':
    case 'completed': {
      const date = parseDate(value);
      // "Completed" is the work's status as well as its last update.
      if (field === 'completed') meta.extra[label] = date ?? value;
      if (date) {
        if (field === 'published') meta.published ??= date;
        else meta.updated ??= date;
        return undefined;
      }
      if (field !== 'completed') meta.extra[label] = value;
      return `${label.toLowerCase()} date "${value}" is not a date; kept as text`;
    }
    case 'words': {
      const n = parseWordCount(value);
      if (n !== undefined) {
        meta.statedWords ??= n;
        return undefined;
      }
      meta.extra[label] = value;
      return `word count "${value}" is not a number; kept as text`;
    }
    case 'chapters': {
      // Only an unfinished work says something the chapters themselves do not.
      const m = /^(\d+)\s*\/\s*(\d+|\?)$/.exec(value.replace(/\s+/g, ''));
      if (m && m[1] !== m[2]) meta.extra[label] = `${m[1]}/${m[2]}`;
      return undefined;
    }
    case 'counter':
      // Comments, kudos, bookmarks and hits change every day: no part of the book.
      return undefined;
    case 'collections':
    case undefined:
      if (value) meta.extra[label] = value;
      return undefined;
  }
}
