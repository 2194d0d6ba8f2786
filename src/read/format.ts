/**
 * What a source format declares about itself, and the inputs it reads. The registry
 * (`formats/index.ts`) lists them; detection, decoding, the folder scan and the emphasis pass
 * obey the declarations, so a format is added by writing one and listing it.
 */
import type { Story } from '../model.js';
import type { BytesInput, ReadContext, TextInput } from './input.js';

export type { BytesInput, TextInput } from './input.js';

/** What every format declares, whatever it reads. */
interface FormatDeclaration {
  /** Short stable name shown by `inspect` and in `Source.format`. */
  name: string;
  /** One line saying what kind of file this reads. */
  description: string;
  /** File name endings this format reads, lower case with the dot (`.md`); a folder scan takes
   * exactly the files whose names end so in some format. */
  extensions: readonly string[];
  /** Whether plain-text inline markers (`*x*`, `_x_`, `//x//`) remain in the story's text to be
   * parsed by the emphasis pass; false when the format parses its own (Markdown) or has none. */
  inlineMarkers: boolean;
  /** Breaks ties between equal sniff scores: the higher wins. */
  precedence: number;
}

/** A format read from text: the pipeline decodes the bytes first. */
export interface TextFormat extends FormatDeclaration {
  input: 'text';
  /** How sure this format is that it can read the input, 0 (no) .. 1 (certain). Must be cheap
   * and linear: look at the start and end of the text, never parse the whole thing. */
  sniff(input: TextInput): number;
  /** Read the input into a Story; messages, losses and footnotes go to `ctx`. Throws
   * `InputError` only when nothing can be built. */
  read(input: TextInput, ctx: ReadContext): Story;
}

/** A format read from the raw bytes (never decoded as text). */
export interface BytesFormat extends FormatDeclaration {
  input: 'bytes';
  /** As `TextFormat.sniff`, on the bytes (a signature, an archive's first entry). */
  sniff(input: BytesInput): number;
  read(input: BytesInput, ctx: ReadContext): Story | Promise<Story>;
}

/** One source format. */
export type Format = TextFormat | BytesFormat;
