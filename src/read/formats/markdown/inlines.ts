/** mdast phrasing content → inline content: emphasis, code, links, pictures, and the raw HTML
 * tags a story uses for what Markdown cannot say (`<u>`, `<sub>` …), paired up here and read by
 * the shared HTML layer. */
import type { Nodes, PhrasingContent, RootContent } from 'mdast';
import type { Block, Inline } from '../../../model.js';
import { hasInlines, inlineText, withInlines } from '../../../text.js';
import { decodeEntities } from '../../decode.js';
import { lose, type Losses } from '../../fidelity.js';
import { followableHref } from '../../links.js';
import { rawElementInlines, VOID_TAGS } from '../../html/raw.js';
import { looksLikeVerse } from '../../structure.js';

/** What mapping one parsed tree needs: its source text (to see how a construct was written),
 * link and footnote definitions, the order notes are first referred to, and the loss tally. */
export interface Ctx {
  source: string;
  links: Map<string, string>;
  notes: Map<string, RootContent[]>;
  referenced: string[];
  losses: Losses;
  /** Whether the text is parsed with GFM (see GFM_PARAGRAPH_LIMIT). */
  gfm: boolean;
  /** How many times indented text was re-read as Markdown on the way here. */
  depth: number;
}

export function newCtx(source: string, losses: Losses): Ctx {
  return { source, links: new Map(), notes: new Map(), referenced: [], losses, gfm: true, depth: 0 };
}

/** One raw HTML element left open while a paragraph's nodes are read. */
interface OpenTag {
  name: string;
  /** The open tag as written. */
  tag: string;
  out: Inline[];
}

/** How deep raw HTML elements, quotes and lists nest before deeper ones are flattened: stories
 * never go near it, and hostile input cannot make the reader quadratic or overflow the stack. */
export const MAX_NESTING = 32;

const TAG = /^<(\/?)([A-Za-z][A-Za-z0-9-]*)((?:\s[^>]*)?)\/?>$/;

function attribute(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attrs);
  return m ? decodeEntities(m[1] ?? m[2] ?? m[3] ?? '') : undefined;
}

/** A link to `href` around `content`: kept for external addresses, else its text (fid-004). */
function link(href: string, content: Inline[], ctx: Ctx): Inline[] {
  if (followableHref(href)) return content.length ? [{ kind: 'link', href, content }] : [];
  lose(ctx.losses, 'fid-004', 1, href.slice(0, 60));
  return content;
}

