import { createDeflate, deflateSync } from 'node:zlib';
import { expect } from 'chai';
import fc from 'fast-check';
import { PNG } from 'pngjs';
import { encodePng, encodePngOnPool, type PngBands, type PngScratch } from '../../src/render/png.js';
import { coverFontFiles, coverPalette, coverSvg, renderCover, type CoverSpec } from '../../src/render/cover.js';
import { loadResvg } from '../../src/render/resvg.js';

/** Decode with pngjs (an independent decoder): size and straight RGBA pixels. */
function decode(png: Uint8Array): { width: number; height: number; data: Buffer } {
  const img = PNG.sync.read(Buffer.from(png));
  return { width: img.width, height: img.height, data: img.data };
}

/** A deterministic image: flat bands (repeated rows), a gradient and noise rows. */
function sample(width: number, height: number, seed = 7): Uint8Array {
  const px = new Uint8Array(width * height * 4);
  let s = seed;
  const rand = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      if (y < height / 3) px.set([31, 43, 69, 255], i); // flat: every row repeats the one above
      else if (y < (2 * height) / 3) px.set([x % 256, y % 256, (x + y) % 256, 255], i);
      else px.set([rand(), rand(), rand(), rand()], i);
    }
  }
  return px;
}

describe('png', () => {
  it('round-trips pixels exactly through an independent decoder', () => {
    for (const [w, h] of [[1, 1], [3, 2], [64, 48], [257, 31]] as const) {
      const px = sample(w, h, w * h);
      const out = decode(encodePng(px, w, h));
      expect([out.width, out.height]).to.deep.equal([w, h]);
      expect(Buffer.from(px).equals(out.data)).to.equal(true, `${w}×${h}`);
    }
  });
  it('gives the same bytes for the same pixels, also after encoding a bigger image', () => {
    const px = sample(40, 30);
    const a = Buffer.from(encodePng(px, 40, 30));
    encodePng(sample(300, 200, 3), 300, 200);
    expect(Buffer.from(encodePng(px, 40, 30)).equals(a)).to.equal(true);
  });
  it('gives the same bytes with scratch memory kept between images whose repeated rows lie elsewhere', () => {
    const scratch: PngScratch = {};
    // Flat rows at the top, then at the bottom (the sample upside down), the first again, a smaller image, the second again.
    const top = sample(64, 48);
    const bottom = new Uint8Array(top.length);
    for (let y = 0; y < 48; y++) bottom.set(top.subarray(y * 256, (y + 1) * 256), (47 - y) * 256);
    const cases: [Uint8Array, number, number][] = [[top, 64, 48], [bottom, 64, 48], [top, 64, 48], [sample(32, 20, 5), 32, 20], [bottom, 64, 48]];
    for (const [px, w, h] of cases) expect(Buffer.from(encodePng(px, w, h, scratch)).equals(Buffer.from(encodePng(px, w, h)))).to.equal(true);
  });
  it('compresses: a flat 800×1000 image takes under 1 % of its 3.2 MB of pixels', () => {
    const flat = new Uint8Array(800 * 1000 * 4).fill(200);
    expect(encodePng(flat, 800, 1000).length).to.be.below(32_000);
  });
  it('refuses a buffer that does not match the size', async () => {
    expect(() => encodePng(new Uint8Array(10), 2, 2)).to.throw(RangeError);
    expect(() => encodePng(new Uint8Array(0), 0, 0)).to.throw(RangeError);
    let error: unknown;
    await encodePngOnPool(new Uint8Array(10), 2, 2).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(RangeError);
  });
  it('encodes on the pool to the same bytes, whatever the band of rows handed to zlib at a time', async () => {
    for (const [w, h] of [[1, 1], [3, 2], [64, 48], [257, 31]] as const) {
      const px = sample(w, h, w + h);
      const expected = encodePng(px, w, h);
      for (const band of [1, 2, 5, 16, 128, h, h + 9]) {
        expect((await encodePngOnPool(px, w, h, {}, band)).equals(expected), `${w}×${h}, ${band} rows a band`).to.equal(true);
      }
    }
  });
  it('encodes on the pool to the same bytes with bands kept between images, also several images at once', async () => {
    const kept: PngBands = {};
    const top = sample(64, 48);
    const bottom = new Uint8Array(top.length);
    for (let y = 0; y < 48; y++) bottom.set(top.subarray(y * 256, (y + 1) * 256), (47 - y) * 256);
    const cases: [Uint8Array, number, number][] = [[top, 64, 48], [bottom, 64, 48], [sample(32, 20, 5), 32, 20], [top, 64, 48], [bottom, 64, 48]];
    for (const [px, w, h] of cases) expect((await encodePngOnPool(px, w, h, kept, 5)).equals(encodePng(px, w, h)), `${w}×${h}`).to.equal(true);
    expect(kept.free?.length, 'bands kept').to.be.above(0);
    // Encoded at once, sharing what is kept: each takes bands of its own.
    const together = await Promise.all(cases.map(([px, w, h]) => encodePngOnPool(px, w, h, kept, 5)));
    together.forEach((png, i) => expect(png.equals(encodePng(...cases[i]!)), `at once, ${i}`).to.equal(true));
  });
  it("deflates to deflateSync's bytes however the input is cut into writes (zlib, level 3)", async () => {
    const streamed = async (parts: Uint8Array[]): Promise<Buffer> => {
      const deflate = createDeflate({ level: 3 });
      const out: Buffer[] = [];
      deflate.on('data', (c: Buffer) => out.push(c));
      const ended = new Promise((done) => deflate.once('end', done));
      for (const p of parts) deflate.write(p);
      deflate.end();
      await ended;
      return Buffer.concat(out);
    };
    // Runs of one byte (long matches) and noise (literals), cut anywhere, down to single bytes.
    const piece = fc.oneof(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 70_000 })).map(([b, n]) => new Uint8Array(n).fill(b)), fc.uint8Array({ minLength: 1, maxLength: 5000 }));
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 12 }), fc.array(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: 40 }), async (pieces, cuts) => {
        const input = Buffer.concat(pieces);
        const at = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
        const parts = [0, ...at].map((from, i) => input.subarray(from, [...at, input.length][i]));
        expect((await streamed(parts)).equals(deflateSync(input, { level: 3 }))).to.equal(true);
      }),
      { numRuns: 60 },
    );
  });
  it("gives encodePng's bytes for real covers at full size in six palettes, in bands of several sizes", async () => {
    const { Resvg } = await loadResvg();
    const options = { font: { fontFiles: coverFontFiles(), loadSystemFonts: false, defaultFontFamily: 'Literata' }, fitTo: { mode: 'original' as const }, crop: { left: 0, top: 0, right: 0, bottom: 0 }, logLevel: 'off' as const };
    const titles = ['Ink', 'Salt and the Long Road Home', 'A Title Long Enough to Wrap onto Three Lines at the Largest Size', 'Éclat', 'Under the Lantern', 'Ninth', 'Glass Houses', 'The Quiet Part', 'Low Tide', 'Paper Moons'];
    const palettes = new Set<string>();
    for (const [i, title] of titles.entries()) {
      const spec: CoverSpec = { title, authors: i % 3 ? [`Writer ${i}`] : [], ...(i % 2 ? { subtitle: 'Some Fandom' } : {}), ...(i % 4 === 1 ? { series: `Tides, part ${i}` } : {}) };
      const image = new Resvg(coverSvg(spec), options).render();
      const pixels = image.pixels;
      palettes.add(coverPalette(title).name);
      const expected = encodePng(pixels, image.width, image.height);
      for (const band of [128, 37 + i, image.height]) {
        expect((await encodePngOnPool(pixels, image.width, image.height, {}, band)).equals(expected), `${title}, ${band} rows a band`).to.equal(true);
      }
    }
    expect(palettes.size, 'covers in different palettes').to.be.at.least(5);
  });
  it('gives covers that decode to the rendered size, fully opaque (the encoder writes straight alpha)', async () => {
    const png = await renderCover({ title: 'Ink and Salt', authors: ['Quill'], subtitle: 'Anywhere', series: 'Tides, part 3' }, { width: 240, height: 384 });
    const img = decode(png);
    expect([img.width, img.height]).to.deep.equal([240, 384]);
    for (let i = 3; i < img.data.length; i += 4) if (img.data[i] !== 255) expect.fail(`pixel ${(i - 3) / 4} has alpha ${img.data[i]}`);
  });
});
