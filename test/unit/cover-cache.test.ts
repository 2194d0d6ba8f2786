import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { coverCacheDir, keepGround } from '../../src/render/cover-cache.js';
import { coverLayout } from '../../src/render/cover.js';
import { groundSvg } from '../../src/render/cover-draw.js';
import { joinPieces, piecesFromBytes, piecesToBytes, SharedRows } from '../../src/render/png.js';
import { inflateSync } from 'node:zlib';

const coverModule = fileURLToPath(new URL('../../src/render/cover-draw.js', import.meta.url));

/** Covers drawn by a fresh process with this cache folder: their bytes, hex, one a line. */
function drawIn(cacheDir: string): string {
  const script = `
    const { renderCover } = await import(${JSON.stringify(coverModule)});
    for (const title of ['Kept Grounds', 'Another Palette, Perhaps', 'Third'])
      process.stdout.write(Buffer.from(await renderCover({ title, authors: ['Someone'], subtitle: 'Somewhere' }, { width: 300, height: 480 })).toString('hex') + '\\n');`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, FIC2EPUB_CACHE_DIR: cacheDir }, encoding: 'utf8', maxBuffer: 64 << 20 });
}

describe('cover grounds kept between runs', () => {
  it('keeps grounds in the folder given, reads them back, and gives the same covers with or without them', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'fic2epub-grounds-'));
    try {
      const none = drawIn('off');
      const first = drawIn(dir);
      const kept = readdirSync(dir);
      expect(kept.length, 'one file a ground').to.be.within(1, 3);
      expect(kept.every((f) => /^ground-[0-9a-f]{8}-[0-9a-f]+\.bin$/.test(f))).to.equal(true);
      const second = drawIn(dir);
      expect(first).to.equal(none);
      expect(second).to.equal(none);
      // The files are read: a ground kept with other pixels shows in the covers.
      const svg = groundSvg(coverLayout({ title: 'Kept Grounds', authors: ['Someone'], subtitle: 'Somewhere' }, { width: 300, height: 480 }));
      const saved = process.env.FIC2EPUB_CACHE_DIR;
      process.env.FIC2EPUB_CACHE_DIR = dir;
      try {
        await keepGround(svg, SharedRows.of(new Uint8Array(300 * 480 * 4).fill(255), 300, 480));
      } finally {
        if (saved === undefined) delete process.env.FIC2EPUB_CACHE_DIR;
        else process.env.FIC2EPUB_CACHE_DIR = saved;
      }
      const tampered = drawIn(dir).split('\n');
      expect(tampered[0]).to.not.equal(none.split('\n')[0]);
      // A file that does not check is drawn again, to the same covers.
      for (const f of kept) writeFileSync(join(dir, f), 'not a ground');
      expect(drawIn(dir)).to.equal(none);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps none when told so, and defaults to node_modules/.cache/fic2epub in the package folder', () => {
    expect(coverCacheDir({ FIC2EPUB_CACHE_DIR: 'off' })).to.equal(undefined);
    expect(coverCacheDir({ FIC2EPUB_CACHE_DIR: '/some/where' })).to.equal('/some/where');
    const dir = coverCacheDir({})!;
    expect(dir.endsWith(join('node_modules', '.cache', 'fic2epub'))).to.equal(true);
    expect(existsSync(join(dir, '..', '..', '..', 'package.json'))).to.equal(true);
  });

  it('writes runs of rows to bytes and back, and refuses bytes that are not such runs', () => {
    const px = new Uint8Array(5 * 7 * 4);
    for (let y = 0; y < 7; y++) px.fill(y < 3 ? 10 : y === 3 ? 20 : 30, y * 20, (y + 1) * 20);
    const rows = SharedRows.of(px, 5, 7);
    const back = SharedRows.fromBytes(rows.toBytes())!;
    expect([back.width, back.height, back.runs]).to.deep.equal([5, 7, 3]);
    for (let y = 0; y < 7; y++) expect(back.row(back.runAt(y)).equals(rows.row(rows.runAt(y))), `row ${y}`).to.equal(true);
    const bytes = rows.toBytes();
    expect(SharedRows.fromBytes(bytes.subarray(0, bytes.length - 1))).to.equal(undefined);
    const unordered = Buffer.from(bytes);
    unordered.writeUInt32BE(5, 16); // the second run would start after the third
    expect(SharedRows.fromBytes(unordered)).to.equal(undefined);
    expect(SharedRows.fromBytes(new Uint8Array(3))).to.equal(undefined);
  });

  it('writes the rows\' pieces to bytes and back, and refuses bytes that are not such pieces or not one a run', async () => {
    const px = new Uint8Array(6 * 4 * 4);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 24; x++) px[y * 24 + x] = y === 2 ? 7 : x * 11 + y;
    const rows = SharedRows.of(px, 6, 4);
    const pieces = await rows.rowPieces();
    const bytes = piecesToBytes(pieces);
    const back = piecesFromBytes(bytes)!;
    expect(back.map((p) => [p.data.toString('hex'), p.length, p.sum, p.weighted])).to.deep.equal(pieces.map((p) => [p.data.toString('hex'), p.length, p.sum, p.weighted]));
    // Pieces read back still join into a stream zlib accepts (it checks the Adler-32).
    expect(inflateSync(joinPieces(back)).length).to.equal(4 * 25);
    const withPieces = SharedRows.fromBytes(rows.toBytes(), back)!;
    expect((await withPieces.rowPiece(1)).data.equals(pieces[1]!.data)).to.equal(true);
    expect(piecesFromBytes(bytes.subarray(0, bytes.length - 1))).to.equal(undefined);
    expect(piecesFromBytes(Buffer.concat([bytes, Buffer.of(0)]))).to.equal(undefined);
    expect(SharedRows.fromBytes(rows.toBytes(), back.slice(1))).to.equal(undefined);
  });
});
