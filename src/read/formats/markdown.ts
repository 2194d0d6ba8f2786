/**
 * Markdown, usually with YAML front matter (Jekyll, Hugo, Eleventy, Obsidian notes): the front
 * matter is the story's metadata, the body Markdown. Only what a story uses is read: paragraphs,
 * headings (chapters or headings inside them), thematic breaks (scene breaks), block quotes,
 * fenced blocks (kept line by line), list items, links (their text), and a little raw HTML.
 *
 * Emphasis is left to the emphasis transform, like every text format: `*x*`, `_x_`, `**x**`
 * stay markers in the strings (`<em>`/`<strong>` tags become markers too), so nothing is parsed
 * twice.
 *
 * Front matter `categories` go to tags, not fandoms: a blog's categories organise the site and
 * mean different things on different sites ("Harry Potter", but also "fic", "drabbles", "WIP"),
 * so as fandoms they would print a wrong fandom on the cover; every category is still a subject.
 * An explicit `fandom:`/`fandoms:` key does give fandoms.
 */
import { createRequire } from 'node:module';
import { warning, type Diagnostic } from '../../diagnostics.js';
import type { Block, Chapter, Meta, Series } from '../../model.js';
import { chapterHeading, isEndMark, isSceneBreakLine, linesToBody, trimBreaks } from '../body.js';
import { decodeEntities } from '../decode.js';
import { applyField, fieldFor, parseByline, parseDate, parseHeaderLine, parseWordCount, sameTitle, titleAndByline, type FieldTarget, type HeaderLine } from '../header.js';
import { emptyStory, para } from '../story.js';
import type { Format, ReadResult, TextInput } from './types.js';

// yaml loads only when a file has front matter.
const parseYaml = (text: string): unknown => (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text);

// ───────────────────────────── front matter ─────────────────────────────

const OPEN_FENCE = /^---[ \t]*$/;
const CLOSE_FENCE = /^(?:---|\.\.\.)[ \t]*$/;
const YAML_KEY = /^[A-Za-z_][\w .-]{0,40}:(?:\s|$)/;

/** Where front matter ends: the index of the line after the closing fence, or -1. */
function frontMatterEnd(lines: string[]): number {
  if (!OPEN_FENCE.test(lines[0] ?? '')) return -1;
  let sawKey = false;
  for (let i = 1; i < Math.min(lines.length, 400); i++) {
    const line = lines[i]!;
    if (CLOSE_FENCE.test(line)) return sawKey ? i + 1 : -1;
    if (YAML_KEY.test(line)) sawKey = true;
    else if (!sawKey && line.trim() !== '' && !/^\s*#/.test(line)) return -1;
  }
  return -1;
}

/** Keys that mean something different in front matter than in a story's header block, or that
 * the shared field table does not know. Other keys go through `fieldFor`; unknown keys (layout,
 * permalink, draft …) are site settings and are ignored. */
const FRONT_KEYS: Record<string, FieldTarget | 'ignore' | 'seriesIndex'> = {
  'categories': 'tags',
  'category': 'tags',
  'excerpt': 'summary',
  'abstract': 'summary',
  'lastmod': 'updated',
  'last modified at': 'updated',
  'modified': 'updated',
  'date modified': 'updated',
  'creator': 'authors',
  'creators': 'authors',
  'lang': 'language',
  'canonical url': 'sourceUrl',
  'original url': 'sourceUrl',
  'series index': 'seriesIndex',
  'series part': 'seriesIndex',
  'series number': 'seriesIndex',
  'part': 'seriesIndex',
  'layout': 'ignore',
  'permalink': 'ignore',
  'slug': 'ignore',
  'draft': 'ignore',
};

/** YAML values as strings: scalars, lists of scalars, `{name: …}` objects; booleans and nulls
 * say nothing. */
function strings(value: unknown): string[] {
  if (value === null || value === undefined || typeof value === 'boolean') return [];
  if (typeof value === 'string') return value.trim() ? [value.trim()] : [];
  if (typeof value === 'number') return [String(value)];
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? [] : [value.toISOString().slice(0, 10)];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of ['name', 'title', 'display_name', 'displayName']) if (typeof o[k] === 'string') return strings(o[k]);
  }
  return [];
}

const LIST_TARGETS = new Set<FieldTarget>(['authors', 'fandoms', 'relationships', 'characters', 'warnings', 'category', 'tags']);

