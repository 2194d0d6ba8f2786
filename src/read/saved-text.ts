/**
 * Saved texts a converter made into books. calibre and pandoc turn a saved journal post, print
 * page or one-line Archive download into an EPUB that states nothing of its own (calibre's
 * "Unknown" and the file's name, pandoc no title at all) and keeps the page's cruft as story
 * text; the one-line download even stays one paragraph. Such a book's text is put back together
 * here as the text it was, for the text formats to read (`ReadContext.readAsText`,
 * `read-as-text.ts`), and what they find takes the book's stated metadata where it says nothing.
 */
import type { Block, Inline, Meta, Story } from '../model.js';
import { blockText } from '../text.js';
import { isEndMark } from './body.js';
import { fieldFor, parseHeaderLine } from './header.js';

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

/** True for inlines that are text and line breaks only. */
function plainInlines(content: Inline[]): boolean {
  return content.every((c) => typeof c === 'string' || c.kind === 'br');
}

/** True for blocks a text can say again without losing anything: paragraphs, headings, breaks and preformatted text of plain words. */
function plainBlocks(blocks: Block[]): boolean {
  return blocks.every((b) => b.kind === 'break' || b.kind === 'pre' || ((b.kind === 'p' || b.kind === 'heading') && plainInlines(b.content)));
}

/**
 * The text of a story whose chapters hold plain text only (see `plainBlocks`), one paragraph
 * to a blank-line-separated block, a chapter's title above its text, "* * *" for a break;
 * undefined when some part of it is more than text (emphasis, links, notes, pictures, lists),
 * but for a story of one paragraph, whose text is taken as it reads.
 */
export function storyAsText(story: Story): string | undefined {
  // The one-line download is one paragraph; its few italics are the price of reading it at all.
  const blocks = story.chapters.flatMap((c) => c.sections.flatMap((s) => s.blocks.filter((b) => b.kind !== 'break')));
  if (blocks.length === 1 && blocks[0]!.kind === 'p') return blockText(blocks[0]!);
  const parts: string[] = [];
  for (const [i, c] of story.chapters.entries()) {
    if (c.title !== undefined) parts.push(c.title);
    for (const [k, s] of c.sections.entries()) {
      if (!plainBlocks(s.blocks)) return undefined;
      for (const b of i === 0 && k === 0 ? splitJoinedHeader(s.blocks) : s.blocks) parts.push(b.kind === 'break' ? '* * *' : b.kind === 'pre' ? b.text : blockText(b));
    }
  }
  return splitJoinedEnd(joinHeaderLines(parts)).join('\n\n');
}

/**
 * pandoc joins the end of a saved journal page into one paragraph ("The End Tags: a, b • Post a
 * new comment"): the end mark, the tags line and each bulleted link go back onto lines of their own.
 */
function splitJoinedEnd(parts: string[]): string[] {
  // The page's comment form may follow it as blocks of its own.
  for (let i = parts.length - 1; i >= Math.max(0, parts.length - END_PARTS); i--) {
    const t = parts[i]!;
    const tags = tagsLineAt(t);
    if (!tags) continue;
    return [...parts.slice(0, i), t.slice(0, tags).trim(), t.slice(tags).replace(/\s+([•·])\s+/g, '\n$1 '), ...parts.slice(i + 1)];
  }
  return parts;
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
