/**
 * Chapter pages of web-fiction sites that have no download of their own: Royal Road, Scribble
 * Hub and Wattpad, saved from the browser. Each is the generic web reader (`readWebPage`) told
 * where the site keeps the story text, its title, author, chapter title and author's notes; the
 * family shares everything else (hidden anti-copying text, navigation, scene breaks, dates).
 */
import type { Story } from '../../../model.js';
import type { ReadContext } from '../../context.js';
import type { TextFormat, TextInput } from '../../format.js';
import { readHtmlStory } from '../../html/frame.js';
import { textOf } from '../../html/parse.js';
import { readWebPage, type SiteShape } from './generic-html.js';

const first = (doc: Document, ...selectors: string[]): string | undefined => {
  for (const sel of selectors) {
    const t = textOf(doc.querySelector(sel));
    if (t) return t;
  }
  return undefined;
};

const names = (doc: Document, selector: string): string[] => [...new Set(Array.from(doc.querySelectorAll(selector)).map(textOf).filter((t) => t && t.length <= 60))];

interface Site {
  /** The site's host name, as saved pages name it (canonical link, og:url, links). */
  host: RegExp;
  /** Markup only this site's chapter pages carry. */
  marker: RegExp;
  shape: SiteShape;
}

const SITES: Site[] = [
  {
    host: /royalroad\.com/i,
    marker: /class="[^"]*\bchapter-inner\b/,
    shape: {
      format: 'royalroad',
      content: '.chapter-inner',
      notes: '.author-note',
      title: (doc) => first(doc, '.fic-header .fic-title h2', '.fic-header h2'),
      authors: (doc) => names(doc, '.fic-header h3 a[href*="/profile/"], .fic-header h4 a[href*="/profile/"]'),
      chapterTitle: (doc) => first(doc, '.fic-header h1'),
      date: (doc) => doc.querySelector('.fic-header time[datetime], .profile-info time[datetime]')?.getAttribute('datetime') ?? undefined,
      description: false,
    },
  },
  {
    host: /scribblehub\.com/i,
    marker: /id="chp_raw"/,
    shape: {
      format: 'scribblehub',
      content: '#chp_raw',
      notes: '.wi_authornotes',
      title: (doc) => first(doc, '.wi_breadcrumb a[href*="/series/"]', '.chapter_titles .wi_fic_title'),
      authors: (doc) => names(doc, '.chp_byauthor a'),
      chapterTitle: (doc) => first(doc, '.chapter-title'),
      description: false,
    },
  },
  {
    host: /wattpad/i,
    marker: /\bpanel-reading\b|data-p-id=/,
    shape: {
      format: 'wattpad',
      content: '.panel-reading',
      unwrap: 'pre',
      title: (doc) => first(doc, '.toc-header .title', '.story-info .title'),
      authors: (doc) => names(doc, '.part-header .author a.on-navigate, .toc-header .author a, .part-header a[href^="/user/"]'),
      chapterTitle: (doc) => first(doc, '.part-header h1', '.part-title'),
      // Wattpad's description is its own advert ("Read … with 1,204 reads"), not the story's summary.
      description: false,
    },
  },
];

function siteOf(text: string): Site | undefined {
  const head = text.slice(0, 200_000);
  // Every marker is an attribute (`class="`, `id="`, `data-p-id=`) or the class name
  // `panel-reading`: text with neither (every story saved as text) is no site's page.
  if (!head.includes('=') && !head.includes('panel-reading')) return undefined;
  // The marker first: it is case-sensitive markup, cheaper to look for than a host in any case.
  return SITES.find((s) => s.marker.test(head) && s.host.test(head));
}

function sniff(input: TextInput): number {
  return siteOf(input.text) ? 0.97 : 0;
}

function read(input: TextInput, ctx: ReadContext): Story {
  const site = siteOf(input.text);
  const shape: SiteShape = site?.shape ?? { format: 'web-fiction' };
  return readHtmlStory(input, ctx, shape.format, (doc, story, tally) => readWebPage(doc, story, ctx, tally, shape));
}

/** The web-fiction sites reader (Royal Road, Scribble Hub, Wattpad chapter pages). */
export const webFiction: TextFormat = {
  name: 'web-fiction',
  description: 'a chapter page saved from Royal Road, Scribble Hub or Wattpad',
  input: 'text',
  extensions: ['.html', '.htm'],
  inlineMarkers: true,
  precedence: 105,
  sniff,
  read,
};
