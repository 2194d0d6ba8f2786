/**
 * Parsing saved pages: one parse per page into a small DOM (`dom.ts`: parse5, the HTML standard's
 * parser, the tree jsdom would build, without jsdom's cost per node; plain markup by
 * `plain-parse.ts`, the same tree at a fraction of the cost), the page's `<title>` and
 * `<meta>`, a title without its hosting site's name, and folded text.
 *
 * The parser is loaded on the first read of an HTML input only (`createRequire` in `dom.ts`), so
 * the formats' cheap string `sniff`s keep a text-only run from loading it at all.
 */
import { parseDocument } from './dom.js';
import { parsePlainDocument } from './plain-parse.js';

/** A parsed page. Call `close()` when done (lets go of the tree). */
export interface HtmlPage {
  document: Document;
  close(): void;
}

/**
 * Parse a whole page. Nothing runs and nothing loads: the tree is data only (no scripts, no
 * resources, no styles), and parse errors are not reported.
 */
export function parseHtmlPage(text: string): HtmlPage {
  let doc = (parsePlainDocument(text) ?? parseDocument(text)) as unknown as Document | undefined;
  return {
    get document(): Document {
      if (!doc) throw new Error('the page was closed');
      return doc;
    },
    close: () => {
      doc = undefined;
    },
  };
}

/** Text with HTML whitespace (and no-break spaces) folded to single spaces, trimmed. */
export function foldSpace(text: string): string {
  return foldRuns(text).trim();
}

// Text with nothing to fold (single spaces only) is most text: it is scanned, not rebuilt.
const NEEDS_FOLD = /[\t\n\r\f\u00a0]| {2}/;

/** Runs of HTML whitespace (and no-break spaces) as single spaces, not trimmed. */
export function foldRuns(text: string): string {
  return NEEDS_FOLD.test(text) ? text.replace(/[ \t\n\r\f\u00a0]+/g, ' ') : text;
}

const FOLDED = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 0xa0;
// What `trim` removes besides the folded characters (vertical tab, Unicode spaces, BOM).
const TRIMMED = (c: number): boolean =>
  c === 11 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;

/** `foldSpace(text).length`, counted without building the folded text (a chapter's worth). */
export function foldedLength(text: string): number {
  let length = 0;
  let leading = 0;
  let trailing = 0;
  let started = false;
  let inFold = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const fold = FOLDED(c);
    if (fold && inFold) continue;
    inFold = fold;
    length++;
    if (fold || TRIMMED(c)) {
      trailing++;
      if (!started) leading++;
    } else {
      started = true;
      trailing = 0;
    }
  }
  return started ? length - leading - trailing : 0;
}

/** An element's text, whitespace folded; '' for null. */
export function textOf(el: Element | null | undefined): string {
  return el ? foldSpace(el.textContent ?? '') : '';
}

/** The page's `<title>`, whitespace folded (undefined when missing or empty). */
export function pageTitle(doc: Document): string | undefined {
  return textOf(doc.querySelector('title')) || undefined;
}

/**
 * The content of the first non-empty `<meta>` whose `name`, `property` or `itemprop` is one of
 * `names` (compared case-insensitively: `DC.creator`, `dcterms.title`, `og:title`, `author` …).
 */
export function metaContent(doc: Document, ...names: string[]): string | undefined {
  const wanted = names.map((n) => n.toLowerCase());
  const metas = Array.from(doc.querySelectorAll('meta'));
  for (const name of wanted) {
    for (const m of metas) {
      const key = (m.getAttribute('name') ?? m.getAttribute('property') ?? m.getAttribute('itemprop') ?? '').toLowerCase();
      if (key !== name) continue;
      const v = foldSpace(m.getAttribute('content') ?? '');
      if (v) return v;
    }
  }
  return undefined;
}

// Names of hosting sites that page titles end (or start) with.
const KNOWN_SITES = [
  'FanFiction', 'FanFiction.Net', 'FictionPress', 'Archive of Our Own', 'AO3', 'LiveJournal', 'Dreamwidth',
  'InsaneJournal', 'JournalFen', 'Tumblr', 'WordPress', 'WordPress.com', 'Blogger', 'Blogspot', 'Wattpad',
  'Quotev', 'Wix', 'Medium', 'Substack', 'Squidge.org', 'Twisting the Hellmouth', 'SpaceBattles', 'Sufficient Velocity',
];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A page title without the hosting site's part: `, a Harry Potter fanfic | FanFiction`,
 * ` [Archive of Our Own]`, ` | Site`, ` - Site`, ` — Site` or `Site: ` where Site is a known
 * host or one of `siteNames` (e.g. `og:site_name`). A ` | tail` of up to 40 characters goes too.
 * Returns the title unchanged when stripping would leave nothing.
 */
export function stripSiteSuffix(title: string, siteNames: string[] = []): string {
  let t = foldSpace(title);
  const before = t;
  t = t.replace(/,\s+an?\s+[^,|]{1,120}?\s+(?:fanfic|fiction)\s*\|\s*(?:FanFiction|FictionPress)\s*$/i, '');
  t = t.replace(/\s*\|\s*(?:FanFiction|FictionPress)\s*$/i, '');
  t = t.replace(/\s*\[Archive of Our Own\]\s*$/i, '');
  const names = [...siteNames.filter((n) => n.trim()), ...KNOWN_SITES].map((n) => escapeRegExp(foldSpace(n)));
  const sites = `(?:${names.join('|')})`;
  for (let i = 0; i < 3; i++) {
    const next = t
      .replace(new RegExp(`\\s*(?:\\||[-–—:»«·•]|::)\\s*${sites}\\s*$`, 'i'), '')
      .replace(new RegExp(`^\\s*${sites}\\s*(?:\\||[-–—:»«·•]|::)\\s*`, 'i'), '');
    if (next === t) break;
    t = next;
  }
  const pipe = /^(.+?)\s+\|\s+[^|]{1,40}$/.exec(t);
  if (pipe) t = pipe[1]!;
  t = t.trim();
  return t || before;
}
