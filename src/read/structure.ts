/**
 * The structure layer every reader shares. A format finds its regions and strips its site's
 * chrome; what is left — lines of a text file (with their line numbers) or blocks of a page —
 * goes through here: a "Title:/Author:/Rating:" header block → metadata, with the title
 * repeated, a byline ("by Name") and a part marker ("Part 2/3") right above or below it, or a
 * plain title block ("Title / by / Author", a centred title); then chapters, scene breaks, end
 * marks and voices.
 *
 * Text path: `readTextStory(lines, meta, opts)`. Block path (HTML): `takeHeader`,
 * `splitChapters`, `takeEndMarks`, `trimBreaks`. Both read header blocks with one scanner
 * (`scanHeader`), so a rule fixed for one kind of file holds for the other.
 */
import { type Diagnostic, info, warning } from '../diagnostics.js';
import type { Block, Chapter, Meta, Story } from '../model.js';
import { blockText, inlineText } from '../text.js';
import { type Body, type SourceLine, chapterHeading, linesToBody, takeEndMarks, trimBreaks } from './body.js';
import {
  type HeaderLine, type PartMarker, applyField, findHeaderStart, parseByline, parseHeaderLine, partMarkerLine,
  sameTitle, splitPartMarker, titleAndByline, titleKey, titleLike,
} from './header.js';
import type { ReadContext } from './context.js';
import type { TextInput } from './format.js';
import { emptyStory, para } from './story.js';
import { detectVoicesInChapters, storyVoices } from './voices.js';

export { sameTitle } from './header.js';
export { takeEndMarks, trimBreaks } from './body.js';
export type { SourceLine } from './body.js';

