/**
 * Long stories as volumes (`--split-words N`, `--split-chapters N`): the chapters are cut into
 * runs, never inside a chapter, and each run becomes a story of its own that builds into a
 * whole book: "Title, Vol. 2" with its own cover and story information page, and a series
 * entry (the story's title, index n of the count) so a library shelves the volumes in order.
 */
import type { Block, Chapter, Story } from '../model.js';
import { blocksText, countWords, noteRefIds } from '../text.js';
import { wordsFor } from './locales.js';

/** Where volumes may end: after at most this many words, or chapters (either or both). */
export interface SplitLimits {
  words?: number;
  chapters?: number;
}

function chapterBlocks(c: Chapter): Block[] {
  return [...(c.summary ?? []), ...(c.notes ?? []), ...c.sections.flatMap((s) => s.blocks), ...(c.endNotes ?? [])];
}

function chapterWords(c: Chapter): number {
  return countWords(blocksText(c.sections.flatMap((s) => s.blocks)));
}

/**
 * The runs of chapters: a run ends before the chapter that would take it past the word limit
 * (a chapter longer than the limit is a volume of its own) or at the chapter limit.
 */
export function volumeRuns(chapters: Chapter[], limits: SplitLimits): Chapter[][] {
  const runs: Chapter[][] = [];
  let run: Chapter[] = [];
  let words = 0;
  for (const c of chapters) {
    const w = limits.words ? chapterWords(c) : 0;
    const full = run.length > 0 && ((limits.chapters !== undefined && run.length >= limits.chapters) || (limits.words !== undefined && words + w > limits.words));
    if (full) {
      runs.push(run);
      run = [];
      words = 0;
    }
    run.push(c);
    words += w;
  }
  if (run.length) runs.push(run);
  return runs;
}

/**
 * The volumes of a story (the story itself, alone, when it fits in one). Chapters without a
 * title keep the number they have in the whole story; text before the first chapter opens
 * volume 1, end marks and end notes close the last; each footnote goes with the volume that
 * first refers to it (unreferenced ones with the last).
 */
export function splitStory(story: Story, limits: SplitLimits): Story[] {
  if (!limits.words && !limits.chapters) return [story];
  const w = wordsFor(story.meta.language);
  const numbered = story.chapters.length > 1 ? story.chapters.map((c, i) => (c.title ? c : { ...c, title: w.chapter(i + 1) })) : story.chapters;
  const runs = volumeRuns(numbered, limits);
  if (runs.length <= 1) return [story];
  const title = story.meta.title ?? 'Untitled';
  const notes = story.footnotes ?? [];
  const home = new Map<string, number>();
  runs.forEach((run, v) => {
    for (const id of noteRefIds([...(v === 0 ? story.front : []), ...run.flatMap(chapterBlocks), ...(v === runs.length - 1 ? story.end : [])])) if (!home.has(id)) home.set(id, v);
  });
  const { series: ownSeries, statedWords: _stated, countedWords: _counted, endNotes, ...meta } = story.meta;
  return runs.map((chapters, v): Story => {
    const last = v === runs.length - 1;
    const volumeNotes = notes.filter((n) => (home.get(n.id) ?? runs.length - 1) === v);
    const text = [...(v === 0 ? story.front : []), ...chapters.flatMap((c) => c.sections.flatMap((s) => s.blocks)), ...(last ? story.end : [])];
    return {
      ...story,
      meta: {
        ...meta,
        title: `${title}, ${w.volume(v + 1)}`,
        series: { name: title, index: v + 1, total: runs.length },
        volume: v + 1,
        // The story's own series stays on its information page.
        extra: { ...meta.extra, ...(ownSeries ? { [w.series]: ownSeries.index !== undefined ? w.seriesPart(ownSeries.name, ownSeries.index, ownSeries.total) : ownSeries.name } : {}) },
        countedWords: countWords(blocksText(text)),
        ...(last && endNotes ? { endNotes } : {}),
      },
      front: v === 0 ? story.front : [],
      end: last ? story.end : [],
      chapters,
      ...(story.footnotes ? { footnotes: volumeNotes } : {}),
    };
  });
}
