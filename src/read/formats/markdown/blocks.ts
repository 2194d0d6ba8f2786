/** mdast block content → blocks: paragraphs, headings, breaks, quotes, lists, tables, code, raw
 * HTML blocks (through the shared HTML layer) and footnotes. */
import type { Nodes, Root, RootContent } from 'mdast';
import type { Block, Footnote, Inline } from '../../../model.js';
import { blockText, hasInlines, inlineText, withInlines } from '../../../text.js';
import { mapBlocks } from '../../../walk.js';
import { isSceneBreakLine } from '../../body.js';
import type { Losses } from '../../fidelity.js';
import { rawHtmlBlocks } from '../../html/raw.js';
import { MAX_NESTING, newCtx, paragraphs, phrasing, tidy, type Ctx } from './inlines.js';
import { parseMarkdown } from './parse.js';

// What Markdown marks inline with: emphasis, strong, code spans, GFM strike-through.
const INLINE_MARK = /[*_`~]/;

/**
 * Text inside an HTML block is HTML by CommonMark's rules, but fic writers (and pandoc) mark
 * emphasis there too (`<div align="center">*The End*</div>`): a text run holding marks that
 * reads as one paragraph of Markdown is read as Markdown; anything else stays as it is.
 */
function markedText(content: Inline[], ctx: Ctx): Inline[] {
  return content.flatMap((inl): Inline[] => {
    if (typeof inl === 'string') {
      if (!INLINE_MARK.test(inl)) return [inl];
      const root = parseMarkdown(inl, ctx.gfm);
      const only = root.children.length === 1 ? root.children[0] : undefined;
      return only?.type === 'paragraph' ? phrasing(only.children, { ...ctx, source: inl }) : [inl];
    }
    // Not inside a link: a Markdown link in its text would nest one link in another.
    return hasInlines(inl) && inl.kind !== 'link' ? [withInlines(inl, markedText(inl.content, ctx))] : [inl];
  });
}

/** The source text of a node. */
function raw(node: Nodes, ctx: Ctx): string {
  const p = node.position;
  return p?.start.offset !== undefined && p.end.offset !== undefined ? ctx.source.slice(p.start.offset, p.end.offset) : '';
}

const MARKDOWN_OPEN = /^\s*<([A-Za-z][A-Za-z0-9-]*)\b[^>]*\smarkdown\s*=\s*["']?(?:1|block|span)\b[^>]*>/i;

/** The text of an HTML block that opens with a `markdown="1"` element, without that element's
 * tags; undefined for any other block. */
function markdownInside(html: string): string | undefined {
  const open = MARKDOWN_OPEN.exec(html);
  if (!open) return undefined;
  const rest = html.slice(open[0].length);
  const close = new RegExp(`</${open[1]}\\s*>\\s*$`, 'i').exec(rest);
  return close ? rest.slice(0, close.index) : rest;
}

/** Sentence-ending punctuation: a line that ends so is prose, not a heading. */
const SENTENCE_END = /[.!?…"”'’)]$/;
/** A dialogue tag after a dash ("- Hola - dijo."), as many languages write dialogue. */
// Made for the first dash list that could be dialogue (its lower-case class costs ~0.1 ms at start-up).
let dashDialogue: RegExp | undefined;

/**
 * mdast blocks → model blocks. `levels`, when given, records the level of each top-level
 * heading (for the chapter split).
 */
export function toBlocks(nodes: RootContent[], ctx: Ctx, levels?: Map<Block, number>, nesting = 0): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (nesting >= MAX_NESTING && (node.type === 'blockquote' || node.type === 'list')) {
      out.push(...toBlocks(leafBlocks(node), ctx, undefined, nesting));
      continue;
    }
    const source = raw(node, ctx);
    // "oOo", "~*~*~", "###", "+ + +": one line of separator characters is a scene break, whatever
    // Markdown makes of it.
    if (node.type !== 'code' && node.type !== 'html' && !source.includes('\n') && isSceneBreakLine(source)) {
      out.push({ kind: 'break' });
      continue;
    }
    switch (node.type) {
      case 'paragraph':
        out.push(...paragraphs(phrasing(node.children, ctx)));
        break;
      case 'heading': {
        const inlines = phrasing(node.children, ctx);
        const content = tidy(inlines);
        const text = inlineText(content);
        // "Text\n---" is a heading in Markdown, but a story means a scene break after a sentence
        // (or after a paragraph of several lines).
        if (source.includes('\n') && (source.trim().split('\n').length > 2 || (node.depth === 2 && (SENTENCE_END.test(text) || text.length > 80)))) {
          out.push(...paragraphs(inlines), { kind: 'break' });
          break;
        }
        if (!text.trim()) break;
        const heading: Block = { kind: 'heading', content };
        levels?.set(heading, node.depth);
        out.push(heading);
        break;
      }
      case 'thematicBreak':
        out.push({ kind: 'break' });
        break;
      case 'blockquote': {
        const blocks = toBlocks(node.children, ctx, undefined, nesting + 1);
        if (blocks.length) out.push({ kind: 'quote', blocks });
        break;
      }
      case 'list': {
        const items = node.children.map((item) => {
          const blocks = toBlocks(item.children, ctx, undefined, nesting + 1);
          const first = blocks[0];
          if (typeof item.checked === 'boolean' && first?.kind === 'p') first.content.unshift(item.checked ? '☑ ' : '☐ ');
          return blocks;
        });
        const texts = items.map((b) => (b.length === 1 && b[0]!.kind === 'p' ? blockText(b[0]!) : undefined));
        if (!node.ordered && source.startsWith('-') && texts.every((t) => t !== undefined && SENTENCE_END.test(t)) && texts.some((t) => (dashDialogue ??= /\s[-–—]\s?\p{Ll}/u).test(t!))) {
          // Dialogue dashes, not a list: each item is a paragraph that keeps its dash.
          for (const b of items) out.push({ kind: 'p', content: ['- ', ...(b[0] as { content: Inline[] }).content] });
          break;
        }
        out.push({ kind: 'list', ordered: node.ordered === true, ...(node.ordered && typeof node.start === 'number' && node.start !== 1 ? { start: node.start } : {}), items });
        break;
      }
      case 'table': {
        const rows = node.children.map((row, r) => row.children.map((cell) => ({ header: r === 0, content: tidy(phrasing(cell.children, ctx)) })));
        if (rows.length) out.push({ kind: 'table', rows });
        break;
      }
      case 'code': {
        const fenced = /^ {0,3}(?:`{3,}|~{3,})/.test(source);
        const next = nodes[i + 1];
        const lines = node.value.split('\n');
        // Four spaces before a paragraph's first line is an indent in a story, not code: the
        // paragraph goes on right below it, or the "code" is long lines of prose.
        const indent = !fenced && ctx.depth < 2 && next?.type === 'paragraph' && next.position?.start.line === (node.position?.end.line ?? -2) + 1;
        const prose = !fenced && ctx.depth < 2 && lines.reduce((n, l) => n + l.length, 0) / lines.length > 60 && lines.every((l) => /\p{L}/u.test(l));
        if (indent || prose) {
          const text = indent ? `${node.value}\n${raw(next, ctx)}` : node.value;
          if (indent) i++;
          out.push(...toBlocks(parseMarkdown(text, ctx.gfm).children, { ...ctx, source: text, depth: ctx.depth + 1 }));
          break;
        }
        if (node.value.trim()) out.push({ kind: 'pre', text: node.value });
        break;
      }
      case 'html': {
        // Raw HTML is HTML (CommonMark), read as a page's story markup is, unless it asks for
        // Markdown inside (kramdown's `markdown="1"`, as Jekyll sites write it).
        const inner = ctx.depth < MAX_NESTING ? markdownInside(node.value) : undefined;
        if (inner !== undefined) out.push(...toBlocks(parseMarkdown(inner, ctx.gfm).children, { ...ctx, source: inner, depth: ctx.depth + 1 }, levels, nesting));
        else out.push(...mapBlocks(rawHtmlBlocks(node.value, ctx.losses, levels), { inlines: (content) => markedText(content, ctx) }));
        break;
      }
      default:
        // Definitions and footnote definitions were collected before; nothing else is text.
        break;
    }
  }
  return out;
}

