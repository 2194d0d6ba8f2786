/**
 * Plain-text emphasis markers → `em` / `strong` nodes.
 *
 * Text sources mark emphasis with `*x*`, `_x_` or `//x//` (and bold with `**x**` / `__x__`).
 * The parser scans each string once, left to right, with indices (no regexes that could
 * backtrack): it finds marker runs, decides from their neighbours whether each can open or
 * close, and pairs closers with the nearest open marker of the same kind (one stack per kind, so
 * the whole scan is linear). Markers that find no partner stay as text, untouched.
 */
import type { Inline, Story } from '../model.js';
import { charAt, charBefore, isWhitespace, isWordChar } from './chars.js';
import { mapStory, type ModelMap } from '../walk.js';
import { rebuildLeaves, textLeaves } from './map.js';
import type { TransformReport } from './report.js';

/** A marker spelling and the node it makes. */
interface Marker {
  text: string;
  kind: 'em' | 'strong';
}

/** The markers we read, by spelling. Runs of any other length (`***`, `/`, `///`) are text. */
const MARKERS: ReadonlyMap<string, Marker> = new Map<string, Marker>([
  // Markdown and AO3/FFN plain-text exports write bold as double stars.
  ['**', { text: '**', kind: 'strong' }],
  // Markdown's other bold spelling.
  ['__', { text: '__', kind: 'strong' }],
  // The commonest plain-text italics.
  ['*', { text: '*', kind: 'em' }],
  // Usenet/mailing-list italics (underline).
  ['_', { text: '_', kind: 'em' }],
  // LiveJournal-era and wiki-style italics; often wraps whole sentences.
  ['//', { text: '//', kind: 'em' }],
]);

/** Characters that can start a marker run. */
function isMarkerChar(c: string): boolean {
  return c === '*' || c === '_' || c === '/';
}




/** Brackets, quotes and dashes after which a word (and so an opening marker) may start. */
const OPENING_PUNCTUATION = new Set([
  '(', '[', '{', '<', '"', "'", '“', '‘', '„', '‚', '«', '‹', '¿', '¡', '—', '–',
  // Another marker, so that `_*both*_` and `//**both**//` nest.
  '*', '_', '/',
]);

/** Rule: an opener sits at the start, after whitespace or after opening punctuation, and is
 * followed by a non-space — why: `snake_case`, `2*3*4` and `http://` have a word char or `:`
 * before the marker, and `a // b` has a space after it. */
export function canOpen(before: string, after: string): boolean {
  const startsWord = before === '' || isWhitespace(before) || OPENING_PUNCTUATION.has(before);
  return startsWord && after !== '' && !isWhitespace(after);
}

/** Rule: a closer follows a non-space and is followed by the end, whitespace or punctuation —
 * why: `file_name_here` and `2*3*4` have a word char after the marker, `a // b` a space before. */
export function canClose(before: string, after: string): boolean {
  return before !== '' && !isWhitespace(before) && !isWordChar(after);
}


/** One marker run found in the text. */
interface Delimiter {
  start: number;
  end: number;
  marker: Marker;
  /** Set on a matched opener and its closer. */
  role?: 'open' | 'close';
  /** It could open, before a letter or digit: left unmatched, it was meant as a mark. */
  opensWord?: boolean;
  /** Word characters seen before this delimiter's end (for openers). */
  wordsBefore: number;
}

/** Told of each marker left as text that opened a word but found no closing mark: the string
 * and the marker's place in it. */
export type OnUnpaired = (text: string, start: number, end: number) => void;

/**
 * Parses emphasis markers in one string. `before`/`after` are the characters just outside the
 * string (from neighbouring inlines), `''` when the string starts/ends the paragraph.
 */
function holdsMarker(text: string): boolean {
  return text.includes('*') || text.includes('_') || text.includes('/');
}

function parseText(text: string, before: string, after: string, onUnpaired?: OnUnpaired): Inline[] {
  // Most text holds no marker character: then there is nothing to pair, and the walk that counts
  // words between markers (the most of this pass's time) is skipped.
  if (!holdsMarker(text)) return text === '' ? [] : [text];
  const delimiters: Delimiter[] = [];
  // One stack of unmatched openers per marker spelling, plus their common order.
  const openers = new Map<string, Delimiter[]>();
  const openOrder: Delimiter[] = [];
  let words = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (!isMarkerChar(c)) {
      const code = text.charCodeAt(i);
      // Fast path for ASCII letters and digits; everything else asks the Unicode classes.
      if ((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) words++;
      else if (code > 0x7f && isWordChar(charAt(text, i))) words++;
      i++;
      continue;
    }
    let end = i + 1;
    while (end < n && text[end] === c) end++;
    const marker = MARKERS.get(text.slice(i, Math.min(end, i + 3)));
    if (marker === undefined || end - i !== marker.text.length) {
      i = end;
      continue;
    }
    const prev = i === 0 ? before : charBefore(text, i);
    const next = end === n ? after : charAt(text, end);
    const delimiter: Delimiter = { start: i, end, marker, wordsBefore: words };
    delimiters.push(delimiter);
    const stack = openers.get(marker.text);
    const opener = stack?.[stack.length - 1];
    // Rule: emphasis wraps at least one letter or digit — why: `*~*~*` and `*!*` are decoration.
    if (opener !== undefined && canClose(prev, next) && words > opener.wordsBefore) {
      // Openers after the matched one can no longer close (no crossing): they stay text.
      for (let top = openOrder.pop(); top !== opener && top !== undefined; top = openOrder.pop()) {
        openers.get(top.marker.text)?.pop();
      }
      stack!.pop();
      opener.role = 'open';
      delimiter.role = 'close';
    } else if (canOpen(prev, next)) {
      if (isWordChar(next)) delimiter.opensWord = true;
      if (stack === undefined) openers.set(marker.text, [delimiter]);
      else stack.push(delimiter);
      openOrder.push(delimiter);
    }
    i = end;
  }
  if (onUnpaired) for (const d of delimiters) if (d.opensWord && d.role === undefined) onUnpaired(text, d.start, d.end);
  return buildInlines(text, delimiters);
}

