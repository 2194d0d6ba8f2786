/**
 * PNG encoding of an opaque RGBA raster (the rendered cover) with Node's own zlib.
 *
 * Why not resvg's `asPng()`: it spends ~22 ms on a 1200×1920 cover (58 KB); this spends ~6 ms
 * (75 KB). Each scanline is filtered Up when it repeats the line above (then it is all zero
 * bytes, which the cover's flat grounds make the common case) and None otherwise, and zlib runs
 * at level 3: levels 4–6 make the file half as big but take four times as long. The format work
 * here is only the container (signature, IHDR, IDAT, IEND, CRC-32 from zlib); the compression
 * is zlib's.
 *
 * `encodePng` filters into a scratch buffer the caller may keep between calls (`PngScratch`):
 * on machines where first touching fresh memory is slow (~0.6 ms per MB on this project's VMs),
 * allocating 9 MB per image cost more than the compression.
 *
 * `encodeOverShared` is for many images that share most of their rows (covers of one palette
 * and size share their ground): the zlib stream is joined from pieces compressed apart
 * (`DeflatePiece`), so rows that repeat the row above and the shared rows are compressed once
 * per process, and an image compresses only its own rows that differ from the row above. Its
 * bytes differ from `encodePng`'s for the same pixels, and are as fixed: the same image and
 * strips give the same bytes.
 */
import { constants, createDeflate, crc32, deflateRawSync, deflateSync } from 'node:zlib';

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

/**
 * A piece of a zlib stream compressed on its own: raw deflate blocks that end on a byte boundary
 * and are not the stream's last (a sync flush), and the Adler-32 sums of what they inflate to.
 * Pieces made apart can be joined: each refers to nothing before its own start.
 */
export interface DeflatePiece {
  /** The blocks. */
  data: Buffer;
  /** How many bytes they inflate to. */
  length: number;
  /** Adler-32's two sums over those bytes, taken from 1 and 0: what appending them adds. */
  sum: number;
  weighted: number;
}

const ADLER_BASE = 65521;
// zlib's two-byte header for a 32 KB window at levels 2–5, and the empty last block zlib writes
// when a stream ends straight after a sync flush (a fixed-code block holding only its end code).
const ZLIB_HEADER = Uint8Array.of(0x78, 0x5e);
const LAST_EMPTY_BLOCK = Uint8Array.of(0x03, 0x00);

// Pieces up to this size are compressed on the calling thread: a round trip to the pool costs
// more than compressing a few rows.
const SMALL_PIECE = 1 << 16;

/** Adler-32's two sums of `data` taken from 1 and 0, as `DeflatePiece` keeps them: read from the
 * trailer of a stored (level 0) zlib stream, zlib having no call that gives them. For small data. */
function adlerSums(data: Uint8Array): { sum: number; weighted: number } {
  const stored = deflateSync(data, { level: 0 });
  return sumsOf(stored.readUInt32BE(stored.length - 4), data.length);
}

/** The sums `DeflatePiece` keeps, from an Adler-32 over `length` bytes. */
function sumsOf(adler: number, length: number): { sum: number; weighted: number } {
  return { sum: ((adler & 0xffff) - 1 + ADLER_BASE) % ADLER_BASE, weighted: (((adler >>> 16) - (length % ADLER_BASE)) % ADLER_BASE + ADLER_BASE) % ADLER_BASE };
}

/** `deflatePiece` on the calling thread (the same bytes): for small pieces. */
export function deflatePieceSync(data: Uint8Array): DeflatePiece {
  return { data: deflateRawSync(data, { level: LEVEL, finishFlush: constants.Z_SYNC_FLUSH }), length: data.length, ...adlerSums(data) };
}

/** Pieces one after another as one piece (their blocks joined, their sums combined). */
export function concatPieces(pieces: readonly DeflatePiece[]): DeflatePiece {
  let sum = 0;
  let weighted = 0;
  let length = 0;
  for (const p of pieces) {
    weighted = (weighted + (p.length % ADLER_BASE) * sum + p.weighted) % ADLER_BASE;
    sum = (sum + p.sum) % ADLER_BASE;
    length += p.length;
  }
  return { data: Buffer.concat(pieces.map((p) => p.data)), length, sum, weighted };
}

