/**
 * Story text → chapters, for every plain-text format: paragraphs (blank-line separated,
 * one per line, or hard-wrapped), scene breaks, chapter headings and end marks. No site
 * knowledge lives here: formats strip their own cruft before handing lines over.
 */
import type { Block, Chapter } from '../model.js';
import { para } from './story.js';

// A line made only of separator characters: "* * *", "***", "----", "o-o-o", "~~~", "###", "x x x".
const SEPARATOR_LINE = /^\s*(?:[*~#=_+•·∙.\-–—oOxX<>◊◆♦✦✧★☆⁂❧§]\s*){3,}$/;
const ORNAMENT_LINE = /^\s*[⁂❧§◊◆♦✦✧★☆]\s*$/;

/** True when the line is a scene-break separator. Needs at least one non-letter so that
 * words like "ooo" or "XXX" alone are not taken for breaks unless spaced ("x x x"). */
export function isSceneBreakLine(line: string): boolean {
  if (ORNAMENT_LINE.test(line)) return true;
  if (!SEPARATOR_LINE.test(line)) return false;
  const compact = line.replace(/\s+/g, '');
  if (/^[oOxX]+$/.test(compact)) return /\s/.test(line.trim()); // "x x x" yes, "xxx" no
  if (/^\.+$/.test(compact)) return compact.length >= 3 && /\s/.test(line.trim()); // ". . ." yes, "..." no
  return true;
}

const HEADING_WORDS = /^(?:prologue|epilogue|interlude|afterword|coda|(?:chapter|part|book|act)\s+(?:\d+|[ivxlc]+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|twenty[- a-z]*|thirty[- a-z]*)\b(?:\s*(?:\/|of)\s*\d+)?)(?:\s*[:.\-–—]\s*.{0,60})?$/i;

/** The heading text when the line is a chapter heading ("Epilogue", "Chapter 3: Home",
 * "Part 2/2"), else undefined. */
export function chapterHeading(line: string): string | undefined {
  const t = line.trim().replace(/^[#=*~\s]+|[#=*~\s]+$/g, '');
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

/** Display columns of a line's end (tabs advance to the next multiple of 8). */
function columns(line: string): number {
  let col = 0;
  for (const ch of line.trimEnd()) col = ch === '\t' ? col + 8 - (col % 8) : col + 1;
  return col;
}

/** Display columns of a line's leading whitespace. */
function indentOf(line: string): number {
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

function wrapStats(lines: string[]): WrapStats {
  const text = lines.filter((l) => l.trim() !== '' && !isSceneBreakLine(l));
  const baseIndent = text.length ? text.reduce((min, l) => Math.min(min, indentOf(l)), Infinity) : 0;
  // Indented first lines say little about the column: a tab may have counted as 1 or 8.
  const body = text.filter((l) => indentOf(l) === baseIndent);
  const widths = (body.length >= 3 ? body : text).map(columns).sort((a, b) => a - b);
  const width = widths.length ? widths[Math.floor((widths.length - 1) * 0.95)]! : 0;
  const stats: WrapStats = { width, baseIndent, pairs: 0, fits: 0, runOn: 0, lower: 0, textLines: text.length, marked: 0 };
  let prev: string | undefined;
  let blank = false;
  for (const line of lines) {
    if (line.trim() === '') { blank = true; continue; }
    if (isSceneBreakLine(line)) { prev = undefined; blank = false; continue; }
    const indented = indentOf(line) > baseIndent;
    if (prev !== undefined && (blank || indented)) stats.marked++;
    if (prev !== undefined && !blank && !indented) {
      stats.pairs++;
      if (columns(prev) + 1 + firstWordLength(line) > width - 3) stats.fits++;
      if (!SENTENCE_END.test(prev.trim())) stats.runOn++;
      if (!/^\p{Lu}/u.test(line.trim())) stats.lower++;
    }
    prev = line;
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
  const s = wrapStats(lines);
  if (s.textLines < 4 || s.width < 40 || s.width > 100) return 'line';
  if (s.pairs < Math.max(2, s.textLines * 0.2)) return 'line';
  return s.fits >= s.pairs * 0.4 && s.fits >= 2 && s.runOn >= s.pairs * 0.3 && s.lower >= s.pairs * 0.4 ? 'wrapped' : 'line';
}

export interface BodyOptions {
  /** Title for the first chapter when the text does not start with a heading. */
  firstChapterTitle?: string;
  /** Force a paragraph mode instead of detecting one. */
  mode?: ParagraphMode;
}

export interface Body {
  chapters: Chapter[];
  /** End marks ("The End") found after the last paragraph. */
  end: Block[];
}

/**
 * Split story lines into chapters of paragraphs and scene breaks. Extra blank lines are scene
 * breaks when single blank lines are the normal paragraph separator (the print-page style).
 */
export function linesToBody(lines: string[], opts: BodyOptions = {}): Body {
  const mode = opts.mode ?? paragraphMode(lines);
  const items = gaps(lines);
  // The usual gap between paragraphs; a gap wider than that is a scene break.
  const counts = new Map<number, number>();
  for (const g of items.slice(1)) counts.set(g.blanks, (counts.get(g.blanks) ?? 0) + 1);
  const total = Math.max(1, items.length - 1);
  const oneBlank = counts.get(1) ?? 0;
  const wideGapIsBreak = mode !== 'wrapped' && oneBlank / total >= 0.6;
  const wrap = wrapStats(lines);
  // Paragraphs marked by neither blank lines nor indents (fewer than one mark per 12 lines).
  const markerless = wrap.marked * 12 < wrap.textLines;
  let previousRaw = '';
  let previousCentred = false;

  const chapters: Chapter[] = [];
  let blocks: Block[] = [];
  let title = opts.firstChapterTitle;
  let pending: string[] = [];
  const flush = (): void => {
    if (pending.length) blocks.push(para(pending.join(' ').replace(/\s+/g, ' ').trim()));
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
    if (wideGapIsBreak && g.blanks >= 2 && (pending.length || blocks.length)) {
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
  // End marks: trailing paragraphs like "The End".
  const end: Block[] = [];
  while (blocks.length) {
    const last = blocks[blocks.length - 1]!;
    if (last.kind === 'p' && typeof last.content[0] === 'string' && last.content.length === 1 && isEndMark(last.content[0])) {
      end.unshift(blocks.pop()!);
    } else break;
  }
  closeChapter();
  return { chapters: chapters.filter((c) => c.sections.some((s) => s.blocks.length > 0) || c.title), end };
}

// Scene breaks at the start or end of a chapter, or doubled, mean nothing.
function trimBreaks(blocks: Block[]): void {
  while (blocks.length && blocks[0]!.kind === 'break') blocks.shift();
  while (blocks.length && blocks[blocks.length - 1]!.kind === 'break') blocks.pop();
  for (let i = blocks.length - 1; i > 0; i--) {
    if (blocks[i]!.kind === 'break' && blocks[i - 1]!.kind === 'break') blocks.splice(i, 1);
  }
}
