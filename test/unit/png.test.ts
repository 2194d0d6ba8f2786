import { inflateSync } from 'node:zlib';
import { expect } from 'chai';
import fc from 'fast-check';
import { PNG } from 'pngjs';
import { concatPieces, deflatePiece, deflatePieceSync, encodeOverShared, encodePng, encodeStrip, joinPieces, SharedRows, type PngScratch, type Strip } from '../../src/render/png.js';
import { renderCover } from '../../src/render/cover-draw.js';

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
    expect(() => SharedRows.of(new Uint8Array(10), 2, 2)).to.throw(RangeError);
  });
  describe('pieces of a zlib stream', () => {
    // Runs of one byte (long matches), noise (literals) and nothing at all.
    const bytes = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 70_000 })).map(([b, n]) => new Uint8Array(n).fill(b)),
      fc.uint8Array({ maxLength: 5000 }),
    );
    it('join into one stream that inflates to the pieces in order, with the right Adler-32 (zlib checks it)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(bytes, { minLength: 1, maxLength: 8 }), async (parts) => {
          const joined = joinPieces(await Promise.all(parts.map((p) => deflatePiece(p))));
          expect(inflateSync(joined).equals(Buffer.concat(parts))).to.equal(true);
        }),
        { numRuns: 60 },
      );
    });
    it('refer to nothing before their own start: the same piece joins after any other', async () => {
      const a = await deflatePiece(new Uint8Array(9000).fill(7));
      const b = await deflatePiece(Buffer.from('seven seven seven '.repeat(50)));
      for (const order of [[a, b], [b, a], [a, a, b, b, a]]) {
        const expected = Buffer.concat(order.map((p) => (p === a ? new Uint8Array(9000).fill(7) : Buffer.from('seven seven seven '.repeat(50)))));
        expect(inflateSync(joinPieces(order)).equals(expected)).to.equal(true);
      }
    });
    it('are the same bytes and sums compressed on the pool (large) as on the calling thread', async () => {
      const large = fc.array(bytes, { minLength: 2, maxLength: 6 }).map((parts) => Buffer.concat(parts)).filter((b) => b.length > 1 << 16);
      await fc.assert(
        fc.asyncProperty(large, async (data) => {
          const pooled = await deflatePiece(data);
          const here = deflatePieceSync(data);
          expect(pooled.data.equals(here.data)).to.equal(true);
          expect([pooled.length, pooled.sum, pooled.weighted]).to.deep.equal([here.length, here.sum, here.weighted]);
        }),
        { numRuns: 25 },
      );
    });
    it('concatenate into one piece that joins like its parts', async () => {
      const parts = [Buffer.from('a'.repeat(70_000)), Buffer.from('bcd'), new Uint8Array(0), Buffer.from('e'.repeat(5000))];
      const pieces = await Promise.all(parts.map((p) => deflatePiece(p)));
      const one = concatPieces(pieces);
      expect(one.length).to.equal(75_003);
      expect(joinPieces([one]).equals(joinPieces(pieces))).to.equal(true);
      expect(inflateSync(joinPieces([pieces[1]!, one])).equals(Buffer.concat([parts[1]!, ...parts]))).to.equal(true);
    });
    it('carry a wrong sum into a stream zlib refuses (the check can fail)', async () => {
      const p = await deflatePiece(Buffer.from('abc'));
      expect(() => inflateSync(joinPieces([{ ...p, sum: (p.sum + 1) % 65521 }]))).to.throw(/check/);
      expect(() => inflateSync(joinPieces([{ ...p, weighted: (p.weighted + 1) % 65521 }]))).to.throw(/check/);
    });
  });

  describe('encodeOverShared', () => {
    /** `shared` with the strips written over it: what the PNG must decode to. */
    function overlay(shared: Uint8Array, width: number, strips: Strip[]): Buffer {
      const out = Buffer.from(shared);
      for (const s of strips) out.set(s.pixels, s.y * width * 4);
      return out;
    }
    /** An image of runs of identical rows (a ground): colours by band, a frame-like column. */
    function ground(width: number, height: number, seed: number): Uint8Array {
      const px = new Uint8Array(width * height * 4);
      for (let y = 0; y < height; y++) {
        const band = Math.floor((y * 5) / height) + seed;
        for (let x = 0; x < width; x++) px.set(x === 1 ? [200, 180, 120, 255] : [band * 40 % 256, 43, 69, 255], (y * width + x) * 4);
      }
      return px;
    }
    it('decodes to the shared rows with the strips over them, for strips anywhere (independent decoder)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 40 }),
          fc.integer({ min: 1, max: 60 }),
          fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 2 })), { maxLength: 5 }),
          fc.nat(),
          async (width, height, cuts, seed) => {
            const base = ground(width, height, seed % 3);
            const shared = SharedRows.of(base, width, height);
            // Strips in order and apart: some of noise, some copies of the ground, some of one flat colour.
            const rows = [...new Set(cuts.flatMap(([a, b]) => [a % (height + 1), b % (height + 1)]))].sort((a, b) => a - b);
            const strips: Strip[] = [];
            for (let i = 0; i + 1 < rows.length; i += 2) {
              const [from, to] = [rows[i]!, rows[i + 1]!];
              const kind = cuts[i >> 1]?.[2] ?? 0;
              const px = kind === 0 ? sample(width, to - from, seed + i) : kind === 1 ? base.slice(from * width * 4, to * width * 4) : new Uint8Array((to - from) * width * 4).fill(255);
              strips.push({ y: from, pixels: px });
            }
            const png = await encodeOverShared(shared, strips);
            const img = decode(png);
            expect([img.width, img.height]).to.deep.equal([width, height]);
            expect(img.data.equals(overlay(base, width, strips))).to.equal(true);
          },
        ),
        { numRuns: 120 },
      );
    });
    it('gives the same bytes for the same image and strips, whatever was encoded before or at once', async () => {
      const base = ground(300, 200, 1);
      const strips: Strip[] = [{ y: 20, pixels: sample(300, 30, 3) }, { y: 120, pixels: sample(300, 9, 4) }];
      const first = await encodeOverShared(SharedRows.of(base, 300, 200), strips);
      const shared = SharedRows.of(base, 300, 200);
      await encodeOverShared(shared, [{ y: 0, pixels: sample(300, 200, 9) }]);
      const together = await Promise.all([encodeOverShared(shared, strips), encodeOverShared(shared, [{ y: 5, pixels: sample(300, 50, 5) }]), encodeOverShared(shared, strips)]);
      expect(together[0]!.equals(first)).to.equal(true);
      expect(together[2]!.equals(first)).to.equal(true);
    });
    it('writes a strip encoded before, after the same row, as the same bytes as the strip itself', async () => {
      const base = ground(120, 90, 2);
      const shared = SharedRows.of(base, 120, 90);
      const words = sample(120, 20, 8);
      const blank = base.slice(60 * 480, 70 * 480); // rows that repeat the ground: no piece at all
      const plain: Strip[] = [{ y: 10, pixels: words }, { y: 60, pixels: blank }];
      const kept = [encodeStrip(plain[0]!, 120, base.subarray(9 * 480, 10 * 480)), encodeStrip(plain[1]!, 120, base.subarray(59 * 480, 60 * 480))];
      expect(kept[1]!.piece).to.equal(undefined);
      const expected = await encodeOverShared(shared, plain);
      expect((await encodeOverShared(shared, kept)).equals(expected)).to.equal(true);
      expect((await encodeOverShared(shared, [kept[0]!, plain[1]!])).equals(expected)).to.equal(true);
      expect(decode(expected).data.equals(overlay(base, 120, plain))).to.equal(true);
    });
    it('refuses a strip encoded after another row than the one above it', async () => {
      const base = ground(120, 90, 2);
      const shared = SharedRows.of(base, 120, 90);
      const strip: Strip = { y: 30, pixels: sample(120, 5, 1) };
      for (const above of [undefined, new Uint8Array(480).fill(9)]) {
        let error: unknown;
        await encodeOverShared(shared, [encodeStrip(strip, 120, above)]).catch((e: unknown) => (error = e));
        expect(error).to.be.instanceOf(RangeError);
      }
      let error: unknown;
      await encodeOverShared(shared, [encodeStrip({ y: 0, pixels: sample(120, 5, 1) }, 120, base.subarray(0, 480))]).catch((e: unknown) => (error = e));
      expect(error, 'at the first row, nothing is above').to.be.instanceOf(RangeError);
    });
    it('keeps one row a run and compresses: a flat 800×1000 image is a single run and under 1 % of its pixels', async () => {
      const flat = new Uint8Array(800 * 1000 * 4);
      for (let i = 0; i < flat.length; i += 4) flat.set([31, 43, 69, 255], i);
      const shared = SharedRows.of(flat, 800, 1000);
      expect(shared.runs).to.equal(1);
      expect((await encodeOverShared(shared, [])).length).to.be.below(32_000);
    });
    it('refuses strips out of order, past the end or of part of a row', async () => {
      const shared = SharedRows.of(ground(10, 10, 0), 10, 10);
      const row = (n: number): Uint8Array => new Uint8Array(n * 40);
      for (const strips of [[{ y: 5, pixels: row(2) }, { y: 6, pixels: row(1) }], [{ y: 8, pixels: row(3) }], [{ y: 0, pixels: new Uint8Array(41) }], [{ y: -1, pixels: row(1) }]]) {
        let error: unknown;
        await encodeOverShared(shared, strips).catch((e: unknown) => (error = e));
        expect(error, JSON.stringify(strips.map((s) => [s.y, s.pixels.length]))).to.be.instanceOf(RangeError);
      }
    });
  });
  it('gives covers that decode to the rendered size, fully opaque (the encoder writes straight alpha)', async () => {
    const png = await renderCover({ title: 'Ink and Salt', authors: ['Quill'], subtitle: 'Anywhere', series: 'Tides, part 3' }, { width: 240, height: 384 });
    const img = decode(png);
    expect([img.width, img.height]).to.deep.equal([240, 384]);
    for (let i = 3; i < img.data.length; i += 4) if (img.data[i] !== 255) expect.fail(`pixel ${(i - 3) / 4} has alpha ${img.data[i]}`);
  });
});
