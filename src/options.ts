/**
 * One options object for every stage (pandoc's WriterOptions): `defaultOptions()` plus
 * overrides, passed explicitly; a stage needing a variant changes a local copy. No module state.
 */
import type { Series } from './model.js';
import type { Target } from './package/writer.js';
import type { SplitLimits } from './render/volumes.js';

/** Metadata set by the user (flags or a metadata file); beats what was read. */
export interface MetaOverrides {
  title?: string;
  authors?: string[];
  fandoms?: string[];
  relationships?: string[];
  characters?: string[];
  rating?: string;
  warnings?: string[];
  tags?: string[];
  summary?: string;
  series?: Series;
  language?: string;
  published?: string;
}

/** The user's own cover picture, as bytes (the library never reads it from a file): a PNG or a
 * JPEG, its media type said, since the book names and declares the picture by it. */
export interface CoverImage {
  bytes: Uint8Array;
  mediaType: 'image/png' | 'image/jpeg';
}

/** The user's own stylesheet, as CSS text added after the base stylesheet; `name` (the file as
 * the user named it) is written in a comment before it. */
export interface StyleSheet {
  name: string;
  css: string;
}

export interface Options {
  /** Overrides applied after reading (flags beat the metadata file beat the source). */
  overrides: MetaOverrides;
  /** Curly quotes, dashes, ellipses. */
  typography: boolean;
  /** Title used when none is stated (with warning meta-001). */
  placeholderTitle: string;
  /** Language when neither stated nor detected. */
  defaultLanguage: string;
  /** `auto` (generated), `none`, or the user's picture (a front end resolves a file to it). */
  cover: 'auto' | 'none' | CoverImage;
  /** Cover template name for generated covers (a file in covers/). */
  coverTheme: string;
  /** A built-in style name (a file in styles/themes) or the user's CSS text. */
  style: string | StyleSheet;
  /** Take pictures that sit beside a saved page into the book (`--images`); otherwise an image
   * is its alt text. Never fetched from the network either way. */
  images: boolean;
  /** Which front-matter pages a story gets: title and information pages, the title page only, or none. */
  frontMatter: 'all' | 'title' | 'none';
  /** Seconds since the epoch for `dcterms:modified` when the story states no date
   * (SOURCE_DATE_EPOCH); undefined means the fixed epoch 2000-01-01. */
  sourceDateEpoch?: number;
  /** What the book is made for (`--target`): any EPUB reader, Kobo (a kepub) or Send to Kindle. */
  target: Target;
  /** Split a long story into volumes at chapter boundaries (`--split-words`, `--split-chapters`). */
  split?: SplitLimits;
}

/** The defaults; callers spread overrides over a fresh copy. */
export function defaultOptions(): Options {
  return {
    overrides: {},
    typography: true,
    placeholderTitle: 'Untitled',
    defaultLanguage: 'en',
    cover: 'auto',
    coverTheme: 'default',
    style: 'default',
    images: false,
    frontMatter: 'all',
    target: 'epub',
  };
}
