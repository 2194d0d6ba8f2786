/**
 * Kobo's kepub (`.kepub.epub`), a peer of the EPUB writer. Kobo's own renderer tracks reading
 * position, highlights and statistics through `koboSpan`s and paginates inside two wrapper
 * divs; without them it forgets the place inside a chapter. The rules follow what Kobo's store
 * books hold and what kepubify (pgaskin/kepubify) documents, written here from its description:
 * - every text node of the body is cut after each sentence (after . ! ? : … and their CJK
 *   forms, with closing quotes and the following space), each piece in
 *   `<span class="koboSpan" id="kobo.P.S">`: P counts the blocks (paragraphs, headings, list
 *   items, cells) that hold spans, S the pieces inside one; text that is only whitespace is left
 *   as it is (a span of spaces holds no reading position, and navigation lists forbid it);
 * - each picture is its own block, its `<img>` inside a span;
 * - preformatted text, scripts, styles and ruby readings keep their text as it is;
 * - the body's content sits in `div#book-columns > div#book-inner`;
 * - the cover is declared both ways (EPUB 3 `properties="cover-image"`, EPUB 2
 *   `<meta name="cover">`), which the package document already does for every book;
 * - internal file names are ASCII without spaces or `!` (checked: `assertPortableNames`).
 */
import type { BookPlan, PlannedPage } from '../render/book.js';
import { navBody } from '../render/pages.js';
import { renderDocument } from '../render/xhtml.js';
import { raw } from '../render/xml.js';
import { epubFiles, type EpubVariant } from './epub.js';
import type { FileMap } from './files.js';
import { CSS_FILE } from './opf.js';
import type { BookPage } from './page-file.js';
import type { Writer } from './writer.js';

// Elements whose text forms one numbered block of spans.
const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'dt', 'dd', 'td', 'th', 'caption', 'figcaption']);
// Elements whose text is kept exactly as it is: preformatted text, and ruby's readings and
// fallback parentheses (an annotation, not text read; `rp` allows no element inside).
const VERBATIM = new Set(['pre', 'script', 'style', 'rt', 'rp']);
// A tag, or a run of text, in markup this project serialised (src/render/xml.ts: attribute
// values escape `>` and `<`, so a tag never holds one).
const TOKEN = /<[^>]*>|[^<]+/g;
// Where a sentence ends: its closing punctuation, closing quotes or brackets, then spaces.
const SENTENCE_END = /[.!?:…。！？]+[’”"'»」』）)\]]*\s*/gu;

/** A text run cut after each sentence; nothing is lost (the pieces join to the run). */
export function sentences(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (const m of text.matchAll(SENTENCE_END)) {
    const end = m.index + m[0].length;
    if (end > from) out.push(text.slice(from, end));
    from = end;
  }
  if (from < text.length) out.push(text.slice(from));
  return out;
}

/** Body markup with every sentence in a `koboSpan` (see the rules above). */
export function koboSpans(body: string): string {
  const out: string[] = [];
  const stack: string[] = [];
  let para = 0;
  let seg = 0;
  let nextBlock = false;
  let verbatim = 0;
  const span = (inner: string): string => `<span class="koboSpan" id="kobo.${para}.${seg}">${inner}</span>`;
  for (const [token] of body.matchAll(TOKEN)) {
    if (token.startsWith('</')) {
      const name = stack.pop()!;
      if (VERBATIM.has(name)) verbatim--;
      out.push(token);
    } else if (token.startsWith('<!') || token.startsWith('<?')) out.push(token);
    else if (token.startsWith('<')) {
      const name = /^<([^\s/>]+)/.exec(token)![1]!;
      if (name === 'img' && !verbatim) {
        // A picture is a block of its own.
        para++;
        seg = 1;
        nextBlock = false;
        out.push(span(token));
        continue;
      }
      if (!token.endsWith('/>')) {
        stack.push(name);
        if (VERBATIM.has(name)) verbatim++;
        if (BLOCKS.has(name)) nextBlock = true;
      }
      out.push(token);
    } else if (verbatim || token.trim() === '') out.push(token);
    else {
      for (const piece of sentences(token)) {
        if (nextBlock) {
          para++;
          seg = 0;
          nextBlock = false;
        }
        seg++;
        out.push(span(piece));
      }
    }
  }
  return out.join('');
}

/** The body of a Kobo page: its spans, inside Kobo's two wrapper divs. */
export function koboBody(body: string): string {
  return `<div id="book-columns"><div id="book-inner">\n${koboSpans(body)}\n</div></div>`;
}

// What kepubify adds to every page for Kobo's renderer: no margins around the inner wrapper.
const KOBO_CSS = 'div#book-inner { margin-top: 0; margin-bottom: 0; }\n';

/** Internal file names a Kobo (and Send to Kindle) reads reliably: ASCII, no spaces, no `!`. */
const PORTABLE_NAME = /^[A-Za-z0-9._/-]+$/;

/** Throws when a file of the book has a name Kobo or Kindle mishandle (every name here is made
 * by this project, so one would be a bug, not the user's input). */
export function assertPortableNames(files: FileMap): void {
  const bad = files.map((f) => f.path).filter((p) => !PORTABLE_NAME.test(p));
  if (bad.length) throw new Error(`file names Kobo and Kindle mishandle: ${bad.join(', ')}`);
}

function koboPage(p: PlannedPage): string {
  return renderDocument({ title: p.title, lang: p.lang, bodyType: p.bodyType, stylesheet: CSS_FILE, body: raw(koboBody(p.body.xml)) });
}

function koboNav(plan: BookPlan<BookPage>): string {
  const { contents, landmarks } = plan.labels;
  return renderDocument({ title: contents, lang: plan.meta.language, bodyType: 'frontmatter', stylesheet: CSS_FILE, body: raw(koboBody(navBody(contents, plan.nav, plan.landmarks, landmarks).xml)) });
}

const variant: EpubVariant = { target: 'kobo', page: koboPage, navDocument: koboNav, css: KOBO_CSS };

/** The kepub writer. */
export const koboWriter: Writer = {
  target: 'kobo',
  extension: '.kepub.epub',
  page: koboPage,
  files(plan) {
    const files = epubFiles(plan, variant);
    assertPortableNames(files);
    return { files, diagnostics: [] };
  },
};