/** Blocks of a summary or note: blank lines part paragraphs, Markdown inlines are simplified. */
function textBlocks(text: string): Block[] {
  return text.split(/\n\s*\n/).map((p) => inlineText(p.replace(/\s*\n\s*/g, ' '))).filter((p) => p).map(para);
}

/** Apply parsed front matter to `meta`. Returns a diagnostic for each value not understood. */
function applyFrontMatter(meta: Meta, data: Record<string, unknown>, path: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  let seriesIndex: number | undefined;
  for (const [rawKey, value] of Object.entries(data)) {
    const key = rawKey.toLowerCase().replace(/[_-]+/g, ' ').trim();
    const special = Object.prototype.hasOwnProperty.call(FRONT_KEYS, key) ? FRONT_KEYS[key] : undefined;
    if (special === 'ignore') continue;
    if (special === 'seriesIndex') {
      const n = Number(strings(value)[0]);
      if (Number.isFinite(n) && n > 0) seriesIndex = n;
      continue;
    }
    const rule = special ? { target: special } : fieldFor(key);
    if (!rule) continue;
    const values = strings(value);
    if (!values.length) continue;
    const label = 'label' in rule && rule.label ? rule.label : rawKey;
    switch (rule.target) {
      case 'summary':
      case 'notes': {
        const blocks = values.flatMap(textBlocks);
        if (blocks.length) meta[rule.target] = [...(meta[rule.target] ?? []), ...blocks];
        continue;
      }
      case 'series': {
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
          const o = value as Record<string, unknown>;
          const name = strings(o['name'] ?? o['title'])[0];
          const index = Number(strings(o['index'] ?? o['part'] ?? o['number'] ?? o['position'])[0]);
          const total = Number(strings(o['total'] ?? o['of'] ?? o['count'])[0]);
          if (name) meta.series ??= { name, ...(index > 0 ? { index } : {}), ...(total > 0 ? { total } : {}) };
          continue;
        }
        // "Instruments, part 2", "Instruments #2", "Instruments (Book 2 of 3)".
        const m = /^(.*?)[\s,:;(\-–—]*(?:\b(?:part|book|volume|vol\.?|no\.?)\s*|#)(\d+)(?:\s*(?:\/|of)\s*(\d+))?\)?\s*$/i.exec(values[0]!);
        if (m && m[1]!.trim()) meta.series ??= { name: m[1]!.trim(), index: +m[2]!, ...(m[3] ? { total: +m[3] } : {}) };
        else meta.series ??= { name: values[0]! };
        continue;
      }
      case 'published':
      case 'updated': {
        // ISO date-times ("2020-01-02T10:00:00Z") are common in front matter.
        const d = parseDate(values[0]!.replace(/^(\d{4}-\d{2}-\d{2})T/, '$1 '));
        if (d) {
          if (rule.target === 'published') meta.published ??= d;
          else meta.updated ??= d;
        } else if (typeof value === 'string') {
          diagnostics.push(warning('meta-004', `could not understand "${rawKey}: ${values[0]}"; kept as text`, path));
          meta.extra[rule.target === 'published' ? 'Date' : 'Updated'] = values[0]!;
        }
        continue;
      }
      case 'sourceUrl':
        if (/^https?:\/\//i.test(values[0]!)) meta.sourceUrl ??= values[0]!;
        continue;
      case 'statedWords': {
        const n = parseWordCount(values[0]!);
        if (n !== undefined) meta.statedWords ??= n;
        else diagnostics.push(warning('meta-004', `could not understand "${rawKey}: ${values[0]}"; kept as text`, path));
        continue;
      }
      default:
        if (Array.isArray(value) && LIST_TARGETS.has(rule.target)) {
          const list = rule.target === 'authors' ? meta.authors : meta[rule.target as 'fandoms' | 'relationships' | 'characters' | 'warnings' | 'category' | 'tags'];
          for (const v of values.map(inlineText)) if (v && !list.includes(v) && !/^uncategori[sz]ed$/i.test(v)) list.push(v);
        } else if (rule.target === 'extra') {
          meta.extra[label] = values.join(', ');
        } else {
          for (const v of values) applyField(meta, { key: rawKey, value: rule.target === 'title' ? inlineText(v) : v, rule });
          if (rule.target === 'tags' || rule.target === 'category') meta[rule.target] = meta[rule.target].filter((t) => !/^uncategori[sz]ed$/i.test(t));
        }
    }
  }
  if (seriesIndex !== undefined && meta.series && meta.series.index === undefined) meta.series = { ...meta.series, index: seriesIndex } satisfies Series;
  return diagnostics;
}

// ───────────────────────────── inlines ─────────────────────────────

/**
 * Links and images: `[text](url "title")` and `[text][ref]` → text, `![alt](src)` → nothing,
 * other brackets ("[sic]") kept. One left-to-right scan with the next `]` and `)` remembered,
 * so that text full of brackets stays linear.
 */
function links(text: string): string {
  let out = '';
  let from = 0;
  let close = -1;
  let paren = -1;
  for (;;) {
    const open = text.indexOf('[', from);
    if (open < 0) break;
    if (close < open) close = text.indexOf(']', open);
    if (close < 0) break;
    const start = text.lastIndexOf('[', close);
    const image = start > 0 && text[start - 1] === '!';
    const label = text.slice(start + 1, close);
    let end = -1;
    if (text[close + 1] === '(') {
      if (paren < close + 2) paren = text.indexOf(')', close + 2);
      if (paren < 0) end = -1;
      else {
        end = paren;
        // One level of parentheses inside the URL ("…/Tea_(drink)").
        if (text.slice(close + 2, end).includes('(')) {
          const next = text.indexOf(')', end + 1);
          if (next > 0) end = next;
        }
        if (/\n\s*\n/.test(text.slice(close + 2, end))) end = -1;
      }
    } else if (text[close + 1] === '[') {
      const refEnd = text.indexOf(']', close + 2);
      if (refEnd > 0 && refEnd - close < 100 && !text.slice(close + 2, refEnd).includes('[')) end = refEnd;
    }
    if (end < 0 || (!image && !label.trim())) {
      out += text.slice(from, close + 1);
      from = close + 1;
      continue;
    }
    out += text.slice(from, image ? start - 1 : start) + (image ? '' : label);
    from = end + 1;
  }
  return out + text.slice(from);
}

/**
 * One paragraph's Markdown inlines as plain text with emphasis markers left in: images dropped,
 * links to their text, code spans to their text, `<i>`/`<em>` → `*`, `<b>`/`<strong>` → `**`,
 * other tags dropped, entities and backslash escapes decoded, `***x***` → `**_x_**` (the
 * emphasis transform reads runs of one or two markers only).
 */
export function inlineText(text: string): string {
  return decodeEntities(
    links(text)
            .replace(/<((?:https?|mailto):[^>\s]+)>/gi, '$1')
      .replace(/`+([^`]+?)`+/g, '$1')
      .replace(/<\/?(?:i|em|cite)\b[^>]*>/gi, '*')
      .replace(/<\/?(?:b|strong)\b[^>]*>/gi, '**')
      .replace(/<img\b[^>]*>/gi, '')
      .replace(/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g, '')
      .replace(/(^|[^*\\])\*\*\*(?=\S)([^*]+?)(?<=\S)\*\*\*(?!\*)/g, '$1**_$2_**')
      .replace(/\\([\\`*_{}[\]()#+\-.!>~|<"'])/g, '$1'),
  )
    .replace(/\s+/g, ' ')
    .trim();
}

// ───────────────────────────── blocks ─────────────────────────────

/** Block-level Markdown before it becomes the model. `level` 7 is a paragraph that is only a
 * chapter heading ("**Chapter 2**"). */
type MdBlock =
  | { type: 'p'; text: string }
  | { type: 'heading'; level: number; text: string }
  | { type: 'break' }
  | { type: 'quote'; blocks: MdBlock[] }
  | { type: 'verse'; lines: string[] };

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,})/;
const QUOTE = /^ {0,3}> ?/;
const LIST_ITEM = /^ {0,3}([-*+]|\d{1,9}[.)])[ \t]+(\S.*)$/;
const SETEXT_1 = /^ {0,3}=+[ \t]*$/;
const SETEXT_2 = /^ {0,3}-+[ \t]*$/;
const HARD_BREAK = /(?: {2,}|\\)$/;
const BR = /<br\s*\/?>/gi;
const HR_TAG = /^\s*<hr\b[^>]*>\s*$/i;

