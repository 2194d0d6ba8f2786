/** The writers by target (a function, not a table: the writers import this module back). */
import { epubWriter } from './epub.js';
import { kindleWriter } from './kindle.js';
import { koboWriter } from './kobo.js';
import type { Target, Writer } from './writer.js';

/** The writer for a target. */
export function writerFor(target: Target): Writer {
  switch (target) {
    case 'epub':
      return epubWriter;
    case 'kobo':
      return koboWriter;
    case 'kindle':
      return kindleWriter;
    default:
      throw new Error(`no writer for target ${String(target)}`);
  }
}
