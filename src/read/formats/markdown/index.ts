/**
 * Markdown, usually with YAML front matter (Jekyll, Hugo, Eleventy, Obsidian notes): the front
 * matter is the story's metadata, the body Markdown parsed by mdast-util-from-markdown with GFM
 * (tables, strikethrough, footnotes, autolinks) and mapped onto the model: paragraphs, headings
 * (chapters, or headings inside them), thematic breaks (scene breaks), block quotes, lists,
 * tables, code, emphasis, links, line breaks, footnotes, and the raw HTML a story uses for what
 * Markdown cannot say (`<u>`, `<sub>`, `<sup>` …). Typography is left to the transforms.
 *
 * Front matter `categories` go to tags, not fandoms: a blog's categories organise the site and
 * mean different things on different sites ("Harry Potter", but also "fic", "drabbles", "WIP"),
 * so as fandoms they would print a wrong fandom on the cover; every category is still a subject.
 * An explicit `fandom:`/`fandoms:` key does give fandoms.
 */
import type { Block, Story } from '../../../model.js';
import { blockText } from '../../../text.js';
import { chapterHeading, linesToBody } from '../../body.js';
import { applyField, scanFields, titleAndByline } from '../../header.js';
import { hasExtension } from '../../sniff.js';
import { sameTitle, splitChapters, takeEndMarks } from '../../structure.js';
import { emptyStory } from '../../story.js';
import type { ReadContext } from '../../context.js';
import type { TextFormat, TextInput } from '../../format.js';
import { collectDefinitions, footnotes, prepare, toBlocks } from './blocks.js';
import { applyFrontMatter, frontMatterEnd, metaText, parseYaml } from './front-matter.js';
import { newCtx, paragraphs, phrasing, type Ctx } from './inlines.js';
import { GFM_PARAGRAPH_LIMIT, parseMarkdown } from './parse.js';

// ───────────────────────────── chapters ─────────────────────────────

/** The heading level that divides chapters: the shallowest level holding a chapter-like heading
 * ("Chapter 2", "Epilogue") or at least two headings. Undefined when no heading level does. */
function chapterLevel(blocks: Block[], levels: Map<Block, number>): number | undefined {
  const counts = new Map<number, { n: number; chapterLike: boolean }>();
  for (const b of blocks) {
    const level = levels.get(b);
    if (level === undefined) continue;
    const c = counts.get(level) ?? { n: 0, chapterLike: false };
    c.n++;
    if (chapterHeading(blockText(b)) !== undefined) c.chapterLike = true;
    counts.set(level, c);
  }
  return [...counts.entries()].filter(([, c]) => c.chapterLike || c.n >= 2).map(([l]) => l).sort((a, b) => a - b)[0];
}

// ───────────────────────────── reader ─────────────────────────────