/**
 * `data` compressed at the PNG level as a piece (see `DeflatePiece`); a large piece on libuv's
 * pool, where zlib reckons the Adler-32 sums itself: the stream is flushed, then ended, and its
 * trailer read.
 */
export async function deflatePiece(data: Uint8Array): Promise<DeflatePiece> {
  if (data.length <= SMALL_PIECE) return deflatePieceSync(data);
  // Output in one buffer: each buffer zlib fills is a round trip to the pool.
  const deflate = createDeflate({ level: LEVEL, chunkSize: Math.max(16384, Math.min(1 << 20, data.length >> 3)) });
  const parts: Buffer[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const ended = new Promise<void>((done, fail) => {
    deflate.once('end', done);
    deflate.once('error', fail);
  });
  ended.catch(() => undefined);
  deflate.write(data);
  // The flush must be done before `end`: a flush still queued when the stream ends becomes its finish.
  await Promise.race([new Promise<void>((done) => deflate.flush(constants.Z_SYNC_FLUSH, () => done())), ended]);
  deflate.end();
  await ended;
  const out = Buffer.concat(parts);
  const tail = out.length - LAST_EMPTY_BLOCK.length - 4;
  if (out[0] !== ZLIB_HEADER[0] || tail < 2 || out[tail] !== LAST_EMPTY_BLOCK[0] || out[tail + 1] !== LAST_EMPTY_BLOCK[1]) {
    throw new Error('zlib ended a flushed stream in an unexpected way');
  }
  return { data: out.subarray(2, tail), length: data.length, ...sumsOf(out.readUInt32BE(out.length - 4), data.length) };
}

/** A zlib stream of `pieces` in order: the header, their blocks, an empty last block and the Adler-32 of it all. */
export function joinPieces(pieces: readonly DeflatePiece[]): Buffer {
  const all = concatPieces(pieces);
  // Adler-32 starts from 1 and 0: the joined sums added to those.
  const a = (1 + all.sum) % ADLER_BASE;
  const b = ((all.length % ADLER_BASE) + all.weighted) % ADLER_BASE;
  const trailer = Buffer.allocUnsafe(4);
  trailer.writeUInt32BE(((b << 16) | a) >>> 0);
  return Buffer.concat([ZLIB_HEADER, all.data, LAST_EMPTY_BLOCK, trailer]);
}

/** What pieces made here depend on besides their input: zlib's version and the level. Pieces
 * kept between runs (cover-cache.ts) are taken only from a process where this is the same. */
export const PIECE_MAKER = `zlib ${process.versions.zlib} level ${LEVEL}`;

/** Pieces as bytes, for `piecesFromBytes`: how many, then each one's sizes, sums and blocks. */
export function piecesToBytes(pieces: readonly DeflatePiece[]): Buffer {
  const heads = pieces.map((p) => {
    const head = Buffer.allocUnsafe(16);
    head.writeUInt32BE(p.data.length, 0);
    head.writeUInt32BE(p.length, 4);
    head.writeUInt32BE(p.sum, 8);
    head.writeUInt32BE(p.weighted, 12);
    return head;
  });
  const count = Buffer.allocUnsafe(4);
  count.writeUInt32BE(pieces.length);
  return Buffer.concat([count, ...pieces.flatMap((p, i) => [heads[i]!, p.data])]);
}

/** Pieces written by `piecesToBytes` (their blocks are views of `bytes`); undefined when the bytes are not such pieces. */
export function piecesFromBytes(bytes: Uint8Array): DeflatePiece[] | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 4) return undefined;
  const pieces: DeflatePiece[] = [];
  let at = 4;
  for (let i = b.readUInt32BE(0); i > 0; i--) {
    if (at + 16 > b.length) return undefined;
    const [size, length, sum, weighted] = [b.readUInt32BE(at), b.readUInt32BE(at + 4), b.readUInt32BE(at + 8), b.readUInt32BE(at + 12)];
    at += 16;
    if (at + size > b.length || sum >= ADLER_BASE || weighted >= ADLER_BASE) return undefined;
    pieces.push({ data: b.subarray(at, at + size), length, sum, weighted });
    at += size;
  }
  return at === b.length ? pieces : undefined;
}

