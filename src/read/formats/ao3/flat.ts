/**
 * Archive of Our Own downloads flattened to one line of text (an HTML download run through a
 * converter that joined everything): preface fields inline, link texts joined by underscores
 * (`Clark_Kent/Lex_Luthor`), the title between runs of asterisks, paragraph breaks lost.
 *
 * The one clue to paragraphs that survives: inside a paragraph sentences were joined by a
 * no-break space plus a space (the author's double spacing), while a paragraph break became
 * one plain space. Everything here scans the text once, left to right; no regex backtracks over
 * the body, so a 6 MB line reads in well under a second.
 */
import type { Block, Chapter, Meta, Story } from '../../../model.js';
import { splitAuthors } from '../../header.js';
import { emptyStory, para } from '../../story.js';
import { takeEndMarks, trimBreaks } from '../../body.js';
import { findVoices } from '../../structure.js';
import { looksLikeVoiceName } from '../../voices.js';
import type { ReadContext } from '../../context.js';
import type { TextFormat, TextInput } from '../../format.js';
import { type Ao3Field, applyAo3Field, PREFACE_LABELS } from './meta.js';

// ───────────────────────────── characters ─────────────────────────────

const NBSP = '\u00a0';

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === NBSP || ch === '\n' || ch === '\t';
}

function isLower(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  // Asked after nearly every space of the text: ASCII (most letters) is decided without the regex.
  const c = ch.charCodeAt(0);
  if (c < 0x80) return c >= 0x61 && c <= 0x7a;
  return /\p{Ll}/u.test(ch);
}

// Characters that end a sentence.
const SENTENCE_END = new Set(['.', '!', '?', '…', '—', '–']);
// Characters that may follow a sentence end and still end it: quotes, brackets, emphasis marks.
const CLOSERS = new Set(['”', '"', '’', "'", ')', ']', '*', '_']);
// Closers that end a sentence even without punctuation before them (“There’s nobody home” He…).
const SELF_ENDING = new Set(['”', '"', ')', ']']);
// What a new paragraph of a speech that runs over several paragraphs starts with.
const OPENING_QUOTES = new Set(['“', '"', '‘']);
// Abbreviations whose full stop ends no sentence.
const ABBREVIATIONS = new Set(['Mr', 'Mrs', 'Ms', 'Mx', 'Dr', 'St', 'Jr', 'Sr', 'Prof', 'Lt', 'Capt', 'Sgt', 'Col', 'Gen', 'Rev', 'Mt', 'Ft', 'vs']);
// A quotation left open longer than this is a missing closing quote, not a long speech.
const MAX_QUOTE = 3000;

// ───────────────────────────── paragraphs ─────────────────────────────

/** True when the full stop at `dot` belongs to an abbreviation ("Mr.") or an initial ("J."). */
function abbreviationBefore(text: string, dot: number): boolean {
  let k = dot - 1;
  while (k >= 0 && dot - k <= 5 && /\p{L}/u.test(text[k]!)) k--;
  if (k >= 0 && !isSpace(text[k]) && text[k] !== '(' && text[k] !== '“') return false;
  const word = text.slice(k + 1, dot);
  return ABBREVIATIONS.has(word) || /^\p{Lu}$/u.test(word);
}

/**
 * Whether the whitespace run text[i..j) is a lost paragraph break. It is when the run starts
 * with a plain space (a join starts with a no-break space) or holds two no-break spaces, follows
 * a sentence end, and the next word is not lowercase (“Lex!” he said). Inside an open quotation
 * only a new quotation starts a paragraph (“That’s… That’s great.”).
 */
function breaksHere(text: string, i: number, j: number, nbsp: number, quoteOpenedAt: number): boolean {
  if (text[i] !== ' ' && nbsp < 2) return false;
  const next = text[j];
  if (isLower(next)) return false;
  let k = i - 1;
  while (k >= 0 && i - 1 - k < 4 && CLOSERS.has(text[k]!)) k--;
  const core = k >= 0 ? text[k]! : '';
  if (k === i - 1) {
    if (!SENTENCE_END.has(core)) return false;
    if (core === '.' && abbreviationBefore(text, k)) return false;
  } else {
    if (core === ',') return false; // “Focus, Lex,” Clark says
    if (!SENTENCE_END.has(core) && !SELF_ENDING.has(text[i - 1]!)) return false;
  }
  if (quoteOpenedAt >= 0 && i - quoteOpenedAt < MAX_QUOTE && !OPENING_QUOTES.has(next!)) return false;
  return true;
}

