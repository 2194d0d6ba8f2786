/**
 * Saved HTML pages → the document model, shared by every HTML format: parsing (jsdom), the
 * allow-list sanitizer (sanitize-html), story markup → Blocks, `<title>`/`<meta>` helpers and the
 * text-level steps the HTML readers share (header blocks, chapter headings, end marks).
 *
 * Nothing an HTML page names is ever fetched or read: jsdom is used without `resources` or
 * `runScripts` (no subresources load, no script runs) and its console goes nowhere; the
 * sanitizer keeps no `href`, `src` or `style`, and an `<img>` becomes its alt text or nothing.
 * jsdom and sanitize-html are loaded on the first read of an HTML input only (`createRequire`),
 * so the formats' cheap string `sniff`s keep a text-only run from loading them at all.
 */
import { createRequire } from 'node:module';
import type * as JsdomModule from 'jsdom';
import type SanitizeHtml from 'sanitize-html';
import { type Diagnostic, info, warning } from '../diagnostics.js';
import type { Block, Inline, Paragraph, Story } from '../model.js';
import type { ReadResult, TextInput } from './formats/types.js';
import { isSceneBreakLine } from './body.js';
import { looksLikeVerse, takeEndMarks } from './structure.js';
import { imageSink, type ImageSink } from './images.js';
import { emptyStory } from './story.js';

const load = createRequire(import.meta.url);

// ───────────────────────────── parsing ─────────────────────────────

/** A parsed page. Call `close()` when done (frees jsdom's window). */
export interface HtmlPage {
  document: Document;
  close(): void;
}

/**
 * Parse a whole page with jsdom. No script runs, no resource loads (jsdom's defaults, kept on
 * purpose: never pass `resources` or `runScripts` here), and CSS/HTML errors are not printed.
 */
export function parseHtmlPage(text: string): HtmlPage {
  const { JSDOM, VirtualConsole } = load('jsdom') as typeof JsdomModule;
  // A virtual console with no listeners: the library never prints.
  const dom = new JSDOM(text, { virtualConsole: new VirtualConsole() });
  return { document: dom.window.document, close: () => dom.window.close() };
}

/** Text with HTML whitespace (and no-break spaces) folded to single spaces, trimmed. */
export function foldSpace(text: string): string {
  return text.replace(/[ \t\n\r\f\u00a0]+/g, ' ').trim();
}

/** An element's text, whitespace folded; '' for null. */
export function textOf(el: Element | null | undefined): string {
  return el ? foldSpace(el.textContent ?? '') : '';
}

/** The page's `<title>`, whitespace folded (undefined when missing or empty). */
export function pageTitle(doc: Document): string | undefined {
  return textOf(doc.querySelector('title')) || undefined;
}

/**
 * The content of the first non-empty `<meta>` whose `name`, `property` or `itemprop` is one of
 * `names` (compared case-insensitively: `DC.creator`, `dcterms.title`, `og:title`, `author` …).
 */
export function metaContent(doc: Document, ...names: string[]): string | undefined {
  const wanted = names.map((n) => n.toLowerCase());
  const metas = Array.from(doc.querySelectorAll('meta'));
  for (const name of wanted) {
    for (const m of metas) {
      const key = (m.getAttribute('name') ?? m.getAttribute('property') ?? m.getAttribute('itemprop') ?? '').toLowerCase();
      if (key !== name) continue;
      const v = foldSpace(m.getAttribute('content') ?? '');
      if (v) return v;
    }
  }
  return undefined;
}

// Names of hosting sites that page titles end (or start) with.
const KNOWN_SITES = [
  'FanFiction', 'FanFiction.Net', 'FictionPress', 'Archive of Our Own', 'AO3', 'LiveJournal', 'Dreamwidth',
  'InsaneJournal', 'JournalFen', 'Tumblr', 'WordPress', 'WordPress.com', 'Blogger', 'Blogspot', 'Wattpad',
  'Quotev', 'Wix', 'Medium', 'Substack', 'Squidge.org', 'Twisting the Hellmouth', 'SpaceBattles', 'Sufficient Velocity',
];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A page title without the hosting site's part: `, a Harry Potter fanfic | FanFiction`,
 * ` [Archive of Our Own]`, ` | Site`, ` - Site`, ` — Site` or `Site: ` where Site is a known
 * host or one of `siteNames` (e.g. `og:site_name`). A ` | tail` of up to 40 characters goes too.
 * Returns the title unchanged when stripping would leave nothing.
 */
