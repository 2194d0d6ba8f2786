/**
 * What the tools that made the book added around the story, read as metadata and taken out of
 * the text: the Archive of Our Own's preface (tags, summary, notes) and afterword (end notes) and
 * its per-chapter notes; FanFicFare's title, contents, update-log and cover pages; WebToEpub's
 * information page; pandoc's and calibre's title pages, cover pages and inline contents. Each
 * producer looks only at its own marks (class names, ids, file names, the book's makers).
 */
import type { Block, Chapter, Meta } from '../../../model.js';
import { applyField, fieldFor, parseHeaderLine } from '../../header.js';
import { htmlBlocks } from '../../html/blocks.js';
import { foldSpace, textOf } from '../../html/parse.js';
import type { UnsafeTally } from '../../html/sanitize.js';
import { emptyMeta } from '../../story.js';
import { trimBreaks } from '../../structure.js';
import type { ItemInfo } from './content.js';
import type { PackageMeta } from './metadata.js';

/** What a producer sees: the one page, its spine items' wrappers, and the metadata so far. */
export interface ProducerInput {
  doc: Document;
  items: ItemInfo[];
  /** The wrapper element of each spine item, by index. */
  wrappers: Element[];
  pm: PackageMeta;
  meta: Meta;
  tally: UnsafeTally;
  /** Archive name of the navigation document (never story text). */
  navName?: string;
  /** Spine items that some table-of-contents entry points to. */
  listed: Set<number>;
}

/** What the producers found: pages that are not story text, and a reader of per-chapter notes. */
export interface ProducerResult {
  /** Names of the producers recognised (shown by `inspect`). */
  names: string[];
  /** Spine items that are the tool's pages, not story text. */
  dropped: Set<number>;
  /** Takes a chapter's own notes out of its markup (the Archive's). */
  chapterNotes?: (chapter: Element, tally: UnsafeTally) => Pick<Chapter, 'summary' | 'notes' | 'endNotes'>;
  /** A picture that stood alone on a dropped page before the story (a cover), by archive name. */
  coverPicture?: string;
}

const nonEmpty = (blocks: Block[] | undefined): Block[] | undefined => (blocks && trimBreaks(blocks).length ? blocks : undefined);

/** `<p>Label</p>` followed by a `<blockquote>` anywhere in `scope`: the quote's blocks; both removed. */
function takeLabelledQuote(scope: Element, label: RegExp, tally: UnsafeTally): Block[] | undefined {
  for (const p of Array.from(scope.querySelectorAll('p, div, h3, h4'))) {
    if (!label.test(textOf(p))) continue;
    const next = p.nextElementSibling;
    if (next?.localName !== 'blockquote') continue;
    const blocks = nonEmpty(htmlBlocks(next, tally));
    next.remove();
    p.remove();
    return blocks;
  }
  return undefined;
}

// The Archive's fixed vocabulary, for subjects calibre flattened into dc:subject.
const AO3_RATINGS = new Set(['General Audiences', 'Teen And Up Audiences', 'Mature', 'Explicit', 'Not Rated']);
const AO3_WARNINGS = new Set(['Choose Not To Use Archive Warnings', 'Creator Chose Not To Use Archive Warnings', 'Graphic Depictions Of Violence', 'Major Character Death', 'No Archive Warnings Apply', 'Rape/Non-Con', 'Underage', 'Underage Sex']);
const AO3_CATEGORIES = new Set(['F/F', 'F/M', 'Gen', 'M/M', 'Multi', 'Other']);

/** The Archive's subjects sorted back into fields: rating, warnings, categories, relationships
 * (names joined by "/" or " & "); the rest are tags. Values already in a field are skipped. */
export function sortAo3Subjects(subjects: string[], meta: Meta): void {
  const known = new Set([meta.rating ?? '', ...meta.warnings, ...meta.category, ...meta.fandoms, ...meta.relationships, ...meta.characters, ...meta.tags]);
  for (const s of subjects) {
    if (s === 'Fanworks' || known.has(s)) continue;
    if (AO3_RATINGS.has(s)) meta.rating ??= s;
    else if (AO3_WARNINGS.has(s)) meta.warnings.push(s);
    else if (AO3_CATEGORIES.has(s)) meta.category.push(s);
    else if (/\S\s*\/\s*\S|\S &\s\S/.test(s) && !/\bAU\b|Alternate Universe/i.test(s)) meta.relationships.push(s);
    else meta.tags.push(s);
  }
}

