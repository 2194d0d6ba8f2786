/** Mail, Markdown and hard-wrapped text, built end to end through the CLI and checked by EPUBCheck. */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOneValid } from '../helpers/built.js';
import { markupText } from '../helpers/epub.js';
import { requireEpubcheck } from '../helpers/epubcheck.js';
import { fixture } from '../helpers/paths.js';

interface Case {
  file: string;
  title: string;
  author: string;
  chapters: number;
  /** Strings that must appear in the story text. */
  present: string[];
  /** Mail or Markdown chrome that must appear nowhere in the book. */
  absent: string[];
}

const CASES: Case[] = [
  {
    file: fixture('mail', 'usenet-post.txt'),
    title: "The Keeper's Almanac",
    author: 'Wren Halloway',
    chapters: 1,
    present: ['Tobias had kept the light at Grey Ness for eleven winters before he noticed that the almanac was writing back.'],
    absent: ['Newsgroups', 'Message-ID', 'news.quill', 'wren@quill.example', 'Forte', '+----', 'The tide goes out'],
  },
  {
    file: fixture('mail', 'thread-digest.txt'),
    title: 'Salt Roads',
    author: 'Ines Marlow',
    chapters: 3,
    present: ['by any of them. From the top of the harbour wall', 'Nell watched it all the way in.'],
    absent: ['>From', 'Digest', 'Today’s Topics', "Today's Topics", 'mailing list', 'salt and paper', 'wrote:', 'Part two tomorrow', 'harbourfic'],
  },
  {
    file: fixture('golden', 'mail-mbox', 'input.txt'),
    title: 'Lock Keeper',
    author: 'Tamsin Weir',
    chapters: 2,
    present: ['you don’t argue with them, you wait.', 'was a second paper boat'],
    absent: ['Received', 'riverfic', 'Upstream! I love this', '=E2', 'Rivers know the way'],
  },
  {
    file: fixture('markdown', 'front-matter.md'),
    title: "The Cartographer's Apprentice",
    author: 'Sable Okonkwo-Reyes',
    chapters: 2,
    // The story's one link is external: it is kept as a link (the model has links now).
    present: ['She <strong>wanted</strong> to', 'every one of them was <em>slightly</em> different', 'it <a href="https://example.com/rivers" class="external">moved</a>.'],
    absent: ['&lt;br', '<br', 'originally posted', 'permalink', '"rivers"', '---'],
  },
  {
    file: fixture('golden', 'markdown', 'input.md'),
    title: 'Weatherglass',
    author: 'Orla Penhaligon',
    chapters: 1,
    present: ['it settled on <strong>Fair</strong>'],
    absent: ['<br', '&lt;', '&amp;mdash;', 'authors:'],
  },
  {
    file: fixture('golden', 'hard-wrapped-dialogue', 'input.txt'),
    title: 'The Rope Ledger',
    author: 'Corin Ashdown',
    chapters: 1,
    present: ['She slid the ledger across the table so that he could see the column she had marked with a thumbnail.'],
    absent: [],
  },
];

describe('text formats end to end (mail, Markdown, hard-wrapped)', function () {
  this.timeout(300000);
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'fic2epub-text-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  for (const c of CASES) {
    it(`builds ${c.file.split('/').slice(-2).join('/')} into a valid EPUB without chrome`, async function () {
      await requireEpubcheck(this);
      const { book, opf, chapterFiles, chapters, everything } = await buildOneValid(c.file, tmp);
      expect(opf).to.include(`>${c.title}</dc:title>`);
      expect(opf).to.include(`>${c.author}</dc:creator>`);
      expect(chapterFiles, book.names.join(', ')).to.have.length(c.chapters);
      for (const s of c.present) expect(chapters, s).to.include(s);
      // No hard line breaks survive inside paragraphs.
      for (const p of chapters.match(/<p>[\s\S]*?<\/p>/g) ?? []) expect(p).not.to.match(/\n/);
      for (const s of c.absent) {
        expect(everything, s).not.to.include(s);
        expect(markupText(everything), s).not.to.include(s);
      }
    });
  }
});
