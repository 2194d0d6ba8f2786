/**
 * The entries of a book fic2epub wrote, read in memory (yauzl). A stand-in with the shape of the
 * shared safe archive reader (`openArchive` in src/read/archive.ts, branch epubin): once that is
 * merged, src/update/existing.ts imports it instead and this file goes.
 */
import yauzl from 'yauzl';

/** Cap on a book's unpacked size: an update reads only our own books, far smaller. */
const MAX_TOTAL = 256 * 1024 * 1024;

/** A zip read into memory: its file names, and their bytes. */
export interface Archive {
  readonly names: readonly string[];
  has(name: string): boolean;
  read(name: string): Promise<Uint8Array>;
}

/** Open a zip held in memory; rejects what is not a readable zip or unpacks past the cap. */
export function openArchive(bytes: Uint8Array): Promise<Archive> {
  return new Promise((resolvePromise, reject) => {
    yauzl.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true, decodeStrings: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('not a zip archive'));
      const files = new Map<string, Uint8Array>();
      let total = 0;
      zip.on('error', reject);
      zip.on('end', () => resolvePromise({
        names: [...files.keys()],
        has: (name) => files.has(name),
        read: async (name) => files.get(name) ?? Promise.reject(new Error(`no ${name} in the archive`)),
      }));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        total += entry.uncompressedSize;
        if (total > MAX_TOTAL) return reject(new Error('the archive is too large to be a book fic2epub wrote'));
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error(`cannot read ${entry.fileName}`));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            files.set(entry.fileName, new Uint8Array(Buffer.concat(chunks)));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