/**
 * Where the paragraphs of a flattened text[from..to) lie, as [start, end) offsets into `text`
 * (whitespace at the edges excluded, empty paragraphs dropped). A newline always breaks.
 * One pass, constant work per character.
 */
export function paragraphSpans(text: string, from = 0, to = text.length): [number, number][] {
  const spans: [number, number][] = [];
  let start = from;
  let quoteOpenedAt = -1;
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (!isSpaceCode(c)) {
      if (c === LEFT_QUOTE) quoteOpenedAt = i;
      else if (c === RIGHT_QUOTE) quoteOpenedAt = -1;
      else if (c === STRAIGHT_QUOTE) quoteOpenedAt = i === from || isSpace(text[i - 1]) || text[i - 1] === '(' ? i : -1;
      i++;
      continue;
    }
    let j = i;
    let nbsp = 0;
    let newline = false;
    // Never read at `to` (the text's end, often): an access past a string's end made V8 throw
    // this function's optimised code away and compile it again.
    for (; j < to; j++) {
      const d = text.charCodeAt(j);
      if (!isSpaceCode(d)) break;
      if (d === 0xa0) nbsp++;
      else if (d === 10) newline = true;
    }
    if (i > from && j < to && (newline || breaksHere(text, i, j, nbsp, quoteOpenedAt))) {
      pushSpan(spans, text, start, i);
      start = j;
      quoteOpenedAt = -1;
    }
    i = j;
  }
  pushSpan(spans, text, start, to);
  return spans;
}

// Not a closure over `text`: one that captures it makes every read of it in the loop above a
// load from the closure's context, and the loop ran at a third of its speed.
function pushSpan(spans: [number, number][], text: string, a: number, b: number): void {
  while (a < b && isSpaceCode(text.charCodeAt(a))) a++;
  while (b > a && isSpaceCode(text.charCodeAt(b - 1))) b--;
  if (b > a) spans.push([a, b]);
}

const LEFT_QUOTE = 0x201c;
const RIGHT_QUOTE = 0x201d;
const STRAIGHT_QUOTE = 0x22;

function isSpaceCode(c: number): boolean {
  return c === 32 || c === 0xa0 || c === 10 || c === 9;
}

/** Link texts came out joined by underscores ("Clark_Kent", "Lights_(TV)"); `_x_` emphasis (an
 * underscore with a space, the edge or punctuation on its outer side) is left for the emphasis
 * transform. */
export function restoreUnderscores(text: string): string {
  if (!text.includes('_')) return text;
  return text.replace(/(?<=[\p{L}\p{N}])_(?=[\p{L}\p{N}(\[])|(?<=[)\]])_(?=[\p{L}\p{N}])/gu, ' ');
}

/** A preface value (every word in it came from a link): any underscore inside a word is a space. */
function restoreLinkText(text: string): string {
  return text.includes('_') ? text.replace(/(?<=\S)_(?=\S)/g, ' ') : text;
}

/** A flattened paragraph as text: sentence joins (no-break space + spaces) folded to one space, link underscores restored. */
function foldFlatSpacing(raw: string): string {
  return restoreUnderscores(raw.replace(/[ \u00a0\t\n]{2,}/g, ' ')).trim();
}

/**
 * The paragraphs of a flattened text, cleaned: a convenience over `paragraphSpans` for callers
 * that want strings (tests, other readers of flattened text).
 */
export function splitFlatParagraphs(text: string): string[] {
  return paragraphSpans(text).map(([a, b]) => foldFlatSpacing(text.slice(a, b))).filter((s) => s.length > 0);
}

function blocksOf(text: string, from: number, to: number): Block[] {
  const out: Block[] = [];
  for (const [a, b] of paragraphSpans(text, from, to)) {
    const s = foldFlatSpacing(text.slice(a, b));
    if (s) out.push(para(s));
  }
  return out;
}

// ───────────────────────────── tokens and headings ─────────────────────────────

interface Token {
  start: number;
  end: number;
  text: string;
}

function nextToken(t: string, p: number, limit: number): Token | undefined {
  while (p < limit && isSpace(t[p])) p++;
  if (p >= limit) return undefined;
  let e = p;
  while (e < limit && !isSpace(t[e])) e++;
  return { start: p, end: e, text: t.slice(p, e) };
}

