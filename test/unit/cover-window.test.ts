import { expect } from 'chai';
import { PNG } from 'pngjs';
import { coverFontFiles, coverLayout, coverSvg, type CoverOptions, type CoverSpec } from '../../src/render/cover.js';
import { bandSvg, bandWindow, coverBands, coverPainter, coverRenderer, groundSvg, throughWindow, type CoverBand } from '../../src/render/cover-draw.js';
import { encodeOverShared, SharedRows } from '../../src/render/png.js';

const WHOLE = { font: { fontFiles: coverFontFiles(), loadSystemFonts: false, defaultFontFamily: 'Literata' }, fitTo: { mode: 'original' as const } };

/** resvg's pixels for an SVG, drawn whole with its default options. */
async function pixelsOf(svg: string): Promise<{ pixels: Buffer; width: number; height: number }> {
  const { Resvg } = await import('@resvg/resvg-js');
  const image = new Resvg(svg, WHOLE).render();
  return { pixels: image.pixels, width: image.width, height: image.height };
}

/** The first band that is drawn through a window. */
function windowedBand(spec: CoverSpec, opts: CoverOptions = {}): { layout: ReturnType<typeof coverLayout>; band: CoverBand } {
  const layout = coverLayout(spec, opts);
  const band = coverBands(layout).find((b) => bandWindow(layout, b));
  if (!band) throw new Error('no band drawn through a window');
  return { layout, band };
}

