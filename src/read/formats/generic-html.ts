/**
 * Any other HTML or XHTML page: a chapter saved by an ebook tool, a blog post, a story archive's
 * page. Title and author come from the text's own header block, else from `<meta>` (Dublin Core,
 * Open Graph, `author`) and `<title>` with the site's name stripped. The story is the element
 * holding most of the page's text once navigation, headers, footers, sidebars, comments, forms
 * and cookie banners are gone; headings that read as chapter headings split chapters.
 */
import type { Block, Chapter, Story } from '../../model.js';
import { chapterHeading } from '../body.js';
import { parseByline, parseDate, splitAuthors } from '../header.js';
import { htmlBlocks } from '../html/blocks.js';
import { readHtmlStory } from '../html/frame.js';
import { foldSpace, metaContent, pageTitle, stripSiteSuffix, textOf } from '../html/parse.js';
import { sameTitle, splitChapters, takeHeader, trimBreaks } from '../structure.js';
import { blockText } from '../../text.js';
import type { ReadContext } from '../context.js';
import type { TextFormat, TextInput } from '../format.js';

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

function read(input: TextInput, ctx: ReadContext): Story {
  return readHtmlStory(input, ctx, 'generic-html', (doc, story, tally) => {
    const meta = story.meta;
    const body = doc.body ?? doc.documentElement;
    // What the page says about itself, read before its header and footer are dropped.
    const site = metaContent(doc, 'og:site_name', 'application-name');
    const strip = (t: string | undefined): string | undefined => (t ? stripSiteSuffix(t, site ? [site] : []) : undefined);
    const headingTitle = [...Array.from(doc.querySelectorAll('h1.entry-title, .post-title, .entry-title, article h1')), ...Array.from(doc.querySelectorAll('h1'))]
      .map(textOf).find((t) => t && t.length <= 150 && chapterHeading(t) === undefined);
    const titleCandidate = strip(metaContent(doc, 'DC.title', 'DCTERMS.title')) ?? strip(metaContent(doc, 'og:title')) ?? strip(pageTitle(doc)) ?? headingTitle;
    const bylines = Array.from(doc.querySelectorAll('a[rel~="author"], .byline .author, .author-name, .entry-author, .post-author'))
      .map(textOf).map((t) => t.replace(/^(?:posted\s+)?by\s+/i, '')).filter((t) => t && t.length <= 60);
    const authorCandidate = notUrl(metaContent(doc, 'DC.creator', 'DCTERMS.creator', 'author', 'citation_author', 'article:author')) ?? bylines[0];
    const description = metaContent(doc, 'description', 'DC.description', 'DCTERMS.description', 'og:description');
    const dated = metaContent(doc, 'DC.date', 'DCTERMS.date', 'DCTERMS.issued', 'DC.date.issued', 'article:published_time', 'date')
      ?? doc.querySelector('time[datetime]')?.getAttribute('datetime') ?? undefined;
    const tags = Array.from(doc.querySelectorAll('a[rel~="tag"]:not([rel~="category"])')).map(textOf).filter(Boolean);
    const lang = doc.documentElement.getAttribute('lang') ?? doc.documentElement.getAttribute('xml:lang') ?? '';

    for (const el of Array.from(body.querySelectorAll(CHROME.join(', ')))) if (el.isConnected) el.remove();
    const { node, heading } = contentNode(body);
    const levels = new Map<Block, number>();
    let blocks = trimBreaks(htmlBlocks(node, tally, { headingLevels: levels }));

    // The text's own header block beats the page's guesses.
    const header = takeHeader(blocks, meta, titleCandidate, input.path);
    ctx.diagnostics.push(...header.diagnostics);
    blocks = header.rest;
    meta.title ??= titleCandidate;
    // A leading heading or line repeating the title ("Title" or "Title by Name"), then "by Name".
    for (let k = 0; k < 2 && blocks.length; k++) {
      const first = blocks[0]!;
      if (first.kind !== 'p' && first.kind !== 'heading') break;
      const text = blockText(first).trim();
      const titleBy = /^(.+?)\s+by\s+(.{1,60})$/i.exec(text);
      const by = parseByline(text);
      if (meta.title && sameTitle(text, meta.title)) blocks.shift();
      else if (meta.title && titleBy && sameTitle(titleBy[1]!, meta.title)) {
        if (!meta.authors.length) meta.authors.push(...splitAuthors(titleBy[2]!));
        blocks.shift();
      } else if (by) {
        if (!meta.authors.length) meta.authors.push(...by);
        blocks.shift();
      } else break;
    }
    if (!meta.authors.length && authorCandidate) meta.authors.push(...splitAuthors(authorCandidate));
    if (dated) meta.published ??= parseDate(/^\d{4}-\d{2}-\d{2}T/.test(dated) ? dated.slice(0, 10) : dated);
    for (const t of tags) if (!meta.tags.includes(t)) meta.tags.push(t);
    if (/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/i.test(lang)) meta.language ??= lang;
    // A description that is only the opening of the text says nothing new.
    const opening = foldSpace(blocks.slice(0, 3).map(blockText).join(' ')).toLowerCase();
    const desc = description ? foldSpace(description).replace(/(?:\s*(?:\[…\]|\[\.\.\.\]|…|\.\.\.))$/, '') : '';
    if (desc && !meta.summary && !opening.startsWith(desc.toLowerCase().slice(0, 60)) && (!meta.title || !sameTitle(desc, meta.title))) {
      meta.summary = [{ kind: 'p', content: [desc] }];
    }

    const parts = splitChapters(trimBreaks(blocks), levels);
    if (parts.length && parts[0]!.title === undefined && heading && chapterHeading(heading) !== undefined && !(meta.title && sameTitle(heading, meta.title))) parts[0]!.title = heading;
    story.chapters = parts.map((c): Chapter => ({ ...(c.title !== undefined ? { title: c.title } : {}), sections: [{ blocks: c.blocks }] }));
  });
}

/** The generic HTML reader. */
export const genericHtml: TextFormat = {
  name: 'generic-html',
  description: 'any other HTML or XHTML page: saved chapters, blog posts (the largest text block, chrome removed)',
  input: 'text',
  extensions: ['.html', '.htm', '.xhtml'],
  inlineMarkers: true,
  precedence: 100,
  sniff,
  read,
};
