/**
 * Bytes → text. Byte-order marks first, then strict UTF-8, then a statistical guess
 * (chardet) decoded with iconv-lite. The result has `\n` line ends and holds no character
 * that XML 1.0 forbids.
 */
import { createRequire } from 'node:module';
import { decodeHTML } from 'entities';
import { type Diagnostic, InputError, warning } from '../diagnostics.js';

// chardet and iconv-lite load only for input that is not UTF-8 (most is), to keep start-up lean.
const require = createRequire(import.meta.url);
const chardet = (): typeof import('chardet') => require('chardet') as typeof import('chardet');
const iconv = (): typeof import('iconv-lite') => require('iconv-lite') as typeof import('iconv-lite');

export interface Decoded {
  text: string;
  encoding: string;
  diagnostics: Diagnostic[];
}

// Legacy encodings we accept from the detector; anything else falls back to windows-1252,
// which decodes every byte and is what most old Western web pages really are.
const LEGACY = new Set([
  'windows-1250', 'windows-1251', 'windows-1252', 'windows-1253', 'windows-1254', 'windows-1255',
  'windows-1256', 'iso-8859-1', 'iso-8859-2', 'iso-8859-5', 'iso-8859-7', 'iso-8859-9',
  'iso-8859-15', 'koi8-r', 'shift_jis', 'euc-jp', 'euc-kr', 'gb18030', 'big5', 'utf-16le', 'utf-16be',
]);

/** Decode bytes read from `path` into clean text. Throws InputError for empty or binary input. */
export function decode(bytes: Uint8Array, path = ''): Decoded {
  const diagnostics: Diagnostic[] = [];
  if (bytes.length === 0) throw new InputError('read-001', 'the file is empty');
  let text: string;
  let encoding: string;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    encoding = 'utf-8';
    text = new TextDecoder('utf-8').decode(bytes.subarray(3));
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    encoding = 'utf-16le';
    text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    encoding = 'utf-16be';
    text = iconv().decode(Buffer.from(bytes.subarray(2)), 'utf-16be');
  } else {
    const utf16 = looksBinary(bytes) ? utf16WithoutBom(bytes) : undefined;
    if (utf16) {
      diagnostics.push(warning('read-004', `not UTF-8; decoded as ${utf16} (no byte-order mark)`, path));
      return finish(iconv().decode(Buffer.from(bytes), utf16), utf16, diagnostics, path);
    }
    if (looksBinary(bytes)) throw new InputError('read-002', 'the file is binary, not text');
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      encoding = 'utf-8';
    } catch {
      // A page that declares its charset is taken at its word: nothing was guessed.
      const declared = declaredCharset(bytes);
      if (declared) {
        encoding = declared === 'iso-8859-1' || declared === 'us-ascii' ? 'windows-1252' : declared;
        text = iconv().decode(Buffer.from(bytes), encoding);
        return finish(text, encoding, diagnostics, path);
      }
      const mixed = utf8WithStrays(bytes);
      if (mixed) {
        diagnostics.push(warning('read-004', `not UTF-8 throughout; ${mixed.strays} stray byte${mixed.strays === 1 ? '' : 's'} decoded as windows-1252`, path));
        return finish(mixed.text, 'utf-8', diagnostics, path);
      }
      const guess = (chardet().detect(bytes) ?? '').toLowerCase();
      encoding = LEGACY.has(guess) && !guess.startsWith('utf-16') ? guess : 'windows-1252';
      // ISO-8859-1 pages are in practice windows-1252 (curly quotes in 0x80–0x9f).
      if (encoding === 'iso-8859-1') encoding = 'windows-1252';
      text = iconv().decode(Buffer.from(bytes), encoding);
      diagnostics.push(warning('read-004', `not UTF-8; decoded as ${encoding}`, path));
    }
  }
  return finish(text, encoding, diagnostics, path);
}

/** The charset a page declares in its first 2 KiB (`<meta charset>`, `http-equiv`, an XML declaration), when iconv knows it and it is not UTF-8. */
function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head) ?? /<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)/i.exec(head);
  const name = m?.[1]?.toLowerCase();
  if (!name || name === 'utf-8' || name === 'utf8' || name.startsWith('utf-16')) return undefined;
  return iconv().encodingExists(name) ? name : undefined;
}

/**
 * UTF-16 saved without its byte-order mark. Its high bytes take few values (0 for ASCII, a few
 * for a script's block), its low bytes many: the side with clearly fewer distinct values in the
 * first 8 KiB holds the high bytes, and the units must decode to text (no lone surrogate, no
 * control character but tab and line ends). Undefined when that is not so.
 */
