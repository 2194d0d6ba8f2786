/**
 * The format registry: an explicit, ordered list. To add a format:
 *   1. write `src/read/formats/<name>.ts` exporting a `Format` (sniff + read);
 *   2. add it to FORMATS below (earlier entries win ties);
 *   3. add fixtures under `test/fixtures/<name>/` and golden tests.
 */
import { ao3Flat } from './ao3-flat.js';
import { ao3Html } from './ao3-html.js';
import { aozora } from './aozora.js';
import { cjkNovel } from './cjk-novel.js';
import { efiction } from './efiction.js';
import { ffnHtml } from './ffn-html.js';
import { genericHtml } from './generic-html.js';
import { gutenberg } from './gutenberg.js';
import { journalHtml } from './journal-html.js';
import { journal } from './journal.js';
import { mail } from './mail.js';
import { markdown } from './markdown.js';
import { pixiv } from './pixiv.js';
import { plainText } from './plain-text.js';
import { printPage } from './print-page.js';
import type { Format } from './types.js';
import { webFiction } from './web-fiction.js';
import { xenforo } from './xenforo.js';

// HTML formats first (their sniffs are cheap string checks; jsdom loads only when one reads).
// Then the book formats (Gutenberg, Aozora, pixiv): each sniffs on markers no other kind of file
// carries (the START OF … PROJECT GUTENBERG line, Aozora's notation legend or 底本 colophon,
// pixiv's [newpage]/[chapter:]/[[rb:]] tags), and they sit before mail and the text formats
// because a Gutenberg header also holds Title:/Author:/Language: lines that journal scores, so a
// tie must go to the book format; they step aside (score 0) for HTML editions of the same books.
// Mail before the text formats (a post's header block is certain); markdown before journal, so
// that front matter with Title:/Author: keys goes to markdown on a tie.
export const FORMATS: readonly Format[] = [ao3Html, ffnHtml, journalHtml, webFiction, xenforo, efiction, genericHtml, ao3Flat, gutenberg, aozora, pixiv, cjkNovel, mail, printPage, markdown, journal, plainText];
