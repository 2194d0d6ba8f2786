/**
 * Project Gutenberg plain-text e-books: a licence header with `Title:` / `Author:` /
 * `Release date:` / `Language:` fields up to a `*** START OF THE PROJECT GUTENBERG EBOOK … ***`
 * marker (older files: `*** START OF THIS PROJECT GUTENBERG EBOOK`, or the `*END*THE SMALL
 * PRINT!` line), the book hard-wrapped near 70 columns with blank-line paragraphs, and the
 * licence again from `*** END OF …` on. The volunteers' "Produced by" credit, a repeat of the
 * title and author at the top, a table of contents and bare `[Illustration]` marks are not
 * story text. Chapters are `CHAPTER I.`, `Chapter 1`, or roman numerals alone on their line.
 */
import type { Meta, Story } from '../../model.js';
import { chapterHeading, linesToBody, paragraphMode } from '../body.js';
import { lose, type Losses } from '../fidelity.js';
import { applyField, parseDate, scanFields, splitAuthors, type FieldAliases, type FieldRule, type FieldTarget } from '../header.js';
import { languageTagFor } from '../language.js';
import { emptyStory } from '../story.js';
import { looksLikeHtmlDocument } from '../sniff.js';
import type { ReadContext } from '../context.js';
import type { TextFormat, TextInput } from '../format.js';

