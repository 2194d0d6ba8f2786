/**
 * Archive "print this story" pages saved as text: a print link ("printprint this story!"),
 * a disclaimer paragraph, "by Name", then the story, with runs of blank lines as scene breaks.
 */
import { sourceLines } from '../body.js';
import { parseHeaderLine } from '../header.js';
import type { ReadContext } from '../context.js';
import type { TextFormat, TextInput } from '../format.js';
import { readPlainLines } from '../structure.js';
import type { Story } from '../../model.js';

// The print link, sometimes doubled by the link's image alt text ("printprint this story!").
const PRINT_LINK = /^\s*(?:print\s*)+(?:this\s+(?:story|chapter|page)|version|friendly(?:\s+version)?)?\s*!?\s*$|^\s*printer[- ]friendly(?:\s+version)?\s*$/i;

function sniff(input: TextInput): number {
  const head = input.text.slice(0, 3000).split('\n').slice(0, 8);
  return head.some((l) => PRINT_LINK.test(l) && l.trim().length > 0) ? 0.9 : 0;
}

function read(input: TextInput, ctx: ReadContext): Story {
  const lines = sourceLines(input.text);
  let disclaimer: string | undefined;
  let i = 0;
  // Print links, blank lines and a disclaimer paragraph precede the byline.
  for (; i < Math.min(lines.length, 20); i++) {
    const line = lines[i]!.text;
    if (line.trim() === '' || PRINT_LINK.test(line)) continue;
    const d = parseHeaderLine(line);
    if (d?.rule.target === 'disclaimer') {
      // The disclaimer is a paragraph: its wrapped lines run to the next blank line.
      const words = [d.value];
      while (i + 1 < lines.length && lines[i + 1]!.text.trim()) words.push(lines[++i]!.text.trim());
      disclaimer = words.join(' ').trim();
      continue;
    }
    break;
  }
  // Print pages put the byline first; a short first line of the story is not a title.
  const story = readPlainLines(input, lines.slice(i), 'print-page', ctx, false);
  if (disclaimer) story.meta.disclaimer = disclaimer;
  return story;
}

/** The print-page reader. */
export const printPage: TextFormat = {
  name: 'print-page',
  description: 'archive "print this story" page saved as text: print link, disclaimer, byline, story',
  input: 'text',
  extensions: ['.txt'],
  inlineMarkers: true,
  precedence: 70,
  sniff,
  read,
};
