/**
 * PNG encoding of an opaque RGBA raster (the rendered cover) with Node's own zlib.
 *
 * Why not resvg's `asPng()`: it spends ~22 ms on a 1200×1920 cover (58 KB); this spends ~6 ms
 * (75 KB), which is most of a cover's cost in a batch of a thousand books. Each scanline is
 * filtered Up when it repeats the line above (then it is all zero bytes, which the cover's flat
 * grounds make the common case) and None otherwise, and zlib runs at level 3: levels 4–6 make
 * the file half as big but take four times as long. The format work here is only the container
 * (signature, IHDR, IDAT, IEND, CRC-32 from zlib); the compression is zlib's.
 *
 * `encodePng` filters into a scratch buffer the caller may keep between calls (`PngScratch`, one
 * per drawing thread): on machines where first touching fresh memory is slow (~3–6 ms per MB on
 * this project's VMs), allocating 9 MB per cover cost more than the compression.
 * `encodePngOnPool` gives the same bytes with zlib on libuv's pool, fed a band of filtered rows
 * at a time while this thread filters the next band in a few small buffers: the compression no
 * longer holds up the calling thread, and no 9 MB scratch is touched. Deflate's output does not
 * depend on how its input is cut into writes (without flushes between them); png.test.ts checks
 * that on real covers against `deflateSync`.
 */
import { createDeflate, crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const LEVEL = 3;
const FILTER_NONE = 0;
const FILTER_UP = 2;

/** Memory for the filtered scanlines, kept by its owner from one image to the next. */
export interface PngScratch {
  buffer?: Buffer;
  /** For scanlines of `stride` bytes: which rows of `buffer` hold only zeros after their filter byte. */
  zeroRows?: { stride: number; rows: Uint8Array };
}

/** The scratch buffer, at least `size` bytes. */
function scratchOf(scratch: PngScratch, size: number): Buffer {
  if (!scratch.buffer || scratch.buffer.length < size) {
    scratch.buffer = Buffer.allocUnsafe(size);
    delete scratch.zeroRows;
  }
  return scratch.buffer;
}

/** Which of `height` rows of `stride` bytes in the scratch buffer are known to be zeros (none, for a new layout). */
function zeroRowsOf(scratch: PngScratch, stride: number, height: number): Uint8Array {
  const known = scratch.zeroRows;
  if (known && known.stride === stride && known.rows.length >= height) return known.rows;
  scratch.zeroRows = { stride, rows: new Uint8Array(height) };
  return scratch.zeroRows.rows;
}

/** Allocate and touch `scratch` for images of up to `size` filtered bytes, ahead of use. */
export function reserveScratch(scratch: PngScratch, size: number): void {
  scratchOf(scratch, size).fill(0, 0, size);
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** The pixels as a Buffer (no copy); throws when their length does not make a width × height RGBA image. */
function checkedPixels(rgba: Uint8Array, width: number, height: number): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || rgba.length !== width * 4 * height) {
    throw new RangeError(`encodePng: ${rgba.length} bytes do not make a ${width}×${height} RGBA image`);
  }
  return Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
}

/**
 * Filter rows `from`..`to` (exclusive) of `pixels` (rows of `row` bytes) into `lines` from its
 * start: Up when a row repeats the one above (then all zeros), else None. `zero[i]` says whether
 * line i of `lines` already holds those zeros, so they are not written again; it is kept up to date.
 */
function filterRows(pixels: Buffer, row: number, from: number, to: number, lines: Buffer, zero: Uint8Array): void {
  const stride = row + 1;
  for (let y = from, i = 0; y < to; y++, i++) {
    const at = i * stride;
    const start = y * row;
    if (y > 0 && pixels.compare(pixels, start - row, start, start, start + row) === 0) {
      lines[at] = FILTER_UP;
      if (!zero[i]) lines.fill(0, at + 1, at + stride);
      zero[i] = 1;
    } else {
      lines[at] = FILTER_NONE;
      pixels.copy(lines, at + 1, start, start + row);
      zero[i] = 0;
    }
  }
}

