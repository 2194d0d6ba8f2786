/**
 * The structure steps every reader shares once its text is in blocks: a "Title:/Author:" header
 * block at the top, title repeats and part markers, chapter headings, end marks and the scene
 * breaks that mean nothing (at the ends, doubled). Formats find their regions and strip their
 * site's chrome; what is left goes through here.
 */
import { type Diagnostic, warning } from '../diagnostics.js';
import type { Block, Meta } from '../model.js';
import { blockText, inlineText } from '../text.js';
import { chapterHeading, isEndMark } from './body.js';
import { applyField, parseHeaderLine, parsePartMarker } from './header.js';
import type { HeaderLine } from './header.js';

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

/** Compare titles loosely: case, punctuation and spacing ignored. */
export function sameTitle(a: string, b: string): boolean {
  const norm = (s: string): string => s.toLowerCase().replace(/[\p{P}\p{S}\s]+/gu, ' ').trim();
  return norm(a) !== '' && norm(a) === norm(b);
}

/** Scene breaks at the start or end, or doubled, mean nothing. Mutates and returns `blocks`. */
export function trimBreaks(blocks: Block[]): Block[] {
  while (blocks.length && blocks[0]!.kind === 'break') blocks.shift();
  while (blocks.length && blocks[blocks.length - 1]!.kind === 'break') blocks.pop();
  for (let i = blocks.length - 1; i > 0; i--) if (blocks[i]!.kind === 'break' && blocks[i - 1]!.kind === 'break') blocks.splice(i, 1);
  return blocks;
}

/** Trailing end marks ("The End", "~Fin~") taken off `blocks` (mutated) and returned. */
export function takeEndMarks(blocks: Block[]): Block[] {
  const end: Block[] = [];
  while (blocks.length) {
    const last = blocks[blocks.length - 1]!;
    if (last.kind === 'p' && isEndMark(inlineText(last.content))) end.unshift({ kind: 'p', content: [inlineText(last.content).trim()] });
    else if (last.kind === 'break' && end.length) { /* a break before the end mark */ }
    else break;
    blocks.pop();
  }
  return end;
}

/** One line of the text at the top of a story, for header parsing. */
interface TopLine {
  text: string;
  block: number;
  /** Line within a verse block; -1 for a whole block. */
  line: number;
  quote?: Block[];
}

function topLines(blocks: Block[], limit: number): TopLine[] {
  const out: TopLine[] = [];
  for (let b = 0; b < blocks.length && out.length < limit; b++) {
    const block = blocks[b]!;
    if (block.kind === 'verse') block.lines.forEach((l, i) => out.push({ text: inlineText(l).trim(), block: b, line: i }));
    else if (block.kind === 'quote') out.push({ text: blockText(block), block: b, line: -1, quote: block.blocks });
    else if (block.kind === 'break') out.push({ text: '', block: b, line: -1 });
    else out.push({ text: blockText(block).trim(), block: b, line: -1 });
  }
  return out;
}

