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

/**
 * Decide how paragraphs are marked: `wrapped` when most lines are short (hard-wrapped at
 * ~60–80 columns) and run on; `line` when each line is a paragraph.
 */
export function paragraphMode(lines: string[]): ParagraphMode {
  const lens = lines.map((l) => l.trimEnd().length).filter((n) => n > 0);
  if (lens.length < 4) return 'line';
  const sorted = [...lens].sort((a, b) => a - b);
  const p90 = sorted[Math.floor(sorted.length * 0.9)]!;
  const median = sorted[Math.floor(sorted.length / 2)]!;
  if (p90 > 100 || median < 35) return 'line';
  // Hard wrapping shows as many lines that end mid-sentence and are followed by a non-blank line.
  let runOn = 0;
  let pairs = 0;
  for (let i = 0; i + 1 < lines.length; i++) {
    const a = lines[i]!.trim();
    const b = lines[i + 1]!.trim();
    if (a && b) {
      pairs++;
      if (!/[.!?"'”’)\]:…—-]$/.test(a)) runOn++;
    }
  }
  return pairs > lens.length * 0.3 && runOn > pairs * 0.4 ? 'wrapped' : 'line';
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
      // A blank line or an indented line starts a new paragraph.
      if (g.blanks > 0 || /^(?:\t| {2,})\S/.test(line)) flush();
      pending.push(line.trim());
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
