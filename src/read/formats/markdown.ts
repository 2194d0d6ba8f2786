/**
 * Markdown, usually with YAML front matter (Jekyll, Hugo, Eleventy, Obsidian notes): the front
 * matter is the story's metadata, the body Markdown parsed by mdast-util-from-markdown with GFM
 * (tables, strikethrough, footnotes, autolinks) and mapped onto the model: paragraphs, headings
 * (chapters, or headings inside them), thematic breaks (scene breaks), block quotes, lists,
 * tables, code, emphasis, links, line breaks, footnotes, and the raw HTML a story uses for what
 * Markdown cannot say (`<u>`, `<sub>`, `<sup>` …). Typography is left to the transforms.
 *
 * Front matter `categories` go to tags, not fandoms: a blog's categories organise the site and
 * mean different things on different sites ("Harry Potter", but also "fic", "drabbles", "WIP"),
 * so as fandoms they would print a wrong fandom on the cover; every category is still a subject.
 * An explicit `fandom:`/`fandoms:` key does give fandoms.
 */
import { createRequire } from 'node:module';
import type { Nodes, PhrasingContent, Root, RootContent } from 'mdast';
import { warning, type Diagnostic } from '../../diagnostics.js';
import type { Block, Footnote, Inline, Meta, Series, Story, StyleKind } from '../../model.js';
import { blockText, hasInlines, inlineText, withInlines } from '../../text.js';
import { chapterHeading, isSceneBreakLine, linesToBody } from '../body.js';
import { decodeEntities } from '../decode.js';
import { lose, type Losses } from '../fidelity.js';
import { applyField, fieldFor, parseDate, parseHeaderLine, parseWordCount, titleAndByline, type FieldTarget, type HeaderLine } from '../header.js';
import { followableHref } from '../links.js';
import { hasExtension } from '../sniff.js';
import { looksLikeVerse, sameTitle, splitChapters, takeEndMarks } from '../structure.js';
import { emptyStory } from '../story.js';
import type { ReadContext } from '../context.js';
import type { TextFormat, TextInput } from '../format.js';

// yaml and the Markdown parser load only when a Markdown file is read (createRequire keeps them
// out of the bundle and off the start-up path of every other format).
const parseYaml = (text: string): unknown => (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text);

/** Longest paragraph (run of non-blank lines) that is still read with GFM: GFM's literal
 * autolinks cost the square of a paragraph's length, and no author writes one this long (a text
 * flattened onto a few lines does, and has no tables or footnotes to lose). */
const GFM_PARAGRAPH_LIMIT = 10_000;

/** Markdown text → mdast, with GFM unless `gfm` is false; single tildes stay text ("~Fin~" is
 * an end mark, not strike). */
function parseMarkdown(text: string, withGfm = true): Root {
  const require = createRequire(import.meta.url);
  const { fromMarkdown } = require('mdast-util-from-markdown') as typeof import('mdast-util-from-markdown');
  if (!withGfm) return fromMarkdown(text);
  const { gfm } = require('micromark-extension-gfm') as typeof import('micromark-extension-gfm');
  const { gfmFromMarkdown } = require('mdast-util-gfm') as typeof import('mdast-util-gfm');
  try {
    return fromMarkdown(text, { extensions: [gfm({ singleTilde: false })], mdastExtensions: [gfmFromMarkdown()] });
  } catch (e) {
    // GFM's autolink pass recurses through the tree: hostile nesting overflows the stack there.
    if (!(e instanceof RangeError)) throw e;
    return fromMarkdown(text);
  }
}

// ───────────────────────────── front matter ─────────────────────────────

const OPEN_FENCE = /^---[ \t]*$/;
const CLOSE_FENCE = /^(?:---|\.\.\.)[ \t]*$/;
const YAML_KEY = /^[A-Za-z_][\w .-]{0,40}:(?:\s|$)/;