/** Block-level HTML tags mark paragraph edges; `<br>` becomes a paragraph edge too (converters
 * put one at the end of every paragraph). HTML comments and template tags are removed. */
function preprocess(text: string): string[] {
  let t = text;
  for (const [open, close] of [['<!--', '-->'], ['{%', '%}'], ['{{', '}}']] as const) t = cut(t, open, close);
  for (const tag of ['script', 'style']) t = cut(t, `<${tag}`, `</${tag}>`, true);
  return t
    .replace(/<hr\b[^>]*>/gi, '\n\n***\n\n')
    .replace(/<\/?(?:p|div|center|section|article|header|footer|main|aside|figure|details|summary)\b[^>]*>/gi, '\n\n')
    .split('\n')
    .filter((l) => !/^\s*\{:[^}]*\}\s*$/.test(l) && !/^ {0,3}\[[^\]^]+\]:\s+\S+/.test(l));
}

/** `text` without every span from `open` to the next `close` (an unclosed span is kept).
 * One indexOf scan, so hostile input cannot make it quadratic. */
function cut(text: string, open: string, close: string, ignoreCase = false): string {
  const hay = ignoreCase ? text.toLowerCase() : text;
  let out = '';
  let from = 0;
  for (;;) {
    const a = hay.indexOf(open, from);
    if (a < 0) break;
    const b = hay.indexOf(close, a + open.length);
    if (b < 0) break;
    out += text.slice(from, a);
    from = b + close.length;
  }
  return out + text.slice(from);
}

