/**
 * Cover grounds kept between runs. A cover's ground (its colours and frame, without the book's
 * words) is a drawing of the whole picture, about half of what a one-book build's cover costs;
 * a later run that needs the same ground reads it back instead (a few kilobytes a palette).
 *
 * The files live in `node_modules/.cache/fic2epub/` in the package's folder (the folder tools
 * share for such caches), or in `FIC2EPUB_CACHE_DIR`; `FIC2EPUB_CACHE_DIR=off` keeps none. A
 * file holds the ground's SVG, resvg's version and zlib's, and its rows already compressed; it is
 * taken only for the same drawing and compression, and one that cannot be read or does not
 * check (zlib checks its sum) is drawn again. A ground read back has the pixels and pieces of one
 * drawn now, so covers are the same bytes with the cache or without it.
 */
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { crc32, deflateSync, inflateSync } from 'node:zlib';
import { findAssetDir } from '../assets.js';
import { piecesFromBytes, piecesToBytes, PIECE_MAKER, SharedRows } from './png.js';
import { resvgVersion } from './resvg.js';

/** The folder grounds are kept in, or undefined when none is kept. */
export function coverCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const set = env.FIC2EPUB_CACHE_DIR;
  if (set !== undefined && set !== '') return set === 'off' ? undefined : set;
  try {
    return join(dirname(findAssetDir('covers')), 'node_modules', '.cache', 'fic2epub');
  } catch {
    return undefined;
  }
}

/** What a kept ground must have been drawn from: resvg's version and the SVG; and what its rows'
 * pieces were compressed with. */
const label = (svg: string): Buffer => Buffer.from(`fic2epub cover ground 2\nresvg ${resvgVersion()}\n${PIECE_MAKER}\n${svg}`);

function fileOf(dir: string, key: Buffer): string {
  return join(dir, `ground-${crc32(key).toString(16).padStart(8, '0')}-${key.length.toString(16)}.bin`);
}

/** The ground drawn from `svg` in an earlier run, its rows compressed, or undefined. */
export function readGround(svg: string): SharedRows | undefined {
  const dir = coverCacheDir();
  if (!dir) return undefined;
  const key = label(svg);
  try {
    const bytes = inflateSync(readFileSync(fileOf(dir, key)));
    const keyLength = bytes.readUInt32BE(0);
    if (keyLength !== key.length || !bytes.subarray(4, 4 + keyLength).equals(key)) return undefined;
    const rowsAt = 8 + keyLength;
    const piecesAt = rowsAt + bytes.readUInt32BE(4 + keyLength);
    const pieces = piecesFromBytes(bytes.subarray(piecesAt));
    return pieces && SharedRows.fromBytes(bytes.subarray(rowsAt, piecesAt), pieces);
  } catch {
    return undefined;
  }
}

/**
 * Keep the ground drawn from `svg` for later runs, with its rows compressed (a one-book build
 * then compresses none of them); written under a temporary name, then renamed. Resolves when
 * written, or when nothing could be (a folder that cannot be written keeps nothing).
 */
export async function keepGround(svg: string, ground: SharedRows): Promise<void> {
  const dir = coverCacheDir();
  if (!dir) return;
  const key = label(svg);
  const file = fileOf(dir, key);
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    const rows = ground.toBytes();
    const pieces = piecesToBytes(await ground.rowPieces());
    mkdirSync(dir, { recursive: true });
    const sizes = Buffer.allocUnsafe(8);
    sizes.writeUInt32BE(key.length, 0);
    sizes.writeUInt32BE(rows.length, 4);
    writeFileSync(temp, deflateSync(Buffer.concat([sizes.subarray(0, 4), key, sizes.subarray(4), rows, pieces]), { level: 1 }), { flag: 'wx' });
    renameSync(temp, file);
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // nothing was written
    }
  }
}
