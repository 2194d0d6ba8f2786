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
  | 'updated' | 'statedWords' | 'series' | 'sourceUrl' | 'language' | 'extra'
  // A field the format reads itself (`label` names it), and one it drops (its own bookkeeping).
  | 'own' | 'drop';

/** What a header key means. */
export interface FieldRule {
  target: FieldTarget;
  /** Display name for `extra` fields; the format's name for `own` fields. */
  label?: string;
}

/** A format's own keys (normalised, see `normaliseKey`), looked up before the shared table. */
export type FieldAliases = Readonly<Record<string, FieldRule>>;

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
  'entry tags': { target: 'tags' },
  'labels': { target: 'tags' },
  'filed under': { target: 'tags' },
  'tagged': { target: 'tags' },
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

const has = (table: FieldAliases, key: string): boolean => Object.prototype.hasOwnProperty.call(table, key);

/** The rule for a header key (the format's `aliases` first, then the shared table), or undefined
 * when the key is not a known field. */
export function fieldFor(key: string, aliases?: FieldAliases): FieldRule | undefined {
  const k = normaliseKey(key);
  if (aliases && has(aliases, k)) return aliases[k];
  return has(FIELD_ALIASES, k) ? FIELD_ALIASES[k] : undefined;
}

/** A "Key: value" line split in two, when the key is a known field. */
export interface HeaderLine {
  key: string;
  value: string;
  rule: FieldRule;
}