/** Parse lines into Markdown blocks (recursing into block quotes). */
function parseBlocks(lines: string[]): MdBlock[] {
  const out: MdBlock[] = [];
  let para: string[] = [];
  const flush = (): void => {
    if (!para.length) return;
    const lines = para;
    para = [];
    // Lines that all end in a hard break are verse (or one line per paragraph when long).
    if (lines.length >= 2 && lines.slice(0, -1).every((l) => HARD_BREAK.test(l))) {
      const texts = lines.map((l) => l.replace(HARD_BREAK, '').trim());
      if (texts.reduce((n, t) => n + t.length, 0) / texts.length <= 60) {
        out.push({ type: 'verse', lines: texts });
        return;
      }
      for (const t of texts) out.push({ type: 'p', text: t });
      return;
    }
    const joined = lines.map((l) => l.replace(HARD_BREAK, '').trim()).join('\n');
    for (const piece of joined.split(BR)) if (piece.trim()) out.push({ type: 'p', text: piece.trim() });
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.replace(BR, '').trim() === '') {
      flush();
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trim().startsWith(fence[1]!); i++) body.push(lines[i]!.trimEnd());
      if (body.some((l) => l.trim())) out.push({ type: 'verse', lines: body });
      continue;
    }
    if (QUOTE.test(line)) {
      flush();
      const inner: string[] = [];
      // Quote lines, and lazy continuation lines of a quoted paragraph.
      while (i < lines.length && (QUOTE.test(lines[i]!) || (lines[i]!.trim() !== '' && inner.length && inner[inner.length - 1]!.trim() !== '' && !isSceneBreakLine(lines[i]!) && !ATX.test(lines[i]!)))) {
        inner.push(lines[i]!.replace(QUOTE, ''));
        i++;
      }
      i--;
      const blocks = parseBlocks(inner);
      if (blocks.length) out.push({ type: 'quote', blocks });
      continue;
    }
    if (para.length === 1 && SETEXT_1.test(line)) {
      out.push({ type: 'heading', level: 1, text: para[0]!.trim() });
      para = [];
      continue;
    }
    // "Text\n---" is a heading in Markdown, but a story means a scene break after a sentence.
    if (para.length === 1 && SETEXT_2.test(line) && !/[.!?…"”'’)]$/.test(para[0]!.trim()) && para[0]!.trim().length <= 80) {
      out.push({ type: 'heading', level: 2, text: para[0]!.trim() });
      para = [];
      continue;
    }
    if (isSceneBreakLine(line) || HR_TAG.test(line)) {
      flush();
      out.push({ type: 'break' });
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      flush();
      const text = (atx[2] ?? '').trim();
      if (text) out.push({ type: 'heading', level: atx[1]!.length, text });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      flush();
      // Each item is a paragraph; "-" stays (it is also how dialogue is dashed in many
      // languages), "*" and "+" bullets become "•", numbers stay.
      const marker = item[1]!;
      para.push(`${marker === '*' || marker === '+' ? '•' : marker} ${item[2]!}`);
      continue;
    }
    para.push(line);
  }
  flush();
  return out;
}

// ───────────────────────────── chapters ─────────────────────────────

