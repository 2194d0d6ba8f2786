/**
 * The package document's metadata → the story's Meta: title, creators (authors; other roles
 * kept by name), language, dates, description (an HTML summary read as text), subjects,
 * identifiers and source URL, series (calibre's `calibre:series` or EPUB 3's
 * `belongs-to-collection`), and which manifest item is the cover picture.
 */
import type { Block, Meta } from '../../../model.js';
import { parseDate } from '../../header.js';
import { htmlBlocks } from '../../html/blocks.js';
import { foldSpace, parseHtmlPage } from '../../html/parse.js';
import { newTally } from '../../html/sanitize.js';
import { emptyMeta } from '../../story.js';
import { trimBreaks } from '../../structure.js';
import type { EpubPackage } from './package.js';
import { isStandInAuthor } from './stand-ins.js';
import { attr, childrenNamed } from './xml.js';

/** What the OPF says, before any producer's pages are read. */
export interface PackageMeta {
  meta: Meta;
  /** The book's own unique identifier (`package/@unique-identifier`), as written. */
  identifier?: string;
  /** Every `dc:subject`, in order (sorted into fields by the producer that knows them). */
  subjects: string[];
  /** `dc:publisher`, `dc:contributor` and the NCX/nav generator: who made the book. */
  makers: string[];
  /** The cover picture's archive name. */
  cover?: string;
  /** An author was a converter's stand-in ("Unknown"), left out. */
  standInAuthor: boolean;
}

const ROLE_LABELS: Record<string, string> = { edt: 'Editor', trl: 'Translator', ill: 'Illustrator', nrt: 'Narrator', ctb: 'Contributor' };

/** A date as YYYY-MM-DD (ISO timestamps cut; anything else through the shared date reader). */
function isoDate(value: string): string | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T|$)/.exec(value.trim());
  if (m) return m[3] ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
  return parseDate(value);
}

/** An HTML or plain-text description → blocks (markup escaped into the OPF is common: calibre). */
export function descriptionBlocks(text: string): Block[] | undefined {
  const markup = /<\/?[a-z][^>]*>/i.test(text) ? text : text.split(/\n\s*\n/).map((p) => `<p>${p.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`).join('');
  const page = parseHtmlPage(`<!DOCTYPE html><html><body>${markup}</body></html>`);
  try {
    const blocks = trimBreaks(htmlBlocks(page.document.body, newTally()));
    return blocks.length ? blocks : undefined;
  } finally {
    page.close();
  }
}

