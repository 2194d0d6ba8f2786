/** Tree maps shared by the transforms: apply an inline function to every piece of story text. */
import type { Block, Chapter, Inline, Meta, Section, Story } from '../model.js';
import { hasInlines, withInlines } from '../text.js';

/** The stand-in text of a leaf that is not text to typeset (code, ruby, a note reference): a
 * non-space that is no letter, so quote and emphasis rules see a neighbour there. */
export const OBJECT_LEAF = '\ufffc';

/**
 * The leaves of an inline tree as text, in reading order: strings as they are, a line break as
 * `\n`, code, ruby and note references as {@link OBJECT_LEAF}. `rebuildLeaves` numbers leaves the
 * same way.
 */
export function textLeaves(content: Inline[], out: string[] = []): string[] {
  for (const item of content) {
    if (typeof item === 'string') out.push(item);
    else if (hasInlines(item)) textLeaves(item.content, out);
    else out.push(item.kind === 'br' ? '\n' : OBJECT_LEAF);
  }
  return out;
}

/**
 * A copy of `content` with each string leaf replaced by `f(text, k)` (k: its index among
 * `textLeaves(content)`); other leaves are kept as they are, and styled runs and links left
 * without content are dropped, as are empty strings. With `merge`, adjacent strings become one.
 */
export function rebuildLeaves(content: Inline[], f: (text: string, k: number) => Inline[], merge = false): Inline[] {
  let k = 0;
  const walk = (items: Inline[]): Inline[] => {
    const out: Inline[] = [];
    for (const item of items) {
      if (typeof item === 'string') {
        for (const r of f(item, k++)) {
          if (typeof r === 'string') {
            if (r === '') continue;
            const last = out.length - 1;
            if (merge && last >= 0 && typeof out[last] === 'string') out[last] = (out[last] as string) + r;
            else out.push(r);
          } else out.push(r);
        }
        continue;
      }
      if (!hasInlines(item)) {
        k++;
        out.push(item);
        continue;
      }
      const next = walk(item.content);
      if (next.length > 0) out.push(withInlines(item, next));
    }
    return out;
  };
  return walk(content);
}

/** Applies `f` to the inline content of every block, recursing into quotes, notes, lists and
 * tables; verse per line. Preformatted text is left as it is. */
export function mapBlocks(blocks: Block[], f: (content: Inline[]) => Inline[]): Block[] {
  return blocks.map((block): Block => {
    switch (block.kind) {
      case 'p':
      case 'heading':
        return { ...block, content: f(block.content) };
      case 'quote':
      case 'note':
        return { ...block, blocks: mapBlocks(block.blocks, f) };
      case 'verse':
        return { ...block, lines: block.lines.map(f) };
      case 'list':
        return { ...block, items: block.items.map((item) => mapBlocks(item, f)) };
      case 'table':
        return {
          ...block,
          ...(block.caption ? { caption: f(block.caption) } : {}),
          rows: block.rows.map((row) => row.map((cell) => ({ ...cell, content: f(cell.content) }))),
        };
      case 'break':
      case 'figure':
      case 'pre':
        return { ...block };
    }
  });
}

/**
 * Copies a story, applying `f` to the inline content of all its story text and notes (front,
 * every chapter section, chapter summaries/notes, end, footnotes, meta summary/notes/endNotes),
 * and `title` to chapter titles when given. The input is not mutated.
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
  const out: Story = { ...story, meta, front: blocks(story.front), chapters, end: blocks(story.end) };
  if (story.footnotes) out.footnotes = story.footnotes.map((n) => ({ ...n, blocks: blocks(n.blocks) }));
  return out;
}