/** The blocks that remain after the top lines before `from` are consumed. */
function blocksFrom(blocks: Block[], lines: TopLine[], from: number): Block[] {
  if (from >= lines.length) {
    const lastBlock = lines.length ? lines[lines.length - 1]!.block + 1 : 0;
    return blocks.slice(lastBlock);
  }
  const at = lines[from]!;
  const rest = blocks.slice(at.block + 1);
  const block = blocks[at.block]!;
  if (block.kind === 'verse' && at.line > 0) {
    const remaining = block.lines.slice(at.line);
    const texts = remaining.map(inlineText);
    const head: Block[] = remaining.length > 1 && looksLikeVerse(texts)
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
  part?: { index: number; total?: number };
  diagnostics: Diagnostic[];
}

/**
 * A "Title:/Author:/Rating:" header block at the top of story blocks (paragraphs, verse lines
 * from `<b>Title:</b> X<br>` markup, a quote after "Summary:") → fields of `meta` (mutated).
 * Lines above the header repeating `title` or giving a part marker are dropped; other lines
 * above it become notes. Returns the blocks unchanged when there is no header.
 */
export function takeHeader(blocks: Block[], meta: Meta, title: string | undefined, path?: string): HeaderResult {
  const diagnostics: Diagnostic[] = [];
  const lines = topLines(blocks, 80);
  let start = -1;
  for (let i = 0; i < Math.min(lines.length, 12); i++) {
    if (!parseHeaderLine(lines[i]!.text)) continue;
    let known = 0;
    for (let j = i; j < Math.min(lines.length, i + 12); j++) if (parseHeaderLine(lines[j]!.text)) known++;
    if (known >= 2) {
      start = i;
      break;
    }
  }
  if (start < 0) return { rest: blocks, found: false, diagnostics };
  let part: { index: number; total?: number } | undefined;
  const above: string[] = [];
  for (const l of lines.slice(0, start)) {
    if (!l.text) continue;
    const p = parsePartMarker(l.text);
    if (p) part ??= p;
    const bare = l.text.replace(/[,:(\s-]*\b(?:part|pt\.?)\s*\d+\s*(?:\/|of)\s*\d+\)?\s*$/i, '').trim();
    if ((title && sameTitle(bare, title)) || (p && l.text.length <= 30) || !bare) continue;
    if (!title && !meta.title && l.text.length <= 100) {
      meta.title = bare;
      continue;
    }
    above.push(l.text);
  }
  let i = start;
  let last: HeaderLine | undefined;
  let pendingNote: string[] = [];
  const apply = (field: HeaderLine): void => {
    if (!applyField(meta, field)) diagnostics.push(warning('meta-004', `could not understand "${field.key}: ${field.value}"; kept as text`, path));
  };
  while (i < lines.length) {
    const l = lines[i]!;
    if (!l.text && !l.quote) break;
    // A chapter heading starts the story even right under an empty field.
    if (!l.quote && chapterHeading(l.text) !== undefined && l.text.length <= 60) break;
    const field = parseHeaderLine(l.text);
    if (field && !l.quote) {
      for (const note of pendingNote) (meta.notes ??= []).push({ kind: 'p', content: [note] });
      pendingNote = [];
      if (field.value) apply(field);
      last = field;
      i++;
      continue;
    }
    if (last && !last.value) {
      // "Summary:" with the value below it: a paragraph, or a quote of several.
      if (l.quote && (last.rule.target === 'summary' || last.rule.target === 'notes')) {
        const key = last.rule.target;
        meta[key] = [...(meta[key] ?? []), ...l.quote];
        last.value = l.text;
      } else {
        last.value = l.text;
        apply(last);
      }
      i++;
      continue;
    }
    if (last && last.value && pendingNote.length === 0 && (/^[a-z(]/.test(l.text) || /^by\s/i.test(l.text))) {
      // A continuation of the previous field.
      if (last.rule.target === 'extra') {
        const label = last.rule.label ?? last.key;
        meta.extra[label] = `${meta.extra[label] ?? ''} ${l.text}`.trim();
      } else if (last.rule.target === 'summary' || last.rule.target === 'notes') {
        (meta[last.rule.target] ??= []).push({ kind: 'p', content: [l.text] });
      } else apply({ ...last, value: l.text });
      i++;
      continue;
    }
    // Free text: a note when more fields follow within two lines, else the story has begun.
    const ahead = lines.slice(i + 1, i + 3).findIndex((x) => parseHeaderLine(x.text));
    if (ahead >= 0) {
      for (let k = i; k <= i + ahead; k++) pendingNote.push(lines[k]!.text);
      i += ahead + 1;
      continue;
    }
    break;
  }
  for (const note of above) (meta.notes ??= []).unshift({ kind: 'p', content: [note] });
  // A title repeat or part marker right under the header.
  while (i < lines.length) {
    const l = lines[i]!;
    const p = l.quote ? undefined : parsePartMarker(l.text);
    if (!l.text) { i++; continue; }
    if (p && l.text.length <= 30) { part ??= p; i++; continue; }
    if (meta.title && sameTitle(l.text, meta.title)) { i++; continue; }
    break;
  }
  return { rest: trimBreaks(blocksFrom(blocks, lines, i)), found: true, ...(part ? { part } : {}), diagnostics };
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

