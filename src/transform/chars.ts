/** Character tests shared by the inline transforms; all work on whole code points. */

/** Letters, digits and combining marks: what words are made of. */
let wordChar: RegExp | undefined;
/** Digits and other numbers. */
let numberChar: RegExp | undefined;
/** Any Unicode whitespace. */
const WHITESPACE = /\s/u;

// ASCII is answered without the Unicode classes, whose patterns cost ~0.1 ms each to build and
// compile: a story in English may never need them.
const isAsciiDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;
const isAsciiLetter = (code: number): boolean => (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a;

/** True for a letter, digit or combining mark (false for ''). */
export function isWordChar(c: string): boolean {
  if (c === '') return false;
  const code = c.charCodeAt(0);
  if (code < 0x80) return isAsciiLetter(code) || isAsciiDigit(code);
  return (wordChar ??= /[\p{L}\p{N}\p{M}]/u).test(c);
}

/** True for a digit or other number (false for ''). */
export function isNumberChar(c: string): boolean {
  if (c === '') return false;
  const code = c.charCodeAt(0);
  if (code < 0x80) return isAsciiDigit(code);
  return (numberChar ??= /\p{N}/u).test(c);
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
