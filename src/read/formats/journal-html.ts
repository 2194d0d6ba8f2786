/**
 * LiveJournal, Dreamwidth and their kin (InsaneJournal, JournalFen): an entry page saved from
 * the browser. The entry's subject (`.entry-title`, `h3.entry-header`, `.subject`,
 * `.b-singlepost-title`), its poster (`.poster .ljuser`), its text (`.entry-content`,
 * `.entry_text`, `.b-singlepost-body`), whose top is usually a "Title:/Author:/Rating:" header
 * (often `<b>Title:</b> X<br>`), and its tags (`.tag a`, `.ljtags a`). Comment threads,
 * navigation, sidebars, the reply form and "Leave a comment" links are never looked at.
 */
import type { Block, Chapter, Story } from '../../model.js';
import { parseDate, parsePartMarker, splitPartMarker } from '../header.js';
import { htmlBlocks } from '../html/blocks.js';
import { readHtmlStory } from '../html/frame.js';
import { metaContent, pageTitle, stripSiteSuffix, textOf } from '../html/parse.js';
import { sameTitle, splitChapters, takeHeader, trimBreaks } from '../structure.js';
import { blockText } from '../../text.js';
import type { ReadContext } from '../context.js';
import type { TextFormat, TextInput } from '../format.js';

const HOSTS = /livejournal|dreamwidth|insanejournal|journalfen|deadjournal/i;
// Every host name holds one of these: a scan for two words is half the cost of one for five.
const HOST_WORDS = /journal|dreamwidth/i;
const hostIn = (text: string): boolean => HOST_WORDS.test(text) && HOSTS.test(text);
const ENTRY_TEXT = /class=["'][^"']*\b(?:entry-content|entry_text|b-singlepost-body|entry-body)\b/i;

function sniff(input: TextInput): number {
  const t = input.text;
  // Only a class attribute makes a page an entry: text with no `=` is none (one search, where
  // the host names cost a walk over a journal's saved text).
  if (!t.includes('=')) return 0;
  // Both ends in one look when the text is no longer than one end (most stories).
  const host = hostIn(t.slice(0, 30000)) || (t.length > 30000 && hostIn(t.slice(-30000)));
  if (!host) return 0;
  if (ENTRY_TEXT.test(t)) return 0.97;
  return /class=["'][^"']*\bljuser\b/i.test(t) ? 0.6 : 0;
}

const SUBJECT = '.entry-title, h3.entry-header, .b-singlepost-title, .entry .subject, .subject';
const TEXT = '.b-singlepost-body, article .entry-content, .entry-content, .entry_text, .entry-body';
const POSTER = '.poster .ljuser, .b-singlepost-author .ljuser, .entry .ljuser, .poster, .ljuser';
const TAGS = '.tag a, .ljtags a, .b-singlepost-tags a, .entry-tags a, .tags a';
const DATE = '.datetime, time.published, .b-singlepost-author-date, .entry-date, .date';

/** A journal username: the `lj:user` attribute, else the bold name in the link, else the text. */
function username(el: Element | null): string | undefined {
  if (!el) return undefined;
  const user = el.closest('.ljuser') ?? el.querySelector('.ljuser') ?? el;
  const attr = user.getAttribute('lj:user') ?? user.getAttribute('data-ljuser');
  const name = attr ?? textOf(user.querySelector('b')) ?? '';
  return (name || textOf(user).replace(/^\[[^\]]*\]\s*/, '')).trim() || undefined;
}

function read(input: TextInput, ctx: ReadContext): Story {
  return readHtmlStory(input, ctx, 'journal-html', (doc, story, tally) => {
    const meta = story.meta;
    // The entry: the first one holding entry text (an entry page shows one; comments come after).
    const textEl = doc.querySelector(TEXT);
    const entry = textEl?.closest('article, .entry, .entry-wrapper, .b-singlepost, .hentry, [id^="entry"]') ?? doc.body;
    // Comment text is never story text, even when a style nests comments inside the entry.
    for (const c of Array.from(textEl?.querySelectorAll('#comments, .comment-thread, .comment, .comments') ?? [])) c.remove();

    const subject = textOf(entry.querySelector(SUBJECT) ?? doc.querySelector(SUBJECT))
      || metaContent(doc, 'og:title')
      || stripSiteSuffix(pageTitle(doc) ?? '').replace(/^[\w-]+:\s+/, '');
    const poster = username(entry.querySelector(POSTER) ?? doc.querySelector(POSTER));
    const tags = Array.from(entry.querySelectorAll(TAGS)).map(textOf).filter(Boolean);
    const dateText = textOf(entry.querySelector(DATE));
    const posted = dateText ? parseDate(dateText.replace(/^[A-Za-z]+,\s+/, '').replace(/(\d)(?:st|nd|rd|th)\b/, '$1')) : undefined;

    const levels = new Map<Block, number>();
    const blocks = trimBreaks(htmlBlocks(textEl, tally, { headingLevels: levels }));
    const header = takeHeader(blocks, meta, subject || undefined, input.path);
    ctx.diagnostics.push(...header.diagnostics);
    let rest = header.rest;
    if (!header.found && subject) {
      // No header: the subject is the title; a repeat of it at the top is dropped.
      const first = rest[0];
      if (first && (first.kind === 'p' || first.kind === 'heading') && sameTitle(blockText(first), subject)) rest = rest.slice(1);
    }
    if (!meta.title && subject) meta.title = splitPartMarker(subject).title || subject;
    const part = header.part ?? (subject ? parsePartMarker(subject) : undefined);
    if (part && meta.title) meta.series ??= { name: meta.title, index: part.index, ...(part.total ? { total: part.total } : {}) };
    if (part) meta.installment = { index: part.index, ...(part.total ? { total: part.total } : {}), unit: 'part' };
    for (const t of tags) if (!meta.tags.includes(t)) meta.tags.push(t);
    if (posted) meta.published ??= posted;
    if (!meta.authors.length && poster) {
      meta.authors.push(poster);
      ctx.info('meta-007', `no author field; the poster "${poster}" is taken as the author`);
    }

    const chapters = splitChapters(rest, levels);
    story.chapters = chapters.map((c): Chapter => ({ ...(c.title !== undefined ? { title: c.title } : {}), sections: [{ blocks: c.blocks }] }));
    if (story.chapters.length === 1 && meta.series?.index && story.chapters[0]!.title === undefined) story.chapters[0]!.title = `Part ${meta.series.index}`;
  });
}

/** The journal entry page reader. */
export const journalHtml: TextFormat = {
  name: 'journal-html',
  description: 'LiveJournal or Dreamwidth entry page saved as HTML: subject, poster, entry text with its header block, tags',
  input: 'text',
  extensions: ['.html', '.htm'],
  inlineMarkers: true,
  precedence: 110,
  sniff,
  read,
};
