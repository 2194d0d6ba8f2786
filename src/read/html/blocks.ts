/**
 * Sanitized story markup → the model's Blocks: paragraphs (with their line breaks), scene breaks
 * (`<hr>`, separator lines, rare empty paragraphs), headings, quotes, verse, lists, tables,
 * preformatted text and, with `--images`, figures. What cannot be carried is counted in the
 * page's fidelity report (tables too complex for the model, styling inside preformatted text).
 */
import type { Block, Footnote, Inline, List, Paragraph, TableCell } from '../../model.js';
import { isSceneBreakLine, linesToBody, mayOpenSceneBreak } from '../body.js';
import { lose } from '../fidelity.js';
import type { ImageSink } from '../images.js';
import { looksLikeVerse } from '../structure.js';
import { BLOCK_TAGS, firstNonSpace, foldLine, inlineLines, joinLines, lineText, plainLine, segsToInlines, type InlineContext, type Seg } from './inline.js';
import { foldedLength, foldSpace } from './parse.js';
import { sanitizedStoryView, STYLE_ATTRIBUTE, tallyUnsafe, type UnsafeTally } from './sanitize.js';

/** Blocks, plus the gap an empty paragraph (`<p>&nbsp;</p>`) leaves, resolved later. */
type Item = Block | { kind: 'gap' };

/** Options for `htmlBlocks`. */
export interface HtmlBlockOptions {
  /** Filled with the level (1–6) of every heading block made, for chapter detection. */
  headingLevels?: Map<Block, number>;
}

interface Ctx extends InlineContext {
  align?: 'center' | 'right';
  levels?: Map<Block, number>;
  images?: ImageSink;
  /** The run is the content of a paragraph element (`<p>`, `<li>`): its `<br>`s break lines. */
  paragraph?: boolean;
  /** All the markup being read; its text length (a `<p>` holding most of it is a container) is counted on first need. */
  whole: { root: Element; chars?: number };
  /** Inside a table being flattened: tables in it are flattened too, and not counted again. */
  flatten?: boolean;
}

// The context of an element's content: one object shape for all (a spread `{...ctx}` per element cost more than reading the element).
function within(ctx: Ctx, align: Ctx['align'], paragraph: boolean, flatten = ctx.flatten): Ctx {
  return { losses: ctx.losses, noteIds: ctx.noteIds, levels: ctx.levels, images: ctx.images, whole: ctx.whole, flatten, align, paragraph };
}

/** Appends `items` to `out` (a spread `push(...items)` copies them through the arguments first). */
function pushAll<T>(out: T[], items: readonly T[]): void {
  for (const i of items) out.push(i);
}

/** An allowed picture as a figure block, or undefined (then it is read as its alt text). */
function figureOf(el: Element, ctx: Ctx): Block | undefined {
  if (!ctx.images || el.localName !== 'img') return undefined;
  const src = el.getAttribute('src');
  const image = src ? ctx.images.resolve(src) : undefined;
  if (image === undefined) return undefined;
  ctx.images.accepted++;
  return { kind: 'figure', image, alt: foldSpace(el.getAttribute('alt') ?? '') };
}

function isElement(n: Node): n is Element {
  return n.nodeType === 1;
}

// The line ends between a page's block elements: a run of them is one empty line, which reads as nothing.
const BLANK = /^[ \t\n\r\f\u00a0]*$/;
function isBlankText(n: Node): boolean {
  return n.nodeType === 3 && BLANK.test((n as Text).data);
}

function hasBlockDescendant(el: Element): boolean {
  for (const c of el.childNodes) if (isElement(c) && (BLOCK_TAGS.has(c.localName) || hasBlockDescendant(c))) return true;
  return false;
}

// Centred runs of o/x and separator marks ("oOoOo", "xXx", "-x-x-") and centred lone symbols
// ("~", "*", "§") are scene breaks on sites that strip asterisk lines; uncentred, "xXx" is a word.
const CENTRED_SEPARATOR = /^[oOxX0\-~=*._+•·:]{3,}$/;

function centredSeparator(text: string): boolean {
  const compact = text.replace(/\s+/g, '');
  return CENTRED_SEPARATOR.test(compact) || /^[^\p{L}\p{N}]{1,12}$/u.test(compact);
}

