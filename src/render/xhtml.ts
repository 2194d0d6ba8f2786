/**
 * Story text → XHTML, per the output contract: every chapter a
 * `<section epub:type="chapter">` with a heading, `<p>` paragraphs, `<hr class="scene-break"/>`
 * and voice sections `<section class="voice" aria-label="…">` nested in their chapter.
 */
import type { Block, Chapter, Inline } from '../model.js';
import { el, frag, lines, uriReference, XML_DECLARATION } from './xml.js';
import type { Child, Xml } from './xml.js';

/**
 * How note references are linked while one file is rendered: each reference's number, where its
 * note is, and (on the first reference in the file to a note shown there) the id its note's
 * back-link points to. `footnoteLinks` makes one.
 */
export interface NoteLinks {
  ref(id: string): { label: string; href: string; anchor?: string } | undefined;
}

// Elements of the styled runs (small caps have no element of their own).
const STYLE_ELEMENTS = { em: 'em', strong: 'strong', strike: 's', underline: 'u', sub: 'sub', sup: 'sup', smallcaps: 'span' } as const;

/** Inline content → markup. Without `notes`, a note reference is its plain number-less mark. */
export function renderInlines(content: Inline[], notes?: NoteLinks): Xml {
  return frag(content.map((c) => renderInline(c, notes)));
}

function renderInline(c: Inline, notes: NoteLinks | undefined): Child {
  if (typeof c === 'string') return c;
  switch (c.kind) {
    case 'br':
      return el('br');
    case 'code':
      return el('code', {}, c.text);
    case 'ruby':
      return el('ruby', {}, c.base, el('rp', {}, '('), el('rt', {}, c.text), el('rp', {}, ')'));
    case 'link':
      return c.href ? el('a', { href: uriReference(c.href), class: 'external' }, renderInlines(c.content, notes)) : renderInlines(c.content, notes);
    case 'noteref': {
      const ref = notes?.ref(c.id);
      if (!ref) return undefined;
      return el('a', { 'epub:type': 'noteref', role: 'doc-noteref', class: 'noteref', id: ref.anchor, href: ref.href }, ref.label);
    }
    default:
      return el(STYLE_ELEMENTS[c.kind], { class: c.kind === 'smallcaps' ? 'smallcaps' : undefined }, renderInlines(c.content, notes));
  }
}

/** Folder of story pictures, beside the pages. */
export const IMAGE_FOLDER = 'images';

/** Blocks → markup. `level` is the heading level for headings inside the blocks. */
export function renderBlocks(blocks: Block[], level = 3, notes?: NoteLinks): Xml {
  return lines(blocks.map((b) => renderBlock(b, level, notes)));
}

function renderBlock(b: Block, level: number, notes: NoteLinks | undefined): Xml {
  const inl = (content: Inline[]): Xml => renderInlines(content, notes);
  switch (b.kind) {
    case 'p':
      return el('p', { class: b.align }, inl(b.content));
    case 'break':
      return el('hr', { class: 'scene-break' });
    case 'heading':
      return el(`h${Math.min(level, 6)}`, { class: 'subheading' }, inl(b.content));
    case 'quote':
      return el('blockquote', {}, renderBlocks(b.blocks, level, notes));
    case 'verse':
      // One stanza, one paragraph: its lines are broken, not separate paragraphs.
      return el('p', { class: 'verse' }, b.lines.map((l, i) => [i > 0 ? el('br') : undefined, inl(l)]));
    case 'list':
      return el(b.ordered ? 'ol' : 'ul', { start: b.ordered && b.start !== undefined && b.start !== 1 ? b.start : undefined },
        b.items.map((item) => el('li', {}, listItem(item, level, notes))));
    case 'table':
      return el('table', {},
        b.caption ? el('caption', {}, inl(b.caption)) : undefined,
        el('tbody', {}, b.rows.map((row) => el('tr', {}, row.map((cell) =>
          el(cell.header ? 'th' : 'td', { colspan: cell.colspan && cell.colspan > 1 ? cell.colspan : undefined, rowspan: cell.rowspan && cell.rowspan > 1 ? cell.rowspan : undefined }, inl(cell.content)))))));
    case 'pre':
      return el('pre', {}, b.text);
    case 'note':
      return el('aside', { class: 'author-note', 'aria-label': b.label }, el('p', { class: 'note-label' }, b.label), '\n', renderBlocks(b.blocks, level, notes));
    case 'figure':
      return el('figure', { class: 'illustration' }, el('img', { src: `${IMAGE_FOLDER}/${b.image}`, alt: b.alt }));
  }
}

// A list item of one plain paragraph is written without the <p>, as lists usually are.
function listItem(item: Block[], level: number, notes: NoteLinks | undefined): Xml {
  if (item.length === 1 && item[0]!.kind === 'p' && !item[0]!.align) return renderInlines(item[0]!.content, notes);
  return renderBlocks(item, level, notes);
}

/** The id of the footnote numbered `n` in its story. */
export function footnoteId(n: number): string {
  return `fn${n}`;
}

// A story's note numbers, made once for all its files (a file each per chapter).
const numbering = new WeakMap<readonly string[], Map<string, number>>();

/**
 * Note links for one file: footnotes numbered by their place in `order` (1-based), each shown in
 * the file `home(id)` names; `file` is the file being rendered.
 */
