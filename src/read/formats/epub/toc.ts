/**
 * The book's own table of contents: the EPUB 3 navigation document's `toc` nav, else the
 * EPUB 2 NCX. Entries are flattened in reading order with their depth; their targets are
 * archive names (and fragments), so chapters can be matched to spine items.
 */
import type { Archive } from '../../archive.js';
import { foldSpace } from '../../html/parse.js';
import { resolveHref, type EpubPackage } from './package.js';
import { attr, childrenNamed, descendantsNamed, type XmlParser } from './xml.js';

/** One entry of the table of contents. */
export interface TocEntry {
  title: string;
  name: string;
  fragment?: string;
  /** 0 for top-level entries. */
  depth: number;
}

function navEntries(doc: Document, base: string): TocEntry[] {
  const navs = descendantsNamed(doc, 'nav');
  const toc = navs.find((n) => /\btoc\b/.test(attr(n, 'type') ?? '')) ?? navs[0];
  const out: TocEntry[] = [];
  const walk = (ol: Element | undefined, depth: number): void => {
    for (const li of childrenNamed(ol, 'li')) {
      const a = childrenNamed(li, 'a')[0] ?? childrenNamed(li, 'span')[0];
      const target = a ? resolveHref(base, a.getAttribute('href') ?? '') : undefined;
      const title = foldSpace(a?.textContent ?? '');
      if (a && target && title && a.hasAttribute('href')) out.push({ title, ...target, depth });
      walk(childrenNamed(li, 'ol')[0], depth + 1);
    }
  };
  walk(childrenNamed(toc, 'ol')[0], 0);
  return out;
}

function ncxEntries(doc: Document, base: string): TocEntry[] {
  const out: TocEntry[] = [];
  const walk = (parent: Element | undefined, depth: number): void => {
    for (const point of childrenNamed(parent, 'navPoint')) {
      const label = descendantsNamed(childrenNamed(point, 'navLabel')[0], 'text')[0];
      const content = childrenNamed(point, 'content')[0];
      const target = content ? resolveHref(base, attr(content, 'src') ?? '') : undefined;
      const title = foldSpace(label?.textContent ?? '');
      if (target && title) out.push({ title, ...target, depth });
      walk(point, depth + 1);
    }
  };
  walk(descendantsNamed(doc, 'navMap')[0], 0);
  return out;
}

/** The table of contents, from the nav document when it has entries, else from the NCX. */
export async function readToc(archive: Archive, pkg: EpubPackage, parser: XmlParser): Promise<TocEntry[]> {
  if (pkg.nav) {
    const entries = navEntries(parser.xhtml(await archive.readText(pkg.nav.name), pkg.nav.name), pkg.nav.name);
    if (entries.length) return entries;
  }
  if (pkg.ncx) return ncxEntries(parser.xml(await archive.readText(pkg.ncx.name), pkg.ncx.name), pkg.ncx.name);
  return [];
}
