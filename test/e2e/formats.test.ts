/** Project Gutenberg, Aozora Bunko and pixiv texts, built end to end through the CLI and checked
 * by EPUBCheck: metadata, language, chapters, and none of the source's cruft in the book. */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOneValid } from '../helpers/built.js';
import { markupText } from '../helpers/epub.js';
import { requireEpubcheck } from '../helpers/epubcheck.js';
import { fixture } from '../helpers/paths.js';

interface Case {
  format: string;
  file: string[];
  title: string;
  author: string;
  language: string;
  chapters: number;
  /** Markup that must appear in the chapters. */
  present: string[];
  /** Cruft that must appear nowhere in the book. */
  absent: string[];
  /** Cruft that must not appear in the chapters (it may be kept as metadata). */
  absentFromChapters?: string[];
}

const CASES: Case[] = [
  {
    format: 'gutenberg',
    file: ['golden', 'gutenberg', 'input.txt'],
    title: 'The Lantern at Hollow Ford',
    author: 'Margaret Ellery Vance',
    language: 'en',
    chapters: 3,
    present: ['<h1 class="chapter-title">CHAPTER II. A Visitor in the Rain</h1>', 'somebody on the other bank can <em>see</em> it'],
    absent: ['Project Gutenberg', 'License', 'START OF', 'END OF', 'Transcribed by', 'Hollow Ford Volunteers', 'CONTENTS', 'WITH ILLUSTRATIONS', 'Section 1', '[Illustration', 'Credits'],
  },
  {
    format: 'aozora',
    file: ['golden', 'aozora', 'input.txt'],
    title: '星を数える子',
    author: '白石ゆう',
    language: 'ja',
    chapters: 2,
    present: ['<ruby>小夜<rp>(</rp><rt>さよ</rt><rp>)</rp></ruby>', '<em>数えきれないから星なのさ</em>', '<strong>どこにもなかった</strong>', '𠮷田'],
    absent: ['テキスト中に現れる記号', 'ルビの付く文字列', '入力者注', '入力：', '校正：', '青空文庫', 'ボランティア', '-----', '［＃', '《'],
    absentFromChapters: ['底本', '架空書房'],
  },
  {
    format: 'pixiv',
    file: ['golden', 'pixiv', 'input.txt'],
    title: '灯台守の夜',
    author: '水野しずく',
    language: 'ja',
    chapters: 3,
    present: ['<ruby>灯台守<rp>(</rp><rt>とうだいもり</rt><rp>)</rp></ruby>', 'href="https://example.org/lighthouses" class="external">こちらの記事</a>', '第二章　光'],
    absent: ['[newpage]', '[chapter:', '[[rb:', '[jump', 'pixivimage', 'jumpuri', 'ひかり'],
  },
];

describe('book formats end to end (Gutenberg, Aozora, pixiv)', function () {
  this.timeout(300000);
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'fic2epub-formats-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  for (const c of CASES) {
    it(`builds a ${c.format} text into a valid EPUB without its cruft`, async function () {
      await requireEpubcheck(this);
      const { book, opf, chapterFiles, chapters, everything } = await buildOneValid(fixture(...c.file), tmp);
      expect(opf).to.include(`>${c.title}</dc:title>`);
      expect(opf).to.include(`>${c.author}</dc:creator>`);
      expect(opf).to.include(`<dc:language>${c.language}</dc:language>`);
      expect(chapterFiles, book.names.join(', ')).to.have.length(c.chapters);
      for (const s of c.present) expect(chapters, s).to.include(s);
      for (const s of c.absentFromChapters ?? []) expect(markupText(chapters), s).not.to.include(s);
      for (const s of c.absent) {
        expect(everything, s).not.to.include(s);
        expect(markupText(everything), s).not.to.include(s);
      }
    });
  }
});
