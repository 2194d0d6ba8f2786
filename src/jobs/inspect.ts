/**
 * The inspect report as a whole job: what was read from one story (format and its scores,
 * encoding, metadata, outline, end matter, diagnostics) as plain data for any front end.
 */
import type { Diagnostic } from '../diagnostics.js';
import { readStory, readStoryBytes } from '../index.js';
import type { Meta, Story } from '../model.js';
import type { Options } from '../options.js';
import { blocksText, inlineText } from '../text.js';

/** One chapter in the outline. */
export interface OutlineChapter {
  title?: string;
  voices: string[];
  paragraphs: number;
  sceneBreaks: number;
}

/** What `inspect` reports. */
export interface InspectReport {
  input: string;
  format: string;
  score: number;
  scores: { name: string; score: number }[];
  encoding: string;
  meta: Omit<Meta, 'summary' | 'notes' | 'endNotes'> & { summary?: string; notes?: string; endNotes?: string };
  chapters: OutlineChapter[];
  end: string[];
  diagnostics: Diagnostic[];
}

/** A story's outline: each chapter's title, voices, paragraphs and scene breaks (inspect and the web app). */
export function outline(story: Story): OutlineChapter[] {
  return story.chapters.map((c) => {
    const blocks = c.sections.flatMap((s) => s.blocks);
    return {
      ...(c.title !== undefined ? { title: c.title } : {}),
      voices: c.sections.map((s) => s.voice).filter((v): v is string => !!v),
      paragraphs: blocks.filter((b) => b.kind === 'p').length,
      sceneBreaks: blocks.filter((b) => b.kind === 'break').length,
    };
  });
}

/** Inspect a story file, or bytes given with a name (standard input). Throws InputError when it cannot be read. */
export async function inspectStory(input: string | { name: string; bytes: Uint8Array }, options: Options): Promise<InspectReport> {
  const r = typeof input === 'string' ? await readStory(input, options) : await readStoryBytes(input.name, input.bytes, options);
  const m = r.story.meta;
  return {
    input: typeof input === 'string' ? input : input.name,
    format: r.detection.format.name,
    score: r.detection.score,
    scores: r.detection.scores,
    encoding: r.story.source.encoding,
    meta: { ...m, summary: m.summary ? blocksText(m.summary) : undefined, notes: m.notes ? blocksText(m.notes) : undefined, endNotes: m.endNotes ? blocksText(m.endNotes) : undefined },
    chapters: outline(r.story),
    end: r.story.end.map((b) => (b.kind === 'p' ? inlineText(b.content) : b.kind)),
    diagnostics: r.diagnostics,
  };
}
