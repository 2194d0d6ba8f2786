/**
 * The EPUB's ZIP container, from entries compressed ahead of time with Node's own zlib.
 *
 * Why not a zip library: the ones measured either deflate in JavaScript (JSZip/pako, fflate:
 * 1.1–1.2 s for the 24 MB bench anthology, against 0.63 s for zlib at the same level) or start
 * every entry's compression at once (yazl: 1.28 GB peak for the same anthology); none takes an
 * entry that is already compressed, which is what lets batch workers compress pages on both
 * cores while the main thread only writes the container. The compression is zlib's; this file
 * frames it (APPNOTE 6.3: local headers with sizes known up front, no data descriptors, no
 * extra fields, DOS times, a central directory), without ZIP64: an EPUB over 4 GiB is refused.
 */
import { constants, crc32, createDeflateRaw, deflateRawSync, type DeflateRaw } from 'node:zlib';

/** One file of the archive, compressed ahead of writing (a batch worker compresses its stories'
 * pages itself): its path in the archive, the bytes as stored (deflated when `method` is 8, as
 * is when 0), their CRC-32 and uncompressed size. */
export interface ZipEntry {
  name: string;
  method: 0 | 8;
  crc: number;
  size: number;
  data: Uint8Array;
}

const LIMIT = 0xffffffff;
const UTF8_NAMES = 0x0800;
const VERSION = 20; // 2.0: deflate
const MADE_BY_UNIX = (3 << 8) | VERSION;
const FILE_MODE = 0o100644;

/** An entry from its content: deflated (zlib level 6) unless `store` (mimetype, images). */
export function zipEntry(name: string, content: Uint8Array | string, store = false): ZipEntry {
  const text = typeof content === 'string' && !store ? recentTexts.get(content) : undefined;
  if (text) return { name, method: 8, ...text };
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const crc = crc32(bytes);
  if (store) return { name, method: 0, crc, size: bytes.length, data: bytes };
  const { data, again } = deflated(bytes, crc);
  // Text deflated before (the style sheet, container.xml) is kept by its text: the next book
  // neither encodes nor checksums it again.
  if (again && typeof content === 'string') remember(content, { crc, size: bytes.length, data });
  return { name, method: 8, crc, size: bytes.length, data };
}

// Every book of a batch carries the same style sheet and container.xml: their deflated bytes are
// kept for the next book (zlib gives the same output for the same input, so the book is the same).
// A quarter of a seed-sized book's deflate input was its style sheet.
const RECENT_ENTRIES = 16;
const RECENT_MAX_BYTES = 64 * 1024;
const recent = new Map<string, { bytes: Uint8Array; data: Buffer }>();

/** Text whose bytes were deflated more than once lately, with its entry's fields (the same limits). */
const recentTexts = new Map<string, { crc: number; size: number; data: Buffer }>();

function remember(text: string, fields: { crc: number; size: number; data: Buffer }): void {
  recentTexts.set(text, fields);
  if (recentTexts.size > RECENT_ENTRIES) recentTexts.delete(recentTexts.keys().next().value!);
}

/** `bytes` deflated, from the recent entries when the same bytes were deflated lately (`again`). */
function deflated(bytes: Uint8Array, crc: number): { data: Buffer; again: boolean } {
  if (bytes.length > RECENT_MAX_BYTES) return { data: deflateRaw(bytes), again: false };
  const key = `${crc}:${bytes.length}`;
  const hit = recent.get(key);
  if (hit && Buffer.compare(hit.bytes, bytes) === 0) {
    recent.delete(key);
    recent.set(key, hit);
    return { data: hit.data, again: true };
  }
  const data = deflateRaw(bytes);
  recent.delete(key);
  recent.set(key, { bytes, data });
  if (recent.size > RECENT_ENTRIES) recent.delete(recent.keys().next().value!);
  return { data, again: false };
}

/** The native side of a zlib stream, which Node does not document (its sync functions drive it so). */
interface ZlibHandle {
  writeSync(flush: number, input: Uint8Array, inOffset: number, inLength: number, output: Uint8Array, outOffset: number, outLength: number): void;
  reset(): void;
}
/** The thread's one deflate stream, reset after each entry; undefined once it failed or is not there. */
let stream: { zlib: DeflateRaw; handle: ZlibHandle; state: Uint32Array } | undefined | null;
let scratch: Buffer | undefined;

/**
 * `deflateRawSync(bytes, { level: 6 })`, byte for byte, through one stream kept for the thread:
 * a reset stream starts as a new one does, without a new one's set-up and a quarter megabyte of
 * fresh memory per entry (a seed-sized book has eight entries; 20 % of zlib's time went there).
 * The result owns its memory, exactly its size (zlib's own sync call gives a view of 16 KiB,
 * all of which a batch worker would copy back to the main thread).
 */
