/**
 * The generated cover's design: a typographic layout filled into an SVG template from `covers/`
 * (palettes, wrapping and fitting the words, the parts that depend on the book). It is drawn to
 * PNG by cover-draw.ts with resvg, using only the Literata font files shipped in
 * `@expo-google-fonts/literata` for the scripts Literata has, so the same spec always gives
 * byte-identical PNG bytes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { coverTemplateFile } from '../assets.js';
import { charactersBeyondLiterata, withoutPictographs } from './cover-fonts.js';

/** What the cover shows. */
export interface CoverSpec {
  title: string;
  /** Shown joined ("A", "A & B", "A, B & C"); omitted when empty. */
  authors: string[];
  /** A line under the title: the fandom, or "12 stories" for an anthology. */
  subtitle?: string;
  /** A line above the title, e.g. "One Step Behind, part 2". */
  series?: string;
}

/**
 * What a build draws its generated covers with (passed in the build context): on libuv's pool
 * (`coverRenderer`), or on a batch worker's own thread (`coverPainter`). Both give the same
 * bytes for the same spec.
 */
export type CoverRenderer = (spec: CoverSpec, opts?: CoverOptions) => Promise<Uint8Array>;

/** How the cover is drawn. */
export interface CoverOptions {
  /** Pixel width; default 1200. */
  width?: number;
  /** Pixel height; default 1920 (portrait, 1:1.6 as Kindle suggests; sharper than most e-ink
   * screens, and half the pixels of 1600×2560, so covers render twice as fast in big batches). */
  height?: number;
  /** Template name: `covers/<theme>.svg`; default `default`. */
  theme?: string;
}

/** Colours of one cover: dark grounds with light ink, so text stays readable in greyscale. */
export interface CoverPalette {
  name: string;
  background: string;
  /** The deeper second tone of the author band. */
  backgroundDeep: string;
  /** Title and author text. */
  ink: string;
  /** Rules, ornament and series line. */
  accent: string;
}

export const DEFAULT_COVER_WIDTH = 1200;
export const DEFAULT_COVER_HEIGHT = 1920;
const MIN_SIDE = 64;
const MAX_SIDE = 10000;

/** The curated palette; a title's hash picks one entry. Append only: reordering changes covers. */
export const COVER_PALETTES: readonly CoverPalette[] = [
  { name: 'midnight', background: '#1f2b45', backgroundDeep: '#162035', ink: '#f4efe4', accent: '#d4b483' },
  { name: 'teal', background: '#174845', backgroundDeep: '#103533', ink: '#eef3ec', accent: '#a8d0c0' },
  { name: 'oxblood', background: '#5b2127', backgroundDeep: '#43171c', ink: '#f7ece2', accent: '#e0b48e' },
  { name: 'forest', background: '#28452f', backgroundDeep: '#1c3222', ink: '#f1eee0', accent: '#cdbf86' },
  { name: 'plum', background: '#452a4f', backgroundDeep: '#331f3b', ink: '#f4eaf2', accent: '#d6b0cf' },
  { name: 'slate', background: '#2f3d4c', backgroundDeep: '#222d38', ink: '#eef1f4', accent: '#b4c6d6' },
  { name: 'umber', background: '#4d3728', backgroundDeep: '#39281d', ink: '#f6ede0', accent: '#dcb583' },
  { name: 'charcoal', background: '#2d2d30', backgroundDeep: '#202023', ink: '#f2ede5', accent: '#c9ad82' },
  { name: 'petrol', background: '#1e3f5a', backgroundDeep: '#152e43', ink: '#f0f2ee', accent: '#e3c98e' },
  { name: 'olive', background: '#3f4527', backgroundDeep: '#2e331c', ink: '#f3f0e2', accent: '#d4c98f' },
];

/** FNV-1a (32-bit) over UTF-16 code units: tiny, stable across platforms and Node versions. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The palette for a title (deterministic: same title, same colours). */
export function coverPalette(title: string): CoverPalette {
  return COVER_PALETTES[hashString(oneLine(title)) % COVER_PALETTES.length]!;
}

// Characters XML 1.0 forbids: C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF.
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Escape text for XML content or a quoted attribute value: `& < > " '` become entities and
 * characters XML forbids are dropped, so the result is always well-formed.
 */