/** Where front matter ends: the index of the line after the closing fence, or -1. */
function frontMatterEnd(lines: string[]): number {
  if (!OPEN_FENCE.test(lines[0] ?? '')) return -1;
  let sawKey = false;
  for (let i = 1; i < Math.min(lines.length, 400); i++) {
    const line = lines[i]!;
    if (CLOSE_FENCE.test(line)) return sawKey ? i + 1 : -1;
    if (YAML_KEY.test(line)) sawKey = true;
    else if (!sawKey && line.trim() !== '' && !/^\s*#/.test(line)) return -1;
  }
  return -1;
}

/** Keys that mean something different in front matter than in a story's header block, or that
 * the shared field table does not know. Other keys go through `fieldFor`; unknown keys (layout,
 * permalink, draft …) are site settings and are ignored. */
const FRONT_KEYS: Record<string, FieldTarget | 'ignore' | 'seriesIndex'> = {
  'categories': 'tags',
  'category': 'tags',
  'excerpt': 'summary',
  'abstract': 'summary',
  'lastmod': 'updated',
  'last modified at': 'updated',
  'modified': 'updated',
  'date modified': 'updated',
  'creator': 'authors',
  'creators': 'authors',
  'lang': 'language',
  'canonical url': 'sourceUrl',
  'original url': 'sourceUrl',
  'series index': 'seriesIndex',
  'series part': 'seriesIndex',
  'series number': 'seriesIndex',
  'part': 'seriesIndex',
  'layout': 'ignore',
  'permalink': 'ignore',
  'slug': 'ignore',
  'draft': 'ignore',
};

/** YAML values as strings: scalars, lists of scalars, `{name: …}` objects; booleans and nulls
 * say nothing. */
function strings(value: unknown): string[] {
  if (value === null || value === undefined || typeof value === 'boolean') return [];
  if (typeof value === 'string') return value.trim() ? [value.trim()] : [];
  if (typeof value === 'number') return [String(value)];
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? [] : [value.toISOString().slice(0, 10)];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of ['name', 'title', 'display_name', 'displayName']) if (typeof o[k] === 'string') return strings(o[k]);
  }
  return [];
}

const LIST_TARGETS = new Set<FieldTarget>(['authors', 'fandoms', 'relationships', 'characters', 'warnings', 'category', 'tags']);

/** A metadata value as plain text: YAML values are shown as written, but sites render their HTML,
 * so tags are dropped and character references decoded. */
function metaText(text: string): string {
  return decodeEntities(text.replace(/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g, '')).replace(/\s+/g, ' ').trim();
}

/** Apply parsed front matter to `meta`; a summary or note is Markdown. Returns a diagnostic for
 * each value not understood. */
