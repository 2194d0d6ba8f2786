/**
 * calibre reads what fic2epub writes: `ebook-meta` shows the library fields, and a calibre
 * library with fic2epub's custom columns (`calibredb add_custom_column`) fills them when the
 * book is added. Skips when calibre is not installed.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addCustomColumns, calibre, requireCalibre } from '../helpers/calibre.js';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';

describe('calibre reads the library metadata', function () {
  this.timeout(600_000);
  let dir: string;
  let book: string;

  before(async function () {
    await requireCalibre(this);
    dir = mkdtempSync(join(tmpdir(), 'fic2epub-calibre-'));
    const r = await runCli(['build', fixture('golden', 'ao3-flat', 'input.txt'), '--out', dir, '--json', '--cover', 'none']);
    expect(r.code, r.stderr).to.equal(0);
    book = (JSON.parse(r.stdout) as { books: { output: string }[] }).books[0]!.output;
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('ebook-meta shows fandoms, relationships, characters, freeform tags, rating, warnings, category, status, words, chapters and dates', async () => {
    const out = await calibre('ebook-meta', [book]);
    const field = (name: string): string | undefined => out.match(new RegExp(`^${name}\\s*: (.*)$`, 'm'))?.[1];
    expect(field('Fandoms')).to.equal('Harbour Lights (TV)');
    expect(field('Relationships')).to.equal('Mira Vance/Odile Sarr');
    expect(field('Characters')).to.equal('Mira Vance, Odile Sarr, Inspector Pell');
    expect(field('Freeform tags')).to.equal('Lighthouses, Storms, Alternating Points of View');
    expect(field('Rating')).to.equal('Teen And Up Audiences');
    expect(field('Warnings')).to.equal('No Archive Warnings Apply');
    expect(field('Category')).to.equal('F/F, Gen');
    expect(Number(field('Words'))).to.be.greaterThan(100);
    expect(field('Chapters')).to.equal('3');
    expect(field('Updated')).to.equal('2021-02-10');
    // The flat list stays for readers that know only that.
    expect(field('Tags')).to.contain('Harbour Lights (TV)').and.contain('Lighthouses');
  });

  it('ebook-meta shows the status a source states (FanFiction.Net: Complete)', async () => {
    const r = await runCli(['build', fixture('golden', 'ffn-html-page', 'input.html'), '--out', join(dir, 'ffn'), '--json', '--cover', 'none']);
    expect(r.code, r.stderr).to.equal(0);
    const out = await calibre('ebook-meta', [(JSON.parse(r.stdout) as { books: { output: string }[] }).books[0]!.output]);
    expect(out).to.match(/^Status\s*: Complete$/m);
  });

  it('calibredb add fills the matching custom columns of a library', async () => {
    const library = join(dir, 'library');
    await addCustomColumns(library);
    await calibre('calibredb', ['--library-path', library, 'add', book]);
    const json = await calibre('calibredb', ['--library-path', library, 'list', '--for-machine', '-f', '*fandoms,*relationships,*characters,*freeform,*ficrating,*warnings,*category,*status,*words,*chapters,*published,*updated']);
    const [row] = JSON.parse(json) as Record<string, unknown>[];
    expect(row).to.include({ '*ficrating': 'Teen And Up Audiences', '*chapters': 3 });
    expect(row!['*fandoms']).to.deep.equal(['Harbour Lights (TV)']);
    expect(row!['*relationships']).to.deep.equal(['Mira Vance/Odile Sarr']);
    expect([...(row!['*characters'] as string[])].sort()).to.deep.equal(['Inspector Pell', 'Mira Vance', 'Odile Sarr']);
    expect([...(row!['*freeform'] as string[])].sort()).to.deep.equal(['Alternating Points of View', 'Lighthouses', 'Storms']);
    expect(row!['*warnings']).to.deep.equal(['No Archive Warnings Apply']);
    expect([...(row!['*category'] as string[])].sort()).to.deep.equal(['F/F', 'Gen']);
    expect(row!['*words']).to.be.a('number').greaterThan(100);
    expect(String(row!['*published'])).to.match(/^2021-01-05/);
    expect(String(row!['*updated'])).to.match(/^2021-02-10/);
  });

  it('--format azw3 converts the Kindle book with ebook-convert, beside the EPUB', async function () {
    await requireCalibre(this, 'ebook-convert');
    const out = join(dir, 'azw3');
    const r = await runCli(['build', fixture('golden', 'markdown', 'input.md'), '--out', out, '--json', '--cover', 'none', '--format', 'azw3']);
    expect(r.code, r.stderr).to.equal(0);
    const epub = (JSON.parse(r.stdout) as { books: { output: string }[] }).books[0]!.output;
    const azw3 = epub.replace(/\.epub$/, '.azw3');
    expect(existsSync(azw3)).to.equal(true);
    expect(await calibre('ebook-meta', [azw3])).to.match(/^Title\s*: Weatherglass$/m);
  });
});
