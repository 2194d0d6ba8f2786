/**
 * "Key: value" header blocks, shared by every text format. One table of field aliases maps
 * the many spellings people use (Author/Writer/by, Pairing/Relationship …) to Meta fields.
 */
import type { Meta } from '../model.js';
import { para } from './story.js';

/** Where a header value goes. `extra` keeps the field under its display name. */
export type FieldTarget =
  | 'title' | 'authors' | 'fandoms' | 'relationships' | 'characters' | 'rating' | 'warnings'
  | 'ratingWarnings' | 'category' | 'tags' | 'summary' | 'notes' | 'disclaimer' | 'published'
  | 'updated' | 'statedWords' | 'series' | 'sourceUrl' | 'language' | 'extra';

interface FieldRule {
  target: FieldTarget;
  /** Display name for `extra` fields. */
  label?: string;
}

// Keys are compared lower-cased with "(s)" and surrounding punctuation removed.
const FIELD_ALIASES: Record<string, FieldRule> = {
  'title': { target: 'title' },
  'story title': { target: 'title' },
  'fic title': { target: 'title' },
  'author': { target: 'authors' },
  'authors': { target: 'authors' },
  'writer': { target: 'authors' },
  'writers': { target: 'authors' },
  'written by': { target: 'authors' },
  'by': { target: 'authors' },
  'pseud': { target: 'authors' },
  'fandom': { target: 'fandoms' },
  'fandoms': { target: 'fandoms' },
  'pairing': { target: 'relationships' },
  'pairings': { target: 'relationships' },
  'relationship': { target: 'relationships' },
  'relationships': { target: 'relationships' },
  'ship': { target: 'relationships' },
  'character/pairing': { target: 'relationships' },
  'characters/pairing': { target: 'relationships' },
  'characters/pairings': { target: 'relationships' },
  'pairing/characters': { target: 'relationships' },
  'character': { target: 'characters' },
  'characters': { target: 'characters' },
  'rating': { target: 'rating' },
  'rated': { target: 'rating' },
  'rating/warnings': { target: 'ratingWarnings' },
  'rating/warning': { target: 'ratingWarnings' },
  'warning': { target: 'warnings' },
  'warnings': { target: 'warnings' },
  'archive warning': { target: 'warnings' },
  'archive warnings': { target: 'warnings' },
  'content warning': { target: 'warnings' },
  'content warnings': { target: 'warnings' },
  'category': { target: 'category' },
  'categories': { target: 'category' },
  'tags': { target: 'tags' },
  'tag': { target: 'tags' },
  'additional tags': { target: 'tags' },
  'keywords': { target: 'tags' },
  'summary': { target: 'summary' },
  'description': { target: 'summary' },
  'blurb': { target: 'summary' },
  'notes': { target: 'notes' },
  'note': { target: 'notes' },
  "author's notes": { target: 'notes' },
  "author's note": { target: 'notes' },
  'authors notes': { target: 'notes' },
  'a/n': { target: 'notes' },
  'an': { target: 'notes' },
  'disclaimer': { target: 'disclaimer' },
  'date': { target: 'published' },
  'date written': { target: 'published' },
  'date posted': { target: 'published' },
  'posted': { target: 'published' },
  'published': { target: 'published' },
  'written': { target: 'published' },
  'updated': { target: 'updated' },
  'word count': { target: 'statedWords' },
  'wordcount': { target: 'statedWords' },
  'words': { target: 'statedWords' },
  'length': { target: 'statedWords' },
  'series': { target: 'series' },
  'url': { target: 'sourceUrl' },
  'link': { target: 'sourceUrl' },
  'source': { target: 'sourceUrl' },
  'language': { target: 'language' },
  'challenge': { target: 'extra', label: 'Challenge' },
  'prompt': { target: 'extra', label: 'Prompt' },
  'challenge/prompt': { target: 'extra', label: 'Challenge/Prompt' },
  'prompt/challenge': { target: 'extra', label: 'Challenge/Prompt' },
  'based on': { target: 'extra', label: 'Based on' },
  'inspired by': { target: 'extra', label: 'Inspired by' },
  'beta': { target: 'extra', label: 'Beta' },
  'betas': { target: 'extra', label: 'Beta' },
  'beta reader': { target: 'extra', label: 'Beta' },
  'beta readers': { target: 'extra', label: 'Beta' },
  'beta\'d by': { target: 'extra', label: 'Beta' },
  'dedication': { target: 'extra', label: 'Dedication' },
  'dedicated to': { target: 'extra', label: 'Dedication' },
  'spoilers': { target: 'extra', label: 'Spoilers' },
  'timeline': { target: 'extra', label: 'Timeline' },
  'genre': { target: 'extra', label: 'Genre' },
  'status': { target: 'extra', label: 'Status' },
  'feedback': { target: 'extra', label: 'Feedback' },
  'archive': { target: 'extra', label: 'Archive' },
  'artist': { target: 'extra', label: 'Artist' },
  'art': { target: 'extra', label: 'Art' },
  'recipient': { target: 'extra', label: 'Recipient' },
  'for': { target: 'extra', label: 'For' },
};

