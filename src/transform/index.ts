/** The story transforms, in the order they run (each Story → Story, pure). */
import type { Story } from '../model.js';
import type { Options } from '../options.js';

/** A named transform; `enabled` decides from the options whether it runs. */
export interface Transform {
  name: string;
  enabled(options: Options): boolean;
  apply(story: Story): Story;
}

export const TRANSFORMS: readonly Transform[] = [];

/** Run every enabled transform in order. */
export function transformStory(story: Story, options: Options): Story {
  let s = story;
  for (const t of TRANSFORMS) if (t.enabled(options)) s = t.apply(s);
  return s;
}
