/** Every diagnostic code in the table has a test here that provokes it. */
import { expect } from 'chai';
import iconv from 'iconv-lite';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIAGNOSTIC_CODES, InputError, type DiagnosticCode } from '../../src/diagnostics.js';
import { buildEpub, joinStories, readStory, readStoryBytes } from '../../src/index.js';
import { defaultOptions } from '../../src/options.js';
import { runCli } from '../helpers/cli.js';
import { openArchive } from '../../src/read/archive.js';
import { epub2, xhtml } from '../helpers/make-epub.js';
import { rawZip } from '../helpers/raw-zip.js';

const story = 'Title: Tea\nAuthor: Ann\nRating: G\n\n' + 'She poured the tea and waited for the storm to pass over the harbour. '.repeat(12) + '\n';

/** A saved HTML page around `body`. */
const page = (body: string): string => `<!DOCTYPE html><html><head><title>Tea</title></head><body>${body}</body></html>`;

async function codesOf(text: string | Uint8Array, path = 'x.txt'): Promise<string[]> {
  try {
    const r = await readStoryBytes(path, typeof text === 'string' ? Buffer.from(text) : text);
    return r.diagnostics.map((d) => d.code);
  } catch (e) {
    if (e instanceof InputError) return [e.code];
    throw e;
  }
}

