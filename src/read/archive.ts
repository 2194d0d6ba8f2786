/**
 * Safe in-memory zip reading (for EPUB input). Nothing is ever written to disk; every entry is
 * checked before a byte is inflated: entry count, declared sizes (per entry, in all, and against
 * the compressed size), names that could escape a folder, duplicates. An entry that inflates to
 * more than it declared is stopped as soon as it passes the declaration (yauzl checks it, and the
 * reader counts too). Each problem is one InputError line (read-011).
 */
import { createRequire } from 'node:module';
import type * as Yauzl from 'yauzl';
import { InputError } from '../diagnostics.js';

const load = createRequire(import.meta.url);

/** Caps on what an archive may hold; generous for real books, tight enough to bound memory. */
export interface ArchiveLimits {
  /** Most entries (files and folders) in one archive. */
  maxEntries: number;
  /** Most bytes one entry may inflate to. */
  maxEntryBytes: number;
  /** Most bytes all entries together may inflate to. */
  maxTotalBytes: number;
  /** Most times an entry may inflate past its compressed size, once it is larger than `ratioFloorBytes`. */
  maxRatio: number;
  /** Entries that inflate to less than this are not held to the ratio (a page of spaces is fine). */
  ratioFloorBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 10_000,
  maxEntryBytes: 64 * MiB,
  maxTotalBytes: 256 * MiB,
  maxRatio: 100,
  ratioFloorBytes: 1 * MiB,
};

/** A zip read into memory: file names in archive order, and their bytes on demand. */
export interface Archive {
  /** File entries (folders left out), in the order the archive lists them. */
  readonly names: readonly string[];
  has(name: string): boolean;
  /** Inflated size the archive declares for a file (checked against the caps already). */
  size(name: string): number;
  /** The file's bytes; an unknown name is an InputError. */
  read(name: string): Promise<Uint8Array>;
  /** The file as UTF-8 text, without a byte-order mark. */
  readText(name: string): Promise<string>;
  /** Name of the first entry (EPUB puts `mimetype` there). */
  readonly firstEntryName: string | undefined;
}

const fail = (message: string): never => {
  throw new InputError('read-011', message);
};

/** True when the bytes start like a zip archive (a local file header or an empty archive). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

/** True when the bytes are an EPUB by its signature: `mimetype` stored first, saying `application/epub+zip`. */
export function looksLikeEpub(bytes: Uint8Array): boolean {
  if (!looksLikeZip(bytes) || bytes.length < 58) return false;
  return Buffer.from(bytes.buffer, bytes.byteOffset + 30, 28).toString('latin1') === 'mimetypeapplication/epub+zip';
}

/** Why an entry name is unsafe to honour, or undefined when it is fine. */
export function unsafeEntryName(name: string): string | undefined {
  if (name === '') return 'an empty name';
  if (name.includes('\\')) return 'a backslash';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'an absolute path';
  if (name.split('/').includes('..')) return 'a parent-folder step ("..")';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(name)) return 'a control character';
  return undefined;
}

const mb = (n: number): string => `${(n / MiB).toFixed(n < 10 * MiB ? 1 : 0)} MB`;
const shown = (name: string): string => JSON.stringify(name.length > 80 ? name.slice(0, 77) + '…' : name);

