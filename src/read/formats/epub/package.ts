/**
 * An EPUB's package: `META-INF/container.xml` → the OPF (the first rootfile that is one) →
 * its manifest and spine. DRM is refused here, before any content is read: an
 * `encryption.xml` that names content files (font obfuscation alone is fine), Adobe's
 * `rights.xml`, Apple's `sinf.xml`.
 */
import { InputError } from '../../../diagnostics.js';
import type { Archive } from '../../archive.js';
import { attr, childrenNamed, descendantsNamed, type XmlParser } from './xml.js';

/** A manifest item, its href resolved to a name in the archive. */
export interface ManifestItem {
  id: string;
  /** The file's name in the archive. */
  name: string;
  mediaType: string;
  properties: string[];
}

/** What the package document says. */
export interface EpubPackage {
  /** The OPF's name in the archive. */
  opfName: string;
  opf: Document;
  /** `package/@version` ("2.0", "3.0"). */
  version: string;
  manifest: Map<string, ManifestItem>;
  /** Content documents in reading order (linear="no" items kept: they are still the book's). */
  spine: ManifestItem[];
  /** EPUB 3 navigation document. */
  nav?: ManifestItem;
  /** EPUB 2 NCX. */
  ncx?: ManifestItem;
}

/** `href` (percent-encoded, relative to `base`, an archive name) → an archive name; undefined for
 * an address outside the book. The fragment is returned apart. */
export function resolveHref(base: string, href: string): { name: string; fragment?: string } | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return undefined;
  try {
    const url = new URL(href, `http://book.invalid/${base.split('/').map(encodeURIComponent).join('/')}`);
    if (url.host !== 'book.invalid') return undefined;
    const name = decodeURIComponent(url.pathname.slice(1));
    const fragment = url.hash ? decodeURIComponent(url.hash.slice(1)) : undefined;
    return { name, ...(fragment ? { fragment } : {}) };
  } catch {
    return undefined;
  }
}

const DRM = 'is DRM-protected; fic2epub cannot read it';

/** Refuse a DRM-protected book (read-013). */
export async function refuseDrm(archive: Archive, parser: XmlParser): Promise<void> {
  const lower = new Map(archive.names.map((n) => [n.toLowerCase(), n]));
  if (lower.has('meta-inf/rights.xml') || lower.has('meta-inf/sinf.xml')) throw new InputError('read-013', DRM);
  const enc = lower.get('meta-inf/encryption.xml');
  if (!enc) return;
  const doc = parser.xml(await archive.readText(enc), enc);
  for (const data of descendantsNamed(doc, 'EncryptedData')) {
    const method = descendantsNamed(data, 'EncryptionMethod')[0];
    const algorithm = method ? attr(method, 'Algorithm') ?? '' : '';
    // Font obfuscation (IDPF, Adobe) hides fonts from copying, not the text.
    if (/idpf\.org\/2008\/embedding|ns\.adobe\.com\/pdf\/enc#RC/i.test(algorithm)) continue;
    const ref = descendantsNamed(data, 'CipherReference')[0];
    const uri = ref ? attr(ref, 'URI') ?? '' : '';
    if (/\.(?:ttf|otf|woff2?)$/i.test(uri) && !algorithm) continue;
    throw new InputError('read-013', DRM);
  }
}

/** Read container.xml and the package document. */
export async function readPackage(archive: Archive, parser: XmlParser): Promise<EpubPackage> {
  const containers = archive.names.filter((n) => n.toLowerCase() === 'meta-inf/container.xml');
  if (containers.length > 1) throw new InputError('read-012', `is not a readable EPUB: it has ${containers.length} container.xml files`);
  const containerName = containers[0];
  if (!containerName) throw new InputError('read-012', 'is not an EPUB: it has no META-INF/container.xml');
  const container = parser.xml(await archive.readText(containerName), containerName);
  const rootfiles = descendantsNamed(container, 'rootfile');
  const opfName = rootfiles
    .filter((r) => (attr(r, 'media-type') ?? 'application/oebps-package+xml') === 'application/oebps-package+xml')
    .map((r) => resolveHref('', attr(r, 'full-path') ?? '')?.name)
    .find((n): n is string => !!n);
  if (!opfName) throw new InputError('read-012', 'is not an EPUB: its container.xml names no package document');
  if (!archive.has(opfName)) throw new InputError('read-012', `is not an EPUB: its package document ${JSON.stringify(opfName)} is missing`);
  const opf = parser.xml(await archive.readText(opfName), opfName);
  const root = opf.documentElement;
  if (root.localName !== 'package') throw new InputError('read-012', `is not an EPUB: ${JSON.stringify(opfName)} is not a package document`);

  const manifest = new Map<string, ManifestItem>();
  for (const item of descendantsNamed(childrenNamed(root, 'manifest')[0], 'item')) {
    const id = attr(item, 'id') ?? '';
    const target = resolveHref(opfName, attr(item, 'href') ?? '');
    if (!id || !target) continue;
    manifest.set(id, { id, name: target.name, mediaType: (attr(item, 'media-type') ?? '').toLowerCase(), properties: (attr(item, 'properties') ?? '').split(/\s+/).filter(Boolean) });
  }
  const spineEl = childrenNamed(root, 'spine')[0];
  const spine: ManifestItem[] = [];
  const seen = new Set<string>();
  for (const ref of childrenNamed(spineEl, 'itemref')) {
    const item = manifest.get(attr(ref, 'idref') ?? '');
    if (!item || seen.has(item.name) || !archive.has(item.name)) continue;
    if (!/xhtml|html|xml/.test(item.mediaType)) continue;
    seen.add(item.name);
    spine.push(item);
  }
  if (!spine.length) throw new InputError('read-012', 'is not an EPUB: its spine names no content document in the archive');
  const nav = [...manifest.values()].find((i) => i.properties.includes('nav') && archive.has(i.name));
  const tocId = spineEl ? attr(spineEl, 'toc') : undefined;
  const ncx = (tocId ? manifest.get(tocId) : undefined) ?? [...manifest.values()].find((i) => i.mediaType === 'application/x-dtbncx+xml');
  return {
    opfName,
    opf,
    version: root.getAttribute('version') ?? '2.0',
    manifest,
    spine,
    ...(nav ? { nav } : {}),
    ...(ncx && archive.has(ncx.name) ? { ncx } : {}),
  };
}
