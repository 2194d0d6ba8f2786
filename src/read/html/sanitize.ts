/**
 * The allow-list every piece of story markup goes through (sanitize-html), and the tally of what
 * it takes out: active or unsafe markup for the read-008 note, and what the book cannot carry
 * (pictures, embedded media, colours and fonts) for the fidelity report.
 *
 * Nothing a page names is ever fetched: the sanitizer keeps an `href` only for links (and only
 * http, https, mailto or a place inside the page, which the block reader turns into text), no
 * `src` (except, with `--images`, a relative picture path checked again on use) and no `style`;
 * what a style says that the book can carry (italics, bold, small caps, alignment) is read
 * first and kept as our own attributes.
 *
 * Pages go through `sanitizeStoryTree` (tree to tree, no markup in between); `sanitizeStoryHtml`
 * is the same allow-list for markup (sanitize-html, loaded on first use), and the reference the
 * tree copy is tested against.
 */
import { createRequire } from 'node:module';
import type SanitizeHtml from 'sanitize-html';
import { type Diagnostic, info } from '../../diagnostics.js';
import { lose, newLosses, type Losses } from '../fidelity.js';
import type { ImageSink } from '../images.js';
import type { Footnote } from '../../model.js';
import { HTML_NS, LiteElement, LiteText, type LiteChild } from './dom.js';

const load = createRequire(import.meta.url);

/** What was taken out of one page's story markup, and what the page could not give the book. */
export interface UnsafeTally {
  scripts: number;
  styles: number;
  frames: number;
  forms: number;
  handlers: number;
  scriptUrls: number;
  cssUrls: number;
  /** `<img>` elements: never loaded (unless allowed, see `sink`); their alt text is kept. */
  images: number;
  /** The fidelity report of the page (fid-*): what was dropped or approximated. */
  losses: Losses;
  /** The page's footnotes, taken out of it before its text is read (see `takeFootnotes`). */
  footnotes: Footnote[];
  /** With `--images`: takes pictures beside the input into the story. */
  sink?: ImageSink;
}

/** A tally with nothing counted yet. */
export function newTally(sink?: ImageSink): UnsafeTally {
  return { scripts: 0, styles: 0, frames: 0, forms: 0, handlers: 0, scriptUrls: 0, cssUrls: 0, images: 0, losses: newLosses(), footnotes: [], ...(sink ? { sink } : {}) };
}

const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'data', 'background', 'poster', 'xlink:href'];

// Embedded media: the book has no place for them (fid-008).
const MEDIA_TAGS = new Set(['video', 'audio', 'object', 'embed', 'applet', 'iframe', 'canvas', 'svg']);

// Style properties a book does not carry over from a page: colours, fonts, sizes, positions (fid-002).
const DROPPED_STYLE = /(?:^|;)\s*(?:color|background(?:-color|-image)?|font-family|font-size|font|position|float|top|left)\s*:/i;

/** Whether `el` carries styling that the book drops (a coloured, sized or placed element). */
function droppedStyling(el: Element): boolean {
  if (DROPPED_STYLE.test(el.getAttribute('style') ?? '')) return true;
  if (el.hasAttribute('bgcolor')) return true;
  return el.localName === 'font' && (el.hasAttribute('color') || el.hasAttribute('face') || el.hasAttribute('size'));
}

/** Count what the sanitizer is about to drop from `el`: read-008 and the fidelity report. */
export function tallyUnsafe(el: Element, tally: UnsafeTally): void {
  countElement(el, false, tally);
}

