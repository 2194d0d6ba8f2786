/**
 * Saved texts a converter made into books. calibre and pandoc turn a saved journal post, print
 * page or one-line Archive download into an EPUB that states nothing of its own (calibre's
 * "Unknown" and the file's name, pandoc no title at all) and keeps the page's cruft as story
 * text; the one-line download even stays one paragraph. Such a book's text is put back together
 * here as the text it was, for the text formats to read (`ReadContext.readAsText`,
 * `read-as-text.ts`), and what they find takes the book's stated metadata where it says nothing.
 */
import type { Block, Inline, List, Meta, Story, Table } from '../model.js';
import { blockText } from '../text.js';
import { isEndMark } from './body.js';
import { isPageChrome, POSTER_LINE } from './chrome.js';
import { fieldFor, parseHeaderLine } from './header.js';
import { foldSpace } from './html/parse.js';

// A label is at most this many words ("Date Written", "Archive Warnings").
const LABEL_WORDS = 3;
// A joined header has at least this many labels: fewer is a sentence with a colon in it.
const JOINED_LABELS = 3;

/** Where the known field labels of `text` start ("Title: A Author: B" → [0, 9]). A label is the
 * longest run of up to three capitalised words before a colon that the header table knows. */
export function labelStarts(text: string): number[] {
  const starts: number[] = [];
  for (const m of text.matchAll(/:(?=\s|$)/g)) {
    const before = text.slice(Math.max(0, m.index - 60), m.index);
    const words = before.split(' ');
    for (let k = Math.min(LABEL_WORDS, words.length); k >= 1; k--) {
      const label = words.slice(-k).join(' ');
      if (k < words.length && !/\s$/.test(words.slice(0, -k).join(' ') + ' ')) continue;
      if (!/^\p{Lu}/u.test(label) || !fieldFor(label)) continue;
      const at = m.index - label.length;
      if (at > (starts.at(-1) ?? -1)) starts.push(at);
      break;
    }
  }
  return starts;
}

/**
 * pandoc's Markdown reader joins the lines of a "Title:/Author:/Rating:" header into one
 * paragraph ("Title: A Author: B Rating: C"): such a paragraph among the first few is split back
 * into one paragraph a field, at its known labels. Other blocks are returned as they are.
 */
export function splitJoinedHeader(blocks: Block[]): Block[] {
  for (let i = 0; i < Math.min(blocks.length, 3); i++) {
    const b = blocks[i]!;
    if (b.kind !== 'p') continue;
    const text = blockText(b).trim();
    const starts = labelStarts(text);
    if (starts.length < JOINED_LABELS || starts[0] !== 0) continue;
    const fields: Block[] = starts.map((at, k) => ({ kind: 'p', content: [text.slice(at, starts[k + 1] ?? text.length).trim()] }));
    return [...blocks.slice(0, i), ...fields, ...blocks.slice(i + 1)];
  }
  return blocks;
}

// How the text formats' emphasis reader spells italics and bold: `*x*` and `__x__` nest without
// making a `***` run, which it keeps as text.
const MARKS: Readonly<Record<string, string>> = { em: '*', strong: '__' };

/** `inner` between `mark`s, the spaces at its ends left outside them (`* x*` opens nothing). */
function marked(inner: string, mark: string): string {
  const t = inner.trim();
  if (!t) return inner;
  return `${inner.slice(0, inner.length - inner.trimStart().length)}${mark}${t}${mark}${inner.slice(inner.trimEnd().length)}`;
}

/** The text of `content` as a saved text says it: italics and bold as the markers the text formats
 * read, a line break as a newline; undefined when it holds more (links, notes, other styling). */
export function markedText(content: Inline[]): string | undefined {
  let s = '';
  for (const c of content) {
    if (typeof c === 'string') s += c;
    else if (c.kind === 'br') s += '\n';
    else {
      const mark = MARKS[c.kind];
      const inner = mark !== undefined && 'content' in c ? markedText(c.content) : undefined;
      if (inner === undefined) return undefined;
      s += marked(inner, mark!);
    }
  }
  return s;
}

