/**
 * Any other text: a header block or a title block ("Title / by Name", a centred title) at the
 * top, then the story. The fallback when no other format is confident.
 */
import { type SourceLine, sourceLines } from '../body.js';
import { emptyStory } from '../story.js';
import { readTextStory } from '../structure.js';
import type { Format, ReadResult, TextInput } from './types.js';

/** Read lines that hold no site chrome (any more) through the shared text structure; `bareTitle`
 * takes a short line alone at the top for the title (default true). */
export function readPlainLines(input: TextInput, lines: readonly SourceLine[], format: string, bareTitle = true): ReadResult {
  const story = emptyStory(input.path, format, input.encoding);
  const text = readTextStory(lines, story.meta, { path: input.path, bareTitle });
  story.chapters = text.chapters;
  story.end = text.end;
  return { story, diagnostics: text.diagnostics };
}

/** The fallback plain-text reader. */
export const plainText: Format = {
  name: 'plain-text',
  description: 'plain text: optional header or title block at the top, then the story',
  sniff: () => 0.1,
  read: (input) => readPlainLines(input, sourceLines(input.text), 'plain-text'),
};
