/** Small EPUBs built in memory for tests: a container, a package document and the files given. */
import { rawZip, type RawEntry } from './raw-zip.js';

export const CONTAINER = `<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`;

/** An XHTML page with `body` (and a body class). */
export const xhtml = (title: string, body: string, bodyClass = ''): string =>
  `<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>${title}</title></head><body${bodyClass ? ` class="${bodyClass}"` : ''}>${body}</body></html>`;

/** An EPUB 2 package: `metadata` inner markup, and the spine's files (name under OEBPS/ → content) in order. */
export function epub2(metadata: string, pages: [string, string][], extra: RawEntry[] = [], ncx?: string): Buffer {
  const manifest = pages.map(([name], i) => `<item id="p${i}" href="${name}" media-type="application/xhtml+xml"/>`).join('');
  const spine = pages.map((_, i) => `<itemref idref="p${i}"/>`).join('');
  const opf = `<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="uid"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">${metadata}</metadata><manifest>${manifest}${ncx ? '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>' : ''}</manifest><spine${ncx ? ' toc="ncx"' : ''}>${spine}</spine></package>`;
  return rawZip([
    { name: 'mimetype', data: 'application/epub+zip', store: true },
    { name: 'META-INF/container.xml', data: CONTAINER },
    { name: 'OEBPS/content.opf', data: opf },
    ...(ncx ? [{ name: 'OEBPS/toc.ncx', data: ncx }] : []),
    ...pages.map(([name, data]) => ({ name: `OEBPS/${name}`, data })),
    ...extra,
  ]);
}

/** An NCX listing `entries` (title, src). */
export const ncxOf = (entries: [string, string][]): string =>
  `<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><head/><docTitle><text>x</text></docTitle><navMap>${entries.map(([t, src], i) => `<navPoint id="n${i}" playOrder="${i + 1}"><navLabel><text>${t}</text></navLabel><content src="${src}"/></navPoint>`).join('')}</navMap></ncx>`;
