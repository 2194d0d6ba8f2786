/** Small constructors shared by every reader. */
import type { Block, Meta, Paragraph, Story } from '../model.js';

/** A Meta with every list empty and nothing stated. */
export function emptyMeta(): Meta {
  return { authors: [], fandoms: [], relationships: [], characters: [], warnings: [], category: [], tags: [], extra: {} };
}

/** An empty story read from `path` by `format`. */
export function emptyStory(path: string, format: string, encoding = 'utf-8'): Story {
  return { meta: emptyMeta(), front: [], chapters: [], end: [], source: { path, format, score: 0, encoding } };
}

/** A paragraph holding one plain string (emphasis markers are parsed later by a transform). */
export function para(text: string): Paragraph {
  return { kind: 'p', content: [text] };
}

/** Paragraphs from a list of strings, skipping blank ones. */
export function paras(texts: string[]): Block[] {
  return texts.map((t) => t.trim()).filter((t) => t.length > 0).map(para);
}