/** A chapter title without emphasis markers ("**Chapter 1**" → "Chapter 1"). */
function plainTitle(text: string): string {
  return inlineText(text).replace(/(\*{1,2}|_{1,2})(\S(?:.*?\S)?)\1/g, '$2').trim();
}

function toBlock(b: MdBlock): Block | undefined {
  switch (b.type) {
    case 'p': {
      const t = inlineText(b.text);
      return t ? para(t) : undefined;
    }
    case 'heading': return { kind: 'heading', content: [inlineText(b.text)] };
    case 'break': return { kind: 'break' };
    case 'quote': {
      const blocks = b.blocks.map(toBlock).filter((x): x is Block => x !== undefined);
      return blocks.length ? { kind: 'quote', blocks } : undefined;
    }
    case 'verse': return { kind: 'verse', lines: b.lines.map((l) => [inlineText(l)]) };
  }
}

/** The heading level that divides chapters: the shallowest level holding a chapter-like heading
 * ("Chapter 2", "Epilogue") or at least two headings; paragraph headings (level 7) only when no
 * real heading level does. Undefined when nothing divides the text. */
function chapterLevel(blocks: MdBlock[]): number | undefined {
  const counts = new Map<number, { n: number; chapterLike: boolean }>();
  for (const b of blocks) {
    if (b.type !== 'heading') continue;
    const c = counts.get(b.level) ?? { n: 0, chapterLike: false };
    c.n++;
    if (chapterHeading(plainTitle(b.text)) !== undefined) c.chapterLike = true;
    counts.set(b.level, c);
  }
  const levels = [...counts.entries()].filter(([, c]) => c.chapterLike || c.n >= 2).map(([l]) => l).sort((a, b) => a - b);
  return levels[0];
}

/** Single-line paragraphs that are only a chapter heading become level-7 headings. */
function markParagraphHeadings(blocks: MdBlock[]): MdBlock[] {
  return blocks.map((b) => (b.type === 'p' && b.text.length <= 120 && !b.text.includes('\n') && chapterHeading(plainTitle(b.text)) !== undefined ? { type: 'heading', level: 7, text: b.text } : b));
}

function splitChapters(blocks: MdBlock[]): Chapter[] {
  let level = chapterLevel(blocks);
  let list = blocks;
  if (level === undefined) {
    list = markParagraphHeadings(blocks);
    level = chapterLevel(list);
    if (level !== 7) list = blocks;
  }
  const chapters: Chapter[] = [];
  let current: Chapter = { sections: [{ blocks: [] }] };
  for (const b of list) {
    if (b.type === 'heading' && level !== undefined && b.level <= level) {
      if (current.title !== undefined || current.sections[0]!.blocks.length) chapters.push(current);
      current = { title: plainTitle(b.text), sections: [{ blocks: [] }] };
      continue;
    }
    const block = toBlock(b);
    if (block) current.sections[0]!.blocks.push(block);
  }
  if (current.title !== undefined || current.sections[0]!.blocks.length) chapters.push(current);
  for (const c of chapters) trimBreaks(c.sections[0]!.blocks);
  return chapters.filter((c) => c.sections[0]!.blocks.length);
}


// ───────────────────────────── reader ─────────────────────────────

