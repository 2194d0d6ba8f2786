/**
 * What the robustness sweep (test/e2e/robust-sweep.test.ts) found, one test per fix: UTF-16
 * saved without a byte-order mark, Windows-1252 quotes inside UTF-8, pages nested 20,000 deep,
 * pages too large for Readability, and link addresses that are not valid URIs.
 */
import { expect } from 'chai';
import iconv from 'iconv-lite';
import { buildEpub, defaultOptions, readStoryBytes } from '../../src/index.js';
import { decode } from '../../src/read/decode.js';
import { MAX_TREE_DEPTH } from '../../src/read/html/dom.js';
import { parseHtmlPage } from '../../src/read/html/parse.js';
import { MAX_READABLE_ELEMENTS, readable } from '../../src/read/formats/web/readable.js';
import { renderInlines } from '../../src/render/xhtml.js';
import { openEpub } from '../helpers/epub.js';

const STORY = 'Title: Tide Clock\nAuthor: Ines Marr\n\nThe tide clock in the hall ran fast, so the house was always early for the sea.\n\n“It’s only a clock,” she said, and wound it anyway — twice, for luck. Café au lait, déjà vu.\n';
const PROSE = '<p>The lighthouse keeper counted the ships that passed in the night and wrote each one down in the log.</p>';

/** The deepest element under `node` (iteratively: the tree under test may be deep). */
function depthOf(node: { childNodes: ArrayLike<unknown> }): number {
  let deepest = 0;
  const stack: [{ childNodes: ArrayLike<unknown> }, number][] = [[node, 0]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    deepest = Math.max(deepest, d);
    for (const c of Array.from(n.childNodes) as { childNodes?: ArrayLike<unknown>; nodeType: number }[]) if (c.nodeType === 1) stack.push([c as { childNodes: ArrayLike<unknown> }, d + 1]);
  }
  return deepest;
}

describe('robustness fixes', () => {
  describe('UTF-16 without a byte-order mark', () => {
    for (const encoding of ['utf-16le', 'utf-16be'] as const) {
      it(`reads ${encoding} text (Latin and CJK) instead of calling it binary`, () => {
        const latin = decode(iconv.encode(STORY, encoding));
        expect(latin.text).to.equal(STORY);
        expect(latin.encoding).to.equal(encoding);
        expect(latin.diagnostics.map((d) => d.code)).to.deep.equal(['read-004']);
        const cjk = '標題：潮の時計\n作者：真理\n\n　潮の時計は、いつも少し進んでいた。\n　それでも彼女は、毎晩ねじを巻いた。\n';
        expect(decode(iconv.encode(cjk, encoding)).text).to.equal(cjk);
      });
    }
    it('still calls random bytes binary', () => {
      let x = 2463534242;
      const noise = new Uint8Array(4096).map(() => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x & 0xff));
      expect(() => decode(noise)).to.throw(/binary/);
    });
  });

  it('reads Windows-1252 quotes in a UTF-8 text as quotes, and its UTF-8 as UTF-8', () => {
    const utf8 = Buffer.from('Café au lait, déjà vu — “twice”. It', 'utf8');
    const bytes = Buffer.concat([utf8, Buffer.from([0x92]), Buffer.from('s only a clock, ', 'utf8'), Buffer.from([0x93]), Buffer.from('she said', 'utf8'), Buffer.from([0x94])]);
    const d = decode(bytes);
    expect(d.text).to.equal('Café au lait, déjà vu — “twice”. It’s only a clock, “she said”');
    expect(d.diagnostics.map((x) => x.message)).to.deep.equal(['not UTF-8 throughout; 3 stray bytes decoded as windows-1252']);
    // A text with more stray bytes than UTF-8 sequences is a legacy text: read whole as before.
    expect(decode(iconv.encode('“Zoë’s naïve café”, she said. ', 'windows-1252')).text).to.equal('“Zoë’s naïve café”, she said. ');
  });

  describe(`pages nested past ${MAX_TREE_DEPTH} elements`, () => {
    const deep = `<!DOCTYPE html><html><head><title>Deep</title></head><body>${'<div>'.repeat(20000)}${PROSE}${'</div>'.repeat(20000)}</body></html>`;
    const unclosed = `<!DOCTYPE html><html><head><title>Deep</title></head><body>${'<blockquote>'.repeat(20000)}${PROSE}</body></html>`;
    for (const [name, html] of [['20,000 nested <div>s', deep], ['20,000 unclosed <blockquote>s', unclosed]] as const) {
      it(`parses ${name} into a tree no deeper than the limit, text kept`, () => {
        const doc = parseHtmlPage(html).document;
        expect(depthOf(doc as unknown as { childNodes: ArrayLike<unknown> })).to.be.at.most(MAX_TREE_DEPTH + 2);
        expect(doc.body.textContent).to.contain('wrote each one down in the log');
      });
      it(`reads ${name} as a story`, async () => {
        const read = await readStoryBytes('deep.html', Buffer.from(html), { ...defaultOptions(), cover: 'none' });
        expect(JSON.stringify(read.story.chapters)).to.contain('wrote each one down in the log');
      });
    }
  });

  it(`leaves a page of more than ${MAX_READABLE_ELEMENTS} elements to the largest text block, not Readability`, async () => {
    const html = `<!DOCTYPE html><html><head><title>Crowd</title></head><body><div class="post">${PROSE.repeat(20)}</div>${'<div class="x"></div>'.repeat(MAX_READABLE_ELEMENTS)}</body></html>`;
    expect(readable(parseHtmlPage(html).document)).to.equal(undefined);
    const small = `<!DOCTYPE html><html><head><title>Crowd</title></head><body><div class="post">${PROSE.repeat(20)}</div>${'<div class="x"></div>'.repeat(50)}</body></html>`;
    expect(readable(parseHtmlPage(small).document)).not.to.equal(undefined);
    const read = await readStoryBytes('crowd.html', Buffer.from(html), { ...defaultOptions(), cover: 'none' });
    expect(JSON.stringify(read.story.chapters).match(/wrote each one down in the log/g)).to.have.length(20);
  });

  describe('link addresses that are not valid URIs', () => {
    const cases: [string, string][] = [
      ['https://example.com/a b<c|d^e[f]', 'https://example.com/a%20b%3Cc%7Cd%5Ee%5Bf%5D'],
      ['https://example.com/%zz', 'https://example.com/%25zz'],
      ['https://example.com/x#a#b', 'https://example.com/x#a%23b'],
      ['https://example.com/works/99001.&<', 'https://example.com/works/99001.&%3C'],
      ['https://example.com/caf%C3%A9?q=1&r=2#top', 'https://example.com/caf%C3%A9?q=1&r=2#top'],
    ];
    for (const [href, expected] of cases) {
      it(`writes ${JSON.stringify(href)} as ${expected}`, () => {
        expect(renderInlines([{ kind: 'link', href, content: ['here'] }]).xml).to.contain(`href="${expected.replace(/&/g, '&amp;')}"`);
      });
    }
    it('links a stated source address that is not a valid URI by its encoded form', async () => {
      const read = await readStoryBytes('s.txt', Buffer.from(STORY.replace('Author: Ines Marr', 'Author: Ines Marr\nSource: https://example.com/s/1 2<3')), { ...defaultOptions(), cover: 'none' });
      const book = await openEpub((await buildEpub(read.story, { ...defaultOptions(), cover: 'none' })).bytes);
      expect(await book.text('OEBPS/info.xhtml')).to.contain('href="https://example.com/s/1%202%3C3"');
    });
  });
});
