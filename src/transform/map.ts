/** Leaf maps shared by the transforms: the text leaves of one piece of inline content, and a
 * copy with each leaf rewritten. Where inline content lives is `walk.ts`'s to say. */
import type { Inline } from '../model.js';
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