const PROVOKE: Record<DiagnosticCode, () => Promise<string[]>> = {
  'read-001': () => codesOf(''),
  'read-002': () => codesOf(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 8, 0, 1, 2])),
  'read-003': async () => {
    try {
      await readStory(join(tmpdir(), 'no-such-file-fic2epub.txt'));
      return [];
    } catch (e) {
      return [(e as InputError).code];
    }
  },
  'read-004': () => codesOf(iconv.encode(story.replace('Tea', 'Café “Tea”'), 'windows-1252')),
  'read-005': () => codesOf(story.replace('Tea', 'Te\u0007a')),
  'read-006': () => codesOf('Just one line of text, nothing else in it at all.'),
  'read-007': () => codesOf('Title: Tea\nAuthor: Ann\nRating: G\n'),
  'read-008': () => codesOf(`<!DOCTYPE html><html><head><title>Tea</title></head><body><p>She poured the tea.<script>fetch('http://example.invalid/')</script></p><p onclick="steal()">He waited.</p></body></html>`, 'x.html'),
  'read-009': () => codesOf(`<!DOCTYPE html><html><body><div id=profile_top><b class='xcontrast_txt'>Tea</b> <a href='/u/1/Ann'>Ann</a></div><select id=chap_select><option value=1 selected>1. One</option><option value=2>2. Two</option></select><div id=storytext><p>She poured the tea.</p></div></body></html>`, 'x.html'),
  'read-010': () => codesOf(page('<div id="main"><p class="caution">This work could have adult content. If you continue, you have agreed that you are willing to see such content.</p><ul><li><a href="/works/7?view_adult=true">Yes, Continue</a></li></ul></div>'), 'x.html'),
  'read-011': async () => {
    try {
      await openArchive(Buffer.from('PK\u0003\u0004 and nothing after'));
      return [];
    } catch (e) {
      return [(e as InputError).code];
    }
  },
  'read-012': () => codesOf(rawZip([{ name: 'mimetype', data: 'application/epub+zip', store: true }, { name: 'OEBPS/a.xhtml', data: '<p>Tea.</p>' }]), 'x.epub'),
  'read-013': () => codesOf(rawZip([{ name: 'mimetype', data: 'application/epub+zip', store: true }, { name: 'META-INF/rights.xml', data: '<rights/>' }]), 'x.epub'),
  'read-014': () => codesOf(epub2('<dc:title>Tea</dc:title><dc:contributor>FanFicFare [https://github.com/JimmXinu/FanFicFare]</dc:contributor>', [['title_page.xhtml', xhtml('Tea', '<h3>Tea by Ann</h3><div><b>Rating:</b> G<br/></div>', 'fff_titlepage')], ['file0001.xhtml', xhtml('One', `<h3>One</h3><p>${'She poured the tea. '.repeat(10)}</p>`, 'fff_chapter')]]), 'x.epub'),
  'read-015': () => codesOf(`<!DOCTYPE html><html><head><title>Tea</title><style>.zq{display:none}</style></head><body><p>She poured the tea.</p><p class="zq">Stolen from another site.</p><p>He waited.</p></body></html>`, 'x.html'),
  'read-016': () => codesOf(page('<p>She poured the tea and waited.</p><p>He waited for the storm to pass.</p><p><a href="/1">Previous</a> | <a href="/3">Next Chapter</a></p>'), 'x.html'),
  'meta-001': () => codesOf('Author: Ann\nRating: G\n\nSome text here.\n'),
  'meta-002': () => codesOf('Title: Tea\nRating: G\n\nSome text here.\n'),
  'meta-003': () => codesOf('Title: Tea\nAuthor: Ann\nWord Count: 5000\n\nSome text here.\n'),
  'meta-004': () => codesOf('Title: Tea\nAuthor: Ann\nWord Count: lots\n\nSome text here.\n'),
  'meta-005': async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fic2epub-diag-'));
    try {
      writeFileSync(join(dir, 's.txt'), story);
      writeFileSync(join(dir, 's.meta.yaml'), 'titel: typo\n');
      await readStory(join(dir, 's.txt'));
      return [];
    } catch (e) {
      return [(e as InputError).code];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  'meta-006': () => codesOf(story),
  'meta-007': () => codesOf('Ann Bell (annbell) wrote,\nAnn Bell\n\nTitle: Tea\nRating: G\n\nSome text here.\n'),
  'meta-008': () => codesOf('From: "Ann Bell" <ann@example.org>\nSubject: FIC: Tea\nDate: Sat, 3 Mar 2001 10:00:00 -0500\n\nShe poured the tea and waited for the storm.\n', 'x.txt'),
  'meta-011': () => codesOf(`<!DOCTYPE html><html><head><title>Tea</title><meta name="generator" content="PagePacker 2"><meta name="author" content="PagePacker"></head><body><p>She poured the tea and waited for the storm.</p></body></html>`, 'x.html'),
  'meta-012': () => codesOf(`<!DOCTYPE html><html lang="en"><head><title>茶</title></head><body><p>${'她倒了一杯茶，等着暴风雨从港口上空过去。'.repeat(4)}</p></body></html>`, 'x.html'),
  'meta-013': () => codesOf(`灯下的信\n作者：白鹭\n\n第一章 信\n　　${'他把信放在灯下，等着潮水退去。'.repeat(5)}\n第二章 灯\n　　${'灯亮了一整夜。'.repeat(5)}\n第三章 潮\n　　潮水来了。\n`),
  'meta-009': () => codesOf('---\ntitle: [Tea\nauthor: Ann\n---\n\nShe poured the tea and waited for the storm.\n', 'x.md'),
  'meta-010': () => codesOf('Author: Ann\nRating: G\n\nSome text here.\n', 'couch.txt'),
  'struct-001': () => codesOf(`Posted originally on the Archive of Our Own at https://archiveofourown.org/works/1. Rating: General Audiences Archive Warning: No Archive Warnings Apply Fandom: Original Work Stats: Published: 2020-01-01 Words: 40 ****** Tea ****** by Ann ${'She poured.\u00a0 She waited. '.repeat(4)}Please drop by the archive and comment to let the author know if you enjoyed their work!`),
  'struct-002': () => codesOf(`Title: Tea\nAuthor: Ann\nRating: G\n\nChapter 1\n\nAda: ${'I poured the tea. '.repeat(10)}\n\n${'More of my tea. '.repeat(10)}\n\nWren: ${'She poured the tea. '.repeat(10)}\n\nChapter 2\n\nAda: ${'I waited. '.repeat(10)}\n\nWren: ${'She waited. '.repeat(10)}\n`),
  'struct-003': () => codesOf('From: Ann Bell <ann@example.org>\nSubject: FIC: Tea\nDate: Sat, 3 Mar 2001 10:00:00 -0500\n\nShe poured the tea and waited for the storm.\n\nFrom: Bo <bo@example.org>\nSubject: Re: FIC: Tea\nDate: Sun, 4 Mar 2001 10:00:00 -0500\nMessage-ID: <2@example.org>\n\nAnn Bell <ann@example.org> wrote:\n> She poured the tea.\n\nLovely!\n', 'x.txt'),
  'struct-004': () => codesOf(`Title: Tea\nAuthor: Ann\nRating: G\n\n${'She poured the tea and waited for the storm to pass. '.repeat(8)}\n\n(A/N: the storm is a real one.)\n\n${'He waited. '.repeat(20)}\n\n${'She waited. '.repeat(20)}\n\n${'They waited. '.repeat(20)}\n\n${'It passed. '.repeat(20)}\n`),
  'fid-001': () => codesOf(page('<p>She poured the tea.</p><p><img src="storm.png" alt="the storm over the harbour"></p><p>He waited.</p>'), 'x.html'),
  'fid-002': () => codesOf(page('<p><span style="color: red; font-family: Papyrus">She poured</span> the tea.</p><p>He waited.</p>'), 'x.html'),
  'fid-003': () => codesOf(page('<p>She poured the tea.</p><table><tr><td><p>One cup.</p><table><tr><td>Two.</td></tr></table></td></tr></table><p>He waited.</p>'), 'x.html'),
  'fid-004': () => codesOf(page('<p>She poured the <a href="/works/12/chapters/3">tea</a>.</p><p>He waited.</p>'), 'x.html'),
  'fid-005': () => codesOf(page('<p>She poured the tea.<sup><a href="#footnote9">9</a></sup></p><p>He waited.</p>'), 'x.html'),
  'fid-006': () => codesOf(page('<p>She poured the tea.</p><pre>tea:  <b>hot</b>\ncups: 2</pre><p>He waited.</p>'), 'x.html'),
  'fid-007': () => codesOf(`[chapter:Tea]\n${'She poured the tea and waited for the storm to pass. '.repeat(8)}\n[jump:1]\n[newpage]\n[chapter:Storm]\nHe waited.\n`, 'x.txt'),
  'fid-008': () => codesOf(page('<p>She poured the tea.</p><video src="storm.mp4">A storm.</video><p>He waited.</p>'), 'x.html'),
  'fid-009': () => codesOf(story.replace('She poured', 'She *sighed and poured'), 'x.txt'),
  'build-001': async () => {
    const r = await readStoryBytes('x.txt', Buffer.from(story));
    // A cover template that does not exist: the book is still built, without a cover.
    const built = await buildEpub(r.story, { ...defaultOptions(), coverTheme: 'no-such-theme' });
    expect(built.plan.cover).to.equal(undefined);
    return built.diagnostics.map((d) => d.code);
  },
  'build-002': async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fic2epub-diag-'));
    try {
      writeFileSync(join(dir, 's.txt'), story);
      const args = ['build', join(dir, 's.txt'), '--out', join(dir, 'o'), '--cover', 'none', '--json'];
      // A file that is not this story's book is in the way.
      mkdirSync(join(dir, 'o'));
      writeFileSync(join(dir, 'o', 'Ann - Tea.epub'), 'not a book');
      const second = JSON.parse((await runCli(args)).stdout) as { books: { warnings: { code: string }[] }[] };
      return second.books.flatMap((b) => b.warnings.map((w) => w.code));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  'build-003': async () => {
    const part = async (n: number) => ({ input: `p${n}.txt`, ...(await readStoryBytes(`p${n}.txt`, Buffer.from(`Title: Tea (Part ${n}/3)\nAuthor: Ann\n\n${'She poured the tea and waited for the storm. '.repeat(8)}\n`))) });
    return joinStories([await part(3), await part(1)]).flatMap((j) => j.diagnostics.map((d) => d.code));
  },
  'build-004': async () => {
    const r = await readStoryBytes('x.txt', Buffer.from(story));
    // Send to Kindle does not list Ukrainian: the Kindle book declares English instead.
    const built = await buildEpub({ ...r.story, meta: { ...r.story.meta, language: 'uk' } }, { ...defaultOptions(), cover: 'none', target: 'kindle' });
    expect(built.plan.meta.language).to.equal('uk');
    return built.diagnostics.map((d) => d.code);
  },
  'build-005': async () => {
    const { kindleWriter, KINDLE_MAIL_LIMIT } = await import('../../src/package/kindle.js');
    return kindleWriter.checkBytes!(new Uint8Array(KINDLE_MAIL_LIMIT + 1)).map((d) => d.code);
  },
  'build-006': async () => {
    const { convertToAzw3 } = await import('../../src/package/azw3.js');
    return (await convertToAzw3('x.epub', 'x.azw3', join(tmpdir(), 'no-such-ebook-convert'))).map((d) => d.code);
  },
};

describe('diagnostic codes', () => {
  it('has a one-line meaning for every code', () => {
    for (const [code, meaning] of Object.entries(DIAGNOSTIC_CODES)) {
      expect(code).to.match(/^(read|meta|struct|fid|build)-\d{3}$/);
      expect(meaning).to.match(/^[^\n]+\.$/);
    }
  });
  for (const code of Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[]) {
    it(`${code} is provoked by its case`, async () => {
      expect(PROVOKE[code], `no provoking case for ${code}`).to.be.a('function');
      expect(await PROVOKE[code]()).to.include(code);
    });
  }
});
