/**
 * Journal posts (LiveJournal, Dreamwidth, InsaneJournal, blogs) saved as text: an optional
 * poster line ("Name (user) wrote,"), a post timestamp, the title repeated above a
 * "Title:/Author:/Rating:" header block, the story, an end mark, a "Tags:" line and the
 * comment form and navigation links of the page.
 */
import { info, warning } from '../../diagnostics.js';
import type { Diagnostic } from '../../diagnostics.js';
import { linesToBody } from '../body.js';
import { applyField, parseDate, parseHeaderLine, parsePartMarker, splitList } from '../header.js';
import type { HeaderLine } from '../header.js';
import { emptyStory, para } from '../story.js';
import type { Format, ReadResult, TextInput } from './types.js';

// The journal site's page chrome after an entry: comment form, navigation, sharing, moods.
const CHROME = [
  /^post a new comment$/i,
  /^anonymous comments are disabled/i,
  /^default userpic$/i,
  /^your ip address will be recorded/i,
  /^(?:previous|next) (?:post|entry)$/i,
  /^up$/i,
  /^(?:reply|thread|link|flag|share|edit|track|tags|memories|add to memories)$/i,
  /^(?:leave a comment|\d+ comments?|comments?(?: \(\d+\))?|no comments?)$/i,
  /^current (?:mood|music|location):/i,
  /^(?:mood|music|location):\s/i,
  /^(?:log in|sign up|create an account|home|profile|archive|subscribe)$/i,
];

const POSTER = /^\s*(.+?)\s*\(([\w-]+)\)\s+wrote(?:\s+in\s+\S+)?,?\s*$/;
const TIMESTAMP = /^\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2})(?:[ ,T@]+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?)?\s*$/i;

function isChrome(line: string): boolean {
  const t = line.replace(/^[\s•·*\-–]+/, '').trim();
  return CHROME.some((re) => re.test(t));
}

/** Index of the first header line of a block holding at least two known fields. */
function findHeader(lines: string[], limit: number): number {
  for (let i = 0; i < Math.min(lines.length, limit); i++) {
    if (!parseHeaderLine(lines[i]!)) continue;
    let known = 0;
    for (let j = i; j < Math.min(lines.length, i + 12); j++) if (parseHeaderLine(lines[j]!)) known++;
    if (known >= 2) return i;
  }
  return -1;
}

function sniff(input: TextInput): number {
  const head = input.text.slice(0, 4000).split('\n');
  let known = 0;
  for (const line of head.slice(0, 60)) if (parseHeaderLine(line)) known++;
  let score = known >= 4 ? 0.8 : known >= 2 ? 0.55 : 0;
  if (head.some((l) => POSTER.test(l))) score += 0.1;
  if (/\n\s*(?:•\s*)?(?:Post a new comment|Previous post|Tags:)/i.test(input.text.slice(-3000))) score += 0.1;
  return Math.min(score, 0.95);
}

