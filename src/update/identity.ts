/**
 * A book's identity from where its story comes from, never from its text: the same story keeps
 * its `dc:identifier` through edits, new chapters and joins, so reading systems keep its place.
 */
import { v5 as uuidv5 } from 'uuid';
import type { Block, Chapter, Meta, Source } from '../model.js';
import { blocksText } from '../text.js';

/** What identity is made from: a story's metadata, where it was read from and (only when it
 * names no author) its opening words. */
export type Identifiable = { meta: Meta; source?: Pick<Source, 'identifier'>; chapters?: Chapter[] };

/** How much of a story's opening names it when nothing else does. */
const OPENING_CHARS = 200;

/** fic2epub's UUID v5 namespace: identifiers made from the same key by other tools differ from ours. */
const NAMESPACE = 'f1c2e9b0-3c5d-5a7e-9b1d-2e4f6a8c0d13';

const fold = (s: string | undefined): string => (s ?? '').normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('en');

/**
 * The first OPENING_CHARS characters of the folded text of `blocks`, folding only as much as
 * they need (a story's whole first chapter, folded for every piece of a batch, was most of a
 * batch's main thread). Text is cut only before whitespace, which nothing is folded across
 * (NFC never composes a space with what precedes it; a final sigma stays final before one), so
 * the folded part is the start of the whole text folded.
 */
function foldedOpening(blocks: Block[]): string {
  const want = 2 * OPENING_CHARS;
  let count = 0;
  for (let length = 0; count < blocks.length && length < want; count++) length += blocksText([blocks[count]!]).length + 1;
  // blocksText joins blocks with a newline: the text of the first blocks is cut before whitespace.
  const text = blocksText(blocks.slice(0, count));
  const space = /\s/g;
  space.lastIndex = want;
  const cut = space.exec(text)?.index ?? text.length;
  const start = fold(text.slice(0, cut));
  if (start.length >= OPENING_CHARS || (cut === text.length && count === blocks.length)) return start.slice(0, OPENING_CHARS);
  return fold(blocksText(blocks)).slice(0, OPENING_CHARS);
}

/** A source address without what does not name the story: scheme, `www.`, fragment, trailing slash. */
export function normalizeUrl(url: string): string {
  return url.trim().replace(/#.*$/, '').replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^www\./i, '').replace(/\/+$/, '').replace(/^[^/]+/, (host) => host.toLowerCase());
}

/**
 * What names a story, in order of trust: the source's own identifier (an input EPUB's), the
 * story's address as its reader states it (readers give the story's, not a chapter's, page: the
 * Archive's work, FanFiction.Net's story, a journal entry), else its title and first author. A
 * story posted in parts ("Part 2/3") is named by its title and author: each post has its own
 * address, but all of them are one story. A story that names neither source nor author is named
 * by its title and opening words: a title alone ("Part", "Drabble") names many stories.
 */
export function storyKey(story: Identifiable): string {
  // Each volume of a story cut into volumes is a book of its own, named by the story and its number.
  const { volume, ...whole } = story.meta;
  if (volume !== undefined) return `${storyKey({ ...story, meta: whole })}\nvolume:${volume}`;
  const m = story.meta;
  if (story.source?.identifier) return `id:${story.source.identifier.trim()}`;
  if (m.sourceUrl && m.installment?.unit !== 'part') return `url:${normalizeUrl(m.sourceUrl)}`;
  if (!m.authors.length) {
    const opening = foldedOpening((story.chapters ?? [])[0]?.sections.flatMap((s) => s.blocks) ?? []);
    return `opening:${fold(m.title)}\n${opening}`;
  }
  return `story:${fold(m.title)}\n${fold(m.authors[0])}`;
}

/** The `dc:identifier` of a story's book. */
export function storyIdentifier(story: Identifiable): string {
  return `urn:uuid:${uuidv5(storyKey(story), NAMESPACE)}`;
}

/** The `dc:identifier` of an anthology: its title and first editor. */
export function anthologyIdentifier(a: { title: string; editors: string[] }): string {
  return `urn:uuid:${uuidv5(`anthology:${fold(a.title)}\n${fold(a.editors[0])}`, NAMESPACE)}`;
}