/** Appends text to an inline list, merging with a preceding string. */
function appendText(items: Inline[], s: string): void {
  if (s === '') return;
  const last = items.length - 1;
  if (last >= 0 && typeof items[last] === 'string') items[last] = (items[last] as string) + s;
  else items.push(s);
}

/** Builds the inline tree from the text and its matched delimiters (pairs nest properly). */
function buildInlines(text: string, delimiters: Delimiter[]): Inline[] {
  const root: Inline[] = [];
  const frames: { kind: 'em' | 'strong'; items: Inline[] }[] = [];
  let current = root;
  let pos = 0;
  for (const d of delimiters) {
    if (d.role === undefined) continue;
    appendText(current, text.slice(pos, d.start));
    if (d.role === 'open') {
      const frame = { kind: d.marker.kind, items: [] as Inline[] };
      frames.push(frame);
      current = frame.items;
    } else {
      const frame = frames.pop()!;
      current = frames.length > 0 ? frames[frames.length - 1]!.items : root;
      current.push({ kind: frame.kind, content: frame.items });
    }
    pos = d.end;
  }
  appendText(current, text.slice(pos));
  return root;
}

/**
 * Turns plain-text emphasis markers inside the strings of `content` into emphasis nodes:
 * `*x*`, `_x_`, `//x//` → `{kind: 'em'}`; `**x**`, `__x__` → `{kind: 'strong'}`.
 *
 * A marker opens only at the start or after whitespace/opening punctuation/a quote, before a
 * non-space; it closes only after a non-space, before the end, whitespace or punctuation. So
 * `snake_case`, `2*3*4`, `http://example.com`, `a // b` and a lone `*` are left alone, and
 * unmatched markers stay as text. Markers pair within one string (never across an existing
 * emphasis node), but the characters of neighbouring inlines count as context. Existing
 * emphasis nodes are searched too. Linear in the length of the text.
 *
 * @param content - inline content of one paragraph, heading or verse line; not mutated.
 * @param onUnpaired - told of each marker before a word that found no closing mark.
 * @returns new inline content; the text is the input's minus the markers that were consumed.
 */
export function parseEmphasis(content: Inline[], onUnpaired?: OnUnpaired): Inline[] {
  // One string (most paragraphs): no neighbours to look across, nothing to rebuild around it.
  if (content.length === 1 && typeof content[0] === 'string') return parseText(content[0], '', '', onUnpaired);
  const leaves = textLeaves(content);
  // No leaf holds a marker character (most styled paragraphs): only the copy's tidying is left.
  if (!leaves.some(holdsMarker)) return rebuildLeaves(content, (text) => (text === '' ? [] : [text]), true);
  // Context across inline boundaries: the last character before and first after each leaf.
  const before: string[] = new Array<string>(leaves.length);
  const after: string[] = new Array<string>(leaves.length);
  let last = '';
  for (let k = 0; k < leaves.length; k++) {
    before[k] = last;
    const leaf = leaves[k]!;
    if (leaf !== '') last = charBefore(leaf, leaf.length);
  }
  let first = '';
  for (let k = leaves.length - 1; k >= 0; k--) {
    after[k] = first;
    const leaf = leaves[k]!;
    if (leaf !== '') first = charAt(leaf, 0);
  }
  return rebuildLeaves(content, (text, k) => parseText(text, before[k]!, after[k]!, onUnpaired), true);
}

/** How much of the text after an unpaired marker its example shows, at most (code points). */
const EXAMPLE_CHARS = 24;

/** The marker and the start of the text after it, cut at a word's end: `"*The kettle has been…"`. */
function unpairedExample(text: string, start: number, end: number): string {
  const rest = [...text.slice(end)];
  if (rest.length <= EXAMPLE_CHARS) return `"${text.slice(start)}"`.replace(/\s+"$/, '"');
  const head = rest.slice(0, EXAMPLE_CHARS + 1).join('');
  const cut = head.lastIndexOf(' ');
  return `"${text.slice(start, end)}${(cut > 0 ? head.slice(0, cut) : head.slice(0, -1)).trimEnd()}…"`;
}

/**
 * Applies {@link parseEmphasis} to every paragraph, heading, verse line and quotation of a
 * story: front matter, every section of every chapter, chapter summaries and notes, end
 * matter, and `meta.summary` / `meta.notes` / `meta.endNotes`. Markers that open a word but
 * find no closing mark (`*sigh` and no `*` after it, italics carried over a paragraph break)
 * stay as text, counted in the fidelity tally (fid-009) with the first few as examples.
 *
 * @param story - the story as read; not mutated.
 * @param report - where the count goes (the reading context); none: nothing is counted.
 * @returns a new Story; fields without inline content are shared with the input.
 */
export function emphasisStory(story: Story, report?: Pick<TransformReport, 'lose'>): Story {
  return mapStory(story, emphasisMap(story, report));
}

/** What {@link emphasisStory} does to each piece of inline content (for one walk with other maps). */
export function emphasisMap(_story: Story, report?: Pick<TransformReport, 'lose'>): ModelMap {
  const onUnpaired: OnUnpaired | undefined = report ? (text, start, end) => report.lose('fid-009', 1, unpairedExample(text, start, end)) : undefined;
  return { inlines: (content) => parseEmphasis(content, onUnpaired) };
}
