/** Tree maps shared by the transforms: apply an inline function to every piece of story text. */
import type { Block, Chapter, Inline, Meta, Section, Story } from '../model.js';

/** Applies `f` to the inline content of every block, recursing into quotes; verse per line. */
export function mapBlocks(blocks: Block[], f: (content: Inline[]) => Inline[]): Block[] {
  return blocks.map((block): Block => {
    switch (block.kind) {
      case 'p':
      case 'heading':
        return { ...block, content: f(block.content) };
      case 'quote':
        return { ...block, blocks: mapBlocks(block.blocks, f) };
      case 'verse':
        return { ...block, lines: block.lines.map(f) };
      case 'break':
      case 'figure':
        return { ...block };
    }
  });
}

/**
 * Copies a story, applying `f` to the inline content of all its story text and notes (front,
 * every chapter section, chapter summaries/notes, end, meta summary/notes/endNotes), and
 * `title` to chapter titles when given. The input is not mutated.
 */
export function mapStoryInlines(story: Story, f: (content: Inline[]) => Inline[], title?: (t: string) => string): Story {
  const blocks = (b: Block[]): Block[] => mapBlocks(b, f);
  const meta: Meta = { ...story.meta };
  if (story.meta.summary !== undefined) meta.summary = blocks(story.meta.summary);
  if (story.meta.notes !== undefined) meta.notes = blocks(story.meta.notes);
  if (story.meta.endNotes !== undefined) meta.endNotes = blocks(story.meta.endNotes);
  const chapters = story.chapters.map((chapter): Chapter => {
    const copy: Chapter = {
      ...chapter,
      sections: chapter.sections.map((section): Section => ({ ...section, blocks: blocks(section.blocks) })),
    };
    if (chapter.title !== undefined && title) copy.title = title(chapter.title);
    if (chapter.summary !== undefined) copy.summary = blocks(chapter.summary);
    if (chapter.notes !== undefined) copy.notes = blocks(chapter.notes);
    if (chapter.endNotes !== undefined) copy.endNotes = blocks(chapter.endNotes);
    return copy;
  });
  return { ...story, meta, front: blocks(story.front), chapters, end: blocks(story.end) };
}
