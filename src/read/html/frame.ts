/**
 * The frame of every HTML reader: an empty story, the page parsed (and always closed), its
 * footnotes taken out, the format's own reading, then the common ending (end marks, footnotes,
 * pictures, the read-008 note and the fidelity report).
 */
import { type Diagnostic, warning } from '../../diagnostics.js';
import type { Story } from '../../model.js';
import { lossDiagnostics } from '../fidelity.js';
import type { ReadResult, TextInput } from '../formats/types.js';
import { emptyStory } from '../story.js';
import { takeEndMarks } from '../structure.js';
import { takeFootnotes } from './notes.js';
import { parseHtmlPage } from './parse.js';
import { losePictures, pageTally, unsafeDiagnostic, type UnsafeTally } from './sanitize.js';

/**
 * The end of every HTML reader: move end marks ("The End") off the last chapter into
 * `story.end`, keep the footnotes and pictures, report what the sanitizer dropped (read-008)
 * and what the book could not carry (fid-*), and return the result.
 * Call after the page is closed; the story holds plain data only.
 */
export function finishPageRead(story: Story, diagnostics: Diagnostic[], tally: UnsafeTally, path: string, endMarks = true): ReadResult {
  const last = story.chapters[story.chapters.length - 1];
  if (endMarks && last) story.end = takeEndMarks(last.sections[0]!.blocks);
  const unsafe = unsafeDiagnostic(tally, path);
  if (unsafe) diagnostics.push(unsafe);
  losePictures(tally);
  diagnostics.push(...lossDiagnostics(tally.losses, path));
  if (tally.footnotes.length) story.footnotes = tally.footnotes;
  if (tally.sink?.images.length) story.images = tally.sink.images;
  return { story, diagnostics };
}

/**
 * The frame of every HTML reader: an empty story of `format`, the page parsed (and always
 * closed), its footnotes taken out (`takeFootnotes`), `fill` reading the story from the
 * document, then the common ending.
 */
export function readHtmlStory(
  input: TextInput,
  options: { images?: boolean },
  format: string,
  fill: (doc: Document, story: Story, diagnostics: Diagnostic[], tally: UnsafeTally) => void,
  endMarks = true,
): ReadResult {
  const story = emptyStory(input.path, format, input.encoding);
  const diagnostics: Diagnostic[] = [];
  const tally = pageTally(input.path, options);
  const page = parseHtmlPage(input.text);
  try {
    takeFootnotes(page.document, tally);
    fill(page.document, story, diagnostics, tally);
  } finally {
    page.close();
  }
  return finishPageRead(story, diagnostics, tally, input.path, endMarks);
}

/** A diagnostic note that a saved page held only part of a story. */
export function partialPage(message: string, path?: string): Diagnostic {
  return warning('read-009', message, path);
}