/** Compressed pieces made once per process and kept, by key; a piece that failed is made again next time. */
function kept(cache: Map<string, Promise<DeflatePiece>>, key: string, make: () => Promise<DeflatePiece>): Promise<DeflatePiece> {
  let piece = cache.get(key);
  if (!piece) {
    piece = make();
    cache.set(key, piece);
    piece.catch(() => cache.delete(key));
  }
  return piece;
}

const zeroPieces = new Map<string, Promise<DeflatePiece>>();

/** A piece of `n` rows of `stride` bytes that repeat the row above (filter Up, then zeros):
 * eight rows compressed, longer runs made of eight of the next shorter. */
function zeroRowPiece(stride: number, n: number): Promise<DeflatePiece> {
  return kept(zeroPieces, `${stride}×${n}`, async () => {
    if (n > 8) return concatPieces(Array<DeflatePiece>(8).fill(await zeroRowPiece(stride, n / 8)));
    const lines = Buffer.alloc(stride * n);
    for (let at = 0; at < lines.length; at += stride) lines[at] = FILTER_UP;
    return deflatePieceSync(lines);
  });
}

// Rows that repeat the one above come in runs of any length: made of pieces of these many rows.
const ZERO_RUNS = [512, 64, 8, 1];

/** Pieces for `count` rows of `stride` bytes that each repeat the row above. */
function zeroRowPieces(stride: number, count: number): Promise<DeflatePiece>[] {
  const out: Promise<DeflatePiece>[] = [];
  for (const n of ZERO_RUNS) for (; count >= n; count -= n) out.push(zeroRowPiece(stride, n));
  return out;
}

/**
 * An opaque RGBA image that many images share most rows of (a cover's ground, drawn once per
 * palette and size): kept as its runs of identical rows, one copy of each run's row (the pixels
 * themselves are not kept), and each such row compressed once, when an image first needs it.
 */
export class SharedRows {
  private readonly pieces = new Map<string, Promise<DeflatePiece>>();

  private constructor(
    readonly width: number,
    readonly height: number,
    /** The first row of each run, ascending from 0. */
    private readonly starts: number[],
    /** Each run's row of pixels. */
    private readonly rows: Buffer[],
  ) {}

  /** The runs of `rgba` (width × height × 4 bytes); throws when the size does not match. */
  static of(rgba: Uint8Array, width: number, height: number): SharedRows {
    const pixels = checkedPixels(rgba, width, height);
    const row = width * 4;
    const starts = [0];
    const rows = [Buffer.from(pixels.subarray(0, row))];
    for (let y = 1; y < height; y++) {
      const at = y * row;
      if (pixels.compare(pixels, at - row, at, at, at + row) !== 0) {
        starts.push(y);
        rows.push(Buffer.from(pixels.subarray(at, at + row)));
      }
    }
    return new SharedRows(width, height, starts, rows);
  }

  /** The runs as bytes, for `fromBytes`: width, height, how many runs, where each starts, each run's row. */
  toBytes(): Buffer {
    const head = Buffer.allocUnsafe(12 + 4 * this.starts.length);
    head.writeUInt32BE(this.width, 0);
    head.writeUInt32BE(this.height, 4);
    head.writeUInt32BE(this.starts.length, 8);
    this.starts.forEach((start, i) => head.writeUInt32BE(start, 12 + 4 * i));
    return Buffer.concat([head, ...this.rows]);
  }

