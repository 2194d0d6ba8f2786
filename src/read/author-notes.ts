/**
 * Author's notes inside the story text ("A/N: thanks to my beta", "(Author's note: …)") are set
 * apart as labelled note blocks, in place, so a reader can tell them from the story and no word
 * moves. Site-independent, like voices: any reader's chapters go through `markAuthorNotes`.
 *
 * "A/N" and "Author's note" mark a note anywhere; the bare "Note:"/"Notes:" only at a chapter's
 * edges (its first two blocks or its last four), since mid-story a "Note:" is as often part of the tale
 * (a note left on a table); the end is the last block and the three before it. At a chapter's end, the paragraphs after a labelled note are the
 * note's too when there are at most three of them and none is a scene break (a picture after
 * the note, fan art the note introduces, is the note's).
 */
import type { Block, Chapter, Inline } from '../model.js';
import { inlineText } from '../text.js';

/** The label every detected note is shown under. */
export const AUTHOR_NOTE_LABEL = "Author's note";

// Labels that can only open an author's note; optional opening bracket, then a colon, dash or full stop.
const STRONG_LABEL = /^[([{]?\s*(?:(?:a\s*\/\s*n|author['’]?s?\s+notes?|authors['’]?\s+notes?|nota\s+de(?:l|\s+la)?\s+autor[a]?|anmerkung\s+de[rs]\s+autor(?:in)?|n\s*\/\s*a)\s*[:.\-–—)\]]|a\s*\/\s*n\s+(?=\p{Lu}))/iu;
// Labels that open a note only at a chapter's edge.
const EDGE_LABEL = /^[([{]?\s*(?:an|notes?|nota)\s*:\s*\S/i;

// What a label can start with (after leading space): a bracket, or the a/A or n/N of every label word.
const LABEL_FIRST = /^[([{aAnN]$/;

/** The first character of inline content's text (as `inlineText` writes it) that is not a space, found without writing the text. */
function firstNonSpace(content: Inline[]): string | undefined {
  for (const c of content) {
    const leaf = typeof c === 'string' ? c : c.kind === 'code' ? c.text : c.kind === 'ruby' ? c.base : c.kind === 'br' || c.kind === 'noteref' ? '' : undefined;
    const found = leaf === undefined ? firstNonSpace((c as { content: Inline[] }).content) : /\S/.exec(leaf)?.[0];
    if (found !== undefined) return found;
  }
  return undefined;
}

function isNoteStart(b: Block, atEdge: boolean): boolean {
  if (b.kind !== 'p') return false;
  // Most paragraphs start with no label's first character: their text is not joined to be tested.
  const first = firstNonSpace(b.content);
  if (first === undefined || !LABEL_FIRST.test(first)) return false;
  const text = inlineText(b.content).trimStart();
  return STRONG_LABEL.test(text) || (atEdge && EDGE_LABEL.test(text));
}

/** A chapter's blocks with author's notes wrapped as note blocks (a new array; blocks are shared). */
export function markAuthorNotes(blocks: Block[]): { blocks: Block[]; found: number } {
  const out: Block[] = [];
  let found = 0;
  const n = blocks.length;
  for (let i = 0; i < n; i++) {
    const b = blocks[i]!;
    const atEdge = i < 2 || n - i <= 4;
    if (!isNoteStart(b, atEdge)) {
      out.push(b);
      continue;
    }
    found++;
    const note: Block[] = [b];
    // The tail of a chapter after a note in its second half is the note's when it is short and
    // has no scene break.
    const tail = blocks.slice(i + 1);
    if (i > 0 && i >= n / 2 && tail.length <= 3 && tail.every((t) => t.kind === 'p' || t.kind === 'quote' || t.kind === 'list' || t.kind === 'figure')) {
      note.push(...tail);
      i = n;
    }
    out.push({ kind: 'note', label: AUTHOR_NOTE_LABEL, blocks: note });
  }
  return { blocks: out, found };
}

/** Every chapter section run through `markAuthorNotes`; returns new chapters and how many notes. */
export function markAuthorNotesInChapters(chapters: Chapter[]): { chapters: Chapter[]; found: number } {
  let found = 0;
  const next = chapters.map((c) => ({
    ...c,
    sections: c.sections.map((s) => {
      const r = markAuthorNotes(s.blocks);
      found += r.found;
      return r.found ? { ...s, blocks: r.blocks } : s;
    }),
  }));
  return { chapters: next, found };
}
