/**
 * What a format reads: the input (decoded text or raw bytes) and the reading context it reads
 * in. Types only, so `format.ts` (what formats declare) and `context.ts` (making and closing
 * contexts) both build on it without importing each other.
 */
import type { Diagnostic, DiagnosticCode } from '../diagnostics.js';
import type { Footnote, Story } from '../model.js';
import type { Options } from '../options.js';
import type { LossCode, Losses } from './fidelity.js';
import type { ImageSink } from './images.js';
import type { ResolveResource } from './resources.js';

/** A decoded input: its path (as given), its text (normalised to `\n` line ends, no BOM,
 * no characters XML forbids) and the encoding it was decoded from. */
export interface TextInput {
  path: string;
  text: string;
  encoding: string;
}

/** An input as it came: for formats that are not text (an EPUB is a zip). */
export interface BytesInput {
  path: string;
  bytes: Uint8Array;
}

/** The reading context of one input (made and closed by `context.ts`). */
export interface ReadContext {
  /** The input's path as given (for messages and relative names). */
  readonly path: string;
  readonly options: Options;
  /** The bytes a path relative to the input names (the pictures it shows), or undefined. */
  readonly resolve: ResolveResource;
  /** What was said so far, in order. */
  readonly diagnostics: Diagnostic[];
  /** Say a warning about the input; `line` is 1-based in the decoded input, where known. */
  message(code: DiagnosticCode, text: string, line?: number): void;
  /** Say something worth knowing that is no problem (shown by `inspect`). */
  info(code: DiagnosticCode, text: string, line?: number): void;
  /** The fidelity tally: what could not be carried into the book as it was. */
  readonly losses: Losses;
  /** Count `n` losses of kind `code` (see `fidelity.ts`). */
  lose(code: LossCode, n?: number, example?: string): void;
  /** The story's footnotes, as readers find them. */
  readonly footnotes: Footnote[];
  /** With `options.images`: the pictures taken through `resolve`. */
  readonly images?: ImageSink;
  /** Read text the input holds (a saved text a converter made into a book) with the text
   * formats: the story, unfinished, when one of them claims it, or undefined. */
  readonly readAsText?: (text: string) => Story | undefined;
}