// List fields of the preface whose values are the dd's links (the Archive's tags hold no commas).
const LIST_TARGETS = new Set(['fandoms', 'relationships', 'characters', 'warnings', 'category', 'tags']);

/** The preface's `dl.tags` through the shared header fields: tag links as list values, "Part N of
 * Series", the stats line's dates and word count; other labels kept as they are. */
function readAo3Tags(dl: Element, meta: Meta): void {
  for (const dt of Array.from(dl.children).filter((c) => c.localName === 'dt')) {
    const dd = dt.nextElementSibling;
    if (!dd || dd.localName !== 'dd') continue;
    const label = textOf(dt).replace(/:\s*$/, '').trim();
    const value = textOf(dd);
    const rule = fieldFor(label);
    if (rule && LIST_TARGETS.has(rule.target)) {
      const links = Array.from(dd.querySelectorAll('a')).map(textOf).filter(Boolean);
      const list = meta[rule.target as 'tags'];
      if (!links.length) applyField(meta, { key: label, value, rule });
      for (const l of links) if (!list.includes(l)) list.push(l);
    } else if (/^series$/i.test(label)) {
      const part = /^Part\s+(\d+)\s+of\s+(.+?)(?:,\s*Part\s+\d+\s+of\s.*)?$/i.exec(value);
      if (part) meta.series ??= { name: part[2]!.trim(), index: Number(part[1]) };
      else if (value) meta.extra['Series'] = value;
    } else if (/^stats$/i.test(label)) {
      for (const m of value.matchAll(/\b(Published|Updated|Completed|Words):\s*(\S+)/g)) {
        const line = parseHeaderLine(`${m[1] === 'Completed' ? 'Updated' : m[1]}: ${m[2]}`);
        if (line) applyField(meta, line);
      }
    } else if (rule && value) applyField(meta, { key: label, value, rule });
    else if (label && value) meta.extra[label] = value;
  }
}