function read(input: TextInput): ReadResult {
  const story = emptyStory(input.path, 'journal', input.encoding);
  const meta = story.meta;
  const diagnostics: Diagnostic[] = [];
  const lines = input.text.split('\n');

  // 1. Page chrome and the tag line after the story.
  let end = lines.length;
  for (;;) {
    while (end > 0 && lines[end - 1]!.trim() === '') end--;
    if (end === 0) break;
    const last = lines[end - 1]!;
    const tagLine = parseHeaderLine(last);
    if (tagLine && tagLine.rule.target === 'tags') {
      meta.tags.unshift(...splitList(tagLine.value));
      end--;
    } else if (isChrome(last)) end--;
    else break;
  }

  // 2. Header block, and what stands above it.
  const h = findHeader(lines.slice(0, end), 80);
  const pre = h >= 0 ? lines.slice(0, h) : [];
  let i = h >= 0 ? h : 0;
  let last: HeaderLine | undefined;
  let pendingNote: string[] = [];
  let poster: string | undefined;
  if (h >= 0) {
    while (i < end) {
      const line = lines[i]!;
      if (line.trim() === '') {
        let j = i;
        while (j < end && lines[j]!.trim() === '') j++;
        // A field with an empty value ("Summary:") takes the paragraph that follows it.
        if (last && !last.value && j < end && !parseHeaderLine(lines[j]!)) {
          last.value = lines[j]!.trim();
          applyField(meta, last);
          i = j + 1;
          continue;
        }
        if (j < end && parseHeaderLine(lines[j]!)) { i = j; continue; }
        break;
      }
      const field = parseHeaderLine(line);
      if (field) {
        for (const note of pendingNote) (meta.notes ??= []).push(para(note));
        pendingNote = [];
        if (field.value && !applyField(meta, field)) {
          diagnostics.push(warning('meta-004', `could not understand "${field.key}: ${field.value}"; kept as text`, input.path, i + 1));
        }
        last = field;
        i++;
        continue;
      }
      const t = line.trim();
      if (last && last.value && (/^[a-z(]/.test(t) || /^by\s/i.test(t)) && pendingNote.length === 0) {
        // A continuation of the previous field ("Based on: X" / "by Artist: Y").
        const joined: HeaderLine = { ...last, value: t };
        if (last.rule.target === 'extra') {
          const label = last.rule.label ?? last.key;
          meta.extra[label] = `${meta.extra[label] ?? ''} ${t}`.trim();
        } else applyField(meta, joined);
        i++;
        continue;
      }
      if (last && !last.value) {
        last.value = t;
        applyField(meta, last);
        i++;
        continue;
      }
      // Free text inside the block: a note if more fields follow, else the story has begun.
      let j = i + 1;
      while (j < end && lines[j]!.trim() !== '' && !parseHeaderLine(lines[j]!)) j++;
      if (j < end && parseHeaderLine(lines[j]!)) {
        for (let k = i; k < j; k++) pendingNote.push(lines[k]!.trim());
        i = j;
        continue;
      }
      break;
    }
  }

  for (const raw of pre) {
    const line = raw.trim();
    if (!line) continue;
    const p = POSTER.exec(line);
    if (p) { poster = p[1]; continue; }
    if (poster && line === poster) continue;
    if (TIMESTAMP.test(line)) {
      const d = parseDate(line);
      if (d) meta.published ??= d;
      continue;
    }
    const part = parsePartMarker(line);
    const title = line.replace(/[,:(\s-]*\b(?:part|pt\.?)\s*\d+\s*(?:\/|of)\s*\d+\)?\s*$/i, '').trim();
    if (part) meta.series ??= { name: meta.title ?? title, index: part.index, total: part.total };
    if (!meta.title && title) meta.title = title;
  }
  if (!meta.authors.length && poster) {
    meta.authors.push(poster);
    diagnostics.push(info('meta-007', `no author field; the poster "${poster}" is taken as the author`, input.path));
  }

  // 3. A part marker right after the header ("Part 2/2") names the series and the chapter.
  while (i < end && lines[i]!.trim() === '') i++;
  let firstTitle: string | undefined;
  const marker = i < end ? parsePartMarker(lines[i]!) : undefined;
  if (marker && lines[i]!.trim().length <= 30) {
    if (meta.title) meta.series ??= { name: meta.title, index: marker.index, total: marker.total };
    firstTitle = `Part ${marker.index}`;
    i++;
  }
  if (meta.series && meta.title && meta.series.name !== meta.title && !meta.series.name) meta.series.name = meta.title;

  const body = linesToBody(lines.slice(h >= 0 ? i : 0, end), { firstChapterTitle: firstTitle });
  story.chapters = body.chapters;
  story.end = body.end;
  return { story, diagnostics };
}

/** The journal-post reader. */
export const journal: Format = {
  name: 'journal',
  description: 'journal post saved as text: Title:/Author: header block, story, tags, comment-form cruft',
  sniff,
  read,
};