function paragraphOf(segs: Seg[], align: 'center' | 'right' | undefined): Block {
  // Most lines start with a letter, which no separator does: their text is not joined to be tested.
  if (align === 'center' || mayOpenSceneBreak(firstNonSpace(segs))) {
    const text = lineText(segs);
    if (isSceneBreakLine(text) || (align === 'center' && centredSeparator(text))) return { kind: 'break' };
  }
  const p: Paragraph = { kind: 'p', content: segsToInlines(segs) };
  if (align) p.align = align;
  return p;
}

// Most markup never asks (only a `<p>` of several lines or a `<pre>` does): a chapter's text is not joined for nothing.
function wholeChars(ctx: Ctx): number {
  ctx.whole.chars ??= foldedLength(ctx.whole.root.textContent ?? '');
  return ctx.whole.chars;
}

// A `<p>` of four or more prose lines holding most of the text is the page's container, its
// `<br>`s paragraph ends (a chapter pasted with single line breaks), not lines of one paragraph.
function holdsTheText(lines: Seg[][], ctx: Ctx): boolean {
  return lines.length >= 4 && lines.reduce((n, l) => n + lineText(l).length, 0) >= wholeChars(ctx) * 0.5;
}

/**
 * A run of inline content (text, styled runs, `<br>`s) → blocks. In a paragraph element, single
 * `<br>`s break lines of one paragraph (or a verse stanza). Elsewhere, and in a `<p>` used as a
 * container (holding `<br><br>`, or most of the text), `<br><br>` separates paragraphs; lines
 * joined by single `<br>`s are verse when mostly short, else one paragraph each; a wider gap
 * (three or more `<br>`s) is a scene break when double `<br>`s are the usual separator.
 */
function runToItems(nodes: Node[], ctx: Ctx): Item[] {
  const raw = inlineLines(nodes, ctx).map((l) => foldLine(l));
  const content: { idx: number; segs: Seg[] }[] = [];
  raw.forEach((segs, idx) => {
    if (segs.length) content.push({ idx, segs });
  });
  if (!content.length) return raw.length > 1 ? [{ kind: 'gap' }] : [];
  const gaps: number[] = [];
  for (let k = 1; k < content.length; k++) gaps.push(content[k]!.idx - content[k - 1]!.idx);
  const wide = gaps.filter((g) => g >= 2);
  if (ctx.paragraph && !wide.length) {
    const lines = content.map((c) => c.segs);
    if (lines.length > 1 && looksLikeVerse(lines.map(lineText))) return [{ kind: 'verse', lines: lines.map((l) => segsToInlines(l)) }];
    if (!holdsTheText(lines, ctx)) return [paragraphOf(lines.length === 1 ? lines[0]! : joinLines(lines), ctx.align)];
  }
  const doubleIsNorm = wide.length > 0 && wide.filter((g) => g === 2).length >= wide.length * 0.6;
  const items: Item[] = [];
  let group: Seg[][] = [content[0]!.segs];
  const flush = (): void => {
    const texts = group.map(lineText);
    if (group.length > 1 && looksLikeVerse(texts)) items.push({ kind: 'verse', lines: group.map((g) => segsToInlines(g)) });
    else for (const g of group) items.push(paragraphOf(g, ctx.align));
    group = [];
  };
  for (let k = 1; k < content.length; k++) {
    const gap = gaps[k - 1]!;
    if (gap >= 2) {
      flush();
      if (gap >= 3 && doubleIsNorm) items.push({ kind: 'break' });
    }
    group.push(content[k]!.segs);
  }
  flush();
  return items;
}

function alignOf(el: Element): 'center' | 'right' | undefined {
  if (el.localName === 'center') return 'center';
  const a = el.getAttribute('align');
  return a === 'center' || a === 'right' ? a : undefined;
}

function isEmptyParagraph(el: Element): boolean {
  if (foldSpace(el.textContent ?? '') !== '' || el.querySelector('img[alt]')) return false;
  if (el.localName === 'p') return true;
  // An empty `<div>` is layout; one holding a no-break space or a `<br>` is a blank line.
  return /\u00a0/.test(el.textContent ?? '') || el.querySelector('br') !== null;
}

function headingOf(el: Element, ctx: Ctx): Item[] {
  const segs = foldLine(inlineLines(Array.from(el.childNodes), ctx).flatMap((l, i) => (i > 0 ? [{ text: ' ', marks: [] }, ...l] : l)));
  const text = lineText(segs);
  if (!text) return [];
  if (isSceneBreakLine(text)) return [{ kind: 'break' }];
  const h: Block = { kind: 'heading', content: segsToInlines(segs) };
  ctx.levels?.set(h, Number(el.localName.slice(1)));
  return [h];
}

