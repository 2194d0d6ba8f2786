/**
 * Forum threads saved from XenForo boards (SpaceBattles, Sufficient Velocity, Questionable
 * Questing and the like), XenForo 1 and 2, thread view or reader mode. The story is the thread
 * starter's posts: the threadmarked ones when the thread has threadmarks (one chapter each, named
 * by its threadmark), else all of them. Replies, other members' threadmarks (omakes), quotes of
 * other posts and signatures are left out. Title: the thread title without its tags and the
 * board's name; author: the thread starter.
 */
import type { Block, Chapter, Story } from '../../../model.js';
import type { ReadContext } from '../../context.js';
import type { TextFormat, TextInput } from '../../format.js';
import { parseDate } from '../../header.js';
import { htmlBlocksOfEach } from '../../html/blocks.js';
import { readHtmlStory } from '../../html/frame.js';
import { metaContent, pageTitle, stripSiteSuffix, textOf } from '../../html/parse.js';
import { sameTitle, trimBreaks } from '../../structure.js';
import { blockText } from '../../../text.js';
import { dropHiddenText } from './page.js';

/** Where each XenForo generation keeps a post's parts. */
interface Generation {
  post: string;
  threadmark: string;
  body: string;
  quote: string;
  title: string;
  starter: string;
  started: string;
  junk: string;
}

const XF2: Generation = {
  post: 'article.message--post',
  threadmark: '.threadmarkLabel',
  body: '.message-body .bbWrapper',
  quote: 'blockquote.bbCodeBlock--quote, .bbCodeBlock--quote',
  title: '.p-title-value',
  starter: '.p-description .username',
  started: '.p-description time[datetime]',
  junk: '.js-selectToQuoteEnd, .bbCodeBlock-expandLink, .message-signature',
};

const XF1: Generation = {
  post: 'li.message',
  threadmark: '.threadmarker .title',
  body: '.messageContent blockquote.messageText, .messageContent .messageText',
  quote: '.bbCodeQuote, .bbCodeBlock.bbCodeQuote',
  title: '.titleBar h1',
  starter: '#pageDescription .username',
  started: '#pageDescription .DateTime',
  junk: '.messageTextEndMarker, .quoteExpand, .signature',
};

function generationOf(text: string): Generation | undefined {
  // Both generations are told by attributes (`id="XF"`, `class="message`): text with no `=` is neither.
  if (!text.includes('=')) return undefined;
  const head = text.slice(0, 100_000);
  // The posts' class names first: a plain string search, where the root element's id needs a regex.
  if (text.includes('message--post') && /<html[^>]*\bid="XF"/i.test(head)) return XF2;
  if (text.includes('class="message') && /class="message\b/.test(text) && /<html[^>]*\bid="XenForo"/i.test(head)) return XF1;
  return undefined;
}

function sniff(input: TextInput): number {
  return generationOf(input.text) ? 0.97 : 0;
}

/** A thread title without the board's name, "Reader mode |" and its trailing tags ("(Original
 * Fiction)", "[Worm/Naruto]"), which forums use for the story's fandom and kind. */
export function threadTitle(raw: string, sites: string[]): string {
  let t = stripSiteSuffix(raw.replace(/^\s*(?:reader mode|threadmarks)\s*[|:\-–]\s*/i, ''), sites).replace(/\s*[|:\-–]\s*(?:page|reader)\s*\d*$/i, '');
  for (let m = /\s*(?:\([^()]{1,80}\)|\[[^[\]]{1,80}\])\s*$/.exec(t); m && m.index > 0; m = /\s*(?:\([^()]{1,80}\)|\[[^[\]]{1,80}\])\s*$/.exec(t)) t = t.slice(0, m.index);
  return t.trim() || raw;
}

/** A date as XenForo shows it: an ISO `datetime`, or "Jan 10, 2016 at 9:14 PM". */
function dateOf(el: Element | null): string | undefined {
  if (!el) return undefined;
  const iso = el.getAttribute('datetime');
  if (iso) return parseDate(iso.slice(0, 10));
  const shown = (el.getAttribute('title') ?? textOf(el)).replace(/\s+at\s+.*$/i, '');
  return parseDate(shown);
}

function read(input: TextInput, ctx: ReadContext): Story {
  const gen = generationOf(input.text) ?? XF2;
  return readHtmlStory(input, ctx, 'xenforo', (doc, story, tally) => {
    const meta = story.meta;
    const sites = [metaContent(doc, 'og:site_name')].filter((s): s is string => Boolean(s));
    const titleEl = doc.querySelector(gen.title);
    for (const label of Array.from(titleEl?.querySelectorAll('.label, .label-append, .prefix') ?? [])) label.remove();
    const rawTitle = textOf(titleEl) || metaContent(doc, 'og:title') || pageTitle(doc) || '';
    if (rawTitle) meta.title = threadTitle(rawTitle, sites);
    if (rawTitle && meta.title !== rawTitle) meta.extra['Thread'] = rawTitle;
    const posts = Array.from(doc.querySelectorAll(gen.post)).filter((p) => p.querySelector(gen.body));
    const starter = textOf(doc.querySelector(gen.starter)) || posts[0]?.getAttribute('data-author') || '';
    if (starter) meta.authors.push(starter);
    const started = dateOf(doc.querySelector(gen.started));
    if (started) meta.published = started;
    const lang = doc.documentElement.getAttribute('lang');
    if (lang && /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/i.test(lang)) meta.language = lang;
    dropHiddenText(doc, doc.body ?? doc.documentElement);

    const own = posts.filter((p) => p.getAttribute('data-author') === starter);
    const marked = own.filter((p) => textOf(p.querySelector(gen.threadmark)));
    const story_posts = marked.length ? marked : own;
    const left = posts.length - story_posts.length;
    if (left > 0) ctx.info('struct-003', `left out ${left} post${left === 1 ? '' : 's'} that ${left === 1 ? 'is' : 'are'} not the thread starter's story (replies, other members' posts${marked.length ? ', posts without a threadmark' : ''})`);
    const bodies = story_posts.map((p) => {
      const body = p.querySelector(gen.body)!;
      for (const el of Array.from(body.querySelectorAll(`${gen.quote}, ${gen.junk}`))) el.remove();
      return body;
    });
    const blocksOf = htmlBlocksOfEach(bodies, tally);
    const chapters: Chapter[] = [];
    story_posts.forEach((p, k) => {
      const label = textOf(p.querySelector(gen.threadmark)).replace(/^threadmarks?:\s*/i, '') || undefined;
      let blocks: Block[] = trimBreaks(blocksOf[k]!);
      // The post's own first line repeating its threadmark is its heading, already the chapter's title.
      const firstBlock = blocks[0];
      if (label && firstBlock && (firstBlock.kind === 'p' || firstBlock.kind === 'heading') && sameTitle(blockText(firstBlock), label)) blocks = trimBreaks(blocks.slice(1));
      if (!blocks.length) return;
      chapters.push({ ...(label && (marked.length > 1 || story_posts.length > 1 || !sameTitle(label, meta.title ?? '')) ? { title: label } : {}), sections: [{ blocks }] });
    });
    story.chapters = chapters;
  });
}

/** The XenForo forum thread reader. */
export const xenforo: TextFormat = {
  name: 'xenforo',
  description: "a XenForo forum thread (SpaceBattles, Sufficient Velocity …): the thread starter's threadmarked story posts",
  input: 'text',
  extensions: ['.html', '.htm'],
  inlineMarkers: true,
  precedence: 104,
  sniff,
  read,
};
