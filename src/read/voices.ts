/**
 * Voice sections: stories told in turns by a few narrators, each turn opened by a speaker label
 * at the start of a paragraph ("Lex: The car is speeding…", "Clark: …"). Site-independent: any
 * reader can run its chapters through `detectVoicesInChapters`.
 *
 * What tells voice sections from script-style dialogue ("JOHN: hi" / "MARY: hello"): voice
 * sections are few, long, and come round in a fixed cycle; script lines are many and short.
 */
import type { Block, Chapter, Section } from '../model.js';
import { blockWords } from '../text.js';

/** Thresholds for voice detection; `defaultVoiceOptions()` gives the defaults. */
export interface VoiceOptions {
  /** Fewest distinct voices (default 2). */
  minVoices: number;
  /** Most distinct voices across a story (default 4). */
  maxVoices: number;
  /** Every voice section holds at least this many words (default 15). */
  minSectionWords: number;
  /** Voice sections average at least this many words (default 60), unless a chapter holds at most
   * `fewCycles` rounds of its voices: script dialogue is many short turns, voices few long ones. */
  minMeanSectionWords: number;
  /** Rounds of voices per chapter that count as few (default 2: "A B A B"). */
  fewCycles: number;
}

/** The default thresholds. */
export function defaultVoiceOptions(): VoiceOptions {
  return { minVoices: 2, maxVoices: 4, minSectionWords: 15, minMeanSectionWords: 60, fewCycles: 2 };
}

/** A speaker label found at the start of a paragraph. */
export interface VoiceLabel {
  /** The name before the colon ("Lex", "Lois Lane"). */
  name: string;
  /** The paragraph text after the label (may be empty when the label stands alone). */
  rest: string;
}

// One to three capitalised words, a colon, then text (or nothing: a label on its own line).
// Made on first use: its Unicode classes cost ~0.5 ms to build, and most stories never need it.
let labelRegExp: RegExp | undefined;
const labelPattern = (): RegExp => (labelRegExp ??= /^(\p{Lu}[\p{L}\p{M}'’.-]{0,30}(?: \p{Lu}[\p{L}\p{M}'’.-]{0,30}){0,2}):(?:[ \u00a0\t]+|$)/u);
/** The latest a label's colon can come: three names of 31 code points (two units each) and two spaces. */
const LABEL_COLON_LIMIT = 3 * 31 * 2 + 2;

// Words that open "Key: value" lines but never name a narrator.
const NOT_VOICES = new Set([
  'a/n', 'an', 'author', "author's note", 'author’s note', 'authors note', 'beta', 'chapter', 'characters',
  'disclaimer', 'edit', 'fandom', 'note', 'notes', 'p.s', 'p.s.', 'pairing', 'part', 'ps', 'rating',
  'summary', 'title', 'update', 'warning', 'warnings', 'words', 'word count', 'prompt', 'dedication',
]);

/** True when `name` could name a narrator: not a word that opens "Key: value" lines (Note, Summary …). */
export function looksLikeVoiceName(name: string): boolean {
  return !NOT_VOICES.has(name.toLowerCase());
}

/** The speaker label opening `block`, if it is a paragraph that starts with one. */
export function voiceLabel(block: Block): VoiceLabel | undefined {
  if (block.kind !== 'p') return undefined;
  const first = block.content[0];
  if (typeof first !== 'string') return undefined;
  // The colon a label needs (no name character is one): most paragraphs have none this early.
  const colon = first.indexOf(':');
  if (colon < 1 || colon > LABEL_COLON_LIMIT) return undefined;
  const m = labelPattern().exec(first);
  if (!m) return undefined;
  const name = m[1]!;
  if (!looksLikeVoiceName(name)) return undefined;
  return { name, rest: first.slice(m[0].length) };
}

/** The label's paragraph with the label removed, or undefined when nothing remains. */
function withoutLabel(block: Block, rest: string): Block | undefined {
  if (block.kind !== 'p') return block;
  const content = [rest, ...block.content.slice(1)].filter((c) => typeof c !== 'string' || c.length > 0);
  if (content.length === 0 || (content.length === 1 && typeof content[0] === 'string' && !content[0].trim())) return undefined;
  return { ...block, content };
}

/** A chapter's blocks cut at speaker labels, before any judgement about whether they are voices. */
interface Candidate {
  /** Blocks before the first label (an unvoiced opening). */
  lead: Block[];
  sections: { voice: string; blocks: Block[]; words: number }[];
}

function cut(blocks: Block[], allowed?: ReadonlySet<string>): Candidate {
  const lead: Block[] = [];
  const sections: Candidate['sections'] = [];
  for (const block of blocks) {
    const label = voiceLabel(block);
    if (label && (!allowed || allowed.has(label.name))) {
      // A scene break just before a new voice adds nothing: the voice heading separates them.
      const prev = sections.length ? sections[sections.length - 1]!.blocks : lead;
      while (prev.length && prev[prev.length - 1]!.kind === 'break') prev.pop();
      const first = withoutLabel(block, label.rest);
      sections.push({ voice: label.name, blocks: first ? [first] : [], words: first ? blockWords(first) : 0 });
    } else if (sections.length) {
      const s = sections[sections.length - 1]!;
      s.blocks.push(block);
      s.words += blockWords(block);
    } else lead.push(block);
  }
  return { lead, sections };
}