function ao3(input: ProducerInput, out: ProducerResult): void {
  const { doc, wrappers, meta, tally, pm } = input;
  const preface = Array.from(doc.querySelectorAll('[id^="preface-i"]')).find((e) => /^preface-i\d+$/.test(e.id));
  const fromArchive = pm.makers.some((m) => /Archive of Our Own/i.test(m)) || /Archive of Our Own/i.test(textOf(preface));
  if (!preface && !fromArchive) return;
  out.names.push('ao3');
  const afterwords = Array.from(doc.querySelectorAll('[id^="afterword-i"]')).filter((e) => /^afterword-i\d+$/.test(e.id));
  // calibre splits the preface over several files; every file holding part of it goes.
  // A file whose text is all preface or afterword goes (calibre also leaves empty stubs of both
  // in chapter files, which stay).
  const frame = (e: Element): boolean => /^(?:preface|afterword)-i\d+$/.test(e.id);
  for (const w of wrappers) {
    const parts = Array.from(w.querySelectorAll('[id]')).filter(frame);
    const inside = parts.reduce((n, e) => n + textOf(e).length, 0);
    if (parts.length && inside > 0 && inside >= textOf(w).length - 1) out.dropped.add(Number(w.getAttribute('data-f2e-item')));
  }
  const prefaceParts = wrappers.filter((w) => out.dropped.has(Number(w.getAttribute('data-f2e-item'))) && w.querySelector('[id^="preface-i"]'));
  const tags = emptyMeta();
  let readTags = false;
  for (const part of prefaceParts) {
    const dl = part.querySelector('dl.tags') ?? part.querySelector('dl');
    if (dl) {
      readAo3Tags(dl, tags);
      readTags = true;
    }
    const h1 = part.querySelector('h1');
    if (h1 && textOf(h1)) meta.title = textOf(h1);
    const byline = Array.from(part.querySelectorAll('div, p')).find((d) => /^by\s/i.test(textOf(d)) && d.querySelector('a[rel="author"], a[href*="/users/"]'));
    if (byline) {
      const names = Array.from(byline.querySelectorAll('a[rel="author"], a[href*="/users/"]')).map(textOf).map((n) => n.replace(/\s*\([^)]*\)$/, '')).filter(Boolean);
      if (names.length) meta.authors = names;
    }
    const work = Array.from(part.querySelectorAll('a[href*="/works/"]')).map((a) => /https?:\/\/(?:www\.)?archiveofourown\.org\/works\/(\d+)/.exec(a.getAttribute('href') ?? '')?.[1]).find(Boolean);
    if (work) meta.sourceUrl = `https://archiveofourown.org/works/${work}`;
    const summary = takeLabelledQuote(part, /^Summary:?$/i, tally);
    if (summary) meta.summary = summary;
    const notes = takeLabelledQuote(part, /^Notes:?$/i, tally);
    if (notes) meta.notes = notes;
  }
  if (readTags) {
    // The preface's tag list is the Archive's own; it beats calibre's flattened subjects.
    for (const f of ['warnings', 'category', 'fandoms', 'relationships', 'characters', 'tags'] as const) meta[f] = tags[f];
    if (tags.rating) meta.rating = tags.rating;
    if (tags.language && !meta.language) meta.language = tags.language;
    if (tags.series) meta.series = tags.series;
    if (tags.published) meta.published = tags.published;
    if (tags.updated) meta.updated = tags.updated;
    if (tags.statedWords !== undefined) meta.statedWords = tags.statedWords;
    Object.assign(meta.extra, tags.extra);
  } else sortAo3Subjects(pm.subjects, meta);
  for (const a of afterwords) {
    const end = takeLabelledQuote(a, /^End Notes:?$/i, tally);
    if (end) meta.endNotes = end;
  }
  out.chapterNotes = (chapter, t) => {
    const summary = takeLabelledQuote(chapter, /^Chapter Summary:?$/i, t);
    const notes = takeLabelledQuote(chapter, /^Chapter Notes:?$/i, t);
    const endNotes = takeLabelledQuote(chapter, /^Chapter End Notes:?$/i, t);
    // "See the end of the chapter for more notes": a jump to what the book shows anyway.
    for (const d of Array.from(chapter.querySelectorAll('div, p'))) if (/^See the end of the (?:chapter|work) for/i.test(textOf(d))) d.remove();
    return { ...(summary ? { summary } : {}), ...(notes ? { notes } : {}), ...(endNotes ? { endNotes } : {}) };
  };
}

/** "Label: value" pairs of a page written as `<b>Label:</b> value<br/>` lines or table rows. */
function labelledValues(page: Element): { label: string; value: string }[] {
  const out: { label: string; value: string }[] = [];
  for (const b of Array.from(page.querySelectorAll('b, strong'))) {
    const label = textOf(b);
    if (!/:$/.test(label)) continue;
    let value = '';
    for (let n = b.nextSibling; n; n = n.nextSibling) {
      if (n.nodeType === 1 && ['br', 'b', 'strong', 'p', 'div'].includes((n as Element).localName)) break;
      value += n.textContent ?? '';
    }
    if (!foldSpace(value) && b.parentElement?.localName === 'td') value = b.parentElement.nextElementSibling?.textContent ?? '';
    out.push({ label: label.replace(/:$/, '').trim(), value: foldSpace(value) });
  }
  return out;
}

// FanFicFare's page kinds, by body class or file name.
const FFF_PAGE = /\bfff_(?:titlepage|tocpage|logpage|coverpage)\b/;
const FFF_FILE = /(?:^|\/)(?:title_page|toc_page|log_page|cover)\.xhtml$/;