export function stripSiteSuffix(title: string, siteNames: string[] = []): string {
  let t = foldSpace(title);
  const before = t;
  t = t.replace(/,\s+an?\s+[^,|]{1,120}?\s+(?:fanfic|fiction)\s*\|\s*(?:FanFiction|FictionPress)\s*$/i, '');
  t = t.replace(/\s*\|\s*(?:FanFiction|FictionPress)\s*$/i, '');
  t = t.replace(/\s*\[Archive of Our Own\]\s*$/i, '');
  const names = [...siteNames.filter((n) => n.trim()), ...KNOWN_SITES].map((n) => escapeRegExp(foldSpace(n)));
  const sites = `(?:${names.join('|')})`;
  for (let i = 0; i < 3; i++) {
    const next = t
      .replace(new RegExp(`\\s*(?:\\||[-–—:»«·•]|::)\\s*${sites}\\s*$`, 'i'), '')
      .replace(new RegExp(`^\\s*${sites}\\s*(?:\\||[-–—:»«·•]|::)\\s*`, 'i'), '');
    if (next === t) break;
    t = next;
  }
  const pipe = /^(.+?)\s+\|\s+[^|]{1,40}$/.exec(t);
  if (pipe) t = pipe[1]!;
  t = t.trim();
  return t || before;
}

// ───────────────────────────── sanitizing ─────────────────────────────

/** What was taken out of the story markup for being active or unsafe (see `unsafeDiagnostic`). */
export interface UnsafeTally {
  scripts: number;
  styles: number;
  frames: number;
  embeds: number;
  forms: number;
  handlers: number;
  scriptUrls: number;
  cssUrls: number;
  /** `<img>` elements: never loaded (unless allowed, see `sink`); their alt text is kept. */
  images: number;
  /** With `--images`: takes pictures beside the input into the story. */
  sink?: ImageSink;
}

/** The tally for reading one page: with `options.images`, it also takes the pictures beside it. */
export function pageTally(path: string, options: { images?: boolean }): UnsafeTally {
  return newTally(options.images ? imageSink(path) : undefined);
}

/** A tally with nothing counted yet. */
export function newTally(sink?: ImageSink): UnsafeTally {
  return { scripts: 0, styles: 0, frames: 0, embeds: 0, forms: 0, handlers: 0, scriptUrls: 0, cssUrls: 0, images: 0, ...(sink ? { sink } : {}) };
}

const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'data', 'background', 'poster', 'xlink:href'];