/** The blocks inside quotes and lists under `node`, in order, found without recursion. */
function leafBlocks(node: RootContent): RootContent[] {
  const out: RootContent[] = [];
  const stack: RootContent[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'blockquote' || n.type === 'list' || n.type === 'listItem') for (let k = n.children.length - 1; k >= 0; k--) stack.push(n.children[k]!);
    else out.push(n);
  }
  return out;
}

/** Markdown text (a summary, a note) → blocks, with its own link and note definitions. */
export function markdownBlocks(text: string, losses: Losses): Block[] {
  const ctx = newCtx(text, losses);
  const tree = parseMarkdown(text);
  collectDefinitions(tree, ctx);
  return toBlocks(tree.children, ctx);
}

/** Link definitions and footnote definitions, wherever they are in the tree (walked without
 * recursion: nesting can be hostile). */
export function collectDefinitions(root: Root, ctx: Ctx): void {
  const stack: Nodes[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'definition' && !ctx.links.has(node.identifier)) ctx.links.set(node.identifier, node.url);
    else if (node.type === 'footnoteDefinition' && !ctx.notes.has(node.identifier)) ctx.notes.set(node.identifier, node.children);
    if ('children' in node) for (let k = node.children.length - 1; k >= 0; k--) stack.push(node.children[k]!);
  }
}

