/**
 * Any other text: a header block or a title block ("Title / by Name", a centred title) at the
 * top, then the story. The fallback when no other format is confident.
 */
import { sourceLines } from '../body.js';
import type { TextFormat } from '../format.js';
import { readPlainLines } from '../structure.js';

/** The fallback plain-text reader. */
export const plainText: TextFormat = {
  name: 'plain-text',
  description: 'plain text: optional header or title block at the top, then the story',
  input: 'text',
  extensions: ['.txt', '.text'],
  inlineMarkers: true,
  precedence: 10,
  sniff: () => 0.1,
  read: (input, ctx) => readPlainLines(input, sourceLines(input.text), 'plain-text', ctx),
};