export function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(bytes.length, 8192) & ~1;
  if (n < 8) return undefined;
  const seen = [new Set<number>(), new Set<number>()];
  for (let i = 0; i < n; i++) seen[i & 1]!.add(bytes[i]!);
  const [even, odd] = [seen[0]!.size, seen[1]!.size];
  if (Math.min(even, odd) > Math.max(even, odd) * 0.75) return undefined;
  const encoding = odd < even ? 'utf-16le' : 'utf-16be';
  const sample = iconv().decode(Buffer.from(bytes.subarray(0, n)), encoding);
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(sample.slice(0, -1)) ? undefined : encoding;
}

/** The length of the well-formed UTF-8 sequence at `i` (the Unicode standard's table), or 0. */
function utf8SequenceAt(b: Uint8Array, i: number): number {
  const lead = b[i]!;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (lead >= 0xc2 && lead <= 0xdf) return cont(1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) return cont(1, lead === 0xe0 ? 0xa0 : 0x80, lead === 0xed ? 0x9f : 0xbf) && cont(2) ? 3 : 0;
  if (lead >= 0xf0 && lead <= 0xf4) return cont(1, lead === 0xf0 ? 0x90 : 0x80, lead === 0xf4 ? 0x8f : 0xbf) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/**
 * UTF-8 with stray Windows-1252 bytes (curly quotes pasted from a word processor into a UTF-8
 * page): when well-formed multi-byte sequences are at least as many as the bytes that fit none,
 * the sequences are read as UTF-8 and each stray byte as windows-1252. Otherwise undefined.
 */
export function utf8WithStrays(bytes: Uint8Array): { text: string; strays: number } | undefined {
  const strayAt: number[] = [];
  let sequences = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! < 0x80) continue;
    const len = utf8SequenceAt(bytes, i);
    if (len) {
      sequences++;
      i += len - 1;
    } else strayAt.push(i);
  }
  if (!strayAt.length || sequences < strayAt.length) return undefined;
  const utf8 = new TextDecoder('utf-8');
  const parts: string[] = [];
  let from = 0;
  for (const at of strayAt) {
    parts.push(utf8.decode(bytes.subarray(from, at)), iconv().decode(Buffer.from([bytes[at]!]), 'windows-1252'));
    from = at + 1;
  }
  parts.push(utf8.decode(bytes.subarray(from)));
  return { text: parts.join(''), strays: strayAt.length };
}

/** Clean decoded text; refuse text that is empty once cleaned. */
function finish(text: string, encoding: string, diagnostics: Diagnostic[], path: string): Decoded {
  const cleaned = cleanText(text);
  if (cleaned.removed > 0) {
    diagnostics.push(warning('read-005', `removed ${cleaned.removed} character(s) that XML forbids`, path));
  }
  if (cleaned.text.trim().length === 0) throw new InputError('read-001', 'the file holds no text');
  return { text: cleaned.text, encoding, diagnostics };
}

/** True when more than 2 % of the first 8 KiB are NULs or control characters (text has almost
 * none; a stray NUL in a story is cleaned, not a reason to refuse it). */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b < 9 || (b > 13 && b < 32 && b !== 27)) control++;
  }
  return control > Math.max(1, n * 0.02);
}

// What cleanText may drop, and every surrogate (pairs are checked only when one is there).
// eslint-disable-next-line no-control-regex
const SUSPECT_UNIT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF\uFDD0-\uFDEF\uFFFE\uFFFF]/;

/**
 * Normalise line ends and drop what XML 1.0 forbids: C0 controls except tab/LF, DEL and C1
 * controls, lone surrogates, U+FFFE/U+FFFF and the other noncharacters. Linear.
 */
export function cleanText(text: string): { text: string; removed: number } {
  // A search for \r is a tenth of the replace's walk, and most text has none.
  const normalised = (text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text).replace(/^\uFEFF/, '');
  // Almost all text holds no forbidden unit and no surrogate at all: one plain class scan says
  // so (a third of the cost of the exact regexes below, which run only when it finds one).
  if (!SUSPECT_UNIT.test(normalised)) return { text: normalised, removed: 0 };
  let removed = 0;
  // One pass with a regex that has no backtracking: single code units / pairs only.
  const out = normalised.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    () => {
      removed++;
      return '';
    },
  );
  // Noncharacters in the supplementary planes (U+1FFFE, U+1FFFF … U+10FFFF).
  const final = out.replace(/[\uD83F\uD87F\uD8BF\uD8FF\uD93F\uD97F\uD9BF\uD9FF\uDA3F\uDA7F\uDABF\uDAFF\uDB3F\uDB7F\uDBBF\uDBFF][\uDFFE\uDFFF]/g, () => {
    removed++;
    return '';
  });
  return { text: final, removed };
}

/**
 * HTML character references in text (`&amp;`, `&mdash;`, `&#8220;`, `&#x110000;`) → characters,
 * as a browser reads them (the `entities` package). A reference to no valid character becomes
 * U+FFFD and what XML forbids is dropped, so the result is always safe to write; never throws.
 */
export function decodeEntities(text: string): string {
  return text.includes('&') ? cleanText(decodeHTML(text)).text : text;
}
