/**
 * The Kindle target: the Send to Kindle checker (test/helpers/kindle.ts) finds each broken
 * rule, and finds none on every golden book built with --target kindle.
 */
import { expect } from 'chai';
import JSZip from 'jszip';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildEpub, readStoryBytes } from '../../src/index.js';
import { defaultOptions, type Options } from '../../src/options.js';
import { kindleLanguage } from '../../src/package/kindle.js';
import { kindleProblems, KINDLE_RULES, type KindleRule } from '../helpers/kindle.js';
import { fixture } from '../helpers/paths.js';

const root = fixture('golden');

async function goldenBook(name: string, extra: Partial<Options> = {}): Promise<Uint8Array> {
  const dir = join(root, name);
  const input = readdirSync(dir).find((f) => /^input\./.test(f))!;
  const own = existsSync(join(dir, 'options.json')) ? (JSON.parse(readFileSync(join(dir, 'options.json'), 'utf8')) as Partial<Options>) : {};
  const options: Options = { ...defaultOptions(), ...own, cover: 'none', ...extra };
  const read = await readStoryBytes(input, readFileSync(join(dir, input)), options);
  return (await buildEpub(read.story, options)).bytes;
}

/** A book with one file rewritten. */
async function rewrite(bytes: Uint8Array, edits: Record<string, (s: string) => string>, rename?: [string, string]): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  for (const [name, edit] of Object.entries(edits)) zip.file(name, edit(await zip.file(name)!.async('string')));
  if (rename) {
    zip.file(rename[1], await zip.file(rename[0])!.async('uint8array'));
    zip.remove(rename[0]);
  }
  return zip.generateAsync({ type: 'uint8array' });
}

describe('kindle target', function () {
  this.timeout(120_000);

  describe('every golden book built for Kindle passes every Send to Kindle rule', () => {
    for (const name of readdirSync(root).sort()) {
      it(name, async () => expect(await kindleProblems(await goldenBook(name, { target: 'kindle' }))).to.deep.equal([]));
    }
  });

  it('the language: listed ones kept, others the closest listed or English', () => {
    expect(kindleLanguage('pt-BR')).to.deep.equal({ language: 'pt-BR', replaced: false });
    expect(kindleLanguage('zh-Hant')).to.deep.equal({ language: 'zh-Hant', replaced: false });
    expect(kindleLanguage('no')).to.deep.equal({ language: 'nb', replaced: true });
    expect(kindleLanguage('uk')).to.deep.equal({ language: 'en', replaced: true });
  });

  describe('the checker finds each broken rule', () => {
    let good: Uint8Array;
    before(async () => (good = await goldenBook('ao3-flat', { target: 'kindle' })));
    const breakers: Record<KindleRule, (b: Uint8Array) => Promise<Uint8Array>> = {
      'xml-declaration': (b) => rewrite(b, { 'OEBPS/c001.xhtml': (s) => s.replace(/^<\?xml[^>]*>\n/, '') }),
      language: (b) => rewrite(b, { 'OEBPS/content.opf': (s) => s.replace(/<dc:language>[^<]*</, '<dc:language>ru<') }),
      'body-id-link': (b) => rewrite(b, { 'OEBPS/info.xhtml': (s) => s.replace('<body', '<body id="top"'), 'OEBPS/title.xhtml': (s) => s.replace('</section>', '<a href="info.xhtml#top">info</a></section>') }),
      'img-src': (b) => rewrite(b, { 'OEBPS/title.xhtml': (s) => s.replace('</section>', '<img alt=""/></section>') }),
      'ncx-order': (b) => rewrite(b, { 'OEBPS/toc.ncx': (s) => s.replace('<content src="c001.xhtml">', '<content src="c003.xhtml">') }),
      'file-names': (b) => rewrite(b, {}, ['OEBPS/style.css', 'OEBPS/my style.css']),
      size: async (b) => {
        const zip = await JSZip.loadAsync(b);
        zip.file('OEBPS/filler.bin', new Uint8Array(51 * 1024 * 1024), { compression: 'STORE' });
        return zip.generateAsync({ type: 'uint8array' });
      },
    };
    it('a good book has no problem', async () => expect(await kindleProblems(good)).to.deep.equal([]));
    for (const rule of KINDLE_RULES) {
      it(rule, async () => {
        const problems = await kindleProblems(await breakers[rule](good));
        expect(problems.map((p) => p.rule), JSON.stringify(problems)).to.include(rule);
      });
    }
  });

  it('a plain EPUB of a story in a language Amazon does not list breaks the language rule; the Kindle book does not', async () => {
    const plain = await goldenBook('markdown', { overrides: { language: 'uk' } });
    expect((await kindleProblems(plain)).map((p) => p.rule)).to.deep.equal(['language']);
    expect(await kindleProblems(await goldenBook('markdown', { overrides: { language: 'uk' }, target: 'kindle' }))).to.deep.equal([]);
  });
});