/** The story's footnotes, numbered as Markdown numbers them: by first reference, then the
 * notes no text refers to, in source order. References inside notes count too. */
export function footnotes(ctx: Ctx): Footnote[] {
  const out: Footnote[] = [];
  const done = new Set<string>();
  const add = (id: string): void => {
    if (done.has(id)) return;
    done.add(id);
    out.push({ id, blocks: toBlocks(ctx.notes.get(id)!, ctx) });
  };
  for (let k = 0; k < ctx.referenced.length; k++) add(ctx.referenced[k]!);
  for (const id of ctx.notes.keys()) add(id);
  return out.filter((n) => n.blocks.length);
}

/**
 * The body's lines made safe to parse (outside backtick fences, with positions kept or shifted
 * only by escapes). A line that is only `~~~` between blank lines is a scene break, not a fence
 * that would swallow the rest of the story. The parser's time grows with the square of a long
 * run of emphasis marks and of the `]`s that close nothing, so those are escaped: they are text
 * either way. Indented lines (code) and code spans are left as they are.
 */
export function prepare(lines: string[]): string[] {
  let fence = '';
  let open = 0; // `[`s open in the current paragraph
  return lines.map((text, i) => {
    let line = text;
    const f = /^ {0,3}(`{3,})/.exec(line);
    if (f && (!fence || f[1]!.length >= fence.length)) fence = fence ? '' : f[1]!;
    if (fence || f) return line;
    if (!line.trim()) open = 0;
    if (/^~{3,}[ \t]*$/.test(line) && !lines[i - 1]?.trim() && !lines[i + 1]?.trim()) return '*'.repeat(line.length);
    if (/^(?: {4}|\t)/.test(line) || /^[\s*_~=-]*$/.test(line)) return line;
    // List markers opening lists inside list items on one line ("- - - x"): past MAX_NESTING the
    // parser's time grows with their square, so the rest are escaped.
    const marker = /[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+/y;
    let markers = 0;
    while (markers <= MAX_NESTING && marker.exec(line)) markers++;
    if (markers > MAX_NESTING) {
      // An escaped marker is text, and so is the rest of the line after it.
      const at = line.slice(0, marker.lastIndex).search(/[-*+.)][ \t]+$/);
      line = `${line.slice(0, at)}\\${line.slice(at)}`;
    }
    // Block-quote markers nested on one line (">>>> x") cost the parser the square of their
    // number too: past MAX_NESTING the rest are escaped.
    const quote = /[ \t]{0,3}>/y;
    let quotes = 0;
    while (quotes <= MAX_NESTING && quote.exec(line)) quotes++;
    if (quotes > MAX_NESTING) line = `${line.slice(0, quote.lastIndex - 1)}\\${line.slice(quote.lastIndex - 1)}`;
    let out = '';
    const unclosed = new Set<number>(); // lengths of backtick runs with no closing run on the line
    for (let k = 0; k < line.length; k++) {
      const c = line[k]!;
      let e = k + 1;
      if (c === '\\') e = k + 2;
      else if (c === '`' || c === '*' || c === '_' || c === '~') {
        while (line[e] === c) e++;
        const close = c !== '`' || unclosed.has(e - k) ? -1 : line.indexOf(line.slice(k, e), e);
        if (c === '`' && close < 0) unclosed.add(e - k);
        if (close >= 0) e = close + e - k;
        else if (c !== '`' && e - k > 16) {
          out += `\\${c}`.repeat(e - k);
          k = e - 1;
          continue;
        }
      } else if (c === '[') {
        if (open >= MAX_NESTING) {
          out += '\\[';
          continue;
        }
        open++;
      }
      else if (c === ']') {
        if (open === 0) {
          out += '\\]';
          continue;
        }
        open--;
      }
      out += line.slice(k, e);
      k = e - 1;
    }
    return out;
  });
}
