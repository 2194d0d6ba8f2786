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