export function escapeXml(s: string): string {
  return s.replace(XML_INVALID, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** One line of display text: characters XML forbids dropped, all whitespace runs one space. */
export function oneLine(s: string): string {
  return withoutPictographs(s.replace(XML_INVALID, '').replace(/\s+/g, ' ').trim());
}

// Advance widths of Literata SemiBold for U+0020..U+007E, in thousandths of an em (read from
// the font's hmtx table). Lighter weights and italics are a little narrower, so they wrap safely.
const ASCII_WIDTHS = [
  200, 331, 417, 683, 581, 884, 825, 248, 347, 347, 450, 582, 327, 345, 330, 463, 601, 412, 526, 552, 582, 529, 566, 529, 574,
  555, 330, 327, 582, 582, 582, 550, 906, 746, 678, 705, 773, 652, 629, 761, 840, 414, 568, 772, 643, 993, 835, 770, 633, 776,
  736, 607, 742, 795, 749, 1100, 736, 732, 674, 345, 465, 345, 582, 470, 500, 562, 632, 525, 640, 547, 411, 586, 678, 352, 326,
  646, 351, 986, 681, 609, 643, 625, 514, 479, 424, 659, 609, 883, 588, 596, 514, 370, 433, 370, 582,
];

const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;

// Wide (East Asian, emoji) code points take a full em.
const WIDE = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|[\u{1F300}-\u{1FAFF}\u{20000}-\u{3FFFD}]/u;

function charWidth(ch: string): number {
  const c = ch.codePointAt(0)!;
  if (c >= 0x20 && c <= 0x7e) return ASCII_WIDTHS[c - 0x20]!;
  if (c >= 0x300 && c <= 0x36f) return 0; // combining marks sit on the previous letter
  if (c === 0x2026 || c === 0x2014) return 1000;
  if (c === 0x2013 || c === 0x201c || c === 0x201d) return 530;
  if (c === 0x2018 || c === 0x2019) return 330;
  if (WIDE.test(ch)) return 1000;
  if (c >= 0x370 && c <= 0x4ff) return 600; // Greek and Cyrillic letters average about 0.6 em
  return 650; // Latin-1 symbols, Greek, Cyrillic and the rest: a wide-ish guess
}

/**
 * Estimated advance width of `text` at `fontSize`, plus `letterSpacing` per character. Accented
 * letters are measured as base letter + combining mark (NFD).
 */
export function estimateWidth(text: string, fontSize: number, letterSpacing = 0): number {
  let units = 0;
  let n = 0;
  // Wrapping and fitting a title measures it a few hundred times: printable ASCII needs no normalising.
  if (PRINTABLE_ASCII.test(text)) {
    for (let i = 0; i < text.length; i++) units += ASCII_WIDTHS[text.charCodeAt(i) - 0x20]!;
    return (units * fontSize) / 1000 + text.length * letterSpacing;
  }
  for (const ch of text.normalize('NFD')) {
    units += charWidth(ch);
    n++;
  }
  return (units * fontSize) / 1000 + n * letterSpacing;
}

/** How to measure text for wrapping. */
export interface Measure {
  fontSize: number;
  letterSpacing?: number;
  /** Line width available, in the same units as the font size. */
  width: number;
}

/** Result of wrapping: the lines, whether text was cut (ellipsis added), whether a word was split. */
export interface Wrapped {
  lines: string[];
  truncated: boolean;
  /** A word wider than the line had to be split between letters. */
  splitWord: boolean;
}

const ELLIPSIS = '\u2026';

/**
 * Greedy word wrap of `text` (cleaned first) into lines no wider than `m.width`, at most
 * `maxLines` (default unlimited); when there are more, the last kept line ends with "…".
 * Words wider than a line are split between characters.
 */
export function wrapText(text: string, m: Measure, maxLines = Infinity): Wrapped {
  const fits = (s: string): boolean => estimateWidth(s, m.fontSize, m.letterSpacing) <= m.width;
  const words = oneLine(text).split(' ').filter((w) => w !== '');
  const lines: string[] = [];
  let splitWord = false;
  let current = '';
  // One more line than allowed is enough to know truncation is needed (2,000-character titles).
  for (const word of words) {
    if (lines.length > maxLines) break;
    const joined = current ? `${current} ${word}` : word;
    if (fits(joined)) {
      current = joined;
      continue;
    }
    if (current) lines.push(current);
    current = '';
    if (fits(word)) {
      current = word;
      continue;
    }
    splitWord = true;
    for (const ch of word) {
      if (current && !fits(current + ch)) {
        lines.push(current);
        current = '';
        if (lines.length > maxLines) break;
      }
      current += ch;
    }
  }
  if (current) lines.push(current);
  if (lines.length <= maxLines) return { lines, truncated: false, splitWord };
  const kept = lines.slice(0, Math.max(1, maxLines));
  kept[kept.length - 1] = withEllipsis(kept[kept.length - 1]!, fits);
  return { lines: kept, truncated: true, splitWord };
}

// Shorten a line (whole words first, then letters) until it fits with an ellipsis after it.
function withEllipsis(line: string, fits: (s: string) => boolean): string {
  let s = line;
  while (s && !fits(s + ELLIPSIS)) {
    const space = s.lastIndexOf(' ');
    s = space > 0 ? s.slice(0, space) : Array.from(s).slice(0, -1).join('');
  }
  return s.replace(/[\s.,;:!?\u2013\u2014-]+$/u, '') + ELLIPSIS;
}

/** A block of lines set at one size. */
interface TextBlock {
  lines: string[];
  fontSize: number;
  lineHeight: number;
  truncated: boolean;
}

interface FitRule {
  maxSize: number;
  minSize: number;
  step: number;
  width: number;
  /** Line height as a multiple of the font size. */
  leading: number;
  /** Most lines allowed at a given size (at least 1). */
  maxLines: (size: number) => number;
  /** Letter spacing as a fraction of the font size. */
  tracking?: number;
  /** Width of this style relative to SemiBold (the measured table): Regular ~0.97, Italic ~0.92. */
  narrowing?: number;
}

// The largest size at which the text wraps within its line budget without splitting words;
// at the smallest size, whatever wrap results, truncated with an ellipsis.
function fitText(text: string, rule: FitRule): TextBlock {
  for (let size = rule.maxSize; size >= rule.minSize; size -= rule.step) {
    const limit = Math.max(1, rule.maxLines(size));
    const measure = { fontSize: size * (rule.narrowing ?? 1), width: rule.width, letterSpacing: size * (rule.tracking ?? 0) };
    const w = wrapText(text, measure, limit);
    const last = size - rule.step < rule.minSize;
    if (last || (!w.truncated && !w.splitWord)) {
      const lines = w.truncated || w.splitWord ? w.lines : balance(text, w.lines.length, { ...measure, width: rule.width });
      return { lines, fontSize: size, lineHeight: Math.round(size * rule.leading), truncated: w.truncated };
    }
  }
  throw new Error('unreachable: fitText with minSize > maxSize');
}

// Even out line lengths (no lone last word): the narrowest width that still wraps into the same
// number of lines, found by bisection; greedy wrap at that width.
function balance(text: string, lineCount: number, m: Measure): string[] {
  const wrapAt = (width: number): Wrapped => wrapText(text, { ...m, width });
  let best = wrapAt(m.width).lines;
  if (lineCount < 2) return best;
  let lo = m.width / 2;
  let hi = m.width;
  for (let i = 0; i < 12; i++) {
    const mid = (lo + hi) / 2;
    const w = wrapAt(mid);
    if (w.lines.length <= lineCount && !w.splitWord) {
      best = w.lines;
      hi = mid;
    } else lo = mid;
  }
  return best;
}

/** "A", "A & B", "A, B & C". */
export function joinAuthors(authors: string[]): string {
  const names = authors.map(oneLine).filter((a) => a !== '');
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} & ${names[names.length - 1]}`;
}

let fontFiles: readonly string[] | undefined;

/** Absolute paths of the Literata font files the cover templates use (the package found once a process: one module lookup). */
export function coverFontFiles(): string[] {
  if (!fontFiles) {
    const root = dirname(dirname(createRequire(import.meta.url).resolve('@expo-google-fonts/literata/400Regular/Literata_400Regular.ttf')));
    fontFiles = ['400Regular', '400Regular_Italic', '500Medium', '600SemiBold'].map((w) => join(root, w, `Literata_${w}.ttf`));
  }
  return [...fontFiles];
}

// Templates read in this process, comments dropped (every filling drops them): a batch lays out a cover a book.
const templates = new Map<string, string>();

function templateOf(file: string): string {
  let template = templates.get(file);
  if (template === undefined) {
    template = readFileSync(file, 'utf8').replace(COMMENT, '');
    templates.set(file, template);
  }
  return template;
}

function checkSide(name: string, v: number): number {
  if (!Number.isInteger(v) || v < MIN_SIDE || v > MAX_SIDE) {
    throw new RangeError(`cover ${name} must be a whole number of pixels from ${MIN_SIDE} to ${MAX_SIDE}, got ${v}`);
  }
  return v;
}

const COMMENT = /<!--[\s\S]*?-->\s*/g;

// Drop comments (they may mention placeholders), then replace every {{name}}; a placeholder
// without a value is a template bug, so it throws.
export function fillPlaceholders(template: string, values: Record<string, string | number>): string {
  return template.replace(COMMENT, '').replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`cover template has an unknown placeholder {{${key}}}`);
    return String(v);
  });
}

// Numbers in the SVG: at most two decimals, so output does not depend on float noise.
const num = (v: number): string => String(Math.round(v * 100) / 100);

function textLines(lines: string[], firstBaseline: number, lineHeight: number, cls: string): string {
  return lines
    .map((l, i) => `<text class="${cls}" x="800" y="${num(firstBaseline + i * lineHeight)}">${escapeXml(l)}</text>`)
    .join('');
}

// Visual height of a block: line pitch between baselines plus about one size for the last line.
const blockHeight = (b: TextBlock): number => (b.lines.length ? (b.lines.length - 1) * b.lineHeight + b.fontSize : 0);

export const VIEW_WIDTH = 1600;
const TEXT_WIDTH = 1200;

/** Every word a cover shows, for choosing its fonts. */
export const coverWords = (spec: CoverSpec): string => [spec.title, ...spec.authors, spec.subtitle ?? '', spec.series ?? ''].join(' ');

// What a cover's parts are drawn blank with: the same for every book, so the ground (the cover
// with every part blank) is the same picture for every book of a palette and size. The ornament
// goes above the picture.
export const BLANK = {
  seriesSize: 46, seriesSpacing: 0, seriesLines: '',
  titleSize: 150, titleLines: '',
  ornamentY: -1000,
  subtitleSize: 62, subtitleLines: '',
  authorSize: 72, authorSpacing: 0, authorLines: '',
} as const satisfies Record<string, string | number>;

/** A part of the cover drawn for this book over its ground: where it reaches, and the placeholders that draw it. */
export interface CoverPart {
  /** Its vertical extent, in view units. */
  top: number;
  bottom: number;
  /** Each has its blank value in `BLANK`. */
  placeholders: readonly (keyof typeof BLANK)[];
}

/** A cover laid out: the template, every placeholder's value, and the parts that depend on the book. */
export interface CoverLayout {
  width: number;
  height: number;
  /** The viewBox's height; its width is 1600. */
  viewHeight: number;
  template: string;
  values: Record<string, string | number>;
  parts: CoverPart[];
}

// How far a line's glyphs reach above and below its baseline, in ems: Literata's bounding box
// (head table: 1.169 up, 0.293 down, SemiBold being the largest) with a little room; a font for
// another script is not measured, so its lines get more.
const REACH = { up: 1.2, down: 0.32 };
const OTHER_FONT_REACH = { up: 2, down: 1 };
// The ornament's diamond is 26 units square turned 45°: 18.4 units each way, and its edge.
const ORNAMENT_REACH = 22;

/**
 * The cover laid out (see `coverSvg`). Throws on a bad size or an unknown theme.
 */
export function coverLayout(spec: CoverSpec, opts: CoverOptions = {}): CoverLayout {
  const width = checkSide('width', opts.width ?? DEFAULT_COVER_WIDTH);
  const height = checkSide('height', opts.height ?? DEFAULT_COVER_HEIGHT);
  const template = templateOf(coverTemplateFile(opts.theme ?? 'default'));
  const vh = Math.round((VIEW_WIDTH * height) / width);
  const palette = coverPalette(spec.title);
  const reach = charactersBeyondLiterata(coverWords(spec)).length > 0 ? OTHER_FONT_REACH : REACH;
  const bandHeight = Math.round(vh * 0.2);
  const bandY = vh - bandHeight;

  const series = spec.series ? oneLine(spec.series).toUpperCase() : '';
  const seriesBlock = fitText(series, {
    maxSize: 46, minSize: 34, step: 4, width: TEXT_WIDTH, leading: 1.35, tracking: 0.14, narrowing: 0.99, maxLines: () => 2,
  });
  const seriesTop = Math.round(vh * 0.085);

  const subtitle = oneLine(spec.subtitle ?? '');
  const subBlock = fitText(subtitle, { maxSize: 62, minSize: 42, step: 4, width: TEXT_WIDTH, leading: 1.3, narrowing: 0.92, maxLines: () => 2 });

  // The title, ornament and subtitle form one group, centred (a little high) between the
  // series line and the author band.
  const top = seriesTop + (series ? blockHeight(seriesBlock) + 90 : 60);
  const bottom = bandY - 110;
  const available = bottom - top;
  const ornamentGap = 100;
  const subGap = subtitle ? 110 : 0;
  const titleRoom = Math.min(available - 2 * ornamentGap - subGap - blockHeight(subBlock), vh * 0.45);
  const titleBlock = fitText(oneLine(spec.title), {
    maxSize: 150, minSize: 60, step: 6, width: TEXT_WIDTH, leading: 1.16,
    // Big sizes get few lines so long titles shrink rather than fill the page; never past the room.
    maxLines: (size) => Math.min(Math.floor(520 / size), Math.floor((titleRoom - size) / Math.round(size * 1.16)) + 1),
  });
  const titleH = blockHeight(titleBlock);
  const groupH = titleH + ornamentGap + (subtitle ? subGap + blockHeight(subBlock) - subBlock.fontSize * 0.25 : 0);
  const groupTop = Math.max(top, top + (available - groupH) / 2 - available * 0.025);
  const titleBaseline = groupTop + titleBlock.fontSize * 0.78;
  const ornamentY = groupTop + titleH + ornamentGap - titleBlock.fontSize * 0.22;
  const subBaseline = ornamentY + subGap + subBlock.fontSize * 0.55;

  const authorBlock = fitText(joinAuthors(spec.authors), {
    maxSize: 72, minSize: 46, step: 4, width: TEXT_WIDTH, leading: 1.3, tracking: 0.03, narrowing: 0.97, maxLines: () => 2,
  });
  const authorBaseline = bandY + (bandHeight - blockHeight(authorBlock)) / 2 + authorBlock.fontSize * 0.78;

  const parts: CoverPart[] = [];
  // A block of lines from its first baseline: the part its glyphs cover.
  const lines = (b: TextBlock, firstBaseline: number, placeholders: (keyof typeof BLANK)[]): void => {
    if (!b.lines.length) return;
    const lastBaseline = firstBaseline + (b.lines.length - 1) * b.lineHeight;
    parts.push({ top: firstBaseline - reach.up * b.fontSize, bottom: lastBaseline + reach.down * b.fontSize, placeholders });
  };
  lines(seriesBlock, seriesTop + seriesBlock.fontSize * 0.78, ['seriesSize', 'seriesSpacing', 'seriesLines']);
  lines(titleBlock, titleBaseline, ['titleSize', 'titleLines']);
  parts.push({ top: ornamentY - ORNAMENT_REACH, bottom: ornamentY + ORNAMENT_REACH, placeholders: ['ornamentY'] });
  lines(subBlock, subBaseline, ['subtitleSize', 'subtitleLines']);
  lines(authorBlock, authorBaseline, ['authorSize', 'authorSpacing', 'authorLines']);

  const values: Record<string, string | number> = {
    width,
    height,
    viewHeight: vh,
    background: palette.background,
    backgroundDeep: palette.backgroundDeep,
    ink: palette.ink,
    accent: palette.accent,
    bandY,
    bandHeight,
    frameOuterHeight: vh - 128,
    frameInnerHeight: vh - 168,
    seriesSize: seriesBlock.fontSize,
    seriesSpacing: num(seriesBlock.fontSize * 0.14),
    seriesLines: textLines(seriesBlock.lines, seriesTop + seriesBlock.fontSize * 0.78, seriesBlock.lineHeight, 'series-line'),
    titleSize: titleBlock.fontSize,
    titleLines: textLines(titleBlock.lines, titleBaseline, titleBlock.lineHeight, 'title-line'),
    ornamentY: num(ornamentY),
    subtitleSize: subBlock.fontSize,
    subtitleLines: textLines(subBlock.lines, subBaseline, subBlock.lineHeight, 'subtitle-line'),
    authorSize: authorBlock.fontSize,
    authorSpacing: num(authorBlock.fontSize * 0.03),
    authorLines: textLines(authorBlock.lines, authorBaseline, authorBlock.lineHeight, 'author-line'),
  };
  return { width, height, viewHeight: vh, template, values, parts };
}

/**
 * The cover as SVG text: the template `covers/<theme>.svg` with colours, layout and escaped
 * text filled in. Layout units: a 1600-wide viewBox whose height follows width/height.
 * Defaults: 1200×1920, theme `default`. Throws on a bad size or an unknown theme.
 */
export function coverSvg(spec: CoverSpec, opts: CoverOptions = {}): string {
  const layout = coverLayout(spec, opts);
  return fillPlaceholders(layout.template, layout.values);
}
