/**
 * A book converted from a saved text that had lost its line breaks (calibre on the Archive's
 * download flattened to one line) holds its whole story as one paragraph: a book reader can
 * only keep it so. Its text is read again as the text it was, by the text formats; when one of
 * them recognises it (not the plain-text fallback) and finds paragraphs in it, that story is
 * taken, with what the book's package stated filling what the text does not say.
 */
import type { Block, Meta, Story } from '../model.js';
import { blockText } from '../text.js';
import { isStandInAuthor, isStandInTitle } from './formats/epub/stand-ins.js';
import { readWith } from './context.js';
import { detectInput } from './detect.js';
import type { ReadContext } from './input.js';

// A paragraph this long that is the whole book is text that lost its breaks, not a short story of one paragraph.
const FLAT_MIN_CHARS = 2000;

/** The text of the one paragraph a story is made of, when it is nothing else and long. */
export function oneFlatParagraph(story: Story): string | undefined {
  const blocks: Block[] = story.chapters.flatMap((c) => c.sections.flatMap((s) => s.blocks.filter((b) => b.kind !== 'break')));
  if (blocks.length !== 1 || blocks[0]!.kind !== 'p') return undefined;
  const text = blockText(blocks[0]!).trim();
  return text.length >= FLAT_MIN_CHARS ? text : undefined;
}

/** `again`'s metadata, with the fields it left empty taken from the book's package (never its stand-ins). */
function mergedMeta(again: Meta, book: Meta): Meta {
  const meta: Meta = { ...again, extra: { ...book.extra, ...again.extra } };
  const fill = meta as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(book)) {
    const have = fill[k];
    const empty = have === undefined || (Array.isArray(have) && have.length === 0);
    if (!empty || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    if (k === 'title' && isStandInTitle(v as string)) continue;
    if (k === 'authors' && (v as string[]).every(isStandInAuthor)) continue;
    fill[k] = v;
  }
  return meta;
}

/**
 * The story read again from its one flat paragraph (see above), or undefined when it is not one
 * or no text format finds more in it. What the second read says goes into `ctx`.
 */
export async function rereadFlatText(story: Story, ctx: ReadContext): Promise<Story | undefined> {
  const text = oneFlatParagraph(story);
  if (text === undefined) return undefined;
  const { detection, input } = detectInput(`${ctx.path.replace(/\.[^./\\]*$/, '')}.txt`, Buffer.from(text, 'utf8'), ctx);
  if (detection.format.input !== 'text' || detection.format.name === 'plain-text' || detection.score <= 0.1) return undefined;
  const again = await readWith(detection.format, input, ctx);
  const paragraphs = again.chapters.reduce((n, c) => n + c.sections.reduce((m, s) => m + s.blocks.filter((b) => b.kind === 'p').length, 0), 0);
  if (paragraphs < 2) return undefined;
  ctx.info('read-014', `the book's text is one paragraph of ${text.length} characters: read again as ${detection.format.name}, ${again.chapters.length} ${again.chapters.length === 1 ? 'chapter' : 'chapters'} and ${paragraphs} paragraphs found`);
  return {
    ...again,
    meta: mergedMeta(again.meta, story.meta),
    source: story.source,
    ...(story.cover ? { cover: story.cover } : {}),
    ...(story.images ? { images: story.images } : {}),
  };
}
