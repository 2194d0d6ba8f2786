/**
 * The document model: plain data, no methods, no imports. Readers produce it, transforms map
 * it to itself, renderers consume it. Every node has a `kind` discriminator.
 */

/** Inline content: plain text, or a styled, linked or otherwise marked run. */
export type Inline = string | Styled | Code | Link | LineBreak | Ruby | NoteRef;

/** How a styled run looks: `em` (italics), `strong` (bold), `strike` (struck through), `underline`,
 * `sub`/`sup` (sub- and superscript), `smallcaps`. */
export type StyleKind = 'em' | 'strong' | 'strike' | 'underline' | 'sub' | 'sup' | 'smallcaps';

/** A styled run around more inline content. */
export interface Styled {
  kind: StyleKind;
  content: Inline[];
}

/** Inline code or a literal (keyboard input, a file name): its text is never typeset. */
export interface Code {
  kind: 'code';
  text: string;
}

/** A link. `href` is kept only for addresses a reader can follow outside the book (http, https,
 * mailto); a link inside the page it came from keeps only its text. */
export interface Link {
  kind: 'link';
  href?: string;
  content: Inline[];
}

/** A line break inside a paragraph (letters, lyrics, addresses, chat logs). */
export interface LineBreak {
  kind: 'br';
}

/** Ruby annotation: `base` text with its reading `text` above it (`｜漢字《かんじ》`). */
export interface Ruby {
  kind: 'ruby';
  base: string;
  text: string;
}

/** A reference to the footnote `Story.footnotes[].id`; rendered as its number. */
export interface NoteRef {
  kind: 'noteref';
  id: string;
}

/** A paragraph of story text, centred (epigraph credits, signs) or right-aligned (letter
 * signatures, dates) when the source aligned it so. */
export interface Paragraph {
  kind: 'p';
  content: Inline[];
  align?: 'center' | 'right';
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

/** Verse or song lyrics, one stanza: line breaks are meaningful. */
export interface Verse {
  kind: 'verse';
  lines: Inline[][];
}

/** A list; each item is a run of blocks (a nested list is a block of its item). */
export interface List {
  kind: 'list';
  ordered: boolean;
  /** Number of the first item of an ordered list when it is not 1. */
  start?: number;
  items: Block[][];
}

/** A cell of a simple table. */
export interface TableCell {
  /** A header cell (`<th>`). */
  header: boolean;
  content: Inline[];
  colspan?: number;
  rowspan?: number;
}

/** A simple table: rows of cells holding inline content. */
export interface Table {
  kind: 'table';
  caption?: Inline[];
  rows: TableCell[][];
}

/** Preformatted text (chat logs, code, ASCII art): spacing and line ends kept, never typeset. */
export interface Preformatted {
  kind: 'pre';
  text: string;
}

/** An author's note inside the story text, kept apart from it under its label ("Author's note"). */
export interface AuthorNote {
  kind: 'note';
  label: string;
  blocks: Block[];
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
export type Block = Paragraph | SceneBreak | Heading | Quote | Verse | List | Table | Preformatted | AuthorNote | Figure;

/** A footnote: referenced from the text by `NoteRef`s with its `id`. */
export interface Footnote {
  /** The source's own name for the note ("1", "fn3", "note-a"); unique within the story. */
  id: string;
  blocks: Block[];
}

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
  /** Which piece of a story published in pieces this input holds (a chapter page's number, a
   * "Part 2/3" post), so pieces given in any order join in the stated order. */
  /** Which volume this is of a story cut into volumes (`--split-words`, `--split-chapters`). */
  volume?: number;
  installment?: { index: number; total?: number; unit: 'chapter' | 'part' };
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
  /** The input's own identifier when it states one (an input EPUB's unique `dc:identifier`). */
  identifier?: string;
  /** Its text marks emphasis with characters (`*word*`) though its format does not: a saved text
   * inside a book, read again by a text format that does. */
  inlineMarkers?: boolean;
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
  /** Footnotes, in the order the source gives them; each is shown in the chapter that first
   * refers to it (unreferenced ones after the last chapter). */
  footnotes?: Footnote[];
  /** The input's own cover picture (an input EPUB's), not among `images` unless the text shows it. */
  cover?: StoryImage;
}

/** Several stories bound into one book. */
export interface Anthology {
  title: string;
  editors: string[];
  description?: string;
  language?: string;
  stories: Story[];
}
