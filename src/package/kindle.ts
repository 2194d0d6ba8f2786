/**
 * The Kindle-safe EPUB (`--target kindle`), a peer of the EPUB writer: Send to Kindle rejects
 * (E999) books EPUBCheck accepts, for reasons the fixers list (innocenat/kindle-epub-fix and
 * its ports). What each rule needs, and how this writer meets it:
 * - a UTF-8 XML declaration on every XML file: every file this project writes starts with one;
 * - a `dc:language` Amazon lists: otherwise the closest listed one, or English (build-004);
 * - no link to a `<body>` id: no body has an id here;
 * - no `<img>` without `src`: every picture is written with its file;
 * - NCX order = spine order: the navigation is built from the pages in reading order;
 * - ASCII file names without spaces: checked (`assertPortableNames`);
 * - at most 50 MB to send by mail: checked on the finished book (build-005).
 * test/helpers/kindle.ts checks each rule on the finished book.
 */
import { warning } from '../diagnostics.js';
import { epubFiles, navDocument } from './epub.js';
import { assertPortableNames } from './kobo.js';
import { renderPage } from './page-file.js';
import type { Writer } from './writer.js';

/**
 * The languages Amazon lists for Kindle books (KDP help G200673300, as the fixers recorded it on
 * 2022-09-13): ISO 639-1 and ISO 639-2 codes. A tag passes when its primary subtag is here.
 */
export const KINDLE_LANGUAGES: ReadonlySet<string> = new Set([
  'af', 'gsw', 'ar', 'eu', 'nb', 'br', 'ca', 'zh', 'kw', 'co', 'da', 'nl', 'stq', 'en', 'fi', 'fr', 'fy', 'gl', 'de', 'gu', 'hi', 'is', 'ga',
  'it', 'ja', 'lb', 'mr', 'ml', 'gv', 'frr', 'nn', 'pl', 'pt', 'oc', 'rm', 'sco', 'gd', 'es', 'sv', 'ta', 'cy',
  'afr', 'ara', 'eus', 'baq', 'nob', 'bre', 'cat', 'zho', 'chi', 'cor', 'cos', 'dan', 'nld', 'dut', 'eng', 'fin', 'fra', 'fre', 'fry', 'glg',
  'deu', 'ger', 'guj', 'hin', 'isl', 'ice', 'gle', 'ita', 'jpn', 'ltz', 'mar', 'mal', 'glv', 'nor', 'nno', 'por', 'oci', 'roh', 'gla', 'spa',
  'swe', 'tam', 'cym', 'wel',
]);

// Listed languages close enough to stand in for one that is not (a macrolanguage's member).
const CLOSEST: Record<string, string> = { no: 'nb', yue: 'zh', cmn: 'zh', wuu: 'zh', lzh: 'zh', sco: 'en' };

/** The language a Kindle book declares for `lang`: itself when listed, else the closest listed, else English. */
export function kindleLanguage(lang: string): { language: string; replaced: boolean } {
  const primary = lang.split('-')[0]!.toLowerCase();
  if (KINDLE_LANGUAGES.has(primary)) return { language: lang, replaced: false };
  return { language: CLOSEST[primary] ?? 'en', replaced: true };
}

/** Send to Kindle's limit for a book sent by mail. */
export const KINDLE_MAIL_LIMIT = 50 * 1024 * 1024;

/** The Kindle writer. */
export const kindleWriter: Writer = {
  target: 'kindle',
  extension: '.epub',
  page: renderPage,
  files(plan) {
    const { language, replaced } = kindleLanguage(plan.meta.language);
    const diagnostics = replaced ? [warning('build-004', `Send to Kindle does not list the language ${plan.meta.language}; the book declares ${language} (its pages keep ${plan.meta.language})`)] : [];
    const declared = replaced ? { ...plan, meta: { ...plan.meta, language } } : plan;
    const files = epubFiles(declared, { target: 'kindle', page: renderPage, navDocument });
    assertPortableNames(files);
    return { files, diagnostics };
  },
  checkBytes(bytes) {
    if (bytes.length <= KINDLE_MAIL_LIMIT) return [];
    return [warning('build-005', `the book is ${(bytes.length / 1024 / 1024).toFixed(1)} MB, over the 50 MB Send to Kindle takes by mail; use the Send to Kindle app or USB, or split it (--split-words)`)];
  },
};
