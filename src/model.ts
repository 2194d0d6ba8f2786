/**
 * The document model: plain data, no methods, no imports. Readers produce it, transforms map
 * it to itself, renderers consume it. Every node has a `kind` discriminator.
 */

/** Inline content: plain text or emphasis around more inline content. */
export type Inline = string | Emphasis;

/** `<em>` (kind `em`) or `<strong>` (kind `strong`) around inline content. */
export interface Emphasis {
  kind: 'em' | 'strong';
  content: Inline[];
}

/** A paragraph of story text. `align: 'center'` for centred lines such as epigraph credits. */
export interface Paragraph {
  kind: 'p';
  content: Inline[];
  align?: 'center';
}

/** A scene break inside a chapter (rendered `<hr class="scene-break"/>`). */
export interface SceneBreak {
  kind: 'break';
}

/** A heading inside a chapter that is not the chapter's own title. */
export interface Heading {
  kind: 'heading';
  content: Inline[];
}

/** A block quotation (letters, epigraphs, quoted posts). */
export interface Quote {
  kind: 'quote';
  blocks: Block[];
}

/** Verse or song lyrics: line breaks are meaningful. */
export interface Verse {
  kind: 'verse';
  lines: Inline[][];
}

/** A picture the user allowed into the book (an image file beside a saved page). */
export interface Figure {
  kind: 'figure';
  /** File name of the picture in `Story.images` (content-addressed, e.g. `img-3fa2….png`). */
  image: string;
  /** Alternative text as the page gave it; '' for a decorative picture. */
  alt: string;
}

/** Any block of story text. */
export type Block = Paragraph | SceneBreak | Heading | Quote | Verse | Figure;

/** The bytes of a picture that goes into the book, named by its content. */
export interface StoryImage {
  name: string;
  mediaType: 'image/png' | 'image/jpeg' | 'image/gif';
  data: Uint8Array;
}

/** A run of a chapter in one voice ("Lex:" / "Clark:"), or the whole chapter when `voice` is unset. */
export interface Section {
  voice?: string;
  blocks: Block[];
}

/** A chapter (or part, day, epilogue). Most chapters hold exactly one section. */
export interface Chapter {
  title?: string;
  sections: Section[];
  /** The chapter's own summary and notes (AO3 chapters have them). */
  summary?: Block[];
  notes?: Block[];
  endNotes?: Block[];
}

/** Series membership: "Part 2/2" gives index 2, total 2. */
export interface Series {
  name: string;
  index?: number;
  total?: number;
}

/** Everything stated about a story. Nothing here is invented: unknown fields stay undefined/empty. */
export interface Meta {
  title?: string;
  authors: string[];
  fandoms: string[];
  relationships: string[];
  characters: string[];
  rating?: string;
  warnings: string[];
  category: string[];
  tags: string[];
  summary?: Block[];
  notes?: Block[];
  /** Author's notes that follow the story. */
  endNotes?: Block[];
  disclaimer?: string;
  /** ISO date (YYYY-MM-DD) the story was published or written. */
  published?: string;
  updated?: string;
  /** BCP 47 language tag. */
  language?: string;
  statedWords?: number;
  /** Words counted in the story text when it was read (not stated: derived, for the info page). */
  countedWords?: number;
  series?: Series;
  sourceUrl?: string;
  /** Fields we keep and show but do not model (Challenge, Based on, Beta …), in source order. */
  extra: Record<string, string>;
}

/** Where a story came from and how it was read. */
export interface Source {
  /** Path as given by the user. */
  path: string;
  /** Name of the reader that read it (`journal`, `ao3-flat` …). */
  format: string;
  /** Detector's confidence in that format, 0..1. */
  score: number;
  /** Character encoding the bytes were decoded from. */
  encoding: string;
}

/** One story, read. `front` holds text before the first chapter that is part of the story
 * (epigraphs); `end` holds end marks such as "The End". */
export interface Story {
  meta: Meta;
  front: Block[];
  chapters: Chapter[];
  end: Block[];
  source: Source;
  /** Pictures referenced by figure blocks (only when the user allowed images). */
  images?: StoryImage[];
}

/** Several stories bound into one book. */
export interface Anthology {
  title: string;
  editors: string[];
  description?: string;
  language?: string;
  stories: Story[];
}