/** Normalise a header key for lookup: lower case, no "(s)", single spaces, curly apostrophes straight. */
export function normaliseKey(key: string): string {
  return key
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\(s\)/g, 's')
    .replace(/\s+/g, ' ')
    .replace(/^[\s*•\-–#>]+|[\s*:]+$/g, '')
    .trim();
}

/** The rule for a header key, or undefined when the key is not a known field. */
export function fieldFor(key: string): FieldRule | undefined {
  const k = normaliseKey(key);
  return Object.prototype.hasOwnProperty.call(FIELD_ALIASES, k) ? FIELD_ALIASES[k] : undefined;
}

/** A "Key: value" line split in two, when the key is a known field. */
export interface HeaderLine {
  key: string;
  value: string;
  rule: FieldRule;
}

const KEY_LINE = /^\s*(?:[*•\-–]\s*)?([A-Za-z][A-Za-z'’ /()&.-]{0,39}?)\s*:\s*(.*)$/;

/** Parse one line as a known header field, or return undefined. */
export function parseHeaderLine(line: string): HeaderLine | undefined {
  const m = KEY_LINE.exec(line);
  if (!m) return undefined;
  const rule = fieldFor(m[1]!);
  if (!rule) return undefined;
  return { key: m[1]!.trim(), value: m[2]!.trim(), rule };
}

/** Split a list value on commas and semicolons that are not inside parentheses. */
export function splitList(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of value) {
    if (ch === '(' || ch === '[') depth++;
    else if ((ch === ')' || ch === ']') && depth > 0) depth--;
    if ((ch === ',' || ch === ';') && depth === 0) {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

function iso(y: number, m: number, d: number): string | undefined {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2200) return undefined;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Parse a stated date ("31 July 2017", "July 31, 2017", "Oct 24, 2008 23:18", "2017-07-31")
 * to YYYY-MM-DD; ambiguous numeric forms like 03/04/2005 give undefined. */
export function parseDate(value: string): string | undefined {
  const v = value.trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b/.exec(v);
  if (m) return iso(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b/.exec(v);
  if (m) {
    const mo = MONTHS[m[2]!.slice(0, 4).toLowerCase()] ?? MONTHS[m[2]!.slice(0, 3).toLowerCase()];
    if (mo) return iso(+m[3]!, mo, +m[1]!);
  }
  m = /^(?:[A-Za-z]+,?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/.exec(v);
  if (m) {
    const mo = MONTHS[m[1]!.slice(0, 4).toLowerCase()] ?? MONTHS[m[1]!.slice(0, 3).toLowerCase()];
    if (mo) return iso(+m[3]!, mo, +m[2]!);
  }
  return undefined;
}

/** Parse a stated word count ("1,210", "about 5000 words", "7.641") to a number. */
export function parseWordCount(value: string): number | undefined {
  const m = /(\d{1,3}(?:[,.\s]\d{3})+|\d+)/.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]!.replace(/[,.\s]/g, ''));
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** "Part 2/2", "Part 2 of 3", "(2/5)" → index and total. */
export function parsePartMarker(text: string): { index: number; total?: number } | undefined {
  const m = /\b(?:part|chapter|pt\.?)\s*(\d+)\s*(?:\/|of)\s*(\d+)\b/i.exec(text) ?? /\((\d+)\s*\/\s*(\d+)\)/.exec(text);
  if (m) return { index: +m[1]!, total: +m[2]! };
  return undefined;
}

// A rating followed by " - " and warnings, as in "PG-13/T - Future AU".
function splitRatingWarnings(value: string): { rating?: string; warnings: string[] } {
  const m = /^(.*?)\s+[-–—]\s+(.*)$/.exec(value);
  if (m) return { rating: m[1]!.trim(), warnings: splitList(m[2]!) };
  return { rating: value.trim() || undefined, warnings: [] };
}

/**
 * Store one header field into `meta` (mutates the Meta under construction; readers own it).
 * Returns false when the value could not be understood (kept in `extra` instead).
 */
export function applyField(meta: Meta, line: HeaderLine): boolean {
  const { value, rule } = line;
  if (!value) return true;
  switch (rule.target) {
    case 'title': meta.title ??= value; return true;
    case 'authors': for (const a of splitAuthors(value)) if (!meta.authors.includes(a)) meta.authors.push(a); return true;
    case 'fandoms': meta.fandoms.push(...splitList(value)); return true;
    case 'relationships': meta.relationships.push(...splitList(value)); return true;
    case 'characters': meta.characters.push(...splitList(value)); return true;
    case 'rating': meta.rating ??= value; return true;
    case 'warnings': meta.warnings.push(...splitList(value)); return true;
    case 'ratingWarnings': {
      const rw = splitRatingWarnings(value);
      meta.rating ??= rw.rating;
      meta.warnings.push(...rw.warnings);
      return true;
    }
    case 'category': meta.category.push(...splitList(value)); return true;
    case 'tags': meta.tags.push(...splitList(value)); return true;
    case 'summary': (meta.summary ??= []).push(para(value)); return true;
    case 'notes': (meta.notes ??= []).push(para(value)); return true;
    case 'disclaimer': meta.disclaimer = meta.disclaimer ? `${meta.disclaimer} ${value}` : value; return true;
    case 'published': {
      const d = parseDate(value);
      if (d) { meta.published ??= d; return true; }
      meta.extra['Date'] = value;
      return false;
    }
    case 'updated': {
      const d = parseDate(value);
      if (d) { meta.updated ??= d; return true; }
      meta.extra['Updated'] = value;
      return false;
    }
    case 'statedWords': {
      const n = parseWordCount(value);
      if (n !== undefined) { meta.statedWords ??= n; return true; }
      meta.extra['Word count'] = value;
      return false;
    }
    case 'series': {
      const part = parsePartMarker(value);
      const name = value.replace(/[,(]?\s*\b(?:part|pt\.?)\s*\d+.*$/i, '').trim() || value;
      meta.series ??= { name, ...(part ? { index: part.index, total: part.total } : {}) };
      return true;
    }
    case 'sourceUrl': meta.sourceUrl ??= value; return true;
    case 'language': meta.language ??= value; return true;
    case 'extra': {
      const label = rule.label ?? line.key;
      meta.extra[label] = meta.extra[label] ? `${meta.extra[label]}; ${value}` : value;
      return true;
    }
  }
}

/** Split an author value: "A, B and C", "A & B". Drops "(user)" journal handles. */
export function splitAuthors(value: string): string[] {
  return value
    .split(/\s*(?:,|&|\band\b)\s*/)
    .map((a) => a.replace(/^by\s+/i, '').replace(/\s*\([^)]*\)\s*$/, '').trim())
    .filter((a) => a.length > 0);
}

/** A title line and a "by Name" byline near the top of a text with no header block. */
export interface TitleByline {
  title?: string;
  authors: string[];
  /** Index of the first line after the title/byline. */
  next: number;
}

const BYLINE = /^\s*(?:by|written by|story by)\s*:?\s+(.{1,80}?)\s*$/i;

/**
 * Look at the first non-blank lines for "Title" then "by Name" (either may be centred, either
 * may be missing). Only a short line without sentence-ending punctuation is taken as a title.
 */
export function titleAndByline(lines: string[], start = 0): TitleByline {
  const nonBlank: number[] = [];
  for (let i = start; i < lines.length && nonBlank.length < 3; i++) if (lines[i]!.trim()) nonBlank.push(i);
  const result: TitleByline = { authors: [], next: start };
  const [a, b] = nonBlank;
  if (a === undefined) return result;
  const by = (i: number | undefined): string[] | undefined => {
    if (i === undefined) return undefined;
    const m = BYLINE.exec(lines[i]!);
    return m ? splitAuthors(m[1]!) : undefined;
  };
  const byA = by(a);
  if (byA) return { authors: byA, next: a + 1 };
  const first = lines[a]!.trim();
  const titleLike = first.length <= 100 && !/[.!?,;]["”’']?$/.test(first) && !parseHeaderLine(first);
  const byB = by(b);
  if (titleLike && byB) return { title: first, authors: byB, next: b! + 1 };
  return result;
}
