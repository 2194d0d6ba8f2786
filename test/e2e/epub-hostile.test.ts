/**
 * Hostile and broken EPUBs through the CLI: one clear line each, exit 1, nothing written, and
 * nothing inflated past the caps (zip bombs by size, by ratio and by lying sizes).
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { CONTAINER, epub2, ncxOf, xhtml } from '../helpers/make-epub.js';
import { rawZip, type RawEntry } from '../helpers/raw-zip.js';

const MIMETYPE: RawEntry = { name: 'mimetype', data: 'application/epub+zip', store: true };
const TEXT = `<p>${'The ferry crossed the lake at dusk and nobody aboard said a word. '.repeat(6)}</p>`;
const META = '<dc:title>Lake</dc:title><dc:creator>Ann</dc:creator><dc:language>en</dc:language><dc:identifier id="uid">lake-1</dc:identifier>';
const PAGES: [string, string][] = [['c1.xhtml', xhtml('One', `<h1>One</h1>${TEXT}`)]];
const OPF = `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="uid"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">${META}</metadata><manifest><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c1"/></spine></package>`;
const LAUGHS = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>`;
const ENCRYPTION = (uri: string, algorithm: string): string =>
  `<?xml version="1.0"?><encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:EncryptionMethod Algorithm="${algorithm}"/><enc:CipherData><enc:CipherReference URI="${uri}"/></enc:CipherData></enc:EncryptedData></encryption>`;

/** A well-formed book with `entries` added (or replacing the standard ones by name). */
function book(entries: RawEntry[], drop: string[] = []): Buffer {
  const standard: RawEntry[] = [MIMETYPE, { name: 'META-INF/container.xml', data: CONTAINER }, { name: 'OEBPS/content.opf', data: OPF }, { name: 'OEBPS/c1.xhtml', data: PAGES[0]![1] }];
  const names = new Set(entries.map((e) => e.name));
  return rawZip([...standard.filter((e) => !names.has(e.name) && !drop.includes(e.name)), ...entries]);
}

interface Case {
  name: string;
  bytes: () => Buffer;
  error: RegExp;
}

const MiB = 1024 * 1024;

