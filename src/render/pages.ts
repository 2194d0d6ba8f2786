/**
 * Front and back matter: cover page, title page, story information page, anthology title and
 * contents pages, author's end notes, and the navigation document.
 */
import type { Anthology, Block, Meta, Story } from '../model.js';
import { groupThousands, storyWordCount } from '../text.js';
import { wordsFor, type Words } from './locales.js';
import { renderBlocks, type NoteLinks } from './xhtml.js';
import { el, frag, lines, uriReference } from './xml.js';
import type { Child, Xml } from './xml.js';

/** A navigation entry: label, link, nested entries. */
export interface NavEntry {
  label: string;
  href: string;
  children: NavEntry[];
}

/** A landmark of the book (cover, table of contents, start of text). */
export interface Landmark {
  type: 'cover' | 'toc' | 'titlepage' | 'bodymatter';
  href: string;
  label: string;
}

const EN = wordsFor('en');

/** "A", "A and B", "A, B and C" (in the language of `w`). */
export function joinNames(names: string[], w: Words = EN): string {
  return w.joinNames(names);
}

/** "One Step Behind, part 2 of 2". */
export function seriesLabel(meta: Meta, w: Words = EN): string | undefined {
  const s = meta.series;
  if (!s) return undefined;
  if (s.index === undefined) return s.name;
  return w.seriesPart(s.name, s.index, s.total);
}

/** The cover page: the image alone, with alternative text. */
export function coverPage(href: string, alt: string): Xml {
  return el('section', { 'epub:type': 'cover', class: 'cover-page' }, el('img', { src: href, alt, role: 'doc-cover' }));
}

/** A story's title page. `level` 1 for a book, also 1 in anthologies (its own document). */
export function titlePage(meta: Meta, title: string, authors: string[], w: Words = EN): Xml {
  const series = seriesLabel(meta, w);
  return el(
    'section',
    { 'epub:type': 'titlepage', class: 'titlepage' },
    '\n',
    el('h1', { class: 'title' }, title),
    authors.length ? ['\n', el('p', { class: 'byline' }, w.by(w.joinNames(authors)))] : undefined,
    series ? ['\n', el('p', { class: 'series' }, series)] : undefined,
    meta.fandoms.length ? ['\n', el('p', { class: 'fandom' }, meta.fandoms.join(', '))] : undefined,
    '\n',
  );
}

function row(label: string, value: Child): Xml | undefined {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return undefined;
  return frag(el('dt', {}, label), el('dd', {}, value));
}

function list(values: string[]): string | undefined {
  return values.length ? values.join(', ') : undefined;
}

