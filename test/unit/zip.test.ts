import { expect } from 'chai';
import JSZip from 'jszip';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { deflateRaw, writeZip, zipEntry } from '../../src/package/zip.js';

const MODIFIED = new Date('2009-12-29T13:45:58Z');

describe('zip', () => {
  it('writes an archive an independent reader (JSZip) reads back, in order, byte for byte', async () => {
    const big = 'Ein Absatz mit Umlauten: äöü — und mehr. '.repeat(5000);
    const png = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) % 256);
    const zip = writeZip(
      [zipEntry('mimetype', 'application/epub+zip', true), zipEntry('OEBPS/ch 1 é.xhtml', big), zipEntry('OEBPS/cover.png', png, true), zipEntry('empty.txt', '')],
      MODIFIED,
    );
    const read = await JSZip.loadAsync(zip);
    expect(Object.keys(read.files)).to.deep.equal(['mimetype', 'OEBPS/ch 1 é.xhtml', 'OEBPS/cover.png', 'empty.txt']);
    expect(await read.file('mimetype')!.async('string')).to.equal('application/epub+zip');
    expect(await read.file('OEBPS/ch 1 é.xhtml')!.async('string')).to.equal(big);
    expect(Buffer.from(await read.file('OEBPS/cover.png')!.async('uint8array')).equals(Buffer.from(png))).to.equal(true);
    expect(await read.file('empty.txt')!.async('string')).to.equal('');
  });
  it('stores mimetype first at the offsets EPUB readers look at, with no extra field', () => {
    const zip = writeZip([zipEntry('mimetype', 'application/epub+zip', true), zipEntry('a.xhtml', '<p/>')], MODIFIED);
    expect(zip.readUInt32LE(0)).to.equal(0x04034b50);
    expect(zip.readUInt16LE(8)).to.equal(0, 'stored');
    expect(zip.readUInt16LE(28)).to.equal(0, 'extra field length');
    expect(zip.subarray(30, 38).toString()).to.equal('mimetype');
    expect(zip.subarray(38, 58).toString()).to.equal('application/epub+zip');
    expect(zip.readUInt16LE(6) & 0x0008).to.equal(0, 'no data descriptor');
  });
  it('deflates text and stores what it is told to store', () => {
    const text = 'la '.repeat(10_000);
    expect(zipEntry('a', text).method).to.equal(8);
    expect(zipEntry('a', text).data.length).to.be.below(1000);
    expect(zipEntry('a', text, true).method).to.equal(0);
    expect(zipEntry('a', text, true).data.length).to.equal(30_000);
  });
  it('dates every entry in UTC, whatever the time zone', () => {
    const zip = writeZip([zipEntry('a', 'x')], MODIFIED);
    const time = zip.readUInt16LE(10);
    const date = zip.readUInt16LE(12);
    expect([(date >> 9) + 1980, (date >> 5) & 15, date & 31]).to.deep.equal([2009, 12, 29]);
    expect([time >> 11, (time >> 5) & 63, (time & 31) * 2]).to.deep.equal([13, 45, 58]);
  });
  it('gives the same bytes for the same entries', () => {
    const make = (): Buffer => writeZip([zipEntry('mimetype', 'application/epub+zip', true), zipEntry('b', 'Tea. '.repeat(999))], MODIFIED);
    expect(make().equals(make())).to.equal(true);
  });
  it('deflates content that recurs (a batch style sheet) to the same bytes as the first time', () => {
    const css = 'p { text-indent: 1.2em; margin: 0; }\n'.repeat(200);
    const first = zipEntry('OEBPS/style.css', css);
    zipEntry('OEBPS/c001.xhtml', '<p>Something else.</p>');
    const again = zipEntry('OEBPS/style.css', css);
    expect(Buffer.from(again.data).equals(deflateRawSync(Buffer.from(css), { level: 6 }))).to.equal(true);
    expect(Buffer.from(again.data).equals(Buffer.from(first.data))).to.equal(true);
  });
  it('deflates every entry to the bytes of zlib\'s own call, one after another through its kept stream', () => {
    // Empty, tiny, text, incompressible, and output longer than one 64 KiB chunk; then again.
    let seed = 7;
    const noise = Uint8Array.from({ length: 200_000 }, () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24);
    const inputs = [Buffer.alloc(0), Buffer.from('x'), Buffer.from('<p>Tea, then talk.</p>\n'.repeat(3000)), noise, Buffer.from('ä'.repeat(70_000))];
    for (const input of [...inputs, ...inputs]) {
      const data = deflateRaw(input);
      expect(data.equals(deflateRawSync(input, { level: 6 })), `${input.length} bytes`).to.equal(true);
      // Its own memory, exactly its size: a batch worker sends it whole to the main thread.
      expect(data.buffer.byteLength, `${input.length} bytes`).to.equal(data.length);
    }
  });
  it('never takes one content for another with the same CRC-32 and length', () => {
    // Two different 8-byte contents with one CRC-32: found among random ones (a birthday search).
    const seen = new Map<number, Buffer>();
    let pair: [Buffer, Buffer] | undefined;
    for (let i = 0; !pair; i++) {
      const b = Buffer.alloc(8);
      b.writeUInt32LE(i, 0);
      b.writeUInt32LE(Math.imul(i, 2654435761) >>> 0, 4);
      const c = crc32(b);
      const other = seen.get(c);
      if (other) pair = [other, b];
      else seen.set(c, b);
    }
    const [a, b] = pair;
    expect(crc32(a)).to.equal(crc32(b));
    expect(inflateRawSync(zipEntry('a', a).data).equals(a)).to.equal(true);
    expect(inflateRawSync(zipEntry('b', b).data).equals(b)).to.equal(true);
  });
  it('refuses duplicate names', () => {
    expect(() => writeZip([zipEntry('a', '1'), zipEntry('a', '2')], MODIFIED)).to.throw(/duplicate/);
  });
});
