/**
 * A book's identity from where its story comes from, never from its text: the same story keeps
 * its `dc:identifier` through edits, new chapters and joins, so reading systems keep its place.
 */
import { v5 as uuidv5 } from 'uuid';
import type { Meta, Source } from '../model.js';

/** What identity is made from: a story's metadata and where it was read from. */
export type Identifiable = { meta: Meta; source?: Pick<Source, 'identifier'> };

/** fic2epub's UUID v5 namespace: identifiers made from the same key by other tools differ from ours. */
const NAMESPACE = 'f1c2e9b0-3c5d-5a7e-9b1d-2e4f6a8c0d13';

const fold = (s: string | undefined): string => (s ?? '').normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('en');

/** A source address without what does not name the story: scheme, `www.`, fragment, trailing slash. */
export function normalizeUrl(url: string): string {
  return url.trim().replace(/#.*$/, '').replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^www\./i, '').replace(/\/+$/, '').replace(/^[^/]+/, (host) => host.toLowerCase());
}

/**
 * What names a story, in order of trust: the source's own identifier (an input EPUB's), the
 * story's address as its reader states it (readers give the story's, not a chapter's, page: the
 * Archive's work, FanFiction.Net's story, a journal entry), else its title and first author. A
 * story posted in parts ("Part 2/3") is named by its title and author: each post has its own
 * address, but all of them are one story.
 */
export function storyKey(story: Identifiable): string {
  const m = story.meta;
  if (story.source?.identifier) return `id:${story.source.identifier.trim()}`;
  if (m.sourceUrl && m.installment?.unit !== 'part') return `url:${normalizeUrl(m.sourceUrl)}`;
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