/** A picture: its alternative text stays, the picture does not (fid-001). */
function picture(src: string, alt: string, ctx: Ctx): Inline[] {
  lose(ctx.losses, 'fid-001', 1, src.split(/[/?#]/).filter(Boolean).pop()?.slice(0, 60));
  return alt.trim() ? [alt.trim()] : [];
}

/**
 * A raw HTML tag inside a paragraph: opens or closes an element on `stack`, or is a void one.
 * Markdown pairs the tags (a tag left open or closing nothing loses its markup: fid-007); what
 * an element means is the shared HTML layer's (`rawElementInlines`). A raw `<img>` is a picture
 * as Markdown's own are.
 */
function rawTag(value: string, stack: OpenTag[], ctx: Ctx): void {
  const top = stack[stack.length - 1]!.out;
  const m = TAG.exec(value.trim());
  if (!m) {
    // Comments and declarations are the author's or the converter's, never story text.
    if (!/^<[!?]/.test(value.trim())) lose(ctx.losses, 'fid-007', 1, value.slice(0, 20));
    return;
  }
  const [, close, rawName, attrs] = m;
  const name = rawName!.toLowerCase();
  if (name === 'img') top.push(...picture(attribute(attrs!, 'src') ?? '', attribute(attrs!, 'alt') ?? '', ctx));
  else if (VOID_TAGS.has(name)) {
    // "</br>" is a line break too, as parsers read it.
    if (!close || name === 'br') top.push(...rawElementInlines(`<${name}${close ? '' : attrs}>`, [], ctx.losses));
  } else if (!close && stack.length > MAX_NESTING) lose(ctx.losses, 'fid-007', 1, `<${name}>`);
  else if (!close) stack.push({ name, tag: value, out: [] });
  else {
    const at = stack.findLastIndex((t, i) => i > 0 && t.name === name);
    if (at < 0) lose(ctx.losses, 'fid-007', 1, `</${name}>`);
    else {
      while (stack.length > at + 1) closeTag(stack, ctx, false);
      closeTag(stack, ctx, true);
    }
  }
}

/** Pops the innermost open element into its parent: read by the HTML layer when it was closed,
 * else its content alone (the markup counted as lost). */
function closeTag(stack: OpenTag[], ctx: Ctx, closed: boolean): void {
  const t = stack.pop()!;
  const parent = stack[stack.length - 1]!.out;
  if (closed) parent.push(...rawElementInlines(t.tag, t.out, ctx.losses));
  else {
    lose(ctx.losses, 'fid-007', 1, `<${t.name}>`);
    parent.push(...t.out);
  }
}

/** Liquid/Jinja template tags and kramdown attribute lists: site machinery, not text. */
const TEMPLATE = /\{%[\s\S]*?%\}|\{\{[\s\S]*?\}\}|^\{:[^}\n]*\}$/gm;
/** A footnote reference the parser did not take: its note is missing. */
const MISSING_NOTE = /\[\^[^\]\s]+\]/g;

/** Phrasing content → inline content. Soft line breaks stay `\n` here (see `paragraphs`). */
export function phrasing(nodes: PhrasingContent[], ctx: Ctx, nesting = 0): Inline[] {
  const stack: OpenTag[] = [{ name: '', tag: '', out: [] }];
  for (const node of nodes) {
    if (node.type === 'html') rawTag(node.value, stack, ctx);
    else stack[stack.length - 1]!.out.push(...(nesting < MAX_NESTING ? inline(node, ctx, nesting) : [leafText(node)]));
  }
  while (stack.length > 1) closeTag(stack, ctx, false);
  return stack[0]!.out;
}

function inline(node: PhrasingContent, ctx: Ctx, nesting: number): Inline[] {
  switch (node.type) {
    case 'text': {
      const text = node.value.replace(TEMPLATE, '');
      const missing = text.match(MISSING_NOTE);
      if (missing) lose(ctx.losses, 'fid-005', missing.length, missing[0]);
      return text ? [text] : [];
    }
    case 'emphasis': case 'strong': case 'delete': {
      const content = phrasing(node.children, ctx, nesting + 1);
      const kind = node.type === 'emphasis' ? 'em' : node.type === 'strong' ? 'strong' : 'strike';
      return content.length ? [{ kind, content }] : [];
    }
    case 'inlineCode': return [{ kind: 'code', text: node.value }];
    case 'break': return [{ kind: 'br' }];
    case 'link': return link(node.url, phrasing(node.children, ctx, nesting + 1), ctx);
    case 'linkReference': {
      const url = ctx.links.get(node.identifier);
      const content = phrasing(node.children, ctx, nesting + 1);
      return url === undefined ? content : link(url, content, ctx);
    }
    case 'image': return picture(node.url, node.alt ?? '', ctx);
    case 'imageReference': return picture(ctx.links.get(node.identifier) ?? '', node.alt ?? '', ctx);
    case 'footnoteReference':
      // The parser takes a reference only when its note is defined.
      if (!ctx.referenced.includes(node.identifier)) ctx.referenced.push(node.identifier);
      return [{ kind: 'noteref', id: node.identifier }];
    default: return [];
  }
}

/** The text under a node, found without recursion (for runs nested past `MAX_NESTING`). */
function leafText(node: Nodes): string {
  let text = '';
  const stack: Nodes[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if ('children' in n) for (let k = n.children.length - 1; k >= 0; k--) stack.push(n.children[k]!);
    else if (n.type === 'text' || n.type === 'inlineCode') text += n.value;
  }
  return text;
}

const isBreak = (c: Inline | undefined): boolean => typeof c === 'object' && c.kind === 'br';

/** Inline content with soft line breaks as spaces, runs of text merged, and no space at its
 * edges (`edges`) or around line breaks. */
export function tidy(content: Inline[], edges = true): Inline[] {
  const out: Inline[] = [];
  for (const c of content) {
    const last = out[out.length - 1];
    if (typeof c !== 'string') {
      const inner = hasInlines(c) ? tidy(c.content, false) : undefined;
      if (!hasInlines(c)) out.push(c);
      else if (inner?.length) out.push(withInlines(c, inner));
    } else if (typeof last === 'string') out[out.length - 1] = last + c.replace(/[ \t]*\n[ \t]*/g, ' ');
    else out.push(c.replace(/[ \t]*\n[ \t]*/g, ' '));
  }
  return out
    .map((c, i) => {
      if (typeof c !== 'string') return c;
      const start = (edges && i === 0) || isBreak(out[i - 1]);
      const end = (edges && i === out.length - 1) || isBreak(out[i + 1]);
      return start && end ? c.trim() : start ? c.trimStart() : end ? c.trimEnd() : c;
    })
    .filter((c) => c !== '');
}

/**
 * A paragraph's inline content → blocks. Line breaks (hard breaks, `<br>`) part its lines; a
 * doubled one parts paragraphs (converters write `<br><br>` between them), one at either end
 * means nothing. Lines joined only by line breaks are a stanza when they read as verse, else
 * one paragraph each; a paragraph that also has ordinary wrapped lines keeps its breaks.
 */
export function paragraphs(content: Inline[]): Block[] {
  const lines: Inline[][] = [[]];
  for (const c of content) {
    if (isBreak(c)) lines.push([]);
    else lines[lines.length - 1]!.push(c);
  }
  const out: Block[] = [];
  let group: Inline[][] = [];
  const flush = (): void => {
    if (!group.length) return;
    const texts = group.map((l) => inlineText(l).trim());
    if (group.length === 1) out.push({ kind: 'p', content: tidy(group[0]!) });
    else if (texts.some((t) => t.includes('\n'))) out.push({ kind: 'p', content: tidy(group.flatMap((l, i) => (i ? [{ kind: 'br' } as Inline, ...l] : l))) });
    else if (looksLikeVerse(texts)) out.push({ kind: 'verse', lines: group.map((l) => tidy(l)) });
    else for (const l of group) out.push({ kind: 'p', content: tidy(l) });
    group = [];
  };
  for (const line of lines) {
    if (inlineText(line).trim() || line.some((c) => typeof c === 'object' && c.kind === 'noteref')) group.push(line);
    else if (line !== lines[0] && line !== lines[lines.length - 1]) flush();
  }
  flush();
  return out;
}
