/** Plain-text views of the document model (for word counts, summaries, navigation labels). */
import type { Block, Inline, Link, Story, Styled } from './model.js';
import { blockInlines, blockRuns, childBlocks, STORY_TEXT } from './walk.js';

/** Whether `item` holds more inline content (styled runs and links do; text, code, ruby, line
 * breaks and note references are leaves). */
export function hasInlines(item: Inline): item is Styled | Link {
  return typeof item !== 'string' && item.kind !== 'code' && item.kind !== 'br' && item.kind !== 'ruby' && item.kind !== 'noteref';
}

/** A copy of a styled run or link holding `content` instead of its own. */
export function withInlines(item: Styled | Link, content: Inline[]): Styled | Link {
  return { ...item, content };
}

/** The text of inline content, styling dropped: code as written, ruby as its base, a line break
 * as a newline, note references as nothing. */
export function inlineText(content: Inline[]): string {
  let s = '';
  for (const c of content) {
    if (typeof c === 'string') s += c;
    else if (c.kind === 'code') s += c.text;
    else if (c.kind === 'ruby') s += c.base;
    else if (c.kind === 'br') s += '\n';
    else if (c.kind !== 'noteref') s += inlineText(c.content);
  }
  return s;
}

/** The text of one block, its lines joined by newlines ('' for scene breaks and pictures). */
export function blockText(b: Block): string {
  switch (b.kind) {
    case 'p': case 'heading': return inlineText(b.content);
    case 'verse': return b.lines.map(inlineText).join('\n');
    case 'table': return [b.caption ? inlineText(b.caption) : '', ...b.rows.map((r) => r.map((c) => inlineText(c.content)).join(' '))].filter(Boolean).join('\n');
    case 'pre': return b.text;
    // Quotes, notes and lists: their blocks' text; breaks and pictures hold none.
    default: return childBlocks(b).map(blocksText).join('\n');
  }
}

/** The ids of the note references in `blocks`, in reading order (repeats kept). */
export function noteRefIds(blocks: Block[]): string[] {
  const out: string[] = [];
  const walk = (content: Inline[]): void => {
    for (const c of content) {
      if (typeof c === 'string') continue;
      if (c.kind === 'noteref') out.push(c.id);
      else if (hasInlines(c)) walk(c.content);
    }
  };
  for (const content of blockInlines(blocks)) walk(content);
  return out;
}

/** The text of blocks, one paragraph a line. */
export function blocksText(blocks: Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    const t = blockText(b);
    if (t !== '' || b.kind === 'p') out.push(t);
  }
  return out.join('\n');
}

/** Every block of story text (front, chapters, end) in reading order. */
export function storyBlocks(story: Story): Block[] {
  return blockRuns(story, STORY_TEXT).flatMap((run) => run.blocks);
}

/**
 * A whole number with commas between groups of three digits ("12,345"), as `toLocaleString('en-US')`
 * writes it. Written out because the first ICU formatter a process makes costs ~20 ms of start-up
 * here, which is a tenth of a one-story build.
 */
export function groupThousands(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n);
  const digits = String(Math.abs(n));
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}