/** Open a zip held in memory, checking every entry's name and declared sizes against the limits. */
export async function openArchive(bytes: Uint8Array, limits: Partial<ArchiveLimits> = {}): Promise<Archive> {
  const lim = { ...DEFAULT_ARCHIVE_LIMITS, ...limits };
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Loaded on the first archive only: the registry holds the EPUB format, so this module loads at every start.
  const yauzl = load('yauzl') as typeof Yauzl;
  const zip = await new Promise<Yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(buffer, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (err, z) =>
      err || !z ? reject(new InputError('read-011', `is not a readable zip archive (${(err?.message ?? 'no archive').split('\n')[0]})`)) : resolve(z),
    ),
  );
  if (zip.entryCount > lim.maxEntries) fail(`holds ${zip.entryCount} archive entries (at most ${lim.maxEntries} are read)`);

  const entries = new Map<string, Yauzl.Entry>();
  const names: string[] = [];
  let total = 0;
  let first: string | undefined;
  await new Promise<void>((resolve, reject) => {
    zip.on('error', (e: Error) => reject(e instanceof InputError ? e : new InputError('read-011', `is not a readable zip archive (${e.message.split('\n')[0]})`)));
    zip.on('end', () => resolve());
    zip.on('entry', (entry: Yauzl.Entry) => {
      try {
        const raw = entry.fileName as unknown as Buffer;
        // strictFileNames keeps backslashes so they can be refused instead of silently turned into folders
        const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, true).normalize('NFC');
        const why = unsafeEntryName(name);
        if (why) fail(`has an unsafe archive entry name ${shown(name)} (${why})`);
        first ??= name;
        if (!name.endsWith('/')) {
          if (entries.has(name)) fail(`has two archive entries named ${shown(name)}`);
          // Deflate never grows data by more than a few bytes a block: more is a size that lies.
          if (entry.compressionMethod === 8 && entry.compressedSize > entry.uncompressedSize + (entry.uncompressedSize >> 10) + 1024)
            fail(`looks like a zip bomb: entry ${shown(name)} declares ${entry.uncompressedSize} bytes but holds ${entry.compressedSize} compressed`);
          if (entry.uncompressedSize > lim.maxEntryBytes) fail(`looks like a zip bomb: entry ${shown(name)} would inflate to ${mb(entry.uncompressedSize)} (limit ${mb(lim.maxEntryBytes)})`);
          if (entry.uncompressedSize > lim.ratioFloorBytes && entry.uncompressedSize > lim.maxRatio * Math.max(1, entry.compressedSize))
            fail(`looks like a zip bomb: entry ${shown(name)} inflates ${Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize))} times its size (limit ${lim.maxRatio})`);
          total += entry.uncompressedSize;
          if (total > lim.maxTotalBytes) fail(`looks like a zip bomb: its entries would inflate to more than ${mb(lim.maxTotalBytes)} in all`);
          entries.set(name, entry);
          names.push(name);
        }
        zip.readEntry();
      } catch (e) {
        zip.close();
        reject(e);
      }
    });
    zip.readEntry();
  });

  const read = async (name: string): Promise<Uint8Array> => {
    const entry = entries.get(name);
    if (!entry) return fail(`has no archive entry ${shown(name)}`);
    if (entry.isEncrypted()) fail(`has an encrypted archive entry ${shown(name)}`);
    const declared = entry.uncompressedSize;
    return new Promise<Uint8Array>((resolve, reject) => {
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) return reject(new InputError('read-011', `has a damaged archive entry ${shown(name)} (${(err?.message ?? 'no data').split('\n')[0]})`));
        const chunks: Buffer[] = [];
        let got = 0;
        stream.on('data', (chunk: Buffer) => {
          got += chunk.length;
          // yauzl stops a lying entry too; counting here keeps the bound even if that check changes
          if (got > declared) {
            stream.destroy();
            reject(new InputError('read-011', `looks like a zip bomb: entry ${shown(name)} inflates past the ${declared} bytes it declares`));
            return;
          }
          chunks.push(chunk);
        });
        stream.on('error', (e: Error) =>
          reject(new InputError('read-011', /too many bytes/.test(e.message) ? `looks like a zip bomb: entry ${shown(name)} inflates past the ${declared} bytes it declares` : `has a damaged archive entry ${shown(name)} (${e.message.split('\n')[0]})`)),
        );
        stream.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks, got))));
      });
    });
  };

  return {
    names,
    firstEntryName: first,
    has: (name) => entries.has(name),
    size: (name) => entries.get(name)?.uncompressedSize ?? 0,
    read,
    readText: async (name) => new TextDecoder('utf-8').decode(await read(name)).replace(/^\uFEFF/, ''),
  };
}
