/**
 * Typography: curly quotes, apostrophes, em dashes, ellipses and tidy spaces.
 *
 * Each rule is a small pure function `text → edits` with a one-line comment saying why; the
 * rules run in order over the concatenated text of one paragraph (so a quote next to an
 * emphasis node sees its real neighbour) and their edits are mapped back onto the string leaves,
 * so emphasis boundaries survive. Every rule is one linear scan with indices. No rule changes,
 * adds or removes a letter or digit.
 */
import type { Inline, Story } from '../model.js';
import { charAt, charBefore, isNumberChar, isWhitespace, isWordChar } from './chars.js';
import { mapStory, type ModelMap } from '../walk.js';
import { rebuildLeaves, textLeaves } from './map.js';

/** Replace `text.slice(start, end)` by `replacement`. Edits of one rule are sorted and disjoint. */
export interface TextEdit {
  start: number;
  end: number;
  replacement: string;
}

/** A typography rule: the edits it makes to the text of one paragraph. */
export type TypographyRule = (text: string) => TextEdit[];

const LEFT_DOUBLE = '“';
const RIGHT_DOUBLE = '”';
const LEFT_SINGLE = '‘';
const RIGHT_SINGLE = '’';
const EM_DASH = '—';
const ELLIPSIS = '…';

/** Spaces we fold and trim: space, tab, no-break space, and line breaks left inside a paragraph. */
function isFoldableSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0xa0 || code === 0x0a || code === 0x0d;
}

/** Spaces on one line: space, tab, no-break space. */
function isLineSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0xa0;
}




/** Dashes a line of speech can break off with. */
const ANY_DASH = /[-–—―‒]/;
function isDash(c: string): boolean {
  return c === '-' || c === '–' || c === '—' || c === '―' || c === '‒';
}

/** After these a quote opens: brackets, dashes and opening quotes (straight ones included). */
const OPENS_QUOTE_AFTER = new Set(['(', '[', '{', '<', '«', '‹', '—', '–', '―', '-', LEFT_DOUBLE, LEFT_SINGLE, '„', '‚', '"', "'"]);

/** Whether a quote between `before` and `after` opens (else it closes). */
function opensQuote(before: string, after: string): boolean {
  const atWordStart = before === '' || isWhitespace(before) || OPENS_QUOTE_AFTER.has(before);
  return atWordStart && after !== '' && !isWhitespace(after);
}


/** Rule: fold runs of spaces, tabs, no-break spaces and stray line breaks to one space — why:
 * source spacing (two after a full stop, `&nbsp;` padding, hard wraps) means nothing in an ebook.
 * A lone no-break space is kept: it was put there on purpose (`Mr.\u00a0Kent`, French `« »`). */
export function foldSpaces(text: string): TextEdit[] {
  const edits: TextEdit[] = [];
  // Most paragraphs hold single spaces only; a search for each other thing that folds costs a
  // fraction of the regex, which stops at every space.
  if (!text.includes('  ') && !text.includes('\t') && !text.includes('\n') && !text.includes('\r') && !text.includes('\u00a0')) return edits;
  // A run of two or more, or a lone tab or line break (the foldable spaces of isFoldableSpace).
  const fold = /[ \t\u00a0\n\r]{2,}|[\t\n\r]/g;
  for (let m = fold.exec(text); m; m = fold.exec(text)) edits.push({ start: m.index, end: m.index + m[0].length, replacement: ' ' });
  return edits;
}

/** Rule: `--` (and `---`) become an em dash, with the spaces around it removed — why: the
 * typewriter spelling of a dash; spaced or not, book style is the closed-up em dash. Runs of
 * four or more hyphens (rules, dividers) and arrows (`-->`, `<--`) are left alone. */
export function emDashes(text: string): TextEdit[] {
  const edits: TextEdit[] = [];
  const n = text.length;
  let lastEnd = 0;
  for (let i = text.indexOf('-'); i !== -1; ) {
    let end = i + 1;
    while (end < n && text[end] === '-') end++;
    const length = end - i;
    const arrow = text[i - 1] === '<' || text[end] === '>';
    if ((length === 2 || length === 3) && !arrow) {
      let start = i;
      while (start > lastEnd && isLineSpace(text.charCodeAt(start - 1))) start--;
      let stop = end;
      while (stop < n && isLineSpace(text.charCodeAt(stop))) stop++;
      edits.push({ start, end: stop, replacement: EM_DASH });
      lastEnd = stop;
    }
    i = text.indexOf('-', end);
  }
  return edits;
}

