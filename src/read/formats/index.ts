/**
 * The format registry: an explicit, ordered list. To add a format:
 *   1. write `src/read/formats/<name>.ts` exporting a `Format` (sniff + read);
 *   2. add it to FORMATS below (earlier entries win ties);
 *   3. add fixtures under `test/fixtures/<name>/` and golden tests.
 */
import { ao3Flat } from './ao3-flat.js';
import { journal } from './journal.js';
import { plainText } from './plain-text.js';
import { printPage } from './print-page.js';
import type { Format } from './types.js';

export const FORMATS: readonly Format[] = [ao3Flat, printPage, journal, plainText];