  /**
   * Runs written by `toBytes` (the rows are views of `bytes`), with their rows' pieces when given
   * (`rowPieces` of the same runs, made with the same `PIECE_MAKER`); undefined when the bytes
   * are not such runs or the pieces are not one a run.
   */
  static fromBytes(bytes: Uint8Array, pieces?: readonly DeflatePiece[]): SharedRows | undefined {
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (b.length < 12) return undefined;
    const [width, height, runs] = [b.readUInt32BE(0), b.readUInt32BE(4), b.readUInt32BE(8)];
    const row = width * 4;
    if (!width || !height || !runs || runs > height || b.length !== 12 + 4 * runs + runs * row) return undefined;
    const starts: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = b.readUInt32BE(12 + 4 * i);
      if ((i === 0 ? start !== 0 : start <= starts[i - 1]!) || start >= height) return undefined;
      starts.push(start);
    }
    const at = 12 + 4 * runs;
    if (pieces && (pieces.length !== runs || pieces.some((p) => p.length !== row + 1))) return undefined;
    const shared = new SharedRows(width, height, starts, starts.map((_, i) => b.subarray(at + i * row, at + (i + 1) * row)));
    pieces?.forEach((piece, run) => shared.pieces.set(String(run), Promise.resolve(piece)));
    return shared;
  }

  /** How many runs of identical rows the image has. */
  get runs(): number {
    return this.starts.length;
  }

  /** The run holding row `y`. */
  runAt(y: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= y) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The row after the last of run `run`. */
  runEnd(run: number): number {
    return this.starts[run + 1] ?? this.height;
  }

  /** Run `run`'s row of pixels. */
  row(run: number): Buffer {
    return this.rows[run]!;
  }

  /** Every run's row compressed (`rowPiece`), in order: what `fromBytes` takes back. */
  rowPieces(): Promise<DeflatePiece[]> {
    return Promise.all(this.starts.map((_, run) => this.rowPiece(run)));
  }

  /** Run `run`'s row filtered None (kept as is), compressed. */
  rowPiece(run: number): Promise<DeflatePiece> {
    return kept(this.pieces, String(run), () => {
      const line = Buffer.allocUnsafe(this.rows[run]!.length + 1);
      line[0] = FILTER_NONE;
      this.rows[run]!.copy(line, 1);
      return deflatePiece(line);
    });
  }
}

/** Rows drawn apart from an image's shared rows: `pixels` (RGBA) replace rows `y` onwards. */
export interface Strip {
  y: number;
  pixels: Uint8Array;
}

/**
 * A strip as `encodeOverShared` writes it after a given row (its first row is filtered Up when it
 * repeats that row): its rows that differ from the row above, compressed; how many rows repeat
 * the row above before and after them; and its last row. Made by `encodeStrip`, it can be kept
 * and written again wherever the same row is above it (the same words on the same ground).
 */
export interface EncodedStrip {
  y: number;
  rows: number;
  /** The row it was encoded after (undefined: the image's first row). */
  above: Buffer | undefined;
  /** Rows that repeat the row above them, before `piece` and after it. */
  lead: number;
  trail: number;
  /** The rows between, compressed; none when every row repeats the one above. */
  piece: Promise<DeflatePiece> | undefined;
  last: Buffer;
}

/** Rows are compared as whole rows of pixels. */
const sameRow = (a: Buffer | undefined, b: Buffer): boolean => a !== undefined && a.equals(b);

/**
 * `strip` (rows of `width` RGBA pixels) encoded after the row `above` (see `EncodedStrip`); its
 * rows are compressed on libuv's pool. Throws when the pixels are not whole rows.
 */