/** What a run of `count` full stops becomes: three an ellipsis, four an ellipsis and a full
 * stop, five or more (a long trailing-off) one ellipsis. */
function ellipsisFor(count: number): string {
  return count === 4 ? ELLIPSIS + '.' : ELLIPSIS;
}

/** Rule: `...` and `. . .` become `…` — why: one glyph that never breaks across lines; the
 * spaces outside a spaced ellipsis stay (folded to one), so no words are joined. */
export function ellipses(text: string): TextEdit[] {
  const edits: TextEdit[] = [];
  const n = text.length;
  for (let i = text.indexOf('.'); i !== -1; ) {
    let end = i + 1;
    while (end < n && text[end] === '.') end++;
    if (end - i >= 3) {
      edits.push({ start: i, end, replacement: ellipsisFor(end - i) });
    } else if (end - i === 1 && text[i - 1] !== ELLIPSIS) {
      // Spaced form: single dots each separated by one space or no-break space (not continuing
      // an ellipsis already made, so the rule gives the same result when run twice).
      let count = 1;
      let stop = end;
      while (stop + 1 < n && isLineSpace(text.charCodeAt(stop)) && text[stop] !== '\t' && text[stop + 1] === '.' && text[stop + 2] !== '.') {
        count++;
        stop += 2;
      }
      if (count >= 3) {
        edits.push({ start: i, end: stop, replacement: ellipsisFor(count) });
        end = stop;
      }
    }
    i = text.indexOf('.', end);
  }
  return edits;
}

/** Rule: straight double quotes become “ or ” — why: book quotes are curly. A quote opens at
 * the start or after whitespace, a bracket, a dash or an opening quote, and only before a
 * non-space; otherwise it closes (so `"That -- " he said` closes after the dash). */
export function doubleQuotes(text: string): TextEdit[] {
  const edits: TextEdit[] = [];
  let previousQuoteEnd = -1;
  let previousQuote = '';
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) {
    const before = i === previousQuoteEnd ? previousQuote : charBefore(text, i);
    const quote = opensQuote(before, charAt(text, i + 1)) ? LEFT_DOUBLE : RIGHT_DOUBLE;
    edits.push({ start: i, end: i + 1, replacement: quote });
    previousQuoteEnd = i + 1;
    previousQuote = quote;
  }
  return edits;
}

/** Words that are spelled with a leading apostrophe (elisions), lower case. */
const LEADING_ELISIONS = new Set(['n', 'em', 'tis', 'twas', 'til', 'cause', 'bout', 'kay', 'nuff', 'cept']);

/** Whether the word starting at `i` is a known elision such as `'em` or `'n'`. */
function isLeadingElision(text: string, i: number): boolean {
  let end = i;
  // Longest elision is five letters; stop scanning soon after.
  while (end < text.length && end - i <= 5 && isWordChar(text[end]!)) end++;
  if (end - i > 5 || end === i) return false;
  return LEADING_ELISIONS.has(text.slice(i, end).toLowerCase());
}

/** Rule: straight single quotes become ‘ or ’, and apostrophes ’ — why: book quotes are curly,
 * and an apostrophe is a right single quote. Between letters (don't, Lex's), before digits
 * ('90s) and before a known elision ('em, rock 'n' roll) it is an apostrophe; otherwise it
 * opens and closes like a double quote. */
export function singleQuotes(text: string): TextEdit[] {
  const edits: TextEdit[] = [];
  let previousQuoteEnd = -1;
  let previousQuote = '';
  for (let i = text.indexOf("'"); i !== -1; i = text.indexOf("'", i + 1)) {
    const before = i === previousQuoteEnd ? previousQuote : charBefore(text, i);
    const after = charAt(text, i + 1);
    let quote: string;
    if (isWordChar(before) && isWordChar(after)) quote = RIGHT_SINGLE;
    else if (!isWordChar(before) && isNumberChar(after)) quote = RIGHT_SINGLE;
    else if (!isWordChar(before) && isLeadingElision(text, i + 1)) quote = RIGHT_SINGLE;
    else quote = opensQuote(before, after) ? LEFT_SINGLE : RIGHT_SINGLE;
    edits.push({ start: i, end: i + 1, replacement: quote });
    previousQuoteEnd = i + 1;
    previousQuote = quote;
  }
  return edits;
}