function applyFrontMatter(meta: Meta, data: Record<string, unknown>, path: string, losses: Losses): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  let seriesIndex: number | undefined;
  for (const [rawKey, value] of Object.entries(data)) {
    const key = rawKey.toLowerCase().replace(/[_-]+/g, ' ').trim();
    const special = Object.prototype.hasOwnProperty.call(FRONT_KEYS, key) ? FRONT_KEYS[key] : undefined;
    if (special === 'ignore') continue;
    if (special === 'seriesIndex') {
      const n = Number(strings(value)[0]);
      if (Number.isFinite(n) && n > 0) seriesIndex = n;
      continue;
    }
    const rule = special ? { target: special } : fieldFor(key);
    if (!rule) continue;
    const values = strings(value);
    if (!values.length) continue;
    const label = 'label' in rule && rule.label ? rule.label : rawKey;
    switch (rule.target) {
      case 'summary':
      case 'notes': {
        const blocks = values.flatMap((v) => markdownBlocks(v, losses));
        if (blocks.length) meta[rule.target] = [...(meta[rule.target] ?? []), ...blocks];
        continue;
      }
      case 'series': {
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
          const o = value as Record<string, unknown>;
          const name = strings(o['name'] ?? o['title'])[0];
          const index = Number(strings(o['index'] ?? o['part'] ?? o['number'] ?? o['position'])[0]);
          const total = Number(strings(o['total'] ?? o['of'] ?? o['count'])[0]);
          if (name) meta.series ??= { name, ...(index > 0 ? { index } : {}), ...(total > 0 ? { total } : {}) };
          continue;
        }
        // "Instruments, part 2", "Instruments #2", "Instruments (Book 2 of 3)".
        const m = /^(.*?)[\s,:;(\-–—]*(?:\b(?:part|book|volume|vol\.?|no\.?)\s*|#)(\d+)(?:\s*(?:\/|of)\s*(\d+))?\)?\s*$/i.exec(values[0]!);
        if (m && m[1]!.trim()) meta.series ??= { name: m[1]!.trim(), index: +m[2]!, ...(m[3] ? { total: +m[3] } : {}) };
        else meta.series ??= { name: values[0]! };
        continue;
      }
      case 'published':
      case 'updated': {
        // ISO date-times ("2020-01-02T10:00:00Z") are common in front matter.
        const d = parseDate(values[0]!.replace(/^(\d{4}-\d{2}-\d{2})T/, '$1 '));
        if (d) {
          if (rule.target === 'published') meta.published ??= d;
          else meta.updated ??= d;
        } else if (typeof value === 'string') {
          diagnostics.push(warning('meta-004', `could not understand "${rawKey}: ${values[0]}"; kept as text`, path));
          meta.extra[rule.target === 'published' ? 'Date' : 'Updated'] = values[0]!;
        }
        continue;
      }
      case 'sourceUrl':
        if (/^https?:\/\//i.test(values[0]!)) meta.sourceUrl ??= values[0]!;
        continue;
      case 'statedWords': {
        const n = parseWordCount(values[0]!);
        if (n !== undefined) meta.statedWords ??= n;
        else diagnostics.push(warning('meta-004', `could not understand "${rawKey}: ${values[0]}"; kept as text`, path));
        continue;
      }
      default:
        if (Array.isArray(value) && LIST_TARGETS.has(rule.target)) {
          const list = rule.target === 'authors' ? meta.authors : meta[rule.target as 'fandoms' | 'relationships' | 'characters' | 'warnings' | 'category' | 'tags'];
          for (const v of values.map(metaText)) if (v && !list.includes(v) && !/^uncategori[sz]ed$/i.test(v)) list.push(v);
        } else if (rule.target === 'extra') {
          meta.extra[label] = values.join(', ');
        } else {
          for (const v of values) applyField(meta, { key: rawKey, value: rule.target === 'title' ? metaText(v) : v, rule });
          if (rule.target === 'tags' || rule.target === 'category') meta[rule.target] = meta[rule.target].filter((t) => !/^uncategori[sz]ed$/i.test(t));
        }
    }
  }
  if (seriesIndex !== undefined && meta.series && meta.series.index === undefined) meta.series = { ...meta.series, index: seriesIndex } satisfies Series;
  return diagnostics;
}

// ───────────────────────────── inlines ─────────────────────────────

/** What mapping one parsed tree needs: its source text (to see how a construct was written),
 * link and footnote definitions, the order notes are first referred to, and the loss tally. */
interface Ctx {
  source: string;
  links: Map<string, string>;
  notes: Map<string, RootContent[]>;
  referenced: string[];
  losses: Losses;
  /** Whether the text is parsed with GFM (see GFM_PARAGRAPH_LIMIT). */
  gfm: boolean;
  /** How many times raw HTML blocks were re-read as Markdown on the way here. */
  depth: number;
}

function newCtx(source: string, losses: Losses): Ctx {
  return { source, links: new Map(), notes: new Map(), referenced: [], losses, gfm: true, depth: 0 };
}

/** Raw HTML elements that have a styled-run kind in the model. */
const STYLE_TAGS: Record<string, StyleKind> = {
  i: 'em', em: 'em', cite: 'em', b: 'strong', strong: 'strong', s: 'strike', strike: 'strike', del: 'strike',
  u: 'underline', ins: 'underline', sub: 'sub', sup: 'sup',
};
/** Raw HTML elements whose text is code. */
const CODE_TAGS = new Set(['code', 'kbd', 'samp', 'tt']);

/** One raw HTML element left open while a paragraph's nodes are read. */
interface OpenTag {
  name: string;
  make?: (content: Inline[]) => Inline[];
  out: Inline[];
}

/** How deep raw HTML elements, quotes and lists nest before deeper ones are flattened: stories
 * never go near it, and hostile input cannot make the reader quadratic or overflow the stack. */
const MAX_NESTING = 32;

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

/** How a raw HTML open tag maps onto the model; undefined for an element the model lacks. */
function tagMaker(name: string, attrs: string, ctx: Ctx): OpenTag['make'] {
  const style = STYLE_TAGS[name];
  if (style) return (content) => [{ kind: style, content }];
  if (name === 'span' && (/font-variant\s*:\s*small-caps/i.test(attribute(attrs, 'style') ?? '') || /\bsmall-?caps\b/i.test(attribute(attrs, 'class') ?? ''))) return (content) => [{ kind: 'smallcaps', content }];
  if (CODE_TAGS.has(name)) return (content) => [{ kind: 'code', text: inlineText(content) }];
  const href = name === 'a' ? attribute(attrs, 'href') : undefined;
  if (href !== undefined) return (content) => link(href, content, ctx);
  return undefined;
}

/** A raw HTML tag inside a paragraph: opens or closes an element on `stack`, or is a void one. */
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
  if (name === 'br') top.push({ kind: 'br' });
  else if (name === 'img') top.push(...picture(attribute(attrs!, 'src') ?? '', attribute(attrs!, 'alt') ?? '', ctx));
  else if (name === 'wbr') return; // a break opportunity: nothing to keep
  else if (!close && stack.length > MAX_NESTING) lose(ctx.losses, 'fid-007', 1, `<${name}>`);
  else if (!close) stack.push({ name, make: tagMaker(name, attrs!, ctx), out: [] });
  else {
    const at = stack.findLastIndex((t, i) => i > 0 && t.name === name);
    if (at < 0) lose(ctx.losses, 'fid-007', 1, `</${name}>`);
    else {
      while (stack.length > at + 1) closeTag(stack, ctx, false);
      closeTag(stack, ctx, true);
    }
  }
}

