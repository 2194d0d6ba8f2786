/**
 * Journal posts (LiveJournal, Dreamwidth, InsaneJournal, blogs) saved as text: an optional
 * poster line ("Name (user) wrote,"), a post timestamp, the title repeated above a
 * "Title:/Author:/Rating:" header block, the story, an end mark, a "Tags:" line and the
 * comment form and navigation links of the page.
 */
import { type SourceLine, sourceLines } from '../body.js';
import { isPageChrome, POSTER_LINE as POSTER } from '../chrome.js';
import { findHeaderStart, parseDate, parseHeaderLine, splitList } from '../header.js';
import { emptyStory } from '../story.js';
import { readTextStory } from '../structure.js';
import type { Story } from '../../model.js';
import type { ReadContext } from '../context.js';
import type { TextFormat, TextInput } from '../format.js';

// "Oct 24, 2008 23:18", "Oct. 31st, 2008 at 11:02 pm", "Friday, 3 March 2006", "2008-10-24 23:18:00".
const TIMESTAMP = /^\s*(?:[A-Z][a-z]+,?\s+)?(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}|\d{4}-\d{2}-\d{2})(?:(?:\s+at\s+|[ ,T@]+)\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s*\(?[A-Z]{2,5}\)?)?)?\s*$/;

function sniff(input: TextInput): number {
  const head = input.text.slice(0, 4000).split('\n');
  let known = 0;
  for (const line of head.slice(0, 60)) if (parseHeaderLine(line)) known++;
  let score = known >= 4 ? 0.8 : known >= 2 ? 0.55 : 0;
  // The poster pattern backtracks over the line: only lines saying "wrote" are tried.
  if (head.some((l) => l.includes('wrote') && POSTER.test(l))) score += 0.1;
  if (/\n\s*(?:•\s*)?(?:Post a new comment|Previous post|Tags:)/i.test(input.text.slice(-3000))) score += 0.1;
  return Math.min(score, 0.95);
}

function read(input: TextInput, ctx: ReadContext): Story {
  const story = emptyStory(input.path, 'journal', input.encoding);
  const meta = story.meta;
  const lines = sourceLines(input.text);

  // 1. Page chrome and the tag line after the story.
  let end = lines.length;
  for (;;) {
    while (end > 0 && lines[end - 1]!.text.trim() === '') end--;
    if (end === 0) break;
    const last = lines[end - 1]!.text;
    const tagLine = parseHeaderLine(last);
    if (tagLine && tagLine.rule.target === 'tags') {
      meta.tags.unshift(...splitList(tagLine.value));
      end--;
    } else if (isPageChrome(last)) end--;
    else break;
  }

  // 2. The poster line (and the poster's name under it) and the post's timestamp above the story's own header.
  const header = findHeaderStart(lines.slice(0, end).map((l) => l.text), 30);
  const topEnd = header >= 0 ? header : Math.min(end, 12);
  let poster: string | undefined;
  let posterLine: number | undefined;
  const kept: SourceLine[] = [];
  lines.slice(0, end).forEach((l, k) => {
    const t = l.text.trim();
    if (k < topEnd && t) {
      const p = POSTER.exec(t);
      if (p) { poster = p[1]; posterLine = l.line; return; }
      if (poster && t === poster) return;
      if (TIMESTAMP.test(t)) {
        const d = parseDate(t);
        if (d) meta.published ??= d;
        return;
      }
    }
    kept.push(l);
  });

  // 3. Header block or title block, then the story; a part marker names the series and the chapter.
  const text = readTextStory(kept, meta, { path: input.path, bareTitle: true, firstChapterTitle: (part) => (part && part.total !== 1 ? `Part ${part.index}` : undefined) });
  ctx.diagnostics.push(...text.diagnostics);
  if (text.part && meta.title) meta.series ??= { name: meta.title, index: text.part.index, ...(text.part.total ? { total: text.part.total } : {}) };
  if (text.part) meta.installment = { index: text.part.index, ...(text.part.total ? { total: text.part.total } : {}), unit: 'part' };
  if (!meta.authors.length && poster) {
    meta.authors.push(poster);
    ctx.info('meta-007', `no author field; the poster "${poster}" is taken as the author`, posterLine);
  }
  story.chapters = text.chapters;
  story.end = text.end;
  return story;
}

/** The journal-post reader. */
export const journal: TextFormat = {
  name: 'journal',
  description: 'journal post saved as text: Title:/Author: header block, story, tags, comment-form cruft',
  input: 'text',
  extensions: ['.txt'],
  inlineMarkers: true,
  precedence: 20,
  sniff,
  read,
};