/** The rows of the story information list, each shown only when known. */
export function infoRows(story: Story, authors: string[], w: Words = EN): Xml[] {
  const m = story.meta;
  const counted = m.countedWords ?? storyWordCount(story);
  const words = w.wordCount(groupThousands(counted), m.statedWords !== undefined ? groupThousands(m.statedWords) : undefined);
  const rows: (Xml | undefined)[] = [
    row(authors.length > 1 ? w.authors : w.author, w.joinNames(authors)),
    row(w.rating, m.rating),
    row(w.warnings, list(m.warnings)),
    row(w.category, list(m.category)),
    row(m.fandoms.length > 1 ? w.fandoms : w.fandom, list(m.fandoms)),
    row(m.relationships.length > 1 ? w.relationships : w.relationship, list(m.relationships)),
    row(w.characters, list(m.characters)),
    row(w.tags, list(m.tags)),
    row(w.series, seriesLabel(m, w)),
    row(w.published, m.published),
    row(w.updated, m.updated),
    row(w.words, words),
    ...Object.entries(m.extra).map(([k, v]) => row(k, v)),
    row(w.language, m.language),
    row(w.source, m.sourceUrl ? (/^https?:\/\//i.test(m.sourceUrl) ? el('a', { href: uriReference(m.sourceUrl) }, m.sourceUrl) : m.sourceUrl) : undefined),
  ];
  return rows.filter((r): r is Xml => r !== undefined);
}

function subsection(cls: string, heading: string, level: number, blocks: Block[] | undefined, notes?: NoteLinks): Xml | undefined {
  if (!blocks?.length) return undefined;
  return el('section', { class: cls }, el(`h${level}`, {}, heading), '\n', renderBlocks(blocks, level + 1, notes));
}

/** The story information page (the AO3 preface at its best), typed as front matter. `notes`
 * links the footnotes its summary and notes refer to. */
export function infoPage(story: Story, authors: string[], notes?: NoteLinks, w: Words = EN): Xml {
  const m = story.meta;
  return el(
    'section',
    { class: 'story-info', 'aria-label': w.storyInformation },
    '\n',
    el('h1', {}, w.storyInformation),
    '\n',
    el('dl', { class: 'story-info-list' }, lines(infoRows(story, authors, w))),
    '\n',
    lines([
      subsection('summary', w.summary, 2, m.summary, notes),
      subsection('notes', w.notes, 2, m.notes, notes),
      m.disclaimer ? el('section', { class: 'disclaimer' }, el('h2', {}, w.disclaimer), el('p', {}, m.disclaimer)) : undefined,
    ]),
    '\n',
  );
}

/** Author's notes after the story. */
export function endNotesPage(blocks: Block[], notes?: NoteLinks, w: Words = EN): Xml {
  return el('section', { class: 'end-notes', 'epub:type': 'afterword', role: 'doc-afterword' }, el('h1', {}, w.endNotes), '\n', renderBlocks(blocks, 2, notes));
}

/** An anthology's own title page. */
export function anthologyTitlePage(a: Omit<Anthology, 'stories'>, storyCount: number, w: Words = EN): Xml {
  return el(
    'section',
    { 'epub:type': 'titlepage', class: 'titlepage' },
    '\n',
    el('h1', { class: 'title' }, a.title),
    a.editors.length ? ['\n', el('p', { class: 'byline' }, w.editedBy(w.joinNames(a.editors)))] : undefined,
    '\n',
    el('p', { class: 'fandom' }, w.stories(storyCount)),
    a.description ? ['\n', el('p', { class: 'description' }, a.description)] : undefined,
    '\n',
  );
}

/** One entry of the anthology contents page. */
export interface ContentsEntry {
  title: string;
  href: string;
  authors: string[];
  rating?: string;
  summary?: Block[];
  /** The entry's markup as an earlier build wrote it (a story kept from the book being updated). */
  raw?: Xml;
}

/** The anthology contents page: each story with author, rating and summary. */
export function contentsPage(entries: ContentsEntry[], w: Words = EN): Xml {
  return el(
    'section',
    { class: 'anthology-contents' },
    '\n',
    el('h1', {}, w.contents),
    '\n',
    el(
      'ol',
      { class: 'contents' },
      lines(
        entries.map((e) =>
          e.raw ?? el(
            'li',
            {},
            el('a', { href: e.href }, e.title),
            e.authors.length ? [' ', el('span', { class: 'contents-author' }, w.by(w.joinNames(e.authors)))] : undefined,
            e.rating ? [' ', el('span', { class: 'contents-rating' }, `(${e.rating})`)] : undefined,
            e.summary?.length ? el('div', { class: 'contents-summary' }, renderBlocks(e.summary)) : undefined,
          ),
        ),
      ),
    ),
    '\n',
  );
}

function navList(entries: NavEntry[]): Xml {
  return el('ol', {}, lines(entries.map((e) => el('li', {}, el('a', { href: e.href }, e.label), e.children.length ? navList(e.children) : undefined))));
}

/** The EPUB 3 navigation document body: nested table of contents and landmarks. */
export function navBody(title: string, entries: NavEntry[], landmarks: Landmark[], landmarksTitle = EN.landmarks): Xml {
  return frag(
    el('nav', { 'epub:type': 'toc', role: 'doc-toc', id: 'toc', 'aria-labelledby': 'toc-title' }, '\n', el('h1', { id: 'toc-title' }, title), '\n', navList(entries), '\n'),
    '\n',
    el(
      'nav',
      { 'epub:type': 'landmarks', id: 'landmarks', hidden: 'hidden', 'aria-labelledby': 'landmarks-title' },
      el('h2', { id: 'landmarks-title' }, landmarksTitle),
      el('ol', {}, landmarks.map((l) => el('li', {}, el('a', { 'epub:type': l.type, href: l.href }, l.label)))),
    ),
  );
}
