/**
 * Joining the pieces of one story (chapter pages, "Part 2/3" posts) read from several inputs
 * into one story, in their stated order whatever the order they were given in. Pieces join only
 * when they have the same identity (src/update/identity.ts) and compatible part markers, so two
 * stories that merely share a title stay apart.
 */
import { warning, type Diagnostic } from '../diagnostics.js';
import type { Block, Chapter, Inline, Story } from '../model.js';
import { hasInlines, withInlines } from '../text.js';
import { mapStory } from '../walk.js';
import { storyKey } from './identity.js';

/** A story read from one input. */
export interface JoinInput {
  input: string;
  story: Story;
  diagnostics: Diagnostic[];
}

/** One book's story: from one input, or joined from several. */
export interface Joined {
  inputs: string[];
  story: Story;
  diagnostics: Diagnostic[];
}

/** "4", "4 and 5", "1, 4 and 5". */
function listNumbers(ns: number[]): string {
  return ns.length === 1 ? String(ns[0]) : `${ns.slice(0, -1).join(', ')} and ${ns[ns.length - 1]}`;
}

const nonEmpty = (b: Block[] | undefined): b is Block[] => !!b && b.length > 0;

/** A piece's chapters with what the piece says around them kept: its summary and notes on its
 * first chapter, its end notes on its last, its opening and closing text inside them. */
function pieceChapters(s: Story, first: boolean): Chapter[] {
  const chapters = s.chapters.map((c) => ({ ...c, sections: [...c.sections] }));
  if (!chapters.length) return chapters;
  const head = chapters[0]!;
  const tail = chapters[chapters.length - 1]!;
  if (!first) {
    if (s.front.length) head.sections = [{ blocks: s.front }, ...head.sections];
    if (nonEmpty(s.meta.summary) && !head.summary) head.summary = s.meta.summary;
    if (nonEmpty(s.meta.notes)) head.notes = [...s.meta.notes, ...(head.notes ?? [])];
  }
  return chapters.map((c) => (c === tail && nonEmpty(s.meta.endNotes) ? { ...c, endNotes: [...(c.endNotes ?? []), ...s.meta.endNotes!] } : c));
}

/** The piece with its footnotes (and the references to them) renamed `prefix` + id. */
function renameFootnotes(s: Story, prefix: string): Story {
  const refs = (content: Inline[]): Inline[] =>
    content.map((i) => (typeof i === 'string' ? i : i.kind === 'noteref' ? { ...i, id: prefix + i.id } : hasInlines(i) ? withInlines(i, refs(i.content)) : i));
  const out = mapStory(s, { inlines: refs });
  return { ...out, footnotes: (out.footnotes ?? []).map((n) => ({ ...n, id: prefix + n.id })) };
}