function fanFicFare(input: ProducerInput, out: ProducerResult): void {
  const { items, wrappers, meta, pm } = input;
  const byMaker = pm.makers.some((m) => /FanFicFare|fanficdownloader/i.test(m));
  if (!byMaker && !items.some((i) => FFF_PAGE.test(i.bodyClass))) return;
  out.names.push('fanficfare');
  for (const item of items) {
    if (!FFF_PAGE.test(item.bodyClass) && !FFF_FILE.test(item.name)) continue;
    out.dropped.add(item.index);
    if (!/fff_titlepage/.test(item.bodyClass) && !/title_page\.xhtml$/.test(item.name)) continue;
    const page = wrappers[item.index]!;
    const link = page.querySelector('h3 a[href^="http"], h1 a[href^="http"]');
    if (link) meta.sourceUrl ??= link.getAttribute('href') ?? undefined;
    for (const { label, value } of labelledValues(page)) {
      if (!value) continue;
      const line = parseHeaderLine(`${label}: ${value}`);
      // The OPF's summary is the same text, kept with its paragraphs.
      if (line && line.rule.target === 'summary' && meta.summary) continue;
      if (line && ['title', 'authors', 'published', 'updated', 'sourceUrl', 'language'].includes(line.rule.target)) continue;
      if (line) applyField(meta, line);
      else if (!/^(?:Site|Story URL|Author URL|Chapters|Packaged)$/i.test(label)) meta.extra[label] = value;
    }
  }
}

function webToEpub(input: ProducerInput, out: ProducerResult): void {
  const { items, wrappers, meta, pm, tally } = input;
  const info = items.find((i) => /(?:^|\/)0000_Information\.x?html$/i.test(i.name));
  if (!info && !pm.makers.some((m) => /WebToEpub/i.test(m))) return;
  out.names.push('webtoepub');
  if (!info) return;
  out.dropped.add(info.index);
  const page = wrappers[info.index]!;
  const url = Array.from(page.querySelectorAll('p')).map((p) => /(https?:\/\/\S+)/.exec(textOf(p))?.[1]).find(Boolean);
  if (url) meta.sourceUrl ??= url;
  // The site's own description of the work, copied from its contents page.
  const described = page.querySelector(':scope > div:last-of-type') ?? undefined;
  if (described && !meta.summary) {
    const blocks = nonEmpty(htmlBlocks(described, tally));
    if (blocks) meta.summary = blocks;
  }
}

/** Pages no story holds, whoever made the book: the navigation document, title/cover/contents
 * pages typed so, calibre's and pandoc's title pages, a contents page of links, and an
 * unlisted picture-only page before the story (its picture is the cover). */
function frontMatter(input: ProducerInput, out: ProducerResult): void {
  const { items, wrappers, navName, listed } = input;
  let storyStarted = false;
  for (const item of items) {
    const w = wrappers[item.index]!;
    const typed = `${item.bodyType} ${Array.from(w.querySelectorAll(':scope > section, :scope > div')).slice(0, 1).map((e) => e.getAttribute('epub:type') ?? '').join(' ')}`;
    const text = textOf(w);
    const links = Array.from(w.querySelectorAll('a[href^="#"]'));
    const linkText = links.map(textOf).join('').length;
    const pictures = w.querySelectorAll('img').length;
    const drop =
      item.name === navName ||
      /\b(?:titlepage|cover|toc|halftitlepage)\b/.test(typed) ||
      /(?:^|\/)titlepage\.x?html$/i.test(item.name) ||
      item.bodyId === 'calibre_generated_inline_toc' ||
      w.querySelector('.calibre_toc, #calibre_generated_inline_toc, nav[epub\\:type~="toc"]') !== null ||
      (links.length >= 2 && linkText >= text.replace(/\s/g, '').length * 0.6 && !listed.has(item.index)) ||
      (!storyStarted && !text && pictures <= 1 && !listed.has(item.index));
    if (drop) {
      out.dropped.add(item.index);
      if (!storyStarted && pictures === 1 && !text) out.coverPicture ??= decodeURI(w.querySelector('img')?.getAttribute('src') ?? '') || undefined;
    } else if (!out.dropped.has(item.index) && text) storyStarted = true;
  }
}

/** Run every producer over the page; later ones see what earlier ones dropped. */
export function readProducerPages(input: ProducerInput): ProducerResult {
  const out: ProducerResult = { names: [], dropped: new Set() };
  ao3(input, out);
  fanFicFare(input, out);
  webToEpub(input, out);
  frontMatter(input, out);
  if (!out.names.includes('ao3')) for (const s of input.pm.subjects) if (!input.meta.tags.includes(s)) input.meta.tags.push(s);
  return out;
}
