/**
 * Raw HTML inside another format's text (Markdown's inline tags and HTML blocks): read by the
 * same allow-list, walker and block reader as a saved page's story markup, so a tag means one
 * thing in every format. The format pairs its inline tags up itself (its own rules for tags left
 * open) and hands each element over with its content already read.
 */
import type { Block, Inline } from '../../model.js';
import { inlineText } from '../../text.js';
import { decodeEntities } from '../decode.js';
import type { Losses } from '../fidelity.js';
import { htmlBlocks } from './blocks.js';
import { HTML_NS, LiteElement, LiteText } from './dom.js';
import { BLOCK_TAGS, inlineLines, type Mark } from './inline.js';
import { parseHtmlPage } from './parse.js';
import { losePictures, newTally, sanitizeStoryTree, tallyUnsafe } from './sanitize.js';

/** Elements that have no content and no end tag. */
export const VOID_TAGS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

const OPEN_TAG = /^<([A-Za-z][A-Za-z0-9-]*)((?:\s[^>]*)?)\/?>$/;
const ATTRIBUTE = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** An open tag as written (`<span style="…">`) → a detached element with its attributes; undefined when it is no open tag. */
function elementOf(tag: string): LiteElement | undefined {
  const m = OPEN_TAG.exec(tag.trim());
  if (!m) return undefined;
  const attrs: { name: string; value: string }[] = [];
  for (const a of m[2]!.matchAll(ATTRIBUTE)) {
    const name = a[1]!.toLowerCase();
    if (!attrs.some((x) => x.name === name)) attrs.push({ name, value: decodeEntities(a[2] ?? a[3] ?? a[4] ?? '') });
  }
  return new LiteElement(m[1]!.toLowerCase(), HTML_NS, attrs);
}

/** `content` under the marks the walker gave an element (outermost first). */
function wrap(content: Inline[], marks: Mark[]): Inline[] {
  let out = content;
  for (let k = marks.length - 1; k >= 0; k--) {
    const m = marks[k]!;
    if (m.kind === 'link') out = out.length ? [{ kind: 'link', href: m.href, content: out }] : [];
    else out = [{ kind: m.kind, content: out }];
  }
  return out;
}

/**
 * One element of raw inline HTML (its open tag as written, its content already read) → inline
 * content, as a page's markup gives it: a styled run (`<u>`, `<sup>`, a small-caps `<span>` …),
 * a link (kept only when it leaves the book: fid-004), code, line breaks for `<br>`; content
 * alone for an element the book has no equivalent for; nothing for one dropped with its content
 * (`<script>`). What the sanitizer drops (colours, media) is counted into `losses`.
 */
export function rawElementInlines(openTag: string, content: Inline[], losses: Losses): Inline[] {
  const el = elementOf(openTag);
  if (!el) return content;
  const text = inlineText(content);
  // The content stands in as text, so the walker sees what a link or a code span holds.
  if (!VOID_TAGS.has(el.tagName)) el.appendChild(new LiteText(text || '\u0000'));
  // Counted while detached: nothing above it to match, so no selector engine loads for it.
  tallyUnsafe(el as unknown as Element, { ...newTally(), losses });
  const holder = new LiteElement('div', HTML_NS, []);
  holder.appendChild(el);
  const lines = inlineLines(Array.from(sanitizeStoryTree(holder as unknown as Element).childNodes), { losses });
  const seg = lines.flat()[0];
  if (!seg) {
    if (VOID_TAGS.has(el.tagName) && !BLOCK_TAGS.has(el.tagName)) return Array.from({ length: lines.length - 1 }, (): Inline => ({ kind: 'br' }));
    return BLOCK_TAGS.has(el.tagName) || VOID_TAGS.has(el.tagName) ? content : [];
  }
  if ('atom' in seg && typeof seg.atom === 'object' && seg.atom.kind === 'code') return wrap([{ kind: 'code', text }], seg.marks);
  return wrap(content, seg.marks);
}

/** A raw HTML block → blocks, read as a page's story markup is; heading levels go to `levels`. */
export function rawHtmlBlocks(html: string, losses: Losses, levels?: Map<Block, number>): Block[] {
  const page = parseHtmlPage(html);
  try {
    const tally = { ...newTally(), losses };
    const blocks = htmlBlocks(page.document.body, tally, levels ? { headingLevels: levels } : {});
    losePictures(tally);
    return blocks;
  } finally {
    page.close();
  }
}
