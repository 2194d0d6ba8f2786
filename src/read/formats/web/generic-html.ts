/**
 * Any other HTML or XHTML page: a chapter saved by an ebook tool, a blog post, a story archive's
 * page. Title and author come from the text's own header block, else from `<meta>` (Dublin Core,
 * Open Graph, `author`) and `<title>` with the site's name stripped. The story is the element
 * holding most of the page's text once navigation, headers, footers, sidebars, comments, forms
 * and cookie banners are gone; headings that read as chapter headings split chapters.
 */
import type { Block, Chapter, Inline, Story } from '../../../model.js';
import { chapterHeading } from '../../body.js';
import type { ReadContext } from '../../context.js';
import type { TextFormat, TextInput } from '../../format.js';
import { parseByline, parseDate, splitAuthors } from '../../header.js';
import { htmlBlocks } from '../../html/blocks.js';
import { readHtmlStory } from '../../html/frame.js';
import { foldSpace, metaContent, pageTitle, stripSiteSuffix, textOf } from '../../html/parse.js';
import type { UnsafeTally } from '../../html/sanitize.js';
import { sameTitle, splitChapters, takeHeader, trimBreaks } from '../../structure.js';
import { blockText, inlineText } from '../../../text.js';
import { dropHiddenText, dropPageCruft, inventedAuthor, languageMismatch, linkedData, siteNames, splitTitle, toolNames } from './page.js';
import { readable } from './readable.js';

const DOCUMENT_START = /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[^]*?-->\s*)*<(?:!doctype\s+html|html[\s>])/i;

function sniff(input: TextInput): number {
  const head = input.text.slice(0, 4000);
  if (DOCUMENT_START.test(head)) return 0.96;
  if (/<(?:html|body)[\s>]/i.test(head)) return 0.9;
  const tags = (head.match(/<\/?(?:p|br|div|em|i|b|strong|blockquote|h[1-6])[\s>/]/gi) ?? []).length;
  if (tags && /\.x?html?$/i.test(input.path)) return 0.9;
  // Markdown may hold inline HTML; only a whole document makes a .md file HTML.
  if (/\.(?:md|markdown)$/i.test(input.path)) return tags ? 0.1 : 0;
  if (tags >= 5) return 0.6;
  return tags ? 0.3 : 0;
}

// Page parts that are never story text.
// (Scripts, frames and forms are left to the sanitizer, which counts what it drops.)
const CHROME = [
  'nav', 'header', 'footer', 'aside', 'dialog', 'menu',
  '[role="navigation"]', '[role="banner"]', '[role="contentinfo"]', '[role="complementary"]', '[role="search"]',
  '[role="dialog"]', '[role="alertdialog"]', '[hidden]',
  '#comments', '#respond', '.comments', '.comment', '.comment-list', '.commentlist', '#disqus_thread',
  '[id*="cookie"]', '[class*="cookie"]', '[class*="Cookie"]', '[id*="consent"]', '[class*="consent"]', '[class*="gdpr"]',
  '.share', '.sharing', '.sharedaddy', '.social', '.social-share', '.jp-relatedposts', '.related', '.related-posts',
  '.sidebar', '#sidebar', '.widget', '.widget-area', '.navigation', '.nav', '.menu', '.breadcrumb', '.breadcrumbs',
  '.pagination', '.ads', '.advert', '.advertisement', '.sponsored', '.newsletter', '.skip-link', '.screen-reader-text',
  '.entry-meta', '.post-meta', '.entry-footer', '.post-footer', '.post-tags', '.entry-tags', '.tags', '.cat-links',
];

// Where a page usually keeps its main text, tried before the largest-text search.
const MAIN_CANDIDATES = [
  'article', 'main', '[role="main"]', '.entry-content', '.post-content', '.post-body', '.storytext', '#storytext',
  '.story', '#story', '.chapter-content', '#chapter-content', '#content', '.content',
];

// Elements whose text is never read.
const NOT_TEXT = new Set(['script', 'style', 'noscript', 'template', 'textarea', 'select', 'iframe', 'object', 'svg']);