/** The PNG file around its compressed scanlines. */
function pngFile(width: number, height: number, idat: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA; compression, filter method and interlace stay 0
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}

/**
 * Encode `rgba` (width × height × 4 bytes, row by row, straight alpha) as an 8-bit RGBA PNG,
 * filtering into `scratch` (default: fresh memory). Same pixels give the same bytes. Throws when
 * the buffer size does not match the size.
 */
export function encodePng(rgba: Uint8Array, width: number, height: number, scratch: PngScratch = {}): Buffer {
  const pixels = checkedPixels(rgba, width, height);
  const stride = width * 4 + 1;
  const size = stride * height;
  const lines = scratchOf(scratch, size).subarray(0, size);
  // A cover's flat grounds put zero rows mostly where the previous cover had them: those are not written again.
  filterRows(pixels, width * 4, 0, height, lines, zeroRowsOf(scratch, stride, height));
  return pngFile(width, height, deflateSync(lines, { level: LEVEL }));
}

/** Rows per band handed to the pool, and bands in flight (a 1200-pixel cover: 600 KB each). */
const BAND_ROWS = 128;
const BANDS = 3;

/** One band of filtered rows, and which of its lines hold only zeros after their filter byte. */
interface Band {
  lines: Buffer;
  zero: Uint8Array;
}

/** Bands an owner keeps between images for `encodePngOnPool` (fresh memory is slow to touch);
 * an image takes them while it is encoded, so images encoded at once never share one. */
export interface PngBands {
  free?: Band[];
}

/**
 * `encodePng`'s bytes, compressed on libuv's pool (see the top of this file), filtering into
 * bands taken from `kept` (fresh ones when it has none of the size). `bandRows` is how many rows
 * each write hands to zlib (tests vary it). Rejects when the buffer size does not match the size.
 */
export async function encodePngOnPool(rgba: Uint8Array, width: number, height: number, kept: PngBands = {}, bandRows = BAND_ROWS): Promise<Buffer> {
  const pixels = checkedPixels(rgba, width, height);
  const row = width * 4;
  const rows = Math.max(1, Math.min(Math.floor(bandRows), height));
  const bandSize = rows * (row + 1);
  const deflate = createDeflate({ level: LEVEL });
  const parts: Buffer[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const ended = new Promise<void>((done, fail) => {
    deflate.once('end', done);
    deflate.once('error', fail);
  });
  // Waiting for a free band also ends when zlib fails, so a failure cannot leave this hanging.
  ended.catch(() => undefined);
  const reusable = (b: Band): boolean => b.lines.length === bandSize && b.zero.length === rows;
  const taken = (kept.free ?? []).filter(reusable).slice(0, BANDS);
  kept.free = (kept.free ?? []).filter((b) => !taken.includes(b));
  const free: Band[] = Array.from({ length: Math.min(BANDS, Math.ceil(height / rows)) }, (_, i) => taken[i] ?? { lines: Buffer.allocUnsafe(bandSize), zero: new Uint8Array(rows) });
  const mine = [...free];
  let freed: (() => void) | undefined;
  for (let y = 0; y < height; y += rows) {
    while (!free.length) await Promise.race([new Promise<void>((wake) => (freed = wake)), ended]);
    const band = free.pop()!;
    const to = Math.min(height, y + rows);
    filterRows(pixels, row, y, to, band.lines, band.zero);
    deflate.write(band.lines.subarray(0, (to - y) * (row + 1)), () => {
      free.push(band);
      freed?.();
    });
  }
  deflate.end();
  await ended;
  // Handed back only once zlib is done with them (a failure above leaves them out).
  kept.free = [...(kept.free ?? []), ...mine].slice(-2 * BANDS);
  return pngFile(width, height, Buffer.concat(parts));
}
