import { expect } from 'chai';
import { InputError } from '../../src/diagnostics.js';
import { looksLikeEpub, looksLikeZip, openArchive, unsafeEntryName, type ArchiveLimits } from '../../src/read/archive.js';
import { writeZip, zipEntry } from '../../src/package/zip.js';
import { rawZip } from '../helpers/raw-zip.js';

/** The one-line message openArchive (and a read) fails with, or 'ok'. */
async function failure(bytes: Uint8Array, limits: Partial<ArchiveLimits> = {}, readAll = true): Promise<string> {
  try {
    const a = await openArchive(bytes, limits);
    if (readAll) for (const n of a.names) await a.read(n);
    return 'ok';
  } catch (e) {
    expect(e).to.be.instanceOf(InputError);
    expect((e as InputError).code).to.equal('read-011');
    expect((e as Error).message).not.to.include('\n');
    return (e as Error).message;
  }
}

/** Bytes deflate cannot shrink (xorshift). */
function noise(n: number): Buffer {
  const out = Buffer.alloc(n);
  let x = 2463534242;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('archive (safe in-memory zip reading)', () => {
  it('reads names in order and bytes back, folders left out', async () => {
    const zip = writeZip([zipEntry('mimetype', 'application/epub+zip', true), zipEntry('META-INF/', ''), zipEntry('OEBPS/ch 1 é.xhtml', '\uFEFF<p>Tea.</p>'), zipEntry('a.bin', new Uint8Array([0, 1, 2]))], new Date(0));
    const a = await openArchive(zip);
    expect(a.names).to.deep.equal(['mimetype', 'OEBPS/ch 1 é.xhtml', 'a.bin']);
    expect(a.firstEntryName).to.equal('mimetype');
    expect(await a.readText('OEBPS/ch 1 é.xhtml')).to.equal('<p>Tea.</p>');
    expect([...(await a.read('a.bin'))]).to.deep.equal([0, 1, 2]);
    expect(a.has('a.bin')).to.equal(true);
    expect(a.size('mimetype')).to.equal(20);
    expect(await a.read('missing').catch((e: Error) => e.message)).to.match(/no archive entry "missing"/);
    expect(looksLikeEpub(zip)).to.equal(true);
    expect(looksLikeZip(zip)).to.equal(true);
    expect(looksLikeEpub(rawZip([{ name: 'a', data: 'x' }]))).to.equal(false);
    expect(looksLikeZip(Buffer.from('plain text'))).to.equal(false);
  });
  it('refuses names with "..", absolute paths, drive letters, backslashes', async () => {
    expect(await failure(rawZip([{ name: 'OEBPS/../../etc/passwd', data: 'x' }]))).to.match(/unsafe archive entry name ".*" \(a parent-folder step/);
    expect(await failure(rawZip([{ name: '/etc/passwd', data: 'x' }]))).to.match(/absolute path/);
    expect(await failure(rawZip([{ name: 'C:/x.txt', data: 'x' }]))).to.match(/absolute path/);
    expect(await failure(rawZip([{ name: 'OEBPS\\..\\x.txt', data: 'x' }]))).to.match(/backslash/);
    expect(unsafeEntryName('OEBPS/a..b.xhtml')).to.equal(undefined);
  });
  it('refuses duplicate names', async () => {
    expect(await failure(rawZip([{ name: 'a.xhtml', data: 'x' }, { name: 'a.xhtml', data: 'y' }]))).to.equal('has two archive entries named "a.xhtml"');
  });
  it('refuses broken zips in one line', async () => {
    const good = writeZip([zipEntry('a.txt', 'hello '.repeat(100))], new Date(0));
    expect(await failure(good.subarray(0, good.length - 10))).to.match(/^is not a readable zip archive \(/);
    expect(await failure(Buffer.from('PK\u0003\u0004 nothing else'))).to.match(/^is not a readable zip archive/);
    const corrupt = Buffer.from(good);
    corrupt.fill(0xff, 35, 40); // the first deflate block header: an invalid block type
    expect(await failure(corrupt)).to.match(/^has a damaged archive entry "a.txt" \(invalid block type\)/);
  });
  it('refuses too many entries before reading any', async () => {
    const zip = rawZip(Array.from({ length: 11 }, (_, i) => ({ name: `f${i}`, data: 'x' })));
    expect(await failure(zip, { maxEntries: 10 })).to.equal('holds 11 archive entries (at most 10 are read)');
    expect(await failure(zip, { maxEntries: 11 })).to.equal('ok');
  });
  it('refuses zip bombs by declared size, total size and ratio, before inflating', async () => {
    const zeros = Buffer.alloc(4 * 1024 * 1024); // deflates about 1000:1
    const bomb = rawZip([{ name: 'z', data: zeros }]);
    expect(await failure(bomb, { maxEntryBytes: 1024 * 1024 }, false)).to.match(/zip bomb: entry "z" would inflate to 4.0 MB \(limit 1.0 MB\)/);
    expect(await failure(bomb, {}, false)).to.match(/zip bomb: entry "z" inflates \d+ times its size \(limit 100\)/);
    expect(await failure(bomb, { maxRatio: 2000 })).to.equal('ok');
    const many = rawZip(Array.from({ length: 5 }, (_, i) => ({ name: `p${i}`, data: Buffer.alloc(300_000, 97 + i), store: true })));
    expect(await failure(many, { maxTotalBytes: 1_000_000 }, false)).to.match(/inflate to more than 1.0 MB in all/);
    expect(await failure(many, { maxTotalBytes: 1_500_000 })).to.equal('ok');
  });
  it('stops an entry that inflates past the size it declares', async () => {
    // 2 MB of zeros deflate to about 2 KB: declaring 5,000 bytes passes the look at the sizes.
    const liar = rawZip([{ name: 'small.txt', data: Buffer.alloc(2_000_000), declaredSize: 5000 }]);
    const a = await openArchive(liar);
    expect(await a.read('small.txt').catch((e: Error) => e.message)).to.match(/zip bomb: entry "small.txt" inflates past the 5000 bytes it declares/);
  });
  it('refuses an entry that declares less than its compressed size could hold', async () => {
    const liar = rawZip([{ name: 'small.txt', data: noise(20_000), declaredSize: 100 }]);
    expect(await failure(liar, {}, false)).to.match(/zip bomb: entry "small.txt" declares 100 bytes but holds \d+ compressed/);
  });
  it('refuses encrypted entries', async () => {
    const zip = rawZip([{ name: 'secret.xhtml', data: 'x', flags: 1 }]);
    expect(await failure(zip)).to.match(/encrypted archive entry "secret.xhtml"/);
  });
});