function read(input: TextInput): ReadResult {
  const story = emptyStory(input.path, 'markdown', input.encoding);
  const meta = story.meta;
  const diagnostics: Diagnostic[] = [];
  let lines = input.text.split('\n');

  // 1. Front matter.
  const fmEnd = frontMatterEnd(lines);
  if (fmEnd > 0) {
    const yaml = lines.slice(1, fmEnd - 1).join('\n');
    let data: unknown;
    try {
      data = parseYaml(yaml);
    } catch (e) {
      diagnostics.push(warning('meta-009', `the front matter is not valid YAML (${(e as Error).message.split('\n')[0]}); it was ignored`, input.path, 1));
    }
    if (data && typeof data === 'object' && !Array.isArray(data)) diagnostics.push(...applyFrontMatter(meta, data as Record<string, unknown>, input.path));
    else if (data !== undefined && data !== null) diagnostics.push(warning('meta-009', 'the front matter is not a set of "key: value" fields; it was ignored', input.path, 1));
    lines = lines.slice(fmEnd);
  } else {
    // MultiMarkdown-style "Title: …" lines at the very top.
    let i = 0;
    while (i < lines.length && !lines[i]!.trim()) i++;
    let j = i;
    const fields: HeaderLine[] = [];
    while (j < lines.length && lines[j]!.trim()) {
      const f = parseHeaderLine(lines[j]!);
      if (!f) break;
      fields.push(f);
      j++;
    }
    if (fields.length >= 2 && (j >= lines.length || !lines[j]!.trim())) {
      for (const f of fields) if (f.value && !applyField(meta, f)) diagnostics.push(warning('meta-004', `could not understand "${f.key}: ${f.value}"; kept as text`, input.path));
      lines = lines.slice(j);
    }
  }

  // 2. Body blocks. A body with (almost) no blank lines is not Markdown paragraphs but one line
  // per paragraph or hard-wrapped text: the shared text rules read it.
  let body = preprocess(lines.join('\n'));
  const textLines = body.filter((l) => l.trim()).length;
  // Blank lines between text (not the trailing ones): how Markdown parts paragraphs.
  const lastText = body.reduce((n, l, k) => (l.trim() ? k : n), -1);
  const gaps = body.filter((l, k) => !l.trim() && k > 0 && k < lastText && body[k - 1]!.trim()).length;
  if (textLines > 6 && gaps * 20 < textLines) {
    const top = titleAndByline(body);
    if (top.title && !meta.title) meta.title = plainTitle(top.title);
    if (top.authors.length && !meta.authors.length) meta.authors.push(...top.authors);
    if (top.title || top.authors.length) body = body.slice(top.next);
    // Inlines per line, keeping the indent that may mark a paragraph.
    const plain = linesToBody(body.map((l) => /^\s*/.exec(l)![0] + inlineText(l.replace(/^ {0,3}#{1,6}[ \t]+/, ''))));
    story.chapters = plain.chapters;
    story.end = plain.end;
    return { story, diagnostics };
  }
  let blocks = parseBlocks(body);

  // 3. A lone top heading is the title (or repeats it); a "by Name" paragraph under it the byline.
  const first = blocks[0];
  if (first?.type === 'heading' && chapterHeading(plainTitle(first.text)) === undefined && blocks.filter((b) => b.type === 'heading' && b.level <= first.level).length === 1) {
    const t = plainTitle(first.text);
    if (!meta.title) meta.title = t;
    if (sameTitle(meta.title, t)) blocks = blocks.slice(1);
  }
  const next = blocks[0];
  if (next?.type === 'p') {
    const names = parseByline(plainTitle(next.text));
    if (names) {
      if (!meta.authors.length) meta.authors.push(...names);
      if (names.every((n) => meta.authors.includes(n))) blocks = blocks.slice(1);
    }
  }

  // 4. Chapters, and end marks after the last paragraph.
  story.chapters = splitChapters(blocks);
  const last = story.chapters[story.chapters.length - 1]?.sections[0]?.blocks;
  while (last?.length) {
    const b = last[last.length - 1]!;
    if (b.kind === 'p' && b.content.length === 1 && typeof b.content[0] === 'string' && isEndMark(b.content[0].replace(/[*_]/g, ''))) story.end.unshift(last.pop()!);
    else break;
  }
  return { story, diagnostics };
}

// ───────────────────────────── sniff ─────────────────────────────

const MD_EXTENSION = /\.(?:md|markdown|mdown|mkdn?|mdwn|mdtxt)$/i;

function sniff(input: TextInput): number {
  const head = input.text.slice(0, 12000);
  if (frontMatterEnd(head.split('\n')) > 0) return 0.9;
  if (MD_EXTENSION.test(input.path)) return 0.6;
  // Without front matter or a .md name: only clear Markdown, never a story that merely uses *x*.
  let features = 0;
  if (/^#{1,6}[ \t]+\S/m.test(head)) features++;
  if (/\[[^\]\n]+\]\((?:https?:|\/|#|\.)[^)\s]*\)/.test(head)) features++;
  if (/\*\*[^*\s][^*\n]*[^*\s]\*\*/.test(head)) features++;
  if (/^> \S/m.test(head)) features++;
  if (/^```/m.test(head)) features++;
  if (/\n[^\n]+\n={3,}[ \t]*\n/.test(head)) features++;
  const blankParagraphs = (head.match(/\n[ \t]*\n/g) ?? []).length >= 3;
  return features >= 2 && blankParagraphs ? 0.2 : 0;
}

/** The Markdown reader. */
export const markdown: Format = {
  name: 'markdown',
  description: 'Markdown with YAML front matter (title, author, date, tags …), or a .md file',
  sniff,
  read,
};