/** A verse line is short; a stanza is mostly such lines and is not a dialogue exchange. */
export function looksLikeVerse(lines: string[]): boolean {
  const n = lines.length;
  if (n < 2 || n > 40) return false;
  const short = lines.filter((l) => l.length <= 60).length;
  const avg = lines.reduce((a, l) => a + l.length, 0) / n;
  const max = Math.max(...lines.map((l) => l.length));
  const dialogue = lines.filter((l) => /^["“‘'«„]/.test(l)).length;
  return short >= n * 0.75 && avg <= 50 && max <= 120 && dialogue < n * 0.6;
}

// ───────────────────────────── the header scanner ─────────────────────────────

/** One unit the header scanner reads: a non-blank line of a text file, or a block's text. */
export interface HeaderItem {
  /** The text, trimmed. */
  text: string;
  /** 1-based line in the file, for diagnostics (text path). */
  line?: number;
  /** A blank line or a scene break stands before it. */
  gap: boolean;
  /** The line as written (indentation, length), for telling wrapped values (text path). */
  raw?: string;
  /** A quoted block (HTML `<blockquote>` after "Summary:"), taken whole as the value. */
  quote?: Block[];
}

/** What `scanHeader` found. */
export interface HeaderScan {
  /** True when a header block of at least two known fields was found. */
  found: boolean;
  /** Index of the first item after the header and the title repeat, part marker or byline below it. */
  next: number;
  /** A "Part 2/3" marker above or right below the header. */
  part?: PartMarker;
  /** "by Name" above or right below the header (applied when no author field was given). */
  byline?: string[];
  diagnostics: Diagnostic[];
}

/** Options for `scanHeader`. */
export interface ScanOptions {
  /** A title known from elsewhere (page title, mail subject): its repeats are dropped. */
  title?: string;
  path?: string;
  /** Look for the header's first field among this many items (default 12). */
  within?: number;
  /** Items are lines of one text file: a line without a blank line before it continues the
   * paragraph above (wrapped values join; "Summary:" takes the whole paragraph below). */
  lines?: boolean;
  /** Items to skip between the header and the story ("spoiler space" dots). */
  filler?: (text: string) => boolean;
}

/** A part marker standing alone, or after a repeat of `title` ("Salt and Iron, Part 1/2"). */
function partAbout(text: string, title: string | undefined, numbered: boolean): PartMarker | undefined {
  const alone = partMarkerLine(text, numbered);
  if (alone) return alone;
  // Otherwise only after the title: "Chapter One" alone is a heading, not a marker.
  const split = splitPartMarker(text);
  return split.part && split.title && title && sameTitle(split.title, title) ? split.part : undefined;
}

/** True when a header value goes on over `item` (it cannot be a note or the story's start). */
function continues(last: HeaderLine, prev: HeaderItem, item: HeaderItem, lines: boolean): boolean {
  if (item.gap || item.quote) return false;
  if (/^[a-z(]/.test(item.text) || /^by\s/i.test(item.text)) return true;
  // A value hard-wrapped mid-sentence: the line above is long and stops without punctuation.
  return lines && last.rule.target !== 'title' && (prev.raw ?? prev.text).trimEnd().length >= 60 && !/[.!?:;"”’)\]]$/.test(prev.text);
}

/** Store a wrapped value's next line with the field it continues. */
function appendValue(meta: Meta, last: HeaderLine, text: string, joinParagraph: boolean): void {
  const target = last.rule.target;
  if (target === 'extra') {
    const label = last.rule.label ?? last.key;
    meta.extra[label] = `${meta.extra[label] ?? ''} ${text}`.trim();
  } else if (target === 'summary' || target === 'notes') {
    const list = (meta[target] ??= []);
    const tail = list[list.length - 1];
    if (joinParagraph && tail?.kind === 'p') tail.content = [`${inlineText(tail.content)} ${text}`];
    else list.push(para(text));
  } else if (target === 'title') meta.title = `${meta.title ?? ''} ${text}`.trim();
  else applyField(meta, { ...last, value: text });
}

/**
 * Read a "Title:/Author:/Rating:" header block near the top of `items` into `meta` (mutated).
 * Above it: a title repeat or part marker is dropped, "by Name" kept as a byline, the first
 * title-like line taken as the title when none is known, anything else kept as a note. Inside
 * it: wrapped values join, an empty "Summary:" takes what follows, free text between fields is a
 * note. Below it: part marker, byline and title repeat are taken off. Unknown values raise
 * meta-004 at their line.
 */
export function scanHeader(items: HeaderItem[], meta: Meta, opts: ScanOptions = {}): HeaderScan {
  const diagnostics: Diagnostic[] = [];
  const start = findHeaderStart(items.map((i) => (i.quote ? '' : i.text)), opts.within ?? 12);
  if (start < 0) return { found: false, next: 0, diagnostics };
  const filler = opts.filler ?? ((): boolean => false);
  let part: PartMarker | undefined;
  let byline: string[] | undefined;
  const above: string[] = [];
  let aboveTitle: string | undefined;
  for (const item of items.slice(0, start)) {
    const t = item.text;
    if (!t || filler(t)) continue;
    const by = parseByline(t);
    if (by) { byline ??= by; continue; }
    const split = splitPartMarker(t);
    const p = partAbout(t, opts.title ?? aboveTitle ?? split.title, false);
    if (p) part ??= p;
    const bare = p ? split.title : t;
    if (!bare) continue;
    if (opts.title && sameTitle(bare, opts.title)) continue;
    if (!opts.title && !meta.title && aboveTitle === undefined && titleLike(bare) && bare.length <= 80) { aboveTitle = bare; continue; }
    if (aboveTitle !== undefined && sameTitle(bare, aboveTitle)) continue;
    above.push(t);
  }

  const apply = (field: HeaderLine, line: number | undefined): void => {
    if (!applyField(meta, field)) diagnostics.push(warning('meta-004', `could not understand "${field.key}: ${field.value}"; kept as text`, opts.path, line));
  };
  let i = start;
  let last: HeaderLine | undefined;
  let lastLine: number | undefined;
  let pendingNote: string[] = [];
  while (i < items.length) {
    const item = items[i]!;
    const field = item.quote ? undefined : parseHeaderLine(item.text);
    // A blank line ends the header unless more fields follow or an empty field waits for its value.
    if (item.gap && i > start && !field && !(last && !last.value)) break;
    // A chapter heading starts the story even right under an empty field.
    if (!item.quote && !field && chapterHeading(item.text) !== undefined && item.text.length <= 60) break;
    if (field) {
      for (const note of pendingNote) (meta.notes ??= []).push(para(note));
      pendingNote = [];
      if (field.value) apply(field, item.line);
      last = field;
      lastLine = item.line;
      i++;
      continue;
    }
    if (last && !last.value) {
      // "Summary:" with the value below it: a quote, a paragraph (text: all its lines), or a line.
      if (item.quote && (last.rule.target === 'summary' || last.rule.target === 'notes')) {
        const key = last.rule.target;
        meta[key] = [...(meta[key] ?? []), ...item.quote];
        last.value = item.text;
        i++;
        continue;
      }
      // In a text file the value's paragraph goes on while its lines run on (the story may follow with no blank line).
      let j = i + 1;
      if (opts.lines) while (j < items.length && !parseHeaderLine(items[j]!.text) && continues(last, items[j - 1]!, items[j]!, true)) j++;
      last.value = items.slice(i, j).map((x) => x.text).join(' ');
      apply(last, item.line ?? lastLine);
      i = j;
      continue;
    }
    if (last && last.value && pendingNote.length === 0 && continues(last, items[i - 1]!, item, !!opts.lines)) {
      appendValue(meta, last, item.text, !!opts.lines);
      i++;
      continue;
    }
    // Free text: a note when more fields follow within two items (no blank line between), else the story has begun.
    const ahead = items.slice(i + 1, i + 3).findIndex((x, k) => parseHeaderLine(x.text) && !items.slice(i + 1, i + 2 + k).some((y) => y.gap && !parseHeaderLine(y.text)));
    if (ahead >= 0) {
      for (let k = i; k <= i + ahead; k++) pendingNote.push(items[k]!.text);
      i += ahead + 1;
      continue;
    }
    break;
  }
  for (const note of above.reverse()) (meta.notes ??= []).unshift(para(note));
  // "Title: Salt (1/2)": the part marker is not part of the title.
  const titled = meta.title ? splitPartMarker(meta.title) : undefined;
  if (titled?.part && titled.title) {
    meta.title = titled.title;
    part ??= titled.part;
  }
  if (aboveTitle !== undefined) {
    // The line above names the story unless a Title field says otherwise (then it is the post's subject).
    if (!meta.title) meta.title = aboveTitle;
    else if (!sameTitle(aboveTitle, meta.title) && !titleKey(aboveTitle).includes(titleKey(meta.title))) (meta.notes ??= []).unshift(para(aboveTitle));
  }
  // A part marker, a byline, the title repeated or a title block ("TITLE / by Name") right under the header.
  const known = (): string | undefined => meta.title ?? opts.title;
  let block = false;
  for (let n = 0; n < 4 && i < items.length; n++) {
    const item = items[i]!;
    if (item.quote) break;
    const t = item.text;
    if (filler(t)) { i++; continue; }
    const by = parseByline(t);
    const p = partAbout(t, known(), !!part);
    if (by) byline ??= by;
    else if (p) part ??= p;
    else if (!(known() && sameTitle(t, known()!))) {
      const top = block ? undefined : titleAndByline(items.slice(i, i + 8).map((x) => x.raw ?? x.text));
      if (!top || !top.title || !(top.authors.length || (known() && sameTitle(top.title, known()!)))) break;
      block = true;
      meta.title ??= opts.title ? undefined : top.title;
      if (meta.title === undefined) delete meta.title;
      if (top.authors.length) byline ??= top.authors;
      i += top.next;
      continue;
    }
    i++;
  }
  if (byline && !meta.authors.length) meta.authors.push(...byline);
  return { found: true, next: i, ...(part ? { part } : {}), ...(byline ? { byline } : {}), diagnostics };
}

// ───────────────────────────── the block path (HTML) ─────────────────────────────

/** One header item from story blocks, and where it came from. */
interface BlockItem extends HeaderItem {
  block: number;
  /** Line within a verse block; -1 for a whole block. */
  lineInBlock: number;
}

function blockItems(blocks: Block[], limit: number): BlockItem[] {
  const out: BlockItem[] = [];
  let gap = false;
  for (let b = 0; b < blocks.length && out.length < limit; b++) {
    const block = blocks[b]!;
    if (block.kind === 'break') { gap = true; continue; }
    if (block.kind === 'verse') block.lines.forEach((l, i) => out.push({ text: inlineText(l).trim(), gap: i === 0 && gap, block: b, lineInBlock: i }));
    else if (block.kind === 'quote') out.push({ text: blockText(block), gap, block: b, lineInBlock: -1, quote: block.blocks });
    else out.push({ text: blockText(block).trim(), gap, block: b, lineInBlock: -1 });
    gap = false;
  }
  return out;
}

/** The blocks that remain after the items before `from` are consumed. */
function blocksFrom(blocks: Block[], items: BlockItem[], from: number): Block[] {
  if (from >= items.length) {
    const lastBlock = items.length ? items[items.length - 1]!.block + 1 : 0;
    return blocks.slice(lastBlock);
  }
  const at = items[from]!;
  const rest = blocks.slice(at.block + 1);
  const block = blocks[at.block]!;
  if (block.kind === 'verse' && at.lineInBlock > 0) {
    const remaining = block.lines.slice(at.lineInBlock);
    const head: Block[] = remaining.length > 1 && looksLikeVerse(remaining.map(inlineText))
      ? [{ kind: 'verse', lines: remaining }]
      : remaining.map((l) => ({ kind: 'p', content: l }));
    return [...head, ...rest];
  }
  return [block, ...rest];
}

/** What `takeHeader` found. */
export interface HeaderResult {
  /** The blocks after the header (and after a title repeat or part marker right below it). */
  rest: Block[];
  /** True when a header block of at least two known fields was found. */
  found: boolean;
  /** A "Part 2/3" marker seen above or right below the header. */
  part?: PartMarker;
  diagnostics: Diagnostic[];
}

/**
 * A "Title:/Author:/Rating:" header block at the top of story blocks (paragraphs, verse lines
 * from `<b>Title:</b> X<br>` markup, a quote after "Summary:") → fields of `meta` (mutated), as
 * `scanHeader` reads it. Returns the blocks unchanged when there is no header.
 */
export function takeHeader(blocks: Block[], meta: Meta, title: string | undefined, path?: string): HeaderResult {
  const items = blockItems(blocks, 80);
  const scan = scanHeader(items, meta, { ...(title ? { title } : {}), ...(path ? { path } : {}) });
  if (!scan.found) return { rest: blocks, found: false, diagnostics: scan.diagnostics };
  return { rest: trimBreaks(blocksFrom(blocks, items, scan.next)), found: true, ...(scan.part ? { part: scan.part } : {}), diagnostics: scan.diagnostics };
}

/** A chapter's worth of blocks under its heading text. */
export interface BlockChapter {
  title?: string;
  blocks: Block[];
}

/**
 * Split blocks at chapter headings: heading blocks or short paragraphs that read as chapter
 * headings ("Chapter 3: Home", "Epilogue"), plus every heading at a level (from `levels`)
 * where there are two or more headings and at least half of them read as chapter headings.
 * Blocks before the first heading form an untitled chapter.
 */
export function splitChapters(blocks: Block[], levels?: Map<Block, number>, extraLevel?: number): BlockChapter[] {
  const byLevel = new Map<number, Block[]>();
  for (const b of blocks) {
    const lv = b.kind === 'heading' ? levels?.get(b) : undefined;
    if (lv !== undefined) byLevel.set(lv, [...(byLevel.get(lv) ?? []), b]);
  }
  const chapterLevels = new Set<number>();
  if (extraLevel !== undefined) chapterLevels.add(extraLevel);
  for (const [lv, hs] of byLevel) {
    const named = hs.filter((h) => chapterHeading(blockText(h)) !== undefined).length;
    if (lv <= 3 && hs.length >= 2 && named >= hs.length * 0.5) chapterLevels.add(lv);
  }
  const isChapterHeading = (b: Block): boolean => {
    if (b.kind === 'heading') return chapterHeading(blockText(b)) !== undefined || chapterLevels.has(levels?.get(b) ?? -1);
    if (b.kind === 'p') {
      const t = blockText(b).trim();
      return t.length <= 60 && chapterHeading(t) !== undefined;
    }
    return false;
  };
  const chapters: BlockChapter[] = [];
  let cur: BlockChapter = { blocks: [] };
  for (const b of blocks) {
    if (isChapterHeading(b)) {
      if (cur.blocks.length || cur.title !== undefined) chapters.push(cur);
      cur = { title: blockText(b).trim(), blocks: [] };
    } else cur.blocks.push(b);
  }
  if (cur.blocks.length || cur.title !== undefined) chapters.push(cur);
  for (const c of chapters) trimBreaks(c.blocks);
  return chapters;
}

// ───────────────────────────── the text path ─────────────────────────────

/** Header items from text lines: the non-blank lines, each marked when blank lines stand above it. */
export function lineItems(lines: readonly SourceLine[], from = 0, limit = 120): HeaderItem[] {
  const out: HeaderItem[] = [];
  let gap = false;
  for (let k = from; k < lines.length && out.length < limit; k++) {
    const l = lines[k]!;
    if (!l.text.trim()) { gap = out.length > 0; continue; }
    out.push({ text: l.text.trim(), line: l.line, gap, raw: l.text });
    gap = false;
  }
  return out;
}

/** Index in `lines` of the line after the `n`th non-blank line from `from` (items from `lineItems`). */
function lineAfterItems(lines: readonly SourceLine[], from: number, n: number): number {
  let k = from;
  let seen = 0;
  while (k < lines.length && seen < n) {
    if (lines[k]!.text.trim()) seen++;
    k++;
  }
  return n === 0 ? from : k;
}

/** True when `texts[at]` is a title standing alone: short, title-like, not a chapter heading,
 * a blank line below it and prose (a long line or a sentence) after that. */
function bareTitleAt(texts: readonly string[], at: number): boolean {
  const t = texts[at]!.trim();
  if (!titleLike(t) || t.length > 60 || t.split(/\s+/).length > 10 || chapterHeading(t) !== undefined) return false;
  if (texts[at + 1]?.trim() !== '') return false;
  let k = at + 1;
  while (k < texts.length && !texts[k]!.trim()) k++;
  const next = texts[k]?.trim() ?? '';
  return next.length >= 40 || /[.!?…"”’)]$/.test(next);
}

/** Options for `readTextStory`. */
export interface TextStoryOptions {
  path?: string;
  /** A title known from outside the text (a mail subject): its repeats at the top are dropped. */
  title?: string;
  /** The text is known to be one numbered part (a bare "Part 2" line is then a marker, not a heading). */
  numbered?: boolean;
  /** Lines to skip between the top block and the story ("spoiler space" dots). */
  filler?: (text: string) => boolean;
  /** A short title-like first line standing alone above the prose is the title (plain text, journal posts). */
  bareTitle?: boolean;
  /** Title for the first chapter when the text does not start with a heading; given the part marker found. */
  firstChapterTitle?: (part: PartMarker | undefined) => string | undefined;
}

/** What `readTextStory` read. */
export interface TextStory extends Body {
  /** A header block was found. */
  header: boolean;
  /** A part marker at the top. */
  part?: PartMarker;
  /** "by Name" at the top (already in `meta.authors` when no author field was given). */
  byline?: string[];
  /** 0-based index in the lines where the story text starts. */
  bodyStart: number;
  diagnostics: Diagnostic[];
}

/**
 * Text lines that hold a story and nothing of its site → metadata (into `meta`, mutated) and
 * body. At the top: a header block (`scanHeader`), else a title block ("Title / by Name", a
 * centred title; `titleAndByline`) with a part marker or title repeat beside it. Then chapters,
 * scene breaks judged against the text's own spacing, and end marks (`linesToBody`).
 */
export function readTextStory(lines: readonly SourceLine[], meta: Meta, opts: TextStoryOptions = {}): TextStory {
  const filler = opts.filler ?? ((): boolean => false);
  let from = 0;
  while (from < lines.length && (!lines[from]!.text.trim() || filler(lines[from]!.text))) from++;
  const items = lineItems(lines, from);
  const scan = scanHeader(items, meta, { ...(opts.title ? { title: opts.title } : {}), ...(opts.path ? { path: opts.path } : {}), within: 30, lines: true, filler });
  const diagnostics = scan.diagnostics;
  let part = scan.part;
  let byline = scan.byline;
  let bodyStart: number;
  if (scan.found) bodyStart = lineAfterItems(lines, from, scan.next);
  else {
    // No header: a title block, a part marker and the known title repeated, in any order.
    let k = from;
    let block = false;
    const texts = lines.map((l) => l.text);
    for (let n = 0; n < 4 && k < lines.length; n++) {
      const t = texts[k]!.trim();
      const p = partAbout(t, opts.title ?? meta.title, !!opts.numbered || !!part);
      const titleRepeat = (opts.title ?? meta.title) !== undefined && sameTitle(t, (opts.title ?? meta.title)!);
      const field = parseHeaderLine(t);
      if (p || titleRepeat) {
        if (p) part ??= p;
        k++;
      } else if (field?.value && n === 0) {
        // A lone field at the very top ("A/N: for Ros", "Disclaimer: not mine") is metadata, not story.
        if (!applyField(meta, field)) diagnostics.push(warning('meta-004', `could not understand "${field.key}: ${field.value}"; kept as text`, opts.path, lines[k]!.line));
        k++;
      } else {
        // One title block at most: below it the story may open with a short line.
        let top = block ? undefined : titleAndByline(texts, k);
        if (top?.next === k && n === 0 && opts.bareTitle && !opts.title && !meta.title && bareTitleAt(texts, k)) top = { title: t, authors: [], next: k + 1 };
        if (!top || top.next === k) break;
        block = true;
        if (top.title && !opts.title) meta.title ??= top.title;
        if (top.authors.length) byline ??= top.authors;
        k = top.next;
      }
      while (k < lines.length && (!texts[k]!.trim() || filler(texts[k]!))) k++;
    }
    bodyStart = k;
    if (byline && !meta.authors.length) meta.authors.push(...byline);
  }
  const first = opts.firstChapterTitle?.(part);
  const body = linesToBody(lines.slice(bodyStart), first !== undefined ? { firstChapterTitle: first } : {});
  return { ...body, header: scan.found, ...(part ? { part } : {}), ...(byline ? { byline } : {}), bodyStart, diagnostics };
}

/**
 * Voice sections ("Lex:" / "Clark:" turns) across a story's chapters (`detectVoicesInChapters`),
 * with the struct-002 note when some were found.
 */
export function findVoices(chapters: Chapter[], path?: string): { chapters: Chapter[]; diagnostics: Diagnostic[] } {
  const out = detectVoicesInChapters(chapters);
  const voices = storyVoices(out);
  return { chapters: out, diagnostics: voices.length ? [info('struct-002', `voice sections found: ${voices.join(', ')}`, path)] : [] };
}

/** A story read from lines that hold no site chrome (any more) through the shared text
 * structure; `bareTitle` takes a short line alone at the top for the title (default true). */
export function readPlainLines(input: TextInput, lines: readonly SourceLine[], format: string, ctx: ReadContext, bareTitle = true): Story {
  const story = emptyStory(input.path, format, input.encoding);
  const text = readTextStory(lines, story.meta, { path: input.path, bareTitle });
  story.chapters = text.chapters;
  story.end = text.end;
  ctx.diagnostics.push(...text.diagnostics);
  return story;
}

/** Story blocks that hold no site chrome (an HTML mail part) → metadata (into `meta`, mutated)
 * and body, as `readTextStory` reads lines: a header block at the top, chapters at chapter
 * headings, end marks after the last paragraph. */
export function readBlockStory(blocks: Block[], meta: Meta, opts: TextStoryOptions = {}): TextStory {
  const header = takeHeader(trimBreaks([...blocks]), meta, opts.title, opts.path);
  const chapters: Chapter[] = splitChapters(header.rest).map((c) => ({ ...(c.title !== undefined ? { title: c.title } : {}), sections: [{ blocks: c.blocks }] }));
  const last = chapters[chapters.length - 1];
  const end = last ? takeEndMarks(last.sections[0]!.blocks) : [];
  return { chapters, end, header: header.found, ...(header.part ? { part: header.part } : {}), bodyStart: 0, diagnostics: header.diagnostics };
}