// The line after which the book starts, in the three spellings Gutenberg has used.
const START = /^\s*\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?(?:BOOK|TEXT)\b/i;
const SMALL_PRINT_END = /\*END\*\s*THE SMALL PRINT!/i;
// The line from which on everything is licence: "*** END OF THE PROJECT …", "End of Project Gutenberg's …".
const END = /^\s*\**\s*end\s+of\s+(?:the\s+|this\s+)?project\s+gutenberg/i;
// The first line of the header names the book when no Title:/Author: fields do.
const FIRST_LINE = /^\W*(?:The\s+)?Project\s+Gutenberg(?:'s|’s)?\s+(?:e-?(?:book|text)\s+of\s+)?(.+?)(?:,\s+by\s+(.+?))?[\s*]*$/i;
// Header fields the shared table does not know: the release date (read here), the e-book's own
// bookkeeping (dropped) and credits kept under a label.
const RELEASED: FieldRule = { target: 'own', label: 'released' };
const DROP: FieldRule = { target: 'drop' };
const extra = (label: string): FieldRule => ({ target: 'extra', label });
const GUTENBERG_FIELDS: FieldAliases = {
  'release date': RELEASED, 'release': RELEASED, 'posting date': DROP, 'last updated': DROP,
  'most recently updated': DROP, 'character set encoding': DROP, 'produced by': DROP, 'credits': DROP,
  'translator': extra('Translator'), 'translators': extra('Translator'), 'translated by': extra('Translator'),
  'illustrator': extra('Illustrator'), 'illustrators': extra('Illustrator'), 'illustrated by': extra('Illustrator'),
  'editor': extra('Editor'), 'editors': extra('Editor'), 'edited by': extra('Editor'),
  'contributor': extra('Contributor'), 'contributors': extra('Contributor'), 'original publication': extra('Original publication'),
};
const OWN_RULES = new Set(Object.values(GUTENBERG_FIELDS));
// Of the shared fields, the ones a Gutenberg header states about the book itself.
const BOOK_FIELDS = new Set<FieldTarget>(['title', 'authors', 'sourceUrl']);
const EBOOK_NUMBER = /\[?\s*e-?(?:book|text)\s*#\s*(\d+)\s*\]?/i;
const BOOK_URL = /https?:\/\/(?:www\.)?gutenberg\.org\/(?:ebooks|files)\/(\d+)/i;
// The transcribers' credit at the top of the book.
const CREDIT = /^\s*(?:(?:e-?text\s+)?(?:produced|prepared|transcribed|scanned|proofread)\s+by\b|credits?\s*:)/i;
const CONTENTS = /^\s*(?:table\s+of\s+)?contents\.?\s*$/i;
const ROMAN = /^\s*(M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))\.?\s*$/;
const ILLUSTRATION = /^\s*\[\s*illustration\b\s*:?\s*/i;
// Words that join a title and a name in the repeated title block ("by", "translated by").
const BLOCK_WORDS = new Set(['by', 'and', 'the', 'of', 'a', 'an', 'translated', 'illustrated', 'illustrations', 'with', 'edited', 'from', 'author', 'authors']);

function sniff(input: TextInput): number {
  if (looksLikeHtmlDocument(input.text)) return 0;
  const head = input.text.slice(0, 30000);
  // The start marker opens with three asterisks: the regex runs only when they are there.
  if ((head.includes('***') && /^\s*\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG/im.test(head)) || SMALL_PRINT_END.test(head)) return 0.98;
  // Without a marker, only a first line naming the e-book ("The Project Gutenberg EBook of …").
  const first = /^\s*(.*)/.exec(input.text.slice(0, 600))![1]!;
  return /^\W*(?:The\s+)?Project\s+Gutenberg(?:'s|’s)?\s/i.test(first) ? 0.8 : 0;
}

/** Index of the line holding the start marker (the last line of it, when it wraps), or -1. */
function findStart(lines: string[]): number {
  for (let i = 0; i < Math.min(lines.length, 1500); i++) {
    const line = lines[i]!;
    if (SMALL_PRINT_END.test(line)) return i;
    if (!START.test(line)) continue;
    // A long title wraps the marker over a line or two before its closing asterisks.
    let j = i;
    while (!/\*{3}\s*$/.test(lines[j]!) && j < i + 2 && j + 1 < lines.length && lines[j + 1]!.trim()) j++;
    return /\*{3}\s*$/.test(lines[j]!) ? j : i;
  }
  return -1;
}

/** Header lines → meta; returns the eBook number when one is stated. */
function readHeader(header: string[], meta: Meta): string | undefined {
  let ebook: string | undefined;
  for (const line of header) {
    const n = EBOOK_NUMBER.exec(line);
    if (n) ebook ??= n[1];
  }
  for (const field of scanFields(header, GUTENBERG_FIELDS).fields) {
    const { value, rule } = field;
    if (!value) continue;
    if (rule.target === 'own') {
      const date = value.replace(EBOOK_NUMBER, '').trim();
      const iso = parseDate(date);
      if (iso) meta.published ??= iso;
      else if (date) meta.extra['Release date'] ??= date;
    } else if (OWN_RULES.has(rule)) applyField(meta, field);
    else if (rule.target === 'language') meta.language ??= languageTagFor(value);
    else if (BOOK_FIELDS.has(rule.target)) applyField(meta, field);
  }
  // The oldest headers state the book only in their first line.
  const first = header.find((l) => l.trim());
  const fm = first ? FIRST_LINE.exec(first.trim()) : null;
  if (fm) {
    if (!meta.title && fm[1]) meta.title = fm[1].trim();
    if (!meta.authors.length && fm[2]) meta.authors.push(...splitAuthors(fm[2]));
  }
  return ebook;
}

/** Words of a line, lower-cased, letters and digits only. */
function words(line: string): string[] {
  return line.toLowerCase().replace(/[^\p{L}\p{N}\s]+/gu, ' ').split(/\s+/).filter((w) => w.length > 0);
}

/** Index of the first line after the credit paragraph, bare illustration marks (counted) and the
 * repeated title/author block at the top of the book. */
function skipTitleBlock(lines: string[], meta: Meta, losses: Losses): number {
  let i = 0;
  const known = new Set([meta.title ?? '', ...meta.authors, ...Object.values(meta.extra)].flatMap(words));
  for (;;) {
    while (i < lines.length && !lines[i]!.trim()) i++;
    if (i >= lines.length) return i;
    const line = lines[i]!.trim();
    if (CREDIT.test(line)) {
      while (i < lines.length && lines[i]!.trim()) i++;
      continue;
    }
    if (/^\[\s*illustration\s*\]$/i.test(line)) {
      lose(losses, 'fid-001', 1);
      i++;
      continue;
    }
    const ws = words(line);
    const repeat = line.length <= 80 && ws.length > 0 && ws.every((w) => known.has(w) || BLOCK_WORDS.has(w)) && chapterHeading(line) === undefined;
    if (!repeat) return i;
    i++;
  }
}

/** Comparable form of a contents entry or heading: words only. */
function entryKey(line: string): string {
  return words(line.replace(/[\s.]*\d+\s*$/, '')).join(' ');
}

/** Lines [from, to) of a table of contents, when one stands near the top: from its heading to
 * the line where its first entry comes again as a heading. */
function findContents(lines: string[]): [number, number] | undefined {
  const from = lines.slice(0, 200).findIndex((l) => CONTENTS.test(l));
  if (from < 0) return undefined;
  let e = from + 1;
  while (e < lines.length && !lines[e]!.trim()) e++;
  if (e >= lines.length) return undefined;
  const first = entryKey(lines[e]!);
  if (!first) return undefined;
  for (let j = e + 1; j < lines.length; j++) {
    const k = entryKey(lines[j]!);
    // The body's heading may leave the entry's title for the next line ("CHAPTER I." / "Down the Rabbit-Hole").
    if (k && (k === first || (first.startsWith(`${k} `) && chapterHeading(lines[j]!) !== undefined))) return [from, j];
  }
  return undefined;
}

/** A heading line at `i`: a chapter heading, or a roman numeral alone between blank lines. */
function headingAt(lines: string[], i: number, romanHeadings: boolean): boolean {
  const line = lines[i]!;
  if (chapterHeading(line) !== undefined) return true;
  if (!romanHeadings || !ROMAN.test(line) || !line.trim()) return false;
  return !lines[i - 1]?.trim() && !lines[i + 1]?.trim();
}

/** A short title line right under a heading ("Down the Rabbit-Hole"): no sentence punctuation
 * unless it is all capitals, and a blank line after it. */
function titleLine(lines: string[], i: number): boolean {
  const t = lines[i]?.trim() ?? '';
  if (!t || t.length > 60 || /^["“‘'(\[]/.test(t) || chapterHeading(t) !== undefined || ROMAN.test(t)) return false;
  if (/[.!?,;:"”’]$/.test(t) && /\p{Ll}/u.test(t)) return false;
  return !lines[i + 1]?.trim();
}

/** Caption lines of `[Illustration: …]` marks kept as text, bare marks dropped and counted. */
function illustrations(lines: string[], losses: Losses): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = ILLUSTRATION.exec(lines[i]!);
    if (!m) {
      out.push(lines[i]!);
      continue;
    }
    // The mark may run over several lines up to its closing bracket.
    let text = lines[i]!.slice(m[0].length);
    while (!text.includes(']') && i + 1 < lines.length && lines[i + 1]!.trim()) text += ` ${lines[++i]!.trim()}`;
    const caption = text.replace(/\]\s*$/, '').trim();
    lose(losses, 'fid-001', 1, caption || undefined);
    if (caption) out.push(caption);
  }
  return out;
}

function read(input: TextInput, ctx: ReadContext): Story {
  const story = emptyStory(input.path, 'gutenberg', input.encoding);
  const meta = story.meta;
  const losses = ctx.losses;
  const lines = input.text.split('\n');
  let start = findStart(lines);
  const header = start >= 0 ? lines.slice(0, start) : lines.slice(0, 40);
  const ebook = readHeader(header, meta);
  if (start < 0) {
    // No marker: the header ends at the last field line near the top.
    start = scanFields(header).fields.at(-1)?.at ?? -1;
  }
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    if (END.test(lines[i]!)) { end = i; break; }
  }
  const footer = lines.slice(end).join('\n');
  const url = BOOK_URL.exec(`${header.join('\n')}\n${footer}`);
  const number = url?.[1] ?? ebook ?? EBOOK_NUMBER.exec(footer)?.[1];
  if (number) meta.sourceUrl ??= `https://www.gutenberg.org/ebooks/${number}`;

  let body = lines.slice(start + 1, end);
  body = body.slice(skipTitleBlock(body, meta, losses));
  const contents = findContents(body);
  if (contents) body = [...body.slice(0, contents[0]), ...body.slice(contents[1])];
  body = illustrations(body, losses);

  // Split at headings here (roman numerals are headings only when the book uses several),
  // so that a title line under a heading joins it; body.ts reads each chapter's paragraphs.
  const romanCount = body.filter((l, i) => ROMAN.test(l) && l.trim() && !body[i - 1]?.trim() && !body[i + 1]?.trim()).length;
  const mode = paragraphMode(body);
  const segments: { title?: string; lines: string[] }[] = [{ lines: [] }];
  for (let i = 0; i < body.length; i++) {
    if (!headingAt(body, i, romanCount >= 2)) {
      segments[segments.length - 1]!.lines.push(body[i]!);
      continue;
    }
    let title = body[i]!.trim();
    let j = i + 1;
    while (j < body.length && !body[j]!.trim()) j++;
    if (titleLine(body, j)) {
      title = /[.:\-–—]$/.test(title) ? `${title} ${body[j]!.trim()}` : `${title}: ${body[j]!.trim()}`;
      i = j;
    }
    segments.push({ title, lines: [] });
  }
  for (const [k, seg] of segments.entries()) {
    const read = linesToBody(seg.lines, { mode, ...(seg.title !== undefined ? { firstChapterTitle: seg.title } : {}) });
    story.chapters.push(...read.chapters);
    if (k === segments.length - 1) story.end = read.end;
  }
  return story;
}

/** The Project Gutenberg plain-text reader. */
export const gutenberg: TextFormat = {
  name: 'gutenberg',
  description: 'Project Gutenberg plain-text e-book: licence header and footer, Title:/Author: fields, hard-wrapped chapters',
  input: 'text',
  extensions: ['.txt'],
  inlineMarkers: true,
  precedence: 60,
  sniff,
  read,
};
