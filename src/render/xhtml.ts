/**
 * Story text → XHTML, per the output contract: every chapter a
 * `<section epub:type="chapter">` with a heading, `<p>` paragraphs, `<hr class="scene-break"/>`
 * and voice sections `<section class="voice" aria-label="…">` nested in their chapter.
 */
import type { Block, Chapter, Inline } from '../model.js';
import { el, frag, lines, XML_DECLARATION } from './xml.js';
import type { Child, Xml } from './xml.js';

/** Inline content → markup. */
export function renderInlines(content: Inline[]): Xml {
  return frag(content.map((c) => (typeof c === 'string' ? c : el(c.kind, {}, renderInlines(c.content)))));
}

/** Folder of story pictures, beside the pages. */
export const IMAGE_FOLDER = 'images';

/** Blocks → markup. `level` is the heading level for headings inside the blocks. */
export function renderBlocks(blocks: Block[], level = 3): Xml {
  return lines(blocks.map((b) => renderBlock(b, level)));
}

function renderBlock(b: Block, level: number): Xml {
  switch (b.kind) {
    case 'p':
      return el('p', { class: b.align === 'center' ? 'center' : undefined }, renderInlines(b.content));
    case 'break':
      return el('hr', { class: 'scene-break' });
    case 'heading':
      return el(`h${Math.min(level, 6)}`, { class: 'subheading' }, renderInlines(b.content));
    case 'quote':
      return el('blockquote', {}, renderBlocks(b.blocks, level));
    case 'verse':
      return el('div', { class: 'verse' }, lines(b.lines.map((l) => el('p', { class: 'line' }, renderInlines(l)))));
    case 'figure':
      return el('figure', { class: 'illustration' }, el('img', { src: `${IMAGE_FOLDER}/${b.image}`, alt: b.alt }));
  }
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

/** One chapter as a `<section epub:type="chapter">`, voices nested. `end` (end marks) is
 * appended inside the chapter, after its text. */
export function renderChapter(ch: Chapter, place: ChapterPlace, end: Block[] = []): Xml {
  const h = Math.min(place.level, 6);
  const title = ch.title ?? place.fallbackTitle;
  let voiceN = 0;
  const sections: Child[] = ch.sections.map((s) => {
    if (!s.voice) return renderBlocks(s.blocks, h + 1);
    voiceN++;
    return el(
      'section',
      { class: 'voice', 'aria-label': s.voice, id: voiceId(place.id, voiceN) },
      el(`h${Math.min(h + 1, 6)}`, { class: 'voice-label' }, s.voice),
      '\n',
      renderBlocks(s.blocks, h + 2),
    );
  });
  return el(
    'section',
    { 'epub:type': 'chapter', role: 'doc-chapter', class: 'chapter', id: place.id },
    '\n',
    el(`h${h}`, { class: 'chapter-title' }, title),
    '\n',
    ch.summary?.length ? [el('div', { class: 'chapter-summary' }, renderBlocks(ch.summary, h + 1)), '\n'] : undefined,
    ch.notes?.length ? [el('div', { class: 'chapter-notes' }, renderBlocks(ch.notes, h + 1)), '\n'] : undefined,
    lines(sections),
    end.length ? ['\n', lines(end.map((b) => (b.kind === 'p' ? el('p', { class: 'end-mark' }, renderInlines(b.content)) : renderBlock(b, h + 1))))] : undefined,
    ch.endNotes?.length ? ['\n', el('div', { class: 'chapter-end-notes' }, renderBlocks(ch.endNotes, h + 1))] : undefined,
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