function read(input: TextInput, context: ReadContext): Story {
  const story = emptyStory(input.path, 'markdown', input.encoding);
  const meta = story.meta;
  const losses = context.losses;
  let lines = input.text.split('\n');

  // 1. Front matter.
  const fmEnd = frontMatterEnd(lines);
  if (fmEnd > 0) {
    const yaml = lines.slice(1, fmEnd - 1).join('\n');
    let data: unknown;
    try {
      data = parseYaml(yaml);
    } catch (e) {
      context.message('meta-009', `the front matter is not valid YAML (${(e as Error).message.split('\n')[0]}); it was ignored`, 1);
    }
    if (data && typeof data === 'object' && !Array.isArray(data)) context.diagnostics.push(...applyFrontMatter(meta, data as Record<string, unknown>, input.path, losses));
    else if (data !== undefined && data !== null) context.message('meta-009', 'the front matter is not a set of "key: value" fields; it was ignored', 1);
    // Blank lines keep the body's line numbers those of the file.
    lines = [...lines.slice(0, fmEnd).fill(''), ...lines.slice(fmEnd)];
  } else {
    // MultiMarkdown-style "Title: …" lines at the very top, ended by a blank line.
    let i = 0;
    while (i < lines.length && !lines[i]!.trim()) i++;
    const { fields, end } = scanFields(lines.slice(i), undefined, true);
    const j = i + end;
    if (fields.length >= 2 && (j >= lines.length || !lines[j]!.trim())) {
      for (const f of fields) if (f.value && !applyField(meta, f)) context.message('meta-004', `could not understand "${f.key}: ${f.value}"; kept as text`);
      lines = lines.slice(j);
    }
  }

  // 2. A body with (almost) no blank lines is not Markdown paragraphs but one line per
  // paragraph or hard-wrapped text: the shared text rules read it, Markdown inlines per paragraph.
  const textLines = lines.filter((l) => l.trim()).length;
  const lastText = lines.reduce((n, l, k) => (l.trim() ? k : n), -1);
  const firstText = lines.findIndex((l) => l.trim());
  const gaps = lines.filter((l, k) => !l.trim() && k > firstText && k < lastText && lines[k - 1]!.trim()).length;
  if (textLines > 6 && gaps * 20 < textLines) {
    let body = lines.slice(Math.max(firstText, 0));
    const top = titleAndByline(body);
    if (top.title && !meta.title) meta.title = metaText(top.title.replace(/^ {0,3}#{1,6}[ \t]+/, ''));
    if (top.authors.length && !meta.authors.length) meta.authors.push(...top.authors);
    if (top.title || top.authors.length) body = body.slice(top.next);
    const plain = linesToBody(body.map((l) => l.replace(/^ {0,3}#{1,6}[ \t]+/, '')));
    const ctx = newCtx('', losses);
    const inlines = (b: Block): Block[] => {
      if (b.kind !== 'p' || b.content.length !== 1 || typeof b.content[0] !== 'string') return [b];
      const text = prepare([b.content[0]])[0]!;
      const tree = parseMarkdown(text, text.length <= GFM_PARAGRAPH_LIMIT);
      const only = tree.children.length === 1 && tree.children[0]!.type === 'paragraph' ? tree.children[0] : undefined;
      return only ? paragraphs(phrasing(only.children, { ...ctx, source: text })) : [b];
    };
    story.chapters = plain.chapters.map((c) => ({ ...c, sections: c.sections.map((s) => ({ ...s, blocks: s.blocks.flatMap(inlines) })) }));
    story.end = plain.end;
    return story;
  }

  // 3. The body, parsed; definitions first, so references anywhere find them.
  const source = prepare(lines).join('\n');
  let paragraph = 0;
  let longest = 0;
  for (const l of lines) longest = Math.max(longest, (paragraph = l.trim() ? paragraph + l.length + 1 : 0));
  const ctx: Ctx = { ...newCtx(source, losses), gfm: longest <= GFM_PARAGRAPH_LIMIT };
  const tree = parseMarkdown(source, ctx.gfm);
  collectDefinitions(tree, ctx);
  const levels = new Map<Block, number>();
  let blocks = toBlocks(tree.children, ctx, levels);

  // 4. A lone top heading is the title (or repeats it); a "by Name" paragraph under it the byline.
  const first = blocks[0];
  const firstLevel = first ? levels.get(first) : undefined;
  if (first && firstLevel !== undefined && chapterHeading(blockText(first)) === undefined && blocks.filter((b) => (levels.get(b) ?? 7) <= firstLevel).length === 1) {
    const t = blockText(first).trim();
    if (!meta.title) meta.title = t;
    if (sameTitle(meta.title, t)) blocks = blocks.slice(1);
  }
  const next = blocks[0];
  if (next?.kind === 'p') {
    const by = titleAndByline([blockText(next)]);
    if (by.authors.length && !by.title) {
      if (!meta.authors.length) meta.authors.push(...by.authors);
      if (by.authors.every((n) => meta.authors.includes(n))) blocks = blocks.slice(1);
    }
  }

  // 5. Chapters: at chapter headings and at every heading of the top dividing level or above.
  const level = chapterLevel(blocks, levels);
  const splitLevels = new Map([...levels].map(([b, l]) => [b, level !== undefined && l < level ? level : l]));
  story.chapters = splitChapters(blocks, splitLevels, level)
    .filter((c) => c.blocks.length)
    .map((c) => ({ ...(c.title !== undefined ? { title: c.title } : {}), sections: [{ blocks: c.blocks }] }));

  // 6. End marks after the last paragraph keep their styling ("*The End*").
  const last = story.chapters[story.chapters.length - 1]?.sections[0]?.blocks;
  if (last) {
    const rest = [...last];
    takeEndMarks(rest);
    story.end = last.splice(rest.length).filter((b) => b.kind !== 'break');
  }
  const notes = footnotes(ctx);
  if (notes.length) story.footnotes = notes;
  return story;
}

// ───────────────────────────── sniff ─────────────────────────────

/** Clear Markdown, each with a string every match of it holds: an ATX heading, a link, bold, a
 * quote, a code fence, a setext heading. */
const MARKDOWN_FEATURES: readonly [string, RegExp][] = [
  ['#', /^#{1,6}[ \t]+\S/m],
  ['](', /\[[^\]\n]+\]\((?:https?:|\/|#|\.)[^)\s]*\)/],
  ['**', /\*\*[^*\s][^*\n]*[^*\s]\*\*/],
  ['> ', /^> \S/m],
  ['```', /^```/m],
  ['\n===', /\n[^\n]+\n={3,}[ \t]*\n/],
];

/** The names Markdown files go by. */
const MARKDOWN_EXTENSIONS = ['.md', '.markdown', '.mdown', '.mkd', '.mkdn', '.mdwn', '.mdtxt'];

function sniff(input: TextInput): number {
  const head = input.text.slice(0, 12000);
  // Front matter is looked for in the first 400 lines: no more are split off.
  if (frontMatterEnd(head.split('\n', 401)) > 0) return 0.9;
  if (hasExtension(input.path, MARKDOWN_EXTENSIONS)) return 0.6;
  // Without front matter or a .md name: only clear Markdown, never a story that merely uses *x*.
  // Each feature's regex runs only where the characters it needs are there (a search for a
  // string costs a fraction of a regex's walk over the text).
  const features = MARKDOWN_FEATURES.filter(([needs, re]) => head.includes(needs) && re.test(head)).length;
  if (features < 2) return 0;
  let blankLines = 0;
  for (const blank = /\n[ \t]*\n/g; blankLines < 3 && blank.test(head); ) blankLines++;
  return blankLines >= 3 ? 0.2 : 0;
}

/** The Markdown reader. */
export const markdown: TextFormat = {
  name: 'markdown',
  description: 'Markdown with YAML front matter (title, author, date, tags …), or a .md file',
  input: 'text',
  extensions: MARKDOWN_EXTENSIONS,
  inlineMarkers: false,
  precedence: 30,
  sniff,
  read,
};
