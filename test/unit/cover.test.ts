import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { expect } from 'chai';
import { JSDOM } from 'jsdom';
import { PNG } from 'pngjs';
import {
  oneLine, COVER_PALETTES, coverPalette, coverSvg, escapeXml, estimateWidth, joinAuthors, coverFontFiles, wrapText, coverLayout,
} from '../../src/render/cover.js';
import { coverBands, coverPainter, coverRenderer, groundSvg, renderCover } from '../../src/render/cover-draw.js';
import { findAssetDir } from '../../src/assets.js';
import type { CoverOptions, CoverSpec } from '../../src/render/cover.js';
import { coverFontsFor, type CoverFonts } from '../../src/render/cover-fonts.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, which must come first. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(new TextDecoder().decode(png.subarray(12, 16))).to.equal('IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** The top-left pixel as #rrggbb: every PNG filter leaves the first pixel of the first row as is. */
function firstPixel(png: Uint8Array): string {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const idat: Uint8Array[] = [];
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    const type = new TextDecoder().decode(png.subarray(at + 4, at + 8));
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  return '#' + Array.from(raw.subarray(1, 4), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Parse as XML (throws when not well-formed) and return the text of elements of a class. */
function linesOf(svg: string, cls: string): string[] {
  const doc = new JSDOM(svg, { contentType: 'image/svg+xml' }).window.document;
  return Array.from(doc.getElementsByClassName(cls), (e) => e.textContent ?? '');
}

const SPEC: CoverSpec = { title: 'The Weight of Small Things', authors: ['Marginalia'], subtitle: 'Smallville', series: 'One Step Behind, part 2' };
const SMALL = { width: 160, height: 256 };

describe('cover', () => {
  describe('escapeXml', () => {
    it('escapes the five XML specials', () => {
      expect(escapeXml(`<script>&"'`)).to.equal('&lt;script&gt;&amp;&quot;&apos;');
    });
    it('drops characters XML forbids and keeps other text', () => {
      expect(escapeXml('a\u0000b\u0007c\uFFFEd\uD800e')).to.equal('abcde');
      expect(escapeXml('Über — Ελληνικά 😀\tok')).to.equal('Über — Ελληνικά 😀\tok');
    });
    it('escapes an ampersand even when it starts an entity (input is text, not markup)', () => {
      expect(escapeXml('&amp;')).to.equal('&amp;amp;');
    });
  });

  describe('oneLine and joinAuthors', () => {
    it('collapses whitespace and trims', () => {
      expect(oneLine('  a\n\tb   c \u0001')).to.equal('a b c');
    });
    it('joins names with commas and an ampersand, skipping empty names', () => {
      expect(joinAuthors([])).to.equal('');
      expect(joinAuthors(['A'])).to.equal('A');
      expect(joinAuthors(['A', ' ', 'B'])).to.equal('A & B');
      expect(joinAuthors(['A', 'B', 'C'])).to.equal('A, B & C');
    });
  });

  describe('wrapText', () => {
    const m = { fontSize: 100, width: 1000 };
    it('wraps greedily so every line fits', () => {
      const w = wrapText('the quick brown fox jumps over the lazy dog again and again', m);
      expect(w.lines.length).to.be.greaterThan(1);
      expect(w.truncated).to.equal(false);
      for (const line of w.lines) expect(estimateWidth(line, 100)).to.be.at.most(1000);
      expect(w.lines.join(' ')).to.equal('the quick brown fox jumps over the lazy dog again and again');
    });
    it('truncates with an ellipsis after maxLines', () => {
      const w = wrapText('word '.repeat(200), m, 3);
      expect(w.lines).to.have.length(3);
      expect(w.truncated).to.equal(true);
      expect(w.lines[2]!.endsWith('\u2026')).to.equal(true);
      expect(estimateWidth(w.lines[2]!, 100)).to.be.at.most(1000);
    });
    it('splits a word wider than the line', () => {
      const w = wrapText('x'.repeat(100), m);
      expect(w.splitWord).to.equal(true);
      expect(w.lines.join('')).to.equal('x'.repeat(100));
    });
    it('gives no lines for empty text', () => {
      expect(wrapText('   ', m).lines).to.deep.equal([]);
    });
  });

  describe('coverPalette', () => {
    it('is deterministic', () => {
      expect(coverPalette('Some Title')).to.deep.equal(coverPalette('Some Title'));
    });
    it('spreads titles over several palettes', () => {
      const used = new Set(Array.from({ length: 30 }, (_, i) => coverPalette(`Story number ${i}`).name));
      expect(used.size).to.be.at.least(4);
    });
  });

  describe('findAssetDir', () => {
    it('finds covers/ with the default template', () => {
      expect(existsSync(join(findAssetDir('covers'), 'default.svg'))).to.equal(true);
    });
    it('throws for a folder that does not exist', () => {
      expect(() => findAssetDir('no-such-folder-here')).to.throw(/no-such-folder-here/);
    });
  });

  describe('coverSvg', () => {
    it('fills every placeholder and is well-formed XML with the text in place', () => {
      const svg = coverSvg(SPEC);
      expect(svg).not.to.contain('{{');
      expect(svg).to.contain('width="1200" height="1920"');
      expect(linesOf(svg, 'title-line').join(' ')).to.equal('The Weight of Small Things');
      expect(linesOf(svg, 'author-line')).to.deep.equal(['Marginalia']);
      expect(linesOf(svg, 'subtitle-line')).to.deep.equal(['Smallville']);
      expect(linesOf(svg, 'series-line')).to.deep.equal(['ONE STEP BEHIND, PART 2']);
      expect(svg).to.contain(coverPalette(SPEC.title).background);
    });
    it('escapes markup in every field', () => {
      const evil = `<script>&"'`;
      const svg = coverSvg({ title: evil, authors: [evil], subtitle: evil, series: evil });
      expect(svg).not.to.contain('<script');
      expect(svg).to.contain('&lt;script&gt;&amp;&quot;&apos;');
      expect(linesOf(svg, 'title-line')).to.deep.equal([evil]);
      expect(linesOf(svg, 'author-line')).to.deep.equal([evil]);
    });
    it('truncates a 2,000-character title with an ellipsis', () => {
      const title = 'Lorem ipsum dolor sit amet '.repeat(80).slice(0, 2000);
      const lines = linesOf(coverSvg({ title, authors: ['A'] }), 'title-line');
      expect(lines.length).to.be.within(2, 10);
      expect(lines[lines.length - 1]!.endsWith('\u2026')).to.equal(true);
    });
    it('shrinks long titles and keeps short ones large', () => {
      const size = (svg: string): number => Number(/id="title"[^>]*font-size="(\d+)"/.exec(svg)![1]);
      expect(size(coverSvg({ title: 'Home', authors: [] }))).to.be.greaterThan(
        size(coverSvg({ title: 'A Rather Longer Title That Needs Several Lines to Fit on the Page', authors: [] })),
      );
    });
    it('leaves out empty fields', () => {
      const svg = coverSvg({ title: 'T', authors: [] });
      expect(linesOf(svg, 'author-line')).to.deep.equal([]);
      expect(linesOf(svg, 'series-line')).to.deep.equal([]);
      expect(linesOf(svg, 'subtitle-line')).to.deep.equal([]);
    });
    it('rejects bad sizes and unknown or unsafe themes', () => {
      expect(() => coverSvg(SPEC, { width: 0 })).to.throw(RangeError);
      expect(() => coverSvg(SPEC, { height: 1.5 })).to.throw(RangeError);
      expect(() => coverSvg(SPEC, { theme: 'no-such-theme' })).to.throw(/unknown cover theme/);
      expect(() => coverSvg(SPEC, { theme: '../package' })).to.throw(/invalid cover theme/);
    });
  });

  describe('renderCover', () => {
    it('renders a PNG of the default size 1200×1920', async () => {
      const png = await renderCover(SPEC);
      expect(Array.from(png.subarray(0, 8))).to.deep.equal(PNG_SIGNATURE);
      expect(pngSize(png)).to.deep.equal({ width: 1200, height: 1920 });
    });
    it('renders at a requested size', async () => {
      expect(pngSize(await renderCover(SPEC, { width: 600, height: 900 }))).to.deep.equal({ width: 600, height: 900 });
    });
    it('is deterministic: same spec, byte-identical PNG', async () => {
      const a = await renderCover(SPEC, SMALL);
      const b = await renderCover({ ...SPEC, authors: [...SPEC.authors] }, SMALL);
      expect(Buffer.from(a).equals(Buffer.from(b))).to.equal(true);
    });
    it('renders hostile and enormous titles', async () => {
      for (const title of [`<script>&"'`, 'x'.repeat(2000), 'word '.repeat(400), '\u0000\u0001', '']) {
        const png = await renderCover({ title, authors: ['A'] }, SMALL);
        expect(pngSize(png)).to.deep.equal(SMALL);
      }
    });
    it('paints the background from the title palette, so some titles differ in colour', async () => {
      const titles = ['Home', 'Away', 'The Long Night', 'Summer Rain', 'After the War', 'Ink and Salt'];
      const colours = new Set<string>();
      for (const title of titles) {
        const pixel = firstPixel(await renderCover({ title, authors: [] }, SMALL));
        expect(pixel).to.equal(coverPalette(title).background);
        colours.add(pixel);
      }
      expect(colours.size).to.be.at.least(2);
      expect(COVER_PALETTES.map((p) => p.background)).to.include.members([...colours]);
    });
  });

  describe('coverRenderer and coverPainter', () => {
    it("give renderCover's bytes: a renderer keeping its memory between covers, and drawing on this thread", async () => {
      const renderer = coverRenderer();
      const paint = await coverPainter();
      let freed = 0;
      const paintAndFree = await coverPainter(() => freed++);
      const cases: [CoverSpec, CoverOptions][] = [[SPEC, {}], [{ title: 'Two', authors: [] }, SMALL], [SPEC, { width: 300, height: 480 }]];
      for (const [spec, opts] of cases) {
        const expected = Buffer.from(await renderCover(spec, opts));
        expect(Buffer.from(await renderer(spec, opts)).equals(expected), JSON.stringify(opts)).to.equal(true);
        expect(Buffer.from(await paint(spec, opts)).equals(expected), JSON.stringify(opts)).to.equal(true);
        expect(Buffer.from(await paintAndFree(spec, opts)).equals(expected)).to.equal(true);
      }
      expect(freed, 'afterEach runs after every cover').to.equal(3);
    });
    it("draw resvg's own pixels (its default options: the image cropped to itself), at every size", async () => {
      const { Resvg } = await import('@resvg/resvg-js');
      const paint = await coverPainter();
      for (const [spec, opts] of [[SPEC, {}], [{ title: 'Two', authors: [] }, SMALL], [{ ...SPEC, series: undefined }, { width: 300, height: 481 }]] as [CoverSpec, CoverOptions][]) {
        const plain = new Resvg(coverSvg(spec, opts), { font: { fontFiles: coverFontFiles(), loadSystemFonts: false, defaultFontFamily: 'Literata' }, fitTo: { mode: 'original' } }).render();
        const drawn = PNG.sync.read(Buffer.from(await paint(spec, opts)));
        expect([drawn.width, drawn.height]).to.deep.equal([plain.width, plain.height]);
        expect(drawn.data.equals(plain.pixels), JSON.stringify(opts)).to.equal(true);
      }
    });
    it('draw every pixel the whole SVG draws: ground drawn once a palette, words in bands (accents, descenders, long, short, empty, odd sizes)', async function () {
      this.timeout(60_000);
      const { Resvg } = await import('@resvg/resvg-js');
      const paint = await coverPainter();
      const renderer = coverRenderer();
      const whole = { font: { fontFiles: coverFontFiles(), loadSystemFonts: false, defaultFontFamily: 'Literata' }, fitTo: { mode: 'original' as const } };
      const titles = [
        'ÅNGSTRÖM ÉCLAT ÎLE ÇA', 'gjpqy, Jumping Quietly', 'Ink', 'A Title Long Enough to Wrap onto Three Lines at the Largest Size We Draw',
        'Ǻ Ḯ Ṻ Ǖ — Ţ Ş Ģ', '“Quotes” & ‘Marks’ …', 'Ελληνικά και Кириллица', 'x'.repeat(300), 'Salt', 'Under the Lantern, Again',
      ];
      const cases: [CoverSpec, CoverOptions][] = [];
      titles.forEach((title, i) => {
        cases.push([{ title, authors: i % 3 ? [`Writer Ĵyq ${i}`, 'Another Name'] : [], ...(i % 2 ? { subtitle: 'Fandom: Ågjpq Ÿ' } : {}), ...(i % 4 === 1 ? { series: `Tides Öf Ǻ, part ${i}` } : {}) }, {}]);
      });
      cases.push([SPEC, { width: 300, height: 481 }], [SPEC, { width: 1000, height: 1000 }], [{ ...SPEC, series: 'A Very Long Series Name That Goes On and On, part 12' }, { width: 333, height: 777 }], [SPEC, SMALL]);
      const palettes = new Set<string>();
      for (const [spec, opts] of cases) {
        palettes.add(coverPalette(spec.title).name);
        const plain = new Resvg(coverSvg(spec, opts), whole).render();
        for (const draw of [paint, renderer]) {
          const drawn = PNG.sync.read(Buffer.from(await draw(spec, opts)));
          expect([drawn.width, drawn.height]).to.deep.equal([plain.width, plain.height]);
          expect(drawn.data.equals(plain.pixels), `${spec.title.slice(0, 30)} ${JSON.stringify(opts)}`).to.equal(true);
        }
      }
      expect(palettes.size, 'covers in different palettes').to.be.at.least(5);
    });
    it("draw every pixel the whole SVG draws with a machine's font for Chinese and Japanese words (skipped without one)", async function () {
      this.timeout(60_000);
      const specs: CoverSpec[] = [
        { title: '星降る夜の物語、そして長い帰り道について', authors: ['山田太郎'], subtitle: '原神' },
        { title: '天官赐福 番外 第一章', authors: ['墨香铜臭'], subtitle: 'Heaven Official’s Blessing', series: '花怜系列, part 2' },
      ];
      let fonts: CoverFonts[];
      try {
        fonts = specs.map((s) => coverFontsFor([s.title, ...s.authors, s.subtitle ?? '', s.series ?? ''].join(' ')));
      } catch {
        return this.skip();
      }
      const { Resvg } = await import('@resvg/resvg-js');
      const paint = await coverPainter();
      for (const [i, spec] of specs.entries()) {
        const f = fonts[i]!;
        const fontFiles = f.extra === 'files' ? [...coverFontFiles(), ...f.files] : coverFontFiles();
        const plain = new Resvg(coverSvg(spec), { font: { fontFiles, loadSystemFonts: f.extra === 'system', defaultFontFamily: 'Literata' }, fitTo: { mode: 'original' } }).render();
        expect(PNG.sync.read(Buffer.from(await paint(spec))).data.equals(plain.pixels), spec.title).to.equal(true);
      }
    });
    it('share one ground among the books of a palette and size, and draw bands in order, apart, inside the picture', () => {
      const a = coverLayout({ title: 'Salt', authors: ['One'] });
      const b = coverLayout({ title: 'Salt', authors: ['Two', 'Three'], subtitle: 'Elsewhere', series: 'Tides, part 2' });
      expect(groundSvg(a)).to.equal(groundSvg(b));
      expect(groundSvg(a)).to.not.match(/<text/);
      expect(groundSvg(coverLayout({ title: 'Salt', authors: [] }, SMALL))).to.not.equal(groundSvg(a));
      // A size off the viewBox's ratio is one band, the whole picture.
      expect(coverBands(coverLayout(SPEC, { width: 333, height: 777 })).map((band) => [band.top, band.bottom])).to.deep.equal([[0, 777]]);
      for (const layout of [a, b, coverLayout(SPEC, SMALL), coverLayout(SPEC, { width: 1000, height: 1600 })]) {
        const bands = coverBands(layout);
        expect(bands.length).to.be.at.least(2);
        bands.forEach((band, i) => {
          expect(band.top).to.be.at.least(i ? bands[i - 1]!.bottom : 0);
          expect(band.bottom).to.be.above(band.top).and.at.most(layout.height);
        });
        expect(bands.reduce((n, band) => n + band.bottom - band.top, 0), 'bands cover less than the picture').to.be.below(layout.height * 0.6);
      }
    });
    it('reject on a theme that does not exist', async () => {
      for (const draw of [coverRenderer(), await coverPainter()]) {
        let error: unknown;
        await draw(SPEC, { theme: 'no-such-theme' }).catch((e: unknown) => (error = e));
        expect(String(error)).to.match(/unknown cover theme/);
      }
    });
  });
});