const CASES: Case[] = [
  { name: 'a zip bomb by size (one entry inflating to 80 MB)', bytes: () => book([{ name: 'OEBPS/c1.xhtml', data: Buffer.alloc(80 * MiB, 0x20) }]), error: /looks like a zip bomb: entry "OEBPS\/c1.xhtml" would inflate to 80 MB \(limit 64 MB\)/ },
  { name: 'a zip bomb by ratio (2 MB of spaces, ~1000:1)', bytes: () => book([{ name: 'OEBPS/c1.xhtml', data: Buffer.alloc(2 * MiB, 0x20) }]), error: /looks like a zip bomb: entry "OEBPS\/c1.xhtml" inflates \d+ times its size \(limit 100\)/ },
  { name: 'an entry that lies about its size (declares 300 bytes, inflates 30 MB)', bytes: () => book([{ name: 'OEBPS/c1.xhtml', data: Buffer.concat([Buffer.from(PAGES[0]![1]), Buffer.alloc(30 * MiB, 0x20)]), declaredSize: 300 }]), error: /looks like a zip bomb: entry "OEBPS\/c1.xhtml" declares 300 bytes but holds \d+ compressed/ },
  { name: 'an entry name with ".."', bytes: () => book([{ name: 'OEBPS/../../evil.xhtml', data: 'x' }]), error: /unsafe archive entry name "OEBPS\/..\/..\/evil.xhtml" \(a parent-folder step/ },
  { name: 'an absolute entry name', bytes: () => book([{ name: '/etc/evil.xhtml', data: 'x' }]), error: /unsafe archive entry name "\/etc\/evil.xhtml" \(an absolute path\)/ },
  { name: 'an entry name with a backslash', bytes: () => book([{ name: 'OEBPS\\evil.xhtml', data: 'x' }]), error: /\(a backslash\)/ },
  { name: 'a duplicate entry name', bytes: () => rawZip([MIMETYPE, { name: 'META-INF/container.xml', data: CONTAINER }, { name: 'OEBPS/content.opf', data: OPF }, { name: 'OEBPS/c1.xhtml', data: PAGES[0]![1] }, { name: 'OEBPS/c1.xhtml', data: xhtml('Two', TEXT) }]), error: /has two archive entries named "OEBPS\/c1.xhtml"/ },
  { name: 'two container.xml files', bytes: () => book([{ name: 'meta-inf/container.xml', data: CONTAINER }]), error: /has 2 container.xml files/ },
  { name: 'no container.xml', bytes: () => book([], ['META-INF/container.xml']), error: /is not an EPUB: it has no META-INF\/container.xml/ },
  { name: 'no package document', bytes: () => book([], ['OEBPS/content.opf']), error: /its package document "OEBPS\/content.opf" is missing/ },
  { name: 'a broken zip', bytes: () => book([]).subarray(0, 200), error: /^.*is not a readable zip archive \(/ },
  { name: 'billion laughs in the package document', bytes: () => book([{ name: 'OEBPS/content.opf', data: OPF.replace('<?xml version="1.0"?>', LAUGHS).replace('<dc:title>Lake', '<dc:title>&lol3;') }]), error: /declares entities in a DTD in "OEBPS\/content.opf"; refused/ },
  { name: 'billion laughs in a content document', bytes: () => book([{ name: 'OEBPS/c1.xhtml', data: PAGES[0]![1].replace('<?xml version="1.0" encoding="UTF-8"?>', LAUGHS).replace('<h1>One', '<h1>&lol3;') }]), error: /declares entities in a DTD in "OEBPS\/c1.xhtml"; refused/ },
  { name: 'DRM: encryption.xml naming a content file', bytes: () => book([{ name: 'META-INF/encryption.xml', data: ENCRYPTION('OEBPS/c1.xhtml', 'http://www.w3.org/2001/04/xmlenc#aes128-cbc') }]), error: /is DRM-protected; fic2epub cannot read it/ },
  { name: 'DRM: Adobe rights.xml', bytes: () => book([{ name: 'META-INF/rights.xml', data: '<rights/>' }]), error: /is DRM-protected; fic2epub cannot read it/ },
  { name: 'DRM: Apple sinf.xml', bytes: () => book([{ name: 'META-INF/sinf.xml', data: '<sinf/>' }]), error: /is DRM-protected; fic2epub cannot read it/ },
];

describe('hostile EPUBs', function () {
  this.timeout(300000);
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'fic2epub-epub-hostile-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  for (const c of CASES) {
    it(`refuses ${c.name}: one line, exit 1, nothing written`, async () => {
      const file = join(tmp, 'in.epub');
      writeFileSync(file, c.bytes());
      const out = join(tmp, 'out');
      const r = await runCli(['build', file, '--out', out, '--cover', 'none']);
      expect(r.code, r.stderr).to.equal(1);
      const lines = r.stderr.trim().split('\n').filter((l) => !/^\d+ books? written|^0 books/.test(l));
      expect(lines.filter((l) => /error/i.test(l)), r.stderr).to.have.length(1);
      expect(r.stderr).to.match(c.error);
      expect(r.stderr).not.to.match(/\n\s+at /, 'no stack trace');
      expect(readdirSync(tmp).filter((n) => n !== 'out')).to.deep.equal(['in.epub']);
      expect(existsSync(out) ? readdirSync(out) : [], 'no book').to.deep.equal([]);
    });
  }

  it('reads a book whose encryption.xml only obfuscates fonts', async () => {
    const file = join(tmp, 'in.epub');
    writeFileSync(file, book([{ name: 'META-INF/encryption.xml', data: ENCRYPTION('OEBPS/fonts/a.otf', 'http://www.idpf.org/2008/embedding') }]));
    const r = await runCli(['build', file, '--out', join(tmp, 'out'), '--cover', 'none']);
    expect(r.code, r.stderr).to.equal(0);
  });

  it('reads a plain DOCTYPE without an internal subset (EPUB 2 XHTML)', async () => {
    const file = join(tmp, 'in.epub');
    const doctype = '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">';
    writeFileSync(file, epub2(META, [['c1.xhtml', xhtml('One', `<h1>One</h1>${TEXT}`).replace('<?xml version="1.0" encoding="UTF-8"?>', doctype)]], [], ncxOf([['One', 'c1.xhtml']])));
    const r = await runCli(['build', file, '--out', join(tmp, 'out'), '--cover', 'none']);
    expect(r.code, r.stderr).to.equal(0);
  });
});
