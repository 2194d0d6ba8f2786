/**
 * What converters write when they know nothing, and the story's own header they leave in the
 * text. A book made from a saved text file by calibre says "Unknown" for the author and the
 * file's name for the title (and draws its cover from both); pandoc writes no title and stamps
 * the conversion time as the date. The story's "Title:/Author:/Rating:" header is then the first
 * thing in the first chapter: it is read as the text formats read it, and fills what the package
 * left unstated or stated only with a stand-in.
 */
import type { Diagnostic } from '../../../diagnostics.js';
import type { Meta, Story } from '../../../model.js';
import { blockText } from '../../../text.js';
import { isPageChrome } from '../../chrome.js';
import { splitList } from '../../header.js';
import { fillEmptyFields, splitJoinedHeader, tagsLineAt } from '../../saved-text.js';
import { emptyMeta } from '../../story.js';
import { takeHeader } from '../../structure.js';

// calibre's "Unknown" in the languages it is most often run in, and the usual English variants.
const STAND_IN_AUTHORS = new Set(['unknown', 'unknown author', 'author unknown', 'unbekannt', 'inconnu', 'inconnu(e)', 'desconocido', 'sconosciuto', 'desconhecido', 'onbekend', 'nieznany', 'неизвестно', 'неизвестный', '不明', '未知', '알 수 없음']);
const STAND_IN_TITLES = new Set(['unknown', 'untitled', 'no title']);

/** True for an author name that is a converter's "nobody stated one". */
export function isStandInAuthor(name: string): boolean {
  return STAND_IN_AUTHORS.has(name.trim().toLowerCase());
}

/** True for a title that says nothing ("Untitled") or is a file's name: one word of letters,
 * digits, dots and dashes with an underscore or a digit in it ("003_story", "fic-12345"). */
export function isStandInTitle(title: string | undefined): boolean {
  if (!title) return true;
  const t = title.trim();
  return STAND_IN_TITLES.has(t.toLowerCase()) || (/^[\p{L}\p{N}._-]+$/u.test(t) && /[_\d]/.test(t) && !/^\d{1,4}$/.test(t));
}

/** True when a package states neither a title of its own nor an author (a converter's stand-ins, left out, or nothing). */
export function statesNothing(meta: Meta): boolean {
  return isStandInTitle(meta.title) && meta.authors.length === 0;
}

const CALIBRE_COVER = Buffer.from('Generated cover: calibre');

/** True for a cover calibre drew itself: it says so in the JPEG's comment, near the start. */
export function isCalibreDrawnCover(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 4096)).includes(CALIBRE_COVER);
}

/** What the first chapter's header gave, for the caller to tell. */
export interface HeaderTaken {
  fields: string[];
  diagnostics: Diagnostic[];
  /** The package's title or authors were stand-ins the header replaced. */
  replaced: boolean;
}

const LIST_FIELDS = ['fandoms', 'relationships', 'characters', 'tags', 'warnings', 'category'] as const;
// How the info message names a field.
const FIELD_NAMES: Partial<Record<keyof Meta, string>> = { statedWords: 'word count', sourceUrl: 'source', endNotes: 'end notes' };
const ONE_FIELDS = ['rating', 'summary', 'notes', 'endNotes', 'disclaimer', 'published', 'updated', 'statedWords', 'series', 'sourceUrl', 'language', 'installment'] as const;

/**
 * Take a "Title:/Author:" header from the top of the story's first chapter into `story.meta`:
 * the header's title replaces a stand-in title, its authors stand-in or missing authors, and
 * its other fields fill fields the package left empty. Undefined when the chapter opens with no
 * header (the chapter is then untouched).
 */
export function takeFirstChapterHeader(story: Story, path: string): HeaderTaken | undefined {
  const first = story.chapters[0];
  const section = first?.sections[0];
  if (!first || !section || first.title !== undefined) return undefined;
  const found = emptyMeta();
  const r = takeHeader(splitJoinedHeader(section.blocks), found, undefined, path);
  if (!r.found) return undefined;
  section.blocks = r.rest;
  if (!story.chapters[0]!.sections.some((s) => s.blocks.some((b) => b.kind !== 'break'))) story.chapters.shift();
  const meta: Meta = story.meta;
  const fields: string[] = [];
  let replaced = false;
  if (found.title && isStandInTitle(meta.title) && found.title !== meta.title) {
    replaced ||= meta.title !== undefined;
    meta.title = found.title;
    fields.push('title');
  }
  for (const k of fillEmptyFields(meta, found, ['authors', ...LIST_FIELDS, ...ONE_FIELDS])) fields.push(FIELD_NAMES[k] ?? k);
  for (const [k, v] of Object.entries(found.extra)) if (!(k in meta.extra)) meta.extra[k] = v;
  return { fields, diagnostics: r.diagnostics, replaced };
}

/** The tags of a "Tags:" value, less the page chrome joined to it ("a: b • Post a new comment"). */
function tagsOf(value: string): string[] {
  return value.split(/\s+[•·|]\s+/).filter((part) => !isPageChrome(part)).flatMap(splitList);
}

/**
 * The end of a book converted from a saved journal page: the page's chrome after the story
 * ("Post a new comment", "default userpic", one paragraph a line or a block of them) and its
 * "Tags:" line, which pandoc joins to the end mark before it ("The End Tags: a, b"), are taken
 * off the last chapter; the tags fill the story's when it has none. Returns how many blocks were
 * removed or cut.
 */
export function takeTrailingPageChrome(story: Story): number {
  const section = story.chapters.at(-1)?.sections.at(-1);
  if (!section) return 0;
  const blocks = section.blocks;
  let taken = 0;
  const takeTags = (value: string): void => {
    if (!story.meta.tags.length) story.meta.tags = tagsOf(value);
  };
  for (;;) {
    const last = blocks.at(-1);
    if (!last || (last.kind !== 'p' && last.kind !== 'pre')) break;
    const text = last.kind === 'pre' ? last.text : blockText(last);
    const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    if (lines.length && lines.every(isPageChrome)) {
      blocks.pop();
      taken++;
      continue;
    }
    if (last.kind !== 'p') break;
    const t = text.trim();
    // The line opens with "Tags:", or pandoc joined it to the end mark before it ("The End Tags: a").
    const tags = tagsLineAt(t);
    if (tags === undefined) break;
    const mark = t.slice(0, tags).trim();
    takeTags(t.slice(t.indexOf(':', tags) + 1).trim());
    if (mark) last.content = [mark];
    else blocks.pop();
    taken++;
    break;
  }
  return taken;
}
