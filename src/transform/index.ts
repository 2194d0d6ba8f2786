/** The story transforms, in the order they run (each Story → Story, pure). */
import type { Story } from '../model.js';
import type { Options } from '../options.js';
import { emphasisStory } from './emphasis.js';
import type { TransformReport } from './report.js';
import { typesetStory } from './typography.js';

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
}

export const TRANSFORMS: readonly Transform[] = [
  // Emphasis first: `_x_` and `*x*` markers must be gone before quotes are curled around them.
  { name: 'emphasis', enabled: (_o, read) => read.inlineMarkers, apply: emphasisStory },
  { name: 'typography', enabled: (o) => o.typography, apply: typesetStory },
];

/** Says nothing (for callers that do not listen). */
const unheard: TransformReport = { message: () => undefined, info: () => undefined, lose: () => undefined };

/** Run every enabled transform in order, telling `report` what they found; without `read`,
 * markers are taken to remain. */
export function transformStory(story: Story, options: Options, read: ReadFacts = { inlineMarkers: true }, report: TransformReport = unheard): Story {
  let s = story;
  for (const t of TRANSFORMS) if (t.enabled(options, read)) s = t.apply(s, report);
  return s;
}
