/**
 * Story text → chapters, for every plain-text format: paragraphs (blank-line separated,
 * one per line, or hard-wrapped), scene breaks, chapter headings and end marks. No site
 * knowledge lives here: formats strip their own cruft before handing lines over.
 */
import type { Block, Chapter } from '../model.js';
import { inlineText } from '../text.js';
import { para } from './story.js';

/** One line of a text file and where it stands: its 1-based line number in the file. */
export interface SourceLine {
  text: string;
  line: number;
}

/** A text split into lines with their 1-based line numbers (any line-end style; `\r` dropped). */
export function sourceLines(text: string, firstLine = 1): SourceLine[] {
  // Decoded text has only \n: splitting at a string is several times cheaper than at a regex.
  return text.split(text.includes('\r') ? /\r\n?|\n/ : '\n').map((t, i) => ({ text: t, line: firstLine + i }));
}

/** The text of lines given either as strings or as source lines. */
export function lineTexts(lines: readonly (string | SourceLine)[]): string[] {
  return lines.map((l) => (typeof l === 'string' ? l : l.text));
}

// A line made only of separator characters: "* * *", "***", "----", "o-o-o", "~~~", "###", "x x x".
const SEPARATOR_LINE = /^\s*(?:[*~#=_+•·∙.\-–—oOxX0<>◊◆♦✦✧★☆⁂❧§]\s*){3,}$/;
// One ornament alone on its line ("⁂", a centred "#").
const ORNAMENT_LINE = /^\s*[⁂❧§◊◆♦✦✧★☆#]\s*$/;

/** Whether a line whose first character that is not a space is `c` can be a scene-break
 * separator (`isSceneBreakLine` needs it to be one of the separator marks). */
export function mayOpenSceneBreak(c: string): boolean {
  return SEPARATOR_MARK.test(c);
}
const SEPARATOR_MARK = /^[*~#=_+•·∙.\-–—oOxX0<>◊◆♦✦✧★☆⁂❧§]$/;

/** True when the line is a scene-break separator. Needs at least one non-letter so that
 * words like "ooo" or "XXX" alone are not taken for breaks unless spaced ("x x x"). */
export function isSceneBreakLine(line: string): boolean {
  if (ORNAMENT_LINE.test(line)) return true;
  if (!SEPARATOR_LINE.test(line)) return false;
  const compact = line.replace(/\s+/g, '');
  // "x x x", "o0o" yes; "xxx", "ooo", "000", "xXx" no.
  if (/^[oOxX0]+$/.test(compact)) return /\s/.test(line.trim()) || (/0/.test(compact) && /^[oO0]+$/.test(compact) && /[oO]/.test(compact));
  if (/^\.+$/.test(compact)) return compact.length >= 3 && /\s/.test(line.trim()); // ". . ." yes, "..." no
  return true;
}

const HEADING_WORDS = /^(?:prologue|epilogue|interlude|afterword|coda|(?:chapter|part|book|act)\s+(?:\d+|[ivxlc]+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|twenty[- a-z]*|thirty[- a-z]*)\b(?:\s*(?:\/|of)\s*\d+)?)(?:\s*[:.\-–—]\s*.{0,60})?$/i;

// Decoration around a heading ("## Chapter 1 ##", "=== Part 2 ===").
const DECORATION_START = /^[#=*~\s]*/;
const DECORATION = /[#=*~\s]/;

/** `text` without the decoration at its ends. The end is walked back one character at a time:
 * a regex anchored at the end is tried from every space of the line, and this ran on every line. */
function undecorated(text: string): string {
  const start = DECORATION_START.exec(text)![0].length;
  let end = text.length;
  while (end > start && DECORATION.test(text[end - 1]!)) end--;
  return text.slice(start, end);
}

/** The heading text when the line is a chapter heading ("Epilogue", "Chapter 3: Home",
 * "Part 2/2"), else undefined. */
export function chapterHeading(line: string): string | undefined {
  const t = undecorated(line.trim());
  if (t.length === 0 || t.length > 80) return undefined;
  return HEADING_WORDS.test(t) ? t : undefined;
}

const END_MARK = /^[\s~*\-–—=_.:]*(?:the\s+end|end|fin|finis|finite|the\s+end\s+for\s+now|to\s+be\s+continued|tbc|continued\s+in\s+part\s+\w+|end\s+of\s+(?:part|chapter)\s+\w+)[\s~*\-–—=_.!?:)]*$/i;

/** True when the line closes the story ("The End", "~Fin~", "TBC"). */
export function isEndMark(line: string): boolean {
  return line.trim().length <= 40 && END_MARK.test(line);
}

/** How paragraphs are marked in a run of lines. */
export type ParagraphMode = 'line' | 'blank' | 'wrapped';

interface Gap {
  /** Blank lines before this line. */
  blanks: number;
  line: string;
}

function gaps(lines: string[]): Gap[] {
  const out: Gap[] = [];
  let blanks = 0;
  for (const line of lines) {
    if (line.trim() === '') {
      blanks++;
      continue;
    }
    out.push({ blanks: out.length === 0 ? 0 : blanks, line });
    blanks = 0;
  }
  return out;
}

// Without these, a line's columns are its code units.
const TAB_OR_SURROGATE = /[\t\uD800-\uDFFF]/;

/** Display columns of a line's end (tabs advance to the next multiple of 8). */
function columns(line: string): number {
  const text = line.trimEnd();
  // Most lines hold neither: their length is their width, without a walk over their characters.
  if (!TAB_OR_SURROGATE.test(text)) return text.length;
  let col = 0;
  for (const ch of text) col = ch === '\t' ? col + 8 - (col % 8) : col + 1;
  return col;
}

/** Display columns of a line's leading whitespace. */
function indentOf(line: string): number {
  const first = line.charCodeAt(0);
  if (first !== 0x20 && first !== 0x09) return 0;
  return columns(/^[\t ]*/.exec(line)![0] + 'x') - 1;
}

function firstWordLength(line: string): number {
  return /^\S*/.exec(line.trim())![0].length;
}

// Lines ending like this may end a sentence (and so a paragraph).
const SENTENCE_END = /[.!?"'”’)\]:…—-]$/;
// A line ending a sentence, then one opening a speech: without other marks, a new paragraph.
const CLOSED_SPEECH = /[.!?…—-]["”’']?$/;
const OPENING_SPEECH = /^["“]/;

/** What hard wrapping looks like in a run of lines: the wrap column and the usual indent. */
interface WrapStats {
  /** Estimated wrap column: the 95th percentile of line widths. */
  width: number;
  /** The smallest indent of any text line; more than this marks a paragraph start. */
  baseIndent: number;
  /** Pairs of adjacent text lines where the second does not start a paragraph by indentation. */
  pairs: number;
  /** Of those, pairs where the next line's first word would not have fitted on the line, give
   * or take 3 columns (what wrapping at `width` produces, greedy or by hand). */
  fits: number;
  /** Of those, pairs where the first line ends mid-sentence. */
  runOn: number;
  /** Of those, pairs where the second line does not start with a capital (verse lines do). */
  lower: number;
  /** Text lines, and how many of them start a paragraph by a blank line or an indent. */
  textLines: number;
  marked: number;
}

// What wrapStats knows of a line: blank, a scene break, or text.
const BLANK = -1;
const SCENE_BREAK = -2;

function wrapStats(lines: string[]): WrapStats {
  // Each line is classified and measured once: its indent (BLANK or SCENE_BREAK for those lines) and width.
  const indents = new Int32Array(lines.length);
  const widthOf = new Int32Array(lines.length);
  let textLines = 0;
  let baseIndent = Infinity;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    if (line.trim() === '') indents[k] = BLANK;
    else if (isSceneBreakLine(line)) indents[k] = SCENE_BREAK;
    else {
      const indent = indentOf(line);
      indents[k] = indent;
      widthOf[k] = columns(line);
      baseIndent = Math.min(baseIndent, indent);
      textLines++;
    }
  }
  if (textLines === 0) baseIndent = 0;
  // Indented first lines say little about the column: a tab may have counted as 1 or 8.
  let bodyLines = 0;
  for (let k = 0; k < lines.length; k++) if (indents[k] === baseIndent) bodyLines++;
  const measured = bodyLines >= 3 ? (k: number): boolean => indents[k] === baseIndent : (k: number): boolean => indents[k]! >= 0;
  const widths = new Int32Array(bodyLines >= 3 ? bodyLines : textLines);
  for (let k = 0, w = 0; k < lines.length; k++) if (measured(k)) widths[w++] = widthOf[k]!;
  widths.sort();
  const width = widths.length ? widths[Math.floor((widths.length - 1) * 0.95)]! : 0;
  const stats: WrapStats = { width, baseIndent, pairs: 0, fits: 0, runOn: 0, lower: 0, textLines, marked: 0 };
  let prev = -1;
  let blank = false;
  for (let k = 0; k < lines.length; k++) {
    const indent = indents[k]!;
    if (indent === BLANK) { blank = true; continue; }
    if (indent === SCENE_BREAK) { prev = -1; blank = false; continue; }
    const line = lines[k]!;
    const indented = indent > baseIndent;
    if (prev >= 0 && (blank || indented)) stats.marked++;
    if (prev >= 0 && !blank && !indented) {
      stats.pairs++;
      if (widthOf[prev]! + 1 + firstWordLength(line) > width - 3) stats.fits++;
      if (!SENTENCE_END.test(lines[prev]!.trim())) stats.runOn++;
      if (!/^\p{Lu}/u.test(line.trim())) stats.lower++;
    }
    prev = k;
    blank = false;
  }
  return stats;
}

/**
 * Decide how paragraphs are marked: `wrapped` when lines were hard-wrapped at a fixed column
 * (~40–100) and run on, so that paragraphs are marked only by blank lines, indentation or
 * a short last line; `line` when each line is a paragraph. The test is the mark greedy
 * wrapping leaves: a line followed by more of its paragraph is one the next word did not fit
 * on. Long one-line paragraphs, verse and short dialogue lines do not show it.
 */
export function paragraphMode(lines: string[]): ParagraphMode {
  return modeOf(wrapStats(lines));
}

/** The paragraph mode that a text's wrap statistics show (see `paragraphMode`). */
function modeOf(s: WrapStats): ParagraphMode {
  if (s.textLines < 4 || s.width < 40 || s.width > 100) return 'line';
  if (s.pairs < Math.max(2, s.textLines * 0.2)) return 'line';
  return s.fits >= s.pairs * 0.4 && s.fits >= 2 && s.runOn >= s.pairs * 0.3 && s.lower >= s.pairs * 0.4 ? 'wrapped' : 'line';
}

/**
 * The smallest run of blank lines that is a scene break, judged against the text's own spacing
 * (`gaps`: blank lines before each paragraph start). The usual gap between paragraphs (at least
 * 60 % of them, or the narrowest of at most three) is a paragraph break; a wider one is a scene
 * break, but never a single blank line (an empty spacer line alone means nothing). `Infinity`
 * when the spacing is too mixed to tell.
 */
export function sceneBreakGap(gaps: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const g of gaps) counts.set(g, (counts.get(g) ?? 0) + 1);
  let usual = 0;
  let most = -1;
  for (const [g, n] of counts) if (n > most || (n === most && g < usual)) [usual, most] = [g, n];
  // A short text has too few gaps to show a habit: its narrowest gap is taken as the usual one.
  const short = gaps.length <= 3 && usual === Math.min(...gaps);
  if (gaps.length === 0 || (most / gaps.length < 0.6 && !short)) return Infinity;
  return Math.max(usual + 1, 2);
}

// A run of spacing (any whitespace but U+3000) that is not already one plain space: the runs
// folded to one space, without rewriting the space between every two words.
const SPACING_TO_FOLD = /[^\S \u3000][^\S\u3000]*| [^\S\u3000]+/g;

/** Options for `linesToBody`. */
export interface BodyOptions {
  /** Title for the first chapter when the text does not start with a heading. */
  firstChapterTitle?: string;
  /** Force a paragraph mode instead of detecting one. */
  mode?: ParagraphMode;
}

/** Story text as chapters, and the end marks after it. */
export interface Body {
  chapters: Chapter[];
  /** End marks ("The End") found after the last paragraph. */
  end: Block[];
}

/**
 * Split story lines into chapters of paragraphs and scene breaks: separator lines always break;
 * runs of blank lines break when wider than the text's usual gap between paragraphs
 * (`sceneBreakGap`). Lines may be strings or source lines.
 */
export function linesToBody(input: readonly (string | SourceLine)[], opts: BodyOptions = {}): Body {
  const lines = lineTexts(input);
  const wrap = wrapStats(lines);
  const mode = opts.mode ?? modeOf(wrap);
  const items = gaps(lines);
  // In wrapped text most gaps are 0 (lines of one paragraph): judge only the blank-line gaps.
  const paragraphGaps = items.slice(1).map((g) => g.blanks).filter((b) => mode !== 'wrapped' || b > 0);
  const breakGap = sceneBreakGap(paragraphGaps);
  // Paragraphs marked by neither blank lines nor indents (fewer than one mark per 12 lines).
  const markerless = wrap.marked * 12 < wrap.textLines;
  let previousRaw = '';
  let previousCentred = false;

  const chapters: Chapter[] = [];
  let blocks: Block[] = [];
  let title = opts.firstChapterTitle;
  let pending: string[] = [];
  const flush = (): void => {
    // Ideographic spaces (U+3000) are text in Japanese and Chinese, not spacing to fold.
    if (pending.length) blocks.push(para(pending.join(' ').replace(SPACING_TO_FOLD, ' ').trim()));
    pending = [];
  };
  const closeChapter = (): void => {
    flush();
    trimBreaks(blocks);
    if (blocks.length || title !== undefined) chapters.push({ ...(title !== undefined ? { title } : {}), sections: [{ blocks }] });
    blocks = [];
  };

  for (const g of items) {
    const line = g.line;
    const heading = chapterHeading(line);
    if (heading !== undefined) {
      closeChapter();
      title = heading;
      continue;
    }
    if (isSceneBreakLine(line)) {
      flush();
      blocks.push({ kind: 'break' });
      continue;
    }
    if (g.blanks >= breakGap && (pending.length || blocks.length)) {
      flush();
      blocks.push({ kind: 'break' });
    }
    if (mode === 'wrapped') {
      // A blank line or an indented line starts a new paragraph; so does a centred line, and
      // ends one. With neither blank lines nor indents, a line that ends a sentence although
      // the next word would have fitted on it (with room to spare) ends its paragraph.
      const indent = indentOf(line);
      const centred: boolean = indent >= 10 && wrap.width - indent - line.trim().length >= 10;
      const prev = pending[pending.length - 1];
      const shortBreak = markerless && prev !== undefined && SENTENCE_END.test(prev) &&
        (columns(previousRaw) + 1 + firstWordLength(line) <= wrap.width || (CLOSED_SPEECH.test(prev) && OPENING_SPEECH.test(line.trim())));
      if (g.blanks > 0 || indent > wrap.baseIndent || shortBreak || previousCentred) flush();
      pending.push(line.trim());
      previousRaw = line;
      previousCentred = centred;
    } else {
      flush();
      pending.push(line.trim());
    }
  }
  flush();
  const end = takeEndMarks(blocks);
  closeChapter();
  return { chapters: chapters.filter((c) => c.sections.some((s) => s.blocks.length > 0) || c.title), end };
}

/** Scene breaks at the start or end, or doubled, mean nothing. Mutates and returns `blocks`. */
export function trimBreaks(blocks: Block[]): Block[] {
  while (blocks.length && blocks[0]!.kind === 'break') blocks.shift();
  while (blocks.length && blocks[blocks.length - 1]!.kind === 'break') blocks.pop();
  for (let i = blocks.length - 1; i > 0; i--) if (blocks[i]!.kind === 'break' && blocks[i - 1]!.kind === 'break') blocks.splice(i, 1);
  return blocks;
}

/** Trailing end marks ("The End", "~Fin~") taken off `blocks` (mutated) and returned. */
export function takeEndMarks(blocks: Block[]): Block[] {
  const end: Block[] = [];
  while (blocks.length) {
    const last = blocks[blocks.length - 1]!;
    if (last.kind === 'p' && isEndMark(inlineText(last.content))) end.unshift({ kind: 'p', content: [inlineText(last.content).trim()] });
    else if (last.kind === 'break' && end.length) { /* a break before the end mark */ }
    else break;
    blocks.pop();
  }
  return end;
}
