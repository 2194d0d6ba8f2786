/**
 * Any other text: an optional title and "by Name" at the top, then the story. The fallback
 * when no other format is confident.
 */
import { linesToBody } from '../body.js';
import { titleAndByline } from '../header.js';
import { emptyStory } from '../story.js';
import type { Format, ReadResult, TextInput } from './types.js';

/** Read lines that hold no site cruft: title/byline at the top, the rest is the story. */
export function readPlainLines(input: TextInput, lines: string[], format: string): ReadResult {
  const story = emptyStory(input.path, format, input.encoding);
  const top = titleAndByline(lines);
  if (top.title) story.meta.title = top.title;
  story.meta.authors.push(...top.authors);
  const body = linesToBody(lines.slice(top.next));
  story.chapters = body.chapters;
  story.end = body.end;
  return { story, diagnostics: [] };
}

/** The fallback plain-text reader. */
export const plainText: Format = {
  name: 'plain-text',
  description: 'plain text: optional title and "by Name" at the top, then the story',
  sniff: () => 0.1,
  read: (input) => readPlainLines(input, input.text.split('\n'), 'plain-text'),
};
