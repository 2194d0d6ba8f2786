/**
 * The format registry: every source format, each declaring its name, extensions, input kind,
 * whether inline markers remain and its precedence (see `../format.ts`). To add a format:
 *   1. write `src/read/formats/<name>.ts` (or a folder) exporting a `Format`;
 *   2. list it in FORMATS below;
 *   3. add a fixture folder `test/fixtures/golden/<name>/`.
 */
import type { Format } from '../format.js';
import { ao3Flat } from './ao3/flat.js';
import { ao3Html } from './ao3/html.js';
import { aozora } from './aozora.js';
import { ffnHtml } from './ffn-html.js';
import { genericHtml } from './generic-html.js';
import { gutenberg } from './gutenberg.js';
import { journalHtml } from './journal-html.js';
import { journal } from './journal.js';
import { mail } from './mail.js';
import { markdown } from './markdown/index.js';
import { pixiv } from './pixiv.js';
import { plainText } from './plain-text.js';
import { printPage } from './print-page.js';

// Precedence (ties go to the higher): HTML formats first (their sniffs are cheap string checks;
// jsdom loads only when one reads). Then the book formats (Gutenberg, Aozora, pixiv): each sniffs
// on markers no other kind of file carries (the START OF … PROJECT GUTENBERG line, Aozora's
// notation legend or 底本 colophon, pixiv's [newpage]/[chapter:]/[[rb:]] tags), and they rank
// above mail and the text formats because a Gutenberg header also holds Title:/Author:/Language:
// lines that journal scores, so a tie must go to the book format; they step aside (score 0) for
// HTML editions of the same books. Mail above the text formats (a post's header block is
// certain); markdown above journal, so that front matter with Title:/Author: keys goes to
// markdown on a tie.
export const FORMATS: readonly Format[] = [ao3Html, ffnHtml, journalHtml, genericHtml, ao3Flat, gutenberg, aozora, pixiv, mail, printPage, markdown, journal, plainText].sort(
  (a, b) => b.precedence - a.precedence,
);

/** Every file name ending some format reads (lower case, with the dot), sorted: what a folder
 * scan takes. */
export function storyExtensions(formats: readonly Format[] = FORMATS): string[] {
  return [...new Set(formats.flatMap((f) => f.extensions))].sort();
}
