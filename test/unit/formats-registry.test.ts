/** The registry: every fixture is read by the format it was written for, and the three book
 * formats (Gutenberg, Aozora, pixiv) claim no file of another format. */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { decode } from '../../src/read/decode.js';
import { detectFormat } from '../../src/read/detect.js';
import { FORMATS } from '../../src/read/formats/index.js';
import { fixture, haveSeeds, seedsDir } from '../helpers/paths.js';

const BOOK_FORMATS = new Set(['gutenberg', 'aozora', 'pixiv']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'expected' ? [] : files(p);
    return /\.(?:txt|html?|md|eml|mbox)$/i.test(f) ? [p] : [];
  });
}

/** The format a fixture was written for, from its folder: `fixtures/<format>/…` or a golden case's name. */
function intendedFormat(path: string): string | undefined {
  const parts = relative(fixture(), path).split('/');
  const folder = parts[0] === 'golden' ? parts[1]! : parts[0]!;
  return BOOK_FORMATS.has(folder) ? folder : undefined;
}

describe('format registry', () => {
  it('names every format once', () => {
    const names = FORMATS.map((f) => f.name);
    expect(new Set(names).size).to.equal(names.length);
    for (const n of BOOK_FORMATS) expect(names).to.include(n);
  });

  it('reads each book-format fixture with its own format, and no other fixture with one of them', () => {
    const seen: string[] = [];
    for (const path of files(fixture())) {
      const d = decode(readFileSync(path), path);
      const got = detectFormat({ path, text: d.text, encoding: d.encoding }).format.name;
      const want = intendedFormat(path);
      if (want) expect(got, relative(fixture(), path)).to.equal(want);
      else expect(BOOK_FORMATS.has(got), `${relative(fixture(), path)} read as ${got}`).to.equal(false);
      seen.push(got);
    }
    for (const n of BOOK_FORMATS) expect(seen, n).to.include(n);
  });

  it('leaves the HTML editions of Gutenberg and Aozora books to the HTML readers', () => {
    const PAGES = [
      '<!DOCTYPE html>\n<html><head><title>The Mill Road</title></head><body>\n<pre>\n*** START OF THE PROJECT GUTENBERG EBOOK THE MILL ROAD ***\n</pre>\n<p>The miller counted the sacks.</p>\n</body></html>\n',
      '<?xml version="1.0" encoding="Shift_JIS"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>\n<div class="main_text">本文。</div>\n底本：「題」出版社<br />\n</body></html>\n',
    ];
    for (const text of PAGES) {
      const got = detectFormat({ path: 'book.html', text, encoding: 'utf-8' }).format.name;
      expect(got, text.slice(0, 40)).to.match(/html/);
    }
  });

  it('claims none of the seed stories', function () {
    if (!haveSeeds() || !existsSync(seedsDir)) this.skip();
    for (const f of readdirSync(seedsDir).filter((n) => n.endsWith('.txt'))) {
      const path = join(seedsDir, f);
      const d = decode(readFileSync(path), path);
      expect(BOOK_FORMATS.has(detectFormat({ path, text: d.text, encoding: d.encoding }).format.name), f).to.equal(false);
    }
  });
});
