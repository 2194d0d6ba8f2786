/** The interface every source format implements; see `index.ts` for the registry. */
import type { Diagnostic } from '../../diagnostics.js';
import type { Story } from '../../model.js';
import type { Options } from '../../options.js';

/** A decoded input: its path (as given), its text (normalised to `\n` line ends, no BOM,
 * no characters XML forbids) and the encoding it was decoded from. */
export interface TextInput {
  path: string;
  text: string;
  encoding: string;
}

/** What a reader returns: the story as stated in the source, and what it guessed or dropped. */
export interface ReadResult {
  story: Story;
  diagnostics: Diagnostic[];
}

/** One source format. */
export interface Format {
  /** Short stable name shown by `inspect` and in `Source.format`. */
  name: string;
  /** One line saying what kind of file this reads. */
  description: string;
  /** How sure this format is that it can read the input, 0 (no) .. 1 (certain). Must be cheap
   * and linear: look at the start and end of the text, never parse the whole thing. */
  sniff(input: TextInput): number;
  /** Read the input into a Story. Throws `InputError` only when nothing can be built. */
  read(input: TextInput, options: Options): ReadResult;
}