export function deflateRaw(bytes: Uint8Array): Buffer {
  if (stream === undefined) {
    const zlib = createDeflateRaw({ level: 6 });
    // Its error is also emitted as an event, which nothing else hears: zlib's own call reports it.
    zlib.on('error', () => undefined);
    const { _handle: handle, _writeState: state } = zlib as unknown as { _handle?: ZlibHandle; _writeState?: Uint32Array };
    stream = typeof handle?.writeSync === 'function' && typeof handle.reset === 'function' && state instanceof Uint32Array ? { zlib, handle, state } : null;
  }
  if (!stream) return deflateRawSync(bytes, { level: 6 });
  const { zlib, handle, state } = stream;
  scratch ??= Buffer.allocUnsafeSlow(64 * 1024);
  const chunks: Buffer[] = [];
  let inOffset = 0;
  let inLength = bytes.length;
  for (;;) {
    handle.writeSync(constants.Z_FINISH, bytes, inOffset, inLength, scratch, 0, scratch.length);
    // A failed stream is destroyed: zlib's own call says why.
    if (zlib.destroyed) {
      stream = null;
      return deflateRawSync(bytes, { level: 6 });
    }
    const [outLeft, inLeft] = [state[0]!, state[1]!];
    const chunk = Buffer.allocUnsafeSlow(scratch.length - outLeft);
    scratch.copy(chunk, 0, 0, chunk.length);
    chunks.push(chunk);
    inOffset += inLength - inLeft;
    inLength = inLeft;
    // Output space left over means zlib has finished.
    if (outLeft !== 0) break;
  }
  handle.reset();
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** MS-DOS date and time fields of a date, read in UTC (so every time zone writes the same bytes). */
function dosTime(d: Date): { date: number; time: number } {
  const year = Math.min(Math.max(d.getUTCFullYear(), 1980), 2107);
  return {
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
  };
}

/** The fields a local header and a central directory header share, from "version needed" to the
 * name's length (26 bytes). */
function entryFields(out: Buffer, at: number, e: ZipEntry, nameLength: number, time: number, date: number): void {
  out.writeUInt16LE(VERSION, at);
  out.writeUInt16LE(UTF8_NAMES, at + 2);
  out.writeUInt16LE(e.method, at + 4);
  out.writeUInt16LE(time, at + 6);
  out.writeUInt16LE(date, at + 8);
  out.writeUInt32LE(e.crc >>> 0, at + 10);
  out.writeUInt32LE(e.data.length, at + 14);
  out.writeUInt32LE(e.size, at + 18);
  out.writeUInt16LE(nameLength, at + 22);
}

/**
 * The archive bytes: entries in the order given (an EPUB's `mimetype` first and stored), every
 * entry dated `modified`. Throws on duplicate names or past the 4 GiB / 65,535-entry limits.
 */
export function writeZip(entries: ZipEntry[], modified: Date): Buffer {
  if (entries.length > 0xffff) throw new RangeError(`too many files for a ZIP without ZIP64: ${entries.length}`);
  const { date, time } = dosTime(modified);
  const seen = new Set<string>();
  const names = entries.map((e) => {
    if (seen.has(e.name)) throw new Error(`duplicate file in the book: ${e.name}`);
    seen.add(e.name);
    return Buffer.from(e.name, 'utf8');
  });
  const localSize = entries.reduce((n, e, i) => n + 30 + names[i]!.length + e.data.length, 0);
  const centralSize = names.reduce((n, name) => n + 46 + name.length, 0);
  const total = localSize + centralSize + 22;
  if (localSize > LIMIT || total > LIMIT || entries.some((e) => e.size > LIMIT)) throw new RangeError('the book is over 4 GiB, too big for a ZIP without ZIP64');
  // Its own memory (not Node's shared pool), so it can be transferred between threads.
  const out = Buffer.from(new ArrayBuffer(total));
  const offsets: number[] = [];
  let at = 0;
  entries.forEach((e, i) => {
    const name = names[i]!;
    offsets.push(at);
    out.writeUInt32LE(0x04034b50, at);
    entryFields(out, at + 4, e, name.length, time, date);
    out.writeUInt16LE(0, at + 28); // no extra field
    out.set(name, at + 30);
    out.set(e.data, at + 30 + name.length);
    at += 30 + name.length + e.data.length;
  });
  const centralStart = at;
  entries.forEach((e, i) => {
    const name = names[i]!;
    out.writeUInt32LE(0x02014b50, at);
    out.writeUInt16LE(MADE_BY_UNIX, at + 4);
    entryFields(out, at + 6, e, name.length, time, date);
    // extra length, comment length, disk number, internal attributes: 0
    out.writeUInt32LE((FILE_MODE << 16) >>> 0, at + 38);
    out.writeUInt32LE(offsets[i]!, at + 42);
    out.set(name, at + 46);
    at += 46 + name.length;
  });
  out.writeUInt32LE(0x06054b50, at);
  out.writeUInt16LE(entries.length, at + 8);
  out.writeUInt16LE(entries.length, at + 10);
  out.writeUInt32LE(at - centralStart, at + 12);
  out.writeUInt32LE(centralStart, at + 16);
  return out;
}