/** Pops the innermost open element into its parent: as its model kind when it was closed and
 * has one, else its content alone (the markup counted as lost). */
function closeTag(stack: OpenTag[], ctx: Ctx, closed: boolean): void {
  const t = stack.pop()!;
  const parent = stack[stack.length - 1]!.out;
  if (closed && t.make) parent.push(...t.make(t.out));
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
function phrasing(nodes: PhrasingContent[], ctx: Ctx, nesting = 0): Inline[] {
  const stack: OpenTag[] = [{ name: '', out: [] }];
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
function tidy(content: Inline[], edges = true): Inline[] {
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
function paragraphs(content: Inline[]): Block[] {
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

// ───────────────────────────── blocks ─────────────────────────────

/** The source text of a node. */
function raw(node: Nodes, ctx: Ctx): string {
  const p = node.position;
  return p?.start.offset !== undefined && p.end.offset !== undefined ? ctx.source.slice(p.start.offset, p.end.offset) : '';
}

/** Block-level HTML tags part paragraphs; headings keep their level; rules are scene breaks. */
const BLOCK_TAG = /<\/?(?:p|div|center|section|article|header|footer|main|aside|figure|figcaption|details|summary|blockquote|ul|ol|li|dl|dt|dd|table|thead|tbody|tfoot|tr|td|th|caption|nav|address)\b[^>]*>/gi;

/** A raw HTML block → blocks: its block tags become Markdown's paragraph edges, headings and
 * breaks, and what is left is read as Markdown again (inline tags then pair up as in any
 * paragraph). Comments, scripts and styles go. */
function htmlBlock(value: string, ctx: Ctx, levels?: Map<Block, number>): Block[] {
  let t = value;
  for (const [open, close] of [['<!--', '-->'], ['<script', '</script>'], ['<style', '</style>']] as const) t = cut(t, open, close);
  const pre = /^\s*<pre\b[^>]*>([\s\S]*?)<\/pre>\s*$/i.exec(t);
  if (pre) {
    if (/<[A-Za-z]/.test(pre[1]!)) lose(ctx.losses, 'fid-006', 1, 'pre');
    const text = decodeEntities(pre[1]!.replace(/<[^>]*>/g, '')).replace(/^\n|\s+$/g, '');
    return text ? [{ kind: 'pre', text }] : [];
  }
  lose(ctx.losses, 'fid-003', (t.match(/<table\b/gi) ?? []).length, 'HTML table');
  t = t
    .replace(/<hr\b[^>]*>/gi, '\n\n***\n\n')
    .replace(/<(\/?)h([1-6])\b[^>]*>/gi, (_, end: string, n: string) => (end ? '\n\n' : `\n\n${'#'.repeat(+n)} `))
    .replace(BLOCK_TAG, '\n\n');
  if (!t.trim()) return [];
  if (ctx.depth > 0) {
    // Still a raw block after one re-reading (a tag alone on a line): its tags pair up as in a
    // paragraph, its text is text.
    return t.split(/\n\s*\n/).flatMap((chunk) => paragraphs(phrasing(chunk.split(/(<[^<>]*>)/).map((v, k): PhrasingContent => (k % 2 ? { type: 'html', value: v } : { type: 'text', value: decodeEntities(v) })), ctx)));
  }
  const inner: Ctx = { ...ctx, source: t, depth: ctx.depth + 1 };
  return toBlocks(parseMarkdown(t, ctx.gfm).children, inner, levels);
}

/** `text` without every span from `open` to the next `close` (an unclosed span is kept); case
 * ignored. One indexOf scan, so hostile input cannot make it quadratic. */
function cut(text: string, open: string, close: string): string {
  const hay = text.toLowerCase();
  let out = '';
  let from = 0;
  for (;;) {
    const a = hay.indexOf(open, from);
    if (a < 0) break;
    const b = hay.indexOf(close, a + open.length);
    if (b < 0) break;
    out += text.slice(from, a);
    from = b + close.length;
  }
  return out + text.slice(from);
}

/** Sentence-ending punctuation: a line that ends so is prose, not a heading. */
const SENTENCE_END = /[.!?…"”'’)]$/;
/** A dialogue tag after a dash ("- Hola - dijo."), as many languages write dialogue. */
const DASH_DIALOGUE = /\s[-–—]\s?\p{Ll}/u;

/**
 * mdast blocks → model blocks. `levels`, when given, records the level of each top-level
 * heading (for the chapter split).
 */
function toBlocks(nodes: RootContent[], ctx: Ctx, levels?: Map<Block, number>, nesting = 0): Block[] {
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
        if (!node.ordered && source.startsWith('-') && texts.every((t) => t !== undefined && SENTENCE_END.test(t)) && texts.some((t) => DASH_DIALOGUE.test(t!))) {
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
      case 'html':
        out.push(...htmlBlock(node.value, ctx, levels));
        break;
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
function markdownBlocks(text: string, losses: Losses): Block[] {
  const ctx = newCtx(text, losses);
  const tree = parseMarkdown(text);
  collectDefinitions(tree, ctx);
  return toBlocks(tree.children, ctx);
}

/** Link definitions and footnote definitions, wherever they are in the tree (walked without
 * recursion: nesting can be hostile). */
function collectDefinitions(root: Root, ctx: Ctx): void {
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
function footnotes(ctx: Ctx): Footnote[] {
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
function prepare(lines: string[]): string[] {
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

// ───────────────────────────── chapters ─────────────────────────────

/** The heading level that divides chapters: the shallowest level holding a chapter-like heading
 * ("Chapter 2", "Epilogue") or at least two headings. Undefined when no heading level does. */
function chapterLevel(blocks: Block[], levels: Map<Block, number>): number | undefined {
  const counts = new Map<number, { n: number; chapterLike: boolean }>();
  for (const b of blocks) {
    const level = levels.get(b);
    if (level === undefined) continue;
    const c = counts.get(level) ?? { n: 0, chapterLike: false };
    c.n++;
    if (chapterHeading(blockText(b)) !== undefined) c.chapterLike = true;
    counts.set(level, c);
  }
  return [...counts.entries()].filter(([, c]) => c.chapterLike || c.n >= 2).map(([l]) => l).sort((a, b) => a - b)[0];
}

// ───────────────────────────── reader ─────────────────────────────

function read(input: TextInput, context: ReadContext): Story {
  const story = emptyStory(input.path, 'markdown', input.encoding);
  const meta = story.meta;
  const losses = context.losses;
  let lines = input.text.split('\n');

  // 1. Front matter.
  const fmEnd = frontMatterEnd(lines);
  if (fmEnd > 0) {
    const yaml = lines.slice(1, fmEnd - 1).join('\n');
    let data: unknown;
    try {
      data = parseYaml(yaml);
    } catch (e) {
      context.message('meta-009', `the front matter is not valid YAML (${(e as Error).message.split('\n')[0]}); it was ignored`, 1);
    }
    if (data && typeof data === 'object' && !Array.isArray(data)) context.diagnostics.push(...applyFrontMatter(meta, data as Record<string, unknown>, input.path, losses));
    else if (data !== undefined && data !== null) context.message('meta-009', 'the front matter is not a set of "key: value" fields; it was ignored', 1);
    // Blank lines keep the body's line numbers those of the file.
    lines = [...lines.slice(0, fmEnd).fill(''), ...lines.slice(fmEnd)];
  } else {
    // MultiMarkdown-style "Title: …" lines at the very top.
    let i = 0;
    while (i < lines.length && !lines[i]!.trim()) i++;
    let j = i;
    const fields: HeaderLine[] = [];
    while (j < lines.length && lines[j]!.trim()) {
      const f = parseHeaderLine(lines[j]!);
      if (!f) break;
      fields.push(f);
      j++;
    }
    if (fields.length >= 2 && (j >= lines.length || !lines[j]!.trim())) {
      for (const f of fields) if (f.value && !applyField(meta, f)) context.message('meta-004', `could not understand "${f.key}: ${f.value}"; kept as text`);
      lines = lines.slice(j);
    }
  }

  // 2. A body with (almost) no blank lines is not Markdown paragraphs but one line per
  // paragraph or hard-wrapped text: the shared text rules read it, Markdown inlines per paragraph.
  const textLines = lines.filter((l) => l.trim()).length;
  const lastText = lines.reduce((n, l, k) => (l.trim() ? k : n), -1);
  const firstText = lines.findIndex((l) => l.trim());
  const gaps = lines.filter((l, k) => !l.trim() && k > firstText && k < lastText && lines[k - 1]!.trim()).length;
  if (textLines > 6 && gaps * 20 < textLines) {
    let body = lines.slice(Math.max(firstText, 0));
    const top = titleAndByline(body);
    if (top.title && !meta.title) meta.title = metaText(top.title.replace(/^ {0,3}#{1,6}[ \t]+/, ''));
    if (top.authors.length && !meta.authors.length) meta.authors.push(...top.authors);
    if (top.title || top.authors.length) body = body.slice(top.next);
    const plain = linesToBody(body.map((l) => l.replace(/^ {0,3}#{1,6}[ \t]+/, '')));
    const ctx = newCtx('', losses);
    const inlines = (b: Block): Block[] => {
      if (b.kind !== 'p' || b.content.length !== 1 || typeof b.content[0] !== 'string') return [b];
      const text = prepare([b.content[0]])[0]!;
      const tree = parseMarkdown(text, text.length <= GFM_PARAGRAPH_LIMIT);
      const only = tree.children.length === 1 && tree.children[0]!.type === 'paragraph' ? tree.children[0] : undefined;
      return only ? paragraphs(phrasing(only.children, { ...ctx, source: text })) : [b];
    };
    story.chapters = plain.chapters.map((c) => ({ ...c, sections: c.sections.map((s) => ({ ...s, blocks: s.blocks.flatMap(inlines) })) }));
    story.end = plain.end;
    return story;
  }

  // 3. The body, parsed; definitions first, so references anywhere find them.
  const source = prepare(lines).join('\n');
  let paragraph = 0;
  let longest = 0;
  for (const l of lines) longest = Math.max(longest, (paragraph = l.trim() ? paragraph + l.length + 1 : 0));
  const ctx: Ctx = { ...newCtx(source, losses), gfm: longest <= GFM_PARAGRAPH_LIMIT };
  const tree = parseMarkdown(source, ctx.gfm);
  collectDefinitions(tree, ctx);
  const levels = new Map<Block, number>();
  let blocks = toBlocks(tree.children, ctx, levels);

  // 4. A lone top heading is the title (or repeats it); a "by Name" paragraph under it the byline.
  const first = blocks[0];
  const firstLevel = first ? levels.get(first) : undefined;
  if (first && firstLevel !== undefined && chapterHeading(blockText(first)) === undefined && blocks.filter((b) => (levels.get(b) ?? 7) <= firstLevel).length === 1) {
    const t = blockText(first).trim();
    if (!meta.title) meta.title = t;
    if (sameTitle(meta.title, t)) blocks = blocks.slice(1);
  }
  const next = blocks[0];
  if (next?.kind === 'p') {
    const by = titleAndByline([blockText(next)]);
    if (by.authors.length && !by.title) {
      if (!meta.authors.length) meta.authors.push(...by.authors);
      if (by.authors.every((n) => meta.authors.includes(n))) blocks = blocks.slice(1);
    }
  }

  // 5. Chapters: at chapter headings and at every heading of the top dividing level or above.
  const level = chapterLevel(blocks, levels);
  const splitLevels = new Map([...levels].map(([b, l]) => [b, level !== undefined && l < level ? level : l]));
  story.chapters = splitChapters(blocks, splitLevels, level)
    .filter((c) => c.blocks.length)
    .map((c) => ({ ...(c.title !== undefined ? { title: c.title } : {}), sections: [{ blocks: c.blocks }] }));

  // 6. End marks after the last paragraph keep their styling ("*The End*").
  const last = story.chapters[story.chapters.length - 1]?.sections[0]?.blocks;
  if (last) {
    const rest = [...last];
    takeEndMarks(rest);
    story.end = last.splice(rest.length).filter((b) => b.kind !== 'break');
  }
  const notes = footnotes(ctx);
  if (notes.length) story.footnotes = notes;
  return story;
}

// ───────────────────────────── sniff ─────────────────────────────

/** The names Markdown files go by. */
const MARKDOWN_EXTENSIONS = ['.md', '.markdown', '.mdown', '.mkd', '.mkdn', '.mdwn', '.mdtxt'];

function sniff(input: TextInput): number {
  const head = input.text.slice(0, 12000);
  if (frontMatterEnd(head.split('\n')) > 0) return 0.9;
  if (hasExtension(input.path, MARKDOWN_EXTENSIONS)) return 0.6;
  // Without front matter or a .md name: only clear Markdown, never a story that merely uses *x*.
  let features = 0;
  if (/^#{1,6}[ \t]+\S/m.test(head)) features++;
  if (/\[[^\]\n]+\]\((?:https?:|\/|#|\.)[^)\s]*\)/.test(head)) features++;
  if (/\*\*[^*\s][^*\n]*[^*\s]\*\*/.test(head)) features++;
  if (/^> \S/m.test(head)) features++;
  if (/^```/m.test(head)) features++;
  if (/\n[^\n]+\n={3,}[ \t]*\n/.test(head)) features++;
  const blankParagraphs = (head.match(/\n[ \t]*\n/g) ?? []).length >= 3;
  return features >= 2 && blankParagraphs ? 0.2 : 0;
}

/** The Markdown reader. */
export const markdown: TextFormat = {
  name: 'markdown',
  description: 'Markdown with YAML front matter (title, author, date, tags …), or a .md file',
  input: 'text',
  extensions: MARKDOWN_EXTENSIONS,
  inlineMarkers: false,
  precedence: 30,
  sniff,
  read,
};
