/**
 * The robustness sweep's inputs: damaged and odd variants of the project's own fixtures (every
 * format), made in memory from a fixed seed, so every run sweeps the same bytes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { rawZip, type RawEntry } from './raw-zip.js';
import { repoRoot } from './paths.js';

/** One swept input. */
export interface Variant {
  /** `source ~ damage`, unique. */
  name: string;
  /** The damage done (the table's row). */
  damage: string;
  /** File name the input is saved under (its extension picks the readers, as a user's would). */
  file: string;
  bytes: Uint8Array;
  /** The source's words must all survive (the damage leaves every readable part readable). */
  keepsWords?: string;
  /** Draw the generated cover (titles read from damaged bytes reach the cover). */
  cover?: boolean;
}

/** xorshift32: the same numbers on every machine. */
export function seeded(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 2 ** 32;
  };
}

const STORY_EXT = new Set(['.txt', '.html', '.htm', '.md', '.epub']);

/** Every story fixture (test/fixtures/**, examples/); golden expectations and gate pages (refused whole, see hostile.test) left out. */
export function sweepSources(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (name !== 'expected' && name !== 'gate') walk(p);
      } else if (STORY_EXT.has(extname(name))) out.push(p);
    }
  };
  walk(join(repoRoot, 'test', 'fixtures'));
  walk(join(repoRoot, 'examples'));
  return out;
}

const enc = (s: string): Buffer => Buffer.from(s, 'utf8');
const cut = (b: Uint8Array, at: number): Uint8Array => b.subarray(0, Math.max(0, Math.min(b.length, Math.floor(at))));

/** An offset just inside a tag (after `<` and two characters) near `at`, or undefined. */
function midTag(b: Uint8Array, at: number): number | undefined {
  for (let i = Math.floor(at); i < b.length - 3; i++) if (b[i] === 0x3c && b[i + 1]! >= 0x61 && b[i + 1]! <= 0x7a) return i + 3;
  return undefined;
}

/** An offset between the lead byte and the first continuation byte of a multi-byte UTF-8 sequence near `at`. */
function midUtf8(b: Uint8Array, at: number): number | undefined {
  const from = Math.floor(at);
  for (let k = 0; k < b.length; k++) {
    const i = (from + k) % b.length;
    if (b[i]! >= 0xe0 && b[i]! < 0xf8 && i + 1 < b.length && (b[i + 1]! & 0xc0) === 0x80) return i + 1;
  }
  return undefined;
}

