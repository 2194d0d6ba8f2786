/**
 * The text formats' reading of text a book holds (`ReadContext.readAsText`, see
 * `saved-text.ts`): given to book readers by the pipeline, because formats never import one
 * another or the registry.
 */
import type { Story } from '../model.js';
import { detectInput } from './detect.js';
import type { ReadContext } from './input.js';

// A text format that claims the text this surely (a journal header, the Archive's one-line shape) reads it; less is a guess.
const SURE = 0.5;

/**
 * Read `text` with the text format that claims it surely, in `ctx` (its messages and footnotes
 * join the input's), unfinished; undefined when only the plain-text fallback would read it.
 */
export function readAsText(text: string, ctx: ReadContext): Story | undefined {
  const { detection, input } = detectInput(`${ctx.path.replace(/\.[^./\\]*$/, '')}.txt`, Buffer.from(text, 'utf8'), ctx);
  if (detection.format.input !== 'text' || !('text' in input) || detection.format.name === 'plain-text' || detection.score < SURE) return undefined;
  const story = detection.format.read(input, ctx);
  if (detection.format.inlineMarkers) story.source.inlineMarkers = true;
  return story;
}
