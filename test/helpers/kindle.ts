/**
 * Send to Kindle's known rules, each a check on a finished EPUB (what the fixers repair, see
 * src/package/kindle.ts). `kindleProblems` lists every broken rule; empty means none.
 */
import JSZip from 'jszip';
import { KINDLE_LANGUAGES, KINDLE_MAIL_LIMIT } from '../../src/package/kindle.js';

/** The rules by name, for tests that break each one. */
export const KINDLE_RULES = ['xml-declaration', 'language', 'body-id-link', 'img-src', 'ncx-order', 'file-names', 'size'] as const;
export type KindleRule = (typeof KINDLE_RULES)[number];

export interface KindleProblem {
  rule: KindleRule;
  message: string;
}

const XML_DECLARATION = /^<\?xml\s+version=["'][\d.]+["']\s+encoding=["']utf-8["']\s*\?>/i;

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i + 1);
}

/** Resolve `href` (relative, fragment kept apart) against the folder of `from`. */
function resolve(from: string, href: string): { file: string; fragment?: string } {
  const [path, fragment] = href.split('#') as [string, string | undefined];
  const parts = (dirOf(from) + decodeURIComponent(path)).split('/');
  const out: string[] = [];
  for (const p of parts) if (p === '..') out.pop(); else if (p !== '.') out.push(p);
  return { file: path === '' ? from : out.join('/'), ...(fragment !== undefined ? { fragment } : {}) };
}

/** Every broken Send to Kindle rule of an EPUB. */
export async function kindleProblems(bytes: Uint8Array): Promise<KindleProblem[]> {
  const problems: KindleProblem[] = [];
  const zip = await JSZip.loadAsync(bytes);
  const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir);
  const text = async (n: string): Promise<string> => zip.file(n)!.async('string');
  if (bytes.length > KINDLE_MAIL_LIMIT) problems.push({ rule: 'size', message: `${bytes.length} bytes, over 50 MB` });
  for (const n of names) if (!/^[A-Za-z0-9._/-]+$/.test(n)) problems.push({ rule: 'file-names', message: `file name not plain ASCII without spaces: ${n}` });
  const xmlFiles = names.filter((n) => /\.(?:xhtml|html|htm|xml|opf|ncx|svg)$/i.test(n));
  const docs = new Map<string, string>();
  for (const n of xmlFiles) {
    const t = await text(n);
    docs.set(n, t);
    if (!XML_DECLARATION.test(t)) problems.push({ rule: 'xml-declaration', message: `no UTF-8 XML declaration: ${n}` });
  }
  const container = docs.get('META-INF/container.xml') ?? '';
  const opfPath = container.match(/full-path="([^"]+)"/)?.[1] ?? '';
  const opf = docs.get(opfPath) ?? '';
  const lang = opf.match(/<dc:language[^>]*>([^<]*)</)?.[1]?.trim();
  if (!lang || !KINDLE_LANGUAGES.has(lang.split('-')[0]!.toLowerCase())) problems.push({ rule: 'language', message: `dc:language ${lang ?? '(none)'} is not one Amazon lists` });
  const pages = [...docs.keys()].filter((n) => /\.x?html?$/i.test(n));
  const bodyIds = new Map<string, string>();
  for (const n of pages) {
    const id = docs.get(n)!.match(/<body\b[^>]*\bid="([^"]*)"/)?.[1];
    if (id) bodyIds.set(n, id);
  }
  for (const n of pages) {
    const t = docs.get(n)!;
    for (const m of t.matchAll(/<a\b[^>]*\bhref="([^"]+)"/g)) {
      if (/^[a-z]+:/i.test(m[1]!)) continue;
      const target = resolve(n, m[1]!);
      if (target.fragment !== undefined && bodyIds.get(target.file) === target.fragment) problems.push({ rule: 'body-id-link', message: `${n} links to the body id of ${target.file}` });
    }
    for (const m of t.matchAll(/<img\b[^>]*>/g)) if (!/\bsrc="[^"]+"/.test(m[0])) problems.push({ rule: 'img-src', message: `${n}: <img> without src` });
  }
  // NCX order: the files its navPoints open, in play order, come in spine order.
  const items = new Map([...opf.matchAll(/<item\b[^>]*>/g)].map((m) => [m[0].match(/\bid="([^"]+)"/)?.[1] ?? '', m[0].match(/\bhref="([^"]+)"/)?.[1] ?? '']));
  const spine = [...opf.matchAll(/<itemref\b[^>]*\bidref="([^"]+)"/g)].map((m) => resolve(opfPath, items.get(m[1]!) ?? '').file);
  const ncxHref = [...items.values()].find((h) => h.endsWith('.ncx'));
  const ncx = ncxHref ? docs.get(resolve(opfPath, ncxHref).file) : undefined;
  if (!ncx) problems.push({ rule: 'ncx-order', message: 'no NCX' });
  else {
    const ncxPath = resolve(opfPath, ncxHref!).file;
    const points = [...ncx.matchAll(/<navPoint\b[^>]*playOrder="(\d+)"[^>]*>[\s\S]*?<content src="([^"]+)"/g)]
      .map((m) => ({ order: Number(m[1]), file: resolve(ncxPath, m[2]!).file }))
      .sort((a, b) => a.order - b.order);
    let last = -1;
    for (const p of points) {
      const at = spine.indexOf(p.file);
      if (at < 0) problems.push({ rule: 'ncx-order', message: `NCX entry ${p.file} is not in the spine` });
      else if (at < last) problems.push({ rule: 'ncx-order', message: `NCX entry ${p.file} comes before an earlier one in the spine` });
      else last = at;
    }
  }
  return problems;
}