/** Text-format variants of one source. */
function textVariants(label: string, file: string, bytes: Uint8Array, rand: () => number): Variant[] {
  const ext = extname(file);
  const html = ext === '.html' || ext === '.htm';
  const text = Buffer.from(bytes).toString('utf8');
  // A source in a legacy encoding (the Aozora fixture's Shift_JIS) is not re-encoded: its text is not this.
  let utf8 = true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    utf8 = false;
  }
  const v: Variant[] = [];
  const add = (damage: string, b: Uint8Array, extra: Partial<Variant> = {}): void => void v.push({ name: `${label} ~ ${damage}`, damage, file: `in${ext}`, bytes: b, ...extra });
  add('as saved', bytes, { keepsWords: label });
  for (const [where, f] of [['early', 0.1 + rand() * 0.2], ['middle', 0.4 + rand() * 0.2], ['late', 0.7 + rand() * 0.25]] as const) add(`cut ${where}`, cut(bytes, bytes.length * f));
  const tagAt = midTag(bytes, bytes.length * (0.3 + rand() * 0.4));
  if (tagAt !== undefined) add('cut mid-tag', cut(bytes, tagAt));
  const u8 = midUtf8(bytes, bytes.length * rand());
  if (u8 !== undefined) add('cut mid-UTF-8', cut(bytes, u8));
  // Line ends and NULs are changed byte by byte (latin1 keeps every byte), so a Shift_JIS source stays Shift_JIS.
  const byteText = Buffer.from(bytes).toString('latin1');
  const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');
  add('CR-only line ends', latin1(byteText.replace(/\r?\n/g, '\r')), { keepsWords: label });
  let n = 0;
  add('mixed line ends', latin1(byteText.replace(/\r?\n/g, () => ['\r\n', '\n', '\r'][n++ % 3]!)), { keepsWords: label });
  const wrongCharset = html ? (/<meta[^>]*charset[^>]*>/i.test(text) ? text.replace(/<meta[^>]*charset[^>]*>/i, '<meta charset="iso-8859-1">') : text.replace(/<head[^>]*>/i, (m) => `${m}<meta charset="windows-1252">`)) : text;
  if (utf8) add(html ? 'BOM + wrong meta charset' : 'UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), enc(wrongCharset)]), { keepsWords: label, cover: true });
  if (utf8) add('UTF-16LE without BOM', iconv.encode(text, 'utf16le'), { keepsWords: label, cover: true });
  if (utf8) add('UTF-16BE without BOM', iconv.encode(text, 'utf16be'), { keepsWords: label, cover: true });
  // Windows-1252 punctuation bytes dropped into a page that is (and says it is) UTF-8.
  const declared = html && !/<meta[^>]*charset/i.test(text) ? text.replace(/<head[^>]*>/i, (m) => `${m}<meta charset="utf-8">`) : text;
  const parts: Buffer[] = [];
  let q = 0;
  for (const piece of declared.split(/(['"])/)) {
    if (piece === "'") parts.push(Buffer.from([0x92]));
    else if (piece === '"' && !html) parts.push(Buffer.from([q++ % 2 ? 0x94 : 0x93]));
    else parts.push(enc(piece));
  }
  if (utf8) add('Windows-1252 quotes in UTF-8', Buffer.concat(parts), { cover: true });
  let spaces = 0;
  add('NUL bytes', latin1(byteText.replace(/ /g, () => (spaces++ % 97 === 5 ? ' \0' : ' '))), { keepsWords: label, cover: true });
  if (html) {
    add('no <body> tags', enc(text.replace(/<\/?body[^>]*>/gi, '')), { keepsWords: label });
    add('no <html>/<head>/<body> tags', enc(text.replace(/<\/?(?:html|body|head)(?:\s[^>]*)?>/gi, '')));
    const depth = 20000;
    add('20,000 nested <div>s', enc(text.replace(/(<body[^>]*>)([\s\S]*)(<\/body>)/i, (_m, a: string, b: string, c: string) => `${a}${'<div>'.repeat(depth)}${b}${'</div>'.repeat(depth)}${c}`)));
    add('20,000 unclosed <div>s', enc(text.replace(/(<body[^>]*>)/i, (m) => `${m}${'<div>'.repeat(depth)}`)));
  }
  return v;
}

/** The entries of a well-formed EPUB, in order. */
async function entriesOf(bytes: Uint8Array): Promise<RawEntry[]> {
  const zip = await JSZip.loadAsync(bytes);
  const out: RawEntry[] = [];
  for (const name of Object.keys(zip.files)) {
    const f = zip.files[name]!;
    if (f.dir) continue;
    out.push({ name, data: await f.async('uint8array'), ...(name === 'mimetype' ? { store: true } : {}) });
  }
  return out;
}

/** EPUB variants of one source. */
async function epubVariants(label: string, bytes: Uint8Array, rand: () => number): Promise<Variant[]> {
  const v: Variant[] = [];
  const add = (damage: string, b: Uint8Array, extra: Partial<Variant> = {}): void => void v.push({ name: `${label} ~ ${damage}`, damage, file: 'in.epub', bytes: b, ...extra });
  const entries = await entriesOf(bytes);
  const size = (e: RawEntry): number => (typeof e.data === 'string' ? e.data.length : e.data.length);
  const pages = entries.filter((e) => /\.x?html?$/i.test(e.name));
  const page = pages.reduce((a, b) => (size(b) > size(a) ? b : a), pages[0]!);
  const opfName = /full-path="([^"]+)"/.exec(Buffer.from(entries.find((e) => e.name === 'META-INF/container.xml')!.data as Uint8Array).toString('utf8'))![1]!;
  const swap = (name: string, e: Partial<RawEntry>): RawEntry[] => entries.map((x) => (x.name === name ? { ...x, ...e } : x));
  add('as saved', bytes, { keepsWords: label });
  add('rezipped', rawZip(entries), { keepsWords: label });
  for (const [where, f] of [['early', 0.2 + rand() * 0.2], ['middle', 0.5 + rand() * 0.2], ['late', 0.8 + rand() * 0.15]] as const) add(`zip cut ${where}`, cut(bytes, bytes.length * f));
  add('zip cut in its end record', cut(bytes, bytes.length - 7));
  const zipped = rawZip(entries);
  const local = zipped.indexOf(Buffer.from(page.name, 'utf8'));
  add('zip cut mid-entry', cut(zipped, local + page.name.length + 5));
  add('no META-INF/container.xml', rawZip(entries.filter((e) => e.name !== 'META-INF/container.xml')));
  add('no package document', rawZip(entries.filter((e) => e.name !== opfName)));
  add('spine names a missing file', rawZip(entries.filter((e) => e !== page)));
  add('duplicate entry name', rawZip([...entries, { ...page }]));
  add('absolute entry name', rawZip([...entries, { name: '/abs/page.xhtml', data: 'x' }]));
  add('../ entry name', rawZip([...entries, { name: '../up.xhtml', data: 'x' }]));
  add('entry claims 4 GB', rawZip(swap(page.name, { declaredSize: 0xfffffff0 })));
  const encryption = `<?xml version="1.0"?><encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><enc:CipherData><enc:CipherReference URI="${page.name}"/></enc:CipherData></enc:EncryptedData></encryption>`;
  add('DRM encryption.xml', rawZip([...entries, { name: 'META-INF/encryption.xml', data: encryption }]));
  const xhtml = Buffer.from(page.data as Uint8Array).toString('utf8');
  add('XHTML not well-formed', rawZip(swap(page.name, { data: xhtml.replace(/<\/p>/g, '').replace(/<br\s*\/>/g, '<br>').replace(/\. /, '. & < ') })), { keepsWords: label });
  return v;
}

const PROSE = 'The lamplighter walked the length of the harbour wall and counted every boat twice before he let himself sit down. ';

/** Inputs made from nothing: empty, blank, huge, deep, all chrome, a zip bomb. */
function madeVariants(): Variant[] {
  const v: Variant[] = [];
  const add = (damage: string, file: string, b: Uint8Array | string, extra: Partial<Variant> = {}): void => void v.push({ name: `made ~ ${damage} (${file})`, damage, file, bytes: typeof b === 'string' ? enc(b) : b, ...extra });
  for (const f of ['in.txt', 'in.html', 'in.md', 'in.epub']) add('empty file', f, '');
  for (const f of ['in.txt', 'in.html', 'in.md']) add('whitespace only', f, ' \n\t\r\n   \n\n');
  const line = PROSE.repeat(Math.ceil((5 * 1024 * 1024) / PROSE.length));
  add('one 5 MB line', 'in.txt', `Title: Harbour\nAuthor: Wen\n\n${line}\n`);
  add('one 5 MB line', 'in.html', `<!DOCTYPE html><html><head><title>Harbour</title></head><body><h1>Harbour</h1><p>${line}</p></body></html>`);
  add('one 5 MB line', 'in.md', `# Harbour\n\n${line}\n`);
  add('20,000 nested <div>s', 'in.html', `<!DOCTYPE html><html><head><title>Deep</title></head><body>${'<div>'.repeat(20000)}<p>${PROSE.repeat(5)}</p>${'</div>'.repeat(20000)}</body></html>`);
  add('20,000 nested <blockquote>s', 'in.html', `<!DOCTYPE html><html><head><title>Deep</title></head><body>${'<blockquote>'.repeat(20000)}<p>${PROSE.repeat(5)}</p></body></html>`);
  add('20,000 nested <div>s without <body>', 'in.html', `${'<div>'.repeat(20000)}<p>${PROSE.repeat(5)}</p>`);
  add('HTML without <body>', 'in.html', `<title>Harbour</title><h1>Harbour</h1><p>${PROSE.repeat(8)}</p><p>${PROSE.repeat(8)}</p>`, { keepsWords: 'made' });
  add('all chrome, no story', 'in.html', `<!DOCTYPE html><html><head><title>My Journal</title></head><body><nav><a href="/">Home</a> <a href="/archive">Archive</a> <a href="/tags">Tags</a></nav><header><h1>My Journal</h1></header><aside class="sidebar"><h2>Links</h2><ul><li><a href="/a">Friends</a></li><li><a href="/b">Memories</a></li></ul></aside><div id="comments" class="comments"><h2>Comments</h2><form><textarea name="body"></textarea><button>Post comment</button></form></div><footer>© 2024 · Privacy · Terms · Contact</footer></body></html>`);
  // 100 MB of one byte deflates to ~100 KB: must be refused or read with a bound.
  add('zip bomb', 'in.epub', rawZip([
    { name: 'mimetype', data: 'application/epub+zip', store: true },
    { name: 'META-INF/container.xml', data: '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>' },
    { name: 'OEBPS/content.opf', data: '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="uid"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Bomb</dc:title><dc:identifier id="uid">b</dc:identifier><dc:language>en</dc:language></metadata><manifest><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c1"/></spine></package>' },
    { name: 'OEBPS/c1.xhtml', data: Buffer.alloc(100 * 1024 * 1024, 0x20) },
  ]));
  return v;
}

/** Every variant of every source, in a fixed order. */
export async function sweepVariants(seed = 0x5eed2026): Promise<Variant[]> {
  const rand = seeded(seed);
  const out: Variant[] = [];
  for (const path of sweepSources()) {
    const label = relative(repoRoot, path).replace(/^test\/fixtures\//, '');
    const bytes = readFileSync(path);
    if (extname(path) === '.epub') out.push(...(await epubVariants(label, bytes, rand)));
    else out.push(...textVariants(label, path, bytes, rand));
  }
  out.push(...madeVariants());
  return out;
}