/** Count what the sanitizer is about to drop from `el` (for the read-008 message). */
export function tallyUnsafe(el: Element, tally: UnsafeTally): void {
  const all = [el, ...Array.from(el.querySelectorAll('*'))];
  for (const e of all) {
    const tag = e.localName;
    if (tag === 'script' || tag === 'noscript') tally.scripts++;
    else if (tag === 'style' || tag === 'link' || tag === 'meta' || tag === 'base') tally.styles++;
    else if (tag === 'iframe' || tag === 'frame' || tag === 'frameset') tally.frames++;
    else if (tag === 'object' || tag === 'embed' || tag === 'applet' || tag === 'svg' || tag === 'video' || tag === 'audio' || tag === 'canvas') tally.embeds++;
    else if (tag === 'form' || tag === 'input' || tag === 'button' || tag === 'select' || tag === 'textarea') tally.forms++;
    else if (tag === 'img' || tag === 'picture') tally.images++;
    for (const a of Array.from(e.attributes)) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on')) tally.handlers++;
      else if (URL_ATTRIBUTES.includes(name) && /^\s*(?:javascript|vbscript|data)\s*:/i.test(a.value)) tally.scriptUrls++;
      else if (name === 'style' && /url\s*\(|expression\s*\(/i.test(a.value)) tally.cssUrls++;
    }
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The read-008 note for a tally, or undefined when nothing was removed. */
export function unsafeDiagnostic(tally: UnsafeTally, path?: string): Diagnostic | undefined {
  const parts: string[] = [];
  if (tally.scripts) parts.push(plural(tally.scripts, 'script'));
  if (tally.styles) parts.push(plural(tally.styles, 'style or link element'));
  if (tally.frames) parts.push(plural(tally.frames, 'frame'));
  if (tally.embeds) parts.push(plural(tally.embeds, 'embedded object'));
  if (tally.forms) parts.push(plural(tally.forms, 'form control'));
  if (tally.handlers) parts.push(plural(tally.handlers, 'event handler'));
  if (tally.scriptUrls) parts.push(plural(tally.scriptUrls, 'script URL'));
  if (tally.cssUrls) parts.push(plural(tally.cssUrls, 'CSS url()', 'CSS url()s'));
  const notLoaded = Math.max(0, tally.images - (tally.sink?.accepted ?? 0));
  const images = notLoaded ? `${plural(notLoaded, 'image')} not loaded (alt text kept)` : '';
  if (!parts.length && !images) return undefined;
  const removed = parts.length ? `removed from the story text: ${parts.join(', ')}` : '';
  return info('read-008', [removed, images].filter(Boolean).join('; '), path);
}

// Tags kept by the sanitizer; everything else is dropped (its text kept, except NON_TEXT_TAGS).
const ALLOWED_TAGS = [
  'p', 'br', 'em', 'i', 'strong', 'b', 'u', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'div', 'span',
  'center', 'ul', 'ol', 'li', 'a', 'img', 'cite', 'q', 's', 'strike', 'del', 'ins', 'sub', 'sup', 'small', 'big',
  'font', 'abbr', 'acronym', 'code', 'kbd', 'tt', 'samp', 'pre', 'dl', 'dt', 'dd', 'table', 'thead', 'tbody', 'tfoot',
  'tr', 'td', 'th', 'caption', 'section', 'article', 'figure', 'figcaption', 'address', 'mark', 'var', 'dfn', 'time',
  'bdi', 'bdo', 'wbr',
];

// Dropped together with their content: code, styles, frames, embedded media, forms, page chrome.
const NON_TEXT_TAGS = [
  'script', 'style', 'textarea', 'option', 'xmp', 'noscript', 'title', 'head', 'iframe', 'frame', 'frameset',
  'noframes', 'object', 'embed', 'applet', 'noembed', 'form', 'select', 'button', 'datalist', 'svg', 'math',
  'template', 'canvas', 'audio', 'video', 'map', 'nav', 'aside', 'dialog', 'plaintext', 'picture', 'source',
];

// Attributes kept: alignment (read from `align` or `text-align`), alt text, list start, and an
// image's relative `src` when pictures are allowed (resolved later, beside the input only).
function transformTag(tagName: string, attribs: SanitizeHtml.Attributes, keepImageSrc = false): SanitizeHtml.Tag {
  const style = attribs.style ?? '';
  const centred = /^\s*center\s*$/i.test(attribs.align ?? '') || /text-align\s*:\s*center/i.test(style);
  let name = tagName;
  if (name === 'span' || name === 'font') {
    // Word and journal editors mark emphasis with inline styles.
    if (/font-style\s*:\s*italic/i.test(style) || /text-decoration[^;]*underline/i.test(style)) name = 'em';
    else if (/font-weight\s*:\s*(?:bold|[6-9]00)/i.test(style)) name = 'strong';
  }
  const out: SanitizeHtml.Attributes = {};
  if (centred) out.align = 'center';
  if (name === 'img' && attribs.alt) out.alt = attribs.alt;
  if (name === 'img' && keepImageSrc && attribs.src) out.src = attribs.src;
  if (name === 'ol' && /^\d{1,6}$/.test(attribs.start ?? '')) out.start = attribs.start!;
  return { tagName: name, attribs: out };
}

/** Story markup through the allow-list: no scripts, styles, frames, forms, handlers or URLs. */
export function sanitizeStoryHtml(html: string, keepImageSrc = false): string {
  const sanitize = load('sanitize-html') as typeof SanitizeHtml;
  return sanitize(html, {
    allowedTags: ALLOWED_TAGS,
    // With no schemes allowed, only relative image paths survive; they are checked again on use.
    allowedAttributes: { '*': ['align'], img: keepImageSrc ? ['alt', 'src'] : ['alt'], ol: ['start'] },
    allowedSchemes: [],
    allowedSchemesByTag: {},
    allowProtocolRelative: false,
    nonTextTags: NON_TEXT_TAGS,
    disallowedTagsMode: 'discard',
    transformTags: { '*': (tag, attribs) => transformTag(tag, attribs, keepImageSrc) },
  });
}

// ───────────────────────────── markup → blocks ─────────────────────────────

type Mark = 'em' | 'strong';

interface Seg {
  text: string;
  marks: Mark[];
}

/** Blocks, plus the gap an empty paragraph (`<p>&nbsp;</p>`) leaves, resolved later. */
type Item = Block | { kind: 'gap' };

const BLOCK_TAGS = new Set([
  'p', 'div', 'center', 'section', 'article', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'ul', 'ol',
  'li', 'pre', 'dl', 'dt', 'dd', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption', 'figure',
  'figcaption', 'address', 'main', 'header', 'footer',
]);
const EM_TAGS = new Set(['em', 'i', 'u', 'cite', 'dfn', 'var']);
const STRONG_TAGS = new Set(['strong', 'b']);

/** Options for `htmlBlocks`. */
export interface HtmlBlockOptions {
  /** Filled with the level (1–6) of every heading block made, for chapter detection. */
  headingLevels?: Map<Block, number>;
}

interface Ctx {
  align?: 'center';
  levels?: Map<Block, number>;
  images?: ImageSink;
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

function hasBlockDescendant(el: Element): boolean {
  for (const d of Array.from(el.querySelectorAll('*'))) if (BLOCK_TAGS.has(d.localName)) return true;
  return false;
}

/** Walk inline content into lines (a `<br>` ends a line). `pre` keeps newlines as line ends. */
function inlineLines(nodes: Node[], pre = false): Seg[][] {
  const lines: Seg[][] = [[]];
  const walk = (node: Node, marks: Mark[]): void => {
    if (node.nodeType === 3) {
      const text = (node as Text).data;
      if (pre) {
        const parts = text.split('\n');
        parts.forEach((p, i) => {
          if (i > 0) lines.push([]);
          if (p) lines[lines.length - 1]!.push({ text: p, marks });
        });
      } else lines[lines.length - 1]!.push({ text, marks });
      return;
    }
    if (!isElement(node)) return;
    const tag = node.localName;
    if (tag === 'br') {
      lines.push([]);
      return;
    }
    if (tag === 'img') {
      const alt = foldSpace(node.getAttribute('alt') ?? '');
      if (alt) lines[lines.length - 1]!.push({ text: ` [${alt}] `, marks });
      return;
    }
    let next = marks;
    if (EM_TAGS.has(tag) && !marks.includes('em')) next = [...marks, 'em'];
    else if (STRONG_TAGS.has(tag) && !marks.includes('strong')) next = [...marks, 'strong'];
    if (BLOCK_TAGS.has(tag)) lines.push([]);
    for (const c of Array.from(node.childNodes)) walk(c, next);
    if (BLOCK_TAGS.has(tag)) lines.push([]);
  };
  for (const n of nodes) walk(n, []);
  return lines;
}

/** Fold whitespace across a line's segments and trim its ends; drops empty segments. */
function foldLine(segs: Seg[], pre = false): Seg[] {
  const out: Seg[] = [];
  let spaceBefore = true; // at line start, leading space is dropped
  for (const s of segs) {
    let t = pre ? s.text.replace(/\t/g, '    ').replace(/\u00a0/g, ' ') : s.text.replace(/[ \t\n\r\f\u00a0]+/g, ' ');
    if (!pre && spaceBefore) t = t.replace(/^ /, '');
    if (!t) continue;
    spaceBefore = t.endsWith(' ');
    out.push({ text: t, marks: s.marks });
  }
  // Trim the end.
  while (out.length) {
    const last = out[out.length - 1]!;
    const t = last.text.replace(/\s+$/, '');
    if (t) {
      last.text = t;
      break;
    }
    out.pop();
  }
  if (out.length) out[0]!.text = out[0]!.text.replace(/^\s+/, '');
  return out.filter((s) => s.text.length > 0);
}

/** Segments → Inline[]: runs sharing their outermost mark become one emphasis node. */
function segsToInlines(segs: Seg[], depth = 0): Inline[] {
  const out: Inline[] = [];
  let i = 0;
  while (i < segs.length) {
    const mark = segs[i]!.marks[depth];
    if (mark === undefined) {
      const last = out[out.length - 1];
      if (typeof last === 'string') out[out.length - 1] = last + segs[i]!.text;
      else out.push(segs[i]!.text);
      i++;
      continue;
    }
    let j = i;
    while (j < segs.length && segs[j]!.marks[depth] === mark) j++;
    out.push({ kind: mark, content: segsToInlines(segs.slice(i, j), depth + 1) });
    i = j;
  }
  return out;
}

function lineText(segs: Seg[]): string {
  return segs.map((s) => s.text).join('');
}

// Centred runs of o/x and separator marks ("oOoOo", "xXx", "-x-x-") and centred lone symbols
// ("~", "*", "§") are scene breaks on sites that strip asterisk lines; uncentred, "xXx" is a word.
const CENTRED_SEPARATOR = /^[oOxX0\-~=*._+•·:]{3,}$/;

function paragraphOf(segs: Seg[], align: 'center' | undefined): Block {
  const text = lineText(segs);
  const compact = text.replace(/\s+/g, '');
  if (isSceneBreakLine(text) || (align === 'center' && (CENTRED_SEPARATOR.test(compact) || /^[^\p{L}\p{N}]{1,12}$/u.test(compact)))) return { kind: 'break' };
  const p: Paragraph = { kind: 'p', content: segsToInlines(segs) };
  if (align) p.align = align;
  return p;
}

/**
 * A run of inline content (text, emphasis, `<br>`s) → blocks. `<br><br>` separates paragraphs;
 * lines joined by single `<br>`s are verse when mostly short, else one paragraph each; a wider
 * gap (three or more `<br>`s) is a scene break when double `<br>`s are the usual separator.
 */
function runToItems(nodes: Node[], ctx: Ctx): Item[] {
  const raw = inlineLines(nodes).map((l) => foldLine(l));
  const content: { idx: number; segs: Seg[] }[] = [];
  raw.forEach((segs, idx) => {
    if (segs.length) content.push({ idx, segs });
  });
  if (!content.length) return raw.length > 1 ? [{ kind: 'gap' }] : [];
  const gaps: number[] = [];
  for (let k = 1; k < content.length; k++) gaps.push(content[k]!.idx - content[k - 1]!.idx);
  const wide = gaps.filter((g) => g >= 2);
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

function alignOf(el: Element): 'center' | undefined {
  return el.localName === 'center' || el.getAttribute('align') === 'center' ? 'center' : undefined;
}

function isEmptyParagraph(el: Element): boolean {
  if (foldSpace(el.textContent ?? '') !== '' || el.querySelector('img[alt]')) return false;
  if (el.localName === 'p') return true;
  // An empty `<div>` is layout; one holding a no-break space or a `<br>` is a blank line.
  return /\u00a0/.test(el.textContent ?? '') || el.querySelector('br') !== null;
}

function headingOf(el: Element, ctx: Ctx): Item[] {
  const segs = foldLine(inlineLines(Array.from(el.childNodes)).flatMap((l, i) => (i > 0 ? [{ text: ' ', marks: [] }, ...l] : l)));
  const text = lineText(segs);
  if (!text) return [];
  if (isSceneBreakLine(text)) return [{ kind: 'break' }];
  const h: Block = { kind: 'heading', content: segsToInlines(segs) };
  ctx.levels?.set(h, Number(el.localName.slice(1)));
  return [h];
}

function elementToItems(el: Element, ctx: Ctx): Item[] {
  const tag = el.localName;
  switch (tag) {
    case 'hr':
      return [{ kind: 'break' }];
    case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6':
      return headingOf(el, ctx);
    case 'blockquote': {
      const blocks = resolveItems(containerItems(el, ctx));
      return blocks.length ? [{ kind: 'quote', blocks }] : [];
    }
    case 'pre': {
      const lines = inlineLines(Array.from(el.childNodes), true).map((l) => foldLine(l, true));
      while (lines.length && !lines[0]!.length) lines.shift();
      while (lines.length && !lines[lines.length - 1]!.length) lines.pop();
      return lines.length ? [{ kind: 'verse', lines: lines.map((l) => segsToInlines(l)) }] : [];
    }
    case 'ul': case 'ol': {
      const out: Item[] = [];
      let n = tag === 'ol' ? Number(el.getAttribute('start') ?? '1') : 0;
      for (const child of Array.from(el.childNodes)) {
        if (isElement(child) && child.localName === 'li') {
          const items = containerItems(child, ctx).filter((b) => b.kind !== 'gap');
          const first = items[0];
          // Numbers of an ordered list are content ("3. Buy eggs"); bullets are not.
          if (tag === 'ol' && first && first.kind === 'p') {
            if (typeof first.content[0] === 'string') first.content[0] = `${n}. ${first.content[0]}`;
            else first.content.unshift(`${n}. `);
          }
          if (tag === 'ol') n++;
          out.push(...items);
        } else out.push(...nodesItems([child], ctx));
      }
      return out;
    }
    default: {
      const align = alignOf(el) ?? ctx.align;
      const items = containerItems(el, { ...ctx, align });
      if ((tag === 'p' || tag === 'div') && !items.some((i) => i.kind !== 'gap') && isEmptyParagraph(el)) return [{ kind: 'gap' }];
      return items;
    }
  }
}

/** The children of a container → items. */
function containerItems(parent: ParentNode, ctx: Ctx): Item[] {
  return nodesItems(Array.from(parent.childNodes), ctx);
}

/** Sibling nodes → items; block elements are handled apart, the rest as runs of inline content. */
function nodesItems(nodes: Node[], ctx: Ctx): Item[] {
  const out: Item[] = [];
  let run: Node[] = [];
  const flush = (): void => {
    if (run.length) out.push(...runToItems(run, ctx));
    run = [];
  };
  for (const child of nodes) {
    const figure = isElement(child) ? figureOf(child, ctx) : undefined;
    if (figure) {
      flush();
      out.push(figure);
    } else if (isElement(child) && (BLOCK_TAGS.has(child.localName) || hasBlockDescendant(child) || (ctx.images !== undefined && child.querySelector('img[src]') !== null))) {
      flush();
      if (BLOCK_TAGS.has(child.localName)) out.push(...elementToItems(child, ctx));
      else out.push(...containerItems(child, ctx)); // an inline element holding blocks: transparent
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
  if (ps.length >= 4 && centred > ps.length * 0.5) for (const p of ps) delete p.align;
}

/**
 * Story markup (an element of a parsed page) → Blocks: counted into `tally`, sanitized through
 * the allow-list, then paragraphs, emphasis, scene breaks (`<hr>`, separator lines, rare empty
 * paragraphs), quotes, verse and headings. `null` gives no blocks.
 */
export function htmlBlocks(el: Element | null | undefined, tally: UnsafeTally, opts: HtmlBlockOptions = {}): Block[] {
  if (!el) return [];
  tallyUnsafe(el, tally);
  const clean = sanitizeStoryHtml(el.innerHTML, tally.sink !== undefined);
  // A document parse, not a fragment one: jsdom's fragment parsing (innerHTML) is quadratic.
  const view = el.ownerDocument.defaultView;
  if (!view) throw new Error('htmlBlocks needs an element of an open page');
  const body = new view.DOMParser().parseFromString(`<!DOCTYPE html><html><body>${clean}</body></html>`, 'text/html').body;
  const blocks = resolveItems(containerItems(body, { levels: opts.headingLevels, ...(tally.sink ? { images: tally.sink } : {}) }));
  dropBlanketCentring(blocks);
  return blocks;
}

// ───────────────────────────── the frame of every HTML reader ─────────────────────────────

/**
 * The end of every HTML reader: move end marks ("The End") off the last chapter into
 * `story.end`, report what the sanitizer dropped (read-008), and return the result.
 * Call after the page is closed; the story holds plain data only.
 */
export function finishPageRead(story: Story, diagnostics: Diagnostic[], tally: UnsafeTally, path: string, endMarks = true): ReadResult {
  const last = story.chapters[story.chapters.length - 1];
  if (endMarks && last) story.end = takeEndMarks(last.sections[0]!.blocks);
  const unsafe = unsafeDiagnostic(tally, path);
  if (unsafe) diagnostics.push(unsafe);
  if (tally.sink?.images.length) story.images = tally.sink.images;
  return { story, diagnostics };
}

/**
 * The frame of every HTML reader: an empty story of `format`, the page parsed (and always
 * closed), `fill` reading the story from the document, then the common ending.
 */
export function readHtmlStory(
  input: TextInput,
  options: { images?: boolean },
  format: string,
  fill: (doc: Document, story: Story, diagnostics: Diagnostic[], tally: UnsafeTally) => void,
  endMarks = true,
): ReadResult {
  const story = emptyStory(input.path, format, input.encoding);
  const diagnostics: Diagnostic[] = [];
  const tally = pageTally(input.path, options);
  const page = parseHtmlPage(input.text);
  try {
    fill(page.document, story, diagnostics, tally);
  } finally {
    page.close();
  }
  return finishPageRead(story, diagnostics, tally, input.path, endMarks);
}

/** Paragraph blocks holding one plain string each, from texts (skipping blank ones). */
export function textBlocks(texts: string[]): Block[] {
  return texts.map(foldSpace).filter(Boolean).map((t) => ({ kind: 'p', content: [t] }));
}

/** A diagnostic note that a saved page held only part of a story. */
export function partialPage(message: string, path?: string): Diagnostic {
  return warning('read-009', message, path);
}
