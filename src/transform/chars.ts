/** Character tests shared by the inline transforms; all work on whole code points. */

/** Letters, digits and combining marks: what words are made of. */
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
/** Any Unicode whitespace. */
const WHITESPACE = /\s/u;

/** True for a letter, digit or combining mark (false for ''). */
export function isWordChar(c: string): boolean {
  return c !== '' && WORD_CHAR.test(c);
}

/** True for any Unicode whitespace (false for ''). */
export function isWhitespace(c: string): boolean {
  return c !== '' && WHITESPACE.test(c);
}

/** The code point ending just before index `i` of `text` (`''` at the start). */
export function charBefore(text: string, i: number): string {
  if (i <= 0) return '';
  const low = text.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) {
    const high = text.charCodeAt(i - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.slice(i - 2, i);
  }
  return text[i - 1] ?? '';
}

/** The code point starting at index `i` of `text` (`''` at the end). */
export function charAt(text: string, i: number): string {
  if (i >= text.length) return '';
  const cp = text.codePointAt(i);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}
