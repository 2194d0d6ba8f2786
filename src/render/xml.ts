/**
 * A small escaping XML builder. Text is always escaped; markup can only be made with `el`, so
 * no unescaped string ever reaches a file. `raw` exists for markup this module did not build
 * but that was serialised by a real serializer (a parser's output).
 */

/** Serialised, well-formed XML. Construct only through this module. */
export interface Xml {
  readonly xml: string;
}

/** Attribute values: undefined/false omit the attribute. */
export type Attrs = Record<string, string | number | undefined | false>;

/** Child of an element: markup, or text (escaped). Arrays are flattened; null/undefined skipped. */
export type Child = Xml | string | undefined | null | false | Child[];

// Elements written self-closing (HTML void elements); all others get an end tag, because
// some reading systems parse XHTML as HTML and mishandle `<p/>` or `<a/>`.
const VOID = new Set(['br', 'hr', 'img', 'meta', 'link', 'col', 'area', 'base', 'input', 'wbr', 'source']);

/** Escape text content: & < > (and ]]> stays safe because > is escaped). */
export function escapeText(s: string): string {
  // Most text holds none of them: three string searches cost a third of the regex's walk.
  if (!s.includes('&') && !s.includes('<') && !s.includes('>')) return s;
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

// RFC 3986's characters (square brackets only around an IP literal, which no kept link has), every % an escape.
const URI_REFERENCE = /^(?:[A-Za-z0-9\-._~:/?@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*(?:#(?:[A-Za-z0-9\-._~:/?@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*)?$/;

/**
 * An address as a valid URI for an `href` (EPUBCheck refuses anything else): as given when it is
 * one, else as a browser sends it (WHATWG URL), with what is still outside RFC 3986 (a stray `%`,
 * `|`, `^`, brackets, a second `#`) percent-encoded.
 */
export function uriReference(href: string): string {
  if (URI_REFERENCE.test(href)) return href;
  let url = href;
  try {
    url = new URL(href).href;
  } catch {
    /* not absolute: encoded as it stands */
  }
  const hash = url.indexOf('#');
  const encode = (part: string): string => part.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~:/?@!$&'()*+,;=%]/gu, (c) => (c === '%' ? '%25' : encodeURIComponent(/[\uD800-\uDFFF]/u.test(c) ? '\uFFFD' : c)));
  return hash < 0 ? encode(url) : `${encode(url.slice(0, hash))}#${encode(url.slice(hash + 1))}`;
}

/** Escape an attribute value for use inside double quotes. */
export function escapeAttr(s: string): string {
  // One walk, copying the runs between escapes: calibre's JSON values hold hundreds of quotes,
  // and a replace callback per match was 2 % of a batch worker.
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const escaped = attrEscape(s.charCodeAt(i));
    if (escaped === undefined) continue;
    out += s.slice(from, i) + escaped;
    from = i + 1;
  }
  return from === 0 ? s : out + s.slice(from);
}

function attrEscape(c: number): string | undefined {
  // Everything from '?' up, and the common punctuation below it, needs no escape.
  if (c > 62) return undefined;
  switch (c) {
    case 38: return '&amp;';
    case 60: return '&lt;';
    case 62: return '&gt;';
    case 34: return '&quot;';
    case 9: return '&#9;';
    case 10: return '&#10;';
    case 13: return '&#13;';
    default: return undefined;
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;
// Books use a few dozen names, each checked once (el is called for every paragraph).
const NAMES_SEEN = new Set<string>();

function isName(s: string): boolean {
  if (NAMES_SEEN.has(s)) return true;
  if (!NAME.test(s)) return false;
  if (NAMES_SEEN.size < 1000) NAMES_SEEN.add(s);
  return true;
}

function pushChildren(out: string[], children: Child[]): void {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) pushChildren(out, c);
    else if (typeof c === 'string') out.push(escapeText(c));
    else out.push(c.xml);
  }
}

// The children's markup side by side, `undefined` for none (an element per paragraph: no array to join).
function childrenXml(children: Child[], into: string | undefined = undefined): string | undefined {
  let s = into;
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) s = childrenXml(c, s);
    else if (typeof c === 'string') s = s === undefined ? escapeText(c) : s + escapeText(c);
    else s = s === undefined ? c.xml : s + c.xml;
  }
  return s;
}

/** An element. Attribute and element names are checked; values and text are escaped. */
export function el(name: string, attrs: Attrs = {}, ...children: Child[]): Xml {
  if (!isName(name)) throw new Error(`invalid element name: ${name}`);
  let open = `<${name}`;
  for (const k in attrs) {
    const v = attrs[k];
    if (v === undefined || v === false) continue;
    if (!isName(k)) throw new Error(`invalid attribute name: ${k}`);
    open += ` ${k}="${escapeAttr(String(v))}"`;
  }
  const inner = childrenXml(children);
  if (inner === undefined && VOID.has(name)) return { xml: `${open}/>` };
  return { xml: `${open}>${inner ?? ''}</${name}>` };
}

/** Several nodes side by side. */
export function frag(...children: Child[]): Xml {
  return { xml: childrenXml(children) ?? '' };
}

/** Join nodes with a newline between them (readable files, no meaning). */
export function lines(children: Child[]): Xml {
  const out: string[] = [];
  pushChildren(out, children);
  return { xml: out.join('\n') };
}

/** Markup serialised elsewhere by a real serializer; never pass user text here. */
export function raw(serialised: string): Xml {
  return { xml: serialised };
}

/** The XML declaration every file starts with. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';