// "Key: value", "Key - value", "Key :: value"; a list bullet or bold markup ("**Title:** X") may wrap the key.
const KEY_LINE = /^\s*(?:[*•\-–]\s+)?([*_]{0,2})([A-Za-z][A-Za-z'’ /()&.-]{0,39}?)\s*(?::{1,2}|\s[-–—=]\s)[ \t]*(.*)$/;

/** Parse one line (or a segment of a stats line) as a known header field, or return undefined. */
export function parseHeaderLine(line: string, aliases?: FieldAliases): HeaderLine | undefined {
  const m = KEY_LINE.exec(line);
  if (!m) return undefined;
  const rule = fieldFor(m[2]!, aliases);
  if (!rule) return undefined;
  let value = m[3]!.trim();
  // The markup that opened before the key closes right after the colon.
  if (m[1] && value.startsWith(m[1])) value = value.slice(m[1].length).trim();
  return { key: m[2]!.trim(), value, rule };
}

/** A field of a header block: where its first line is, and its value with continuation lines joined. */
export interface ScannedField extends HeaderLine {
  /** Index of the field's first line. */
  at: number;
}

/** What `scanFields` found. */
export interface FieldScan {
  fields: ScannedField[];
  /** Index of the line after the last field's last line (0 when there is none). */
  end: number;
}

/**
 * The one "Key: value" scanner of every text header (Gutenberg's licence header, MultiMarkdown
 * metadata): known fields (the format's `aliases`, then the shared table) in order, each value
 * going on over the indented lines below it that are no field of their own; a blank line or
 * any other line ends a value. With `block`, the first line that is neither ends the scan (a
 * metadata block); without, such lines are passed over (fields among a licence's prose).
 */
export function scanFields(lines: readonly string[], aliases?: FieldAliases, block = false): FieldScan {
  const fields: ScannedField[] = [];
  let open: ScannedField | undefined;
  let end = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const field = line.trim() ? parseHeaderLine(line, aliases) : undefined;
    if (field) {
      open = { ...field, at: i };
      fields.push(open);
      end = i + 1;
    } else if (open && /^[ \t]+\S/.test(line)) {
      open.value = `${open.value} ${line.trim()}`.trim();
      end = i + 1;
    } else {
      open = undefined;
      if (block) break;
    }
  }
  return { fields, end };
}

/**
 * Where a "Key: value" header block starts among `texts` (one line or paragraph each, blank
 * ones allowed): the first of the first `within` non-blank texts that is a known field with at
 * least one more known field in the `window` texts from it. -1 when there is none.
 */
export function findHeaderStart(texts: string[], within = 12, window = 12): number {
  let seen = 0;
  for (let i = 0; i < texts.length && seen < within; i++) {
    if (!texts[i]!.trim()) continue;
    seen++;
    if (!parseHeaderLine(texts[i]!)) continue;
    let known = 0;
    for (let j = i; j < Math.min(texts.length, i + window); j++) if (parseHeaderLine(texts[j]!)) known++;
    if (known >= 2) return i;
  }
  return -1;
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

/** Parse a stated date ("31 July 2017", "July 31, 2017", "Oct 24, 2008 23:18", "2017-07-31",
 * a mail header's "Sat, 3 Mar 01 10:15:00 -0500", an mbox line's "Sat Mar  3 10:15:00 2001")
 * to YYYY-MM-DD: the one date parser of every reader. Ambiguous numeric forms like 03/04/2005
 * give undefined. */
export function parseDate(value: string): string | undefined {
  const v = value.trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b/.exec(v);
  if (m) return iso(+m[1]!, +m[2]!, +m[3]!);
  // Day first, with a mail header's weekday and two-digit year ("Sat, 3 Mar 01 10:15").
  m = /^(?:[A-Za-z]{3,9},?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4}|\d{2}(?=\s+\d{1,2}:\d{2}))\b/.exec(v);
  if (m) {
    const mo = MONTHS[m[2]!.slice(0, 4).toLowerCase()] ?? MONTHS[m[2]!.slice(0, 3).toLowerCase()];
    const y = m[3]!.length === 2 ? (+m[3]! < 50 ? 2000 : 1900) + +m[3]! : +m[3]!;
    if (mo) return iso(y, mo, +m[1]!);
  }
  // asctime, as in mbox From_ lines: "Sat Mar  3 10:15:00 2001".
  m = /^[A-Za-z]{3}\s+([A-Za-z]{3})\s+(\d{1,2})\s+[\d:]+\s+(?:[A-Z]{3,4}\s+)?(\d{4})\b/.exec(v);
  if (m) {
    const mo = MONTHS[m[1]!.toLowerCase()];
    if (mo) return iso(+m[3]!, mo, +m[2]!);
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

/** Which part of a story a post or page holds. */
export interface PartMarker {
  index: number;
  total?: number;
}

/** "Part 2/2", "Part 2 of 3", "(2/5)" anywhere in the text → index and total. */
export function parsePartMarker(text: string): PartMarker | undefined {
  const m = /\b(?:part|chapter|pt\.?)\s*(\d+)\s*(?:\/|of)\s*(\d+)\b/i.exec(text) ?? /\((\d+)\s*\/\s*(\d+)\)/.exec(text);
  if (m) return { index: +m[1]!, total: +m[2]! };
  return undefined;
}

const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12 };
const NUMBER = String.raw`\d+|[ivxlc]+\b|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve`;

/** "3", "three", "III" → 3; undefined when the word is not a number. */
export function numberValue(word: string): number | undefined {
  if (/^\d+$/.test(word)) return +word;
  const w = NUMBER_WORDS[word.toLowerCase()];
  if (w) return w;
  if (!/^[ivxlc]+$/i.test(word)) return undefined;
  const v: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100 };
  const t = word.toLowerCase();
  let n = 0;
  for (let k = 0; k < t.length; k++) {
    const a = v[t[k]!]!;
    n += a < (v[t[k + 1]!] ?? 0) ? -a : a;
  }
  return n;
}

// Part markers after a title, most specific first: "(2/3)", "[Part 2 of 3]", "Part Two", "Chapter 2", a bare trailing "2/3".
const TITLE_MARKERS: RegExp[] = [
  /[\s,:;\-–—]*[([]\s*(?:part\s*|pt\.?\s*)?(\d+)\s*(?:\/|of)\s*(\d+|\?+)\s*[)\]]/i,
  new RegExp(String.raw`[\s,:;\-–—(]*\b(?:part|pt\.?|chapter|ch\.?)\s*(${NUMBER})(?:\s*(?:\/|of)\s*(\d+|\?+))?\)?`, 'i'),
  /[\s,:;\-–—]+(\d{1,3})\s*\/\s*(\d{1,3}|\?+)(?=\s*(?:[:\-–—]|$))/,
];

/** A title with the part marker after it taken off. */
export interface TitlePart {
  /** The title before the marker (the whole text when there is no marker). */
  title: string;
  part?: PartMarker;
  /** Text after the marker ("(2/3): The Crossing" → "The Crossing"). */
  partTitle?: string;
}

/**
 * Split "The Long Road (2/3)", "The Long Road, Part Two: The Crossing", "The Long Road 2/3" into
 * title, part and part title. A text that is only a marker ("Part 2/3") gives an empty title.
 */
export function splitPartMarker(text: string): TitlePart {
  // A leading space lets a marker that opens the text match the patterns that want one before it.
  const s = ` ${text.trim()}`;
  for (const re of TITLE_MARKERS) {
    const m = re.exec(s);
    if (!m) continue;
    const index = numberValue(m[1]!);
    if (index === undefined) continue;
    const total = m[2] && /^\d+$/.test(m[2]) ? +m[2] : undefined;
    const after = s.slice(m.index + m[0].length).replace(/^[\s:;\-–—,.]+/, '').trim();
    const title = s.slice(0, m.index).replace(/[\s,:;\-–—]+$/, '').replace(/^["“'‘]+|["”'’]+$/g, '').trim();
    // "Salt, Part Two (2/2)": two markers for one part; the title is what precedes both.
    const inner = title ? splitPartMarker(title) : undefined;
    const both = inner?.part && inner.title && inner.part.index === index ? inner : undefined;
    const t = total ?? both?.part?.total;
    return { title: both ? both.title : title, part: { index, ...(t !== undefined ? { total: t } : {}) }, ...(after ? { partTitle: after } : {}) };
  }
  return { title: text.trim() };
}

// "(2/3)", "Part 2/3", "Part 2 of 3", "Chapter 2 of 3" alone on a line.
const PART_OF_LINE = new RegExp(String.raw`^\s*[([]?\s*(?:part|pt\.?|chapter)?\s*(${NUMBER})\s*(?:\/|of)\s*(\d+)\s*[)\]]?\s*$`, 'i');
// "Part 2", "Part Two" alone: a part marker only where the post is known to be numbered, else a heading.
const BARE_PART_LINE = new RegExp(String.raw`^\s*part\s+(${NUMBER})\s*[.:]?\s*$`, 'i');

/** The part marker when the whole line is one ("Part 2/3", "(2 of 3)"; "Part 2" too when `numbered`). */
export function partMarkerLine(line: string, numbered = false): PartMarker | undefined {
  const m = PART_OF_LINE.exec(line);
  const index = m ? numberValue(m[1]!) : undefined;
  if (m && index !== undefined) return { index, total: +m[2]! };
  const b = numbered ? BARE_PART_LINE.exec(line) : null;
  const bare = b ? numberValue(b[1]!) : undefined;
  return bare !== undefined ? { index: bare } : undefined;
}

/** A title reduced for comparison: lower case, accents, punctuation and spacing gone. */
export function titleKey(title: string): string {
  // ASCII and general punctuation (curly quotes, dashes, ellipses: no letter or digit, none decomposes
  // to one) need neither ICU's decomposition nor the Unicode classes: the same key, a unit test compares.
  if (PLAIN_TITLE.test(title)) return title.toLowerCase().replace(/[^a-z0-9]+/g, '');
  return title.toLowerCase().normalize('NFKD').replace(/[^\p{L}\p{N}]+/gu, '');
}

const PLAIN_TITLE = /^[\x00-\x7f\u2000-\u206f]*$/;

/** Compare titles loosely: case, accents, punctuation and spacing ignored; empty never matches. */
export function sameTitle(a: string, b: string): boolean {
  const ka = titleKey(a);
  return ka.length > 0 && ka === titleKey(b);
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
    case 'own': case 'drop': return true;
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

const BYLINE = /^\s*(?:by|written by|story by|a story by)\s*:?\s+(.{1,80}?)\s*$/i;
const BY_ALONE = /^\s*(?:by|written by|story by|a story by)\s*:?\s*$/i;

/** A name the way bylines give one: short, a few words, no sentence after it. */
function nameLike(text: string): boolean {
  const t = text.trim();
  if (!t || t.length > 80 || t.split(/\s+/).length > 8) return false;
  // "J. Okafor" may end in an initial; "the time she left." ends a sentence.
  return !/[!?,;:"“”]$/.test(t) && (!/\.$/.test(t) || /(?:^|\s)\p{Lu}\.$/u.test(t));
}

/** The authors of a "by Name" line ("by A and B", "Written by: A"), or undefined. */
export function parseByline(line: string): string[] | undefined {
  const m = BYLINE.exec(line);
  if (!m || !nameLike(m[1]!) || /^(?:the|a|an|then|now|this|that|noon|night|morning|evening)\b/i.test(m[1]!)) return undefined;
  const authors = splitAuthors(m[1]!);
  return authors.length ? authors : undefined;
}

/** A short line that can be a title: no sentence punctuation at its end, not a header field. */
export function titleLike(text: string, allowQuestion = false): boolean {
  const t = text.trim();
  const end = allowQuestion ? /[.,;:]["”’']?$/ : /[.!?,;:]["”’']?$/;
  return t.length > 0 && t.length <= 100 && !end.test(t) && !parseHeaderLine(t) && !/^["“‘]/.test(t);
}

/** Display columns of a line's leading whitespace (tabs to the next multiple of 8). */
export function leadingColumns(line: string): number {
  let col = 0;
  for (const ch of /^[\t ]*/.exec(line)![0]) col = ch === '\t' ? col + 8 - (col % 8) : col + 1;
  return col;
}

/**
 * The title block at the top of a text with no header: "Title" over "by Name" (blank lines
 * between allowed), "Title" / "by" / "Name" on three lines, "by Name" alone, or a centred
 * title (indented well past the text below it) alone. Only a short line without
 * sentence-ending punctuation is taken as a title.
 */
export function titleAndByline(lines: string[], start = 0): TitleByline {
  const nonBlank: number[] = [];
  for (let i = start; i < lines.length && nonBlank.length < 3; i++) if (lines[i]!.trim()) nonBlank.push(i);
  const result: TitleByline = { authors: [], next: start };
  const [a, b, c] = nonBlank;
  if (a === undefined) return result;
  const text = (i: number | undefined): string => (i === undefined ? '' : lines[i]!.trim());
  const byA = parseByline(lines[a]!);
  if (byA) return { authors: byA, next: a + 1 };
  if (BY_ALONE.test(lines[a]!) && nameLike(text(b))) return { authors: splitAuthors(text(b)), next: b! + 1 };
  const first = text(a);
  if (!titleLike(first, true)) return result;
  const byB = b === undefined ? undefined : parseByline(lines[b]!);
  if (byB) return { title: first, authors: byB, next: b! + 1 };
  if (b !== undefined && BY_ALONE.test(lines[b]!) && nameLike(text(c))) return { title: first, authors: splitAuthors(text(c)), next: c! + 1 };
  if (titleLike(first) && centred(lines, a)) return { title: first, authors: [], next: a + 1 };
  return result;
}

/** Display width of a line (tabs to the next multiple of 8). */
function lineColumns(line: string): number {
  return leadingColumns(line) + line.trim().length;
}

/** True when `lines[at]` stands centred over the lines below it: indented, with about as much
 * room on its right (measured against the widest of the next lines) as on its left. */
function centred(lines: string[], at: number): boolean {
  const indent = leadingColumns(lines[at]!);
  if (indent < 6) return false;
  const below = lines.slice(at + 1, at + 40).filter((l) => l.trim());
  if (!below.length) return false;
  const width = Math.max(...below.map(lineColumns));
  const right = width - indent - lines[at]!.trim().length;
  const balanced = right >= 4 && Math.abs(indent - right) <= Math.max(6, indent / 2);
  // Under a deep indent, lines of one-line paragraphs say nothing about the page width.
  const deep = indent >= 12 && lines[at]!.trim().length <= 60;
  return (balanced || deep) && below.slice(0, 3).every((l) => leadingColumns(l) <= indent / 2);
}
