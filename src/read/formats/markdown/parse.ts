/** Markdown text → mdast (the parser loads on first use), with GFM up to a paragraph length. */
import { createRequire } from 'node:module';
import type { Root } from 'mdast';

/** Longest paragraph (run of non-blank lines) that is still read with GFM: GFM's literal
 * autolinks cost the square of a paragraph's length, and no author writes one this long (a text
 * flattened onto a few lines does, and has no tables or footnotes to lose). */
export const GFM_PARAGRAPH_LIMIT = 10_000;

/** Markdown text → mdast, with GFM unless `gfm` is false; single tildes stay text ("~Fin~" is
 * an end mark, not strike). */
export function parseMarkdown(text: string, withGfm = true): Root {
  const require = createRequire(import.meta.url);
  const { fromMarkdown } = require('mdast-util-from-markdown') as typeof import('mdast-util-from-markdown');
  if (!withGfm) return fromMarkdown(text);
  const { gfm } = require('micromark-extension-gfm') as typeof import('micromark-extension-gfm');
  const { gfmFromMarkdown } = require('mdast-util-gfm') as typeof import('mdast-util-gfm');
  try {
    return fromMarkdown(text, { extensions: [gfm({ singleTilde: false })], mdastExtensions: [gfmFromMarkdown()] });
  } catch (e) {
    // GFM's autolink pass recurses through the tree: hostile nesting overflows the stack there.
    if (!(e instanceof RangeError)) throw e;
    return fromMarkdown(text);
  }
}
