/** The story transforms, in the order they run (each Story → Story, pure). */
import type { Story } from '../model.js';
import type { Options } from '../options.js';
import { emphasisMap, emphasisStory } from './emphasis.js';
import type { TransformReport } from './report.js';
import { typesetMap, typesetStory } from './typography.js';
import { mapStory, type ModelMap } from '../walk.js';

export type { TransformReport } from './report.js';

/** What a transform knows of how the story was read (from its format's declaration). */
export interface ReadFacts {
  /** Plain-text inline markers (`*x*`, `_x_`) remain in the text to be parsed. */
  inlineMarkers: boolean;
}

/** A named transform; `enabled` decides from the options and the read whether it runs. */
export interface Transform {
  name: string;
  enabled(options: Options, read: ReadFacts): boolean;
  /** The story transformed; what is worth telling goes to `report`. */
  apply(story: Story, report: TransformReport): Story;
  /** What `apply` does, when it maps each piece of inline content (and chapter title) on its own
   * and reads nothing else of the story it may change: such transforms in a row share one walk. */
  map?(story: Story, report: TransformReport): ModelMap;
}

export const TRANSFORMS: readonly Transform[] = [
  // Emphasis first: `_x_` and `*x*` markers must be gone before quotes are curled around them.
  { name: 'emphasis', enabled: (_o, read) => read.inlineMarkers, apply: emphasisStory, map: emphasisMap },
  { name: 'typography', enabled: (o) => o.typography, apply: typesetStory, map: typesetMap },
];

/** One map doing `first` then `then` to each piece of inline content and title. */
function composed(first: ModelMap, then: ModelMap): ModelMap {
  const title = first.title && then.title ? (t: string) => then.title!(first.title!(t)) : (first.title ?? then.title);
  return { inlines: (content) => then.inlines(first.inlines(content)), ...(title ? { title } : {}) };
}

/** Says nothing (for callers that do not listen). */
const unheard: TransformReport = { message: () => undefined, info: () => undefined, lose: () => undefined };

/** Run every enabled transform in order, telling `report` what they found; without `read`,
 * markers are taken to remain. */
export function transformStory(story: Story, options: Options, read: ReadFacts = { inlineMarkers: true }, report: TransformReport = unheard): Story {
  let s = story;
  // Maps in a row are composed and run as one walk over the model (one copy of it, not one each).
  let pending: ModelMap | undefined;
  for (const t of TRANSFORMS) {
    if (!t.enabled(options, read)) continue;
    if (t.map) {
      const m = t.map(s, report);
      pending = pending ? composed(pending, m) : m;
      continue;
    }
    if (pending) s = mapStory(s, pending);
    pending = undefined;
    s = t.apply(s, report);
  }
  return pending ? mapStory(s, pending) : s;
}