describe('cover bands drawn through windows', () => {
  it('are used for words Literata is measured for, and not for other scripts or sizes off the ratio', () => {
    const plain = coverLayout({ title: 'Salt and Iron', authors: ['Some One'], subtitle: 'Elsewhere' });
    const bands = coverBands(plain);
    expect(bands.every((band) => bandWindow(plain, band)), 'every band of a plain cover').to.equal(true);
    for (const band of bands) {
      const w = bandWindow(plain, band)!;
      expect(w.left).to.be.above(0);
      expect(w.right).to.be.below(plain.width);
      expect(w.right - w.left).to.be.above(2 * w.check);
    }
    const greek = coverLayout({ title: 'Ελληνικά', authors: [] });
    expect(coverBands(greek).filter((band) => band.parts.some((p) => p.placeholders.includes('titleLines'))).map((band) => bandWindow(greek, band))).to.deep.equal([undefined]);
    const odd = coverLayout({ title: 'Salt', authors: [] }, { width: 333, height: 777 });
    expect(coverBands(odd).map((band) => bandWindow(odd, band))).to.deep.equal([undefined]);
  });

  it('put the window and the blank band together into the band drawn whole, and notice ink past a window too narrow', async function () {
    this.timeout(30_000);
    const { layout, band } = windowedBand({ title: 'A Title of Some Length, Wrapped', authors: ['Writer'], subtitle: 'Fandom' });
    const window = bandWindow(layout, band)!;
    const rows = band.bottom - band.top;
    const whole = await pixelsOf(bandSvg(layout, band));
    const blank = await pixelsOf(bandSvg(layout, { ...band, parts: [] }));
    const blankRows = SharedRows.of(blank.pixels, blank.width, blank.height);
    const drawn = await pixelsOf(bandSvg(layout, band, window));
    expect([drawn.width, drawn.height]).to.deep.equal([window.right - window.left, rows]);
    const row = layout.width * 4;
    const out = Buffer.alloc(rows * (row + 1));
    expect(throughWindow(drawn.pixels, window, blankRows, out)).to.equal(true);
    const pixels = Buffer.concat(Array.from({ length: rows }, (_, y) => out.subarray(y * (row + 1) + 1, (y + 1) * (row + 1))));
    expect(pixels.equals(whole.pixels), 'the band drawn whole').to.equal(true);
    expect(Array.from({ length: rows }, (_, y) => out[y * (row + 1)]).every((filter) => filter === 0), 'lines filtered None').to.equal(true);
    // A window that cuts through the words: ink shows in its check columns.
    const middle = Math.round(layout.width / 2);
    const narrow = { left: middle - 100, right: middle + 100, check: window.check };
    const cut = await pixelsOf(bandSvg(layout, band, narrow));
    expect(throughWindow(cut.pixels, narrow, blankRows, Buffer.alloc(rows * (row + 1)))).to.equal(false);
  });

  it('draw every pixel the whole SVG draws: short, long, wrapped, punctuated and accented words, at several sizes', async function () {
    this.timeout(120_000);
    const paint = await coverPainter();
    const renderer = coverRenderer();
    const titles = [
      'Ink', 'Home Again', 'The Long Way Round to a Place Called Nowhere at All', '“Quoted,” She Said — and Left…', '|||| !!!! ....', 'WWWW MMMM',
      'gjpqy jumping quietly', 'AVAVAV Type', 'x'.repeat(80), 'Café Ångström', 'Ελληνικά', 'A ‘Small’ Thing – Really', 'If If If If If If If If If If If',
    ];
    const sizes: CoverOptions[] = [{}, { width: 600, height: 960 }, { width: 300, height: 480 }, { width: 800, height: 1280 }];
    let windows = 0;
    let covers = 0;
    for (const [i, title] of titles.entries()) {
      for (const [j, opts] of sizes.entries()) {
        if ((i + j) % 2) continue;
        const spec: CoverSpec = {
          title,
          authors: i % 3 ? ['Writer Jyq', 'Another Name'] : [],
          ...(i % 2 ? { subtitle: i % 4 === 1 ? title : 'Fandom: Agjpq' } : {}),
          ...(i % 5 === 2 ? { series: `${title}, part ${i}` } : {}),
        };
        const layout = coverLayout(spec, opts);
        windows += coverBands(layout).filter((band) => bandWindow(layout, band)).length;
        const plain = await pixelsOf(coverSvg(spec, opts));
        // The painter draws a place's first band whole and the next ones through windows.
        for (const draw of [paint, paint, renderer]) {
          const drawn = PNG.sync.read(Buffer.from(await draw(spec, opts)));
          expect(drawn.data.equals(plain.pixels), `${title.slice(0, 30)} ${JSON.stringify(opts)}`).to.equal(true);
        }
        covers++;
      }
    }
    expect(windows, 'bands drawn through windows').to.be.above(covers);
  });

  it('give the bytes of every band drawn whole over the ground, at sizes where that differs from the whole SVG by a pixel', async function () {
    this.timeout(120_000);
    const paint = await coverPainter();
    const specs: CoverSpec[] = [
      { title: '“Quoted,” She Said — and Left…', authors: ['Writer Jyq', 'Another Name'], subtitle: 'Fandom: Agjpq' },
      { title: 'Long Another Mmm Home Lantern', authors: ['Kat Lee'], subtitle: 'Harry Potter' },
      { title: 'Salt', authors: [], series: 'Tides, part 2' },
    ];
    let windows = 0;
    for (const opts of [{ width: 1000, height: 1600 }, {}] as CoverOptions[]) {
      for (const spec of specs) {
        const layout = coverLayout(spec, opts);
        const ground = await pixelsOf(groundSvg(layout));
        const strips = [];
        for (const band of coverBands(layout)) {
          if (bandWindow(layout, band)) windows++;
          strips.push({ y: band.top, pixels: (await pixelsOf(bandSvg(layout, band))).pixels });
        }
        const whole = await encodeOverShared(SharedRows.of(ground.pixels, ground.width, ground.height), strips);
        // The first time at each place drawn whole, the second through windows.
        for (let i = 0; i < 2; i++) expect(Buffer.from(await paint(spec, opts)).equals(whole), `${spec.title} ${JSON.stringify(opts)} ${i}`).to.equal(true);
      }
    }
    expect(windows).to.be.at.least(specs.length * 2);
  });
});
