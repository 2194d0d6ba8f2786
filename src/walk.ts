/**
 * The one walk over the document model (what `unist-util-visit` is to mdast): every place blocks
 * and inline content live, visited or mapped in one order. A pass that looks at blocks or
 * inlines (figures, text views, word counts, transforms) goes through here, so a new place or
 * block kind is added once.
 */
import type { Block, Chapter, Inline, Meta, Story } from './model.js';

/** Where a run of blocks lives in a story. */
export type BlockPlace =
  | 'meta.summary'
  | 'meta.notes'
  | 'front'
  | 'chapter.summary'
  | 'chapter.notes'
  | 'section'
  | 'chapter.endNotes'
  | 'end'
  | 'meta.endNotes'
  | 'footnote';

/** The places that hold the story's own text (what its words are counted over). */
export const STORY_TEXT: ReadonlySet<BlockPlace> = new Set(['front', 'section', 'end']);

/** A run of blocks and where it lives. */
export interface BlockRun {
  place: BlockPlace;
  blocks: Block[];
}

/**
 * A copy of a story with every run of blocks replaced by `f(blocks, place)`, visited in the
 * book's reading order: the story's summary and notes, its front text, each chapter (summary,
 * notes, sections, end notes), its end, its end notes, then its footnotes; `title` maps chapter
 * titles. The one list of where blocks live: everything else here is built on it.
 */
export function mapBlockRuns(story: Story, f: (blocks: Block[], place: BlockPlace) => Block[], title?: (title: string) => string): Story {
  const meta: Meta = { ...story.meta };
  if (story.meta.summary !== undefined) meta.summary = f(story.meta.summary, 'meta.summary');
  if (story.meta.notes !== undefined) meta.notes = f(story.meta.notes, 'meta.notes');
  const front = f(story.front, 'front');
  const chapters = story.chapters.map((chapter): Chapter => {
    const copy: Chapter = { ...chapter };
    if (chapter.title !== undefined && title) copy.title = title(chapter.title);
    if (chapter.summary !== undefined) copy.summary = f(chapter.summary, 'chapter.summary');
    if (chapter.notes !== undefined) copy.notes = f(chapter.notes, 'chapter.notes');
    copy.sections = chapter.sections.map((section) => ({ ...section, blocks: f(section.blocks, 'section') }));
    if (chapter.endNotes !== undefined) copy.endNotes = f(chapter.endNotes, 'chapter.endNotes');
    return copy;
  });
  const end = f(story.end, 'end');
  if (story.meta.endNotes !== undefined) meta.endNotes = f(story.meta.endNotes, 'meta.endNotes');
  const out: Story = { ...story, meta, front, chapters, end };
  if (story.footnotes) out.footnotes = story.footnotes.map((n) => ({ ...n, blocks: f(n.blocks, 'footnote') }));
  return out;
}

/** Every run of blocks of a story in reading order (see `mapBlockRuns`); with `places`, only
 * the runs in those places. */
export function blockRuns(story: Story, places?: ReadonlySet<BlockPlace>): BlockRun[] {
  const runs: BlockRun[] = [];
  mapBlockRuns(story, (blocks, place) => {
    if (!places || places.has(place)) runs.push({ place, blocks });
    return blocks;
  });
  return runs;
}

/** The runs of blocks directly inside a block: a quote's or an author's note's blocks, each list
 * item. Table cells, verse lines and paragraphs hold inline content only. */
export function childBlocks(b: Block): Block[][] {
  switch (b.kind) {
    case 'quote': case 'note': return [b.blocks];
    case 'list': return b.items;
    default: return [];
  }
}

/** The inline content a block holds itself (not its child blocks'), in reading order. */
export function ownInlines(b: Block): Inline[][] {
  switch (b.kind) {
    case 'p': case 'heading': return [b.content];
    case 'verse': return b.lines;
    case 'table': return [...(b.caption ? [b.caption] : []), ...b.rows.flatMap((r) => r.map((c) => c.content))];
    default: return [];
  }
}

/** Visit every block of `blocks` and the blocks inside them, depth first in reading order. */
export function visitBlocks(blocks: readonly Block[], visit: (block: Block) => void): void {
  for (const b of blocks) {
    visit(b);
    for (const child of childBlocks(b)) visitBlocks(child, visit);
  }
}

/** Visit every block of a story wherever it lives (see `blockRuns`), with its place. */
export function visitStoryBlocks(story: Story, visit: (block: Block, place: BlockPlace) => void, places?: ReadonlySet<BlockPlace>): void {
  for (const run of blockRuns(story, places)) visitBlocks(run.blocks, (b) => visit(b, run.place));
}

/** Every piece of inline content in `blocks` and the blocks inside them, in reading order. */
export function blockInlines(blocks: readonly Block[]): Inline[][] {
  const out: Inline[][] = [];
  visitBlocks(blocks, (b) => out.push(...ownInlines(b)));
  return out;
}

/** What a map over the model does: `inlines` to every piece of inline content, `title` to
 * chapter titles. Unchanged kinds (breaks, figures, preformatted text) are copied. */
export interface ModelMap {
  inlines: (content: Inline[]) => Inline[];
  title?: (title: string) => string;
}

/** A copy of `blocks` with `map.inlines` applied to every piece of inline content, recursing
 * into quotes, notes and list items. */
export function mapBlocks(blocks: readonly Block[], map: ModelMap): Block[] {
  const f = map.inlines;
  return blocks.map((block): Block => {
    switch (block.kind) {
      case 'p':
      case 'heading':
        return { ...block, content: f(block.content) };
      case 'quote':
      case 'note':
        return { ...block, blocks: mapBlocks(block.blocks, map) };
      case 'verse':
        return { ...block, lines: block.lines.map(f) };
      case 'list':
        return { ...block, items: block.items.map((item) => mapBlocks(item, map)) };
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

/** A copy of a story with `map` applied wherever blocks live and to chapter titles. The input
 * is not mutated. */
export function mapStory(story: Story, map: ModelMap): Story {
  return mapBlockRuns(story, (blocks) => mapBlocks(blocks, map), map.title);
}