// A row of dashes: the line pandoc reads as the edge of a table.
const DASHES = '-'.repeat(20);

/**
 * A table of one column is how pandoc reads a dashed line with text right under it (a scene
 * break) and the paragraphs up to the next dashed line; they go back as those lines and
 * paragraphs. Undefined for any other table.
 */
function tableAsText(t: Table): string[] | undefined {
  if (t.caption || t.rows.some((r) => r.length !== 1)) return undefined;
  const out = [DASHES];
  for (const [i, [cell]] of t.rows.entries()) {
    const text = markedText(cell!.content);
    if (text === undefined) return undefined;
    out.push(text);
    // A header row is ruled off from the rows under it.
    if (cell!.header && t.rows[i + 1]?.[0]?.header !== true) out.push(DASHES);
  }
  return [...out, DASHES];
}

/** The texts of `blocks` when each is a paragraph of text only (see `markedText`). */
function paragraphsAsText(blocks: Block[]): string[] | undefined {
  const out: string[] = [];
  for (const b of blocks) {
    const text = b.kind === 'p' ? markedText(b.content) : undefined;
    if (text === undefined) return undefined;
    out.push(text);
  }
  return out;
}

/** A list whose items are a paragraph each goes back as the "- " (or "1. ") lines pandoc read it from. */
function listAsText(list: List): string | undefined {
  const lines: string[] = [];
  for (const [k, item] of list.items.entries()) {
    const [text, more] = paragraphsAsText(item) ?? [];
    if (text === undefined || more !== undefined) return undefined;
    lines.push(`${list.ordered ? `${(list.start ?? 1) + k}.` : '-'} ${text}`);
  }
  return lines.join('\n');
}

/** A block as the blank-line-separated blocks of text it came from; undefined when some part of it is more than text (see `markedText`). */
function blockAsText(b: Block): string[] | undefined {
  switch (b.kind) {
    case 'break': return ['* * *'];
    case 'pre': return [b.text];
    case 'p': case 'heading': {
      const text = markedText(b.content);
      return text === undefined ? undefined : [text];
    }
    case 'table': return tableAsText(b);
    case 'list': {
      const text = listAsText(b);
      return text === undefined ? undefined : [text];
    }
    // A quotation of paragraphs is the "> " lines pandoc read it from.
    case 'quote': return paragraphsAsText(b.blocks)?.map((t) => t.replace(/^/gm, '> '));
    default: return undefined;
  }
}

/**
 * The text of a story whose chapters hold text only (see `blockAsText`), one paragraph to a
 * blank-line-separated block, a chapter's title above its text, "* * *" for a break, italics
 * and bold as markers; undefined when some part of it is more than text (links, notes,
 * pictures, nested lists). A story of one paragraph is taken as `written` gives it (its spaces as they
 * stand: the one-line download's paragraphs are in them), else as it reads.
 */
export function storyAsText(story: Story, written?: () => string | undefined): string | undefined {
  const blocks = story.chapters.flatMap((c) => c.sections.flatMap((s) => s.blocks.filter((b) => b.kind !== 'break')));
  if (blocks.length === 1 && blocks[0]!.kind === 'p') {
    const text = written?.();
    return text !== undefined ? withNoBreakSpaces(text) : markedText(blocks[0]!.content) ?? blockText(blocks[0]!);
  }
  const parts: string[] = [];
  for (const [i, c] of story.chapters.entries()) {
    if (c.title !== undefined) parts.push(c.title);
    for (const [k, s] of c.sections.entries()) {
      for (const b of i === 0 && k === 0 ? splitJoinedHeader(s.blocks) : s.blocks) {
        const text = blockAsText(b);
        if (text === undefined) return undefined;
        parts.push(...text);
      }
    }
  }
  return splitJoinedEnd(joinHeaderLines(splitJoinedPoster(parts))).join('\n\n');
}

