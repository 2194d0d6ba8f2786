/**
 * The entries of a book fic2epub wrote, read in memory (yauzl). Stand-in until the shared
 * safe archive reader (src/read/archive.ts) lands: only this function's body changes then.
 */
import yauzl from 'yauzl';

/** Cap on a book's unpacked size: an update reads only our own books, far smaller. */
const MAX_TOTAL = 512 * 1024 * 1024;

/** Every file entry of a ZIP archive by name. Rejects what is not a readable ZIP. */
export function readEntries(bytes: Uint8Array): Promise<Map<string, Uint8Array>> {
  return new Promise((resolvePromise, reject) => {
    yauzl.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true, decodeStrings: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('not a ZIP archive'));
      const out = new Map<string, Uint8Array>();
      let total = 0;
      zip.on('error', reject);
      zip.on('end', () => resolvePromise(out));
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
            out.set(entry.fileName, new Uint8Array(Buffer.concat(chunks)));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