/** Read the OPF metadata. */
export function readPackageMeta(pkg: EpubPackage): PackageMeta {
  const root = pkg.opf.documentElement;
  const metadata = childrenNamed(root, 'metadata')[0];
  const all = metadata ? Array.from(metadata.getElementsByTagName('*')) : [];
  const dc = (name: string): Element[] => all.filter((e) => e.localName === name && e.namespaceURI === 'http://purl.org/dc/elements/1.1/');
  const metas = all.filter((e) => e.localName === 'meta');
  // EPUB 3 refinements: `<meta refines="#id" property="role">aut</meta>`.
  const refines = (el: Element, property: string): string | undefined => {
    const id = el.getAttribute('id');
    if (!id) return undefined;
    const m = metas.find((x) => x.getAttribute('refines') === `#${id}` && x.getAttribute('property') === property);
    return m ? foldSpace(m.textContent ?? '') : undefined;
  };
  const named = (name: string): string | undefined => {
    const m = metas.find((x) => x.getAttribute('name') === name);
    return m ? foldSpace(m.getAttribute('content') ?? '') || undefined : undefined;
  };
  const text = (e: Element): string => foldSpace(e.textContent ?? '');
  const meta = emptyMeta();

  const titles = dc('title').filter((t) => text(t));
  const main = titles.find((t) => refines(t, 'title-type') === 'main') ?? titles[0];
  if (main) meta.title = text(main);

  let standInAuthor = false;
  for (const c of [...dc('creator'), ...dc('contributor')]) {
    const name = text(c);
    if (!name) continue;
    // calibre's "Unknown" is no author: the story's own header may name one (stand-ins.ts).
    if (isStandInAuthor(name)) {
      standInAuthor = true;
      continue;
    }
    const role = (attr(c, 'role') ?? refines(c, 'role') ?? (c.localName === 'creator' ? 'aut' : '')).toLowerCase();
    if (role === 'aut') {
      if (!meta.authors.includes(name)) meta.authors.push(name);
    } else if (ROLE_LABELS[role]) {
      const label = ROLE_LABELS[role]!;
      meta.extra[label] = meta.extra[label] ? `${meta.extra[label]}, ${name}` : name;
    }
  }

  const language = dc('language').map(text).find(Boolean);
  // "und" says unknown; "C" and "POSIX" are a converter's locale (pandoc run with no LANG set).
  if (language && !/^(?:und|c|posix)$/i.test(language)) meta.language = language;

  const modified = metas.find((m) => m.getAttribute('property') === 'dcterms:modified');
  for (const d of dc('date')) {
    const event = (attr(d, 'event') ?? '').toLowerCase();
    // A date stamped to the second with the book's modification time is when it was converted
    // (pandoc writes both when the source states no date), not when the story was published.
    if (modified && /T\d/.test(text(d)) && text(d) === text(modified)) continue;
    const date = isoDate(text(d));
    // calibre writes "0101-01-01" for an unknown date.
    if (!date || date.startsWith('0101')) continue;
    if (event === 'modification') meta.updated ??= date;
    else if (event === 'publication' || event === 'creation' || event === '') meta.published ??= date;
  }

  const description = dc('description').map((d) => d.textContent ?? '').find((d) => d.trim());
  if (description) {
    const blocks = descriptionBlocks(description);
    if (blocks) meta.summary = blocks;
  }

  const subjects = dc('subject').map(text).filter(Boolean);

  const uniqueId = root.getAttribute('unique-identifier');
  const identifiers = dc('identifier');
  const own = identifiers.find((i) => uniqueId && i.getAttribute('id') === uniqueId) ?? identifiers[0];
  const source = dc('source').map(text).find((s) => /^https?:\/\//i.test(s));
  const urlId = identifiers.map(text).map((t) => t.replace(/^(?:url|uri):/i, '')).find((t) => /^https?:\/\//i.test(t));
  if (source ?? urlId) meta.sourceUrl = (source ?? urlId)!;

  const calibreSeries = named('calibre:series');
  const collection = metas.find((m) => m.getAttribute('property') === 'belongs-to-collection' && !m.hasAttribute('refines'));
  if (calibreSeries) {
    const index = Number(named('calibre:series_index'));
    meta.series = { name: calibreSeries, ...(Number.isFinite(index) && index > 0 ? { index } : {}) };
  } else if (collection && text(collection)) {
    const index = Number(refines(collection, 'group-position'));
    meta.series = { name: text(collection), ...(Number.isFinite(index) && index > 0 ? { index } : {}) };
  }

  const makers = [...dc('publisher'), ...dc('contributor')].map(text).filter(Boolean);
  const generator = metas.find((m) => m.getAttribute('name') === 'generator');
  if (generator) makers.push(foldSpace(generator.getAttribute('content') ?? ''));

  // The cover: EPUB 3's cover-image property, else EPUB 2's <meta name="cover"> (an id, or an href).
  const items = [...pkg.manifest.values()];
  const coverRef = named('cover');
  const coverItem = items.find((i) => i.properties.includes('cover-image')) ?? (coverRef ? pkg.manifest.get(coverRef) ?? items.find((i) => i.name.endsWith(`/${coverRef}`) || i.name === coverRef) : undefined);
  const cover = coverItem && coverItem.mediaType.startsWith('image/') ? coverItem.name : undefined;

  return {
    meta,
    ...(own && text(own) ? { identifier: text(own) } : {}),
    subjects,
    makers,
    ...(cover ? { cover } : {}),
    standInAuthor,
  };
}