/**
 * calibre's heuristics make every no-break space a plain one, so the one-line download's
 * sentence joins (a no-break space and a space) become two spaces: a text with no no-break space
 * gets them back, all but the last space of each run.
 */
export function withNoBreakSpaces(text: string): string {
  return text.includes('\u00a0') ? text : text.replace(/ {2,}/g, (run) => `${'\u00a0'.repeat(run.length - 1)} `);
}

/** The paragraph that is all the text of `holders`, as written (see `writtenText`); undefined when their text is not one paragraph, or is more than text. */
export function writtenParagraph(holders: Element[]): string | undefined {
  const ps = holders.flatMap((h) => Array.from(h.querySelectorAll('p'))).filter((p) => foldSpace(p.textContent ?? '') !== '');
  if (ps.length !== 1) return undefined;
  const all = holders.map((h) => foldSpace(h.textContent ?? '')).filter((t) => t !== '');
  return all.length === 1 && all[0] === foldSpace(ps[0]!.textContent ?? '') ? writtenText(ps[0]!) : undefined;
}

// The markers of the elements whose text a saved text marks.
const TAG_MARKS: Readonly<Record<string, string>> = { em: MARKS.em!, i: MARKS.em!, strong: MARKS.strong!, b: MARKS.strong! };

/** The text of `el` with its spaces as they stand (no-break ones too), italics and bold as
 * markers, a line break as a newline; other elements as their text. */
function writtenText(el: Element): string {
  let s = '';
  for (const n of Array.from(el.childNodes)) {
    if (n.nodeType === 3) s += n.textContent ?? '';
    else if (n.nodeType !== 1) continue;
    else if ((n as Element).localName === 'br') s += '\n';
    else {
      const mark = TAG_MARKS[(n as Element).localName];
      const inner = writtenText(n as Element);
      s += mark ? marked(inner, mark) : inner;
    }
  }
  return s;
}

// How far into the text the poster line may be.
const POSTER_PARTS = 3;

/**
 * pandoc joins a journal page's poster line and the name under it ("Ann (ann) wrote, Ann"):
 * they go back onto lines of their own.
 */
function splitJoinedPoster(parts: string[]): string[] {
  return parts.map((t, i) => {
    if (i >= POSTER_PARTS || t.includes('\n')) return t;
    const m = POSTER_JOINED.exec(t);
    const line = m ? t.slice(0, m.index + m[1]!.length) : '';
    return m && POSTER_LINE.test(line) ? `${line}\n${t.slice(m.index + m[0].length)}` : t;
  });
}

// Where a poster line ends when pandoc joined another line to it.
const POSTER_JOINED = /(\swrote(?:\s+in\s+\S+)?,)\s+(?=\S)/;

/**
 * pandoc joins the end of a saved journal page into paragraphs ("The End Tags: a, b • Post a new
 * comment", "… home. Previous post Up"): the end mark, the tags line, each bulleted link and the
 * links under the last line go back onto lines of their own.
 */
function splitJoinedEnd(parts: string[]): string[] {
  const out = splitJoinedTags(parts);
  for (let i = Math.max(0, out.length - END_PARTS); i < out.length; i++) if (!out[i]!.includes('\n')) out[i] = splitJoinedChrome(out[i]!) ?? out[i]!;
  return out;
}

/** `parts` with the end mark, tags line and bulleted links pandoc joined split (a copy). */
function splitJoinedTags(parts: string[]): string[] {
  // The page's comment form may follow it as blocks of its own.
  for (let i = parts.length - 1; i >= Math.max(0, parts.length - END_PARTS); i--) {
    const t = parts[i]!;
    const tags = tagsLineAt(t);
    if (!tags) continue;
    return [...parts.slice(0, i), t.slice(0, tags).trim(), t.slice(tags).replace(/\s+([•·])\s+/g, '\n$1 '), ...parts.slice(i + 1)];
  }
  return parts.slice();
}

