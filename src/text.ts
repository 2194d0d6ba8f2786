/** Plain-text views of the document model (for word counts, summaries, navigation labels). */
import type { Block, Inline, Story } from './model.js';

/** The text of inline content, emphasis dropped. */
export function inlineText(content: Inline[]): string {
  let s = '';
  for (const c of content) s += typeof c === 'string' ? c : inlineText(c.content);
  return s;
}

/** The text of blocks, one paragraph a line. */
export function blocksText(blocks: Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'p' || b.kind === 'heading') out.push(inlineText(b.content));
    else if (b.kind === 'quote') out.push(blocksText(b.blocks));
    else if (b.kind === 'verse') out.push(b.lines.map(inlineText).join('\n'));
  }
  return out.join('\n');
}

/** Every block of story text (front, chapters, end) in reading order. */
export function storyBlocks(story: Story): Block[] {
  return [...story.front, ...story.chapters.flatMap((c) => c.sections.flatMap((s) => s.blocks)), ...story.end];
}

/** Count words the way word processors do: runs of letters/digits joined by apostrophes or hyphens. */
export function countWords(text: string): number {
  const m = text.match(/[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*/gu);
  return m ? m.length : 0;
}

/** Words in the story's text (chapters and front matter of the story, not metadata). */
export function storyWordCount(story: Story): number {
  return countWords(blocksText(storyBlocks(story)));
}

/** About `chars` characters of the story's text from its start, built without joining the whole
 * story (for language detection on long stories). */
export function storyTextSample(story: Story, chars: number): string {
  let out = '';
  for (const b of storyBlocks(story)) {
    if (out.length >= chars) break;
    out += `${blocksText([b])}\n`;
  }
  return out.slice(0, chars);
}