// Elements that style text; inside `<pre>` their styling is dropped (fid-006).
const STYLING_TAGS = new Set(['em', 'i', 'b', 'strong', 'u', 's', 'strike', 'del', 'ins', 'sub', 'sup', 'cite', 'dfn', 'var', 'font', 'mark', 'big', 'small', 'a']);

/** `<pre>` → preformatted text, its spacing and line ends kept and its styling counted as lost. */
function preItems(el: Element, ctx: Ctx): Item[] {
  const styled = Array.from(el.querySelectorAll('*')).filter((e) => STYLING_TAGS.has(e.localName) || e.hasAttribute(STYLE_ATTRIBUTE)).length;
  if (styled && ctx.losses) lose(ctx.losses, 'fid-006', styled, 'pre');
  let text = '';
  const walk = (n: Node): void => {
    if (n.nodeType === 3) text += (n as Text).data;
    else if (isElement(n)) {
      if (n.localName === 'br') text += '\n';
      else if (n.localName === 'img') text += n.getAttribute('alt') ? `[${n.getAttribute('alt')}]` : '';
      else n.childNodes.forEach(walk);
    }
  };
  el.childNodes.forEach(walk);
  text = text.replace(/\r\n?/g, '\n').replace(/^(?:[ \t\u00a0]*\n)+/, '').replace(/\s+$/, '');
  if (!text) return [];
  return isProse(text, wholeChars(ctx)) ? proseItems(text) : [{ kind: 'pre', text }];
}

/** Whether preformatted text is really the story, typed as text (old archives wrap a whole saved
 * post in `<pre>`): most of the page's text, dozens of words, lines of prose ending sentences,
 * few lines that end like code. */
function isProse(text: string, pageChars: number): boolean {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const words = text.split(/\s+/).filter(Boolean).length;
  if (words < 80 || text.length < pageChars * 0.4) return false;
  const long = lines.filter((l) => l.length >= 35).length;
  const sentences = (text.match(/[.!?…]["'”’)]?(?:\s|$)/g) ?? []).length;
  const code = lines.filter((l) => /[{};]$|^[}\])]/.test(l)).length;
  return long >= lines.length * 0.5 && sentences >= 3 && code < lines.length * 0.1;
}

/** A story typed as text inside `<pre>` → paragraphs and scene breaks, read like a text file
 * (hard wraps joined, blank lines and indents as paragraph marks); chapter headings stay lines
 * of their own for the chapter split. */
function proseItems(text: string): Item[] {
  const body = linesToBody(text.split('\n'));
  const out: Item[] = [];
  for (const c of body.chapters) {
    if (c.title !== undefined) out.push({ kind: 'p', content: [c.title] });
    for (const sec of c.sections) out.push(...sec.blocks);
  }
  out.push(...body.end);
  return out;
}

/** `<ul>`/`<ol>` → a list; each `<li>` a run of blocks (nested lists included). */
function listItems(el: Element, ctx: Ctx): Item[] {
  const ordered = el.localName === 'ol';
  const items: Block[][] = [];
  for (const child of Array.from(el.childNodes)) {
    if (isElement(child) && child.localName === 'li') {
      items.push(resolveItems(containerItems(child, within(ctx, alignOf(child), true))));
      continue;
    }
    // Text a page put between items belongs to the item before it.
    const stray = resolveItems(nodesItems([child], within(ctx, ctx.align, false)));
    if (!stray.length) continue;
    if (items.length) items[items.length - 1]!.push(...stray);
    else items.push(stray);
  }
  if (!items.some((i) => i.length)) return [];
  const list: List = { kind: 'list', ordered, items };
  const start = Number(el.getAttribute('start'));
  if (ordered && el.hasAttribute('start') && Number.isInteger(start) && start !== 1) list.start = start;
  return [list];
}

/** The rows of a table (not of tables inside it). */
function tableRows(table: Element): Element[] {
  return Array.from(table.querySelectorAll('tr')).filter((tr) => tr.closest('table') === table);
}

function cellsOf(tr: Element): Element[] {
  return Array.from(tr.children).filter((c) => c.localName === 'td' || c.localName === 'th');
}

