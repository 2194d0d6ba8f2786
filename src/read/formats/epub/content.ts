/**
 * The spine's content documents → one HTML page the shared HTML layer reads: each document's
 * body in a wrapper `<div data-f2e-item="n" id="in">`, its ids suffixed with `-in` and its
 * links between documents turned into links inside the page (so footnotes across files — EPUB 2
 * back-and-forth links, EPUB 3 noteref/aside — are found by the same code as a saved page's).
 * Pictures are read from the archive up front (PNG, JPEG, GIF; WebP and others are counted as
 * left out) and handed to the HTML layer through an image sink.
 */
import { createRequire } from 'node:module';
import type { StoryImage } from '../../../model.js';
import type { Archive } from '../../archive.js';
import { imageType } from '../../images.js';
import { MAX_RESOURCE_BYTES, type ResolveResource } from '../../resources.js';
import { foldSpace } from '../../html/parse.js';
import { resolveHref, type EpubPackage, type ManifestItem } from './package.js';
import type { XmlParser } from './xml.js';

// node:crypto loads with the first hash (~2 ms): most builds never need it.
const createHash = (algorithm: string): import('node:crypto').Hash => (createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')).createHash(algorithm);

/** One spine document, as the page's wrapper shows it. */
export interface ItemInfo {
  index: number;
  name: string;
  /** The document's `<title>`. */
  title: string;
  /** The body's class and `epub:type` (kept on the wrapper as `class` and `data-f2e-type`). */
  bodyClass: string;
  bodyType: string;
  /** The body's own id, unprefixed (calibre marks its inline contents page so). */
  bodyId: string;
}

/** The spine as one page's markup, with what each document was. */
export interface SpinePage {
  markup: string;
  items: ItemInfo[];
  /** Archive names of the pictures the documents show, in order first met. */
  pictures: string[];
}

/** The wrapper id of spine item `index`. */
export const itemId = (index: number): string => `i${index}`;

/** An id of spine item `index` in the one page: suffixed, so that note-like ids ("fn1") still read so. */
export const pageId = (index: number, id: string): string => `${id}-${itemId(index)}`;

const XLINK = 'http://www.w3.org/1999/xlink';

/** Read and rewrite every spine document into one page. */
export async function spinePage(archive: Archive, pkg: EpubPackage, parser: XmlParser): Promise<SpinePage> {
  const indexByName = new Map(pkg.spine.map((item, i) => [item.name, i]));
  // Serialized as HTML: an XHTML body's own serializer would rename `epub:type` (its namespace
  // is declared on <html>, outside the body).
  const htmlDoc = parser.html('<!DOCTYPE html><html><body></body></html>');
  const pictures: string[] = [];
  const items: ItemInfo[] = [];
  const parts: string[] = [];
  for (const [index, item] of pkg.spine.entries()) {
    const doc = parser.xhtml(await archive.readText(item.name), item.name);
    const body = doc.body ?? doc.documentElement;
    rewrite(body, item, index, indexByName, pictures);
    const info: ItemInfo = {
      index,
      name: item.name,
      title: foldSpace(doc.querySelector('title')?.textContent ?? ''),
      bodyClass: body.getAttribute('class') ?? '',
      bodyType: body.getAttribute('epub:type') ?? '',
      bodyId: (body.getAttribute('id') ?? '').replace(/-i\d+$/, ''),
    };
    items.push(info);
    const attrs = `data-f2e-item="${index}" id="${itemId(index)}" class="${escapeAttr(info.bodyClass)}" data-f2e-type="${escapeAttr(info.bodyType)}"`;
    parts.push(`<div ${attrs}>${(htmlDoc.importNode(body, true) as Element).innerHTML}</div>`);
  }
  return { markup: `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${parts.join('\n')}</body></html>`, items, pictures };
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** Prefix ids, point links at the one page, and name pictures by their archive path. */
function rewrite(body: Element, item: ManifestItem, index: number, indexByName: Map<string, number>, pictures: string[]): void {
  for (const el of Array.from(body.querySelectorAll('[id]'))) el.setAttribute('id', pageId(index, el.getAttribute('id')!));
  for (const a of Array.from(body.querySelectorAll('a[name]'))) a.setAttribute('name', pageId(index, a.getAttribute('name')!));
  for (const a of Array.from(body.getElementsByTagName('*')).filter((e) => e.localName === 'a' && e.hasAttribute('href'))) {
    const href = a.getAttribute('href')!;
    if (/^(?:https?|mailto):/i.test(href)) continue;
    const target = href.startsWith('#') ? { name: item.name, fragment: decodeSafe(href.slice(1)) } : resolveHref(item.name, href);
    const k = target ? indexByName.get(target.name) : undefined;
    if (k === undefined) a.removeAttribute('href');
    else a.setAttribute('href', `#${target!.fragment ? pageId(k, target!.fragment) : itemId(k)}`);
  }
  const picture = (el: Element, src: string | null): void => {
    const target = src ? resolveHref(item.name, src) : undefined;
    if (!target) return el.removeAttribute('src');
    if (!pictures.includes(target.name)) pictures.push(target.name);
    el.setAttribute('src', encodeURI(target.name));
  };
  for (const img of Array.from(body.getElementsByTagName('*')).filter((e) => e.localName === 'img')) picture(img, img.getAttribute('src'));
  // An SVG-wrapped picture (calibre's and others' cover pages) becomes an <img>.
  for (const image of Array.from(body.getElementsByTagName('*')).filter((e) => e.localName === 'image')) {
    const svg = image.closest('svg') ?? image;
    const img = body.ownerDocument.createElementNS('http://www.w3.org/1999/xhtml', 'img');
    picture(img, image.getAttributeNS(XLINK, 'href') ?? image.getAttribute('href'));
    img.setAttribute('alt', foldSpace(svg.querySelector('title')?.textContent ?? ''));
    svg.replaceWith(img);
  }
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Pictures read from the archive (at most MAX_RESOURCE_BYTES each): PNG, JPEG and GIF by their
 * bytes in `byName`; others (WebP, SVG …) named in `unsupported`. */
export async function readPictures(archive: Archive, names: string[]): Promise<{ byName: Map<string, Uint8Array>; unsupported: string[] }> {
  const byName = new Map<string, Uint8Array>();
  const unsupported: string[] = [];
  for (const name of names) {
    if (!archive.has(name) || archive.size(name) > MAX_RESOURCE_BYTES) continue;
    const data = await archive.read(name);
    if (imageType(data)) byName.set(name, data);
    else unsupported.push(name);
  }
  return { byName, unsupported };
}

/** A resolver over pictures already read from the archive (`src` is an encoded archive name). */
export function archiveResolver(byName: Map<string, Uint8Array>): ResolveResource {
  return (src) => byName.get(decodeSafe(src));
}

/** Picture bytes as a story image named by their content (as the image sink names them). */
export function namedImage(data: Uint8Array): StoryImage | undefined {
  const mediaType = imageType(data);
  const ext = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif' } as const;
  return mediaType ? { name: `img-${createHash('sha256').update(data).digest('hex').slice(0, 16)}.${ext[mediaType]}`, mediaType, data } : undefined;
}