// One walk down the tree: `insideMedia` says a media element (`el` itself included) holds `e`.
function countElement(e: Element, insideMedia: boolean, tally: UnsafeTally): void {
  const tag = e.localName;
  if (tag === 'script' || tag === 'noscript') tally.scripts++;
  else if (tag === 'style' || tag === 'link' || tag === 'meta' || tag === 'base') tally.styles++;
  else if (tag === 'frame' || tag === 'frameset') tally.frames++;
  else if (MEDIA_TAGS.has(tag)) {
    if (!insideMedia) lose(tally.losses, 'fid-008', 1, tag);
  } else if (tag === 'form' || tag === 'input' || tag === 'button' || tag === 'select' || tag === 'textarea') tally.forms++;
  else if (tag === 'img' || tag === 'picture') tally.images++;
  // Most story elements have no attributes at all (and so nothing to count).
  const attributes = e.hasAttributes() ? Array.from(e.attributes) : [];
  if (!insideMedia && attributes.length && droppedStyling(e)) lose(tally.losses, 'fid-002', 1, tag);
  for (const a of attributes) {
    const name = a.name.toLowerCase();
    if (name.startsWith('on')) tally.handlers++;
    else if (URL_ATTRIBUTES.includes(name) && /^\s*(?:javascript|vbscript|data)\s*:/i.test(a.value)) tally.scriptUrls++;
    else if (name === 'style' && /url\s*\(|expression\s*\(/i.test(a.value)) tally.cssUrls++;
  }
  const inside = insideMedia || MEDIA_TAGS.has(tag);
  for (const c of e.childNodes) if (c.nodeType === 1) countElement(c as Element, inside, tally);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The read-008 note for a tally, or undefined when nothing active or unsafe was removed. */
export function unsafeDiagnostic(tally: UnsafeTally, path?: string): Diagnostic | undefined {
  const parts: string[] = [];
  if (tally.scripts) parts.push(plural(tally.scripts, 'script'));
  if (tally.styles) parts.push(plural(tally.styles, 'style or link element'));
  if (tally.frames) parts.push(plural(tally.frames, 'frame'));
  if (tally.forms) parts.push(plural(tally.forms, 'form control'));
  if (tally.handlers) parts.push(plural(tally.handlers, 'event handler'));
  if (tally.scriptUrls) parts.push(plural(tally.scriptUrls, 'script URL'));
  if (tally.cssUrls) parts.push(plural(tally.cssUrls, 'CSS url()', 'CSS url()s'));
  if (!parts.length) return undefined;
  return info('read-008', `removed from the story text: ${parts.join(', ')}`, path);
}

/** Count the pictures that did not go into the book (fid-001); call once, when the page is read. */
export function losePictures(tally: UnsafeTally): void {
  lose(tally.losses, 'fid-001', Math.max(0, tally.images - (tally.sink?.accepted ?? 0)));
}

/** Our own attribute on sanitized markup: what a style said that the book keeps (`em strong smallcaps` …). */
export const STYLE_ATTRIBUTE = 'data-f2e-style';
/** Our own attribute on a footnote reference (set by `takeFootnotes`): the footnote's id. */
export const NOTE_ATTRIBUTE = 'data-f2e-note';

// Tags kept by the sanitizer; everything else is dropped (its text kept, except NON_TEXT_TAGS).
const ALLOWED_TAGS = [
  'p', 'br', 'em', 'i', 'strong', 'b', 'u', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'div', 'span',
  'center', 'ul', 'ol', 'li', 'a', 'img', 'cite', 'q', 's', 'strike', 'del', 'ins', 'sub', 'sup', 'small', 'big',
  'font', 'abbr', 'acronym', 'code', 'kbd', 'tt', 'samp', 'pre', 'dl', 'dt', 'dd', 'table', 'thead', 'tbody', 'tfoot',
  'tr', 'td', 'th', 'caption', 'section', 'article', 'figure', 'figcaption', 'address', 'mark', 'var', 'dfn', 'time',
  'bdi', 'bdo', 'wbr', 'ruby', 'rb', 'rt', 'rtc',
];

// Dropped together with their content: code, styles, frames, embedded media, forms, page chrome,
// and ruby's fallback parentheses (the book writes its own).
const NON_TEXT_TAGS = [
  'script', 'style', 'textarea', 'option', 'xmp', 'noscript', 'title', 'head', 'iframe', 'frame', 'frameset',
  'noframes', 'object', 'embed', 'applet', 'noembed', 'form', 'select', 'button', 'datalist', 'svg', 'math',
  'template', 'canvas', 'audio', 'video', 'map', 'nav', 'aside', 'dialog', 'plaintext', 'picture', 'source', 'rp',
];

// The alignment an element asks for (`align` or `text-align`): centred or right-aligned.
function alignOfAttributes(attribs: Record<string, string | undefined>): 'center' | 'right' | undefined {
  const a = /^\s*(center|right)\s*$/i.exec(attribs.align ?? '')?.[1] ?? /text-align\s*:\s*(center|right)\b/i.exec(attribs.style ?? '')?.[1];
  return a ? (a.toLowerCase() as 'center' | 'right') : undefined;
}

/** What an inline style says that the book keeps: italics, bold, underline, strike, small caps. */
function styleMarks(style: string): string[] {
  const marks: string[] = [];
  if (/font-style\s*:\s*(?:italic|oblique)/i.test(style)) marks.push('em');
  if (/font-weight\s*:\s*(?:bold|bolder|[6-9]00)/i.test(style)) marks.push('strong');
  if (/text-decoration[^;]*underline/i.test(style)) marks.push('underline');
  if (/text-decoration[^;]*line-through/i.test(style)) marks.push('strike');
  if (/font-variant(?:-caps)?\s*:\s*(?:small-caps|all-small-caps)/i.test(style)) marks.push('smallcaps');
  return marks;
}

const SPAN = /^\d{1,3}$/;

// Attributes are rebuilt from scratch, so a page's own attributes (ours included) never pass:
// alignment, alt text, list start, cell spans, link targets, the marks a style gave, note ids,
// and an image's relative `src` when pictures are allowed (resolved later, beside the input only).
function transformTag(tagName: string, attribs: SanitizeHtml.Attributes, keepImageSrc = false): SanitizeHtml.Tag {
  const out: SanitizeHtml.Attributes = {};
  const align = alignOfAttributes(attribs);
  if (align) out.align = align;
  const marks = styleMarks(attribs.style ?? '');
  // Small caps are as often a class as a style ("smallcaps", "small-caps").
  if (/\bsmall-?caps\b/i.test(attribs.class ?? '') && !marks.includes('smallcaps')) marks.push('smallcaps');
  if (marks.length) out[STYLE_ATTRIBUTE] = marks.join(' ');
  if (attribs[NOTE_ATTRIBUTE]) out[NOTE_ATTRIBUTE] = attribs[NOTE_ATTRIBUTE];
  if (tagName === 'img' && attribs.alt) out.alt = attribs.alt;
  if (tagName === 'img' && keepImageSrc && attribs.src) out.src = attribs.src;
  if (tagName === 'ol' && /^\d{1,6}$/.test(attribs.start ?? '')) out.start = attribs.start!;
  if (tagName === 'td' || tagName === 'th') {
    if (SPAN.test(attribs.colspan ?? '')) out.colspan = attribs.colspan!;
    if (SPAN.test(attribs.rowspan ?? '')) out.rowspan = attribs.rowspan!;
  }
  if (tagName === 'a' && attribs.href) out.href = attribs.href;
  return { tagName, attribs: out };
}

/** Story markup through the allow-list: no scripts, styles, frames, forms, handlers or fetchable URLs. */
export function sanitizeStoryHtml(html: string, keepImageSrc = false): string {
  const sanitize = load('sanitize-html') as typeof SanitizeHtml;
  const ours = ['align', STYLE_ATTRIBUTE, NOTE_ATTRIBUTE];
  return sanitize(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: { '*': ours, img: keepImageSrc ? [...ours, 'alt', 'src'] : [...ours, 'alt'], ol: [...ours, 'start'], td: [...ours, 'colspan', 'rowspan'], th: [...ours, 'colspan', 'rowspan'], a: [...ours, 'href'] },
    // Links may leave the book for the web or mail; pictures only by a relative path, checked again on use.
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: [] },
    allowProtocolRelative: false,
    nonTextTags: NON_TEXT_TAGS,
    disallowedTagsMode: 'discard',
    transformTags: { '*': (tag, attribs) => transformTag(tag, attribs, keepImageSrc) },
  });
}

const ALLOWED = new Set(ALLOWED_TAGS);
const NON_TEXT = new Set(NON_TEXT_TAGS);
const LINK_SCHEMES = ['http', 'https', 'mailto'];

/** Whether a URL names a scheme outside `schemes`, or is protocol-relative (`//host`). */
function foreignUrl(url: string, schemes: string[]): boolean {
  // Browsers ignore control characters and spaces in a scheme, and comments, so they go first.
  let u = url.replace(/[\x00-\x20]+/g, '');
  for (let open = u.indexOf('<!--'); open !== -1; open = u.indexOf('<!--')) {
    const close = u.indexOf('-->', open + 4);
    if (close === -1) break;
    u = u.slice(0, open) + u.slice(close + 3);
  }
  const scheme = /^([a-zA-Z][a-zA-Z0-9.\-+]*):/.exec(u)?.[1];
  if (!scheme) return /^[/\\]{2}/.test(u);
  return !schemes.includes(scheme.toLowerCase());
}

// Text as a parser reads it back: line ends are line feeds.
const lineFeeds = (s: string): string => (s.includes('\r') ? s.replace(/\r\n?/g, '\n') : s);

function appendText(to: LiteElement, text: string): void {
  if (!text) return;
  const last = to.childNodes[to.childNodes.length - 1];
  if (last instanceof LiteText) last.value += text;
  else to.appendChild(new LiteText(text));
}

// Most story elements (`<p>`, `<em>`) have no attributes, and so nothing to keep.
function keptAttributes(c: LiteElement, tag: string, keepImageSrc: boolean): { name: string; value: string }[] {
  const attribs: SanitizeHtml.Attributes = {};
  for (const a of c.attributes) attribs[a.name] ??= a.value;
  const kept = transformTag(tag, attribs, keepImageSrc).attribs;
  if (kept.href !== undefined && foreignUrl(kept.href, LINK_SCHEMES)) delete kept.href;
  if (kept.src !== undefined && foreignUrl(kept.src, [])) delete kept.src;
  return Object.entries(kept).map(([name, value]) => ({ name, value: lineFeeds(value) }));
}

function sanitizeInto(from: LiteElement, to: LiteElement, keepImageSrc: boolean): void {
  for (const c of from.childNodes) sanitizeNodeInto(c, to, keepImageSrc);
}

function sanitizeNodeInto(c: LiteChild, to: LiteElement, keepImageSrc: boolean): void {
  if (c instanceof LiteText) {
    appendText(to, lineFeeds(c.value));
    return;
  }
  if (!(c instanceof LiteElement)) return; // comments, doctypes
  const tag = c.tagName.toLowerCase();
  if (NON_TEXT.has(tag)) return;
  if (!ALLOWED.has(tag)) {
    sanitizeInto(c, to, keepImageSrc);
    return;
  }
  const el = new LiteElement(tag, HTML_NS, c.attrs.length ? keptAttributes(c, tag, keepImageSrc) : []);
  to.appendChild(el);
  sanitizeInto(c, el, keepImageSrc);
  // A parser drops the line feed that opens a `<pre>`.
  const first = el.childNodes[0];
  if (tag === 'pre' && first instanceof LiteText && first.value.startsWith('\n')) {
    first.value = first.value.slice(1);
    if (!first.value) first.remove();
  }
}

/**
 * What `sanitizeStoryTree` gives, for reading only: a new `<div>` whose children are `el`'s own
 * where the copy would be the same (allowed elements without attributes holding only such, and
 * plain text) and copies of the rest. A long page's paragraphs mostly are plain: they are read
 * in place, not copied. The `<div>` is a view: its shared children keep `el` as their parent, so
 * it is read from the top down and never changed. When `el`'s own children are anything else
 * (text beside text, a comment, a dropped or unwrapped element) the whole content is copied.
 */
export function sanitizedStoryView(el: Element, keepImageSrc = false): Element {
  const from = el as unknown as LiteElement;
  const kids: LiteChild[] = [];
  let textBefore = false;
  for (const c of from.childNodes) {
    if (c instanceof LiteText && !textBefore && !c.value.includes('\r')) {
      kids.push(c);
      textBefore = true;
      continue;
    }
    if (!(c instanceof LiteElement) || !ALLOWED.has(c.tagName)) return sanitizeStoryTree(el, keepImageSrc);
    textBefore = false;
    if (keptAsIs(c)) kids.push(c);
    else {
      const one = new LiteElement('div', HTML_NS, []);
      sanitizeNodeInto(c, one, keepImageSrc);
      kids.push(one.childNodes[0]!);
    }
  }
  const view = new LiteElement('div', HTML_NS, []);
  view.childNodes = kids;
  return view as unknown as Element;
}

// An allowed element the allow-list copies as it is: no attributes, not a `<pre>`, its content plain text and such elements.
function keptAsIs(el: LiteElement): boolean {
  if (el.attrs.length || el.tagName === 'pre' || !ALLOWED.has(el.tagName)) return false;
  let textBefore = false;
  for (const c of el.childNodes) {
    if (c instanceof LiteText) {
      if (textBefore || c.value.includes('\r')) return false;
      textBefore = true;
      continue;
    }
    textBefore = false;
    if (!(c instanceof LiteElement) || !keptAsIs(c)) return false;
  }
  return true;
}

/**
 * Story markup through the allow-list, tree to tree (no markup in between): a new `<div>` holding
 * what `sanitizeStoryHtml` keeps of `el`'s content, as a parser would read that markup back
 * (adjacent text joined, line ends as line feeds). The page's tree is left as it was.
 */
export function sanitizeStoryTree(el: Element, keepImageSrc = false): Element {
  const root = new LiteElement('div', HTML_NS, []);
  sanitizeInto(el as unknown as LiteElement, root, keepImageSrc);
  return root as unknown as Element;
}
