/** The package document (content.opf) and the NCX for older readers, from a book plan. */
import { coverImageName, type BookPlan, type PageInfo } from '../render/book.js';
import type { NavEntry } from '../render/pages.js';
import { IMAGE_FOLDER } from '../render/xhtml.js';
import { el, lines, XML_DECLARATION } from '../render/xml.js';
import { calibreUserMetadata, libraryProperties, VOCAB_IRI, VOCAB_PREFIX } from './library-meta.js';
import type { Xml } from '../render/xml.js';

/** Manifest href of the cover image and navigation files. */
export const COVER_IMAGE = 'cover.png';
export const NAV_FILE = 'nav.xhtml';
export const NCX_FILE = 'toc.ncx';
export const CSS_FILE = 'style.css';

const ACCESSIBILITY_FEATURES = ['structuralNavigation', 'tableOfContents', 'readingOrder'];

/** content.opf for the plan. */
export function renderOpf(plan: BookPlan<PageInfo>): string {
  const m = plan.meta;
  const hasPictures = plan.cover !== undefined || plan.images.length > 0;
  const meta: Xml[] = [
    el('dc:identifier', { id: 'bookid' }, m.identifier),
    el('dc:title', { id: 'dctitle' }, m.title),
    ...m.creators.flatMap((c, i) => [
      el('dc:creator', { id: `creator${i + 1}` }, c.name),
      el('meta', { refines: `#creator${i + 1}`, property: 'role', scheme: 'marc:relators' }, c.role),
      el('meta', { refines: `#creator${i + 1}`, property: 'file-as' }, c.name),
    ]),
    el('dc:language', {}, m.language),
    ...(m.date ? [el('dc:date', {}, m.date)] : []),
    ...(m.description ? [el('dc:description', {}, m.description)] : []),
    ...m.subjects.map((s) => el('dc:subject', {}, s)),
    ...(m.library ? libraryProperties(m.library) : []),
    ...(m.source ? [el('dc:source', {}, m.source)] : []),
    el('meta', { property: 'dcterms:modified' }, m.modified),
    ...(m.series
      ? [
          el('meta', { property: 'belongs-to-collection', id: 'series' }, m.series.name),
          el('meta', { refines: '#series', property: 'collection-type' }, 'series'),
          ...(m.series.index !== undefined ? [el('meta', { refines: '#series', property: 'group-position' }, String(m.series.index))] : []),
          el('meta', { name: 'calibre:series', content: m.series.name }),
          ...(m.series.index !== undefined ? [el('meta', { name: 'calibre:series_index', content: String(m.series.index) })] : []),
        ]
      : []),
    el('meta', { property: 'schema:accessMode' }, 'textual'),
    // Pictures: the cover (always described) and, with --images, story pictures. Alternative
    // text is claimed only when every one of them has it.
    ...(hasPictures ? [el('meta', { property: 'schema:accessMode' }, 'visual')] : []),
    el('meta', { property: 'schema:accessModeSufficient' }, 'textual'),
    ...[...ACCESSIBILITY_FEATURES, ...(hasPictures && plan.imagesDescribed ? ['alternativeText'] : [])].map((f) => el('meta', { property: 'schema:accessibilityFeature' }, f)),
    el('meta', { property: 'schema:accessibilityHazard' }, 'none'),
    el('meta', { property: 'schema:accessibilitySummary' }, m.accessibilitySummary),
    ...(plan.cover ? [el('meta', { name: 'cover', content: 'cover-image' })] : []),
    ...(m.library ? calibreUserMetadata(m.library) : []),
  ];
  const manifest: Xml[] = [
    el('item', { id: 'nav', href: NAV_FILE, 'media-type': 'application/xhtml+xml', properties: 'nav' }),
    el('item', { id: 'ncx', href: NCX_FILE, 'media-type': 'application/x-dtbncx+xml' }),
    el('item', { id: 'css', href: CSS_FILE, 'media-type': 'text/css' }),
    ...(plan.cover ? [el('item', { id: 'cover-image', href: coverImageName(plan.cover.jpeg), 'media-type': plan.cover.jpeg ? 'image/jpeg' : 'image/png', properties: 'cover-image' })] : []),
    ...plan.images.map((img, i) => el('item', { id: `img${i + 1}`, href: `${IMAGE_FOLDER}/${img.name}`, 'media-type': img.mediaType })),
    ...plan.pages.map((p) => el('item', { id: p.id, href: p.filename, 'media-type': 'application/xhtml+xml' })),
  ];
  const spine: Xml[] = [];
  for (const p of plan.pages) {
    spine.push(el('itemref', { idref: p.id }));
    if (p.id === plan.navPlacement.after) spine.push(el('itemref', { idref: 'nav', linear: plan.navPlacement.linear ? undefined : 'no' }));
  }
  const pkg = el(
    'package',
    { xmlns: 'http://www.idpf.org/2007/opf', version: '3.0', 'unique-identifier': 'bookid', 'xml:lang': m.language, prefix: m.library ? `${VOCAB_PREFIX}: ${VOCAB_IRI}` : undefined },
    '\n',
    el('metadata', { 'xmlns:dc': 'http://purl.org/dc/elements/1.1/' }, '\n', lines(meta), '\n'),
    '\n',
    el('manifest', {}, '\n', lines(manifest), '\n'),
    '\n',
    el('spine', { toc: 'ncx' }, '\n', lines(spine), '\n'),
    '\n',
  );
  return `${XML_DECLARATION}\n${pkg.xml}\n`;
}

function depth(entries: NavEntry[]): number {
  let d = 0;
  for (const e of entries) d = Math.max(d, 1 + depth(e.children));
  return d;
}

/** toc.ncx: the same nested navigation for EPUB 2 reading systems. */
export function renderNcx(plan: BookPlan<PageInfo>): string {
  let order = 0;
  const point = (e: NavEntry): Xml => {
    order++;
    return el(
      'navPoint',
      { id: `np${order}`, playOrder: String(order) },
      el('navLabel', {}, el('text', {}, e.label)),
      el('content', { src: e.href }),
      e.children.length ? lines(e.children.map(point)) : undefined,
    );
  };
  const m = plan.meta;
  const ncx = el(
    'ncx',
    { xmlns: 'http://www.daisy.org/z3986/2005/ncx/', version: '2005-1', 'xml:lang': m.language },
    '\n',
    el(
      'head',
      {},
      el('meta', { name: 'dtb:uid', content: m.identifier }),
      el('meta', { name: 'dtb:depth', content: String(Math.max(1, depth(plan.nav))) }),
      el('meta', { name: 'dtb:totalPageCount', content: '0' }),
      el('meta', { name: 'dtb:maxPageNumber', content: '0' }),
    ),
    '\n',
    el('docTitle', {}, el('text', {}, m.title)),
    '\n',
    ...m.creators.filter((c) => c.role === 'aut').map((c) => [el('docAuthor', {}, el('text', {}, c.name)), '\n']),
    el('navMap', {}, '\n', lines(plan.nav.map(point)), '\n'),
    '\n',
  );
  return `${XML_DECLARATION}\n${ncx.xml}\n`;
}
