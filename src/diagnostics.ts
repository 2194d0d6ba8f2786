/**
 * Diagnostics travel with the data; the library never prints. Every code is listed in
 * `DIAGNOSTIC_CODES` with a one-line meaning, and a test provokes each one.
 */

export type Severity = 'error' | 'warning' | 'info';

/** A recoverable problem or a guess worth telling the user about. */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** Input path the diagnostic is about, when known. */
  input?: string;
  /** 1-based line in the decoded input, when known. */
  line?: number;
}

/** Stable codes and their meanings. Add new codes at the end of their group. */
export const DIAGNOSTIC_CODES = {
  'read-001': 'The input is empty or holds no text.',
  'read-002': 'The input looks binary, not text.',
  'read-003': 'The input could not be read from disk.',
  'read-004': 'The encoding was guessed; check accented letters.',
  'read-005': 'Characters XML forbids (control characters, noncharacters, lone surrogates) were removed.',
  'read-006': 'No reader was confident about the format; the generic text reader was used.',
  'read-007': 'The input holds no story text.',
  'read-008': 'Active or unsafe HTML (scripts, frames, forms, event handlers, script URLs) was removed from the story text.',
  'read-009': 'The saved page holds only part of the story (one chapter of several).',
  'read-010': 'The file is a site\'s notice, bot check, login or error page saved in the story\'s place, not a story.',
  'read-011': 'The archive is damaged or unsafe (zip bomb, unsafe or duplicate entry names) and was not read.',
  'read-012': 'The EPUB is incomplete or its XML is unsafe (missing container or package document, DTD or entities) and was not read.',
  'read-013': 'The EPUB is DRM-protected and cannot be read.',
  'read-014': "The EPUB's maker was recognised; its own pages (title, contents, tags, log) were read as metadata, not story text.",
  'read-015': "Text the page's own stylesheet hides (anti-copying sentences) was left out.",
  'read-016': 'Navigation rows, archive footers or tool credits around the story were left out.',
  'meta-001': 'No title is stated; a placeholder title was used.',
  'meta-002': 'No author is stated; the book has no author (no dc:creator).',
  'meta-003': 'The stated word count differs a lot from the counted words.',
  'meta-004': 'A metadata value could not be understood and was kept as text.',
  'meta-005': 'The metadata file beside the story could not be read.',
  'meta-006': 'The language was not stated and was detected from the text.',
  'meta-007': 'No author field; the journal poster was taken as the author.',
  'meta-008': 'No author field; the sender of the mail or news post was taken as the author.',
  'meta-009': 'The YAML front matter could not be parsed and was ignored.',
  'meta-010': 'No title is stated; the title was taken from the file name.',
  'meta-011': "A name the page gives as its author is the page's generator, a tool credited in it, or the site; it was not taken as the author.",
  'meta-012': "The page's stated language does not fit the script of its text; the language was detected from the text.",
  'meta-013': 'No title field; a bare line above the author line was taken as the title.',
  'struct-001': 'Paragraph breaks were lost in the source and were reconstructed.',
  'struct-002': 'Voice sections were detected from alternating speaker labels.',
  'struct-003': 'Messages in the file that are not part of the story (replies, other posts) were left out.',
  'struct-004': "Author's notes inside the story text were set apart under a label.",
  'fid-001': 'Pictures were left out of the book; their alternative text was kept.',
  'fid-002': 'Styling an e-book does not carry (colours, fonts, sizes, positioning) was dropped.',
  'fid-003': 'Layout a simple table cannot hold (blocks or tables inside cells) was flattened to text.',
  'fid-004': 'Links to places in the saved page or site (not addresses a reader can follow) were kept as their text.',
  'fid-005': 'Footnote references whose note was not found were kept as their text.',
  'fid-006': 'Styling inside preformatted text was dropped (its characters and spacing kept).',
  'fid-007': 'Source markup or notation with no equivalent in the book was kept as text or dropped.',
  'fid-008': 'Embedded media (video, audio, interactive content) was left out.',
  'fid-009': 'Emphasis markers (*, _, //) with no closing mark were kept as text: a mark is missing, or italics ran over a paragraph break.',
  'build-001': 'A cover could not be rendered; the book has no cover.',
  'build-002': 'A file was already at the book\'s path and was kept; the book was written under the next free numbered name.',
  'build-003': 'Some chapters or parts of a story joined from several inputs are missing.',
  'build-004': 'Send to Kindle does not list the story\'s language; the book declares the closest listed language, or English.',
  'build-005': 'The book is over 50 MB, more than Send to Kindle takes by mail.',
  'build-006': 'AZW3 was asked for but calibre\'s ebook-convert is not installed (or failed); the EPUB was written.',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Make a warning diagnostic. */
export function warning(code: DiagnosticCode, message: string, input?: string, line?: number): Diagnostic {
  return { code, severity: 'warning', message, ...(input ? { input } : {}), ...(line ? { line } : {}) };
}

/** Make an informational diagnostic (shown by `inspect`, not counted as a warning). */
export function info(code: DiagnosticCode, message: string, input?: string, line?: number): Diagnostic {
  return { code, severity: 'info', message, ...(input ? { input } : {}), ...(line ? { line } : {}) };
}

/** An input that cannot be built at all. Thrown by readers, caught per input by the batch. */
export class InputError extends Error {
  constructor(
    readonly code: DiagnosticCode,
    message: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}
