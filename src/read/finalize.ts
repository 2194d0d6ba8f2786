/**
 * After a reader: apply the user's overrides (flags beat the metadata file beat the source),
 * fill placeholders for what no one stated (with a warning), detect the language, and check
 * the stated word count against the counted one.
 */
import { type Diagnostic, warning, info } from '../diagnostics.js';
import type { Meta, Story } from '../model.js';
import type { MetaOverrides, Options } from '../options.js';
import { countWords, storyTextSample, storyWordCount } from '../text.js';
import { detectLanguage, LANGUAGE_SAMPLE, languageTag, withChineseScript } from './language.js';
import { para } from './story.js';

/** Merge override layers; later layers win field by field. */
export function mergeOverrides(...layers: (MetaOverrides | undefined)[]): MetaOverrides {
  const out: MetaOverrides = {};
  for (const l of layers) {
    if (!l) continue;
    for (const [k, v] of Object.entries(l)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** Meta with overrides applied (a new object). */
export function applyOverrides(meta: Meta, o: MetaOverrides): Meta {
  const m: Meta = { ...meta, extra: { ...meta.extra } };
  if (o.title !== undefined) m.title = o.title;
  if (o.authors !== undefined) m.authors = [...o.authors];
  if (o.fandoms !== undefined) m.fandoms = [...o.fandoms];
  if (o.relationships !== undefined) m.relationships = [...o.relationships];
  if (o.characters !== undefined) m.characters = [...o.characters];
  if (o.rating !== undefined) m.rating = o.rating;
  if (o.warnings !== undefined) m.warnings = [...o.warnings];
  if (o.tags !== undefined) m.tags = [...o.tags];
  if (o.summary !== undefined) m.summary = [para(o.summary)];
  if (o.series !== undefined) m.series = { ...o.series };
  if (o.language !== undefined) m.language = o.language;
  if (o.published !== undefined) m.published = o.published;
  return m;
}

/** Words that make a file name no title ("story.txt", "chapter.html", "download.htm"). */
const NOT_A_TITLE = new Set(['story', 'stories', 'fic', 'fanfic', 'fanfiction', 'chapter', 'chapters', 'text', 'document', 'doc', 'untitled', 'index', 'page', 'download', 'file', 'new', 'copy', 'final', 'draft', 'book', 'stdin', 'input', 'output', 'temp', 'tmp', 'test', 'part', 'work', 'works', 'view', 'read', 'print']);
const SMALL_WORDS = new Set(['a', 'an', 'the', 'and', 'or', 'of', 'in', 'on', 'at', 'to', 'for', 'by', 'with', 'from']);

/**
 * A title read from a file name that reads as one ("couch.txt" → "Couch", "the_long_night.md" →
 * "The Long Night"): letters only, one to eight words, not a generic word; else undefined
 * ("chapter_03_final(2).txt", hashes, "story.html").
 */
export function titleFromFileName(path: string): string | undefined {
  const stem = (path.split(/[/\\]/).pop() ?? '').replace(/\.[^.]*$/, '');
  const words = stem.replace(/[_\-.]+/g, ' ').trim().split(/\s+/).filter(Boolean);
  // One or two letters ("x.txt", "a1.txt") say nothing.
  if (words.length === 0 || words.length > 8 || words.join('').length < 3) return undefined;
  if (!words.every((w) => /^\p{L}+(?:['’]\p{L}+)?$/u.test(w))) return undefined;
  if (words.some((w) => NOT_A_TITLE.has(w.toLowerCase()))) return undefined;
  // A name already in mixed case is kept as written; an all-lower or all-upper one is title-cased.
  const keep = stem !== stem.toLowerCase() && stem !== stem.toUpperCase();
  return words
    .map((w, i) => (keep ? w : i > 0 && SMALL_WORDS.has(w.toLowerCase()) ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase()))
    .join(' ');
}

/**
 * The story's metadata with overrides applied and a title filled in (with warnings for a missing
 * title or author): the title, authors, fandoms and series are final here, all a cover needs.
 */
export function settleMeta(story: Story, overrides: MetaOverrides, options: Options): { meta: Meta; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const path = story.source.path;
  const meta = applyOverrides(story.meta, overrides);
  if (!meta.title?.trim()) {
    const fromName = titleFromFileName(path);
    if (fromName) {
      meta.title = fromName;
      diagnostics.push(warning('meta-010', `no title is stated; "${fromName}" was taken from the file name (set one with --title or a .meta.yaml file)`, path));
    } else {
      meta.title = options.placeholderTitle;
      diagnostics.push(warning('meta-001', `no title is stated; using "${options.placeholderTitle}" (set one with --title or a .meta.yaml file)`, path));
    }
  }
  // No author is no dc:creator (the output contract): library tools then show their own "unknown".
  if (meta.authors.length === 0) diagnostics.push(warning('meta-002', 'no author is stated; the book has none (set one with --author or a .meta.yaml file)', path));
  if (meta.series && !meta.series.name) meta.series = { ...meta.series, name: meta.title };
  return { meta, diagnostics };
}

/**
 * Overrides, placeholders, language and word-count check. Returns a new Story. `onSettled` is
 * called as soon as the title, authors, fandoms and series are final (before the language is
 * detected), so a cover can start drawing while the rest of the story is read. A caller that
 * settled the metadata earlier (`settleMeta`, on the same story's metadata) passes it in.
 */
export async function finalizeStory(story: Story, overrides: MetaOverrides, options: Options, onSettled?: (meta: Meta) => void, settled = settleMeta(story, overrides, options)): Promise<{ story: Story; diagnostics: Diagnostic[] }> {
  const diagnostics = [...settled.diagnostics];
  const path = story.source.path;
  const meta = settled.meta;
  onSettled?.(meta);
  if (meta.language) {
    const tag = await languageTag(meta.language);
    // "Chinese" says nothing of the script; the text does.
    if (tag) meta.language = tag === 'zh' ? withChineseScript(tag, storyTextSample(story, LANGUAGE_SAMPLE)) : tag;
    else {
      diagnostics.push(warning('meta-004', `language "${meta.language}" is not a language name or code; detecting it instead`, path));
      delete meta.language;
    }
  }
  if (!meta.language) {
    const detected = await detectLanguage(storyTextSample(story, LANGUAGE_SAMPLE));
    meta.language = detected ?? options.defaultLanguage;
    if (detected) diagnostics.push(info('meta-006', `language detected as ${detected}`, path));
  }
  meta.countedWords = storyWordCount(story);
  const next: Story = { ...story, meta };
  if (meta.statedWords) {
    const counted = meta.countedWords;
    if (Math.abs(counted - meta.statedWords) > Math.max(200, meta.statedWords * 0.2)) {
      diagnostics.push(warning('meta-003', `the story states ${meta.statedWords} words but ${counted} were counted; some text may be missing or extra`, path));
    }
  }
  return { story: next, diagnostics };
}

/** Words in a string (re-exported for callers that only need this). */
export { countWords };