export function encodeStrip(strip: Strip, width: number, above: Uint8Array | undefined): EncodedStrip {
  const row = width * 4;
  const stride = row + 1;
  const rows = strip.pixels.length / row;
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(strip.y) || strip.y < 0) {
    throw new RangeError(`encodeStrip: ${strip.pixels.length} bytes at row ${strip.y} are not whole rows of ${width} pixels`);
  }
  const px = Buffer.from(strip.pixels.buffer, strip.pixels.byteOffset, strip.pixels.byteLength);
  const before = above && Buffer.from(above.buffer, above.byteOffset, above.byteLength);
  const differs = new Uint8Array(rows);
  let first = -1;
  let last = -1;
  let prev = before;
  for (let i = 0; i < rows; i++) {
    const line = px.subarray(i * row, (i + 1) * row);
    if (!sameRow(prev, line)) {
      differs[i] = 1;
      if (first < 0) first = i;
      last = i;
    }
    prev = line;
  }
  const lastRow = Buffer.from(px.subarray((rows - 1) * row));
  if (first < 0) return { y: strip.y, rows, above: before, lead: rows, trail: 0, piece: undefined, last: lastRow };
  const lines = Buffer.allocUnsafe((last - first + 1) * stride);
  for (let i = first; i <= last; i++) {
    const at = (i - first) * stride;
    if (differs[i]) {
      lines[at] = FILTER_NONE;
      px.copy(lines, at + 1, i * row, (i + 1) * row);
    } else {
      lines[at] = FILTER_UP;
      lines.fill(0, at + 1, at + stride);
    }
  }
  const piece = deflatePiece(lines);
  piece.catch(() => undefined);
  return { y: strip.y, rows, above: before, lead: first, trail: rows - 1 - last, piece, last: lastRow };
}

/**
 * The PNG of `shared` with `strips` drawn over it (each replaces whole rows; in order, apart),
 * as `encodePng` filters it (Up where a row repeats the one above, else None) but compressed in
 * pieces: rows that repeat the one above come from pieces made once per width, the shared rows
 * from pieces made once per image, and only the strips' rows that differ from the row above are
 * compressed for this image (on libuv's pool), unless a strip comes encoded already. Same pixels
 * and strips give the same bytes. Rejects on a strip out of place, of a size that is not whole
 * rows, or encoded after another row than the one above it here.
 */
export async function encodeOverShared(shared: SharedRows, strips: readonly (Strip | EncodedStrip)[]): Promise<Buffer> {
  const { width, height } = shared;
  const row = width * 4;
  const stride = row + 1;
  const pieces: Promise<DeflatePiece>[] = [];
  let zeros = 0;
  const flushZeros = (): void => {
    pieces.push(...zeroRowPieces(stride, zeros));
    zeros = 0;
  };
  let above: Buffer | undefined;
  let y = 0;
  const sharedRows = (to: number): void => {
    while (y < to) {
      const run = shared.runAt(y);
      const end = Math.min(to, shared.runEnd(run));
      const pixels = shared.row(run);
      if (sameRow(above, pixels)) zeros += end - y;
      else {
        flushZeros();
        pieces.push(shared.rowPiece(run));
        zeros += end - y - 1;
      }
      above = pixels;
      y = end;
    }
  };
  for (const strip of strips) {
    const rows = 'pixels' in strip ? strip.pixels.length / row : strip.rows;
    if (!Number.isInteger(strip.y) || strip.y < y || !Number.isInteger(rows) || strip.y + rows > height) {
      throw new RangeError(`encodeOverShared: a strip of ${rows} rows at row ${strip.y} does not fit a ${width}×${height} image after row ${y}`);
    }
    sharedRows(strip.y);
    const encoded = 'pixels' in strip ? encodeStrip(strip, width, above) : strip;
    if (encoded.last.length !== row || (encoded.above === undefined ? above !== undefined : !sameRow(above, encoded.above))) {
      throw new RangeError(`encodeOverShared: the strip at row ${strip.y} was encoded after another row than the one above it`);
    }
    zeros += encoded.lead;
    if (encoded.piece) {
      flushZeros();
      pieces.push(encoded.piece);
      zeros += encoded.trail;
    }
    above = encoded.last;
    y = strip.y + rows;
  }
  sharedRows(height);
  flushZeros();
  return pngFile(width, height, joinPieces(await Promise.all(pieces)));
}
