/**
 * pixiv novels saved as text, in pixiv's own markup: `[newpage]` between pages, `[chapter:Title]`
 * opening a chapter, `[[rb:漢字 > かんじ]]` ruby, `[[jumpuri:text > https://…]]` links,
 * `[jump:N]` jumps to a page and `[pixivimage:…]` / `[uploadedimage:…]` pictures. Each line is a
 * paragraph (the text is typed into a form, never wrapped). A page break is a new chapter when
 * the work is divided into `[chapter:]`s, else a scene break. Any language.
 */
import type { Block, Chapter, Inline, Story } from '../../model.js';
import { linesToBody } from '../body.js';
import { followableHref } from '../links.js';
import { lose, type Losses } from '../fidelity.js';
import { applyField, parseHeaderLine, titleAndByline } from '../header.js';
import { emptyStory } from '../story.js';
import { trimBreaks } from '../structure.js';
import type { ReadContext } from '../context.js';
import type { TextFormat, TextInput } from '../format.js';

// Every pixiv tag; sniffing counts them.
const ANY_TAG = /\[newpage\]|\[chapter:[^\]\n]*\]|\[jump:\s*\d+\s*\]|\[(?:pixivimage|uploadedimage):[^\]\n]*\]|\[\[(?:rb|jumpuri):[^\]\n]*>[^\]\n]*\]\]/g;
const NEWPAGE = /^\s*\[newpage\]\s*$/;
// A chapter title may hold ruby, so the tag closes at the line's last bracket.
const CHAPTER = /^\s*\[chapter:(.*)\]\s*$/;
// The tags inline in a paragraph: ruby, link, jump, picture.
const INLINE_TAG = /\[\[rb:\s*([^\]>\n]*?)\s*>\s*([^\]\n]*?)\s*\]\]|\[\[jumpuri:\s*([^\]\n]*?)\s*>\s*([^\]\s]*)\s*\]\]|\[jump:\s*(\d+)\s*\]|\[(pixivimage|uploadedimage):([^\]\n]*)\]/g;
// A line holding only jumps and pictures: it goes, with no blank line left in its place.
const TAGS_ONLY = /^\s*(?:(?:\[jump:\s*\d+\s*\]|\[(?:pixivimage|uploadedimage):[^\]\n]*\])\s*)+$/;

function sniff(input: TextInput): number {
  const t = input.text;
  const sample = t.length > 25000 ? `${t.slice(0, 20000)}\n${t.slice(-5000)}` : t;
  // Every tag opens with a bracket: a text without one is not looked at further.
  if (!sample.includes('[')) return 0;
  const kinds = new Set<string>();
  let n = 0;
  for (const m of sample.matchAll(ANY_TAG)) {
    kinds.add(/^\[+(\w+)/.exec(m[0])![1]!);
    if (++n >= 3) break;
  }
  if (n >= 3 || kinds.size >= 2) return 0.95;
  return n === 1 ? 0.7 : 0;
}

/** Paragraph text with its pixiv tags: ruby and links made nodes, jumps and pictures dropped (counted). */
export function pixivInlines(text: string, losses: Losses): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  const push = (s: string): void => {
    if (!s) return;
    const prev = out[out.length - 1];
    if (typeof prev === 'string') out[out.length - 1] = prev + s;
    else out.push(s);
  };
  for (const m of text.matchAll(INLINE_TAG)) {
    push(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] !== undefined) {
      if (m[1] && m[2]) out.push({ kind: 'ruby', base: m[1], text: m[2] });
      else push(m[1] || m[2] || '');
    } else if (m[3] !== undefined) {
      const label = m[3] || m[4]!;
      // Only addresses a reader can follow outside the book keep their link.
      if (followableHref(m[4]!)) out.push({ kind: 'link', href: m[4]!, content: [label] });
      else {
        push(label);
        lose(losses, 'fid-004', 1, m[4]);
      }
    } else if (m[5] !== undefined) lose(losses, 'fid-007', 1, '[jump]');
    else lose(losses, 'fid-001', 1, `[${m[6]}]`);
  }
  push(text.slice(last));
  return out;
}