function prevToken(t: string, p: number, floor: number): Token | undefined {
  while (p > floor && isSpace(t[p - 1])) p--;
  if (p <= floor) return undefined;
  let s = p;
  while (s > floor && !isSpace(t[s - 1])) s--;
  return { start: s, end: p, text: t.slice(s, p) };
}

// Small words a title may hold in lowercase ("Day of the Dead").
const SMALL_WORDS = new Set(['a', 'an', 'the', 'of', 'and', 'or', 'in', 'on', 'at', 'to', 'for', 'with', 'from', 'by', 'is', 'as', 'but', 'nor', 'into', 'over', '&']);
// First words of headings that are headings whatever follows them.
const HEADING_WORDS = new Set(['chapter', 'part', 'day', 'night', 'book', 'act', 'prologue', 'epilogue', 'interlude', 'coda', 'intermission', 'afterword', 'foreword']);

/** A word that can stand in a heading: capitalised, a number, or a small word; no sentence punctuation. */
function titleWord(tok: string): boolean {
  if (/^\p{N}+[:.]?$/u.test(tok)) return true;
  if (SMALL_WORDS.has(tok)) return true;
  return /^[\p{Lu}\p{N}]/u.test(tok) && !/[.!?,;:"“”]$/u.test(tok);
}

/** A token that came from a link ("Day_One"): letters joined by underscores. */
function isLinkToken(tok: string): boolean {
  return /[\p{L}\p{N}]_[\p{L}\p{N}]/u.test(tok);
}

/** A speaker label token ("Lex:"). */
function labelName(tok: string): string | undefined {
  const m = /^(\p{Lu}[\p{L}\p{M}'’.-]{0,30}):$/u.exec(tok);
  const name = m ? restoreUnderscores(m[1]!) : undefined;
  return name && looksLikeVoiceName(name) ? name : undefined;
}

function firstWord(tok: string): string {
  return tok.split(/[_\s]/)[0]!.toLowerCase();
}

/** A heading found at the start of a part or chapter. */
interface HeadingAt {
  /** The heading as written (underscores still in), or '' when none. */
  raw: string;
  /** Where the text after the heading starts. */
  end: number;
  /** A speaker label follows the heading directly. */
  label?: string;
  /** Sure to be a heading: a link text, a heading word ("Day", "Chapter"), a number, or followed by a label. */
  strong: boolean;
}

/**
 * The heading at `p`: a short run of capitalised words before the first speaker label or the
 * first sentence ("Later The rain fell" → "Later": the last capitalised word starts the sentence).
 */
function headingForward(t: string, p: number, limit: number, maxWords = 8): HeadingAt {
  const run: Token[] = [];
  let q = p;
  let stop: Token | undefined;
  let label: string | undefined;
  for (;;) {
    const tok = nextToken(t, q, limit);
    if (!tok) break;
    const name = labelName(tok.text);
    if (name) {
      label = name;
      stop = tok;
      break;
    }
    if (!titleWord(tok.text) || run.length >= maxWords) {
      stop = tok;
      break;
    }
    run.push(tok);
    q = tok.end;
  }
  if (run.length > maxWords - 1 && !label) return { raw: '', end: p, strong: false };
  if (!label && stop && /^\p{L}/u.test(stop.text) && isLower(stop.text[0]) && run.length) {
    // The last capitalised word starts the sentence unless it is a small word.
    run.pop();
  }
  while (run.length && SMALL_WORDS.has(run[run.length - 1]!.text)) run.pop();
  if (!run.length) return { raw: '', end: p, strong: !!label, ...(label ? { label } : {}) };
  const first = run[0]!.text;
  const strong = !!label || isLinkToken(first) || HEADING_WORDS.has(firstWord(first)) || /^(?:\p{N}+|[IVXLC]+)\.?$/u.test(first);
  return { raw: t.slice(run[0]!.start, run[run.length - 1]!.end), end: run[run.length - 1]!.end, strong, ...(label ? { label } : {}) };
}

/**
 * Where the heading before the speaker label at `labelAt` starts. Walks back over capitalised
 * words; when they are glued to earlier text ("- Magnetic Fields Day_One Lex:") keeps the link
 * text, or the words from one that opens a sibling heading ("Day"), or just the last word.
 */
function headingBackward(t: string, labelAt: number, floor: number, siblingWords: ReadonlySet<string>): number {
  const run: Token[] = [];
  let q = labelAt;
  let before: Token | undefined;
  while (run.length < 6) {
    const tok = prevToken(t, q, floor);
    if (!tok) break;
    if (!titleWord(tok.text)) {
      before = tok;
      break;
    }
    run.unshift(tok);
    q = tok.start;
  }
  if (!run.length) return labelAt;
  const last = run[run.length - 1]!;
  if (isLinkToken(last.text)) return last.start;
  for (let i = run.length - 1; i >= 0; i--) if (siblingWords.has(firstWord(run[i]!.text))) return run[i]!.start;
  const atBoundary = !before || endsSentence(before.text);
  return atBoundary ? run[0]!.start : last.start;
}

function endsSentence(tok: string): boolean {
  return /[.!?…”")\]]$/u.test(tok);
}

// ───────────────────────────── preface ─────────────────────────────

const LABEL_INFO = new Map(PREFACE_LABELS.map(([label, field, rank]) => [label, { field, rank }]));
const PREFACE_RE = new RegExp(
  `(${[...LABEL_INFO.keys()].sort((a, b) => b.length - a.length).join('|')}):(?=\\s|$)`,
  'g',
);

// ───────────────────────────── the reader ─────────────────────────────

const POSTED_RE = /^\s*Posted originally on the Archive[ _]of[ _]Our[ _]Own at /;
const FEEDBACK_RE = /please[\s_]+drop[\s_]+by[\s_]+the[\s_]+archive[\s_]+and[\s_]+comment\b/i;
// The space before the label is matched, not looked behind for: a pattern that opens with a
// lookbehind is tried at every position of the text, one that opens with a class is searched for.
const AFTERWORD_RE = /\s(?:Series this work belongs to:|Works inspired by this one:)/;
const SEE_END_RE = /\(?See the end of the (?:work|chapter) for (?:more )?notes\.?\)?/gi;
const SEPARATOR_RE = /(?:\*\*\*|\* \* \*)(?=\s|$)/g;
const CHAPTER_RE = /Chapter (\d{1,4})(?=[:.]?(?:\s|$))/g;
// Made on first use (only a flattened Archive download needs it): its Unicode classes cost ~0.2 ms at start-up.
let labelTokenRegExp: RegExp | undefined;
const labelTokenPattern = (): RegExp => (labelTokenRegExp ??= /(\p{Lu}[\p{L}\p{M}'’.-]{0,30}):(?=\s)/gu);

/** Cheap look at the start and end: one very long line with AO3's preface. */
function sniff(input: TextInput): number {
  const t = input.text;
  const head = t.slice(0, 2048);
  const tail = t.slice(-1024);
  const headLines = head.split('\n').filter((l) => l.trim()).length;
  const oneLongLine = t.length > 2048 ? headLines <= 2 : t.split('\n').filter((l) => l.trim()).length <= 3;
  const posted = /Posted originally on the Archive[ _]of[ _]Our[ _]Own/.test(head);
  const preface = /Rating: .{0,300}Archive Warnings?: /s.test(head);
  const stars = /\*{6,}/.test(head);
  const feedback = FEEDBACK_RE.test(tail);
  if (!posted && !(preface && stars)) return 0;
  if (!oneLongLine) return 0.2;
  if (posted && (stars || preface)) return 0.97;
  if (posted || (preface && stars)) return feedback ? 0.95 : 0.9;
  return 0;
}

/** Call `fn` with each match of `re` (a global regex) in t[from..to) that starts a word (at the
 * start or after whitespace), until it returns true. Checking the word start here rather than
 * with a lookbehind keeps the regex's literal prefix, which V8 searches for fast. */
function eachMatch(t: string, re: RegExp, from: number, to: number, fn: (m: RegExpExecArray) => boolean | void): void {
  re.lastIndex = from;
  for (let m = re.exec(t); m && m.index < to; m = re.exec(t)) {
    if (m.index > 0 && !isSpace(t[m.index - 1])) continue;
    if (fn(m)) return;
  }
}

/** Every match of `re` in t[from..to) (for the few-match searches). */
function matchesIn(t: string, re: RegExp, from: number, to: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  eachMatch(t, re, from, to, (m) => void out.push(m));
  return out;
}

/** The first match of `re` in t[from..to), if any. */
function firstMatch(t: string, re: RegExp, from: number, to: number): RegExpExecArray | undefined {
  let found: RegExpExecArray | undefined;
  eachMatch(t, re, from, to, (m) => {
    found = m;
    return true;
  });
  return found;
}

/** The "Chapter 1 … Chapter 2 …" headings of a multi-chapter work, or [] when there are fewer than two. */
function chapterHeadings(t: string, from: number, to: number): number[] {
  const found: number[] = [];
  eachMatch(t, CHAPTER_RE, from, to, (m) => {
    if (Number(m[1]) !== found.length + 1) return;
    if (found.length) {
      // Later headings follow the end of a sentence or of a scene.
      const prev = prevToken(t, m.index, from);
      if (prev && !endsSentence(prev.text) && !/[*=]$/.test(prev.text)) return;
    }
    found.push(m.index);
  });
  return found.length >= 2 ? found : [];
}

/** The `***` part separators in t[from..to), as [start, end) pairs. */
function separators(t: string, from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  eachMatch(t, SEPARATOR_RE, from, to, (m) => void out.push([m.index, m.index + m[0].length]));
  return out;
}

interface Front {
  /** Where the summary text starts, if there is a summary. */
  summaryAt?: number;
  /** Where the "Notes" label starts and its text starts. */
  notesLabelAt?: number;
  notesAt?: number;
}

/** The "Summary …" and "Notes …" labels at `p` (before `limit`). */
function frontLabels(t: string, p: number, limit: number): Front {
  const front: Front = {};
  let tok = nextToken(t, p, limit);
  if (tok && /^Summary:?$/.test(tok.text)) {
    front.summaryAt = tok.end;
    const m = firstMatch(t, /Notes:?(?=\s)/g, tok.end, limit);
    if (m) {
      front.notesLabelAt = m.index;
      front.notesAt = m.index + m[0].length;
    }
  } else if (tok && /^Notes:?$/.test(tok.text)) {
    front.notesLabelAt = tok.start;
    front.notesAt = tok.end;
  }
  return front;
}

/** A "Chapter 1: Title" chapter of a multi-chapter work, t[from..to); `guessed` when its notes
 * had no "Chapter Text" marker after them and were taken to be one paragraph. */
function readChapter(t: string, from: number, to: number): { chapter: Chapter; guessed: boolean } {
  const labels = matchesIn(t, /Chapter (?:Summary|Notes|Text|End Notes)(?=:?\s|$)/g, from, to);
  const firstLabel = labels[0]?.index ?? to;
  const word = nextToken(t, from, to)!; // "Chapter"
  const number = nextToken(t, word.end, to)!; // "1:"
  let title = t.slice(from, number.end).replace(/[:.]$/, '');
  let titleEnd = number.end;
  const rest = headingForward(t, number.end, firstLabel, 12);
  if (rest.raw) {
    title += `: ${rest.raw}`;
    titleEnd = rest.end;
  }
  const chapter: Chapter = { title: restoreUnderscores(title), sections: [] };
  let guessed = false;
  let bodyEnd = to;
  const endNotes = labels.filter((m) => m[0] === 'Chapter End Notes').pop();
  if (endNotes) {
    bodyEnd = endNotes.index;
    const notes = frontText(t, endNotes.index + endNotes[0].length, to);
    if (notes.length) chapter.endNotes = notes;
  }
  const text = labels.find((m) => m[0] === 'Chapter Text' && m.index < bodyEnd);
  const textAt = text?.index ?? bodyEnd;
  const lead = labels.filter((m) => (m[0] === 'Chapter Summary' || m[0] === 'Chapter Notes') && m.index < textAt);
  let bodyAt = titleEnd;
  if (text) bodyAt = text.index + text[0].length;
  else if (lead.length) {
    const last = lead[lead.length - 1]!;
    const spans = paragraphSpans(t, last.index + last[0].length, bodyEnd);
    bodyAt = spans[1]?.[0] ?? bodyEnd;
    guessed = true;
  }
  lead.forEach((m, i) => {
    const blocks = frontText(t, m.index + m[0].length, lead[i + 1]?.index ?? (text ? text.index : bodyAt));
    if (!blocks.length) return;
    if (m[0] === 'Chapter Summary') chapter.summary = blocks;
    else chapter.notes = blocks;
  });
  chapter.sections = [{ blocks: bodyBlocks(t, bodyAt, bodyEnd) }];
  return { chapter, guessed };
}

/** Front or end matter (summary, notes) as paragraphs, site boilerplate removed. */
function frontText(t: string, from: number, to: number): Block[] {
  const text = t.slice(from, to).replace(SEE_END_RE, ' ');
  return blocksOf(text, 0, text.length);
}

/** Story text t[from..to): paragraphs, with `***` as scene breaks. */
function bodyBlocks(t: string, from: number, to: number): Block[] {
  const out: Block[] = [];
  const add = (a: number, b: number) => {
    const blocks = blocksOf(t, a, b);
    if (blocks.length && out.length) out.push({ kind: 'break' });
    for (const block of blocks) out.push(block);
  };
  let at = from;
  for (const [a, b] of separators(t, from, to)) {
    add(at, a);
    at = b;
  }
  add(at, to);
  return out;
}

/**
 * Where the story starts after the summary or notes that open at `from` (the flattening lost the
 * boundary). In order: a "Work Text:" marker, the first "Chapter 1", the heading before the first
 * speaker label that also opens later parts, the heading of the first part when later parts
 * start with headings of the same kind; else the notes are taken to be one paragraph (`guessed`).
 */
function findBodyStart(t: string, from: number, to: number, chapters: number[]): { at: number; frontEnd?: number; guessed: boolean } {
  const workText = firstMatch(t, /Work Text:(?=\s)/g, from, to);
  if (workText) return { at: workText.index + workText[0].length, frontEnd: workText.index, guessed: false };
  if (chapters.length) return { at: chapters[0]!, guessed: false };

  const seps = separators(t, from, to);
  if (seps.length) {
    const heads = seps.map(([, b], i) => headingForward(t, b, seps[i + 1]?.[0] ?? to));
    const names = new Set(heads.flatMap((h) => (h.label ? [h.label] : [])));
    const words = new Set(heads.filter((h) => h.raw).map((h) => firstWord(h.raw)));
    const firstPartEnd = seps[0]![0];
    if (names.size) {
      let label: number | undefined;
      eachMatch(t, labelTokenPattern(), from, firstPartEnd, (m) => {
        if (!names.has(restoreUnderscores(m[1]!))) return false;
        label = m.index;
        return true;
      });
      if (label !== undefined) return { at: headingBackward(t, label, from, words), guessed: false };
    }
    if (words.size && heads.every((h) => h.strong && h.raw)) {
      for (let tok = nextToken(t, from, firstPartEnd); tok; tok = nextToken(t, tok.end, firstPartEnd)) {
        if (words.has(firstWord(tok.text)) && titleWord(tok.text)) return { at: tok.start, guessed: false };
      }
    }
  }

  // One part told in voices: the first label whose name recurs, among the first paragraphs.
  const window = paragraphSpans(t, from, Math.min(to, from + 20000)).slice(0, 6);
  const windowEnd = window[window.length - 1]?.[1] ?? to;
  const counts = new Map<string, number>();
  const firstAt = new Map<string, number>();
  eachMatch(t, labelTokenPattern(), from, to, (m) => {
    const name = restoreUnderscores(m[1]!);
    if (!looksLikeVoiceName(name)) return;
    counts.set(name, (counts.get(name) ?? 0) + 1);
    if (!firstAt.has(name)) firstAt.set(name, m.index);
  });
  const recurring = [...counts].filter(([, n]) => n >= 2).map(([name]) => firstAt.get(name)!);
  if (recurring.length >= 2) {
    const first = recurring.reduce((a, b) => Math.min(a, b));
    if (first < windowEnd) return { at: headingBackward(t, first, from, new Set()), guessed: false };
  }
  return { at: window[1]?.[0] ?? from, guessed: window.length > 1 };
}

function read(input: TextInput, ctx: ReadContext): Story {
  const t = input.text;
  const path = input.path;
  const story = emptyStory(path, 'ao3-flat', input.encoding);
  const meta = story.meta;

  // The end: feedback request, then the afterword (series, inspired works), then end notes.
  let end = t.length;
  const tailFrom = Math.max(0, end - 4000);
  const feedback = FEEDBACK_RE.exec(t.slice(tailFrom));
  if (feedback) end = tailFrom + feedback.index;
  const afterFrom = Math.max(0, end - 20000);
  const afterword = AFTERWORD_RE.exec(t.slice(afterFrom, end));
  if (afterword) end = afterFrom + afterword.index + 1;

  // The header sentence and the preface fields, up to the title's asterisks.
  let p = 0;
  const posted = POSTED_RE.exec(t);
  if (posted) p = posted[0].length;
  const starsAt = t.indexOf('******', p);
  const prefaceEnd = starsAt >= 0 && starsAt < end ? starsAt : Math.min(end, p + 5000);
  const labels: { label: string; field: Ao3Field; start: number; valueAt: number }[] = [];
  let rank = 0;
  for (const m of matchesIn(t, PREFACE_RE, p, prefaceEnd)) {
    const li = LABEL_INFO.get(m[1]!)!;
    if (li.rank < rank || (li.rank === rank && li.rank !== 12)) continue;
    rank = li.rank;
    labels.push({ label: m[1]!, field: li.field, start: m.index, valueAt: m.index + m[0].length });
  }
  if (posted) {
    const url = t.slice(p, labels[0]?.start ?? prefaceEnd).trim().replace(/\.$/, '').replace(/\s+/g, '');
    if (/^https?:\/\/\S+$/.test(url)) meta.sourceUrl = url;
  }
  let afterPreface = prefaceEnd;
  labels.forEach((l, i) => {
    let valueEnd = labels[i + 1]?.start ?? prefaceEnd;
    if (i === labels.length - 1 && starsAt < 0) {
      // No title line to stop at: the last value is one word (stats are numbers and dates).
      valueEnd = nextToken(t, l.valueAt, prefaceEnd)?.end ?? l.valueAt;
      afterPreface = valueEnd;
    }
    const value = restoreLinkText(t.slice(l.valueAt, valueEnd).replace(/\s+/g, ' ')).trim();
    const problem = applyAo3Field(meta, l.label, value);
    if (problem) ctx.message('meta-004', problem);
  });

  // "****** Title ******", then "by Author, Author and Author".
  let rStart = afterPreface;
  if (starsAt >= 0 && starsAt < end) {
    let q = starsAt;
    while (t[q] === '*') q++;
    const close = t.indexOf('******', q);
    if (close >= 0 && close - q < 2000) {
      const title = restoreUnderscores(t.slice(q, close).replace(/\s+/g, ' ')).trim();
      if (title) meta.title = title;
      rStart = close;
      while (t[rStart] === '*') rStart++;
    } else rStart = q;
  }
  rStart = readByline(t, rStart, end, meta);

  // Summary and notes, then the story.
  const chapterAt = chapterHeadings(t, rStart, end);
  const anchor = chapterAt[0] ?? separators(t, rStart, Math.min(end, rStart + 50000))[0]?.[0] ?? Math.min(end, rStart + 20000);
  const front = frontLabels(t, rStart, anchor);
  let bodyAt = rStart;
  let frontEnd = rStart;
  const lastFront = front.notesAt ?? front.summaryAt;
  if (lastFront !== undefined) {
    const found = findBodyStart(t, lastFront, end, chapterAt.filter((c) => c >= lastFront));
    bodyAt = found.at;
    frontEnd = found.frontEnd ?? found.at;
    if (found.guessed) ctx.message('struct-001', `no heading or label marks where the ${front.notesAt !== undefined ? 'notes' : 'summary'} end; took them to be one paragraph`);
  }
  if (front.summaryAt !== undefined) {
    const summary = frontText(t, front.summaryAt, front.notesLabelAt ?? frontEnd);
    if (summary.length) meta.summary = summary;
  }
  if (front.notesAt !== undefined) {
    const notes = frontText(t, front.notesAt, frontEnd);
    if (notes.length) meta.notes = notes;
  }

  // End notes of the work: the last "End Notes" label that is not a chapter's.
  const endNotesAt = t.lastIndexOf(' End Notes ', end);
  if (endNotesAt > bodyAt && t.slice(Math.max(0, endNotesAt - 8), endNotesAt) !== ' Chapter') {
    const endNotes = frontText(t, endNotesAt + ' End Notes '.length, end);
    if (endNotes.length) meta.endNotes = endNotes;
    end = endNotesAt;
  }

  if (chapterAt.length) {
    const parsed = chapterAt.filter((c) => c >= bodyAt).map((c, i, all) => readChapter(t, c, all[i + 1] ?? end));
    story.chapters = parsed.map((r) => r.chapter);
    const guessed = parsed.filter((r) => r.guessed).map((r) => r.chapter.title);
    if (guessed.length) ctx.message('struct-001', `no "Chapter Text" marker after the chapter notes of ${guessed.join(', ')}; took those notes to be one paragraph`);
  } else story.chapters = readParts(t, bodyAt, end);

  // The shared finish: breaks at chapter edges dropped, end marks taken off the last chapter, voices found.
  for (const c of story.chapters) for (const s of c.sections) trimBreaks(s.blocks);
  const lastBlocks = story.chapters[story.chapters.length - 1]?.sections[0]?.blocks;
  if (lastBlocks) story.end = takeEndMarks(lastBlocks);
  const voiced = findVoices(story.chapters, path);
  story.chapters = voiced.chapters;
  ctx.diagnostics.push(...voiced.diagnostics);

  const paragraphs = story.chapters.reduce((n, c) => n + c.sections.reduce((k, s) => k + s.blocks.filter((b) => b.kind === 'p').length, 0), 0);
  ctx.message('struct-001', `paragraph breaks were lost in this flattened AO3 download; recovered ${paragraphs} paragraphs from sentence ends and spacing`);
  return story;
}

/** "by A, B and C": AO3 links each author, so each name is one token (a pseud may add "(login)"). */
function readByline(t: string, p: number, end: number, meta: Meta): number {
  const by = nextToken(t, p, end);
  if (!by || by.text !== 'by') return p;
  // With a "Summary"/"Notes" label close behind, the byline is everything up to it.
  const label = firstMatch(t, /(?:Summary|Notes):?(?=\s)/g, by.end, Math.min(end, by.end + 200));
  if (label && !/[.!?“”"]/.test(t.slice(by.end, label.index))) {
    meta.authors = splitAuthors(restoreLinkText(t.slice(by.end, label.index)));
    return label.index;
  }
  const names: string[] = [];
  let q = by.end;
  for (;;) {
    const tok = nextToken(t, q, end);
    if (!tok) break;
    let name = tok.text;
    q = tok.end;
    const login = nextToken(t, q, end);
    if (login && /^\(\S+\),?$/.test(login.text)) {
      name += ` ${login.text}`;
      q = login.end;
    }
    const comma = name.endsWith(',');
    names.push(restoreLinkText(name.replace(/,$/, '')));
    const next = nextToken(t, q, end);
    if (next?.text === 'and') q = next.end;
    else if (!comma) break;
  }
  meta.authors = names.filter((n) => n.length > 0);
  return q;
}

/**
 * The story of a work without "Chapter N" headings. `***` separates parts; when every part after
 * the first opens with a heading ("Day_Two", "Later" before a speaker label), each part is a
 * chapter titled by it; otherwise `***` is a scene break inside one chapter.
 */
function readParts(t: string, from: number, to: number): Chapter[] {
  const seps = separators(t, from, to);
  const starts = [from, ...seps.map(([, b]) => b)];
  const ends = [...seps.map(([a]) => a), to];
  const heads = starts.map((s, i) => headingForward(t, s, ends[i]!));
  const titled = (h: HeadingAt) => !!h.raw && h.strong;
  const title = (h: HeadingAt) => restoreUnderscores(h.raw);
  if (seps.length && heads.slice(1).every(titled)) {
    return starts.map((s, i) => {
      const h = heads[i]!;
      const chapter: Chapter = { sections: [{ blocks: blocksOf(t, titled(h) ? h.end : s, ends[i]!) }] };
      if (titled(h)) chapter.title = title(h);
      return chapter;
    });
  }
  const h = heads[0]!;
  const chapter: Chapter = { sections: [{ blocks: bodyBlocks(t, titled(h) ? h.end : from, to) }] };
  if (titled(h)) chapter.title = title(h);
  return [chapter];
}

/** The reader for flattened AO3 downloads. */
export const ao3Flat: TextFormat = {
  name: 'ao3-flat',
  description: 'Archive of Our Own download flattened to one line of text (paragraphs and links lost)',
  input: 'text',
  extensions: ['.txt'],
  inlineMarkers: true,
  precedence: 90,
  sniff,
  read,
};