/** True when the sections are narrators' turns rather than lines of a script: each holds some
 * text, and they are long on average or few (at most `fewCycles` rounds of the voices). */
function longEnough(c: Candidate, opts: VoiceOptions): boolean {
  if (c.sections.length === 0) return false;
  let total = 0;
  for (const s of c.sections) {
    if (s.words < opts.minSectionWords) return false;
    total += s.words;
  }
  const distinct = new Set(c.sections.map((s) => s.voice)).size;
  return total / c.sections.length >= opts.minMeanSectionWords || c.sections.length <= opts.fewCycles * distinct;
}

/** True when the voices come round in a fixed cycle (A B A B, A B C A B C). */
function cyclic(voices: string[]): boolean {
  const k = new Set(voices).size;
  for (let i = k; i < voices.length; i++) if (voices[i] !== voices[i % k]) return false;
  // The first cycle must not repeat a name (A A B is not a cycle of two).
  return new Set(voices.slice(0, k)).size === k;
}

/** The candidate when it passes the chapter-level tests, else undefined. */
function judge(blocks: Block[], opts: VoiceOptions): Candidate | undefined {
  // The labels alone turn most chapters down: words are counted only for those they pass.
  const voices: string[] = [];
  for (const block of blocks) {
    const label = voiceLabel(block);
    if (label) voices.push(label.name);
  }
  const distinct = new Set(voices).size;
  if (distinct < opts.minVoices || distinct > opts.maxVoices) return undefined;
  if (!cyclic(voices)) return undefined;
  const c = cut(blocks);
  return longEnough(c, opts) ? c : undefined;
}

function toSections(c: Candidate): Section[] {
  const out: Section[] = [];
  if (c.lead.length) out.push({ blocks: c.lead });
  for (const s of c.sections) out.push({ voice: s.voice, blocks: s.blocks });
  return out;
}

/**
 * Split one chapter's blocks into voice sections when they carry a voice pattern on their own:
 * 2–4 distinct speaker labels (short capitalised names, at paragraph starts) that come round in
 * a fixed cycle, every section substantial. Labels are removed from the text; blocks before the
 * first label become an unvoiced section. Otherwise returns `[{ blocks }]` unchanged.
 */
export function splitVoices(blocks: Block[], opts: VoiceOptions = defaultVoiceOptions()): Section[] {
  const c = judge(blocks, opts);
  return c ? toSections(c) : [{ blocks }];
}

/**
 * Find voice sections across a story. The pattern must hold for the story, not one chapter:
 * at least half of the chapters (and at least two, when there are several) split into voices on
 * their own, and together they use no more than `maxVoices` names, at least two of which recur
 * in more than one chapter. Then every chapter is cut at labels of those names (a chapter told
 * in one of the voices gets a single voiced section). Chapters that already have several
 * sections or a voice are left alone. Returns new chapters; the input is not changed.
 */
export function detectVoicesInChapters(chapters: Chapter[], opts: VoiceOptions = defaultVoiceOptions()): Chapter[] {
  const plain = (ch: Chapter) => ch.sections.length === 1 && ch.sections[0]!.voice === undefined;
  const judged = chapters.map((ch) => (plain(ch) ? judge(ch.sections[0]!.blocks, opts) : undefined));
  const voiced = judged.filter((c): c is Candidate => c !== undefined);
  if (voiced.length === 0) return chapters;
  if (chapters.length > 1 && (voiced.length < 2 || voiced.length * 2 < chapters.length)) return chapters;

  const chaptersPerName = new Map<string, number>();
  for (const c of voiced) for (const name of new Set(c.sections.map((s) => s.voice))) chaptersPerName.set(name, (chaptersPerName.get(name) ?? 0) + 1);
  if (chaptersPerName.size > opts.maxVoices) return chapters;
  if (voiced.length > 1 && [...chaptersPerName.values()].filter((n) => n > 1).length < opts.minVoices) return chapters;
  const names = new Set(chaptersPerName.keys());

  return chapters.map((ch, i) => {
    const own = judged[i];
    if (own) return { ...ch, sections: toSections(own) };
    if (!plain(ch)) return ch;
    const relaxed = cut(ch.sections[0]!.blocks, names);
    if (!longEnough(relaxed, opts)) return ch;
    return { ...ch, sections: toSections(relaxed) };
  });
}

/** The distinct voices of a story's chapters, in order of first appearance. */
export function storyVoices(chapters: Chapter[]): string[] {
  const seen = new Set<string>();
  for (const ch of chapters) for (const s of ch.sections) if (s.voice) seen.add(s.voice);
  return [...seen];
}