/** What `countWords` counts, as a regular expression (the reference its tests compare with). */
export const WORD = /[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*/gu;

// Made on the first unit the table does not know (a letter outside ASCII, say).
let letterOrDigit: RegExp | undefined;
const isLetterOrDigit = (c: string): boolean => (letterOrDigit ??= /^[\p{L}\p{N}]$/u).test(c);
// Per BMP code unit: 0 not yet known, 1 letter or digit, 2 neither, 3 a joiner (' ’ -), 4 a high
// surrogate (the code point decides). ASCII, joiners and surrogates filled up front.
const WORD_UNIT = 1;
const JOINER = 3;
const HIGH_SURROGATE = 4;
const wordUnit = new Uint8Array(0x10000);
for (let c = 0; c < 128; c++) wordUnit[c] = /[A-Za-z0-9]/.test(String.fromCharCode(c)) ? WORD_UNIT : 2;
// General punctuation (curly quotes, dashes, ellipses) holds no letter or digit (a unit test checks):
// most stories then never build the Unicode classes' pattern.
wordUnit.fill(2, 0x2000, 0x2070);
for (const c of [0x27, 0x2019, 0x2d]) wordUnit[c] = JOINER;
wordUnit.fill(HIGH_SURROGATE, 0xd800, 0xdc00);

/**
 * Count words the way word processors do: runs of letters/digits joined by single apostrophes or
 * hyphens (exactly the matches of `WORD`). One pass over the text, no match array, one table
 * lookup a character: this ran on every story and was 5 % of a batch worker.
 */
export function countWords(text: string): number {
  const tally = { words: 0, state: 0 };
  countInto(text, tally);
  return tally.words;
}

// The word state machine as tables, indexed by state * 4 + the unit's kind (1 letter or digit, 2
// neither, 3 joiner): the next state, and 1 where a word starts. Branch-free: the if/else form
// mispredicted at nearly every word's edge, and counting ran at a third of this speed.
const NEXT_STATE = new Uint8Array([0, 1, 0, 0, 0, 1, 0, 2, 0, 1, 0, 0]);
const WORD_STARTS = new Uint8Array([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

/** `countWords` over pieces of one text in order: `state` carries a word over a piece's end
 * (0 outside a word, 1 in one, 2 on a joiner right after one, where a word goes on). */
function countInto(text: string, tally: { words: number; state: number }): void {
  let n = tally.words;
  let state = tally.state;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    let k = wordUnit[c]!;
    // Not yet known (0) or a high surrogate (4): decided here, rarely.
    if ((k & 3) === 0) {
      if (k === 0) k = wordUnit[c] = isLetterOrDigit(String.fromCharCode(c)) ? WORD_UNIT : 2;
      else {
        const cp = text.codePointAt(i)!;
        k = isLetterOrDigit(String.fromCodePoint(cp)) ? WORD_UNIT : 2;
        if (cp > 0xffff) i++;
      }
    }
    const at = (state << 2) | k;
    n += WORD_STARTS[at]!;
    state = NEXT_STATE[at]!;
  }
  tally.words = n;
  tally.state = state;
}

/** `countWords(inlineText(content))`, the text counted leaf by leaf instead of joined; false
 * when a leaf ends in half a surrogate pair (the next leaf could hold the other half). */
function countInlineInto(content: Inline[], tally: { words: number; state: number }): boolean {
  for (const c of content) {
    const leaf = typeof c === 'string' ? c : c.kind === 'code' ? c.text : c.kind === 'ruby' ? c.base : c.kind === 'br' ? '\n' : c.kind === 'noteref' ? '' : undefined;
    if (leaf === undefined) {
      if (!countInlineInto((c as Styled | Link).content, tally)) return false;
      continue;
    }
    const last = leaf.charCodeAt(leaf.length - 1);
    if (last >= 0xd800 && last < 0xdc00) return false;
    countInto(leaf, tally);
  }
  return true;
}

/** `countWords(blockText(b))`, a paragraph's text counted leaf by leaf instead of joined. */
export function blockWords(b: Block): number {
  if (b.kind !== 'p' && b.kind !== 'heading') return countWords(blockText(b));
  const tally = { words: 0, state: 0 };
  return countInlineInto(b.content, tally) ? tally.words : countWords(inlineText(b.content));
}

/** Words in the story's text (chapters and front matter of the story, not metadata). */
export function storyWordCount(story: Story): number {
  // No word runs over a block's end (blocksText joins them with newlines): each block is counted
  // alone, and the story's whole text is never joined into one string (a paragraph's not even).
  // Run by run: the story's blocks are not copied into one array first.
  let n = 0;
  for (const run of blockRuns(story, STORY_TEXT)) for (const b of run.blocks) n += blockWords(b);
  return n;
}

/** About `chars` characters of the story's text from its start, built without joining the whole
 * story (for language detection on long stories). */
export function storyTextSample(story: Story, chars: number): string {
  let out = '';
  for (const run of blockRuns(story, STORY_TEXT)) {
    for (const b of run.blocks) {
      if (out.length >= chars) return out.slice(0, chars);
      out += `${blockText(b)}\n`;
    }
  }
  return out.slice(0, chars);
}
