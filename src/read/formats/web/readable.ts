/**
 * Mozilla's Readability (Firefox's reader view) on a saved page: which parts of the page are the
 * article, and the title, byline and date it finds. Readability cleans the markup it returns
 * (alignment and inline styles go, which carry scene breaks and emphasis, and layout tables), so
 * only its choice of region is taken: the page element holding all it kept, whole.
 *
 * Loaded on first use (`createRequire`), like jsdom.
 */
import { createRequire } from 'node:module';
import type * as ReadabilityModule from '@mozilla/readability';
import type * as JsdomModule from 'jsdom';
import { innerHtml, type LiteParent } from '../../html/dom.js';
import { foldSpace } from '../../html/parse.js';

const load = createRequire(import.meta.url);

/** Our own attribute numbering the page's elements while Readability reads a copy. */
const INDEX = 'data-f2e-i';

/** The most elements a page's body may hold for Readability to read it (a long one-page story has a few thousand). */
export const MAX_READABLE_ELEMENTS = 5000;

/** What Readability read. */
export interface Readable {
  /** The page's own element holding everything Readability chose, read whole (a story's tables,
   * centred lines and styles are kept as the page has them). */
  content: Element;
  title?: string;
  byline?: string;
  publishedTime?: string;
  lang?: string;
  /** Characters of text in `content`. */
  length: number;
}

/**
 * A browser-like copy of the page for Readability, which needs a whole DOM (styles, `innerHTML`
 * setters, `getElementsByTagName` …): pages are parsed into the small DOM of read/html, so that
 * tree is written out (with the numbering) and read back by jsdom. Only this reader pays for it.
 */
function domCopy(doc: Document): Document {
  if ((doc as { defaultView?: unknown }).defaultView !== undefined) return doc.cloneNode(true) as Document;
  const { JSDOM, VirtualConsole } = load('jsdom') as typeof JsdomModule;
  return new JSDOM(innerHtml(doc as unknown as LiteParent), { virtualConsole: new VirtualConsole() }).window.document;
}

/** Readability's article of `doc`, as the page's own elements; undefined when it finds none. */
export function readable(doc: Document): Readable | undefined {
  const { Readability } = load('@mozilla/readability') as typeof ReadabilityModule;
  const body = doc.body;
  if (!body) return undefined;
  const all = Array.from(body.querySelectorAll('*'));
  // Readability's work on jsdom grows with the square of the elements it removes (20,000 empty ones: a minute); past this the caller's largest text block stands.
  if (all.length > MAX_READABLE_ELEMENTS) return undefined;
  all.forEach((el, i) => el.setAttribute(INDEX, String(i)));
  let result: ReturnType<InstanceType<typeof Readability<Node>>['parse']>;
  try {
    const copy = domCopy(doc);
    result = new Readability<Node>(copy, { serializer: (n) => n, charThreshold: 200 }).parse();
  } catch {
    result = null;
  } finally {
    for (const el of all) el.removeAttribute(INDEX);
  }
  const picked = result?.content as Element | null | undefined;
  if (!result || !picked) return undefined;
  const kept = new Set<number>();
  for (const el of Array.from(picked.querySelectorAll(`[${INDEX}]`))) kept.add(Number(el.getAttribute(INDEX)));
  if (picked.hasAttribute?.(INDEX)) kept.add(Number(picked.getAttribute(INDEX)));
  if (!kept.size) return undefined;
  const indexOf = new Map(all.map((el, i) => [el, i]));
  const isKept = (el: Element): boolean => kept.has(indexOf.get(el) ?? -1);
  // The page element holding every element Readability kept: its region, read whole.
  let region: Element | undefined;
  for (const el of all) {
    if (!isKept(el)) continue;
    if (!region) region = el;
    else while (region !== body && !region.contains(el)) region = region.parentElement ?? body;
  }
  if (!region) return undefined;
  const opt = (s: string | null | undefined): string | undefined => (s ? foldSpace(s) || undefined : undefined);
  const title = opt(result.title);
  const byline = opt(result.byline);
  const publishedTime = opt(result.publishedTime);
  const lang = opt(result.lang);
  return {
    content: region,
    length: foldSpace(region.textContent ?? '').length,
    ...(title ? { title } : {}),
    ...(byline ? { byline } : {}),
    ...(publishedTime ? { publishedTime } : {}),
    ...(lang ? { lang } : {}),
  };
}
