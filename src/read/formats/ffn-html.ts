/**
 * FanFiction.Net (and FictionPress) story pages saved from the browser: `#profile_top` (title
 * `b.xcontrast_txt`, author `a[href^="/u/"]`, summary `div.xcontrast_txt`, the grey
 * `span.xgray` line of rating, language, genres, characters, counts and dates), the fandom
 * breadcrumb `#pre_story_links`, the chapter menu `select#chap_select` and the text in
 * `#storytext`. One page holds one chapter; menus, scripts, review forms and footers are never
 * looked at.
 */
import type { Block, Chapter, Meta, Story } from '../../model.js';
import { chapterHeading } from '../body.js';
import { groupThousands } from '../../text.js';
import { applyField, parseHeaderLine, type FieldAliases } from '../header.js';
import { htmlBlocks } from '../html/blocks.js';
import { readHtmlStory } from '../html/frame.js';
import { metaContent, pageTitle, stripSiteSuffix, textOf } from '../html/parse.js';
import { takeEndMarks, trimBreaks } from '../structure.js';
import { blockText } from '../../text.js';
import type { ReadContext } from '../context.js';
import type { TextFormat, TextInput } from '../format.js';

function sniff(input: TextInput): number {
  const t = input.text;
  // The story's text element is an `id=`: text with no `=` holds none (one search instead of a regex's walk).
  if (!t.includes('=')) return 0;
  // Without the story's text element no page of the site is read here: nothing else to look at.
  if (!/id=["']?storytext["'\s>]/i.test(t)) return 0;
  const site = /fanfiction\.net|fictionpress\.com/i.test(t.slice(0, 30000)) || /fanfiction\.net|fictionpress\.com/i.test(t.slice(-30000));
  const profile = /id=["']?profile_top["'\s>]/i.test(t);
  return site || profile ? 0.98 : 0.9;
}

// FFN's genre list; "Hurt/Comfort" is one genre despite its slash.
const GENRES = [
  'Adventure', 'Angst', 'Crime', 'Drama', 'Family', 'Fantasy', 'Friendship', 'General', 'Horror', 'Humor',
  'Hurt/Comfort', 'Mystery', 'Parody', 'Poetry', 'Romance', 'Sci-Fi', 'Spiritual', 'Supernatural', 'Suspense',
  'Tragedy', 'Western',
];

/** "Romance/Hurt/Comfort" → ["Romance", "Hurt/Comfort"], or undefined when not all are genres. */
export function splitGenres(segment: string): string[] | undefined {
  const out: string[] = [];
  let rest = segment.trim();
  while (rest) {
    const g = GENRES.find((name) => rest.toLowerCase().startsWith(name.toLowerCase()) && (rest.length === name.length || rest[name.length] === '/'));
    if (!g) return undefined;
    out.push(g);
    rest = rest.slice(g.length).replace(/^\//, '');
  }
  return out.length ? out : undefined;
}

/** FFN dates: "1/2/2010" (month first), "Jan 2, 2010", or "Jan 2" (this year: unknown, skipped). */
export function ffnDate(text: string): string | undefined {
  const t = text.trim();
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (m) return iso(+m[3]!, +m[1]!, +m[2]!);
  m = /^([A-Z][a-z]{2})[a-z]*\.? (\d{1,2}), (\d{4})$/.exec(t);
  const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
  if (m) {
    const mo = months.indexOf(m[1]!.toLowerCase()) + 1;
    if (mo) return iso(+m[3]!, mo, +m[2]!);
  }
  return undefined;
}

function iso(y: number, m: number, d: number): string | undefined {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1990) return undefined;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A unix time (seconds) → YYYY-MM-DD in UTC. */
function unixDate(seconds: string): string | undefined {
  const n = Number(seconds);
  if (!Number.isFinite(n) || n <= 0) return undefined;
  return new Date(n * 1000).toISOString().slice(0, 10);
}

/** "[Harry P., Hermione G.] Ron W." → pairings in brackets and every character. */
function readCharacters(segment: string, meta: Meta): void {
  for (const pair of segment.matchAll(/\[([^\]]+)\]/g)) {
    const names = pair[1]!.split(',').map((s) => s.trim()).filter(Boolean);
    if (names.length >= 2) meta.relationships.push(names.join('/'));
  }
  for (const name of segment.replace(/[[\]]/g, ',').split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!meta.characters.includes(name)) meta.characters.push(name);
  }
}

// The grey line's labels besides the shared ones (Rated, Words, Published, Updated, Status): the
// story's chapter count and id, read here, and the site's counters, which say nothing of the story.
const FFN_FIELDS: FieldAliases = {
  'chapters': { target: 'own', label: 'chapters' },
  'id': { target: 'own', label: 'id' },
  'reviews': { target: 'drop' },
  'favs': { target: 'drop' },
  'follows': { target: 'drop' },
};

/**
 * The grey line: "Rated: Fiction T - English - Romance/Drama - Harry P., Hermione G. -
 * Chapters: 3 - Words: 12,345 - Reviews: 45 - Favs: 6 - Follows: 7 - Updated: 3/4/2011 -
 * Published: 1/2/2010 - Status: Complete - id: 123". Dates prefer the `data-xutime` stamps.
 */
function readGrayLine(span: Element, meta: Meta): { chapters?: number; id?: string } {
  const stamps: Record<string, string> = {};
  for (const s of Array.from(span.querySelectorAll('[data-xutime]'))) {
    const before = (s.previousSibling?.textContent ?? '').trimEnd();
    const key = /(Updated|Published):$/i.exec(before)?.[1]?.toLowerCase();
    const d = unixDate(s.getAttribute('data-xutime') ?? '');
    if (key && d) stamps[key] = d;
  }
  const segments = textOf(span).split(/\s+-\s+/).map((s) => s.trim()).filter(Boolean);
  const out: { chapters?: number; id?: string } = {};
  let plain = 0;
  for (const seg of segments) {
    const field = parseHeaderLine(seg, FFN_FIELDS);
    if (field) {
      const { value, rule } = field;
      if (rule.target === 'rating') meta.rating ??= value.replace(/^Fiction\s+/i, '').trim() || undefined;
      else if (rule.target === 'published') meta.published ??= stamps.published ?? ffnDate(value);
      else if (rule.target === 'updated') meta.updated ??= stamps.updated ?? ffnDate(value);
      else if (rule.label === 'chapters') out.chapters = Number(value.replace(/\D/g, '')) || undefined;
      else if (rule.label === 'id') out.id = /^\d+$/.test(value) ? value : undefined;
      else if (value) applyField(meta, field);
      continue;
    }
    // Unlabelled segments in order: language, then genres (when they are genres), then characters.
    plain++;
    if (plain === 1) meta.language ??= seg;
    else {
      const genres = splitGenres(seg);
      if (genres && !meta.tags.length) meta.tags.push(...genres);
      else readCharacters(seg, meta);
    }
  }
  return out;
}

/** The fandom from the breadcrumb's last link; "A + B Crossover" → both fandoms. */
function readFandoms(doc: Document, meta: Meta): void {
  const links = Array.from(doc.querySelectorAll('#pre_story_links a')).map(textOf).filter(Boolean);
  const last = links[links.length - 1];
  if (!last) return;
  const cross = /^(.+?)\s+(?:\+|&)\s+(.+?)\s+Crossover$/i.exec(last);
  meta.fandoms.push(...(cross ? [cross[1]!, cross[2]!] : [last.replace(/\s+Crossover$/i, '')]));
}

function read(input: TextInput, ctx: ReadContext): Story {
  return readHtmlStory(input, ctx, 'ffn-html', (doc, story, tally) => {
    const meta = story.meta;
    const top = doc.getElementById('profile_top');
    const title = textOf(top?.querySelector('b.xcontrast_txt'))
      || stripSiteSuffix(pageTitle(doc) ?? '').replace(/\s+Chapter\s+\d+(?::.*)?$/i, '').trim();
    if (title) meta.title = title;
    const author = top?.querySelector('a[href^="/u/"], a[href*="fanfiction.net/u/"], a[href*="fictionpress.com/u/"]');
    if (textOf(author)) meta.authors.push(textOf(author));
    const summary = textOf(top?.querySelector(':scope > div.xcontrast_txt'));
    if (summary) meta.summary = [{ kind: 'p', content: [summary] }];
    const gray = top?.querySelector('span.xgray');
    const stats = gray ? readGrayLine(gray, meta) : {};
    readFandoms(doc, meta);
    const canonical = doc.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? metaContent(doc, 'og:url') ?? '';
    const site = /fictionpress\.com/i.test(canonical) || /fictionpress\.com/i.test(input.text.slice(0, 30000)) ? 'www.fictionpress.com' : 'www.fanfiction.net';
    const id = stats.id ?? /\/s\/(\d+)/.exec(canonical)?.[1];
    if (id) meta.sourceUrl = `https://${site}/s/${id}/`;

    // The chapter: its text, and its title from the chapter menu or a heading line at its top.
    const blocks = trimBreaks(htmlBlocks(doc.getElementById('storytext'), tally));
    const chapter: Chapter = { sections: [{ blocks }] };
    const select = doc.querySelector('select#chap_select, select[name="chapter"]');
    const options = select ? Array.from(select.querySelectorAll('option')) : [];
    const selected = options.find((o) => o.hasAttribute('selected')) ?? options[0];
    const first = blocks[0];
    const firstText = first && (first.kind === 'p' || first.kind === 'heading') ? blockText(first).trim() : '';
    if (firstText && firstText.length <= 80 && chapterHeading(firstText) !== undefined) {
      chapter.title = firstText;
      blocks.shift();
    } else if (selected) {
      const label = textOf(selected).replace(/^\d+\.\s*/, '');
      chapter.title = label || `Chapter ${options.indexOf(selected) + 1}`;
    }
    // A leading "Disclaimer:" paragraph is metadata, not story.
    const d = blocks.findIndex((b: Block, i) => i < 3 && b.kind === 'p' && /^disclaimer\s*:/i.test(blockText(b)));
    if (d >= 0) {
      meta.disclaimer = blockText(blocks[d]!).replace(/^disclaimer\s*:\s*/i, '').trim();
      blocks.splice(d, 1);
    }
    story.chapters = [chapter];
    story.end = takeEndMarks(blocks);
    const total = Math.max(stats.chapters ?? 0, options.length);
    if (total > 1) {
      const n = selected ? options.indexOf(selected) + 1 : 1;
      meta.installment = { index: n, total, unit: 'chapter' };
      ctx.message('read-009', `the page holds chapter ${n} of ${total}; save every chapter's page to get the whole story`);
      // The stated count is the whole story's, not this page's.
      if (meta.statedWords !== undefined) {
        meta.extra['Words in all chapters'] = groupThousands(meta.statedWords);
        delete meta.statedWords;
      }
    }
  }, false);
}

/** The FanFiction.Net story page reader. */
export const ffnHtml: TextFormat = {
  name: 'ffn-html',
  description: 'FanFiction.Net or FictionPress story page saved as HTML (#profile_top, #storytext)',
  input: 'text',
  extensions: ['.html', '.htm'],
  inlineMarkers: true,
  precedence: 120,
  sniff,
  read,
};