/** Text length per element, link text not counted (navigation is mostly links). */
function weigh(el: Element, weights: Map<Element, number>): number {
  let n = 0;
  for (const c of Array.from(el.childNodes)) {
    if (c.nodeType === 3) n += foldSpace(c.textContent ?? '').length;
    else if (c.nodeType === 1 && !NOT_TEXT.has((c as Element).localName)) {
      const w = weigh(c as Element, weights);
      if ((c as Element).localName !== 'a') n += w;
    }
  }
  weights.set(el, n);
  return n;
}

/** The element holding the story: from a main-looking container (when it holds at least half
 * of the text) or the body, go down while one child holds 85 % of the text. Also returns the
 * nearest heading that stood just before the element on the way down (a chapter title). */
function contentNode(body: Element): { node: Element; heading?: string } {
  const weights = new Map<Element, number>();
  const total = weigh(body, weights);
  let node = body;
  for (const sel of MAIN_CANDIDATES) {
    const found = Array.from(body.querySelectorAll(sel)).sort((a, b) => (weights.get(b) ?? 0) - (weights.get(a) ?? 0))[0];
    if (found && (weights.get(found) ?? 0) >= total * 0.5) {
      node = found;
      break;
    }
  }
  let heading: string | undefined;
  for (;;) {
    const kids = Array.from(node.children);
    const best = kids.sort((a, b) => (weights.get(b) ?? 0) - (weights.get(a) ?? 0))[0];
    const w = weights.get(node) ?? 0;
    if (!best || w === 0 || (weights.get(best) ?? 0) < w * 0.85 || /^(?:p|h[1-6]|blockquote|li|ul|ol)$/.test(best.localName)) break;
    for (let s = best.previousElementSibling; s; s = s.previousElementSibling) {
      if (/^h[1-3]$/.test(s.localName)) {
        heading = textOf(s);
        break;
      }
      if (textOf(s)) break;
    }
    node = best;
  }
  return { node, ...(heading ? { heading } : {}) };
}

function notUrl(s: string | undefined): string | undefined {
  return s && !/^https?:\/\//i.test(s) && s.length <= 120 ? s : undefined;
}

/** What a site reader knows about its pages' shape; every field optional (the generic reader
 * uses none). Selectors are tried on the whole page. */
export interface SiteShape {
  /** The reader's name, for `Source.format`. */
  format: string;
  /** The element holding the story text (Readability is not asked then). */
  content?: string;
  /** Elements to drop wherever they are (site chrome inside the story text). */
  remove?: string[];
  /** Author's notes: those before the story text become the chapter's notes, those after its end notes. */
  notes?: string;
  title?: (doc: Document) => string | undefined;
  authors?: (doc: Document) => string[];
  chapterTitle?: (doc: Document) => string | undefined;
  date?: (doc: Document) => string | undefined;
  /** The page's story text is wrapped in something that is not its layout (Wattpad's `<pre>`). */
  unwrap?: string;
  /** False when the page's description is the site's own blurb, not the story's summary. */
  description?: false;
}

