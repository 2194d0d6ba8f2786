import { expect } from 'chai';
import iconv from 'iconv-lite';
import { cleanText, decode, looksBinary } from '../../src/read/decode.js';

describe('decode', () => {
  it('reads UTF-8 with and without a BOM', () => {
    expect(decode(Buffer.from('Café Story', 'utf8')).text).to.equal('Café Story');
    const bom = decode(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Café', 'utf8')]));
    expect(bom.text).to.equal('Café');
    expect(bom.encoding).to.equal('utf-8');
  });
  it('reads UTF-16 LE and BE with a BOM', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Café “Story”', 'utf16le')]);
    expect(decode(le)).to.deep.include({ text: 'Café “Story”', encoding: 'utf-16le' });
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode('Café Story', 'utf-16be')]);
    expect(decode(be)).to.deep.include({ text: 'Café Story', encoding: 'utf-16be' });
  });
  it('decodes windows-1252 curly quotes and accents, with a warning', () => {
    const text = '“Café,” she said — naïve as ever. It’s déjà vu, Zoë. '.repeat(8);
    const d = decode(iconv.encode(text, 'windows-1252'));
    expect(d.text).to.equal(text);
    expect(d.diagnostics.map((x) => x.code)).to.include('read-004');
  });
  it('rejects empty and binary input', () => {
    expect(() => decode(new Uint8Array())).to.throw(/empty/);
    expect(() => decode(Buffer.from('  \n\n  '))).to.throw(/no text/);
    expect(() => decode(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).to.throw(/binary/);
    expect(looksBinary(Buffer.from('plain text\n'))).to.equal(false);
  });
  it('removes characters XML forbids and normalises line ends', () => {
    const r = cleanText('a\u0000b\u0007c\r\nd\re\uFFFEf\uD800g\uDC00h\u{1FFFF}i');
    expect(r.text).to.equal('abc\nd\nefghi');
    expect(r.removed).to.equal(6);
    expect(cleanText('emoji 😀 stays').text).to.equal('emoji 😀 stays');
  });
});
