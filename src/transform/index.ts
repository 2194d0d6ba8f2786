/** The story transforms, in the order they run (each Story → Story, pure). */
import type { Story } from '../model.js';
import type { Options } from '../options.js';
import { emphasisStory } from './emphasis.js';
import { typesetStory } from './typography.js';

/** A named transform; `enabled` decides from the options whether it runs. */
export interface Transform {
  name: string;
  enabled(options: Options): boolean;
  apply(story: Story): Story;
}

export const TRANSFORMS: readonly Transform[] = [
  // Emphasis first: `_x_` and `*x*` markers must be gone before quotes are curled around them.
  { name: 'emphasis', enabled: () => true, apply: emphasisStory },
  { name: 'typography', enabled: (o) => o.typography, apply: typesetStory },
];

/** Run every enabled transform in order. */
export function transformStory(story: Story, options: Options): Story {
  let s = story;
  for (const t of TRANSFORMS) if (t.enabled(options)) s = t.apply(s);
  return s;
}