// Paragraph lines joined by single `<br>`s that are hard wraps: most lines end without a sentence
// end and fill most of the widest line (text pasted from a file wrapped at ~70 columns).
function joinHardWraps(root: Element): void {
  for (const p of Array.from(root.querySelectorAll('p'))) {
    const brs = Array.from(p.querySelectorAll('br'));
    if (!brs.length || brs.some((br, i) => i > 0 && br.previousSibling === brs[i - 1])) continue;
    const lines = (p.innerHTML.split(/<br\s*\/?>/i)).map((l) => foldSpace(l.replace(/<[^>]+>/g, '')));
    if (lines.length < 2 || lines.some((l) => !l)) continue;
    const widest = Math.max(...lines.map((l) => l.length));
    const body = lines.slice(0, -1);
    const wrapped = widest >= 50 && widest <= 100 && body.filter((l) => l.length >= widest * 0.75).length >= body.length * 0.75
      && body.filter((l) => !/[.!?:;"”’)\]]$/.test(l)).length >= body.length * 0.5;
    if (wrapped) for (const br of brs) br.replaceWith(p.ownerDocument.createTextNode(' '));
  }
}

// A paragraph holding only marks (`◇◆◇`, `~~~`, `* * *`, `###`) is a site's scene break,
// centred or not; quotes and ellipses are speech, not marks.
function isMarkLine(text: string): boolean {
  const t = text.replace(/\s+/g, '');
  return t.length >= 1 && t.length <= 15 && !/[\p{L}\p{N}"“”'‘’«»「」『』…]/u.test(t) && !/^\.+$/.test(t);
}

/** Leading paragraphs of `Key: value` lines joined by `<br>`s as lines (verse), so that the header
 * scanner reads them field by field. */
function splitFieldLines(blocks: Block[]): Block[] {
  return blocks.map((b, i) => {
    if (i > 6 || b.kind !== 'p' || !b.content.some((c) => typeof c !== 'string' && c.kind === 'br')) return b;
    const lines: Inline[][] = [[]];
    for (const c of b.content) {
      if (typeof c !== 'string' && c.kind === 'br') lines.push([]);
      else lines[lines.length - 1]!.push(c);
    }
    return /^[\p{L}][\p{L} /'-]{0,30}:\s/u.test(inlineText(lines[0]!).trim()) ? { kind: 'verse' as const, lines } : b;
  });
}

const FEEDBACK_PLEA = /^(?:feedback|comments|reviews|concrit|criticism)\b[^.!?]{0,60}\b(?:welcome|appreciated|loved|wanted|please)\b[^.!?]{0,40}[.!]?$/i;

const DISCLAIMER = /^disclaimer\s*[:.-]\s*/i;

/** Read a web page: the generic reader, and the base of the site readers (their `shape`). */
export function readWebPage(doc: Document, story: Story, ctx: ReadContext, tally: UnsafeTally, shape: SiteShape = { format: 'generic-html' }): void {
  const meta = story.meta;
  const path = ctx.path;
  const diagnostics = ctx.diagnostics;
  const body = doc.body ?? doc.documentElement;
  // What the page says about itself, read before its header and footer are dropped.
  const data = linkedData(doc);
  const tools = toolNames(doc);
  const sites = siteNames(doc, data);
  const strip = (t: string | undefined): string | undefined => (t ? stripSiteSuffix(t, sites) : undefined);
  const hidden = dropHiddenText(doc, body);
  if (hidden) ctx.info('read-015', `${hidden} element${hidden === 1 ? '' : 's'} the page's own stylesheet hides left out`);
  for (const sel of shape.remove ?? []) for (const el of Array.from(body.querySelectorAll(sel))) if (el.isConnected) el.remove();
  const noteEls = shape.notes ? Array.from(body.querySelectorAll(shape.notes)) : [];
  const siteContent = shape.content ? body.querySelector(shape.content) : null;
  const headingTitle = [...Array.from(doc.querySelectorAll('h1.entry-title, .post-title, .entry-title, article h1')), ...Array.from(doc.querySelectorAll('h1'))]
    .map(textOf).find((t) => t && t.length <= 150 && chapterHeading(t) === undefined);
  const siteTitle = shape.title?.(doc);
  const titleCandidate = siteTitle ?? strip(metaContent(doc, 'DC.title', 'DCTERMS.title')) ?? strip(data.headline) ?? strip(metaContent(doc, 'og:title')) ?? strip(pageTitle(doc)) ?? headingTitle;
  const bylines = Array.from(doc.querySelectorAll('a[rel~="author"], .byline .author, .author-name, .entry-author, .post-author'))
    .map(textOf).map((t) => t.replace(/^(?:posted\s+)?by\s+/i, '')).filter((t) => t && t.length <= 60);
  const stated = [
    ...(shape.authors?.(doc) ?? []),
    ...data.authors,
    notUrl(metaContent(doc, 'DC.creator', 'DCTERMS.creator', 'author', 'citation_author', 'article:author', 'books:author')),
    ...bylines,
  ].filter((a): a is string => Boolean(a && a.length <= 60));
  const invented = stated.filter((a) => inventedAuthor(a, tools, sites));
  const authorCandidates = stated.filter((a) => !invented.includes(a));
  const description = shape.description === false ? undefined : metaContent(doc, 'description', 'DC.description', 'DCTERMS.description', 'og:description');
  const dated = shape.date?.(doc) ?? metaContent(doc, 'DC.date', 'DCTERMS.date', 'DCTERMS.issued', 'DC.date.issued', 'article:published_time', 'date')
    ?? data.datePublished ?? doc.querySelector('time[datetime]')?.getAttribute('datetime') ?? undefined;
  const tags = Array.from(doc.querySelectorAll('a[rel~="tag"]:not([rel~="category"])')).map(textOf).filter(Boolean);
  const lang = doc.documentElement.getAttribute('lang') ?? doc.documentElement.getAttribute('xml:lang') ?? data.inLanguage ?? '';
  const chapterTitle = shape.chapterTitle?.(doc);

  let node: Element;
  let heading: string | undefined;
  if (siteContent) node = siteContent;
  else {
    for (const el of Array.from(body.querySelectorAll(CHROME.join(', ')))) if (el.isConnected) el.remove();
    const article = readable(doc);
    const found = contentNode(body);
    heading = found.heading;
    // Readability's choice, unless it kept much less than the largest text block (it can miss
    // the second half of a page of several chapters).
    node = article && article.length >= foldSpace(found.node.textContent ?? '').length * 0.5 ? article.content : found.node;
  }
  for (const el of noteEls) if (node.contains(el)) el.remove();
  const removed = dropPageCruft(node);
  if (removed) ctx.info('read-016', `${removed} navigation row${removed === 1 ? '' : 's'} or site footer${removed === 1 ? '' : 's'} left out`);
  if (shape.unwrap) for (const el of Array.from(node.querySelectorAll(shape.unwrap))) el.replaceWith(...Array.from(el.childNodes));
  joinHardWraps(node);
  const levels = new Map<Block, number>();
  let blocks = trimBreaks(htmlBlocks(node, tally, { headingLevels: levels }).map((b) => (b.kind === 'p' && isMarkLine(blockText(b)) ? { kind: 'break' as const } : b)));

  // The text's own header block beats the page's guesses.
  const header = takeHeader(splitFieldLines(blocks), meta, titleCandidate, path);
  diagnostics.push(...header.diagnostics);
  blocks = header.rest;
  const split = splitTitle(meta.title ?? titleCandidate ?? '', authorCandidates);
  if (split.title) meta.title = split.title;
  if (!meta.title) delete meta.title;
  // A leading heading or line repeating the title ("Title" or "Title by Name"), then "by Name".
  let shifted = 0;
  for (let k = 0; k < 3 && blocks.length; k++, shifted++) {
    const first = blocks[0]!;
    if (first.kind !== 'p' && first.kind !== 'heading' && !(first.kind === 'verse' && first.lines.length <= 3)) break;
    const text = blockText(first).replace(/\s+/g, ' ').trim();
    const titleBy = /^(.+?)\s+by\s+(.{1,60})$/i.exec(text);
    const by = parseByline(text);
    if (meta.title && (sameTitle(text, meta.title) || (split.chapter && sameTitle(text, `${meta.title}, ${split.chapter}`)) || sameTitle(text, titleCandidate ?? ''))) blocks.shift();
    else if (meta.title && titleBy && sameTitle(titleBy[1]!, meta.title)) {
      if (!meta.authors.length && !inventedAuthor(titleBy[2]!, tools, sites)) meta.authors.push(...splitAuthors(titleBy[2]!));
      blocks.shift();
    } else if (by) {
      if (!meta.authors.length) meta.authors.push(...by.filter((a) => !inventedAuthor(a, tools, sites)));
      blocks.shift();
    } else break;
  }
  // A header block below the title block ("Title / by Name", then "Rating: … Summary: …").
  if (shifted && !header.found) {
    const below = takeHeader(splitFieldLines(blocks), meta, meta.title, path);
    diagnostics.push(...below.diagnostics);
    blocks = below.rest;
  }
  // A plea for feedback right under the header is the header's, not the story's.
  while (blocks[0]?.kind === 'p' && FEEDBACK_PLEA.test(blockText(blocks[0]))) blocks.shift();
  // A header or byline in the text that names a tool or the site is no author either.
  const dropped = meta.authors.filter((a) => inventedAuthor(a, tools, sites));
  if (dropped.length) meta.authors = meta.authors.filter((a) => !dropped.includes(a));
  if (!meta.authors.length && authorCandidates.length) meta.authors.push(...splitAuthors(authorCandidates[0]!));
  if (!meta.authors.length && split.by && !inventedAuthor(split.by, tools, sites)) meta.authors.push(split.by);
  const refused = [...new Set([...invented, ...dropped])];
  if (refused.length) ctx.message('meta-011', `not taken as the author: ${refused.map((a) => `"${a}"`).join(', ')} (the page's generator, a tool credited in it, or the site)`);
  if (dated) meta.published ??= parseDate(/^\d{4}-\d{2}-\d{2}T/.test(dated) ? dated.slice(0, 10) : dated);
  for (const t of tags) if (!meta.tags.includes(t)) meta.tags.push(t);
  // Disclaimers at either end of the text are the story's metadata, not its text.
  for (const at of [0, blocks.length - 1]) {
    const b = blocks[at];
    if (b?.kind === 'p' && DISCLAIMER.test(blockText(b)) && blockText(b).length <= 400) {
      meta.disclaimer ??= blockText(b).replace(DISCLAIMER, '').trim();
      blocks.splice(at, 1);
    }
  }
  const sample = blocks.slice(0, 40).map(blockText).join(' ');
  if (/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/i.test(lang)) {
    if (languageMismatch(lang, sample)) ctx.message('meta-012', `the page says its language is "${lang}" but its text is in another script; the language is detected from the text`);
    else meta.language ??= lang;
  }
  // A description that is only the opening of the text says nothing new.
  const opening = foldSpace(blocks.slice(0, 3).map(blockText).join(' ')).toLowerCase();
  const desc = description ? foldSpace(description).replace(/(?:\s*(?:\[…\]|\[\.\.\.\]|…|\.\.\.))$/, '') : '';
  if (desc && !meta.summary && !opening.startsWith(desc.toLowerCase().slice(0, 60)) && (!meta.title || !sameTitle(desc, meta.title)) && !tools.some((t) => desc.includes(t))) {
    meta.summary = [{ kind: 'p', content: [desc] }];
  }

  const parts = splitChapters(trimBreaks(blocks), levels);
  const first = parts[0];
  const ownTitle = chapterTitle ?? split.chapter ?? (heading && chapterHeading(heading) !== undefined && !(meta.title && sameTitle(heading, meta.title)) ? heading : undefined);
  if (parts.length === 1 && first && first.title === undefined && ownTitle) first.title = ownTitle;
  else if (first && first.title === undefined && heading && chapterHeading(heading) !== undefined && !(meta.title && sameTitle(heading, meta.title))) first.title = heading;
  story.chapters = parts.map((c): Chapter => ({ ...(c.title !== undefined ? { title: c.title } : {}), sections: [{ blocks: c.blocks }] }));
  if (noteEls.length && story.chapters.length === 1) {
    const ch = story.chapters[0]!;
    const before = noteEls.filter((n) => !siteContent || (n.compareDocumentPosition(siteContent) & 4) !== 0);
    const after = noteEls.filter((n) => !before.includes(n));
    const notes = before.flatMap((n) => htmlBlocks(n, tally));
    const endNotes = after.flatMap((n) => htmlBlocks(n, tally));
    if (notes.length) ch.notes = notes;
    if (endNotes.length) ch.endNotes = endNotes;
  }
  story.source.format = shape.format;
}

function read(input: TextInput, ctx: ReadContext): Story {
  return readHtmlStory(input, ctx, 'generic-html', (doc, story, tally) => readWebPage(doc, story, ctx, tally));
}

/** The generic HTML reader. */
export const genericHtml: TextFormat = {
  name: 'generic-html',
  description: 'any other HTML or XHTML page: saved chapters, blog posts (the region Readability finds, chrome removed)',
  input: 'text',
  extensions: ['.html', '.htm', '.xhtml'],
  inlineMarkers: true,
  precedence: 100,
  sniff,
  read,
};
