/** Read a built EPUB in tests: list entries, read a file's text. */
import JSZip from 'jszip';

export interface OpenEpub {
  names: string[];
  text(name: string): Promise<string>;
  zip: JSZip;
}

/** Open EPUB bytes. */
export async function openEpub(bytes: Uint8Array): Promise<OpenEpub> {
  const zip = await JSZip.loadAsync(bytes);
  return {
    zip,
    names: Object.keys(zip.files),
    async text(name: string): Promise<string> {
      const f = zip.file(name);
      if (!f) throw new Error(`no ${name} in the EPUB`);
      return f.async('string');
    },
  };
}

/** Text content of XHTML markup: tags dropped, the five XML entities and numeric references decoded. */
export function markupText(xhtml: string): string {
  return xhtml
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