/** The inline nodes of a cell: its children, or those of the one paragraph it holds; undefined when it holds blocks. */
function cellInlineNodes(cell: Element): Node[] | undefined {
  const blocks = Array.from(cell.querySelectorAll('*')).filter((d) => BLOCK_TAGS.has(d.localName));
  if (!blocks.length) return Array.from(cell.childNodes);
  const only = blocks[0]!;
  const alone = Array.from(cell.childNodes).every((n) => n === only || (n.nodeType === 3 && !foldSpace(n.textContent ?? '')));
  if (blocks.length === 1 && (only.localName === 'p' || only.localName === 'div') && alone) return Array.from(only.childNodes);
  return undefined;
}

/** Inline content with its line breaks (a cell, a caption). */
function inlineContent(nodes: Node[], ctx: Ctx): Inline[] {
  return segsToInlines(joinLines(inlineLines(nodes, ctx).map((l) => foldLine(l)).filter((l) => l.length)));
}

/**
 * `<table>` → a table of header and data cells (spans and caption kept). A table whose cells hold
 * blocks or tables is flattened to its text, counted (fid-003); a one-cell table holding no table
 * is page layout, read through without a count.
 */
function tableItems(el: Element, ctx: Ctx): Item[] {
  const rows = tableRows(el);
  const cells = rows.flatMap(cellsOf);
  const flat = within(ctx, ctx.align, false, true);
  if (ctx.flatten || (cells.length <= 1 && !el.querySelector('table'))) return containerItems(el, flat);
  const inline = cells.map(cellInlineNodes);
  if (inline.some((n) => n === undefined)) {
    if (ctx.losses) lose(ctx.losses, 'fid-003', 1, 'table');
    return containerItems(el, flat);
  }
  let k = 0;
  const out: TableCell[][] = rows.map((tr) => cellsOf(tr).map((cell) => {
    const c: TableCell = { header: cell.localName === 'th', content: inlineContent(inline[k++]!, ctx) };
    const colspan = Number(cell.getAttribute('colspan'));
    const rowspan = Number(cell.getAttribute('rowspan'));
    if (colspan > 1) c.colspan = colspan;
    if (rowspan > 1) c.rowspan = rowspan;
    return c;
  })).filter((r) => r.length);
  if (!out.some((r) => r.some((c) => c.content.length))) return [];
  const captionEl = Array.from(el.children).find((c) => c.localName === 'caption');
  const caption = captionEl ? inlineContent(Array.from(captionEl.childNodes), ctx) : [];
  return [{ kind: 'table', ...(caption.length ? { caption } : {}), rows: out }];
}

function elementToItems(el: Element, ctx: Ctx): Item[] {
  const tag = el.localName;
  switch (tag) {
    case 'hr':
      return [{ kind: 'break' }];
    case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6':
      return headingOf(el, ctx);
    case 'blockquote': {
      const blocks = resolveItems(containerItems(el, within(ctx, ctx.align, false)));
      return blocks.length ? [{ kind: 'quote', blocks }] : [];
    }
    case 'pre':
      return preItems(el, ctx);
    case 'ul': case 'ol':
      return listItems(el, ctx);
    case 'table':
      return tableItems(el, ctx);
    default: {
      const align = alignOf(el) ?? ctx.align;
      if (tag === 'p') {
        // A paragraph of text and styling only: its one line, without the run reader's general case.
        const plain = plainLine(el);
        if (plain) {
          const line = foldLine(plain);
          if (line.length) return [paragraphOf(line, align)];
          return isEmptyParagraph(el) ? [{ kind: 'gap' }] : [];
        }
      }
      const items = containerItems(el, within(ctx, align, tag === 'p'));
      if ((tag === 'p' || tag === 'div') && !items.some((i) => i.kind !== 'gap') && isEmptyParagraph(el)) return [{ kind: 'gap' }];
      return items;
    }
  }
}

/** The children of a container → items. */
function containerItems(parent: ParentNode, ctx: Ctx): Item[] {
  // Sanitized markup is our own small DOM, whose child lists are arrays (read, not changed, here).
  return nodesItems(parent.childNodes as unknown as Node[], ctx);
}

