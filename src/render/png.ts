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
 * The scanlines go into a scratch buffer the caller may keep between calls (`PngScratch`, one per
 * drawing thread): on machines where first touching fresh memory is slow (~3–6 ms per MB on this
 * project's VMs), allocating 9 MB per cover cost more than the compression.
 */
import { crc32, deflateSync } from 'node:zlib';

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

/**
 * Encode `rgba` (width × height × 4 bytes, row by row, straight alpha) as an 8-bit RGBA PNG,
 * filtering into `scratch` (default: fresh memory). Same pixels give the same bytes. Throws when
 * the buffer size does not match the size.
 */
export function encodePng(rgba: Uint8Array, width: number, height: number, scratch: PngScratch = {}): Buffer {
  const row = width * 4;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || rgba.length !== row * height) {
    throw new RangeError(`encodePng: ${rgba.length} bytes do not make a ${width}×${height} RGBA image`);
  }
  const pixels = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  const stride = row + 1;
  const size = stride * height;
  const lines = scratchOf(scratch, size).subarray(0, size);
  // A cover's flat grounds put zero rows mostly where the previous cover had them: those are not written again.
  const zero = zeroRowsOf(scratch, stride, height);
  for (let y = 0; y < height; y++) {
    const at = y * stride;
    const from = y * row;
    if (y > 0 && pixels.compare(pixels, from - row, from, from, from + row) === 0) {
      lines[at] = FILTER_UP;
      if (!zero[y]) lines.fill(0, at + 1, at + stride);
      zero[y] = 1;
    } else {
      lines[at] = FILTER_NONE;
      pixels.copy(lines, at + 1, from, from + row);
      zero[y] = 0;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA; compression, filter method and interlace stay 0
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(lines, { level: LEVEL })), chunk('IEND', new Uint8Array(0))]);
}