/** A chapter title's text: ruby keeps its base (the reading is lost, and counted). */
function titleText(raw: string, losses: Losses): string {
  return raw.replace(/\[\[rb:\s*([^\]>\n]*?)\s*>\s*([^\]\n]*?)\s*\]\]/g, (_, base: string) => {
    lose(losses, 'fid-007', 1, 'ruby in a chapter title');
    return base;
  }).trim();
}

/** The blocks' paragraphs with their tags read; paragraphs left empty go. */
function withInlines(blocks: Block[], losses: Losses): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    if (b.kind === 'p' && b.content.length === 1 && typeof b.content[0] === 'string') {
      const content = pixivInlines(b.content[0], losses);
      if (content.some((c) => typeof c !== 'string' || c.trim())) out.push({ ...b, content });
    } else out.push(b);
  }
  return out;
}

/** Where the text starts after a header: "Key: value" fields (two or more), else a title and byline. */
function readTop(lines: string[], meta: ReturnType<typeof emptyStory>['meta']): number {
  let i = 0;
  let fields = 0;
  const found: number[] = [];
  for (let j = 0; j < Math.min(lines.length, 20); j++) {
    if (!lines[j]!.trim()) continue;
    if (!parseHeaderLine(lines[j]!)) break;
    found.push(j);
    fields++;
  }
  if (fields >= 2) {
    for (const j of found) applyField(meta, parseHeaderLine(lines[j]!)!);
    i = found[found.length - 1]! + 1;
    return i;
  }
  const top = titleAndByline(lines);
  if (top.title) meta.title = top.title;
  meta.authors.push(...top.authors);
  return top.next;
}

function read(input: TextInput, ctx: ReadContext): Story {
  const story = emptyStory(input.path, 'pixiv', input.encoding);
  const losses = ctx.losses;
  const lines = input.text.split('\n');
  const from = readTop(lines, story.meta);
  const chaptered = lines.some((l) => CHAPTER.test(l));

  // Pages (chaptered: chapters) of lines; a page break right before a chapter tag is one break.
  const pages: { title?: string; lines: string[] }[] = [{ lines: [] }];
  for (const line of lines.slice(from)) {
    const chapter = CHAPTER.exec(line);
    const page = pages[pages.length - 1]!;
    if (chapter) {
      // An empty [chapter:] still opens a chapter; the book numbers it.
      const title = titleText(chapter[1]!, losses) || undefined;
      if (page.lines.some((l) => l.trim()) || page.title !== undefined) pages.push({ ...(title !== undefined ? { title } : {}), lines: [] });
      else if (title !== undefined) page.title = title;
    } else if (NEWPAGE.test(line)) pages.push({ lines: [] });
    else if (TAGS_ONLY.test(line)) pixivInlines(line, losses);
    else page.lines.push(line);
  }

  const chapters: Chapter[] = [];
  for (const [k, page] of pages.entries()) {
    const body = linesToBody(page.lines, { mode: 'line', ...(page.title !== undefined ? { firstChapterTitle: page.title } : {}) });
    const read = body.chapters.map((c) => ({ ...c, sections: c.sections.map((s) => ({ ...s, blocks: withInlines(s.blocks, losses) })) }));
    const end = withInlines(body.end, losses);
    // Only the last page's end marks close the story; earlier ones stay where they stood.
    if (k === pages.length - 1) story.end = end;
    else if (end.length && read.length) read[read.length - 1]!.sections.at(-1)!.blocks.push(...end);
    const first = read[0];
    const prev = chapters[chapters.length - 1];
    if (!chaptered && first && !first.title && prev) {
      // Without chapters a new page is a scene break in the chapter that runs on.
      const blocks = prev.sections[prev.sections.length - 1]!.blocks;
      blocks.push({ kind: 'break' }, ...first.sections.flatMap((s) => s.blocks));
      trimBreaks(blocks);
      read.shift();
    }
    chapters.push(...read);
  }
  story.chapters = chapters.filter((c) => c.title !== undefined || c.sections.some((s) => s.blocks.length));
  return story;
}

/** The pixiv novel reader. */
export const pixiv: TextFormat = {
  name: 'pixiv',
  description: 'pixiv novel text: [newpage], [chapter:], [[rb:]] ruby, [[jumpuri:]] links',
  input: 'text',
  extensions: ['.txt'],
  inlineMarkers: true,
  precedence: 40,
  sniff,
  read,
};