/** Rule: an opening double quote (curly or straight) right after a dash and before whitespace
 * or the end is a closing quote, pulled up to the dash — why: speech broken off with a dash
 * (`“That -- “ Clark said`) is often typed, or auto-curled, the wrong way round. */
export function closingQuoteAfterDash(text: string): TextEdit[] {
  const edits: TextEdit[] = [];
  // Every edit has a dash before its quote: paragraphs without one are not walked. (A regex
  // class, not string searches: V8 looks for U+2013/U+2014 by their 0x20 byte, at every space.)
  if (!ANY_DASH.test(text)) return edits;
  const n = text.length;
  let lastEnd = 0;
  const quote = /[“"]/g;
  for (let m = quote.exec(text); m; m = quote.exec(text)) {
    const i = m.index;
    if (i + 1 < n && !isWhitespace(charAt(text, i + 1))) continue;
    let start = i;
    while (start > lastEnd && isLineSpace(text.charCodeAt(start - 1))) start--;
    if (start === 0 || !isDash(text[start - 1]!)) continue;
    edits.push({ start, end: i + 1, replacement: RIGHT_DOUBLE });
    lastEnd = i + 1;
  }
  return edits;
}

/** Rule: no space between an ellipsis and the closing quote after it — why: `"Lex ... "` trails
 * off inside the quotation; a gap would let the quote wrap to the next line on its own. */
export function closingQuoteHugsEllipsis(text: string): TextEdit[] {
  const edits: TextEdit[] = [];
  // Every edit takes out a space after an ellipsis: without one there is nothing to look at.
  if (!text.includes(ELLIPSIS)) return edits;
  const n = text.length;
  const quote = /[”’]/g;
  for (let m = quote.exec(text); m; m = quote.exec(text)) {
    const i = m.index;
    if (i === 0 || !isLineSpace(text.charCodeAt(i - 1))) continue;
    if (i + 1 < n && !isWhitespace(charAt(text, i + 1))) continue;
    let start = i - 1;
    while (start > 0 && isLineSpace(text.charCodeAt(start - 1))) start--;
    if (start > 0 && text[start - 1] === ELLIPSIS) edits.push({ start, end: i, replacement: '' });
  }
  return edits;
}

/** Rule: trim spaces from both ends of the paragraph — why: leading indents and trailing
 * spaces from the source are layout, which the stylesheet owns. */
export function trimEnds(text: string): TextEdit[] {
  const n = text.length;
  let start = 0;
  while (start < n && isFoldableSpace(text.charCodeAt(start))) start++;
  if (start === n) return n === 0 ? [] : [{ start: 0, end: n, replacement: '' }];
  let end = n;
  while (end > start && isFoldableSpace(text.charCodeAt(end - 1))) end--;
  const edits: TextEdit[] = [];
  if (start > 0) edits.push({ start: 0, end: start, replacement: '' });
  if (end < n) edits.push({ start: end, end: n, replacement: '' });
  return edits;
}

/**
 * The rules for languages written with Latin-style punctuation, in the order they run: spaces
 * first (so later rules see one space), dashes and ellipses before quotes (so a quote sees the
 * dash it follows), the dash and ellipsis quote fixes after quotes, trimming last.
 */
export const typographyRules: readonly TypographyRule[] = [
  foldSpaces,
  emDashes,
  ellipses,
  doubleQuotes,
  singleQuotes,
  closingQuoteAfterDash,
  closingQuoteHugsEllipsis,
  trimEnds,
];

/** The rules for Chinese, Japanese and Korean: their quotes and dashes are typed as meant;
 * only spacing is tidied. */
export const cjkTypographyRules: readonly TypographyRule[] = [foldSpaces, trimEnds];

/** Primary language subtags (ISO 639-1 and -3) that get {@link cjkTypographyRules}. */
const CJK_LANGUAGES = new Set(['zh', 'ja', 'ko', 'zho', 'cmn', 'yue', 'jpn', 'kor']);

/** The rules for a BCP 47 language tag (`undefined`: the Latin-style rules). */
export function rulesForLanguage(lang?: string): readonly TypographyRule[] {
  const primary = (lang ?? '').split(/[-_]/, 1)[0]!.toLowerCase();
  return CJK_LANGUAGES.has(primary) ? cjkTypographyRules : typographyRules;
}

/**
 * Applies sorted, disjoint edits of the concatenated text to its pieces, keeping the pieces'
 * count. An edit that spans pieces puts its replacement in the piece where it starts and deletes
 * the rest; an insertion at a boundary goes to the later piece (or the last at the very end).
 *
 * @param pieces - the string leaves of a paragraph, in order.
 * @param edits - edits of `pieces.join('')`, sorted by `start`, not overlapping.
 * @returns the edited pieces, as many as given.
 */
export function applyEdits(pieces: readonly string[], edits: readonly TextEdit[]): string[] {
  if (edits.length === 0) return [...pieces];
  const out: string[] = [];
  let e = 0;
  let offset = 0;
  // Characters before this global index are deleted by an edit that started in an earlier piece.
  let deletedUntil = 0;
  for (let p = 0; p < pieces.length; p++) {
    const piece = pieces[p]!;
    const pieceEnd = offset + piece.length;
    const isLast = p === pieces.length - 1;
    let result = '';
    let pos = Math.min(Math.max(offset, deletedUntil), pieceEnd);
    while (e < edits.length && (edits[e]!.start < pieceEnd || isLast)) {
      const edit = edits[e]!;
      result += piece.slice(pos - offset, Math.max(edit.start, pos) - offset) + edit.replacement;
      pos = Math.min(Math.max(edit.end, pos), pieceEnd);
      deletedUntil = edit.end;
      e++;
    }
    result += piece.slice(pos - offset);
    out.push(result);
    offset = pieceEnd;
  }
  return out;
}

/** Runs `rules` over the text of the pieces, keeping piece boundaries. */
function runRules(pieces: string[], rules: readonly TypographyRule[]): string[] {
  let current = pieces;
  // The text is joined again only after a rule has changed it.
  let text = current.join('');
  for (const rule of rules) {
    const edits = rule(text);
    if (edits.length > 0) {
      current = applyEdits(current, edits);
      text = current.join('');
    }
  }
  return current;
}

/**
 * Typesets one paragraph (or heading, or verse line): curly quotes and apostrophes, em dashes
 * for `--`, `…` for `...` and `. . .`, one space for runs of spaces, no spaces at the ends.
 * Quote decisions see the whole paragraph across emphasis boundaries; the emphasis structure is
 * kept, except that strings and emphasis nodes left empty are dropped. Letters and digits are
 * never changed, added or removed; already-curly quotes are kept (except a wrong-way “ after a
 * dash). Linear in the length of the text.
 *
 * @param content - inline content; not mutated.
 * @param lang - BCP 47 tag; for Chinese, Japanese and Korean only spaces are folded and
 *   trimmed. Default: Latin-style rules (English quotes).
 * @returns new inline content.
 */
export function typesetInlines(content: Inline[], lang?: string): Inline[] {
  // One string (most paragraphs): its leaf is the paragraph, nothing to rebuild around it.
  const only = content[0];
  if (content.length === 1 && typeof only === 'string') {
    const text = runRules([only], rulesForLanguage(lang))[0]!;
    return text === '' ? [] : [text];
  }
  const pieces = runRules(textLeaves(content), rulesForLanguage(lang));
  return rebuildLeaves(content, (_text, k) => [pieces[k]!]);
}

/**
 * Typesets one plain string as a paragraph ({@link typesetInlines} on `[text]`).
 *
 * @param text - the text.
 * @param lang - BCP 47 tag, as for {@link typesetInlines}.
 * @returns the typeset text.
 */
export function typesetText(text: string, lang?: string): string {
  return runRules([text], rulesForLanguage(lang))[0]!;
}

/**
 * Typesets a whole story with the rules for `story.meta.language`: every paragraph, heading,
 * verse line and quotation in the front matter, every chapter section, chapter summaries and
 * notes, the end matter, `meta.summary` / `meta.notes` / `meta.endNotes`, and chapter titles.
 * `meta.title` and other metadata strings are left as stated.
 *
 * @param story - the story (emphasis already parsed); not mutated.
 * @returns a new Story; fields without text are shared with the input.
 */
export function typesetStory(story: Story): Story {
  return mapStory(story, typesetMap(story));
}

/** What {@link typesetStory} does to each piece of inline content and chapter title (for one walk with other maps). */
export function typesetMap(story: Story): ModelMap {
  const lang = story.meta.language;
  return { inlines: (content) => typesetInlines(content, lang), title: (t) => typesetText(t, lang) };
}
