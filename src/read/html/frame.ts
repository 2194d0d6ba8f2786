/**
 * The frame of every HTML reader: an empty story, the page parsed (and always closed), its
 * footnotes taken out, the format's own reading, then the common ending (end marks, the read-008
 * note and the pictures the sanitizer dropped; `finishRead` does the rest).
 */
import type { Block, Story } from '../../model.js';
import type { ReadContext } from '../context.js';
import type { TextInput } from '../format.js';
import { emptyStory } from '../story.js';
import { takeEndMarks } from '../structure.js';
import { htmlBlocks } from './blocks.js';
import { takeFootnotes } from './notes.js';
import { parseHtmlPage } from './parse.js';
import { losePictures, newTally, unsafeDiagnostic, type UnsafeTally } from './sanitize.js';

/** The tally of one page, counting into the context's losses, footnotes and pictures. */
export function pageTally(ctx: ReadContext): UnsafeTally {
  return { ...newTally(ctx.images), losses: ctx.losses, footnotes: ctx.footnotes };
}

/**
 * The end of every HTML reader: move end marks ("The End") off the last chapter into
 * `story.end`, report what the sanitizer dropped (read-008) and count the pictures left out.
 * Call after the page is closed; the story holds plain data only.
 */
export function finishPageRead(story: Story, tally: UnsafeTally, ctx: ReadContext, endMarks = true): Story {
  const last = story.chapters[story.chapters.length - 1];
  if (endMarks && last) story.end = takeEndMarks(last.sections[0]!.blocks);
  const unsafe = unsafeDiagnostic(tally, ctx.path);
  if (unsafe) ctx.diagnostics.push(unsafe);
  losePictures(tally);
  return story;
}

/**
 * Story blocks from a piece of HTML that is not a whole saved page (a mail's HTML part): parsed,
 * sanitized and read as a page's story text is, with real emphasis, its footnotes taken out into
 * `tally.footnotes` and what was dropped counted (read-008 said on `ctx`).
 */
export function htmlFragmentBlocks(html: string, tally: UnsafeTally, ctx: ReadContext): Block[] {
  const page = parseHtmlPage(html);
  try {
    takeFootnotes(page.document, tally);
    const blocks = htmlBlocks(page.document.body, tally);
    const unsafe = unsafeDiagnostic(tally, ctx.path);
    if (unsafe) ctx.diagnostics.push(unsafe);
    losePictures(tally);
    return blocks;
  } finally {
    page.close();
  }
}

/**
 * The frame of every HTML reader: an empty story of `format`, the page parsed (and always
 * closed), its footnotes taken out (`takeFootnotes`), `fill` reading the story from the
 * document, then the common ending.
 */
export function readHtmlStory(
  input: TextInput,
  ctx: ReadContext,
  format: string,
  fill: (doc: Document, story: Story, tally: UnsafeTally) => void,
  endMarks = true,
): Story {
  const story = emptyStory(input.path, format, input.encoding);
  const tally = pageTally(ctx);
  const page = parseHtmlPage(input.text);
  try {
    takeFootnotes(page.document, tally);
    fill(page.document, story, tally);
  } finally {
    page.close();
  }
  return finishPageRead(story, tally, ctx, endMarks);
}