// How many words of page chrome may end a paragraph pandoc joined.
const CHROME_WORDS = 24;

/**
 * `text` with the page's chrome lines pandoc joined to its end put back on lines of their own
 * ("… always rate.” Previous post Up" → three lines); undefined when no chrome ends it, or what
 * is before it ends no sentence ("he looked up" keeps its "up").
 */
export function splitJoinedChrome(text: string): string | undefined {
  const words = text.split(' ');
  const from = Math.max(0, words.length - CHROME_WORDS);
  // lines[i]: the chrome lines words[i..] splits into, when it splits into chrome lines only.
  const lines: (string[] | undefined)[] = [];
  lines[words.length] = [];
  for (let i = words.length - 1; i >= from; i--) {
    for (let j = i + 1; j <= words.length && !lines[i]; j++) {
      const line = words.slice(i, j).join(' ');
      if (lines[j] && isPageChrome(line)) lines[i] = [line, ...lines[j]!];
    }
  }
  for (let i = from; i < words.length; i++) {
    if (!lines[i]) continue;
    const before = words.slice(0, i).join(' ');
    if (i === 0 || /[.!?…"”’)]$/.test(before) || isEndMark(before)) return [before, ...lines[i]!].filter((l) => l !== '').join('\n');
  }
  return undefined;
}

/** Where a "Tags:" line starts in `text`: 0 when the text is one, the length of the end mark
 * pandoc joined it to ("The End Tags: a"); undefined when neither. */
export function tagsLineAt(text: string): number | undefined {
  const at = labelStarts(text).filter((i) => fieldFor(text.slice(i, text.indexOf(':', i)))?.target === 'tags').at(-1);
  return at === undefined || (at > 0 && !isEndMark(text.slice(0, at))) ? undefined : at;
}

// How far from the end the joined end mark and tags may be.
const END_PARTS = 4;

// A header is among the first blocks of the text.
const HEADER_PARTS = 40;

/**
 * A converter makes every line of a "Title:/Author:" header its own paragraph: the lines of one
 * header go back into one block, a field line with the next field line, and a line between two
 * field lines as the continuation it was.
 */
function joinHeaderLines(parts: string[]): string[] {
  const out: string[] = [];
  const field = (t: string | undefined): boolean => t !== undefined && !t.includes('\n') && parseHeaderLine(t) !== undefined;
  // Whether the last block out is a header's lines so far.
  let header = false;
  for (let i = 0; i < parts.length; i++) {
    const t = parts[i]!;
    if (header && i < HEADER_PARTS && (field(t) || field(parts[i + 1]))) out[out.length - 1] = `${out.at(-1)!}\n${t}`;
    else {
      out.push(t);
      header = field(t);
    }
  }
  return out;
}

/** True for a field that says nothing: absent, or an empty list. */
const isEmpty = (v: unknown): boolean => v === undefined || (Array.isArray(v) && v.length === 0);

/** Fill the fields of `target` (those of `keys`, default all) that say nothing with what
 * `source` says; the keys filled, in order. */
export function fillEmptyFields(target: Meta, source: Meta, keys: readonly (keyof Meta)[] = Object.keys(source) as (keyof Meta)[]): (keyof Meta)[] {
  const to = target as unknown as Record<string, unknown>;
  const from = source as unknown as Record<string, unknown>;
  return keys.filter((k) => {
    if (!isEmpty(to[k]) || isEmpty(from[k])) return false;
    to[k] = from[k];
    return true;
  });
}

/** `again`'s metadata, with what it left empty taken from `book`'s (whose stand-ins were left out by its reader). */
export function withBookMeta(again: Meta, book: Meta): Meta {
  const meta: Meta = { ...again, extra: { ...book.extra, ...again.extra } };
  fillEmptyFields(meta, book);
  return meta;
}