/** The pieces of one story, ordered, as one story. */
function joinPieces(pieces: JoinInput[]): Joined {
  const ordered = [...pieces].sort((a, b) => a.story.meta.installment!.index - b.story.meta.installment!.index);
  // Each piece numbers its footnotes from 1: a later piece's that collide are renamed.
  const seen = new Set<string>();
  const sorted = ordered.map((p) => {
    const ids = (p.story.footnotes ?? []).map((n) => n.id);
    const story = ids.some((id) => seen.has(id)) ? renameFootnotes(p.story, `p${p.story.meta.installment!.index}-`) : p.story;
    for (const n of story.footnotes ?? []) seen.add(n.id);
    return { ...p, story };
  });
  const first = sorted[0]!.story;
  const last = sorted[sorted.length - 1]!.story;
  const dates = (k: 'published' | 'updated') => sorted.map((p) => p.story.meta[k]).filter((d): d is string => !!d).sort();
  const published = dates('published')[0];
  const updated = [...dates('updated'), ...dates('published')].sort().pop();
  const { installment: _installment, ...meta } = first.meta;
  const story: Story = {
    ...first,
    meta: {
      ...meta,
      // A part marker's series is the story itself, now whole.
      ...(meta.series && meta.series.name === meta.title && meta.series.total !== undefined ? { series: undefined } : {}),
      ...(published ? { published } : {}),
      ...(updated && updated !== published ? { updated } : {}),
      endNotes: last.meta.endNotes,
      // Stated counts are a piece's or the whole story's; neither is this book's.
      statedWords: undefined,
      countedWords: sorted.reduce((n, p) => n + (p.story.meta.countedWords ?? 0), 0) || undefined,
    },
    front: first.front,
    chapters: sorted.flatMap((p, i) => pieceChapters(p.story, i === 0)),
    end: last.end,
    images: [...new Map(sorted.flatMap((p) => p.story.images ?? []).map((img) => [img.name, img])).values()],
    footnotes: sorted.flatMap((p) => p.story.footnotes ?? []),
  };
  if (!story.meta.series) delete story.meta.series;
  if (!story.images!.length) delete story.images;
  if (!story.footnotes!.length) delete story.footnotes;
  if (story.meta.endNotes === undefined) delete story.meta.endNotes;
  if (story.meta.statedWords === undefined) delete story.meta.statedWords;
  if (story.meta.countedWords === undefined) delete story.meta.countedWords;
  // A piece's "this page holds one chapter of several" is answered by the join.
  const diagnostics = sorted.flatMap((p) => p.diagnostics.filter((d) => d.code !== 'read-009'));
  const unit = first.meta.installment!.unit;
  const total = Math.max(0, ...sorted.map((p) => p.story.meta.installment!.total ?? 0));
  const have = new Set(sorted.map((p) => p.story.meta.installment!.index));
  const top = Math.max(total, ...have);
  const missing = Array.from({ length: top }, (_, i) => i + 1).filter((n) => !have.has(n));
  if (missing.length) {
    const of = total ? ` of ${total}` : '';
    diagnostics.push(warning('build-003', `${unit === 'chapter' ? 'chapter' : 'part'}${missing.length > 1 ? 's' : ''} ${listNumbers(missing)}${of} ${missing.length > 1 ? 'are' : 'is'} missing`));
  }
  return { inputs: sorted.map((p) => p.input), story, diagnostics };
}

// Each piece's key is made once: a batch asks for every waiting piece's key as each new one comes
// (stories are not changed once read).
const pieceKeys = new WeakMap<Story, string>();
/** What pieces of one story share: its identity and the kind of its pieces (chapters or parts). */
export const pieceKey = (s: Story): string => {
  let key = pieceKeys.get(s);
  if (key === undefined) pieceKeys.set(s, (key = `${storyKey(s)}\n${s.meta.installment?.unit ?? ''}`));
  return key;
};

/**
 * The pieces that, with `last`, make its whole story (every number from 1 to the stated total,
 * each once), so their book need not wait for the rest of a batch; undefined while some are missing.
 */
export function wholeStory(pieces: JoinInput[], last: JoinInput): JoinInput[] | undefined {
  const total = last.story.meta.installment?.total;
  if (!total) return undefined;
  const group = pieces.filter((p) => pieceKey(p.story) === pieceKey(last.story) && (p.story.meta.installment!.total ?? total) === total);
  const have = new Set(group.map((p) => p.story.meta.installment!.index));
  if (have.size !== group.length) return undefined;
  for (let n = 1; n <= total; n++) if (!have.has(n)) return undefined;
  return group;
}

/**
 * Group stories into books: pieces of one story (same identity, each with a stated chapter or
 * part number, the same stated total or none) become one book; everything else stays one book
 * per input. Books come in the order of their first input.
 */
export function joinStories(items: JoinInput[]): Joined[] {
  const groups = new Map<string, JoinInput[]>();
  const out: (Joined | string)[] = [];
  for (const item of items) {
    const inst = item.story.meta.installment;
    if (!inst) {
      out.push({ inputs: [item.input], story: item.story, diagnostics: item.diagnostics });
      continue;
    }
    const key = pieceKey(item.story);
    // Pieces that state different totals are different stories, or different cuts of one.
    const match = [...groups.entries()].find(([k, g]) => k.startsWith(`${key}\n`) && g.every((p) => {
      const t = p.story.meta.installment!;
      return (t.total === undefined || inst.total === undefined || t.total === inst.total) && t.index !== inst.index;
    }));
    if (match) match[1].push(item);
    else {
      const k = `${key}\n${groups.size}`;
      groups.set(k, [item]);
      out.push(k);
    }
  }
  return out.map((o) => {
    if (typeof o !== 'string') return o;
    const g = groups.get(o)!;
    return g.length === 1 ? { inputs: [g[0]!.input], story: g[0]!.story, diagnostics: g[0]!.diagnostics } : joinPieces(g);
  });
}