export function footnoteLinks(order: readonly string[], home: (id: string) => string | undefined, file: string): NoteLinks {
  let numbers = numbering.get(order);
  if (!numbers) numbering.set(order, (numbers = new Map(order.map((id, i) => [id, i + 1]))));
  const anchored = new Set<string>();
  return {
    ref(id) {
      const n = numbers.get(id);
      const where = home(id);
      if (n === undefined || where === undefined) return undefined;
      const here = where === file;
      const first = here && !anchored.has(id);
      if (first) anchored.add(id);
      return { label: String(n), href: `${here ? '' : where}#${footnoteId(n)}`, ...(first ? { anchor: `${footnoteId(n)}-ref` } : {}) };
    },
  };
}

/** The footnotes shown in one file, numbered, each with a link back to its first reference. */
export function renderFootnotes(notes: { n: number; blocks: Block[]; referenced: boolean }[], links: NoteLinks, label = 'Notes'): Xml | undefined {
  if (!notes.length) return undefined;
  return el('section', { class: 'footnotes', 'aria-label': label },
    '\n',
    lines(notes.map((note) => el('aside', { 'epub:type': 'footnote', role: 'doc-footnote', class: 'footnote', id: footnoteId(note.n) },
      '\n',
      el('p', { class: 'footnote-number' }, note.referenced ? el('a', { href: `#${footnoteId(note.n)}-ref`, role: 'doc-backlink' }, `${note.n}.`) : `${note.n}.`),
      '\n',
      renderBlocks(note.blocks, 6, links),
      '\n'))),
    '\n');
}

/** Where a chapter sits: its id (also its file's base name), heading level and fallback title. */
export interface ChapterPlace {
  id: string;
  /** 1 in a single-story book, 2 in an anthology (the story's title page holds the h1). */
  level: number;
  /** Title used when the chapter has none. */
  fallbackTitle: string;
}

/** The id of the n-th (1-based) voice section of a chapter, for navigation links. */
export function voiceId(chapterId: string, n: number): string {
  return `${chapterId}-v${n}`;
}

/** The footnotes a chapter's file links to and shows (see `footnoteLinks`, `renderFootnotes`). */
export interface ChapterNotes {
  links: NoteLinks;
  shown: { n: number; blocks: Block[]; referenced: boolean }[];
  /** The footnote section's label, in the book's language. */
  label?: string;
}

/** One chapter as a `<section epub:type="chapter">`, voices nested. `end` (end marks) is
 * appended inside the chapter, after its text; footnotes shown in this file come last. */
export function renderChapter(ch: Chapter, place: ChapterPlace, end: Block[] = [], notes?: ChapterNotes): Xml {
  const h = Math.min(place.level, 6);
  const title = ch.title ?? place.fallbackTitle;
  const links = notes?.links;
  const blocks = (b: Block[], level: number): Xml => renderBlocks(b, level, links);
  let voiceN = 0;
  const sections: Child[] = ch.sections.map((s) => {
    if (!s.voice) return blocks(s.blocks, h + 1);
    voiceN++;
    return el(
      'section',
      { class: 'voice', 'aria-label': s.voice, id: voiceId(place.id, voiceN) },
      el(`h${Math.min(h + 1, 6)}`, { class: 'voice-label' }, s.voice),
      '\n',
      blocks(s.blocks, h + 2),
    );
  });
  const footnotes = links && notes.shown.length ? renderFootnotes(notes.shown, links, notes.label) : undefined;
  return el(
    'section',
    { 'epub:type': 'chapter', role: 'doc-chapter', class: 'chapter', id: place.id },
    '\n',
    el(`h${h}`, { class: 'chapter-title' }, title),
    '\n',
    ch.summary?.length ? [el('div', { class: 'chapter-summary' }, blocks(ch.summary, h + 1)), '\n'] : undefined,
    ch.notes?.length ? [el('div', { class: 'chapter-notes' }, blocks(ch.notes, h + 1)), '\n'] : undefined,
    lines(sections),
    end.length ? ['\n', lines(end.map((b) => (b.kind === 'p' ? el('p', { class: 'end-mark' }, renderInlines(b.content, links)) : renderBlock(b, h + 1, links))))] : undefined,
    ch.endNotes?.length ? ['\n', el('div', { class: 'chapter-end-notes' }, blocks(ch.endNotes, h + 1))] : undefined,
    footnotes ? ['\n', footnotes] : undefined,
    '\n',
  );
}

/** What a whole XHTML file needs around its body. */
export interface DocumentSpec {
  title: string;
  lang: string;
  /** `epub:type` of the body element (e.g. `frontmatter`, `bodymatter`). */
  bodyType?: string;
  /** Stylesheet href relative to the document; omitted for none. */
  stylesheet?: string;
  body: Xml;
}

/** A complete XHTML5 document starting with the XML declaration. */
export function renderDocument(doc: DocumentSpec): string {
  const html = el(
    'html',
    { xmlns: 'http://www.w3.org/1999/xhtml', 'xmlns:epub': 'http://www.idpf.org/2007/ops', lang: doc.lang, 'xml:lang': doc.lang },
    '\n',
    el(
      'head',
      {},
      '\n',
      el('meta', { charset: 'utf-8' }),
      '\n',
      el('title', {}, doc.title),
      doc.stylesheet ? ['\n', el('link', { rel: 'stylesheet', type: 'text/css', href: doc.stylesheet })] : undefined,
      '\n',
    ),
    '\n',
    el('body', { 'epub:type': doc.bodyType }, '\n', doc.body, '\n'),
    '\n',
  );
  return `${XML_DECLARATION}\n<!DOCTYPE html>\n${html.xml}\n`;
}
