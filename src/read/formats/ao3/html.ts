/**
 * Archive of Our Own works saved as HTML: the "Download → HTML" file (`#preface` with
 * `dl.tags`, `h1` title, `.byline`, Summary/Notes quotes; `#chapters` of `div.meta.group` +
 * `div.userstuff`; `#afterword` with the end notes and the archive's comment plug) and, read the
 * same way, a work page saved from the browser (`dl.work.meta`, `#workskin` with
 * `.preface.group`, `#chapters > .chapter`, `.summary/.notes.module`, `#work_endnotes`).
 * Footnotes an author links to notes in the chapter or work end notes (`<sup><a href="#fn1">`
 * to `<li id="fn1">`) are taken out by the HTML frame before the end notes are read.
 */
import type { Block, Chapter, Meta, Story } from '../../../model.js';
import { splitAuthors, splitList } from '../../header.js';
import { htmlBlocks } from '../../html/blocks.js';
import { readHtmlStory } from '../../html/frame.js';
import { foldSpace, pageTitle, stripSiteSuffix, textOf } from '../../html/parse.js';
import type { UnsafeTally } from '../../html/sanitize.js';
import { trimBreaks } from '../../structure.js';
import type { ReadContext } from '../../context.js';
import type { TextFormat, TextInput } from '../../format.js';
import { ao3Field, applyAo3Field } from './meta.js';

const WORK_URL = /https?:\/\/(?:www\.)?archiveofourown\.org\/works\/(\d+)/i;

