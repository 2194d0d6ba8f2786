/**
 * Cover grounds kept between runs. A cover's ground (its colours and frame, without the book's
 * words) is a drawing of the whole picture, about half of what a one-book build's cover costs;
 * a later run that needs the same ground reads it back instead (a few kilobytes a palette).
 *
 * The files live in `node_modules/.cache/fic2epub/` in the package's folder (the folder tools
 * share for such caches), or in `FIC2EPUB_CACHE_DIR`; `FIC2EPUB_CACHE_DIR=off` keeps none. A
 * file holds the ground's SVG and resvg's version and is taken only for the same drawing; one
 * that cannot be read or does not check (zlib checks its sum) is drawn again. A ground read back
 * has the pixels of one drawn now, so covers are the same bytes with the cache or without it.
 */
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { crc32, deflateSync, inflateSync } from 'node:zlib';
import { findAssetDir } from '../assets.js';
import { SharedRows } from './png.js';
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

/** What a kept ground must have been drawn from: resvg's version and the SVG. */
const label = (svg: string): Buffer => Buffer.from(`fic2epub cover ground 1\nresvg ${resvgVersion()}\n${svg}`);

function fileOf(dir: string, key: Buffer): string {
  return join(dir, `ground-${crc32(key).toString(16).padStart(8, '0')}-${key.length.toString(16)}.bin`);
}

/** The ground drawn from `svg` in an earlier run, or undefined. */
export function readGround(svg: string): SharedRows | undefined {
  const dir = coverCacheDir();
  if (!dir) return undefined;
  const key = label(svg);
  try {
    const bytes = inflateSync(readFileSync(fileOf(dir, key)));
    const keyLength = bytes.readUInt32BE(0);
    if (keyLength !== key.length || !bytes.subarray(4, 4 + keyLength).equals(key)) return undefined;
    return SharedRows.fromBytes(bytes.subarray(4 + keyLength));
  } catch {
    return undefined;
  }
}

/** Keep the ground drawn from `svg` for later runs (written under a temporary name, then renamed; a folder that cannot be written keeps nothing). */
export function keepGround(svg: string, ground: SharedRows): void {
  const dir = coverCacheDir();
  if (!dir) return;
  const key = label(svg);
  const file = fileOf(dir, key);
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    mkdirSync(dir, { recursive: true });
    const length = Buffer.allocUnsafe(4);
    length.writeUInt32BE(key.length);
    writeFileSync(temp, deflateSync(Buffer.concat([length, key, ground.toBytes()]), { level: 1 }), { flag: 'wx' });
    renameSync(temp, file);
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // nothing was written
    }
  }
}
