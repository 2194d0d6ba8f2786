/**
 * A generated story of 1,000,000 words, split into volumes (`--split-words`): every volume a
 * valid book (EPUBCheck clean), series indices 1..n, and every word of the story in exactly one
 * volume, in order.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { markupText, openEpub } from '../helpers/epub.js';
import { describeMessages, epubcheck, requireEpubcheck } from '../helpers/epubcheck.js';

const CHAPTERS = 200;
const PARAGRAPHS = 50;
const WORDS = 100; // per paragraph: 200 × 50 × 100 = 1,000,000 words
const VOCABULARY = ['river', 'lantern', 'stone', 'quiet', 'harbour', 'winter', 'thread', 'salt', 'ember', 'gull', 'ridge', 'moss'];

/** Word `i` of the story: a vocabulary word and its position, so order and loss both show. */
const word = (i: number): string => `${VOCABULARY[i % VOCABULARY.length]}${i}`;

function generate(): string {
  const out = ['Title: Long Road', 'Author: Ann Vale', 'Fandom: Original Work', '', ''];
  let i = 0;
  for (let c = 1; c <= CHAPTERS; c++) {
    out.push(`Chapter ${c}`, '');
    for (let p = 0; p < PARAGRAPHS; p++) {
      const ws: string[] = [];
      for (let k = 0; k < WORDS; k++) ws.push(word(i++));
      out.push(`${ws.join(' ')}.`, '');
    }
  }
  return out.join('\n');
}

describe('a 1,000,000-word story split into volumes', function () {
  this.timeout(1_800_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'fic2epub-volumes-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('makes valid volumes, series 1..n, no word lost or repeated', async function () {
    await requireEpubcheck(this);
    const input = join(dir, 'long.txt');
    writeFileSync(input, generate());
    const r = await runCli(['build', input, '--out', join(dir, 'out'), '--json', '--cover', 'none', '--split-words', '300000']);
    expect(r.code, r.stderr).to.equal(0);
    const outputs = (JSON.parse(r.stdout) as { books: { output: string }[] }).books.map((b) => b.output);
    expect(outputs.length).to.equal(4); // 60 + 60 + 60 + 20 chapters of 5,000 words
    let next = 0;
    for (const [v, file] of outputs.entries()) {
      const check = await epubcheck(file);
      expect(check.errors + check.fatal + check.warnings, `${file}\n${describeMessages(check)}`).to.equal(0);
      const book = await openEpub(readFileSync(file));
      const opf = await book.text('OEBPS/content.opf');
      expect(opf).to.contain(`<dc:title id="dctitle">Long Road, Vol. ${v + 1}</dc:title>`);
      expect(opf).to.contain('<meta property="belongs-to-collection" id="series">Long Road</meta>');
      expect(opf).to.contain(`<meta refines="#series" property="group-position">${v + 1}</meta>`);
      expect(opf).to.contain(`<meta name="calibre:series_index" content="${v + 1}"/>`);
      expect(book.names).to.include.members(['OEBPS/title.xhtml', 'OEBPS/info.xhtml']);
      const chapterFiles = book.names.filter((n) => /\/c\d+\.xhtml$/.test(n)).sort();
      for (const name of chapterFiles) {
        const html = await book.text(name);
        const text = markupText(html.slice(html.indexOf('</h1>') + 5));
        for (const w of text.split(/[\s.]+/).filter(Boolean)) {
          expect(w, `${file} ${name}`).to.equal(word(next));
          next++;
        }
      }
    }
    expect(next).to.equal(CHAPTERS * PARAGRAPHS * WORDS);
  });
});