function sniff(input: TextInput): number {
  const t = input.text;
  // Both shapes are told by attributes: text with no `=` (every story saved as text) is neither.
  if (!t.includes('=')) return 0;
  const download = /<div\s+id=["']?preface["']?/i.test(t) && /<div\s+id=["']?chapters["']?/i.test(t);
  const workPage = !download && /id=["']?workskin["']?/i.test(t) && /class=["'][^"']*\buserstuff\b/i.test(t);
  // The page's shape decides first: the site's name is looked for only on a page of that shape.
  if (!download && !workPage) return 0;
  const ao3 = /archiveofourown\.org|Archive of Our Own/i.test(t.slice(0, 20000)) || /archiveofourown\.org/i.test(t.slice(-20000));
  return ao3 ? 0.99 : 0.7;
}

/** The tag names in a `dd`: its links (AO3 tags never hold commas), else its text split. */
function ddValues(dd: Element): string[] {
  const links = Array.from(dd.querySelectorAll('a')).map(textOf).filter(Boolean);
  return links.length ? links : splitList(textOf(dd));
}

/** The stats `dd` as one line: text nodes joined by spaces (the work page's nested dl has no
 * whitespace between items). */
function statsText(dd: Element): string {
  const walker = dd.ownerDocument.createTreeWalker(dd, 4);
  const parts: string[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) parts.push(n.textContent ?? '');
  return foldSpace(parts.join(' '));
}

const LIST_FIELDS = new Set(['warnings', 'category', 'fandoms', 'relationships', 'characters', 'tags']);

/** The preface's tag list (download `dl.tags` or work page `dl.work.meta`), by the AO3 policy. */
function readTagList(dl: Element, meta: Meta, ctx: ReadContext): void {
  for (const dt of Array.from(dl.children).filter((c) => c.localName === 'dt')) {
    const dd = dt.nextElementSibling;
    if (!dd || dd.localName !== 'dd') continue;
    const label = textOf(dt).replace(/:\s*$/, '').trim();
    if (!label) continue;
    const field = ao3Field(label);
    const values = field && LIST_FIELDS.has(field) ? ddValues(dd) : undefined;
    const value = field === 'stats' ? statsText(dd) : field === 'rating' || field === 'collections' ? ddValues(dd).join(', ') : textOf(dd);
    const problem = applyAo3Field(meta, label, value, values);
    if (problem) ctx.message('meta-004', problem);
  }
}

/** A `<p>Label</p>` followed by a `blockquote.userstuff` (download) or a `.module` with an
 * `h3.heading` label (work page): the quote's blocks. */
function labelledQuote(scope: Element | null, labels: RegExp, tally: UnsafeTally): Block[] | undefined {
  if (!scope) return undefined;
  for (const p of Array.from(scope.querySelectorAll(':scope > p, :scope > div > p'))) {
    if (!labels.test(textOf(p))) continue;
    const next = p.nextElementSibling;
    if (next?.localName === 'blockquote') return htmlBlocks(next, tally);
  }
  return undefined;
}

function moduleQuote(scope: Element | null, selector: string, tally: UnsafeTally): Block[] | undefined {
  const mod = scope?.querySelector(selector);
  const quote = mod?.querySelector('blockquote.userstuff');
  return quote ? htmlBlocks(quote, tally) : undefined;
}

function nonEmpty(blocks: Block[] | undefined): Block[] | undefined {
  return blocks && trimBreaks(blocks).length ? blocks : undefined;
}

/** The text of a `.userstuff` chapter body, without the work page's hidden "Chapter Text" label. */
function chapterText(el: Element, tally: UnsafeTally): Block[] {
  for (const l of Array.from(el.querySelectorAll('.landmark'))) l.remove();
  const blocks = trimBreaks(htmlBlocks(el, tally));
  el.textContent = ''; // read once: its part of the page is freed now, so memory does not grow with the page
  return blocks;
}

/** Chapters of a download: `#chapters` holds `div.meta.group` + `div.userstuff` (+ end notes) per
 * chapter, or a single `div.userstuff`. */
function downloadChapters(root: Element, tally: UnsafeTally): Chapter[] {
  const chapters: Chapter[] = [];
  let cur: Chapter | undefined;
  for (const el of Array.from(root.children)) {
    const cls = el.classList;
    if (cls.contains('meta') && /^endnotes/.test(el.id)) {
      if (cur) cur.endNotes = nonEmpty(labelledQuote(el, /^Chapter End Notes$/i, tally) ?? htmlBlocks(el.querySelector('blockquote'), tally));
    } else if (cls.contains('meta')) {
      cur = { sections: [{ blocks: [] }] };
      chapters.push(cur);
      const title = textOf(el.querySelector('h2.heading, h2, h3'));
      if (title) cur.title = title;
      const summary = nonEmpty(labelledQuote(el, /^(?:Chapter )?Summary:?$/i, tally));
      if (summary) cur.summary = summary;
      const notes = nonEmpty(labelledQuote(el, /^(?:Chapter )?Notes:?$/i, tally));
      if (notes) cur.notes = notes;
    } else if (cls.contains('userstuff')) {
      if (!cur || cur.sections[0]!.blocks.length) {
        cur = { sections: [{ blocks: [] }] };
        chapters.push(cur);
      }
      cur.sections[0]!.blocks = chapterText(el, tally);
    }
  }
  return chapters;
}

/** Chapters of a saved work page: `#chapters > div.chapter` each with preface, text, end notes;
 * a one-chapter work has the `.userstuff` right inside `#chapters`. */
function workPageChapters(root: Element, tally: UnsafeTally): Chapter[] {
  const divs = Array.from(root.children).filter((c) => c.classList.contains('chapter'));
  if (!divs.length) {
    const text = root.querySelector('.userstuff');
    return text ? [{ sections: [{ blocks: chapterText(text, tally) }] }] : [];
  }
  return divs.map((div) => {
    const ch: Chapter = { sections: [{ blocks: [] }] };
    const title = textOf(div.querySelector('.chapter.preface h3.title'));
    if (title) ch.title = title;
    const pre = div.querySelector('.chapter.preface');
    const summary = nonEmpty(moduleQuote(pre, '.summary', tally));
    if (summary) ch.summary = summary;
    const notes = nonEmpty(moduleQuote(pre, '.notes:not(.end)', tally));
    if (notes) ch.notes = notes;
    const endNotes = nonEmpty(moduleQuote(div, '.end.notes', tally));
    if (endNotes) ch.endNotes = endNotes;
    const text = div.querySelector(':scope > .userstuff');
    if (text) ch.sections[0]!.blocks = chapterText(text, tally);
    return ch;
  });
}

function sourceUrl(doc: Document): string | undefined {
  const candidates: string[] = [];
  for (const a of Array.from(doc.querySelectorAll('#preface .message a, #preface a'))) candidates.push(a.getAttribute('href') ?? '', textOf(a));
  const canonical = doc.querySelector('link[rel="canonical"]')?.getAttribute('href');
  if (canonical) candidates.push(canonical);
  for (const c of candidates) {
    const m = WORK_URL.exec(c);
    if (m) return `https://archiveofourown.org/works/${m[1]}`;
  }
  const m = /Posted originally on the Archive of Our Own at\s+(https?:\/\/\S+?\/works\/\d+)/i.exec(textOf(doc.body)) ?? WORK_URL.exec(textOf(doc.body));
  if (m) return `https://archiveofourown.org/works/${/\/works\/(\d+)/.exec(m[0])![1]}`;
  // A saved work page links to its own kudos and comments under /works/N.
  const own = doc.querySelector('ul.work.navigation a[href*="/works/"], #kudo_commentable_id, #kudo_form');
  const id = own?.getAttribute('value') ?? /\/works\/(\d+)/.exec(own?.getAttribute('href') ?? own?.getAttribute('action') ?? '')?.[1];
  return id && /^\d+$/.test(id) ? `https://archiveofourown.org/works/${id}` : undefined;
}

function read(input: TextInput, ctx: ReadContext): Story {
  return readHtmlStory(input, ctx, 'ao3-html', (doc, story, tally) => {
    const meta = story.meta;
    const preface = doc.getElementById('preface');
    const workskin = doc.getElementById('workskin');
    const dl = preface?.querySelector('dl.tags') ?? doc.querySelector('dl.work.meta');
    if (dl) readTagList(dl, meta, ctx);

    // Title and authors.
    const heading = preface?.querySelector('.meta h1') ?? workskin?.querySelector('.preface h2.title') ?? preface?.querySelector('p.message b');
    const title = textOf(heading) || stripSiteSuffix(pageTitle(doc) ?? '').replace(/\s+-\s+Chapter\s+\d+.*$/i, '') || undefined;
    if (title) meta.title = title;
    const byline = preface?.querySelector('.byline') ?? workskin?.querySelector('.preface .byline');
    if (byline) {
      const linked = Array.from(byline.querySelectorAll('a[rel="author"], a[href*="/users/"]')).map(textOf).filter(Boolean);
      const names = linked.length ? linked : [textOf(byline).replace(/^by\s+/i, '')];
      for (const n of names.flatMap((x) => splitAuthors(x))) if (!meta.authors.includes(n)) meta.authors.push(n);
    }
    const url = sourceUrl(doc);
    if (url) meta.sourceUrl = url;

    // Summary and notes of the work.
    const pmeta = preface?.querySelector('.meta') ?? null;
    const workPreface = workskin?.querySelector(':scope > .preface') ?? null;
    const summary = nonEmpty(labelledQuote(pmeta, /^Summary:?$/i, tally) ?? moduleQuote(workPreface, '.summary', tally));
    if (summary) meta.summary = summary;
    const notes = nonEmpty(labelledQuote(pmeta, /^Notes:?$/i, tally) ?? moduleQuote(workPreface, '.notes', tally));
    if (notes) meta.notes = notes;
    const afterword = doc.getElementById('afterword') ?? workskin?.querySelector(':scope > .afterword') ?? null;
    // Only the end notes are kept: the comment plug and "inspired by" lists are the archive's.
    const endNotes = nonEmpty(htmlBlocks(afterword?.querySelector('#endnotes blockquote, #work_endnotes blockquote'), tally));
    if (endNotes) meta.endNotes = endNotes;

    // Chapters.
    const chaptersRoot = doc.getElementById('chapters');
    if (chaptersRoot) story.chapters = workskin ? workPageChapters(chaptersRoot, tally) : downloadChapters(chaptersRoot, tally);
  });
}

/** The AO3 HTML reader. */
export const ao3Html: TextFormat = {
  name: 'ao3-html',
  description: 'Archive of Our Own work saved as HTML: the "Download → HTML" file or the work page',
  input: 'text',
  extensions: ['.html', '.htm'],
  inlineMarkers: true,
  precedence: 130,
  sniff,
  read,
};