/** Sibling nodes → items; block elements are handled apart, the rest as runs of inline content. */
function nodesItems(nodes: Node[], ctx: Ctx): Item[] {
  const out: Item[] = [];
  let run: Node[] = [];
  const flush = (): void => {
    if (run.length && !run.every(isBlankText)) pushAll(out, runToItems(run, ctx));
    run = [];
  };
  for (const child of nodes) {
    const figure = isElement(child) ? figureOf(child, ctx) : undefined;
    if (figure) {
      flush();
      out.push(figure);
    } else if (isElement(child) && (BLOCK_TAGS.has(child.localName) || hasBlockDescendant(child) || (ctx.images !== undefined && child.querySelector('img[src]') !== null))) {
      flush();
      if (BLOCK_TAGS.has(child.localName)) pushAll(out, elementToItems(child, ctx));
      else pushAll(out, containerItems(child, ctx)); // an inline element holding blocks: transparent
    } else if (child.nodeType === 3 || isElement(child)) run.push(child);
  }
  flush();
  return out;
}

/**
 * Empty paragraphs → scene breaks or nothing. Rare ones (at most a quarter of the paragraph
 * boundaries) mark scene breaks; when they separate most paragraphs, only doubled ones do.
 */
function resolveItems(items: Item[]): Block[] {
  const out: Block[] = [];
  const gapRuns: number[] = [];
  let pending = 0;
  let seen = false;
  const marks: { at: number; run: number }[] = [];
  for (const it of items) {
    if (it.kind === 'gap') {
      if (seen) pending++;
      continue;
    }
    if (seen) {
      gapRuns.push(pending);
      if (pending > 0) marks.push({ at: out.length, run: pending });
    }
    pending = 0;
    seen = true;
    out.push(it);
  }
  const boundaries = gapRuns.length;
  const gapped = gapRuns.filter((g) => g > 0).length;
  let breakAt: Set<number>;
  if (boundaries >= 3 && gapped <= boundaries * 0.25) breakAt = new Set(marks.map((m) => m.at));
  else if (boundaries >= 3 && gapped >= boundaries * 0.6) {
    const doubled = marks.filter((m) => m.run >= 2);
    breakAt = doubled.length <= gapped * 0.3 ? new Set(doubled.map((m) => m.at)) : new Set();
  } else breakAt = new Set();
  const result: Block[] = [];
  out.forEach((b, i) => {
    if (breakAt.has(i) && b.kind !== 'break' && result.length && result[result.length - 1]!.kind !== 'break') result.push({ kind: 'break' });
    result.push(b);
  });
  return result;
}

// When most paragraphs are centred the whole page was centred (old sites): centring means nothing.
function dropBlanketCentring(blocks: Block[]): void {
  const ps = blocks.filter((b): b is Paragraph => b.kind === 'p');
  const centred = ps.filter((p) => p.align === 'center').length;
  if (ps.length >= 4 && centred > ps.length * 0.5) for (const p of ps) if (p.align === 'center') delete p.align;
}

/**
 * Story markup (an element of a parsed page) → Blocks: counted into `tally`, sanitized through
 * the allow-list, then paragraphs, styled runs, links, note references, scene breaks, quotes,
 * verse, headings, lists, tables and preformatted text. `null` gives no blocks.
 */
export function htmlBlocks(el: Element | null | undefined, tally: UnsafeTally, opts: HtmlBlockOptions = {}): Block[] {
  return el ? htmlBlocksOfEach([el], tally, opts)[0]! : [];
}

// The ids of a page's footnotes, made once for all its chapters (remade when a note is added).
const noteIdSets = new WeakMap<Footnote[], { count: number; ids: Set<string> }>();

function noteIdsOf(footnotes: Footnote[]): Set<string> {
  let known = noteIdSets.get(footnotes);
  if (known?.count !== footnotes.length) noteIdSets.set(footnotes, (known = { count: footnotes.length, ids: new Set(footnotes.map((f) => f.id)) }));
  return known.ids;
}

/** `htmlBlocks` of several elements of one page. */
export function htmlBlocksOfEach(els: Element[], tally: UnsafeTally, opts: HtmlBlockOptions = {}): Block[][] {
  if (!els.length) return [];
  for (const el of els) tallyUnsafe(el, tally);
  const noteIds = noteIdsOf(tally.footnotes);
  // Each element's allowed content is copied tree to tree (but for the parts the copy would not change), read, and let go before the next.
  return els.map((el) => {
    const body = sanitizedStoryView(el, tally.sink !== undefined);
    const ctx: Ctx = { losses: tally.losses, noteIds, levels: opts.headingLevels, images: tally.sink, whole: { root: body }, flatten: undefined, align: undefined, paragraph: undefined };
    const blocks = resolveItems(containerItems(body, ctx));
    dropBlanketCentring(blocks);
    return blocks;
  });
}
